"""The ModernGov web service (``mgWebService.asmx``): its URLs and its listing answers.

Only what ``sync`` needs: ``GetCommittees`` (id, title, expired), ``GetMeetings`` for one
committee over a window of at most a year (meeting stubs: id, date, status), and the address
of ``GetMeeting`` (read by :mod:`tuibrowser.importers.getmeeting`). XML is parsed with
defusedxml (no DTDs, entities or external references). An HTML page where XML was expected (a
login page, an error page, a site that is not ModernGov) is a one-line error naming the URL.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import defusedxml
import defusedxml.ElementTree as SafeET

from .client import FetchError

SERVICE = "mgWebService.asmx"
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


@dataclass(slots=True)
class Committee:
    id: int
    title: str
    expired: bool = False
    deleted: bool = False


@dataclass(slots=True)
class MeetingStub:
    id: int
    date: str  # ISO
    status: str | None
    committee_id: int
    committee: str


def site_root(url: str) -> str:
    """The site's root as given, without a trailing ``/`` or a pasted service/page name."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http:// and https:// addresses are fetched")
    path = parts.path
    path = re.sub(r"/(?:mgWebService\.asmx(?:/.*)?|[^/]+\.aspx)$", "", path, flags=re.I)
    return urlunsplit((parts.scheme.lower(), parts.netloc, path.rstrip("/"), "", ""))


def service_url(root: str, method: str, **params: object) -> str:
    query = urlencode({k: str(v) for k, v in params.items()})
    return f"{root}/{SERVICE}/{method}" + (f"?{query}" if query else "")


def committees_url(root: str) -> str:
    return service_url(root, "GetCommittees")


def meetings_url(root: str, committee_id: int, start: dt.date, end: dt.date) -> str:
    return service_url(
        root,
        "GetMeetings",
        lCommitteeId=committee_id,
        sFromDate=start.strftime("%d/%m/%Y"),
        sToDate=end.strftime("%d/%m/%Y"),
    )


def meeting_url(root: str, meeting_id: int) -> str:
    return service_url(root, "GetMeeting", lMeetingId=meeting_id)


def windows(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """``start``..``end`` cut into windows of at most a year (366 days), in order."""
    out = []
    cur = start
    while cur <= end:
        stop = min(end, cur + dt.timedelta(days=365))
        out.append((cur, stop))
        cur = stop + dt.timedelta(days=1)
    return out


def parse_xml(body: bytes, url: str, expect: str) -> ET.Element:
    """The root of an XML answer whose root (or first such element) is ``expect``."""
    if _HTML.match(body[:4096]):
        title = re.search(rb"<title[^>]*>(.*?)</title>", body[:65536], re.I | re.S)
        named = " ".join(title.group(1).decode("utf-8", "replace").split())[:80] if title else ""
        raise FetchError(
            url,
            "answered with an HTML page, not the web service's XML"
            + (f" ({named!r})" if named else "")
            + ": is this the root of a ModernGov site?",
        )
    try:
        root = SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise FetchError(
            url, "XML refused: it declares a DTD, entities or external references"
        ) from None
    except ET.ParseError as exc:
        raise FetchError(url, f"not XML ({exc}): is this the root of a ModernGov site?") from None
    if _local(root.tag) != expect and _find(root, expect) is None:
        raise FetchError(
            url, f"XML without <{expect}>: not a ModernGov {expect} answer (root <{root.tag}>)"
        )
    return root


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _find(el: ET.Element, name: str) -> ET.Element | None:
    for c in el.iter():
        if _local(c.tag) == name:
            return c
    return None


def _text(el: ET.Element, name: str) -> str:
    for c in el:
        if _local(c.tag) == name:
            return " ".join("".join(c.itertext()).split())
    return ""


def _true(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


def parse_committees(body: bytes, url: str) -> list[Committee]:
    root = parse_xml(body, url, "committees")
    out = []
    for el in root.iter():
        if _local(el.tag) != "committee":
            continue
        raw_id = _text(el, "committeeid")
        title = _text(el, "committeetitle")
        if not raw_id.isdigit() or not title:
            continue
        out.append(
            Committee(
                int(raw_id),
                title,
                expired=_true(_text(el, "committeeexpired")),
                deleted=_true(_text(el, "committeedeleted")),
            )
        )
    return out


def parse_meetings(body: bytes, url: str, committee: Committee) -> list[MeetingStub]:
    root = parse_xml(body, url, "getmeetings")
    out = []
    for com in root.iter():
        if _local(com.tag) != "committee":
            continue
        cid = _text(com, "committeeid")
        title = _text(com, "committeetitle") or committee.title
        cid_n = int(cid) if cid.isdigit() else committee.id
        for el in com.iter():
            if _local(el.tag) != "meeting":
                continue
            mid = _text(el, "meetingid")
            date = _iso(_text(el, "meetingdate"))
            if not mid.isdigit() or date is None:
                continue
            out.append(
                MeetingStub(int(mid), date, _text(el, "meetingstatus") or None, cid_n, title)
            )
    return out


def _iso(value: str) -> str | None:
    try:
        return dt.datetime.strptime(value.strip(), "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


class UnknownCommittee(Exception):
    """A ``--committee`` that names no committee; the message lists the near matches."""


def match_committees(committees: list[Committee], wanted: list[str]) -> list[Committee]:
    """The committees named (by id or title, case-insensitively), in the order asked."""
    by_id = {str(c.id): c for c in committees}
    by_title = {c.title.casefold(): c for c in committees}
    out: list[Committee] = []
    for w in wanted:
        key = w.strip()
        found = by_id.get(key) or by_title.get(key.casefold())
        if found is None:
            near = difflib.get_close_matches(key.casefold(), list(by_title), n=5, cutoff=0.5)
            near += [t for t in by_title if key.casefold() in t and t not in near][:5]
            hint = (
                "; near matches: "
                + ", ".join(f"{by_title[t].title} ({by_title[t].id})" for t in near)
                if near
                else "; run without --committee to list them"
            )
            raise UnknownCommittee(f"no committee {key!r} on this site{hint}")
        if found not in out:
            out.append(found)
    return out
