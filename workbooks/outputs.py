"""Where a command writes a workbook, and what it may replace there.

Every command that writes a workbook (``rank``, ``refresh``, ``compute``, ``export-values``,
the ribbon's 导出数值版) decides its output through :class:`Output`:

- ``--in-place``: the input is locked (:mod:`workbooks.locks`) before it is read and until it
  is saved, and a timestamped backup is kept before it is replaced;
- ``-o FILE``: FILE must be a file name with the input's kind (``.xlsx`` from ``.xlsx``,
  ``.xlsm`` from ``.xlsm``: Excel refuses a workbook whose extension does not match its
  contents) and not a folder; it is locked, and an existing FILE is backed up before it is
  replaced;
- neither: the default name next to the input (``报表_2026Q4.xlsx``). An existing file of
  that name is never overwritten: the next free name is taken, ``报表_2026Q4(2).xlsx``,
  ``报表_2026Q4(3).xlsx`` …

A backup made for a write that then fails is removed again, and so are the folders ``-o``
asked for that did not exist (made to hold its lock file) when nothing was written: the folder
is as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from workbooks.backups import keep_backup
from workbooks.errors import UserError
from workbooks.locks import Locked, WorkbookLock
from workbooks.safe_files import missing_file, real_target, resolved

_KINDS = {".xlsx": "Excel 工作簿", ".xlsm": "启用宏的 Excel 工作簿"}


class OutputError(UserError):
    """An output file name the command cannot write (message in Chinese)."""


def check_output_name(out: Path, source: Path | None, suffixes: tuple[str, ...]) -> None:
    """Refuse an output ``out`` that is a folder or whose extension is not one of
    ``suffixes`` (those of ``source`` first)."""
    if out.is_dir() or str(out).endswith(("/", "\\")):
        example = out / (
            (source.stem + "_结果" + source.suffix) if source else f"结果{suffixes[0]}"
        )
        raise OutputError(f"输出「{out}」是一个文件夹，请给出文件名，如「{example}」。")
    if out.suffix.lower() not in suffixes:
        wanted = " 或 ".join(suffixes)
        if source is not None and source.suffix.lower() == ".xlsm":
            why = "（.xlsm 含宏，另存为其他扩展名会丢失宏或无法打开）"
        else:
            why = "（扩展名与文件内容不符时 Excel 不会打开它）"
        raise OutputError(
            f"输出文件「{out.name}」的扩展名须为 {wanted}，与输入相同{why}；请改用 {wanted}。"
        )


def numbered(path: Path, n: int) -> Path:
    """``报表_2026Q4.xlsx`` → ``报表_2026Q4(n).xlsx`` (``n`` ≥ 2; 1 is the name itself)."""
    return path if n == 1 else path.with_name(f"{path.stem}({n}){path.suffix}")


class Output:
    """The output of one command on ``source`` (use as a context manager: the locks it takes
    are released at the end)."""

    def __init__(self, source: Path, out: Path | None = None, in_place: bool = False):
        self.source = Path(source)
        self.out = Path(out) if out is not None else None
        self.in_place = in_place
        self.locks: list[WorkbookLock] = []
        self.target: Path | None = None
        self.made: list[Path] = []  # folders made for ``-o``, deepest first
        self.written = False

    def __enter__(self) -> Output:
        if self.in_place and self.out is not None:
            raise OutputError("--in-place 与 -o 不能同时使用：覆盖原文件，或另存为 -o 指定的文件。")
        if self.in_place and not self.source.is_file():
            raise OutputError(missing_file(self.source))
        suffix = self.source.suffix.lower()
        if self.out is not None:
            check_output_name(self.out, self.source, (suffix,) if suffix in _KINDS else (".xlsx",))
            if resolved(real_target(self.out)) == resolved(real_target(self.source)):
                raise OutputError("输出文件与输入相同：要覆盖原文件请用 --in-place（会先自动备份）")
        if self.in_place:
            self._lock(self.source)
        elif self.out is not None:
            self._make_folder(real_target(self.out).parent)
            self._lock(self.out)
        return self

    def _make_folder(self, folder: Path) -> None:
        missing = []
        for parent in (folder, *folder.parents):
            if parent.exists() or parent.is_symlink():
                break
            missing.append(parent)
        folder.mkdir(parents=True, exist_ok=True)
        self.made = missing

    def _lock(self, path: Path) -> None:
        self.locks.append(WorkbookLock(path).acquire())

    def claim(self, default_name: str) -> Path:
        """The file to write: the input, ``-o``'s file, or the first free numbered form of
        ``default_name`` next to the input (locked, so two commands never pick the same)."""
        if self.target is not None:
            return self.target
        if self.in_place:
            self.target = self.source
        elif self.out is not None:
            self.target = self.out
        else:
            first = self.source.with_name(default_name)
            n = 1
            while True:
                candidate = numbered(first, n)
                n += 1
                if candidate.exists() or candidate.is_symlink():
                    continue
                try:
                    self._lock(candidate)
                except Locked:
                    continue  # another command is writing that name right now
                if candidate.exists():  # created while we took the lock
                    self.locks.pop().release()
                    continue
                self.target = candidate
                break
        return self.target

    def write(self, default_name: str, write: Callable[[Path], object]) -> tuple[Path, Path | None]:
        """Write the output through ``write(target)``: an existing target (the input with
        ``--in-place``, an existing ``-o`` file) is first backed up; the backup is removed
        again when ``write`` fails. Returns (target, backup)."""
        target = self.claim(default_name)
        for lock in self.locks:
            lock.confirm()  # still ours: no other run took the lock over meanwhile
        backup = keep_backup(real_target(target)) if real_target(target).exists() else None
        try:
            write(target)
        except BaseException:
            if backup is not None:
                backup.unlink(missing_ok=True)
            raise
        self.written = True
        return target, backup

    def close(self) -> None:
        while self.locks:
            self.locks.pop().release()
        if not self.written:
            for folder in self.made:  # deepest first; one holding anything else stays
                try:
                    folder.rmdir()
                except OSError:
                    break
            self.made = []

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


__all__ = ["Output", "OutputError", "check_output_name", "numbered"]
