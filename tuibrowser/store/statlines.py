"""Each meeting file's line as the seen part keeps it (:mod:`.seen`): its label and what one
``stat`` says of it, made for every file a refresh walks.

Apart from :mod:`.seen` so that it imports nothing but modules of the standard library built
into the interpreter (``os``, ``stat``, ``struct``, ``bisect``, ``itertools``, ``operator``):
:mod:`.prescan` makes the lines, and compares them with a seen part's, in a child process
begun as a command starts, before the rest of a refresh is imported.
"""

from __future__ import annotations

import os
import stat
import struct
from bisect import bisect_left
from itertools import accumulate, compress
from operator import itemgetter

TYPE_CHECKING = False  # (not typing's: see above)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# what a line keeps of a ``stat``: size, mtime, ctime, inode, as 32 hexadecimal bytes (packing
# is half the cost of writing the four numbers out in decimal, a refresh's one call per file)
_STRUCT = struct.Struct("<QqqQ")
_STAT = _STRUCT.pack
# where a line's label ends, counted from its end: a tab, then the packed ``stat`` in hexadecimal
LABEL_END = -1 - 2 * _STRUCT.size

# each file's owner mark (:func:`.seen._owner`) and line, in the order of the files
Made = tuple[list[int], list[str]]

# At most this many of the files' lines may differ from a seen part's for them to be compared by
# place (:func:`changed_places`); more, and they are compared as sets.
FEW = 64

_LABEL = itemgetter(1)  # of a (path, label)

# lines compared as one piece by :func:`changed_in_text` (about 35 KB): a piece that differs is
# compared a line at a time
_PIECE = 256


def made_lines(files: Sequence[tuple[str, str]]) -> Made | None:
    """Each of ``files``' (path, label) owner mark and line (as :func:`.seen.stat_lines` makes it),
    in the order of the files: one ``stat`` a file. None when a ``stat`` fails (a file gone
    since the scan) or a number does not fit a line (a time past 2262): the files are then
    taken one by one. The ``stat`` results are not kept: 60,000 of them are about 36 MB, more
    than the rest of a refresh that finds nothing changed."""
    owners: list[int] = []
    lines: list[str] = []
    own, line, get, pack, readable = owners.append, lines.append, os.stat, _STAT, stat.S_IRUSR
    try:
        for path, label in files:
            st = get(path)
            # (:func:`.seen._owner`, without a call)
            own(st.st_uid if st.st_mode & readable else -1)
            line(f"{label}\t{pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino).hex()}")
    except (OSError, struct.error):
        return None
    return owners, lines


def whole_places(files: Sequence[tuple[str, str]], labels: Iterable[str]) -> list[int] | None:
    """The places among ``files`` (path, label: in the order of their labels) of the files
    ``labels`` (each once: those a seen part keeps whole), in order; None when one of them is
    not among the files."""
    skip = set()
    wanted = 0
    for label in labels:
        wanted += 1
        at = bisect_left(files, label, key=_LABEL)
        if at < len(files) and files[at][1] == label:
            skip.add(at)
    return sorted(skip) if len(skip) == wanted else None


def changed_places(lines: list[str], old: list[str]) -> list[int] | None:
    """The places where the files' ``lines`` (in the order of their labels) differ from a seen
    part's ``old`` lines (sorted), when they are a few (:data:`FEW`, or none) and each holds
    the same file's line in both (the same label); None otherwise (a file added or gone, or
    many changed: the lines are compared as sets). The part's lines are sorted and the files'
    come in the order of their labels, so when no file was added or gone the same file is in
    the same place in both: this is checked at each place whose lines differ, and every other
    place holds the same line. No line is hashed."""
    if len(old) != len(lines):
        return None
    changed = list(compress(range(len(lines)), map(str.__ne__, lines, old)))
    if len(changed) > FEW:
        return None
    end = LABEL_END
    if any(lines[at][:end] != old[at][:end] for at in changed):
        return None  # (not the same files in the same places)
    return changed


def changed_in_text(lines: list[str], blob: bytes) -> list[int] | None:
    """:func:`changed_places` of the files' ``lines`` and a seen part's lines as read
    (``blob``: joined by newlines, encoded), without splitting ``blob``: 12,000 strings made
    and compared one by one were 5 to 8 ms of a one-file refresh at 10,000 meetings, the
    lines joined and compared in pieces of :data:`_PIECE` about 2 ms. Each of the files'
    lines is where the same file's line is in the part when every line before it is the same
    length in both; a line of another length is another file's (a line's numbers are of one
    length), and so is any line after it."""
    try:
        text = "\n".join(lines).encode()
    except UnicodeEncodeError:
        return None
    if len(text) != len(blob):
        return None  # (a line of another length: not the same files in the same places)
    if text == blob:
        return []
    if not text.isascii():  # (a line's bytes not as many as its characters: by its strings)
        try:
            return changed_places(lines, blob.decode().split("\n"))
        except UnicodeDecodeError:
            return None
    # line ``at`` starts at ``ends[at] + at`` (``at`` newlines before it) and ends at
    # ``ends[at + 1] + at``; a piece or a line is compared with the newline after it
    ends = list(accumulate(map(len, lines), initial=0))
    count, size, label = len(lines), len(text), LABEL_END
    changed: list[int] = []
    for first in range(0, count, _PIECE):
        last = min(first + _PIECE, count)
        lo, hi = ends[first] + first, min(ends[last] + last, size)
        if text[lo:hi] == blob[lo:hi]:
            continue
        for at in range(first, last):
            lo, end = ends[at] + at, ends[at + 1] + at
            hi = min(end + 1, size)
            if text[lo:hi] == blob[lo:hi]:
                continue
            if blob.find(b"\n", lo, end) >= 0 or (end < size and blob[end] != 10):
                return None  # (the part's line here is of another length: another file's)
            if text[lo : end + label] != blob[lo : end + label]:
                return None  # (another file's line)
            changed.append(at)
            if len(changed) > FEW:
                return None
    return changed
