"""The frontmatter key ``documents`` (a meeting's linked documents): checked where the file is
read, merged per meeting, written back, cached and exported."""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tuibrowser import linkeddocs
from tuibrowser.cli import cli
from tuibrowser.export import to_data
from tuibrowser.library import build
from tuibrowser.model import Document, LinkedDocument, Meeting
from tuibrowser.records import parse_text
from tuibrowser.store import Cache, open_library
from tuibrowser.writer import render

SHA = "0123456789abcdef" * 4
GOOD = f"""  - title: Public reports pack
    url: https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60909
    file: documents/60909-public-reports-pack.pdf
    size: 182331
    sha256: {SHA}
    kind: agenda pack
    item: "5"
"""


def meeting(documents: str, kind: str = "agenda", date: str = "2024-03-05") -> str:
    return f'---\nboard: Audit Committee\ndate: "{date}"\nkind: {kind}\ndocuments:\n{documents}---\n## 5. Budget\n\nText.\n'


def test_a_good_row_is_read_whole():
    parsed = parse_text(meeting(GOOD), "a.md")
    assert parsed.problems == []
    assert parsed.document.documents == [
        LinkedDocument(
            title="Public reports pack",
            url="https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60909",
            file="documents/60909-public-reports-pack.pdf",
            size=182331,
            sha256=SHA,
            kind="agenda pack",
            item="5",
        )
    ]


# (the field's YAML, the field left out, what the warning says)
BAD_FIELDS = [
    ("url: javascript:alert(1)", "url", "is not an http(s) address"),
    ("url: file:///etc/passwd", "url", "is not an http(s) address"),
    ("url: 'https://'", "url", "is not an http(s) address"),
    ("url: https://x.example/a b", "url", "is not an http(s) address"),
    ("url: 'https://[x/a.pdf'", "url", "is not an http(s) address"),
    ("url: 'https://:80/a.pdf'", "url", "is not an http(s) address"),
    ("file: ../../etc/passwd", "file", "is not a path inside the meetings folder"),
    ("file: documents/../../x.pdf", "file", "is not a path inside the meetings folder"),
    ("file: documents\\..\\..\\x.pdf", "file", "is not a path inside the meetings folder"),
    ("file: /etc/passwd", "file", "is an absolute path"),
    ("file: 'C:\\Windows\\x.pdf'", "file", "is an absolute path"),
    ("file: ~/x.pdf", "file", "is an absolute path"),
    ("file: [a, b]", "file", "must be text, not a list"),
    ("size: 1e30", "size", "is out of range"),
    ("size: 90071992547409910", "size", "is out of range"),
    ("size: " + "9" * 5000, "size", "is out of range"),
    ("size: -1", "size", "must be a whole number of bytes"),
    ("size: 1.5", "size", "must be a whole number of bytes"),
    ("size: big", "size", "must be a number of bytes"),
    ("size: true", "size", "must be a number of bytes"),
    ("sha256: abc", "sha256", "is not a SHA-256 (64 hex digits)"),
    (f"sha256: {'g' * 64}", "sha256", "is not a SHA-256 (64 hex digits)"),
    (f"sha256: {SHA}0", "sha256", "is not a SHA-256 (64 hex digits)"),
    ("kind: spreadsheet", "kind", "is not one of agenda pack, report, minutes, other"),
    ("item: " + "1" * 40, "item", "the limit is 32"),
    ("colour: red", "colour", "is not a known field"),
]


