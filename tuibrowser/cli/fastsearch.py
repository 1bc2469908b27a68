"""The command line's fast path for ``tuibrowser search QUERY DIR --store URL``: the search run
through libpq itself (:mod:`tuibrowser.store.pg.quick`), without importing click nor psycopg.

A search is a short process, and most of it was its start: importing psycopg cost about as
much as importing Textual, and click and the cache's modules more again. The form taken here
is the one whose every word this module reads as click would, with nothing for click to say:
a query and a folder (that exists and can be read), ``--store URL`` (a PostgreSQL URL),
``--limit N`` (a whole number from 1), ``--public`` and ``--json``, each at most once. Anything
else is click's (:func:`run_search` returns False), as :mod:`.fast` leaves it. When the search
cannot be had through libpq (the store not reached, ``--public``'s role refused, nothing of
the folder, any query that failed), nothing has been printed and click runs the command, whose
search through psycopg tells why. The output is what the command prints (:mod:`.hits`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from .fast import COMPLETE, STORE_SCHEMES, _end, _folder_ok, _public, read_words

TAKES = ("--store", "--limit")
SWITCHES = ("--public", "--json")
DEFAULT_LIMIT = 50  # as the command's --limit


class SearchForm(NamedTuple):
    query: str
    directory: str
    url: str
    limit: int
    public: bool
    as_json: bool


class _ClickRuns(BaseException):
    """The search could not be had here: click runs the command (nothing was printed)."""


def run_search(words: list[str]) -> bool:
    """Run ``search`` with ``words`` (those after it) if they are its plain form on a store
    (it then ends with ``SystemExit`` as the command does); False when it is click's to run."""
    form = parse_search(words)
    if form is None:
        return False
    try:
        _end(lambda: _search(form))
    except _ClickRuns:
        return False


def parse_search(words: list[str]) -> SearchForm | None:
    """The plain form's query, folder and options; None when it is not one."""
    if COMPLETE in os.environ:
        return None
    read = read_words(words, TAKES, SWITCHES, 2)  # (help, another option, a third word: click's)
    if read is None:
        return None
    values, flags, positional = read
    url, limit = values.get("--store", ""), values.get("--limit", str(DEFAULT_LIMIT))
    if len(positional) != 2 or not url.lower().startswith(STORE_SCHEMES):
        return None
    if not (limit.isascii() and limit.isdigit() and int(limit) >= 1):
        return None
    if not _folder_ok(positional[1]):
        return None
    query, directory = positional
    return SearchForm(query, directory, url, int(limit), _public(flags), "--json" in flags)


def _search(form: SearchForm) -> int:
    """The search through libpq, printed; :class:`_ClickRuns` when it could not be had."""
    from ..store.pg.quick import search
    from .plain import ended_by_signals

    with ended_by_signals():
        results = search(form.url, Path(form.directory), form.public, form.query, form.limit)
    if results is None:
        raise _ClickRuns
    from .hits import show_results

    return show_results(form.query, results, form.as_json)
