"""The command line's fast path for ``tuibrowser search QUERY DIR``: on the cache, its files'
search run without importing click (:func:`.plain.cache_hits`); with ``--store URL``, the
search run through libpq itself (:mod:`tuibrowser.store.pg.quick`), without importing click
nor psycopg.

A search is a short process, and most of it was its start: importing psycopg cost about as
much as importing Textual, and click and the cache's modules more again (click and its group
were about a tenth of a search of the cache at 10,000 meetings). The forms taken here are
those whose every word this module reads as click would, with nothing for click to say: a
query and a folder (that exists and can be read), ``--cache FILE`` (a file that can be read,
or none yet) or ``--store URL`` (a PostgreSQL URL), ``--limit N`` (a whole number from 1),
``--public`` and ``--json``, each at most once. Anything else — ``--no-cache``, ``--cache``
beside ``--store``, ``TUIBROWSER_STORE`` without ``--store`` — is click's (:func:`run_search`
returns False), as :mod:`.fast` leaves it. When the search cannot be had here (the cache cannot
answer and the library must be loaded; the store not reached, ``--public``'s role refused,
nothing of the folder, any query that failed), nothing has been printed of its hits and click
runs the command, which says why or loads the library. The output is what the command prints
(:mod:`.hits`).
"""

from __future__ import annotations

import gc
import os

from .fast import (
    COMPLETE,
    ENV_STORE,
    STORE_SCHEMES,
    _cache_ok,
    _end,
    _folder_ok,
    _public,
    read_words,
)

# (False, not typing's: imported before the walk's child is forked (store.prescan), which
# typing's import, 4 ms, and pathlib's, 4 ms, would delay)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from ..search import Results

TAKES = ("--store", "--limit", "--cache")
SWITCHES = ("--public", "--json")
DEFAULT_LIMIT = 50  # as the command's --limit


class SearchForm:
    """The plain form's words, as read (a class of its own: a ``NamedTuple`` imports typing)."""

    __slots__ = ("as_json", "cache", "directory", "limit", "public", "query", "url")

    def __init__(
        self,
        query: str,
        directory: str,
        url: str | None,  # None: the cache's
        limit: int,
        public: bool,
        as_json: bool,
        cache: str | None = None,  # ``--cache FILE``
    ) -> None:
        self.query, self.directory, self.url, self.limit = query, directory, url, limit
        self.public, self.as_json, self.cache = public, as_json, cache


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
    url, cache = values.get("--store"), values.get("--cache")
    limit = values.get("--limit", str(DEFAULT_LIMIT))
    if len(positional) != 2:
        return None
    if url is not None and (cache is not None or not url.lower().startswith(STORE_SCHEMES)):
        return None
    if url is None and (ENV_STORE in os.environ or not _cache_ok(cache)):
        return None  # (the variable's store is click's to check)
    if not (limit.isascii() and limit.isdigit() and int(limit) >= 1):
        return None
    if not _folder_ok(positional[1]):
        return None
    query, directory = positional
    public, as_json = _public(flags), "--json" in flags
    return SearchForm(query, directory, url, int(limit), public, as_json, cache)


def _search(form: SearchForm) -> int:
    """The search of the cache's files, or through libpq, printed; :class:`_ClickRuns` when
    it could not be had."""
    if form.url is None:
        results = _cache_search(form)
    else:
        from pathlib import Path

        from ..store.pg.quick import search
        from .plain import ended_by_signals

        with ended_by_signals():
            results = search(form.url, Path(form.directory), form.public, form.query, form.limit)
    if results is None:
        raise _ClickRuns
    from .hits import show_results

    return show_results(form.query, results, form.as_json)


def _cache_search(form: SearchForm) -> Results | None:
    # The collector paused, as ``index`` in its plain form pauses it (.fast): the modules
    # imported and the cache's parts read hold no garbage cycles to find.
    gc_was = gc.isenabled()
    gc.disable()
    try:
        # the folder walked by children while the search is imported (on two cores)
        from ..store.prescan import begin

        begin(form.directory, warm=False)
        from ..lateinspect import import_dataclasses, import_uuid

        import_dataclasses()  # (before orjson imports it: inspect imported when used)
        import_uuid()  # (and uuid: platform is not imported)
        from pathlib import Path

        from .plain import cache_hits

        return cache_hits(Path(form.directory), form.cache, form.public, form.query, form.limit)
    finally:
        if gc_was:
            gc.enable()
