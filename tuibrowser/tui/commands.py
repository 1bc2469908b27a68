"""The command palette (Ctrl+P): jump to any meeting, person, topic, KPI row or screen.

The provider knows the screen it was opened from: on a meeting it offers that meeting's
items and attendees first, on an item the same topic at other meetings. Every title and name
is shown as ``Content`` (literally); help texts are written here, never taken from files.

On a store's library (``--store``: :meth:`Library.answers`) the palette never reads the whole
library: at each key the store finds the meetings, people and KPI rows whose title can match
(:meth:`~tuibrowser.ondemand.Answers.palette`, a page of each, in SQL), the topics are those
the store keeps, and all of it is read and matched in a thread, off the app's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from ..text import one_line
from .host import host

if TYPE_CHECKING:
    from ..kpi import KpiRow
    from ..library import Library
    from ..model import Meeting
    from ..ondemand import Answers
    from ..topics import Topic
    from .host import BrowserApp

Command = tuple[str, Callable[[], object], str]
Found = tuple[float, Content, str, Callable[[], object], str]  # a hit: score, shown, text, …

# The screens and lists of the palette, by the app's action that opens them (what its keys run,
# ``App.run_action``): label, action, help.
SCREENS = (
    ("Go to: meetings (home)", "meetings", "the list of all meetings  (M)"),
    ("Go to: search", "search", "search items, decisions, people and KPIs  (/)"),
    ("Go to: people", "people", "everyone who attended or was a member  (P)"),
    ("Go to: topics", "topics", "subjects that come back at several meetings  (T)"),
    ("Go to: decisions and actions", "decisions", "every decision and action  (A)"),
    (
        "Go to: action tracker",
        "actions",
        "actions by status, owner and due date, overdue first  (ctrl+t on decisions)",
    ),
    (
        "Go to: membership over time",
        "membership",
        "each board's members per period: role, group, authority  (Ctrl+G on People)",
    ),
    (
        "Show: confidential items",
        "confidential",
        "every item marked confidential (Part 2, restricted, exempt)",
    ),
    # "KPIs", as the D key is called in the footer and in the keys list (?)
    (
        "Go to: KPIs (dashboard)",
        "dashboard",
        "ratings, KPI table, trends, programme, attendance  (D)",
    ),
    (
        "Go to: changes",
        "changes",
        "what changed in the meetings since you last looked  (c)",
    ),
    ("Show: keys of this screen", "help", "every key that works here  (?)"),
    ("Show: problems with the files", "problems", "files skipped and why  (!)"),
)


def kpi_commands(rows: list[KpiRow], open_kpi: Callable[[str, str], object]) -> list[Command]:
    """One command per KPI row: ``KPI LC20 Roll out the "Return to Social Work…`` opens it."""
    from ..kpi import rating_word

    out: list[Command] = []
    for r in rows:
        title = f"KPI {one_line(r.code, 16)} {one_line(r.kpi.target, 50)}".rstrip()
        where = " · ".join(x for x in (one_line(r.period, 20), f"meeting {r.date}") if x)
        out.append(
            (title, partial(open_kpi, r.meeting_id, r.code), f"{rating_word(r.rating)} · {where}")
        )
    return out


def topic_commands(topics: list[Topic], open_topic: Callable[[str], object]) -> list[Command]:
    """One command per recurring topic: ``Topic Budget monitoring`` opens it."""
    return [
        (
            f"Topic {one_line(topic.title)}",
            partial(open_topic, topic.key),
            f"at {len(topic.appearances)} meetings",
        )
        for topic in topics
        if topic.key
    ]


