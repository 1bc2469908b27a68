"""Whether a later meeting refers back to an action, and the sentence that does.

An action is looked for in the minutes, decisions and actions of the next meetings of the
same board (:data:`LOOK_AHEAD` of them): a sentence refers back to it when it shares at least
:data:`MIN_SHARED` significant words with the action (and its item's title) and either stands
under matters arising, names the action's owner, or belongs to an item on the same topic (a
title sharing its significant words); or shares :data:`MIN_SHARED_ALONE` words on its own.
The action is ``done`` when that sentence says the deed was done ("had been circulated",
"distributed", "completed", "reported"), ``mentioned`` else. A hint read from the text, not a
record: the evidence is always shown beside it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .actions import Action, Evidence
from .library import Library
from .model import Item, Meeting

LOOK_AHEAD = 6
MIN_SHARED = 2
MIN_SHARED_ALONE = 5

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“(])|\n+")
STOPWORDS = frozenset(
    """a about above after again all also an and any are as at be been before being board both
    but by can could did do does each either for from further had has have having he her here
    him his how i if in into is it its itself just may me members member more most must my no
    nor not now of off on once only or other our out over own same she should so some such
    than that the their them then there these they this those through to too under until up
    upon very was we were what when where which while who whom why will with would you your
    officer officers work works meeting meetings lga item items report reports update updates
    note notes agreed noted proceed progress taking account line comments comment discussed
    above below outlined further next previous board's members' local government council
    councils chair chairman""".split()
)
DONE = re.compile(
    r"\b(?:had been|has been|have been|was|were)\s+(?:\w+\s+)?(?:circulated|distributed|sent|"
    r"completed|done|reported|held|published|launched|provided|arranged|shared|agreed|"
    r"delivered|received|written|issued|submitted|organised|made|taken)\b"
    r"|\b(?:circulated|distributed|completed|reported back|confirmed)\b",
    re.IGNORECASE,
)
MATTERS_ARISING = re.compile(r"\bmatters? arising\b", re.IGNORECASE)
_GENERIC_TITLE = STOPWORDS | {
    "minutes", "apologies", "welcome", "declarations", "interest", "substitutes", "any",
    "business", "aob", "programme", "performance",
}  # fmt: skip


def keywords(text: str, ignore: frozenset[str] = STOPWORDS) -> set[str]:
    """The significant words of ``text``, folded: no stop words, none shorter than four."""
    out = set()
    for w in _WORD.findall(text.replace("**", "")):
        w = w.lower().replace("’", "'").strip("'-")
        if len(w) >= 4 and w not in ignore:
            out.add(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return out


def sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCE.split(text or "") if s.strip()]


class _Words:
    """:func:`keywords` of many sentences, each word folded once (the words of minutes repeat
    from meeting to meeting): the same result as :func:`keywords`, by construction (the same
    expression finds the words, each folded as it folds them), with the loop over a
    sentence's words done by ``set`` and ``map`` rather than a Python loop."""

    def __init__(self) -> None:
        self.folded: dict[str, str] = {}  # a word as found: folded, or "" when not kept

    @staticmethod
    def fold(w: str) -> str:
        f = w.lower().replace("’", "'").strip("'-")
        if len(f) < 4 or f in STOPWORDS:
            return ""
        return f[:-1] if f.endswith("s") and len(f) > 4 else f

    def keywords(self, sentence: str) -> set[str]:
        """``keywords(sentence)``."""
        found = set(_WORD.findall(sentence.replace("**", "")))
        folded = self.folded
        for w in found.difference(folded):
            folded[w] = self.fold(w)
        out = set(map(folded.__getitem__, found))
        out.discard("")
        return out


@dataclass
class _Read:
    """A later meeting as the search for evidence reads it: each sentence with its words,
    and which sentences hold each word (so an action looks only at the ones sharing one)."""

    meeting: Meeting
    # each sentence: its item, text as written (spaces not yet folded: see :func:`sentences`),
    # words, its item under matters arising
    sentences: list[tuple[Item, str, set[str], bool]] = field(default_factory=list)
    holding: dict[str, list[int]] = field(default_factory=dict)
    titles: dict[int, set[str]] = field(default_factory=dict)  # by id() of the item

    @classmethod
    def of(
        cls, meeting: Meeting, known: _Words | None = None, wanted: frozenset[str] | None = None
    ) -> _Read:
        """The meeting read; with ``wanted``, only those words kept (the words any action
        that may read it looks for: the others could never be a hit)."""
        known = known or _Words()
        out = cls(meeting)
        holding = out.holding
        for item in meeting.items:
            out.titles[id(item)] = keywords(item.title, _GENERIC_TITLE)
        for item, sentence, arising in _sentences_of(meeting):
            words = known.keywords(sentence)
            if wanted is not None:
                words &= wanted
            n = len(out.sentences)
            for w in words:
                at = holding.get(w)
                if at is None:
                    holding[w] = [n]
                else:
                    at.append(n)
            out.sentences.append((item, sentence, words, arising))
        return out


