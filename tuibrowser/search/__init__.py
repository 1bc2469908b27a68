"""Search over a library: items, decisions, actions, people and KPIs.

A query is words and "quoted phrases"; every one must match (AND), case-insensitively, at the
start of a word (``gov`` finds "government", not "ungoverned"). Hits come grouped by meeting,
newest first, people first; within a meeting the best come first: the title, then decisions,
then actions, then the rest of the text. Each hit carries up to three one-line snippets (about
100 characters around a match each) with the spans of the matches in them, for highlighting,
and the number of matches it holds. Hyphens, slashes and apostrophes are spaces between words
in the text and the query alike (``sector-led`` finds "sector led"; see :mod:`.folding`), and
markdown's line markers (``####``, bullets) are left out of snippets.

The parts, in the order a query meets them:

- :mod:`.query`: parsing a query; which months (and blocks of them) can hold its words.
- :mod:`.index`: :class:`SearchIndex`, one per library (:func:`index_for`), runs a query.
- :mod:`.segments`: a month's search text, written for the cache and read through mmap.
- :mod:`.units`: the records search finds, and their order in a meeting.
- :mod:`.folding`: text folded for search (one line, lower case, same length).
- :mod:`.results`: hits, snippets and their grouping by meeting.

The package imports nothing at its top: each name here is imported from its module the first
time it is asked for, so a command that needs one module (a search on a store) does not
import them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .folding import BREAKS, display_text, fold, fold_keep
    from .index import DEFAULT_LIMIT, SearchIndex, index_for, run, search, warm
    from .query import parse_query
    from .results import (
        HIT_KINDS,
        MAX_SNIPPETS,
        SNIPPET_WIDTH,
        Hit,
        HitGroup,
        Results,
        Snippet,
        group_hits,
    )
    from .segments import month_search_text, month_text

__all__ = [
    "BREAKS",
    "DEFAULT_LIMIT",
    "HIT_KINDS",
    "MAX_SNIPPETS",
    "SNIPPET_WIDTH",
    "Hit",
    "HitGroup",
    "Results",
    "Snippet",
    "SearchIndex",
    "display_text",
    "fold",
    "fold_keep",
    "group_hits",
    "index_for",
    "month_search_text",
    "month_text",
    "parse_query",
    "run",
    "search",
    "warm",
]

# each name's module, imported the first time the name is asked for
_WHERE = {
    "BREAKS": "folding",
    "display_text": "folding",
    "fold": "folding",
    "fold_keep": "folding",
    "DEFAULT_LIMIT": "index",
    "SearchIndex": "index",
    "index_for": "index",
    "run": "index",
    "search": "index",
    "warm": "index",
    "parse_query": "query",
    "HIT_KINDS": "results",
    "MAX_SNIPPETS": "results",
    "SNIPPET_WIDTH": "results",
    "Hit": "results",
    "HitGroup": "results",
    "Results": "results",
    "Snippet": "results",
    "group_hits": "results",
    "month_search_text": "segments",
    "month_text": "segments",
}


__getattr__ = lazy_names(__name__, _WHERE, globals())
