"""The meeting list shows the rows ``listing.select_rows`` gives, in its order, for every
filter, column and direction: the order a store that filters and sorts in SQL
(``PgStore.select``) is held to."""

from __future__ import annotations

from tuihelp import ready

from tuibrowser.listing import SORT_KEYS, select_rows

SIZE = (120, 40)
QUERIES = ["", "board", "2018", "council 2016", "ZOOM", "zzzznothing"]


async def test_the_lists_filter_and_sort_are_select_rows(make_app):
    from tuibrowser.tui.screens.meetings import COLUMNS

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        screen = app.screen
        rows = app.meeting_rows
        assert rows and set(COLUMNS) == set(SORT_KEYS)
        for query in QUERIES:
            for column in SORT_KEYS:
                for reverse in (False, True):
                    screen.query_text, screen.sort_column, screen.sort_reverse = (
                        query,
                        column,
                        reverse,
                    )
                    screen.apply()
                    want = [r.id for r in select_rows(rows, query, column, reverse)]
                    assert [r.id for r in screen.matching] == want, (query, column, reverse)
