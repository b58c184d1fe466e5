"""The one backup naming scheme: ``报表.xlsx`` → ``报表.bak-20261122-034015.xlsx``.

Whatever overwrites a file the user already has — ``tongji rank/refresh/compute --in-place``,
the ribbon before a macro changes a saved workbook, ``tongji build-addin`` over an older
add-in, the installer over a file it replaces — first keeps a copy named here. The stamp is the
local time to the second; a second backup within the same second gets ``-2``, ``-3`` … An
existing backup is never overwritten.

Standard library only: ``install/install.py`` loads this file by path before tongji is
installed.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import datetime
from pathlib import Path

try:
    from workbooks import safe_files
except ImportError:  # loaded by path by the installer, before tongji is installed
    _spec = importlib.util.spec_from_file_location(
        "tongji_safe_files", Path(__file__).with_name("safe_files.py")
    )
    assert _spec is not None and _spec.loader is not None
    safe_files = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = safe_files
    _spec.loader.exec_module(safe_files)

MARK = ".bak-"
_STAMP = "%Y%m%d-%H%M%S"


def backup_path(path: Path, now: datetime | None = None, folder: Path | None = None) -> Path:
    """The first free backup name of ``path`` (in ``folder``, default next to it)."""
    path = Path(path)
    folder = Path(folder) if folder is not None else path.parent
    stem = f"{path.stem}{MARK}{(now or datetime.now()).strftime(_STAMP)}"
    candidate = folder / f"{stem}{path.suffix}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}{path.suffix}"
    return candidate


def keep_backup(path: Path, folder: Path | None = None, contents: Path | None = None) -> Path:
    """Copy ``path`` (or ``contents``, a copy of it taken otherwise, e.g. Excel's SaveCopyAs of
    the open workbook) to the backup name of ``path`` (contents, mode and modification time)
    and return that name.

    The backup is placed exclusively, so a backup made at the same moment by another process
    is never overwritten: the next number is taken instead.
    """
    path = Path(path)
    source = Path(contents) if contents is not None else path
    while True:
        target = backup_path(path, folder=folder)
        try:
            return safe_files.copy_file(source, target, exclusive=True)
        except FileExistsError as exc:
            if exc.filename != str(target):
                raise
            continue


def backups_of(path: Path, folder: Path | None = None) -> list[Path]:
    """Every backup of ``path`` named by this scheme (in ``folder``, default next to it), oldest
    name first."""
    path = Path(path)
    folder = Path(folder) if folder is not None else path.parent
    pattern = re.compile(
        re.escape(path.stem + MARK) + r"(\d{8}-\d{6})(?:-(\d+))?" + re.escape(path.suffix)
    )
    if not folder.is_dir():
        return []
    found = {}
    for candidate in folder.iterdir():
        match = pattern.fullmatch(candidate.name)
        if match:
            found[candidate] = (match[1], int(match[2] or 1))
    return sorted(found, key=found.__getitem__)


__all__ = ["MARK", "backup_path", "backups_of", "keep_backup"]