@pytest.mark.parametrize(("line", "name", "says"), BAD_FIELDS, ids=[c[0][:30] for c in BAD_FIELDS])
def test_a_bad_field_is_a_warning_with_its_line_and_is_left_out(line, name, says):
    others = "".join(
        f"    {f}\n" for f in ("url: https://x.example/p.pdf", "size: 10") if not f.startswith(name)
    )
    rows = f"  - title: Pack\n    {line}\n{others}"
    parsed = parse_text(meeting(rows), "m/a.md")
    assert parsed.ok, parsed.problems  # the file is still read
    [problem] = parsed.problems
    assert (problem.path, problem.line, problem.severity) == ("m/a.md", 7, "warning")
    assert problem.message.startswith(f"documents[1].{name} ")
    assert says in problem.message and problem.message.endswith(": left out")
    [doc] = parsed.document.documents
    assert doc.title == "Pack" and getattr(doc, name, None) is None
    assert parsed.document.items[0].title == "Budget"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("hello", "documents must be a list of documents, not text"),
        ("{title: Pack}", "documents must be a list of documents, not a mapping"),
        ("42", "documents must be a list of documents, not a number"),
    ],
)
def test_documents_that_are_not_a_list_are_a_warning_and_the_file_is_read(value, says):
    text = f'---\nboard: B\ndate: "2024-03-05"\ndocuments: {value}\n---\n## 1. One\n'
    parsed = parse_text(text, "a.md")
    assert parsed.ok
    assert [(p.line, p.severity, p.message) for p in parsed.problems] == [
        (4, "warning", f"{says}: left out")
    ]
    assert parsed.document.documents == []


def test_a_row_that_is_not_a_mapping_or_has_no_title_is_left_out_with_its_line():
    rows = "  - just text\n  - url: https://x.example/a.pdf\n" + GOOD
    parsed = parse_text(meeting(rows), "a.md")
    assert parsed.ok
    assert [(p.line, p.message) for p in parsed.problems] == [
        (6, "documents[1] must be a mapping (title, url, file, …), not text: left out"),
        (7, "documents[2] has no title: left out"),
    ]
    assert [d.title for d in parsed.document.documents] == ["Public reports pack"]


def kept(field: str, value: object) -> tuple[object, list[str]]:
    said: list[str] = []
    docs = linkeddocs.read([{"title": "T", field: value}], lambda m, p: said.append(m))
    return getattr(docs[0], field), said


@given(st.text(max_size=40))
def test_a_file_kept_is_always_a_relative_path_inside_the_folder(value):
    file, said = kept("file", value)
    if file is not None:
        for path in (PurePosixPath(file), PureWindowsPath(file)):
            assert not path.is_absolute() and not path.drive and not path.root
            assert ".." not in path.parts
        assert not file.startswith("~") and not any(ord(c) < 32 for c in file)
        assert said == []
    else:
        assert value.strip() == "" or len(said) == 1


@given(st.text(max_size=40) | st.from_regex(r"\A(https?|javascript|file|HTTP)://.{0,20}\Z"))
def test_a_url_kept_is_always_http_or_https(value):
    url, said = kept("url", value)
    if url is not None:
        assert url.lower().startswith(("http://", "https://")) and urlsplit(url).netloc
        assert not any(c.isspace() or ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in url)
        assert said == []
    else:
        assert value.strip() == "" or len(said) == 1


def test_the_writer_writes_the_key_and_it_reads_back_the_same():
    doc = parse_text(
        meeting(GOOD + "  - title: Exempt appendix\n    note: restricted, not downloaded\n"), "a.md"
    ).document
    text = render(doc)
    assert "documents:\n" in text
    back = parse_text(text, "a.md")
    assert back.problems == []
    assert back.document.documents == doc.documents
    # and a document without any is written without the key
    doc.documents = []
    assert "documents" not in render(doc)


def test_records_round_trip_through_dicts():
    doc = parse_text(meeting(GOOD), "a.md").document
    assert Document.from_dict(doc.to_dict()) == doc
    [m] = build([doc]).meetings
    assert Meeting.from_dict(m.to_dict()) == m and m.linked_documents == doc.documents


