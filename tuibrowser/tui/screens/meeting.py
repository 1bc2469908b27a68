"""One meeting: when and where, its documents, the items in the order taken, and who attended."""

from __future__ import annotations

from datetime import date as Date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...library import Library
from ...model import STATUS_LABELS, STATUSES, Meeting, person_key
from .. import safe
from ..widgets import RecordTable, TitleBar


def long_date(iso: str | None) -> str:
    """``2018-05-24`` → ``Thu 24 May 2018`` (the text as given if it is not a date)."""
    if not iso:
        return ""
    try:
        d = Date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d:%a} {d.day} {d:%B %Y}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def item_notes(item) -> Text:
    """The badges of an item row: CONFIDENTIAL (a word, not only a colour), decisions, actions."""
    out = Text()
    if item.confidential:
        out.append("CONFIDENTIAL", style="bold reverse")
    counts = []
    if item.decisions:
        n = len(item.decisions)
        counts.append(f"{n} decision{'s' if n != 1 else ''}")
    if item.actions:
        n = len(item.actions)
        counts.append(f"{n} action{'s' if n != 1 else ''}")
    if item.report is not None:
        counts.append("report")
    if counts:
        if out:
            out.append(" ")
        out.append(", ".join(counts), style="dim")
    return out


class MeetingScreen(Screen):
    """A meeting's details, items (Enter opens one) and attendance (Enter opens the person)."""

    SCREEN_NAME = "Meeting"

    BINDINGS = [
        Binding("i", "focus_items", "Items", id="meeting.items"),
        Binding("n", "focus_attendance", "Attendance", id="meeting.attendance"),
        Binding("e", "notes", "Notes", show=False, id="meeting.notes"),
        Binding("x", "next_meeting", "Next meeting", show=False, id="meeting.next"),
    ]

    def __init__(self, library: Library, meeting_id: str) -> None:
        super().__init__()
        self.library = library
        self.meeting_id = meeting_id

    @property
    def meeting(self) -> Meeting:
        m = self.library.meeting(self.meeting_id)
        assert m is not None, self.meeting_id
        return m

    def compose(self) -> ComposeResult:
        m = self.meeting
        yield TitleBar(safe.join(safe.line(m.board), " — ", long_date(m.date)), id="title")
        yield Static(self._info(m), id="info")
        yield Static(Content("Items, in the order taken"), classes="heading", id="items-heading")
        yield RecordTable(id="items")
        yield Static(Content("Attendance"), classes="heading", id="attendance-heading")
        yield RecordTable(id="attendance")
        yield Footer()

    def _info(self, m: Meeting) -> Content:
        lines: list[Content] = []
        when = long_date(m.date) + (f" at {m.time}" if m.time else "")
        if m.cancelled:
            when += " — CANCELLED"
        first = safe.join(Content.styled("When ", "bold"), when)
        if m.status:
            first = safe.join(first, "  ", Content.styled("Status ", "bold"), safe.line(m.status))
        lines.append(first)
        lines.append(
            safe.join(Content.styled("Where ", "bold"), safe.line(m.venue or "not recorded"))
        )
        docs = ", ".join(sorted({d.kind for d in m.documents})) or "none"
        lines.append(safe.join(Content.styled("Documents ", "bold"), safe.line(docs)))
        if m.next_meeting is not None and (m.next_meeting.date or m.next_meeting.venue):
            nm = m.next_meeting
            text = long_date(nm.date) + (f" at {nm.time}" if nm.time else "")
            if nm.venue:
                text += f", {nm.venue}"
            lines.append(safe.join(Content.styled("Next meeting ", "bold"), safe.line(text)))
        groups = m.attendance_by_status()
        counts = [
            f"{len(groups[st])} {STATUS_LABELS.get(st, st).lower()}"
            for st in [*STATUSES, *(x for x in groups if x not in STATUSES)]
            if groups.get(st)
        ]
        if counts:
            lines.append(safe.join(Content.styled("Attendance ", "bold"), ", ".join(counts)))
        if m.notes:
            n = len(m.notes)
            lines.append(
                safe.join(
                    Content.styled("Notes ", "bold"),
                    f"{n} editor's note{'s' if n != 1 else ''} about the record — press e to read",
                )
            )
        return Content("\n").join(line.truncate(self.app.size.width - 2) for line in lines)

    def on_mount(self) -> None:
        m = self.meeting
        items = self.query_one("#items", RecordTable)
        items.add_column(Text("No."), key="number")
        items.add_column(Text("Item"), key="title")
        items.add_column(Text("Notes"), key="notes")
        for it in m.items:
            items.add_row(
                Text(it.number, justify="right"),
                safe.text(it.title or "(no title)", width=max(20, self.app.size.width - 40)),
                item_notes(it),
                key=f"item:{it.number}",
            )
        if not m.items:
            self.query_one("#items-heading", Static).update(
                Content("Items: none recorded" + (" (cancelled)" if m.cancelled else ""))
            )
            items.display = False

        people = self.query_one("#attendance", RecordTable)
        people.add_column(Text("Name"), key="name")
        people.add_column(Text("Role"), key="role")
        people.add_column(Text("Authority"), key="authority")
        groups = m.attendance_by_status()
        for status in [*STATUSES, *(s for s in groups if s not in STATUSES)]:
            group = groups.get(status) or []
            if not group:
                continue
            label = STATUS_LABELS.get(status, status)
            people.add_row(
                Text(f"{label} ({len(group)})", style="bold underline"),
                Text(""),
                Text(""),
                key=f"status:{status}",
            )
            for n, a in enumerate(group):
                name = safe.text(a.name, width=34)
                if a.note:
                    name.append(" *", style="dim")
                people.add_row(
                    name,
                    safe.text(a.role, width=18),
                    safe.text(a.authority, width=max(40, self.app.size.width - 60)),
                    key=f"person:{status}:{n}:{a.person or person_key(a.name)}",
                )
        if not m.attendance:
            self.query_one("#attendance-heading", Static).update(
                Content("Attendance: not recorded")
            )
            people.display = False
        (items if m.items else people).focus()

    # -- events ------------------------------------------------------------------

    @on(DataTable.RowSelected, "#items")
    def _open_item(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if key.startswith("item:"):
            self.app.open_item(self.meeting_id, key.removeprefix("item:"))

    @on(DataTable.RowSelected, "#attendance")
    def _open_person(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if key.startswith("person:"):
            self.app.open_person(key.split(":", 3)[3])

    def on_descendant_focus(self, event) -> None:
        # the list being read gets the room: attendance shrinks the items and back
        self.set_class(event.widget.id == "attendance", "-reading-attendance")

    def action_focus_items(self) -> None:
        table = self.query_one("#items", RecordTable)
        if table.display:
            self.set_focus(table)

    def action_focus_attendance(self) -> None:
        table = self.query_one("#attendance", RecordTable)
        if table.display:
            self.set_focus(table)

    def action_notes(self) -> None:
        from .text import TextScreen

        m = self.meeting
        if not m.notes:
            self.app.say("No editor's notes for this meeting.")
            return
        body = "\n\n".join(f"- {' '.join(n.split())}" for n in m.notes)
        self.app.push_screen(TextScreen(f"Editor's notes — {m.date}", body))

    def action_next_meeting(self) -> None:
        nm = self.meeting.next_meeting
        if nm is None or not nm.date:
            return
        for m in self.library.meetings:
            if m.date == nm.date and m.board == self.meeting.board:
                self.app.open_meeting(m.id)
                return
        self.app.say(f"The next meeting ({nm.date}) is not in this folder.")

    def library_loaded(self, library: Library) -> None:
        # Keep showing what was opened; a refreshed library is used for what is opened next.
        if library.meeting(self.meeting_id) is not None:
            self.library = library
