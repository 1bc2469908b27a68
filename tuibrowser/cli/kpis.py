"""``kpis``: KPI rows with their ratings, and how they compare with each stated summary."""

from __future__ import annotations

import click

from ..text import json_safe
from .common import _cache_options, _dir_argument, cli, load, say


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
    from .. import kpi as k
    from ..text import one_line

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
    for row in rows:
        shown[(row.meeting_id, row.period)] = shown.get((row.meeting_id, row.period), 0) + 1
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
