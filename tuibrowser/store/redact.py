"""A public cache's shard: no document keeps a withheld item, no problem the text of one.

See :mod:`tuibrowser.public` for what is withheld: the items any file of a meeting marks, and
every item of a meeting whose files could not all be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..base import RESTRICTED, shard_key
from .parse import parse_one

if TYPE_CHECKING:
    from ..model import Document
    from .shards import ShardJob

FAILED = ("error", RESTRICTED)


def withhold_confidential(
    job: ShardJob,
    docs: dict[str, dict | Document],
    entries: dict[str, dict],
    read: list[str],
    misplaced: list[tuple[str, dict, dict]],
) -> dict[str, dict | Document]:
    """Public cache: no document keeps a withheld item (see :mod:`.public`: marked by any file
    of its meeting, or any item of a meeting whose files could not all be read), and no
    problem the text of one (every file of a meeting is in the same shard)."""
    from .. import public
    from ..keys import board_name

    def key(label: str) -> str:
        # Boards whose slugs are equal hold meetings of their own (library.meeting_ids): the
        # board's name joins the id (which still starts with the date, as public needs).
        meeting = entries[label].get("meeting") or ""
        doc = docs.get(label)
        return meeting if doc is None else f"{meeting}\x00{board_name(_board(doc))}"

    keyed = [label for label, e in entries.items() if e.get("meeting")]
    marks = [(key(label), n) for label in keyed for n in entries[label]["marks"]]
    failed = [label for label, e in entries.items() if failed_entry(e)] + job.unread
    marked = public.withheld_numbers(marks, {key(label) for label in keyed}, failed)
    out: dict[str, dict | Document] = {}
    for label, doc in docs.items():
        entry = entries[label]
        numbers = marked.get(key(label), set())
        if not _still_withheld(entry, numbers):
            # An item withheld because another file marked it is no longer marked: the
            # stored document lacks it, so read the file again.
            _, entry, fresh = parse_one(str(Path(job.root) / label), label)
            entry["shard"] = shard_key(fresh["date"]) if fresh else None
            read.append(label)
            entries[label] = entry
            if fresh is None:
                continue
            if entry["shard"] != job.shard:
                del entries[label]
                misplaced.append((label, entry, fresh))
                continue
            doc = fresh
        if numbers:
            from ..library import redact_document
            from ..model import Document

            parsed = Document.from_dict(doc) if isinstance(doc, dict) else doc
            red = redact_document(parsed, numbers)
            if red is not parsed:
                removed = {it.number for it in parsed.items} - {it.number for it in red.items}
                removed |= {
                    row.item
                    for name in ("kpis", "summaries", "series", "outputs", "figures")
                    for row in getattr(parsed, name)
                    if public.is_withheld(numbers, row.item)
                }
                entries[label] = dict(
                    entry, withheld=sorted(set(entry.get("withheld") or ()) | removed)
                )
                doc = red.to_dict()
        out[label] = doc
    for label, entry in entries.items():
        entries[label] = withhold_problems(entry, marked.get(key(label)))
    return out


def failed_entry(entry: dict) -> bool:
    """Whether the file of ``entry`` could not be read or parsed."""
    return any(p.get("severity") in FAILED for p in entry.get("problems") or ())


def unread_of(entries: dict[str, dict], scanned: list[dict] | None) -> set[str]:
    """The files (of ``entries``) and folders (``scanned`` problems) that failed."""
    return {label for label, e in entries.items() if failed_entry(e)} | {
        p["path"] for p in scanned or () if isinstance(p, dict) and "path" in p
    }


def _still_withheld(entry: dict, numbers: set[str]) -> bool:
    """Whether every item the stored document (and problems) of ``entry`` lack is still
    withheld: else the file must be read again."""
    from .. import public

    return all(public.is_withheld(numbers, n) for n in entry.get("withheld") or ())


def withhold_problems(entry: dict, numbers: set[str] | None) -> dict:
    """``entry`` with the problems met in withheld items told without their text (every item
    of a file that could not be parsed: its items are not known)."""
    from .. import public
    from ..model import Problem

    problems = entry.get("problems")
    if not problems:
        return entry
    numbers = {public.ALL} if entry.get("meeting") is None else numbers or set()
    found = [Problem.from_dict(p) for p in problems]
    told = public.redact_problems(found, lambda _: numbers)
    if all(p is q for p, q in zip(found, told, strict=True)):
        return entry
    hidden = {p.item for p, q in zip(found, told, strict=True) if p is not q and p.item}
    withheld = sorted(set(entry.get("withheld") or ()) | hidden)
    return dict(entry, problems=[p.to_dict() for p in told], withheld=withheld)


def _board(doc: dict | Document) -> str:
    return doc["board"] if isinstance(doc, dict) else doc.board
