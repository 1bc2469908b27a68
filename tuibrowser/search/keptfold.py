"""A shard's search text made again after an edit, from the records of the meetings that did
not change.

A month's segment (:func:`.segments.month_fold`) is its records one after the other: each
record's folded text (ended by NUL) and its patch (:mod:`.casepatch`) are a function of that
record's fields alone, and a meeting's records are a function of its documents alone. So when
a refresh writes a half month again after one file changed, the records of every meeting whose
documents are all as the old shard holds them are the old segment's bytes for that meeting (at
other offsets): they are taken from there, and only the other meetings are folded. Folding the
whole half month again was a tenth of a one-file refresh.

Whatever does not fit (an old part of another shape, offsets that do not fit its text, a
meeting whose records in the old part are not as many as it has now) and the whole month is
folded as a cold index folds it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .casepatch import shown_of
from .segments import _block_bounds, _offsets, _read_offsets, month_fold
from .units import _unit_count

if TYPE_CHECKING:
    from ..model import Meeting


class OldFold:
    """A month's segment as the old shard holds it: its folded text, its patches (the
    ``.show`` part's text, unpacked), its offsets, and the first record of each of its meetings
    by meeting id (the ``.units`` part's ``m``: id, date, board, first record)."""

    def __init__(self, folded: bytes, patches: bytes, offsets: bytes, meetings: list) -> None:
        self.folded = folded
        self.patches = patches
        self.f_starts, self.s_starts, _ = _read_offsets(offsets)
        n = len(self.f_starts) - 1
        if n < 1 or len(self.s_starts) != n + 1:
            raise ValueError("an old segment's offsets are not of its records")
        if self.f_starts[-1] != len(folded) or self.s_starts[-1] != len(patches):
            raise ValueError("an old segment's offsets do not fit its text")
        self.ranges: dict[str, tuple[int, int]] = {}
        firsts = [int(row[3]) for row in meetings]
        if firsts and firsts[0] != 0:
            raise ValueError("an old segment's meetings do not start at its first record")
        for k, row in enumerate(meetings):
            end = firsts[k + 1] if k + 1 < len(firsts) else n
            mid = row[0]
            if not isinstance(mid, str) or mid in self.ranges or not 0 <= firsts[k] <= end <= n:
                raise ValueError("an old segment's meetings do not fit its records")
            self.ranges[mid] = (firsts[k], end)

    def shown(self, uid: int) -> bytes:
        """Record ``uid``'s text as shown (UTF-8), made of its folded text and its patch as a
        reader makes it (:func:`tuibrowser.store.leantexts.record_text`)."""
        f, s = self.f_starts, self.s_starts
        text = self.folded[f[uid] : f[uid + 1] - 1].decode("utf-8", "surrogatepass")
        patch = self.patches[s[uid] : s[uid + 1]].decode("utf-8", "surrogatepass")
        return shown_of(text, patch)[1].encode("utf-8", "surrogatepass")


class Texts(Sequence[bytes]):
    """The text as shown of each record of a month (UTF-8), as :func:`.segments.month_fold`
    gives them: of a record taken from the old segment, made of its folded text and patch
    when it is asked for (as a reader makes it: :meth:`OldFold.shown`)."""

    def __init__(self, made: list[bytes | None], old: OldFold, at: list[int]) -> None:
        self.made = made
        self.old = old
        self.at = at  # each record's place in the old segment (-1: made here)

    def __len__(self) -> int:
        return len(self.made)

    def take_streams(
        self,
        stripped: dict[str, tuple[str, list]],
        places: dict[tuple[str, str], int],
        streams: dict[tuple[bytes, bytes], bytes],
    ) -> None:
        """Take the text as shown of the records taken from the old segment that hold a long
        text from the old part's ``streams`` (:data:`tuibrowser.store.leantexts.Streams`, by
        the text as shown of its record and the long text) instead of making it again.

        A record taken from the old segment is of a meeting whose documents are all as the
        old shard held them: each of its items' long texts (``stripped``, by document; its
        record in ``places``, :func:`tuibrowser.store.leantexts.record_places`) is one the
        old part held, against that record's text as shown, which is this record's. So when
        only one stream of the old part holds that long text, its text as shown is this
        record's (when more do, the record's is made)."""
        from orjson import dumps

        from ..keys import item_key

        by_data: dict[bytes, bytes | None] = {}
        for zdict, data in streams:
            by_data[data] = zdict if data not in by_data else None
        made = self.made
        for meeting, taken in stripped.values():
            for _, number, saved in taken:
                if not isinstance(saved, (bytes, dict)):
                    continue  # (a stream carried as it is: its text as shown is not needed)
                uid = places.get((meeting, item_key(number)), -1)
                if 0 <= uid < len(made) and made[uid] is None:
                    text = by_data.get(saved if isinstance(saved, bytes) else dumps(saved))
                    if text is not None:
                        made[uid] = text

    def __getitem__(self, uid: int) -> bytes:  # type: ignore[override]
        text = self.made[uid]
        if text is None:
            old = self.old
            text = self.made[uid] = old.shown(self.at[uid])
        return text


def _fold(meetings: Sequence[Any]) -> tuple[bytes, bytes, bytes, Sequence[bytes]]:
    """:func:`.segments.month_fold` of ``meetings`` (``ValueError`` when one is taken whole
    from the old parts, which cannot be folded)."""
    from ..model import Meeting

    if not all(isinstance(m, Meeting) for m in meetings):
        raise ValueError("a meeting taken whole from the old parts cannot be folded")
    return month_fold(list(meetings))


def kept_fold(
    meetings: Sequence[Any], old: OldFold | None, kept: Callable[[Any], bool]
) -> tuple[bytes, bytes, bytes, Sequence[bytes]]:
    """:func:`.segments.month_fold` of ``meetings``, taking the records of each meeting that
    ``kept`` says is made of documents all as the ``old`` segment's shard holds them from
    there (its meeting id there, and as many records as it has now). A meeting may be one
    taken whole from the old parts (:class:`tuibrowser.store.keptmeetings.OldMeeting`, of
    ``count`` records), which is never folded: ``ValueError`` when its records cannot be
    taken."""
    from ..model import Meeting

    if old is None:
        return _fold(meetings)
    plan: list[tuple[int, int]] = []  # per meeting: its records in the old segment, or (-1, n)
    fresh: list[Meeting] = []
    for m in meetings:
        count = _unit_count(m) if isinstance(m, Meeting) else m.count
        span = old.ranges.get(m.id) if kept(m) else None
        if span is not None and span[1] - span[0] == count:
            plan.append(span)
        else:
            plan.append((-1, count))
            fresh.append(m)
    total = sum(hi - lo if lo >= 0 else hi for lo, hi in plan)
    if len(fresh) == len(meetings) or total == 0:
        return _fold(meetings)
    new_folded, new_patches, new_offsets, new_texts = (
        month_fold(fresh) if any(lo < 0 and hi for lo, hi in plan) else (b"", b"", b"", [])
    )
    nf: Sequence[int] = [0]
    ns: Sequence[int] = [0]
    if new_folded:
        nf, ns, _ = _read_offsets(new_offsets)
        if len(nf) - 1 != sum(hi for lo, hi in plan if lo < 0):
            return _fold(meetings)  # (never: the records folded are the meetings')
    folded: list[bytes] = []
    patches: list[bytes] = []
    f_starts: list[int] = []
    p_starts: list[int] = []
    made: list[bytes | None] = []
    at: list[int] = []
    f_end = p_end = 0
    done = 0  # records of the fresh meetings placed so far
    of: Sequence[int] = old.f_starts
    os_: Sequence[int] = old.s_starts
    for lo, hi in plan:
        if lo >= 0:
            src_f, src_s, first, last = old.folded, old.patches, lo, hi
            starts_f, starts_s = of, os_
            made += [None] * (hi - lo)
            at += range(lo, hi)
        else:
            src_f, src_s, first, last = new_folded, new_patches, done, done + hi
            starts_f, starts_s = nf, ns
            made += new_texts[done : done + hi]
            at += [-1] * hi
            done += hi
        if first == last:
            continue
        base_f, base_s = starts_f[first], starts_s[first]
        f_starts += [f_end + s - base_f for s in starts_f[first:last]]
        p_starts += [p_end + s - base_s for s in starts_s[first:last]]
        folded.append(src_f[base_f : starts_f[last]])
        patches.append(src_s[base_s : starts_s[last]])
        f_end += starts_f[last] - base_f
        p_end += starts_s[last] - base_s
    p_starts.append(p_end)
    folded_b = b"".join(folded)
    offsets = _offsets(f_starts, f_end, p_starts, _block_bounds(f_starts, f_end))
    return folded_b, b"".join(patches), offsets, Texts(made, old, at)
