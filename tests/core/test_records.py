"""The loader: good files parse into the model; bad ones give a problem naming file and line."""

from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser import records
from tuibrowser.keys import person_key, strip_name
from tuibrowser.library import build
from tuibrowser.records import parse_bytes, parse_text

GOOD = dedent(
    """\
    ---
    board: Improvement & Innovation Board
    date: "2018-05-24"
    time: "11:00"
    kind: minutes
    venue: 18 Smith Square
    next_meeting: {date: "2018-07-16", time: "11:00"}
    attendance:
      - {name: Cllr Judi Billing MBE, role: Deputy-chairman, status: present}
      - {name: Sir Stephen Houghton CBE, status: apologies}
      - {name: Cllr Kelham Cooke, status: in attendance}
    kpis:
      - {code: E1, rating: Amber, target_value: 110, actual_value: 115}
      - {code: E4}
    ---
    # Note of the meeting

    ## 1. Welcome and Declarations of Interest

    The Chairman welcomed Members.

    ## 8. Digital Declaration {confidential}

    Paul presented.

    ### Decisions

    - Members **agreed** to this change.
    - The note was agreed.

    ### Actions

    Officers to circulate the dates.

    ## 2. LGA Perceptions Survey

    ```
    ## 9. Not an item, inside a code block
    ```

    ## Appendix A – Attendance

    See the frontmatter.
    """
)


def parse(text: str):
    return parse_text(text, "m.md")


def test_good_file_parses_into_the_model():
    parsed = parse(GOOD)
    assert parsed.problems == []
    doc = parsed.document
    assert (doc.board, doc.date, doc.time, doc.kind) == (
        "Improvement & Innovation Board",
        "2018-05-24",
        "11:00",
        "minutes",
    )
    assert doc.title == "Note of the meeting"
    assert doc.next_meeting.date == "2018-07-16"
    assert [(i.number, i.order, i.confidential) for i in doc.items] == [
        ("1", 1, False),
        ("8", 2, True),
        ("2", 3, False),
    ]
    item8 = doc.items[1]
    assert item8.minute == "Paul presented."
    assert item8.decisions == ["Members **agreed** to this change.", "The note was agreed."]
    assert item8.actions == ["Officers to circulate the dates."]
    assert "## 9. Not an item" in doc.items[2].minute
    assert [s.title for s in doc.sections] == ["Appendix A – Attendance"]
    assert [a.status for a in doc.attendance] == ["present", "apologies", "in_attendance"]
    assert doc.attendance[0].person == "judi-billing"
    assert [(k.code, k.rating) for k in doc.kpis] == [("E1", "amber"), ("E4", "not_stated")]


def test_yaml_11_traps_do_not_apply():
    text = dedent(
        """\
        ---
        board: B
        date: 2024-03-05
        time: 10:30
        source: NO
        notes: [yes, off, 0o17, 1_000]
        ---
        """
    )
    doc = parse(text).document
    assert doc.date == "2024-03-05"
    assert doc.time == "10:30"
    assert doc.source == "NO"
    assert doc.notes == ["yes", "off", "0o17", "1_000"]


def test_agenda_prose_is_the_report():
    text = dedent(
        """\
        ---
        board: B
        date: "2018-05-24"
        kind: agenda
        ---
        ## 2. Survey

        ### Purpose

        For discussion.

        ### Contact officer

        Juliet Whitworth

        Background text.
        """
    )
    item = parse(text).document.items[0]
    assert item.minute == ""
    assert item.report.purpose == "For discussion."
    assert item.report.contact == "Juliet Whitworth\n\nBackground text."
    assert item.order is None


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("no frontmatter here\n", 1, "no frontmatter"),
        ("---\nboard: B\ndate: '2020-01-01'\n", 1, "not closed"),
        ("---\nboard: B\ndate: [unclosed\n---\n", 4, "YAML error"),
        ("---\n- a\n- b\n---\n", 2, "must be a mapping"),
        ("---\nboard: B\n---\n", 2, "missing 'date'"),
        ("---\ndate: '2020-01-01'\n---\n", 2, "missing 'board'"),
        ("---\nboard: B\ndate: '2023-02-30'\n---\n", 3, "not a real date"),
        ("---\nboard: B\ndate: '2023-01-01'\nkind: memo\n---\n", 4, "unknown kind"),
        (
            "---\nboard: B\ndate: '2023-01-01'\n---\n## 1. A\n\n## 1. B\n",
            7,
            "duplicate item number 1",
        ),
    ],
)
def test_bad_files_name_the_line_and_the_reason(text, line, fragment):
    parsed = parse(text)
    assert parsed.document is None
    errors = [p for p in parsed.problems if p.severity == "error"]
    assert errors, parsed.problems
    assert errors[0].path == "m.md"
    assert errors[0].line == line, errors[0]
    assert fragment in errors[0].message


