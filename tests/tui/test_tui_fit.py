"""At 80 columns everything fits or ends with an ellipsis; long messages wrap where they are
the point; small words are right ("1 apology") and marks are explained."""

from __future__ import annotations

import shutil
from pathlib import Path

from tuihelp import ready, screen_text, table_rows

SIZE = (80, 24)
SAMPLE = Path(__file__).parents[1] / "data" / "sample"
LONG = "Westminster Suite, 8th Floor, Local Government House, Smith Square, London"


def fits(table) -> bool:
    """No sideways scrolling: the rows are no wider than the table."""
    return table.virtual_size.width <= table.size.width


def minutes(board: str, date: str, body: str = "", attendance: str = "", extra: str = "") -> str:
    return (
        f'---\nboard: "{board}"\ndate: "{date}"\nkind: minutes\n{extra}'
        + (f"attendance:\n{attendance}" if attendance else "")
        + f"---\n\n{body or '## 1. Welcome'}\n"
    )


def person(name, role, authority, status="present", note=None) -> str:
    out = f'  - name: "{name}"\n    role: "{role}"\n    authority: "{authority}"\n'
    out += f"    status: {status}\n"
    return out + (f'    note: "{note}"\n' if note else "")


async def test_meeting_screen_fits_80_columns(make_app, tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    attendance = person(
        "Cllr Alexandra Featherstonehaugh-Smythe OBE", "Deputy-chairman", LONG
    ) + person("Cllr Bo Li", "Substitute member for Cllr X", "Borough Council", note="Late")
    extra = f'next_meeting:\n  date: "2020-02-02"\n  time: "11:00"\n  venue: "{LONG}"\n'
    (root / "2020-01-01-b-minutes.md").write_text(minutes("B", "2020-01-01", "", attendance, extra))
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.open_meeting("2020-01-01-b")
        await pilot.pause()
        text = screen_text(app)
        line = next(x for x in text.splitlines() if x.startswith("Next meeting"))
        assert line.endswith("…") and len(line) <= 78
        table = app.screen.query_one("#attendance")
        assert fits(table)
        rows = table_rows(table)
        assert any(cell.endswith("…") for row in rows for cell in row)  # cut with an ellipsis
        # the * of an editor's note is explained, and the note is shown on its row
        assert "(* an editor's note: move to the name to read it)" in text
        assert rows[2][0].endswith(" *")
        await pilot.press("n", "down", "down")
        assert "* editor's note: Late" in screen_text(app)


async def test_one_apology_is_singular(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.open_meeting("2019-03-01-sample-board")
        await pilot.pause()
        text = screen_text(app)
        assert "1 apology," in text and "apologies" not in text.split("Attendance ", 1)[1][:40]


async def test_person_status_is_whole_and_the_table_fits(make_app, tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    attendance = person("Cllr Bo Li", "Substitute", LONG)
    (root / "2020-01-01-b-minutes.md").write_text(minutes("B", "2020-01-01", "", attendance))
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.open_person("bo-li")
        await pilot.pause()
        table = app.screen.query_one("#person-meetings")
        assert table_rows(table)[0][1] == "Present (substitute)"
        assert fits(table)


async def test_problem_messages_wrap_and_nothing_offers_to_open_them(make_app, tmp_path):
    root = tmp_path / "m"
    shutil.copytree(SAMPLE, root)
    (root / "2019-01-01-broken-minutes.md").write_text("---\nboard: B\x01\n---\n")
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        message = app.loaded.skipped[0].message
        assert len(message) > 60  # longer than the room beside the file name
        await pilot.press("exclamation_mark")
        await pilot.pause()
        text = " ".join(screen_text(app).replace("▊", " ").replace("▎", " ").split())
        assert " ".join(message.split()) in text
        assert "Open" not in screen_text(app).splitlines()[-1]


async def test_status_line_and_skipped_note_do_not_run_into_each_other(make_app, tmp_path):
    root = tmp_path / "m"
    shutil.copytree(SAMPLE, root)
    (root / "2019-01-01-broken-minutes.md").write_text("---\nboard: [unclosed\n---\n")
    (root / "2019-01-02-broken-minutes.md").write_text("---\nboard: [unclosed\n---\n")
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        line = screen_text(app).splitlines()[-2]
        assert line.endswith("2 files skipped — press ! to see why")
        status = line.removesuffix("2 files skipped — press ! to see why")
        assert status.endswith("  ")  # a gap, not "attendance2 files"
        # the last of the line: the count, or the legend of the Docs or the mark column
        assert status.split(" · ")[-1].strip() in {
            "4 meetings", "A agenda, M minutes, R att.", "C confidential items", "C confid."
        }  # fmt: skip


async def test_two_boards_are_told_apart_in_the_list(make_app, tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    for n, board in enumerate(["Improvement & Innovation Board", "Improvement & Resources Board"]):
        (root / f"2020-01-0{n + 1}-b{n}-minutes.md").write_text(minutes(board, f"2020-01-0{n + 1}"))
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        boards = {row[3] for row in table_rows(app.screen.query_one("#meetings"))}
        assert boards == {"Innovation", "Resources"}


async def test_topic_titles_are_cut_with_an_ellipsis(make_app, tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    title = "Highlighting Leadership offer and a very long tail that cannot fit in eighty columns"
    for n in (1, 2):
        body = f"## 4. {title}: year {n}\n\nText."
        (root / f"2020-0{n}-01-b-minutes.md").write_text(minutes("B", f"2020-0{n}-01", body))
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("T")
        await pilot.pause()
        table = app.screen.query_one("#topics-table")
        assert fits(table)
        assert table_rows(table)[0][0].endswith("…")


async def test_people_only_in_a_membership_list_are_explained(make_app, corpus):
    app = make_app(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        listed = [p for p in app.library.people.values() if not p.meetings]
        assert listed  # the corpus has members who never appear in an attendance list
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#people-table")
        keys = [r.key.value for r in table.ordered_rows]
        row = table_rows(table)[keys.index(listed[0].key)]
        assert row[1:5] == ["–", "–", "–", "–"]
        assert "membership list only" in screen_text(app)


async def test_help_names_places_in_words(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        app.open_item("2019-03-01-sample-board", "2")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        where = {row[2] for row in table_rows(app.screen.query_one("#keys"))}
        assert "the page" in where
        assert not any(w[:1].isupper() for w in where), where  # no widget class names


async def test_the_filter_kept_on_coming_back_is_visible_and_says_how_to_clear(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press(*"2019-06", "enter")  # one meeting matches: Enter opens it
        await pilot.pause()
        assert type(app.screen).__name__ == "MeetingScreen"
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        assert text.splitlines()[1] == "2019-06"  # the box still shows it
        assert "1 of 3 meetings match the filter (esc clears)" in text
        await pilot.press("escape")
        assert "3 meetings" in screen_text(app) and "match" not in screen_text(app)
