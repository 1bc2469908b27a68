"""The search screen: type words, see hits grouped by meeting with the matches highlighted.

It answers from the first frame: until the library is loaded the app's early search (the
cache's files, see :mod:`..early`) answers, with the same hits; then the library's search.
"""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...library import Library
from ...search import Hit, Results, group_hits, run, warm
from ...search.results import context_snippets, count_label
from ...text import one_line
from ..host import host
from ..widgets import BrowseList, TextBox, TitleBar, type_to_filter

DEBOUNCE = 0.15
LIMIT = 100  # hits shown; the status line says when there are more


def hit_texts(hit: Hit) -> tuple[Text, list[Text]]:
    """What was hit (its title, matches highlighted, and how many matches it holds) and each
    of its snippets: a match in context, highlighted (styles on spans, never markup)."""
    title = Text(one_line(hit.title), style="bold")
    if len(title.plain) == len(hit.title):
        for s, e in hit.title_spans:
            title.stylize("reverse", s, e)
    line = Text("  ")
    line.append(title)
    if hit.confidential:
        line.append(" ")
        line.append(" CONFIDENTIAL ", style="bold white on red")
    count = count_label(hit)
    if count:  # "16 matches" kept on one line when a long title wraps
        line.append("  " + count.replace(" ", "\N{NO-BREAK SPACE}"), style="dim")
    contexts = []
    for snip in context_snippets(hit):
        snippet = Text(snip.text)
        for s, e in snip.spans:
            snippet.stylize("bold reverse", s, e)
        label = f"KPI {snip.field}" if hit.kind == "kpi" else snip.field
        context = Text(f"{label}: ", style="dim")
        context.append(snippet)
        contexts.append(context)
    return line, contexts


def hit_prompt(hit: Hit) -> Group:
    """The option for a hit: the title line, then each snippet indented (wrapped lines too)."""
    line, contexts = hit_texts(hit)
    return Group(line, *(Padding(c, (0, 0, 0, 4)) for c in contexts))


