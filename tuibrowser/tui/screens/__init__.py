"""The screens of the browser. Each lives in its own module; screens other modules own
(search, people, topics, decisions, dashboard, kpi) are imported lazily by the app."""

from .help import HelpScreen
from .item import ItemScreen
from .meeting import MeetingScreen
from .meetings import MeetingsScreen
from .problems import ProblemsScreen

__all__ = ["HelpScreen", "ItemScreen", "MeetingScreen", "MeetingsScreen", "ProblemsScreen"]
