"""``--public`` is redacted in one place, and a public cache is trusted only when it says so.

The library read from the files and the public cache's shard builder both withhold through
one function, ``library.withhold``; loading a public cache does not redact again. So a public
cache's index and each of its shards carry a stamp, the version of the rules they were
redacted under (``base.REDACTION``), and a part without it, or with another, is not read:
the cache is built again from the files (fails closed).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import orjson
import pytest
from cachefiles import cache_bytes, part_bytes

from tuibrowser import library
from tuibrowser.base import REDACTION
from tuibrowser.export import to_data, to_json
from tuibrowser.store import Cache, load_library, read_files
from tuibrowser.store.layout import NOT_REDACTED

SECRET = "Quokka-tender"
FORGED = "Wombat-forgery"
DATE = "2022-03-01"
AGENDA = f"""---
board: Audit Board
date: "{DATE}"
kind: agenda
kpis:
  - code: K1
    rating: green
    item: "2"
  - code: K8
    delivered: {SECRET} savings
    rating: red
    item: "8"
---
## 2. Open report

Everyone may read this.

## 8. Contract award {{confidential}}

The {SECRET} bid.
"""
MINUTES = f"""---
board: Audit Board
date: "{DATE}"
kind: minutes
---
## 2. Open report

Noted.

## 8. Contract award{{attribute}}

Members discussed the {SECRET} bid.
"""
OTHER = """---
board: Audit Board
date: "2022-04-05"
---
## 1. Another meeting

