"""One agenda item: decisions and actions set apart, the minute, the report, the editor's note,
and the same topic at earlier and later meetings."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Markdown, Static

from ...library import Library
from ...model import RATING_LABELS, Item, Meeting, item_key
from ...topics import elsewhere
from .. import longtext, safe
from ..gone import gone_page
from ..host import host
from ..widgets import RecordTable, TitleBar
from .meeting import long_date, ordinal

REPORT_FIELDS = (
    ("purpose", "Purpose"),
    ("summary", "Summary"),
    ("recommendation", "Recommendation"),
    ("proposed_action", "Proposed action"),
    ("contact", "Contact officer"),
)


def bullets(entries: list[str]) -> str:
    """Markdown list of decisions or actions (each entry already markdown)."""
    return "\n".join("- " + " ".join(safe.markdown(e).split("\n")) for e in entries)


class Block(Vertical):
    """A headed block of the item page."""

    def __init__(self, heading: str | Content, *children, classes: str = "", **kwargs) -> None:
        super().__init__(
            Static(
                heading if isinstance(heading, Content) else Content(heading), classes="heading"
            ),
            *children,
            classes=f"block {classes}".strip(),
            **kwargs,
        )


# the footer shows each pair as one entry: "[] Topic" (the same topic at an earlier or later
# meeting), ",. Item" (the previous or next item of this meeting); o opens the topic's timeline
TOPIC = Binding.Group("Topic", compact=True)
ITEMS = Binding.Group("Item", compact=True)


class ItemScreen(Screen):
    """An item of a meeting."""

    SCREEN_NAME = "Item"

    DEFAULT_CSS = """
    ItemScreen #place {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ItemScreen #confidential {
        height: 1;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
    }
    ItemScreen #body {
        height: 1fr;
        padding: 0 1;
    }
    ItemScreen .block {
        height: auto;
        margin: 1 0 0 0;
    }
    ItemScreen .block > .heading {
        padding: 0;
        border-bottom: solid $accent 50%;
        height: 2;
    }
    ItemScreen .block.decisions > .heading, ItemScreen .block.actions > .heading {
        color: $success;
    }
    ItemScreen .block.note > .heading {
        color: $warning;
    }
    ItemScreen .block .field {
        height: 1;
        margin: 1 0 0 0;
    }
    ItemScreen .block Markdown {
        margin: 0;
        padding: 0;
    }
    ItemScreen #kpis {
        height: auto;
        max-height: 12;
    }
    ItemScreen #related {
        height: auto;
        max-height: 7;
    }
    """

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="item.down"),
        Binding("k", "scroll_up", "Up", show=False, id="item.up"),
        Binding("left_square_bracket", "earlier", "Earlier", id="item.earlier", group=TOPIC),
        Binding("right_square_bracket", "later", "Later", id="item.later", group=TOPIC),
        # The same keys (same ids, so a keymap moves them together) when there is no such
        # meeting: kept out of the footer, they say so instead of doing nothing.
        Binding("left_square_bracket", "none('earlier')", "Earlier", show=False, id="item.earlier"),
        Binding("right_square_bracket", "none('later')", "Later", show=False, id="item.later"),
        Binding("comma", "previous_item", "Prev item", id="item.previous", group=ITEMS),
        Binding("full_stop", "next_item", "Next item", id="item.next", group=ITEMS),
        Binding("o", "open_topic", "Timeline", id="item.topic"),
        Binding("o", "none('topic')", "Timeline", show=False, id="item.topic"),
        Binding("u", "up_to_meeting", "Meeting", show=False, id="item.meeting"),
    ]

    def __init__(self, library: Library, meeting_id: str, number: str) -> None:
        super().__init__()
        self.library = library
        self.meeting_id = meeting_id
        self.number = number
        library.full(meeting_id)  # the minute and the report, if the library came without
        self.topic, self.others = elsewhere(library, meeting_id, number)

    @property
    def meeting(self) -> Meeting | None:
        """The meeting, or None when it is no longer in the folder."""
        return self.library.full(self.meeting_id)

    @property
    def item(self) -> Item | None:
        """The item, or None when it is no longer in the folder (see ``Library.item``)."""
        return self.library.item(self.meeting_id, self.number)

    @property
    def _where(self) -> str | None:
        """The file and line of the item, for the line under a text too long to show whole."""
        return longtext.item_place(self.item.path, self.item.line)

    @property
    def kpis(self) -> list:
        m = self.meeting
        if m is None:
            return []
        key = item_key(self.number)
        return [k for k in m.kpis if k.item and item_key(k.item) == key]

    def compose(self) -> ComposeResult:
        m, it = self.meeting, self.item
        if m is None or it is None:
            yield from gone_page("item")
            return
        yield TitleBar(
            safe.join(f"Item {self.number}. ", safe.line(it.title or "(no title)")), id="title"
        )
        place = safe.join(
            safe.line(m.board),
            " · ",
            long_date(m.date),
            f" · taken {ordinal(it.order)} of {len(m.items)}" if it.order else "",
        )
        if it.confidential:
            yield Static(Content("CONFIDENTIAL — a Part 2 / restricted item"), id="confidential")
        yield Static(place, id="place")
        with VerticalScroll(id="body"):
            if self.others:
                yield Block(
                    "Same topic at other meetings ([ earlier, ] later)",
                    RecordTable(id="related"),
                    id="related-block",
                )
            if it.decisions:
                yield Block(
                    f"Decisions ({len(it.decisions)})",
                    *longtext.views(bullets(it.decisions), self._where),
                    id="decisions",
                    classes="decisions",
                )
            if it.actions:
                yield Block(
                    f"Actions ({len(it.actions)})",
                    *longtext.views(bullets(it.actions), self._where),
                    id="actions",
                    classes="actions",
                )
            if it.minute.strip():
                yield Block("Minute", *longtext.views(it.minute, self._where), id="minute")
            elif not it.report:
                yield Block("Minute", Static(Content("No minute recorded.")), id="minute")
            if it.report is not None:
                yield self._report_block(it)
            kpis = self.kpis
            if kpis:
                yield Block(
                    f"KPIs reported under this item ({len(kpis)}) — Enter opens one",
                    RecordTable(id="kpis"),
                    id="kpi-block",
                )
            if it.note:
                yield Block(
                    "Editor's note",
                    *longtext.views(it.note, self._where),
                    id="note",
                    classes="note",
                )
        yield Footer()

    def _report_block(self, it: Item) -> Block:
        report = it.report
        assert report is not None
        parts = []
        for attr, label in REPORT_FIELDS:
            value = getattr(report, attr)
            if value:
                parts.append(Static(Content.styled(label, "bold"), classes="field"))
                parts.extend(longtext.views(value, self._where))
        if report.text.strip():
            # Agenda-pack reports run to tens of thousands of characters: one Static with
            # Rich's markdown renders them in a fraction of the time a Markdown widget takes
            # (one widget per block). Links are shown as text, never made clickable.
            parts.append(Static(Content.styled("Report", "bold"), classes="field"))
            parts.extend(longtext.views(report.text, self._where, static=True))
        return Block("Report (from the agenda pack)", *parts, id="report")

    def on_mount(self) -> None:
        m = self.meeting
        if m is None or self.item is None:
            return
        if self.others:
            table = self.query_one("#related", RecordTable)
            table.add_column(Text(""), key="when")
            table.add_column(Text("Date"), key="date")
            table.add_column(Text("No."), key="number")
            table.add_column(Text("Item"), key="title")
            mine = m.date
            for a in self.others:
                table.add_row(
                    Text("earlier" if a.date < mine else "later", style="dim"),
                    Text(a.date),
                    Text(a.item_number, justify="right"),
                    safe.text(a.item_title, width=max(20, self.app.size.width - 36)),
                    key=f"{a.meeting_id}\x00{a.item_number}",
                )
        if self.kpis:
            table = self.query_one("#kpis", RecordTable)
            table.add_column(Text("Code"), key="code")
            table.add_column(Text("Rating"), key="rating")
            table.add_column(Text("Period"), key="period")
            table.add_column(Text("Theme"), key="theme")
            for n, k in enumerate(self.kpis):
                table.add_row(
                    safe.text(k.code),
                    Text(RATING_LABELS.get(k.rating, k.rating)),
                    safe.text(k.period),
                    safe.text(k.theme, width=max(20, self.app.size.width - 50)),
                    key=f"{n}\x00{k.code}",
                )
        self.query_one("#body", VerticalScroll).focus()

    # -- events ------------------------------------------------------------------

    @on(DataTable.RowSelected, "#related")
    def _open_related(self, event: DataTable.RowSelected) -> None:
        mid, _, number = (event.row_key.value or "").partition("\x00")
        if mid:
            host(self).open_item(mid, number)

    @on(DataTable.RowSelected, "#kpis")
    def _open_kpi(self, event: DataTable.RowSelected) -> None:
        code = (event.row_key.value or "").partition("\x00")[2]
        if code:
            host(self).open_kpi(self.meeting_id, code)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        # Links in records are not followed from the terminal: show where they point.
        event.stop()
        host(self).say(f"Link: {event.href}")

    # -- actions -----------------------------------------------------------------

    def action_scroll_down(self) -> None:
        self.query_one("#body", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#body", VerticalScroll).scroll_up()

    def _target(self, later: bool):
        """The same topic at the nearest later (or earlier) meeting, or None."""
        m = self.meeting
        if m is None:
            return None
        mine = m.date
        if later:
            found = [a for a in self.others if a.date > mine]
            return found[0] if found else None
        found = [a for a in self.others if a.date < mine]
        return found[-1] if found else None

    def _step_topic(self, later: bool) -> None:
        target = self._target(later)
        if target is None:
            self.action_none("later" if later else "earlier")
            return
        host(self).open_item(target.meeting_id, target.item_number)

    def action_none(self, what: str) -> None:
        """A key whose target this item does not have: say so."""
        if what == "topic" or not self.others:
            host(self).say("This item's topic does not come up at any other meeting.")
        else:
            host(self).say(f"No {what} meeting on this topic.")

    def action_earlier(self) -> None:
        self._step_topic(later=False)

    def action_later(self) -> None:
        self._step_topic(later=True)

    def _step_item(self, step: int) -> None:
        m = self.meeting
        numbers = [i.number for i in m.items] if m is not None else []
        if self.number not in numbers:
            host(self).gone("item")
            return
        target = numbers.index(self.number) + step
        if 0 <= target < len(numbers):
            # this screen is replaced only once the next item is there to replace it
            host(self).open_item(self.meeting_id, numbers[target], replace=True)
        else:
            host(self).say("That was the " + ("last" if step > 0 else "first") + " item.")

    def action_next_item(self) -> None:
        self._step_item(1)

    def action_previous_item(self) -> None:
        self._step_item(-1)

    def action_open_topic(self) -> None:
        if self.topic is None or not self.topic.key:
            self.action_none("topic")
            return
        host(self).open_topic(self.topic.key)

    def action_up_to_meeting(self) -> None:
        from .meeting import MeetingScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], MeetingScreen):
            self.app.pop_screen()
        else:
            host(self).open_meeting(self.meeting_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False keeps a key out of the footer and hands it to its "none" twin, which says why
        if action == "open_topic":
            return bool(self.topic is not None and self.topic.key)
        if action in ("earlier", "later"):
            return self._target(later=action == "later") is not None
        return True
