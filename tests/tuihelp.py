"""Helpers for the Pilot tests of the browser: wait for loading, read what is on screen."""

from __future__ import annotations

import html
import re

_TEXT = re.compile(r'<text[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', re.S)


async def ready(app, pilot) -> None:
    """Wait until the loading worker is done and every message is handled."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def screen_text(app) -> str:
    """The text on the screen, line by line, read from an SVG screenshot."""
    svg = app.export_screenshot()
    lines: dict[float, list[str]] = {}
    for y, chunk in _TEXT.findall(svg):
        lines.setdefault(float(y), []).append(html.unescape(chunk).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(lines.items()))


def table_rows(table) -> list[list[str]]:
    """The plain text of every row of a DataTable."""
    return [
        [getattr(c, "plain", str(c)) for c in table.get_row_at(n)] for n in range(table.row_count)
    ]


def row_keys(table) -> list[str]:
    return [r.key.value for r in table.ordered_rows]


def cursor_key(table) -> str:
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


async def wait_until(pilot, predicate, tries: int = 100) -> bool:
    """Pause until ``predicate()`` is true (for work Textual does in the background)."""
    for _ in range(tries):
        if predicate():
            return True
        await pilot.pause(0.02)
    return predicate()
