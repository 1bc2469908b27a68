"""The KPI core on the real corpus and on small synthetic libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuibrowser import attendance_stats, kpi
from tuibrowser.library import Library, build
from tuibrowser.model import Appearance, Document, Kpi, Person, Point, Series, Summary
from tuibrowser.records import read_folder

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
MAY_2018 = "2018-05-24-improvement-innovation-board"
JAN_2016 = "2016-01-19-improvement-innovation-board"


@pytest.fixture(scope="module")
def corpus() -> Library:
    parsed, problems = read_folder(MEETINGS)
    return build([p.document for p in parsed if p.document is not None], problems)


def q4(corpus: Library) -> kpi.PeriodReport:
    [rep] = [r for r in kpi.periods(corpus) if r.meeting_id == MAY_2018 and r.rows]
    return rep


# --- the seed corpus ----------------------------------------------------------


def test_amber_rows_are_exactly_the_four(corpus):
    amber = kpi.filter_rows(kpi.all_rows(corpus), rating="amber")
    assert [r.code for r in amber] == ["E1", "EP8", "LC12", "LC20"]
    assert {r.meeting_id for r in amber} == {MAY_2018}


def test_stated_summary_2017_18_q4(corpus):
    rep = q4(corpus)
    s = rep.summary
    assert s is not None
    assert (s.total, s.green, s.amber, s.red) == (60, 56, 4, 0)
    assert rep.period == "2017/18 Q4"


def test_comparison_reports_how_the_rows_differ(corpus):
    rep = q4(corpus)
    rows = corpus.meeting(MAY_2018).kpis
    q4_rows = [k for k in rows if k.period == rep.period]
    n_rows = len(q4_rows)
    green = sum(1 for k in q4_rows if k.rating == "green")
    missing = [k.code for k in q4_rows if k.rating == "not_stated"]
    assert rep.total == n_rows and rep.counts["green"] == green
    assert rep.not_stated_codes == missing and missing  # some rows have no legible rating

    comps = {c.field: c for c in rep.comparisons}
    assert comps["total"].stated == 60 and comps["total"].counted == n_rows
    assert comps["green"].difference == green - 56
    assert comps["amber"].agrees and comps["red"].agrees

    text = "\n".join(rep.findings)
    diff = n_rows - 60
    more_fewer = "more" if diff > 0 else "fewer"
    assert f"The report states 60 MoU deliverables; {n_rows} rows are recorded" in text
    assert f"({abs(diff)} {more_fewer})" in text
    assert f"Stated 56 green; rows rated green: {green} ({56 - green} fewer)" in text
    assert f"{len(missing)} rows have no legible rating ({', '.join(missing)})" in text
    assert "agree with the stated amber (4) and red (0)" in text


def test_2016_summary_without_rows(corpus):
    [rep] = [r for r in kpi.periods(corpus) if r.meeting_id == JAN_2016]
    s = rep.summary
    assert (s.total, s.green, s.amber, s.red) == (26, 15, 11, None)
    assert rep.rows == []
    text = " ".join(rep.findings)
    assert "26" in text and "15 green, 11 amber" in text
    assert "No red count is stated" in text
    assert "No KPI rows" in text


def test_survey_series_trend(corpus):
    [s] = [
        x
        for x in kpi.series(corpus)
        if x.series.name.startswith("Sector-led improvement is the right approach")
    ]
    assert [p.value for p in s.series.points] == [59, 62, 63, 71, 70, 78]
    assert [p.period for p in s.series.points] == [str(y) for y in range(2012, 2018)]
    assert s.trend.last_change == 8
    assert s.trend.change_text() == "+8 (2016→2017)"


def test_series_with_a_missing_point_skips_it(corpus):
    with_gap = [x for x in kpi.series(corpus) if any(p.value is None for p in x.series.points)]
    assert with_gap, "the corpus has a survey row printed N/A"
    for x in with_gap:
        known = [p for p in x.series.points if p.value is not None]
        assert x.trend.last_change == known[-1].value - known[-2].value
        assert x.trend.last_to == known[-1].period and x.trend.last_from == known[-2].period
        assert x.trend.missing == [p.period for p in x.series.points if p.value is None]
        assert "N/A" in x.trend.describe()


def test_progress_of_amber_rows(corpus):
    rows = {r.code: r.kpi for r in kpi.all_rows(corpus)}
    e1 = kpi.progress(rows["E1"])
    assert e1 is not None
    assert e1.target == rows["E1"].target_value and e1.actual == rows["E1"].actual_value
    assert e1.percent == round(100 * e1.actual / e1.target)
    lc20 = kpi.progress(rows["LC20"])
    assert lc20.shortfall == lc20.target - lc20.actual > 0
    assert "short" in lc20.describe()
    ep8 = rows["EP8"]
    no_numbers = ep8.target_value is None or ep8.actual_value is None
    assert (kpi.progress(ep8) is None) == no_numbers


def test_shortfall_is_an_int_for_ints_and_null_when_the_numbers_cannot_say(corpus):
    rows = {r.code: r for r in kpi.all_rows(corpus)}
    e1, lc12 = rows["E1"].to_dict(), rows["LC12"].to_dict()
    # E1 meets its headline count (115 of 110) but is amber for a second count in its note
    assert e1["shortfall"] is None and e1["rating_differs"] is True
    assert lc12["shortfall"] == 7 and type(lc12["shortfall"]) is int
    assert lc12["rating_differs"] is False
    assert rows["EP8"].to_dict()["rating_differs"] is None  # no numbers to compare
    met = kpi.progress(Kpi(code="A", target_value=10, actual_value=12))
    assert met.shortfall == 0 and type(met.shortfall) is int
    half = kpi.progress(Kpi(code="A", target_value=10, actual_value=7.5))
    assert half.shortfall == 2.5
    green_short = Kpi(code="A", rating="green", target_value=10, actual_value=8)
    assert kpi.rating_differs(green_short) is True and kpi.shortfall(green_short) == 2
    green_met = Kpi(code="A", rating="green", target_value=10, actual_value=10)
    assert kpi.rating_differs(green_met) is False and kpi.shortfall(green_met) == 0
    header = kpi.rows_csv([rows["E1"]]).splitlines()[0].split(",")
    assert "rating_differs" in header


def test_programme_outputs_and_figures(corpus):
    outs = kpi.outputs(corpus)
    assert outs and all(o.meeting_id == MAY_2018 for o in outs)
    assert {o.output.rating for o in outs} <= {"green", "amber", "red", "blue", "not_stated"}
    figs = {f.figure.name: f for f in kpi.figures(corpus)}
    grant = [f for n, f in figs.items() if n.startswith("MHCLG grant agreed for 2017/18")]
    assert grant and grant[0].figure.value == 21 and grant[0].figure.item
    spend = [f for n, f in figs.items() if n.startswith("Spend")]
    assert spend and spend[0].figure.value == 20.986


def test_attendance_counts_meetings_not_records(corpus):
    people = attendance_stats.attendance(corpus)
    assert people
    for p in people:
        person = corpus.people[p.key]
        meetings = {a.meeting for a in person.meetings}
        assert p.meetings == len(meetings)
        assert p.records == len(person.meetings)
        assert sum(sum(c.values()) for c in p.by_year.values()) == p.meetings
    years = attendance_stats.attendance_years(people)
    assert years == sorted({a.date[:4] for m in corpus.meetings for a in [m] if m.attendance})
    # listed under Members and again under In Attendance on 2020-05-21: one meeting, present
    by_key = {p.key: p for p in people}
    for key in ("mike-haines", "alan-connett"):
        p = by_key[key]
        assert p.by_year["2020"] == {"present": 1, "apologies": 0, "in_attendance": 0, "absent": 0}
        [double] = p.doubles
        assert double.date == "2020-05-21"
        assert sorted(double.statuses) == ["in_attendance", "present"]
        assert double.counted == "present"
        assert p.doubled_years() == {"2020"}


def test_attendance_shows_the_most_common_printed_spelling(corpus):
    by_key = {p.key: p for p in attendance_stats.attendance(corpus)}
    # two attendance lists print "Alan Connet", the other records "Cllr Alan Connett"
    assert by_key["alan-connett"].name == "Alan Connett"
    assert by_key["judi-billing"].name == "Judi Billing"


# --- synthetic libraries ------------------------------------------------------


def lib_of(*docs: Document) -> Library:
    return build(list(docs))


def doc(date: str, kpis=(), summaries=(), series=()) -> Document:
    return Document(
        path=f"{date}.md",
        board="Test Board",
        date=date,
        kind="agenda",
        kpis=list(kpis),
        summaries=list(summaries),
        series=list(series),
    )


def test_findings_when_rows_fall_short():
    rows = [Kpi(code=f"A{i}", rating="green", period="Q1") for i in range(3)]
    rows += [Kpi(code="B1", rating="red", period="Q1"), Kpi(code="C1", period="Q1")]
    lib = lib_of(doc("2020-01-01", rows, [Summary(period="Q1", total=7, green=5, red=1)]))
    [rep] = kpi.periods(lib)
    assert rep.counts == {"green": 3, "amber": 0, "red": 1, "blue": 0, "not_stated": 1}
    assert rep.findings[0] == "The report states 7 deliverables; 5 rows are recorded (2 fewer)."
    assert rep.findings[1] == (
        "Stated 5 green; rows rated green: 3 (2 fewer), 1 row has no legible rating (C1)."
    )
    assert "No amber count is stated; no rows are rated amber." in rep.findings
    assert "The rows agree with the stated red (1)." in rep.findings
    assert not rep.agrees


def test_findings_when_everything_agrees():
    rows = [
        Kpi(code="A1", rating="green", period="Q1"),
        Kpi(code="A2", rating="amber", period="Q1"),
    ]
    lib = lib_of(doc("2020-01-01", rows, [Summary(period="Q1", total=2, green=1, amber=1, red=0)]))
    [rep] = kpi.periods(lib)
    assert rep.agrees
    assert rep.findings[0].endswith("2 rows are recorded (they agree).")


def test_periods_are_kept_apart_by_meeting_and_period():
    a = doc("2020-01-01", [Kpi(code="X1", rating="green", period="Q1")])
    b = doc("2020-04-01", [Kpi(code="X1", rating="amber", period="Q2")])
    lib = lib_of(a, b)
    reps = kpi.periods(lib)
    assert [(r.date, r.period) for r in reps] == [("2020-04-01", "Q2"), ("2020-01-01", "Q1")]
    hist = kpi.history(lib, "x1")
    assert [(r.period, r.rating) for r in hist] == [("Q1", "green"), ("Q2", "amber")]


def test_filters():
    rows = [
        Kpi(code="E1", rating="amber", theme="Peer Support", period="2017/18 Q4", target="peer"),
        Kpi(code="E2", rating="green", theme="Peer Support", period="2017/18 Q3"),
        Kpi(code="L1", theme="Leadership", period="2017/18 Q4", delivered="graduates"),
    ]
    lib = lib_of(doc("2020-01-01", rows))
    every = kpi.all_rows(lib)
    codes = lambda rs: [r.code for r in rs]  # noqa: E731
    assert codes(kpi.filter_rows(every, rating="not stated")) == ["L1"]
    assert codes(kpi.filter_rows(every, rating=["amber", "green"])) == ["E1", "E2"]
    assert codes(kpi.filter_rows(every, theme="peer")) == ["E1", "E2"]
    assert codes(kpi.filter_rows(every, period="2017/18 Q4")) == ["E1", "L1"]
    assert codes(kpi.filter_rows(every, period="2017/18")) == ["E1", "E2", "L1"]
    assert codes(kpi.filter_rows(every, text="GRADUATE")) == ["L1"]
    assert codes(kpi.filter_rows(every, rating="amber", theme="leader")) == []
    untitled = kpi.all_rows(lib_of(doc("2020-02-02", [Kpi(code="S1"), Kpi(code="S2", theme="T")])))
    assert codes(kpi.filter_rows(untitled, theme=kpi.NO_THEME)) == ["S1"]
    assert codes(kpi.filter_rows(untitled, theme="(No Theme)")) == ["S1"]


def test_known_periods_come_from_rows_and_summaries(corpus):
    assert kpi.known_periods(corpus) == ["2017/18 Q4", "2015/16 six-month"]


def test_progress_needs_two_numbers():
    assert kpi.progress(Kpi(code="A", target_value=10)) is None
    assert kpi.progress(Kpi(code="A", actual_value=10)) is None
    p = kpi.progress(Kpi(code="A", target_value=100, actual_value=61))
    assert (p.percent, p.shortfall, p.met) == (61, 39, False)
    assert p.describe() == "61 of 100 (61%), 39 short"
    zero = kpi.progress(Kpi(code="A", target_value=0, actual_value=3))
    assert zero.ratio is None and zero.met


def test_trend_with_too_few_values():
    t = kpi.trend(Series(name="s", points=[Point("2019", None), Point("2020", 4)]))
    assert t.last_change is None
    assert "fewer than two" in t.change_text()
    down = kpi.trend(Series(name="s", points=[Point("a", 5), Point("b", 2.5)]))
    assert down.change_text() == "−2.5 (a→b)"


def test_attendance_by_year():
    lib = Library(
        people={
            "ann": Person(
                key="ann",
                names=["Cllr Ann Bee"],
                meetings=[
                    Appearance("m1", "2019-01-01", "present"),
                    Appearance("m2", "2019-06-01", "apologies"),
                    Appearance("m3", "2020-01-01", "absent"),
                ],
            ),
            "nobody": Person(key="nobody", names=["No Body"]),
        }
    )
    [ann] = attendance_stats.attendance(lib)
    assert ann.name == "Ann Bee"
    assert ann.counts == {"present": 1, "apologies": 1, "in_attendance": 0, "absent": 1}
    assert ann.by_year["2019"]["apologies"] == 1 and ann.by_year["2020"]["absent"] == 1


def test_attendance_status_precedence_and_spelling_ties():
    def listed(*entries):
        return Person(
            key="x",
            names=["X"],
            meetings=[Appearance(m, d, s, name=n) for m, d, s, n in entries],
        )

    person = listed(
        ("m1", "2019-01-01", "apologies", "Cllr Ann Bea"),
        ("m1", "2019-01-01", "present", "Ann Bee"),
        ("m2", "2019-02-01", "absent", "Ann Bee"),
        ("m2", "2019-02-01", "apologies", "Ann Bea"),
        ("m3", "2019-03-01", "in_attendance", "Ann Bea"),
        ("m3", "2019-03-01", "apologies", "Ann Bee"),
    )
    [p] = attendance_stats.attendance(Library(people={"x": person}))
    assert p.counts == {"present": 1, "apologies": 1, "in_attendance": 1, "absent": 0}
    assert [d.counted for d in p.doubles] == ["present", "apologies", "in_attendance"]
    assert p.meetings == 3 and p.records == 6
    assert p.name == "Ann Bee"  # three each: the spelling printed last wins


def test_rows_table_and_csv_escape_control_characters():
    rows = [Kpi(code="E\x1b[31m1", rating="amber", target="bad \x07 text", target_value=3)]
    lib = lib_of(doc("2020-01-01", rows))
    table = "\n".join(kpi.rows_table(kpi.all_rows(lib)))
    assert "\x1b" not in table and "\x07" not in table and "amber" in table
    csv_text = kpi.rows_csv(kpi.all_rows(lib))
    assert "\x1b" not in csv_text and "\\x1b" in csv_text


def test_kpi_core_does_not_load_textual_or_rich():
    import subprocess
    import sys

    code = "import sys, tuibrowser.kpi; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_non_finite_numbers_are_not_progress_or_points():
    inf, nan = float("inf"), float("nan")
    assert kpi.progress(Kpi(code="A", target_value=inf, actual_value=3)) is None
    assert kpi.progress(Kpi(code="A", target_value=3, actual_value=nan)) is None
    t = kpi.trend(Series(name="s", points=[Point("a", 1), Point("b", inf), Point("c", 4)]))
    assert t.missing == ["b"] and t.last_change == 3 and t.last_from == "a"


def test_findings_explain_the_count_from_the_codes(corpus):
    import re

    rep = q4(corpus)
    codes = [r.code for r in rep.rows]
    split = sorted(c for c in codes if re.fullmatch(r"[A-Z]+\d+[a-z]", c))
    assert split, "the corpus prints one code as two rows"
    base = split[0][:-1]
    parts = [c for c in split if c[:-1] == base]
    assert f"{base} is recorded as {len(parts)} rows ({', '.join(parts)})." in rep.findings
    by_prefix: dict[str, set[int]] = {}
    for c in codes:
        m = re.fullmatch(r"([A-Z]+)(\d+)[a-z]?", c)
        by_prefix.setdefault(m.group(1), set()).add(int(m.group(2)))
    gaps = [
        f"{p}{n}" for p, ns in by_prefix.items() for n in range(min(ns), max(ns)) if n not in ns
    ]
    assert gaps and f"No row is recorded for {', '.join(gaps)}." in rep.findings


def test_code_findings_on_duplicates_and_gaps():
    assert kpi.code_findings(["A1", "A1", "A4", "B2a", "B2b", "B3"]) == [
        "B2 is recorded as 2 rows (B2a, B2b).",
        "Recorded more than once: A1.",
        "No row is recorded for A2, A3.",
    ]
    assert kpi.code_findings(["X1", "X2"]) == []
