"""Faults of the file system built for real: a small disk that fills up, a read-only one, a
file the system refuses to replace, Excel's owner file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def listing(folder: Path) -> list[str]:
    """Every name in ``folder`` (hidden files included), sorted."""
    return sorted(os.listdir(folder))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@contextmanager
def small_disk(folder: Path, size: int) -> Iterator[Path]:
    """A real file system of ``size`` bytes mounted at ``folder`` (a tmpfs; the test is
    skipped where mounting is not permitted)."""
    if shutil.which("mount") is None:
        pytest.skip("mount is not available")
    folder.mkdir(parents=True, exist_ok=True)
    done = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def make_read_only(folder: Path) -> None:
    """Remount the small disk at ``folder`` read-only (EROFS on every write)."""
    done = _mount("-o", "remount,ro", str(folder))
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only here: {done.stderr.strip()}")


@contextmanager
def refused_replacement(path: Path) -> Iterator[Path]:
    """``path`` marked immutable: replacing it fails with PermissionError, as a workbook open
    in Excel does on Windows (skipped where ``chattr`` is not available or permitted)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make a file immutable here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def excel_owner_file(user: str, length_prefix: bool = True) -> bytes:
    """The contents of the ``~$`` owner file Excel writes for ``user``: the length of the
    name, the name in the ANSI code page (GBK on a Chinese Windows) padded with spaces to
    offset 0x36, then the name in UTF-16LE (after its length in characters), padded."""
    ansi = user.encode("gbk")
    data = (bytes([len(ansi)]) + ansi).ljust(0x36, b" ")
    if length_prefix:
        data += len(user).to_bytes(2, "little")
    data += user.encode("utf-16-le")
    return data.ljust(165, b"\x20")
