"""The long texts of a shard written again, put back into its old documents only where they
are needed.

A refresh writes the half month of a changed file again, and reads its old documents back.
Putting their long texts back (:func:`.leantexts.restore_texts`: the text as shown of each
item's record worked out as its stream's dictionary, each stream inflated and parsed) was a
twentieth of a one-file refresh, and most of it for meetings whose documents did not change:
their records, rows and streams are taken from the old parts as they are (:mod:`.kept`). So a
document of such a meeting is left as the old shard holds it, without its long texts (a
*bare* document: the minute ``""``, the report ``{}``), and its items' streams are carried to
the new ``.long`` part as they are, each under its record's new place (:class:`Carried`).

That is what a cold index writes, byte for byte: a stream is a function of the long texts it
holds and of its dictionary, the text as shown of its record; the texts are the document's,
which did not change, and a carried stream is written as it is only when its record is the
old record, taken from the old segment byte for byte (:func:`tuibrowser.search.keptfold.
kept_fold`), whose text as shown is that of the old one. Any other is inflated against the
old record's text and packed again against the new one.

A bare document is read, by what a shard written again makes of it, only as a document whose
long texts are not read: its meeting's row is taken (the fingerprint, which hashes the
documents' JSON, is not made), its records taken from the old segment (none is folded), and
its skeleton's titles are its items' titles (an item without one stands for it by its minute
or report: such a meeting's documents are given their texts). Where a meeting of bare
documents turns out otherwise once merged (its id not the old one's, or not as many records
as the old segment holds for it), the shard gives every document its texts and is written
again the plain way (:func:`tuibrowser.store.shards.write_shard`).

A stream carried is not inflated, so a stream damaged inside a sound part (one of the right
length, in the place its table says) is carried as it is: the reader finds it when it puts
the texts back (zlib checks the dictionary's Adler-32 and the text's), and the shard is read
again from its files then, as it would have been here. A part cut short, or not of its table,
is found here: every document is given its texts, which finds the part damaged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from .leantexts import LONG, _decompress, _table, restore_texts, segment_shown, segment_texts

if TYPE_CHECKING:
    from collections.abc import Callable

    from .leantexts import Lean, Streams, Taken


class LongDamaged(ValueError):
    """The old ``.long`` part, or the segment its streams are packed against, found damaged
    as texts were put back or a stream inflated: the shard's files are read again."""


class Carried:
    """An item's stream in the old ``.long`` part, of a bare document: carried as it is when
    the item's record is the old one (``uid``, its place in the old segment)."""

    __slots__ = ("stream", "uid", "texts")

    def __init__(self, stream: bytes, uid: int, texts: OldLong) -> None:
        self.stream = stream
        self.uid = uid
        self.texts = texts

    def data(self) -> bytes:
        """The JSON the stream holds (``ValueError`` when it does not inflate against the old
        record's text as shown: :class:`LongDamaged`)."""
        try:
            return _decompress(self.stream, self.texts.shown(self.uid))
        except (OSError, ValueError) as exc:
            raise LongDamaged(str(exc)) from None


