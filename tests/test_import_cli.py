"""``tuibrowser import``: writes meeting files, never overwrites without --force, --dry-run
writes nothing, exit 1 when any file failed."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from tuibrowser.cli import cli
from tuibrowser.records import read_folder

FIX = Path(__file__).parent / "fixtures"
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
    assert "1 document(s) not written" in r.output
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
