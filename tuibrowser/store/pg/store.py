""":class:`PgStore`: the meetings of one folder as a PostgreSQL store holds them, a
:class:`~tuibrowser.store.protocol.MeetingStore`.

A reader reads the rows of its kind (``public``, as the role ``tuibrowser_public``: row-level
security gives that role nothing else) and never writes; ``tuibrowser index DIR --store URL``
opens it with ``ingest`` and :meth:`update` brings the store up to date (:mod:`.ingest`).
The meeting list is paged in SQL (:meth:`head` reads one page), and a meeting's long texts are
read when it is opened (``load(texts=False)``, then :meth:`Library.full`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import orjson

from ..layout import FIRST_PAGE
from ..protocol import Interrupted
from ..report import IndexReport, report_problem
from .connect import StoreError, connect, reader_settings
from .migrate import check, latest

if TYPE_CHECKING:
    import psycopg

    from ...library import Library
    from ...listing import MeetingRow
    from ...model import Document
    from ...search import Results
    from ..indexer import Progress
    from ..protocol import ListFacts
    from ..reader import ListHead

ORDER = "ORDER BY date DESC, time DESC, board DESC, id DESC"

# The first frame's query: the schema's version, the folder (the one ingested from the real
# path, or the only one), its number of meetings and the first page of its list, as one JSON
# array, in one round trip.
FIRST_SQL = f"""
WITH f AS (
    SELECT coalesce(
        (SELECT id FROM folders WHERE path = %(path)s),
        (SELECT min(id) FROM folders HAVING count(*) = 1)
    ) AS id
)
SELECT
    (SELECT max(version) FROM schema_version),
    f.id,
    (SELECT meetings FROM folder_state s WHERE s.folder = f.id AND s.public = %(public)s),
    (SELECT json_agg(p.row ORDER BY p.date DESC, p.time DESC, p.board DESC, p.id DESC)::text
     FROM (SELECT date, time, board, id, row FROM meetings
           WHERE folder = f.id AND public = %(public)s {ORDER} LIMIT %(limit)s) p)
FROM f
"""


# the same, as libpq itself is given it (:mod:`.libpq`: $1 the path, $2 public, $3 the limit)
FIRST_SQL_LIBPQ = (
    FIRST_SQL.replace("%(path)s", "$1").replace("%(public)s", "$2").replace("%(limit)s", "$3")
)


# the files a reader's library tells of without reading every file's entry: those with
# problems, and those with no document (skipped, or restricted), with whether they have one
ODD_FILES_SQL = """
SELECT f.entry::text, EXISTS (SELECT FROM documents d
    WHERE d.folder = f.folder AND d.public = f.public AND d.path = f.path)
FROM files f
WHERE f.folder = %s AND f.public = %s AND (
    (jsonb_typeof(f.entry->'problems') = 'array' AND f.entry->'problems' <> '[]'::jsonb)
    OR NOT EXISTS (SELECT FROM documents d
        WHERE d.folder = f.folder AND d.public = f.public AND d.path = f.path))
