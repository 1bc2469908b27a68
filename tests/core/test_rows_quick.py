"""Attendance and KPI rows whose fields are all text are read a quick way
(tuibrowser.frontmatter_fields): it gives the record, the error and the warnings that reading
them field by field gives."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser import frontmatter_fields as ff
from tuibrowser import limits

VALUES = st.one_of(
    st.sampled_from(["", " ", "Cllr A Smith", "  padded  ", "present", "Present", "in attendance",
                     "apologies", "absent", "bogus", "green", "Amber", "not stated", "x" * 40,
                     "K1", "3", "1e3"]),
    st.none(), st.booleans(), st.integers(-3, 10**16), st.floats(allow_nan=True),
    st.just([]), st.just({}), st.text(max_size=6),
)  # fmt: skip
ATTENDEE_KEYS = ["name", "status", "role", "authority", "group", "person", "note", "other"]
KPI_KEYS = ["code", "rating", "theme", "period", "target", "target_value", "delivered",
            "actual_value", "item", "code_printed", "note", "other"]  # fmt: skip


def _read(parse: Any, row: Any, slow: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    with monkeypatch.context() as patched:
        if slow:
            patched.setattr(ff, "_plain_texts", lambda m, keys: None)
        dropped: list = []
        token = ff.DROPPED.set(dropped)
        try:
            return ("row", parse(row, 2).to_dict(), dropped)
        except ff.Invalid as exc:
            return ("invalid", exc.message, exc.path, exc.line, dropped)
        finally:
            ff.DROPPED.reset(token)


def _rows(keys: list[str]) -> st.SearchStrategy:
    return st.one_of(
        st.dictionaries(st.sampled_from(keys), VALUES, max_size=len(keys)),
        st.dictionaries(st.sampled_from(keys[:-1]), st.sampled_from(["x", " y ", "", "present"])),
        st.sampled_from([None, "text", [], 3]),
    )


@settings(max_examples=800, deadline=None)
@given(_rows(ATTENDEE_KEYS))
def test_an_attendance_row_is_read_alike_both_ways(row: Any) -> None:
    with pytest.MonkeyPatch.context() as mp:
        assert _read(ff._attendee, row, False, mp) == _read(ff._attendee, row, True, mp)


@settings(max_examples=800, deadline=None)
@given(_rows(KPI_KEYS))
def test_a_kpi_row_is_read_alike_both_ways(row: Any) -> None:
    with pytest.MonkeyPatch.context() as mp:
        assert _read(ff._kpi, row, False, mp) == _read(ff._kpi, row, True, mp)


def test_rows_of_text_take_the_quick_way() -> None:
    row = {"name": " Cllr A Smith ", "status": "present", "role": "", "note": None}
    assert ff._plain_texts(row, ff._ATTENDEE_TEXTS) == [
        "Cllr A Smith",
        None,
        None,
        None,
        None,
        None,
    ]
    assert ff._plain_texts({"name": "A", "role": ["x"]}, ff._ATTENDEE_TEXTS) is None


def _number_checked(value: Any, path: tuple) -> Any:
    """ff._number without its quick way for ints and floats in range."""
    if value is None or value == "":
        return None
    if isinstance(value, limits.LongNumber) or (
        isinstance(value, int | float) and not isinstance(value, bool)
    ):
        why = limits.number_problem(value)
        if why is None:
            return value
        ff._drop(why, path)
        return None
    raise ff.Invalid(f"{ff._where(path)} must be a finite number, not {limits.short(value)}", path)


def _outcome(number: Any, value: Any) -> tuple:
    dropped: list = []
    token = ff.DROPPED.set(dropped)
    try:
        got = number(value, ("kpis", 0, "actual_value"))
        return ("value", got, type(got), dropped)
    except ff.Invalid as exc:
        return ("invalid", exc.message, exc.path, dropped)
    finally:
        ff.DROPPED.reset(token)


@settings(max_examples=800, deadline=None)
@given(
    st.one_of(
        VALUES,
        st.integers(),
        st.floats(),
        st.sampled_from(
            [
                limits.MAX_INTEGER,
                -limits.MAX_INTEGER,
                limits.MAX_INTEGER + 1,
                float(limits.MAX_INTEGER + 1),
                True,
                False,
                limits.LongNumber("9" * 120),
                float("inf"),
                float("-inf"),
                float("nan"),
                -0.0,
            ]
        ),  # fmt: skip
    )
)
def test_a_number_is_checked_alike_both_ways(value: Any) -> None:
    assert repr(_outcome(ff._number, value)) == repr(_outcome(_number_checked, value))
