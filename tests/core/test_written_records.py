"""The model's records are written out (:func:`tuibrowser.base.record`) rather than made by
``@dataclass(slots=True)`` at import: each must be what the dataclass of the same fields is —
its fields, signature, slots, ``__eq__``, ``__repr__``, ``__hash__``, ``__match_args__``, its
documentation, and what ``dataclasses.replace``, ``asdict``, pickle and orjson make of it."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil
import sys
from typing import Any

import orjson
import pytest

import tuibrowser
from tuibrowser.base import NEW_LIST, DictRoundTrip, _New, record


def written() -> list[type]:
    """Every class of the headless core made by :func:`record` (a class with dataclass
    fields of its own and no dataclass parameters: ``@dataclass`` sets both)."""
    for info in pkgutil.walk_packages(tuibrowser.__path__, "tuibrowser."):
        if ".tui" not in info.name and ".importers" not in info.name and ".sync" not in info.name:
            importlib.import_module(info.name)
    found = set()
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("tuibrowser."):
            for cls in vars(module).values():
                if isinstance(cls, type) and "__dataclass_fields__" in cls.__dict__:
                    if "__dataclass_params__" not in cls.__dict__:
                        found.add(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


WRITTEN = written()


def test_the_records_of_a_refresh_are_written_out():
    names = {c.__name__ for c in WRITTEN}
    assert {"Document", "Meeting", "Person", "Item", "Problem", "Attendee", "Kpi"} <= names
    assert {"IndexMeta", "IndexReport", "MeetingRow", "ShardJob", "Parsed", "Topic"} <= names
    assert len(WRITTEN) == 40


def twin(cls: type) -> type:
    """The dataclass ``@dataclass(slots=True)`` makes of ``cls``'s fields as its ``__init__``
    declares them (names, annotations, defaults, and the fields of ``_unshown``)."""
    init: Any = cls.__init__  # type: ignore[misc]
    params = list(inspect.signature(init).parameters.values())[1:]
    unshown = cls.__dict__.get("_unshown", ())
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": cls.__module__}
    for p in params:
        namespace["__annotations__"][p.name] = p.annotation
        hidden = {"repr": False, "compare": False} if p.name in unshown else {}
        if isinstance(p.default, _New):
            namespace[p.name] = dataclasses.field(default_factory=p.default.factory, **hidden)
        elif p.default is not inspect.Parameter.empty:
            namespace[p.name] = dataclasses.field(default=p.default, **hidden)
        elif hidden:
            namespace[p.name] = dataclasses.field(**hidden)
    # (a class without a docstring: @dataclass documents it by its signature)
    documented = not (cls.__doc__ or "").startswith(f"{cls.__name__}(")
    namespace["__doc__"] = cls.__doc__ if documented else None
    slots = "__slots__" in cls.__dict__
    made = dataclasses.dataclass(slots=slots)(type(cls.__name__, cls.__bases__, namespace))
    made.__qualname__ = cls.__qualname__
    return made


def dumped(obj: object) -> bytes | str:
    """orjson's bytes of ``obj``, or its refusal (a set is no JSON)."""
    try:
        return orjson.dumps(obj)
    except TypeError as exc:
        return str(exc)


def described(cls: type) -> list[tuple]:
    return [
        (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.compare, f.hash)
        + (f.kw_only, dict(f.metadata))
        for f in dataclasses.fields(cls)
    ]


def values(cls: type, every: bool, change: str | None = None) -> dict[str, Any]:
    """A value for each field (``every``: each field given, else only those without a
    default), a distinct one for ``change``."""
    out: dict[str, Any] = {}
    for n, f in enumerate(dataclasses.fields(cls)):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if every or required:
            factory = f.default_factory
            out[f.name] = f"v{n}" if factory is dataclasses.MISSING else factory([(n, n)])
    if change is not None:
        out[change] = "changed"
    return out


@pytest.mark.parametrize("cls", WRITTEN, ids=lambda c: c.__name__)
def test_a_written_record_is_the_dataclass_of_its_fields(cls):
    dc = twin(cls)
    assert described(cls) == described(dc)
    assert all(f._field_type is dataclasses._FIELD for f in dataclasses.fields(cls))  # type: ignore[attr-defined]
    assert str(inspect.signature(cls)).replace("-> 'None'", "-> None") == str(inspect.signature(dc))
    if "__slots__" in cls.__dict__:
        assert cls.__slots__ == dc.__slots__ and not hasattr(cls(**values(cls, False)), "__dict__")
    else:  # a default is a class attribute, as @dataclass leaves it
        for f in dataclasses.fields(cls):
            assert getattr(cls, f.name, None) == getattr(dc, f.name, None)
    assert cls.__match_args__ == dc.__match_args__
    assert cls.__hash__ is None and dc.__hash__ is None
    assert cls.__doc__ == dc.__doc__
    for every in (False, True):
        mine, theirs = cls(**values(cls, every)), dc(**values(dc, every))
        assert repr(mine) == repr(theirs)
        assert dumped(mine) == dumped(theirs)
        assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
        if isinstance(mine, DictRoundTrip):
            assert mine.to_dict() == theirs.to_dict()
        assert mine == cls(**values(cls, every)) and not mine != cls(**values(cls, every))
        assert mine != theirs and (mine == theirs) is False  # another class: never equal
        assert pickle.loads(pickle.dumps(mine)) == mine and copy.deepcopy(mine) == mine
        if isinstance(mine, DictRoundTrip) and not cls._nested and not cls._nested_lists:
            assert cls.from_dict(mine.to_dict()) == mine
    for f in dataclasses.fields(cls):
        changed = cls(**values(cls, True, f.name)) == cls(**values(cls, True))
        assert changed == (dc(**values(dc, True, f.name)) == dc(**values(dc, True)))
        replaced = dataclasses.replace(cls(**values(cls, True)), **{f.name: "changed"})
        assert replaced == cls(**values(cls, True, f.name))
        if f.default_factory is not dataclasses.MISSING:  # a new one each time, as a factory's
            a, b = cls(**values(cls, False)), cls(**values(cls, False))
            assert getattr(a, f.name) == f.default_factory()
            assert getattr(a, f.name) is not getattr(b, f.name)


def test_a_record_refers_to_itself_in_its_repr_as_a_dataclass_does():
    @record
    class Node(DictRoundTrip):
        __slots__ = ("name", "children")

        def __init__(self, name: str, children: list = NEW_LIST) -> None:
            self.name = name
            self.children = [] if children is NEW_LIST else children

    node = Node("a")
    node.children.append(node)
    assert (
        repr(node)
        == "test_a_record_refers_to_itself_in_its_repr_as_a_dataclass_does.<locals>.Node(name='a', children=[...])"
    )
    assert node.__doc__ == "Node(name: 'str', children: 'list' = <factory>)"
