"""``search``: hits in items, decisions, actions, people and KPIs."""

from __future__ import annotations

import sys

import click

from ..text import json_safe
from .common import _cache_options, _dir_argument, cli, open_meetings, say


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

    from ..search import group_hits
    from ..search.results import hit_lines

    store, lib, report = open_meetings(directory, cache_path, no_cache, public)
    for p in report.skipped:
        say(f"skipped {p}", err=True)
    results = store.search(lib, query, limit=limit)
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
                for line in hit_lines(h):
                    say(line)
        more = "" if results.complete else "+"
        shown = len(results.hits)
        say(
            f"{results.total}{more} match{'es' if results.total != 1 else ''}"
            + (f", {shown} shown" if shown < results.total or more else ""),
            err=True,
        )
    sys.exit(0 if results.hits else 1)
