"""What ``search`` prints of its hits: the hits grouped by meeting on stdout (or, with
``--json``, the answer as JSON) and how many matched on stderr; its exit status (1 when
nothing matches). Without click, so the fast path (:mod:`.fast`) prints them too, the same
bytes."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .plain import _ascii, say

if TYPE_CHECKING:
    from ..search import Results


def show_results(query: str, results: Results, as_json: bool) -> int:
    """Print ``results`` of ``query``; the exit status: 0 when there are hits, 1 when there
    are none."""
    if as_json:
        _show_json(query, results)
    else:
        _show_lines(results)
    return 0 if results.hits else 1


def _show_json(query: str, results: Results) -> None:
    import json

    from ..text import json_safe

    payload = {
        "query": query,
        "total": results.total,
        "complete": results.complete,
        "hits": [h.to_dict() for h in results.hits],
    }
    _echo(json_safe(json.dumps(payload, ensure_ascii=False, indent=2)))


def _show_lines(results: Results) -> None:
    from ..search.results import group_hits, hit_lines

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


def _echo(text: str) -> None:
    """``text`` and a line break on stdout, as ``click.echo`` writes it: JSON holds no escape
    sequence for it to strip (``json.dumps`` escapes every control character)."""
    stream = sys.stdout
    if stream is None:
        return
    if _ascii(stream):
        import click  # click writes UTF-8 where a stream says ASCII

        click.echo(text)
        return
    stream.write(text + "\n")
    stream.flush()
