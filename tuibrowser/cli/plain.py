"""What the commands share that needs no click: a line of output, the end on SIGTERM and
SIGHUP, the refresh of a cache with its progress bar and warnings, and its report.

Apart from :mod:`.common` so that ``tuibrowser index DIR`` and ``tuibrowser DIR`` in their
plain forms (:mod:`.fast`) run without importing click (a tenth of a one-file refresh, as
many instructions as the rest of its imports). click is imported here only to draw a
progress bar on a terminal, or to write on a stream whose encoding is ASCII.
"""

from __future__ import annotations

import codecs
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..text import clean

if TYPE_CHECKING:
    from ..search import Results
    from ..store import IndexReport, MeetingStore
    from ..tui.app import FirstFrame


def say(text: str = "", err: bool = False) -> None:
    """Print one line: a control character (a line break in a file name) shows escaped, so no
    text from a file can fake another line of output."""
    line = clean(text, keep_newlines=False)
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return  # (no stream to write to: as click.echo does)
    if _ascii(stream):
        import click  # click writes UTF-8 where a stream says ASCII

        click.echo(line, err=err)
        return
    # as click.echo writes on a stream of another encoding: the line, then a flush (the line
    # holds no escape sequence for it to strip: ``clean`` shows ESC escaped)
    stream.write(line + "\n")
    stream.flush()


def _ascii(stream: object) -> bool:
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    except LookupError:
        return False


@contextmanager
def progress_bar(root: Path, wanted: bool = True):
    """A callback that moves a progress bar on a terminal when there are many files, or None."""
    if not wanted or not sys.stderr.isatty():
        yield None
        return
    from ..scan import scan

    files, _ = scan(root)
    if len(files) <= 200:
        yield None
        return
    import click

    with click.progressbar(length=len(files), label="Indexing", file=sys.stderr) as bar:
        yield lambda done, total: bar.update(max(0, done - bar.pos))


@contextmanager
def ended_by_signals():
    """SIGTERM and SIGHUP (a dropped SSH session) end the command as an exception does: the
    pool of a cold index is stopped, the cache lock and temporary files are let go, and the
    exit status is 128 + the signal's number."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def end(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    old = {sig: signal.signal(sig, end) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def warn_one_process(report) -> None:
    """Say so on stderr when a cold index could not share its work out to processes."""
    if report.one_process:
        say(f"note: indexed in one process ({report.one_process})", err=True)


def warn_slow_yaml(files_read: int) -> None:
    """Say so on stderr when files were parsed without PyYAML's C loader."""
    if files_read:
        from ..yamlsafe import slow_loader_warning

        note = slow_loader_warning()
        if note:
            say(f"warning: {note}", err=True)


def cache_hits(
    root: Path, cache_path: str | None, public: bool, query: str, limit: int
) -> Results | None:
    """``search``'s hits read from the cache's files, after its refresh, without loading the
    library (what was said of the refresh is said as the commands say it); None when the cache
    cannot answer (it could not be used, or what it holds cannot be read): then the library
    is loaded (by the command, through click)."""
    from ..store.cache import Cache
    from ..store.report import CacheUnavailable

    cache = Cache(root, Path(cache_path) if cache_path else None, public=public)
    try:
        with ended_by_signals():
            report = cache.update()
    except CacheUnavailable:
        return None
    results = cache.search_files(query, limit)
    if results is None:
        return None
    if report.note:
        say(f"warning: {report.note}", err=True)
    warn_one_process(report)
    warn_slow_yaml(len(report.read))
    for p in report.skipped:
        say(f"skipped {p}", err=True)
    return results


def update_cache(cache: MeetingStore) -> IndexReport:
    """Refresh ``cache`` without building the library (a progress bar when it runs long); the
    files are read instead when it cannot be used now (:func:`tuibrowser.store.update_store`)."""
    from ..store import update_store

    with ended_by_signals(), progress_bar(cache.root) as callback:
        report = update_store(cache, callback)
    if report.note:
        say(f"warning: {report.note}", err=True)
    warn_one_process(report)
    warn_slow_yaml(len(report.read))
    return report


def index_cache(root: Path, cache_path: str | None, public: bool, clear: bool, where: bool):
    """``index DIR`` on the cache: where it is (``where``), cleared first (``clear``), then
    brought up to date with the files, and what was done said."""
    from ..store import Cache

    cache = Cache(root, Path(cache_path) if cache_path else None, public=public)
    if where:
        say(str(cache.path))
        return
    if clear and cache.clear():
        say(f"cleared {cache.path}")
    report = update_cache(cache)
    say_report(report)
    if report.unused:
        say(clean(f"cache not used: {report.unused}"))
    else:
        say(f"cache: {cache.path}")


def say_report(report: IndexReport) -> None:
    """What an index did: the counts on one line, then each file read, removed, skipped or
    left out."""
    say(
        f"{report.files} files: {len(report.read)} read, {report.unchanged} unchanged"
        + (f" ({len(report.verified)} re-checked by content)" if report.verified else "")
        + f", {len(report.removed)} removed, {len({p.path for p in report.skipped})} skipped"
        + f" — {report.meetings} meetings in {report.seconds:.2f}s"
    )
    for path in report.read:
        say(clean(f"  read      {path}", keep_newlines=False))
    for path in report.removed:
        say(clean(f"  removed   {path}", keep_newlines=False))
    for p in report.skipped:
        say(clean(f"  skipped   {p}", keep_newlines=False))
    for p in report.restricted:
        say(clean(f"  left out  {p}", keep_newlines=False))


@contextmanager
def store_errors() -> Iterator[None]:
    """A store that cannot be used stops the command with its one line (no traceback, no
    password), exit status 2."""
    from ..store.pg.connect import StoreError

    try:
        yield
    except StoreError as exc:
        say(f"tuibrowser: error: {exc}", err=True)
        raise SystemExit(2) from None


def index_store(url: str, root: Path, public: bool) -> None:
    """``index DIR --store URL``: bring the shared store up to date with the folder, and say
    what was done."""
    from ..store import open_store
    from ..store.pg.connect import shown

    store = open_store(root, public=public, store_url=url, ingest=True)
    with store_errors():
        report = update_cache(store)
    say_report(report)
    say(f"store: {shown(url)}")


def early_first_page(url: str, root: Path, public: bool) -> Callable[[], FirstFrame]:
    """Start reading the store's first page beside Textual's import (:mod:`.store.pg.early`);
    the callable waits for it (the store, and the page), and stops the command with one line
    before the browser starts when the store cannot be read (not reached, ``--public``
    refused, nothing ingested for the folder)."""
    from ..store.pg.early import EarlyHead

    early = EarlyHead(url, root, public).start()

    def wait() -> FirstFrame:
        with store_errors():
            return early.store, early.result()

    return wait
