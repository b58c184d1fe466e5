"""The one way tongji writes a file: complete or not at all, never a half-written workbook.

Every file a command writes — an output workbook, a workbook changed ``--in-place``, a backup,
the add-in, a PDF — goes through :func:`write_file`:

1. a temporary file is created exclusively **next to the target** under one recognisable name,
   ``.~tongji-<name>-<pid>@<host>.tmp``;
2. the contents are written, flushed and ``fsync``-ed (a full disk fails here, before anything
   the user has is touched);
3. the temporary file gets the mode of the file it replaces (a 0664 workbook stays 0664) or,
   for a new file, the folder's usual mode ``0o666 & ~umask`` — not the 0600 of a temporary file;
4. it is renamed over the target (``os.replace``), or, for a file that must not overwrite
   anything (a backup), linked into place exclusively; then the folder is ``fsync``-ed where
   the system supports it.

A target that is a symbolic link is written through to the file it points at; the link stays.
On any failure the temporary file is removed and the target is as it was. A run killed with
``kill -9`` cannot clean up: the next write into the same folder removes the temporary files
of runs that are no longer alive (same host, process gone; files of other hosts after a day).
:func:`fault_message` says in one Chinese sentence what a failed read or write means for the
user (the file open in Excel, a read-only folder, a full disk …).

Standard library only: the installer loads :mod:`workbooks.backups`, which uses this module,
by path before tongji is installed.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import shutil
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

try:
    from workbooks.errors import UserError
except ImportError:  # loaded on its own by the installer, on a bare Python (workbooks.backups)
    UserError = ValueError  # type: ignore[misc,assignment]

#: Every temporary file and lock file of tongji starts with this.
MARK = ".~tongji-"
_TEMP = re.compile(r"\.~tongji-(?P<label>.+)-(?P<pid>\d+)@(?P<host>[^@]*)\.tmp")
_LOCK = re.compile(r"\.~tongji-.+\.lock")
_UNWRITTEN_GRACE = 60.0  # seconds a lock file may stay empty while its owner writes it
_FOREIGN_AGE = 24 * 3600  # seconds after which another host's temporary file is stale
_LABEL_CHARS = 80  # a long Chinese name must still fit in 255 bytes
_serial = itertools.count(1)


def host_name() -> str:
    """This computer's name as it appears in temporary and lock file names."""
    return re.sub(r"[^\w.-]", "_", socket.gethostname())[:40] or "host"


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this computer (a zombie counts as gone)."""
    if pid <= 0:
        return False
    if sys.platform.startswith("win"):
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    with suppress(OSError):  # Linux: a killed child not yet reaped by its parent
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def temp_name(target: Path, label: str | None = None) -> Path:
    """The temporary file name for ``target`` (in its folder) of this process."""
    label = (label or target.name)[:_LABEL_CHARS]
    return target.with_name(f"{MARK}{label}-{os.getpid()}@{host_name()}.tmp")


def is_temp(path: Path) -> bool:
    """Whether ``path`` is named as one of tongji's temporary files."""
    return _TEMP.fullmatch(path.name) is not None


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files (and folders) and lock files left in ``folder`` by runs no
    longer alive; returns what was removed. Files of live runs and everything else are left
    alone."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    here, me = host_name(), os.getpid()
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if match is None:
            if _LOCK.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with suppress(OSError):
                    if remove_lock_if_stale(Path(entry.path)):
                        removed.append(Path(entry.path))
            continue
        pid = int(match["pid"])
        if match["host"] == here:
            if pid == me or pid_alive(pid):
                continue
        else:
            with suppress(OSError):
                if time.time() - entry.stat(follow_symlinks=False).st_mtime < _FOREIGN_AGE:
                    continue
        path = Path(entry.path)
        with suppress(OSError):  # another run may be removing it at the same moment
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def remove_lock_if_stale(path: Path) -> bool:
    """Remove the lock file ``path`` (:mod:`workbooks.locks`) when the run that took it is no
    longer alive on this computer, or it stayed empty for a minute; returns whether the lock
    is gone (removed here, or released meanwhile)."""
    try:
        data = path.read_bytes()
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return True
    try:
        fields = json.loads(data.decode("utf-8"))
        stale = fields["host"] == host_name() and not pid_alive(int(fields["pid"]))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        stale = age > _UNWRITTEN_GRACE
    if not stale:
        return False
    aside = temp_name(path, "stale-lock")
    try:
        os.replace(path, aside)  # only one of several runs moves this very file
    except FileNotFoundError:
        return True
    if aside.read_bytes() != data:  # a fresh lock was taken in between: give it back
        try:
            os.link(aside, path)
        except OSError:  # a third run locked meanwhile: it holds the lock, this run refuses
            aside.unlink()
            return False
    aside.unlink()
    return True


