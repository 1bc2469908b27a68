"""The dashboard's rows of a shard written again (``k`` of its views): those of the meetings
that did not change taken from the old part, and of a meeting whose KPIs and summaries are as
they were too (an edit of its words), without importing the KPI modules for them."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import orjson

from ..model import Meeting
from .keptmeetings import OldMeeting, old_meeting

if TYPE_CHECKING:
    from .kept import Before


def glances(meetings: list[Meeting | OldMeeting], before: Before) -> list:
    """The shard's part of the dashboard (:func:`tuibrowser.kpi.glance.shard_glances`): none
    when no meeting reports a KPI or states a summary (most half months), without importing
    the KPI modules for it; the rows of a meeting the shard ``before`` held as it is now
    (:meth:`.kept.KeptRows.kept`) taken from its part, and those of a meeting whose KPIs and
    summaries are as they were (:func:`same_glances`: an edit of its words), the KPI modules
    not imported when no other meeting reports one.

    A period's row is of its meeting alone (:func:`tuibrowser.kpi.checks.periods_of`), and
    the part's rows are in the order it sorts them to: by date and period, newest first, a
    tie in the order of ``meetings``. A meeting taken whole (:class:`.keptmeetings.OldMeeting`)
    is one the shard ``before`` held as it is now."""
    if not any(isinstance(m, OldMeeting) or m.kpis or m.summaries for m in meetings):
        return []  # (no meeting has a row: none is read)
    old = before.glances()
    if old is None:  # (then none is taken whole: .keptmeetings.take_whole reads the part first)
        from ..kpi.glance import shard_glances

        return shard_glances(cast("list[Meeting]", meetings))
    rows = before.rows
    kept = [isinstance(m, OldMeeting) or (rows is not None and rows.kept(m)) for m in meetings]
    made = [m for m, k in zip(meetings, kept, strict=True) if not k and isinstance(m, Meeting)]
    fresh = same_glances(made, before.documents, old)
    made = [m for m in made if m.id not in fresh]
    if any(m.kpis or m.summaries for m in made):
        from ..kpi.glance import shard_glances

        for row in shard_glances(made):
            fresh.setdefault(row[3], []).append(row)
    out: list[list] = []
    for m, k in zip(meetings, kept, strict=True):
        out += old.get(m.id, ()) if k else fresh.get(m.id, ())
    out.sort(key=_period_order, reverse=True)
    return out


def same_glances(
    made: list[Meeting], documents: dict[str, dict], old: dict[str, list[list]]
) -> dict[str, list[list]]:
    """The old part's rows (``old``, by meeting id) of each meeting of ``made`` that reports
    a KPI or states a summary as it did: the meeting of its board and date merged of the old
    shard's ``documents`` has its id's rows there (of its date, time and board), and the same
    time, KPIs and summaries, of which alone its rows are made
    (:func:`tuibrowser.kpi.glance.shard_glances`). An edit of a meeting's words makes none
    of its rows, nor imports the KPI modules for them."""
    found: dict[str, list[list]] = {}
    for m in made:
        rows = old.get(m.id)
        if not rows or not (m.kpis or m.summaries):
            continue
        where = [m.date, m.time or "", m.board]
        if any(row[:3] != where for row in rows):
            continue
        was = old_meeting(m, documents)
        if was is None:
            continue
        now = (m.time, m.kpis, m.summaries)
        if orjson.dumps((was.time, was.kpis, was.summaries)) == orjson.dumps(now):
            found[m.id] = rows
    return found


def _period_order(row: list) -> tuple[str, str]:
    return row[4], row[5]