def test_unknown_key_is_a_warning_and_the_file_is_used():
    parsed = parse("---\nboard: B\ndate: '2023-01-01'\nvenu: typo\ncontent: x\n---\n")
    assert parsed.document is not None
    assert [(p.severity, p.line) for p in parsed.problems] == [("warning", 4), ("warning", 5)]


def test_bytes_bom_is_stripped_and_bad_encoding_is_reported():
    ok = parse_bytes("\ufeff---\nboard: B\ndate: '2023-01-01'\n---\n".encode(), "bom.md")
    assert ok.document is not None
    bad = parse_bytes(b"---\nboard: Caf\xe9\ndate: '2023-01-01'\n---\n", "cp1252.md")
    assert bad.document is None
    assert bad.problems[0].line == 2
    assert "UTF-8" in bad.problems[0].message


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Cllr Judi Billing MBE", "judi-billing"),
        ("Judi Billing", "judi-billing"),
        ("Cllr Judi Billing MBE (Deputy Chair)", "judi-billing"),
        ("Sir Stephen Houghton CBE", "stephen-houghton"),
        ("Clir Ian McCord", "ian-mccord"),
        ("Cllr Dr Beccy Cooper", "beccy-cooper"),
        ("Mayor Dave Hodgson MBE", "dave-hodgson"),
        ("Cllr Gwilym Butler (sub)", "gwilym-butler"),
    ],
)
def test_person_rule_joins_name_forms(name, key):
    assert person_key(name) == key


def test_strip_name_keeps_the_name():
    assert strip_name("Cllr Paul Bettison OBE") == "Paul Bettison"


def test_documents_of_one_meeting_merge():
    agenda = parse_text(
        dedent(
            """\
            ---
            board: Improvement & Innovation Board
            date: "2018-05-24"
            kind: agenda
            time: "11:00"
            ---
            ## 2. Survey

            ### Purpose

            For discussion.

            ### Report

            The report.

            ## 8. Digital Declaration {confidential}

            Document is Restricted
            """
        ),
        "agenda.md",
    ).document
    minutes = parse_text(
        dedent(
            """\
            ---
            board: Improvement & Innovation Board
            date: "2018-05-24"
            kind: minutes
            attendance: [{name: A, status: present}]
            ---
            ## 8. Digital Declaration

            Taken first.

            ## 2. Survey

            Discussed.
            """
        ),
        "minutes.md",
    ).document
    lib = build([agenda, minutes])
    (meeting,) = lib.meetings
    assert meeting.time == "11:00"
    assert [d.kind for d in meeting.documents] == ["minutes", "agenda"]
    assert [(i.number, i.order) for i in meeting.items] == [("8", 1), ("2", 2)]
    survey = meeting.item("2")
    assert survey.minute == "Discussed."
    assert survey.report.purpose == "For discussion."
    assert survey.report.text == "### Report\n\nThe report."
    assert meeting.item("8").confidential is True
    assert list(lib.people) == ["a"]


def test_numbers_are_decimal_as_the_core_schema_reads_them():
    # YAML 1.1 read 010 as eight and failed on 09 with an error that was not a YAML error,
    # which stopped every command instead of naming the file.
    from tuibrowser import yamlsafe

    assert yamlsafe.load("a: 010\nb: 09\nc: -7\nd: 1.5e3\ne: .inf\nf: 0x1F") == {
        "a": 10,
        "b": 9,
        "c": -7,
        "d": 1500.0,
        "e": ".inf",
        "f": "0x1F",
    }
    assert yamlsafe.load("a: !!int 09") == {"a": 9}
    parsed = records.parse_bytes(b'---\nboard: B\ndate: "2020-01-01"\nx: !!int 0x1F\n---\n', "n.md")
    assert not parsed.ok and parsed.problems[0].line == 4
    assert "'0x1F' is not a decimal number" in parsed.problems[0].message


_YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _YAML_VALUES, max_size=5))
def test_the_fast_constructor_makes_what_the_pyyaml_one_makes(data):
    import yaml

    from tuibrowser import yamlsafe

    text = yaml.safe_dump(data, allow_unicode=True)
    assert yamlsafe.load(text) == yaml.load(text, Loader=yamlsafe.CoreLoader)  # noqa: S506


