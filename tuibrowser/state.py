"""What the user has already seen: per meetings folder, the meetings (and their fingerprints)
shown the last time the browser was opened, so new or changed meetings can be marked.

A small JSON file in the user's state directory (``TUIBROWSER_STATE_DIR`` overrides it),
written atomically with mode 0600. Losing it is harmless: nothing is marked on the next start.
It is kept by the cache's rules (:mod:`tuibrowser.store.safefs`): a seen-state file that is a link,
that another user owns or can write, or that is in a folder another user can write, is
neither read nor replaced, and :attr:`SeenState.problem` says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from .listing import MeetingRow, meeting_fingerprint
from .store import safefs
from .store.fs import atomic_write, ensure_private_dir
from .store.paths import state_dir

if TYPE_CHECKING:
    from .model import Meeting

# 2: fingerprints hash the meeting as orjson writes it. 3: meetings keep every attendance
# list of their documents (a new field changes every fingerprint). 4: fingerprints hash the
# meeting's documents as the cache stores them (listing.documents_fingerprint), every one
# changed. A file of another version is read as "never opened" (nothing marked), not as
# "everything changed".
STATE_VERSION = 4

__all__ = ["SeenState", "default_state_path", "meeting_fingerprint"]


def default_state_path() -> Path:
    return state_dir() / "seen.json"


def _fingerprint(m: Meeting | MeetingRow) -> str:
    # A row carries its meeting's fingerprint; a meeting alone is hashed here (not as its row's:
    # the browser gives rows).
    return m.fingerprint if isinstance(m, MeetingRow) else meeting_fingerprint(m)


class SeenState:
    """The seen-meetings file: ``{"version": 4, "roots": {root: {meeting_id: fingerprint}}}``."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else default_state_path()
        # Why the file was not used the last time it was read (a link, another user's …).
        self.refused: safefs.Refused | None = None

    @property
    def problem(self) -> str | None:
        """What to tell the user when the file is not used, or None."""
        return f"cannot use the seen-state file: {self.refused}" if self.refused else None

    def _read(self) -> dict:
        self.refused = None
        try:
            safefs.check_chain(self.path.parent)
            data = orjson.loads(safefs.read_own(self.path))
        except safefs.Refused as exc:
            self.refused = exc
            return {"version": STATE_VERSION, "roots": {}}
        except (OSError, orjson.JSONDecodeError):
            return {"version": STATE_VERSION, "roots": {}}
        if not isinstance(data, dict) or not isinstance(data.get("roots"), dict):
            return {"version": STATE_VERSION, "roots": {}}
        if data.get("version") != STATE_VERSION:
            return {"version": STATE_VERSION, "roots": {}}
        return data

    def seen(self, root: Path, public: bool = False) -> dict[str, str] | None:
        """The meetings seen last time for ``root`` (id → fingerprint), or None if never opened.

        ``--public`` keeps its own: it shows less of a meeting, which is not a change."""
        entry = self._read()["roots"].get(_root_key(root, public))
        if not isinstance(entry, dict):
            return None
        # as read (JSON keys are strings): a value that is not a fingerprint matches nothing,
        # so its meeting shows as changed. Not copied: at 10,000 meetings that is on the path
        # of the first frame.
        return entry

    def changed(
        self, root: Path, meetings: Iterable[Meeting | MeetingRow], public: bool = False
    ) -> set[str]:
        """Ids of meetings that are new or changed since last time; empty on the first opening."""
        before = self.seen(root, public)
        if before is None:
            return set()
        return {m.id for m in meetings if before.get(m.id) != _fingerprint(m)}

    def remember(
        self, root: Path, meetings: Iterable[Meeting | MeetingRow], public: bool = False
    ) -> None:
        """Record ``meetings`` as seen for ``root`` (atomic write, file mode 0600).

        Raises ``OSError`` (:class:`safefs.Refused` for a file or folder that is not this
        user's own) when it cannot: nothing that is not the user's is replaced.
        """
        data = self._read()
        if self.refused:
            raise safefs.Refused(self.refused.path, self.refused.why)
        data["version"] = STATE_VERSION
        data["roots"][_root_key(root, public)] = {m.id: _fingerprint(m) for m in meetings}
        ensure_private_dir(self.path.parent, self.path.name)
        safefs.check_chain(self.path.parent)
        atomic_write(self.path, orjson.dumps(data, option=orjson.OPT_SORT_KEYS))


def _root_key(root: Path, public: bool = False) -> str:
    return str(Path(root).resolve()) + (" (public)" if public else "")
