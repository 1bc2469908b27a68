"""Topics: agenda items that recur across meetings, matched by title, not only by exact text.

A title is reduced to its significant words: lower-case, without punctuation, years and
periods (``2015/16``, ``2017/2018``, ``18/19``, ``Q1``), numbers, small words and words that say
only what kind of paper it is (``update``, ``work update``, ``report``, a leading ``LGA``); with
a colon, only the part before it counts ("Highlighting Leadership offer: 2015/16"). Two titles
are one topic when those words are (nearly) the same: a token-set similarity of at least
:data:`THRESHOLD`. The procedural items every meeting has (welcome and declarations, the
minutes of the last meeting, any other business) are topics too, marked ``procedural`` so
they sort last. A topic is listed only when it comes up at two meetings or more.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from .base import NEW_LIST, record
from .keys import number_key, slug
from .library import Library
from .memo import per_library
from .model import Meeting

THRESHOLD = 0.6

STOP_WORDS = {
    "a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from", "its",
    "our", "this", "that", "into", "about", "as", "be", "is", "are", "or", "s",
}  # fmt: skip
PAPER_WORDS = {
    "update", "updates", "updated", "work", "report", "reports", "reporting", "oral", "verbal",
    "paper", "item", "q1", "q2", "q3", "q4", "progress", "annual", "quarterly", "wrap", "up",
}  # fmt: skip
LEADING = {"lga"}

_YEARS = re.compile(
    r"\b(?:19|20)\d\d(?:\s*[/-]\s*(?:19|20)?\d\d)?\b|\b\d\d\s*/\s*\d\d\b", re.IGNORECASE
)
_NON_WORD = re.compile(r"[^\w]+")

PROCEDURAL = (
    (
        "welcome-and-declarations",
        "Welcome, apologies and declarations of interest",
        re.compile(
            r"^(welcome|apologies|declarations? of interests?|chair'?s? welcome)\b", re.IGNORECASE
        ),
    ),
    (
        "minutes-of-the-last-meeting",
        "Minutes of the last meeting",
        re.compile(
            r"^(the )?(notes?|minutes?)( of| from)?( the)? (previous|last) meetings?"
            r"|^(notes?|minutes?)$",
            re.IGNORECASE,
        ),
    ),
    (
        "any-other-business",
        "Any other business",
        re.compile(r"^(any other business|a\.?o\.?b\.?)\b", re.IGNORECASE),
    ),
)


class TopicAppearance(NamedTuple):
    meeting_id: str
    date: str
    item_number: str
    item_title: str


@record
class Topic:
    """Items that recur across meetings, in date order."""

    __slots__ = ("key", "title", "appearances", "procedural")

    def __init__(
        self,
        key: str,
        title: str,
        appearances: list[TopicAppearance] = NEW_LIST,
        procedural: bool = False,
    ) -> None:
        self.key = key
        self.title = title
        self.appearances = [] if appearances is NEW_LIST else appearances
        self.procedural = procedural

    @property
    def meetings(self) -> int:
        return len({a.meeting_id for a in self.appearances})

    @property
    def first(self) -> str:
        return self.appearances[0].date if self.appearances else ""

    @property
    def last(self) -> str:
        return self.appearances[-1].date if self.appearances else ""

    @property
    def years(self) -> str:
        """``2016–2020``, or ``2018`` when it spans one year."""
        return years_text(self.first, self.last)

    def index_of(self, meeting_id: str, item_number: str) -> int | None:
        for i, a in enumerate(self.appearances):
            if a.meeting_id == meeting_id and a.item_number == item_number:
                return i
        return None


def years_text(first: str, last: str) -> str:
    """The years from the date ``first`` to ``last``: ``2016–2020``, or ``2018``."""
    a, b = first[:4], last[:4]
    return a if a == b else f"{a}–{b}"


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def significant_words(title: str) -> frozenset[str]:
    """The words of ``title`` that say what it is about (see the module docstring)."""
    text = title.replace("’", "'").replace("&", " and ")
    head, colon, _tail = text.partition(":")
    words = _words(head)
    if colon and not words:  # "Update: peer support" → use the part after the colon
        words = _words(text)
    return frozenset(words)


def _words(text: str) -> list[str]:
    text = _YEARS.sub(" ", text.lower())
    words = [w for w in _NON_WORD.sub(" ", text.replace("'", "")).split()]
    while words and words[0] in LEADING:
        words.pop(0)
    return [
        _stem(w)
        for w in words
        if w not in STOP_WORDS and w not in PAPER_WORDS and not w.isdigit() and len(w) > 1
    ]


def procedural_key(title: str) -> tuple[str, str] | None:
    text = " ".join(title.replace("’", "'").split())
    for key, label, rx in PROCEDURAL:
        if rx.search(text):
            return key, label
    return None


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class _Groups:
    """Union-find over the indices of the word sets (by size, with path halving)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra


