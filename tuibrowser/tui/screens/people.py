"""People: everyone the records name, with roles, authorities over time and attendance.

The list is drawn from each person's figures (:mod:`tuibrowser.people_figures`): the
library's, or before it is loaded the cache's (the same figures, merged from its parts). Once
the library is there the list is the library's; when its figures differ (the files changed
meanwhile) it is drawn again, keeping the filter and the person under the cursor."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...attendance_sources import by_person, describe
from ...library import Library
from ...model import STATUS_LABELS, STATUSES, Appearance
from ...people_figures import PersonFigures, attended_as, figures, figures_of
from ...text import one_line
from .. import safe
from ..host import host
from ..widgets import BrowseTable, TextBox, TitleBar, fit_widths, type_to_filter

LEGEND = (
    "Present: attended (sub = as substitute, obs = as observer) · Apol.: sent apologies · "
    "In att.: attended, not a member · Absent: listed, no apologies recorded · "
    "–: named in a membership list only, no attendance recorded"
)
CONFLICT_LEGEND = " · ≠: a meeting's records disagree about them (both shown)"
DISAGREE = "≠"
ROLES_FROM = 110  # terminal width from which the list has a Roles column (else: the detail)
FIRST_ROWS = 100  # people listed in the first frame; the rest follow in the next


class PeopleScreen(Screen):
    """Everyone, with what they came as; type to filter, Enter for their meetings."""

    SCREEN_NAME = "People"

    DEFAULT_CSS = """
    PeopleScreen #people-filter { height: 1; border: none; padding: 0 1; background: $boost; }
    PeopleScreen #people-filter:focus { background: $primary 30%; }
    PeopleScreen #people-legend { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    PeopleScreen DataTable { height: 1fr; }
    PeopleScreen #people-detail { height: auto; max-height: 6; padding: 0 1; border-top: solid $primary; }
    """

    BINDINGS = [
        Binding("down", "focus_table", "List", show=False, id="people.list"),
        Binding("ctrl+f", "focus_filter", "Filter", id="people.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="people.clear"),
        # not a letter: on the list every letter that is no command starts the name filter
        Binding("ctrl+g", "app.membership", "Membership", id="people.membership"),
    ]

    def __init__(self, library: Library | None, people: list[PersonFigures] | None = None) -> None:
        """The people of ``library``; before it is loaded (None), the cache's ``people``."""
        super().__init__()
        self.library = library
        if people is None:
            people = figures(library) if library is not None else []
        self.summaries: list[PersonFigures] = people
        self.shown: list[PersonFigures] = []
        self.widths: dict[str, int] = {}
        self._filled = 0  # times the list was filled (the rest of an earlier fill is dropped)

    def compose(self) -> ComposeResult:
        yield TitleBar(self._title(), id="title")
        yield TextBox(
            placeholder="Type to filter by name, role or authority",
            id="people-filter",
        )
        yield Static(Content(self._legend()), id="people-legend")
        yield BrowseTable(id="people-table", zebra_stripes=True, typing=True)
        yield Static(id="people-detail")
        yield Footer()

    def _title(self) -> str:
        return f"People — {len(self.summaries)} in these records"

    def _legend(self) -> str:
        return LEGEND + (CONFLICT_LEGEND if any(s.conflicts for s in self.summaries) else "")

    def on_mount(self) -> None:
        self.title = "People"
        if self.library is None:
            host(self).updates.library.subscribe(self, self.library_loaded)
        self._lay_out()
        self._fill("")
        self.query_one(BrowseTable).focus()  # ↑/↓ and ? work at once; typing a name filters
        if self.library is None:  # drawn: the library's loading, held meanwhile, goes on
            self.call_after_refresh(host(self).early_drawn)

    def on_unmount(self) -> None:
        if self.library is None:
            host(self).early_drawn()

    def library_loaded(self, library: Library) -> None:
        """The library is loaded: it answers from now on (a person opened, the figures)."""
        self.library = library
        self._library_figures(library)

    @work(thread=True, exclusive=True, group="people-figures")
    def _library_figures(self, library: Library) -> None:
        found = figures(library)
        if found != self.summaries:  # the files changed since the cache's parts were read
            self.app.call_from_thread(self._redraw, found)

    def _redraw(self, people: list[PersonFigures]) -> None:
        """Draw the list again of ``people``, keeping the filter and the person under the
        cursor."""
        table = self.query_one(BrowseTable)
        key = table.cursor_key
        self.summaries = people
        self.query_one("#title", TitleBar).set_title(self._title())
        self.query_one("#people-legend", Static).update(Content(self._legend()))
        table.clear(columns=True)
        self._lay_out()
        self._fill(self.query_one("#people-filter", TextBox).value, at_once=True)
        for n, s in enumerate(self.shown):
            if s.key == key:
                table.move_cursor(row=n, animate=False)
                break

    def _lay_out(self) -> None:
        table = self.query_one(BrowseTable)
        wide = self.app.size.width >= ROLES_FROM
        columns = [
            ("name", "Name", max((len(one_line(s.name)) for s in self.summaries), default=4), 12),
            (
                "present",
                "Present",
                max((len(s.present_text(DISAGREE)) for s in self.summaries), default=7),
                7,
            ),
            ("apologies", "Apol.", 5, 5),
            ("in_attendance", "In att.", 7, 7),
            ("absent", "Absent", 6, 6),
        ]
        if wide:
            roles = max((len(one_line(", ".join(s.roles))) for s in self.summaries), default=5)
            columns.append(("roles", "Roles", roles, 10))
        authorities = max((len(one_line(s.authorities_text())) for s in self.summaries), default=11)
        columns.append(("authorities", "Authorities (years recorded)", authorities, 12))
        natural = [max(n, len(label)) for _, label, n, _ in columns]
        widths = fit_widths(natural, self.app.size.width, [m for *_, m in columns])
        self.widths = {key: w for (key, *_), w in zip(columns, widths, strict=True)}
        for (key, label, *_), w in zip(columns, widths, strict=True):
            table.add_column(safe.text(label, width=w), key=key, width=w)

    def _fill(self, text: str, at_once: bool = False) -> None:
        """List the people ``text`` matches: a screenful first, the rest after that frame
        (thousands of rows took the People list of a big archive most of a second to show),
        or all ``at_once``."""
        words = text.lower().split()
        self.shown = [s for s in self.summaries if all(w in s.haystack() for w in words)]
        self.query_one(BrowseTable).clear()
        self._filled += 1
        first = len(self.shown) if at_once else FIRST_ROWS
        self._add_rows(self.shown[:first])
        if len(self.shown) > first:
            self.call_after_refresh(self._fill_rest, self._filled, first)
        self._detail()
        self.refresh_bindings()  # Escape: clears the filter, or goes back when it is empty

    def _fill_rest(self, filled: int, start: int) -> None:
        if filled == self._filled:  # not filled again since
            self._add_rows(self.shown[start:])

    def _add_rows(self, people: list[PersonFigures]) -> None:
        table = self.query_one(BrowseTable)
        w = self.widths
        for s in people:
            cells = [
                safe.text(s.name, width=w["name"]),
                Text(s.present_text(DISAGREE), justify="right"),
                Text(s.count_text("apologies"), justify="right"),
                Text(s.count_text("in_attendance"), justify="right"),
                Text(s.count_text("absent"), justify="right"),
            ]
            if "roles" in w:
                cells.append(safe.text(", ".join(s.roles) or "—", width=w["roles"]))
            cells.append(safe.text(s.authorities_text() or "—", width=w["authorities"]))
            table.add_row(*cells, key=s.key)

    async def on_key(self, event) -> None:
        await type_to_filter(
            self, event, self.query_one(BrowseTable), self.query_one("#people-filter", TextBox)
        )

    @on(TextBox.Changed, "#people-filter")
    def _filter(self, event: TextBox.Changed) -> None:
        self._fill(event.value)

    @on(TextBox.Submitted, "#people-filter")
    def _submitted(self, event: TextBox.Submitted) -> None:
        self.action_focus_table()

    @on(DataTable.RowHighlighted, "#people-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _current(self) -> PersonFigures | None:
        table = self.query_one(BrowseTable)
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
        if s.groups:
            text.append(f"  {one_line(', '.join(s.groups))}", style="dim")
        if s.roles and "roles" not in self.widths:
            text.append("\nRoles: ", style="dim")
            text.append(one_line(", ".join(s.roles)))
        text.append("\nAuthorities: ", style="dim")
        text.append(one_line(s.authorities_text() or "not recorded"))
        text.append("\nRecorded: ", style="dim")
        if s.listed_only:
            text.append("named in a membership list only; no meeting records their attendance")
        else:
            text.append(
                " · ".join(
                    f"{STATUS_LABELS[st].lower()} {s.counts.get(st, 0)}"
                    for st in STATUSES
                    if s.counts.get(st)
                )
            )
        if s.subs or s.observers:
            text.append(f" (of those present: {s.subs} as substitute, {s.observers} as observer)")
        for said in s.conflicts:
            text.append(f"\n{DISAGREE} ", style="bold")
            text.append(one_line(said))
        detail.update(text)

    @on(DataTable.RowSelected, "#people-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and self.library is not None:
            self.app.push_screen(PersonScreen(self.library.of_person(key), key))
        elif key:
            host(self).open_person(key)  # opens once the library is loaded

    def action_focus_table(self) -> None:
        self.query_one(BrowseTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#people-filter", TextBox).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#people-filter", TextBox).value = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.query_one("#people-filter", TextBox).value)
        return True


class PersonScreen(Screen):
    """One person's meetings: date, status, role, authority; Enter opens the meeting."""

    SCREEN_NAME = "Person"

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
        name = self.person.display_name if self.person is not None else "not found"
        yield TitleBar(safe.join("Person — ", safe.line(name)), id="title")
        yield Static(id="person-head")
        yield BrowseTable(id="person-meetings", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        head = self.query_one("#person-head", Static)
        table = self.query_one(BrowseTable)
        if self.person is None:
            self.title = "Person"
            head.update(Text(f"No one with the key {one_line(self.key)} in these records."))
            return
        found_conflicts = by_person(self.library.meetings).get(self.key) or []
        s = figures_of(self.person, [describe(c) for c in found_conflicts])
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
        if s.listed_only:
            text.append("Named in a membership list only: no meeting records their attendance.")
        else:
            text.append(
                " · ".join(f"{STATUS_LABELS[st]}: {s.counts.get(st, 0)}" for st in STATUSES)
            )
        if s.subs or s.observers:
            text.append(f" (present as substitute {s.subs}, as observer {s.observers})")
        for said in s.conflicts:
            text.append(f"\n{DISAGREE} ", style="bold")
            text.append(one_line(said))
        head.update(text)
        rows = []
        conflicts = {c.meeting: c for c in found_conflicts}
        seen = {a.meeting for a in self.person.meetings}
        unlisted = [  # meetings whose counted list leaves them out, and another names them
            Appearance(meeting=c.meeting, date=c.date, status="", role=c.others()[0].role)
            for c in found_conflicts
            if c.meeting not in seen and c.others()
        ]
        appearances = sorted([*self.person.meetings, *unlisted], key=lambda a: a.date, reverse=True)
        for n, a in enumerate(appearances):
            status = STATUS_LABELS.get(a.status, a.status) or "Not listed"
            as_ = attended_as(a.role)
            if a.status == "present" and as_ != "member":
                status = f"{status} ({as_})"
            found = conflicts.get(a.meeting)
            if found is not None:
                status += "".join(
                    f" {DISAGREE} {o.said()} ({o.label.split(' (')[0]})" for o in found.others()
                )
            rows.append(
                (a, one_line(status), one_line(a.role or "—"), one_line(a.authority or "—"), n)
            )
        natural = [
            10,
            max((len(r[1]) for r in rows), default=6),
            max((len(r[2]) for r in rows), default=4),
            max((len(r[3]) for r in rows), default=9),
        ]
        natural = [
            max(n, len(h))
            for n, h in zip(natural, ("Date", "Status", "Role", "Authority"), strict=True)
        ]
        widths = fit_widths(natural, self.app.size.width, [10, 9, 8, 12])
        for key, label, w in zip(
            ("date", "status", "role", "authority"),
            ("Date", "Status", "Role", "Authority"),
            widths,
            strict=True,
        ):
            table.add_column(Text(label), key=key, width=w)
        for a, status, role, authority, n in rows:
            table.add_row(
                Text(a.date),
                safe.text(status, _STATUS_STYLE.get(a.status, ""), widths[1]),
                safe.text(role, width=widths[2]),
                safe.text(authority, width=widths[3]),
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
            host(self).open_meeting(mid)

    def action_open_meeting(self) -> None:
        mid = self._meeting_of(self.query_one(BrowseTable).cursor_key)
        if mid:
            host(self).open_meeting(mid)


_STATUS_STYLE = {
    "present": "green",
    "apologies": "yellow",
    "absent": "red",
    "in_attendance": "cyan",
}
