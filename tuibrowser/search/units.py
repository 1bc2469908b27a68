"""What search finds: the records of a library, each made of named fields.

An item, each of its decisions and actions, a KPI row, a person: a record (:class:`_Unit`)
with its fields (the first is its title, what ranks first). A meeting's records come in one
order (:func:`_meeting_units`), so a record is known by its place in its month, and one record
can be made alone (:func:`_unit_at`) when a query shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..keys import item_key
from .folding import display_text

if TYPE_CHECKING:
    from ..library import Library
    from ..model import Item, Kpi, Meeting, Person


class _Unit:
    """One searchable record: an item, a decision, an action, a person or a KPI row.

    ``fields`` are ``(name, raw text)``, empty ones left out; the first ``head`` of them are
    its title (what ranks first).
    """

    __slots__ = ("kind", "meeting", "item", "person", "kpi", "raw_title", "fields", "head")

    def __init__(
        self,
        kind: str,
        title: str,
        fields: list[tuple[str, str]],
        head: int,
        meeting: Meeting | None = None,
        item: Item | None = None,
        person: str | None = None,
        kpi: Kpi | None = None,
    ) -> None:
        self.kind = kind
        self.raw_title = title
        self.fields = [(name, text) for name, text in fields if text]
        self.head = min(head, len(self.fields))
        self.meeting = meeting
        self.item = item
        self.person = person
        self.kpi = kpi

    @property
    def title(self) -> str:
        return display_text(self.raw_title)


def _unit_records(units: Iterable[_Unit]) -> list[tuple[list[str], list[str]]]:
    return [([n for n, _ in u.fields], [t for _, t in u.fields]) for u in units]


def month_records(meetings: Iterable[Meeting]) -> list[tuple[list[str], list[str]]]:
    """``_unit_records(_month_units(meetings))``, made without a :class:`_Unit` for each
    record (see :func:`month_fields`)."""
    return list(zip(*month_fields(meetings), strict=True))


def month_fields(meetings: Iterable[Meeting]) -> tuple[list[list[str]], list[list[str]]]:
    """The field names and the field texts of each record of :func:`month_records`, in two
    lists (not a pair for each record): what a shard's search text is folded from (every
    record of every meeting). Records of the same field names share their list: read them,
    do not change them."""
    names: list[list[str]] = []
    texts: list[list[str]] = []
    name, text = names.append, texts.append
    item_fields = ["title", "minute", "report"]
    decision_fields, action_fields, title_field = (
        ["title", "decision"],
        ["title", "action"],
        ["title"],
    )
    for m in meetings:
        for it in m.items:
            title = it.title
            report = _report_text(it.report) if it.report is not None else ""
            if title and it.minute and report:  # most items: every field (no call for it)
                name(item_fields)
                text([title, it.minute, report])
            else:
                n, t = _fields(("title", title), ("minute", it.minute), ("report", report))
                name(n)
                text(t)
            # a decision's or an action's record: its item's title, and its text
            if title:
                for d in it.decisions:
                    name(decision_fields if d else title_field)
                    text([title, d] if d else [title])
                for a in it.actions:
                    name(action_fields if a else title_field)
                    text([title, a] if a else [title])
            else:
                for d in it.decisions:
                    name(["decision"] if d else [])
                    text([d] if d else [])
                for a in it.actions:
                    name(["action"] if a else [])
                    text([a] if a else [])
        for k in m.kpis:
            n, t = _fields(
                ("code", _kpi_code(k)),
                ("target", k.target),
                ("delivered", k.delivered),
                ("theme", k.theme),
                ("note", k.note),
            )
            name(n)
            text(t)
    return names, texts


def _fields(*fields: tuple[str, str | None]) -> tuple[list[str], list[str]]:
    """The names and texts of a record's fields, empty ones left out (as :class:`_Unit`)."""
    names: list[str] = []
    texts: list[str] = []
    for name, text in fields:
        if text:
            names.append(name)
            texts.append(text)
    return names, texts


def _month_units(meetings: Iterable[Meeting]) -> Iterator[_Unit]:
    return (u for m in meetings for u in _meeting_units(m))


def _unit_count(m: Meeting) -> int:
    """How many records :func:`_meeting_units` makes of ``m``, without making them."""
    return sum(1 + len(it.decisions) + len(it.actions) for it in m.items) + len(m.kpis)


