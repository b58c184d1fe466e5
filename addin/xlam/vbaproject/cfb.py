"""A writer for MS-CFB compound files (version 3: 512-byte sectors), the container format of
``vbaProject.bin``.

Only what a VBA project needs: storages and streams given by path, written in one pass with
no free space. Streams shorter than 4096 bytes live in the mini stream (64-byte mini sectors),
as the format requires. Each storage's children form a red-black tree ordered by name length,
then by upper-cased name (MS-CFB 2.6.4); we build it perfectly balanced and colour its deepest
level red, which satisfies the red-black rules. Files needing more than 109 FAT sectors (about
6.8 MB) would need DIFAT sectors and are refused; a VBA project is far smaller.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

__all__ = ["CompoundFileError", "write_compound_file"]

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
_ENTRIES_PER_FAT_SECTOR = SECTOR // 4
_DIR_ENTRY = 128
_MAX_HEADER_FAT = 109

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


class CompoundFileError(ValueError):
    """The streams cannot be written as a compound file (bad name, duplicate, too large)."""


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4: shorter names first, then by upper-cased UTF-16 code units."""
    return (len(name.encode("utf-16-le")) // 2, name.upper())


def _check_name(name: str, path: str) -> None:
    if not name or len(name.encode("utf-16-le")) // 2 > 31:
        raise CompoundFileError(f"entry name must be 1-31 characters: {path!r}")
    if any(c in name for c in "/\\:!") or any(ord(c) < 32 for c in name):
        raise CompoundFileError(f"entry name contains a forbidden character: {path!r}")


def _build_tree(streams: dict[str, bytes]) -> _Node:
    root = _Node("Root Entry", _ROOT)
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for i, part in enumerate(parts):
            _check_name(part, path)
            key = part.upper()
            last = i == len(parts) - 1
            existing = node.children.get(key)
            if existing is None:
                existing = _Node(part, _STREAM if last else _STORAGE, bytes(data) if last else b"")
                if not last:
                    existing.start = 0  # MS-CFB 2.6.3: a storage's start sector is all zeroes
                node.children[key] = existing
            elif last or existing.kind != _STORAGE:
                raise CompoundFileError(f"duplicate or conflicting entry: {path!r}")
            node = existing
    return root


def _flatten(root: _Node) -> list[_Node]:
    """Directory order: depth-first, parents before children."""
    order: list[_Node] = []

    def visit(node: _Node) -> None:
        node.sid = len(order)
        order.append(node)
        for child in sorted(node.children.values(), key=lambda n: _sort_key(n.name)):
            visit(child)

    visit(root)
    return order


def _link_siblings(node: _Node) -> None:
    """Balanced red-black tree of ``node``'s children, pointed to by ``node.child``."""
    kids = sorted(node.children.values(), key=lambda n: _sort_key(n.name))
    depth_of: dict[int, int] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        kid = kids[mid]
        depth_of[kid.sid] = depth
        kid.left = build(lo, mid, depth + 1)
        kid.right = build(mid + 1, hi, depth + 1)
        return kid.sid

    node.child = build(0, len(kids), 0)
    if kids:
        deepest = max(depth_of.values())
        for kid in kids:
            kid.color = _RED if deepest > 0 and depth_of[kid.sid] == deepest else _BLACK
    for kid in kids:
        _link_siblings(kid)


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def _pad(data: bytes, unit: int) -> bytes:
    return data + b"\x00" * (-len(data) % unit)


def _dir_entry(node: _Node | None) -> bytes:
    if node is None:  # unused entry
        return bytes(64) + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + bytes(48)
    name = (node.name + "\x00").encode("utf-16-le")
    return (
        name.ljust(64, b"\x00")
        + struct.pack(
            "<HBBIII", len(name), node.kind, node.color, node.left, node.right, node.child
        )
        + bytes(16)  # CLSID
        + bytes(4)  # state bits
        + bytes(16)  # creation and modification times
        + struct.pack("<IQ", node.start, node.size)
    )


def write_compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams``, keyed by path (``"VBA/dir"``); storages on the way
    are created. Names are compared case-insensitively, as the format does."""
    root = _build_tree(streams)
    nodes = _flatten(root)
    _link_siblings(root)
    stream_nodes = [n for n in nodes if n.kind == _STREAM]

    # Mini stream: small streams, 64-byte mini sectors.
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for node in stream_nodes:
        node.size = len(node.data)
        if 0 < node.size < MINI_CUTOFF:
            count = -(-node.size // MINI_SECTOR)
            node.start = len(mini_fat)
            mini_fat.extend([0] * count)
            _chain(mini_fat, node.start, count)
            mini_stream += _pad(node.data, MINI_SECTOR)

    # Regular sectors: big streams, then the mini stream, the mini FAT and the directory.
    body = bytearray()
    fat: list[int] = []

    def place(data: bytes) -> int:
        if not data:
            return ENDOFCHAIN
        count = -(-len(data) // SECTOR)
        first = len(fat)
        fat.extend([0] * count)
        _chain(fat, first, count)
        body.extend(_pad(data, SECTOR))
        return first

    for node in stream_nodes:
        if node.size >= MINI_CUTOFF:
            node.start = place(node.data)
    root.start = place(bytes(mini_stream))
    root.size = len(mini_stream)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_bytes += struct.pack("<I", FREESECT) * (-len(mini_fat) % _ENTRIES_PER_FAT_SECTOR)
    first_mini_fat = place(mini_fat_bytes)
    n_mini_fat = len(mini_fat_bytes) // SECTOR
    entries = nodes + [None] * (-len(nodes) % (SECTOR // _DIR_ENTRY))
    first_dir = place(b"".join(_dir_entry(n) for n in entries))

    # FAT sectors go last; they describe themselves too.
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * _ENTRIES_PER_FAT_SECTOR:
        n_fat += 1
    if n_fat > _MAX_HEADER_FAT:
        raise CompoundFileError("compound file too large for a header-only DIFAT (> 6.8 MB)")
    fat_first = len(fat)
    fat.extend([FATSECT] * n_fat)
    fat.extend([FREESECT] * (n_fat * _ENTRIES_PER_FAT_SECTOR - len(fat)))
    difat = [fat_first + i for i in range(n_fat)] + [FREESECT] * (_MAX_HEADER_FAT - n_fat)

    header = (
        _SIGNATURE
        + bytes(16)  # header CLSID
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack(
            "<IIIIIIIII",
            0,  # number of directory sectors (always 0 in version 3)
            n_fat,
            first_dir,
            0,  # transaction signature
            MINI_CUTOFF,
            first_mini_fat,
            n_mini_fat,
            ENDOFCHAIN,  # first DIFAT sector
            0,  # number of DIFAT sectors
        )
        + struct.pack(f"<{_MAX_HEADER_FAT}I", *difat)
    )
    assert len(header) == SECTOR
    return header + bytes(body) + struct.pack(f"<{len(fat)}I", *fat)
