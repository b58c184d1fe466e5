"""MS-OVBA compression (MS-OVBA 2.4.1): the LZ77 variant that stores VBA source and the ``dir``
stream inside ``vbaProject.bin``.

A *CompressedContainer* is the signature byte ``0x01`` followed by chunks. Each chunk holds at most
4096 decompressed bytes behind a two-byte header (size - 3 in bits 0-11, signature ``0b011`` in
bits 12-14, "compressed" flag in bit 15). A compressed chunk is a run of token sequences: one flag
byte, then eight tokens, each a literal byte (flag bit 0) or a two-byte little-endian *CopyToken*
(flag bit 1) whose split between offset and length bits depends on how far into the chunk it sits
(2.4.1.3.19.1 "CopyToken Help").

Match finding. Any choice of matches decompresses to the same bytes; the specification's
pseudo-code (2.4.1.3.19.4) tries every earlier position of the chunk, but its own worked example
(3.2.2 "Normal Compression Example") was produced by a compressor that only considers earlier
positions at which a token *began* — the longest such match wins, the nearest one on ties. We
follow the worked example, so the three examples of 3.2 come out byte for byte, and it is also
the faster rule (a position inside a copied run is never indexed).

Raw chunks. When a chunk does not fit in 4098 bytes compressed, it is stored raw: 4096 bytes,
padded with zeros (2.4.1.3.10). A final partial chunk is padded too, so the decompressed data then
ends in zeros that were not in the input. That only happens for a final chunk of more than about
3,600 bytes of incompressible data, never for program text; :func:`compress` reports it through
:func:`raw_padding` so a caller storing text can refuse it.
"""

from __future__ import annotations

import struct

__all__ = ["CompressionError", "compress", "decompress", "raw_padding"]

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_MAX_COMPRESSED_CHUNK = 4098  # header + data
_MIN_MATCH = 3


class CompressionError(ValueError):
    """A byte string is not a valid MS-OVBA CompressedContainer."""


def _copy_token_help(difference: int) -> tuple[int, int]:
    """Bit count of the offset part and the maximum length of a CopyToken (2.4.1.3.19.1) written
    ``difference`` bytes after the start of its chunk."""
    bit_count = max((difference - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """Token sequences of one chunk ``data[start:end]`` (without the chunk header)."""
    out = bytearray()
    index: dict[bytes, list[int]] = {}
    pos = start
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len = 0
            best_at = 0
            if pos + _MIN_MATCH <= end:
                _, max_len = _copy_token_help(pos - start)
                cap = min(max_len, end - pos)
                for cand in reversed(index.get(data[pos : pos + _MIN_MATCH], ())):
                    n = _MIN_MATCH
                    # Extend the match; overlapping runs (cand + n >= pos) are allowed.
                    step = 64
                    while (
                        n + step <= cap
                        and data[cand + n : cand + n + step] == data[pos + n : pos + n + step]
                    ):
                        n += step
                    while n < cap and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_at = n, cand
                        if n == cap:
                            break
            if pos + _MIN_MATCH <= end:
                index.setdefault(data[pos : pos + _MIN_MATCH], []).append(pos)
            if best_len >= _MIN_MATCH:
                bit_count, _ = _copy_token_help(pos - start)
                token = ((pos - best_at - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                pos += best_len
            else:
                out.append(data[pos])
                pos += 1
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress ``data`` into an MS-OVBA CompressedContainer (2.4.1.3.6)."""
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        end = min(start + CHUNK_SIZE, len(data))
        body = _compress_chunk(data, start, end)
        if len(body) + 2 <= _MAX_COMPRESSED_CHUNK:
            header = (len(body) + 2 - 3) | (0b011 << 12) | 0x8000
            out += struct.pack("<H", header) + body
        else:
            raw = data[start:end].ljust(CHUNK_SIZE, b"\x00")
            out += struct.pack("<H", (CHUNK_SIZE + 2 - 3) | (0b011 << 12)) + raw
    return bytes(out)


def raw_padding(data: bytes) -> int:
    """Number of zero bytes :func:`compress` pads onto ``data`` (non-zero only when the last,
    partial chunk has to be stored raw)."""
    tail = len(data) % CHUNK_SIZE
    if tail == 0:
        return 0
    body = _compress_chunk(bytes(data), len(data) - tail, len(data))
    return CHUNK_SIZE - tail if len(body) + 2 > _MAX_COMPRESSED_CHUNK else 0


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (2.4.1.3.1); raises :class:`CompressionError`
    on anything that does not follow the format."""
    container = bytes(container)
    if not container or container[0] != _SIGNATURE:
        raise CompressionError("compressed container does not start with signature byte 0x01")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise CompressionError(f"truncated chunk header at byte {pos}")
        (header,) = struct.unpack_from("<H", container, pos)
        if (header >> 12) & 0b111 != 0b011:
            raise CompressionError(f"bad chunk signature at byte {pos}")
        size = (header & 0x0FFF) + 3
        chunk_end = pos + size
        if chunk_end > len(container) and header & 0x8000:
            raise CompressionError(f"chunk at byte {pos} runs past the end of the container")
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            if size != _MAX_COMPRESSED_CHUNK:
                raise CompressionError(f"raw chunk at byte {pos - 2} is not 4096 bytes")
            out += container[pos : pos + CHUNK_SIZE]
            pos += CHUNK_SIZE
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not (flags >> bit) & 1:
                    out.append(container[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise CompressionError(f"truncated copy token at byte {pos}")
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                bit_count, _ = _copy_token_help(len(out) - chunk_start)
                length = (token & (0xFFFF >> bit_count)) + 3
                offset = (token >> (16 - bit_count)) + 1
                src = len(out) - offset
                if src < chunk_start:
                    raise CompressionError(f"copy token at byte {pos - 2} points before its chunk")
                if offset >= length:
                    out += out[src : src + length]
                else:  # overlapping run: repeat the last `offset` bytes
                    pattern = out[src:]
                    out += (pattern * (length // offset + 1))[:length]
        pos = chunk_end
    return bytes(out)
