"""A meeting's linked documents (``linkeddocuments/linkeddoc``): found, saved, read.

Each document a GetMeeting answer links (agenda packs, reports, printed minutes; usually a PDF
from ``mgConvert2PDF.aspx``) is saved under ``DIR/documents/`` with a safe name made by sync
(the attachment id, the title as a slug, an extension from the content type),
never a name the site chose. A PDF's text is extracted beside it (``NAME.txt``); an agenda pack
is read by the same agenda-pack reader as ``import``, so its KPI table becomes KPI rows. The
meeting file lists every document (title, URL, file, size, SHA-256) in its frontmatter key
``documents``.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import defusedxml.ElementTree as SafeET

from ..importers import agenda_pack
from ..importers.base import ImportedDocument, ImportFailure
from ..importers.pdftext import is_pdf, pdf_to_text
from ..keys import slug
from ..model import Document, Item, LinkedDocument
from ..text import one_line
from .client import Response
from .state import SyncState, sha256

FOLDER = "documents"
MAX_DOCUMENT_BYTES = 50 * 2**20
MAX_DOCUMENTS = 200  # a meeting's linked documents fetched at most (a hostile answer lists more)
_SAFE_URL = re.compile(r"^https?://[^\s<>()\x00-\x1f\x7f]+$", re.I)
_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "text/plain": "txt",
    "text/csv": "csv",
    "application/rtf": "rtf",
}
_URL_EXT = re.compile(r"\.(pdf|docx?|xlsx?|rtf|txt|csv|odt|ods|html?)$", re.I)


@dataclass(slots=True)
class Linked:
    title: str
    url: str
    attachment_id: str | None = None
    restricted: bool = False
    position: int | None = None  # of the agenda item that links it (1 for the first), if any


@dataclass
class Saved:
    linked: Linked
    outcome: str  # new, changed, unchanged, failed, restricted, external
    name: str | None = None
    size: int | None = None
    sha256: str | None = None
    error: str | None = None
    kpis: list[ImportedDocument] = field(default_factory=list)
    pack: Document | None = None  # an agenda pack's agenda: its reports, for the meeting's items


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _text(el: ET.Element, name: str) -> str:
    for c in el:
        if _local(c.tag) == name:
            return " ".join("".join(c.itertext()).split())
    return ""


def linked_documents(body: bytes) -> list[Linked]:
    """Every ``linkeddoc`` of a GetMeeting answer (the meeting's and its items'), by URL once;
    only http(s) links."""
    try:
        root = SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except Exception:  # noqa: BLE001 - the meeting reader reports a bad answer
        return []
    out: list[Linked] = []
    seen: set[str] = set()
    positions = _item_positions(root)
    for el in root.iter():
        if _local(el.tag) != "linkeddoc":
            continue
        url = _text(el, "url")
        if not url or url in seen or urlsplit(url).scheme.lower() not in ("http", "https"):
            continue
        if len(out) >= MAX_DOCUMENTS:
            break
        seen.add(url)
        out.append(
            Linked(
                title=_text(el, "title") or "linked document",
                url=url,
                attachment_id=_text(el, "attachmentid") or None,
                restricted=_text(el, "isrestricted").lower() == "true",
                position=positions.get(id(el)),
            )
        )
    return out


def _item_positions(root: ET.Element) -> dict[int, int]:
    """The position of the agenda item each ``linkeddoc`` sits in (by the element's id), the
    items counted as the meeting reader counts them: the children of the first
    ``agendaitems``."""
    items = next((el for el in root.iter() if _local(el.tag) == "agendaitems"), None)
    if items is None:
        return {}
    out: dict[int, int] = {}
    agenda_items = (c for c in items if _local(c.tag) == "agendaitem")
    for position, item in enumerate(agenda_items, start=1):
        for el in item.iter():
            if _local(el.tag) == "linkeddoc":
                out[id(el)] = position
    return out


def safe_name(linked: Linked, content_type: str | None) -> str:
    """A file name sync makes: no path, no dot at the start, a known extension. Named by the
    attachment id (one a site), not by a meeting: a document several meetings link is one file,
    named alike whichever meeting is read first."""
    ident = linked.attachment_id if (linked.attachment_id or "").isdigit() else None
    ident = ident or sha256(linked.url)[:12]
    kind = (content_type or "").split(";")[0].strip().lower()
    ext = _EXTENSIONS.get(kind)
    if ext is None:
        m = _URL_EXT.search(urlsplit(linked.url).path)
        ext = m.group(1).lower() if m else "bin"
    return f"{ident}-{slug(linked.title)[:60]}.{ext}"


def write_bytes(folder: Path, name: str, data: bytes) -> None:
    """Replace ``folder/name`` in one step (a temporary file, flushed, renamed over it): a
    symbolic link there is replaced, never followed."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode())  # as a file the user made: not mkstemp's 0600
        os.replace(tmp, folder / name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _umask_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def documents_folder(out: Path) -> Path:
    """``out/documents``, made if missing; refused if it is a link or not a folder."""
    folder = out / FOLDER
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise OSError(f"{folder} is not a folder (a link or a file has its name); not written")
    return folder


def file_in_place(folder: Path, name: str | None) -> bool:
    if not name:
        return False
    try:
        return stat.S_ISREG(os.lstat(folder / name).st_mode)
    except OSError:
        return False


def save(
    folder: Path | None,
    linked: Linked,
    resp: Response,
    state: SyncState,
    committee: str,
    date: str,
    warnings: list[str],
    read: bool = True,
) -> Saved:
    """Save one fetched document (``folder`` None: a dry run) and, with ``read``, read it (the
    meeting is being written: an unchanged document is read from the copy kept)."""
    entry = state.documents.get(linked.url) or {}
    if resp.not_modified:
        saved = Saved(
            linked, "unchanged", entry.get("file"), entry.get("size"), entry.get("sha256")
        )
        if read and folder is not None and file_in_place(folder, saved.name):
            # the copy kept is the one the site still has: read it as if just fetched
            body = (folder / str(saved.name)).read_bytes()
            _, saved.kpis, saved.pack = _read(body, linked, committee, date, warnings)
        return saved
    digest = sha256(resp.body)
    name = entry.get("file") or safe_name(linked, resp.content_type)
    saved = Saved(linked, "new" if not entry else "changed", name, len(resp.body), digest)
    if entry.get("sha256") == digest and (folder is None or file_in_place(folder, name)):
        saved.outcome = "unchanged"
    elif folder is not None:
        write_bytes(folder, name, resp.body)
    text, saved.kpis, saved.pack = _read(resp.body, linked, committee, date, warnings)
    if text is not None and folder is not None and saved.outcome != "unchanged":
        write_bytes(folder, name + ".txt", text.encode("utf-8"))
    if folder is not None:
        state.documents[linked.url] = {
            "file": name,
            "size": saved.size,
            "sha256": digest,
            "etag": resp.etag,
            "last_modified": resp.last_modified,
            "title": linked.title,
        }
    return saved


def _read(
    body: bytes, linked: Linked, committee: str, date: str, warnings: list[str]
) -> tuple[str | None, list[ImportedDocument], Document | None]:
    """A PDF's text; when it is an agenda pack, its KPI documents and its agenda. Warnings
    name the document's URL."""
    said: list[str] = []
    try:
        return _read_pdf(body, linked, committee, date, said)
    finally:
        warnings.extend(f"{linked.url}: {w}" for w in said)


def _read_pdf(
    body: bytes, linked: Linked, committee: str, date: str, warnings: list[str]
) -> tuple[str | None, list[ImportedDocument], Document | None]:
    if not is_pdf(body):
        return None, [], None
    try:
        text = pdf_to_text(body)
    except ImportFailure as exc:
        warnings.append(f"text not extracted: {exc}")
        return None, [], None
    if not agenda_pack.looks_like(text):
        return text, [], None
    try:
        docs = agenda_pack.parse(text, linked.url, committee, warnings)
    except ImportFailure as exc:
        warnings.append(f"read as an agenda pack, it failed: {exc}")
        return text, [], None
    except Exception as exc:  # noqa: BLE001 - one odd pack must not stop the run
        warnings.append(f"read as an agenda pack, it failed ({type(exc).__name__})")
        return text, [], None
    kpis = []
    pack = None
    for d in docs:
        if d.suffix == "kpis" and d.document.kpis:
            d.document.board = committee  # the meeting's, whatever the cover says
            d.document.date = date
            kpis.append(d)
        elif d.suffix is None and d.document.kind == "agenda" and pack is None:
            pack = d.document
    return text, kpis, pack


def _norm_title(title: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", (title or "").casefold()).split())


def merge_pack(agenda: Document, pack: Document) -> int:
    """Give the meeting's agenda items the reports an agenda pack prints for them (matched by
    title), and the pack's stated summaries, survey series and outputs; returns the items
    given a report. Nothing the agenda has is replaced: a report's missing fields are filled,
    and the pack's report text is added after the agenda's own."""
    by_title = {_norm_title(it.title): it for it in agenda.items}
    merged = 0
    for p_item in pack.items:
        target = by_title.get(_norm_title(p_item.title))
        if target is None or p_item.report is None:
            continue
        if target.report is None:
            target.report = p_item.report
        else:
            mine, theirs = target.report, p_item.report
            for name in ("purpose", "summary", "recommendation", "proposed_action", "contact"):
                if not getattr(mine, name) and getattr(theirs, name):
                    setattr(mine, name, getattr(theirs, name))
            if theirs.text and theirs.text not in mine.text:
                mine.text = "\n\n".join(t for t in (mine.text, theirs.text) if t)
        merged += 1
    agenda.summaries += pack.summaries
    agenda.series += pack.series
    agenda.outputs += pack.outputs
    return merged


def records(saved: list[Saved], items: list[Item]) -> list[LinkedDocument]:
    """The meeting file's ``documents``: each linked document's title, URL and, when a copy
    was saved, its file (relative to the meetings folder), size and SHA-256; a document not
    downloaded has a ``note`` saying why. One an agenda item links has that item's number
    (``items``: the agenda's, in the order of the answer), so ``--public`` withholds it with a
    confidential item."""
    out = []
    for s in saved:
        url = s.linked.url if _SAFE_URL.match(s.linked.url) else None
        doc = LinkedDocument(title=one_line(s.linked.title), url=url, kind=kind_of(s.linked.title))
        at = s.linked.position
        if at is not None and 1 <= at <= len(items):
            doc.item = items[at - 1].number
        if s.outcome == "restricted":
            doc.note = "restricted, not downloaded"
        elif s.outcome == "external":
            doc.note = "on another site, not downloaded"
        elif s.outcome == "failed" and not s.name:
            doc.note = f"not downloaded ({one_line(s.error)})"
        else:
            doc.file, doc.size, doc.sha256 = f"{FOLDER}/{s.name}", s.size, s.sha256
        out.append(doc)
    return out


def kind_of(title: str) -> str | None:
    """What a document is, when its title says so in a word; else None (never guessed)."""
    words = set(re.findall(r"[a-z]+", title.casefold()))
    if words & {"pack", "agenda"}:
        return "agenda pack"
    if words & {"minutes", "minute"}:
        return "minutes"
    if words & {"report", "reports"}:
        return "report"
    return None
