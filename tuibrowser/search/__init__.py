"""Search over a library: items, decisions, actions, people and KPIs (see :mod:`.index`)."""

from .folding import display_text, fold
from .index import (
    DEFAULT_LIMIT,
    KINDS,
    SNIPPET_WIDTH,
    Hit,
    HitGroup,
    Results,
    SearchIndex,
    group_hits,
    index_for,
    parse_query,
    run,
    search,
)
from .segments import month_search_text, month_text

__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "SNIPPET_WIDTH",
    "Hit",
    "HitGroup",
    "Results",
    "SearchIndex",
    "display_text",
    "fold",
    "group_hits",
    "index_for",
    "month_search_text",
    "month_text",
    "parse_query",
    "run",
    "search",
]
