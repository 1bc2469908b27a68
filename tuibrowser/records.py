"""Files → model: read meeting files, validate them, and merge documents into meetings.

Nothing here raises on bad input: every problem becomes a :class:`Problem` naming the file
(and line), and the other files go on. A file with an error is skipped whole.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from . import limits, linkeddocs, yamlsafe
from .base import RESTRICTED
from .model import (
    KINDS,
    RATINGS,
    RECORD_STATUSES,
    STATUSES,
    Attendee,
    Document,
    Figure,
    Item,
    Kpi,
    Member,
    NextMeeting,
    Output,
    Point,
    Problem,
    Report,
    Section,
    Series,
    Summary,
    item_key,
    person_key,
)
from .safeopen import FileTooLarge, NotRegularFile, read_regular
from .text import visible_name

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FRONTMATTER_CHARS = 2 * 1024 * 1024
MAX_FOLDER_DEPTH = 32
SUFFIXES = (".md", ".markdown")

TOP_KEYS = {
    "board", "date", "time", "kind", "title", "status", "cancelled", "venue", "source",
    "next_meeting", "attendance", "membership", "kpis", "summaries", "series", "outputs",
    "figures", "notes", "format", "documents",
}  # fmt: skip
_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_STATUS_SET = frozenset(STATUSES)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


class MeetingYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler, reading with the core-schema loader."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yamlsafe.load(fm)


HANDLER = MeetingYAMLHandler()


# Values out of range in fields the file can do without (see limits.py): (message, YAML path),
# collected while one file is parsed, then reported as warnings with their lines.
_DROPPED: ContextVar[list[tuple[str, tuple]] | None] = ContextVar("_DROPPED", default=None)


def _drop(message: str, path: tuple) -> None:
    dropped = _DROPPED.get()
    if dropped is not None:
        dropped.append((f"{_where(path)} {message}: left out", path))


class Invalid(Exception):
    def __init__(self, message: str, path: tuple[Any, ...] = (), line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line


@dataclass
class Parsed:
    """What reading one file gave: a document (or None when it has errors) and problems."""

    path: str
    document: Document | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None


# --- reading ---------------------------------------------------------------


def read_file(path: Path | str, label: str | None = None) -> Parsed:
    """Read and parse one meeting file. ``label`` is the path shown in messages."""
    label = label or str(path)
    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            # A pipe would block the reader for ever; a device could be endless.
            return _fail(label, None, NOT_REGULAR)
        size = st.st_size
        if size > MAX_FILE_BYTES:
            return _fail(label, None, _too_large(size))
        # checked again on the open file: it may have been swapped for a pipe since the stat
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile:
        return _fail(label, None, NOT_REGULAR)
    except FileTooLarge as exc:
        return _fail(label, None, _too_large(exc.size))
    except PermissionError:
        return Parsed(label, None, [restricted_problem(label)])
    except OSError as exc:
        return _fail(label, None, f"cannot read file: {exc.strerror or exc}")
    return parse_bytes(raw, label)


NOT_REGULAR = "not a regular file (a pipe, socket or device): not read"


def _too_large(size: int | None) -> str:
    if size is None:
        return f"file is larger than {MAX_FILE_BYTES // 2**20} MB"
    return f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB"


def parse_bytes(raw: bytes, label: str) -> Parsed:
    if len(raw) > MAX_FILE_BYTES:
        return _fail(label, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
    if not raw.strip():
        return _fail(label, 1, "file is empty")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return _fail(label, line, "file contains NUL bytes (binary data, not a text file)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _fail(
            label, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        )
    return parse_text(text, label)


def parse_text(text: str, label: str) -> Parsed:
    """Parse the text of a meeting file."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not HANDLER.detect(text):
        return _fail(label, 1, "no frontmatter: a meeting file starts with a line '---'")
    first_nl = text.find("\n")
    closing = (
        re.search(r"^-{3,}[ \t]*$", text[first_nl + 1 :], re.MULTILINE) if first_nl >= 0 else None
    )
    if closing is None:
        return _fail(label, 1, "frontmatter is not closed: add a line '---' after it")
    fm_text = text[first_nl + 1 : first_nl + 1 + closing.start()]
    body = text[first_nl + 1 + closing.end() :]
    body_line = text[: first_nl + 1 + closing.end()].count("\n") + 1  # line number of body[0]
    if len(fm_text) > MAX_FRONTMATTER_CHARS:
        return _fail(
            label,
            2,
            f"frontmatter is {len(fm_text) / 1e6:.1f} MB; the limit is {MAX_FRONTMATTER_CHARS // 2**20} MB",
        )
    try:
        meta = HANDLER.load(fm_text)
    except yamlsafe.YamlLimitError as exc:
        return _fail(label, 2, str(exc))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return _fail(label, line, f"YAML error: {problem}")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return _fail(
            label, 2, f"frontmatter must be a mapping of keys to values, not {_kind(meta)}"
        )
    problems: list[Problem] = []
    dropped: list[tuple[str, tuple]] = []
    token = _DROPPED.set(dropped)
    try:
        doc = _document(meta, body, body_line, label, problems, fm_text)
    except Invalid as exc:
        line = exc.line
        if line is None:
            found = yamlsafe.locate(fm_text, exc.path) if exc.path else None
            line = found + 2 if found is not None else 2
        problems.insert(0, Problem(label, line, exc.message, item=_row_item(meta, exc.path)))
        return Parsed(label, None, problems)
    finally:
        _DROPPED.reset(token)
    for message, path in dropped:
        found = yamlsafe.locate(fm_text, path)
        problems.append(Problem(label, found + 2 if found is not None else 2, message, "warning"))
    unstorable = limits.storable_problem(doc)
    if unstorable:
        problems.insert(0, Problem(label, None, unstorable))
    if any(p.severity == "error" for p in problems):
        return Parsed(label, None, problems)
    return Parsed(label, doc, problems)


