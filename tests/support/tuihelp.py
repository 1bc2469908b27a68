"""Helpers for the Pilot tests of the browser: wait for loading, read what is on screen."""

from __future__ import annotations

import html
import re
from pathlib import Path

_TEXT = re.compile(
    r'<text[^>]*\bx="([\d.]+)"[^>]*clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)"[^>]*>(.*?)</text>',
    re.S,
)
CELL = 12.2  # the width of one terminal cell in Textual's SVG screenshots
# The fixed corpus of the snapshots.
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SIZES = [(80, 24), (120, 40)]  # the terminal sizes of the snapshots


async def ready(app, pilot) -> None:
    """Wait until the loading worker is done and every message is handled."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def screen_text(app) -> str:
    """The text on the screen, one line per terminal row, each stripped of the padding.

    Each piece of text is put at its column (from its x position), so the spaces between
    differently styled pieces are kept.
    """
    svg = app.export_screenshot()
    lines: dict[int, dict[int, str]] = {}
    for x, row, chunk in _TEXT.findall(svg):
        text = html.unescape(chunk).replace("\xa0", " ")
        lines.setdefault(int(row), {})[round(float(x) / CELL)] = text
    out = []
    for row in range(max(lines, default=-1) + 1):
        line = ""
        for column, text in sorted(lines.get(row, {}).items()):
            line = line.ljust(column) + text if column >= len(line) else line + text
        out.append(line.strip())
    return "\n".join(out)


def table_rows(table) -> list[list[str]]:
    """The plain text of every row of a DataTable."""
    return [
        [getattr(c, "plain", str(c)) for c in table.get_row_at(n)] for n in range(table.row_count)
    ]


def option_rows(option_list) -> list[list[str]]:
    """The plain text of every option of an OptionList, one string per line of its prompt
    (a prompt made of a Group of Texts gives one string per Text)."""
    out = []
    for n in range(option_list.option_count):
        prompt = option_list.get_option_at_index(n).prompt
        parts = getattr(prompt, "renderables", [prompt])
        out.append([getattr(getattr(p, "renderable", p), "plain", str(p)).strip() for p in parts])
    return out


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


async def settle(pilot) -> None:
    """Wait for loading and stop the cursors blinking, so a snapshot is the same every time."""
    app = pilot.app
    await ready(app, pilot)
    for widget in app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()
