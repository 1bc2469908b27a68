"""What a shard written again takes from its old parts instead of making it again.

A refresh writes the half month of a changed file whole (its parts are read whole by every
reader), but most of what it writes is what the old parts hold: the long texts' streams of the
items that did not change (:data:`.leantexts.Streams`), the rows of the meetings whose
documents are those they were made of (:class:`KeptRows`), the search text of those
meetings' records (:mod:`tuibrowser.search.keptfold`), and the words of the blocks of search
text that are byte for byte as they were (:mod:`tuibrowser.search.keptwords`). Each is
taken only where it is what making it again would give, so the shard is the one a cold index
writes, part for part; an old part that cannot be read is made again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..base import NEW_DICT, record
from ..packed import BlockText, pack, unpack
from . import safefs
from .layout import (
    BAD_ENTRY,
    rows_name,
    shard_views_name,
    skeleton_names,
    text_name,
    words_name,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..model import Document, Meeting
    from ..search.keptfold import OldFold
    from ..search.keptwords import OldSegment
    from .keptlong import OldLong
    from .keptmeetings import OldMeeting
    from .leantexts import Lean, Streams, Taken
    from .shards import ShardJob


class OldParts:
    """The old shard's small parts (rows, heads, units, people, views), each read and
    inflated once: what a part written again is compared with, and what is taken from them
    (a part that cannot be read, or does not inflate, is None: made again)."""

    def __init__(self, folder: Path | None = None, old: str | None = None) -> None:
        self.folder = folder
        self.old = old
        self._got: dict[str, tuple[bytes, bytes] | None] = {}
        self._json: dict[str, Any] = {}

    def packed(self, part: Callable[[str], str]) -> tuple[bytes, bytes] | None:
        """The old part of that kind (``part`` names it) as it is on disk, and inflated."""
        if self.folder is None or self.old is None:
            return None
        name = part(self.old)
        if name not in self._got:
            try:
                raw = safefs.read_own(self.folder / name)
                self._got[name] = (raw, unpack(raw))
            except (OSError, ValueError):
                self._got[name] = None
        return self._got[name]

    def json(self, part: Callable[[str], str]) -> Any:
        """The old part of that kind parsed (``ValueError`` when it cannot be read; a value of
        the wrong shape fails where it is used, :data:`.layout.BAD_ENTRY`)."""
        found = self.packed(part)
        if found is None or self.old is None:
            raise ValueError("an old part cannot be read")
        name = part(self.old)
        if name not in self._json:
            self._json[name] = orjson.loads(found[1])
        return self._json[name]


@record
class Before:
    """What the shard as it was gives a shard written again."""

    def __init__(
        self,
        streams: Streams = NEW_DICT,
        rows: KeptRows | None = None,
        blocks: OldSegment | None = None,
        shown: dict[bytes, bytes] = NEW_DICT,
        folder: Path | None = None,
        old: str | None = None,
        documents: dict[str, dict] = NEW_DICT,
        lean: Lean = NEW_DICT,
        fold: OldFold | None = None,
        long: OldLong | None = None,
        parts: OldParts | None = None,
        whole: bool = True,
    ) -> None:
        # the documents as the old shard holds them (label -> document), and the JSON of those
        # with long texts as read, before the texts were put back (what they are written as)
        self.streams = {} if streams is NEW_DICT else streams
        self.rows = rows
        self.blocks = blocks
        self.shown = {} if shown is NEW_DICT else shown
        self.folder = folder
        self.old = old
        self.documents = {} if documents is NEW_DICT else documents
        self.lean = {} if lean is NEW_DICT else lean
        self.fold = fold  # the old segment's records, for the meetings rows keeps
        # the old documents' long texts, put back where needed (None: put back, or public)
        self.long = long
        self.parts = parts  # (made when first asked: :meth:`old_parts`)
        # whether its unchanged meetings may be taken whole (.keptmeetings: False once not)
        self.whole = whole

    def old_parts(self) -> OldParts:
        """The old shard's small parts (:class:`OldParts`), each read once."""
        if self.parts is None:
            self.parts = OldParts(self.folder, self.old)
        return self.parts

    def lean_of(self, label: str, doc: object) -> tuple[bytes, Taken] | None:
        """The JSON of document ``doc`` without its long texts, and what was taken out of it,
        as the old shard holds it: when ``doc`` is the document read from there."""
        if self.documents.get(label) is not doc:
            return None
        bare = self.long.lean_of(label) if self.long is not None else None
        return bare if bare is not None else self.lean.get(label)

    def glances(self) -> dict[str, list[list]] | None:
        """The old shard's part of the dashboard (``k`` of its views) by meeting id (None when
        there is no old shard or the part cannot be read)."""
        try:
            views = self.old_parts().json(shard_views_name)
            found: dict[str, list[list]] = {}
            for row in views["k"]:
                found.setdefault(row[3], []).append(row)
            return found
        except (IndexError, *BAD_ENTRY):
            return None

    def pack(self, part: Callable[[str], str], data: bytes) -> bytes:
        """``data`` packed tight (:func:`tuibrowser.packed.pack`): the old shard's part of that
        kind (``part`` names it) as it is when it holds ``data`` byte for byte (a part the edit
        left as it was, as the people of a half month often are, is not deflated again)."""
        old = self.old_parts().packed(part)
        if old is not None and old[1] == data:
            return old[0]
        return pack(data, tight=True)


