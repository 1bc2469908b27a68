"""The meeting list's filter and sort in SQL: the rows :func:`tuibrowser.listing.select_rows`
gives, in its order, a page at a time (keyset: the page after a row, no OFFSET).

Lower case is Unicode's, as Python's ``str.lower`` makes it: ``lower()`` under the ICU root
collation (``und-x-icu``), whose full case mapping is Unicode's too (``İ``, final ``Σ``,
``ẞ``), whatever the database's own locale; sorted text is then compared by code point
(``COLLATE "C"``), as Python compares strings. The expressions here are those the indexes of
migration ``0005_read.sql`` are made on (a trigram index for the filter, a b-tree for each
column's first direction), so the planner can use them: change both together.
"""

from __future__ import annotations

from typing import Any

ICU = 'COLLATE "und-x-icu"'
HAYSTACK = (
    "lower((coalesce(row->>'date', '') || ' ' || coalesce(row->>'board', '') || ' ' || "
    f"coalesce(row->>'venue', '') || ' ' || coalesce(row->>'titles', '')) {ICU})"
)
KEYS = {
    "date": "date",
    "board": f'(lower(board {ICU}) COLLATE "C")',
    "docs": "((row->>'docs') COLLATE \"C\")",
    "venue": f"(lower((row->>'venue') {ICU}) COLLATE \"C\")",
    "items": "((row->>'items')::integer)",
    "present": "((row->>'present')::integer)",
}
TIES = ("date", "time", "board", "id")  # newest first: the meeting list's own order


def like_pattern(word: str) -> str:
    """``%word%`` for LIKE, the word's own ``%``, ``_`` and ``\\`` matched as themselves."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def select_sql(
    words: list[str], column: str, reverse: bool, after: str | None
) -> tuple[str, dict[str, Any]]:
    """The query of one page: rows of ``%(folder)s`` and ``%(public)s`` whose haystack holds
    every word, by ``column`` (``reverse``: largest first), ties newest first, after the row
    whose id is ``after``, at most ``%(limit)s``; and its parameters (words, after)."""
    key = KEYS[column]  # a KeyError for a column the list has not
    way = "DESC" if reverse else "ASC"
    where, params = _filter(words)
    source = "meetings"
    if after is not None:  # the row after which the page starts, its key read here
        params["after"] = after
        source += (
            f", (SELECT {key} AS k, date AS d, time AS t, board AS b, id AS i FROM meetings"
            " WHERE folder = %(folder)s AND public = %(public)s AND id = %(after)s) a"
        )
        beyond = ">" if reverse is False else "<"
        where.append(
            f"({key} {beyond} a.k OR ({key} = a.k AND ({', '.join(TIES)}) < (a.d, a.t, a.b, a.i)))"
        )
    order = f"ORDER BY {key} {way}, " + ", ".join(f"{c} DESC" for c in TIES)
    sql = f"SELECT row::text FROM {source} WHERE {' AND '.join(where)} {order} LIMIT %(limit)s"
    return sql, params


def _filter(words: list[str]) -> tuple[list[str], dict[str, Any]]:
    """The conditions of the folder's rows of its kind whose haystack holds every word."""
    params: dict[str, Any] = {}
    where = ["folder = %(folder)s", "public = %(public)s"]
    for n, word in enumerate(words):
        params[f"w{n}"] = like_pattern(word)
        where.append(f"{HAYSTACK} LIKE %(w{n})s")
    return where, params


def count_sql(words: list[str]) -> tuple[str, dict[str, Any]]:
    """The query of how many rows of ``%(folder)s`` and ``%(public)s`` hold every word (the
    list's "N of M meetings match"), and its parameters."""
    where, params = _filter(words)
    return f"SELECT count(*) FROM meetings WHERE {' AND '.join(where)}", params


# What the list's title and legend need of the whole list, not of a page: every board (the
# labels that tell them apart, and one board's name in the title) and which marks its rows
# bear (as ``tui.screens.meetings.mark_of`` gives them: cancelled first, then withheld, then
# confidential).
FACTS_SQL = """
SELECT coalesce(array_agg(DISTINCT row->>'board'), '{}'),
    coalesce(bool_or(c), false),
    coalesce(bool_or(NOT c AND n < 0), false),
    coalesce(bool_or(NOT c AND n > 0), false)
FROM (SELECT row, coalesce((row->>'cancelled')::boolean, false) AS c,
        coalesce((row->>'confidential')::integer, 0) AS n
      FROM meetings WHERE folder = %(folder)s AND public = %(public)s) m
"""
