"""The text as shown, kept as what it adds to the folded text: a record's *patch*.

A record's text as a snippet shows it (``shown``) and as a query scans it (``folded``) differ in
few places: :func:`~.folding.fold_keep` maps each character to one (capitals to small letters,
hyphens, slashes and apostrophes to spaces), and the folded text then squeezes the runs of
spaces this leaves into one. So the cache keeps, beside the folded text it scans anyway, only
those places: the spaces the squeeze took out, and each character that folding changed, as it
was. Of a month's segment this is about a fifth of its text as shown, which zlib packs some
eight times (the text as shown packed 2.4 times).

A patch is ``names \\x02 places \\x02 changed``: the record's field names joined by "\\n"; the
places (in the text as shown) of the spaces the squeeze took out, joined by ","; and the text
as shown with each character that folding keeps as it is written NUL (the text as shown holds
no NUL: its control characters are escaped). :func:`patches` makes the patches of a month in
a few passes at C speed; :func:`shown_of` rebuilds one record's text from its folded text,
:func:`shown_texts` the texts of many records (a shard's items) in a few passes over them all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any

from .folding import fold_keep

_RUN = re.compile("  +")  # a run of spaces the squeeze made one
_NONZERO = bytes([0, *([1] * 255)])  # each byte: 1 unless it is 0
_FULL = bytes([0, *([255] * 255)])  # each byte: all ones unless it is 0
_UNIT = 0xFFFFFFFF  # a character in UTF-32
_CODEC = "utf-32-le"


def _changed_mask(wide: bytes) -> int:
    """All ones over each character (UTF-32) of ``wide`` that is not 0, as an int."""
    flags = int.from_bytes(wide.translate(_NONZERO), "little")
    # a code point's top byte is always 0: the three low bytes of each character are enough
    ones = int.from_bytes(b"\x01\0\0\0" * (len(wide) // 4), "little")
    return ((flags | flags >> 8 | flags >> 16) & ones) * _UNIT


_NARROW = (("latin-1", 1, "strict"), ("utf-16-le", 2, "surrogatepass"))


def _changed(shown: str, kept: str) -> str:
    """``shown`` with each character equal to ``kept``'s at its place made NUL (the two of one
    length). Worked out on the narrowest encoding of one unit a character that holds both
    (Latin-1, then UTF-16 without pairs, else UTF-32): a month's text is a few big integers,
    and the narrower they are the less there is to do."""
    for codec, width, errors in _NARROW:
        try:
            wide, other = shown.encode(codec, errors), kept.encode(codec, errors)
        except UnicodeEncodeError:
            continue
        if len(wide) != width * len(shown) or len(other) != len(wide):
            continue  # a pair of UTF-16 units: one character is not one unit
        value = int.from_bytes(wide, "little")
        diff = (value ^ int.from_bytes(other, "little")).to_bytes(len(wide), "little")
        if width == 1:
            mask = int.from_bytes(diff.translate(_FULL), "little")
        else:
            flags = int.from_bytes(diff.translate(_NONZERO), "little")
            ones = int.from_bytes(b"\x01\0" * len(shown), "little")
            mask = ((flags | flags >> 8) & ones) * 0xFFFF
        return (value & mask).to_bytes(len(wide), "little").decode(codec, errors)
    wide = shown.encode(_CODEC, "surrogatepass")
    value = int.from_bytes(wide, "little")
    bits = value ^ int.from_bytes(kept.encode(_CODEC, "surrogatepass"), "little")
    mask = _changed_mask(bits.to_bytes(len(wide), "little"))
    return (value & mask).to_bytes(len(wide), "little").decode(_CODEC, "surrogatepass")


# Each Latin-1 character that folding changes, as it is, and NUL for each it keeps: folding
# maps a Latin-1 character to one character whatever stands around it.
_LATIN1_CHANGED = bytes(c if fold_keep(chr(c)) != chr(c) else 0 for c in range(256))


def _folded_away(shown: str, kept: str) -> str:
    """:func:`_changed` of ``shown`` and ``kept`` (:func:`~.folding.fold_keep` of it): of a
    text in Latin-1 (a month in English, mostly), in one pass at C speed over its bytes."""
    try:
        narrow = shown.encode("latin-1")
    except UnicodeEncodeError:
        return _changed(shown, kept)
    return narrow.translate(_LATIN1_CHANGED).decode("latin-1")


def _runs(kept: str) -> list[tuple[int, int]]:
    """Where each run of spaces of ``kept`` starts and ends (``_RUN.finditer``, found by
    ``str.find``: a month's text has few or none, and the pattern would look at each of its
    characters)."""
    find, match = kept.find, _RUN.match
    out = []
    at = find("  ")
    while at != -1:
        m = match(kept, at)
        if m is None:  # (never: two spaces stand there)
            break
        out.append(m.span())
        at = find("  ", m.end())
    return out


def squeezed(kept: str, runs: list[tuple[int, int]]) -> str:
    """``kept`` with each of its ``runs`` of spaces (:func:`_runs`) made one space."""
    if not runs:
        return kept
    pieces = []
    at = 0
    for start, end in runs:
        pieces.append(kept[at : start + 1])
        at = end
    pieces.append(kept[at:])
    return "".join(pieces)


def patches(
    names: list[list[str]],
    shown: str,
    kept: str,
    runs: list[tuple[int, int]] | None = None,
    starts: list[int] | None = None,
) -> tuple[bytes, list[int]]:
    """The patches of a month's records (UTF-8, one after the other) and where each starts
    (and, last, where the last one ends).

    ``shown``: the records' texts as shown, fields joined by "\\n", records by NUL; ``kept``:
    :func:`~.folding.fold_keep` of it (one character for each), whose runs of spaces the
    folded text squeezes (``runs``: :func:`_runs` of it, when the caller found them);
    ``starts``: where each record starts in ``shown``, when the caller found them.
    """
    if starts is None:
        starts = [0]
        find = shown.find
        pos = find("\0")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\0", pos + 1)
    if len(starts) != len(names):
        raise ValueError("a month's records do not fit their names")
    starts = [*starts, len(shown) + 1]
    taken: list[list[int]] = [[] for _ in names]
    for start, end in _runs(kept) if runs is None else runs:
        record = bisect_right(starts, start) - 1
        base = starts[record]
        taken[record].extend(range(start + 1 - base, end - base))
    changed = _folded_away(shown, kept) if shown != kept else ""
    # A record's patch is made as text, and the month's encoded once: most are ASCII, their
    # lengths in bytes their lengths in characters. A changed part all NUL (nothing changed)
    # is found by comparing it with NULs (memcmp), not by counting them.
    nuls = "\0" * (max(map(int.__sub__, starts[1:], starts)) if changed else 0)
    empty = "\x02\x02"
    out: list[str] = []
    add = out.append
    for n, fields in enumerate(names):
        places = taken[n]
        text = "\n".join(fields) + (
            "\x02" + ",".join(map(str, places)) + "\x02" if places else empty
        )
        if changed:
            part = changed[starts[n] : starts[n + 1] - 1]
            if part and not nuls.startswith(part):
                text += part
        add(text)
    joined = "".join(out)
    if joined.isascii():
        lengths = list(map(len, out))
    else:
        lengths = [len(text.encode("utf-8", "surrogatepass")) for text in out]
    return joined.encode("utf-8", "surrogatepass"), [0, *accumulate(lengths)]


def shown_of(folded: str, patch: str) -> tuple[str, str]:
    """A record's field names (joined by "\\n") and its text as shown (fields joined by "\\n"),
    from its ``folded`` text and its ``patch``."""
    names, places, changed = patch.split("\x02", 2)
    kept = folded
    if places:
        for place in map(int, places.split(",")):  # ascending: each where it ends up
            kept = kept[:place] + " " + kept[place:]
    if not changed:
        return names, kept
    if len(changed) != len(kept):
        raise ValueError("a record's patch does not fit its folded text")
    if changed.isascii() and kept.isascii():  # most records: a byte a character
        narrow = changed.encode("ascii")
        mask = int.from_bytes(narrow.translate(_FULL), "little")
        value = int.from_bytes(kept.encode("ascii"), "little") & ~mask
        value |= int.from_bytes(narrow, "little")
        return names, value.to_bytes(len(narrow), "little").decode("ascii")
    wide = changed.encode(_CODEC, "surrogatepass")
    mask = _changed_mask(wide)
    value = int.from_bytes(kept.encode(_CODEC, "surrogatepass"), "little") & ~mask
    value |= int.from_bytes(wide, "little")
    return names, value.to_bytes(len(wide), "little").decode(_CODEC, "surrogatepass")


def _overlay(kept: str, changed: str) -> str:
    """``kept`` with each character that is not NUL in ``changed`` (of one length) put in its
    place, worked out on the narrowest encoding of one unit a character that holds both (see
    :func:`_changed`)."""
    for codec, width, errors in _NARROW:
        try:
            narrow, base = changed.encode(codec, errors), kept.encode(codec, errors)
        except UnicodeEncodeError:
            continue
        if len(narrow) != width * len(changed) or len(base) != len(narrow):
            continue  # a pair of UTF-16 units: one character is not one unit
        if width == 1:
            mask = int.from_bytes(narrow.translate(_FULL), "little")
        else:
            flags = int.from_bytes(narrow.translate(_NONZERO), "little")
            ones = int.from_bytes(b"\x01\0" * len(changed), "little")
            mask = ((flags | flags >> 8) & ones) * 0xFFFF
        value = int.from_bytes(base, "little") & ~mask | int.from_bytes(narrow, "little")
        out = value.to_bytes(len(narrow), "little").decode(codec, errors)
        if len(out) == len(kept):  # (two lone UTF-16 halves side by side make one character)
            return out
    wide = changed.encode(_CODEC, "surrogatepass")
    value = int.from_bytes(kept.encode(_CODEC, "surrogatepass"), "little") & ~_changed_mask(wide)
    value |= int.from_bytes(wide, "little")
    return value.to_bytes(len(wide), "little").decode(_CODEC, "surrogatepass")


# each ASCII character XOR its fold (0 for NUL, which stands where nothing changed)
_UNFOLD = bytes(c ^ ord(fold_keep(chr(c))) if 0 < c < 128 else 0 for c in range(256))


def shown_texts(records: list[tuple[bytes, bytes]]) -> list[bytes]:
    """The text as shown (UTF-8) of each of ``records`` (its folded text, its patch, both
    UTF-8): what :func:`shown_of` gives each, worked out for all of them at once (a shard's
    items: the characters folding changed are put back in one pass over their texts, not one
    a record). Most records are ASCII, and are worked out on their bytes as they are."""
    out: list[bytes] = [b""] * len(records)
    narrow = [n for n, (f, p) in enumerate(records) if f.isascii() and p.isascii()]
    if narrow:
        kept_b, changed_b = _spread([records[n] for n in narrow], b"\x02", b",", b" ", b"\0")
        # Records joined by NUL in both (the text as shown holds none: it stays where it is).
        # An ASCII character folds to one ASCII character whatever stands around it: where
        # the patch has one, the folded text has its fold, which XOR _UNFOLD of it makes it.
        flips = b"\0".join(changed_b).translate(_UNFOLD)
        value = int.from_bytes(b"\0".join(kept_b), "big") ^ int.from_bytes(flips, "big")
        for n, text in zip(narrow, value.to_bytes(len(flips), "big").split(b"\0"), strict=True):
            out[n] = text
    if len(narrow) < len(records):
        wide = sorted(set(range(len(records))).difference(narrow))
        decoded = [
            (f.decode("utf-8", "surrogatepass"), p.decode("utf-8", "surrogatepass"))
            for f, p in (records[n] for n in wide)
        ]
        kept_s, changed_s = _spread(decoded, "\x02", ",", " ", "\0")
        shown = _overlay("\0".join(kept_s), "\0".join(changed_s))
        texts = shown.encode("utf-8", "surrogatepass").split(b"\0")
        for n, text in zip(wide, texts, strict=True):
            out[n] = text
    return out


def _spread(records: list[tuple[Any, Any]], mark: Any, comma: Any, space: Any, nul: Any) -> Any:
    """Each record's text with the spaces the squeeze took out put back, and the changed
    characters of its patch (NUL over its whole length when there are none): ``str`` or
    ``bytes`` all, as ``records`` (folded text, patch) are, ``mark``, ``comma``, ``space``
    and ``nul`` the separators and fillers in that type."""
    kept_all = []
    changed_all = []
    for folded, patch in records:
        _, places, changed = patch.split(mark, 2)
        kept = folded
        if places:
            for place in map(int, places.split(comma)):  # ascending: each where it ends up
                kept = kept[:place] + space + kept[place:]
        if not changed:
            changed = nul * len(kept)
        elif len(changed) != len(kept):
            raise ValueError("a record's patch does not fit its folded text")
        kept_all.append(kept)
        changed_all.append(changed)
    return kept_all, changed_all
