"""A public cache's shard: its documents and its files' problems, through the one redaction.

What is withheld, and how, is :func:`tuibrowser.library.withhold`'s to say, as for the
library read from the files: this module hands it a shard's documents and the problems of its
files (with the marks the catalog keeps of documents stored already redacted, and the files
and folders of the shard's dates that could not be read), and puts what it gives back into
the catalog's entries. The shard is then written with the stamp :data:`.base.REDACTION`
(:func:`.shards.write_shard`), which the reader asks of every public shard it reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..base import RESTRICTED, shard_key
from .parse import parse_one

if TYPE_CHECKING:
    from ..library import Withheld
    from ..model import Document, Problem
    from .shards import ShardJob

FAILED = ("error", RESTRICTED)


def withhold_confidential(
    job: ShardJob,
    docs: dict[str, dict | Document],
    entries: dict[str, dict],
    read: list[str],
    misplaced: list[tuple[str, dict, dict]],
) -> dict[str, dict | Document]:
    """Public cache: the shard's documents as :func:`.library.withhold` leaves them, and its
    ``entries`` with their problems told as it tells them and what each file lost (every file
    of a meeting is in the same shard). A stored document that lacks an item no longer
    withheld is read again from its file (once), and the shard's documents redacted again."""
    from ..model import Document

    records = {k: d if isinstance(d, Document) else Document.from_dict(d) for k, d in docs.items()}
    found, done = _withhold(job, records, entries)
    stale = [k for k in records if not _still_withheld(entries[k], done.numbers.get(k, set()))]
    stale += [k for k in _sources(records) if k not in stale]
    if stale:
        for label in stale:
            # An item withheld because another file marked it is no longer marked, or the
            # text of an item it lacks is needed: the stored document lacks it, so read the
            # file again.
            _, entry, fresh = parse_one(str(Path(job.root) / label), label, as_record=True)
            entry["shard"] = shard_key(fresh.date) if fresh else None
            read.append(label)
            entries[label] = entry
            del records[label]
            if fresh is None:
                continue
            if entry["shard"] != job.shard:
                del entries[label]
                misplaced.append((label, entry, fresh.to_dict()))
                continue
            records[label] = fresh
        found, done = _withhold(job, records, entries)
    for label, lost in done.removed.items():
        if label in entries:
            entry = entries[label]
            entries[label] = dict(entry, withheld=sorted(set(entry.get("withheld") or ()) | lost))
    _put_problems(entries, found, done.problems)
    return dict(zip(records, done.documents, strict=True))


def _sources(records: dict[str, Document]) -> list[str]:
    """The documents stored already redacted (they lack their withheld items) of a meeting
    with a document read anew: the text of those items, which the meeting's other documents
    must not repeat (:mod:`tuibrowser.repeats`), is read again from their files."""
    fresh = {d.meeting_id for d in records.values() if not d.withheld}
    return [k for k, d in records.items() if d.withheld and d.meeting_id in fresh]


def _withhold(
    job: ShardJob, records: dict[str, Document], entries: dict[str, dict]
) -> tuple[list[Problem], Withheld]:
    """The problems of the shard's files, and :func:`.library.withhold` of its documents and
    those problems."""
    from ..library import withhold

    marks = {label: entries[label].get("marks") or () for label in records}
    found = _problems(entries)
    return found, withhold(list(records.values()), found, marks, job.unread)


def withhold_problems(entry: dict) -> dict:
    """The entry of a file with no document (it could not be read or parsed, so its items
    are not known) with its problems told as :func:`.library.withhold` tells them."""
    from ..library import withhold

    entries = {entry["path"]: entry}
    found = _problems(entries)
    done = withhold([], found)
    if lost := done.removed.get(entry["path"]):
        withheld = sorted(set(entry.get("withheld") or ()) | lost)
        entries[entry["path"]] = dict(entry, withheld=withheld)
    _put_problems(entries, found, done.problems)
    return entries[entry["path"]]


def withhold_unread(unread: list[Problem]) -> list[Problem]:
    """The problems of the folders and files a public refresh could not read, as
    :func:`.library.withhold` tells them (the index keeps them so)."""
    from ..library import withhold

    return withhold([], unread).problems if unread else []


def _problems(entries: dict[str, dict]) -> list[Problem]:
    from ..model import Problem

    return [Problem.from_dict(p) for e in entries.values() for p in e.get("problems") or ()]


def _put_problems(entries: dict[str, dict], found: list[Problem], told: list[Problem]) -> None:
    """Give each of ``entries`` its problems as ``told`` (``found`` told so: both in the
    order of ``entries`` and of their problems), where they changed."""
    at = 0
    for label, entry in entries.items():
        count = len(entry.get("problems") or ())
        new = told[at : at + count]
        if any(q is not p for p, q in zip(found[at : at + count], new, strict=True)):
            entries[label] = dict(entry, problems=[p.to_dict() for p in new])
        at += count


def failed_entry(entry: dict) -> bool:
    """Whether the file of ``entry`` could not be read or parsed."""
    return any(p.get("severity") in FAILED for p in entry.get("problems") or ())


def unread_of(entries: dict[str, dict], scanned: list[dict] | None) -> set[str]:
    """The files (of ``entries``) and folders (``scanned`` problems) that failed."""
    # (an entry with no problem, nearly every one, is passed over without a call)
    return {label for label, e in entries.items() if e.get("problems") and failed_entry(e)} | {
        p["path"] for p in scanned or () if isinstance(p, dict) and "path" in p
    }


def _still_withheld(entry: dict, numbers: set[str]) -> bool:
    """Whether every item the stored document (and problems) of ``entry`` lack is still
    withheld: else the file must be read again."""
    from .. import public

    return all(public.is_withheld(numbers, n) for n in entry.get("withheld") or ())
