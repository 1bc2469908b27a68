"""Where tuibrowser keeps its files for a user: the cache, state and config folders.

Each is the platform's user folder for ``tuibrowser`` unless an environment variable moves it:
``TUIBROWSER_CACHE_DIR`` (the caches), ``TUIBROWSER_STATE_DIR`` (the seen-meetings file and
debug logs), ``TUIBROWSER_CONFIG_DIR`` (``keymap.toml``).
"""

from __future__ import annotations

import os
from pathlib import Path

# platformdirs is imported when a folder is asked of it: a command given its folders (``--cache``,
# the variables below) does not pay for it

APP_NAME = "tuibrowser"
ENV_CACHE_DIR = "TUIBROWSER_CACHE_DIR"
ENV_STATE_DIR = "TUIBROWSER_STATE_DIR"
ENV_CONFIG_DIR = "TUIBROWSER_CONFIG_DIR"


def cache_dir() -> Path:
    """``$TUIBROWSER_CACHE_DIR``, else the platform's user cache folder."""
    if folder := os.environ.get(ENV_CACHE_DIR):
        return Path(folder)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """``$TUIBROWSER_STATE_DIR``, else the platform's user state folder."""
    if folder := os.environ.get(ENV_STATE_DIR):
        return Path(folder)
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """``$TUIBROWSER_CONFIG_DIR``, else the platform's user config folder."""
    if folder := os.environ.get(ENV_CONFIG_DIR):
        return Path(folder)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def cache_file_for(root: Path, folder: Path | None = None, public: bool = False) -> Path:
    """The index of the cache of the meetings folder ``root`` (keyed by its real path)."""
    from ..digest import hexdigest  # (not OpenSSL's: its start-up is 5 ms)

    real = str(Path(root).resolve())
    digest = hexdigest(real.encode("utf-8", "surrogateescape"))[:20]
    suffix = "-public" if public else ""
    return (folder or cache_dir()) / f"meetings-{digest}{suffix}.json"
