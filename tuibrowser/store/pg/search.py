"""Search in the PostgreSQL store: the database finds the candidates, Python says what matches.

Each record search finds (an item, a decision, an action, a KPI row: see
:mod:`tuibrowser.search.units`) is one row of ``search_units`` (migration ``0002_search.sql``),
written by :func:`write_search_rows` when the ingest writes its meeting, twice (the full copy
and the public one, with the ``public`` flag the row-level security reads). A row holds the
record's text as the cache's search segment holds it (folded, and as shown) and two tsvectors:
``words``, every word of the folded text with its place, and ``head_words``, the words of its
first field (its title, what ranks first).

The words are the ones today's search sees (``\\w+`` of the text folded by
:mod:`tuibrowser.search.folding`), given to PostgreSQL as lexemes as they are
(``'word':3``, no parser, no dictionary, no stemming), so a query's word ``gov`` as the prefix
``'gov':*`` finds every row whose text has a word starting "gov", and a phrase
``"local government"`` as ``'local':* <-> 'government':*`` every row with the two words side
by side: never fewer rows than today's search matches (it may give more: ``a. b`` holds the
words ``a`` and ``b`` side by side but not the phrase "a b"). Each candidate row is then
checked by today's own matcher (:func:`tuibrowser.search.query._first`) and the answer built
as :class:`tuibrowser.search.index.SearchIndex` builds it — the same tiers, order, total,
snippets and counts — so both stores give the same :class:`~tuibrowser.search.Results`.

PostgreSQL keeps at most 256 places of a lexeme and none past 16,383: a record with more words
than that (a long report) is kept without places and with the lexeme :data:`LONG`, and a
phrase finds it by its words alone (``LONG & a & b``). pg_trgm is not needed: every query of
today's syntax is words at word starts, which a prefix of a lexeme finds; a trigram index
would only serve a match inside a word, which today's search does not make.

The people are merged from every meeting: :mod:`.searchpeople` keeps each person's record as
a row with its words, found the same way, so a query reads no library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ...search.folding import _WORD, display_text
from ...search.query import _first, _term_pattern, parse_query
from ...search.results import (
    _TIER_ACTION,
    _TIER_ALL_IN_TITLE,
    _TIER_DECISION,
    _TIER_SOME_IN_TITLE,
    _TIER_TEXT,
    Hit,
    Results,
    record_hit,
)
from .searchpeople import Person, kind_of, people, write_person_parts

if TYPE_CHECKING:
    from ...model import Meeting

LONG = "~long"  # the lexeme of a record kept without places ("~" is in no word)
MAX_LEXEME = 200  # characters of a word kept (a lexeme is at most 2 KB); a query's are cut alike
MAX_PLACE = 16383  # PostgreSQL keeps no place past this
MAX_PLACES = 256  # nor more than this many places of one lexeme
MAX_VECTOR = 512 * 1024  # a bigger tsvector (PostgreSQL's limit is 1 MB): no vector, always read
BATCH = 256  # candidate rows read at a time (after the first page)
LIMIT = 200  # hits of a query by default, as tuibrowser.search.index.DEFAULT_LIMIT

_COLUMNS = (
    "folder, public, seq, grp, meeting_id, date, time, board, kind, item_number, kpi, "
    "raw_title, confidential, names, shown, folded, head_words, words"
)


# --- writing ------------------------------------------------------------------------------


def search_rows(meeting: Meeting) -> list[dict[str, Any]]:
    """The rows of ``meeting``'s records, in the order of its search segment: what
    :func:`write_search_rows` writes (without the meeting's key and flag)."""
    # what writes the rows is imported here: a query does without it (and its imports)
    from ...search.segments import _Segment, month_text
    from ...search.skeleton import _meeting_records

    records = list(_meeting_records(meeting))
    if not records:
        return []
    seg = _Segment(month_text([meeting]), [meeting], [0])
    # the first record of each title's group: an item's decisions and actions share its title
    # (one head of the month's, see _meeting_heads), a record without one heads itself
    groups = [first for first, count in _head_groups(meeting) for _ in range(count)]
    rows = []
    for seq, (kind, number, kpi, raw_title, confidential) in enumerate(records):
        folded = seg.folded_record(seq)
        head = folded.split("\n", 1)[0]
        rows.append(
            {
                "seq": seq,
                "grp": groups[seq],
                "kind": kind,
                "item_number": number,
                "kpi": kpi,
                "raw_title": raw_title,
                "confidential": bool(confidential),
                "names": seg.names(seq),
                "shown": seg.shown_fields(seq),
                "folded": folded,
                "head_words": tsvector_text(head),
                "words": tsvector_text(folded),
            }
        )
    return rows


def _head_groups(meeting: Meeting) -> Iterator[tuple[int, int]]:
    """(first record, how many records) of each title of the meeting."""
    from ...search.units import _meeting_heads

    first = 0
    for _, count in _meeting_heads(meeting):
        yield first, count
        first += count


def write_search_rows(
    cur: Any, folder: int, public: bool, shard: str, meetings: Sequence[Meeting]
) -> None:
    """Write the search rows of one half month's ``meetings`` (``shard``) of the store's
    ``folder``, the full copy or the ``public`` one, and the people they name, in the ingest's
    transaction, after their rows of ``meetings`` (deleting those deletes these)."""
    cur.execute(
        "DELETE FROM search_units WHERE folder = %s AND public = %s AND meeting_id = ANY(%s)",
        (folder, public, [m.id for m in meetings]),
    )
    with cur.copy(f"COPY search_units ({_COLUMNS}) FROM STDIN") as copy:
        for m in meetings:
            for r in search_rows(m):
                copy.write_row(
                    (folder, public, r["seq"], r["grp"], m.id, m.date, m.time or "", m.board,
                     r["kind"], r["item_number"], r["kpi"], r["raw_title"], r["confidential"],
                     r["names"], r["shown"], r["folded"], r["head_words"], r["words"])
                )  # fmt: skip
    write_person_parts(cur, folder, public, shard, meetings)


def tsvector_text(folded: str) -> str | None:
    """The tsvector (as text) of a folded text: each word with its places; without places and
    with :data:`LONG` when PostgreSQL could not keep them all; None when it would be too big
    (the row is then read by every query).

    Each word is written once, with all its places, in PostgreSQL's order of lexemes
    (``'a':1,3 'b':2``): the server, which one ingest has alone, then only checks the order
    instead of sorting every place and merging each lexeme's (its reading of a tsvector took
    a fifth of its time in a cold ingest; this way it takes under half of that), while the
    workers, one per core, do the sorting."""
    words = _WORD.findall(folded)
    if not words:
        return ""
    if max(map(len, words)) > MAX_LEXEME:
        words = [w[:MAX_LEXEME] for w in words]
    if len(words) <= MAX_PLACE:
        places = _places(words)
        if len(words) <= MAX_PLACES or max(map(len, places.values())) <= MAX_PLACES:
            size = sum(map(len, places)) + 6 * len(places) + 2 * len(words)
            text = " ".join([f"'{w}':{','.join(map(str, places[w]))}" for w in sorted(places)])
            return text if size <= MAX_VECTOR else None
    distinct = dict.fromkeys(words)
    size = sum(map(len, distinct)) + 6 * len(distinct)
    text = "'" + "' '".join([*distinct, LONG]) + "'"
    return text if size <= MAX_VECTOR else None


def _places(words: list[str]) -> dict[str, list[int]]:
    """Each word's places (counted from 1), in the order they come. (Python's order of
    strings is their code points', which is UTF-8's bytes', PostgreSQL's order of lexemes.)"""
    places: dict[str, list[int]] = {}
    for n, w in enumerate(words, start=1):
        found = places.get(w)
        if found is None:
            places[w] = [n]
        else:
            found.append(n)
    return places


def _lexeme(word: str) -> str:
    # a word holds no quote nor backslash (\w); LONG neither
    return "'" + word + "'"


# --- querying -----------------------------------------------------------------------------


def tsquery_text(terms: Sequence[str]) -> str:
    """The tsquery (as text) of folded terms: every term, each word of it a prefix, the words
    of a phrase side by side (or, in a record kept without places, anywhere)."""
    parts = []
    for term in terms:
        words = [_lexeme(w[:MAX_LEXEME]) + ":*" for w in _WORD.findall(term)]
        if len(words) == 1:
            parts.append(words[0])
        else:
            side = " <-> ".join(words)
            anywhere = " & ".join([_lexeme(LONG), *words])
            parts.append(f"( ( {side} ) | ( {anywhere} ) )")
    return " & ".join(parts)


_ORDER = "ORDER BY date DESC, time DESC, board DESC, meeting_id DESC, seq"
# the rows after a row in that order (keyset: no OFFSET, no cursor)
_AFTER = (
    " AND ((date, time, board, meeting_id) < (%s, %s, %s, %s)"
    " OR ((date, time, board, meeting_id) = (%s, %s, %s, %s) AND seq > %s))"
)


def _candidates(
    conn: Any, folder: int, public: bool, column: str, query: str, first: int = BATCH
) -> Iterator[tuple[Any, ...]]:
    """The rows whose ``column`` can match ``query`` (a tsquery's text), in the library's
    order (newest meeting first, a meeting's records in order): ``first`` rows, then pages of
    :data:`BATCH` after the last one read, each page its own query with a LIMIT.

    Each page is one round trip and plans for its LIMIT: a word in many rows walks the
    library's order (``search_units_order``) until the page is full, one in few reads its
    rows by the words' index and keeps the first in a bounded top-N sort. (A server-side
    cursor read in batches took a transaction, settings and the cursor's own statements —
    a dozen round trips a search, each a wait for a busy server's scheduler — and planned the
    whole sort, spilling to disk for a common word.)"""
    sql = (
        "SELECT meeting_id, date, time, board, seq, grp, kind, item_number, kpi, raw_title, "
        f"confidential, folded FROM search_units WHERE folder = %s AND {kind_of(public)}"
        f" AND ({column} @@ %s::tsquery OR {column} IS NULL)"
    )
    size, after = max(1, min(first, BATCH)), None
    while True:
        if after is None:
            page = conn.execute(f"{sql} {_ORDER} LIMIT %s", (folder, query, size)).fetchall()
        else:
            keys = (after[1], after[2], after[3], after[0])
            args = (folder, query, *keys, *keys, after[4], size)
            page = conn.execute(f"{sql}{_AFTER} {_ORDER} LIMIT %s", args).fetchall()
        yield from page
        if len(page) < size:
            return
        size, after = BATCH, page[-1]


def _desc(text: str) -> tuple[int, ...]:
    """A key that sorts strings the other way round (newest first, as the library lists)."""
    return (*(-ord(c) for c in text), 1)


class _Found:
    """A record the query matched: its place in the library's order, its tier and row."""

    __slots__ = ("uid", "group", "tier", "row")

    def __init__(self, uid: tuple[Any, ...], group: tuple[Any, ...], tier: int, row: Any) -> None:
        self.uid, self.group, self.tier, self.row = uid, group, tier, row


def _meeting_uid(row: Sequence[Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    mid, date, time, board, seq = row[:5]
    group = (1, _desc(date), _desc(time), _desc(board), _desc(mid))
    return (*group, seq), group


class PgSearch:
    """One query over the store's rows (``public``: the public copy) and ``people`` (the
    person records, matched here), answered as :class:`~tuibrowser.search.index.SearchIndex`
    answers it, on a reader's connection (:func:`.connect.reader_settings`)."""

    def __init__(self, conn: Any, folder: int, public: bool) -> None:
        self.conn = conn
        self.folder = folder
        self.public = public

    def query(self, query: str, limit: int | None = LIMIT) -> Results:
        terms = parse_query(query)
        if not terms:
            return Results(query, terms, [], 0)
        patterns = {t: _term_pattern(t) for t in terms}
        checks = list(patterns.items())
        tsquery = tsquery_text(terms)

        def has_all(text: str) -> bool:
            return all(_first(text, t, rx) is not None for t, rx in checks)

        # the first page: rows enough to fill the list when most match (one past the limit,
        # and the rest of that title's records, which share it); a page more is a query more
        first = BATCH if limit is None else 2 * limit + 16

        # 1. every record whose title has every term ranks first (people, then newest first)
        chosen: dict[tuple[Any, ...], _Found] = {}
        full = False
        last_group: Any = None
        for person in people(self.conn, self.folder, self.public, "head_words", tsquery, first):
            if limit is not None and len(chosen) > limit:
                full = True
                break
            if has_all(person.folded.split("\n", 1)[0]):
                uid = (0, person.key)
                chosen[uid] = _Found(uid, (0,), _TIER_ALL_IN_TITLE, person)
        if not full:
            for row in _candidates(
                self.conn, self.folder, self.public, "head_words", tsquery, first
            ):
                head = row[11].split("\n", 1)[0]
                if not has_all(head):
                    continue
                uid, group = _meeting_uid(row)
                title_group = (group, row[5])
                if limit is not None and len(chosen) > limit and title_group != last_group:
                    full = True  # the titles alone fill the list (a title's records all in)
                    break
                last_group = title_group
                chosen[uid] = _Found(uid, group, _TIER_ALL_IN_TITLE, row)
            else:
                full = limit is not None and len(chosen) > limit
        total = len(chosen)
        complete = not full
        # 2. then the rest, newest first, until there are enough
        if not full:
            for found in self._rest(tsquery, has_all, patterns, set(chosen), first):
                total += 1
                if limit is not None and len(chosen) >= limit:
                    complete = False
                    break
                chosen[found.uid] = found
        ranked = sorted(chosen.values(), key=lambda f: f.uid)
        ranked.sort(key=lambda f: f.tier)
        if limit is not None and len(ranked) > limit:
            ranked = ranked[:limit]
            complete = False
        ranked.sort(key=lambda f: (f.group, f.tier, f.uid))
        hits = self._hits(ranked, checks)
        return Results(query, terms, hits, total, complete)

    def _rest(
        self,
        tsquery: str,
        has_all: Any,
        patterns: dict[str, re.Pattern[str]],
        taken: set[tuple[Any, ...]],
        first: int = BATCH,
    ) -> Iterator[_Found]:
        """The records (not in ``taken``) that match, in the library's order, with their
        tier: the people's, then the rows'."""
        for person in people(self.conn, self.folder, self.public, "words", tsquery, first):
            uid = (0, person.key)
            if uid in taken or not has_all(person.folded):
                continue
            yield _Found(uid, (0,), _tier(person.folded, "person", patterns), person)
        for row in _candidates(self.conn, self.folder, self.public, "words", tsquery, first):
            uid, group = _meeting_uid(row)
            if uid in taken or not has_all(row[11]):
                continue
            yield _Found(uid, group, _tier(row[11], row[6], patterns), row)

    def _hits(self, ranked: list[_Found], checks: list[tuple[str, re.Pattern[str]]]) -> list[Hit]:
        shown = self._shown([f.row for f in ranked if not isinstance(f.row, Person)])
        hits = []
        for f in ranked:
            if isinstance(f.row, Person):
                p = f.row
                hits.append(
                    _hit(
                        "person",
                        p.names,
                        p.shown,
                        p.folded,
                        checks,
                        f.tier,
                        p.display,
                        person=p.key,
                    )
                )
                continue
            mid, date, _, board, seq, _, kind, number, kpi, raw_title, conf, folded = f.row
            names, fields = shown[(mid, seq)]
            hits.append(
                _hit(
                    kind,
                    names,
                    fields,
                    folded,
                    checks,
                    f.tier,
                    raw_title,
                    meeting_id=mid,
                    item_number=number,
                    kpi=kpi,
                    confidential=bool(conf),
                    date=date,
                    board=board,
                )
            )
        return hits

    def _shown(self, rows: Iterable[Sequence[Any]]) -> dict[tuple[str, int], tuple[Any, Any]]:
        """The field names and shown fields of the rows a query shows, in one read."""
        keys = [(row[0], row[4]) for row in rows]
        if not keys:
            return {}
        found = self.conn.execute(
            "SELECT meeting_id, seq, names, shown FROM search_units "
            "WHERE folder = %s AND public = %s AND (meeting_id, seq) IN "
            "(SELECT * FROM unnest(%s::text[], %s::int[]))",
            (self.folder, self.public, [k[0] for k in keys], [k[1] for k in keys]),
        ).fetchall()
        return {(mid, seq): (names, shown) for mid, seq, names, shown in found}


def _tier(text: str, kind: str, patterns: dict[str, re.Pattern[str]]) -> int:
    """The tier of a record that matches, not all in its title (see ``SearchIndex.query``)."""
    head = text.split("\n", 1)[0]
    if any(rx.search(head) for rx in patterns.values()):
        return _TIER_SOME_IN_TITLE
    if kind == "decision":
        return _TIER_DECISION
    if kind == "action":
        return _TIER_ACTION
    return _TIER_TEXT


def _hit(
    kind: str,
    names: list[str],
    shown: list[str],
    folded: str,
    checks: list[tuple[str, re.Pattern[str]]],
    tier: int,
    raw_title: str,
    **where: Any,
) -> Hit:
    """A hit as :meth:`~tuibrowser.search.index.SearchIndex._hit` makes it."""
    return record_hit(kind, names, shown, folded, checks, tier, display_text(raw_title), **where)


def search(
    conn: Any, folder: int, query: str, limit: int | None = LIMIT, public: bool = False
) -> Results:
    """The hits of ``query`` among the rows of the store's ``folder`` (``public``: its public
    copy), people and records: the answer of :func:`tuibrowser.search.run` over the same
    meetings, without a library."""
    return PgSearch(conn, folder, public).query(query, limit)