class OldLong:
    """The old shard's ``.long`` part and its documents as read (``docs``, label → document,
    without their long texts): each document bare until :meth:`restore` gives it its texts.
    Raises ``ValueError`` (or OSError) when the part cannot be read or is not of its table."""

    def __init__(self, path: Path, docs: dict[str, dict], streams: Streams, lean: Lean) -> None:
        self.path = path
        self.docs = docs
        self.streams = streams  # (what restore_texts adds its streams to, as read_shard)
        self.lean = lean  # (and its documents as read)
        self.bare: set[str] = set()
        self.raw = b""
        self.rows: dict[str, list[tuple[int, int, bytes]]] = {}  # label -> (n, uid, stream)
        # the old segment's text as shown of a record (made of the segment when first asked,
        # unless given: :func:`.kept.kept_parts` has it read already)
        self.segment: Callable[[int], bytes] | None = None
        self.records = 0  # (how many records that segment holds, when given)
        self._texts: Callable[[int], bytes] | None = None
        if not any(doc.get("items") for doc in docs.values()):
            return  # (as read_long_texts: no part is read when no document has an item)
        self.raw = raw = path.with_suffix(LONG).read_bytes()
        table, pos = _table(raw)
        for label, rows in table:
            found = self.rows[label] = []
            for n, uid, length in rows:
                found.append((int(n), int(uid), raw[pos : pos + length]))
                pos += length
        if pos != len(raw):
            raise ValueError("a long texts part does not fit its table")
        self.bare = {label for label in self.rows if label in docs}

    def restore(self, labels: set[str]) -> None:
        """Give the documents of ``labels`` that are bare their long texts
        (:func:`.leantexts.restore_texts`; :class:`LongDamaged` when the part does not fit)."""
        wanted = sorted(labels & self.bare)
        if not wanted:
            return
        entries = [{"path": label, "document": self.docs[label]} for label in wanted]
        self.bare.difference_update(wanted)
        try:
            shown = segment_shown(self.path) if self.segment is None else self._shown_of
            restore_texts(entries, self.raw, shown, self.streams, self.lean)
        except (OSError, ValueError) as exc:
            raise LongDamaged(str(exc)) from None

    def lean_of(self, label: str) -> tuple[bytes, Taken] | None:
        """A bare document's JSON as read (without its long texts), and its items' streams
        to be carried (:class:`Carried`); None when it is not bare."""
        if label not in self.bare:
            return None
        doc = self.docs[label]
        items = doc["items"]
        taken: Taken = [
            (n, str(items[n].get("number") or ""), Carried(stream, uid, self))
            for n, uid, stream in self.rows[label]
        ]
        return orjson.dumps(doc), taken

    def shown(self, uid: int) -> bytes:
        """The text as shown of record ``uid`` of the old segment: a carried stream's
        dictionary."""
        if self.segment is not None:
            return self.segment(uid) if 0 <= uid < self.records else b""
        if self._texts is None:
            self._texts = segment_texts(self.path)
        return self._texts(uid)

    def _shown_of(self, uids: list[int]) -> dict[int, bytes]:
        """The text as shown of each of records ``uids`` of the old segment given
        (:attr:`segment`), as :func:`.leantexts.segment_shown` gives them."""
        assert self.segment is not None
        shown, last = self.segment, self.records
        return {uid: shown(uid) for uid in set(uids) if 0 <= uid < last}


def settle(old: OldLong, plain: set[str], kept: dict[str, dict], docs: dict[str, Any]) -> None:
    """Give their long texts the old documents a shard written again needs them of: each of
    ``docs`` (label → document) that is as the old shard holds it (``kept``), but those of the
    meetings ``plain`` names (plain meeting ids: :class:`.kept.KeptRows`, whose rows and
    records are taken from the old parts) whose items all have a title. (An item without one
    stands for itself in the skeleton's titles by its minute or report:
    :func:`tuibrowser.search.units._meeting_heads`.)"""
    from ..keys import meeting_id

    ids: dict[tuple[str, str], str] = {}
    by_meeting: dict[str, list[str]] = {}
    for label in old.bare:
        doc = kept[label]
        if docs.get(label) is not doc:
            continue  # (changed, or gone: its old texts are not written)
        at = (doc["board"], doc["date"])
        mid = ids.get(at)
        if mid is None:
            mid = ids[at] = meeting_id(*at)
        by_meeting.setdefault(mid, []).append(label)
    wanted: set[str] = set()
    for mid, labels in by_meeting.items():
        if mid not in plain or any(_untitled(kept[label]) for label in labels):
            wanted.update(labels)
    old.restore(wanted)


def _untitled(doc: dict[str, Any]) -> bool:
    """Whether an item of document ``doc`` (as read) has no title."""
    return any(not item.get("title") for item in doc.get("items") or ())
