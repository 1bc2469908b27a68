"""``tuibrowser actions``: the action tracker on the command line."""

from __future__ import annotations

import datetime as dt
import sys

import click

from ..text import json_safe, one_line
from .common import _cache_options, _dir_argument, cli, load, say


def _today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{one_line(value, 40)!r} is not a date (YYYY-MM-DD)", param_hint="'--today'"
        ) from None


@cli.command("actions")
@_dir_argument
@click.option("--open", "open_only", is_flag=True, help="Only the actions still open.")
@click.option("--owner", help="Only the actions whose owner contains this text (any case).")
@click.option("--json", "as_json", is_flag=True, help="Print the actions as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the actions as CSV.")
@click.option(
    "--raw",
    is_flag=True,
    help="CSV: write cells that start with = + - @ as they are (else a ' keeps them text).",
)
@click.option("--today", "today_text", metavar="DATE", help="Count overdue as of this date.")
@_cache_options
def actions_cmd(
    directory, open_only, owner, as_json, as_csv, raw, today_text, cache_path, no_cache, public
) -> None:
    """Actions with their owner, due date and status, overdue ones first; exit 1 when none.

    The owner is the doer an action names ("Brian Reynolds will…", "Officers to…", initials
    resolved against the item's speakers and attendees); the due date a date it gives ("by 5
    April 2024", "Thursday 21 January" read against the meeting's date). An action is "done"
    or "mentioned" when a later meeting of the board refers back to it (the evidence is
    printed), else "open"."""
    from ..actions import read_actions, rows_csv, select, sorted_actions

    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    today = _today(today_text)
    _, lib, report = load(directory, cache_path, no_cache, public)
    for p in report.skipped:
        say(f"skipped {p}", err=True)
    every = read_actions(lib)
    shown = sorted_actions(select(every, open_only, owner), today)
    if as_json:
        import json

        payload = {"today": today.isoformat(), "actions": [_json(a, today) for a in shown]}
        click.echo(json_safe(json.dumps(payload, ensure_ascii=False, indent=2)))
    elif as_csv:
        click.echo(rows_csv(shown, today, raw), nl=False)
    else:
        import shutil

        for line in table(shown, today, shutil.get_terminal_size((100, 24)).columns):
            say(line)
    if not shown:
        say(_nothing(every, open_only, owner), err=True)
    elif not as_json and not as_csv:
        say(_count(shown, today), err=True)
    sys.exit(0 if shown else 1)


def _json(a, today: dt.date) -> dict:
    d = a.export()
    d.update(
        overdue=a.overdue(today),
        meeting=a.meeting,
        date=a.date,
        board=a.board,
        item=a.item,
        item_title=a.item_title,
        confidential=a.confidential,
    )
    return d


def _nothing(every, open_only: bool, owner: str | None) -> str:
    if not every:
        return "No actions are recorded in these meetings."
    why = []
    if open_only:
        why.append("open")
    if owner:
        why.append(f"with an owner containing {one_line(owner, 40)!r}")
    return f"No actions {' and '.join(why)} (of {len(every)} recorded)."


def _count(shown, today: dt.date) -> str:
    overdue = sum(1 for a in shown if a.overdue(today))
    n = len(shown)
    return f"{n} action{'s' if n != 1 else ''}" + (f", {overdue} overdue" if overdue else "")


STATUS_W = 9
DATE_W = 10
OWNER_W = 22
ITEM_W = 5


def table(actions, today: dt.date, width: int = 100) -> list[str]:
    """One line per action (status, due, owner, meeting, item, text cut to the width), and
    under it the evidence of a later meeting, when there is some."""
    if not actions:
        return []
    fixed = STATUS_W + 2 + DATE_W + 2 + OWNER_W + 2 + DATE_W + 2 + ITEM_W + 2
    text_w = max(20, width - fixed)
    out = [
        f"{'STATUS':<{STATUS_W}}  {'DUE':<{DATE_W}}  {'OWNER':<{OWNER_W}}  "
        f"{'MEETING':<{DATE_W}}  {'ITEM':<{ITEM_W}}  ACTION"
    ]
    for a in actions:
        status = "OVERDUE" if a.overdue(today) else a.status
        out.append(
            f"{status:<{STATUS_W}}  {a.due or '-':<{DATE_W}}  "
            f"{one_line(a.owner or '-', OWNER_W):<{OWNER_W}}  {a.date:<{DATE_W}}  "
            f"{one_line(a.item, ITEM_W):<{ITEM_W}}  {one_line(a.text, text_w)}"
            + (" [confidential]" if a.confidential else "")
        )
        if a.evidence is not None:
            e = a.evidence
            lead = f"{'':<{STATUS_W}}  ↳ {e.date} item {one_line(e.item, ITEM_W)} ({e.reason}): "
            out.append(lead + one_line(f"“{e.sentence}”", max(20, width - len(lead))))
    return out
