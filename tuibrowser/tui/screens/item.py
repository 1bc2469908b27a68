"""One agenda item: decisions and actions set apart, the minute, the report, the editor's note,
and the same topic at earlier and later meetings.

On a wide terminal (:data:`SIDE_BY_SIDE_WIDTH` columns or more) the agenda report stands beside
the minute, each scrolling on its own; ``s`` toggles side by side and stacked. Opened from
search, the query's matches are marked and ``n`` / ``N`` step through them (see
:mod:`..matches`)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Markdown, Static

from ...keys import item_key
from ...library import Library
from ...model import RATING_LABELS, Item, Meeting
from ...topics import elsewhere
from .. import longtext, safe
from ..gone import gone_page
from ..host import host
from ..matches import Matches, MatchText, literal, literal_list, scroll_to_line, spans_of
from ..widgets import BrowseTable, TitleBar
from .meeting import long_date, ordinal

SIDE_BY_SIDE_WIDTH = 140  # columns from which the report stands beside the minute

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
    /* its report beside its minute on a wide screen (ItemScreen.-side), else stacked */
    ItemScreen #columns {
        height: 1fr;
    }
    ItemScreen #side {
        display: none;
        height: 1fr;
        padding: 0 1;
    }
    ItemScreen.-side #side {
        display: block;
        border-left: vkey $accent 50%;
    }
    ItemScreen #match-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
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
        Binding("n", "step_match(1)", "Next match", id="item.next_match"),
        Binding("N", "step_match(-1)", "Prev match", id="item.previous_match"),
        Binding("n", "none('match')", "Next match", show=False, id="item.next_match"),
        Binding("N", "none('match')", "Prev match", show=False, id="item.previous_match"),
        Binding("s", "toggle_side", "Side by side", show=False, id="item.side"),
        Binding("s", "none('report')", "Side by side", show=False, id="item.side"),
    ]

    def __init__(
        self,
        library: Library,
        meeting_id: str,
        number: str,
        highlight: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.meeting_id = meeting_id
        self.number = number
        library.full(meeting_id)  # the minute and the report, if the library came without
        self.topic, self.others = elsewhere(library, meeting_id, number)
        self.terms = [t for t in highlight or [] if t]  # search terms to mark (folded)
        self.matches = Matches()
        self.side_choice: bool | None = None  # s: the user's choice, else by the width
        self.side = False

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
        item = self.item
        return longtext.item_place(item.path, item.line) if item is not None else None

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
        if self.terms:
            yield Static(id="match-status")
        self.side = it.report is not None and self.app.size.width >= SIDE_BY_SIDE_WIDTH
        self.set_class(self.side, "-side")
        with Horizontal(id="columns"):
            with VerticalScroll(id="body"):
                if self.others:
                    yield Block(
                        "Same topic at other meetings ([ earlier, ] later)",
                        BrowseTable(id="related"),
                        id="related-block",
                    )
                if it.decisions:
                    yield Block(
                        f"Decisions ({len(it.decisions)})",
                        *self._views("decisions", entries=it.decisions),
                        id="decisions",
                        classes="decisions",
                    )
                if it.actions:
                    yield Block(
                        f"Actions ({len(it.actions)})",
                        *self._views("actions", entries=it.actions),
                        id="actions",
                        classes="actions",
                    )
                if it.minute.strip():
                    yield Block("Minute", *self._views("minute", it.minute), id="minute")
                elif not it.report:
                    yield Block("Minute", Static(Content("No minute recorded.")), id="minute")
                if it.report is not None and not self.side:
                    yield self._report_block(it)
                kpis = self.kpis
                if kpis:
                    yield Block(
                        f"KPIs reported under this item ({len(kpis)}) — Enter opens one",
                        BrowseTable(id="kpis"),
                        id="kpi-block",
                    )
                if it.note:
                    yield Block(
                        "Editor's note",
                        *self._views("note", it.note),
                        id="note",
                        classes="note",
                    )
            with VerticalScroll(id="side"):
                if it.report is not None and self.side:
                    yield self._report_block(it)
        yield Footer()

    def _views(
        self, name: str, markdown: str = "", entries: list[str] | None = None, static=False
    ) -> list[Widget]:
        """The widgets of a text of the item: its markdown, or (opened from search, with a
        match in it) the text as written with the matches marked."""
        if self.terms:
            source, left = longtext.shown(markdown) if entries is None else ("", 0)
            text = literal(source) if entries is None else literal_list(entries)
            spans = spans_of(text, self.terms)
            if spans:
                marked: list[Widget] = [MatchText(text, spans, id=f"match-{name}")]
                return marked + ([longtext.cut_note(left, self._where)] if left else [])
        if entries is not None:
            markdown = bullets(entries)
        return longtext.views(markdown, self._where, static=static)

    def _report_block(self, it: Item) -> Block:
        report = it.report
        assert report is not None
        parts: list[Widget] = []
        for attr, label in REPORT_FIELDS:
            value = getattr(report, attr)
            if value:
                parts.append(Static(Content.styled(label, "bold"), classes="field"))
                parts.extend(self._views(f"report-{attr}", value))
        if report.text.strip():
            # Agenda-pack reports run to tens of thousands of characters: one Static with
            # Rich's markdown renders them in a fraction of the time a Markdown widget takes
            # (one widget per block). Links are shown as text, never made clickable.
            parts.append(Static(Content.styled("Report", "bold"), classes="field"))
            parts.extend(self._views("report-text", report.text, static=True))
        return Block("Report (from the agenda pack)", *parts, id="report")

    def on_mount(self) -> None:
        m = self.meeting
        if m is None or self.item is None:
            return
        if self.others:
            table = self.query_one("#related", BrowseTable)
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
            table = self.query_one("#kpis", BrowseTable)
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
        if self.terms:
            self._recollect()
            self.call_after_refresh(self.action_step_match, 1)

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

    def _column(self) -> VerticalScroll:
        """The column the keys scroll: the report's when it has the focus, else the body."""
        focused = self.focused
        for side in self.query("#side").results(VerticalScroll):
            if self.side and focused is not None and (focused is side or side in focused.ancestors):
                return side
        return self.query_one("#body", VerticalScroll)

    def action_scroll_down(self) -> None:
        self._column().scroll_down()

    def action_scroll_up(self) -> None:
        self._column().scroll_up()

    # -- search matches ------------------------------------------------------------

    def action_step_match(self, by: int) -> None:
        """Make the next (or previous) match current and scroll to it."""
        found = self.matches.step(by)
        status = self.query("#match-status")
        if found is None:
            if status:
                status.first(Static).update(
                    safe.join("No match on this item for ", safe.line(" ".join(self.terms)))
                )
            return
        widget, n = found
        scroll_to_line(widget, widget.line_of(n))
        if status:
            status.first(Static).update(
                safe.join(
                    f"Match {self.matches.current + 1} of {len(self.matches)} for ",
                    safe.line(" ".join(self.terms)),
                    " — n next, N previous",
                )
            )

    # -- report beside the minute ----------------------------------------------------

    def on_resize(self) -> None:
        if self.side_choice is None:
            self._set_side(self.app.size.width >= SIDE_BY_SIDE_WIDTH)

    def action_toggle_side(self) -> None:
        self.side_choice = not self.side
        self._set_side(self.side_choice)

    def _set_side(self, side: bool) -> None:
        """Put the report beside the minute (``side``) or under it, as a new block."""
        it = self.item
        if side == self.side or it is None or it.report is None:
            return
        self.side = side
        self.set_class(side, "-side")
        for old in self.query("#report"):
            old.remove()
        block = self._report_block(it)
        if side:
            self.query_one("#side", VerticalScroll).mount(block)
        else:
            body = self.query_one("#body", VerticalScroll)
            later = [w for w in body.children if w.id in ("kpi-block", "note")]
            body.mount(block, before=later[0]) if later else body.mount(block)
            if self.focused is None or self.focused is self.query_one("#side"):
                body.focus()
        if self.terms:
            self.call_after_refresh(self._recollect)

    def _recollect(self) -> None:
        self.matches.collect(list(self.query(MatchText)))
        self.refresh_bindings()  # n / N show in the footer only when there are matches
        if 0 <= self.matches.current < len(self.matches):
            widget, n = self.matches.places[self.matches.current]
            self.call_after_refresh(lambda: scroll_to_line(widget, widget.line_of(n)))

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
        if what == "match":
            host(self).say("Nothing to step through: open an item from search (/) to mark matches.")
            return
        if what == "report":
            host(self).say("This item has no agenda report to show beside its minute.")
            return
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
        if action == "step_match":
            return bool(self.matches)
        if action == "toggle_side":
            it = self.item
            return it is not None and it.report is not None
        return True
