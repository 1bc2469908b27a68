"""Import one file: decode, detect, parse; never raise on bad input."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..records import parse_text
from ..safeopen import FileTooLarge, NotRegularFile, read_regular
from ..text import visible_name
from ..writer import EXISTS, LINK, NOT_REGULAR, NotWritten, render, write_file
from . import agenda_pack, getmeeting, moderngov_text, pdftext
from .base import MAX_IMPORT_BYTES, ImportedDocument, ImportFailure, ImportResult, decode
from .detect import FORMATS, detect

# Not written on purpose: what is there is the user's, and stays as it was without --force.
SKIPPED_EXISTS = f"not written: {EXISTS}"
SKIPPED_LINK = f"not written: {LINK}"
SKIPPED = (SKIPPED_EXISTS, SKIPPED_LINK)

LOOKS_LIKE = {
    "getmeeting": getmeeting.looks_like,
    "agenda_pack": agenda_pack.looks_like,
    "moderngov_text": moderngov_text.looks_like,
}
PARSERS = {
    "getmeeting": getmeeting.parse,
    "agenda_pack": agenda_pack.parse,
    "moderngov_text": moderngov_text.parse,
}


_KINDS_OF_FILE = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe, not a regular file; not read"),
    (stat.S_ISSOCK, "is a socket, not a regular file; not read"),
    (stat.S_ISCHR, "is a device, not a regular file; not read"),
    (stat.S_ISBLK, "is a device, not a regular file; not read"),
)


def _not_regular(mode: int) -> str | None:
    for test, message in _KINDS_OF_FILE:
        if test(mode):
            return message
    return None if stat.S_ISREG(mode) else "is not a regular file; not read"


def _too_big(size: int) -> str:
    return f"file is {size / 2**20:.1f} MB; the import limit is {MAX_IMPORT_BYTES // 2**20} MB"


def read_limited(path: Path) -> bytes:
    """The bytes of a regular file of at most the import limit; ImportFailure otherwise.

    Only regular files are read: a pipe would block for ever and a device like /dev/zero never
    ends. The file is opened without blocking and checked on the open descriptor (it cannot be
    swapped between the check and the read), and never more than the limit + 1 bytes are read,
    whatever its size claimed (:func:`tuibrowser.safeopen.read_regular`).
    """
    before = os.stat(path)
    problem = _not_regular(before.st_mode)
    if problem:
        raise ImportFailure(problem)
    if before.st_size > MAX_IMPORT_BYTES:
        raise ImportFailure(_too_big(before.st_size))
    try:
        return read_regular(path, MAX_IMPORT_BYTES)
    except NotRegularFile as exc:
        raise ImportFailure(_not_regular(exc.mode) or "is not a regular file; not read") from None
    except FileTooLarge as exc:
        if exc.size is not None:
            raise ImportFailure(_too_big(exc.size)) from None
        raise ImportFailure(
            f"file is over the import limit of {MAX_IMPORT_BYTES // 2**20} MB"
        ) from None


def import_file(path: Path, board: str | None = None) -> ImportResult:
    label = visible_name(str(path))  # printed, and written as the document's source
    try:
        raw = read_limited(path)
    except ImportFailure as exc:
        return ImportResult(label, error=str(exc))
    except IsADirectoryError:
        return ImportResult(label, error="is a folder, not a file")
    except PermissionError:
        return ImportResult(label, error="permission denied")
    except OSError as exc:
        return ImportResult(label, error=f"cannot read file: {exc.strerror or exc}")
    return import_bytes(raw, label, board)


def import_bytes(raw: bytes, source: str, board: str | None = None) -> ImportResult:
    result = ImportResult(source)
    try:
        # an agenda pack or printed minutes as PDF: its text, laid out as the text exports are
        text = pdftext.pdf_to_text(raw) if pdftext.is_pdf(raw) else decode(raw, result.warnings)
    except ImportFailure as exc:
        result.error = str(exc)
        return result
    return import_text(text, source, board, result)


def import_text(
    text: str, source: str, board: str | None = None, result: ImportResult | None = None
) -> ImportResult:
    result = result or ImportResult(source)
    kind = detect(text)
    result.kind = kind
    if kind is None:
        result.error = (
            "not a ModernGov export this importer knows (text minutes, an agenda pack "
            "or GetMeeting XML)"
        )
        return result
    try:
        docs = PARSERS[kind](text, source, board, result.warnings)
    except ImportFailure as exc:
        # an export can look like more than one kind: try the others that fit before failing
        for other in FORMATS:
            if other == kind or not LOOKS_LIKE[other](text):
                continue
            tried: list[str] = []
            try:
                docs = PARSERS[other](text, source, board, tried)
            except ImportFailure:
                continue
            result.warnings.append(f"read as {other}: as {kind} it failed ({exc})")
            result.warnings.extend(tried)
            result.kind = other
            break
        else:
            result.error = str(exc)
            return result
    except RecursionError:
        result.error = "the file is nested too deeply to read"
        return result
    for imported in docs:
        checked = _checked(imported, result)
        if checked is not None:
            result.documents.append(checked)
    if not result.documents and result.error is None:
        result.error = "no document could be read from the file"
    return result


def _checked(imported: ImportedDocument, result: ImportResult) -> ImportedDocument | None:
    """The document as it reads back from its meeting-file text (what will be written)."""
    doc = imported.document
    try:
        text = render(doc)
    except ValueError as exc:
        result.warnings.append(f"{doc.date} {doc.kind}: cannot be written: {exc}")
        return None
    parsed = parse_text(text, doc.path)
    if parsed.document is None:
        for p in parsed.problems:
            result.warnings.append(f"{doc.date} {doc.kind}: {p.message}")
        return None
    for p in parsed.problems:  # a value out of range (limits.py) is left out: say which
        result.warnings.append(f"{doc.date} {doc.kind}: {p.message}")
    back = parsed.document
    back.path = doc.path
    return ImportedDocument(back, imported.suffix)


def planned_name(imported: ImportedDocument) -> str:
    from ..writer import file_name

    return file_name(imported.document, imported.suffix)


def _dry_run_outcome(path: Path, force: bool) -> str:
    """What writing would do, judged as :func:`write_file` judges it."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "would write"
    except OSError as exc:
        return f"not written: {exc.strerror or exc}"
    if stat.S_ISLNK(st.st_mode):
        if force:
            return "would overwrite (the symbolic link, not its target)"
        return SKIPPED_LINK
    if not stat.S_ISREG(st.st_mode):
        return f"not written: {NOT_REGULAR}"
    return "would overwrite" if force else SKIPPED_EXISTS