@settings(max_examples=200, deadline=None)
@given(
    opening=st.sampled_from(["---", "----", "--- ", "---\t", "---\f"]),
    closing=st.sampled_from(["---", "-----", "--- ", "---\t"]),
    blank=st.sampled_from(["", " ", "\t"]),
    blank_yaml=st.sampled_from(["", " "]),  # a tab is not blank to YAML
    before=st.integers(0, 3),
    after=st.integers(0, 3),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_lines_count_from_the_file_whatever_the_blanks_around_the_frontmatter(
    opening, closing, blank, blank_yaml, before, after, eol
):
    # The frontmatter is split from the body by python-frontmatter's handler: blank lines
    # after either '---' line stay where they are, so problems name the lines of the file.
    lines = [opening, *[blank_yaml] * before, "board: B", 'date: "2020-01-01"', "stray: 1"]
    lines += [closing, *[blank] * after, "## 1. Title {bogus}", "Text."]
    parsed = parse_text(eol.join(lines), "x.md")
    assert parsed.ok
    assert [(p.line, p.message) for p in parsed.problems] == [
        (lines.index("stray: 1") + 1, "unknown key 'stray' is ignored"),
        (lines.index("## 1. Title {bogus}") + 1, "unknown item attribute 'bogus' is ignored"),
    ]
    assert parsed.document.items[0].minute == "Text."


@pytest.mark.parametrize("closing", ["---\f", "---\xa0", "--- \u2028", "---x"])
def test_only_spaces_and_tabs_may_follow_the_closing_dashes(closing):
    parsed = parse_text(f'---\nboard: B\ndate: "2020-01-01"\n{closing}\n## 1. T\n', "x.md")
    assert not parsed.ok
    assert parsed.problems[0].line == 1
    assert "frontmatter is not closed" in parsed.problems[0].message


def _split_by_pattern(text: str) -> tuple[str, str, int] | None:
    """The frontmatter, body and body line as the handler's pattern splits them (what
    ``split_lines`` finds with ``str.find``)."""
    first_nl = text.find("\n")
    if first_nl < 0:
        return None
    try:
        fm, body = records.HANDLER.split("---" + text[first_nl:])
    except ValueError:
        return None
    return fm[1:], body, text.count("\n", 0, len(text) - len(body)) + 1


SPLIT_TRAPS = ["---", "----", "--- ", "---\t", "--- -", "---x", "-- -", "\n", " ", "\t", "a:", "-"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(SPLIT_TRAPS) | st.text(alphabet="-\n \tax\x0b", max_size=5)))
def test_the_frontmatter_is_split_where_the_pattern_splits_it(parts: list[str]) -> None:
    text = "---" + "".join(parts)
    assert records.HANDLER.split_lines(text) == _split_by_pattern(text)


# a row of each list with a key it does not have (a typo): the key's line is told, and the row
# is kept with what it does have (or left out for what it lacks, its typo told with it)
ROW_TYPOS = {
    "attendance": ("- {name: Cllr Ann Smith, status: present, rol: Chair}", "rol", True),
    "membership": ("- {name: Cllr Ann Smith, authorty: X Council}", "authorty", True),
    "kpis": ("- {code: E1, actual: 12, rating: green}", "actual", True),
    "summaries": ("- {period: Q1, total: 3, greens: 2}", "greens", True),
    "series": ("- {name: Visits, units: people}", "units", True),
    "outputs": ("- {project: P, output: O, rateing: green}", "rateing", True),
    "figures": ("- {name: Spend, value: 3, currency: GBP}", "currency", True),
    "attendance ": ("- {name: Cllr Ann Smith, statu: present}", "statu", False),
}


@pytest.mark.parametrize("key", list(ROW_TYPOS))
def test_a_rows_unknown_key_is_a_warning_on_its_line(key):
    row, typo, kept = ROW_TYPOS[key]
    lines = ["---", "board: B", 'date: "2020-01-01"', f"{key.strip()}:", f"  {row}", "---"]
    parsed = parse_text("\n".join([*lines, "## 1. T", "Text."]), "x.md")
    assert parsed.ok
    told = [(p.line, p.message) for p in parsed.problems]
    assert (5, f"{key.strip()}[1]: unknown key {typo!r} is ignored") in told
    rows = getattr(parsed.document, key.strip())
    assert len(rows) == (1 if kept else 0)
    assert len(told) == (1 if kept else 2)


def test_a_series_points_unknown_key_is_a_warning_on_its_line():
    text = "\n".join(
        ["---", "board: B", 'date: "2020-01-01"', "series:", "  - name: S", "    points:"]
        + ["      - {period: Q1, valu: 3}", "      - {period: Q2, value: 4}", "---", "## 1. T"]
    )
    parsed = parse_text(text, "x.md")
    assert [(p.line, p.message) for p in parsed.problems] == [
        (7, "series[1].points[1]: unknown key 'valu' is ignored")
    ]
    assert [(p.period, p.value) for p in parsed.document.series[0].points] == [
        ("Q1", None),
        ("Q2", 4),
    ]
