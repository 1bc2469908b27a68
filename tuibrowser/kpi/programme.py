"""The programme's outputs and figures, each with the meeting that reported it."""

from __future__ import annotations

from dataclasses import dataclass

from ..library import Library
from ..model import Figure, Meeting, Output
from .wording import number_text


@dataclass(slots=True)
class SourcedOutput:
    meeting_id: str
    date: str
    output: Output


@dataclass(slots=True)
class SourcedFigure:
    meeting_id: str
    date: str
    figure: Figure

    def describe(self) -> str:
        f = self.figure
        value = f.text or (
            f"{number_text(f.value)}{f.unit or ''}" if f.value is not None else "not stated"
        )
        return value


def by_date(library: Library) -> list[Meeting]:
    """The library's meetings, newest first (as the dashboard lists what they report)."""
    return sorted(library.meetings, key=lambda m: m.date, reverse=True)


def outputs(library: Library) -> list[SourcedOutput]:
    return [SourcedOutput(m.id, m.date, o) for m in by_date(library) for o in m.outputs]


def figures(library: Library) -> list[SourcedFigure]:
    return [SourcedFigure(m.id, m.date, f) for m in by_date(library) for f in m.figures]
