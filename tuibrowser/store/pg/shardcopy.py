"""A half month's rows made ready for ``COPY … FROM STDIN`` (text format), in a worker
process: the meeting list, the search rows and the people's parts, as an officer sees them
and as ``--public`` shows them (with the public documents and catalogue rows), so that the
ingest's own process only streams bytes to the server while both cores make the rows.

A :class:`ShardJob` holds what the ingest read of one shard (its documents as JSON, its
files' catalogue rows); :func:`shard_copy` gives each table's lines. The rows are the ones
:mod:`.shardrows` and :mod:`.search` make (the one redaction, today's search folding): only
their writing is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from ...model import Meeting
    from .shardrows import MeetingListRow

# the columns of each table as the lines give them (the order COPY is told)
COLUMNS = {
    "documents": "folder, path, public, shard, date, lean",
    "texts": "folder, path, public, date, whole",
    "files": "folder, path, public, size, mtime_ns, sha256, shard, entry",
    "meetings": "folder, public, id, shard, date, time, board, row",
    "search_units": (
        "folder, public, seq, grp, meeting_id, date, time, board, kind, item_number, kpi, "
        "raw_title, confidential, names, shown, folded, head_words, words"
    ),
    "search_person_parts": "folder, public, shard, key, part",
    "shard_views": "folder, public, shard, views",
}
# the order the tables are written in (a search row's meeting before it)
ORDER = (
    "documents",
    "texts",
    "files",
    "meetings",
    "search_units",
    "search_person_parts",
    "shard_views",
)


@dataclass
class ShardJob:
    """One shard to make rows of: ``full`` its officer's rows, ``public`` its public ones."""

    folder: int
    shard: str
    docs: dict[str, bytes]  # file label → the officer's document (Document.to_dict), as JSON
    entries: dict[str, bytes]  # file label → its officer's catalogue entry, as JSON
    failed: list[str]  # the files and folders that could not be read
    full: bool = True
    public: bool = True
    # only the meetings of these dates written again (None: every meeting of the shard); the
    # shard's people are made of all its meetings, the public ones of ``shown`` besides
    dates: set[str] | None = None
    shown: dict[str, bytes] = field(default_factory=dict)  # label → public document, as stored
    # the people's parts the shard has, by (public, key), as JSON: only the parts that differ
    # are written again (and their people merged again)
    parts: dict[tuple[bool, str], str] = field(default_factory=dict)


@dataclass
class ShardLines:
    """Each table's lines (COPY's text format, UTF-8) of one shard."""

    shard: str
    tables: dict[str, bytes] = field(default_factory=dict)
    people: list[tuple[bool, str]] = field(default_factory=list)  # (public, key) parts changed


def shard_copy(job: ShardJob) -> ShardLines:
    """The rows of ``job``'s shard as COPY lines, table by table."""
    from ...model import Problem
    from .shardrows import meeting_rows, public_rows

    lines: dict[str, list[str]] = {name: [] for name in ORDER}
    docs = {label: orjson.loads(raw) for label, raw in job.docs.items()}
    mine = docs
    if job.dates is not None:
        mine = {label: d for label, d in docs.items() if d["date"] in job.dates}
    searched: dict[str, tuple[Meeting, list[str]]] = {}  # each full meeting's search lines
    changed: list[tuple[bool, str]] = []  # the people whose part is new or changed
    if job.full:
        _meeting_lines(lines, job, False, meeting_rows(docs), searched, changed)
    if job.public:
        entries = {label: orjson.loads(raw) for label, raw in job.entries.items() if label in mine}
        problems = {
            label: [Problem.from_dict(p) for p in e.get("problems") or ()]
            for label, e in entries.items()
        }
        rows = public_rows(mine, problems, job.failed)
        for d in rows.documents:
            lines["documents"].append(
                line(job.folder, d.path, True, job.shard, d.date, d.lean.decode())
            )
            lines["texts"].append(line(job.folder, d.path, True, d.date, d.whole.decode()))
        for label, e in entries.items():
            told = dict(e, problems=rows.problems.get(label, []), marks=[])
            lines["files"].append(
                line(job.folder, label, True, e.get("size"), e.get("mtime_ns"), e.get("sha256"),
                     job.shard, orjson.dumps(told).decode())
            )  # fmt: skip
        shown = rows.meetings
        if job.dates is not None:  # the shard's people: of the other dates' meetings too
            every = {label: orjson.loads(raw) for label, raw in job.shown.items()}
            every.update((d.path, orjson.loads(d.whole)) for d in rows.documents)
            shown = meeting_rows(every)
        _meeting_lines(lines, job, True, shown, searched, changed)
    kinds = [kind for kind, on in ((False, job.full), (True, job.public)) if on]
    people = [key for key in job.parts if key[0] in kinds]  # parts gone (the rest popped)
    people += changed
    return ShardLines(
        job.shard,
        {name: "".join(found).encode() for name, found in lines.items() if found},
        sorted(people),
    )


