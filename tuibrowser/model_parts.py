"""The parts of a document, as parsed from a file: its agenda items and their reports, its
attendance, membership, KPIs, summaries, series, outputs, figures, linked documents and
sections, and a file's problems. Re-exported by :mod:`tuibrowser.model`, the domain model.

Records written out (:func:`tuibrowser.base.record`): what ``@dataclass(slots=True)`` gives
each, without making it at import (a tenth of a one-file refresh).
"""

from __future__ import annotations

from typing import ClassVar

from .base import NEW_LIST, DictRoundTrip, record
from .keys import number_key


@record
class Problem(DictRoundTrip):
    """Something wrong with a file: an ``error`` makes the file skipped, a ``warning`` does not.

    ``item`` is the number of the agenda item the problem was met in (its heading or body, or
    a frontmatter row reported under it), if any: ``--public`` withholds the message of a
    problem in a confidential item."""

    __slots__ = ("path", "line", "message", "severity", "item")

    def __init__(
        self,
        path: str,
        line: int | None,
        message: str,
        severity: str = "error",
        item: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.message = message
        self.severity = severity
        self.item = item

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


@record
class NextMeeting(DictRoundTrip):
    __slots__ = ("date", "time", "venue")

    def __init__(
        self, date: str | None = None, time: str | None = None, venue: str | None = None
    ) -> None:
        self.date = date
        self.time = time
        self.venue = venue


@record
class Report(DictRoundTrip):
    """The report an agenda pack carries for an item: what was proposed."""

    __slots__ = ("purpose", "summary", "recommendation", "proposed_action", "contact", "text")

    def __init__(
        self,
        purpose: str | None = None,
        summary: str | None = None,
        recommendation: str | None = None,
        proposed_action: str | None = None,
        contact: str | None = None,
        text: str = "",
    ) -> None:
        self.purpose = purpose
        self.summary = summary
        self.recommendation = recommendation
        self.proposed_action = proposed_action
        self.contact = contact
        self.text = text


@record
class Item(DictRoundTrip):
    """One agenda item. ``number`` is the agenda number as printed; ``order`` the order taken."""

    __slots__ = (
        "number",
        "title",
        "order",
        "confidential",
        "minute",
        "report",
        "decisions",
        "actions",
        "note",
        "path",
        "line",
    )

    def __init__(
        self,
        number: str,
        title: str,
        order: int | None = None,
        confidential: bool = False,
        minute: str = "",
        report: Report | None = None,
        decisions: list[str] = NEW_LIST,
        actions: list[str] = NEW_LIST,
        note: str | None = None,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        self.number = number
        self.title = title
        self.order = order
        self.confidential = confidential
        self.minute = minute
        self.report = report
        self.decisions = [] if decisions is NEW_LIST else decisions
        self.actions = [] if actions is NEW_LIST else actions
        self.note = note
        self.path = path
        self.line = line

    _nested: ClassVar[dict[str, type]] = {"report": Report}

    @property
    def sort_key(self) -> tuple:
        return number_key(self.number)


@record
class Attendee(DictRoundTrip):
    __slots__ = ("name", "status", "role", "authority", "group", "person", "note")

    def __init__(
        self,
        name: str,
        status: str,
        role: str | None = None,
        authority: str | None = None,
        group: str | None = None,
        person: str | None = None,
        note: str | None = None,
    ) -> None:
        self.name = name
        self.status = status
        self.role = role
        self.authority = authority
        self.group = group
        self.person = person
        self.note = note


@record
class Member(DictRoundTrip):
    """Board membership for a year, by political group."""

    __slots__ = ("name", "authority", "group", "role", "period", "person")

    def __init__(
        self,
        name: str,
        authority: str | None = None,
        group: str | None = None,
        role: str | None = None,
        period: str | None = None,
        person: str | None = None,
    ) -> None:
        self.name = name
        self.authority = authority
        self.group = group
        self.role = role
        self.period = period
        self.person = person


@record
class Kpi(DictRoundTrip):
    __slots__ = (
        "code",
        "rating",
        "theme",
        "period",
        "target",
        "target_value",
        "delivered",
        "actual_value",
        "item",
        "code_printed",
        "note",
    )

    def __init__(
        self,
        code: str,
        rating: str = "not_stated",
        theme: str | None = None,
        period: str | None = None,
        target: str | None = None,
        target_value: float | None = None,
        delivered: str | None = None,
        actual_value: float | None = None,
        item: str | None = None,
        code_printed: str | None = None,
        note: str | None = None,
    ) -> None:
        self.code = code
        self.rating = rating
        self.theme = theme
        self.period = period
        self.target = target
        self.target_value = target_value
        self.delivered = delivered
        self.actual_value = actual_value
        self.item = item
        self.code_printed = code_printed
        self.note = note


@record
class Summary(DictRoundTrip):
    """A performance summary as the report states it (not derived from rows)."""

    __slots__ = ("period", "label", "total", "green", "amber", "red", "blue", "item", "note")

    def __init__(
        self,
        period: str | None = None,
        label: str | None = None,
        total: int | None = None,
        green: int | None = None,
        amber: int | None = None,
        red: int | None = None,
        blue: int | None = None,
        item: str | None = None,
        note: str | None = None,
    ) -> None:
        self.period = period
        self.label = label
        self.total = total
        self.green = green
        self.amber = amber
        self.red = red
        self.blue = blue
        self.item = item
        self.note = note


@record
class Point(DictRoundTrip):
    __slots__ = ("period", "value")

    def __init__(self, period: str, value: float | None = None) -> None:
        self.period = period
        self.value = value


@record
class Series(DictRoundTrip):
    __slots__ = ("name", "unit", "points", "item", "note")

    def __init__(
        self,
        name: str,
        unit: str | None = None,
        points: list[Point] = NEW_LIST,
        item: str | None = None,
        note: str | None = None,
    ) -> None:
        self.name = name
        self.unit = unit
        self.points = [] if points is NEW_LIST else points
        self.item = item
        self.note = note

    _nested_lists: ClassVar[dict[str, type]] = {"points": Point}


@record
class Output(DictRoundTrip):
    """A programme output with its RAG rating (e.g. the Productivity Programme table)."""

    __slots__ = ("project", "output", "rating", "reference", "period", "item")

    def __init__(
        self,
        project: str,
        output: str | None = None,
        rating: str = "not_stated",
        reference: str | None = None,
        period: str | None = None,
        item: str | None = None,
    ) -> None:
        self.project = project
        self.output = output
        self.rating = rating
        self.reference = reference
        self.period = period
        self.item = item


@record
class Figure(DictRoundTrip):
    """A financial or other stated figure, e.g. grant £21m."""

    __slots__ = ("name", "value", "unit", "text", "period", "item")

    def __init__(
        self,
        name: str,
        value: float | None = None,
        unit: str | None = None,
        text: str | None = None,
        period: str | None = None,
        item: str | None = None,
    ) -> None:
        self.name = name
        self.value = value
        self.unit = unit
        self.text = text
        self.period = period
        self.item = item


@record
class LinkedDocument(DictRoundTrip):
    """A document a meeting links (an agenda pack, a report, printed minutes): the frontmatter
    key ``documents``. ``file`` is where a copy was saved, relative to the meetings folder;
    ``note`` says why there is none (``restricted, not downloaded``)."""

    __slots__ = ("title", "url", "file", "size", "sha256", "kind", "item", "note")

    def __init__(
        self,
        title: str,
        url: str | None = None,
        file: str | None = None,
        size: int | None = None,
        sha256: str | None = None,
        kind: str | None = None,
        item: str | None = None,
        note: str | None = None,
    ) -> None:
        self.title = title
        self.url = url
        self.file = file
        self.size = size
        self.sha256 = sha256
        self.kind = kind
        self.item = item
        self.note = note


LINKED_KINDS = ("agenda pack", "report", "minutes", "other")


@record
class Section(DictRoundTrip):
    """A part of a document that is not an agenda item (preamble, appendix, notes)."""

    __slots__ = ("title", "text")

    def __init__(self, title: str, text: str = "") -> None:
        self.title = title
        self.text = text
