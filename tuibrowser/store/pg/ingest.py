"""``tuibrowser index DIR --store URL``: a meetings folder brought into the store, by content
hash as the cache does (only new and changed files are parsed; a file whose size and mtime
say it changed but whose content did not is verified, not parsed).

Each ingest is ONE transaction under ``pg_advisory_xact_lock`` keyed by the folder: several
ingesters of a folder at once take turns, and an ingest stopped at any point (killed, the
connection lost) leaves the store as it was before it; readers see it before or after, never
between. The half months whose documents changed are written again, full and public
(:mod:`.shardrows`), like the cache's shards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ...base import no_gc, shard_key
from ..report import IndexReport, report_problem, sort_problems
from . import catalogue, stamp
from .connect import StoreError, connect
from .migrate import migrate
from .searchpeople import _TOUCHED, merge_touched
from .shardcopy import COLUMNS, ORDER, ShardJob, ShardLines, shard_copy
from .shardrows import DocRow, document_rows, public_problems
from .viewfill import fill_views
from .views import merge_years

if TYPE_CHECKING:
    import psycopg

    from ..indexer import Progress
    from ..workers import Workers

LOCK_PREFIX = "tuibrowser folder "
Rows = Callable[[], Iterator[DocRow]]
BATCH = 200  # documents parsed, then written together
WINDOW = 16  # half months read, made into rows by the workers, and written together
# ... and at most this many of their documents (unless one half month has more): a window is
# held whole, its documents and their rows, and a half month of a large archive holds
# hundreds of meetings (sixteen of them were 1 GB of the ingest at 100,000 meetings)
WINDOW_DOCUMENTS = 2048
PARALLEL_SHARDS = 4  # fewer half months are made into rows in this process
# files given to the workers at a time: the pool parses a whole slice before it is written,
# never the whole folder (the workers parse quicker than the server writes, and every parsed
# document waiting to be written was held: 100,000 meetings would have held them all)
PARSE_SLICE = 1024


def ingest(url: str, root: Path, progress: Progress | None = None) -> IndexReport:
    """Bring the store ``url`` up to date with the folder ``root``; what was done (its
    problems as an officer sees them). Raises :class:`.connect.StoreError`."""
    import psycopg

    started = time.perf_counter()
    conn = connect(url)
    try:
        migrate(conn)
        # no cyclic collector while the catalogue's entries and documents are made: it would
        # walk every object made so far, again and again (none of them is in a cycle)
        with conn.transaction(), no_gc():
            report = _ingest(conn, Path(root), progress)
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StoreError(f"the store could not be brought up to date: {first}") from exc
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report


def folder_key(root: Path) -> str:
    """The folder as the store keys it: its real path."""
    return str(Path(root).resolve())


def _ingest(conn: psycopg.Connection, root: Path, progress: Progress | None) -> IndexReport:
    from ...scan import scan
    from ..redact import unread_of
    from ..workers import Workers

    key = folder_key(root)
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (LOCK_PREFIX + key,))
    _quick_compression(conn)
    conn.execute("INSERT INTO folders (path) VALUES (%s) ON CONFLICT (path) DO NOTHING", (key,))
    row = conn.execute(
        "SELECT id, failed::text, records FROM folders WHERE path = %s", (key,)
    ).fetchone()
    assert row is not None
    folder, failed_before = int(row[0]), orjson.loads(row[1])
    report = IndexReport()
    report.rebuilt = stamp.outdated(row[2])
    # a folder last ingested before the records' stamp (0007), so perhaps before the screens'
    # parts were kept (0006): its half months lacking one are made of what the store holds
    unstamped = row[2] is None
    if report.rebuilt:  # every file read again, as by the first ingest
        stamp.set_aside(conn, folder)
        failed_before = []
    files, scan_problems = scan(root)
    compared = catalogue.compare(conn, folder, files, report)
    old, new, todo = compared.old, compared.new, compared.todo
    if progress is not None:
        progress(len(files) - len(todo), len(files))
    report.removed = compared.removed
    # the documents of the files read again, removed, or no longer readable go first
    verified = set(report.verified)  # the same content: its documents stay as they are
    stale = [label for label, e in new.items() if e is not old.get(label) and label not in verified]
    # (the dates their meetings were of: those meetings are written again)
    dates = _drop_documents(conn, folder, [*stale, *report.removed, *(lb for _, lb in todo)])
    # each document is written as it is parsed, a batch at a time: none is held after
    batch: dict[str, dict] = {}
    with Workers() as workers:
        for label, entry, doc in _parsed(todo, workers):
            entry["shard"] = shard_key(doc["date"]) if doc else None
            report.read.append(label)
            new[label] = entry
            if doc is not None:
                dates.add(doc["date"])
                batch[label] = doc
                if len(batch) >= BATCH:
                    _write_documents(conn, folder, batch)
            if progress is not None:
                progress(compared.unchanged + len(new), len(files))
    _write_documents(conn, folder, batch)
    report.one_process = workers.fallback
    changed = [label for label in new if new[label] is not old.get(label)]
    redone = [label for label in changed if label not in verified]
    dirty = {new[label].get("shard") for label in redone}
    dirty |= {old[label].get("shard") for label in redone + report.removed if label in old}
    scanned = [p.to_dict() for p in scan_problems]
    failed = sorted(unread_of(new, scanned))
    shards = {k for k in dirty if k}
    public_shards = shards
    if failed != failed_before:  # every half month (the unchanged files' are not in ``new``)
        every = {e.get("shard") for e in new.values()} | dirty
        every |= catalogue.catalogue_shards(conn, folder)
        public_shards = {k for k in every if k}
    _write_files(conn, folder, new, changed, report.removed)
    # a folder ingested before whose failed files are the same: only the meetings of the
    # dates changed are written again (and the people of their half months)
    only = dates if compared.known and failed == failed_before else None
    counted = _counts(conn, folder, shards, public_shards)
    views_before = _views_of(conn, folder, shards, public_shards)
    _write_shards(conn, folder, shards, public_shards, failed, only)
    meetings = _counted_again(conn, folder, shards, public_shards, counted)
    moved = _views_moved(conn, folder, views_before, shards, public_shards)
    with conn.cursor() as cur:
        merge_touched(cur, folder)
        full, public = moved
        if unstamped:  # a store ingested before its parts were kept may lack some
            filled, filled_public = fill_views(cur, folder)
            full, public = full | filled, public | filled_public
        merge_years(cur, folder, full, public)
    _write_unshared(conn, folder, new, changed, report.removed, failed != failed_before)
    conn.execute(
        "UPDATE folders SET failed = %s::jsonb WHERE id = %s",
        (orjson.dumps(failed).decode(), folder),
    )
    _write_folder_state(conn, folder, scan_problems, meetings)
    stamp.stamp(conn, folder)
    for p in scan_problems:
        report_problem(p, report)
    for entry in new.values():
        sort_problems(entry, report)
    report.read = sorted(set(report.read))
    report.written = bool(changed or report.removed or failed != failed_before)
    report.shards_written = len(shards | public_shards)
    report.meetings = _meetings(conn, folder, False) if meetings is None else meetings[False]
    return report


# what the half months' views hold (a digest), of some half months of one kind
_VIEWS = (
    "SELECT shard, md5(views::text) FROM shard_views WHERE folder = %s AND public = %s"
    " AND shard = ANY(%s)"
)
Views = dict[tuple[bool, str], str]


def _views_of(conn: psycopg.Connection, folder: int, full: set[str], public: set[str]) -> Views:
    """What the views of the half months ``full`` (the officer's) and ``public`` hold."""
    found: Views = {}
    for kind, shards in ((False, full), (True, public)):
        if shards:
            for shard, digest in conn.execute(_VIEWS, (folder, kind, sorted(shards))):
                found[(kind, shard)] = digest
    return found


def _views_moved(
    conn: psycopg.Connection, folder: int, before: Views, full: set[str], public: set[str]
) -> tuple[set[str], set[str]]:
    """The half months written again whose views are not what they were (officer's, public):
    only their years are merged again (a year's merge reads every half month of it, and an
    edit of a meeting's text leaves its half month's figures, topics and ratings as they
    were); and those of a year that keeps no merged views."""
    after = _views_of(conn, folder, full, public)
    moved = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    out: tuple[set[str], set[str]] = (set(), set())
    for kind, shards in ((False, full), (True, public)):
        years = sorted({s[:4] for s in shards})
        kept = {
            y for (y,) in conn.execute(_YEARS_KEPT, (folder, kind, years))
        } if years else set()  # fmt: skip
        out[kind].update(s for s in shards if (kind, s) in moved or s[:4] not in kept)
    return out


_YEARS_KEPT = "SELECT year FROM year_views WHERE folder = %s AND public = %s AND year = ANY(%s)"


# the meetings of some half months of one kind, by the index of their half months
_COUNT = "SELECT count(*) FROM meetings WHERE folder = %s AND public = %s AND shard = ANY(%s)"
Counts = dict[bool, int]


def _counts(
    conn: psycopg.Connection, folder: int, full: set[str], public: set[str]
) -> tuple[Counts, Counts] | None:
    """How many meetings the folder's list holds, of each kind (as its state says), and how
    many of them are of the half months about to be written again (``full``: the officer's,
    ``public``); None when the folder has no state yet (its first ingest)."""
    found = conn.execute(
        "SELECT public, meetings FROM folder_state WHERE folder = %s", (folder,)
    ).fetchall()
    total = {bool(kind): int(n) for kind, n in found}
    if len(total) != 2:
        return None
    return total, _of_shards(conn, folder, full, public)


def _of_shards(conn: psycopg.Connection, folder: int, full: set[str], public: set[str]) -> Counts:
    counts: Counts = {}
    for kind, shards in ((False, full), (True, public)):
        found = conn.execute(_COUNT, (folder, kind, sorted(shards))).fetchone() if shards else None
        counts[kind] = int(found[0]) if found else 0
    return counts


def _counted_again(
    conn: psycopg.Connection,
    folder: int,
    full: set[str],
    public: set[str],
    counted: tuple[Counts, Counts] | None,
) -> Counts | None:
    """How many meetings the folder's list holds of each kind now its half months ``full`` and
    ``public`` are written again: counted in those alone (not in the whole list, a scan of
    every meeting at each re-ingest); None when the folder had no state."""
    if counted is None:
        return None
    total, before = counted
    after = _of_shards(conn, folder, full, public)
    return {kind: total[kind] - before[kind] + after[kind] for kind in (False, True)}


def _meetings(conn: psycopg.Connection, folder: int, public: bool) -> int:
    found = conn.execute(
        "SELECT count(*) FROM meetings WHERE folder = %s AND public = %s", (folder, public)
    ).fetchone()
    return int(found[0]) if found else 0


def _parsed(
    todo: list[tuple[str, str]], workers: Workers
) -> Iterator[tuple[str, dict, dict | None]]:
    """:func:`..indexer.parse_files` of ``todo``, :data:`PARSE_SLICE` files at a time."""
    from ..indexer import parse_files

    for at in range(0, len(todo), PARSE_SLICE):
        yield from parse_files(todo[at : at + PARSE_SLICE], workers)


def _quick_compression(conn: psycopg.Connection) -> None:
    """Long values written by this ingest compressed with lz4 when the server has it (several
    times quicker than its default, pglz, which took a third of the server's time)."""
    found = conn.execute(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    ).fetchone()
    if found and found[0]:
        conn.execute("SET LOCAL default_toast_compression = 'lz4'")


def _drop_documents(conn: psycopg.Connection, folder: int, labels: list[str]) -> set[str]:
    """The officer's documents of ``labels`` deleted (their files read again, or gone); the
    dates they were of."""
    dates: set[str] = set()
    for table in ("documents", "texts"):
        found = conn.execute(
            f"DELETE FROM {table} WHERE folder = %s AND NOT public AND path = ANY(%s)"
            " RETURNING date",
            (folder, sorted(set(labels))),
        )
        dates |= {d for (d,) in found.fetchall()}
    return dates


def _write_documents(conn: psycopg.Connection, folder: int, batch: dict[str, dict]) -> None:
    """The officer's documents of ``batch`` written (and the batch emptied)."""
    if batch:
        with conn.cursor() as cur:
            _copy_documents(cur, folder, False, lambda: document_rows(batch))
        batch.clear()


def _write_files(
    conn: psycopg.Connection,
    folder: int,
    new: dict[str, dict],
    changed: list[str],
    removed: list[str],
) -> None:
    """The officer's catalogue rows of the files changed, and of those removed (gone)."""
    conn.execute(
        "DELETE FROM files WHERE folder = %s AND NOT public AND path = ANY(%s)",
        (folder, sorted(set(changed) | set(removed))),
    )
    with conn.cursor() as cur:
        with cur.copy(
            "COPY files (folder, path, public, size, mtime_ns, sha256, shard, entry, seen)"
            " FROM STDIN"
        ) as copy:
            for label in changed:
                e = new[label]
                copy.write_row(
                    (folder, label, False, e.get("size"), e.get("mtime_ns"), e.get("sha256"),
                     e.get("shard"), _json(e), catalogue.seen_of(e))
                )  # fmt: skip


def _write_shards(
    conn: psycopg.Connection,
    folder: int,
    dirty: set[str],
    redo_public: set[str],
    failed: list[str],
    dates: set[str] | None = None,
) -> None:
    """The meeting list of each changed half month, and its public rows (of every half month
    when the files that failed changed: they withhold items by date), from the officer's
    documents as this transaction holds them; with ``dates``, only the meetings of those dates
    (every half month's people are made again). The rows are made in the worker processes
    (:mod:`.shardcopy`), a window of half months at a time, while this process streams the
    lines of the ones done to the server."""
    from ..workers import Workers

    shards = sorted(dirty | redo_public)
    with Workers() as workers, conn.cursor() as cur:
        for window in _windows(cur, folder, shards):
            full = [s for s in window if s in dirty]
            public = [s for s in window if s in redo_public]
            jobs = _shard_jobs(cur, folder, window, set(full), set(public), failed, dates)
            _clear_shards(cur, folder, full, public, dates)
            parallel = len(shards) >= PARALLEL_SHARDS
            for lines in workers.map(shard_copy, jobs, parallel):
                _drop_parts(cur, folder, lines)
                for table in ORDER:
                    if table in lines.tables:
                        with cur.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                            copy.write(lines.tables[table])


def _windows(cur: psycopg.Cursor, folder: int, shards: list[str]) -> Iterator[list[str]]:
    """``shards`` in order, a window at a time: at most :data:`WINDOW` half months, and no
    more than :data:`WINDOW_DOCUMENTS` documents (a half month with more has a window of its
    own)."""
    if len(shards) <= 1:
        yield from ([shards] if shards else [])
        return
    cur.execute(
        "SELECT shard, count(*) FROM documents WHERE folder = %s AND NOT public"
        " AND shard = ANY(%s) GROUP BY shard",
        (folder, shards),
    )
    sizes: dict[str, int] = {shard: int(n) for shard, n in cur.fetchall()}
    window: list[str] = []
    held = 0
    for shard in shards:
        size = sizes.get(shard, 0)
        if window and (len(window) >= WINDOW or held + size > WINDOW_DOCUMENTS):
            yield window
            window, held = [], 0
        window.append(shard)
        held += size
    yield window


# the officer's catalogue rows of some half months, by the index of their half months
# (``files_shard``, migration 0007: before it, a scan of every row of the folder)
SHARD_ENTRIES = (
    "SELECT shard, path, entry::text FROM files WHERE folder = %s AND NOT public"
    " AND shard = ANY(%s)"
)


def _shard_jobs(
    cur: psycopg.Cursor,
    folder: int,
    window: list[str],
    full: set[str],
    public: set[str],
    failed: list[str],
    dates: set[str] | None,
) -> list[ShardJob]:
    """What the workers are given of each shard of ``window``: its officer's documents and
    catalogue rows (and with ``dates``, the public documents of the other dates), read in a
    few queries."""
    jobs = {s: ShardJob(folder, s, {}, {}, failed, s in full, s in public, dates) for s in window}
    cur.execute(
        "SELECT d.shard, t.path, t.whole::text FROM texts t JOIN documents d"
        " ON d.folder = t.folder AND d.public = t.public AND d.path = t.path"
        " WHERE t.folder = %s AND NOT t.public AND d.shard = ANY(%s)",
        (folder, window),
    )
    for shard, path, whole in cur:
        jobs[shard].docs[path] = whole.encode()
    cur.execute(SHARD_ENTRIES, (folder, sorted(public)))
    for shard, path, entry in cur:
        jobs[shard].entries[path] = entry.encode()
    if dates is not None:
        cur.execute(
            "SELECT d.shard, t.path, t.whole::text FROM texts t JOIN documents d"
            " ON d.folder = t.folder AND d.public = t.public AND d.path = t.path"
            " WHERE t.folder = %s AND t.public AND d.shard = ANY(%s) AND NOT d.date = ANY(%s)",
            (folder, sorted(public), sorted(dates)),
        )
        for shard, path, whole in cur:
            jobs[shard].shown[path] = whole.encode()
    cur.execute(
        "SELECT shard, public, key, part::text FROM search_person_parts"
        " WHERE folder = %s AND shard = ANY(%s)",
        (folder, window),
    )
    for shard, kind, key, part in cur:
        jobs[shard].parts[(kind, key)] = part
    return list(jobs.values())


def _drop_parts(cur: psycopg.Cursor, folder: int, lines: ShardLines) -> None:
    """The parts of the people whose part of the shard changed (or is gone) deleted, and
    those people noted, for :func:`.searchpeople.merge_touched` (the others stay merged)."""
    if not lines.people:
        return
    cur.execute(_TOUCHED)
    for public in (False, True):
        keys = [key for kind, key in lines.people if kind == public]
        if not keys:
            continue
        cur.execute(
            "DELETE FROM search_person_parts WHERE folder = %s AND public = %s AND shard = %s"
            " AND key = ANY(%s)",
            (folder, public, lines.shard, keys),
        )
        cur.execute(
            "INSERT INTO search_people_touched SELECT %s, %s, unnest(%s::text[])"
            " ON CONFLICT DO NOTHING",
            (folder, public, keys),
        )


def _clear_shards(
    cur: psycopg.Cursor, folder: int, full: list[str], public: list[str], dates: set[str] | None
) -> None:
    """The rows of the shards about to be written again deleted: the officer's meeting list
    (with its search rows) of ``full``, everything public of ``public``; with ``dates``, of the
    meetings of those dates alone. (The people's parts are replaced one by one, those that
    changed: :func:`_drop_parts`.)"""
    # every date (a date is never NULL), or those given
    when = "AND date = ANY(%s)" if dates is not None else "AND date IS NOT NULL"
    on = [sorted(dates)] if dates is not None else []
    for is_public, shards in ((False, full), (True, public)):
        if not shards:
            continue
        args = (folder, is_public, shards)
        cur.execute(
            "DELETE FROM search_units WHERE folder = %s AND public = %s AND meeting_id IN"
            " (SELECT id FROM meetings WHERE folder = %s AND public = %s AND shard = ANY(%s)"
            f" {when})",
            (folder, is_public, *args, *on),
        )
        cur.execute(
            f"DELETE FROM meetings WHERE folder = %s AND public = %s AND shard = ANY(%s) {when}",
            (*args, *on),
        )
        # the screens' parts are of the whole shard: made again whole
        cur.execute(
            "DELETE FROM shard_views WHERE folder = %s AND public = %s AND shard = ANY(%s)", args
        )
    if public:
        for table in ("texts", "files"):
            cur.execute(
                f"DELETE FROM {table} WHERE folder = %s AND public AND path IN"
                " (SELECT path FROM documents WHERE folder = %s AND public AND shard = ANY(%s)"
                f" {when})",
                (folder, folder, public, *on),
            )
        cur.execute(
            f"DELETE FROM documents WHERE folder = %s AND public AND shard = ANY(%s) {when}",
            (folder, public, *on),
        )


# The public catalogue rows of the files gone (the officer's rows deleted with them): found by
# their paths, as many rows as files removed (an anti-join with the officer's rows read both
# catalogues whole at each re-ingest; NOT IN over a subquery was worse, quadratic once it
# outgrew work_mem: minutes of the server at 120,000 files)
UNSHARED_GONE = "DELETE FROM files WHERE folder = %s AND public AND path = ANY(%s)"


def _write_unshared(
    conn: psycopg.Connection,
    folder: int,
    new: dict[str, dict],
    changed: list[str],
    removed: list[str],
    everything: bool,
) -> None:
    """The public catalogue rows of files with no document (their problems told without
    text), and of removed files (gone)."""
    from ...model import Problem

    if removed:
        conn.execute(UNSHARED_GONE, (folder, removed))
    labels = [label for label in (new if everything else changed) if not new[label].get("shard")]
    if not labels:
        return
    conn.execute(
        "DELETE FROM files WHERE folder = %s AND public AND path = ANY(%s)", (folder, labels)
    )
    with conn.cursor() as cur:
        with cur.copy(
            "COPY files (folder, path, public, size, mtime_ns, sha256, shard, entry) FROM STDIN"
        ) as copy:
            for label in labels:
                e = new[label]
                told = public_problems([Problem.from_dict(p) for p in e.get("problems") or ()])
                copy.write_row(
                    (folder, label, True, e.get("size"), e.get("mtime_ns"), e.get("sha256"),
                     None, _json(dict(e, problems=told)))
                )  # fmt: skip


def _copy_documents(cur: psycopg.Cursor, folder: int, public: bool, rows: Rows) -> None:
    """The documents lean and whole (``rows``: made again for each table, one at a time, so
    an ingest of every file never holds them all)."""
    with cur.copy("COPY documents (folder, path, public, shard, date, lean) FROM STDIN") as copy:
        for d in rows():
            copy.write_row((folder, d.path, public, shard_key(d.date), d.date, d.lean.decode()))
    with cur.copy("COPY texts (folder, path, public, date, whole) FROM STDIN") as copy:
        for d in rows():
            copy.write_row((folder, d.path, public, d.date, d.whole.decode()))


def _write_folder_state(
    conn: psycopg.Connection, folder: int, problems: list, meetings: Counts | None
) -> None:
    """What the scan could not read: as an officer is told, and as public tells it; and how
    many meetings each list holds (``meetings``, or counted when None)."""
    from ..redact import FAILED, withhold_unread

    public = withhold_unread([p for p in problems if p.severity in FAILED])
    conn.execute("DELETE FROM folder_state WHERE folder = %s", (folder,))
    for is_public, found in ((False, problems), (True, public)):
        n = _meetings(conn, folder, is_public) if meetings is None else meetings[is_public]
        conn.execute(
            "INSERT INTO folder_state (folder, public, problems, meetings)"
            " VALUES (%s, %s, %s::jsonb, %s)",
            (folder, is_public, _json([p.to_dict() for p in found]), n),
        )


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()
