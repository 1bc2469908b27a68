"""Document → meeting-file text, in the format of docs/format.md.

The YAML is written so that it reads back identically through :mod:`tuibrowser.records`
(a YAML 1.2 core-schema loader): every text value that is not a plain word is double-quoted,
so ``10:30``, ``NO``, ``2024-03-05``, ``null`` or ``# not a comment`` stay text.

Markdown text from a record is made safe for the body first (:func:`safe_text`): a line that
would read as a heading or a code fence is escaped with a backslash, so text never turns into
an item, a section or a code block.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .body import SUBSECTIONS
from .keys import board_slug, person_key
from .model import Attendee, Document, Item, Kpi, Member

# A plain YAML word that means the same text in YAML 1.1 and 1.2 core schema.
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIAL_WORDS = {
    "true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf",
}  # fmt: skip
_HEADING = re.compile(r"^[ \t]{0,3}#{1,2}(?:[ \t]|$)")
_SUBHEADING = re.compile(r"^[ \t]{0,3}###[ \t]+(?P<title>.*?)[ \t]*:?[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_ITEM_NUMBER = re.compile(r"^\d+[A-Za-z]?(?:\.\d+)*[A-Za-z]?$")


class _Dumper(yaml.SafeDumper):
    """Safe dumper: block style, no aliases, text double-quoted unless it is a plain word."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # lists indented under their key, as the hand-written files have them
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    plain = bool(_PLAIN.fullmatch(data)) and data.lower() not in _SPECIAL_WORDS
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=None if plain else '"')


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100_000,
        indent=2,
    )


def safe_text(text: str | None, section: bool = False) -> str:
    """Text made safe for the markdown body: no line reads as an item, a section or a field.

    Lines that read as a level-1 or level-2 heading, as one of the item sub-headings the loader
    knows (``### Decisions`` …) or as an unclosed code fence get a leading backslash (markdown
    shows the character itself). ``section``: the text goes under a sub-heading (a report's
    field, an editor's note), which any ``###`` line would end (the loader takes the lines
    after it as the item's prose), so every such line gets one. Leading and trailing blank
    lines and trailing spaces are dropped. Applying it twice gives the same text.
    """
    if not text:
        return ""
    lines: list[str] = []
    fences = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.rstrip()
        sub = _SUBHEADING.match(line)
        if _HEADING.match(line) or (sub and (section or sub.group("title").lower() in SUBSECTIONS)):
            line = "\\" + line.lstrip(" \t")
        elif _FENCE.match(line):
            fences.append(len(lines))
        lines.append(line)
    if len(fences) % 2:  # an unclosed code fence would swallow the rest of the file
        lines[fences[-1]] = "\\" + lines[fences[-1]].lstrip(" \t")
    return "\n".join(lines).strip("\n")


def one_line(text: str | None) -> str:
    """Text on one line (titles, list entries), spaces folded."""
    return " ".join((text or "").split())


def file_name(doc: Document, suffix: str | None = None) -> str:
    """The conventional file name ``YYYY-MM-DD-<board-slug>-<kind>.md``."""
    return f"{doc.date}-{board_slug(doc.board)}-{suffix or doc.kind}.md"


# --- frontmatter ---------------------------------------------------------------


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != ""}


def _attendee(a: Attendee) -> dict[str, Any]:
    out = _drop_none(
        {
            "name": a.name,
            "role": a.role,
            "authority": a.authority,
            "group": a.group,
            "status": a.status,
            "note": a.note,
        }
    )
    if a.person and a.person != person_key(a.name):
        out["person"] = a.person
    return out


def _member(m: Member) -> dict[str, Any]:
    out = _drop_none(
        {
            "name": m.name,
            "authority": m.authority,
            "group": m.group,
            "role": m.role,
            "period": m.period,
        }
    )
    if m.person and m.person != person_key(m.name):
        out["person"] = m.person
    return out


def _kpi(k: Kpi) -> dict[str, Any]:
    out = _drop_none(
        {
            "code": k.code,
            "code_printed": k.code_printed,
            "theme": k.theme,
            "period": k.period,
            "target": k.target,
            "target_value": k.target_value,
            "delivered": k.delivered,
            "actual_value": k.actual_value,
            "rating": k.rating,
            "item": k.item,
            "note": k.note,
        }
    )
    return out


def frontmatter(doc: Document) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "board": doc.board,
        "date": doc.date,
        "time": doc.time,
        "kind": doc.kind,
        "title": doc.title,
        "status": doc.status,
        "cancelled": True if doc.cancelled else None,
        "venue": doc.venue,
        "source": doc.source,
    }
    if doc.next_meeting is not None:
        nm = _drop_none(doc.next_meeting.to_dict())
        meta["next_meeting"] = nm or None
    meta["attendance"] = [_attendee(a) for a in doc.attendance]
    meta["membership"] = [_member(m) for m in doc.membership]
    meta["kpis"] = [_kpi(k) for k in doc.kpis]
    meta["summaries"] = [_drop_none(s.to_dict()) for s in doc.summaries]
    meta["series"] = [
        _drop_none(
            {
                "name": s.name,
                "unit": s.unit,
                "item": s.item,
                "note": s.note,
                "points": [{"period": p.period, "value": p.value} for p in s.points],
            }
        )
        for s in doc.series
    ]
    meta["outputs"] = [_drop_none(o.to_dict()) for o in doc.outputs]
    meta["figures"] = [_drop_none(f.to_dict()) for f in doc.figures]
    meta["documents"] = [_drop_none(d.to_dict()) for d in doc.documents]
    meta["notes"] = [n for n in doc.notes if n]
    return _drop_none(meta)


