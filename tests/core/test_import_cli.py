"""``tuibrowser import``: writes meeting files, never overwrites without --force, --dry-run
writes nothing, exit 1 when any file failed."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli
from tuibrowser.records import read_folder

FIX = Path(__file__).parents[1] / "fixtures"
MINUTES = FIX / "seeds" / "000_8994443ba098d4ec.txt"
NAME = "2018-05-24-improvement-innovation-board-minutes.md"


def run(*args):
    return CliRunner().invoke(cli, ["import", *map(str, args)])


def test_import_writes_files_that_check_clean(tmp_path):
    out = tmp_path / "meetings"
    r = run(MINUTES, FIX / "getmeeting" / "full-meeting.xml", "--out", out)
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        NAME,
        "2024-03-14-resources-performance-committee-agenda.md",
        "2024-03-14-resources-performance-committee-minutes.md",
    ]
    parsed, problems = read_folder(out)
    assert not problems and all(p.ok for p in parsed)
    assert "8 items" in r.output and "18 present, 5 apologies" in r.output
    assert "Improvement & Innovation Board" in r.output


def test_never_overwrites_without_force(tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    (out / NAME).write_text("hand edits\n", encoding="utf-8")
    r = run(MINUTES, "--out", out)
    assert r.exit_code == 0
    assert (out / NAME).read_text(encoding="utf-8") == "hand edits\n"
    assert f"{NAME}: not written: the file exists (use --force" in r.output
    assert "1 existing file(s) left as they were" in r.output
    r = run(MINUTES, "--out", out, "--force")
    assert r.exit_code == 0
    assert (out / NAME).read_text(encoding="utf-8").startswith("---\n")
    assert "overwritten" in r.output


def test_dry_run_writes_nothing(tmp_path):
    out = tmp_path / "m"
    r = run(*sorted((FIX / "seeds").glob("*.txt")), "--out", out, "--dry-run")
    assert r.exit_code == 0, r.output
    assert not out.exists()
    assert "would write" in r.output and "dry run, nothing written" in r.output
    out.mkdir()
    (out / NAME).write_text("mine\n", encoding="utf-8")
    r = run(MINUTES, "--out", out, "--dry-run", "--force")
    assert "would overwrite" in r.output
    assert (out / NAME).read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in out.iterdir()) == [NAME]


def test_a_bad_file_fails_alone_and_exit_is_1(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text("<meeting><meetingdate>01/01/2024", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "m"
    r = run(bad, MINUTES, empty, "--out", out)
    assert r.exit_code == 1
    assert f"{bad}: error: malformed XML" in r.output
    assert f"{empty}: error: file is empty" in r.output
    assert (out / NAME).exists()
    assert "3 file(s): 1 imported, 2 failed" in r.output


def test_board_option_for_xml_without_a_committee(tmp_path):
    src = FIX / "getmeeting" / "restricted-item.xml"
    r = run(src, "--out", tmp_path)
    assert r.exit_code == 1 and "pass --board" in r.output
    r = run(src, "--out", tmp_path, "--board", "Cabinet")
    assert r.exit_code == 0
    assert (tmp_path / "2023-11-21-cabinet-minutes.md").exists()


def test_two_documents_for_one_file_name_are_not_both_written(tmp_path):
    copy = tmp_path / "copy.txt"
    shutil.copy(MINUTES, copy)
    out = tmp_path / "m"
    r = run(MINUTES, copy, "--out", out)
    assert "another document in this import has the same file name" in r.output
    assert sorted(p.name for p in out.iterdir()) == [NAME]


def test_missing_file_is_an_error_for_that_file(tmp_path):
    r = run(tmp_path / "nope.txt", "--out", tmp_path / "m")
    assert r.exit_code == 1 and "cannot read file" in r.output


# --- writing never follows a link, never leaves half a file ---------------------------


def test_force_does_not_follow_a_link_planted_at_the_old_temporary_name(tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    (out / NAME).write_text("old\n", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    planted = out / f".{NAME}.tmp"
    planted.symlink_to(victim)
    r = run(MINUTES, "--out", out, "--force")
    assert r.exit_code == 0, r.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (out / NAME).is_symlink()
    assert (out / NAME).read_text(encoding="utf-8").startswith("---\n")
    assert planted.is_symlink()  # not ours: left as it was
    # no temporary file is left behind
    assert sorted(p.name for p in out.iterdir()) == sorted([NAME, planted.name])


def test_a_link_at_the_meeting_file_name_is_refused_without_force(tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (out / NAME).symlink_to(victim)
    r = run(MINUTES, "--out", out)
    assert r.exit_code == 0, r.output  # left as it was on purpose, like an existing file
    assert f"{NAME}: not written: a symbolic link has this name (use --force" in r.output
    assert "1 existing file(s) left as they were" in r.output
    assert (out / NAME).is_symlink()
    assert victim.read_text(encoding="utf-8") == "precious\n"

    r = run(MINUTES, "--out", out, "--dry-run", "--force")
    assert "would overwrite (the symbolic link, not its target)" in r.output
    assert (out / NAME).is_symlink()

    r = run(MINUTES, "--out", out, "--force")
    assert r.exit_code == 0, r.output
    assert "the symbolic link was replaced; its target is untouched" in r.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (out / NAME).is_symlink()
    assert (out / NAME).read_text(encoding="utf-8").startswith("---\n")


def test_a_dangling_link_is_not_written_through(tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    target = tmp_path / "elsewhere" / "created.md"
    target.parent.mkdir()
    (out / NAME).symlink_to(target)
    r = run(MINUTES, "--out", out)
    assert "a symbolic link has this name" in r.output
    assert not target.exists()
    r = run(MINUTES, "--out", out, "--force")
    assert not target.exists()
    assert (out / NAME).is_file() and not (out / NAME).is_symlink()


def test_new_files_take_the_umask_and_overwritten_files_keep_their_mode(tmp_path):
    out = tmp_path / "m"
    old = os.umask(0o027)
    try:
        assert run(MINUTES, "--out", out).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((out / NAME).stat().st_mode) == 0o640
    os.chmod(out / NAME, 0o604)
    assert run(MINUTES, "--out", out, "--force").exit_code == 0
    assert stat.S_IMODE((out / NAME).stat().st_mode) == 0o604


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_pipe_or_folder_at_the_file_name_is_not_written_and_exit_is_1(tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    os.mkfifo(out / NAME)
    r = run(MINUTES, "--out", out, "--force")  # must not block on the pipe
    assert r.exit_code == 1, r.output
    assert "not a regular file has this name" in r.output
    assert stat.S_ISFIFO(os.lstat(out / NAME).st_mode)
    (out / NAME).unlink()
    (out / NAME).mkdir()
    r = run(MINUTES, "--out", out, "--force")
    assert r.exit_code == 1 and "1 document(s) not written" in r.output


def test_documents_not_written_for_an_error_make_exit_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    r = run(MINUTES, "--out", blocker / "sub")
    assert r.exit_code == 1, r.output
    assert "not written: Not a directory" in r.output
    assert "1 document(s) not written" in r.output
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_permission_denied_on_the_output_folder_makes_exit_1(tmp_path):
    from privileges import ROOT, as_user, cli_as_user, unprivileged

    base = Path(__import__("tempfile").mkdtemp(prefix="tuibrowser-import-"))
    try:
        os.chmod(base, 0o755)
        src = base / "minutes.txt"
        shutil.copy(MINUTES, src)
        os.chmod(src, 0o644)
        out = base / "out"
        out.mkdir()
        if ROOT:
            os.chown(out, 0, 0)
        os.chmod(out, 0o555)  # nobody may write here
        assert unprivileged()
        code, stdout, _ = as_user(cli_as_user, ["import", str(src), "--out", str(out)], {})
        assert code == 1, stdout
        assert "not written: Permission denied" in stdout
        assert "1 document(s) not written" in stdout
        assert list(out.iterdir()) == []
    finally:
        os.chmod(base / "out", 0o755)
        shutil.rmtree(base, ignore_errors=True)


# --- untrusted names on the terminal ----------------------------------------------------


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path):
    evil = tmp_path / "x\n2018-05-24 fake: written\x1b[2J.txt"
    shutil.copy(MINUTES, evil)
    out = tmp_path / "out\nfake"
    r = run(evil, "--out", out)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert not any(line.startswith("2018-05-24 fake") for line in lines)
    assert not any(line.startswith("fake") for line in lines)
    assert "\x1b" not in r.output
    assert any(line.startswith(f"{tmp_path}/x\\x0a2018-05-24 fake") for line in lines)
    assert any("out\\x0afake/" + NAME in line for line in lines)
    assert (out / NAME).exists()


def test_an_error_for_a_file_name_with_a_line_break_stays_on_one_line(tmp_path):
    evil = tmp_path / "bad\nall good.txt"
    evil.write_bytes(b"")
    r = run(evil, "--out", tmp_path / "m")
    assert r.exit_code == 1
    assert "bad\\x0aall good.txt: error: file is empty" in r.output
    assert not any(line.startswith("all good") for line in r.output.splitlines())
