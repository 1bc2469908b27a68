"""What SIGTERM and SIGHUP do to the browser (``tui.ending``), apart from a terminal; the
whole of it, in a real terminal, is ``test_e2e_signals``."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from tuibrowser.tui import ending


@pytest.mark.parametrize("sig", ending.ENDING, ids=lambda s: s.name)
def test_a_signal_stops_the_index_asks_the_app_to_exit_and_ends_a_stalled_exit(sig, monkeypatch):
    asked: list[int] = []
    ended: list[int] = []
    done = threading.Event()

    def hard_exit(status: int) -> None:  # os._exit, which would end the test run
        ended.append(status)
        done.set()

    monkeypatch.setattr(os, "_exit", hard_exit)
    monkeypatch.setattr(ending, "GRACE_SECONDS", 0.05)
    stop = threading.Event()
    ending._ended(asked.append, stop, int(sig))
    assert stop.is_set()  # a running index stops
    assert asked == [128 + sig]  # the app exits as q does, with the status the commands give
    # and an exit that stalls (a terminal that is gone takes no more writes) ends all the same
    assert done.wait(5) and ended == [128 + sig]


async def test_the_signals_are_handled_while_the_app_runs_only(make_app):
    from tuihelp import ready

    def handler(sig: int):
        return signal.getsignal(sig)

    before = {sig: handler(sig) for sig in ending.ENDING}
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert sorted(app._signals) == sorted(int(s) for s in ending.ENDING)
        assert all(handler(sig) not in (signal.SIG_DFL, before[sig]) for sig in ending.ENDING)
    assert {sig: handler(sig) for sig in ending.ENDING} == {
        sig: signal.SIG_DFL for sig in ending.ENDING
    }