# --- body ----------------------------------------------------------------------


def _heading(item: Item, attrs: list[str]) -> str:
    title = one_line(item.title)
    if attrs or title.endswith(("}", "#")):
        return f"## {item.number}. {title} {{{' '.join(attrs)}}}".rstrip()
    return f"## {item.number}. {title}".rstrip()


def _entries(entries: list[str]) -> list[str]:
    out = []
    for entry in entries:
        lines = [line.strip() for line in safe_text(entry).split("\n") if line.strip()]
        if not lines:
            continue
        out.append(f"- {lines[0]}")
        out.extend(f"    {line}" for line in lines[1:])
    return out


def _item_lines(doc: Document, item: Item, position: int) -> list[str]:
    attrs = []
    if item.confidential:
        attrs.append("confidential")
    if item.order is not None and (doc.kind != "minutes" or item.order != position):
        attrs.append(f"order={item.order}")
    lines = [_heading(item, attrs), ""]
    prose = item.report.text if (doc.kind == "agenda" and item.report) else item.minute
    if doc.kind != "agenda" and item.report is not None and item.report.text:
        prose = "\n\n".join(p for p in (prose, item.report.text) if p)
    prose = safe_text(prose)
    if prose:
        lines += [prose, ""]
    if item.report is not None:
        for key, heading in (
            ("purpose", "Purpose"),
            ("summary", "Summary"),
            ("recommendation", "Recommendation"),
            ("proposed_action", "Proposed action"),
            ("contact", "Contact officer"),
        ):
            value = safe_text(getattr(item.report, key), section=True)
            if value:
                lines += [f"### {heading}", "", value, ""]
    for key, heading in (("decisions", "Decisions"), ("actions", "Actions")):
        entries = _entries(getattr(item, key))
        if entries:
            lines += [f"### {heading}", "", *entries, ""]
    note = safe_text(item.note, section=True)
    if note:
        lines += ["### Editor's note", "", note, ""]
    return lines


def render(doc: Document) -> str:
    """The meeting-file text for ``doc``."""
    meta = dump_yaml(frontmatter(doc))
    body: list[str] = []
    if doc.title:
        body += [f"# {one_line(doc.title)}", ""]
    sections = list(doc.sections)
    if sections and sections[0].title == "Preamble":
        pre = safe_text(sections.pop(0).text)
        if pre:
            body += [pre, ""]
    items = sorted(
        doc.items,
        key=lambda it: (it.order is None, it.order or 0) if doc.kind == "minutes" else (0, 0),
    )
    for position, item in enumerate(items, start=1):
        if not _ITEM_NUMBER.match(item.number or ""):
            raise ValueError(f"item number {item.number!r} cannot be written as a heading")
        body += _item_lines(doc, item, position)
    for section in sections:
        body += [f"## {one_line(section.title)}", ""]
        text = safe_text(section.text)
        if text:
            body += [text, ""]
    text = "---\n" + meta + "---\n\n" + "\n".join(body)
    return text.rstrip("\n") + "\n"


# --- writing a file -------------------------------------------------------------


EXISTS = "the file exists (use --force to overwrite it)"
LINK = (
    "a symbolic link has this name (use --force to replace the link; its target is never written)"
)
NOT_REGULAR = "something that is not a regular file has this name"


class NotWritten(Exception):
    """The file was not written; the message says why, in plain words."""


def _default_mode() -> int:
    """The mode a new file gets from the umask (what ``open`` would give it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: Path, text: str, force: bool = False) -> str:
    """Write ``text`` to ``path`` safely, never through a link, and never half a file.

    The text goes to a new temporary file in the same folder (a random name, created with
    ``O_EXCL``, so nothing planted there is followed), is flushed to disk and then published
    in one step: hard-linked to ``path`` when nothing may be overwritten (the link fails if
    anything appeared there, so nothing is clobbered), renamed over it with ``force``. A
    symbolic link at ``path`` is never followed: without ``force`` it is refused, with
    ``force`` the link itself is replaced and its target left alone. Anything at ``path``
    that is not a regular file or a link (a folder, a pipe, a device) is refused.
    Returns ``written`` or ``overwritten`` (saying so when a link was replaced); raises
    :class:`NotWritten` or ``OSError``.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            if not force:
                raise NotWritten(LINK)
        elif not stat.S_ISREG(st.st_mode):
            raise NotWritten(NOT_REGULAR)
        elif not force:
            raise NotWritten(EXISTS)
    mode = stat.S_IMODE(st.st_mode) if st is not None and stat.S_ISREG(st.st_mode) else None
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode if mode is not None else _default_mode())
        if force:
            os.replace(tmp, path)  # replaces a link itself, never its target
        else:
            try:
                os.link(tmp, path)
            except FileExistsError as exc:
                raise NotWritten(EXISTS) from exc
            except OSError:
                # a file system without hard links: create the name exclusively instead
                _write_exclusive(path, text)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    if st is not None and stat.S_ISLNK(st.st_mode):
        return "overwritten (the symbolic link was replaced; its target is untouched)"
    return "overwritten" if st is not None else "written"


def _write_exclusive(path: Path, text: str) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError as exc:
        raise NotWritten(EXISTS) from exc
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


__all__ = [
    "EXISTS",
    "LINK",
    "NOT_REGULAR",
    "NotWritten",
    "dump_yaml",
    "file_name",
    "frontmatter",
    "one_line",
    "render",
    "safe_text",
    "write_file",
]
