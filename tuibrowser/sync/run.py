"""``tuibrowser sync``: mirror a ModernGov site's committees into meeting files.

GetCommittees → GetMeetings per committee (windows of at most a year) → GetMeeting per
meeting, each read by the same GetMeeting reader and written by the same writer as ``import``.
Every request after the first run is conditional; a meeting whose answer did not change is not
rewritten; the state is saved after every meeting, so a killed run resumes where it stopped.
Fetching runs on up to 4 threads (the client's limit); files and the state are written by the
calling thread only, one meeting at a time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from filelock import FileLock, Timeout

from ..importers.base import ImportedDocument, ImportFailure, ImportResult, decode
from ..importers.getmeeting import parse as parse_getmeeting
from ..importers.run import _checked
from ..writer import file_name, render
from . import documents as docs
from . import moderngov as mg
from .client import Client, FetchError, Response
from .publish import CHANGED, FAILED, KEPT, NEW, UNCHANGED, publish
from .state import STATE_NAME, SyncState, sha256

LOCK_NAME = ".tuibrowser-sync.lock"
EXTERNAL = "external"
# What the meeting files sync writes hold: 2, the linked documents in the frontmatter key
# ``documents`` (1 listed them in a "Documents" section). A meeting written otherwise is asked
# for in full once and written again (a file edited by hand is kept, as ever).
LAYOUT = 2
# the temporary files this package's writers leave if killed mid-write: write_file's for a
# meeting file (".NAME.md.XXXXXXXX.tmp", ".NAME.md.new.…"), the state's, a document's
_TEMP = r"\.[a-z0-9_]{8}\.tmp$"
_OUR_TEMP = re.compile(r"^\..+\.md(?:\.new)?" + _TEMP + "|^" + re.escape(STATE_NAME) + _TEMP)
_OUR_DOC_TEMP = re.compile(r"^\.[^/]+\.[a-z0-9]{1,5}(?:\.txt)?" + _TEMP)


class SyncError(Exception):
    """The sync cannot go on; the message is one line (naming the URL when there is one)."""


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return (
            f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.failed} failed"
        )


@dataclass
class Options:
    url: str
    out: Path
    committees: list[str]
    start: dt.date
    end: dt.date
    documents: bool = True
    dry_run: bool = False


@dataclass
class SyncReport:
    meetings: Counts = field(default_factory=Counts)
    documents: Counts = field(default_factory=Counts)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (file, the .new beside it)
    lines: list[str] = field(default_factory=list)  # one per meeting, for plain output
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    requests: int = 0


Progress = Callable[[str, int, int], None]  # (line, done, total)


def default_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """About a year back and three months ahead of today, in whole months: the GetMeetings
    addresses (and so their validators) stay the same for a month of nightly runs."""
    today = today or dt.date.today()
    start = dt.date(today.year - 1, today.month, 1)
    month = today.month + 3
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    first_after = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, first_after - dt.timedelta(days=1)


def list_committees(client: Client, url: str) -> list[mg.Committee]:
    root = mg.site_root(url)
    listing = mg.committees_url(root)
    try:
        resp = client.get(listing)
    except FetchError as exc:
        raise SyncError(_not_moderngov(exc)) from None
    try:
        return mg.parse_committees(resp.body, listing)
    except FetchError as exc:
        raise SyncError(str(exc)) from None


def _not_moderngov(exc: FetchError) -> str:
    if exc.reason.startswith("not found"):
        return f"{exc.url}: not found (HTTP 404): is this the root of a ModernGov site?"
    return str(exc)


class _Run:
    def __init__(self, opts: Options, client: Client, progress: Progress | None):
        self.opts = opts
        self.client = client
        self.progress = progress
        self.root = mg.site_root(opts.url)
        self.report = SyncReport()
        self.state = SyncState.load(opts.out) if opts.out.is_dir() else SyncState(opts.out)
        if self.state.problem:
            self.report.warnings.append(self.state.problem)
        self.claimed: dict[str, int] = {}  # file name → meeting id, in this run
        self.asked: set[str] = set()  # the listings asked in this run

    # --- state -------------------------------------------------------------------

    def save(self) -> None:
        if not self.opts.dry_run:
            self.state.save()

    def listing(self, url: str, parse: Callable[[bytes], list]) -> list:
        """A listing answer, asked conditionally; on a 304 the one parsed last time."""
        etag, modified = self.state.validators(url)
        cached = self.state.listings.get(url)
        if cached is None:
            etag = modified = None
        try:
            resp = self.client.get(url, etag=etag, last_modified=modified)
        except FetchError as exc:
            raise SyncError(_not_moderngov(exc)) from None
        if resp.not_modified and cached is not None:
            self.asked.add(url)
            return cached
        try:
            items = parse(resp.body)
        except FetchError as exc:
            raise SyncError(str(exc)) from None
        data = [_as_dict(i) for i in items]
        self.asked.add(url)
        self.state.listings[url] = data
        self.state.remember(url, resp.etag, resp.last_modified, resp.body)
        return data

    # --- the run -----------------------------------------------------------------

    def stubs(self) -> list[mg.MeetingStub]:
        committees = [
            mg.Committee(**c)
            for c in self.listing(
                mg.committees_url(self.root),
                lambda b: mg.parse_committees(b, mg.committees_url(self.root)),
            )
        ]
        try:
            chosen = mg.match_committees(committees, self.opts.committees)
        except mg.UnknownCommittee as exc:
            raise SyncError(str(exc)) from None
        seen: dict[int, mg.MeetingStub] = {}
        for com in chosen:
            for start, end in mg.windows(self.opts.start, self.opts.end):
                url = mg.meetings_url(self.root, com.id, start, end)
                parse = partial(mg.parse_meetings, url=url, committee=com)
                for s in self.listing(url, parse):
                    stub = mg.MeetingStub(**s)
                    seen.setdefault(stub.id, stub)
        return sorted(seen.values(), key=lambda s: (s.date, s.id))

    def fetch(self, stub: mg.MeetingStub) -> _Fetched:
        """GetMeeting and the meeting's documents (run on a worker thread: network only)."""
        url = mg.meeting_url(self.root, stub.id)
        etag, modified = self.state.validators(url)
        entry = self.state.meetings.get(str(stub.id)) or {}
        if not self._files_in_place(stub.id) or entry.get("layout") != LAYOUT:
            etag = modified = None
        try:
            answer = self.client.get(url, etag=etag, last_modified=modified)
        except FetchError as exc:
            return _Fetched(stub, exc)
        fetched = _Fetched(stub, answer)
        if not self.opts.documents:
            return fetched
        if answer.not_modified:
            known = (self.state.meetings.get(str(stub.id)) or {}).get("documents", [])
            fetched.linked = [docs.Linked(**d) for d in known]
        else:
            fetched.linked = docs.linked_documents(answer.body)
        changed = False
        for linked in fetched.linked:
            if linked.restricted:
                fetched.answers.append(None)
                continue
            if self.client.host and urlsplit(linked.url).hostname != self.client.host:
                fetched.answers.append(EXTERNAL)  # a link to another site: not followed
                continue
            entry = self.state.documents.get(linked.url) or {}
            d_etag, d_modified = entry.get("etag"), entry.get("last_modified")
            if not docs.file_in_place(self.opts.out / docs.FOLDER, entry.get("file")):
                d_etag = d_modified = None
            try:
                r = self.client.get(
                    linked.url,
                    etag=d_etag,
                    last_modified=d_modified,
                    max_bytes=docs.MAX_DOCUMENT_BYTES,
                )
            except FetchError as exc:
                fetched.answers.append(exc)
                continue
            fetched.answers.append(r)
            changed |= not r.not_modified and state_sha(entry) != sha256(r.body)
        if answer.not_modified and changed:
            # a document changed under an unchanged meeting: its file lists the document's
            # size and hash, so the meeting is written again from a fresh answer
            try:
                fetched.answer = self.client.get(url)
            except FetchError as exc:
                fetched.answer = exc
        return fetched

    def _files_in_place(self, meeting_id: int) -> bool:
        entry = self.state.meetings.get(str(meeting_id))
        if not entry:
            return False
        return all(os.path.lexists(self.opts.out / n) for n in entry.get("files", []))

    def run(self) -> SyncReport:
        stubs = self.stubs()
        total = len(stubs)
        done = 0
        with ThreadPoolExecutor(max_workers=self.client.concurrency) as pool:
            # fetched ahead on the workers, written here in date order: the same run always
            # gives the same files, whatever answer comes first
            queue = iter(stubs)
            ahead: deque[Future] = deque()
            for stub in islice(queue, self.client.concurrency * 2):
                ahead.append(pool.submit(self.fetch, stub))
            while ahead:
                fetched = ahead.popleft().result()
                for stub in islice(queue, 1):
                    ahead.append(pool.submit(self.fetch, stub))
                line = self.meeting(fetched)
                done += 1
                self.report.lines.append(line)
                if self.progress:
                    self.progress(line, done, total)
        self.report.requests = self.client.requests
        for url in [u for u in self.state.listings if u not in self.asked]:
            # a window no longer asked (the dates moved on): its listing is not kept
            del self.state.listings[url]
            self.state.requests.pop(url, None)
        self.save()
        return self.report

    def meeting(self, fetched: _Fetched) -> str:
        stub, answer = fetched.stub, fetched.answer
        label = f"{stub.date} {stub.committee} (meeting {stub.id})"
        if isinstance(answer, FetchError):
            self.report.meetings.failed += 1
            self.report.errors.append(str(answer))
            return f"{label}: failed: {answer}"
        saved = self.save_documents(fetched)
        known = str(stub.id) in self.state.meetings
        if answer.not_modified:
            self.report.meetings.unchanged += 1
            self.save()
            return f"{label}: unchanged"
        outcome, names = self.write_meeting(stub, answer, saved)
        if outcome != FAILED:
            url = mg.meeting_url(self.root, stub.id)
            self.state.remember(url, answer.etag, answer.last_modified, answer.body)
            self.state.meetings[str(stub.id)] = {
                "files": names,
                "committee": stub.committee,
                "date": stub.date,
                "documents": [_as_dict(linked) for linked in fetched.linked],
                "layout": LAYOUT,
            }
            self.save()
        if outcome in (NEW, CHANGED) and not known:
            outcome = NEW
        elif outcome == KEPT:
            outcome = CHANGED
        self.report.meetings.add(outcome)
        return f"{label}: {outcome}" + (f" ({', '.join(names)})" if names else "")

    def save_documents(self, fetched: _Fetched) -> list[docs.Saved]:
        out: list[docs.Saved] = []
        if not fetched.linked:
            return out
        assert isinstance(fetched.answer, Response)  # meeting() ended at a failed answer
        folder = None
        if not self.opts.dry_run:
            try:
                folder = docs.documents_folder(self.opts.out)
            except OSError as exc:
                self.report.errors.append(str(exc))
                self.report.documents.failed += len(fetched.linked)
                return [docs.Saved(linked, FAILED, error=str(exc)) for linked in fetched.linked]
        stub = fetched.stub
        for linked, r in zip(fetched.linked, fetched.answers, strict=False):
            if r is None or isinstance(r, str):  # EXTERNAL, the one text an answer can be
                out.append(docs.Saved(linked, "restricted" if r is None else EXTERNAL))
                continue
            if isinstance(r, FetchError):
                entry = self.state.documents.get(linked.url) or {}
                self.report.documents.failed += 1
                self.report.errors.append(str(r))
                out.append(
                    docs.Saved(
                        linked,
                        FAILED,
                        entry.get("file"),
                        entry.get("size"),
                        entry.get("sha256"),
                        error=r.reason,
                    )
                )
                continue
            try:
                s = docs.save(
                    folder,
                    linked,
                    r,
                    self.state,
                    stub.committee,
                    stub.date,
                    self.report.warnings,
                    read=not fetched.answer.not_modified,
                )
            except OSError as exc:
                self.report.documents.failed += 1
                self.report.errors.append(f"{linked.url}: not saved ({exc.strerror or exc})")
                out.append(docs.Saved(linked, FAILED, error=str(exc)))
                continue
            self.report.documents.add(s.outcome)
            out.append(s)
        return out

    def write_meeting(
        self, stub: mg.MeetingStub, answer: Response, saved: list[docs.Saved]
    ) -> tuple[str, list[str]]:
        url = mg.meeting_url(self.root, stub.id)
        result = ImportResult(url, kind="getmeeting")
        try:
            mg.parse_xml(answer.body, url, "meeting")
            text = decode(answer.body, result.warnings)
            found = parse_getmeeting(text, url, None, result.warnings, committee=stub.committee)
        except (FetchError, ImportFailure) as exc:
            self.report.errors.append(
                f"{url}: {exc}" if isinstance(exc, ImportFailure) else str(exc)
            )
            return FAILED, []
        except Exception as exc:  # noqa: BLE001 - one odd meeting must not stop the run
            if os.environ.get("TUIBROWSER_DEBUG"):
                raise
            self.report.errors.append(f"{url}: could not be read ({type(exc).__name__}: {exc})")
            return FAILED, []
        agenda = next((d.document for d in found if d.document.kind == "agenda"), None)
        if agenda is not None and not agenda.cancelled:
            for one in saved:
                if one.pack is not None:
                    docs.merge_pack(agenda, one.pack)
        if saved and found:
            items = agenda.items if agenda is not None else []
            (agenda or found[0].document).documents = docs.records(saved, items)
        kpi_docs = [k for one in saved for k in one.kpis]
        for n, kpi in enumerate(kpi_docs, start=1):
            found.append(ImportedDocument(kpi.document, "kpis" if n == 1 else f"kpis-{n}"))
        for w in result.warnings:
            self.report.warnings.append(f"{url}: {w}")
        outcomes: list[str] = []
        names: list[str] = []
        for imported in found:
            checked = _checked(imported, result)
            if checked is None:
                continue
            name = self.name_for(checked.document, checked.suffix, stub.id)
            published = publish(
                self.opts.out,
                name,
                render(checked.document),
                self.state,
                self.save,
                self.opts.dry_run,
            )
            names.append(name)
            outcomes.append(published.outcome)
            if published.outcome == KEPT and published.beside:
                self.report.kept.append((name, published.beside))
            if published.outcome == FAILED:
                self.report.errors.append(f"{url}: {published.reason}")
        if not outcomes or FAILED in outcomes:
            return FAILED, names
        for o in (KEPT, CHANGED, NEW):
            if o in outcomes:
                return o, names
        return UNCHANGED, names

    def name_for(self, doc, suffix: str | None, meeting_id: int) -> str:
        """The conventional file name, unless another meeting (two of one committee on one day)
        has it: then the meeting id is added."""
        name = file_name(doc, suffix)
        owner = self.claimed.get(name)
        if owner is None:
            for mid, entry in self.state.meetings.items():
                if name in entry.get("files", []) and mid != str(meeting_id):
                    owner = int(mid)
                    break
        if owner is not None and owner != meeting_id:
            name = file_name(doc, f"{suffix or doc.kind}-{meeting_id}")
        self.claimed[name] = meeting_id
        return name


