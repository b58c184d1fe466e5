"""One command at a time on a workbook: a lock file next to it, and Excel's owner file.

A command that reads a workbook, changes it and writes it back (``--in-place``), or writes an
output workbook, holds :func:`lock_workbook` from before it reads until after it has saved:

- the lock is a file ``.~tongji-<name>.lock`` next to the workbook, created exclusively
  (``O_CREAT | O_EXCL``, which works the same on Windows and on network shares) and holding
  who took it: process id, user, computer, time and a random token that makes each lock's
  contents unique. A second command on the same workbook is
  refused with a message naming the holder. A lock left by a process that is no longer alive
  on this computer (``kill -9``, a power cut) is taken over, and removed by the next command
  writing into the same folder (:func:`workbooks.safe_files.remove_stale`);
- a workbook open in Excel is refused too: Excel keeps an *owner file* ``~$<name>`` next to a
  workbook it has open, naming the user. Its layout (as Excel and Word write it): the first
  byte is the length of the user name, followed by the name in the system's ANSI code page,
  padded with spaces; at offset ``0x36`` the name again in UTF-16LE, preceded by its length
  in characters (a 16-bit number).

A run removes the lock file only while it still holds its own contents: a lock another run
took over (believing this one dead) is never removed by it, and a run whose lock was taken
from it refuses to write (:meth:`WorkbookLock.confirm`).

A symbolic link is locked at the file it points at. Standard library only.
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from workbooks.errors import UserError
from workbooks.safe_files import MARK, host_name, real_target, remove_lock_if_stale

_UNICODE_AT = 0x36


class Locked(UserError):
    """The workbook is being changed by another command or is open in Excel."""


@dataclass(frozen=True)
class Holder:
    """Who holds a lock."""

    pid: int
    user: str
    host: str
    since: str

    def describe(self) -> str:
        return f"用户 {self.user}，电脑 {self.host}，进程 {self.pid}，{self.since} 开始"


def lock_path(workbook: Path) -> Path:
    """The lock file of ``workbook`` (of the file a symbolic link points at)."""
    real = real_target(Path(workbook))
    return real.with_name(f"{MARK}{real.name}.lock")


def owner_file(workbook: Path) -> Path:
    """Excel's owner file of ``workbook``: ``~$<name>`` in its folder."""
    real = real_target(Path(workbook))
    return real.with_name(f"~${real.name}")


def excel_user(data: bytes) -> str | None:
    """The user name in the contents of an Excel owner file (None when unreadable): the
    UTF-16LE copy at 0x36 when readable, else the ANSI one (GBK, then Western)."""
    if not data:
        return None
    length = data[0]
    ansi = None
    for encoding in ("gbk", "cp1252"):
        try:
            ansi = _readable(data[1 : 1 + length].decode(encoding))
            break
        except UnicodeDecodeError:
            continue
    wide = None
    if len(data) >= _UNICODE_AT + 2:
        count = int.from_bytes(data[_UNICODE_AT : _UNICODE_AT + 2], "little")
        start = _UNICODE_AT + 2
        if 0 < count <= 54 and len(data) >= start + 2 * count:  # its length, then the name
            wide = _utf16(data[start : start + 2 * count])
        elif ansi:  # the name right at 0x36: as many characters as the ANSI copy has
            wide = _utf16(data[_UNICODE_AT : _UNICODE_AT + 2 * len(ansi)])
    return wide or ansi


def _utf16(raw: bytes) -> str | None:
    try:
        return _readable(raw.decode("utf-16-le"))
    except UnicodeDecodeError:
        return None


def _readable(text: str) -> str | None:
    text = text.strip("\x00 ")
    return text if text and text.isprintable() else None


def check_not_open_in_excel(workbook: Path) -> None:
    """Refuse ``workbook`` when Excel's owner file says someone has it open."""
    owner = owner_file(workbook)
    try:
        data = owner.read_bytes()[:512]
    except FileNotFoundError:
        return
    except PermissionError:  # Excel keeps the owner file open while it runs (Windows)
        data = b""
    user = excel_user(data) or "其他用户"
    name = real_target(Path(workbook)).name
    raise Locked(
        f"「{name}」正在由 {user} 在 Excel 中打开（同一文件夹中有「{owner.name}」），"
        f"请先在 Excel 中关闭该文件再重试；若 Excel 已关闭，可删除「{owner.name}」。"
    )


