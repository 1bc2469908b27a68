"""The frontmatter key ``documents``: the documents a meeting links, read and checked.

Every problem here is a warning and the rest of the file is used: a value that is not as
documented (a ``javascript:`` URL, a ``file`` outside the meetings folder, a size out of range,
a SHA-256 that is not 64 hex digits) is left out, a row without a title is left out, and
``documents`` that is not a list is left out whole. ``drop(message, path)`` reports one (the
loader adds the file, the line and "left out").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from . import limits
from .model import LINKED_KINDS, LinkedDocument

Drop = Callable[[str, tuple], None]

KEY = "documents"
_URL = re.compile(r"https?://[^\s<>\"'`\x00-\x1f\x7f-\x9f/?#]+[^\s<>\"'`\x00-\x1f\x7f-\x9f]*", re.I)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


class _Bad(Exception):
    """A field that is not as documented: the message says why."""


def read(value: Any, drop: Drop) -> list[LinkedDocument]:
    """The rows of ``documents`` that can be kept."""
    if value is None:
        return []
    if not isinstance(value, list):
        drop(f"must be a list of documents, not {_kind(value)}", (KEY,))
        return []
    out: list[LinkedDocument] = []
    for i, row in enumerate(value):
        path = (KEY, i)
        if not isinstance(row, dict):
            drop(f"must be a mapping (title, url, file, …), not {_kind(row)}", path)
            continue
        doc = _row(row, path, drop)
        if doc is not None:
            out.append(doc)
    return out


def _row(row: dict, path: tuple, drop: Drop) -> LinkedDocument | None:
    fields: dict[str, Any] = {}
    for key, check in _FIELDS.items():
        if row.get(key) is None:
            continue
        try:
            fields[key] = check(row[key])
        except _Bad as exc:
            drop(str(exc), (*path, key))
    for key in row:
        if key not in _FIELDS:
            drop("is not a known field", (*path, key))
    if not fields.get("title"):
        drop("has no title", path)
        return None
    return LinkedDocument(**fields)


def _text(value: Any) -> str:
    if isinstance(value, bool | dict | list):
        raise _Bad(f"must be text, not {_kind(value)}")
    return " ".join(str(value).split())


def _title(value: Any) -> str:
    return _text(value)


def _url(value: Any) -> str:
    text = _text(value)
    try:
        host = urlsplit(text).hostname if _URL.fullmatch(text) else None
    except ValueError:  # a bracketed host that is not an IPv6 address
        host = None
    if not host:
        raise _Bad(f"{limits.short(text)} is not an http(s) address")
    return text


def _file(value: Any) -> str:
    """A path relative to the meetings folder, inside it: no ``..``, not absolute."""
    text = _text(value)
    parts = re.split(r"[/\\]", text)
    if text.startswith(("/", "\\", "~")) or _DRIVE.match(text):
        raise _Bad(
            f"{limits.short(text)} is an absolute path (give it relative to the meetings folder)"
        )
    if ".." in parts or _CONTROL.search(text) or not all(parts):
        raise _Bad(f"{limits.short(text)} is not a path inside the meetings folder")
    return text


def _size(value: Any) -> int:
    if isinstance(value, limits.LongNumber):
        raise _Bad(f"{limits.short(value)} is out of range (at most {limits.MAX_INTEGER:,})")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(f"must be a number of bytes, not {limits.short(value)}")
    why = limits.number_problem(value)
    if why is not None:
        raise _Bad(why)
    if value < 0 or value != int(value):
        raise _Bad(f"must be a whole number of bytes, not {value!r}")
    return int(value)


def _sha256(value: Any) -> str:
    text = _text(value).lower()
    if not _SHA256.fullmatch(text):
        raise _Bad(f"{limits.short(text)} is not a SHA-256 (64 hex digits)")
    return text


def _linked_kind(value: Any) -> str:
    text = " ".join(_text(value).lower().replace("_", " ").replace("-", " ").split())
    if text not in LINKED_KINDS:
        raise _Bad(f"{limits.short(text)} is not one of {', '.join(LINKED_KINDS)}")
    return text


def _item(value: Any) -> str:
    text = _text(value)
    why = limits.identifier_problem(text, "item number")
    if why:
        raise _Bad(why)
    return text


_FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _title,
    "url": _url,
    "file": _file,
    "size": _size,
    "sha256": _sha256,
    "kind": _linked_kind,
    "item": _item,
    "note": _text,
}


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def merged(groups: list[list[LinkedDocument]]) -> list[LinkedDocument]:
    """The documents of a meeting's files, each once: one that has the SHA-256 (or, without
    one, the URL) of a document already listed is left out."""
    out: list[LinkedDocument] = []
    seen: set[tuple[str, str]] = set()
    for docs in groups:
        for d in docs:
            keys = {("sha256", d.sha256) if d.sha256 else None, ("url", d.url) if d.url else None}
            keys.discard(None)
            if keys & seen:
                continue
            seen.update(k for k in keys if k is not None)
            out.append(d)
    return out
