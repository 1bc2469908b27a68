"""Frontmatter → Document: validating the keys and rows of a meeting file's frontmatter
(attendance, membership, kpis, summaries, series, outputs, figures, next_meeting…).

A value the file cannot do without (board, date, kind) raises :class:`Invalid` (the file is an
error); a bad value in a field or row the file can do without is left out with a warning (see
:data:`DROPPED`), so the meeting is still listed.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import fields as _dc_fields
from typing import Any

from . import limits, linkeddocs
from .keys import person_key
from .model import (
    KINDS,
    RATINGS,
    RECORD_STATUSES,
    STATUSES,
    Attendee,
    Document,
    Figure,
    Kpi,
    Member,
    NextMeeting,
    Output,
    Point,
    Series,
    Summary,
)

TOP_KEYS = {
    "board", "date", "time", "kind", "title", "status", "cancelled", "venue", "source",
    "next_meeting", "attendance", "membership", "kpis", "summaries", "series", "outputs",
    "figures", "notes", "format", "documents",
}  # fmt: skip
_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_STATUS_SET = frozenset(STATUSES)
_RATING_SET = frozenset(RATINGS)


# Values out of range in fields the file can do without (see limits.py): (message, YAML path),
# collected while one file is parsed, then reported as warnings with their lines.
DROPPED: ContextVar[list[tuple[str, tuple]] | None] = ContextVar("DROPPED", default=None)
LEFT_OUT = "left out"  # how the message of each ends


def _drop(message: str, path: tuple) -> None:
    dropped = DROPPED.get()
    if dropped is not None:
        dropped.append((f"{_where(path)} {message}: {LEFT_OUT}", path))


class Invalid(Exception):
    def __init__(self, message: str, path: tuple[Any, ...] = (), line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line


def kind_of(value: Any) -> str:
    return {
        list: "a list",
        dict: "a mapping",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


Warn = Callable[[str, tuple[Any, ...]], None]


def frontmatter_document(meta: dict, label: str, warn: Warn) -> Document:
    """The document the frontmatter ``meta`` of the file ``label`` describes, without its items.

    Raises :class:`Invalid` for a value the file cannot do without; ``warn(message, path)``
    reports the rest (an unknown key, a KPI given twice)."""
    for key in meta:
        if not isinstance(key, str) or key not in TOP_KEYS:
            warn(f"unknown key {key!r} is ignored", (key,))
    board = _text(meta.get("board"), ("board",))
    if not board:
        raise Invalid(
            "missing 'board': the board or committee the meeting belongs to", ("board",), 2
        )
    date = _date(meta.get("date"), ("date",), required=True)
    kind = (_text(meta.get("kind"), ("kind",)) or "minutes").lower()
    if kind not in KINDS:
        raise Invalid(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}", ("kind",))
    doc = Document(
        path=label,
        board=board,
        date=date,
        kind=kind,
        title=_opt(_text, meta.get("title"), ("title",)),
        time=_opt(_time, meta.get("time"), ("time",)),
        venue=_opt(_text, meta.get("venue"), ("venue",)),
        status=_opt(_record_status, meta.get("status"), ("status",)),
        cancelled=_opt(_bool, meta.get("cancelled"), ("cancelled",), False),
        source=_opt(_text, meta.get("source"), ("source",)),
        next_meeting=_opt(lambda v, _p: _next(v), meta.get("next_meeting"), ("next_meeting",)),
        attendance=_rows(meta, "attendance", _attendee),
        membership=_rows(meta, "membership", _member),
        kpis=_rows(meta, "kpis", _kpi),
        summaries=_rows(meta, "summaries", _summary),
        series=_rows(meta, "series", _series),
        outputs=_rows(meta, "outputs", _output),
        figures=_rows(meta, "figures", _figure),
        notes=[t for t in _rows(meta, "notes", lambda n, i: _text(n, ("notes", i))) if t],
        documents=linkeddocs.read(meta.get("documents"), _drop),
    )
    seen: dict[tuple, int] = {}
    for i, k in enumerate(doc.kpis):
        key = (k.code, k.period)
        if key in seen:
            warn(f"KPI {k.code} appears twice for period {k.period}", ("kpis", i, "code"))
        seen[key] = i
    return doc


def _record_status(value: Any, path: tuple) -> str | None:
    status = _text(value, path)
    if status is None:
        return None
    status = status.lower()
    if status not in RECORD_STATUSES:
        raise Invalid(f"unknown status {status!r}: use one of {', '.join(RECORD_STATUSES)}", path)
    return status


# A field the file can do without that holds a bad value (a time "25:00", an attendance row
# without a name) is left out with a warning naming it; the meeting is still listed. Only what
# the file cannot do without (its board, its date, its kind, a mapping of keys) skips it.


def _left_out(exc: Invalid, what: tuple | None = None) -> None:
    """Report ``exc`` as a warning: the field (or the row ``what``) it is about is left out."""
    dropped = DROPPED.get()
    if dropped is not None:
        where = f"{_where(what)} " if what and exc.path != what else ""  # the row, if not said
        dropped.append((f"{exc.message}: {where}{LEFT_OUT}", exc.path or (what or ())))


def _opt(parse: Callable[[Any, tuple], Any], value: Any, path: tuple, default: Any = None) -> Any:
    try:
        return parse(value, path)
    except Invalid as exc:
        _left_out(exc)
        return default


# The keys a row of each list may have: any other is a warning (a typo, ``actual`` for
# ``actual_value``, would otherwise leave its value out without a word). They are the fields
# of the record each row is read into, so a field the model gains is a key a row may have.
def _fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in _dc_fields(cls))


ROW_FIELDS = {
    "attendance": _fields(Attendee),
    "membership": _fields(Member),
    "kpis": _fields(Kpi),
    "summaries": _fields(Summary),
    "series": _fields(Series),
    "outputs": _fields(Output),
    "figures": _fields(Figure),
}
POINT_FIELDS = _fields(Point)  # of a point of a series


def _unknown_keys(m: dict, known: frozenset[str], path: tuple) -> None:
    """Warn of each key of the row ``m`` (at ``path``) that is not one of ``known``."""
    for name in m:
        if name not in known:
            dropped = DROPPED.get()
            if dropped is not None:
                where = path + (name,) if isinstance(name, str) else path
                dropped.append((f"{_where(path)}: unknown key {name!r} is ignored", where))


def _rows(meta: dict, key: str, parse: Callable[[Any, int], Any]) -> list:
    """The rows of the list ``key``: a row with a bad value is left out, the others kept (and
    a key a row of it does not have is told)."""
    try:
        entries = _list(meta, key)
    except Invalid as exc:
        _left_out(exc)
        return []
    out = []
    known = ROW_FIELDS.get(key)
    for i, entry in enumerate(entries):
        if known is not None and isinstance(entry, dict) and not known.issuperset(entry):
            _unknown_keys(entry, known, (key, i))  # (told of a row left out too: a typo's why)
        try:
            out.append(parse(entry, i))
        except Invalid as exc:
            _left_out(exc, (key, i))
    return out


ROW_KEYS = ("kpis", "summaries", "series", "outputs", "figures")


def row_item(meta: dict, path: tuple[Any, ...]) -> str | None:
    """The item a frontmatter row at ``path`` (``("kpis", 3, "code")``) is reported under."""
    if len(path) < 2 or path[0] not in ROW_KEYS or not isinstance(path[1], int):
        return None
    rows = meta.get(path[0])
    if not isinstance(rows, list) or not 0 <= path[1] < len(rows):
        return None
    row = rows[path[1]]
    item = row.get("item") if isinstance(row, dict) else None
    return None if item is None or isinstance(item, (dict, list)) else str(item)


def _list(meta: dict, key: str) -> list:
    value = meta.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(f"'{key}' must be a list, not {kind_of(value)}", (key,))
    return value


def _map(value: Any, path: tuple) -> dict:
    if not isinstance(value, dict):
        raise Invalid(
            f"{_where(path)} must be a mapping of keys to values, not {kind_of(value)}", path
        )
    return value


def _where(path: tuple) -> str:
    out = ""
    for step in path:
        out += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _text(value: Any, path: tuple) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, dict | list):
        raise Invalid(f"{_where(path)} must be text, not {kind_of(value)}", path)
    text = str(value).strip()
    return text or None


def _field(m: dict, key: str, p: tuple) -> str | None:
    """A text field of a mapping: a plain string takes the quick way (most values are), the
    rest goes through :func:`_text` (which names the place of a value that is not text)."""
    value = m.get(key)
    if type(value) is str:
        value = value.strip()
        return value or None
    return None if value is None else _text(value, p + (key,))


def _plain_texts(m: dict, keys: tuple[str, ...]) -> list[str | None] | None:
    """:func:`_field` of each of ``keys`` of the row ``m`` in one call, when each is text or
    missing (most rows); None when one is not: the row is then read field by field, which
    names the field that is not text."""
    out: list[str | None] = []
    get = m.get
    for key in keys:
        value = get(key)
        if type(value) is str:
            out.append(value.strip() or None)
        elif value is None:
            out.append(None)
        else:
            return None
    return out


def _number(value: Any, path: tuple) -> float | int | None:
    kind = type(value)
    if (kind is int or kind is float) and -limits.MAX_INTEGER <= value <= limits.MAX_INTEGER:
        return value  # (most numbers: what the checks below let through as it is)
    if value is None or value == "":
        return None
    if isinstance(value, limits.LongNumber) or (
        isinstance(value, int | float) and not isinstance(value, bool)
    ):
        why = limits.number_problem(value)
        if why is None:
            assert not isinstance(value, limits.LongNumber)  # it is always out of range
            return value
        _drop(why, path)  # a number no export can hold: the rest of the file is still good
        return None
    raise Invalid(f"{_where(path)} must be a finite number, not {limits.short(value)}", path)


def _int(value: Any, path: tuple) -> int | None:
    n = _number(value, path)
    if n is not None and (n != int(n) or n < 0):
        raise Invalid(f"{_where(path)} must be a whole number, not {value!r}", path)
    return None if n is None else int(n)


def _bool(value: Any, path: tuple) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise Invalid(f"{_where(path)} must be true or false, not {value!r}", path)
    return value


def _date(value: Any, path: tuple, required: bool = False) -> str:
    text = _text(value, path)
    if text is None:
        if required:
            raise Invalid("missing 'date': the meeting date as \"YYYY-MM-DD\"", path, 2)
        return ""
    try:
        iso = _dt.date.fromisoformat(text).isoformat() if len(text) == 10 else _bad_date(text, path)
    except ValueError:
        return _bad_date(text, path)
    if limits.year_in_range(iso):
        return iso
    why = f"{text!r} is outside the years {limits.MIN_YEAR} to {limits.MAX_YEAR}"
    if required:  # the meeting's date: without it there is no meeting
        raise Invalid(f"{_where(path)} {why}", path)
    _drop(why, path)
    return ""


def _bad_date(text: str, path: tuple) -> str:
    raise Invalid(f"{_where(path)} {text!r} is not a real date in the form YYYY-MM-DD", path)


def _time(value: Any, path: tuple) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        raise Invalid(f'{_where(path)} must be quoted text "HH:MM", not the number {value}', path)
    text = _text(value, path)
    if text is None:
        return None
    m = _TIME.match(text)
    if not m:
        raise Invalid(f'{_where(path)} {text!r} is not a 24-hour time "HH:MM"', path)
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _next(value: Any) -> NextMeeting | None:
    if value is None:
        return None
    if isinstance(value, str):
        return NextMeeting(date=_date(value, ("next_meeting",)) or None)
    m = _map(value, ("next_meeting",))
    return NextMeeting(
        date=_date(m.get("date"), ("next_meeting", "date")) or None,
        time=_time(m.get("time"), ("next_meeting", "time")),
        venue=_text(m.get("venue"), ("next_meeting", "venue")),
    )


def _status(value: Any, path: tuple) -> str:
    if type(value) is str and value in _STATUS_SET:
        return value
    text = _text(value, path)
    if text is None:
        raise Invalid(f"{_where(path)} is missing: use one of {', '.join(STATUSES)}", path[:-1])
    norm = text.lower().replace(" ", "_").replace("-", "_")
    if norm not in STATUSES:
        raise Invalid(f"unknown attendance status {text!r}: use one of {', '.join(STATUSES)}", path)
    return norm


def _rating(value: Any, path: tuple) -> str:
    text = _text(value, path)
    if text is None:
        return "not_stated"
    norm = text.lower().replace(" ", "_").replace("-", "_")
    if norm not in RATINGS:
        raise Invalid(f"unknown rating {text!r}: use one of {', '.join(RATINGS)}", path)
    return norm


_ATTENDEE_TEXTS = ("name", "person", "role", "authority", "group", "note")


def _attendee(entry: Any, i: int) -> Attendee:
    p = ("attendance", i)
    m = _map(entry, p)
    texts = _plain_texts(m, _ATTENDEE_TEXTS)
    if texts is not None:  # the quick way: what the way below makes of such a row
        name, person, role, authority, group, note = texts
        if not name:
            raise Invalid(f"attendance entry {i + 1} has no name", p)
        status = m.get("status")
        if type(status) is not str or status not in _STATUS_SET:
            status = _status(status, p + ("status",))
        person = person or person_key(name)
        return Attendee(
            name=name, status=status, role=role, authority=authority, group=group,
            person=person, note=note,
        )  # fmt: skip
    name = _field(m, "name", p)
    if not name:
        raise Invalid(f"attendance entry {i + 1} has no name", p)
    person = _field(m, "person", p)
    return Attendee(
        name=name,
        status=_status(m.get("status"), p + ("status",)),
        role=_field(m, "role", p),
        authority=_field(m, "authority", p),
        group=_field(m, "group", p),
        person=person or person_key(name),
        note=_field(m, "note", p),
    )


def _member(entry: Any, i: int) -> Member:
    p = ("membership", i)
    m = _map(entry, p)
    name = _field(m, "name", p)
    if not name:
        raise Invalid(f"membership entry {i + 1} has no name", p)
    return Member(
        name=name,
        authority=_field(m, "authority", p),
        group=_field(m, "group", p),
        role=_field(m, "role", p),
        period=_field(m, "period", p),
        person=_field(m, "person", p) or person_key(name),
    )


_KPI_TEXTS = ("code", "theme", "period", "target", "delivered", "item", "code_printed", "note")


def _kpi(entry: Any, i: int) -> Kpi:
    p = ("kpis", i)
    m = _map(entry, p)
    texts = _plain_texts(m, _KPI_TEXTS)
    if texts is not None:  # the quick way: what the way below makes of such a row
        code, theme, period, target, delivered, item, code_printed, note = texts
        if not code:
            raise Invalid(f"KPI row {i + 1} has no code", p)
        if too_long := limits.identifier_problem(code, "KPI code"):
            raise Invalid(too_long, p + ("code",))
        rating = m.get("rating")
        if type(rating) is not str or rating not in _RATING_SET:
            rating = _rating(rating, p + ("rating",))
        target_value = _number(m.get("target_value"), p + ("target_value",))
        actual_value = _number(m.get("actual_value"), p + ("actual_value",))
        return Kpi(
            code=code, rating=rating, theme=theme, period=period, target=target,
            target_value=target_value, delivered=delivered, actual_value=actual_value, item=item,
            code_printed=code_printed, note=note,
        )  # fmt: skip
    code = _field(m, "code", p)
    if not code:
        raise Invalid(f"KPI row {i + 1} has no code", p)
    if too_long := limits.identifier_problem(code, "KPI code"):
        raise Invalid(too_long, p + ("code",))
    return Kpi(
        code=code,
        rating=_rating(m.get("rating"), p + ("rating",)),
        theme=_field(m, "theme", p),
        period=_field(m, "period", p),
        target=_field(m, "target", p),
        target_value=_number(m.get("target_value"), p + ("target_value",)),
        delivered=_field(m, "delivered", p),
        actual_value=_number(m.get("actual_value"), p + ("actual_value",)),
        item=_field(m, "item", p),
        code_printed=_field(m, "code_printed", p),
        note=_field(m, "note", p),
    )


def _summary(entry: Any, i: int) -> Summary:
    p = ("summaries", i)
    m = _map(entry, p)
    return Summary(
        period=_field(m, "period", p),
        label=_field(m, "label", p),
        total=_int(m.get("total"), p + ("total",)),
        green=_int(m.get("green"), p + ("green",)),
        amber=_int(m.get("amber"), p + ("amber",)),
        red=_int(m.get("red"), p + ("red",)),
        blue=_int(m.get("blue"), p + ("blue",)),
        item=_field(m, "item", p),
        note=_field(m, "note", p),
    )


def _series(entry: Any, i: int) -> Series:
    p = ("series", i)
    m = _map(entry, p)
    name = _field(m, "name", p)
    if not name:
        raise Invalid(f"series {i + 1} has no name", p)
    points = []
    raw_points = m.get("points") or []
    if not isinstance(raw_points, list):
        raise Invalid(f"{_where(p + ('points',))} must be a list", p + ("points",))
    for j, pt in enumerate(raw_points):
        pp = p + ("points", j)
        pm = _map(pt, pp)
        if not POINT_FIELDS.issuperset(pm):
            _unknown_keys(pm, POINT_FIELDS, pp)
        period = _text(pm.get("period"), pp + ("period",))
        if not period:
            raise Invalid(f"{_where(pp)} has no period", pp)
        points.append(Point(period=period, value=_number(pm.get("value"), pp + ("value",))))
    return Series(
        name=name,
        unit=_field(m, "unit", p),
        points=points,
        item=_field(m, "item", p),
        note=_field(m, "note", p),
    )


def _output(entry: Any, i: int) -> Output:
    p = ("outputs", i)
    m = _map(entry, p)
    project = _field(m, "project", p)
    if not project:
        raise Invalid(f"output {i + 1} has no project", p)
    return Output(
        project=project,
        output=_field(m, "output", p),
        rating=_rating(m.get("rating"), p + ("rating",)),
        reference=_field(m, "reference", p),
        period=_field(m, "period", p),
        item=_field(m, "item", p),
    )


def _figure(entry: Any, i: int) -> Figure:
    p = ("figures", i)
    m = _map(entry, p)
    name = _field(m, "name", p)
    if not name:
        raise Invalid(f"figure {i + 1} has no name", p)
    return Figure(
        name=name,
        value=_number(m.get("value"), p + ("value",)),
        unit=_field(m, "unit", p),
        text=_field(m, "text", p),
        period=_field(m, "period", p),
        item=_field(m, "item", p),
    )