def find_evidence(library: Library, actions: list[Action]) -> None:
    """Set the status and evidence of each action from the meetings after its own."""
    by_board: dict[str, list[Meeting]] = {}
    for m in sorted(library.meetings, key=lambda m: m.date):
        by_board.setdefault(_board(m.board), []).append(m)
    dates = {board: [m.date for m in ms] for board, ms in by_board.items()}
    # each action's evidence depends on it alone: taken board by board, oldest first, the
    # meetings read for a board are let go once no action left can look at them, and a
    # meeting's words are kept only when an action of its board looks for them
    sought = sorted((_Sought(a) for a in actions), key=lambda s: (s.board, s.action.date))
    wanted: dict[str, set[str]] = {}
    for s in sought:
        wanted.setdefault(s.board, set()).update(s.want)
    known = _Words()
    read: dict[str, _Read] = {}
    current, first, words = None, 0, frozenset[str]()
    for s in sought:
        a, board = s.action, s.board
        meetings = by_board.get(board, [])
        # the meetings after the action's, found by halving: not a scan per action
        start = bisect.bisect_right(dates.get(board, []), a.date)
        if board != current:
            read.clear()
            current, first, words = board, start, frozenset(wanted[board])
        for m in meetings[first:start]:
            read.pop(m.id, None)
        first = max(first, start)
        later = [m for m in meetings[start : start + 4 * LOOK_AHEAD] if m.items][:LOOK_AHEAD]
        for m in later:
            if m.id not in read:
                read[m.id] = _Read.of(library.full(m.id) or m, known, words)
            found = evidence_in(read[m.id], s.own, s.want, s.owner)
            if found is not None:
                a.evidence = found
                a.status = "done" if DONE.search(found.sentence) else "mentioned"
                break


class _Sought:
    """An action and the words its evidence is looked for by."""

    def __init__(self, action: Action) -> None:
        self.action = action
        self.board = _board(action.board)
        self.owner = _owner_words(action.owner)
        self.own = keywords(action.text) - set(self.owner)  # what the action itself is about
        self.want = self.own | keywords(action.item_title)


def _board(name: str) -> str:
    return " ".join(name.casefold().split())


def evidence_in(meeting: _Read, own: set[str], want: set[str], owner: list[str]) -> Evidence | None:
    """The sentence of ``meeting`` that best refers back to an action: ``own`` the words of
    its text, ``want`` those and its item title's, ``owner`` its owner's surname if a person."""
    hits: dict[int, int] = {}
    for w in want:
        for n in meeting.holding.get(w, ()):
            hits[n] = hits.get(n, 0) + 1
    best: tuple[int, int, Evidence] | None = None
    for n in sorted(k for k, v in hits.items() if v >= MIN_SHARED):
        item, written, words, arising = meeting.sentences[n]
        if own and not own & words:
            continue
        sentence = " ".join(written.split())  # as :func:`sentences` gives it
        # read only for the few sentences sharing words: not a search per sentence
        arising = arising or bool(MATTERS_ARISING.search(sentence))
        done = bool(DONE.search(sentence))
        reason = _reason(meeting.titles[id(item)], sentence.casefold(), arising, owner, want)
        if reason is None and hits[n] >= MIN_SHARED_ALONE:
            reason = "same topic"
        if reason is None:
            continue
        score = hits[n] + (2 if done else 0)
        if best is None or score > best[0]:
            m = meeting.meeting
            best = (score, n, Evidence(m.id, m.date, item.number, item.title, sentence, reason))
    return best[2] if best else None


def _reason(
    title: set[str], folded: str, arising: bool, owner: list[str], want: set[str]
) -> str | None:
    """Why a sentence (``folded``, of an item whose title has the words ``title``) refers
    back to the action, or None."""
    if arising:
        return "matters arising"
    if owner and all(w in folded for w in owner):
        return "owner reported back"
    if len(title & want) >= min(MIN_SHARED, len(title)) > 0:
        return "same topic"
    return None


def _owner_words(owner: str | None) -> list[str]:
    """The words of a person's name to find in a sentence; none for a role ("Officers")."""
    if not owner:
        return []
    words = owner.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return []
    return [words[-1].casefold()]


def _sentences_of(meeting: Meeting) -> Iterator[tuple[Item, str, bool]]:
    """Each sentence of the meeting's items as written (:func:`sentences` without folding
    its spaces: that changes none of its :func:`keywords`, and is done only for the few
    sentences that share an action's words), and whether its item stands under matters
    arising."""
    for item in meeting.items:
        arising = bool(MATTERS_ARISING.search(item.title))
        for text in (item.minute, *item.decisions, *item.actions):
            for s in _SENTENCE.split(text or ""):
                if s.strip():
                    yield item, s, arising
