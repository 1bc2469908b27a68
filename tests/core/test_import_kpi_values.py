"""The numbers of a KPI row: taken when the text gives them plainly, else empty, never guessed."""

from __future__ import annotations

import pytest

from tuibrowser.importers.pack_tables import actual_value, target_value


@pytest.mark.parametrize(
    ("target", "value", "unit"),
    [
        ("Deliver at least 110 peer challenges (at least 70 to be corporate", 110, "challenge"),
        ("Provide change of control support to 20 councils.", 20, "council"),
        ("Provide 50 days direct support to individual authorities", 50, "day"),
        ("Support at least 60 ambitious and talented councillors", 60, "councillor"),
        ("Work with at least 25 councils, saving at least £25m .", 25, "council"),
        ("Work with 2 waste consortia and save £4m per consortia", 2, None),
        # no plain count: empty
        ("Save councils at least £10m pa. *Support 9 experts", None, None),
        ("Hold at least 4 meetings, * support at least 6 authorities", None, None),
        ("Deliver 4 cohorts offering 60 places by March 2018", None, None),
        ("Work with 3/4 Councils unsuccessful in the bidding round", None, None),
        ("Cover 95% of the country by 2020", None, None),
        ("To include: 1. up to 10 councils receive help", None, None),
        ("Build on the 21st Century public servant e-book", None, None),
        ("Extend the One Public Estate programme until 2020", None, None),
        ("Research the pilots run in 2014/15 and 2015/16.", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_target_value(target, value, unit):
    assert target_value(target) == (value, unit)


@pytest.mark.parametrize(
    ("delivered", "unit", "value"),
    [
        ("We delivered 115 peer challenges. Of these 64 have been Corporate", "challenge", 115),
        (
            "We provided this support to 14 local authorities by the end of March 2018",
            "council",
            14,
        ),
        ("We delivered 2 full programmes with a total of 23 CEXs taking part.", "executive", 23),
        (
            "at 31 March 18 we were waiting. There were at least 13 such opportunities",
            "opportunity",
            13,
        ),
        ("a total of six ready-made reports for councils", "report", 6),
        # the delivered text does not count what the target counts: empty
        ("There have been 5 secondments involving graduates", "graduate", None),
        ("over 300 applications; we were able to recruit 61 onto the scheme", "worker", None),
        ("See E6", "council", None),
        ("£8 million in savings from 19 authority case studies", None, None),
        (None, "council", None),
    ],
)
def test_actual_value(delivered, unit, value):
    assert actual_value(delivered, unit) == value
