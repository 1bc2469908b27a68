"""The browser: ``tuibrowser [DIR]`` and ``tuibrowser open``."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .common import (
    _cache_options,
    _dir_argument,
    cli,
    env_public,
    folder,
    resolve_dir,
    store_url,
)
from .plain import early_first_page

if TYPE_CHECKING:
    from ..tui.app import FirstFrame


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
    first_page = _first_page(url, root, pub) if url else None
    gc_was = gc.isenabled()
    gc.disable()  # until the first frame, as the fast path (``fast._open``) does
    try:
        from ..tui.app import run  # Textual is imported only here (psycopg meanwhile, elsewhere)

        run(
            root,
            cache_path=Path(cache_path) if cache_path else None,
            use_cache=not no_cache,
            public=pub,
            store_url=url,
            first_page=first_page,
            gc_paused=gc_was,
        )
    finally:
        if gc_was:
            gc.enable()


def _first_page(url: str, root: Path, public: bool) -> Callable[[], FirstFrame]:
    """Start reading the store's first page beside Textual's import (the fast path starts it
    the same way: :func:`.plain.early_first_page`)."""
    return early_first_page(url, root, public)