@dataclass
class _Fetched:
    stub: mg.MeetingStub
    answer: Response | FetchError
    linked: list[docs.Linked] = field(default_factory=list)
    answers: list[Response | FetchError | str | None] = field(default_factory=list)


def state_sha(entry: dict) -> str | None:
    return entry.get("sha256")


def _as_dict(obj: Any) -> dict:
    return {k: getattr(obj, k) for k in obj.__slots__}


def remove_our_temp_files(folder: Path, pattern: re.Pattern[str] = _OUR_TEMP) -> int:
    """Remove the temporary files a killed run of ours left (only regular files of ours)."""
    removed = 0
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return 0  # a link to a folder is not ours to clean
    except OSError:
        return 0
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in os.scandir(folder):
        if not pattern.match(entry.name):
            continue
        st = entry.stat(follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode) or (uid is not None and st.st_uid != uid):
            continue
        try:
            os.unlink(entry.path)
            removed += 1
        except OSError:
            pass
    return removed


def sync(opts: Options, client: Client, progress: Progress | None = None) -> SyncReport:
    """Run one sync; raises :class:`SyncError` when it cannot go on (one line)."""
    if not opts.dry_run:
        try:
            opts.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SyncError(
                f"{opts.out}: cannot create the folder ({exc.strerror or exc})"
            ) from None
        if opts.out.is_symlink() or not opts.out.is_dir():
            raise SyncError(f"{opts.out}: not a folder")
        lock = FileLock(str(opts.out / LOCK_NAME))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise SyncError(f"{opts.out}: another sync is writing to this folder") from None
        try:
            remove_our_temp_files(opts.out)
            remove_our_temp_files(opts.out / docs.FOLDER, _OUR_DOC_TEMP)
            return _Run(opts, client, progress).run()
        finally:
            lock.release()
    return _Run(opts, client, progress).run()
