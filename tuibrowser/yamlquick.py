"""A quick reader of the YAML most meeting files hold, equal to :mod:`.yamlsafe`'s loader on it.

A meeting file's frontmatter is nearly always block mappings and sequences of plain or quoted
one-line scalars (``board: "Cabinet"``, ``- name: "Cllr A"``). Composing it with libyaml builds
a node object, two marks and a call of the resolver for every value; this reads such text a
line at a time instead, and resolves a plain scalar as the loader does (the YAML 1.2 core
schema of :class:`.yamlsafe.CoreLoader`: ``10:30`` and ``NO`` stay text).

Block scalars (``>-``, ``>``, ``|-``, ``|``) are read when their lines are all at one indent,
with no blank line, trailing blank or comment-like line among them. Anything else (flow
collections but ``[]`` and ``{}``, escapes, other block or multi-line scalars,
anchors, aliases, tags, complex or quoted keys, tabs, control characters, a duplicate key,
anything that is not valid YAML) gives :data:`UNUSUAL`, and the loader reads the text itself:
its errors, with their lines, are the loader's.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from . import limits

UNUSUAL: Any = object()  # what :func:`quick_load` gives for text it leaves to the loader


class _Unusual(Exception):
    pass


@cache
def odd_pattern() -> re.Pattern[str]:
    """Characters that make a text unusual wherever they stand: tabs, control characters, the
    line breaks YAML knows beside "\\n", a BOM, surrogates and non-characters. (Compiled when
    first needed: an ASCII text, as nearly every frontmatter is, is checked without it.)"""
    return re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


# The ASCII characters odd_pattern() lets through: an ASCII text is checked by deleting them
# from its bytes (one pass at C speed; the pattern tests a class of ranges at every character).
_ASCII_PLAIN = b"\n" + bytes(range(0x20, 0x7F))


def has_odd(text: str) -> bool:
    """Whether ``text`` holds a character of :func:`odd_pattern`."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_PLAIN))
    return odd_pattern().search(text) is not None


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(?: [A-Za-z0-9_\-]+)*\Z")
# A plain scalar that starts with none of YAML's indicators and holds none of ": ", " #".
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DOUBLE = re.compile(r'"([^"\\]*(?:\\["\\/][^"\\]*)*)"[ ]*\Z')  # escapes: \" \\ \/ alone
_ESCAPE = re.compile(r"\\(.)")
_SINGLE = re.compile(r"'([^']*)'[ ]*\Z")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z|[-+]?[0-9]+[eE][-+]?[0-9]+\Z"
)
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_BOOL["FALSE"] = False
_NULL = frozenset(["~", "null", "Null", "NULL"])


def quick_load(text: str) -> Any:
    """The value of YAML ``text`` as :func:`.yamlsafe.load` makes it (before its limits are
    checked), or :data:`UNUSUAL` when the text is not of the shapes read here."""
    if has_odd(text) or _deep(text):
        return UNUSUAL
    try:
        return token_load(text)
    except _Unusual:
        return line_load(text)


# Each level of a block collection these readers read is a call or two, and is indented more
# than the level two above it: a text with no line indented this far stays well within the
# interpreter's recursion limit. A deeper one (which the limits refuse beyond 64 levels) is
# the loader's, whose errors say so.
MAX_INDENT = 256


def _deep(text: str) -> bool:
    """Whether a line of ``text`` is indented :data:`MAX_INDENT` spaces or more (one search
    at C speed)."""
    blanks = " " * MAX_INDENT
    return text.startswith(blanks) or ("\n" + blanks) in text


# One line of the commonest shapes, cut up by one pattern (the whole text at once): its indent,
# a sequence entry's dash, a plain key and its colon, and its value: a double-quoted text
# without escapes (quotes kept: ``""`` is a value), or anything else. A blank or comment line
# gives no token.
_TOKEN = re.compile(
    r"^( *)(?=[^ \n#])(- +)?(?:([A-Za-z_][\w\-]*(?: [\w\-]+)*):(?: +|$))?"
    r"(?:(\"[^\"\\\n]*\") *|(.*))$",
    re.MULTILINE | re.ASCII,  # (\w: [A-Za-z0-9_], which the pattern tests faster than a range)
)
_Token = tuple[str, str, str, str, str]  # indent, dash, key, quoted value, other value
# Keys the loader reads as a boolean or null (a key starting with a digit or "-" is no token's)
_NOT_KEYS = frozenset(["true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"])
# First letters of a plain value that is text whatever follows (not a boolean, null or number)
_TEXT_START = frozenset("abcdeghijklmopqrsuvwxyzABCDEGHIJKLMOPQRSUVWXYZ")