def highlight(matcher: Matcher, text: str) -> Content:
    """Like ``Matcher.highlight`` but for untrusted text: never parsed as markup."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class BrowserCommands(Provider):
    """Meetings, people, topics and screens, with the current screen's own commands first."""

    def _commands(self) -> list[Command]:
        app = host(self.screen)
        out: list[Command] = []
        lib = app.library
        out.extend(self._screen_commands())
        out.extend(self._screens())
        if lib is None:
            return out
        for m in lib.meetings:
            title = f"Meeting {m.date} {one_line(m.board)}"
            out.append((title, partial(app.open_meeting, m.id), "open this meeting"))
        for key, person in lib.people.items():
            name = one_line(person.display_name)
            out.append((f"Person {name}", partial(app.open_person, key), "open this person"))
        from ..kpi import all_rows
        from ..topics import find_topics

        out.extend(kpi_commands(all_rows(lib), app.open_kpi))
        out.extend(topic_commands(find_topics(lib), app.open_topic))
        return out

    def _screens(self) -> list[Command]:
        """Go to a screen: the app runs the action its key runs (so the key's checks apply)."""
        run = self.app.run_action
        return [(label, partial(run, action), help_text) for label, action, help_text in SCREENS]

    def _screen_commands(self) -> list[Command]:
        from .screens.item import ItemScreen
        from .screens.meeting import MeetingScreen

        app = host(self.screen)
        screen = self.screen
        out: list[Command] = []
        if isinstance(screen, MeetingScreen) and screen.meeting is not None:
            m = screen.meeting
            for it in m.items:
                out.append(
                    (
                        f"Item {it.number}. {one_line(it.title)}",
                        partial(app.open_item, m.id, it.number),
                        "an item of this meeting",
                    )
                )
            from ..keys import strip_name

            seen: set[str] = set()
            for a in m.attendance:
                key = a.person
                if key and key not in seen:
                    seen.add(key)
                    out.append(
                        (
                            f"Attendee {strip_name(one_line(a.name))}",
                            partial(app.open_person, key),
                            "attended this meeting",
                        )
                    )
        elif isinstance(screen, ItemScreen):
            for other in screen.others:
                out.append(
                    (
                        f"Same topic {other.date} item {other.item_number}. "
                        f"{one_line(other.item_title)}",
                        partial(app.open_item, other.meeting_id, other.item_number),
                        "this topic at another meeting",
                    )
                )
        return out

    async def discover(self) -> Hits:
        for text, callback, help_text in self._screen_commands():
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text)
        for text, callback, help_text in self._screens():
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        lib = host(self.screen).library
        answers = lib.answers() if lib is not None else None
        if lib is None or answers is None:
            for found in matches(matcher, self._commands()):
                yield _hit(found)
            return
        for found in matches(matcher, [*self._screen_commands(), *self._screens()]):
            yield _hit(found)
        app = host(self.screen)
        for found in await asyncio.to_thread(store_matches, app, lib, answers, matcher):
            yield _hit(found)
        # the KPI rows after the rest (a text few of them hold reads them all): not asked
        # for when a key typed meanwhile cancelled this search
        for found in await asyncio.to_thread(store_kpi_matches, app, lib, answers, matcher):
            yield _hit(found)


def _hit(found: Found) -> Hit:
    score, shown, text, callback, help_text = found
    return Hit(score, shown, callback, text=text, help=help_text)


def matches(matcher: Matcher, commands: list[Command]) -> list[Found]:
    """The commands that match what was typed, scored and highlighted."""
    out: list[Found] = []
    for text, callback, help_text in commands:
        score = matcher.match(text)
        if score > 0:
            out.append((score, highlight(matcher, text), text, callback, help_text))
    return out


def store_matches(app: BrowserApp, lib: Library, answers: Answers, matcher: Matcher) -> list[Found]:
    """The meetings, people and topics of a store's library that match what was typed (run
    in a thread: it asks the store); none when the store cannot be read."""
    try:
        return matches(matcher, store_commands(app, lib, answers, matcher.query))
    except Exception:  # noqa: BLE001 - the palette lists what it can; the store's screens tell why
        return []


def store_kpi_matches(
    app: BrowserApp, lib: Library, answers: Answers, matcher: Matcher
) -> list[Found]:
    """The KPI rows of a store's library that match what was typed (in a thread, as
    :func:`store_matches`)."""
    from ..kpi import KpiRow

    try:
        finds = answers.palette_kpis(matcher.query)
        read = _meetings(lib, sorted({mid for mid, _ in finds}))
        rows: list[KpiRow] = []
        for mid, code in finds:
            m = read.get(mid)
            if m is not None:
                rows.extend(KpiRow(m.id, m.date, k) for k in m.kpis if k.code == code)
        return matches(matcher, kpi_commands(rows, app.open_kpi))
    except Exception:  # noqa: BLE001 - as store_matches
        return []


def store_commands(app: BrowserApp, lib: Library, answers: Answers, typed: str) -> list[Command]:
    """The commands of what the store finds for ``typed`` (:meth:`Answers.palette`) and
    the topics it keeps, as :meth:`BrowserCommands._commands` makes them of the whole
    library."""
    from ..topics import find_topics

    finds = answers.palette(typed)
    out: list[Command] = []
    for mid, date, board in finds.meetings:
        title = f"Meeting {date} {one_line(board)}"
        out.append((title, partial(app.open_meeting, mid), "open this meeting"))
    for key, name in finds.people:
        out.append((f"Person {one_line(name)}", partial(app.open_person, key), "open this person"))
    out.extend(topic_commands(find_topics(lib), app.open_topic))
    return out


def _meetings(lib: Library, ids: list[str]) -> dict[str, Meeting]:
    """The meetings ``ids`` of ``lib``: a store's read together (one query), not one by one."""
    from ..ondemand import OnDemandLibrary

    if isinstance(lib, OnDemandLibrary):
        return lib.meetings_of(ids)
    return {mid: m for mid in ids if (m := lib.meeting(mid)) is not None}