def _regroup(bucket: dict[int, list[int]], groups: _Groups) -> None:
    """Key a bucket's sets by their groups as they are now (groups merge as sets are read)."""
    for old in [r for r in bucket if groups.find(r) != r]:
        members = bucket.pop(old)
        have = bucket.setdefault(groups.find(old), [])
        if len(have) < len(members):
            have, members = members, have
            bucket[groups.find(old)] = have
        have.extend(members)


def _group(sigs: list[frozenset[str]], threshold: float) -> _Groups:
    """The sets joined by chains of similarity >= threshold: the connected components of the
    graph of similar pairs (so any order of reading gives the same groups). ``sigs`` are
    distinct sets.

    A set-similarity join in the manner of AllPairs and PPJoin: the words of each set in one
    order (rarest first), the sets read smallest first. Two sets similar enough share a word
    among the first ``size - ceil(threshold * size) + 1`` of the one read later (looked up)
    and among the first ``size - ceil(2 threshold / (1 + threshold) * size) + 1`` of the one
    read earlier (indexed by the word, its place and the set's size). Only the sizes that can
    reach the overlap needed are looked up (two distinct sets of one size need all but one
    word in common), and only the places that leave enough words after the shared one to
    reach it. Each list keeps its sets by group, so a group the set read is already in is
    passed over whole (40,000 titles of one topic cost one comparison each, not one a pair),
    and another group's sets are compared until one is similar enough. At 50,000 generated
    meetings (138,133 distinct titles) the grouping took 14.3 s when every group of a word's
    list was looked at; it takes 3.1 s, the same groups.
    """
    from fractions import Fraction  # (here: the shard writer imports this module, not this)

    assert len(set(sigs)) == len(sigs), "distinct sets"
    need = Fraction(str(threshold))
    # sizes and overlaps in integers (num/den is the threshold): shared / (size + n - shared)
    # >= num / den is shared >= num (size + n) / (num + den)
    num, den = need.numerator, need.denominator
    freq = Counter(w for s in sigs for w in s)
    rank = {w: r for r, w in enumerate(sorted(freq, key=lambda w: (freq[w], w)))}
    groups = _Groups(len(sigs))
    find, union = groups.find, groups.union
    # index[(word's rank, size of the set, the word's place in it)] = {group: [set]}
    index: dict[tuple[int, int, int], dict[int, list[int]]] = defaultdict(dict)
    for i in sorted(range(len(sigs)), key=lambda i: len(sigs[i])):
        sig = sigs[i]
        size = len(sig)
        ranks = sorted(rank[w] for w in sig)
        # (size of an earlier set, overlap needed with it) for the sizes that can reach it
        fits = []
        for n in range(1, size + 1):
            overlap = -(-num * (size + n) // (num + den))
            if overlap <= n - (n == size):
                fits.append((n, overlap))
        root = find(i)
        tried: set[int] = set()
        for place in range(size - -(-num * size // den) + 1):
            word = ranks[place]
            for n, overlap in fits:
                # the shared word, then at most the words after it in each set
                if size - place < overlap:
                    continue
                for at in range(n - overlap + 1):
                    bucket = index.get((word, n, at))
                    if not bucket:
                        continue
                    _regroup(bucket, groups)
                    for other, members in list(bucket.items()):
                        if other == root:
                            continue  # a group this set is in: not compared again
                        for j in members:
                            if j in tried:
                                continue
                            tried.add(j)
                            if len(sig & sigs[j]) >= overlap:
                                root = union(root, other)
                                break
        for place in range(size - -(-2 * num * size // (num + den)) + 1):
            bucket = index[ranks[place], size, place]
            _regroup(bucket, groups)
            bucket.setdefault(root, []).append(i)
    return groups


def find_topics(library: Library) -> list[Topic]:
    """Recurring topics of ``library`` (cached per library): the others first, by number of
    meetings, then the procedural ones."""
    return per_library(library, "topics", _find_topics)


def _find_topics(library: Library) -> list[Topic]:
    answers = library.answers()  # a library a store answers on demand: as the store keeps them
    kept = answers.topics() if answers is not None else None
    return kept if kept is not None else topics_of(appearances(library.meetings))


def appearances(meetings: Iterable[Meeting]) -> Iterator[TopicAppearance]:
    """Every item of ``meetings`` as a topic sees it (its title on one line), in their order."""
    for m in meetings:
        for it in m.items:
            yield TopicAppearance(m.id, m.date, it.number, " ".join((it.title or "").split()))


def topics_of(items: Iterable[TopicAppearance]) -> list[Topic]:
    """The recurring topics of ``items`` (every item of the meetings, in the library's order:
    :func:`appearances`), as :func:`find_topics` lists them."""
    members: dict[str, list[TopicAppearance]] = defaultdict(list)
    labels: dict[str, str] = {}
    procedural: set[str] = set()
    by_sig: dict[frozenset[str], list[TopicAppearance]] = defaultdict(list)
    # what a title is, worked out once a title (a folder repeats its titles: 405,000 items
    # of 50,000 generated meetings have 150,000 titles): its procedural key, or its words
    read: dict[str, tuple[str, str] | frozenset[str]] = {}
    for app in items:
        title = app.item_title
        what = read.get(title)
        if what is None:
            proc = procedural_key(title)
            what = read[title] = proc if proc is not None else significant_words(title)
        if isinstance(what, tuple):
            members[what[0]].append(app)
            labels[what[0]] = what[1]
            procedural.add(what[0])
        elif what:
            by_sig[what].append(app)
    sigs = sorted(by_sig, key=sorted)
    groups = _group(sigs, THRESHOLD)
    clusters: dict[int, list[frozenset[str]]] = defaultdict(list)
    for n, s in enumerate(sigs):
        clusters[groups.find(n)].append(s)
    topics: list[Topic] = []
    for key in sorted(procedural):
        topics.append(_topic(key, labels[key], members[key], True))
    used = {t.key for t in topics}
    for cluster in clusters.values():
        apps = [a for s in cluster for a in by_sig[s]]
        if len({a.meeting_id for a in apps}) < 2:
            continue
        title = _title(apps)
        key = slug(title) or "topic"
        base, n = key, 2
        while key in used:
            key, n = f"{base}-{n}", n + 1
        used.add(key)
        topics.append(_topic(key, title, apps, False))
    topics = [t for t in topics if t.meetings >= 2]
    topics.sort(key=lambda t: (t.procedural, -t.meetings, t.title.lower(), t.key))
    return topics


def _topic(key: str, title: str, apps: list[TopicAppearance], procedural: bool) -> Topic:
    apps = sorted(apps, key=lambda a: (a.date, a.meeting_id, number_key(a.item_number)))
    return Topic(key=key, title=title, appearances=apps, procedural=procedural)


def _title(apps: list[TopicAppearance]) -> str:
    """A name for the topic: the latest title, without what follows a colon or its years."""
    latest = max(apps, key=lambda a: a.date).item_title
    head = latest.partition(":")[0] if significant_words(latest.partition(":")[0]) else latest
    head = _YEARS.sub(" ", head)
    head = re.sub(r"\s+", " ", head).strip(" -–,:")
    words = head.split()
    while len(words) > 1 and words[-1].lower().strip("-–,:") in PAPER_WORDS | {"and", "-", "–"}:
        words.pop()
    head = " ".join(words)
    return head or latest


def topic(library: Library, key: str) -> Topic | None:
    for t in find_topics(library):
        if t.key == key:
            return t
    return None


def topic_for_item(library: Library, meeting_id: str, number: str) -> Topic | None:
    """The topic an item belongs to, or None (so the item screen can link earlier and later)."""
    index = per_library(library, "topics-by-item", _by_item)
    return index.get((meeting_id, number))


def _by_item(library: Library) -> dict[tuple[str, str], Topic]:
    out: dict[tuple[str, str], Topic] = {}
    for t in find_topics(library):
        for a in t.appearances:
            out.setdefault((a.meeting_id, a.item_number), t)
    return out


def elsewhere(
    library: Library, meeting_id: str, number: str
) -> tuple[Topic | None, list[TopicAppearance]]:
    """The item's topic and its appearances at other meetings, oldest first."""
    found = topic_for_item(library, meeting_id, number)
    if found is None:
        return None, []
    others = [a for a in found.appearances if a.meeting_id != meeting_id]
    others.sort(key=lambda a: (a.date, a.meeting_id))
    return found, others
