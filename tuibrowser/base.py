"""What the records and the cache build on, and nothing else: records written out as
``@dataclass(slots=True)`` would make them (:func:`record`), their dict round-trip, and a
pause of the garbage collector.

Kept apart from :mod:`tuibrowser.model` so the browser's first frame (the meeting list as
cached) needs neither the model's classes nor the library.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import _FIELD, MISSING, Field, field, fields  # type: ignore[attr-defined]
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, ClassVar, Self, TypeVar

__all__ = [
    "NAME_DATE",
    "NEW_DICT",
    "NEW_LIST",
    "NEW_SET",
    "REDACTION",
    "RESTRICTED",
    "DictRoundTrip",
    "no_gc",
    "record",
    "shard_key",
]

# The severity of a problem that is not an error: a file or folder the user may not read.
RESTRICTED = "restricted"
# The version of what ``--public`` withholds (:mod:`tuibrowser.public`, cut by
# :func:`tuibrowser.library.withhold`): a public cache's index and each of its shards say the
# version they were redacted under, and are not read under another. Raise it whenever the rules
# change. (Here, not in public.py: the first frame checks the index without the model.)
REDACTION = 2  # 2: the lines that repeat a withheld item's text go too
# The date a file's name gives (the documented convention, 2018-05-24-…).
NAME_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?!\d)")


def shard_key(date: str) -> str:
    """The cache shard (and search segment) of a meeting date, or of a meeting id, which starts
    with its date: its half month, ``YYYY-MM-1`` for days 1 to 15, ``YYYY-MM-2`` after.

    Half a month of an archive's meetings is what a refresh after one edit rewrites and folds
    for search again: small enough to take a fraction of a second at 10,000 meetings.
    """
    return f"{date[:7]}-{'1' if date[8:10] <= '15' else '2'}"


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of objects are made.

    Parsed records hold no reference cycles, so nothing is lost; without this the collector
    walks every object made so far, again and again, and loading takes three times as long.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class DictRoundTrip:
    """Mixin: dict round-trip for dataclasses whose fields are plain or nested records.

    The cache turns hundreds of thousands of dicts into records at start-up, so the field
    names of each class are looked up once (``dataclasses.fields`` is slow) and kept.
    """

    # No __dict__ nor __weakref__ of its own: the records are slotted dataclasses, and a base
    # without slots would give each of them both (16 bytes each, 10 MB at 10,000 meetings).
    __slots__ = ()

    _nested: ClassVar[dict[str, type[DictRoundTrip]]] = {}
    _nested_lists: ClassVar[dict[str, type[DictRoundTrip]]] = {}
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # set by @dataclass on each record
    _field_names: ClassVar[frozenset[str]]  # set on each class by _names()
    _field_order: ClassVar[tuple[str, ...]]
    # (with the fields in order, their parameters are __init__'s: the place and class of each
    # record or list of records among them; None when a record cannot be made so)
    _field_places: ClassVar[tuple[tuple[int, type[DictRoundTrip], bool], ...] | None]

    @classmethod
    def _names(cls) -> frozenset[str]:
        names = cls.__dict__.get("_field_names")
        if names is None:
            # a field whose name starts with "_" is the object's own (a cache), not the record's
            every = fields(cls)
            public = [f.name for f in every if not f.name.startswith("_")]
            names = frozenset(public)
            cls._field_names = names
            cls._field_order = tuple(public)
            init = cls.__init__.__code__  # (made by @dataclass: self, then each parameter)
            in_order = list(init.co_varnames[1 : init.co_argcount]) == public
            cls._field_places = (
                tuple(
                    (n, kind, name in cls._nested_lists)
                    for n, name in enumerate(public)
                    if (kind := cls._nested.get(name) or cls._nested_lists.get(name))
                )
                if in_order
                else None
            )
        return names

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self._names()
        for name in self._field_order:
            value = getattr(self, name)
            if isinstance(value, DictRoundTrip):
                value = value.to_dict()
            elif isinstance(value, list):
                value = [v.to_dict() if isinstance(v, DictRoundTrip) else v for v in value]
            out[name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = cls._names()
        places = cls._field_places
        if places is not None and tuple(data) == cls._field_order:
            # every field, in order (as to_dict and orjson write a record): given by place. A
            # key read from JSON is not the parameter's own string, and a call would match it
            # to its parameter by comparing it with each name in turn (most of the cost)
            if not places:
                return cls(*data.values())
            values = list(data.values())
            for n, kind, many in places:
                value = values[n]
                if value is not None:
                    values[n] = (
                        [kind.from_dict(v) for v in value] if many else kind.from_dict(value)
                    )
            return cls(*values)
        nested, nested_lists = cls._nested, cls._nested_lists
        if not nested and not nested_lists:
            if data.keys() <= names:
                return cls(**data)
            return cls(**{k: v for k, v in data.items() if k in names})
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in names:
                continue
            if value is not None:
                if key in nested:
                    value = nested[key].from_dict(value)
                elif key in nested_lists:
                    value = [nested_lists[key].from_dict(v) for v in value]
            kwargs[key] = value
        return cls(**kwargs)


class _New:
    """The default of a record's field that starts as a new empty list, dict or set."""

    __slots__ = ("factory",)

    def __init__(self, factory: type) -> None:
        self.factory = factory

    def __repr__(self) -> str:
        return "<factory>"  # (as a dataclass's signature shows a default_factory)


