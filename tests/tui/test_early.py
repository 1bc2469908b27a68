"""The early search (tui/early.py) apart from the app: the library's loading waits while a
query runs, a part replaced under the index opens it again, and once the library is there no
query is answered from the cache's files."""

from __future__ import annotations

import threading

import pytest

from tuibrowser.tui import early as early_module
from tuibrowser.tui.early import EarlySearch


class Slow:
    """An index whose query waits for the test."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def query(self, query: str, limit: int | None) -> str:
        self.started.set()
        assert self.release.wait(30)
        return f"answer to {query}"

    def preload(self) -> None:
        pass


def test_the_library_loading_waits_while_a_query_runs():
    index = Slow()
    early = EarlySearch()
    assert early.open(lambda: index)
    out: list[object] = []
    asking = threading.Thread(target=lambda: out.append(early.query("x", 1)))
    asking.start()
    assert index.started.wait(30)
    held = threading.Thread(target=early.hold)
    held.start()
    held.join(0.3)
    assert held.is_alive()  # the loading waits for the answer
    index.release.set()
    held.join(30)
    asking.join(30)
    assert not held.is_alive() and out == ["answer to x"]


class Replaced:
    """An index whose parts a refresh replaced: every query fails."""

    def query(self, query: str, limit: int | None) -> str:
        raise FileNotFoundError("a month's part")

    def preload(self) -> None:
        pass


class Fresh(Replaced):
    def query(self, query: str, limit: int | None) -> str:
        return "fresh"


def test_a_part_replaced_under_the_index_opens_it_again_once():
    opened = iter([Replaced(), Fresh()])
    early = EarlySearch()
    early.open(lambda: next(opened))
    assert early.query("x", 1) == "fresh"
    again = EarlySearch()
    again.open(Replaced)  # opened again, still failing: the library will answer
    assert again.query("x", 1) is None
    assert again.query("x", 1) is None


def test_no_answer_from_the_files_once_the_library_is_there():
    early = EarlySearch()
    early.open(Fresh)
    assert early.query("x", 1) == "fresh"
    early.close()
    assert early.query("x", 1) is None
    assert early.people() is None


def test_an_index_that_cannot_be_opened_leaves_the_library_to_answer():
    def broken():
        raise OSError("no cache")

    early = EarlySearch()
    assert not early.open(broken)
    assert not early.waiting
    assert early.query("x", 1) is None


def test_the_library_loading_waits_while_a_screen_of_the_parts_is_drawn_but_not_for_ever(
    monkeypatch,
):
    early = EarlySearch()
    early.drawing()
    held = threading.Thread(target=early.hold)
    held.start()
    held.join(0.3)
    assert held.is_alive()  # the loading waits for the screen
    early.drawn()
    held.join(30)
    assert not held.is_alive()
    monkeypatch.setattr(early_module, "HOLD", 0.2)
    early.drawing()  # never drawn (the screen went): the loading goes on after HOLD
    held = threading.Thread(target=early.hold)
    held.start()
    held.join(30)
    assert not held.is_alive()


def test_views_kept_are_read_in_the_loading_worker_and_the_others_in_a_thread_of_their_own():
    """Merged already (milliseconds), the Topics and ratings are read where the index was
    opened; not merged, the first reader groups every title, beside the library's loading."""
    import time

    for kept, where in ((True, threading.current_thread().name), (False, "early-views")):
        names: list[str] = []

        def reader(names: list[str] = names) -> list[str]:
            names.append(threading.current_thread().name)
            return ["a topic"]

        early = EarlySearch()
        assert early.open(Fresh, views={"topics": reader}, views_kept=kept)
        if kept:  # read before open returned
            assert early.view("topics") == ["a topic"]
        deadline = time.monotonic() + 30
        while early.view("topics") is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert names == [where] and early.view("topics") == ["a topic"]


@pytest.mark.parametrize(
    ("kept", "wanted", "expected"),
    [
        (True, True, ["people", "index"]),
        (True, False, ["index", "people"]),
        (False, True, ["index", "people"]),
    ],
)
def test_people_kept_and_asked_for_are_read_before_the_index_is_opened(kept, wanted, expected):
    """Merged already, and People asked for, the People list's figures are read first: People
    waits for no index; not asked for, or not merged, the index is opened first (the people it
    names are listed meanwhile), and the figures read or merged after it."""
    order: list[str] = []

    def opener() -> Fresh:
        order.append("index")
        return Fresh()

    def people() -> list:
        order.append("people")
        return []

    early = EarlySearch()
    if wanted:
        early.want_people()
    assert early.open(opener, people, people_kept=kept)
    assert order == expected and early.figures() == []


@pytest.mark.parametrize(
    ("kept", "wanted", "expected"),
    [
        (True, [], ["index", "people", "topics", "ratings"]),
        (True, ["ratings"], ["ratings", "index", "people", "topics"]),
        (True, ["ratings", "topics"], ["ratings", "topics", "index", "people"]),
        (False, ["ratings"], ["index", "people", "ratings", "topics"]),
    ],
)
def test_a_part_asked_for_is_read_before_the_index_and_the_others(kept, wanted, expected):
    """Topics or the dashboard asked for, their part merged already (milliseconds), it is read
    first: the screen waits for neither the index (a tenth of a second at 50,000 meetings) nor
    the People list's figures (a fifth). Not merged, the index is opened first and the parts
    merged beside the library's loading, the one asked for first."""
    import time

    order: list[str] = []

    def opener() -> Fresh:
        order.append("index")
        return Fresh()

    def part(name: str):
        def read() -> list[str]:
            order.append(name)
            return [name]

        return read

    early = EarlySearch()
    for name in wanted:
        early.want(name)
    views = {"topics": part("topics"), "ratings": part("ratings")}
    assert early.open(opener, part("people"), views, views_kept=kept)
    deadline = time.monotonic() + 30
    while early.view("topics") is None and time.monotonic() < deadline:
        time.sleep(0.01)
    while early.view("ratings") is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert order == expected
    assert early.view("topics") == ["topics"] and early.view("ratings") == ["ratings"]


def test_a_part_is_read_while_a_query_or_the_preload_runs():
    """The parts wait for no query: the titles' preload (a third of a second at 50,000
    meetings) held Topics back."""
    index = Slow()
    early = EarlySearch()
    assert early.open(lambda: index)
    asking = threading.Thread(target=lambda: early.query("x", 1))
    asking.start()
    assert index.started.wait(30)  # a query holds the index
    reading = threading.Thread(target=lambda: early.open_view("topics", lambda: ["a topic"]))
    reading.start()
    reading.join(30)
    assert not reading.is_alive() and early.view("topics") == ["a topic"]
    index.release.set()
    asking.join(30)
    early.close()  # the library is here: the parts are its
    assert early.view("topics") is None
    assert not early.open_view("ratings", lambda: ["ratings"]) and early.view("ratings") is None