def write_documents(
    results: list[ImportResult], out_dir: Path, force: bool = False, dry_run: bool = False
) -> list[tuple[ImportResult, ImportedDocument, Path, str]]:
    """Write every imported document; returns (result, document, path, outcome) where the
    outcome is ``written``, ``overwritten``, ``would write``, ``would overwrite``, or ``not
    written: <reason>``. Nothing is overwritten without ``force``, no symbolic link is
    followed (see :func:`tuibrowser.writer.write_file`); ``dry_run`` writes nothing."""
    out: list[tuple[ImportResult, ImportedDocument, Path, str]] = []
    claimed: set[Path] = set()
    for result in results:
        for imported in result.documents:
            path = out_dir / planned_name(imported)
            if path in claimed:
                out.append(
                    (
                        result,
                        imported,
                        path,
                        "not written: another document in this import has the same file name",
                    )
                )
                continue
            claimed.add(path)
            if dry_run:
                out.append((result, imported, path, _dry_run_outcome(path, force)))
                continue
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
                if not out_dir.is_dir():
                    raise NotWritten(f"{out_dir} is not a folder")
                outcome = write_file(path, render(imported.document), force=force)
            except FileExistsError:
                outcome = f"not written: {out_dir} is not a folder"
            except NotWritten as exc:
                outcome = f"not written: {exc}"
            except OSError as exc:
                outcome = f"not written: {exc.strerror or exc}"
            out.append((result, imported, path, outcome))
    return out
