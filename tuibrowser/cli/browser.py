"""The browser: ``tuibrowser [DIR]`` and ``tuibrowser open``."""

from __future__ import annotations

from pathlib import Path

from .common import (
    _cache_options,
    _dir_argument,
    cli,
    env_public,
    folder,
    resolve_dir,
    store_errors,
    store_url,
)


@cli.command("open")
@_dir_argument
@_cache_options
def open_cmd(
    directory: str | None, cache_path: str | None, no_cache: bool, public: bool | None
) -> None:
    """Open the browser (the default command)."""
    url = store_url()
    root = resolve_dir(directory) if url else folder(directory)
    pub = env_public() if public is None else public
    if url:
        _check_store(url, root, pub)
    from ..tui.app import run  # Textual is imported only here

    run(
        root,
        cache_path=Path(cache_path) if cache_path else None,
        use_cache=not no_cache,
        public=pub,
        store_url=url,
    )


def _check_store(url: str, root: Path, public: bool) -> None:
    """Stop with one line before the browser starts when the store cannot be read (not
    reached, ``--public`` refused, nothing ingested for the folder)."""
    from ..store.pg.store import PgStore

    store = PgStore(url, root, public=public)
    with store_errors():
        try:
            store.report()
        finally:
            store.close()
