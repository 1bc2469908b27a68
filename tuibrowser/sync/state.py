"""The sync state file (``DIR/.tuibrowser-sync.json``): what earlier runs fetched and wrote.

- ``requests``: per URL, the validators the server sent (``etag``, ``last_modified``) and the
  SHA-256 of the body, so the next run asks conditionally;
- ``listings``: the parsed committees and meeting stubs of a listing URL, reused on a 304;
- ``meetings``: per meeting id, the files it was written to;
- ``files``: per meeting file name, the SHA-256 of the texts sync wrote there (the last few),
  which is how a hand edit is told from sync's own writing;
- ``documents``: per document URL, the file it was saved to, its size and SHA-256.

The file is replaced in one step (a temporary file in the same folder, flushed, renamed over
it), so a run killed at any moment leaves the old state or the new one, never half of one. It is
saved after every meeting, so a killed run resumes where it stopped. A symbolic link with its
name is never followed when reading; an unreadable or foreign state is set aside as empty.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

STATE_NAME = ".tuibrowser-sync.json"
VERSION = 1
KEEP_HASHES = 4


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


class SyncState:
    def __init__(
        self, folder: Path, data: dict[str, Any] | None = None, problem: str | None = None
    ):
        self.folder = folder
        self.path = folder / STATE_NAME
        self.problem = problem
        data = data or {}
        self.site: str | None = data.get("site")
        self.requests: dict[str, dict[str, Any]] = dict(data.get("requests") or {})
        self.listings: dict[str, Any] = dict(data.get("listings") or {})
        self.meetings: dict[str, dict[str, Any]] = dict(data.get("meetings") or {})
        self.files: dict[str, list[str]] = dict(data.get("files") or {})
        self.documents: dict[str, dict[str, Any]] = dict(data.get("documents") or {})

    @classmethod
    def load(cls, folder: Path) -> SyncState:
        path = folder / STATE_NAME
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return cls(folder)
        except OSError as exc:
            return cls(folder, problem=f"{path}: not read ({exc.strerror or exc}); starting afresh")
        try:
            with os.fdopen(fd, "rb") as fh:
                data = json.loads(fh.read(64 * 2**20))
        except (OSError, ValueError) as exc:
            return cls(folder, problem=f"{path}: not read ({type(exc).__name__}); starting afresh")
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return cls(folder, problem=f"{path}: not a sync state of this version; starting afresh")
        return cls(folder, data)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "site": self.site,
            "requests": self.requests,
            "listings": self.listings,
            "meetings": self.meetings,
            "files": self.files,
            "documents": self.documents,
        }

    def save(self) -> None:
        text = json.dumps(self.to_dict(), indent=1, sort_keys=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f"{STATE_NAME}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    # --- requests ----------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        entry = self.requests.get(url) or {}
        return entry.get("etag"), entry.get("last_modified")

    def remember(self, url: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
        self.requests[url] = {"etag": etag, "last_modified": last_modified, "sha256": sha256(body)}

    # --- files -------------------------------------------------------------------

    def wrote(self, name: str, text_hash: str) -> None:
        """Note that sync is about to write (or wrote) ``text_hash`` to ``name``."""
        hashes = [h for h in self.files.get(name, []) if h != text_hash]
        self.files[name] = (hashes + [text_hash])[-KEEP_HASHES:]

    def is_ours(self, name: str, text_hash: str) -> bool:
        return text_hash in self.files.get(name, [])
