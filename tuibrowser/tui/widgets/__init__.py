"""Widgets shared by the screens."""

from .lists import RecordList
from .table import RecordTable, fit_widths
from .textbox import TextBox, type_to_filter
from .titlebar import TitleBar

__all__ = ["RecordList", "RecordTable", "TextBox", "TitleBar", "fit_widths", "type_to_filter"]
