"""The People list's figures: each person's attendance as the list shows it, from the library
or from the cache's parts, the same either way.

The browser lists People before its library is loaded: each shard of the cache keeps its
meetings' figures per person (:func:`shard_figures`, written with the shard, so a public
cache's are of its redacted meetings), and the figures of the whole folder are merged from
them (:func:`merge_figures`) with the people the cache names (their names, roles, authorities
and groups, :func:`~tuibrowser.search.skeleton.merge_people`). :func:`figures` makes the same
list of a library; a test holds the two equal.

Headless: no Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .attendance_sources import by_person, describe
from .base import NEW_LIST, record
from .library import Library, collect_people
from .memo import per_library
from .model import STATUSES, Appearance, Meeting, Person

__all__ = [
    "PersonFigures",
    "as_rows",
    "attended_as",
    "figures",
    "figures_of",
    "from_rows",
    "merge_figures",
    "merge_parts",
    "shard_figures",
]


def attended_as(role: str | None) -> str:
    """``substitute``, ``observer`` or ``member``, from a role as printed."""
    low = (role or "").lower()
    if "substitute" in low:
        return "substitute"
    if "observer" in low:
        return "observer"
    return "member"


@record
class PersonFigures:
    """One person as the People list shows them: who (``names``, ``roles``, ``authorities``,
    ``groups`` as recorded), their appearances counted by status, how many of those present
    came as substitute or observer, each authority with the years it is recorded for them,
    and the meetings whose attendance lists disagree about them (in words)."""

    __slots__ = (
        "key",
        "name",
        "names",
        "roles",
        "authorities",
        "groups",
        "appearances",
        "counts",
        "subs",
        "observers",
        "years",
        "conflicts",
    )

    def __init__(
        self,
        key: str,
        name: str,
        names: list[str],
        roles: list[str],
        authorities: list[str],
        groups: list[str],
        appearances: int,
        counts: dict[str, int],
        subs: int,
        observers: int,
        years: list[tuple[str, list[str]]],
        conflicts: list[str] = NEW_LIST,
    ) -> None:
        self.key = key
        self.name = name
        self.names = names
        self.roles = roles
        self.authorities = authorities
        self.groups = groups
        self.appearances = appearances
        self.counts = counts
        self.subs = subs
        self.observers = observers
        self.years = years
        self.conflicts = [] if conflicts is NEW_LIST else conflicts

    @property
    def surname_key(self) -> tuple[str, str]:
        words = self.name.split()
        return ((words[-1] if words else "").lower(), self.name.lower())

    @property
    def listed_only(self) -> bool:
        """Named only in a membership list: no meeting records their attendance."""
        return not self.appearances

    def count_text(self, status: str) -> str:
        return "–" if self.listed_only else str(self.counts.get(status, 0))

    def present_text(self, mark: str) -> str:
        """The meetings attended, with those as substitute and observer; ``mark`` after it
        when their records disagree somewhere."""
        flag = f" {mark}" if self.conflicts else ""
        if self.listed_only:
            return "–" + flag
        n = self.counts.get("present", 0)
        notes = []
        if self.subs:
            notes.append(f"{self.subs} sub")
        if self.observers:
            notes.append(f"{self.observers} obs")
        return (f"{n} ({', '.join(notes)})" if notes else str(n)) + flag

    def authorities_text(self) -> str:
        """``North Hertfordshire District Council 2016, 2018; Hertfordshire County Council 2020``."""
        return "; ".join(f"{a} {', '.join(ys)}".strip() for a, ys in self.years)

    def haystack(self) -> str:
        return " ".join([self.name, *self.names, *self.roles, *self.authorities]).lower()


def figures(library: Library) -> list[PersonFigures]:
    """Everyone ``library`` names, as the People list shows them, by surname (as its store
    keeps them, for a library a store answers on demand)."""
    answers = library.answers()
    if answers is not None:
        kept = per_library(library, "people-figures", lambda _lib: answers.people_figures())
        if kept is not None:
            return kept
    conflicts = by_person(library.meetings)
    out = [
        figures_of(p, [describe(c) for c in conflicts.get(p.key, [])])
        for p in library.people.values()
    ]
    return sorted(out, key=lambda f: f.surname_key)


def figures_of(person: Person, conflicts: list[str]) -> PersonFigures:
    """One person as the People list shows them, and their page heads them; ``conflicts``:
    the disagreements about them, in words."""
    subs, observers, years = _attendance(person)
    for authority in person.authorities:  # named only in the membership list
        years.setdefault(authority, [])
    return PersonFigures(
        key=person.key,
        name=person.display_name,
        names=person.names,
        roles=person.roles,
        authorities=person.authorities,
        groups=person.groups,
        appearances=len(person.meetings),
        counts=person.counts(),
        subs=subs,
        observers=observers,
        years=list(years.items()),
        conflicts=conflicts,
    )


def _attendance(person: Person) -> tuple[int, int, dict[str, list[str]]]:
    """Of those present, how many as substitute and as observer; each authority's years."""
    subs = observers = 0
    for a in person.meetings:
        if a.status == "present":
            kind = attended_as(a.role)
            subs += kind == "substitute"
            observers += kind == "observer"
    years: dict[str, list[str]] = {}
    for a in sorted(person.meetings, key=lambda a: a.date):
        if a.authority:
            ys = years.setdefault(a.authority, [])
            if a.date[:4] not in ys:
                ys.append(a.date[:4])
    return subs, observers, years