def token_load(text: str) -> Any:
    """:func:`quick_load` of a text of block mappings and sequences of one-line scalars only,
    read from the tokens of :data:`_TOKEN` (the line reader's per-line string work done by one
    pattern); raises :class:`_Unusual` for anything else (a block scalar, a key of another
    shape, a comment after a value...), which :func:`line_load` then reads."""
    tokens = tokens_of(text)
    if not tokens or tokens[0][0]:
        raise _Unusual
    value, end = _t_node(tokens, 0, 0)
    if end != len(tokens):
        raise _Unusual
    return value


def tokens_of(text: str) -> list[_Token]:
    """``_TOKEN.findall(text)``, a line at a time: a line's token (or none, for a blank or
    comment line) depends on the line alone, and the lines of frontmatters are the same few
    again and again (``    role: Member``, ``    status: present``), so each line seen is
    looked up (a hash of it) before the pattern is run on it (thousands of instructions)."""
    lines = text.split("\n")
    tokens: list[Any] = list(map(_LINE_TOKENS.get, lines))  # (the loop at C speed)
    if None in tokens:
        for n, token in enumerate(tokens):
            if token is None:
                line = lines[n]
                found = _TOKEN.findall(line)
                tokens[n] = token = found[0] if found else ()
                if len(line) <= MAX_LINE_CHARS and len(_LINE_TOKENS) < MAX_LINES:
                    _LINE_TOKENS[line] = token
    return list(filter(None, tokens))  # (a blank or comment line's () left out)


# Lines whose token tokens_of found (() for none): at most this many, none longer than this (a
# longer line is cut up each time, not kept for the next file).
MAX_LINES = 8192
MAX_LINE_CHARS = 100
_LINE_TOKENS: dict[str, _Token | tuple[()]] = {}


def _t_node(tokens: list[_Token], i: int, indent: int) -> tuple[Any, int]:
    if tokens[i][1]:
        return _t_sequence(tokens, i, indent)
    return _t_mapping(tokens, i, indent, False)


def _t_scalar(value: str) -> Any:
    """A plain value of a token (trailing blanks and all), as the loader makes it."""
    if (
        value[0] in _TEXT_START
        and ": " not in value
        and " #" not in value
        and value[-1] != ":"
        and value[-1] != " "
    ):
        return value
    return _scalar(value.rstrip(" "))


def _t_mapping(tokens: list[_Token], i: int, indent: int, entry: bool) -> tuple[dict, int]:
    """The mapping at ``indent`` from token ``i`` (with ``entry``, a sequence entry's line that
    holds its first key); and the token after."""
    out: dict = {}
    n = len(tokens)
    while i < n:
        at, dash, key, quoted, plain = tokens[i]
        if entry:
            entry = False
        elif len(at) != indent or dash:
            if len(at) > indent:
                raise _Unusual
            break  # the end of this mapping (a sequence at its indent: the key above's)
        if not key or key in out or key in _NOT_KEYS:
            raise _Unusual  # (a duplicate: the loader says which key, and where)
        i += 1
        if quoted:
            out[key] = quoted[1:-1]
        elif plain:
            out[key] = _t_scalar(plain)
        else:
            if i < n:
                deeper = len(tokens[i][0])
                if deeper > indent:
                    out[key], i = _t_node(tokens, i, deeper)
                    continue
                if deeper == indent and tokens[i][1]:
                    out[key], i = _t_sequence(tokens, i, indent)  # YAML lets it stand there
                    continue
            out[key] = None
    return out, i  # (a scalar going on on the next lines: refused where the next key is read)


