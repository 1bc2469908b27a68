"""Importing :mod:`dataclasses` without importing :mod:`inspect` until it is used.

The records (:func:`tuibrowser.base.record`) and orjson, which writes them, import
:mod:`dataclasses`, and it imports :mod:`inspect` (with :mod:`ast`, :mod:`dis`,
:mod:`tokenize`, :mod:`linecache`), about 10 ms of a ``tuibrowser index`` or ``search``
process before its refresh can begin, in a one-file refresh of 200 ms. Yet :mod:`dataclasses`
uses it only in ``@dataclass`` on a class without a docstring, which these commands never
apply, and nothing else they import wants it.

:func:`import_dataclasses` imports :mod:`dataclasses` with a stand-in for :mod:`inspect` in
:data:`sys.modules`, which it takes out again at once: :mod:`dataclasses` keeps the stand-in,
which imports the real module the first time a name of it is asked for, and any other module
imports the real one. The commands whose every import Textual or click makes (they import
:mod:`inspect` themselves) gain nothing and lose nothing.

orjson imports :mod:`uuid` too, which imports :mod:`platform` (2 ms) to ask its ``system()``,
once: :func:`import_uuid` gives it a stand-in whose ``system()`` is ``os.uname().sysname``,
what platform's own is on a POSIX system, taken out of :data:`sys.modules` the same way.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from types import ModuleType

NAME = "inspect"


class _Later(ModuleType):
    """A module as another holds it (:mod:`inspect` as :mod:`dataclasses` does): each name of
    it asked for is the real module's, imported then."""

    def __getattr__(self, name: str) -> object:
        return getattr(import_module(self.__name__), name)


class _Platform(_Later):
    """:mod:`platform` as :mod:`uuid` holds it: ``system()``, all uuid asks of it, answered
    as platform answers on a POSIX system; any other name the real module's."""

    @staticmethod
    def system() -> str:
        return os.uname().sysname


def import_dataclasses() -> None:
    """Import :mod:`dataclasses` with :mod:`inspect` imported when first used (nothing is done
    when either is imported already)."""
    _import_beside("dataclasses", _Later(NAME))


def import_uuid() -> None:
    """Import :mod:`uuid` without :mod:`platform` (nothing is done when either is imported
    already, or on Windows and macOS, where uuid does not import it)."""
    if sys.platform not in ("win32", "darwin"):
        _import_beside("uuid", _Platform("platform"))


def _import_beside(module: str, stand_in: ModuleType) -> None:
    """Import ``module`` with ``stand_in`` in :data:`sys.modules` for the module it stands in
    for, taken out again at once (not when either is imported already)."""
    name = stand_in.__name__
    if module in sys.modules or name in sys.modules:
        return
    sys.modules[name] = stand_in
    try:
        import_module(module)
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