def new_file_mode() -> int:
    """The mode a new file gets in a folder: ``0o666`` less the process's umask."""
    if sys.platform.startswith("win"):
        return 0o666
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


class UnusablePath(UserError):
    """A path that names no file and never can: a symbolic link that leads back to itself."""


def _loop(path: Path) -> UnusablePath:
    return UnusablePath(
        f"无法使用「{path}」：它是循环的符号链接（链接最终指回自身，不指向任何文件）。"
        "请改用实际文件的路径，或删除这个链接后重试。"
    )


def resolved(path: Path) -> Path:
    """``path`` made absolute with every symbolic link followed; a link loop is refused in
    the user's words (Python says ``RuntimeError: Symlink loop``)."""
    try:
        return Path(path).resolve()
    except RuntimeError as exc:  # Python ≤ 3.12's word for a link loop
        raise _loop(Path(path)) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _loop(Path(path)) from exc
        raise


def missing_file(path: Path) -> str:
    """Why ``path`` (which does not exist as a file) cannot be read, in the user's words."""
    path = Path(path)
    if path.is_symlink():
        resolved(path)  # a loop is refused here
        return f"找不到文件：{path}（它是符号链接，指向的「{os.readlink(path)}」不存在）"
    return f"找不到文件：{path}"


def real_target(target: Path) -> Path:
    """Where writing ``target`` lands: the file a symbolic link points at, else ``target``
    (a link loop is refused: :class:`UnusablePath`)."""
    target = Path(target)
    if not target.is_symlink():
        return target
    return resolved(target)


def create_temp(target: Path, label: str | None = None) -> tuple[int, Path]:
    """Create this process's temporary file for ``target`` exclusively (mode 0600); returns
    the open descriptor and its path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    base = label or target.name
    name = temp_name(target, base)
    while True:
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:  # a second temporary file of this process for this target
            name = temp_name(target, f"{base}~{next(_serial)}")


def write_file(
    target: str | Path,
    write: Callable[[BinaryIO], object],
    *,
    exclusive: bool = False,
    stat_from: Path | None = None,
) -> Path:
    """Write ``target`` through ``write(handle)`` as the module describes; returns ``target``.

    ``exclusive``: never replace an existing file (:class:`FileExistsError` instead).
    ``stat_from``: copy this file's mode and times instead (a backup looks like its original).
    Any :class:`OSError` names ``target``, not the temporary file.
    """
    target = Path(target)
    real = real_target(target)
    if real.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    folder = real.parent
    temp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale(folder)
        descriptor, temp = create_temp(real)
        with open(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        _take_stat(temp, stat_from or real, times=stat_from is not None)
        if exclusive:
            _place_exclusively(temp, real)
        else:
            os.replace(temp, real)
        temp = None
        sync_folder(folder)
    except OSError as exc:
        if exc.filename is None or (temp is not None and exc.filename == str(temp)):
            exc.filename, exc.filename2 = str(target), None
        raise
    finally:
        if temp is not None:
            with suppress(FileNotFoundError):
                temp.unlink()
    return target


def write_bytes(target: str | Path, data: bytes, *, exclusive: bool = False) -> Path:
    """:func:`write_file` of ``data``."""
    return write_file(target, lambda handle: handle.write(data), exclusive=exclusive)


def copy_file(source: Path, target: Path, *, exclusive: bool = False) -> Path:
    """Copy ``source`` to ``target`` (contents, mode and times) through :func:`write_file`."""

    def copy(handle: BinaryIO) -> None:
        with open(source, "rb") as original:
            shutil.copyfileobj(original, handle, 1 << 20)

    return write_file(target, copy, exclusive=exclusive, stat_from=Path(source))


def _take_stat(temp: Path, model: Path, times: bool) -> None:
    """Give ``temp`` the mode (and owner, when allowed) of ``model`` — and its times when
    ``times`` (a copy) — or, when ``model`` does not exist, a new file's mode."""
    try:
        stat = model.stat()
    except FileNotFoundError:
        os.chmod(temp, new_file_mode())
        return
    if times:
        shutil.copystat(model, temp)
    else:
        os.chmod(temp, stat.st_mode & 0o7777)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        with suppress(OSError):
            os.chown(temp, stat.st_uid, stat.st_gid)


