"""SHA-256, without loading OpenSSL for the little a refresh hashes.

``hashlib.sha256`` is OpenSSL's: the fastest on many bytes (a cold index hashes every file,
318 MB at 10,000 meetings), but loading it (libcrypto, by ``import hashlib``) took about 5 ms
here, a fortieth of a one-file refresh, which hashes the file it reads again (26 KB on
average), a few names and a meeting or two. The interpreter's own SHA-256 (``_sha2`` from
Python 3.12, ``_sha256`` before) loads at once and is about seven times slower per byte: it
hashes the first :data:`OWN_BYTES` a process asks of :func:`sha256`, and anything once
hashlib is imported (by anything) is OpenSSL's. The digests are the same.
"""

from __future__ import annotations

import sys
from typing import Any

# the bytes a process hashes with the interpreter's own SHA-256 before loading OpenSSL's (at
# most about 5 ms of hashing more, then the 5 ms of loading it that a refresh is spared)
OWN_BYTES = 1 << 20

_own: Any
try:
    from _sha2 import sha256 as _own  # type: ignore[import-not-found,no-redef,unused-ignore]
except ImportError:
    try:
        from _sha256 import sha256 as _own  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:  # (an interpreter built without them: OpenSSL's alone)
        _own = None

_hashed = 0  # the bytes hashed with the interpreter's own (a count: a thread may race it)


def sha256(data: bytes = b"") -> Any:
    """A SHA-256 hash object of ``data`` (as ``hashlib.sha256(data)``): the interpreter's own
    while this process has hashed little and not imported hashlib, else OpenSSL's."""
    global _hashed
    if _own is not None and "hashlib" not in sys.modules and _hashed + len(data) <= OWN_BYTES:
        _hashed += len(data)
        return _own(data)
    import hashlib

    return hashlib.sha256(data)


def hexdigest(data: bytes) -> str:
    """The SHA-256 of ``data`` in hexadecimal."""
    return sha256(data).hexdigest()
