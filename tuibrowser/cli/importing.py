"""Records from elsewhere made meeting files: ``import`` (ModernGov exports) and ``sync``
(a ModernGov site mirrored)."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ..text import clean
from .common import ENV_MEETINGS, cli, say


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write meeting files to (default: $TUIBROWSER_MEETINGS, else ./meetings).",
)
@click.option("--board", help="The board or committee, for files that do not name it.")
@click.option("--dry-run", is_flag=True, help="Read and report, write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite meeting files that exist (a symbolic link is replaced, never followed).",
)
def import_cmd(
    files: tuple[Path, ...], out_dir: Path | None, board: str | None, dry_run: bool, force: bool
) -> None:
    """Turn ModernGov exports (text minutes, agenda packs, GetMeeting XML) into meeting files.

    One meeting file per document, named YYYY-MM-DD-<board-slug>-<kind>.md. A file that
    exists (or a symbolic link with its name) is left as it is unless --force. Exit 1 if any
    file could not be imported or any document could not be written.
    """
    from ..debuglog import debug_enabled
    from ..importers import SKIPPED, ImportResult, import_file, write_documents
    from ..text import one_line

    def name(p: object) -> str:
        # file names are untrusted: a line break or an ESC is shown escaped, on one line
        return clean(str(p), keep_newlines=False)

    target = out_dir or Path(os.environ.get(ENV_MEETINGS) or "meetings")
    results = []
    for f in files:
        try:
            results.append(import_file(f, board=board))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            if debug_enabled():
                raise  # told by main(), with the details
            results.append(
                ImportResult(str(f), error=f"could not be read ({type(exc).__name__}: {exc})")
            )
    outcomes = write_documents(results, target, force=force, dry_run=dry_run)
    by_result: dict[int, list] = {}
    for result, imported, path, outcome in outcomes:
        by_result.setdefault(id(result), []).append((imported, path, outcome))
    failed = 0
    not_written = 0
    kept = 0
    for result in results:
        if result.error:
            failed += 1
            say(f"{name(result.source)}: error: {one_line(result.error)}", err=True)
            for w in result.warnings:
                say(f"  warning: {one_line(w)}", err=True)
            continue
        say(f"{name(result.source)}: {result.kind}, {len(result.documents)} document(s)")
        for imported, path, outcome in by_result.get(id(result), []):
            doc = imported.document
            counts: dict[str, int] = {}
            for a in doc.attendance:
                counts[a.status] = counts.get(a.status, 0) + 1
            people = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items()) or "none"
            say(
                f"  {doc.date} {one_line(doc.board)} ({imported.kind}"
                + (", cancelled" if doc.cancelled else "")
                + f"): {len(doc.items)} items, attendees: {people}, KPI rows: {len(doc.kpis)}"
            )
            say(f"    {name(path)}: {one_line(outcome)}")
            if outcome in SKIPPED:
                kept += 1
            elif outcome.startswith("not written"):
                not_written += 1
        for w in result.warnings:
            say(f"  warning: {one_line(w)}")
    say(
        f"{len(results)} file(s): {len(results) - failed} imported, {failed} failed"
        + (f"; {not_written} document(s) not written" if not_written else "")
        + (f"; {kept} existing file(s) left as they were" if kept else "")
        + ("; dry run, nothing written" if dry_run else ""),
    )
    sys.exit(1 if failed or not_written else 0)


def _date_option(value: str | None, what: str):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=what) from None


@cli.command("sync")
@click.argument("url")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of meeting files to keep in step with the site (documents go to DIR/documents).",
)
@click.option(
    "--committee",
    "committees",
    multiple=True,
    help="A committee to mirror, by title or id (case-insensitive); repeat for more. "
    "Without it, the site's committees are listed.",
)
@click.option(
    "--from",
    "date_from",
    help="First meeting date, YYYY-MM-DD (default: the 1st of the month a year ago).",
)
@click.option(
    "--to",
    "date_to",
    help="Last meeting date, YYYY-MM-DD (default: the end of the month 3 months ahead).",
)
@click.option(
    "--documents/--no-documents",
    default=True,
    help="Download linked documents (agenda packs, reports, minutes) to DIR/documents.",
)
@click.option("--dry-run", is_flag=True, help="Fetch and report, write nothing.")
@click.option(
    "--rate",
    type=click.FloatRange(min=0.01),
    default=2.0,
    show_default=True,
    help="Requests started per second at most (never more than 4 at once).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for an answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Retries of a request that timed out or got a 5xx or 429, with backoff.",
)
def sync_cmd(
    url: str,
    out_dir: Path,
    committees: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    documents: bool,
    dry_run: bool,
    rate: float,
    timeout: float,
    retries: int,
) -> None:
    """Mirror a council's committees from its ModernGov site (URL: the site's root).

    Asks mgWebService.asmx for the committees, their meetings (GetMeetings, a year at a time)
    and each meeting (GetMeeting), and writes meeting files as `import` does. A second run asks
    only what changed since (conditional requests) and rewrites only what changed; a meeting
    file edited by hand is never overwritten: the new version is written beside it (.new).
    Exit 1 if anything failed.
    """
    from ..text import one_line

    start = _date_option(date_from, "--from")
    end = _date_option(date_to, "--to")
    from urllib.parse import urlsplit

    from ..sync.client import Client, FetchError
    from ..sync.moderngov import site_root
    from ..sync.run import Options, SyncError, default_window, list_committees, sync

    d_start, d_end = default_window()
    start, end = start or d_start, end or d_end
    if start > end:
        raise click.BadParameter("--from is after --to", param_hint="--from")
    try:
        host = urlsplit(site_root(url)).hostname
    except FetchError as exc:
        say(f"tuibrowser sync: error: {one_line(str(exc))}", err=True)
        sys.exit(1)
    with Client(rate=rate, timeout=timeout, retries=retries, host=host) as client:
        try:
            if not committees:
                found = list_committees(client, url)
                for c in sorted(found, key=lambda c: c.title.casefold()):
                    say(
                        f"{c.id:>6}  {one_line(c.title)}"
                        + ("  (expired)" if c.expired else "")
                        + ("  (deleted)" if c.deleted else "")
                    )
                say(f"{len(found)} committee(s); choose with --committee NAME_OR_ID", err=True)
                return
            opts = Options(url, out_dir, list(committees), start, end, documents, dry_run)
            with _sync_progress() as progress:
                report = sync(opts, client, progress)
        except (SyncError, FetchError) as exc:
            say(f"tuibrowser sync: error: {one_line(str(exc))}", err=True)
            sys.exit(1)
    for w in report.warnings:
        say(f"warning: {one_line(w)}", err=True)
    for e in report.errors:
        say(f"error: {one_line(e)}", err=True)
    for name, beside in report.kept:
        say(
            f"kept your edit: {clean(str(out_dir / name), keep_newlines=False)}; the new version "
            f"is beside it: {clean(str(out_dir / beside), keep_newlines=False)}"
        )
    say(f"meetings: {report.meetings}")
    if documents:
        say(f"documents: {report.documents}")
    if dry_run:
        say("dry run: nothing written")
    sys.exit(1 if report.meetings.failed or report.documents.failed else 0)


@contextmanager
def _sync_progress():
    """A rich progress bar on a terminal; plain lines (one per meeting) otherwise."""
    if not sys.stderr.isatty():
        yield lambda line, done, total: say(f"[{done}/{total}] {line}")
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("meetings"), BarColumn(), MofNCompleteColumn(), console=Console(stderr=True)
    ) as bar:
        task = bar.add_task("sync", total=None)

        def update(line: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
