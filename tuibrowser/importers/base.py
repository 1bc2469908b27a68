"""What every importer shares: safe decoding, results, dates and times, tidy text."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from ..model import Document

MAX_IMPORT_BYTES = 20 * 1024 * 1024

MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december",
        ),
        start=1,
    )
}  # fmt: skip
_MONTH_RE = "|".join(MONTHS)
DATE_WORDS = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\s+(\d{{4}})\b", re.I)
DATE_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
TIME_RE = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d/])", re.I)


class ImportFailure(Exception):
    """The file cannot be imported; the message says why, in plain words."""


@dataclass
class ImportedDocument:
    """One document found in an input file, with the file-name suffix it is written under."""

    document: Document
    suffix: str | None = None  # default: the document's kind

    @property
    def kind(self) -> str:
        return self.suffix or self.document.kind


@dataclass
class ImportResult:
    """What importing one input file gave."""

    source: str
    kind: str | None = None
    documents: list[ImportedDocument] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def decode(raw: bytes, warnings: list[str]) -> str:
    """Bytes → text: UTF-8 (a BOM is dropped), else Windows-1252 with a warning.

    Refuses empty files, binary data and files over the size limit.
    """
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFailure(
            f"file is {len(raw) / 2**20:.1f} MB; the import limit is {MAX_IMPORT_BYTES // 2**20} MB"
        )
    if not raw.strip():
        raise ImportFailure("file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFailure("file looks like UTF-16 but cannot be decoded") from exc
        warnings.append("decoded as UTF-16")
        return _normalise(text)
    if b"\x00" in raw:
        raise ImportFailure("file contains NUL bytes: binary data, not a text export")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        warnings.append(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); decoded as Windows-1252"
        )
    return _normalise(text)


def _normalise(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Control characters other than tab and newline carry no meaning in a record.
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)


# A year before this, or more than this many years after the current one, is a typing slip
# more often than a record: it is read as written, with a warning.
FIRST_YEAR = 1900
YEARS_AHEAD = 5


def parse_date(
    text: str, warnings: list[str] | None = None, lines: list[str] | None = None
) -> str | None:
    """The first date written as words (``Thursday 24 May 2018``) → ``2018-05-24``.

    With ``warnings``, a year out of range is said there, naming its line in ``lines``."""
    m = DATE_WORDS.search(text or "")
    if not m:
        return None
    try:
        iso = _dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
    except ValueError:
        return None
    if warnings is not None:
        _check_year(m.group(0), iso, False, warnings, lines)
    return iso


def parse_slash_date(
    text: str, warnings: list[str] | None = None, lines: list[str] | None = None
) -> str | None:
    """``24/05/2018`` (day first) → ``2018-05-24``; two-digit years are 20xx.

    With ``warnings``, a two-digit year (a guess) or a year out of range is said there, naming
    its line in ``lines``."""
    m = DATE_SLASH.search(text or "")
    if not m:
        return None
    year = int(m.group(3))
    if year < 100:
        year += 2000
    try:
        iso = _dt.date(year, int(m.group(2)), int(m.group(1))).isoformat()
    except ValueError:
        return None
    if warnings is not None:
        _check_year(m.group(0), iso, len(m.group(3)) < 4, warnings, lines)
    return iso


def _check_year(
    printed: str, iso: str, short: bool, warnings: list[str], lines: list[str] | None
) -> None:
    """Say so when a date's year was guessed (two digits) or is out of range."""
    year = int(iso[:4])
    last = _dt.date.today().year + YEARS_AHEAD
    if short:
        why = "has a two-digit year"
    elif year < FIRST_YEAR:
        why = f"has the year {year}, before {FIRST_YEAR}"
    elif year > last:
        why = f"has the year {year}, more than {YEARS_AHEAD} years ahead"
    else:
        return
    where = next((f"line {n}: " for n, ln in enumerate(lines or (), 1) if printed in ln), "")
    message = f"{where}the date {printed!r} {why}: read as {iso}; check it"
    if message not in warnings:
        warnings.append(message)


def parse_time(text: str) -> str | None:
    """``11.00 am``, ``2pm``, ``14:30`` → ``HH:MM``; None when there is no clear time."""
    for m in TIME_RE.finditer(text or ""):
        hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
        if not half and m.group(2) is None:
            continue  # a bare number is not a time
        if half.startswith("p") and hour < 12:
            hour += 12
        elif half.startswith("a") and hour == 12:
            hour = 0
        if 0 <= hour < 24 and 0 <= minute < 60:
            return f"{hour:02d}:{minute:02d}"
    return None


BULLET_CHARS = "·•▪◦●"
_BULLET_LINE = re.compile(rf"^\s*[{BULLET_CHARS}]\s*")


def tidy(text: str) -> str:
    """Export text → markdown paragraphs: tabs and trailing spaces gone, bullets as ``- ``."""
    out: list[str] = []
    for raw in text.split("\n"):
        nested = (
            bool(re.match(r"^[ \t]+- ", raw)) and bool(out) and out[-1].lstrip().startswith("- ")
        )
        line = raw.replace("\xa0", " ").strip()
        if _BULLET_LINE.match(line):
            line = "- " + _BULLET_LINE.sub("", line)
        if nested:
            line = "    " + line
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    return join_broken("\n".join(out).strip("\n"))


def join_broken(text: str) -> str:
    """Join a paragraph a page break split: the next paragraph starts in lower case."""
    paras = text.split("\n\n")
    out: list[str] = []
    for p in paras:
        if (
            out
            and p[:1].islower()
            and out[-1]
            and out[-1][-1:] not in ".:;!?)"
            and not p.startswith(("- ", "e.g"))
        ):
            out[-1] = out[-1] + " " + p
        else:
            out.append(p)
    return "\n\n".join(out)


SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“\"'(])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(" ".join(text.split())) if s.strip()]