def kept_parts(
    shard_dir: str,
    job: ShardJob,
    kept: dict[str, dict],
    docs: dict,
    streams: Streams,
    lean: Lean,
    long: OldLong | None = None,
) -> Before:
    """What the old parts of ``job``'s shard give its documents ``docs`` (``kept``: the
    documents as the old shard holds them, ``streams`` its long texts' streams, ``lean`` its
    documents with long texts as read; ``long``: their long texts when they were read
    without them, put back here into those whose meetings' rows and records are not taken
    from the old parts: :mod:`.keptlong`, raising its ``LongDamaged``)."""
    folder = Path(shard_dir)
    parts = OldParts(folder, job.old)
    rows = rows_kept(job, kept, docs, parts)
    blocks = blocks_kept(folder, job.old)
    shown, patches = shown_kept(folder, job.old)
    fold = fold_kept(parts, blocks, patches) if rows is not None else None
    if long is not None:
        from .keptlong import settle

        if fold is not None:  # (the segment read already: not read again for the texts)
            long.segment, long.records = fold.shown, len(fold.f_starts) - 1
        settle(long, rows.plain if rows is not None and fold is not None else set(), kept, docs)
    return Before(streams, rows, blocks, shown, folder, job.old, kept, lean, fold, long, parts)


def shown_kept(shard_dir: Path, old: str | None) -> tuple[dict[bytes, bytes], bytes | None]:
    """The packed blocks of the old shard's text as shown (``.show``) by their bytes: a block
    that is as it was is packed as it was (empty when it cannot be read); and the text they
    hold (None when it cannot be read)."""
    from .layout import search_names

    if old is None:
        return {}, None
    try:
        raw = safefs.read_own(shard_dir / search_names(old)[1])
        text = BlockText(raw)  # (as tuibrowser.packed.packed_blocks, keeping the text too)
        ends = text.ends if text.ends is not None else text._table()
        found: dict[bytes, bytes] = {}
        blocks: list[bytes] = []
        for n in range(len(ends)):
            lo = text.start + (ends[n - 1] if n else 0)
            block = text._block(n)
            blocks.append(block)
            found[block] = raw[lo : text.start + ends[n]]
        return found, b"".join(blocks)
    except (OSError, ValueError, IndexError):
        return {}, None


