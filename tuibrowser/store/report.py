"""What a refresh tells: its report, and why the cache could not be used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import NEW_LIST, RESTRICTED, record

if TYPE_CHECKING:
    from ..model import Problem

REFUSED = "cannot use the cache"


class CacheUnavailable(Exception):
    """The cache cannot be used now (locked too long, or a folder this user may not write)."""


@record
class IndexReport:
    """What a refresh did."""

    def __init__(
        self,
        read: list[str] = NEW_LIST,
        verified: list[str] = NEW_LIST,
        unchanged: int = 0,
        removed: list[str] = NEW_LIST,
        skipped: list[Problem] = NEW_LIST,
        warnings: list[Problem] = NEW_LIST,
        restricted: list[Problem] = NEW_LIST,
        seconds: float = 0.0,
        rebuilt: str | None = None,
        unused: str | None = None,
        written: bool = False,
        meetings: int = 0,
        shards_written: int = 0,
        one_process: str | None = None,
    ) -> None:
        self.read = [] if read is NEW_LIST else read
        self.verified = [] if verified is NEW_LIST else verified
        self.unchanged = unchanged
        self.removed = [] if removed is NEW_LIST else removed
        self.skipped = [] if skipped is NEW_LIST else skipped
        self.warnings = [] if warnings is NEW_LIST else warnings
        self.restricted = [] if restricted is NEW_LIST else restricted
        self.seconds = seconds
        self.rebuilt = rebuilt
        self.unused = unused
        self.written = written
        self.meetings = meetings
        self.shards_written = shards_written
        self.one_process = one_process

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
