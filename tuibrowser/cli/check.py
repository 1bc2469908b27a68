"""Reading the folder: ``check`` (every problem, file and line) and ``index`` (the cache
brought up to date)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..text import clean
from .common import (
    _dir_argument,
    _store_option,
    cli,
    env_public,
    folder,
    say,
    store_url,
    warn_slow_yaml,
)
from .plain import index_cache, index_store


@cli.command()
@_dir_argument
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(directory: str | None, strict: bool) -> None:
    """Check every meeting file and list each problem with file and line. Exit 1 on errors."""
    from ..library import build
    from ..longtexts import long_text_problems
    from ..records import read_folder

    root = folder(directory)
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
@_store_option
def index(
    directory: str | None, cache_path: str | None, public: bool | None, clear: bool, where: bool
) -> None:
    """Refresh the cache: re-read new and changed files, drop deleted ones, and say what was done."""
    root = folder(directory)
    pub = env_public() if public is None else public
    url = store_url()
    if url:
        if clear or where or cache_path:
            raise click.UsageError("--store: --clear, --where and --cache are the cache's")
        _index_store(url, root, pub)
        return
    index_cache(root, cache_path, pub, clear, where)


def _index_store(url: str, root: Path, public: bool) -> None:
    """``index DIR --store URL``: bring the shared store up to date with the folder."""
    index_store(url, root, public)
