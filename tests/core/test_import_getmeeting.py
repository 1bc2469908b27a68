"""mgWebService GetMeeting XML fixtures → documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuibrowser.importers import getmeeting, import_bytes, import_file
from tuibrowser.importers.base import ImportFailure

FIX = Path(__file__).parents[1] / "fixtures" / "getmeeting"


def docs(result):
    return {d.kind: d.document for d in result.documents}


def test_full_meeting():
    r = import_file(FIX / "full-meeting.xml")
    assert r.ok and r.kind == "getmeeting"
    d = docs(r)
    assert set(d) == {"agenda", "minutes"}
    m = d["minutes"]
    assert (m.board, m.date, m.time, m.venue) == (
        "Resources & Performance Committee",
        "2024-03-14",
        "10:00",
        "Council Chamber, Town Hall",
    )
    assert [it.number for it in d["agenda"].items] == ["1", "2", "3a"]
    item2 = next(it for it in m.items if it.number == "2")
    assert item2.decisions == ["The Committee noted the report."]
    assert item2.actions == ["The Director to circulate the savings plan."]
    # Word cruft, styles and scripts are gone; the list stays a list
    assert "MsoNormal" not in item2.minute and "alert" not in item2.minute
    assert "margin" not in item2.minute and "WordDocument" not in item2.minute
    assert "- the overspend in adult social care;" in item2.minute
    assert "reserves at year end." in item2.minute
    report = next(it for it in d["agenda"].items if it.number == "2").report.text
    assert "(https://democracy.example.gov.uk/documents/s1234/Budget.pdf)" in report
    assert "javascript:" not in report and "Appendix A (not published)" in report
    status = {a.name: (a.status, a.role, a.group) for a in m.attendance}
    assert status["Councillor Jo Bloggs"] == ("present", "Chair", "Independent")
    assert status["Councillor Ann Example"][0] == "apologies"
    assert status["Councillor Sam Sample"][:2] == ("present", "Substitute")
    assert status["Councillor Lee Nobody"][0] == "absent"
    assert status["Pat Officer"][0] == "in_attendance"
    # "Expected" (the agenda's list before the meeting) is never taken for present: it is the
    # membership
    assert "Chris Expected" not in status
    members = [mb.name for doc in d.values() for mb in doc.membership]
    assert members == ["Chris Expected"]


def test_cancelled_meeting_has_no_items():
    r = import_file(FIX / "cancelled.xml")
    [doc] = [d.document for d in r.documents]
    assert doc.cancelled is True
    assert doc.items == []
    assert doc.time == "19:00"
    assert any("Land at North Road" in n for n in doc.notes)


def test_restricted_item_is_confidential_and_board_comes_from_option():
    r = import_file(FIX / "restricted-item.xml")
    assert not r.ok and "--board" in r.error
    r = import_file(FIX / "restricted-item.xml", board="Cabinet")
    m = docs(r)["minutes"]
    assert m.board == "Cabinet"
    assert [(it.number, it.confidential) for it in m.items] == [("1", False), ("2", True)]
    assert m.items[0].decisions == ["that the press and public be excluded."]


def test_double_escaped_html_is_unescaped():
    m = docs(import_file(FIX / "double-escaped.xml"))["minutes"]
    text = m.items[0].minute
    assert "&lt;" not in text and "<p" not in text
    assert "The Board reviewed repairs & maintenance." in text
    assert "1. Response times" in text and "2. Damp & mould" in text


def test_committee_in_xml_wins_over_option():
    r = import_file(FIX / "full-meeting.xml", board="Other")
    assert {d.document.board for d in r.documents} == {"Resources & Performance Committee"}


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE meeting [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<meeting><meetingdate>01/01/2024</meetingdate><meetinglocation>&xxe;</meetinglocation></meeting>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<meeting><meetingdate>01/01/2024</meetingdate><meetinglocation>&lol2;</meetinglocation></meeting>"""


