"""MS-OVBA 2.4.1 compression: the specification's worked examples byte for byte, round trips,
and oletools' independent decompressor agreeing with ours."""

from __future__ import annotations

import random
import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from addin.xlam.vbaproject import CompressionError, compress, decompress, default_template
from addin.xlam.vbaproject.compression import raw_padding

# MS-OVBA 3.2.1 (no compression), 3.2.2 (normal compression), 3.2.3 (maximum compression).
SPEC_EXAMPLES = [
    (
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
    ),
    (
        b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C"
        " 00 30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C",
    ),
    (b"a" * 73, "01 03 B0 02 61 45 00"),
]


@pytest.mark.parametrize(("plain", "packed"), SPEC_EXAMPLES)
def test_spec_examples_compress_byte_for_byte(plain: bytes, packed: str) -> None:
    assert compress(plain) == bytes.fromhex(packed)


@pytest.mark.parametrize(("plain", "packed"), SPEC_EXAMPLES)
def test_spec_examples_decompress(plain: bytes, packed: str) -> None:
    assert decompress(bytes.fromhex(packed)) == plain


def _check_round_trip(data: bytes) -> None:
    packed = compress(data)
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data  # oletools, independent


VBA_WORDS = [
    b"Dim ",
    b"As ",
    b"Long",
    b"\r\n",
    b"    ",
    b"End Sub",
    b"If ",
    b"Then",
    b'"',
    b"x",
    b"&",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(VBA_WORDS), max_size=4000).map(b"".join))
def test_round_trip_text_like(data: bytes) -> None:
    _check_round_trip(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=40), st.integers(1, 700))
def test_round_trip_repetitive(unit: bytes, times: int) -> None:
    _check_round_trip(unit * times)  # up to 28,000 bytes: several chunks, long overlapping runs


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=12000))
def test_round_trip_any_bytes(data: bytes) -> None:
    """Arbitrary bytes come back exactly, except that a raw (incompressible) final chunk is
    padded with zeros to 4096 bytes as MS-OVBA 2.4.1.3.10 prescribes."""
    padding = raw_padding(data)
    assert decompress(compress(data)) == data + bytes(padding)
    assert padding == 0 or len(data) % 4096 > 3600


def test_exact_chunk_multiples_of_random_bytes_round_trip() -> None:
    data = random.Random(4).randbytes(3 * 4096)
    packed = compress(data)
    # each incompressible chunk is stored raw: header 0x3FFF then the 4096 bytes
    assert len(packed) == 1 + 3 * (2 + 4096)
    assert struct.unpack_from("<H", packed, 1)[0] == 0x3FFF
    _check_round_trip(data)


def test_incompressible_final_chunk_is_padded_with_zeros() -> None:
    data = random.Random(7).randbytes(4096 + 4000)
    assert raw_padding(data) == 96
    assert decompress(compress(data)) == data + bytes(96)


def test_empty_input() -> None:
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


def test_xlwings_runtime_module_round_trips(xlwings_bas: str) -> None:
    data = xlwings_bas.encode("ascii")
    assert len(data) > 40_000
    packed = compress(data)
    assert len(packed) < len(data) / 2
    _check_round_trip(data)


def test_our_decompressor_reads_what_office_wrote() -> None:
    """Every compressed stream of xlwings' template (written by Office) decodes the same with our
    decompressor as with oletools'."""
    ole = olefile.OleFileIO(default_template())
    checked = 0
    for path in (["VBA", "dir"], ["VBA", "xlwings"]):
        raw = ole.openstream(path).read()
        assert decompress(raw) == bytes(decompress_stream(bytearray(raw)))
        checked += 1
    assert checked == 2


@pytest.mark.parametrize(
    "bad",
    [
        b"",  # no signature
        b"\x02\x03\xb0abc",  # wrong signature byte
        b"\x01\x03\x00abc",  # chunk signature not 0b011
        b"\x01\x03\xb0\x01",  # copy token cut short
        b"\x01\x03\xb0\x01\x00\x00",  # copy token before the chunk start
    ],
)
def test_malformed_containers_are_refused(bad: bytes) -> None:
    with pytest.raises(CompressionError):
        decompress(bad)
