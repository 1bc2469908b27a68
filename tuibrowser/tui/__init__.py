"""The Textual browser: ``run()`` opens it, ``TuiBrowserApp`` is the app."""

from __future__ import annotations

__all__ = ["TuiBrowserApp", "run"]


def __getattr__(name: str):
    # Import lazily so ``import tuibrowser.tui`` stays cheap for tools that only need names.
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
