"""HTML (Word HTML in ModernGov minutes) → clean markdown text: paragraphs and lists.

Styles, scripts, Word's XML islands and conditional comments are dropped; ``&nbsp;`` becomes a
space; text that is HTML-escaped a second time is unescaped once more.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_SKIP = {"style", "script", "head", "title", "xml", "o:p", "meta", "link", "noscript"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "blockquote", "section"}
_MAX_DEPTH = 200


class _Markdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.lists: list[list] = []  # ["ul"|"ol", counter]
        self.cell = 0

    def _newline(self, blank: bool = True) -> None:
        self.out.append("\n\n" if blank else "\n")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in _BLOCK:
            self._newline()
        elif tag == "br":
            self._newline(blank=False)
        elif tag in ("ul", "ol"):
            if len(self.lists) < _MAX_DEPTH:
                self.lists.append([tag, 0])
            self._newline()
        elif tag == "li":
            depth = max(0, len(self.lists) - 1)
            kind: list = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            marker = f"{kind[1]}." if kind[0] == "ol" else "-"
            self.out.append("\n" + "    " * min(depth, 3) + marker + " ")
        elif tag in ("td", "th"):
            self.cell += 1
            if self.cell > 1:
                self.out.append(" | ")
        elif tag in ("strong", "b"):
            self.out.append("**")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in _BLOCK:
            self._newline()
            if tag == "tr":
                self.cell = 0
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newline()
        elif tag in ("strong", "b"):
            self.out.append("**")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.out.append(re.sub(r"[ \t\r\n\xa0]+", " ", data))

    def handle_comment(self, data: str) -> None:
        return  # Word's conditional comments and everything else in comments

    def text(self) -> str:
        raw = "".join(self.out)
        raw = raw.replace("****", "").replace("** **", " ")
        lines = [
            ln.strip() if not re.match(r"^ *(-|\d+\.) ", ln) else ln.rstrip()
            for ln in raw.split("\n")
        ]
        out: list[str] = []
        for ln in lines:
            if ln.strip() in ("", "**"):
                if out and out[-1] != "":
                    out.append("")
                continue
            out.append(ln)
        return "\n".join(out).strip()


def unescape_twice(text: str) -> str:
    """Undo a second level of HTML escaping (``&amp;lt;p&amp;gt;`` came in as ``&lt;p&gt;``)."""
    if "<" not in text and re.search(r"&lt;\s*+/?\s*+[a-zA-Z]", text):
        return html.unescape(text)
    return text


_IF = re.compile(r"<!\[if", re.I)
_ENDIF = re.compile(r"<!\[endif\]>", re.I)


def _drop_conditionals(text: str) -> str:
    r"""``text`` without Word's ``<![if …]>…<![endif]>`` blocks: what
    ``re.sub(r"<!\[if[^\]]*\]>.*?<!\[endif\]>", "", text, flags=re.S | re.I)`` gives, in linear
    time (that pattern scans to the end from every opening that is never closed)."""
    out: list[str] = []
    pos = search = 0
    while (m := _IF.search(text, search)) is not None:
        close = text.find("]", m.end())
        if close < 0:
            break
        if not text.startswith(">", close + 1):
            search = close + 1  # every opening before this "]" ends there too: none matches
            continue
        end = _ENDIF.search(text, close + 2)
        if end is None:
            break
        out.append(text[pos : m.start()])
        pos = search = end.end()
    out.append(text[pos:])
    return "".join(out)


def _escape_unclosed(text: str) -> str:
    """``text`` with each ``<`` that opens no tag (another ``<`` or the end comes before its
    ``>``) written ``&lt;``, and comments never closed as text.

    The standard library's HTML parser scans the rest of the text again from every such
    ``<``: 10,000 ``<a `` took it 20 s. Found in one pass (the next ``>`` is kept, not
    searched for again from each ``<``).
    """
    out: list[str] = []
    pos = 0
    gt = -1  # the first ">" at or after the "<" being read, once found
    closed = True  # whether a comment can still be closed (a "-->" is left)
    while (lt := text.find("<", pos)) >= 0:
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4) if closed else -1
            if end < 0:
                closed = False
                out += (text[pos:lt], "&lt;")
                pos = lt + 1
                continue
            out.append(text[pos : end + 3])
            pos = end + 3
            continue
        if gt < lt:
            gt = text.find(">", lt + 1)
            if gt < 0:
                out.append(text[pos:].replace("<", "&lt;"))
                return "".join(out)
        following = text.find("<", lt + 1, gt)
        if following >= 0:
            out += (text[pos:lt], "&lt;")
            pos = lt + 1
            continue
        out.append(text[pos : gt + 1])
        pos = gt + 1
    out.append(text[pos:])
    return "".join(out)


def to_markdown(fragment: str | None) -> str:
    if not fragment:
        return ""
    fragment = unescape_twice(fragment)
    fragment = _drop_conditionals(fragment)
    if "<" not in fragment:
        return "\n\n".join(p.strip() for p in html.unescape(fragment).split("\n\n") if p.strip())
    parser = _Markdown()
    parser.feed(_escape_unclosed(fragment))
    parser.close()
    return parser.text()