def _place_exclusively(temp: Path, target: Path) -> None:
    """Move ``temp`` to ``target`` unless ``target`` exists (then :class:`FileExistsError`)."""
    if sys.platform.startswith("win"):  # pragma: no cover - rename refuses an existing target
        os.rename(temp, target)
        return
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError as exc:  # a file system without hard links (FAT, some network shares)
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if target.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.rename(temp, target)
        return
    temp.unlink()


def sync_folder(folder: Path) -> None:
    """``fsync`` a folder so a rename in it survives a power cut (where the system allows)."""
    if sys.platform.startswith("win"):  # pragma: no cover - NTFS commits renames itself
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems refuse fsync on a folder (EINVAL)
        pass
    finally:
        os.close(descriptor)


def fault_message(exc: OSError) -> str:
    """One Chinese sentence for a fault of the file system: the file and the likely cause."""
    path = exc.filename if exc.filename is not None else exc.filename2
    what = f"「{path}」" if path is not None else "文件"
    code = exc.errno
    if isinstance(exc, IsADirectoryError):
        return f"{what}是一个文件夹，不是文件：请用 -o 给出文件名（如 …/报表_2026Q4.xlsx）。"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"无法写入{what}：磁盘空间不足（或超出配额），请清理磁盘后重试；原文件未改动。"
    if code == errno.EROFS:
        return f"无法写入{what}：所在的磁盘或文件夹是只读的，请用 -o 另存到可写的文件夹。"
    if isinstance(exc, PermissionError):
        folder = Path(path).parent if path is not None else None
        if folder is not None and folder.is_dir() and not os.access(folder, os.W_OK):
            return f"无法写入{what}：没有该文件夹的写入权限，请用 -o 另存到可写的文件夹。"
        return f"无法读写{what}：文件可能正在 Excel 中打开，请关闭后重试（或您没有该文件的权限）。"
    if isinstance(exc, FileNotFoundError):
        return f"找不到{what}，请检查路径是否正确。"
    if isinstance(exc, NotADirectoryError):
        return f"无法读写{what}：路径中有一部分不是文件夹，请检查路径。"
    if code == errno.ENAMETOOLONG:
        return f"无法写入{what}：文件名或路径太长，请换一个短一些的名字或文件夹。"
    reason = exc.strerror or type(exc).__name__
    return f"无法读写{what}：{reason}；原文件未改动。"


@contextmanager
def temp_folder(near: Path, label: str) -> Iterator[Path]:
    """A private working folder named like a temporary file, in ``near``; removed afterwards
    (or by the next run when this one is killed)."""
    near.mkdir(parents=True, exist_ok=True)
    remove_stale(near)
    path = temp_name(near / label)
    n = 1
    while True:
        try:
            path.mkdir(mode=0o700)
            break
        except FileExistsError:
            n += 1
            path = temp_name(near / f"{label}~{n}")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


__all__ = [
    "MARK",
    "copy_file",
    "create_temp",
    "fault_message",
    "host_name",
    "is_temp",
    "new_file_mode",
    "pid_alive",
    "real_target",
    "remove_lock_if_stale",
    "remove_stale",
    "sync_folder",
    "temp_folder",
    "temp_name",
    "write_bytes",
    "write_file",
]
