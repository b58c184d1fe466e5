"""The MS-CFB writer: files read back by olefile (strict), sizes exact, directory trees that
follow the red-black and ordering rules of MS-CFB 2.6.4."""

from __future__ import annotations

import io
import random

import olefile
import pytest

from addin.xlam.vbaproject import CompoundFileError, write_compound_file

SIZES = [0, 1, 63, 64, 65, 4095, 4096, 4097, 70_000]


def _open(data: bytes) -> olefile.OleFileIO:
    # raise on anything olefile considers incorrect, not only on fatal defects
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


@pytest.mark.parametrize("size", SIZES)
def test_stream_of_any_size_reads_back(size: int) -> None:
    payload = random.Random(size).randbytes(size)
    ole = _open(write_compound_file({"VBA/m": payload, "PROJECT": b"ID=1"}))
    assert ole.get_size("VBA/m") == size
    assert ole.openstream("VBA/m").read() == payload
    assert ole.openstream("PROJECT").read() == b"ID=1"


def test_many_streams_mixed_sizes_and_storages() -> None:
    rng = random.Random(1)
    streams = {f"VBA/mod{i}": rng.randbytes(rng.choice(SIZES)) for i in range(40)}
    streams |= {"PROJECT": b"x" * 600, "PROJECTwm": b"", "Other/Deep/s": b"deep"}
    streams["Big"] = rng.randbytes(1_200_000)  # more than one FAT sector of sectors
    ole = _open(write_compound_file(streams))
    listed = {"/".join(p) for p in ole.listdir(streams=True, storages=False)}
    assert listed == set(streams)
    for path, payload in streams.items():
        assert ole.get_size(path) == len(payload)
        assert ole.openstream(path).read() == payload
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE
    assert ole.get_type("Other/Deep") == olefile.STGTY_STORAGE


def _key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def _check_red_black(ole: olefile.OleFileIO, sid: int) -> int:
    """Black height of the subtree at ``sid``, asserting order and colour rules on the way."""
    if sid == olefile.NOSTREAM:
        return 1
    entry = ole.direntries[sid]
    for child_sid, before in ((entry.sid_left, True), (entry.sid_right, False)):
        if child_sid == olefile.NOSTREAM:
            continue
        child = ole.direntries[child_sid]
        assert (_key(child.name) < _key(entry.name)) == before
        if entry.color == 0:  # red
            assert child.color == 1, "red node with a red child"
    left, right = _check_red_black(ole, entry.sid_left), _check_red_black(ole, entry.sid_right)
    assert left == right, "unequal black heights"
    return left + (entry.color == 1)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 8, 15, 16, 33])
def test_sibling_trees_are_valid_red_black_trees(count: int) -> None:
    names = [f"M{'x' * (i % 5)}{i}" for i in range(count)]
    ole = _open(write_compound_file({f"VBA/{n}": n.encode() for n in names}))
    storage = ole.direntries[ole.root.sid_child]
    assert storage.name == "VBA"
    top = ole.direntries[storage.sid_child]
    assert top.color == 1, "root of a tree must be black"
    _check_red_black(ole, storage.sid_child)
    # every stream reachable through the tree
    assert sorted(e.name for e in storage.kids) == sorted(names)


@pytest.mark.parametrize(
    "streams",
    [
        {"VBA/" + "n" * 32: b""},  # name over 31 characters
        {"VBA/dir": b"", "vba/DIR": b""},  # same name, case-insensitively
        {"VBA": b"", "VBA/dir": b""},  # a stream used as a storage
        {"VBA/a:b": b""},  # forbidden character
    ],
)
def test_bad_names_are_refused(streams: dict[str, bytes]) -> None:
    with pytest.raises(CompoundFileError):
        write_compound_file(streams)


def test_storages_start_at_sector_zero() -> None:
    """MS-CFB 2.6.3: the starting sector of a storage object is all zeroes (Excel's own
    vbaProject.bin has 0 for its VBA storage; a reader may treat anything else as damage)."""
    ole = _open(write_compound_file({"VBA/dir": b"x" * 10, "Other/Deep/s": b"y"}))
    storages = [
        e for e in ole.direntries if e is not None and e.entry_type == olefile.STGTY_STORAGE
    ]
    assert sorted(e.name for e in storages) == ["Deep", "Other", "VBA"]
    assert [e.isectStart for e in storages] == [0, 0, 0]