def _t_sequence(tokens: list[_Token], i: int, indent: int) -> tuple[list, int]:
    out: list = []
    n = len(tokens)
    while i < n:
        at, dash, key, quoted, plain = tokens[i]
        if len(at) != indent or not dash:
            break
        value: Any
        if key:
            if key in _NOT_KEYS:
                raise _Unusual
            value, i = _t_mapping(tokens, i, indent + len(dash), True)
        else:
            i += 1
            if quoted:
                value = quoted[1:-1]
            elif plain:
                value = _t_scalar(plain)
            else:
                raise _Unusual  # an entry on the lines below
        out.append(value)
    if i < n and len(tokens[i][0]) > indent:
        raise _Unusual  # (a scalar entry going on on the next lines, too)
    return out, i


def line_load(text: str) -> Any:
    """:func:`quick_load` a line at a time: the shapes :func:`token_load` leaves to it (block
    scalars, keys of other shapes, blank lines inside a block scalar...)."""
    rows = text.split("\n")
    lines: list[tuple[int, str, int]] = []  # indent, content, row
    for row, line in enumerate(rows):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue  # a blank line or a comment
        if content.startswith(("---", "...")) and len(line) == len(content):
            return UNUSUAL  # a document marker
        lines.append((len(line) - len(content), content.rstrip(" "), row))
    if not lines:
        return None
    if lines[0][0] != 0:
        return UNUSUAL
    try:
        value, end = _node(_Text(lines, rows), 0, 0)
    except _Unusual:
        return UNUSUAL
    return value if end == len(lines) else UNUSUAL


class _Text:
    """The lines of a text with content (indent, content without trailing blanks, row), and all
    its rows as they are (for block scalars)."""

    __slots__ = ("lines", "rows")

    def __init__(self, lines: list[tuple[int, str, int]], rows: list[str]) -> None:
        self.lines = lines
        self.rows = rows


def _value(text: _Text, i: int, rest: str, indent: int) -> tuple[Any, int]:
    """The scalar ``rest`` on line ``i`` of a collection at ``indent``; and the line after."""
    lines = text.lines
    if rest[0] in ">|":
        return _block(text, i, rest, indent)
    value = _scalar(rest)
    i += 1
    if i < len(lines) and lines[i][0] > indent:
        raise _Unusual  # a scalar going on on the next lines
    return value, i


_BLOCK_HEADS = {">-": (" ", ""), ">": (" ", "\n"), "|-": ("\n", ""), "|": ("\n", "\n")}


def _block(text: _Text, i: int, head: str, indent: int) -> tuple[str, int]:
    """A block scalar whose header ``head`` ends line ``i``, in a collection at ``indent``: its
    lines, all at one indent deeper than ``indent``, folded (``>``) or kept (``|``), with a
    final line break (clip) or none (``-``)."""
    how = _BLOCK_HEADS.get(head)
    if how is None:
        raise _Unusual  # an indentation indicator, keep (+), a comment after it
    rows, lines = text.rows, text.lines
    row = lines[i][2] + 1
    parts: list[str] = []
    at = -1
    while row < len(rows):
        line = rows[row]
        content = line.lstrip(" ")
        depth = len(line) - len(content)
        if not content:
            break
        if depth <= indent:
            break
        if at == -1:
            at = depth
        elif depth != at:
            raise _Unusual  # more indented lines: kept apart by line breaks
        if line[-1] == " ":
            raise _Unusual  # trailing blanks are part of a block scalar
        parts.append(content)
        row += 1
    if not parts:
        raise _Unusual
    for later in rows[row:]:  # blank lines end it only if nothing of it follows
        stripped = later.lstrip(" ")
        if len(later) - len(stripped) > indent:
            raise _Unusual  # more of it, or blanks that may be part of it
        if stripped:
            break
    i += 1
    while i < len(lines) and lines[i][2] < row:
        i += 1
    join, end = how
    if row == len(rows):
        end = ""  # the text ends on its last line: there is no line break to keep
    return join.join(parts) + end, i


def _node(text: _Text, i: int, indent: int) -> tuple[Any, int]:
    """The block collection whose first line is line ``i``, at ``indent``; and the line after."""
    content = text.lines[i][1]
    if content == "-" or content.startswith("- "):
        return _sequence(text, i, indent)
    return _mapping(text, i, indent)