def test_external_entities_and_entity_expansion_are_refused():
    for raw in (XXE, BOMB):
        r = import_bytes(raw, "evil.xml", board="B")
        assert not r.ok
        assert "refused" in r.error
        assert not r.documents


def test_malformed_xml_is_a_clear_error():
    r = import_bytes(b"<meeting><meetingdate>01/01/2024</meetingdate>", "bad.xml", board="B")
    assert not r.ok and r.error.startswith("malformed XML")


def test_bad_date_is_an_error_not_a_guess():
    r = import_bytes(
        b"<meeting><meetingdate>31/02/2024</meetingdate></meeting>", "x.xml", board="B"
    )
    assert not r.ok and "31/02/2024" in r.error


def test_a_linked_document_title_is_never_taken_for_the_committee():
    raw = (
        (FIX / "full-meeting.xml")
        .read_bytes()
        .replace(b"<committeetitle>Resources &amp; Performance Committee</committeetitle>", b"")
    )
    r = import_bytes(raw, "no-committee.xml")
    assert not r.ok and "--board" in r.error
    r = import_bytes(raw, "no-committee.xml", board="Audit Committee")
    assert {d.document.board for d in r.documents} == {"Audit Committee"}


def _meeting(items: str = "", attendees: str = "") -> bytes:
    return (
        "<GetMeetingResponse><meeting><committeetitle>Cabinet</committeetitle>"
        "<meetingdate>05/02/2024</meetingdate>"
        f"<agendaitems>{items}</agendaitems><attendees>{attendees}</attendees>"
        "</meeting></GetMeetingResponse>"
    ).encode()


def _item(number: str, html: str) -> str:
    escaped = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f"<agendaitem><agendaitemtitle>Item {number}</agendaitemtitle>"
        f"<fulldisplaynumberformat>{number}.</fulldisplaynumberformat>"
        f"<minutesnonemptyhtmlbody>{escaped}</minutesnonemptyhtmlbody></agendaitem>"
    )


def test_bold_resolved_gives_the_decision_without_markup():
    items = "".join(
        [
            _item("1", "<p><b>RESOLVED:</b> That the report be noted.</p>"),
            _item("2", "<p><strong>RESOLVED</strong>: that the budget be approved.</p>"),
            _item("3", "<p><b>RESOLVED: That the plan be adopted.</b></p>"),
            _item("4", "<p>Members discussed it.</p><p><b>Resolved:</b></p><p>To defer.</p>"),
        ]
    )
    m = docs(import_bytes(_meeting(items), "x.xml"))["minutes"]
    got = {it.number: it.decisions for it in m.items}
    assert got == {
        "1": ["That the report be noted."],
        "2": ["that the budget be approved."],
        "3": ["That the plan be adopted."],
        "4": ["To defer."],
    }
    assert all("*" not in d for ds in got.values() for d in ds)


def test_a_member_who_sent_a_substitute_keeps_their_role():
    people = (
        "<attendee><name>Cllr A Member</name><roledescription>Vice-Chair</roledescription>"
        "<attendance>Apologies, sent substitute</attendance></attendee>"
        "<attendee><name>Cllr B Standin</name><roledescription>Committee Member"
        "</roledescription><attendance>Present as substitute</attendance></attendee>"
    )
    m = docs(import_bytes(_meeting(_item("1", "<p>Noted.</p>"), people), "x.xml"))["minutes"]
    by = {a.name: a for a in m.attendance}
    a = by["Cllr A Member"]
    assert (a.status, a.role) == ("apologies", "Vice-Chair")
    assert a.note == "attendance: Apologies, sent substitute"
    b = by["Cllr B Standin"]
    assert (b.status, b.role) == ("present", "Substitute")
    assert b.note == "attendance: Present as substitute; role: Committee Member"


REAL = Path(__file__).parents[1] / "fixtures" / "moderngov"