def _meeting_lines(
    lines: dict[str, list[str]],
    job: ShardJob,
    public: bool,
    rows: list[MeetingListRow],
    searched: dict[str, tuple[Meeting, list[str]]],
    changed: list[tuple[bool, str]],
) -> None:
    """The meeting list's, the search's and the people's lines of one kind of reader. A
    meeting the public sees as the officer does (no item of it withheld: most) has the same
    search rows, made once (``searched``: each meeting's, as the officer's were made)."""
    from ...search.skeleton import _month_people

    folder, shard = job.folder, job.shard
    flag = f"{folder}\t{copy_field(public)}\t"
    meetings = [m.meeting for m in rows if m.meeting]  # the people's: every meeting's
    if job.dates is not None:
        rows = [m for m in rows if m.date in job.dates]
    for r in rows:
        lines["meetings"].append(flag + line(r.id, shard, r.date, r.time, r.board, r.row.decode()))
    for m in [r.meeting for r in rows if r.meeting]:
        made = searched.get(m.id)
        if made is None or made[0] != m:
            made = (m, _search_lines(m))
            if not public:
                searched[m.id] = made
        lines["search_units"].extend(flag + body for body in made[1])
    for part in _month_people(meetings):
        text = orjson.dumps(part)
        had = job.parts.pop((public, part[0]), None)
        if had is not None and orjson.loads(had) == orjson.loads(text):
            continue  # the same part: the person stays as merged
        changed.append((public, part[0]))
        lines["search_person_parts"].append(flag + line(shard, part[0], text.decode()))
    if meetings:  # the screens' parts of the whole shard (a shard with none has no row)
        lines["shard_views"].append(flag + line(shard, shard_views(meetings).decode()))


def shard_views(meetings: list[Meeting]) -> bytes:
    """A shard's part of what the People list, Topics and the dashboard show (``a``, ``t``,
    ``k``), of its meetings in the library's order, as the cache keeps it beside a shard."""
    from ...kpi.glance import shard_glances
    from ...library import collect_people
    from ...listing import by_meeting_order
    from ...people_figures import shard_figures
    from ...topic_parts import shard_items

    ordered = sorted(meetings, key=by_meeting_order, reverse=True)
    people = collect_people(ordered)
    return orjson.dumps(
        {
            "a": shard_figures(ordered, people),
            "t": shard_items(ordered),
            "k": shard_glances(ordered),
        }
    )


def _search_lines(m: Meeting) -> list[str]:
    """The search rows of one meeting, without their folder and flag (the first two fields)."""
    from .search import search_rows

    return [
        line(r["seq"], r["grp"], m.id, m.date, m.time or "", m.board, r["kind"],
             r["item_number"], r["kpi"], r["raw_title"], r["confidential"], r["names"],
             r["shown"], r["folded"], r["head_words"], r["words"])
        for r in search_rows(m)
    ]  # fmt: skip


# --- COPY's text format -----------------------------------------------------------------------


def line(*values: Any) -> str:
    """One row of COPY's text format: the fields by tabs, ended by a newline."""
    return "\t".join(map(copy_field, values)) + "\n"


def copy_field(value: Any) -> str:
    """A value as a field of COPY's text format: ``\\N`` for NULL, ``t``/``f``, a number, a
    text with its backslashes, newlines, returns and tabs escaped, a list as an array."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        value = array_literal(value)
    return _escape(str(value))


def _escape(text: str) -> str:
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    if "\t" in text:
        text = text.replace("\t", "\\t")
    return text


def array_literal(values: list | tuple) -> str:
    """A list of texts as an array's literal (``{"a","b"}``), every element quoted."""
    out = []
    for v in values:
        if v is None:
            out.append("NULL")
        else:
            out.append('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(out) + "}"
