"""What the user last saw of each meeting, and the changes found since: two files per meetings
folder (and per mode: ``--public`` keeps its own, so switching it on or off is not a change) in
the user's state folder, under ``changes/``.

One file holds, per meeting, its fingerprint and summary (:func:`.changes.summarize`) as the
user last saw them, a line per meeting (:mod:`.summaries_file`: read and written a line at a
time, so a look never holds them all); a small one beside it (``.log.json``) the day they last
looked and a log of the changes found, each with the day it was found — what the browser's
"changes" view lists since a date. When no meeting changed, only the small one is read. It is kept by the rules of
the seen-state file (:mod:`.state`): written atomically with mode 0600 in a folder of mode 0700;
a file that is a link, that another user owns or can write, or in a folder another user can
write, is neither read nor replaced, and :attr:`ChangeLog.problem` says why. Losing it is
harmless: nothing is reported changed on the next start.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from . import summaries_file
from .changes import Change, Summary, meeting_changes, summarize
from .listing import MeetingRow, meeting_fingerprint
from .model import item_key
from .store import safefs
from .store.fs import atomic_write, ensure_private_dir
from .store.paths import state_dir

if TYPE_CHECKING:
    from .library import Library
    from .model import Meeting
    from .ondemand import OnDemandLibrary

LOG_VERSION = 1  # of the log; the summaries file's is summaries_file.FILE_VERSION
KEEP_ENTRIES = 1000  # the log's newest entries kept
WITH_TEXTS = 100  # up to this many meetings to summarize, their minutes are read to do it
READ_TOGETHER = 200  # meetings of a store read together to summarize (more than WITH_TEXTS)

GONE = Change("meeting", "no longer in the folder")


@dataclass
class Entry:
    """The changes of one meeting found on one day (``on``), since the user's look before
    (``since``, None the first time)."""

    on: str
    meeting: str
    board: str
    date: str
    changes: list[Change]
    since: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on,
            "since": self.since,
            "meeting": self.meeting,
            "board": self.board,
            "date": self.date,
            "changes": [c.to_list() for c in self.changes],
        }

    @classmethod
    def from_dict(cls, d: Any) -> Entry | None:
        if not isinstance(d, dict):
            return None
        on, meeting, board, date = (d.get(k) for k in ("on", "meeting", "board", "date"))
        if not (
            isinstance(on, str)
            and isinstance(meeting, str)
            and isinstance(board, str)
            and isinstance(date, str)
            and isinstance(d.get("changes"), list)
        ):
            return None
        changes = [c for c in map(Change.from_list, d["changes"]) if c is not None]
        since = d.get("since") if isinstance(d.get("since"), str) else None
        return cls(on, meeting, board, date, changes=changes, since=since)


@dataclass
class Found:
    """What one opening found: the changes of each meeting (by id) since ``since`` (the day the
    user last looked; None on the first opening, when nothing is reported), and the log."""

    changes: dict[str, list[Change]] = field(default_factory=dict)
    since: str | None = None
    log: list[Entry] = field(default_factory=list)

    def since_day(self, day: str) -> list[Entry]:
        """The log's entries found on or after ``day`` (``YYYY-MM-DD``), newest first."""
        return sorted((e for e in self.log if e.on >= day), key=lambda e: e.on, reverse=True)


def _key(root: Path, public: bool) -> str:
    return str(Path(root).resolve()) + ("\0public" if public else "")


