"""``--public`` withholds a confidential item's text where its meeting repeats it elsewhere.

A contents table, a section, another item, a note or another document of the meeting may
repeat the title or a sentence of a withheld item: the line that does is dropped, and told
("(1 line withheld: it repeats a confidential item)"). Text that is not a confidential
item's stays.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.cli import cli
from tuibrowser.library import build, withhold
from tuibrowser.model import Document
from tuibrowser.records import parse_text, read_folder
from tuibrowser.repeats import told
from tuibrowser.store import Cache, cache_file_for

BUNDLED = Path(__file__).resolve().parents[2] / "meetings"
DAY = "2018-05-24"
# The text of the bundled confidential item 8 of 2018-05-24 (its title, the agenda's sentence,
# a sentence of its minute), each repeated outside the item in that meeting's files.
BUNDLED_SECRETS = (
    "Digital Declaration",
    "presentation by Paul Maltby the Digital Director",
    "Paul began with giving a brief overview of his role",
)

SECRET = "The Quetzal grant was awarded to the Harbour Trust for three years."
TITLE = "Harbour Trust grant award"
KEEP = "The Chairman welcomed Members to the Board."
COMMON = "the Harbour Trust"  # a short phrase of the item, quoted by a public item: it stays

AGENDA = f"""---
board: Audit Board
date: "2022-03-01"
kind: agenda
notes:
  - "{{note}}"
---
## Contents

| | Item | Page |
|---|---|---|
| 1. | Welcome | 1 |
| 2. | Open report | 2 |
{{rows}}
After the table.

{{section}}

## 2. Open report

{KEEP}

A public word on {COMMON} and its work.

{{minute}}

### Decisions

- Noted.
{{decision}}

## 8. {TITLE} {{{{confidential}}}}

{SECRET}
"""
MINUTES = """---
board: Audit Board
date: "2022-03-01"
kind: minutes
---
## Summary of the meeting

Members met.
{other}
"""
OTHER_MEETING = f"""---
board: Audit Board
date: "2022-04-05"
kind: minutes
---
## 1. Another meeting

