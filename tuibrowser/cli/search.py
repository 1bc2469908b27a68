"""``search``: hits in items, decisions, actions, people and KPIs."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .common import (
    _cache_options,
    _dir_argument,
    cli,
    ended_by_signals,
    env_public,
    folder,
    open_meetings,
    say,
)

if TYPE_CHECKING:
    from ..search import Results


@cli.command("search")
@click.argument("query")
@_dir_argument
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most N hits."
)
@_cache_options
def search_cmd(query, directory, as_json, limit, cache_path, no_cache, public) -> None:
    """Find QUERY in items, decisions, actions, people and KPIs; exit 1 when nothing matches.

    Every word must match (at the start of a word, any case); put a phrase in quotes:
    tuibrowser search '"local government" oflog'.
    """
    from .common import store_url
    from .hits import show_results

    url = store_url()
    use_cache = not no_cache and url is None
    results = _from_cache(query, directory, cache_path, public, limit) if use_cache else None
    if url is not None:
        results = _from_store(url, query, directory, public, limit)
    if results is None:
        store, lib, report = open_meetings(directory, cache_path, no_cache, public)
        for p in report.skipped:
            say(f"skipped {p}", err=True)
        results = store.search(lib, query, limit=limit)
    sys.exit(show_results(query, results, as_json))


def _from_store(
    url: str, query: str, directory: str | None, public: bool | None, limit: int
) -> Results | None:
    """The hits found by the PostgreSQL store's full-text search, without loading the library
    (:meth:`~tuibrowser.store.pg.store.PgStore.search_store`); None when the store holds
    nothing of the folder (then :func:`open_meetings` says so). The store's problems are not
    read (``check --store`` and ``index --store`` tell them): a query reads only its hits."""
    from ..store.pg.store import PgStore
    from .common import resolve_dir, store_errors

    store = PgStore(url, resolve_dir(directory), public=env_public() if public is None else public)
    try:
        with ended_by_signals(), store_errors():
            return store.search_store(query, limit)
    finally:
        store.close()


def _from_cache(
    query: str, directory: str | None, cache_path: str | None, public: bool | None, limit: int
) -> Results | None:
    """The hits read from the cache's files, after its refresh, without loading the library
    (:func:`.plain.cache_hits`); None when the cache cannot answer: then the library is
    loaded."""
    from .plain import cache_hits

    public = env_public() if public is None else public
    return cache_hits(folder(directory), cache_path, public, query, limit)
