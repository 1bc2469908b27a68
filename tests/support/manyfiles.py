"""Large folders for the tests of a cold index: copies of the bundled meetings under new dates,
and the processes of a session (to count what a killed tuibrowser leaves behind)."""

from __future__ import annotations

import os
import re
import signal
import time
from datetime import date, timedelta
from pathlib import Path

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
_DATE = re.compile(r"^(\d{4}-\d\d-\d\d)")


def many_meetings(root: Path, files: int) -> Path:
    """Write at least ``files`` meeting files in ``root``: copy k of a bundled meeting gets a
    date of its own (every file of a meeting the same one), in its name and its frontmatter."""
    root.mkdir(parents=True, exist_ok=True)
    sources = sorted(MEETINGS.glob("*.md"))
    dates = sorted({_DATE.match(p.name).group(1) for p in sources})
    texts = {p: p.read_text(encoding="utf-8") for p in sources}
    start = date(1990, 1, 1)
    copies = -(-files // len(sources))
    for k in range(copies):
        for p in sources:
            old = _DATE.match(p.name).group(1)
            new = (start + timedelta(days=k * len(dates) + dates.index(old))).isoformat()
            text = texts[p].replace(f'date: "{old}"', f'date: "{new}"')
            (root / p.name.replace(old, new)).write_text(text, encoding="utf-8")
    return root


def session_processes(sid: int) -> list[int]:
    """The live (not zombie) processes of session ``sid``."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, session = fields[0], int(fields[3])  # fields 3 and 6 of stat(5)
        if session == sid and state not in ("Z", "X"):
            out.append(int(entry))
    return out


def wait_for_processes(sid: int, at_least: int, timeout: float) -> list[int]:
    """Wait until session ``sid`` has ``at_least`` live processes; the last count seen."""
    deadline = time.monotonic() + timeout
    found = session_processes(sid)
    while len(found) < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
        found = session_processes(sid)
    return found


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def wait_until_gone(sid: int, timeout: float, keep: int = 0) -> list[int]:
    """Wait until session ``sid`` has no more than ``keep`` live processes; those there at
    the end."""
    deadline = time.monotonic() + timeout
    left = session_processes(sid)
    while len(left) > keep and time.monotonic() < deadline:
        time.sleep(0.1)
        left = session_processes(sid)
    return left


def describe(pids: list[int]) -> str:
    lines = []
    for pid in pids:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            cmd = "?"
        lines.append(f"{pid}: {cmd[:120]}")
    return "\n".join(lines)


def catches(pid: int, sig: signal.Signals) -> bool:
    """Whether process ``pid`` has a handler for ``sig`` (its ``SigCgt`` mask in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) >> (sig - 1) & 1)
