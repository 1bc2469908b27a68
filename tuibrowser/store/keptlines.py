"""The seen part's lines a refresh found again by place, kept as the part's text.

When the lines of the folder's files are compared with a seen part's by place
(:func:`.seen.by_place`: the same files, a few changed), the next seen part holds the part's
lines less those of the files changed, with the lines of the files read added. At 10,000
meetings, splitting the part's text (1.6 MB) into 12,000 strings to take a few out, and then
sorting, joining and encoding them again to write the next part, was 6 to 8 ms of a one-file
refresh. :class:`KeptLines` keeps the text as it was read and the labels of the lines taken
out, and makes the next part's text (:meth:`KeptLines.text`) by cutting those lines out of it
and putting the lines added in their places: each found by a binary search of the text, whose
lines are sorted (a line's order is its UTF-8 bytes' order, as :func:`.seen.write_seen` sorts
them). A line not found where it should be (a part that is not in order) makes the text the
slow way, from its lines.
"""

from __future__ import annotations

from collections.abc import Iterable

from .statlines import LABEL_END

_NUMBERS = -LABEL_END - 1  # the characters of a line after its label's tab


class KeptLines:
    """The lines of a seen part's text (``text``: ``count`` lines, sorted, joined by newlines,
    UTF-8) but those of the labels ``gone``, and the lines :meth:`append` adds."""

    __slots__ = ("_added", "_count", "_gone", "_text")

    def __init__(self, text: bytes, count: int, gone: Iterable[str]) -> None:
        self._text = text
        self._count = count
        self._gone = set(gone)
        self._added: list[str] = []

    def __len__(self) -> int:
        return self._count - len(self._gone) + len(self._added)

    def append(self, line: str) -> None:
        """Add ``line`` (not a line of the text: one whose label's line is gone, or none)."""
        self._added.append(line)

    def drop(self, labels: Iterable[str]) -> None:
        """Take out the lines of ``labels`` that the text holds."""
        text = self._text + b"\n"
        for label in labels:
            if label not in self._gone and _line_of(text, label) is not None:
                self._gone.add(label)

    def text(self) -> bytes:
        """The lines, sorted, joined by newlines and encoded (as :func:`.seen.write_seen`
        writes them)."""
        text = self._text + b"\n"  # (each line then ends with a newline)
        cuts: list[tuple[int, int, bytes]] = []  # (from, to, what goes there)
        for label in self._gone:
            span = _line_of(text, label)
            if span is None:
                return self._by_lines()
            cuts.append((span[0], span[1] + 1, b""))
        for line in self._added:
            data = line.encode()
            at = _first_not_below(text, data)
            cuts.append((at, at, data + b"\n"))
        cuts.sort()  # (a line added before the one gone from its place; the added in order)
        view = memoryview(text)
        pieces: list[bytes | memoryview] = []
        done = 0
        for start, end, data in cuts:
            pieces += (view[done:start], data)
            done = end
        pieces.append(view[done:])
        return b"".join(pieces)[:-1]

    def _by_lines(self) -> bytes:
        """:meth:`text` made of the text's lines (a part not in order)."""
        gone = self._gone
        lines = [
            line
            for line in (self._text.decode().split("\n") if self._text else [])
            if line[:LABEL_END] not in gone
        ]
        return "\n".join(sorted(lines + self._added)).encode()


def _first_not_below(text: bytes, key: bytes) -> int:
    """Where the first line of ``text`` (sorted lines, each ending with a newline) that is not
    below ``key`` starts (``len(text)`` when there is none)."""
    lo, hi = 0, len(text)  # (every line that starts before lo is below; none from hi is)
    while lo < hi:
        mid = (lo + hi) // 2
        start = text.rfind(b"\n", 0, mid) + 1  # (lo is a line's start: this is not before it)
        end = text.index(b"\n", start)
        if text[start:end] < key:
            lo = end + 1
        else:
            hi = start
    return lo


def _line_of(text: bytes, label: str) -> tuple[int, int] | None:
    """Where the line of ``label`` starts and ends (before its newline) in ``text``; None when
    it holds none. (The lines that start as its does are a few at most: those of labels it
    begins, followed by a tab, as a name may hold one.)"""
    key = label.encode() + b"\t"
    at = _first_not_below(text, key)
    while at < len(text) and text.startswith(key, at):
        end = text.index(b"\n", at)
        if end - at == len(key) + _NUMBERS:
            return at, end
        at = end + 1
    return None
