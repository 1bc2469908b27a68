"""Any input is safe: the importer returns a result with a clear error, never raises."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.importers import MAX_IMPORT_BYTES, import_bytes, import_file, import_text
from tuibrowser.records import parse_text
from tuibrowser.writer import render

SEED = Path(__file__).parents[1] / "fixtures" / "seeds" / "000_8994443ba098d4ec.txt"
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _consistent(result) -> None:
    assert result.ok == (result.error is None)
    if result.ok:
        assert result.documents
    for d in result.documents:  # what would be written reads back without errors
        assert parse_text(render(d.document), "x").document is not None


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(raw):
    _consistent(import_bytes(raw, "in.bin"))


@FAST
@given(st.text(max_size=2000))
def test_arbitrary_text(text):
    _consistent(import_text(text, "in.txt", board="B"))


_xmlish = st.lists(
    st.sampled_from(
        [
            "<meeting>",
            "</meeting>",
            "<meetingdate>",
            "</meetingdate>",
            "01/02/2024",
            "<agendaitems>",
            "</agendaitems>",
            "<agendaitem>",
            "</agendaitem>",
            "<agendaitemtitle>",
            "</agendaitemtitle>",
            "<fulldisplaynumberformat>",
            "</fulldisplaynumberformat>",
            "<minutesnonemptyhtmlbody>",
            "</minutesnonemptyhtmlbody>",
            "&lt;p&gt;",
            "&lt;ul&gt;&lt;li&gt;",
            "&amp;lt;b&amp;gt;",
            "<isrestricted>True</isrestricted>",
            "<attendees>",
            "<attendee><name>X</name><attendance>Present</attendance></attendee>",
            "</attendees>",
            "<meetingstatus>Cancelled</meetingstatus>",
            "&",
            "<",
            "]]>",
            "<![CDATA[",
            "<!DOCTYPE x>",
            "1.",
            "x",
            " ",
            "\n",
        ]
    ),
    max_size=60,
).map("".join)


@FAST
@given(_xmlish)
def test_arbitrary_xmlish_text(text):
    _consistent(import_text("<meeting>" + text, "in.xml", board="B"))


_textish = st.lists(
    st.sampled_from(
        [
            "Note of last Board meeting\n",
            "Title:\tBoard\n",
            "Date:\tThursday 24 May 2018\n",
            "<AI1>\n",
            "</AI1>\n",
            "\t1. \n",
            "\tTitle\n",
            "Decision:\n",
            "Members agreed.\n",
            "Appendix A - Attendance\n",
            "\tPosition/Role\n\tCouncillor\n\tAuthority\n",
            "\tChairman\n",
            "\t Cllr A B\n",
            "\tX Council\n",
            "Apologies\tCllr C\tY Council\n",
            "\tOBE\t\n",
            "Agenda\n",
            "\tItem\tPage\n",
            "1.\tWelcome\t1 - 2\n",
            "E1\tT\tD\tGreen\n",
            "\n",
            "x",
        ]
    ),
    max_size=50,
).map("".join)


@FAST
@given(_textish)
def test_arbitrary_export_like_text(text):
    _consistent(import_text(text, "in.txt"))


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    r = import_file(p)
    assert r.error == "file is empty"


def test_binary_file():
    r = import_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "image.png")
    assert not r.ok and "binary" in r.error


def test_windows_1252_is_decoded_with_a_warning():
    raw = SEED.read_text(encoding="utf-8").replace("’", "'").encode("cp1252", errors="replace")
    raw = raw.replace(b"Paul's presentation", b"Paul\x92s presentation")
    r = import_bytes(raw, "cp1252.txt")
    assert r.ok
    assert any("Windows-1252" in w for w in r.warnings)
    minute = next(it for d in r.documents for it in d.document.items if it.number == "8").minute
    assert "Paul’s presentation" in minute


def test_utf8_bom_is_dropped():
    raw = b"\xef\xbb\xbf" + SEED.read_bytes()
    r = import_bytes(raw, "bom.txt")
    assert r.ok and not r.warnings
    assert r.documents[0].document.title.startswith("Note of last")


def test_huge_file_is_refused_with_the_limit(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:
        fh.seek(MAX_IMPORT_BYTES + 1)
        fh.write(b"x")
    r = import_file(p)
    assert not r.ok and "limit" in r.error and "MB" in r.error


def test_unknown_text_is_a_clear_error():
    r = import_text("just some words\n", "notes.txt")
    assert not r.ok and "not a ModernGov export" in r.error


def test_a_folder_is_not_a_file(tmp_path):
    r = import_file(tmp_path)
    assert not r.ok and "folder" in r.error


def _import_in_a_child(path: Path) -> subprocess.CompletedProcess:
    """``tuibrowser import PATH`` in a child process that is stopped if it hangs, with its
    memory capped so a read that never ends fails fast instead of filling the machine."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    code = "import sys; from tuibrowser.cli import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, "import", str(path), "--dry-run", "--out", str(path) + ".out"],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=cap,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "minutes.txt"
    os.mkfifo(fifo)
    done = _import_in_a_child(fifo)  # an open() that waits for a writer times out
    assert done.returncode == 1
    assert f"{fifo}: error: is a named pipe, not a regular file; not read" in done.stderr
    assert "Traceback" not in done.stderr
    r = import_file(fifo)
    assert not r.ok and r.error == "is a named pipe, not a regular file; not read"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_a_device_is_refused_before_a_byte_is_read(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    for path in (Path("/dev/zero"), link):
        done = _import_in_a_child(path)
        assert done.returncode == 1, done.stderr
        assert f"{path}: error: is a device, not a regular file; not read" in done.stderr
        assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_at_most_the_limit_and_one_byte_are_read_whatever_stat_says(monkeypatch):
    """A regular file whose size stat gives as 0 (as /proc files do, or a file that grows
    while it is read) is cut off after the limit + 1 bytes, with the limit in the error."""
    from tuibrowser.importers import run as run_module

    assert Path("/proc/self/maps").stat().st_size == 0
    monkeypatch.setattr(run_module, "MAX_IMPORT_BYTES", 64)
    reads: list[int] = []
    real_read = os.read

    def counting_read(fd, size):
        data = real_read(fd, size)
        reads.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    r = import_file(Path("/proc/self/maps"))
    assert not r.ok and r.error == "file is over the import limit of 0 MB"
    assert sum(reads) == 65


def test_text_minutes_without_a_date_say_so():
    r = import_text("Note of last Board meeting\n<AI1>\n\t1.\n\tWelcome\n</AI1>\n", "x.txt")
    assert not r.ok and "date" in r.error


def test_importers_do_not_load_textual_or_rich():
    import subprocess
    import sys

    code = "import sys, tuibrowser.importers, tuibrowser.writer; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


SEEDS = sorted((Path(__file__).parents[1] / "fixtures" / "seeds").glob("*.txt"))
SEED_LINES = [p.read_text(encoding="utf-8").split("\n") for p in SEEDS]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_seed_exports(data):
    """Real exports with lines cut, dropped, repeated or shuffled still import or fail cleanly."""
    lines = list(data.draw(st.sampled_from(SEED_LINES)))
    for _ in range(data.draw(st.integers(1, 6))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["cut", "drop", "repeat", "swap"]))
        if op == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        elif op == "drop":
            del lines[i : i + data.draw(st.integers(1, 80))]
        elif op == "repeat":
            lines.insert(data.draw(st.integers(0, len(lines))), lines[i])
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    _consistent(
        import_text("\n".join(lines), "damaged.txt", board=data.draw(st.none() | st.just("B")))
    )


