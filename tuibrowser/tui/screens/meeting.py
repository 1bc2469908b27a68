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

from ...attendance_sources import AttendanceConflict, conflicts, describe
from ...keys import person_key
from ...library import Library
from ...model import STATUS_LABELS, STATUSES, Meeting
from ...text import one_line
from .. import safe
from ..gone import gone_page
from ..host import host
from ..widgets import BrowseTable, TitleBar, fit_widths


def long_date(iso: str | None) -> str:
    """``2018-05-24`` → ``Thu 24 May 2018`` (the text as given if it is not a date)."""
    if not iso:
        return ""
    try:
        d = Date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d:%a} {d.day} {d:%B %Y}"


def status_count(n: int, status: str) -> str:
    """``18 present``, ``1 apology``, ``5 apologies``, ``4 in attendance``."""
    label = STATUS_LABELS.get(status, status).lower()
    if status == "apologies" and n == 1:
        label = "apology"
    return f"{n} {label}"


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


def _disagreement_cells(c: AttendanceConflict) -> tuple[str, str]:
    """What the counted list says (the Role column) and what the others say (Authority)."""
    counted = next((x for x in c.sources if x.counted), None)
    others = "; ".join(f"{o.said().lower()}: {o.label}" for o in c.others())
    return (f"{counted.said().lower()} (counted)" if counted else "", others)


