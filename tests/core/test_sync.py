"""`tuibrowser sync` against a real HTTP server on 127.0.0.1 (no mock of the client)."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from mg_site import SiteServer

from tuibrowser.cli import cli
from tuibrowser.library import build
from tuibrowser.records import read_file, read_folder
from tuibrowser.sync.moderngov import windows
from tuibrowser.sync.run import default_window

AGENDA_HELD = "2026-02-10-audit-committee-agenda.md"
MINUTES_HELD = "2026-02-10-audit-committee-minutes.md"
CANCELLED = "2026-01-13-audit-committee-agenda.md"
KPIS = "2026-02-10-audit-committee-kpis.md"
WINDOW = ["--from", "2025-03-01", "--to", "2026-06-30"]  # two GetMeetings windows


@pytest.fixture
def site():
    with SiteServer() as s:
        yield s


def run(site, out: Path, *extra: str):
    args = ["sync", site.base, "--out", str(out), "--rate", "200", *WINDOW, *extra]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".tuibrowser-sync")
    }


def test_without_committee_lists_committees_and_writes_nothing(site, tmp_path):
    r = CliRunner().invoke(cli, ["sync", site.base, "--out", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    assert "144  Audit Committee" in r.output
    assert "Appointments Sub-Committee for Director of Place  (expired)" in r.output
    assert not (tmp_path / "m").exists()
    assert [x.path for x in site.log] == ["/mgWebService.asmx/GetCommittees"]


def test_sync_writes_meeting_files_that_check_passes_and_the_library_reads(site, tmp_path):
    out = tmp_path / "m"
    r = run(site, out, "--committee", "audit committee")
    assert r.exit_code == 0, r.output
    assert "meetings: 2 new, 0 changed, 0 unchanged, 0 failed" in r.output
    assert "documents: 2 new, 0 changed, 0 unchanged, 0 failed" in r.output
    names = {p.name for p in out.glob("*.md")}
    assert names == {AGENDA_HELD, MINUTES_HELD, CANCELLED, KPIS}
    check = CliRunner().invoke(cli, ["check", str(out)])
    assert check.exit_code == 0, check.output
    assert "0 errors, 0 warnings" in check.output
    cancelled = read_file(out / CANCELLED).document
    assert cancelled.cancelled is True and cancelled.items == []
    assert [m.name for m in cancelled.membership] == [
        "Councillor Ada Lovelace",
        "Councillor Tom Paine",
    ]
    minutes = read_file(out / MINUTES_HELD).document
    assert minutes.board == "Audit Committee"
    assert {a.name: a.status for a in minutes.attendance} == {
        "Councillor Ada Lovelace": "present",
        "Councillor Tom Paine": "apologies",
        "Councillor Mary Seacole": "present",
        "Jane Auditor": "in_attendance",
    }
    assert [i.confidential for i in minutes.items] == [False, False, True]
    assert minutes.items[1].decisions == ["that the report be noted."]
    # what the browser shows: one meeting a date, with items, minutes and attendees
    parsed, _ = read_folder(out)
    lib = build([p.document for p in parsed if p.document is not None], [])
    held = next(m for m in lib.meetings if m.date == "2026-02-10")
    assert held.board == "Audit Committee" and held.kinds == ["agenda", "minutes"]
    assert len(held.attendance) == 4 and len(held.items) == 3
    # GetMeetings was asked in windows of at most a year
    windows = [x.path for x in site.requests_to("GetMeetings")]
    assert len(windows) == 2 and all("lCommitteeId=144" in w for w in windows)
    ua = {x.user_agent for x in site.log}
    assert len(ua) == 1 and ua.pop().startswith("tuibrowser/")


def test_committee_by_id_and_title_case_insensitively(site, tmp_path):
    r = run(site, tmp_path / "a", "--committee", "144")
    assert r.exit_code == 0, r.output
    r2 = run(site, tmp_path / "b", "--committee", "AUDIT COMMITTEE")
    assert r2.exit_code == 0, r2.output
    assert {p.name for p in (tmp_path / "a").glob("*.md")} == {
        p.name for p in (tmp_path / "b").glob("*.md")
    }


def test_unknown_committee_is_an_error_naming_near_matches(site, tmp_path):
    r = run(site, tmp_path / "m", "--committee", "Audit Comittee")
    assert r.exit_code == 1
    assert "no committee 'Audit Comittee'" in r.output
    assert "Audit Committee (144)" in r.output
    assert not list((tmp_path / "m").glob("*.md"))


def test_second_run_sends_only_conditional_requests_and_rewrites_nothing(site, tmp_path):
    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    before = snapshot(out)
    site.log.clear()
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert "meetings: 0 new, 0 changed, 2 unchanged, 0 failed" in r.output
    assert site.log and all(x.if_none_match and x.if_modified_since for x in site.log)
    assert all(x.status == 304 for x in site.log)
    assert snapshot(out) == before


def test_a_site_that_changes_between_syncs_rewrites_only_what_changed(site, tmp_path):
    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    before = snapshot(out)
    site.meeting[4967] = site.meeting[4967].replace(
        b'name="Councillor Tom Paine" roledescription="Committee Member" attendance="Apologies"',
        b'name="Councillor Tom Paine" roledescription="Committee Member" attendance="Present"',
    )
    site.meetings[144].append((4968, "10/03/2026", "Confirmed"))
    site.meeting[4968] = site.meeting[4967].replace(b"10/02/2026", b"10/03/2026")
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert "meetings: 1 new, 1 changed, 1 unchanged, 0 failed" in r.output
    after = snapshot(out)
    assert after[CANCELLED] == before[CANCELLED]  # untouched, not even rewritten
    minutes = read_file(out / MINUTES_HELD).document
    assert {a.name: a.status for a in minutes.attendance}["Councillor Tom Paine"] == "present"
    assert "2026-03-10-audit-committee-minutes.md" in after


def test_a_hand_edited_file_survives_and_the_new_version_goes_beside_it(site, tmp_path):
    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    edited = (out / MINUTES_HELD).read_text() + "\nA note I added by hand.\n"
    (out / MINUTES_HELD).write_text(edited)
    # unchanged upstream: the edited file is left alone, nothing beside it
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0 and not (out / (MINUTES_HELD + ".new")).exists()
    site.meeting[4967] = site.meeting[4967].replace(b"progress against", b"progress with")
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert (out / MINUTES_HELD).read_text() == edited
    beside = out / (MINUTES_HELD + ".new")
    assert "progress with the audit plan" in " ".join(beside.read_text().split())
    assert f"kept your edit: {out / MINUTES_HELD}" in r.output
    assert str(beside) in r.output


def test_a_file_sync_did_not_write_is_never_overwritten(site, tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    (out / MINUTES_HELD).write_text("mine\n")
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert (out / MINUTES_HELD).read_text() == "mine\n"
    assert (out / (MINUTES_HELD + ".new")).exists()


def test_dry_run_writes_nothing(site, tmp_path):
    r = run(site, tmp_path / "m", "--committee", "144", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "meetings: 2 new" in r.output and "dry run" in r.output
    assert not (tmp_path / "m").exists()


def test_retries_with_backoff_honour_retry_after_then_succeed(site, tmp_path):
    path = "/mgWebService.asmx/GetMeeting?lMeetingId=4967"
    site.failures[path] = [(503, {"Retry-After": "1"}), (500, {})]
    r = run(site, tmp_path / "m", "--committee", "144")
    assert r.exit_code == 0, r.output
    hits = [x for x in site.log if x.path == path]
    assert [x.status for x in hits] == [503, 500, 200]


def test_a_failing_meeting_is_counted_and_the_others_are_written(site, tmp_path):
    path = "/mgWebService.asmx/GetMeeting?lMeetingId=4967"
    site.failures[path] = [(503, {"Retry-After": "0"})] * 10
    r = run(site, tmp_path / "m", "--committee", "144", "--retries", "1")
    assert r.exit_code == 1
    assert "meetings: 1 new, 0 changed, 0 unchanged, 1 failed" in r.output
    assert f"{site.base}{path}: HTTP 503" in r.output
    assert (tmp_path / "m" / CANCELLED).exists()
    # the next run fetches the failed one (no validators were kept for it)
    site.failures.clear()
    r = run(site, tmp_path / "m", "--committee", "144")
    assert "meetings: 1 new, 0 changed, 1 unchanged, 0 failed" in r.output


def test_a_slow_answer_times_out_and_is_retried(site, tmp_path):
    site.delay["/mgWebService.asmx/GetMeeting?lMeetingId=4966"] = 2.5
    r = run(site, tmp_path / "m", "--committee", "144", "--timeout", "1", "--retries", "1")
    assert r.exit_code == 1
    assert "lMeetingId=4966: timed out" in r.output
    hits = [x for x in site.log if x.path.endswith("lMeetingId=4966")]
    assert len(hits) == 2


@pytest.mark.parametrize(
    "setup, expected",
    [
        ("html", "answered with an HTML page, not the web service's XML ('Sign in')"),
        ("not_moderngov", "not found (HTTP 404): is this the root of a ModernGov site?"),
        ("garbage", "not XML"),
        ("entities", "XML refused"),
    ],
)
def test_a_site_that_is_not_moderngov_is_a_one_line_error_naming_the_url(
    site, tmp_path, setup, expected
):
    url = site.base + "/mgWebService.asmx/GetCommittees"
    if setup == "html":
        site.committees = b"<!DOCTYPE html><html><head><title>Sign in</title></head></html>"
    elif setup == "not_moderngov":
        site.committees = None  # the server answers 404 with an HTML page
    elif setup == "garbage":
        site.committees = b"{'json': 1}"
    else:
        site.committees = (
            b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaa">]><committees>&a;'
            b"</committees>"
        )
    r = CliRunner().invoke(cli, ["sync", site.base, "--out", str(tmp_path / "m")])
    assert r.exit_code == 1
    [line] = [ln for ln in r.output.splitlines() if ln.strip()]
    assert line.startswith(f"tuibrowser sync: error: {url}: {expected}")
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    "url, expected",
    [
        ("ftp://democracy.example.gov.uk", "only http:// and https:// addresses are fetched"),
        ("file:///etc/passwd", "only http:// and https:// addresses are fetched"),
    ],
)
def test_only_http_and_https(url, expected, tmp_path):
    r = CliRunner().invoke(cli, ["sync", url, "--out", str(tmp_path / "m")])
    assert r.exit_code == 1 and expected in r.output and url in r.output


def test_a_tls_error_is_one_line_naming_the_url(site, tmp_path):
    https = site.base.replace("http://", "https://")  # the server speaks plain HTTP
    r = CliRunner().invoke(cli, ["sync", https, "--out", str(tmp_path / "m")])
    assert r.exit_code == 1
    [line] = [ln for ln in r.output.splitlines() if ln.strip()]
    assert line.startswith(f"tuibrowser sync: error: {https}/mgWebService.asmx/GetCommittees: TLS")


def test_an_answer_over_the_size_limit_is_refused(site, tmp_path):
    from tuibrowser.sync.client import Client, FetchError

    site.files["/big"] = (200, "application/pdf", b"x" * 5000, {})
    with Client(rate=100, max_bytes=1000) as c, pytest.raises(FetchError, match="over the limit"):
        c.get(site.base + "/big")


def test_at_most_four_requests_at_once(site, tmp_path):
    site.meetings[144] = [(5000 + i, f"{i + 1:02d}/02/2026", "Confirmed") for i in range(12)]
    for i in range(12):
        site.meeting[5000 + i] = site.meeting[4967].replace(
            b"10/02/2026", f"{i + 1:02d}/02/2026".encode()
        )
    site.delay["/mgWebService.asmx/GetMeeting"] = 0.2
    r = run(site, tmp_path / "m", "--committee", "144")
    assert r.exit_code == 0, r.output
    assert 1 < site.max_in_flight <= 4


def test_no_temporary_file_is_left(site, tmp_path):
    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]


def test_a_sync_killed_midway_resumes_and_ends_as_a_clean_sync(site, tmp_path):
    site.meetings[144] = [(5000 + i, f"{i + 1:02d}/02/2026", "Confirmed") for i in range(8)]
    for i in range(8):
        date = f"{i + 1:02d}/02/2026".encode()
        site.meeting[5000 + i] = site.meeting[4967].replace(b"10/02/2026", date)
    clean = tmp_path / "clean"
    assert run(site, clean, "--committee", "144").exit_code == 0
    out = tmp_path / "m"
    site.stall_after = site.meetings_answered + 3  # answer 3 meetings, then hang
    exe = Path(sys.executable).parent / "tuibrowser"
    cmd = [str(exe), "sync", site.base, "--out", str(out), "--committee", "144", "--rate", "200"]
    proc = subprocess.Popen(
        cmd + WINDOW, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        state = out / ".tuibrowser-sync.json"
        while time.monotonic() < deadline:
            if state.exists() and len(json.loads(state.read_text())["meetings"]) >= 3:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the sync never wrote three meetings")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    written = len(list(out.glob("*.md")))
    assert 3 * 2 <= written < 16  # killed midway: some meetings written, not all
    site.stall_after = None
    site.stall.set()
    site.log.clear()
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert "0 failed" in r.output and "5 new" in r.output
    # the three written before the kill were asked conditionally, and were unchanged
    conditional = [x for x in site.requests_to("GetMeeting") if x.if_none_match]
    assert len(conditional) >= 3
    resumed = {p: b.decode() for p, (b, _) in snapshot(out).items()}
    whole = {p: b.decode() for p, (b, _) in snapshot(clean).items()}
    assert sorted(resumed) == sorted(whole)
    for name, text in whole.items():
        diff = difflib.unified_diff(text.splitlines(), resumed[name].splitlines(), lineterm="")
        assert resumed[name] == text, f"{name}:\n" + "\n".join(diff)
    assert not [p for p in os.listdir(out) if p.endswith(".tmp") or p.endswith(".new")]


@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    days=st.integers(0, 3000),
)
def test_getmeetings_windows_cover_the_range_a_year_at_most_each(start, days):
    end = start + dt.timedelta(days=days)
    got = windows(start, end)
    assert got[0][0] == start and got[-1][1] == end
    for (_a, b), (c, _) in zip(got, got[1:], strict=False):
        assert c == b + dt.timedelta(days=1)
    assert all(a <= b and (b - a).days <= 365 for a, b in got)


@pytest.mark.parametrize(
    "given_url, root",
    [
        ("https://democracy.example.gov.uk/", "https://democracy.example.gov.uk"),
        ("https://democracy.example.gov.uk/mgWebService.asmx", "https://democracy.example.gov.uk"),
        ("HTTPS://x.gov.uk/council/mgCommitteeDetails.aspx", "https://x.gov.uk/council"),
        ("https://x.gov.uk/council/mgWebService.asmx/GetCommittees", "https://x.gov.uk/council"),
    ],
)
def test_the_site_root_is_found_from_what_a_user_pastes(given_url, root):
    from tuibrowser.sync.moderngov import site_root

    assert site_root(given_url) == root


def test_documents_are_saved_recorded_and_an_agenda_pack_gives_its_kpi_rows(site, tmp_path):
    import hashlib

    from mg_site import PACK_PDF

    out = tmp_path / "m"
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    saved = sorted(p.name for p in (out / "documents").iterdir())
    assert saved == [
        "60860-minutes-audit-committee-25-nov-2025.pdf",
        "60860-minutes-audit-committee-25-nov-2025.pdf.txt",
        "60909-internal-audit-progress-report-february-2026.pdf",
        "60909-internal-audit-progress-report-february-2026.pdf.txt",
    ]
    pack = out / "documents" / saved[2]
    assert pack.read_bytes() == PACK_PDF
    parsed = read_file(out / AGENDA_HELD)
    assert parsed.problems == []
    agenda = parsed.document
    # the frontmatter records each document: title, URL, file, size and the SHA-256 of the
    # bytes saved (the record has one source: no "Documents" section besides it)
    assert not [s for s in agenda.sections if s.title == "Documents"]
    recorded = {d.title: d for d in agenda.documents}
    assert set(recorded) == {
        "Minutes Audit Committee 25 Nov 2025",
        "Internal Audit Progress Report February 2026",
    }
    for d in recorded.values():
        data = (out / d.file).read_bytes()
        assert d.file.startswith("documents/") and (out / d.file).parent == out / "documents"
        assert (d.size, d.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert d.note is None
    report = recorded["Internal Audit Progress Report February 2026"]
    assert (report.url, report.file, report.size, report.sha256, report.kind) == (
        f"{site.base}/mgConvert2PDF.aspx?ID=60909",
        f"documents/{saved[2]}",
        len(PACK_PDF),
        hashlib.sha256(PACK_PDF).hexdigest(),
        "report",
    )
    assert recorded["Minutes Audit Committee 25 Nov 2025"].kind == "minutes"
    # each under the agenda item that links it
    assert [d.item for d in agenda.documents] == ["1", "2"]
    # the meeting's JSON export has them once, whichever of its files lists them
    exported = CliRunner().invoke(cli, ["export", str(out), "--format", "json", "--no-cache"])
    assert exported.exit_code == 0, exported.output
    [meeting] = [m for m in json.loads(exported.output)["meetings"] if m["date"] == "2026-02-10"]
    assert meeting["linked_documents"] == [d.to_dict() for d in agenda.documents]
    # the pack's report for item 2 is the item's report, beside what GetMeeting said of it
    report = agenda.items[1].report
    assert (report.purpose, report.recommendation) == (
        "For information.",
        "That the Committee notes the report.",
    )
    assert "Head of Audit and Risk" in report.text and "Jane Auditor" in report.contact
    kpis = read_file(out / KPIS).document
    assert (kpis.board, kpis.date) == ("Audit Committee", "2026-02-10")
    assert [(k.code, k.rating) for k in kpis.kpis] == [
        ("AU1", "amber"),
        ("AU2", "green"),
        ("AU3", "red"),
    ]
    assert "Has the target been achieved?" in (out / "documents" / saved[3]).read_text()


def test_a_document_changed_under_an_unchanged_meeting_is_fetched_and_recorded(site, tmp_path):
    from mg_site import pdf_from_text
    from pdfmaker import AGENDA_PACK

    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    new_pack = pdf_from_text(
        AGENDA_PACK.replace("22 actions closed\tRed", "41 actions closed\tGreen")
    )
    site.files["/mgConvert2PDF.aspx?ID=60909"] = (200, "application/pdf", new_pack, {})
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert "documents: 0 new, 1 changed, 1 unchanged, 0 failed" in r.output
    kpis = read_file(out / KPIS).document
    assert kpis.kpis[2].rating == "green"
    import hashlib

    [pack] = [d for d in read_file(out / AGENDA_HELD).document.documents if "60909" in d.url]
    assert (pack.size, pack.sha256) == (len(new_pack), hashlib.sha256(new_pack).hexdigest())
    assert (out / pack.file).read_bytes() == new_pack


def test_no_documents_fetches_none(site, tmp_path):
    r = run(site, tmp_path / "m", "--committee", "144", "--no-documents")
    assert r.exit_code == 0, r.output
    assert not any("mgConvert2PDF" in x.path for x in site.log)
    assert not (tmp_path / "m" / "documents").exists()


def test_a_document_over_the_size_limit_or_missing_fails_alone(site, tmp_path):
    site.files.pop("/mgConvert2PDF.aspx?ID=60860")
    r = run(site, tmp_path / "m", "--committee", "144")
    assert r.exit_code == 1
    assert "documents: 1 new, 0 changed, 0 unchanged, 1 failed" in r.output
    assert f"{site.base}/mgConvert2PDF.aspx?ID=60860: not found (HTTP 404)" in r.output
    assert "meetings: 2 new" in r.output
    [missing] = [
        d for d in read_file(tmp_path / "m" / AGENDA_HELD).document.documents if "60860" in d.url
    ]
    assert (missing.note, missing.file, missing.sha256) == (
        "not downloaded (not found (HTTP 404))",
        None,
        None,
    )


def test_a_meeting_file_that_is_a_symbolic_link_is_never_followed(site, tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    target = tmp_path / "elsewhere.md"
    target.write_text("not yours\n")
    (out / MINUTES_HELD).symlink_to(target)
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert target.read_text() == "not yours\n"
    assert (out / MINUTES_HELD).is_symlink()
    assert (out / (MINUTES_HELD + ".new")).is_file()


@pytest.mark.parametrize("name", ["documents", ".tuibrowser-sync.json"])
def test_a_link_planted_as_the_documents_folder_or_the_state_is_not_followed(site, tmp_path, name):
    out = tmp_path / "m"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep").write_text("x")
    (out / name).symlink_to(elsewhere if name == "documents" else elsewhere / "keep")
    r = run(site, out, "--committee", "144")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep"]
    assert (elsewhere / "keep").read_text() == "x"
    if name == "documents":
        assert r.exit_code == 1 and "is not a folder (a link or a file has its name)" in r.output
    else:  # the link is read as no state, and replaced by the state itself
        assert r.exit_code == 0, r.output
        assert not (out / name).is_symlink()


def test_two_syncs_into_one_folder_do_not_run_at_once(site, tmp_path):
    from filelock import FileLock

    out = tmp_path / "m"
    out.mkdir()
    with FileLock(str(out / ".tuibrowser-sync.lock")):
        r = run(site, out, "--committee", "144")
    assert r.exit_code == 1 and "another sync is writing to this folder" in r.output
    assert not list(out.glob("*.md"))


def test_requests_are_spaced_by_the_rate(site):
    from tuibrowser.sync.client import Client

    site.files["/x"] = (200, "text/plain", b"x", {})
    with Client(rate=10) as c:
        for _ in range(5):
            c.get(site.base + "/x")
    stamps = [x.at for x in site.log]
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    # 10 a second: started a tenth of a second apart (a first connection's set-up may eat
    # into one gap; unlimited, they would be a millisecond apart)
    assert min(gaps) >= 0.05 and stamps[-1] - stamps[0] >= 0.35


@pytest.mark.parametrize(
    "value, expected",
    [
        ("7", 7.0),
        ("9999", 120.0),  # capped
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: at once
        ("soon", None),  # unreadable: the backoff's own wait
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(value, expected):
    from tuibrowser.sync.client import _retry_after

    assert _retry_after(value, 120.0) == expected


def test_two_meetings_of_one_committee_on_one_day_get_two_files(site, tmp_path):
    site.meetings[144].append((4968, "10/02/2026", "Confirmed"))
    site.meeting[4968] = site.meeting[4967].replace(b"10.00 am", b"2.00 pm")
    out = tmp_path / "m"
    r = run(site, out, "--committee", "144", "--no-documents")
    assert r.exit_code == 0, r.output
    assert (out / "2026-02-10-audit-committee-agenda-4968.md").exists()
    assert (out / AGENDA_HELD).exists()
    # and a second run keeps each meeting to its own files
    r = run(site, out, "--committee", "144", "--no-documents")
    assert "meetings: 0 new, 0 changed, 3 unchanged, 0 failed" in r.output


async def test_the_browser_shows_a_synced_meeting_with_items_minutes_and_attendees(
    site, tmp_path, make_app
):
    from tuihelp import ready, screen_text, table_rows

    from tuibrowser.tui.screens.meeting import MeetingScreen

    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    app = make_app(out)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        app.open_meeting("2026-02-10-audit-committee")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        items = table_rows(app.screen.query_one("#items"))
        assert [r[0] for r in items] == ["1", "2", "3"]
        assert "CONFIDENTIAL" in items[2][2]
        people = " ".join(" ".join(r) for r in table_rows(app.screen.query_one("#attendance")))
        assert "Councillor Ada Lovelace" in people and "Jane Auditor" in people
        assert "Documents agenda, minutes; 2 linked documents — press o to list" in screen_text(app)


async def test_the_browser_lists_a_synced_meetings_documents_with_titles_and_sizes(
    site, tmp_path, make_app
):
    import hashlib

    from mg_site import PACK_PDF
    from tuihelp import ready, screen_text, table_rows

    from tuibrowser.tui.screens.linked import LinkedScreen
    from tuibrowser.tui.screens.meeting import MeetingScreen

    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    [minutes_pdf] = (out / "documents").glob("60860-*.pdf")
    minutes_size = minutes_pdf.stat().st_size
    app = make_app(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        app.open_meeting("2026-02-10-audit-committee")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, LinkedScreen)
        rows = table_rows(app.screen.query_one("#linked"))
        assert [(r[0], r[1]) for r in rows] == [
            ("Minutes Audit Committee 25 Nov 2025", f"{minutes_size:,} bytes"),
            ("Internal Audit Progress Report February 2026", f"{len(PACK_PDF):,} bytes"),
        ]
        assert rows[1][2].startswith("60909-")  # the file's name, cut to the room left
        shown = screen_text(app)
        # titles and sizes fit at 80 columns; the row under the cursor has its file and URL
        # in full below the list
        assert "Internal Audit Progress Report February 2026" in shown
        assert f"{len(PACK_PDF):,} bytes" in shown
        assert f"URL {site.base}/mgConvert2PDF.aspx?ID=60860" in shown
        await pilot.press("down")
        await pilot.pause()
        shown = screen_text(app)
        assert "File documents/60909-internal-audit-progress-report-february-2026.pdf" in shown
        assert f"SHA-256 {hashlib.sha256(PACK_PDF).hexdigest()}" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


def test_a_terminal_gets_a_progress_bar_and_a_pipe_plain_lines(site, tmp_path):
    import pexpect

    exe = str(Path(sys.executable).parent / "tuibrowser")
    args = ["sync", site.base, "--committee", "144", "--rate", "200", *WINDOW]
    child = pexpect.spawn(
        exe,
        [*args, "--out", str(tmp_path / "tty")],
        encoding="utf-8",
        timeout=60,
        dimensions=(24, 100),
    )
    child.expect(pexpect.EOF)
    child.close()
    shown = child.before
    assert child.exitstatus == 0, shown
    assert "2/2" in shown and "━" in shown  # rich's bar, with done/total
    assert "[1/2]" not in shown  # no plain lines on a terminal
    assert "meetings: 2 new, 0 changed, 0 unchanged, 0 failed" in shown
    piped = subprocess.run(
        [exe, *args, "--out", str(tmp_path / "pipe")], capture_output=True, text=True, timeout=60
    )
    assert piped.returncode == 0, piped.stderr
    assert "[1/2] 2026-01-13 Audit Committee (meeting 4966): new" in piped.stdout
    assert "━" not in piped.stdout + piped.stderr


def test_a_link_to_another_host_is_listed_not_fetched(site, tmp_path):
    other = site.base.replace("127.0.0.1", "localhost")  # the same server, by another name
    site.files["/elsewhere.pdf"] = (200, "application/pdf", b"%PDF-1.4 never fetched", {})
    extra = (
        "<linkeddoc><attachmentid>1</attachmentid><title>Elsewhere</title>"
        f"<url>{other}/elsewhere.pdf</url><isrestricted>False</isrestricted></linkeddoc>"
    )
    site.meeting[4967] = site.meeting[4967].replace(
        b"</linkeddocuments>", extra.encode() + b"</linkeddocuments>", 1
    )
    r = run(site, tmp_path / "m", "--committee", "144")
    assert r.exit_code == 0, r.output
    assert not [x for x in site.log if x.path == "/elsewhere.pdf"]
    [elsewhere] = [
        d
        for d in read_file(tmp_path / "m" / AGENDA_HELD).document.documents
        if d.title == "Elsewhere"
    ]
    assert (elsewhere.url, elsewhere.file, elsewhere.size, elsewhere.sha256, elsewhere.note) == (
        f"{other}/elsewhere.pdf",
        None,
        None,
        None,
        "on another site, not downloaded",
    )


def test_a_restricted_document_is_recorded_with_title_and_url_and_not_fetched(site, tmp_path):
    site.files["/secret.pdf"] = (200, "application/pdf", b"%PDF-1.4 never fetched", {})
    extra = (
        "<linkeddoc><attachmentid>2</attachmentid><title>Exempt appendix</title>"
        f"<url>{site.base}/secret.pdf</url><isrestricted>True</isrestricted></linkeddoc>"
    )
    # linked by item 3, the restricted (confidential) one
    head, tail = site.meeting[4967].rsplit(b"</linkeddocuments>", 1)
    site.meeting[4967] = head + extra.encode() + b"</linkeddocuments>" + tail
    out = tmp_path / "m"
    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert not [x for x in site.log if x.path == "/secret.pdf"]
    parsed = read_file(out / AGENDA_HELD)
    assert parsed.problems == []
    [secret] = [d for d in parsed.document.documents if d.title == "Exempt appendix"]
    assert (secret.url, secret.file, secret.size, secret.sha256, secret.note) == (
        f"{site.base}/secret.pdf",
        None,
        None,
        None,
        "restricted, not downloaded",
    )
    assert secret.item == "3"
    assert not any("Exempt" in p.name for p in (out / "documents").iterdir())
    # --public withholds it with its confidential item; the others stay
    for public, shown in ((False, True), (True, False)):
        args = ["export", str(out), "--no-cache", *(["--public"] if public else [])]
        exported = CliRunner().invoke(cli, args)
        assert exported.exit_code == 0, exported.output
        assert ("Exempt appendix" in exported.output) is shown
        assert "Internal Audit Progress Report February 2026" in exported.output


def test_a_redirect_to_another_host_is_not_followed(site, tmp_path):
    other = site.base.replace("127.0.0.1", "localhost")
    site.files["/mgConvert2PDF.aspx?ID=60909"] = (
        302,
        "text/plain",
        b"",
        {"Location": f"{other}/internal-only"},
    )
    r = run(site, tmp_path / "m", "--committee", "144")
    assert r.exit_code == 1
    assert (
        f"{site.base}/mgConvert2PDF.aspx?ID=60909: redirected to localhost, not the site's "
        "127.0.0.1: not fetched"
    ) in r.output
    assert not [x for x in site.log if x.path == "/internal-only"]


def test_a_killed_runs_temporary_files_are_removed_and_nothing_else(site, tmp_path):
    out = tmp_path / "m"
    (out / "documents").mkdir(parents=True)
    ours = [
        out / f".{MINUTES_HELD}.k2j4_9xa.tmp",
        out / f".{MINUTES_HELD}.new.abcdefgh.tmp",
        out / ".tuibrowser-sync.json.q1w2e3r4.tmp",
        out / "documents" / ".60909-report.pdf.zzzzzzzz.tmp",
        out / "documents" / ".60909-report.pdf.txt.yyyyyyyy.tmp",
    ]
    for p in ours:
        p.write_text("half")
    kept = [out / "notes.tmp", out / ".my.draft.tmp", out / "documents" / "mine.tmp"]
    for p in kept:
        p.write_text("mine")
    (out / f".{AGENDA_HELD}.linklink.tmp").symlink_to(tmp_path / "target")
    assert run(site, out, "--committee", "144").exit_code == 0
    assert not any(p.exists() for p in ours)
    assert all(p.read_text() == "mine" for p in kept)
    assert (out / f".{AGENDA_HELD}.linklink.tmp").is_symlink()  # not a file of ours


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)))
def test_the_default_window_is_whole_months_a_year_back_and_three_ahead(today):
    start, end = default_window(today)
    assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    assert 334 <= (today - start).days <= 396 and 89 <= (end - today).days <= 123
    # the same window all month long: the GetMeetings addresses keep their validators
    assert default_window(today.replace(day=1)) == (start, end)


def test_a_window_no_longer_asked_is_dropped_from_the_state(site, tmp_path):
    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    args = ["sync", site.base, "--out", str(out), "--committee", "144"]
    moved = [*args, "--from", "2025-04-01", "--to", "2026-06-30"]
    assert CliRunner().invoke(cli, moved).exit_code == 0
    listings = json.loads((out / ".tuibrowser-sync.json").read_text())["listings"]
    meetings = [u for u in listings if "GetMeetings" in u]
    assert len(meetings) == 2 and all("sFromDate=01%2F03%2F2025" not in u for u in meetings)


def test_document_warnings_name_the_document_and_an_unchanged_run_reads_no_pdf(site, tmp_path):
    out = tmp_path / "m"
    first = run(site, out, "--committee", "144")
    pack_url = f"{site.base}/mgConvert2PDF.aspx?ID=60909"
    assert f"warning: {pack_url}: KPI table:" in first.output
    second = run(site, out, "--committee", "144")
    assert second.exit_code == 0 and "KPI table" not in second.output


def test_a_meeting_the_reader_cannot_read_fails_alone(site, tmp_path):
    site.meeting[4966] = site.meeting[4966].replace(
        b"13/01/2026</meetingdate>", b"31/02/2026</meetingdate>", 1
    )
    r = run(site, tmp_path / "m", "--committee", "144")
    assert r.exit_code == 1
    assert "meetings: 1 new, 0 changed, 0 unchanged, 1 failed" in r.output
    assert "lMeetingId=4966: meetingdate '31/02/2026' is not a date dd/mm/yyyy" in r.output


@pytest.mark.parametrize(
    "dates, message",
    [
        (["--from", "1/2/2026"], "'1/2/2026' is not a date YYYY-MM-DD"),
        (["--to", "2026-02-30"], "'2026-02-30' is not a date YYYY-MM-DD"),
        (["--from", "2026-03-01", "--to", "2026-02-01"], "--from is after --to"),
    ],
)
def test_bad_dates_are_a_usage_error_before_anything_is_asked(site, tmp_path, dates, message):
    r = CliRunner().invoke(cli, ["sync", site.base, "--out", str(tmp_path / "m"), *dates])
    assert r.exit_code == 2 and message in r.output
    assert site.log == []


def test_a_mirror_written_with_a_documents_section_is_rewritten_once_with_the_key(site, tmp_path):
    import hashlib

    from tuibrowser.sync.state import STATE_NAME

    out = tmp_path / "m"
    assert run(site, out, "--committee", "144").exit_code == 0
    # as an earlier sync left it: the documents in a section, the state without a layout
    agenda = out / AGENDA_HELD
    text = agenda.read_text()
    head, body = text.split("\n---\n", 1)
    old_head = head.split("\ndocuments:\n")[0] + "\nnotes:\n" + head.split("\nnotes:\n")[1]
    old = old_head + "\n---\n" + body + "\n## Documents\n\n- Minutes: documents/…\n"
    agenda.write_text(old)
    state_path = out / STATE_NAME
    state = json.loads(state_path.read_text())
    state["files"][AGENDA_HELD].append(hashlib.sha256(old.encode()).hexdigest())
    for entry in state["meetings"].values():
        del entry["layout"]
    state_path.write_text(json.dumps(state))
    assert read_file(agenda).document.documents == []

    r = run(site, out, "--committee", "144")
    assert r.exit_code == 0, r.output
    assert agenda.read_text() == text  # written again, as sync writes it now
    assert not (out / f"{AGENDA_HELD}.new").exists()
    assert "documents: 0 new, 0 changed, 2 unchanged, 0 failed" in r.output
    # and from then on the site is asked conditionally, as before
    r = run(site, out, "--committee", "144")
    assert "meetings: 0 new, 0 changed, 2 unchanged, 0 failed" in r.output