def test_an_export_that_looks_like_two_kinds_is_read_as_the_one_that_fits():
    text = SEED.read_text(encoding="utf-8").replace(
        "Attendance\n", "Agenda\n\nPurpose\n\nAttendance\n", 1
    )
    r = import_text(text, "odd.txt")
    assert r.ok and r.kind == "moderngov_text"
    assert any(w.startswith("read as moderngov_text") for w in r.warnings)
    assert len(r.documents[0].document.items) == 8


def test_utf16_with_a_bom_is_decoded():
    r = import_bytes(SEED.read_text(encoding="utf-8").encode("utf-16"), "utf16.txt")
    assert r.ok and any("UTF-16" in w for w in r.warnings)
    assert len(r.documents[0].document.items) == 8


def test_text_that_fits_no_item_goes_to_notes_with_a_warning():
    text = SEED.read_text(encoding="utf-8").replace(
        "</AI3>\n", "</AI3>\nA stray remark printed between two items.\n", 1
    )
    r = import_text(text, "stray.txt")
    doc = r.documents[0].document
    notes = [s for s in doc.sections if s.title == "Notes"]
    assert notes and "A stray remark printed between two items." in notes[0].text
    assert any("Notes" in w for w in r.warnings)
    assert "## Notes" in render(doc)
