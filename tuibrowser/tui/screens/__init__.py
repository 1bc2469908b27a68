"""The screens of the browser. Each lives in its own module; screens other modules own
(search, people, topics, decisions, dashboard, kpi) are imported lazily by the app."""

from __future__ import annotations

import importlib

_MODULES = {
    "HelpScreen": "help",
    "ItemScreen": "item",
    "MeetingScreen": "meeting",
    "MeetingsScreen": "meetings",
    "ProblemsScreen": "problems",
}
__all__ = list(_MODULES)


def __getattr__(name: str):
    # Imported when first asked for: the meeting list must not wait for the item screen's
    # markdown renderer.
    if name in _MODULES:
        return getattr(importlib.import_module(f".{_MODULES[name]}", __name__), name)
    raise AttributeError(name)
