"""How a command that does not open the browser ends: at once, once what must run at exit has.

The interpreter's own ending, after the work of a short command is done, collects garbage and
frees every module's objects one by one: at 10,000 meetings about 19 M instructions, 3% of a
refresh that found nothing changed, for memory the system takes back anyway. :func:`leave` runs
what the process must still do — the functions registered with :mod:`atexit` (logging's,
anything a library or a test's coverage put there), the last flush of stdout and stderr — and
then ends with ``os._exit`` and the same status. The cache's writer lock has been let go by
then (it is a ``with`` block around the refresh; ``flock`` would be let go by the system
anyway). Whenever the ending is not that simple it is left to the interpreter: a status that is
not a number (printed by it), a thread still running or the thread hooks of
:mod:`concurrent.futures`, :mod:`multiprocessing` imported (its pool, forkserver and resource
tracker are finished by its own exit functions in the interpreter's order), or a flush that
fails (a closed pipe the command did not meet: the interpreter says so and its status is its).
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

# modules whose ending is the interpreter's to run: threads joined, pools and helpers stopped
LEFT_TO_PYTHON = ("multiprocessing", "concurrent.futures.thread", "concurrent.futures.process")


def leave(end: SystemExit) -> NoReturn:
    """End the process with ``end``'s status, at once when that is safe; else raise ``end``."""
    code = 0 if end.code is None else end.code
    if not isinstance(code, int) or not 0 <= code <= 255 or not _simple():
        raise end
    atexit._run_exitfuncs()  # noqa: SLF001 - what the interpreter would run now, in its order
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:  # noqa: BLE001 - the interpreter's own ending tells of it
        raise end from None
    os._exit(code)


def _simple() -> bool:
    """No thread but this one, and nothing whose ending the interpreter must order."""
    if any(name in sys.modules for name in LEFT_TO_PYTHON):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1
