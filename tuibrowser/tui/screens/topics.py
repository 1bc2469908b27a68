"""Topics: items that recur across meetings, and a timeline to step through one of them."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...library import Library
from ...search import display_text
from ...text import clean, one_line
from ...topic_parts import TopicLine, lines
from ...topics import find_topics, topic
from .. import safe
from ..host import host
from ..widgets import BrowseList, BrowseTable, TitleBar, fit_widths

EXCERPT_LINES = 6
FIRST_ROWS = 100  # topics listed in the first frame; the rest follow in the next
HELP = "Items that come up at two meetings or more · Enter: timeline"


class TopicsScreen(Screen):
    """Every recurring topic with how often and over which years; Enter opens its timeline."""

    SCREEN_NAME = "Topics"

    DEFAULT_CSS = """
    TopicsScreen #topics-help { height: 1; padding: 0 1; color: $text-muted; }
    TopicsScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("o", "open_topic", "Open timeline", id="topics.open"),
    ]

    def __init__(self, library: Library | None, topics: list[TopicLine] | None = None) -> None:
        """The topics of ``library``; before it is loaded (None), the cache's ``topics``
        (:meth:`~tuibrowser.store.cache.Cache.topics`: the same list)."""
        super().__init__()
        self.library = library
        if topics is None:
            topics = lines(find_topics(library)) if library is not None else []
        self.topics: list[TopicLine] = topics
        self._filled = 0  # how many times the table was filled (a rest due is of the last)

    def compose(self) -> ComposeResult:
        yield TitleBar("Topics", id="title")
        yield Static(Text(HELP), id="topics-help")
        yield BrowseTable(id="topics-table", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Topics"
        if self.library is None:
            host(self).updates.library.subscribe(self, self.library_loaded)
        self._fill()
        self.query_one(BrowseTable).focus()
        if self.library is None:  # drawn: the library's loading, held meanwhile, goes on
            self.call_after_refresh(host(self).early_drawn)

    def on_unmount(self) -> None:
        if self.library is None:
            host(self).early_drawn()

    def library_loaded(self, library: Library) -> None:
        """The library is loaded: it answers from now on (a topic opened, the list)."""
        self.library = library
        self._library_topics(library)

    @work(thread=True, exclusive=True, group="topics-list")
    def _library_topics(self, library: Library) -> None:
        found = lines(find_topics(library))
        if found != self.topics:  # the files changed since the cache's parts were read
            self.app.call_from_thread(self._redraw, found)

    def _redraw(self, topics: list[TopicLine]) -> None:
        """Draw the list again of ``topics``, keeping the topic under the cursor."""
        table = self.query_one(BrowseTable)
        key = table.cursor_key
        self.topics = topics
        table.clear(columns=True)
        self._fill(at_once=True)
        for n, t in enumerate(self.topics):
            if t.key == key:
                table.move_cursor(row=n, animate=False)
                break

    def _fill(self, at_once: bool = False) -> None:
        """List the topics: a screenful first, the rest after that frame (thousands of rows
        took the Topics list of a big archive most of a second to show), or all ``at_once``."""
        table = self.query_one(BrowseTable)
        natural = [
            max((len(one_line(t.title)) for t in self.topics), default=5),
            8,
            max((len(t.years) for t in self.topics), default=5),
            10 if any(t.procedural for t in self.topics) else 0,
        ]
        widths = fit_widths(natural, self.app.size.width, [20, 8, 5, natural[3]])
        table.add_column("Topic", key="title", width=widths[0])
        table.add_column("Meetings", key="meetings", width=widths[1])
        table.add_column("Years", key="years", width=widths[2])
        table.add_column("", key="kind", width=widths[3])
        self._filled += 1
        first = len(self.topics) if at_once else FIRST_ROWS
        self._add_rows(self.topics[:first], widths)
        if len(self.topics) > first:
            self.call_after_refresh(self._fill_rest, self._filled, first, widths)
        self.query_one("#topics-help", Static).update(
            Text(HELP if self.topics else "No item comes up at two meetings or more.")
        )

    def _fill_rest(self, filled: int, start: int, widths: list[int]) -> None:
        if filled == self._filled:  # not filled again since
            self._add_rows(self.topics[start:], widths)

    def _add_rows(self, topics: list[TopicLine], widths: list[int]) -> None:
        table = self.query_one(BrowseTable)
        for t in topics:
            table.add_row(
                safe.text(t.title, width=widths[0]),
                Text(str(t.meetings), justify="right"),
                safe.text(t.years, width=widths[2]),
                Text("procedural", style="dim") if t.procedural else Text(""),
                key=t.key,
            )

    @on(DataTable.RowSelected, "#topics-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            host(self).open_topic(event.row_key.value)

    def action_open_topic(self) -> None:
        key = self.query_one(BrowseTable).cursor_key
        if key:
            host(self).open_topic(key)


class TopicScreen(Screen):
    """A topic's appearances in date order; ←/→ (or [ and ]) step, Enter opens the item."""

    SCREEN_NAME = "Topic"

    DEFAULT_CSS = """
    TopicScreen #topic-head { height: auto; padding: 0 1; }
    TopicScreen OptionList { height: auto; max-height: 8; }
    TopicScreen #topic-detail-box { height: 1fr; border-top: solid $primary; padding: 0 1; }
    """

    BINDINGS = [
        Binding("right", "step(1)", "Later", id="topic.later"),
        Binding("left", "step(-1)", "Earlier", id="topic.earlier"),
        # the item screen's keys for the same; p and n stay People and the rest
        Binding("right_square_bracket", "step(1)", "Later", show=False, id="topic.next"),
        Binding("left_square_bracket", "step(-1)", "Earlier", show=False, id="topic.previous"),
    ]

    def __init__(self, library: Library, key: str) -> None:
        super().__init__()
        self.library = library
        self.key = key
        self.topic = topic(library, key)

    def compose(self) -> ComposeResult:
        title = self.topic.title if self.topic is not None else "not found"
        yield TitleBar(safe.join("Topic — ", safe.line(title)), id="title")
        yield Static(id="topic-head")
        yield BrowseList(id="topic-timeline")
        with VerticalScroll(id="topic-detail-box"):
            yield Static(id="topic-detail")
        yield Footer()

    def on_mount(self) -> None:
        head = self.query_one("#topic-head", Static)
        timeline = self.query_one(OptionList)
        if self.topic is None:
            self.title = "Topic"
            head.update(Text(f"No topic {one_line(self.key)} in these records."))
            return
        t = self.topic
        self.title = one_line(t.title)
        text = Text(one_line(t.title), style="bold")
        text.append(f"  {t.meetings} meetings, {t.years}", style="dim")
        if t.procedural:
            text.append("  procedural", style="dim")
        text.append("\n←/→ or [/]: earlier/later · Enter: open the item", style="dim")
        head.update(text)
        for n, a in enumerate(t.appearances):
            line = Text(f"{a.date}  ")
            line.append(f"{a.item_number}. ", style="bold")
            line.append(one_line(a.item_title))
            timeline.add_option(Option(line, id=f"a{n}"))
        timeline.highlighted = 0
        timeline.focus()
        self._detail(0)

    @on(OptionList.OptionHighlighted, "#topic-timeline")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None:
            self._detail(event.option_index)

    def _detail(self, index: int) -> None:
        if self.topic is None or not self.topic.appearances:
            return
        a = self.topic.appearances[index]
        meeting = self.library.full(a.meeting_id)  # with its texts, for the excerpt
        item = meeting.item(a.item_number) if meeting else None
        text = Text()
        text.append(f"{index + 1} of {len(self.topic.appearances)} · ", style="dim")
        text.append(f"{a.date} {one_line(meeting.board if meeting else '')}\n", style="dim")
        text.append(f"{a.item_number}. {one_line(a.item_title)}", style="bold")
        if item is not None and item.confidential:
            text.append(" ")
            text.append(" CONFIDENTIAL ", style="bold white on red")
        text.append("\n")
        if item is not None:
            body = item.minute or (item.report.text if item.report else "") or ""
            if not body and item.report:
                body = item.report.summary or item.report.purpose or ""
            lines = [ln for ln in clean(body).splitlines() if ln.strip()][:EXCERPT_LINES]
            if lines:
                text.append("\n".join(lines))
                text.append("\n")
            for d in item.decisions:
                text.append("\nDecision: ", style="bold green")
                text.append(display_text(d))
            for x in item.actions:
                text.append("\nAction: ", style="bold cyan")
                text.append(display_text(x))
        self.query_one("#topic-detail", Static).update(text)

    def action_step(self, delta: int) -> None:
        if self.topic is None or not self.topic.appearances:
            return
        timeline = self.query_one(OptionList)
        current = timeline.highlighted or 0
        timeline.highlighted = max(0, min(len(self.topic.appearances) - 1, current + delta))

    @on(OptionList.OptionSelected, "#topic-timeline")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if self.topic is None:
            return
        a = self.topic.appearances[event.option_index]
        host(self).open_item(a.meeting_id, a.item_number)