Nothing to hide here.
"""
BROKEN = "---\nboard: [Audit\ndate: x\n---\n"

# name → the files beside the agenda, minutes and another meeting
FOLDERS: dict[str, dict[str, str]] = {
    "marked in the agenda": {},
    "a warning in the item": {
        "minutes": MINUTES.replace("{attribute}", f" {{confidential {SECRET}}}")
    },
    "a broken file of the meeting's date": {f"{DATE}-audit-board-notes.md": BROKEN},
    "a broken file whose name gives no date": {"notes.md": BROKEN},
}


def write(root: Path, extra: dict[str, str] | None = None) -> Path:
    """The meetings folder: item 8 of the 2022-03-01 meeting is confidential (the agenda marks
    it, the minutes do not), with a KPI row under it; another meeting has nothing to hide."""
    extra = dict(extra or {})
    root.mkdir(parents=True, exist_ok=True)
    files = {
        f"{DATE}-audit-board-agenda.md": AGENDA,
        f"{DATE}-audit-board-minutes.md": extra.pop("minutes", MINUTES.replace("{attribute}", "")),
        "2022-04-05-audit-board-minutes.md": OTHER,
        **extra,
    }
    for name, text in files.items():
        path = root / name
        path.write_text(text, encoding="utf-8")
        old = time.time() - 60  # not "racy": an unchanged file is taken as unchanged
        os.utime(path, (old, old))
    return root


@pytest.fixture
def root(tmp_path) -> Path:
    return write(tmp_path / "meetings")


def shard_files(cache: Cache) -> list[Path]:
    """The files of the cache's shards' documents (``2022-03-1-<token>.json``)."""
    return [p for p in cache.paths() if re.fullmatch(r"\d{4}-\d\d-[12]-[0-9a-f]{8}\.json", p.name)]


def shard_of(cache: Cache, half: str) -> Path:
    (found,) = [p for p in shard_files(cache) if p.name.startswith(half)]
    return found


def shown(lib) -> str:
    """Everything the library shows, as the JSON export writes it."""
    return to_json(lib)


# -- one function --------------------------------------------------------------------------


def test_the_files_and_the_public_cache_redact_through_one_function(root, cache_path, monkeypatch):
    calls: list[tuple[str, list[str]]] = []
    real = library.withhold
    where = "files"

    def spy(documents, problems, *args, **kwargs):
        calls.append((where, sorted(d.path for d in documents)))
        return real(documents, problems, *args, **kwargs)

    monkeypatch.setattr(library, "withhold", spy)
    lib, _ = read_files(root, public=True)
    assert SECRET not in shown(lib)
    where = "shards"
    cache = Cache(root, cache_path, public=True)
    cache.update()
    where = "load"
    loaded = cache.load()
    assert loaded is not None and SECRET not in shown(loaded)
    meeting = [f"{DATE}-audit-board-agenda.md", f"{DATE}-audit-board-minutes.md"]
    # the files path once over every document; the cache once per shard written (each with
    # every document of its meetings); loading the cache not at all
    assert ("files", sorted([*meeting, "2022-04-05-audit-board-minutes.md"])) in calls
    assert ("shards", meeting) in calls
    assert ("shards", ["2022-04-05-audit-board-minutes.md"]) in calls
    assert [w for w, _ in calls] == ["files", "shards", "shards"]
    assert to_data(loaded) == to_data(lib)


@pytest.mark.parametrize("folder", list(FOLDERS))
def test_the_public_cache_shows_what_the_files_show_without_a_second_redaction(
    folder, tmp_path, cache_path, monkeypatch
):
    root = write(tmp_path / "meetings", FOLDERS[folder])
    files, _ = read_files(root, public=True)
    cache = Cache(root, cache_path, public=True)
    cache.update()
    monkeypatch.setattr(library, "withhold", lambda *a, **k: pytest.fail("redacted again"))
    loaded = cache.load()
    assert loaded is not None
    assert to_data(loaded) == to_data(files)
    assert SECRET not in shown(loaded) and SECRET.encode() not in cache_bytes(cache.path)
    # without --public the item is there (so the comparison above could fail)
    assert SECRET in shown(read_files(root)[0])


# -- the stamp -----------------------------------------------------------------------------


def forge(shard: Path, tables: dict, stamp: object) -> None:
    """Replace a shard's content (the same file: its owner and mode unchanged) with
    ``tables``, and its stamp with ``stamp`` (``"none"``: no stamp table at all)."""
    tables = {k: v for k, v in tables.items() if k != "meta"}
    if stamp != "none":
        tables["meta"] = stamp
    shard.write_bytes(orjson.dumps(tables))


STAMPS = {
    "no stamp": "none",
    "an empty stamp table": {},
    "an older version": {"1": {"redacted": REDACTION - 1}},
    "a newer version": {"1": {"redacted": REDACTION + 1}},
    "the version as text": {"1": {"redacted": str(REDACTION)}},
    "no version": {"1": {}},
}


def private_shard_tables(root: Path, tmp_path: Path) -> dict:
    """The tables of the shard of 2022-03-01 as a cache without ``--public`` writes it: item
    8 and its text in it."""
    private = Cache(root, tmp_path / "private" / "c.json")
    private.update()
    tables = orjson.loads(part_bytes(shard_of(private, "2022-03-1")))
    assert SECRET.encode() in orjson.dumps(tables)
    return tables


RIGHT = {"1": {"redacted": REDACTION}}
# each wrong stamp, and the control: the right one, with which the forgery is shown
CASES = {**STAMPS, "control": RIGHT}


@pytest.mark.parametrize("stamp", list(CASES.values()), ids=list(CASES))
def test_a_public_shard_without_the_stamp_is_not_trusted(stamp, root, tmp_path, cache_path):
    cache = Cache(root, cache_path, public=True)
    cache.update()
    # A shard not written by the one redaction: what a cache without --public holds.
    forge(shard_of(cache, "2022-03-1"), private_shard_tables(root, tmp_path), stamp)
    lib, report = load_library(Cache(root, cache_path, public=True))
    if stamp is RIGHT:
        # a shard that says it was redacted is read as it is, not redacted again
        assert SECRET in shown(lib) and report.rebuilt is None
        return
    assert SECRET not in shown(lib)
    assert report.rebuilt == NOT_REDACTED
    assert SECRET.encode() not in cache_bytes(cache_path)  # built again from the files
    assert f"{DATE}-audit-board-minutes.md" in report.read


def forged_tables(shard: Path) -> dict:
    """The shard's tables with FORGED at the end of every item's minute."""
    tables = orjson.loads(part_bytes(shard))
    for entry in tables["documents"].values():
        for item in entry["document"]["items"]:
            item["minute"] += f" {FORGED}"
    return tables


@pytest.mark.parametrize("stamp", list(CASES.values()), ids=list(CASES))
def test_a_meetings_texts_are_not_read_from_a_shard_without_the_stamp(stamp, root, cache_path):
    cache = Cache(root, cache_path, public=True)
    cache.update()
    lib = cache.load(texts=False)  # as the browser loads a big cache: texts when asked
    assert lib is not None
    shard = shard_of(cache, "2022-03-1")
    forge(shard, forged_tables(shard), stamp)
    item = lib.item(f"{DATE}-audit-board", "2")
    if stamp is RIGHT:
        assert item is not None and FORGED in item.minute
    else:
        assert item is None  # the meeting's texts cannot be read: gone, not forged


@pytest.mark.parametrize("stamp", [None, REDACTION - 1, REDACTION + 1, str(REDACTION), "gone"])
def test_a_public_index_without_the_stamp_is_not_trusted(stamp, root, cache_path):
    cache = Cache(root, cache_path, public=True)
    cache.update()
    data = orjson.loads(cache_path.read_bytes())
    if stamp == "gone":
        del data["meta"]["1"]["redacted"]
    else:
        data["meta"]["1"]["redacted"] = stamp
    cache_path.write_bytes(orjson.dumps(data))
    assert cache.head() is None  # the first frame does not show its first page
    assert cache.rows() is None
    lib, report = load_library(Cache(root, cache_path, public=True))
    assert report.rebuilt == NOT_REDACTED
    assert SECRET not in shown(lib) and cache.head() is not None


@pytest.mark.parametrize("stamp", list(CASES.values()), ids=list(CASES))
def test_a_refresh_keeps_no_document_of_a_shard_without_the_stamp(stamp, root, cache_path):
    # another meeting in the same shard (the first half of March)
    minutes = root / "2022-03-07-audit-board-minutes.md"
    minutes.write_text(OTHER.replace("2022-04-05", "2022-03-07"), encoding="utf-8")
    old = time.time() - 60
    os.utime(minutes, (old, old))
    cache = Cache(root, cache_path, public=True)
    cache.update()
    shard = shard_of(cache, "2022-03-1")
    forge(shard, forged_tables(shard), stamp)
    # another file of the shard changes (of another meeting: a document of the agenda's own
    # meeting would have the agenda read again, for the text of its withheld item): the shard
    # is written again, its other documents taken from its old file when it says it was
    # redacted, else read again from the files
    minutes.write_text(minutes.read_text("utf-8") + "\nEdited.\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(minutes, (later, later))
    report = cache.update()
    agenda = f"{DATE}-audit-board-agenda.md"
    lib = cache.load()
    assert lib is not None and SECRET not in shown(lib)
    if stamp is RIGHT:
        assert agenda not in report.read and FORGED in shown(lib)
    else:
        assert agenda in report.read
        assert FORGED not in shown(lib) and FORGED.encode() not in cache_bytes(cache_path)


def test_a_refresh_withholds_a_new_repeat_of_an_item_its_cache_holds_redacted(root, cache_path):
    """The agenda is stored redacted (without item 8's text); the minutes, read anew, repeat
    that text under a public item: the agenda is read again, and the repeat withheld."""
    cache = Cache(root, cache_path, public=True)
    cache.update()
    minutes = root / f"{DATE}-audit-board-minutes.md"
    text = minutes.read_text("utf-8").replace("Noted.", f"Noted. The {SECRET} bid.")
    minutes.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(minutes, (later, later))
    report = cache.update()
    assert f"{DATE}-audit-board-agenda.md" in report.read
    lib = cache.load()
    assert lib is not None and SECRET not in shown(lib)
    assert "withheld: it repeats a confidential item" in shown_sections(lib)
    assert SECRET.encode() not in cache_bytes(cache_path)
    assert SECRET.lower().encode() not in cache_bytes(cache_path)


def shown_sections(lib) -> str:
    return orjson.dumps([m.to_dict() for m in lib.meetings]).decode()
