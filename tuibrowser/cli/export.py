"""``export``: the meetings as JSON, CSV tables or iCalendar."""

from __future__ import annotations

from pathlib import Path

import click

from ..text import clean, shown_path
from .common import _cache_options, _dir_argument, cli, load, say


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
    from .. import export as ex

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
    from ..writer import NotWritten, write_file

    try:
        write_file(out, text, force)
    except NotWritten as exc:
        raise click.ClickException(f"{shown_path(str(out))} not written: {exc}") from None
    except OSError as exc:
        why = exc.strerror or exc
        raise click.ClickException(f"{shown_path(str(out))} not written: {why}") from None
