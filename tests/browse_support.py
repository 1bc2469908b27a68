"""Shared by the search, topics and browse-screen tests: small libraries and a host app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.screen import Screen

from tuibrowser.library import Library, build
from tuibrowser.model import Attendee, Document, Item, Kpi, person_key
from tuibrowser.records import read_folder
from tuibrowser.tui.host import Updates

MEETINGS = Path(__file__).resolve().parent.parent / "meetings"
BOARD = "Test Board"


def item(number, title, minute="", decisions=(), actions=(), confidential=False) -> Item:
    return Item(
        number=number,
        title=title,
        minute=minute,
        decisions=list(decisions),
        actions=list(actions),
        confidential=confidential,
    )


def attendee(name, status="present", role="Member", authority=None) -> Attendee:
    return Attendee(
        name=name, status=status, role=role, authority=authority, person=person_key(name)
    )


def doc(date, items=(), attendance=(), kpis=(), board=BOARD, kind="minutes") -> Document:
    return Document(
        path=f"{date}-{kind}.md",
        board=board,
        date=date,
        kind=kind,
        items=list(items),
        attendance=list(attendance),
        kpis=list(kpis),
    )


def small_library() -> Library:
    """Three meetings with recurring items, a confidential item, people who move, KPIs."""
    return build(
        [
            doc(
                "2019-02-01",
                [
                    item(
                        "1", "Welcome and declarations of interest", "The Chair welcomed members."
                    ),
                    item(
                        "2",
                        "Housing Delivery Programme: 2018/19",
                        "Officers reported on the housing delivery programme and new homes.",
                        decisions=["Members noted the housing report."],
                        actions=["Officers to circulate the housing figures."],
                    ),
                    item("3", "Minutes of the last meeting", "Agreed as a correct record."),
                ],
                [
                    attendee("Cllr Ann Able", role="Chair", authority="Northtown Borough Council"),
                    attendee("Cllr Bob Baker MBE", status="apologies", authority="Southshire CC"),
                    attendee("Carol Cole", status="in_attendance", role=None),
                ],
            ),
            doc(
                "2020-03-05",
                [
                    item("1", "Welcome, apologies and declarations of interest"),
                    item(
                        "2",
                        "Housing delivery programme: update",
                        "The board discussed delays to housing delivery.",
                        decisions=["The board agreed to extend the housing programme."],
                    ),
                    item(
                        "5",
                        "Secret procurement review",
                        "Commercially sensitive discussion of the procurement contract.",
                        decisions=["Members approved the procurement route."],
                        confidential=True,
                    ),
                    item("6", "Note of the previous meeting"),
                ],
                [
                    attendee("Cllr Ann Able", role="Chair", authority="Eastshire County Council"),
                    attendee("Cllr Bob Baker", role="Substitute", authority="Southshire CC"),
                    attendee("Dan Dale", role="Independent Observer", authority="Peer Body"),
                ],
                [
                    Kpi(
                        code="H1",
                        rating="green",
                        period="2019/20 Q4",
                        target="Deliver 500 new homes",
                        delivered="We delivered 520 new homes",
                        item="2",
                    )
                ],
            ),
            doc(
                "2021-04-07",
                [
                    item("1", "Declarations of Interest"),
                    item(
                        "2",
                        "Digital Connectivity",
                        "Broadband roll-out across rural areas was discussed.",
                        decisions=["Members noted progress on broadband."],
                    ),
                    item("3", "Any other business", "None."),
                ],
                [attendee("Cllr Ann Able", role="Chair", authority="Eastshire County Council")],
            ),
        ]
    )


_CORPUS: Library | None = None


def corpus_library() -> Library:
    """The real meetings of the repository (read once)."""
    global _CORPUS
    if _CORPUS is None:
        parsed, _ = read_folder(MEETINGS)
        _CORPUS = build([p.document for p in parsed if p.document is not None])
    return _CORPUS


class HostApp(App):
    """The smallest app a browse screen can be pushed on: a library and navigation that records."""

    def __init__(self, library: Library, make: Callable[[Library], Screen]) -> None:
        super().__init__()
        self.library = library
        self.updates = Updates(self)
        self.make = make
        self.calls: list[tuple] = []

    def on_mount(self) -> None:
        self.push_screen(self.make(self.library))

    def open_meeting(self, meeting_id: str) -> None:
        self.calls.append(("meeting", meeting_id))

    def open_item(self, meeting_id: str, number: str) -> None:
        self.calls.append(("item", meeting_id, number))

    def open_person(self, key: str) -> None:
        self.calls.append(("person", key))

    def open_topic(self, key: str) -> None:
        self.calls.append(("topic", key))

    def open_search(self, query: str = "") -> None:
        self.calls.append(("search", query))

    def open_kpi(self, meeting_id: str, code: str) -> None:
        self.calls.append(("kpi", meeting_id, code))
