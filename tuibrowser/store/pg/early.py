"""The browser's first page from a PostgreSQL store, read while Textual is imported.

Importing psycopg costs about a third of what importing Textual does, and connecting takes
round trips to the server: both came before Textual's import. :meth:`EarlyHead.start` starts
a thread that connects and reads the first page in one round trip while the browser imports
Textual; :meth:`EarlyHead.result` then waits for it. The page is read through libpq itself
(:meth:`.store.PgStore.first_quick`, :mod:`.libpq`): no psycopg to import (imports do not run
in parallel: one interpreter lock), and every libpq call lets the lock go, so the connection's
round trips and the server's work overlap Textual's import. The store is checked (reached,
``--public`` in force, the folder ingested) by the very query that reads the page; when the
shortcut cannot be had, psycopg reads it (:meth:`.store.PgStore.first`) and tells why.

(A child process instead of a thread — forked, or a new interpreter — was measured slower on
a busy 2-core machine: its work competes for the same cores and adds its own.)
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .connect import StoreError

if TYPE_CHECKING:
    from ..reader import ListHead
    from .store import FirstPage


class EarlyHead:
    """The first page of the meeting list, being read beside the browser's start."""

    def __init__(self, url: str, root: Path, public: bool) -> None:
        from .store import PgStore  # psycopg itself is imported by the thread

        self.url = url
        # the store, connected, for the browser's life once the page is read
        self.store = PgStore(url, root, public=public)
        self._thread = threading.Thread(target=self._read, name="first-page", daemon=True)
        self._first: FirstPage | None = None
        self._error: StoreError | None = None

    def start(self) -> EarlyHead:
        self._thread.start()
        return self

    def _read(self) -> None:
        from .connect import shown

        try:
            # through libpq itself (no psycopg to import: Textual's import is not held up);
            # through psycopg when that could not be had, which tells why
            self._first = self.store.first_quick() or self.store.first()
        except StoreError as exc:
            self._error = exc
        except Exception as exc:  # noqa: BLE001 - told as one line; the command stops
            self._error = StoreError(
                f"cannot read the store {shown(self.url)}: {type(exc).__name__}"
            )

    def result(self) -> ListHead | None:
        """The first page and the number of meetings (None: the list is empty). Raises
        :class:`StoreError` when the store cannot be read (not reached, ``--public``
        refused, nothing ingested of the folder); the store is then closed."""
        from .store import head_of

        self._thread.join()
        if self._first is None:
            self.store.close()
            raise self._error or StoreError("cannot read the store")
        return head_of(self._first)
