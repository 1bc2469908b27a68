"""Widgets shared by the screens."""

from .table import RecordTable
from .titlebar import TitleBar

__all__ = ["RecordTable", "TitleBar"]
