"""The command line: ``tuibrowser [DIR]`` opens the browser; subcommands share the same core.

Textual is imported only by the command that starts the browser, so ``check``, ``index``,
``export`` and friends start fast.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path

import click

from .text import clean, json_safe, shown_path

ENV_MEETINGS = "TUIBROWSER_MEETINGS"
ENV_PUBLIC = "TUIBROWSER_PUBLIC"


def bundled_meetings() -> Path | None:
    """The meetings shipped with the package (installed under share/, or beside the source)."""
    candidates = [
        Path(sys.prefix) / "share" / "tuibrowser" / "meetings",
        Path(__file__).resolve().parent.parent / "meetings",
    ]
    for c in candidates:
        if c.is_dir():
            return c
    return None


def resolve_dir(directory: str | None) -> Path:
    if directory:
        return Path(directory)
    env = os.environ.get(ENV_MEETINGS)
    if env:
        return Path(env)
    here = Path("meetings")
    if here.is_dir():
        return here
    bundled = bundled_meetings()
    if bundled is not None:
        return bundled
    raise click.UsageError(
        "no meetings folder: give one, set TUIBROWSER_MEETINGS, or run in a folder with meetings/"
    )


def env_public() -> bool:
    return os.environ.get(ENV_PUBLIC, "").strip().lower() in ("1", "true", "yes", "on")


def say(text: str = "", err: bool = False) -> None:
    """Print one line: a control character (a line break in a file name) shows escaped, so no
    text from a file can fake another line of output."""
    click.echo(clean(text, keep_newlines=False), err=err)


def _dir_argument(f):
    return click.argument("directory", required=False, type=click.Path(file_okay=False))(f)


def _cache_options(f):
    f = click.option(
        "--cache",
        "cache_path",
        type=click.Path(dir_okay=False),
        help="Use this cache file instead of the per-user one.",
    )(f)
    f = click.option(
        "--no-cache", is_flag=True, help="Read every file; do not read or write the cache."
    )(f)
    f = click.option(
        "--public",
        is_flag=True,
        default=None,
        help="Leave confidential items out (also TUIBROWSER_PUBLIC=1).",
    )(f)
    return f


@contextmanager
def progress_bar(root: Path, wanted: bool = True):
    """A callback that moves a progress bar on a terminal when there are many files, or None."""
    if not wanted or not sys.stderr.isatty():
        yield None
        return
    from .scan import scan

    files, _ = scan(root)
    if len(files) <= 200:
        yield None
        return
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


def load(
    directory: str | None,
    cache_path: str | None,
    no_cache: bool,
    public: bool | None,
    progress: bool = False,
):
    from .store import open_library

    root = resolve_dir(directory)
    if not root.is_dir():
        raise click.UsageError(f"not a folder: {shown_path(root)}")
    with ended_by_signals(), progress_bar(root, progress) as callback:
        lib, report = open_library(
            root,
            Path(cache_path) if cache_path else None,
            use_cache=not no_cache,
            public=env_public() if public is None else public,
            progress=callback,
        )
    if report.note:
        say(f"warning: {report.note}", err=True)
    warn_one_process(report)
    warn_slow_yaml(len(report.read))
    return root, lib, report


def warn_one_process(report) -> None:
    """Say so on stderr when a cold index could not share its work out to processes."""
    if report.one_process:
        say(f"note: indexed in one process ({report.one_process})", err=True)


def warn_slow_yaml(files_read: int) -> None:
    """Say so on stderr when files were parsed without PyYAML's C loader."""
    if files_read:
        from .yamlsafe import slow_loader_warning

        note = slow_loader_warning()
        if note:
            say(f"warning: {note}", err=True)


def update_cache(cache):
    """Refresh ``cache`` without building the library (a progress bar when it runs long)."""
    from .store import CacheUnavailable, open_library

    with ended_by_signals(), progress_bar(cache.root) as callback:
        try:
            report = cache.update(callback)
        except CacheUnavailable as exc:
            _, report = open_library(cache.root, use_cache=False, public=cache.public)
            report.unused = str(exc)
    if report.note:
        say(f"warning: {report.note}", err=True)
    warn_one_process(report)
    warn_slow_yaml(len(report.read))
    return report


