"""Errors nobody expected, for the user and for whoever debugs them.

The user gets one line (the kind of error and its message, cleaned and cut short): a traceback
shows the values of variables, which hold the text of the records, and a terminal is often a
shared screen that keeps what it showed. With ``TUIBROWSER_DEBUG=1`` the whole traceback, with
the local variables of each frame (short forms: a string's first characters, a list's
length), goes to a new file in the user's state folder that only the user may read (mode
0600, created with ``O_EXCL`` and ``O_NOFOLLOW``, never written through a link), and the
line says where it is. Nothing here imports Textual: the command line uses it too.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Sized
from pathlib import Path
from types import TracebackType

from .text import clean, one_line

ENV_DEBUG = "TUIBROWSER_DEBUG"
LOG_PREFIX = "error-"
MAX_MESSAGE = 160  # characters of the error's message on the one line
MAX_VALUE = 120  # characters of a local variable's value in the log
MAX_FRAMES_WITH_LOCALS = 30


def debug_enabled() -> bool:
    """``TUIBROWSER_DEBUG`` is set (to anything but empty or 0)."""
    return os.environ.get(ENV_DEBUG, "").strip() not in ("", "0")


def summary(exc: BaseException) -> str:
    """``IndexError: list index out of range``: one line, no control characters, short."""
    message = one_line(str(exc), MAX_MESSAGE)
    name = type(exc).__name__
    return f"{name}: {message}" if message else name


def log_dir() -> Path:
    """The user's state folder (``TUIBROWSER_STATE_DIR`` moves it), where debug logs go."""
    from .state import default_state_path

    return default_state_path().parent


def write_log(exc: BaseException, where: str = "") -> Path | None:
    """Write ``exc``'s traceback, with each frame's local variables, to a new file in the
    state folder (mode 0600); its path, or None if it could not be written."""
    from .store.fs import ensure_private_dir

    folder = log_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        ensure_private_dir(folder, "seen.json", LOG_PREFIX)
        for n in range(100):
            path = folder / f"{LOG_PREFIX}{stamp}-{os.getpid()}{f'-{n}' if n else ''}.log"
            try:
                fd = os.open(path, _CREATE, 0o600)
            except FileExistsError:
                continue
            break
        else:
            return None
    except OSError:
        return None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask: the file is ours, just made
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(render(exc, where))
    except OSError:
        return None
    return path


_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def render(exc: BaseException, where: str = "") -> str:
    """The traceback as Python prints it, then each frame's local variables (short forms),
    with control characters shown as escapes (the log may be printed to a terminal)."""
    parts = [f"tuibrowser error{f' in {where}' if where else ''}, {time.ctime()}\n\n"]
    parts.extend(traceback.format_exception(exc))
    parts.append("\nLocal variables, outermost frame first:\n")
    for frame, lineno in _frames(exc.__traceback__)[-MAX_FRAMES_WITH_LOCALS:]:
        code = frame.f_code
        parts.append(f'\n  File "{code.co_filename}", line {lineno}, in {code.co_name}\n')
        for name, value in list(frame.f_locals.items()):
            parts.append(f"    {name} = {short(value)}\n")
    return clean("".join(parts))


def _frames(tb: TracebackType | None) -> list:
    return list(traceback.walk_tb(tb))


def short(value: object) -> str:
    """A bounded description of a value: never the repr of a whole library (megabytes)."""
    if isinstance(value, str | bytes):
        head = repr(value[:MAX_VALUE])
        return head if len(value) <= MAX_VALUE else f"{head}… ({len(value)} characters)"
    if value is None or isinstance(value, bool | int | float | Path):
        return repr(value)[:MAX_VALUE]
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    try:
        size = len(value) if isinstance(value, Sized) else None
    except Exception:  # noqa: BLE001 - anything may raise in __len__
        return f"<{kind}>"
    return f"<{kind}>" if size is None else f"<{kind} of {size}>"
