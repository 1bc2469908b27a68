"""The cache's packing (tuibrowser.packed): what is packed comes back the same, read whole or
a slice at a time, and a damaged part says so (ValueError, which every reader of the cache
takes for a part to build again) instead of giving something else."""

from __future__ import annotations

import platform
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser import packed
from tuibrowser.packed import BLOCK, BlockText, pack, pack_blocks, unpack

_DATA = st.binary(max_size=3 * BLOCK + 7) | st.sampled_from(
    [b"", b"x" * BLOCK, b"y" * (BLOCK + 1), bytes(range(256)) * 700]
)


@settings(max_examples=60, deadline=None)
@given(_DATA)
def test_what_is_packed_whole_comes_back(data):
    assert unpack(pack(data)) == data


@settings(max_examples=60, deadline=None)
@given(_DATA)
def test_what_is_packed_is_a_zlib_stream_whichever_library_packed_it(data):
    # ISA-L packs when it is installed: its streams are zlib's format, read by zlib itself,
    # and so are the streams of the fallback (zlib), read back by unpack
    assert zlib.decompress(pack(data)) == data
    assert unpack(zlib.compress(data, packed.LEVEL)) == data
    isal = packed._isal_compress
    try:
        packed._isal_compress = None  # a machine without ISA-L's wheel
        assert zlib.decompress(pack(data)) == data
    finally:
        packed._isal_compress = isal


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64", "aarch64", "arm64"),
    reason="isal is a dependency only where it has wheels (x86_64 and arm64)",
)
def test_isal_packs_where_it_is_installed_at_a_level_it_has():
    # ISA-L has levels 0-3 only: the level it is asked for must be one of them (zlib's 4 is
    # refused), and a part it packs must read back
    assert packed._isal_compress is not None
    assert packed.ISAL_LEVEL in range(4)
    assert unpack(pack(b"tuibrowser " * 5000)) == b"tuibrowser " * 5000


@settings(max_examples=60, deadline=None)
@given(_DATA, st.integers(-2, 3 * BLOCK + 9), st.integers(-2, 3 * BLOCK + 9))
def test_a_slice_of_a_text_packed_in_blocks_is_the_slice_of_the_text(data, lo, hi):
    text = BlockText(pack_blocks(data))
    assert len(text) == len(data)
    assert text[lo:hi] == data[lo:hi]
    assert text[:] == data
    lazy = BlockText(pack_blocks(data), len(data))  # its table read at the first slice
    assert len(lazy) == len(data) and lazy[lo:hi] == data[lo:hi]


def test_a_packed_text_not_of_the_length_its_reader_expects_raises_value_error():
    text = BlockText(pack_blocks(b"abc" * 9000), 27001)
    with pytest.raises(ValueError):
        text[:10]


CUTS = {
    "cut short": lambda raw: raw[:-3],
    "one byte changed": lambda raw: raw[:-12] + bytes([raw[-12] ^ 0xFF]) + raw[-11:],
    "something after it": lambda raw: raw + b"more",
    "not packed": lambda raw: b"not what was written",
    "empty": lambda raw: b"",
}


@pytest.mark.parametrize("how", list(CUTS.values()), ids=list(CUTS))
def test_a_damaged_part_raises_value_error(how):
    data = bytes(range(256)) * 300 + b"the end"
    with pytest.raises(ValueError):
        unpack(how(pack(data)))
    with pytest.raises(ValueError):
        BlockText(how(pack_blocks(data)))[:]


@settings(max_examples=60, deadline=None)
@given(
    st.binary(min_size=0, max_size=3 * BLOCK + 7),
    st.integers(0, 3 * BLOCK),
    st.binary(max_size=40),
    st.integers(0, 40),
)
def test_a_text_packed_again_with_its_old_blocks_is_the_one_packed_anew(old, at, insert, cut):
    """The blocks of a text as it was (packed_blocks) are taken where a block is byte for byte
    as it was: the text packed again is the one packed from scratch, and reads back whole."""
    at = min(at, len(old))
    new = old[:at] + insert + old[at + cut :]
    known = packed.packed_blocks(pack_blocks(old))
    assert {unpack(p) for p in known.values()} == set(known)
    again = pack_blocks(new, known)
    assert again == pack_blocks(new)
    assert BlockText(again)[:] == new
