"""A shard's rows are made as dicts (listing.row_fields): the same a row's to_dict gives, and
the titles cleaned together are each title on one line, as one_line makes it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tuibrowser.listing import MeetingRow, meeting_row, row_fields
from tuibrowser.model import Item, Meeting
from tuibrowser.text import one_line

# (no lone surrogate: a document holding one is not stored, so no row is made of it)
ODD = ["\n", "\t", " ", "\x00", "\x1b[31m", "\x1c", "\x85", "\u2028", "\u202e", "é", "a"]
TITLE = st.lists(st.one_of(st.sampled_from(ODD), st.text(max_size=3)), max_size=8).map("".join)


@given(st.lists(st.one_of(st.none(), TITLE), max_size=6))
def test_the_titles_of_a_row_are_each_title_on_one_line(titles: list) -> None:
    m = Meeting(id="2020-01-07-cabinet", board="Cabinet", date="2020-01-07")
    m.items = [Item(number=str(n), title=t) for n, t in enumerate(titles, 1)]  # type: ignore[arg-type]
    fields = row_fields(m)
    assert fields["titles"] == " ".join(one_line(t) for t in titles)
    assert fields == meeting_row(m).to_dict()
    assert list(fields) == list(MeetingRow("", "", "").to_dict())
