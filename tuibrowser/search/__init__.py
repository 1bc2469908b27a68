"""Search over a library: items, decisions, actions, people and KPIs.

A query is words and "quoted phrases"; every one must match (AND), case-insensitively, at the
start of a word (``gov`` finds "government", not "ungoverned"). Hits come grouped by meeting,
newest first, people first; within a meeting the best come first: the title, then decisions,
then actions, then the rest of the text. Each hit carries a one-line snippet (about 100
characters around the first match) and the spans of the matches in it, for highlighting.

The parts, in the order a query meets them:

- :mod:`.query`: parsing a query; which months (and blocks of them) can hold its words.
- :mod:`.index`: :class:`SearchIndex`, one per library (:func:`index_for`), runs a query.
- :mod:`.segments`: a month's search text, written for the cache and read through mmap.
- :mod:`.units`: the records search finds, and their order in a meeting.
- :mod:`.folding`: text folded for search (one line, lower case, same length).
- :mod:`.results`: hits, snippets and their grouping by meeting.
"""

from .folding import display_text, fold
from .index import DEFAULT_LIMIT, SearchIndex, index_for, run, search
from .query import parse_query
from .results import HIT_KINDS, SNIPPET_WIDTH, Hit, HitGroup, Results, group_hits
from .segments import month_search_text, month_text

__all__ = [
    "DEFAULT_LIMIT",
    "HIT_KINDS",
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