def restricted_problem(label: str, what: str = "file") -> Problem:
    """A file or folder the user may not read: shown as restricted, counted apart from errors."""
    return Problem(label, None, f"you do not have permission to read this {what}", RESTRICTED)


def _fail(label: str, line: int | None, message: str) -> Parsed:
    return Parsed(label, None, [Problem(label, line, message)])


def _kind(value: Any) -> str:
    return {
        list: "a list",
        dict: "a mapping",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


# --- frontmatter → Document --------------------------------------------------


def _document(
    meta: dict, body: str, body_line: int, label: str, problems: list[Problem], fm_text: str
) -> Document:
    def warn(message: str, path: tuple[Any, ...]) -> None:
        found = yamlsafe.locate(fm_text, path)
        line = found + 2 if found is not None else 2
        problems.append(Problem(label, line, message, "warning", _row_item(meta, path)))

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
    status = _text(meta.get("status"), ("status",))
    if status is not None:
        status = status.lower()
        if status not in RECORD_STATUSES:
            raise Invalid(
                f"unknown status {status!r}: use one of {', '.join(RECORD_STATUSES)}", ("status",)
            )
    doc = Document(
        path=label,
        board=board,
        date=date,
        kind=kind,
        title=_text(meta.get("title"), ("title",)),
        time=_time(meta.get("time"), ("time",)),
        venue=_text(meta.get("venue"), ("venue",)),
        status=status,
        cancelled=_bool(meta.get("cancelled"), ("cancelled",)),
        source=_text(meta.get("source"), ("source",)),
        next_meeting=_next(meta.get("next_meeting")),
        attendance=[_attendee(e, i) for i, e in enumerate(_list(meta, "attendance"))],
        membership=[_member(e, i) for i, e in enumerate(_list(meta, "membership"))],
        kpis=[_kpi(e, i) for i, e in enumerate(_list(meta, "kpis"))],
        summaries=[_summary(e, i) for i, e in enumerate(_list(meta, "summaries"))],
        series=[_series(e, i) for i, e in enumerate(_list(meta, "series"))],
        outputs=[_output(e, i) for i, e in enumerate(_list(meta, "outputs"))],
        figures=[_figure(e, i) for i, e in enumerate(_list(meta, "figures"))],
        notes=[t for i, n in enumerate(_list(meta, "notes")) if (t := _text(n, ("notes", i)))],
        documents=linkeddocs.read(meta.get("documents"), _drop),
    )
    seen: dict[tuple, int] = {}
    for i, k in enumerate(doc.kpis):
        key = (k.code, k.period)
        if key in seen:
            warn(f"KPI {k.code} appears twice for period {k.period}", ("kpis", i, "code"))
        seen[key] = i
    title, items, sections = parse_body(body, body_line, label, problems)
    if title and not doc.title:
        doc.title = title
    doc.items = items
    doc.sections = sections
    if kind == "agenda":
        for it in items:
            if it.minute:
                it.report = it.report or Report()
                it.report.text = it.minute
                it.minute = ""
    elif kind == "minutes":
        for position, it in enumerate(sorted(items, key=lambda x: x.line or 0), start=1):
            if it.order is None:
                it.order = position
    return doc


ROW_KEYS = ("kpis", "summaries", "series", "outputs", "figures")


def _row_item(meta: dict, path: tuple[Any, ...]) -> str | None:
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
        raise Invalid(f"'{key}' must be a list, not {_kind(value)}", (key,))
    return value


def _map(value: Any, path: tuple) -> dict:
    if not isinstance(value, dict):
        raise Invalid(
            f"{_where(path)} must be a mapping of keys to values, not {_kind(value)}", path
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
        raise Invalid(f"{_where(path)} must be text, not {_kind(value)}", path)
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


def _number(value: Any, path: tuple) -> float | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, limits.LongNumber) or (
        isinstance(value, int | float) and not isinstance(value, bool)
    ):
        why = limits.number_problem(value)
        if why is None:
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


def _attendee(entry: Any, i: int) -> Attendee:
    p = ("attendance", i)
    m = _map(entry, p)
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


def _kpi(entry: Any, i: int) -> Kpi:
    p = ("kpis", i)
    m = _map(entry, p)
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


# --- body → items ------------------------------------------------------------

# Headings are matched by hand, in time linear in the line: the regular expressions
# ``^##[ \t]+(?P<title>.*?)[ \t]*#*[ \t]*$`` and friends backtrack quadratically, and one
# heading of a few thousand spaces held the loader for minutes.
_NUMBER = re.compile(r"\d+[A-Za-z]?(?:\.\d+)*[A-Za-z]?")
_WS = " \t"


class _Found:
    """What a heading matcher found: ``group(name)`` like a regular-expression match."""

    __slots__ = ("_groups",)

    def __init__(self, **groups: str | None):
        self._groups = groups

    def group(self, name: str) -> str | None:
        return self._groups[name]


def _strip_closing(text: str, colon: bool = False) -> str:
    """``text`` without a closing sequence of hashes (and, for ``###``, a trailing colon)."""
    text = text.rstrip(_WS).rstrip("#").rstrip(_WS)
    if colon and text.endswith(":"):
        text = text[:-1].rstrip(_WS)
    return text


class _Heading:
    """Matches ``#``-headings of one level: the text after the hashes and blanks, as 'title'."""

    def __init__(self, level: int, colon: bool = False):
        self.prefix = "#" * level
        self.colon = colon

    def rest(self, line: str) -> str | None:
        n = len(self.prefix)
        if not line.startswith(self.prefix) or len(line) <= n or line[n] not in _WS:
            return None
        return line[n:].lstrip(_WS)

    def match(self, line: str) -> _Found | None:
        rest = self.rest(line)
        return None if rest is None else _Found(title=_strip_closing(rest, self.colon))


class _ItemHeading(_Heading):
    """``## N. Title {attrs}``: the agenda number, the title and the attributes."""

    def __init__(self) -> None:
        super().__init__(2)

    def match(self, line: str) -> _Found | None:
        rest = self.rest(line)
        if rest is None or not (m := _NUMBER.match(rest)):
            return None
        after = rest[m.end() :]
        if after.startswith("."):
            after = after[1:]
        if after and after[0] not in _WS + "{#":
            return None
        text = _strip_closing(after)
        attrs = None
        if text.endswith("}"):
            i = text.rfind("{")
            if i >= 0 and "}" not in text[i + 1 : -1]:
                attrs = text[i + 1 : -1]
                text = text[:i].rstrip(_WS)
        if after and after[0] not in _WS and text:
            return None  # a title must be set apart from the number by a blank
        return _Found(num=m.group(), title=text.lstrip(_WS) or None, attrs=attrs)


_ITEM = _ItemHeading()
_H2 = _Heading(2)
_H1 = _Heading(1)
_H3 = _Heading(3, colon=True)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# The first characters of lines that can be a heading or a fence; an empty line cannot.
_SPECIAL = frozenset("#`~ \t")
_BULLET = re.compile(r"^[ \t]{0,3}(?:[-*+•·]|\d+[.)])[ \t]+")

SUBSECTIONS = {
    "decisions": "decisions",
    "decision": "decisions",
    "actions": "actions",
    "action": "actions",
    "purpose": "purpose",
    "purpose of report": "purpose",
    "summary": "summary",
    "recommendation": "recommendation",
    "recommendations": "recommendation",
    "proposed action": "proposed_action",
    "contact officer": "contact",
    "contact": "contact",
    "editor's note": "note",
    "editor’s note": "note",
}


def parse_body(
    body: str, first_line: int, label: str, problems: list[Problem]
) -> tuple[str | None, list[Item], list[Section]]:
    """Split the markdown body into the title, agenda items and other sections."""
    title: str | None = None
    items: list[Item] = []
    sections: list[Section] = []
    seen: dict[str, int] = {}
    preamble: list[str] = []
    current: list[str] = preamble
    blocks: list[tuple[Item | Section, list[str]]] = []
    fence: str | None = None
    first_problem = len(problems)
    marked: set[int] = set()  # the lines of item headings that carry a confidential mark
    for offset, line in enumerate(body.split("\n")):
        if line[:1] not in _SPECIAL:  # prose: no heading, no fence (most lines)
            current.append(line)
            continue
        lineno = first_line + offset
        m_fence = _FENCE.match(line)
        if fence is not None:
            if m_fence and m_fence.group(1)[0] == fence[0] and len(m_fence.group(1)) >= len(fence):
                fence = None
            current.append(line)
            continue
        if m_fence:
            fence = m_fence.group(1)
            current.append(line)
            continue
        if m := _ITEM.match(line):
            number = m.group("num")
            item = Item(
                number=number, title=(m.group("title") or "").strip(), path=label, line=lineno
            )
            unknown: list[str] = []
            for attr in (m.group("attrs") or "").replace(",", " ").split():
                name, _, value = attr.lstrip(".").partition("=")
                name = name.lower()
                if name in CONFIDENTIAL_MARKS:
                    item.confidential = True
                    marked.add(lineno)
                elif name == "order" and (order := limits.order_value(value)) is not None:
                    item.order = order
                else:
                    unknown.append(attr)
            if unknown:  # one warning per heading, however many (a garbled line has thousands)
                listed = ", ".join(repr(a) for a in unknown[:3]) + (
                    f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
                )
                problems.append(
                    Problem(
                        label,
                        lineno,
                        f"unknown item attribute{'s' if len(unknown) > 1 else ''} {listed} "
                        f"{'are' if len(unknown) > 1 else 'is'} ignored",
                        "warning",
                        number,
                    )
                )
            if too_long := limits.identifier_problem(number, "item number"):
                problems.append(Problem(label, lineno, too_long))
                number = item.number = number[: limits.MAX_IDENTIFIER]
            key = item_key(number)
            if key in seen:
                problems.append(
                    Problem(
                        label,
                        lineno,
                        f"duplicate item number {number} (first at line {seen[key]})",
                        item=number,
                    )
                )
            seen[key] = lineno
            if not item.title:
                problems.append(
                    Problem(label, lineno, f"item {number} has no title", "warning", number)
                )
            items.append(item)
            current = []
            blocks.append((item, current))
            continue
        if line.startswith("## ") and (m := _H2.match(line)):
            section = Section(title=m.group("title"))
            sections.append(section)
            current = []
            blocks.append((section, current))
            continue
        if title is None and not items and not sections and (m := _H1.match(line)):
            title = m.group("title")
            continue
        current.append(line)
    _place_problems(problems[first_problem:], items)
    problems.extend(stray_marks(body, first_line, label, marked))
    pre = _clean("\n".join(preamble))
    if pre:
        sections.insert(0, Section(title="Preamble", text=pre))
    for owner, lines in blocks:
        if isinstance(owner, Section):
            owner.text = _clean("\n".join(lines))
        else:
            _fill_item(owner, lines)
    return title, items, sections


# The attributes that make an item confidential, and a mark anywhere in a body: ``{…}`` holding
# one of them as a word (``{confidential}``, ``{.exempt order=3}``).
CONFIDENTIAL_MARKS = ("confidential", "restricted", "part2", "exempt")
_MARK = re.compile(
    r"\{[^{}\n]*?(?<![\w=.-])\.?(?:" + "|".join(CONFIDENTIAL_MARKS) + r")(?![\w=-])[^{}\n]*\}",
    re.IGNORECASE,
)


def stray_marks(body: str, first_line: int, label: str, marked: set[int]) -> list[Problem]:
    """An error for each confidential mark that is not on an item heading (``## 10) …``,
    ``## Item 11: …``, ``### 13. …``, prose): it would be silently ignored, and the text it
    means to withhold published. One per line."""
    if "{" not in body:
        return []
    out: list[Problem] = []
    lineno, at = first_line, 0
    for m in _MARK.finditer(body):
        lineno += body.count("\n", at, m.start())  # counted on from the last mark: linear
        at = m.start()
        if lineno in marked or (out and out[-1].line == lineno):
            continue
        out.append(
            Problem(
                label,
                lineno,
                "a confidential mark that is not at the end of an item heading would be "
                "ignored: mark an item as '## 10. Title {confidential}'",
            )
        )
    return out


def _place_problems(problems: list[Problem], items: list[Item]) -> None:
    """Give each body problem without an item the item it lies in (the last item heading
    above its line), so that --public can withhold it with the item."""
    starts = sorted((it.line, it.number) for it in items if it.line is not None)
    lines = [line for line, _ in starts]
    for p in problems:
        if p.item is None and p.line is not None:
            at = bisect.bisect_right(lines, p.line)
            if at:
                p.item = starts[at - 1][1]


def _fill_item(item: Item, lines: list[str]) -> None:
    prose: list[str] = []
    parts: dict[str, list[str]] = {}
    target = prose
    fence = False
    for line in lines:
        if line[:1] not in _SPECIAL:
            target.append(line)
            continue
        if _FENCE.match(line):
            fence = not fence
        if not fence and (m := _H3.match(line)):
            key = SUBSECTIONS.get(m.group("title").strip().rstrip(":").lower())
            if key:
                target = parts.setdefault(key, [])
                continue
            target = prose
        target.append(line)
    item.minute = _clean("\n".join(prose))
    item.decisions = _entries(parts.get("decisions", []))
    item.actions = _entries(parts.get("actions", []))
    note = _clean("\n".join(parts.get("note", [])))
    item.note = note or None
    fields = {
        k: _clean("\n".join(parts[k])) or None
        for k in ("purpose", "summary", "recommendation", "proposed_action", "contact")
        if k in parts
    }
    if fields:
        item.report = Report(**fields)


def _entries(lines: list[str]) -> list[str]:
    """List entries (one per bullet), or paragraphs when there are no bullets."""
    out: list[str] = []
    has_bullets = any(_BULLET.match(line) for line in lines)
    current: list[str] = []

    def flush() -> None:
        # Continuation lines join with a space; a nested list entry keeps its own line.
        # (Parts joined once: adding each line to the text so far copied it every time.)
        parts: list[str] = []
        for s in current:
            s = s.strip()
            if not s:
                continue
            if parts:
                parts.append("\n" if _BULLET.match(s) else " ")
            parts.append(s)
        if parts:
            out.append("".join(parts))
        current.clear()

    for line in lines:
        if has_bullets:
            if _BULLET.match(line):
                flush()
                current.append(_BULLET.sub("", line, count=1))
            elif line.strip():
                current.append(line)
        else:
            if line.strip():
                current.append(line)
            else:
                flush()
    flush()
    return out


def _clean(text: str) -> str:
    return text.strip("\n").rstrip()


# --- folders -----------------------------------------------------------------


def scan(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The meeting files under ``root`` as (path, label relative to root), and problems.

    Symbolic links that lead outside the folder are not followed (a problem says so). One
    ``scandir`` per folder and no call per file (the archive may hold tens of thousands), and
    no recursion (a deep tree would exhaust the stack).
    """
    root = Path(root)
    files: list[tuple[str, str]] = []
    problems: list[Problem] = []
    try:
        real_root = root.resolve(strict=True)
    except OSError as exc:
        return [], [
            Problem(str(root), None, f"cannot open the meetings folder: {exc.strerror or exc}")
        ]
    if not real_root.is_dir():
        return [], [Problem(str(root), None, "not a folder")]
    real_text = str(real_root)

    seen_dirs = {real_text}
    stack: list[tuple[str, str, int]] = [(str(root), "", 0)]  # (path, label prefix, depth)
    while stack:
        dirpath, rel, depth = stack.pop()
        try:
            with os.scandir(dirpath) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            where = rel.rstrip("/") or str(root)
            if isinstance(exc, PermissionError):
                problems.append(restricted_problem(where, "folder"))
            else:
                problems.append(Problem(where, None, f"cannot read folder: {exc.strerror or exc}"))
            continue
        subdirs: list[tuple[str, str, int]] = []
        real_dir: str | None = None  # this folder's real path, worked out when first needed
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            label = rel + name
            try:
                link = entry.is_symlink()
                is_dir = entry.is_dir()  # follows a link
            except OSError:
                continue
            if not name.isascii() and not _utf8(name):
                if is_dir or name.lower().endswith(SUFFIXES):
                    problems.append(_bad_name(label, "folder" if is_dir else "file"))
                continue
            if is_dir:
                if link:
                    real = os.path.realpath(entry.path)
                    if not _inside_text(real, real_text):
                        problems.append(
                            Problem(
                                label,
                                None,
                                "symbolic link to a folder outside the meetings folder: not followed",
                                "warning",
                            )
                        )
                        continue
                else:
                    if real_dir is None:
                        real_dir = os.path.realpath(dirpath)
                    real = os.path.join(real_dir, name)
                if real in seen_dirs:
                    # A link back to a folder already read (a loop) would list its files again.
                    problems.append(
                        Problem(
                            label,
                            None,
                            "symbolic link to a folder that is already read: not followed",
                            "warning",
                        )
                    )
                    continue
                seen_dirs.add(real)
                subdirs.append((entry.path, label + "/", depth + 1))
                continue
            if not name.lower().endswith(SUFFIXES):
                continue
            if link and not _inside_text(os.path.realpath(entry.path), real_text):
                problems.append(
                    Problem(
                        label,
                        None,
                        "symbolic link to a file outside the meetings folder: not read",
                        "warning",
                    )
                )
                continue
            files.append((entry.path, label))
        if subdirs and depth >= MAX_FOLDER_DEPTH:
            problems.append(
                Problem(
                    rel.rstrip("/"),
                    None,
                    f"folders nested deeper than {MAX_FOLDER_DEPTH} levels: not read",
                    "warning",
                )
            )
            subdirs = []
        stack.extend(reversed(subdirs))
    files.sort(key=lambda f: f[1])
    return files, problems


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept as surrogates by os.scandir
        return False
    return True


def _bad_name(label: str, what: str) -> Problem:
    """A file or folder whose name is not UTF-8: named with its bytes escaped (``bad\\xff.md``),
    so the problem can be printed and stored; the file is not read."""
    return Problem(
        visible_name(label), None, f"the {what} name is not valid UTF-8: not read (rename it)"
    )


def _inside_text(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _rel(rel_dir: str, name: str) -> str:
    return name if rel_dir in (".", "") else f"{rel_dir}/{name}".replace(os.sep, "/")


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):  # broken link, or a loop of links
        return False


def read_folder(root: Path) -> tuple[list[Parsed], list[Problem]]:
    """Parse every meeting file under ``root`` (no cache)."""
    files, problems = scan(root)
    return [read_file(p, label) for p, label in files], problems


def iter_problems(parsed: Iterable[Parsed]) -> Iterator[Problem]:
    for p in parsed:
        yield from p.problems


def has_control_chars(text: str) -> bool:
    return bool(_CONTROL.search(text))


__all__ = [
    "Parsed",
    "parse_bytes",
    "parse_text",
    "read_file",
    "read_folder",
    "scan",
    "frontmatter",
]
