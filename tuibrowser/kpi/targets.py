"""Actual against target: how far a KPI row's numbers go, and whether its rating agrees."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Kpi
from .wording import number_text


@dataclass(slots=True, frozen=True)
class TargetProgress:
    """Actual against target: ``ratio`` 1.05 is 105%; ``shortfall`` is 0 when met, an int when
    both numbers are ints."""

    target: float
    actual: float
    ratio: float | None
    shortfall: int | float

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else round(self.ratio * 100)

    @property
    def met(self) -> bool:
        return self.actual >= self.target

    def describe(self) -> str:
        base = f"{number_text(self.actual)} of {number_text(self.target)}"
        if self.percent is not None:
            base += f" ({self.percent}%)"
        if self.shortfall > 0:
            return f"{base}, {number_text(self.shortfall)} short"
        if self.actual > self.target:
            return f"{base}, {number_text(self.actual - self.target)} over"
        return f"{base}, met"


def progress(kpi: Kpi) -> TargetProgress | None:
    """Actual against target, or None unless both are numbers."""
    t, a = kpi.target_value, kpi.actual_value
    if not isinstance(t, int | float) or not isinstance(a, int | float):
        return None
    if isinstance(t, bool) or isinstance(a, bool) or not (math.isfinite(t) and math.isfinite(a)):
        return None
    ratio = a / t if t else None
    if ratio is not None and not math.isfinite(ratio):
        ratio = None  # a target next to 0 (5e-324): no ratio to show, nor a percentage to round
    short: int | float = (
        max(0, t - a) if isinstance(t, int) and isinstance(a, int) else max(0.0, t - a)
    )
    return TargetProgress(target=float(t), actual=float(a), ratio=ratio, shortfall=short)


SHORT_RATINGS = ("amber", "red")


def rating_differs(kpi: Kpi) -> bool | None:
    """Whether the rating says otherwise than the numbers: the target is met but the row is rated
    amber or red (E1: 115 of 110, amber for a second count its note gives), or it is not met
    but rated green. None when there are no two numbers to compare."""
    p = progress(kpi)
    if p is None:
        return None
    rating = (kpi.rating or "not_stated").lower()
    if p.met:
        return rating in SHORT_RATINGS
    return rating == "green"


def shortfall(kpi: Kpi) -> int | float | None:
    """Target minus actual (0 when met), or None when the numbers cannot say: one is missing, or
    they meet the target while the rating says the row fell short on something else."""
    p = progress(kpi)
    if p is None or (p.met and rating_differs(kpi)):
        return None
    return p.shortfall