ORDER BY f.path
"""


class FirstPage(NamedTuple):
    """What the first frame reads: the folder's id, its number of meetings, and the first
    page of its list as a JSON array of rows (``MeetingRow.to_dict``), newest first."""

    folder: int
    total: int
    rows: str


def head_of(first: FirstPage) -> ListHead | None:
    """The meeting list's head from :class:`FirstPage`; None when the list is empty."""
    from ...listing import MeetingRow
    from ..reader import ListHead

    rows = [MeetingRow.from_dict(r) for r in orjson.loads(first.rows)]
    return ListHead(rows, max(first.total, len(rows))) if rows else None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class PgStore:
    """The meetings of the folder ``root`` in the store ``url``, as a user may see them."""

    def __init__(self, url: str, root: Path, public: bool = False, ingest: bool = False) -> None:
        self.url = url
        self.root = Path(root)
        self.public = public
        self.ingest = ingest
        self._conn: psycopg.Connection | None = None
        self._folder: int | None = None
        # one query at a time on the connection: the library's texts are read from the
        # browser's thread, the library from its loading worker
        self._lock = threading.RLock()
        # the list's query running now, and whether :meth:`interrupt` has asked it to stop
        self._guard = threading.Lock()
        self._running = False
        self._stop = False

    # -- the connection -------------------------------------------------------------------

    def _connection(self) -> psycopg.Connection:
        """The store's one connection, shared by the browser's threads under ``_lock`` (a
        browser asks one thing at a time: no pool); made again when the server dropped it,
        and every one made is checked as the first was (:func:`.connect.connect`)."""
        if self._conn is None or self._conn.closed:
            conn = connect(self.url, self.public)
            if not self.ingest:
                reader_settings(conn)
                # each statement its own transaction (as READ COMMITTED gives each its own
                # snapshot anyway): no BEGIN before a reader's first query nor ROLLBACK
                # after, two round trips of a search's five or seven
                conn.autocommit = True
            self._conn = conn
            self._folder = None
        return self._conn

    def close(self) -> None:
        """Close the connection once no thread's query is on it (one that does not end
        within seconds keeps it: the process's end closes it)."""
        if not self._lock.acquire(timeout=5):
            return
        try:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        finally:
            self._lock.release()

    def folder(self) -> int | None:
        """The folder's id in the store: the one ingested from ``root``'s real path, or the
        only folder the store holds; None when there is none to read (nothing ingested)."""
        with self._lock:
            if self._folder is None:
                self._folder = self._find_folder()
            return self._folder

    def _find_folder(self) -> int | None:
        conn = self._connection()
        if not check(conn):
            return None
        from .ingest import folder_key  # the ingest's imports are a reader's cost otherwise

        row = conn.execute(
            "SELECT id FROM folders WHERE path = %s", (folder_key(self.root),)
        ).fetchone()
        if row is None:
            only = conn.execute("SELECT id FROM folders LIMIT 2").fetchall()
            row = only[0] if len(only) == 1 else None
        conn.rollback()
        return int(row[0]) if row else None

    def _query(self, sql: str, *args: object) -> list[tuple]:
        """The rows of ``sql`` for this folder and kind (its first two parameters)."""
        import psycopg

        with self._lock:
            folder = self.folder()
            if folder is None:
                return []
            for again in (False, True):
                conn = self._connection()
                try:
                    return conn.execute(sql, (folder, self.public, *args)).fetchall()
                except psycopg.OperationalError:
                    # a connection the server dropped (restarted, a fail-over): once more on a
                    # new one, made as the first was (``--public``: the role set and checked)
                    if again or not conn.broken:
                        raise
                finally:
                    if not conn.broken:
                        conn.rollback()
            raise AssertionError("unreachable")

    # -- MeetingStore ---------------------------------------------------------------------

    def head(self) -> ListHead | None:
        """The first page of the meeting list (one page read, by the list's index) and the
        number of meetings; None when the store holds none of this folder."""
        try:
            return head_of(self.first())
        except StoreError:
            return None

    def first(self, limit: int = FIRST_PAGE) -> FirstPage:
        """The folder, its number of meetings and the first ``limit`` rows of its list, in one
        round trip (the first frame's one query). Raises :class:`StoreError` when the store
        holds nothing of this folder (or cannot be read)."""
        import psycopg

        with self._lock:
            conn = self._connection()
            try:
                found = conn.execute(
                    FIRST_SQL,
                    {"path": str(self.root.resolve()), "public": self.public, "limit": limit},
                ).fetchone()
            except psycopg.errors.UndefinedTable:
                found = None  # no tables yet: nothing ingested
            except psycopg.Error as exc:
                raise StoreError(f"cannot read the store: {_first_line(exc)}") from exc
            finally:
                if not conn.broken:
                    conn.rollback()
        if found is not None and found[0] is not None and found[0] > latest():
            raise StoreError(f"the store is at schema {found[0]}, newer than this tuibrowser knows")
        if found is None or found[1] is None:
            raise StoreError(
                f"the store holds no meetings of {self.root}: run tuibrowser index DIR --store URL"
            )
        self._folder = int(found[1])
        if found[2] is None:  # no count of the list: no head to show (the loader reads it all)
            return FirstPage(self._folder, 0, "[]")
        return FirstPage(self._folder, int(found[2]), found[3] or "[]")

    def first_quick(self, limit: int = FIRST_PAGE) -> FirstPage | None:
        """:meth:`first` read through libpq itself, without importing psycopg (:mod:`.libpq`),
        on a connection of its own, closed once read; None when that could not be had, or the
        answer is not one to show (nothing of the folder, a newer schema): :meth:`first` then
        reads it, and tells why."""
        from . import libpq

        params = [str(self.root.resolve()), "t" if self.public else "f", str(limit)]
        try:
            found = libpq.first_row(self.url, FIRST_SQL_LIBPQ, params, self.public)
        except Exception:  # noqa: BLE001 - a shortcut only: first() reads it otherwise
            return None
        if found is None or found[0] is None or int(found[0]) > latest() or found[1] is None:
            return None
        with self._lock:
            if self._conn is None:
                self._folder = int(found[1])
        if found[2] is None:
            return FirstPage(int(found[1]), 0, "[]")
        return FirstPage(int(found[1]), int(found[2]), found[3] or "[]")

    def page(self, after: MeetingRow | None, limit: int = FIRST_PAGE) -> list[MeetingRow]:
        """The meetings listed after ``after`` (keyset paging: no OFFSET), newest first."""
        from ...listing import MeetingRow

        if after is None:
            found = self._query(
                f"SELECT row::text FROM meetings WHERE folder = %s AND public = %s {ORDER}"
                " LIMIT %s",
                limit,
            )
        else:
            found = self._query(
                "SELECT row::text FROM meetings WHERE folder = %s AND public = %s"
                " AND (date, time, board, id) < (%s, %s, %s, %s)"
                f" {ORDER} LIMIT %s",
                after.date,
                after.time or "",
                after.board,
                after.id,
                limit,
            )
        return [MeetingRow.from_dict(orjson.loads(r)) for (r,) in found]

    def select(
        self,
        query: str = "",
        column: str = "date",
        reverse: bool = True,
        after: MeetingRow | None = None,
        limit: int = FIRST_PAGE,
    ) -> list[MeetingRow]:
        """A page of the meeting list filtered by ``query`` and sorted by ``column``, in SQL
        (:mod:`.select`): the rows :func:`tuibrowser.listing.select_rows` gives, in its order,
        those after the row ``after`` (keyset), at most ``limit``. Needs PostgreSQL built with
        ICU (:class:`StoreError` otherwise)."""
        from ...listing import MeetingRow
        from .select import select_sql

        sql, params = select_sql(
            query.lower().split(), column, reverse, after.id if after else None
        )
        found = self._list_query(sql, {**params, "limit": limit})
        return [MeetingRow.from_dict(orjson.loads(r)) for (r,) in found]

    def count(self, query: str = "") -> int:
        """How many meetings of the list the filter ``query`` keeps, counted in SQL."""
        from .select import count_sql

        sql, params = count_sql(query.lower().split())
        found = self._list_query(sql, params)
        return int(found[0][0]) if found else 0

    def facts(self) -> ListFacts:
        """The list's boards and marks (:class:`~..protocol.ListFacts`), read in SQL."""
        from ..protocol import ListFacts
        from .select import FACTS_SQL

        found = self._list_query(FACTS_SQL, {}, stoppable=False)
        if not found:
            return ListFacts(frozenset(), False, False, False)
        boards, cancelled, unread, confidential = found[0]
        return ListFacts(frozenset(boards), cancelled, unread, confidential)

    def interrupt(self) -> None:
        """Stop the list's query running now, if any: it raises :class:`Interrupted`. (A
        cancel the server takes after that query ended may stop the next: that one is run
        again, as it was not meant to stop.)"""
        with self._guard:
            self._stop = True
            if self._running and self._conn is not None and not self._conn.closed:
                self._conn.cancel_safe(timeout=2.0)

    def _list_query(
        self, sql: str, params: dict[str, object], stoppable: bool = True
    ) -> list[tuple]:
        """The rows of one of the list's queries for this folder and kind, stopped by
        :meth:`interrupt` (which only a query begun before it heeds) when ``stoppable``."""
        import psycopg

        with self._lock:
            folder = self.folder()
            if folder is None:
                return []
            with self._guard:
                self._stop, self._running = False, True
            try:
                for again in (False, True):
                    conn = self._connection()
                    try:
                        return conn.execute(
                            sql, {**params, "folder": folder, "public": self.public}
                        ).fetchall()
                    except psycopg.errors.QueryCanceled as exc:
                        if (stoppable and self._stop) or again:
                            raise Interrupted("the list's query was stopped") from exc
                    except psycopg.errors.UndefinedObject as exc:  # a server built without ICU
                        raise StoreError(f"the list's filter in SQL: {_first_line(exc)}") from exc
                    finally:
                        if not conn.broken:
                            conn.rollback()
            finally:
                with self._guard:
                    self._running = False
            raise AssertionError("unreachable")

    def rows(self) -> list[MeetingRow] | None:
        """The whole meeting list, newest first, without a document."""
        from ...listing import MeetingRow, newest_first

        found = self._query(
            f"SELECT row::text FROM meetings WHERE folder = %s AND public = %s {ORDER}"
        )
        if not found:
            return None
        return newest_first(MeetingRow.from_dict(orjson.loads(r)) for (r,) in found)

    def update(self, progress: Progress | None = None) -> IndexReport:
        """With ``ingest``: bring the store up to date with the folder. A reader reads what
        the store holds and tells its problems. Raises :class:`.connect.StoreError` when the store cannot be used (never falls back to the files)."""
        if self.ingest:
            from .ingest import ingest

            report = ingest(self.url, self.root, progress)
            self._folder = None
            if not self.public:
                return report
            told = self.report()
            told.read, told.verified, told.removed = report.read, report.verified, report.removed
            told.unchanged, told.written = report.unchanged, report.written
            told.shards_written, told.seconds = report.shards_written, report.seconds
            return told
        return self.report()

    def report(self) -> IndexReport:
        """What the store holds of the folder, as this reader sees it."""
        from ...model import Problem

        if self.folder() is None:
            raise StoreError(
                f"the store holds no meetings of {self.root}: run tuibrowser index DIR --store URL"
            )
        report = IndexReport()
        for p in self._problems():
            report_problem(Problem.from_dict(p), report)
        found = self._query("SELECT count(*) FROM meetings WHERE folder = %s AND public = %s")
        report.meetings = int(found[0][0]) if found else 0
        report.unchanged = self._count_files()
        return report

    def _count_files(self) -> int:
        found = self._query("SELECT count(*) FROM files WHERE folder = %s AND public = %s")
        return int(found[0][0]) if found else 0

    def _problems(self) -> list[dict]:
        """The folder's problems: what its scan could not read, then each file's, by path."""
        out: list[dict] = []
        for (problems,) in self._query(
            "SELECT problems::text FROM folder_state WHERE folder = %s AND public = %s"
        ):
            out.extend(orjson.loads(problems))
        for (entry,) in self._query(
            "SELECT entry::text FROM files WHERE folder = %s AND public = %s ORDER BY path"
        ):
            out.extend(orjson.loads(entry).get("problems") or ())
        return out

    def load(self, texts: bool = True) -> Library | None:
        """The library as the store holds it; without ``texts`` its long texts are read one
        meeting at a time when asked (:meth:`Library.full`)."""
        from ...library import build
        from ...model import Document, Problem
        from ..reader import is_restricted

        try:
            if self.folder() is None:
                return None
            column, table = ("whole", "texts") if texts else ("lean", "documents")
            found = self._query(
                f"SELECT path, {column}::text FROM {table}"
                " WHERE folder = %s AND public = %s ORDER BY path"
            )
            entries = self._query(
                "SELECT entry::text FROM files WHERE folder = %s AND public = %s ORDER BY path"
            )
            scanned = self._query(
                "SELECT problems::text FROM folder_state WHERE folder = %s AND public = %s"
            )
        except StoreError:
            return None
        docs = [Document.from_dict(orjson.loads(d)) for _, d in found]
        have = {path for path, _ in found}
        problems = [Problem.from_dict(p) for (ps,) in scanned for p in orjson.loads(ps)]
        skipped = 0
        for (raw,) in entries:
            e = orjson.loads(raw)
            problems.extend(Problem.from_dict(p) for p in e.get("problems") or ())
            if e["path"] not in have:
                skipped += not is_restricted(e)
        # Not redacted again: the public rows are what the one redaction gave (ingest).
        lib = build(docs, problems, skipped, owned=True)
        if not texts:
            lib.lean = {m.id for m in lib.meetings}
            lib.texts_of = self._texts_of
        return lib

    def rows_of(self, sql: str, *args: object) -> list[tuple]:
        """The rows of ``sql`` for this folder and kind (its first two parameters)."""
        return self._query(sql, *args)

    def on_demand(self) -> Library:
        """The library as the browser reads it (:class:`~tuibrowser.ondemand.OnDemandLibrary`):
        no meeting read yet, each read when it is asked for, what the screens show of the
        whole folder as the store keeps it (:mod:`.views`); with the folder's problems, read
        of the files that have some (or no document). Raises :class:`StoreError` when the
        store holds nothing of the folder."""
        from ...model import Problem
        from ...ondemand import OnDemandLibrary
        from ..reader import is_restricted
        from .views import StoreAnswers

        if self.folder() is None:
            raise StoreError(
                f"the store holds no meetings of {self.root}: run tuibrowser index DIR --store URL"
            )
        scanned = self._query(
            "SELECT problems::text FROM folder_state WHERE folder = %s AND public = %s"
        )
        problems = [Problem.from_dict(p) for (ps,) in scanned for p in orjson.loads(ps)]
        skipped = 0
        for raw, read in self._query(ODD_FILES_SQL):
            e = orjson.loads(raw)
            problems.extend(Problem.from_dict(p) for p in e.get("problems") or ())
            if not read:
                skipped += not is_restricted(e)
        return OnDemandLibrary(StoreAnswers(self), problems, skipped)

    def texts_of(self, meeting: str) -> list[Document]:
        """The documents of one meeting, texts and all (for :meth:`Library.full`)."""
        return self._texts_of(meeting)

    def _texts_of(self, meeting: str) -> list[Document]:
        """The documents of one meeting, texts and all (for :meth:`Library.full`)."""
        from ...library import group_documents
        from ...model import Document

        try:
            found = self._query(
                "SELECT whole::text FROM texts WHERE folder = %s AND public = %s AND date = %s"
                " ORDER BY path",
                meeting[:10],
            )
        except StoreError:
            return []
        docs = [Document.from_dict(orjson.loads(d)) for (d,) in found]
        return group_documents(docs).get(meeting, [])

    def repair(self, progress: Progress | None = None) -> IndexReport | None:
        """None: the store is never set aside (a transaction leaves it whole)."""
        return None

    def search(self, library: Library, query: str, limit: int | None = 200) -> Results:
        """The hits of ``query``, found in the store by PostgreSQL's full-text search
        (:mod:`.search`): the answer :func:`tuibrowser.search.run` gives over the library."""
        return self.search_store(query, limit) or _empty(query)

    def search_store(self, query: str, limit: int | None = 200) -> Results | None:
        """The hits of ``query`` read from the store alone (no library); None when the store
        holds nothing of this folder."""
        from .search import search

        with self._lock:
            folder = self.folder()
            if folder is None:
                return None
            conn = self._connection()
            try:
                return search(conn, folder, query, limit, self.public)
            finally:
                conn.rollback()


def _empty(query: str) -> Results:
    from ...search import Results, parse_query

    return Results(query, parse_query(query), [], 0)