def shard_figures(
    meetings: list[Meeting], people: dict[str, Person] | None = None
) -> list[list[Any]]:
    """A shard's part of the figures: per person its meetings name, ``[key, appearances,
    counts, subs, observers, [[authority, [years]]…], [conflicts in words]]``; ``people``:
    :func:`~tuibrowser.library.collect_people` of the meetings, when made."""
    conflicts = by_person(meetings)
    if people is None:
        people = collect_people(meetings)
    out: list[list[Any]] = []
    # a person whose meeting here lists them only where it is not counted (an attendance
    # record beside the minutes) has a conflict here and nothing else
    none: list[Appearance] = []
    for key in sorted(people.keys() | conflicts.keys()):
        # what Person.counts and _attendance give, in one pass over the person's appearances,
        # which collect_people lists oldest first (so not sorted again): a shard's figures are
        # made for every shard a cold index writes, a row for each person of its meetings
        p = people.get(key)
        appearances = p.meetings if p is not None else none
        found = conflicts.get(key)
        said = [describe(c) for c in found] if found else []
        if len(appearances) == 1:  # most people of a half month: as the loop below makes it
            a = appearances[0]
            counts = _NO_COUNTS.copy()
            status = a.status
            counts[status] = counts.get(status, 0) + 1
            kind = attended_as(a.role) if status == "present" and a.role else ""
            once = [(a.authority, [a.date[:4]])] if a.authority else []
            out.append(
                [key, 1, counts, int(kind == "substitute"), int(kind == "observer"), once, said]
            )
            continue
        counts = _NO_COUNTS.copy()
        subs = observers = 0
        years: dict[str, list[str]] = {}
        for a in appearances:
            status = a.status
            counts[status] = counts.get(status, 0) + 1
            if status == "present" and a.role:
                kind = attended_as(a.role)
                subs += kind == "substitute"
                observers += kind == "observer"
            authority = a.authority
            if authority:
                ys = years.get(authority)
                if ys is None:
                    ys = years[authority] = []
                year = a.date[:4]
                if year not in ys:
                    ys.append(year)
        out.append([key, len(appearances), counts, subs, observers, list(years.items()), said])
    return out


_NO_COUNTS = dict.fromkeys(STATUSES, 0)  # (Person.counts of no appearance, in its order)


def merge_parts(parts: Iterable[list[list[Any]]]) -> list[list[Any]]:
    """Parts of the figures (:func:`shard_figures`, oldest first) as one part of the same
    shape: what the shards of a year give together, and the years of the folder."""
    merged: dict[str, list[Any]] = {}
    for part in parts:
        for key, appearances, counts, subs, observers, authorities, said in part:
            have = merged.get(key)
            if have is None:
                years = {a: list(ys) for a, ys in authorities}
                merged[key] = [key, appearances, dict(counts), subs, observers, years, list(said)]
                continue
            have[1] += appearances
            total = have[2]
            for status, n in counts.items():
                total[status] = total.get(status, 0) + n
            have[3] += subs
            have[4] += observers
            mine = have[5]
            for authority, ys in authorities:  # each authority's years, as first recorded
                known = mine.get(authority)
                if known is None:
                    mine[authority] = list(ys)
                else:
                    known.extend(y for y in ys if y not in known)
            have[6].extend(said)
    out = [merged[key] for key in sorted(merged)]
    for row in out:
        row[5] = list(row[5].items())
    return out


def merge_figures(people: list[list[Any]], parts: Iterable[list[list[Any]]]) -> list[PersonFigures]:
    """The figures of the whole folder from its parts (:func:`shard_figures`, or
    :func:`merge_parts` of them, oldest first) and its people (``[key, display name, names,
    authorities, roles, groups]``, as :func:`~tuibrowser.search.skeleton.merge_people` gives
    them), as :func:`figures` makes them of the library."""
    found = {row[0]: row for row in merge_parts(parts)}
    out = []
    for key, name, names, authorities, roles, groups in people:
        row = found.get(key)
        appearances, counts, subs, observers, years, said = (
            row[1:] if row is not None else (0, {}, 0, 0, [], [])
        )
        mine = {str(a): list(ys) for a, ys in years}
        for authority in authorities:  # named only in the membership list
            mine.setdefault(authority, [])
        f = PersonFigures(
            str(key), str(name), names, roles, authorities, groups, appearances,
            {**dict.fromkeys(STATUSES, 0), **counts}, subs, observers, list(mine.items()),
            list(said),
        )  # fmt: skip
        out.append(f)
    return sorted(out, key=lambda f: f.surname_key)


def as_rows(people: list[PersonFigures]) -> list[list[Any]]:
    """``people`` as JSON arrays (the cache keeps the merged figures so): each its fields."""
    return [
        [
            f.key,
            f.name,
            f.names,
            f.roles,
            f.authorities,
            f.groups,
            f.appearances,
            f.counts,
            f.subs,
            f.observers,
            f.years,
            f.conflicts,
        ]  # fmt: skip
        for f in people
    ]


def from_rows(rows: list[list[Any]]) -> list[PersonFigures]:
    """What :func:`as_rows` gave, read back (a row of the wrong shape raises ``TypeError`` or
    ``ValueError``)."""
    out = []
    for row in rows:
        f = PersonFigures(*row)
        f.years = [(str(a), list(ys)) for a, ys in f.years]
        out.append(f)
    return out