class SearchScreen(Screen):
    """Search everything; Enter opens the item, person or KPI under the cursor."""

    SCREEN_NAME = "Search"

    DEFAULT_CSS = """
    SearchScreen #search-status { height: 1; padding: 0 1; color: $text-muted; }
    SearchScreen OptionList { height: 1fr; }
    """

    BINDINGS = [
        Binding("down", "focus_results", "Results", show=False, id="search.results"),
        Binding("ctrl+f", "focus_query", "Edit query", id="search.query"),
        Binding("slash", "focus_query", "Edit query", show=False, id="search.query_slash"),
        Binding("escape", "clear_query", "Clear query", id="search.clear"),
    ]

    class Answered(Message):
        def __init__(self, results: Results, generation: int) -> None:
            super().__init__()
            self.results = results
            self.generation = generation

    class Waiting(Message):
        """The query cannot be answered before the library is loaded."""

        def __init__(self, generation: int) -> None:
            super().__init__()
            self.generation = generation

    def __init__(self, library: Library | None, query: str = "") -> None:
        super().__init__()
        self.library = library  # None: loading; the cache's files answer meanwhile
        self.initial_query = query
        self.hits: dict[str, Hit] = {}
        self.terms: list[str] = []  # the query's terms, highlighted in the item opened
        self._timer: Timer | None = None
        self._generation = 0
        self._last_query: str | None = None
        self._waiting = False  # a query waits for the library

    def compose(self) -> ComposeResult:
        yield TitleBar("Search", id="title")
        yield TextBox(
            value=self.initial_query,
            placeholder='Search: words (all must match), "a phrase"',
            id="search-input",
        )
        yield Static(id="search-status")
        yield BrowseList(id="search-results", typing=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Search"
        self.query_one(TextBox).focus()
        self._set_status("Type to search items, decisions, actions, people and KPIs.")
        if self.library is None:
            host(self).updates.library.subscribe(self, self.library_loaded)
            host(self).updates.failed.subscribe(self, self.library_failed)
        if self.initial_query.strip():
            self._start(self.initial_query)
        if self.library is not None:
            self._warm(self.library)

    def library_loaded(self, library: Library) -> None:
        """The library is loaded: it answers from now on (a query that waited for it, now)."""
        self.library = library
        self._warm(library)
        if self._waiting and self._last_query is not None:
            self._waiting = False
            self._generation += 1
            self._search(self._last_query, self._generation)

    def library_failed(self, reason: str) -> None:
        if self._waiting:
            self._set_status(f"Could not read the meetings: {one_line(reason)}")

    @work(thread=True, exclusive=True, group="search-index")
    def _warm(self, library: Library) -> None:
        # build the index before the first key, then the word index that speeds it up
        warm(library)

    def _set_status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(Content(text))

    @on(TextBox.Changed, "#search-input")
    def _changed(self, event: TextBox.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        if value == self._last_query:
            return
        self._timer = self.set_timer(DEBOUNCE, lambda: self._start(value))

    @on(TextBox.Submitted, "#search-input")
    def _submitted(self, event: TextBox.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._start(event.value)
        self.action_focus_results()

    def _start(self, query: str) -> None:
        if query == self._last_query and self._generation:
            return
        self._last_query = query
        self._generation += 1
        if not query.strip():
            self._show(Results(query, [], [], 0))
            return
        self._set_status("Searching…")
        self._search(query, self._generation)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, generation: int) -> None:
        library = self.library
        if library is None:  # the cache's files answer, or the library once it is loaded
            early = host(self).search_early(query, LIMIT)
            if early is None:
                self.post_message(self.Waiting(generation))
                return
            self.post_message(self.Answered(early, generation))
            return
        self.post_message(self.Answered(run(library, query, limit=LIMIT), generation))

    def on_search_screen_answered(self, message: Answered) -> None:
        if message.generation == self._generation:
            self._waiting = False
            self._show(message.results)

    def on_search_screen_waiting(self, message: Waiting) -> None:
        if message.generation != self._generation:
            return
        self._waiting = True
        if self.library is not None:  # it came meanwhile
            self.library_loaded(self.library)
            return
        self._set_status("Loading the meetings… the answer comes as soon as they are read.")

    def _show(self, results: Results) -> None:
        options: list[Option] = []
        self.hits = {}
        for group in group_hits(results.hits):
            options.append(
                Option(Text(one_line(group.heading), style="bold underline"), disabled=True)
            )
            for hit in group.hits:
                oid = f"hit-{len(self.hits)}"
                self.hits[oid] = hit
                options.append(Option(hit_prompt(hit), id=oid))
        self.terms = results.terms
        results_list = self.query_one(OptionList)
        results_list.set_options(options)
        self.refresh_bindings()
        if not results.terms:
            self._set_status("Type to search items, decisions, actions, people and KPIs.")
        elif not results.hits:
            self._set_status(f"No match for {one_line(results.query)}")
        else:
            more = "" if results.complete else "+"
            shown = len(results.hits)
            count = f"{results.total}{more} match" + ("es" if results.total != 1 or more else "")
            if shown < results.total or more:
                count += f", best {shown} shown"
            self._set_status(f"{count} — Enter opens · ↓: to the results · / edits the query")

    def action_focus_results(self) -> None:
        results_list = self.query_one(OptionList)
        if results_list.option_count:
            results_list.focus()
            if results_list.highlighted is None:
                results_list.action_first()

    def action_focus_query(self) -> None:
        self.query_one(TextBox).focus()

    def action_clear_query(self) -> None:
        box = self.query_one(TextBox)
        box.value = ""
        box.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_query":
            return bool(self.query_one(TextBox).value)
        return True

    async def on_key(self, event: events.Key) -> None:
        await type_to_filter(self, event, self.query_one(BrowseList), self.query_one(TextBox))

    @on(OptionList.OptionSelected, "#search-results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits.get(event.option.id or "")
        if hit is None:
            return
        app = host(self)
        if hit.kind == "person" and hit.person:
            app.open_person(hit.person)
        elif hit.kind == "kpi" and hit.meeting_id and hit.kpi:
            app.open_kpi(hit.meeting_id, hit.kpi)
        elif hit.meeting_id and hit.item_number:
            app.open_item(hit.meeting_id, hit.item_number, highlight=self.terms)
        elif hit.meeting_id:
            app.open_meeting(hit.meeting_id)