# ``items: list[Item] = NEW_LIST`` in a record's ``__init__``: ``field(default_factory=list)``
NEW_LIST: Any = _New(list)
NEW_DICT: Any = _New(dict)
NEW_SET: Any = _New(set)
R = TypeVar("R", bound=type)


def record(cls: R) -> R:
    """Give ``cls``, a record written out (``__slots__`` and an ``__init__`` that sets each
    field in order, its defaults in the signature, :data:`NEW_LIST` for a new list), what
    ``@dataclass(slots=True)`` would give the same fields: ``__eq__`` (the fields as a tuple,
    against a record of the same class), ``__repr__``, ``__hash__ = None``,
    ``__match_args__`` and ``__dataclass_fields__``, so ``dataclasses.fields``, ``replace``,
    ``asdict`` and orjson take it as a dataclass. The fields named in ``_unshown`` are left
    out of the repr and the comparison (``field(repr=False, compare=False)``). A record
    without ``__slots__`` is given its defaults as class attributes, as ``@dataclass`` does.

    Written out because making the model's classes with ``@dataclass`` (its methods
    compiled from source, each class made twice for its slots) was a tenth of a one-file
    refresh; a test compares each record with the dataclass of the same fields."""
    init = cls.__init__  # type: ignore[misc]
    code = init.__code__
    names: tuple[str, ...] = code.co_varnames[1 : code.co_argcount]
    defaults = init.__defaults__ or ()
    annotations = init.__annotations__
    unshown = cls.__dict__.get("_unshown", ())
    found: dict[str, Field[Any]] = {}
    for n, name in enumerate(names):
        k = n - len(names) + len(defaults)
        hidden = {"repr": False, "compare": False} if name in unshown else {}
        if k < 0:
            made = field(**hidden)  # type: ignore[call-overload]
        elif isinstance(defaults[k], _New):
            made = field(default_factory=defaults[k].factory, **hidden)  # type: ignore[call-overload]
        else:
            made = field(default=defaults[k], **hidden)  # type: ignore[call-overload]
        made.name, made.type, made.kw_only = name, annotations.get(name), False
        made._field_type = _FIELD
        found[name] = made
    shown = [name for name in names if name not in unshown]
    key = _tuple_of(shown)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    @recursive_repr()
    def __repr__(self: Any) -> str:
        inner = ", ".join([f"{name}={getattr(self, name)!r}" for name in shown])
        return f"{self.__class__.__qualname__}({inner})"

    made_class: Any = cls
    if "__slots__" not in cls.__dict__:
        for name, made in found.items():
            if made.default is not MISSING:
                setattr(made_class, name, made.default)
    for name, value in (("__eq__", __eq__), ("__repr__", __repr__)):
        value.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(made_class, name, value)
    made_class.__hash__ = None
    setattr(made_class, "__match_args__", names)  # noqa: B010 (mypy will not have it set)
    made_class.__dataclass_fields__ = found
    if cls.__doc__ is None:  # as @dataclass documents a class without a docstring: its signature
        shown_params = [_param(f) for f in found.values()]
        made_class.__doc__ = f"{cls.__name__}({', '.join(shown_params)})"
    return cls


def _param(made: Field[Any]) -> str:
    """A field as ``inspect.signature`` shows its parameter (``name: 'type' = default``)."""
    text = made.name if made.type is None else f"{made.name}: {made.type!r}"
    if made.default_factory is not MISSING:
        return f"{text} = <factory>"
    return text if made.default is MISSING else f"{text} = {made.default!r}"


def _tuple_of(names: list[str]) -> Callable[[Any], tuple]:
    """The tuple of the fields ``names`` of a record (as a dataclass's ``__eq__`` builds it)."""
    if len(names) >= 2:
        return attrgetter(*names)
    return lambda obj: tuple([getattr(obj, name) for name in names])
