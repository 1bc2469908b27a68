"""The People list and the Topics of a browser on a PostgreSQL store are merged from the
parts the store keeps (every year's) in a thread, not on the app's, and a screen that needs
every meeting (the dashboard) has them read in a thread too: the screen says it is loading
meanwhile, then opens as it does on the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from storethreads import watch_threads
from tuihelp import ready

from tuibrowser.ondemand import OnDemandLibrary

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
SIZE = (120, 40)


@pytest.fixture(scope="module")
def store_url(pg_cluster):
    from tuibrowser.store.pg.store import PgStore

    url = pg_cluster.create_database("pglists")
    PgStore(url, CORPUS, ingest=True).update()
    return url


@pytest.mark.parametrize(
    "keys, screen",
    [
        ("P", "PeopleScreen"),
        ("T", "TopicsScreen"),
        ("D", "DashboardScreen"),
    ],
)
async def test_a_stores_people_and_topics_are_read_off_the_app_thread(
    store_url, make_app, keys, screen
):
    app = make_app(CORPUS, store_url=store_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        on_app_thread = watch_threads(app)
        for key in keys.split():
            await pilot.press(key)
            await ready(app, pilot)
        assert type(app.screen).__name__ == screen
        assert on_app_thread and not any(on_app_thread)
        await pilot.press("escape")
        await ready(app, pilot)
        assert type(app.screen).__name__ in ("MeetingsScreen", "TopicsScreen")
        lib = app.library
        assert isinstance(lib, OnDemandLibrary) and lib.in_memory is (screen == "DashboardScreen")
