"""The KPI dashboard: the screen (:mod:`.screen`) and one pane widget per tab."""

from ....model import RATINGS
from .ratings_pane import period_text
from .screen import ALL, DashboardScreen

__all__ = ["DashboardScreen", "period_text", "RATINGS", "ALL"]
