"""Widgets shared by the screens."""

from .lists import BrowseList
from .table import BrowseTable, fit_widths
from .textbox import TextBox, type_to_filter
from .titlebar import TitleBar

__all__ = ["BrowseList", "BrowseTable", "TextBox", "TitleBar", "fit_widths", "type_to_filter"]
