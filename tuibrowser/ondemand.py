"""A library that a store answers on demand: what the browser on a shared store (``--store``)
shows, without reading every meeting.

:class:`OnDemandLibrary` is a :class:`~tuibrowser.library.Library` whose meetings stay in the
store: a meeting is read when it is asked for (its documents, those of its date), its long
texts when it is opened (:meth:`Library.full`), a person's page of the half months that name
them (:meth:`Library.of_person`), and what the screens show of the whole folder — the People
list's figures, the Topics, search — is what the store keeps (:class:`Answers`: the functions
that compute them of a library ask :meth:`Library.answers` first). Only a screen that needs
every meeting (the dashboard, decisions, actions…) reads them all, once, when it is first
opened (:attr:`Library.meetings`; :attr:`OnDemandLibrary.in_memory` says whether they are
read).

The screens do not know which library they have: the cache's is every meeting in memory, a
store's this one, and both answer the same (the tests compare them row by row).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values

from .library import Library, build, collect_people, group_documents, merge
from .model import Meeting, Person, Problem

if TYPE_CHECKING:
    from .model import Document
    from .people_figures import PersonFigures
    from .search import Results
    from .topics import Topic

KEEP = 256  # meetings read on demand kept (the screens ask for the one they show, again)


class PaletteFinds(NamedTuple):
    """What a store finds for the command palette of what was typed (a page of each kind,
    a superset of what the palette's fuzzy matcher keeps): meetings ``(id, date, board)``
    and people ``(key, name shown)``."""

    meetings: list[tuple[str, str, str]]
    people: list[tuple[str, str]]


class Answers(Protocol):
    """What a store answers of its folder without the library (see the module)."""

    def documents_of_date(self, date: str) -> list[Document]:
        """The documents (no long texts) of the meetings of ``date``."""
        ...

    def documents_of_dates(self, dates: list[str]) -> list[Document]:
        """The documents (no long texts) of the meetings of ``dates``, in one read."""
        ...

    def documents_naming(self, key: str) -> list[Document]:
        """The documents (no long texts) of the half months that name the person ``key``."""
        ...

    def texts_of(self, meeting: str) -> list[Document]:
        """The documents of one meeting, long texts and all."""
        ...

    def whole(self) -> Library | None:
        """Every meeting, without long texts (a screen that needs them all); None when they
        cannot be read."""
        ...

    def search(self, query: str, limit: int | None) -> Results:
        """The hits of ``query``, as :func:`tuibrowser.search.run` finds them."""
        ...

    def people_figures(self) -> list[PersonFigures] | None:
        """The People list's figures; None when the store cannot tell them."""
        ...

    def topics(self) -> list[Topic] | None:
        """The recurring topics; None when the store cannot tell them."""
        ...

    def palette(self, typed: str) -> PaletteFinds:
        """The meetings and people whose command-palette title can match ``typed`` (read
        without the library: the palette asks at each key)."""
        ...

    def palette_kpis(self, typed: str) -> list[tuple[str, str]]:
        """The KPI rows ``(meeting id, code)`` whose command-palette title can match
        ``typed``, newest first."""
        ...


class OnDemandLibrary(Library):
    """The library of a store that answers on demand (see the module)."""

    def __init__(self, answers: Answers, problems: list[Problem], skipped: int = 0) -> None:
        self._whole: list[Meeting] | None = None
        super().__init__(problems=problems, skipped=skipped)
        self._whole = None
        self._answers = answers
        self._one: OrderedDict[str, Meeting | None] = OrderedDict()
        self._reading = threading.RLock()
        self._of_person: tuple[str, Library] | None = None
        self.people = self._people = _People(self)
        self.texts_of = answers.texts_of

    def __repr__(self) -> str:  # not the dataclass's: that would read every meeting
        return f"OnDemandLibrary(in_memory={self.in_memory}, read={len(self._one)})"

    # -- every meeting, read when a screen needs them all -------------------------------

    @property
    def meetings(self) -> list[Meeting]:
        """Every meeting (newest first), read from the store the first time."""
        found = self._whole
        if found is None:
            with self._reading:
                found = self._whole
                if found is None:
                    found = self._whole = self._read_whole()
        return found

    @meetings.setter
    def meetings(self, value: list[Meeting]) -> None:
        self._whole = value

    @property
    def in_memory(self) -> bool:
        """Whether every meeting is read (a screen that needs them all opens at once)."""
        return self._whole is not None

    def _read_whole(self) -> list[Meeting]:
        lib = self._answers.whole()
        if lib is None:
            return []
        self.lean |= lib.lean
        self._people.fill(lib.people)
        return lib.meetings

    # -- one meeting, one person ---------------------------------------------------------

    def meeting(self, meeting_id: str) -> Meeting | None:
        if self._whole is not None:
            return super().meeting(meeting_id)
        with self._reading:
            if meeting_id in self._one:
                self._one.move_to_end(meeting_id)
                return self._one[meeting_id]
            docs = group_documents(self._answers.documents_of_date(meeting_id[:10]))
            found = docs.get(meeting_id)
            m = merge(meeting_id, found, owned=True) if found else None
            if m is not None:
                self.lean.add(meeting_id)  # its long texts read when it is opened
            self._one[meeting_id] = m
            while len(self._one) > KEEP:
                self._one.popitem(last=False)
            return m

    def meetings_of(self, ids: list[str]) -> dict[str, Meeting]:
        """The meetings ``ids`` (those still there), read together (the documents of their
        dates, one query) and not kept: for a reader of many, as what changed reads the
        meetings that changed."""
        if self._whole is not None:
            return {mid: m for mid in ids if (m := super().meeting(mid)) is not None}
        wanted = set(ids)
        docs = group_documents(self._answers.documents_of_dates(sorted({i[:10] for i in ids})))
        return {mid: merge(mid, found, owned=True) for mid, found in docs.items() if mid in wanted}

    def meeting_at(self, date: str, board: str) -> Meeting | None:
        if self._whole is not None:
            return super().meeting_at(date, board)
        docs = group_documents(self._answers.documents_of_date(date))
        for mid in sorted(docs, reverse=True):
            m = self.meeting(mid)
            if m is not None and m.board == board:
                return m
        return None

    def person(self, key: str) -> Person | None:
        """The person ``key``, of the meetings that name them."""
        return self.of_person(key).people.get(key)

    def of_person(self, key: str) -> Library:
        if self._whole is not None:
            return self
        with self._reading:
            kept = self._of_person
            if kept is None or kept[0] != key:  # the person opened is asked for twice or more
                kept = self._of_person = (
                    key,
                    build(self._answers.documents_naming(key), owned=True),
                )
            return kept[1]

    def answers(self) -> Answers | None:
        return self._answers


class _People(dict[str, Person]):
    """The people of an :class:`OnDemandLibrary`: one person is read when asked for, everyone
    when the whole is (listed, counted, iterated)."""

    def __init__(self, library: OnDemandLibrary) -> None:
        super().__init__()
        self._library = library
        self._filled = False
        self._asked: dict[str, Person | None] = {}

    def fill(self, people: dict[str, Person] | None = None) -> None:
        if self._filled:
            return
        if people is None:
            meetings = self._library.meetings  # reading them fills the people too
            if self._filled:
                return
            people = collect_people(meetings)
        super().update(people)
        self._filled = True

    def _one(self, key: str) -> Person | None:
        if self._filled:
            return super().get(key)
        if key not in self._asked:
            self._asked[key] = self._library.person(key)
        return self._asked[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._one(key) is not None

    def __getitem__(self, key: str) -> Person:
        found = self._one(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key: str, default: Person | None = None) -> Person | None:  # type: ignore[override]
        found = self._one(key)
        return default if found is None else found

    def __iter__(self) -> Iterator[str]:
        self.fill()
        return super().__iter__()

    def __len__(self) -> int:
        self.fill()
        return super().__len__()

    def keys(self) -> dict_keys[str, Person]:
        self.fill()
        return super().keys()

    def values(self) -> dict_values[str, Person]:
        self.fill()
        return super().values()

    def items(self) -> dict_items[str, Person]:
        self.fill()
        return super().items()