def test_a_meeting_lists_the_documents_of_its_files_once():
    other = "  - title: Minutes\n    url: https://x.example/m.pdf\n"
    same_hash = (
        f"  - title: Reports pack (copy)\n    url: https://x.example/copy.pdf\n    sha256: {SHA}\n"
    )
    same_url = "  - title: Minutes again\n    url: https://x.example/m.pdf\n"
    agenda = parse_text(meeting(GOOD + other), "a.md").document
    minutes = parse_text(meeting(same_hash + same_url, kind="minutes"), "m.md").document
    [m] = build([agenda, minutes]).meetings
    # minutes first, as a meeting merges its files; the agenda's two are the same documents
    # (one by its SHA-256, one by its URL)
    assert [d.title for d in m.linked_documents] == ["Reports pack (copy)", "Minutes again"]
    assert len(build([agenda]).meetings[0].linked_documents) == 2


def write_folder(root):
    root.mkdir()
    (root / "2024-03-05-audit-agenda.md").write_text(meeting(GOOD), encoding="utf-8")
    (root / "2024-04-05-audit-agenda.md").write_text(
        '---\nboard: Audit Committee\ndate: "2024-04-05"\n---\n## 1. One\n', encoding="utf-8"
    )
    return root


def test_the_json_export_has_each_meetings_linked_documents(tmp_path):
    root = write_folder(tmp_path / "m")
    r = CliRunner().invoke(cli, ["export", str(root), "--format", "json", "--no-cache"])
    assert r.exit_code == 0, r.output
    by_date = {m["date"]: m for m in json.loads(r.output)["meetings"]}
    assert by_date["2024-03-05"]["linked_documents"] == [
        {
            "title": "Public reports pack",
            "url": "https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60909",
            "file": "documents/60909-public-reports-pack.pdf",
            "size": 182331,
            "sha256": SHA,
            "kind": "agenda pack",
            "item": "5",
            "note": None,
        }
    ]
    assert by_date["2024-04-05"]["linked_documents"] == []
    # the files a meeting is made of keep their own key
    assert by_date["2024-03-05"]["documents"][0]["path"] == "2024-03-05-audit-agenda.md"


def test_the_cache_gives_the_linked_documents_the_files_give(tmp_path):
    root = write_folder(tmp_path / "m")
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.refresh()
    cached = cache.load()
    direct, _ = open_library(root, use_cache=False)
    assert to_data(cached) == to_data(direct)
    [m] = [m for m in cached.meetings if m.date == "2024-03-05"]
    assert [d.sha256 for d in m.linked_documents] == [SHA]


def test_public_leaves_out_a_document_of_a_confidential_item(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    text = meeting(GOOD + "  - title: Open paper\n").replace(
        "## 5. Budget", "## 5. Budget {confidential}"
    )
    (root / "a.md").write_text(text, encoding="utf-8")
    r = CliRunner().invoke(cli, ["export", str(root), "--public", "--no-cache"])
    assert r.exit_code == 0, r.output
    [m] = json.loads(r.output)["meetings"]
    assert [d["title"] for d in m["linked_documents"]] == ["Open paper"]
    assert "Public reports pack" not in r.output


async def test_the_browser_shows_titles_urls_and_notes_literally(tmp_path, make_app):
    from tuihelp import ready, screen_text, table_rows

    from tuibrowser.tui.screens.linked import LinkedScreen

    root = tmp_path / "m"
    root.mkdir()
    rows = (
        '  - title: "[bold red]Pack[/] \\e[31m"\n'
        "    url: https://x.example/[b]a[/b].pdf\n"
        '    note: "[link=https://evil.example]restricted[/link]"\n'
    )
    (root / "a.md").write_text(meeting(rows), encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        app.open_meeting("2024-03-05-audit-committee")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, LinkedScreen)
        [row] = table_rows(app.screen.query_one("#linked"))
        assert row[0] == "[bold red]Pack[/] \\x1b[31m"
        assert row[2].startswith("[link=https://evil.example]restri")
        shown = screen_text(app)
        assert "File [link=https://evil.example]restricted[/link]" in shown
        assert "URL https://x.example/[b]a[/b].pdf" in shown
        assert "\x1b" not in screen_text(app)