class DefaultGroup(click.Group):
    """A group whose default command (``open``) runs when the first word is not a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (
            args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")
        ):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tuibrowser")
def cli() -> None:
    """Browse the records of boards and committees: meetings, items, decisions, people and KPIs.

    Run without a command to open the browser on DIRECTORY (default: $TUIBROWSER_MEETINGS,
    else ./meetings, else the bundled meetings).
    """


@cli.command("open")
@_dir_argument
@_cache_options
def open_cmd(
    directory: str | None, cache_path: str | None, no_cache: bool, public: bool | None
) -> None:
    """Open the browser (the default command)."""
    root = resolve_dir(directory)
    if not root.is_dir():
        raise click.UsageError(f"not a folder: {shown_path(root)}")
    from .tui.app import run  # Textual is imported only here

    run(
        root,
        cache_path=Path(cache_path) if cache_path else None,
        use_cache=not no_cache,
        public=env_public() if public is None else public,
    )


@cli.command()
@_dir_argument
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(directory: str | None, strict: bool) -> None:
    """Check every meeting file and list each problem with file and line. Exit 1 on errors."""
    from .library import build
    from .longtexts import long_text_problems
    from .records import read_folder

    root = resolve_dir(directory)
    if not root.is_dir():
        raise click.UsageError(f"not a folder: {shown_path(root)}")
    parsed, scan_problems = read_folder(root)
    warn_slow_yaml(len(parsed))
    problems = list(scan_problems) + [p for x in parsed for p in x.problems]
    # build() adds the problems of the merge (two minutes files for one meeting).
    lib = build([p.document for p in parsed if p.document is not None], problems)
    items = (it for m in lib.meetings for it in m.items)
    problems = lib.problems + long_text_problems(items)  # what the browser would cut
    for p in sorted(problems, key=lambda p: (p.path, p.line or 0)):
        say(clean(str(p), keep_newlines=False))  # a file name cannot fake another line
    # A file the user may not read is someone else's, not an error in the records.
    restricted = sum(1 for p in problems if p.severity == "restricted")
    errors = sum(
        1 for p in problems if p.severity == "error" or (strict and p.severity == "warning")
    )
    warnings = sum(1 for p in problems if p.severity == "warning") if not strict else 0
    bad_files = sum(
        1 for x in parsed if x.document is None and any(p.severity == "error" for p in x.problems)
    )
    say(
        f"{len(parsed)} files, {len(lib.meetings)} meetings: "
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
        + (f", {restricted} restricted" if restricted else "")
        + (f"; {bad_files} file{'s' if bad_files != 1 else ''} skipped" if bad_files else "")
    )
    sys.exit(1 if errors else 0)


@cli.command()
@_dir_argument
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False), help="Use this cache file.")
@click.option(
    "--public", is_flag=True, default=None, help="Index for public use (no confidential items)."
)
@click.option("--clear", is_flag=True, help="Delete the cache first, then rebuild it.")
@click.option("--where", is_flag=True, help="Print where the cache file is and exit.")
def index(
    directory: str | None, cache_path: str | None, public: bool | None, clear: bool, where: bool
) -> None:
    """Refresh the cache: re-read new and changed files, drop deleted ones, and say what was done."""
    from .store import Cache

    root = resolve_dir(directory)
    if not root.is_dir():
        raise click.UsageError(f"not a folder: {shown_path(root)}")
    pub = env_public() if public is None else public
    cache = Cache(root, Path(cache_path) if cache_path else None, public=pub)
    if where:
        say(str(cache.path))
        return
    if clear and cache.clear():
        say(f"cleared {cache.path}")
    report = update_cache(cache)
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
    if report.unused:
        say(clean(f"cache not used: {report.unused}"))
    else:
        say(f"cache: {cache.path}")


@cli.command()
@_dir_argument
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "ics"]), default="json", show_default=True
)
@click.option(
    "--table",
    type=click.Choice(["meetings", "items", "attendance", "kpis", "decisions", "actions"]),
    default="meetings",
    show_default=True,
    help="Which table, for CSV.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to this file instead of standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option(
    "--raw",
    is_flag=True,
    help="CSV: write cells that start with = + - @ as they are (else a ' keeps them text).",
)
@_cache_options
def export(directory, fmt, table, output, force, raw, cache_path, no_cache, public) -> None:
    """Export meetings as JSON (schema in docs/format.md), CSV tables or iCalendar."""
    from . import export as ex

    _, lib, report = load(directory, cache_path, no_cache, public)
    write = {
        "json": ex.to_json,
        "csv": lambda lib: ex.to_csv(lib, table, raw),
        "ics": ex.to_ics,
    }[fmt]
    text, failed = ex.each_meeting(write, lib)
    for p in report.skipped:
        say(clean(f"skipped {p}", keep_newlines=False), err=True)
    for m in failed:
        say(clean(f"skipped meeting {m}", keep_newlines=False), err=True)
    for p in ex.left_out(report.warnings):
        say(clean(str(p), keep_newlines=False), err=True)
    for p in report.restricted:
        say(clean(f"left out {p}", keep_newlines=False), err=True)
    if output:
        write_output(Path(output), text, force)
        say(f"wrote {len(lib.meetings) - len(failed)} meetings to {output}", err=True)
    else:
        click.echo(text, nl=False)


def write_output(out: Path, text: str, force: bool) -> None:
    """Write an export to ``out`` atomically, never through a symbolic link (with ``--force``
    a link is replaced, its target left alone) and over nothing but a regular file."""
    from .writer import NotWritten, write_file

    try:
        write_file(out, text, force)
    except NotWritten as exc:
        raise click.ClickException(f"{shown_path(str(out))} not written: {exc}") from None
    except OSError as exc:
        why = exc.strerror or exc
        raise click.ClickException(f"{shown_path(str(out))} not written: {why}") from None


@cli.command("search")
@click.argument("query")
@_dir_argument
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most N hits."
)
@_cache_options
def search_cmd(query, directory, as_json, limit, cache_path, no_cache, public) -> None:
    """Find QUERY in items, decisions, actions, people and KPIs; exit 1 when nothing matches.

    Every word must match (at the start of a word, any case); put a phrase in quotes:
    tuibrowser search '"local government" oflog'.
    """
    import json

    from .search import group_hits, run

    _, lib, report = load(directory, cache_path, no_cache, public)
    for p in report.skipped:
        say(f"skipped {p}", err=True)
    results = run(lib, query, limit=limit)
    if as_json:
        payload = {
            "query": query,
            "total": results.total,
            "complete": results.complete,
            "hits": [h.to_dict() for h in results.hits],
        }
        click.echo(json_safe(json.dumps(payload, ensure_ascii=False, indent=2)))
    else:
        for group in group_hits(results.hits):
            say(group.heading)
            for h in group.hits:
                line = f"  {h.title}"
                if h.snippet and h.field not in ("title", "name", "code"):
                    line += f" — {h.field}: {h.snippet}"
                if h.confidential:
                    line += " [confidential]"
                say(line)
        more = "" if results.complete else "+"
        shown = len(results.hits)
        say(
            f"{results.total}{more} match{'es' if results.total != 1 else ''}"
            + (f", {shown} shown" if shown < results.total or more else ""),
            err=True,
        )
    sys.exit(0 if results.hits else 1)


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
    from .debuglog import debug_enabled
    from .importers import SKIPPED, ImportResult, import_file, write_documents
    from .text import one_line

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
            counts = {}
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


@cli.command()
@_dir_argument
@click.option(
    "--rating",
    multiple=True,
    type=click.Choice(["green", "amber", "red", "blue", "not_stated", "not-stated"]),
    help="Only rows with this rating (repeat for several).",
)
@click.option(
    "--period", help="Only this reporting period, e.g. '2017/18 Q4' (an unknown one lists them)."
)
@click.option(
    "--theme",
    help="Only rows whose theme contains this text ('(no theme)': rows printed under no heading).",
)
@click.option(
    "--text", "text_filter", help="Only rows whose code, target or delivery contains this text."
)
@click.option("--json", "as_json", is_flag=True, help="Print rows and findings as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the rows as CSV.")
@click.option(
    "--raw",
    is_flag=True,
    help="CSV: write cells that start with = + - @ as they are (else a ' keeps them text).",
)
@_cache_options
def kpis(
    directory,
    rating,
    period,
    theme,
    text_filter,
    as_json,
    as_csv,
    raw,
    cache_path,
    no_cache,
    public,
) -> None:
    """KPI rows with their ratings, and how the rows compare with each stated summary.

    Findings follow the filters: with --rating, --theme or --text only the periods holding a
    row shown are reported, and their findings (which compare a whole period with what the
    report states) say so. A --period or --theme that names nothing known is an error (exit 2)
    that lists the known ones."""
    from . import kpi as k
    from .text import one_line

    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    _, lib, report = load(directory, cache_path, no_cache, public)
    for p in report.skipped:
        say(f"skipped {p}", err=True)
    every = k.all_rows(lib)
    if period is not None:
        known = k.known_periods(lib)
        if not any(k.period_matches(p, period) for p in known):
            raise click.BadParameter(
                f"no reporting period matches {one_line(period, 40)!r}; known periods: "
                + ("; ".join(one_line(p, 40) for p in known) or "none in these records"),
                param_hint="'--period'",
            )
    if theme is not None and theme.strip().lower() != k.NO_THEME:
        themes = k.themes(every)
        if not any(theme.lower() in t.lower() for t in themes):
            untitled = sum(1 for r in every if not r.kpi.theme)
            raise click.BadParameter(
                f"no theme contains {one_line(theme, 40)!r}; themes: "
                + ("; ".join(one_line(t, 60) for t in themes) or "none in these records")
                + (
                    f"; and {k.NO_THEME!r} for the {untitled} rows printed under no heading"
                    if untitled
                    else ""
                ),
                param_hint="'--theme'",
            )
    rows = k.filter_rows(
        every, rating=list(rating) or None, theme=theme, period=period, text=text_filter
    )
    reports = [r for r in k.periods(lib) if not period or k.period_matches(r.period, period)]
    narrowed = bool(rating or theme or text_filter)
    shown: dict[tuple[str, str], int] = {}
    for r in rows:
        shown[(r.meeting_id, r.period)] = shown.get((r.meeting_id, r.period), 0) + 1
    if narrowed:
        reports = [r for r in reports if (r.meeting_id, r.period) in shown]
    if as_json:
        import json

        periods = []
        for r in reports:
            d = r.to_dict()
            d["rows_shown"] = shown.get((r.meeting_id, r.period), 0)
            periods.append(d)
        out = json.dumps({"rows": [r.to_dict() for r in rows], "periods": periods}, indent=2)
        click.echo(json_safe(out))
        return
    if as_csv:
        click.echo(k.rows_csv(rows, raw), nl=False)
        return
    for line in k.rows_table(rows):
        say(line)
    say(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    if narrowed and not reports:
        say("No findings: no reporting period has a row that matches.")
    for r in reports:
        say()
        head = f"{r.period or 'No period'} (meeting {r.date})"
        n = shown.get((r.meeting_id, r.period), 0)
        if narrowed:
            head += f", findings on the whole period ({r.total} rows), not only the {n} shown"
        say(head + ":")
        for f in r.findings:
            say(f"  {f}")


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
    from .text import one_line

    start = _date_option(date_from, "--from")
    end = _date_option(date_to, "--to")
    from urllib.parse import urlsplit

    from .sync.client import Client, FetchError
    from .sync.moderngov import site_root
    from .sync.run import Options, SyncError, default_window, list_committees, sync

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


def main(argv: list[str] | None = None) -> None:
    """Entry point: no traceback reaches a user (set TUIBROWSER_DEBUG=1 to see one, without
    the variables' values)."""
    try:
        cli.main(args=argv, prog_name="tuibrowser", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        tell_error(exc)
        sys.exit(2)


def tell_error(exc: Exception) -> None:
    """One line on stderr. With TUIBROWSER_DEBUG=1 the traceback follows, as Python prints it
    (no variables: they hold the records' text), and the whole of it, variables too, goes to a
    file only the user may read, whose path is said (see ``debuglog``)."""
    from .debuglog import debug_enabled, summary, write_log

    say(f"tuibrowser: error: {summary(exc)}", err=True)
    if not debug_enabled():
        say("(set TUIBROWSER_DEBUG=1 to see the details)", err=True)
        return
    say("".join(traceback.format_exception(exc)).rstrip("\n"), err=True)
    path = write_log(exc, "the command line")
    if path is not None:
        say(f"(the details, with the variables of each frame, are in {path})", err=True)
    else:
        say("(the debug log could not be written in the state folder)", err=True)


if __name__ == "__main__":
    main()
