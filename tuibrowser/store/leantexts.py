"""A shard's long texts (its items' minutes and reports) kept once: as what they add to the
shard's search text.

An item's minute and report are most of a document's bytes, and the shard's search segment
already holds them as shown (:mod:`tuibrowser.search.casepatch`: its folded text and patch).
So a shard's documents are written without them (the minute ``""``, the report ``{}``: what
the browser's lean load makes of them anyway), and its ``.long`` part keeps, for each item
that had them, the JSON of what was taken out (``{"minute": …, "report": …}``) as a zlib
stream packed against a *preset dictionary*: the text as shown of the item's record in the
segment. What the stream holds is the raw text, byte for byte; the dictionary only makes it
small (the words, mostly, are found in the record: a line break or a markdown marker is what
is left to say). A stream written against one dictionary does not inflate against another
(zlib checks the dictionary's Adler-32 and the text's): a part that does not fit its segment
is a damaged shard, read again from its files.

The part: the magic, the length of its table, the table (packed JSON: ``[label, [[item's
place in the document, record, length of its stream], …]]`` for each document), then the
streams in that order.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import orjson

from ..keys import item_key
from ..packed import pack, unpack
from ..search.casepatch import shown_of, shown_texts

LONG = ".long"
_MAGIC = b"TBL1"
# Small streams against a dictionary that holds most of their words: at zlib's level 3 they are
# 1% larger than at 6 (the bench corpus) and a fifth quicker to make.
LEVEL = 3
# zlib's memory level for a stream: its hash table (2**(MEM_LEVEL + 8) bytes) is cleared for
# every stream, and at 9 clearing it was half the work of packing an item's texts (a few KB,
# 11 streams a file): at 4 the same streams, byte for byte, on the bench corpus.
MEM_LEVEL = 4


class CarriedStream(Protocol):
    """An item's stream of an old ``.long`` part, carried as it is where its record is the old
    one (:class:`tuibrowser.store.keptlong.Carried`)."""

    stream: bytes
    uid: int  # its record's place in the old segment

    def data(self) -> bytes: ...


# an item's place, its number, what was taken out of it (a dict, or that dict's JSON as orjson
# writes it, or its stream in the old part, carried)
Taken = list[tuple[int, str, dict | bytes | CarriedStream]]
# The streams of a part as read: (dictionary, what it holds) -> the stream. Deflating is the
# same function of the two every time, so a shard written again takes the stream of an item
# that did not change from its old part instead of deflating it again (setting up a
# compressor for each of a shard's few hundred streams was a twentieth of a one-file refresh)
Streams = dict[tuple[bytes, bytes], bytes]
# The documents of a part as read, before their long texts were put back: label -> the JSON of
# the lean document and what was taken out of it (what strip_texts gives of it whole, each
# item's texts as the JSON its stream holds: not parsed a second time, nor written again)
Lean = dict[str, tuple[bytes, "Taken"]]


def strip_texts(doc: dict) -> Taken:
    """Take the long texts out of ``doc`` (a document's dict), leaving ``""`` for a minute and
    ``{}`` for a report: each item's place and number with what was taken out."""
    out: Taken = []
    for n, item in enumerate(doc.get("items") or ()):
        saved: dict[str, Any] = {}
        if item.get("minute"):
            saved["minute"] = item["minute"]
            item["minute"] = ""
        if item.get("report"):
            saved["report"] = item["report"]
            item["report"] = {}
        if saved:
            out.append((n, str(item.get("number") or ""), saved))
    return out


def lean_record(doc: Any) -> tuple[bytes | None, Taken]:
    """:func:`strip_texts` of a document record, without making it a dict: the JSON of the
    document without its long texts (``orjson.dumps`` of the dict :func:`strip_texts` leaves,
    byte for byte; None when it has none to take out) and what was taken out. The record is
    left as it was."""
    taken: Taken = []
    texts: list[tuple[int, dict[str, Any]]] = []  # (the same, as the dicts they are)
    items = doc.items
    for n, item in enumerate(items):
        saved: dict[str, Any] = {}
        if item.minute:
            saved["minute"] = item.minute
        if item.report:
            saved["report"] = item.report  # (written by orjson as its dict is)
        if saved:
            taken.append((n, str(item.number or ""), saved))
            texts.append((n, saved))
    if not taken:
        return None, taken
    try:
        for n, saved in texts:
            if "minute" in saved:
                items[n].minute = ""
            if "report" in saved:
                items[n].report = {}  # what strip_texts leaves: orjson writes it {}
        return orjson.dumps(doc), taken
    finally:
        for n, saved in texts:
            items[n].minute = saved.get("minute", items[n].minute)
            items[n].report = saved.get("report", items[n].report)


# An item as orjson writes it: ``…,"minute":"…","report":{…} or null,"decisions":[…],…`` (the
# fields of :class:`tuibrowser.model.Item` in their order; no other record has a "minute").
_MINUTE = b'"minute":'
_REPORT = b',"report":'
_DECISIONS = b',"decisions":'


def lean_json(doc: Any, json: bytes) -> tuple[bytes, Taken] | None:
    """:func:`lean_record` of a document record whose JSON (``orjson.dumps`` of it) is
    ``json``, made of that JSON instead of writing the document again: the minutes and
    reports cut out of it (the JSON of what is taken out, as ``orjson.dumps`` writes the dict
    :func:`strip_texts` gives, in place of that dict). None when the JSON is not laid out as
    expected (the caller makes it as :func:`lean_record` does).

    Every item has a ``"minute":`` key, and no other record does: the n-th such key is the
    n-th item's. A string's ``"`` is written ``\\"``, so ``,"report":`` (a quote after a
    comma) is never inside the minute before it, nor ``,"decisions":`` inside the report."""
    taken: Taken = []
    parts: list[bytes] = []
    done = 0  # json[:done] is in parts
    at = 0
    find = json.find
    for n, item in enumerate(doc.items):
        key = find(_MINUTE, at)
        if key < 0:
            return None
        at = key + len(_MINUTE)
        minute, report = item.minute, item.report
        if not minute and not report:
            continue
        end = find(_REPORT, at)
        at_report = end + len(_REPORT)
        stop = find(_DECISIONS, at_report)
        if end < 0 or stop < 0:
            return None
        # (the minute is a JSON string, "" when empty; the report an object, or null)
        if (end - at == 2) == bool(minute) or (json[at_report] == 0x6E) == bool(report):
            return None  # (not this item's texts after all)
        if not report:  # {"minute":"…"}
            taken.append((n, str(item.number or ""), b"{%b}" % json[key:end]))
            parts += [json[done:at], b'""']
            done = end
        elif not minute:  # {"report":{…}}
            taken.append((n, str(item.number or ""), b"{%b}" % json[end + 1 : stop]))
            parts += [json[done:at_report], b"{}"]
            done = stop
        else:  # {"minute":"…","report":{…}}
            taken.append((n, str(item.number or ""), b"{%b}" % json[key:stop]))
            parts += [json[done:at], b'""', _REPORT, b"{}"]
            done = stop
        at = stop if report else end
    if not taken:
        return json, taken
    parts.append(json[done:])
    return b"".join(parts), taken


def record_places(meetings: Iterable[Any]) -> dict[tuple[str, str], int]:
    """The record of each item of ``meetings`` (in the order their segment is folded, see
    :func:`tuibrowser.search.units.month_records`), by (meeting id, item key). A meeting
    taken whole from the old parts (:class:`.keptmeetings.OldMeeting`) gives its items'
    records itself."""
    from ..model import Meeting

    places: dict[tuple[str, str], int] = {}
    uid = 0
    for m in meetings:
        if not isinstance(m, Meeting):
            for n, key in m.item_records:
                places[(m.id, key)] = uid + n
            uid += m.count
            continue
        for it in m.items:
            places[(m.id, item_key(it.number))] = uid
            uid += 1 + len(it.decisions) + len(it.actions)
        uid += len(m.kpis)
    return places


def record_text(folded: Any, patches: Any, f_starts: Any, s_starts: Any, uid: int) -> bytes:
    """The text as shown of record ``uid`` of a segment (UTF-8): the dictionary of its
    items' streams. The same whether the patches are bytes (writing) or blocks (reading)."""
    if uid < 0 or uid + 1 >= len(f_starts):
        return b""
    text = bytes(folded[f_starts[uid] : f_starts[uid + 1] - 1]).decode("utf-8", "surrogatepass")
    patch = bytes(patches[s_starts[uid] : s_starts[uid + 1]]).decode("utf-8", "surrogatepass")
    return shown_of(text, patch)[1].encode("utf-8", "surrogatepass")


def _compress(data: bytes, zdict: bytes) -> bytes:
    c = zlib.compressobj(
        LEVEL, zlib.DEFLATED, 15, MEM_LEVEL, zlib.Z_DEFAULT_STRATEGY, zdict or b"\0"
    )
    return c.compress(data) + c.flush()


def _decompress(stream: bytes, zdict: bytes) -> bytes:
    d = zlib.decompressobj(15, zdict or b"\0")
    try:
        data = d.decompress(stream)
    except zlib.error as exc:
        raise ValueError(f"a long text does not fit its search text: {exc}") from None
    if not d.eof or d.unused_data:
        raise ValueError("a long text is cut short or followed by something else")
    return data


def long_part(
    stripped: dict[str, tuple[str, Taken]],
    places: dict[tuple[str, str], int],
    shown: Callable[[int], bytes],
    known: Streams | None = None,
    at: Sequence[int] | None = None,
) -> bytes:
    """The ``.long`` part of a shard: ``stripped`` is, by document label, its meeting id and
    what :func:`strip_texts` took out of it; ``places`` the record of each item
    (:func:`record_places`), ``shown`` the text as shown of a record; ``known`` the streams
    of the shard's old part (:data:`Streams`), taken as they are where they fit; ``at`` each
    record's place in the old segment when it was taken from there byte for byte (-1 when it
    was made), where a stream carried from the old part (:class:`CarriedStream`) fits."""
    table: list[list[Any]] = []
    streams: list[bytes] = []
    known = known or {}
    for label in sorted(stripped):
        meeting, taken = stripped[label]
        rows = []
        for n, number, saved in taken:
            uid = places.get((meeting, item_key(number)), -1)
            if isinstance(saved, bytes):
                data = saved
            elif isinstance(saved, dict):
                data = orjson.dumps(saved)
            elif at is not None and 0 <= uid < len(at) and at[uid] == saved.uid >= 0:
                # its record is the old one: its text as shown, the stream's dictionary, too
                rows.append([n, uid, len(saved.stream)])
                streams.append(saved.stream)
                continue
            else:
                data = saved.data()
            zdict = shown(uid)
            # (a cold index knows none: no lookup, which would hash the two first)
            stream = (known.get((zdict, data)) if known else None) or _compress(data, zdict)
            rows.append([n, uid, len(stream)])
            streams.append(stream)
        table.append([label, rows])
    head = pack(orjson.dumps(table), tight=True)
    return b"".join([_MAGIC, len(head).to_bytes(4, "little"), head, *streams])


def _table(raw: bytes) -> tuple[list[Any], int]:
    """A ``.long`` part's table and where its streams start (``ValueError`` when it is not
    one)."""
    if raw[:4] != _MAGIC or len(raw) < 8:
        raise ValueError("a long texts part has not the layout it is written in")
    size = int.from_bytes(raw[4:8], "little")
    return orjson.loads(unpack(raw[8 : 8 + size])), 8 + size


def each_text(raw: bytes, shown: Callable[[int], bytes]) -> Iterator[tuple[str, int, bytes]]:
    """Each stream of a ``.long`` part ``raw`` inflated: its document's label, the item's
    place and the JSON of what was taken out of it (``ValueError`` when the part is damaged
    or does not fit the search text ``shown`` gives)."""
    table, pos = _table(raw)
    for label, rows in table:
        for n, uid, length in rows:
            yield label, n, _decompress(raw[pos : pos + length], shown(uid))
            pos += length
    if pos != len(raw):
        raise ValueError("a long texts part does not fit its table")


Shown = Callable[[list[int]], dict[int, bytes]]  # records -> the text as shown of each


def restore_texts(
    entries: list[dict],
    raw: bytes,
    shown: Shown,
    streams: Streams | None = None,
    lean: Lean | None = None,
) -> None:
    """Put back the long texts of the documents of ``entries`` (``{"path", "document"}``)
    from a ``.long`` part ``raw`` (``ValueError`` when it is damaged or does not fit);
    ``shown`` gives the text as shown of the records asked for, all at once. ``streams``, if
    given, is added each stream inflated (:data:`Streams`); ``lean``, if given, each document
    with long texts as it was read (:data:`Lean`)."""
    wanted = {e["path"]: e["document"] for e in entries}
    table, pos = _table(raw)
    try:
        uids = [uid for label, rows in table if label in wanted for _, uid, _ in rows]
        texts = shown(uids) if uids else {}
        loads = orjson.loads
        for label, rows in table:
            doc = wanted.get(label)
            if doc is None:
                pos += sum(row[2] for row in rows)
                continue
            items = doc["items"]
            taken: Taken = []
            if lean is not None:
                lean[label] = (orjson.dumps(doc), taken)
            for n, uid, length in rows:
                stream, zdict = raw[pos : pos + length], texts.get(uid, b"")
                data = _decompress(stream, zdict)
                items[n].update(loads(data))
                if lean is not None:  # (its JSON as read: what a stream holds, never changed)
                    taken.append((n, str(items[n].get("number") or ""), data))
                if streams is not None:
                    streams[(zdict, data)] = stream
                pos += length
    except (IndexError, KeyError, TypeError, AttributeError, orjson.JSONDecodeError) as exc:
        raise ValueError(f"a long texts part does not fit its documents: {exc}") from None
    if pos != len(raw):
        raise ValueError("a long texts part does not fit its table")


def _segment(path: Path) -> tuple[bytes, bytes, Any, Any]:
    """The search segment of the shard ``path``: its folded text, its patches (inflated
    whole, a few hundred KB: most of its records are read), where each record starts in
    each."""
    from ..packed import BlockText
    from ..search.segments import _read_offsets

    f_starts, s_starts, _ = _read_offsets(path.with_suffix(".idx").read_bytes())
    folded = path.with_suffix(".txt").read_bytes()
    patches = BlockText(path.with_suffix(".show").read_bytes(), s_starts[-1] if s_starts else 0)[:]
    return folded, patches, f_starts, s_starts


def segment_texts(path: Path) -> Callable[[int], bytes]:
    """The text as shown of each record of the search segment of the shard ``path``."""
    folded, patches, f_starts, s_starts = _segment(path)

    def shown(uid: int) -> bytes:
        return record_text(folded, patches, f_starts, s_starts, uid)

    return shown


def segment_shown(path: Path) -> Shown:
    """The text as shown of records of the search segment of the shard ``path`` (see
    :func:`record_text`), worked out together."""

    def shown(uids: list[int]) -> dict[int, bytes]:
        folded, patches, f_starts, s_starts = _segment(path)
        last = len(f_starts) - 1
        found = sorted({uid for uid in uids if 0 <= uid < last})
        pairs = [
            (folded[f_starts[u] : f_starts[u + 1] - 1], patches[s_starts[u] : s_starts[u + 1]])
            for u in found
        ]
        return dict(zip(found, shown_texts(pairs), strict=True))

    return shown


def read_long_texts(
    path: Path, entries: list[dict], streams: Streams | None = None, lean: Lean | None = None
) -> None:
    """Put back the long texts of ``entries``, documents of the shard ``path``, from the
    shard's ``.long`` part and its search segment (``.txt``, ``.show``, ``.idx``); add its
    streams to ``streams`` and its documents as read to ``lean`` if given."""
    if not any(e["document"].get("items") for e in entries):
        return
    raw = path.with_suffix(LONG).read_bytes()
    restore_texts(entries, raw, segment_shown(path), streams, lean)