def _me() -> Holder:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = str(os.getuid()) if hasattr(os, "getuid") else "?"
    return Holder(os.getpid(), user, host_name(), datetime.now().strftime("%Y-%m-%d %H:%M:%S"))


def _read_holder(path: Path) -> tuple[bytes, Holder | None]:
    data = path.read_bytes()
    try:
        fields = json.loads(data.decode("utf-8"))
        return data, Holder(int(fields["pid"]), fields["user"], fields["host"], fields["since"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return data, None


class WorkbookLock:
    """The lock on one workbook (a context manager; :meth:`release` when done)."""

    def __init__(self, workbook: Path):
        self.workbook = Path(workbook)
        self.path = lock_path(self.workbook)
        self.held = False
        self.content = b""  # what this run wrote into the lock file

    def acquire(self) -> WorkbookLock:
        check_not_open_in_excel(self.workbook)
        me = _me()
        fields = {**me.__dict__, "token": secrets.token_hex(8)}
        content = json.dumps(fields, ensure_ascii=False).encode("utf-8")
        for _ in range(5):
            try:
                descriptor = os.open(
                    self.path,
                    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                    0o644,
                )
            except FileExistsError:
                self._take_over_or_refuse()
                continue
            except OSError as exc:  # a read-only folder, a full disk: say which workbook
                exc.filename = str(self.workbook)
                raise
            self.held = True
            self.content = content
            try:
                os.write(descriptor, content)
                os.fsync(descriptor)
            except OSError as exc:
                os.close(descriptor)
                self.release()
                exc.filename = str(self.workbook)
                raise
            os.close(descriptor)
            return self
        raise Locked(f"无法取得「{self.workbook.name}」的锁（其他命令反复抢占），请稍后重试。")

    def _take_over_or_refuse(self) -> None:
        """Remove a stale lock (its process gone), or refuse naming the one who holds it."""
        if remove_lock_if_stale(self.path):
            return  # taken over (or released meanwhile): try again
        try:
            _, holder = _read_holder(self.path)
        except FileNotFoundError:
            return
        who = holder.describe() if holder is not None else "未知"
        raise Locked(
            f"「{self.workbook.name}」正在被另一个统计助手命令修改（{who}），请等它结束后重试；"
            f"若确认没有命令在运行，可删除锁文件「{self.path}」。"
        )

    def _ours(self) -> bool:
        try:
            return self.path.read_bytes() == self.content
        except FileNotFoundError:
            return False

    def confirm(self) -> None:
        """Refuse when the lock file no longer holds this run's contents (another run took it
        over meanwhile): writing now could lose that run's update."""
        if self.held and not self._ours():
            try:
                _, holder = _read_holder(self.path)
            except FileNotFoundError:
                holder = None
            who = f"（{holder.describe()}）" if holder is not None else ""
            raise Locked(
                f"「{self.workbook.name}」的锁已被另一个统计助手命令取得{who}，"
                "为免覆盖它的修改，本次未写入任何文件，请稍后重试。"
            )

    def release(self) -> None:
        """Remove the lock file, if it still holds this run's contents (a lock another run took
        over stays)."""
        if self.held:
            if self._ours():
                with suppress(FileNotFoundError):
                    self.path.unlink()
            self.held = False

    def __enter__(self) -> WorkbookLock:
        return self.acquire() if not self.held else self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


def lock_workbook(workbook: Path) -> WorkbookLock:
    """Take the lock on ``workbook`` (refusing with :class:`Locked`); release it when done."""
    return WorkbookLock(workbook).acquire()


__all__ = [
    "Holder",
    "Locked",
    "WorkbookLock",
    "check_not_open_in_excel",
    "excel_user",
    "lock_path",
    "lock_workbook",
    "owner_file",
]
