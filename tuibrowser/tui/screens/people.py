"""People: everyone the records name, with roles, authorities over time and attendance."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ...library import Library
from ...model import STATUS_LABELS, STATUSES, Person
from ...text import one_line

LEGEND = (
    "Present: attended (sub = as substitute, obs = as observer) · Apol.: sent apologies · "
    "In att.: attended, not a member · Absent: listed, no apologies recorded"
)


def attended_as(role: str | None) -> str:
    """``substitute``, ``observer`` or ``member``, from a role as printed."""
    low = (role or "").lower()
    if "substitute" in low:
        return "substitute"
    if "observer" in low:
        return "observer"
    return "member"


@dataclass
class PersonSummary:
    person: Person
    counts: dict[str, int]
    subs: int
    observers: int
    authorities: list[tuple[str, list[str]]]  # (authority, years recorded)

    @property
    def name(self) -> str:
        return self.person.display_name

    @property
    def surname_key(self) -> tuple[str, str]:
        words = self.name.split()
        return ((words[-1] if words else "").lower(), self.name.lower())

    def present_text(self) -> str:
        n = self.counts.get("present", 0)
        notes = []
        if self.subs:
            notes.append(f"{self.subs} sub")
        if self.observers:
            notes.append(f"{self.observers} obs")
        return f"{n} ({', '.join(notes)})" if notes else str(n)

    def authorities_text(self) -> str:
        """``North Hertfordshire District Council 2016, 2018; Hertfordshire County Council 2020``."""
        parts = []
        for authority, years in self.authorities:
            parts.append(f"{authority} {', '.join(years)}".strip())
        return "; ".join(parts)

    def haystack(self) -> str:
        return " ".join(
            [self.name, *self.person.names, *self.person.roles, *self.person.authorities]
        ).lower()


def summarise(person: Person) -> PersonSummary:
    counts = person.counts()
    subs = sum(
        1 for a in person.meetings if a.status == "present" and attended_as(a.role) == "substitute"
    )
    observers = sum(
        1 for a in person.meetings if a.status == "present" and attended_as(a.role) == "observer"
    )
    years: dict[str, list[str]] = {}
    for a in sorted(person.meetings, key=lambda a: a.date):
        if a.authority:
            ys = years.setdefault(a.authority, [])
            if a.date[:4] not in ys:
                ys.append(a.date[:4])
    for authority in person.authorities:  # named only in the membership list
        years.setdefault(authority, [])
    return PersonSummary(person, counts, subs, observers, list(years.items()))


class PeopleScreen(Screen):
    """Everyone, with what they came as; type to filter, Enter for their meetings."""

    DEFAULT_CSS = """
    PeopleScreen #people-filter { dock: top; }
    PeopleScreen #people-legend { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    PeopleScreen DataTable { height: 1fr; }
    PeopleScreen #people-detail { height: auto; max-height: 6; padding: 0 1; border-top: solid $primary; }
    """

    BINDINGS = [
        Binding("down", "focus_table", "List", show=False, id="people.list"),
        Binding("ctrl+f", "focus_filter", "Filter", id="people.filter"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.summaries = sorted(
            (summarise(p) for p in library.people.values()), key=lambda s: s.surname_key
        )
        self.shown: list[PersonSummary] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter by name, role or authority", id="people-filter")
        yield Static(Content(LEGEND), id="people-legend")
        table: DataTable = DataTable(id="people-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="people-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "People"
        table = self.query_one(DataTable)
        table.add_column("Name", key="name", width=22)
        table.add_column("Present", key="present", width=13)
        table.add_column("Apol.", key="apologies", width=5)
        table.add_column("In att.", key="in_attendance", width=7)
        table.add_column("Absent", key="absent", width=6)
        table.add_column("Roles", key="roles", width=22)
        table.add_column("Authorities (years recorded)", key="authorities")
        self._fill("")
        self.query_one(Input).focus()  # typing filters at once; ↓ moves to the list

    def _fill(self, text: str) -> None:
        words = text.lower().split()
        self.shown = [s for s in self.summaries if all(w in s.haystack() for w in words)]
        table = self.query_one(DataTable)
        table.clear()
        for s in self.shown:
            table.add_row(
                Text(one_line(s.name)),
                Text(s.present_text(), justify="right"),
                Text(str(s.counts.get("apologies", 0)), justify="right"),
                Text(str(s.counts.get("in_attendance", 0)), justify="right"),
                Text(str(s.counts.get("absent", 0)), justify="right"),
                Text(one_line(", ".join(s.person.roles) or "—")),
                Text(one_line(s.authorities_text() or "—")),
                key=s.person.key,
            )
        self._detail()

    @on(Input.Changed, "#people-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#people-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_focus_table()

    @on(DataTable.RowHighlighted, "#people-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _current(self) -> PersonSummary | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _detail(self) -> None:
        s = self._current()
        detail = self.query_one("#people-detail", Static)
        if s is None:
            detail.update(Content("No one matches." if self.summaries else "No people recorded."))
            return
        text = Text()
        text.append(one_line(s.name), style="bold")
        if s.person.groups:
            text.append(f"  {one_line(', '.join(s.person.groups))}", style="dim")
        text.append("\nAuthorities: ", style="dim")
        text.append(one_line(s.authorities_text() or "not recorded"))
        text.append("\nRecorded: ", style="dim")
        text.append(
            " · ".join(
                f"{STATUS_LABELS[st].lower()} {s.counts.get(st, 0)}"
                for st in STATUSES
                if s.counts.get(st)
            )
            or "no meetings"
        )
        if s.subs or s.observers:
            text.append(f" (of those present: {s.subs} as substitute, {s.observers} as observer)")
        detail.update(text)

    @on(DataTable.RowSelected, "#people-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key:
            self.app.push_screen(PersonScreen(self.library, key))

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()


class PersonScreen(Screen):
    """One person's meetings: date, status, role, authority; Enter opens the meeting."""

    DEFAULT_CSS = """
    PersonScreen #person-head { height: auto; padding: 0 1; }
    PersonScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("o", "open_meeting", "Open meeting", id="person.open"),
    ]

    def __init__(self, library: Library, key: str) -> None:
        super().__init__()
        self.library = library
        self.key = key
        self.person = library.people.get(key)

    def compose(self) -> ComposeResult:
        yield Static(id="person-head")
        yield DataTable(id="person-meetings", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        head = self.query_one("#person-head", Static)
        table = self.query_one(DataTable)
        if self.person is None:
            self.title = "Person"
            head.update(Text(f"No one with the key {one_line(self.key)} in these records."))
            return
        s = summarise(self.person)
        self.title = one_line(s.name)
        text = Text(one_line(s.name), style="bold")
        names = [n for n in self.person.names if n != s.name]
        if names:
            text.append(f"  (as printed: {one_line('; '.join(names))})", style="dim")
        text.append("\nRoles: ", style="dim")
        text.append(one_line(", ".join(self.person.roles) or "not recorded"))
        text.append("\nAuthorities: ", style="dim")
        text.append(one_line(s.authorities_text() or "not recorded"))
        text.append("\n")
        text.append(" · ".join(f"{STATUS_LABELS[st]}: {s.counts.get(st, 0)}" for st in STATUSES))
        if s.subs or s.observers:
            text.append(f" (present as substitute {s.subs}, as observer {s.observers})")
        head.update(text)
        table.add_column("Date", key="date", width=10)
        table.add_column("Status", key="status", width=13)
        table.add_column("Role", key="role", width=16)
        table.add_column("Authority", key="authority")
        for n, a in enumerate(sorted(self.person.meetings, key=lambda a: a.date, reverse=True)):
            status = STATUS_LABELS.get(a.status, a.status)
            as_ = attended_as(a.role)
            if a.status == "present" and as_ != "member":
                status = f"{status} ({as_})"
            table.add_row(
                Text(a.date),
                Text(status, style=_STATUS_STYLE.get(a.status, "")),
                Text(one_line(a.role or "—")),
                Text(one_line(a.authority or "—")),
                key=f"{n}:{a.meeting}",
            )
        table.focus()

    def _meeting_of(self, row_key: str | None) -> str | None:
        if not row_key:
            return None
        return row_key.partition(":")[2] or None

    @on(DataTable.RowSelected, "#person-meetings")
    def _open(self, event: DataTable.RowSelected) -> None:
        mid = self._meeting_of(event.row_key.value)
        if mid:
            self.app.open_meeting(mid)  # type: ignore[attr-defined]

    def action_open_meeting(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            mid = self._meeting_of(key)
            if mid:
                self.app.open_meeting(mid)  # type: ignore[attr-defined]


_STATUS_STYLE = {
    "present": "green",
    "apologies": "yellow",
    "absent": "red",
    "in_attendance": "cyan",
}
