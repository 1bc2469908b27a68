"""A half month's documents (one shard, :func:`tuibrowser.base.shard_key`) made into the rows
the store keeps of them: each document lean and whole, and the meeting list's rows — as an
officer sees them, and as ``--public`` shows them, made by the one redaction
(:func:`tuibrowser.library.withhold`, as the public cache makes its shards). Every document of
a meeting is in the meeting date's shard, so a shard is redacted on its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import orjson

from ...listing import meeting_row
from ..reader import _without_texts

if TYPE_CHECKING:
    from ...model import Document, Meeting, Problem


@dataclass
class DocRow:
    path: str
    date: str
    lean: bytes  # Document.to_dict without its long texts, as JSON
    whole: bytes  # the whole document, as JSON


@dataclass
class MeetingListRow:
    id: str
    date: str
    time: str
    board: str
    row: bytes  # MeetingRow.to_dict, as JSON
    meeting: Meeting | None = None  # the meeting itself, for its search rows


@dataclass
class ShardRows:
    """What the store keeps of one shard, as one kind of reader sees it."""

    documents: list[DocRow] = field(default_factory=list)
    meetings: list[MeetingListRow] = field(default_factory=list)
    problems: dict[str, list[dict]] = field(default_factory=dict)  # file label → its problems


def full_rows(docs: dict[str, Document]) -> ShardRows:
    """The shard's rows as an officer sees them (``docs``: file label → document)."""
    return _rows({label: d.to_dict() for label, d in docs.items()})


def public_rows(
    docs: dict[str, Document], problems: dict[str, list[Problem]], failed: list[str]
) -> ShardRows:
    """The shard's rows as ``--public`` shows them: its documents and the problems of their
    files (``problems``, by label) through :func:`tuibrowser.library.withhold`, with every
    item of a date a ``failed`` file or folder names withheld."""
    from ...library import withhold

    labels = list(docs)
    found = [p for label in labels for p in problems.get(label, ())]
    done = withhold([docs[label] for label in labels], found, None, failed)
    out = _rows({label: d.to_dict() for label, d in zip(labels, done.documents, strict=True)})
    at = 0
    for label in labels:
        count = len(problems.get(label, ()))
        out.problems[label] = [p.to_dict() for p in done.problems[at : at + count]]
        at += count
    return out


def public_problems(problems: list[Problem]) -> list[dict]:
    """The problems of a file with no document (its items unknown), as public tells them."""
    from ...library import withhold

    return [p.to_dict() for p in withhold([], problems).problems]


def _rows(docs: dict[str, dict]) -> ShardRows:
    from ...library import merge_all
    from ...model import Document

    out = ShardRows()
    for label in sorted(docs):
        whole = docs[label]
        lean = orjson.loads(orjson.dumps(whole))
        _without_texts(lean)
        out.documents.append(DocRow(label, whole["date"], orjson.dumps(lean), orjson.dumps(whole)))
    # merging changes the documents it is given: copies of them
    for m in merge_all(Document.from_dict(orjson.loads(orjson.dumps(d))) for d in docs.values()):
        row = meeting_row(m)
        out.meetings.append(
            MeetingListRow(
                m.id, row.date, row.time or "", row.board, orjson.dumps(row.to_dict()), m
            )
        )
    return out