def _people_units(library: Library) -> Iterable[_Unit]:
    for key, person in library.people.items():
        yield _person_unit(key, person)


def _meeting_heads(m: Meeting) -> Iterable[tuple[str, int]]:
    """The title of each of the meeting's records, in :func:`_meeting_units` order, as
    (raw title, how many consecutive records have it)."""
    for it in m.items:
        if it.title:
            yield it.title, 1 + len(it.decisions) + len(it.actions)
            continue
        # without a title, a record's first field stands for it (see _Unit)
        yield it.minute or _report_text(it.report) or "", 1
        for text in it.decisions:
            yield text, 1
        for text in it.actions:
            yield text, 1
    for k in m.kpis:
        yield _kpi_code(k), 1


def _report_text(report) -> str:
    if report is None:
        return ""
    parts = (
        report.purpose,
        report.summary,
        report.recommendation,
        report.proposed_action,
        report.text,
    )
    return "\n".join(t for t in parts if t)


def _kpi_code(k: Kpi) -> str:
    return k.code if not k.code_printed else f"{k.code} {k.code_printed}"


def _meeting_units(m: Meeting) -> Iterable[_Unit]:
    """A meeting's records: its items, each followed by its decisions and actions; its KPIs."""
    for it in m.items:
        label = _label(it)
        yield _item_unit(m, it, label)
        for text in it.decisions:
            yield _Unit("decision", label, [("title", it.title), ("decision", text)], 1, m, it)
        for text in it.actions:
            yield _Unit("action", label, [("title", it.title), ("action", text)], 1, m, it)
    titles = {item_key(it.number): it for it in m.items}
    for k in m.kpis:
        yield _kpi_unit(m, k, titles.get(item_key(k.item)) if k.item else None)


def _unit_at(m: Meeting, offset: int) -> _Unit:
    """The ``offset``-th record of :func:`_meeting_units`, made alone."""
    kind, it, n = _place(m, offset)
    if kind == "kpi":
        k = m.kpis[n]
        return _kpi_unit(m, k, m.item(k.item) if k.item else None)
    assert it is not None
    if kind == "item":
        return _item_unit(m, it, _label(it))
    text = (it.decisions if kind == "decision" else it.actions)[n]
    return _Unit(kind, _label(it), [("title", it.title), (kind, text)], 1, m, it)


def _place(m: Meeting, offset: int) -> tuple[str, Item | None, int]:
    """What the ``offset``-th record of a meeting is: (kind, its item, index among its kind)."""
    pos = 0
    for it in m.items:
        if offset == pos:
            return "item", it, 0
        pos += 1
        if offset < pos + len(it.decisions):
            return "decision", it, offset - pos
        pos += len(it.decisions)
        if offset < pos + len(it.actions):
            return "action", it, offset - pos
        pos += len(it.actions)
    return "kpi", None, offset - pos


def _label(it: Item) -> str:
    return f"{it.number}. {it.title}" if it.title else it.number


def _item_unit(m: Meeting, it: Item, label: str) -> _Unit:
    fields = [("title", it.title), ("minute", it.minute), ("report", _report_text(it.report))]
    return _Unit("item", label, fields, 1, meeting=m, item=it)


def _kpi_title(k: Kpi) -> str:
    return f"KPI {k.code}" + (f" ({k.period})" if k.period else "")


def _kpi_unit(m: Meeting, k: Kpi, item: Item | None) -> _Unit:
    title = _kpi_title(k)
    fields = [
        ("code", _kpi_code(k)),
        ("target", k.target or ""),
        ("delivered", k.delivered or ""),
        ("theme", k.theme or ""),
        ("note", k.note or ""),
    ]
    return _Unit("kpi", title, fields, 1, meeting=m, item=item, kpi=k)


def _person_unit(key: str, person: Person) -> _Unit:
    return person_unit(
        key, person.display_name, person.names, person.authorities, person.roles, person.groups
    )


def person_unit(
    key: str,
    display: str,
    names: list[str],
    authorities: list[str],
    roles: list[str],
    groups: list[str],
) -> _Unit:
    """The record of a person (``display``: the name shown)."""
    return _Unit(
        "person",
        display,
        [
            ("name", "; ".join(dict.fromkeys([display, *names]))),
            ("authority", "; ".join(authorities)),
            ("role", "; ".join(roles)),
            ("group", "; ".join(groups)),
        ],
        1,
        person=key,
    )
