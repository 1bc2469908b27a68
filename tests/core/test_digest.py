"""SHA-256 without OpenSSL's start-up (tuibrowser/digest.py): the same digests as hashlib's,
the interpreter's own for the first bytes a process hashes, OpenSSL's after them or once
hashlib is imported."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from tuibrowser import digest


@pytest.mark.parametrize(
    "data", [b"", b"abc", "Joy Allen — Chair".encode(), bytes(range(256)) * 300]
)
def test_the_digest_is_hashlibs(data):
    assert digest.hexdigest(data) == hashlib.sha256(data).hexdigest()
    assert digest.sha256(data).digest() == hashlib.sha256(data).digest()


# in a new process: which SHA-256 hashed (its type's module), and whether hashlib was imported
WHICH = (
    "import json, sys\n"
    "from tuibrowser import digest\n"
    "seen = []\n"
    "for size in map(int, sys.argv[1:]):\n"
    "    if size < 0:\n"
    "        import hashlib\n"
    "        continue\n"
    "    h = digest.sha256(bytes(size))\n"
    "    seen.append([type(h).__module__, 'hashlib' in sys.modules])\n"
    "print(json.dumps(seen))\n"
)


def which(*sizes: int) -> list[list]:
    out = subprocess.run(
        [sys.executable, "-c", WHICH, *map(str, sizes)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_the_first_bytes_are_hashed_without_loading_openssl_and_the_rest_with_it():
    if digest._own is None:
        pytest.skip("this interpreter was built without its own SHA-256 (_sha2, _sha256)")
    small = digest.OWN_BYTES // 4
    found = which(small, small, small, small, 1, small)
    own = [module for module, imported in found[:4] if not imported]
    assert len(own) == 4 and "_hashlib" not in own  # (the interpreter's own, hashlib not loaded)
    assert found[4:] == [["_hashlib", True], ["_hashlib", True]]  # past OWN_BYTES: OpenSSL's


def test_once_hashlib_is_imported_its_sha256_hashes_everything():
    assert which(-1, 10)[0] == ["_hashlib", True]
