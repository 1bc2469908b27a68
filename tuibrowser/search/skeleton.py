"""What the cache keeps beside a month's search segment so a query needs no document: its
titles (the heads that rank first), what each record is (kind, item, KPI, title,
confidential), and the people its meetings name. Written with the shard
(:func:`month_skeleton`); the people of every shard are merged into one file of the whole
folder (:func:`merge_people`, laid out as :mod:`.peoplefile` says). Read by :mod:`.cached`.

The heads and records follow the segment's order (:func:`~.units._meeting_units`), so a record
is known by its place in the month, as in the segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from ..keys import strip_name
from ..library import collect_people
from ..model import Meeting, Person
from .folding import fold_records
from .segments import _fold_segment
from .units import _kpi_title, _label, _meeting_heads, _unit_records, person_unit


def month_skeleton(
    meetings: list[Meeting], people: dict[str, Person] | None = None
) -> tuple[bytes, bytes, bytes]:
    """The ``.heads``, ``.units`` and ``.people`` parts of a month's meetings (in the order of
    its segment); ``people``: :func:`~tuibrowser.library.collect_people` of them, when made."""
    heads: list[list[str]] = []
    firsts: list[int] = []
    counts: list[int] = []
    owners: list[int] = []
    rows: list[list[Any]] = []
    records: list[list[Any]] = []
    local = 0
    for k, m in enumerate(meetings):
        rows.append([m.id, m.date, m.board, local])
        for head, count in _meeting_heads(m):
            heads.append([head] if head else [])
            firsts.append(local)
            counts.append(count)
            owners.append(k)
            local += count
        _meeting_records(m, records)
    if len(records) != local:
        raise ValueError("a month's records do not fit its heads")
    head_part = {"n": len(meetings), "t": fold_records(heads), "f": firsts, "c": counts}
    head_part["m"] = owners
    units = {"m": rows, "r": records}
    people_part = _month_people(meetings, people)
    return orjson.dumps(head_part), orjson.dumps(units), orjson.dumps(people_part)


def _meeting_records(m: Meeting, out: list[list[Any]] | None = None) -> list[list[Any]]:
    """Each record of ``m`` as a hit names it (kind, item number, KPI code, raw title and
    whether its item is confidential: see :meth:`.index.SearchIndex._hit`), added to ``out``
    if given, and returned. An item's decisions (and its actions) are one list, listed once
    for each: read them, do not change them."""
    out = [] if out is None else out
    for it in m.items:
        label = _label(it)
        conf = bool(it.confidential)
        out.append(["item", it.number, None, label, conf])
        if it.decisions:
            out += [["decision", it.number, None, label, conf]] * len(it.decisions)
        if it.actions:
            out += [["action", it.number, None, label, conf]] * len(it.actions)
    for k in m.kpis:
        item = m.item(k.item) if k.item else None
        out.append(["kpi", k.item, k.code, _kpi_title(k), bool(item and item.confidential)])
    return out


def _month_people(
    meetings: list[Meeting], people: dict[str, Person] | None = None
) -> list[list[Any]]:
    """The people a month's meetings name: key, names, roles, authorities, groups, and the
    names their records print with how often and when last (for the name shown)."""
    out = []
    for key, p in (collect_people(meetings) if people is None else people).items():
        appearances = p.meetings
        if len(appearances) == 1:  # most people of a half month: as the loop makes it
            a = appearances[0]
            once = [[strip_name(a.name), 1, a.date]] if a.name else []
            out.append([key, p.names, p.roles, p.authorities, p.groups, once])
            continue
        printed: dict[str, list[Any]] = {}
        for a in appearances:
            if a.name:
                name = strip_name(a.name)
                seen = printed.setdefault(name, [name, 0, ""])
                seen[1] += 1
                seen[2] = a.date
        out.append([key, p.names, p.roles, p.authorities, p.groups, list(printed.values())])
    return out


def merge_people_rows(months: Iterable[bytes]) -> list[list[Any]]:
    """The people of the whole folder from each month's (oldest month first), as
    :func:`~tuibrowser.library.collect_people` makes them of every meeting: sorted by key, each
    ``[key, display name, names, authorities, roles, groups]``."""
    return people_rows(orjson.loads(raw) for raw in months)


def people_rows(parts: Iterable[list]) -> list[list[Any]]:
    """:func:`merge_people_rows` of the months' parts as read (or of years' parts, each
    :func:`merged_part` of its months: the same rows)."""
    out = []
    for key, (names, roles, authorities, groups, counts) in sorted(_gathered(parts).items()):
        if counts:
            display = max(counts, key=lambda name: counts[name])
        else:
            display = strip_name(names[0]) if names else key
        out.append([key, display, names, authorities, roles, groups])
    return out


def merged_part(parts: Iterable[list]) -> list[list[Any]]:
    """Several months' people parts (oldest first) as one part of their shape: a year's.
    Merging the years' (oldest first) gives what merging every month gives: each person's
    names, roles, authorities and groups in the order they first appear, and each name they
    were printed with counted, with the date of its last month, in the order it first
    appears (the name shown is the most printed, of two as often the latest, of two as
    late the first)."""
    return [
        [key, names, roles, authorities, groups, [[n, c, d] for n, (c, d) in counts.items()]]
        for key, (names, roles, authorities, groups, counts) in _gathered(parts).items()
    ]


def _gathered(parts: Iterable[list]) -> dict[str, list[Any]]:
    """Each person's ``[names, roles, authorities, groups, {printed name: (count, date)}]``
    of the people ``parts`` (oldest first), by key, in the order they first appear."""
    people: dict[str, list[Any]] = {}
    for part in parts:
        for key, names, roles, authorities, groups, printed in part:
            p = people.get(key)
            if p is None:
                p = people[key] = [[], [], [], [], {}]
            for values, more in zip(p[:4], (names, roles, authorities, groups), strict=True):
                for v in more:
                    if v not in values:
                        values.append(v)
            counts = p[4]
            for name, n, date in printed:
                old = counts.get(name)
                counts[name] = (old[0] + n, date) if old else (n, date)
    return people


def merge_people(months: Iterable[bytes]) -> bytes:
    """The people of the whole folder from each month's (oldest month first, see
    :func:`merge_people_rows`), with their search segment and titles, folded here once rather
    than at every query: the file :func:`~.peoplefile.read_people` reads."""
    return people_file_of(orjson.loads(raw) for raw in months)


def people_file_of(parts: Iterable[list]) -> bytes:
    """:func:`merge_people` of each month's or each year's part as read (oldest first)."""
    out = people_rows(parts)
    units = [person_unit(*p) for p in out]
    folded, shown, offsets = _fold_segment(_unit_records(units), False)[:3]
    heads = fold_records([[t for _, t in u.fields[: u.head]] for u in units])
    from .peoplefile import people_file  # (not a refresh's: the file is merged when read)

    return people_file(out, heads, folded, shown, offsets)