def test_real_shape_attendees_in_attributes_are_recorded():
    r = import_file(REAL / "meeting-4967.xml")
    assert r.ok, r.error
    assert not any("without a name" in w for w in r.warnings)
    d = docs(r)
    got = {a.name: (a.status, a.role, a.group) for a in d["minutes"].attendance}
    assert got == {
        "Councillor Ada Lovelace": ("present", "Chair", "LAB"),
        "Councillor Tom Paine": ("apologies", "Committee Member", "LD"),
        "Councillor Mary Seacole": ("present", "Substitute", "LAB"),
        "Jane Auditor": ("in_attendance", "Head of Audit and Risk Management", None),
    }
    # no <committeetitle> at the top: the linked documents name the committee
    assert {doc.board for doc in d.values()} == {"Audit Committee"}
    item3 = next(it for it in d["minutes"].items if it.number == "3")
    assert item3.confidential is True


@pytest.mark.parametrize(
    "attendee",
    [
        '<attendee name="Cllr A" roledescription="Member" attendance="{a}" politicalparty="G"/>',
        "<attendee><name>Cllr A</name><roledescription>Member</roledescription>"
        "<attendance>{a}</attendance><politicalparty>G</politicalparty></attendee>",
        '<attendee name="Cllr A" attendance="{a}"><roledescription>Member</roledescription>'
        "<politicalparty>G</politicalparty></attendee>",
    ],
    ids=["attributes", "elements", "mixed"],
)
@pytest.mark.parametrize(
    "attendance, status",
    [("Present", "present"), ("Apologies", "apologies"), ("Absent", "absent"), ("Expected", None)],
)
def test_attendee_shapes_read_alike(attendee, attendance, status):
    raw = _meeting(attendees=attendee.format(a=attendance))
    r = import_bytes(raw, "a.xml")
    assert r.ok, r.error
    [doc] = [d.document for d in r.documents]
    if status is None:  # expected: the membership, never present
        assert doc.attendance == []
        assert [(m.name, m.role, m.group) for m in doc.membership] == [("Cllr A", "Member", "G")]
    else:
        assert [(a.name, a.status, a.role, a.group) for a in doc.attendance] == [
            ("Cllr A", status, "Member", "G")
        ]


def _bare(items: str) -> bytes:
    return (
        f"<meeting><meetingdate>05/02/2024</meetingdate><agendaitems>{items}</agendaitems>"
        "</meeting>"
    ).encode()


_LINKED = (
    "<agendaitem><agendaitemtitle>Report</agendaitemtitle><refertocommittee>Referred To"
    "</refertocommittee><linkeddocuments><linkeddoc><title>Pack</title>"
    "<committeetitle>From Linked Doc</committeetitle></linkeddoc></linkeddocuments></agendaitem>"
)
_REFER = (
    "<agendaitem><agendaitemtitle>Report</agendaitemtitle><refertocommittee>Referred To"
    "</refertocommittee></agendaitem>"
)


@pytest.mark.parametrize(
    "raw, known, board, expected",
    [
        (_meeting(_LINKED), "Known", "Board", "Cabinet"),  # the answer's own title first
        (_bare(_LINKED), "Known", "Board", "Known"),  # then what sync knows from GetMeetings
        (_bare(_LINKED), None, "Board", "From Linked Doc"),  # then a linked document's
        (_bare(_REFER), None, "Board", "Referred To"),  # then an item's refertocommittee
        (_bare(""), None, "Board", "Board"),  # then --board
        (_bare(""), None, None, None),  # else an error asking for --board
    ],
)
def test_committee_comes_from_the_first_source_that_names_it(raw, known, board, expected):
    warnings: list[str] = []
    if expected is None:
        with pytest.raises(ImportFailure, match="--board"):
            getmeeting.parse(raw.decode(), "x.xml", board, warnings, committee=known)
        return
    out = getmeeting.parse(raw.decode(), "x.xml", board, warnings, committee=known)
    assert {d.document.board for d in out} == {expected}