{SECRET}
"""
PART2 = "| | Part 2: Exempt | |\n| 8. | An item listed | 3 |\n| | Its summary line. | |\n"
# name → where the agenda (and minutes) put a repeat of item 8's text
CASES: dict[str, dict[str, str]] = {
    "a sentence in another section": {"section": f"## Background\n\nAs said: {SECRET}"},
    "the sentence, other case and spacing": {
        "section": "## Background\n\n" + "  ".join(SECRET.upper().split())
    },
    "a contents table row": {"rows": f"| 8. | {TITLE} | 3 |\n| | {SECRET} | |\n"},
    "rows after a Part 2 divider": {"rows": PART2},
    "another item's minute": {"minute": f"Members recalled: {SECRET}"},
    "another item's decision": {"decision": f"- {SECRET}"},
    "the title in a note": {"note": f"Item 8 ({TITLE}) was taken first."},
    "another document of the meeting": {"other": f"\n{SECRET}\n"},
}
SHOWN_MARKERS = ("Part 2: Exempt", "An item listed", "Its summary line", "Harbour Trust grant")


def documents(**parts: str) -> list[Document]:
    fill = dict.fromkeys(("note", "rows", "section", "minute", "decision", "other"), "")
    fill |= {"note": "Nothing to note."} | parts
    texts = {
        "2022-03-01-audit-board-agenda.md": AGENDA.format(**fill),
        "2022-03-01-audit-board-minutes.md": MINUTES.format(**fill),
        "2022-04-05-audit-board-minutes.md": OTHER_MEETING,
    }
    out = []
    for label, text in texts.items():
        doc = parse_text(text, label).document
        assert doc is not None, label
        out.append(doc)
    return out


def shown(docs: list[Document]) -> str:
    """Every field of the meeting of 2022-03-01 as public mode has it."""
    return orjson.dumps([d.to_dict() for d in docs if d.date == "2022-03-01"]).decode()


@pytest.mark.parametrize("parts", list(CASES.values()), ids=list(CASES))
def test_a_repeat_of_a_confidential_item_is_withheld_where_it_is(parts):
    docs = documents(**parts)
    before = shown(docs)
    assert SECRET in before or "Part 2" in before  # the case repeats something
    public = withhold(docs, []).documents
    text = shown(public)
    for secret in (SECRET, SECRET.upper(), "Quetzal", *SHOWN_MARKERS):
        assert secret.casefold() not in text.casefold(), secret
    assert "withheld: " in text  # told, not silent
    # the public record around it stays
    for kept in (KEEP, f"A public word on {COMMON}", "Open report", "After the table", "Noted."):
        assert kept in text, kept
    # another meeting is not this meeting's to redact
    assert SECRET in orjson.dumps([d.to_dict() for d in public if d.date == "2022-04-05"]).decode()


@pytest.mark.parametrize("parts", list(CASES.values()), ids=list(CASES))
def test_a_repeat_is_withheld_from_the_library_and_the_public_cache(parts, tmp_path, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "meetings"
    root.mkdir()
    # (the meeting's two files: another meeting's file holding the sentence is its own)
    for doc, text in list(zip(documents(**parts), texts(**parts), strict=True))[:2]:
        (root / doc.path).write_text(text, encoding="utf-8")
    parsed, problems = read_folder(root)
    lib = build([p.document for p in parsed if p.document], problems, public=True)
    (m,) = [m for m in lib.meetings if m.date == "2022-03-01"]
    assert "quetzal" not in orjson.dumps(m.to_dict()).decode().casefold()
    cached, _ = Cache(root, public=True).refresh()
    (c,) = [m for m in cached.meetings if m.date == "2022-03-01"]
    assert orjson.dumps(c.to_dict()) == orjson.dumps(m.to_dict())
    on_disk = _cache_bytes(root).decode(errors="replace").casefold()
    for secret in ("Quetzal", *SHOWN_MARKERS):
        assert secret.casefold() not in on_disk, secret


def texts(**parts: str) -> list[str]:
    fill = dict.fromkeys(("note", "rows", "section", "minute", "decision", "other"), "")
    fill |= {"note": "Nothing to note."} | parts
    return [AGENDA.format(**fill), MINUTES.format(**fill), OTHER_MEETING]


def _cache_bytes(root: Path) -> bytes:
    from cachefiles import cache_bytes

    return cache_bytes(cache_file_for(root, public=True))


@pytest.mark.parametrize(
    "line",
    [
        KEEP,  # not the item's
        f"Members thanked {COMMON}.",  # a phrase of the item shorter than the rule's length
        "Quetzal is a bird.",  # a word of the item
        "| 3. | Open report | 4 |",  # a row after no divider
    ],
)
def test_text_not_from_a_confidential_item_stays(line):
    docs = documents(section=f"## Background\n\n{line}")
    text = shown(withhold(docs, []).documents)
    assert line in text
    assert "withheld: " not in text


def test_the_told_line_counts_what_went():
    assert told(1) == "(1 line withheld: it repeats a confidential item)"
    assert told(3) == "(3 lines withheld: they repeat a confidential item)"


@pytest.fixture
def bundled(tmp_path, monkeypatch) -> Path:
    """The bundled meetings, in a folder of the test's own (their cache is the test's)."""
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUIBROWSER_PUBLIC", raising=False)
    root = tmp_path / "meetings"
    shutil.copytree(BUNDLED, root)
    return root


def invoke(*args: str, code: tuple[int, ...] = (0,)) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code in code, result.output
    return result.output


def test_the_bundled_confidential_item_is_nowhere_in_public_mode(bundled):
    r = str(bundled)
    parsed, problems = read_folder(bundled)
    lib = build([p.document for p in parsed if p.document], problems, public=True)
    (m,) = [m for m in lib.meetings if m.date == DAY]
    outputs = {"library": orjson.dumps([m.to_dict() for m in lib.meetings]).decode()}
    for fmt in ("json", "ics"):
        outputs[fmt] = invoke("export", "--public", "--format", fmt, r)
    for table in ("meetings", "items", "attendance", "kpis"):
        outputs[table] = invoke("export", "--public", "--format", "csv", "--table", table, r)
    for query in ("Maltby", "Declaration", "overview of his role"):
        found = invoke("search", "--public", "--json", query, r, code=(0, 1))
        outputs[f"search {query}"] = found.replace(f'"query": "{query}"', "")
    invoke("index", "--public", r)
    outputs["cache"] = _cache_bytes(bundled).decode(errors="replace")
    for where, text in outputs.items():
        for secret in BUNDLED_SECRETS:
            assert secret.casefold() not in text.casefold(), (where, secret)
    # what public mode shows instead: the contents table up to item 7, and a line that says
    # rows were withheld; item 1's minute (a public item) still records the speaker
    (contents,) = [s for s in m.sections if s.title.startswith("Agenda – Thursday 24 May")]
    assert "| 7. | Note of the Previous Meeting | 67 - 72 |" in contents.text
    assert told(3) in contents.text
    assert told(1) in m.notes
    item1 = m.item("1")
    assert item1 is not None and "Mr Maltby was attending the Board" in item1.minute
    # without --public the item and its repeats are all there
    private = invoke("export", r)
    assert "Digital Declaration" in private and "overview of his role" in private


WORDS = st.lists(st.sampled_from(["grant", "Trust", "harbour", "three", "years", "award", "the"]))


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9),
        min_size=5,  # at least 20 characters: the rule's length
        max_size=9,
    ),
    before=WORDS,
    after=WORDS,
    where=st.sampled_from(["section", "minute", "decision", "other"]),
)
def test_any_sentence_of_a_confidential_item_is_withheld_wherever_it_is_repeated(
    words, before, after, where
):
    sentence = "Zq " + " ".join(words) + "."  # (Zq: found nowhere else in the files)
    line = " ".join([*before, sentence, *after])
    parts = {
        "section": f"## Background\n\n{line}",
        "minute": f"Members recalled: {line}",
        "decision": f"- {line}",
        "other": f"\n{line}\n",
    }
    docs = documents(**{where: parts[where]})
    docs[0].items[-1].minute += f"\n\n{sentence}"  # the confidential item 8 says it
    assert docs[0].items[-1].number == "8"
    text = shown(withhold(docs, []).documents)
    assert "zq " not in text.casefold()
    assert KEEP in text and f"A public word on {COMMON}" in text
