"""The browser: ``tuibrowser [DIR]`` and ``tuibrowser open``."""

from __future__ import annotations

from pathlib import Path

from .common import _cache_options, _dir_argument, cli, env_public, folder


@cli.command("open")
@_dir_argument
@_cache_options
def open_cmd(
    directory: str | None, cache_path: str | None, no_cache: bool, public: bool | None
) -> None:
    """Open the browser (the default command)."""
    root = folder(directory)
    from ..tui.app import run  # Textual is imported only here

    run(
        root,
        cache_path=Path(cache_path) if cache_path else None,
        use_cache=not no_cache,
        public=env_public() if public is None else public,
    )