class MeetingScreen(Screen):
    """A meeting's details, items (Enter opens one) and attendance (Enter opens the person)."""

    SCREEN_NAME = "Meeting"

    DEFAULT_CSS = """
    MeetingScreen {
        overflow: hidden;
    }
    MeetingScreen #info {
        height: auto;
        max-height: 7;
        padding: 0 1;
    }
    MeetingScreen #what-changed {
        height: auto;
        max-height: 6;
        padding: 0 1;
        color: $warning;
    }
    MeetingScreen #items {
        height: auto;
        max-height: 45%;
    }
    MeetingScreen.-reading-attendance #items {
        max-height: 5;
    }
    MeetingScreen #attendance-heading.-note {
        height: auto;
        max-height: 2;
    }
    MeetingScreen #attendance {
        height: 1fr;
        min-height: 4;
    }
    """

    BINDINGS = [
        Binding("i", "focus_items", "Items", id="meeting.items"),
        Binding("n", "focus_attendance", "Attendance", id="meeting.attendance"),
        Binding("e", "notes", "Notes", show=False, id="meeting.notes"),
        Binding("x", "next_meeting", "Next meeting", show=False, id="meeting.next"),
        Binding("o", "linked", "Linked documents", show=False, id="meeting.linked"),
    ]

    def __init__(self, library: Library, meeting_id: str) -> None:
        super().__init__()
        self.library = library
        self.meeting_id = meeting_id

    @property
    def meeting(self) -> Meeting | None:
        """The meeting, or None when it is no longer in the folder (see ``gone_page``)."""
        return self.library.meeting(self.meeting_id)

    def compose(self) -> ComposeResult:
        m = self.meeting
        if m is None:
            yield from gone_page("meeting")
            return
        yield TitleBar(safe.join(safe.line(m.board), " — ", long_date(m.date)), id="title")
        yield Static(self._info(m), id="info")
        changed = self._what_changed()
        if changed is not None:
            yield Static(changed, id="what-changed")
        yield Static(Content("Items, in the order taken"), classes="heading", id="items-heading")
        yield BrowseTable(id="items")
        yield Static(Content("Attendance"), classes="heading", id="attendance-heading")
        yield BrowseTable(id="attendance")
        yield Footer()

    def changes_found(self, found: object) -> None:
        """What changed arrived after this page was drawn: say it above the items."""
        note = self._what_changed()
        shown = self.query("#what-changed")
        if note is None:
            shown.remove()
        elif shown:
            shown.first(Static).update(note)
        else:
            self.mount(Static(note, id="what-changed"), before="#items-heading")

    def _what_changed(self) -> Content | None:
        """What changed in this meeting since the user last looked, when anything did."""
        found = host(self).changes
        changes = found.changes.get(self.meeting_id) if found is not None else None
        if not changes:
            return None
        from .changes import changes_note

        return changes_note(changes, self.app.size.width - 2)

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
        if m.linked_documents:
            n = len(m.linked_documents)
            docs += f"; {n} linked document{'s' if n != 1 else ''} — press o to list"
        lines.append(safe.join(Content.styled("Documents ", "bold"), safe.line(docs)))
        if m.next_meeting is not None and (m.next_meeting.date or m.next_meeting.venue):
            nm = m.next_meeting
            text = long_date(nm.date) + (f" at {nm.time}" if nm.time else "")
            if nm.venue:
                text += f", {nm.venue}"
            lines.append(safe.join(Content.styled("Next meeting ", "bold"), safe.line(text)))
        groups = m.attendance_by_status()
        counts = [
            status_count(len(groups[st]), st)
            for st in [*STATUSES, *(x for x in groups if x not in STATUSES)]
            if groups.get(st)
        ]
        if counts:
            line = ", ".join(counts)
            disagree = conflicts(m)
            if disagree:
                n = len(disagree)
                line += (
                    f" (minutes) · ≠ {n} {'person' if n == 1 else 'people'} recorded "
                    "otherwise by another document: listed under the attendance"
                )
            lines.append(safe.join(Content.styled("Attendance ", "bold"), line))
        if m.notes:
            n = len(m.notes)
            lines.append(
                safe.join(
                    Content.styled("Notes ", "bold"),
                    f"{n} editor's note{'s' if n != 1 else ''} about the record — press e to read",
                )
            )
        width = self.app.size.width - 2
        return Content("\n").join(line.truncate(width, ellipsis=True) for line in lines)

    def on_mount(self) -> None:
        host(self).updates.library.subscribe(self, self.library_loaded)
        m = self.meeting
        if m is None:
            return
        host(self).updates.changes.subscribe(self, self.changes_found)
        width = self.app.size.width
        items = self.query_one("#items", BrowseTable)
        notes = [item_notes(it) for it in m.items]
        titles = [it.title or "(no title)" for it in m.items]
        natural = [
            max([len(it.number) for it in m.items] + [3]),
            max([len(one_line(t)) for t in titles] + [4]),
            max([n.cell_len for n in notes] + [5]),
        ]
        widths = fit_widths(natural, width, [3, 20, 8])
        for key, label, w in zip(
            ("number", "title", "notes"), ("No.", "Item", "Notes"), widths, strict=True
        ):
            items.add_column(Text(label), key=key, width=w)
        for it, title, note in zip(m.items, titles, notes, strict=True):
            note.no_wrap, note.overflow = True, "ellipsis"
            items.add_row(
                Text(it.number, justify="right"),
                safe.text(title, width=widths[1]),
                note,
                key=f"item:{it.number}",
            )
        if not m.items:
            self.query_one("#items-heading", Static).update(
                Content("Items: none recorded" + (" (cancelled)" if m.cancelled else ""))
            )
            items.display = False

        people = self.query_one("#attendance", BrowseTable)
        groups = m.attendance_by_status()
        order = [*STATUSES, *(s for s in groups if s not in STATUSES)]
        everyone = [a for st in order for a in groups.get(st) or []]
        labels = {st: f"{STATUS_LABELS.get(st, st)} ({len(groups[st])})" for st in groups}
        natural = [
            max(
                [len(one_line(a.name)) + (2 if a.note else 0) for a in everyone]
                + [len(v) for v in labels.values()]
                + [4]
            ),
            max([len(one_line(a.role)) for a in everyone] + [4]),
            max([len(one_line(a.authority)) for a in everyone] + [9]),
        ]
        found = conflicts(m)
        said = [_disagreement_cells(c) for c in found]
        for cells in said:  # what the records say, beside the roles and authorities
            natural[1] = max(natural[1], len(cells[0]))
            natural[2] = max(natural[2], len(cells[1]))
        widths = fit_widths(natural, width, [14, 8, 12])
        for key, label, w in zip(
            ("name", "role", "authority"), ("Name", "Role", "Authority"), widths, strict=True
        ):
            people.add_column(Text(label), key=key, width=w)
        self.notes: dict[str, str] = {}
        for status in order:
            group = groups.get(status) or []
            if not group:
                continue
            people.add_row(
                Text(labels[status], style="bold underline"),
                Text(""),
                Text(""),
                key=f"status:{status}",
            )
            for n, a in enumerate(group):
                key = f"person:{status}:{n}:{a.person or person_key(a.name)}"
                if a.note:
                    # the * says "there is an editor's note": the heading shows it on the row
                    name = safe.text(a.name, width=widths[0] - 2)
                    name.append(" *", style="bold")
                    self.notes[key] = a.note
                else:
                    name = safe.text(a.name, width=widths[0])
                people.add_row(
                    name,
                    safe.text(a.role, width=widths[1]),
                    safe.text(a.authority, width=widths[2]),
                    key=key,
                )
        self.disagree: dict[str, str] = {}
        if found:
            people.add_row(
                Text(f"Records disagree ({len(found)})", style="bold underline"),
                Text(""),
                Text(""),
                key="status:disagree",
            )
        for n, (c, (counted, others)) in enumerate(zip(found, said, strict=True)):
            key = f"person:disagree:{n}:{c.person}"
            name = safe.text(c.name, width=widths[0] - 2)
            name.append(" ≠", style="bold")
            people.add_row(
                name,
                safe.text(counted, width=widths[1]),
                safe.text(others, width=widths[2]),
                key=key,
            )
            self.disagree[key] = describe(c)
        if not m.attendance:
            self.query_one("#attendance-heading", Static).update(
                Content("Attendance: not recorded")
            )
            people.display = False
        else:
            self._attendance_heading(None)
        (items if m.items else people).focus()

    def _attendance_heading(self, row_key: str | None) -> None:
        """``Attendance``, with what ``*`` means, or the note of the row under the cursor."""
        heading = Content("Attendance")
        note = self.notes.get(row_key or "")
        static = self.query_one("#attendance-heading", Static)
        # a note is what the user moved there to read: it may take a second line
        static.set_class(note is not None, "-note")
        if note is not None:
            static.update(safe.join(heading, "  * editor's note: ", safe.line(note)))
            return
        disagree = getattr(self, "disagree", {}).get(row_key or "")
        static.set_class(disagree is not None, "-note")
        if disagree is not None:
            static.update(safe.join(heading, "  ≠ ", safe.line(disagree)))
            return
        if self.notes:
            heading = safe.join(heading, "  (* an editor's note: move to the name to read it)")
        if getattr(self, "disagree", None):
            heading = safe.join(heading, "  (≠ the records disagree: both shown)")
        static.update(heading.truncate(self.app.size.width - 2, ellipsis=True))

    # -- events ------------------------------------------------------------------

    @on(DataTable.RowSelected, "#items")
    def _open_item(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if key.startswith("item:"):
            host(self).open_item(self.meeting_id, key.removeprefix("item:"))

    @on(DataTable.RowHighlighted, "#attendance")
    def _highlight_person(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.has_focus:
            self._attendance_heading(event.row_key.value)

    @on(DataTable.RowSelected, "#attendance")
    def _open_person(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if key.startswith("person:"):
            host(self).open_person(key.split(":", 3)[3])

    def on_descendant_focus(self, event) -> None:
        # the list being read gets the room: attendance shrinks the items and back
        reading = event.widget.id == "attendance"
        self.set_class(reading, "-reading-attendance")
        m = self.meeting
        if m is not None and m.attendance:
            table = self.query_one("#attendance", BrowseTable)
            self._attendance_heading(table.cursor_key if reading else None)

    def action_focus_items(self) -> None:
        table = self.query_one("#items", BrowseTable)
        if table.display:
            self.set_focus(table)

    def action_focus_attendance(self) -> None:
        table = self.query_one("#attendance", BrowseTable)
        if table.display:
            self.set_focus(table)

    def action_notes(self) -> None:
        from .text import TextScreen

        m = self.meeting
        if m is None:
            host(self).gone("meeting")
            return
        if not m.notes:
            host(self).say("No editor's notes for this meeting.")
            return
        body = "\n\n".join(f"- {' '.join(n.split())}" for n in m.notes)
        self.app.push_screen(TextScreen(f"Editor's notes — {m.date}", body))

    def action_linked(self) -> None:
        from .linked import LinkedScreen

        m = self.meeting
        if m is None:
            host(self).gone("meeting")
            return
        if not m.linked_documents:
            host(self).say("This meeting's files link no documents.")
            return
        heading = f"Linked documents — {one_line(m.board)}, {long_date(m.date)}"
        self.app.push_screen(LinkedScreen(heading, m.linked_documents))

    def action_next_meeting(self) -> None:
        this = self.meeting
        if this is None:
            host(self).gone("meeting")
            return
        nm = this.next_meeting
        if nm is None or not nm.date:
            return
        found = self.library.meeting_at(nm.date, this.board)
        if found is not None:
            host(self).open_meeting(found.id)
            return
        host(self).say(f"The next meeting ({nm.date}) is not in this folder.")

    def library_loaded(self, library: Library) -> None:
        # Keep showing what was opened; a refreshed library is used for what is opened next.
        if library.meeting(self.meeting_id) is not None:
            self.library = library
