"""Building a shard: the documents of a half month of meeting dates, written with their parts.

A shard is built whole (:func:`build_shard`), in this process or in one of a process per
core: its unchanged documents read back from its old file, its new or changed files parsed,
and (a public cache) redacted (:mod:`.redact`); then written (:func:`write_shard`) under a
new name, with beside it its rows of the meeting list, its words and its search segment.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import orjson

from ..base import NEW_LIST, REDACTION, no_gc, record, shard_key
from ..listing import group_fingerprints, meeting_order, row_fields
from ..packed import pack, pack_blocks
from . import fs
from .kept import Before, kept_parts
from .keptlong import LongDamaged, OldLong
from .keptmeetings import OldMeeting
from .layout import (
    BAD_ENTRY,
    SHARD_META,
    long_name,
    new_part_name,
    rows_name,
    search_names,
    shard_views_name,
    skeleton_names,
    words_name,
)
from .leantexts import (
    Lean,
    Streams,
    Taken,
    lean_json,
    lean_record,
    long_part,
    record_places,
    strip_texts,
)
from .parse import parse_one, parse_record
from .reader import read_shard
from .redact import withhold_confidential

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Document, Meeting
    from ..search.keptwords import OldSegment
    from .keptmeetings import Whole


@record
class ShardJob:
    """Write a shard again: its unchanged documents (``keep``, label → entry, from the
    shard file ``old``), the files to ``parse``, and documents already parsed (``more``)."""

    def __init__(
        self,
        root: str,
        shard_dir: str,
        shard: str,
        old: str | None,
        parse: list[tuple[str, str]],
        keep: dict[str, dict],
        more: dict[str, tuple[dict, dict]],
        public: bool,
        unread: list[str] = NEW_LIST,
    ) -> None:
        self.root = root
        self.shard_dir = shard_dir
        self.shard = shard
        self.old = old
        self.parse = parse
        self.keep = keep
        self.more = more
        self.public = public
        self.unread = [] if unread is NEW_LIST else unread


@record
class ShardResult:
    def __init__(
        self,
        shard: str,
        name: str | None,
        rows: list[dict],
        entries: dict[str, dict],
        read: list[str],
        misplaced: list[tuple[str, dict, dict]],
    ) -> None:
        self.shard = shard
        self.name = name
        self.rows = rows
        self.entries = entries
        self.read = read
        self.misplaced = misplaced


def build_shard(job: ShardJob) -> ShardResult:
    """Parse what is new in a shard, write it and its text, and say what it holds."""
    with no_gc():
        kept: dict[str, dict] = {}
        streams: Streams = {}  # the old part's long texts deflated, to be taken as they are
        lean: Lean = {}  # its documents with long texts as read, before they were put back
        long: OldLong | None = None  # its long texts, put back where needed (.keptlong)
        if job.old is not None:
            old = Path(job.shard_dir) / job.old
            try:
                if job.public:  # (redacted again whole: every document with its texts)
                    kept = read_shard(old, True, streams, lean)
                else:
                    kept = read_shard(old, texts=False)
                    long = OldLong(old, kept, streams, lean)
            except (OSError, ValueError, *BAD_ENTRY):  # NotRedacted too: its files are read again
                kept, streams, lean, long = {}, {}, {}, None
        root = Path(job.root)
        docs: dict[str, dict | Document] = {}
        entries: dict[str, dict] = {}
        read: list[str] = []
        misplaced: list[tuple[str, dict, dict]] = []
        dumped: dict[str, bytes] = {}  # the JSON of the documents parsed here

        def place(
            label: str, entry: dict, doc: dict | Document | None, json: bytes | None = None
        ) -> None:
            entry["shard"] = shard_key(_date(doc)) if doc else None
            if doc is not None and entry["shard"] != job.shard:
                misplaced.append((label, entry, _as_dict(doc)))
                return
            entries[label] = entry
            if doc is not None:
                docs[label] = doc
                if json is not None:
                    dumped[label] = json

        for label, entry in job.keep.items():
            doc = kept.get(label)
            if doc is None:  # the shard lost it (deleted by hand): read the file again
                read.append(label)
                place(*parse_one(str(root / label), label, as_record=True))
            else:
                entries[label] = entry
                docs[label] = doc
        for path, label in job.parse:
            read.append(label)
            place(*parse_record(path, label))
        for label, (entry, doc) in job.more.items():
            place(label, entry, doc)
        if job.public:
            docs = withhold_confidential(job, docs, entries, read, misplaced)
            dumped.clear()  # the documents written are the redacted ones
        if not docs:
            return ShardResult(job.shard, None, [], entries, read, misplaced)
        try:
            before = (
                Before(streams)
                if job.public
                else kept_parts(job.shard_dir, job, kept, docs, streams, lean, long)
            )
            name, rows = write_shard(
                Path(job.shard_dir), job.shard, docs, job.public, dumped, before
            )
        except LongDamaged:  # found as the old documents were given their texts: read again
            again = (job.root, job.shard_dir, job.shard, None, job.parse, job.keep, job.more)
            return build_shard(ShardJob(*again, job.public, job.unread))
        return ShardResult(job.shard, name, rows, entries, read, misplaced)


def write_shard(
    shard_dir: Path,
    key: str,
    docs: dict[str, dict | Document],
    redacted: bool = False,
    dumped: dict[str, bytes] | None = None,
    before: Before | None = None,
) -> tuple[str, list[dict]]:
    """Write a shard of ``docs`` (label → document, as a record or as its dict) in
    ``shard_dir``, with its folded text: its name, and the rows of its meetings. ``redacted``:
    the documents are what :func:`.redact.withhold_confidential` gave, and the shard says so
    (the rules' version, :data:`.base.REDACTION`, in its table ``meta``). ``dumped``: the JSON
    of some of ``docs`` as they are (made when they were parsed), written as it is.
    ``before``: what the shard as it was gives that is the same now (:class:`.kept.Before`),
    taken as it is."""
    from ..library import group_documents, merge
    from ..model import Document
    from ..search.keptfold import kept_fold
    from ..search.segments import month_fold
    from .keptmeetings import take_whole

    name = new_part_name(key, ".json")
    before = before or Before()
    dumped = dumped or {}
    # the meetings whose documents are all as the old shard holds them taken whole, with
    # what the old parts hold of them, when they can be (.keptmeetings)
    taken = take_whole(docs, before) if before.whole and not redacted else None
    records = (
        {p: d if isinstance(d, Document) else Document.from_dict(d) for p, d in docs.items()}
        if taken is None
        else taken.records
    )
    # the documents as they are now (orjson writes records as dicts): merging changes them.
    # Their long texts are kept once, beside the search text that shows them (.leantexts)
    whole: dict[str, bytes] = {}  # the JSON of documents made here, not given in ``dumped``
    lean, stripped = _lean_documents(docs, dumped, before, whole)
    documents = documents_json(docs, lean, redacted)
    meetings: list[Meeting | OldMeeting]
    if taken is not None:
        prints = _fingerprints(taken.groups, records, docs, dumped, whole, before)
        meetings = [*taken.taken, *taken.made]
    else:
        groups = group_documents(records.values())
        # the meetings of documents left without their long texts (.keptlong), merged apart
        bare = _bare_meetings(groups, records, docs, before)
        if bare is None:
            # one is not as the old shard holds it: every document is given its texts, and
            # the shard written the plain way (nothing is changed yet: these were merged as
            # copies)
            assert before.long is not None
            old = before.documents
            before.long.restore({label for label in docs if docs[label] is old.get(label)})
            before.long = None
            return write_shard(shard_dir, key, docs, redacted, dumped, before)
        # (of the documents as they are: merging changes them)
        prints = _fingerprints(groups, records, docs, dumped, whole, before)
        meetings = [bare.get(mid) or merge(mid, group, owned=True) for mid, group in groups.items()]
    meetings.sort(key=_meeting_order, reverse=True)

    # the search text folded once: its folded text and words, its text as shown, and the long
    # texts packed against the text as shown of each record
    try:
        folded, shown, offsets, texts = (
            month_fold(cast("list[Meeting]", meetings))
            if before.fold is None or before.rows is None
            else kept_fold(meetings, before.fold, before.rows.kept)
        )
        # (the meetings taken whole: their titles and records, with the others')
        skeleton = taken.skeleton(meetings) if taken is not None else None
    except ValueError:
        if taken is None:
            raise
        # (never: a meeting's records not as many as said) written the plain way, every
        # meeting made (nothing is written yet, nor changed: those made were merged as copies)
        before.whole = False
        return write_shard(shard_dir, key, docs, redacted, dumped, before)
    _write_rest(shard_dir, name, documents, meetings, before, taken, skeleton)
    _write_folded(shard_dir, name, folded, offsets, before.blocks)
    _write_shown(shard_dir, name, meetings, stripped, shown, texts, before)
    rows = [_row(m, key, prints, before) for m in meetings]
    fs.write_new(shard_dir / rows_name(name), before.pack(rows_name, orjson.dumps(rows)))
    return name, rows


def _row(m: Meeting | OldMeeting, key: str, prints: dict[str, str], before: Before) -> dict:
    """The row of meeting ``m`` of shard ``key``: the old part's when it is as it was (and
    always of a meeting taken whole), else made (``prints``: fingerprints by meeting id)."""
    row = before.rows.row(m) if before.rows is not None else None
    if row is not None:
        return row
    if isinstance(m, OldMeeting):
        raise ValueError("a meeting taken whole has no row")  # (never: .keptmeetings)
    return {**row_fields(m, prints[m.id]), "shard": key}


def _meeting_order(m: Meeting | OldMeeting) -> tuple[str, str, str]:
    """:func:`.listing.by_meeting_order` of a meeting, or of one taken whole."""
    return meeting_order(m.date, m.time, m.board)


def _bare_meetings(
    groups: dict[str, list[Document]],
    records: dict[str, Document],
    docs: dict[str, dict | Document],
    before: Before,
) -> dict[str, Meeting] | None:
    """The meetings of ``groups`` that hold a document left without its long texts
    (:mod:`.keptlong`), merged, by id; None unless each is taken from the old shard whole:
    its row (:class:`.kept.KeptRows`), so no fingerprint is made of it, and its records
    (:func:`tuibrowser.search.keptfold.kept_fold`: the same id there, as many records), so
    none is folded.

    Merged as copies: a record made of a dict shares its lists (an item's decisions), which
    merging in place extends, and the dicts are written again as they are when one of these
    meetings is not taken whole."""
    from ..library import merge
    from ..search.units import _unit_count

    long, rows, fold = before.long, before.rows, before.fold
    if long is None or not long.bare:
        return {}
    old = before.documents
    bare = {
        id(records[label]) for label in long.bare if label in docs and docs[label] is old[label]
    }
    found: dict[str, Meeting] = {}
    for mid, group in groups.items():
        if not bare or not any(id(doc) in bare for doc in group):
            continue
        m = found[mid] = merge(mid, group)
        if rows is None or fold is None or not rows.kept(m) or m.id not in rows.rows:
            return None
        span = fold.ranges.get(m.id)
        if span is None or span[1] - span[0] != _unit_count(m):
            return None
    return found


def _fingerprints(
    groups: dict[str, list[Document]],
    records: dict[str, Document],
    docs: dict[str, dict | Document],
    dumped: dict[str, bytes],
    whole: dict[str, bytes],
    before: Before,
) -> dict[str, str]:
    """The fingerprint (:func:`.listing.documents_fingerprint`) of each meeting of ``groups``
    whose row is not taken from the old shard (:class:`.kept.KeptRows`), of its documents'
    JSON as it was made for the shard (``dumped`` when they were parsed, ``whole`` when the
    shard was written), else made of the document (one kept from the old shard, as read
    from there, in a meeting one of whose files changed)."""
    from ..keys import meeting_id

    rows = before.rows
    label_of = {id(doc): label for label, doc in records.items()}

    def json_of(doc: Document) -> bytes:
        label = label_of[id(doc)]
        json = dumped.get(label) or whole.get(label)
        return json if json is not None else orjson.dumps(docs[label])

    made = {
        mid: group
        for mid, group in groups.items()
        if rows is None
        or mid not in rows.rows
        or meeting_id(group[0].board, group[0].date) not in rows.plain
    }
    return group_fingerprints(made, json_of)


def _write_rest(
    shard_dir: Path,
    name: str,
    documents: bytes,
    meetings: list[Meeting | OldMeeting],
    before: Before,
    taken: Whole | None = None,
    skeleton: tuple[bytes, bytes] | None = None,
) -> None:
    """A shard's documents, and what a query and the screens read instead of them (a part
    as it was in the shard ``before`` taken from there; with ``taken``, what the old parts
    hold of the meetings taken whole, and the half month's people as they were: its
    ``skeleton``, the ``.heads`` and ``.units`` made of them, :meth:`.keptmeetings.Whole.
    skeleton`)."""
    from .keptglances import glances

    payload = pack(documents)
    if taken is not None:
        heads, units = skeleton if skeleton is not None else taken.skeleton(meetings)
        for n, data in ((0, heads), (1, units)):
            part = skeleton_names(name)[n]
            fs.write_new(shard_dir / part, before.pack(partial(_skeleton_part, n), data))
        fs.write_new(shard_dir / skeleton_names(name)[2], taken.old.people)
        views = orjson.dumps(
            {"a": taken.old.figures, "t": taken.topics(meetings), "k": glances(meetings, before)}
        )
        fs.write_new(shard_dir / shard_views_name(name), before.pack(shard_views_name, views))
        fs.write_new(shard_dir / name, payload)
        return
    # (none taken whole: the people and their figures are made, importing what makes them)
    from ..library import collect_people
    from ..people_figures import shard_figures
    from ..search.skeleton import month_skeleton
    from ..topic_parts import shard_items

    made = cast("list[Meeting]", meetings)
    # what a query needs of its records and people, so it reads no document
    people = collect_people(made)  # (read, not changed, by the skeleton and the figures)
    parts = month_skeleton(made, people)
    for n, (part, data) in enumerate(zip(skeleton_names(name), parts, strict=True)):
        fs.write_new(shard_dir / part, before.pack(partial(_skeleton_part, n), data))
    # what the screens show first, so they show it before the library is loaded
    views = orjson.dumps(
        {
            "a": shard_figures(made, people),
            "t": shard_items(made),
            "k": glances(meetings, before),
        }
    )
    fs.write_new(shard_dir / shard_views_name(name), before.pack(shard_views_name, views))
    fs.write_new(shard_dir / name, payload)  # a TinyDB database of documents


def _skeleton_part(n: int, shard: str) -> str:
    return skeleton_names(shard)[n]


def _write_folded(
    shard_dir: Path, name: str, folded: bytes, offsets: bytes, old: OldSegment | None = None
) -> None:
    """A shard's folded search text, where each record starts, and its words (the words of
    its blocks as they were in the ``old`` segment taken from there:
    :mod:`tuibrowser.search.keptwords`)."""
    from ..search.keptwords import segment_words_kept
    from ..search.segments import segment_words

    # The shard's text folded for search, and its words: a query reads them, not the documents.
    # The folded text is scanned in place (a memory map) and the offsets read at every month
    # a query opens: kept as they are
    txt, _show, idx = search_names(name)
    fs.write_new(shard_dir / txt, folded)
    fs.write_new(shard_dir / idx, offsets)
    # (with no old segment, as segment_words_kept gives it, without looking each block up
    # among none: a lookup hashes the block, a month's text in all)
    words = (
        segment_words(folded, offsets) if old is None else segment_words_kept(folded, offsets, old)
    )
    # packed (ISA-L): half its size; a query inflates a month's list once for all its words
    fs.write_new(shard_dir / words_name(name), pack(words.encode("utf-8", "surrogatepass")))


def _write_shown(
    shard_dir: Path,
    name: str,
    meetings: list[Meeting | OldMeeting],
    stripped: dict[str, tuple[str, Taken]],
    shown: bytes,
    texts: Sequence[bytes],
    before: Before,
) -> None:
    """A shard's search text as shown (read a record at a time, in blocks: see
    tuibrowser.packed), and its long texts, packed against it (.leantexts): against each
    record's text as shown, ``texts``, as a reader makes it of the folded text and its patch.
    What is as it was in the shard ``before`` (blocks, streams) is taken from there."""
    from ..search.keptfold import Texts

    fs.write_new(shard_dir / search_names(name)[1], pack_blocks(shown, before.shown))
    places = record_places(meetings)
    if isinstance(texts, Texts) and before.streams:
        texts.take_streams(stripped, places, before.streams)
    long = long_part(
        stripped,
        places,
        lambda uid: texts[uid] if 0 <= uid < len(texts) else b"",
        before.streams,
        texts.at if isinstance(texts, Texts) else None,
    )
    fs.write_new(shard_dir / long_name(name), long)


def _lean_documents(
    docs: dict[str, dict | Document],
    dumped: dict[str, bytes],
    before: Before,
    whole: dict[str, bytes],
) -> tuple[dict[str, bytes], dict[str, tuple[str, Taken]]]:
    """The JSON of each document without its long texts, and what was taken out of each
    (with its meeting's id), for :func:`.leantexts.long_part` (of a document kept from the
    old shard, as it was read from there). The JSON of a whole document made here, not
    given in ``dumped``, is put in ``whole``."""
    from ..model import Document

    lean: dict[str, bytes] = {}
    stripped: dict[str, tuple[str, Taken]] = {}
    for label, doc in docs.items():
        json = dumped.get(label)
        if json is not None and isinstance(doc, Document):  # parsed here: no dict made of it
            made = lean_json(doc, json)
            lean_doc, taken = made if made is not None else lean_record(doc)
            if taken:
                stripped[label] = (doc.meeting_id, taken)
            lean[label] = json if lean_doc is None else lean_doc
            continue
        read = before.lean_of(label, doc) if json is None else None
        if read is not None:  # as the old shard holds it
            lean[label], taken = read
            if taken:
                stripped[label] = (_plain_id(doc), taken)
            continue
        if json is None:
            json = whole[label] = orjson.dumps(doc)
        as_dict = orjson.loads(json)
        taken = strip_texts(as_dict)
        if taken:
            stripped[label] = (_plain_id(doc), taken)
            lean[label] = orjson.dumps(as_dict)
        else:
            lean[label] = json
    return lean, stripped


def documents_json(
    docs: dict[str, dict | Document], dumped: dict[str, bytes], redacted: bool
) -> bytes:
    """The shard's tables in JSON, as ``orjson.dumps`` writes them (``documents``: number →
    path and document, in the order of the paths; with ``redacted``, ``meta``), taking the
    JSON of a document from ``dumped`` when it is there: a cold index would make it twice."""
    # (joined once: the documents are most of a shard's bytes, and each copy of them costs)
    parts = [b'{"documents":{']
    for n, label in enumerate(sorted(docs), 1):
        doc = dumped.get(label)
        if doc is None:
            doc = orjson.dumps(docs[label])
        parts += [b'%s"%d":{"path":' % (b"," if n > 1 else b"", n), orjson.dumps(label)]
        parts += [b',"document":', doc, b"}"]
    parts.append(b"}")
    if redacted:
        parts += [
            b",",
            orjson.dumps(SHARD_META),
            b":",
            orjson.dumps({"1": {"redacted": REDACTION}}),
        ]
    parts.append(b"}")
    return b"".join(parts)


def _plain_id(doc: Any) -> str:
    """The plain meeting id of a document, a record or its dict (:attr:`.model.Document.
    meeting_id`)."""
    from ..keys import meeting_id

    return meeting_id(
        *((doc["board"], doc["date"]) if isinstance(doc, dict) else (doc.board, doc.date))
    )


def _date(doc: dict | Document) -> str:
    return doc["date"] if isinstance(doc, dict) else doc.date


def _as_dict(doc: dict | Document) -> dict:
    return doc if isinstance(doc, dict) else doc.to_dict()
