"""A ModernGov site on 127.0.0.1 for the sync tests: a real HTTP server in a thread.

It answers ``mgWebService.asmx/GetCommittees``, ``GetMeetings`` (filtered by the requested
dates, as the real service does) and ``GetMeeting`` from the recorded-shape fixtures in
``fixtures/moderngov`` (their ``https://democracy.example.gov.uk`` links pointed at this
server), and any other path a test puts in ``files`` (documents, error pages). Tests change
the site between runs; every request is logged with its conditional headers. ETag and
Last-Modified come from the body, and a matching ``If-None-Match`` gets a 304.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pdfmaker import AGENDA_PACK, PRINTED_NOTE, pdf_from_text

FIX = Path(__file__).parents[1] / "fixtures" / "moderngov"
PACK_PDF = pdf_from_text(AGENDA_PACK)
MINUTES_PDF = pdf_from_text(PRINTED_NOTE.replace("10 February 2026", "25 November 2025"))
EXAMPLE = "https://democracy.example.gov.uk"


@dataclass
class Logged:
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None
    status: int = 0
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class Site:
    base: str = ""
    committees: bytes = b""
    # committee id → [(meeting id, dd/mm/yyyy, status)]
    meetings: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    meeting: dict[int, bytes] = field(default_factory=dict)
    # any other path (with its query) → (status, content type, body, extra headers)
    files: dict[str, tuple[int, str, bytes, dict[str, str]]] = field(default_factory=dict)
    # path → statuses to answer (in turn) before the real answer, e.g. [503, 503]
    failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    delay: dict[str, float] = field(default_factory=dict)  # path prefix → seconds to sleep
    stall_after: int | None = None  # GetMeeting answers to give before stalling the rest
    stall: threading.Event = field(default_factory=threading.Event)
    log: list[Logged] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    meetings_answered: int = 0
    send_validators: bool = True

    def fixture(self, name: str) -> bytes:
        return (FIX / name).read_bytes().replace(EXAMPLE.encode(), self.base.encode())

    def load_fixtures(self) -> None:
        self.committees = self.fixture("committees.xml")
        self.meetings = {
            144: [(4966, "13/01/2026", "Cancelled"), (4967, "10/02/2026", "Confirmed")]
        }
        self.meeting = {
            4966: self.fixture("meeting-4966.xml"),
            4967: self.fixture("meeting-4967.xml"),
        }
        # the documents meeting 4967 links: printed minutes, and a report pack with a KPI table
        self.files["/mgConvert2PDF.aspx?ID=60860"] = (200, "application/pdf", MINUTES_PDF, {})
        self.files["/mgConvert2PDF.aspx?ID=60909"] = (200, "application/pdf", PACK_PDF, {})

    def requests_to(self, method: str) -> list[Logged]:
        return [r for r in self.log if f"/mgWebService.asmx/{method}" in r.path]

    def getmeetings(self, query: dict[str, list[str]]) -> bytes | None:
        try:
            cid = int(query["lCommitteeId"][0])
            start = dt.datetime.strptime(query["sFromDate"][0], "%d/%m/%Y").date()
            end = dt.datetime.strptime(query["sToDate"][0], "%d/%m/%Y").date()
        except (KeyError, ValueError):
            return None
        title = {144: "Audit Committee", 163: "Art Galleries Committee"}.get(cid, f"C{cid}")
        rows = []
        for mid, date, status in self.meetings.get(cid, []):
            d = dt.datetime.strptime(date, "%d/%m/%Y").date()
            if start <= d <= end:
                rows.append(
                    "      <meeting>\n"
                    f"        <meetingid>{mid}</meetingid>\n"
                    f"        <meetingdate>{date}</meetingdate>\n"
                    f"        <meetingstatus>{status}</meetingstatus>\n"
                    "        <meetingtime>10.00 am</meetingtime>\n"
                    "        <iswebcast>False</iswebcast>\n"
                    "      </meeting>\n"
                )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<getmeetings>\n'
            f"  <meetingscount> {len(rows)}</meetingscount>\n  <committeescount> 1</committeescount>\n"
            f"  <committee>\n    <committeeid>{cid}</committeeid>\n"
            f"    <committeetitle>{title}</committeetitle>\n"
            f"    <committeemeetingcount> {len(rows)}</committeemeetingcount>\n"
            f"    <committeemeetings>\n{''.join(rows)}    </committeemeetings>\n"
            "  </committee>\n</getmeetings>\n"
        ).encode()


class _Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        site = self.site
        entry = Logged(
            self.path,
            self.headers.get("If-None-Match"),
            self.headers.get("If-Modified-Since"),
            self.headers.get("User-Agent"),
        )
        with site.lock:
            site.log.append(entry)
            site.in_flight += 1
            site.max_in_flight = max(site.max_in_flight, site.in_flight)
        try:
            self._answer(entry)
        finally:
            with site.lock:
                site.in_flight -= 1

    def _answer(self, entry: Logged) -> None:
        site = self.site
        parts = urlsplit(self.path)
        for prefix, seconds in site.delay.items():
            if self.path.startswith(prefix):
                time.sleep(seconds)
        with site.lock:
            queued = site.failures.get(self.path)
            failure = queued.pop(0) if queued else None
        if failure is not None:
            status, headers = failure
            return self._send(entry, status, "text/plain", b"busy", headers)
        method = parts.path.rsplit("/", 1)[-1]
        query = parse_qs(parts.query)
        body: bytes | None = None
        ctype = "text/xml; charset=utf-8"
        if parts.path.endswith("/mgWebService.asmx/GetCommittees"):
            body = site.committees
        elif parts.path.endswith("/mgWebService.asmx/GetMeetings"):
            body = site.getmeetings(query)
        elif method == "GetMeeting" and "mgWebService.asmx" in parts.path:
            try:
                mid = int(query["lMeetingId"][0])
            except (KeyError, ValueError):
                mid = -1
            with site.lock:
                stalled = (
                    site.stall_after is not None and site.meetings_answered >= site.stall_after
                )
                if not stalled:
                    site.meetings_answered += 1
            if stalled:
                site.stall.wait(30)
            body = site.meeting.get(mid)
        elif self.path in site.files:
            status, ctype, fbody, headers = site.files[self.path]
            if status != 200:
                return self._send(entry, status, ctype, fbody, headers)
            body = fbody
        if body is None:
            html = b"<!DOCTYPE html><html><head><title>Page not found</title></head></html>"
            return self._send(entry, 404, "text/html", html, {})
        headers = {}
        if site.send_validators:
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            headers = {"ETag": etag, "Last-Modified": formatdate(1767225600, usegmt=True)}
            if entry.if_none_match == etag:
                return self._send(entry, 304, None, b"", headers)
        self._send(entry, 200, ctype, body, headers)

    def _send(
        self, entry: Logged, status: int, ctype: str | None, body: bytes, headers: dict[str, str]
    ) -> None:
        entry.status = status
        try:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    """A client that hangs up early (a 404 whose page it never reads, a timeout) is the
    client's right: socketserver would print a traceback for it to sys.stderr, which is the
    captured output of whatever command runs at that moment."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteServer:
    def __init__(self) -> None:
        self.site = Site()
        handler = type("Handler", (_Handler,), {"site": self.site})
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.site.base = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        self.site.load_fixtures()
        return self.site

    def __exit__(self, *exc: object) -> None:
        self.site.stall.set()
        self.httpd.shutdown()
        self.httpd.server_close()
