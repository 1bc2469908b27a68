"""Files → documents: read one meeting file (or a folder of them) and parse it.

The text is split into its frontmatter (validated in :mod:`.frontmatter_fields`) and its markdown
body (parsed in :mod:`.body`); :mod:`.scan` finds the files of a folder. Documents are merged
into meetings elsewhere (:mod:`.library`).

Nothing here raises on bad input: every problem becomes a :class:`Problem` naming the file
(and line), and the other files go on. A file with an error is skipped whole; a bad value in a
field the file can do without is left out with a warning (see :mod:`.frontmatter_fields`).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

from . import limits, yamlsafe
from .base import NEW_LIST, record
from .body import parse_body
from .frontmatter_fields import DROPPED, Invalid, frontmatter_document, kind_of, row_item
from .model import Document, Problem, Report
from .safeopen import FileTooLarge, NotRegularFile, read_regular
from .scan import restricted_problem, scan

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FRONTMATTER_CHARS = 2 * 1024 * 1024


class MeetingYAMLHandler:
    """python-frontmatter's YAML handler (without importing it, nor PyYAML: most files are
    read without them), reading with the core-schema loader, and splitting at a closing line
    of dashes followed by nothing but spaces and tabs.

    The library's boundary ``^-{3,}\\s*$`` lets ``\\s`` run on across line ends: it would swallow
    the blank lines after a '---' line, so that the frontmatter and the body no longer start on
    the lines problems are counted from, and it would take a '---' followed by a form feed or a
    no-break space for the closing line. The opening line is still found the library's way.
    """

    FM_BOUNDARY = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)
    OPENING = re.compile(r"^-{3,}\s*$", re.MULTILINE)  # the library's boundary

    def detect(self, text: str) -> bool:
        return bool(self.OPENING.match(text))

    def split(self, text: str) -> tuple[str, str]:
        """The frontmatter and the body, split as the library splits them."""
        _, fm, content = self.FM_BOUNDARY.split(text, 2)
        return fm, content

    def load(self, fm: str, **kwargs: object) -> Any:
        return yamlsafe.load(fm)

    def split_lines(self, text: str) -> tuple[str, str, int] | None:
        """The frontmatter and the body of ``text`` (accepted by :meth:`detect`, its line ends
        made ``\\n``) and the line number of the body's first character; None when the
        frontmatter is not closed. The frontmatter starts on line 2."""
        first_nl = text.find("\n")
        if first_nl < 0:
            return None
        closing = _closing_line(text, first_nl)
        if closing is None:  # one boundary only: the frontmatter is not closed
            return None
        start, end = closing
        body = text[end:]
        return text[first_nl + 1 : start], body, text.count("\n", 0, end) + 1


def _closing_line(text: str, after: int) -> tuple[int, int] | None:
    """Where the first line after position ``after`` (a line break) that is three dashes or
    more, then nothing but spaces and tabs, starts and ends (:attr:`MeetingYAMLHandler.FM_BOUNDARY`
    split at it): found with ``str.find`` at C speed, where the pattern looks at every
    character of the frontmatter."""
    find = text.find
    at = find("\n---", after)
    while at != -1:
        start = at + 1
        end = find("\n", start)
        if end == -1:
            end = len(text)
        if not text[start:end].rstrip(" \t").strip("-"):
            return start, end
        at = find("\n---", end)
    return None


HANDLER = MeetingYAMLHandler()


@record
class Parsed:
    """What reading one file gave: a document (or None when it has errors) and problems."""

    _unshown = ("json",)

    def __init__(
        self,
        path: str,
        document: Document | None,
        problems: list[Problem] = NEW_LIST,
        json: bytes | None = None,
    ) -> None:
        # the document's JSON as the cache stores it (limits.stored), made when it was checked
        self.path = path
        self.document = document
        self.problems = [] if problems is NEW_LIST else problems
        self.json = json

    @property
    def ok(self) -> bool:
        return self.document is not None


# --- reading ---------------------------------------------------------------


def read_file(path: Path | str, label: str | None = None) -> Parsed:
    """Read and parse one meeting file. ``label`` is the path shown in messages."""
    label = label or str(path)
    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            # A pipe would block the reader for ever; a device could be endless.
            return _fail(label, None, NOT_REGULAR)
        size = st.st_size
        if size > MAX_FILE_BYTES:
            return _fail(label, None, _too_large(size))
        # checked again on the open file: it may have been swapped for a pipe since the stat
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile:
        return _fail(label, None, NOT_REGULAR)
    except FileTooLarge as exc:
        return _fail(label, None, _too_large(exc.size))
    except PermissionError:
        return Parsed(label, None, [restricted_problem(label)])
    except OSError as exc:
        return _fail(label, None, f"cannot read file: {exc.strerror or exc}")
    return parse_bytes(raw, label)


NOT_REGULAR = "not a regular file (a pipe, socket or device): not read"


def _too_large(size: int | None) -> str:
    if size is None:
        return f"file is larger than {MAX_FILE_BYTES // 2**20} MB"
    return f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB"


def parse_bytes(raw: bytes, label: str) -> Parsed:
    if len(raw) > MAX_FILE_BYTES:
        return _fail(label, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
    if not raw or raw.isspace():  # (what ``not raw.strip()`` tells, without a copy of it)
        return _fail(label, 1, "file is empty")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return _fail(label, line, "file contains NUL bytes (binary data, not a text file)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _fail(
            label, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        )
    return parse_text(text, label)


def parse_text(text: str, label: str) -> Parsed:
    """Parse the text of a meeting file."""
    # the BOM and CR line ends go first: the handler splits at lines that end in '\n'
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not HANDLER.detect(text):
        return _fail(label, 1, "no frontmatter: a meeting file starts with a line '---'")
    split = HANDLER.split_lines(text)
    if split is None:
        return _fail(label, 1, "frontmatter is not closed: add a line '---' after it")
    fm_text, body, body_line = split  # body_line: the line number of body[0]
    if len(fm_text) > MAX_FRONTMATTER_CHARS:
        return _fail(
            label,
            2,
            f"frontmatter is {len(fm_text) / 1e6:.1f} MB; the limit is {MAX_FRONTMATTER_CHARS // 2**20} MB",
        )
    try:
        meta = HANDLER.load(fm_text)
    except yamlsafe.YamlLimitError as exc:
        return _fail(label, 2, str(exc))
    except yamlsafe.yaml_error() as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return _fail(label, line, f"YAML error: {problem}")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return _fail(
            label, 2, f"frontmatter must be a mapping of keys to values, not {kind_of(meta)}"
        )
    problems: list[Problem] = []
    dropped: list[tuple[str, tuple]] = []
    token = DROPPED.set(dropped)
    try:
        doc = _document(meta, body, body_line, label, problems, fm_text)
    except Invalid as exc:
        line = exc.line
        if line is None:
            found = yamlsafe.locate(fm_text, exc.path) if exc.path else None
            line = found + 2 if found is not None else 2
        problems.insert(0, Problem(label, line, exc.message, item=row_item(meta, exc.path)))
        return Parsed(label, None, problems)
    finally:
        DROPPED.reset(token)
    for message, path in dropped:
        found = yamlsafe.locate(fm_text, path)
        line = found + 2 if found is not None else 2
        # under its item, so public mode withholds it with a confidential item's rows
        problems.append(Problem(label, line, message, "warning", row_item(meta, path)))
    json, unstorable = limits.stored(doc)
    if unstorable:
        problems.insert(0, Problem(label, None, unstorable))
    if any(p.severity == "error" for p in problems):
        return Parsed(label, None, problems)
    return Parsed(label, doc, problems, json)


def _fail(label: str, line: int | None, message: str) -> Parsed:
    return Parsed(label, None, [Problem(label, line, message)])


def _document(
    meta: dict, body: str, body_line: int, label: str, problems: list[Problem], fm_text: str
) -> Document:
    def warn(message: str, path: tuple[Any, ...]) -> None:
        found = yamlsafe.locate(fm_text, path)
        line = found + 2 if found is not None else 2
        problems.append(Problem(label, line, message, "warning", row_item(meta, path)))

    doc = frontmatter_document(meta, label, warn)
    kind = doc.kind
    title, items, sections = parse_body(body, body_line, label, problems)
    if title and not doc.title:
        doc.title = title
    doc.items = items
    doc.sections = sections
    if kind == "agenda":
        for it in items:
            if it.minute:
                it.report = it.report or Report()
                it.report.text = it.minute
                it.minute = ""
    elif kind == "minutes":
        for position, it in enumerate(sorted(items, key=lambda x: x.line or 0), start=1):
            if it.order is None:
                it.order = position
    return doc


def read_folder(root: Path) -> tuple[list[Parsed], list[Problem]]:
    """Parse every meeting file under ``root`` (no cache)."""
    files, problems = scan(root)
    return [read_file(p, label) for p, label in files], problems


__all__ = [
    "MAX_FILE_BYTES",
    "Parsed",
    "parse_bytes",
    "parse_text",
    "read_file",
    "read_folder",
    "restricted_problem",
    "scan",
]
