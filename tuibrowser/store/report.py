"""What a refresh tells: its report, and why the cache could not be used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..base import RESTRICTED

if TYPE_CHECKING:
    from ..model import Problem

REFUSED = "cannot use the cache"


class CacheUnavailable(Exception):
    """The cache cannot be used now (locked too long, or a folder this user may not write)."""


@dataclass
class IndexReport:
    """What a refresh did."""

    read: list[str] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    restricted: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt: str | None = None  # why the cache was set aside and built again
    unused: str | None = None  # why the cache could not be used: the files were read directly
    written: bool = False
    meetings: int = 0
    shards_written: int = 0
    one_process: str | None = None  # why a cold index ran in one process, not one per core

    @property
    def files(self) -> int:
        return len(self.read) + self.unchanged

    @property
    def note(self) -> str | None:
        """What to tell of the cache: why it was not used, or why it was built again."""
        if self.unused:
            return f"{self.unused}; reading the files directly"
        if self.rebuilt:
            return f"{self.rebuilt}; rebuilt it from the files"
        return None


def report_problem(prob: Problem, report: IndexReport) -> None:
    if prob.severity == "error":
        report.skipped.append(prob)
    elif prob.severity == RESTRICTED:
        report.restricted.append(prob)
    else:
        report.warnings.append(prob)


def sort_problems(entry: dict, report: IndexReport) -> None:
    problems = entry.get("problems")
    if problems:
        from ..model import Problem

        for p in problems:
            report_problem(Problem.from_dict(p), report)