def fold_kept(parts: OldParts, blocks: OldSegment | None, patches: bytes | None) -> OldFold | None:
    """The old shard's segment by meeting (:class:`tuibrowser.search.keptfold.OldFold`):
    None when a part of it cannot be read or does not fit the others."""
    from ..search.keptfold import OldFold

    if blocks is None or patches is None:
        return None
    try:
        units = parts.json(units_name)
        return OldFold(blocks.folded, patches, blocks.offsets, units["m"])
    except (IndexError, *BAD_ENTRY):
        return None


def units_name(shard: str) -> str:
    """The file of a shard's records (``.units``, :func:`.layout.skeleton_names`)."""
    return skeleton_names(shard)[1]


def blocks_kept(shard_dir: Path, old: str | None) -> OldSegment | None:
    """The blocks of the old shard's search text and its word list (None when there is no
    old shard, or its parts cannot be read)."""
    from ..search.keptwords import OldSegment
    from .layout import search_names

    if old is None:
        return None
    try:
        folded = safefs.read_own(shard_dir / text_name(old))
        offsets = safefs.read_own(shard_dir / search_names(old)[2])
        words = unpack(safefs.read_own(shard_dir / words_name(old)))
        return OldSegment(folded, offsets, words)
    except (OSError, ValueError, IndexError):
        return None


@record
class KeptRows:
    """Rows of a shard's old ``.rows`` part (by meeting id) that its meetings written again
    would make the same: those of the meetings of the board and date (the plain meeting id,
    which is what groups documents into meetings: :func:`tuibrowser.library.meeting_ids`)
    in ``plain``, whose documents are all as the old shard holds them, none added or gone."""

    def __init__(self, plain: set[str], rows: dict[str, dict]) -> None:
        self.plain = plain
        self.rows = rows

    def row(self, meeting: Meeting | OldMeeting) -> dict | None:
        if not self.kept(meeting):
            return None
        return self.rows.get(meeting.id)

    def kept(self, meeting: Meeting | OldMeeting) -> bool:
        """Whether ``meeting`` is made of documents all as the old shard holds them, none
        added or gone: what the old parts hold of it alone is what it would make again."""
        from ..keys import meeting_id

        return meeting_id(meeting.board, meeting.date) in self.plain


def rows_kept(
    job: ShardJob, kept: dict[str, dict], docs: dict[str, dict | Document], parts: OldParts
) -> KeptRows | None:
    """The rows a shard written again takes from its old part (:class:`KeptRows`): a row is
    made of its meeting alone, and the meeting of its documents, so the row of a meeting whose
    documents are all kept as the old shard holds them (``kept``) is the one the old part
    has (hashing each meeting for its fingerprint again was a fiftieth of a one-file
    refresh). None when there is none, or the old part cannot be read (the rows are made)."""
    from ..keys import meeting_id

    if job.old is None or not kept:
        return None

    ids: dict[tuple[str, str], str] = {}  # (a half month has a few boards, many documents)

    def plain(doc: dict | Document) -> str:
        board, date = (
            (doc["board"], doc["date"]) if isinstance(doc, dict) else (doc.board, doc.date)
        )
        mid = ids.get((board, date))
        if mid is None:
            mid = ids[(board, date)] = meeting_id(board, date)
        return mid

    try:
        before: dict[str, set[str]] = {}
        for label, old in kept.items():
            before.setdefault(plain(old), set()).add(label)
        now: dict[str, set[str]] = {}
        moved: set[str] = set()
        for label, doc in docs.items():
            mid = plain(doc)
            now.setdefault(mid, set()).add(label)
            if kept.get(label) is not doc:
                moved.add(mid)
        same = {
            mid for mid, labels in now.items() if mid not in moved and before.get(mid) == labels
        }
        if not same:
            return None
        rows = parts.json(rows_name)
        by_id = {r["id"]: r for r in rows if r.get("shard") == job.shard}
        return KeptRows(same, by_id)
    except BAD_ENTRY:
        return None
