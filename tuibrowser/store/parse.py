"""Reading one meeting file for the cache: its catalog entry and its document.

Run in this process or in a worker (:mod:`.workers`): what crosses between processes is the
entry and the document as a dict.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import Any

from ..safeopen import UnsafeFile, read_regular
from .reader import is_restricted


def parse_chunk(chunk: list[tuple[str, str]]) -> list[tuple[str, dict, dict | None]]:
    """(label, entry, document dict) of each (path, label) of ``chunk``."""
    return [parse_one(path, label) for path, label in chunk]


def parse_one(path_text: str, label: str, as_record: bool = False) -> tuple[str, dict, Any]:
    """Read and parse one file: its entry (without the document) and its document (a dict,
    or with ``as_record`` the :class:`Document` itself, when it stays in this process)."""
    label, entry, doc, _ = parse_record(path_text, label)
    if doc is None or as_record:
        return label, entry, doc
    return label, entry, doc.to_dict()


def parse_record(path_text: str, label: str) -> tuple[str, dict, Any, bytes | None]:
    """:func:`parse_one` with ``as_record``, and the document's JSON as the cache stores it
    (made when the document was checked; None when there is no document)."""
    from .. import records
    from ..digest import hexdigest
    from ..model import Problem

    path = Path(path_text)
    now = time.time_ns()
    raw_hash: str | None = None
    try:
        st = path.stat()
    except OSError as exc:
        problem = Problem(label, None, f"cannot read file: {exc.strerror or exc}")
        entry: dict[str, Any] = {"path": label, "size": None, "mtime_ns": None, "sha256": None}
        entry.update(indexed_ns=now, problems=[problem.to_dict()], marks=[], meeting=None)
        return label, entry, None, None
    if st.st_size > records.MAX_FILE_BYTES or not stat.S_ISREG(st.st_mode):
        parsed = records.read_file(path, label)  # reports it without reading it
    else:
        try:
            raw = read_regular(path, records.MAX_FILE_BYTES)  # not a pipe swapped in since
        except (OSError, UnsafeFile):
            parsed = records.read_file(path, label)  # turns the error into a problem
        else:
            raw_hash = hexdigest(raw)
            parsed = records.parse_bytes(raw, label)
    doc = parsed.document
    entry = {
        "path": label,
        **stat_fields(st),
        "sha256": raw_hash,
        "indexed_ns": now,
        "problems": [p.to_dict() for p in parsed.problems],
        "marks": [it.number for it in doc.items if it.confidential] if doc else [],
        "meeting": doc.meeting_id if doc else None,
    }
    if is_restricted(entry):
        entry["sha256"] = None
    return label, entry, doc, parsed.json if doc is not None else None


def stat_fields(st: os.stat_result) -> dict[str, int]:
    """What the catalog keeps of a file's ``stat`` to know it unchanged: its size, the time its
    contents changed (``mtime``, which a user or a copy may set back), the time its inode did
    (``ctime``, which no one can set back: a write, a chmod, a rename move it) and its inode
    number (another file moved or linked in its place has another)."""
    return {
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "ino": st.st_ino,
    }


def restricted_entry(label: str, st: os.stat_result) -> dict:
    """The entry of a file this user may not read: nothing of it kept but that."""
    from .. import records

    return {
        "path": label,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "sha256": None,
        "indexed_ns": time.time_ns(),
        "problems": [records.restricted_problem(label).to_dict()],
        "marks": [],
        "meeting": None,
        "shard": None,
    }