class ChangeLog:
    """The per-user file of what was last seen of each meeting (see the module's text)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else state_dir() / "changes"
        self.refused: safefs.Refused | None = None

    @property
    def problem(self) -> str | None:
        return f"cannot use the changes file: {self.refused}" if self.refused else None

    def path_for(self, root: Path, public: bool = False) -> Path:
        """The file of the summaries last seen (the log is beside it: :meth:`log_path_for`)."""
        digest = hashlib.sha256(_key(root, public).encode("utf-8", "surrogatepass"))
        return self.folder / f"{digest.hexdigest()[:16]}.json"

    def log_path_for(self, root: Path, public: bool = False) -> Path:
        """The log of the changes found: small, read alone when nothing changed."""
        return self.path_for(root, public).with_suffix(".log.json")

    def _read(self, path: Path, key: str, kind: type) -> dict[str, Any]:
        empty: dict[str, Any] = {"version": LOG_VERSION}
        try:
            safefs.check_chain(path.parent)
            data = orjson.loads(safefs.read_own(path))
        except FileNotFoundError:
            return empty
        except safefs.Refused as exc:
            self.refused = exc
            return empty
        except (OSError, orjson.JSONDecodeError):
            return empty
        if not isinstance(data, dict) or data.get("version") != LOG_VERSION:
            return empty
        return data if isinstance(data.get(key), kind) else empty

    def read(self, root: Path, public: bool = False) -> Found:
        """The log as it is, without looking at the meetings (when none changed)."""
        self.refused = None
        data = self._read(self.log_path_for(root, public), "log", list)
        return Found(since=_text(data.get("looked")), log=_entries(data.get("log")))

    def update(
        self,
        root: Path,
        library: Library,
        rows: Iterable[MeetingRow] = (),
        public: bool = False,
        today: str | None = None,
    ) -> Found:
        """Compare the meetings of ``library`` with what the user last saw, log the changes,
        and remember the meetings as seen now (atomic writes, mode 0600). ``rows`` give the
        meetings' fingerprints as cached (else they are computed). The summaries are read and
        written a line at a time (:mod:`.summaries_file`): only those of the meetings that
        changed or went are parsed, and none is kept once written.

        Raises ``OSError`` (:class:`safefs.Refused` for a file or folder that is not this
        user's own) when a file cannot be written; nothing not the user's is replaced."""
        day = today or _dt.date.today().isoformat()
        path, log_path = self.path_for(root, public), self.log_path_for(root, public)
        self.refused = None
        logged = self._read(log_path, "log", list)
        old = self._open_summaries(path)
        try:
            if self.refused:
                raise safefs.Refused(self.refused.path, self.refused.why)
            return self._update(library, rows, old, logged, day, path, log_path)
        finally:
            if old is not None:
                old.close()

    def _open_summaries(self, path: Path) -> IO[bytes] | None:
        try:
            return summaries_file.open_lines(path)
        except safefs.Refused as exc:
            self.refused = exc
        except OSError:
            pass
        return None

    def _update(
        self,
        library: Library,
        rows: Iterable[MeetingRow],
        old: IO[bytes] | None,
        logged: dict[str, Any],
        day: str,
        path: Path,
        log_path: Path,
    ) -> Found:
        first = old is None
        since = None if first else _text(logged.get("looked"))
        now = _fingerprints(library, rows)
        was = summaries_file.keys(old) if old is not None else {}
        stale = [mid for mid, fp in now.items() if was.get(mid) != fp]
        gone = any(mid not in now for mid in was)
        log = _entries(logged.get("log"))
        found: dict[str, list[Change]] = {}
        if first or stale or gone:
            ensure_private_dir(self.folder, path.name, log_path.name)
            safefs.check_chain(self.folder)
            told = self._rewrite(library, now, old, stale, path, first, found)
            # in the library's order, then the meetings gone
            found = {mid: found[mid] for mid in [*now, *was] if mid in found}
            for mid, changes in found.items():
                log.append(Entry(day, mid, *told[mid], changes, since))
        log = log[-KEEP_ENTRIES:]
        if first or stale or gone or logged.get("looked") != day:
            ensure_private_dir(self.folder, path.name, log_path.name)
            safefs.check_chain(self.folder)
            out = {"version": LOG_VERSION, "looked": day, "log": [e.to_dict() for e in log]}
            atomic_write(log_path, orjson.dumps(out))
        return Found(changes=found, since=since, log=log)

    def _rewrite(
        self,
        library: Library,
        now: dict[str, str],
        old: IO[bytes] | None,
        stale: list[str],
        path: Path,
        first: bool,
        found: dict[str, list[Change]],
    ) -> dict[str, tuple[str, str]]:
        """Write the summaries file anew: the lines of the meetings that did not change as
        they were, the others summarized now. Fills ``found`` (unless ``first``) and returns
        the board and date of each meeting in it."""
        told: dict[str, tuple[str, str]] = {}
        written: set[str] = set()

        read = _reader(library, stale) if len(stale) > WITH_TEXTS else None

        def summary(mid: str) -> Summary | None:
            """None: the meeting is gone since the list was read (a store's, ingested since)."""
            if read is not None:  # many meetings of a store: read together, without texts
                m = read(mid)
                return summarize(m, texts=False) if m is not None else None
            m = library.meeting(mid)
            if m is None:
                return None
            return self._summary(library, mid, len(stale)) or summarize(m, texts=False)

        with summaries_file.Writer(path) as out:
            for mid, fp, line in summaries_file.lines(old) if old is not None else ():
                if mid in written:
                    continue
                if now.get(mid) == fp:
                    out.write(line)
                    written.add(mid)
                    continue
                before = summaries_file.summary_of(line)
                if mid not in now:
                    found[mid] = [GONE]
                    told[mid] = _board_date(before)
                    written.add(mid)  # (not written: gone)
                    continue
                after = summary(mid)
                if after is None:
                    continue
                found[mid] = meeting_changes(before, after)
                told[mid] = _board_date(after)
                out.write(summaries_file.line_of(mid, now[mid], after))
                written.add(mid)
            for mid, fp in now.items():
                if mid not in written:
                    after = summary(mid)
                    if after is None:
                        continue
                    out.write(summaries_file.line_of(mid, fp, after))
                    if not first:
                        found[mid] = meeting_changes(None, after)
                        told[mid] = _board_date(after)
        if first:
            found.clear()
        return told

    @staticmethod
    def _summary(library: Library, meeting_id: str, many: int) -> Summary | None:
        """The summary with the items' texts, when few meetings are to be summarized (reading
        every minute of a big folder the first time would hold up the browser). A library
        loaded without its texts is not changed: they are read beside it."""
        m = library.meeting(meeting_id)
        if m is None:
            return None
        if meeting_id not in library.lean:
            return summarize(m)
        if many > WITH_TEXTS or library.texts_of is None:
            return None
        try:
            docs = library.texts_of(meeting_id)
        except (OSError, ValueError):
            return None
        if not docs:
            return None
        from .library import merge

        whole = {item_key(it.number): it for it in merge(meeting_id, docs).items}
        items = []
        for it in m.items:
            found = whole.get(item_key(it.number))
            if found is None or found.title != it.title:
                return None  # the files changed again since the library was read
            items.append(dataclasses.replace(it, minute=found.minute, report=found.report))
        return summarize(dataclasses.replace(m, items=items))


def _fingerprints(library: Library, rows: Iterable[MeetingRow]) -> dict[str, str]:
    """Each meeting's fingerprint, in the library's order: of ``rows`` (the list as cached),
    else of the meeting. A store's library on demand reads no meeting for it: its rows are
    the whole list, each with its fingerprint (read in SQL)."""
    prints = {r.id: r.fingerprint for r in rows}
    if _on_demand(library) is not None:
        return prints
    made = library.fingerprints  # (a library read straight from the files)
    return {
        m.id: prints.get(m.id) or made.get(m.id) or meeting_fingerprint(m) for m in library.meetings
    }


def _on_demand(library: Library) -> OnDemandLibrary | None:
    """The library when a store answers it on demand and its meetings are not all read."""
    from .ondemand import OnDemandLibrary

    if isinstance(library, OnDemandLibrary) and not library.in_memory:
        return library
    return None


class _Together:
    """The meetings ``ids`` of a store's library, read :data:`READ_TOGETHER` at a time in
    their order (the order they are summarized in), each batch dropped for the next."""

    def __init__(self, library: OnDemandLibrary, ids: list[str]) -> None:
        self.library = library
        self.at = {mid: i for i, mid in enumerate(ids)}
        self.ids = ids
        self.held: dict[str, Meeting] = {}

    def __call__(self, mid: str) -> Meeting | None:
        if mid not in self.held:
            i = self.at.get(mid)
            batch = self.ids[i : i + READ_TOGETHER] if i is not None else [mid]
            self.held = self.library.meetings_of(batch)
        return self.held.get(mid)


def _reader(library: Library, ids: list[str]) -> _Together | None:
    """What reads the meetings ``ids`` to summarize, when they are many (more than
    :data:`WITH_TEXTS`: summarized without texts) of a store's library: together, a batch
    at a time (one read of their dates each), rather than one by one; None otherwise."""
    on_demand = _on_demand(library)
    return _Together(on_demand, ids) if on_demand is not None and ids else None


def _board_date(summary: Summary | None) -> tuple[str, str]:
    s = summary or {}
    return str(s.get("board", "")), str(s.get("date", ""))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _entries(value: Any) -> list[Entry]:
    if not isinstance(value, list):
        return []
    return [e for e in map(Entry.from_dict, value) if e is not None]
