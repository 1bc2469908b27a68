"""Which threads a browser on a PostgreSQL store asks the store from (for the tests that hold
the app's thread free of the store's reads)."""

from __future__ import annotations

import threading


def watch_threads(app) -> list[bool]:
    """Record, for each query the app's store runs from now on, whether it ran on the app's
    thread (the main thread: Pilot runs the app there)."""
    store = app.library.answers().store
    on_app_thread: list[bool] = []
    query = store._query

    def watched(*args):
        on_app_thread.append(threading.current_thread() is threading.main_thread())
        return query(*args)

    store._query = watched
    return on_app_thread