def _sequence(text: _Text, i: int, indent: int) -> tuple[list, int]:
    out: list = []
    lines = text.lines
    n = len(lines)
    while i < n and lines[i][0] == indent:
        content = lines[i][1]
        if not content.startswith("- "):
            if content == "-":
                raise _Unusual  # an entry on the lines below (rare): the loader's
            break  # the rest of a mapping this sequence is a value of
        rest = content[2:]
        inner = indent + 2 + len(rest) - len(rest.lstrip(" "))
        rest = rest.lstrip(" ")
        if rest.startswith("- ") or rest == "-":
            raise _Unusual  # a sequence in a sequence on one line
        key = None if rest[0] in "'\"" else _split_key(rest)[0]  # (a quoted text: no key)
        if key is None:
            value, i = _value(text, i, rest, indent)
        else:  # a mapping whose first key is on the entry's line
            lines[i] = (inner, rest, lines[i][2])
            value, i = _mapping(text, i, inner)
        out.append(value)
    if i < n and lines[i][0] > indent:
        raise _Unusual
    return out, i


def _mapping(text: _Text, i: int, indent: int) -> tuple[dict, int]:
    out: dict = {}
    lines = text.lines
    n = len(lines)
    while i < n:
        at, content, _ = lines[i]
        if at != indent:
            if at > indent:
                raise _Unusual
            break
        key, rest = _split_key(content)
        if key is None:
            if content == "-" or content.startswith("- "):
                break  # a sequence at this indent: the value of the key above, or the end
            raise _Unusual
        if key in out:
            raise _Unusual  # the loader says which key, and where
        if rest:
            out[key], i = _value(text, i, rest, indent)
            continue
        i += 1
        if i < n and lines[i][0] > indent:
            out[key], i = _node(text, i, lines[i][0])
        elif (
            i < n and lines[i][0] == indent and (lines[i][1] == "-" or lines[i][1].startswith("- "))
        ):
            out[key], i = _sequence(text, i, indent)  # YAML lets it stand at the key's indent
        else:
            out[key] = None
    return out, i


def _split_key(content: str) -> tuple[Any, str]:
    """(key, the rest) of a line ``key: rest`` or ``key:``; (None, "") for a line of another
    shape. A key is plain text that the loader reads as text."""
    if content.endswith(":"):
        key, rest = content[:-1], ""
    else:
        key, sep, rest = content.partition(": ")
        if not sep:
            return None, ""
        rest = rest.lstrip(" ")
    if key in _KEYS:  # (a file names the same few keys again and again)
        return key, rest
    if not _KEY.match(key):
        if ":" in key or key[:1] in ("'", '"', "?", "[", "{", "&", "*", "!"):
            raise _Unusual  # a quoted or complex key, or a colon in it
        return None, ""
    if key in _BOOL or key in _NULL or key[0] in "0123456789-":
        raise _Unusual  # a key the loader reads as a boolean, null or number
    if len(_KEYS) < MAX_KEYS:
        _KEYS.add(key)
    return key, rest


# Keys found plain text (each as _split_key decided), so each is checked once: at most this many.
MAX_KEYS = 4096
_KEYS: set[str] = set()


def _scalar(text: str) -> Any:
    """A value on a line (not empty, no trailing blanks), as the loader makes it."""
    first = text[0]
    if first == '"':
        m = _DOUBLE.match(text)
        if m is None:
            raise _Unusual  # another escape, a comment after it, or another line
        value = m.group(1)
        return _ESCAPE.sub(r"\1", value) if "\\" in value else value
    if first == "'":
        m = _SINGLE.match(text)
        if m is None:
            raise _Unusual
        return m.group(1)
    if text == "[]":
        return []
    if text == "{}":
        return {}
    if first in _PLAIN_START or ": " in text or " #" in text or text.endswith(":"):
        raise _Unusual
    if first in "+.0123456789":
        if _INT.match(text):
            return limits.integer(text)
        if _FLOAT.match(text):
            return float(text)
        return text
    if first in "tTfF" and text in _BOOL:
        return _BOOL[text]
    if text in _NULL:
        return None
    return text
