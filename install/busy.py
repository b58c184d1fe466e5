"""Is Excel (or the add-in's Python) in the way of a reinstall or an uninstall?

While Excel runs, the add-in in XLSTART is open and the private environment's ``pythonw.exe``
may be running for it: Windows refuses to replace or delete either. The installer checks this
first, before changing anything, and asks in Chinese to close Excel.

Two sources, each passed in so the check runs anywhere:

- the running programs' image names (on Windows from ``tasklist``, :func:`running_images`),
  given to :func:`blockers` as data;
- a lock probe (:func:`file_locked`): open the file for writing. On Windows that fails while
  Excel holds the add-in open or while the interpreter ``pythonw.exe`` is running (sharing
  violation). Elsewhere files are not locked that way, so the probe also asks for an exclusive
  POSIX record lock, which fails while another process holds one (LibreOffice, or a test).

Standard library only: ``install/install.py`` loads this file by path.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

WINDOWS = sys.platform.startswith("win")

EXCEL_IMAGE = "EXCEL.EXE"


def parse_tasklist(text: str) -> list[str]:
    """Image names from ``tasklist /FO CSV /NH`` output (``"EXCEL.EXE","1234",…`` lines)."""
    return [row[0] for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]


def running_images(windows: bool = WINDOWS) -> list[str]:  # pragma: no cover - Windows only
    """The image names of the running programs (empty where there is no ``tasklist``)."""
    if not windows:
        return []
    try:
        out = subprocess.run(
            ["tasklist", "/FO", "CSV", "/NH"],
            capture_output=True,
            text=True,
            check=False,
            errors="replace",
        ).stdout
    except OSError:
        return []
    return parse_tasklist(out)


def file_locked(path: Path) -> bool:
    """True when another program holds ``path`` so that it cannot be replaced or deleted."""
    if not path.is_file():
        return False
    try:
        with open(path, "r+b") as handle:
            if not WINDOWS:
                import fcntl

                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.lockf(handle, fcntl.LOCK_UN)
    except (PermissionError, BlockingIOError):
        return True
    return False


def environment_interpreters(target: Path) -> list[Path]:
    """The interpreters of the private environment in ``target`` that Excel may run (Windows;
    elsewhere the environment's ``bin/python`` is a link to the system's interpreter)."""
    scripts = target / "venv" / "Scripts"
    return [scripts / "pythonw.exe", scripts / "python.exe"]


def blockers(
    addins: Iterable[Path],
    targets: Iterable[Path],
    images: Iterable[str],
    locked: Callable[[Path], bool] = file_locked,
) -> list[str]:
    """What stops a reinstall or an uninstall now, in Chinese (empty when nothing does):
    Excel running, the add-in file held open, an interpreter of the environment running."""
    problems = []
    if any(image.strip().upper() == EXCEL_IMAGE for image in images):
        problems.append(
            "Excel 正在运行：请先保存并关闭所有 Excel 窗口（任务管理器中也不应再有 EXCEL.EXE）。"
        )
    for addin in dict.fromkeys(addins):
        if locked(addin):
            problems.append(f"加载项 {addin} 正被占用（通常是 Excel 打开着它）：请关闭 Excel。")
    for target in dict.fromkeys(targets):
        for interpreter in environment_interpreters(target):
            if locked(interpreter):
                problems.append(
                    f"统计助手的 Python {interpreter} 正在运行：请关闭 Excel，等几秒钟后再试。"
                )
    return problems
