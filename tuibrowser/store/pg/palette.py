"""What the command palette (Ctrl+P) offers of a folder in the PostgreSQL store, found in SQL
without the library: the meetings, people and KPI rows whose palette title can match what
was typed, at most a page of each.

The palette matches fuzzily: the characters typed, spaces aside, in their order anywhere in
the title, whatever their case (``textual.fuzzy``). The server keeps the rows whose title
(``Meeting DATE BOARD``, ``Person NAME``, ``KPI CODE TARGET``, as the palette writes them)
matches a regular expression of those characters in order, each of any case — a superset of
what the palette's matcher keeps, which then scores them (:mod:`tuibrowser.tui.commands`). The
meetings and people whose titles hold the typed text as it is come first, then the newest;
the KPI rows newest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...ondemand import PaletteFinds

if TYPE_CHECKING:
    from .views import Query

LIMIT = 100  # rows of each kind a query reads at most

_MEETING = "('Meeting ' || date || ' ' || board)"
_PERSON = "('Person ' || (row ->> 1))"
_KPI = (
    "('KPI ' || coalesce(kpi, '') || ' ' || coalesce(shown[array_position(names, 'target')], ''))"
)

MEETINGS_SQL = f"""
SELECT id, date, board FROM meetings
WHERE folder = %s AND public = %s AND {_MEETING} ~ %s
ORDER BY strpos(lower({_MEETING}), %s) = 0, date DESC, time DESC, board DESC, id DESC
LIMIT %s
"""
PEOPLE_SQL = f"""
SELECT key, row ->> 1 FROM search_people
WHERE folder = %s AND public = %s AND {_PERSON} ~ %s
ORDER BY strpos(lower({_PERSON}), %s) = 0, key
LIMIT %s
"""
# newest first, in the order of an index of every record (``search_units_order``), so that
# the scan stops at the page's last row: the KPI rows are a fifth of the records, and a scan
# of all of them took a second at 10,000 meetings. A text few titles hold still reads them all:
# the palette asks for them after the rest, and not at all when a key was typed meanwhile.
KPIS_SQL = f"""
SELECT meeting_id, kpi FROM search_units
WHERE folder = %s AND public = %s AND kind = 'kpi' AND kpi IS NOT NULL AND {_KPI} ~ %s
ORDER BY folder, public, date DESC, time DESC, board DESC, meeting_id DESC, seq
LIMIT %s
"""


def pattern(query: str) -> str:
    """A regular expression (PostgreSQL's) matching every text that holds the characters of
    ``query``, spaces aside, in their order, each in any case."""
    return ".*".join(_char(c) for c in query if not c.isspace())


def _char(c: str) -> str:
    cases = {v for v in (c, c.lower(), c.upper(), c.title()) if len(v) == 1}
    if len(cases) > 1:
        return "[" + "".join(sorted(cases)) + "]"
    if c.isalnum():
        return c
    return "\\" + c  # a backslash before any other character takes it as it is


def palette(query: Query, typed: str, limit: int = LIMIT) -> PaletteFinds:
    """The meetings and people whose palette title can match ``typed``."""
    regex, plain = pattern(typed), typed.lower()
    meetings = query(MEETINGS_SQL, regex, plain, limit)
    people = query(PEOPLE_SQL, regex, plain, limit)
    return PaletteFinds(
        [(str(i), str(d), str(b)) for i, d, b in meetings],
        [(str(k), str(n or k)) for k, n in people],
    )


def palette_kpis(query: Query, typed: str, limit: int = LIMIT) -> list[tuple[str, str]]:
    """The KPI rows (meeting id, code) whose palette title can match ``typed``, newest first."""
    return [(str(m), str(c)) for m, c in query(KPIS_SQL, pattern(typed), limit)]
