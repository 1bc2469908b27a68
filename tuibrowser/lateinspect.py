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
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType

NAME = "inspect"


class _Later(ModuleType):
    """:mod:`inspect` as :mod:`dataclasses` holds it: each name of it asked for is the real
    module's, imported then."""

    def __getattr__(self, name: str) -> object:
        return getattr(import_module(NAME), name)


def import_dataclasses() -> None:
    """Import :mod:`dataclasses` with :mod:`inspect` imported when first used (nothing is done
    when either is imported already)."""
    if "dataclasses" in sys.modules or NAME in sys.modules:
        return
    later = sys.modules[NAME] = _Later(NAME)
    try:
        import_module("dataclasses")
    finally:
        if sys.modules.get(NAME) is later:
            del sys.modules[NAME]
