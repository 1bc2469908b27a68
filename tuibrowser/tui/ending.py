"""SIGTERM and SIGHUP end the browser as ``q`` does: the terminal is given back.

Left to Python's default, either signal ends the process at once, and the terminal stays in
the alternate screen with its keys raw (the user sees a frozen screen and has to type
``reset`` blind). While the app runs, both signals ask it to exit instead: a running index
stops (its workers are terminated), Textual leaves the alternate screen and restores the
terminal's modes, and the command exits with status 128 + the signal, as the other commands
do (``cli.ended_by_signals``).

A hung-up terminal (a dropped SSH session) may never take the last writes: if the app has
not ended :data:`GRACE_SECONDS` after the signal, the process ends anyway (the workers of an
index end with it: see ``workers``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable

ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
GRACE_SECONDS = 5.0


def end_on_signals(exit_app: Callable[[int], None], stop_index: threading.Event) -> list[int]:
    """Make SIGTERM and SIGHUP set ``stop_index`` and call ``exit_app(128 + signal)`` on the
    running event loop (the main thread's). The signals handled: give them to
    :func:`restore` once the app is unmounted."""
    if threading.current_thread() is not threading.main_thread():
        return []
    loop = asyncio.get_running_loop()
    handled = []
    for sig in ENDING:
        try:
            loop.add_signal_handler(sig, _ended, exit_app, stop_index, int(sig))
        except (NotImplementedError, RuntimeError, ValueError):  # not a Unix loop
            continue
        handled.append(int(sig))
    return handled


def restore(handled: list[int]) -> None:
    """Give the signals back their default (the app has ended)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    for sig in handled:
        try:
            loop.remove_signal_handler(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass


def _ended(exit_app: Callable[[int], None], stop_index: threading.Event, sig: int) -> None:
    stop_index.set()  # an index still running stops: the exit does not wait for it
    watchdog = threading.Timer(GRACE_SECONDS, os._exit, (128 + sig,))
    watchdog.daemon = True  # gone with the process when the app ends in time
    watchdog.start()
    exit_app(128 + sig)
