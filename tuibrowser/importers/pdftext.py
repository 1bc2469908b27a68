"""A PDF's text laid out as the text exports are: one line per printed line, table cells
separated by tabs, a blank line between paragraphs.

Read with pdfplumber (on pdfminer.six): it gives every word with its box, so a gap between two
words wider than a space is told from a space, which is what turns a printed table (an agenda
table, a KPI table with RAG ratings) into the tab-separated rows the agenda-pack reader reads.
pypdf, lighter, gives text runs without their widths: two table cells that nearly touch come
out as one run of words, and a table cannot be read back.

Limits: a cell that wraps onto several printed lines is several lines here (as in the text
exports); scanned pages (images, no text) give no text; an encrypted PDF is refused.
"""

from __future__ import annotations

import io
from statistics import median

from .base import ImportFailure

MAX_PAGES = 2000
_SAME_LINE = 2.5  # points between word tops still on one printed line


def is_pdf(raw: bytes) -> bool:
    return raw[:1024].lstrip().startswith(b"%PDF-")


def pdf_to_text(raw: bytes) -> str:
    """The text of a PDF, laid out for the importers; ImportFailure when it cannot be read."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ImportFailure(f"PDF support is not installed ({exc})") from exc
    pages: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ImportFailure(f"the PDF has {len(pdf.pages)} pages; the limit is {MAX_PAGES}")
            for page in pdf.pages:
                pages.append(_page_text(page))
                page.flush_cache()
    except ImportFailure:
        raise
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise ImportFailure("the PDF is encrypted; it cannot be read") from exc
    except RecursionError as exc:
        raise ImportFailure("the PDF is nested too deeply to read") from exc
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a bad file
        raise ImportFailure(f"not a PDF that can be read ({type(exc).__name__})") from exc
    text = "\n\n".join(p for p in pages if p.strip())
    if not text.strip():
        raise ImportFailure("the PDF has no text (a scan?): nothing to read")
    return text + "\n"


def _page_text(page) -> str:  # noqa: ANN001 - a pdfplumber page
    words = page.extract_words(
        x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, extra_attrs=["size"]
    )
    if not words:
        return ""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= _SAME_LINE:
            lines[-1].append(w)
        else:
            lines.append([w])
    margin = min(w["x0"] for w in words)
    size = median(w["size"] for w in words) or 10.0
    out: list[str] = []
    prev_top: float | None = None
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        top = line[0]["top"]
        if prev_top is not None and top - prev_top > size * 1.9:
            out.append("")  # a paragraph break: more than a line's height of space
        prev_top = top
        out.append(_line_text(line, margin))
    return "\n".join(out)


def _line_text(line: list[dict], margin: float) -> str:
    first = line[0]
    text = "\t" if first["x0"] - margin > first["size"] * 2 else ""
    prev = None
    for w in line:
        if prev is not None:
            gap = w["x0"] - prev["x1"]
            text += "\t" if gap > max(w["size"], prev["size"]) * 0.9 else " "
        text += w["text"]
        prev = w
    return text
