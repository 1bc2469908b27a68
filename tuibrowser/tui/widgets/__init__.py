"""Widgets shared by the screens."""

from .table import RecordTable
from .textbox import TextBox, type_to_filter
from .titlebar import TitleBar

__all__ = ["RecordTable", "TextBox", "TitleBar", "type_to_filter"]
