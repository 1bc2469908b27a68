"""Which screens a library a store answers on demand (:mod:`tuibrowser.ondemand`) opens at
once, and how the app makes them of it.

The People list, a person's page, the Topics and a topic are answered by the store (its kept
figures and topics, the meetings that name a person); the meeting and item screens and search
ask the library one meeting (or one query) at a time; what changed lists the log the loading
worker found (:mod:`tuibrowser.change_log`). Every other screen (the dashboard, decisions,
actions, membership, confidential items, a KPI's history) needs every meeting: the app reads
them once, in a thread, when the first of those is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from ..library import Library


def answered(library: Library, cls: type[Screen]) -> bool:
    """Whether ``cls`` can be made of ``library`` now without reading every meeting."""
    from ..ondemand import OnDemandLibrary

    if not isinstance(library, OnDemandLibrary) or library.in_memory:
        return True
    from .screens.changes import ChangesScreen
    from .screens.people import PeopleScreen, PersonScreen
    from .screens.topics import TopicScreen, TopicsScreen

    return cls in (PeopleScreen, PersonScreen, TopicsScreen, TopicScreen, ChangesScreen)


def maker(cls: type[Screen]) -> Callable[..., Screen]:
    """What makes ``cls`` of a library and the screen's arguments: a person's page of the
    library of the meetings that name them (:meth:`Library.of_person`), the others of it."""
    from .screens.people import PersonScreen

    if cls is PersonScreen:
        return lambda library, key: PersonScreen(library.of_person(key), key)
    return cls


def warming(library: Library, cls: type[Screen]) -> Callable[[], object] | None:
    """What the screen ``cls`` reads of a store's library before it is made — the People
    list's figures, the Topics: every year's parts, merged — for the app to read in a thread
    rather than make the screen of it on its own thread; None when there is nothing to read
    (not a store's library, every meeting read, or read already)."""
    from ..memo import kept
    from ..ondemand import OnDemandLibrary

    if not isinstance(library, OnDemandLibrary) or library.in_memory:
        return None
    from .screens.people import PeopleScreen
    from .screens.topics import TopicScreen, TopicsScreen

    if cls is PeopleScreen and not kept(library, "people-figures"):
        from ..people_figures import figures

        return lambda: figures(library)
    if cls in (TopicsScreen, TopicScreen) and not kept(library, "topics"):
        from ..topics import find_topics

        return lambda: find_topics(library)
    return None
