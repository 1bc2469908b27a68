"""Every record the library is made of is slotted all the way down: no ``__dict__`` and no
``__weakref__`` per object (16 bytes each, 27 MB over the 650,000 records of a 10,000-meeting
library), so a record class added without ``slots=True``, or a base without ``__slots__``,
fails here."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tuibrowser
from tuibrowser.base import DictRoundTrip


def records() -> list[type]:
    # the headless core, where the records are (the screens, importers and sync make none)
    for info in pkgutil.walk_packages(tuibrowser.__path__, "tuibrowser."):
        if ".tui" not in info.name and ".importers" not in info.name and ".sync" not in info.name:
            importlib.import_module(info.name)
    out, todo = [], [DictRoundTrip]
    while todo:
        cls = todo.pop()
        out.extend(cls.__subclasses__())
        todo.extend(cls.__subclasses__())
    return sorted(set(out), key=lambda c: c.__qualname__)


RECORDS = records()


def test_the_records_are_found():
    names = {cls.__name__ for cls in RECORDS}
    assert {"Meeting", "Item", "Attendee", "Kpi", "Appearance", "MeetingRow"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__qualname__)
def test_a_record_has_no_dict_and_no_weakref_of_its_own(cls):
    assert cls.__dictoffset__ == 0, f"{cls.__qualname__} instances carry a __dict__"
    assert cls.__weakrefoffset__ == 0, f"{cls.__qualname__} instances carry a __weakref__"
