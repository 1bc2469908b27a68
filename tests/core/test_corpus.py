"""The bundled corpus, checked against facts read in the seed documents themselves."""

from collections import Counter
from pathlib import Path

import pytest

from tuibrowser.export import to_data
from tuibrowser.store import open_library

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
IIB = "improvement-innovation-board"


@pytest.fixture(scope="module")
def data():
    lib, report = open_library(MEETINGS, use_cache=False)
    assert report.skipped == []
    return to_data(lib)


def meeting(data, date):
    (m,) = [m for m in data["meetings"] if m["id"] == f"{date}-{IIB}"]
    return m


def test_corpus_is_clean(data):
    assert [p for p in data["problems"] if p["severity"] == "error"] == []


def test_every_seed_meeting_is_there(data):
    assert [m["date"] for m in data["meetings"]] == [
        "2023-07-21",
        "2020-05-21",
        "2018-05-24",
        "2018-03-22",
        "2018-01-30",
        "2017-11-01",
        "2016-01-19",
    ]


def test_2018_05_24_took_item_8_first_and_it_is_confidential(data):
    m = meeting(data, "2018-05-24")
    assert [i["number"] for i in m["items"]] == ["1", "8", "2", "3", "4", "5", "6", "7"]
    assert [i["order"] for i in m["items"]] == list(range(1, 9))
    assert [i["number"] for i in m["items"] if i["confidential"]] == ["8"]
    assert {d["kind"] for d in m["documents"]} >= {"minutes", "agenda"}
    assert m["time"] == "11:00"
    assert m["next_meeting"]["date"] == "2018-07-16"


@pytest.mark.parametrize(
    ("date", "counts"),
    [
        # Appendix A of each note: rows under each heading, counted in the seed text.
        ("2018-05-24", {"present": 18, "apologies": 5}),
        ("2016-01-19", {"present": 23, "apologies": 4}),
        ("2023-07-21", {"present": 19, "apologies": 4, "in_attendance": 4}),
        ("2020-05-21", {"present": 19, "apologies": 1, "in_attendance": 8}),
    ],
)
def test_attendance_counts_by_status(data, date, counts):
    m = meeting(data, date)
    assert dict(Counter(a["status"] for a in m["attendance"])) == counts


def test_apologies_on_2018_05_24(data):
    m = meeting(data, "2018-05-24")
    names = {a["person"] for a in m["attendance"] if a["status"] == "apologies"}
    assert names == {
        "james-jamieson",
        "abdul-jabbar",
        "sue-woodward",
        "stephen-houghton",
        "richard-priestman",
    }


def test_substitute_and_observers_told_apart_in_2023(data):
    m = meeting(data, "2023-07-21")
    roles = {a["person"]: a["role"] for a in m["attendance"]}
    assert roles["gwilym-butler"] == "Substitute"
    assert roles["richard-priestman"] == "Independent Observer"


def test_judi_billing_is_one_person_across_authorities(data):
    (judi,) = [p for p in data["people"] if p["key"] == "judi-billing"]
    assert "Cllr Judi Billing MBE" in judi["names"]
    assert {"North Hertfordshire District Council", "Hertfordshire County Council"} <= set(
        judi["authorities"]
    )
    dates = {a["date"] for a in judi["meetings"]}
    assert {"2016-01-19", "2018-05-24", "2020-05-21"} <= dates


def test_the_four_amber_kpi_rows(data):
    m = meeting(data, "2018-05-24")
    amber = [k["code"] for k in m["kpis"] if k["rating"] == "amber"]
    assert amber == ["E1", "EP8", "LC12", "LC20"]
    e1 = next(k for k in m["kpis"] if k["code"] == "E1")
    assert (e1["target_value"], e1["actual_value"], e1["period"]) == (110, 115, "2017/18 Q4")
    unrated = {k["code"] for k in m["kpis"] if k["rating"] == "not_stated"}
    assert "E4" in unrated


def test_stated_summaries_are_kept_as_stated(data):
    (s2018,) = [s for s in meeting(data, "2018-05-24")["summaries"] if s["total"] == 60]
    assert (s2018["green"], s2018["amber"], s2018["red"], s2018["blue"]) == (56, 4, 0, None)
    (s2016,) = meeting(data, "2016-01-19")["summaries"]
    assert (s2016["total"], s2016["green"], s2016["amber"], s2016["red"]) == (26, 15, 11, None)


def test_perceptions_survey_series(data):
    series = {s["name"]: s for s in meeting(data, "2018-05-24")["series"]}
    sli = series["Sector-led improvement is the right approach in the current context"]
    assert [(p["period"], p["value"]) for p in sli["points"]] == [
        ("2012", 59),
        ("2013", 62),
        ("2014", 63),
        ("2015", 71),
        ("2016", 70),
        ("2017", 78),
    ]
    vfm = series["The LGA demonstrates value for money"]
    assert [p["value"] for p in vfm["points"]] == [43, 53, 53, 57, None, 59]


def test_2023_oflog_decision(data):
    m = meeting(data, "2023-07-21")
    oflog = next(i for i in m["items"] if "Oflog" in i["title"])
    assert oflog["number"] == "4"
    assert any("Office for Local Government" in d for d in oflog["decisions"])


def test_absent_means_no_in_the_2017_18_record(data):
    m = meeting(data, "2017-11-01")
    absent = {a["person"] for a in m["attendance"] if a["status"] == "absent"}
    # "No" in the 1/11/17 column of the attendance record 2017-2018.
    assert {"angelique-foster", "james-jamieson", "bob-price", "dave-hodgson"} <= absent


def test_a_person_is_listed_by_the_name_most_records_print():
    # The 2017/18 attendance record prints "Alan Connet" twice; five other records print
    # "Cllr Alan Connett". Lists show the common form, without the title.
    lib, _ = open_library(MEETINGS, use_cache=False)
    person = lib.people["alan-connett"]
    assert "Alan Connet" in person.names
    assert person.display_name == "Alan Connett"
