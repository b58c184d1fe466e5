"""What the ``tongji`` command prints for the user, and its one error boundary.

Every sub-command runs inside :func:`guarded`:

- a *user error* — a :class:`workbooks.errors.UserError` (``RankError``, ``RefreshError``,
  ``DropError``, ``NoTable``, ``WorkbookError``, ``WorkbookProblem``, ``TemplateError``,
  ``Locked`` …) or a bad period label (:class:`udfs.periods.PeriodError`) — prints its Chinese
  message on standard error and exits with code 2: nothing was changed;
- a fault of the file system (any :class:`OSError`: a workbook open in Excel, a read-only
  folder, a full disk, ``-o`` naming a folder …) prints one Chinese sentence naming the file
  and the likely cause (:func:`workbooks.safe_files.fault_message`), exit code 2. Every file
  is written through :mod:`workbooks.safe_files`, so the input is untouched and no temporary
  file is left;
- anything else is a programming error: 「内部错误」 and the path of a log file holding the
  traceback are printed, exit code 1.

The log folder is ``%LOCALAPPDATA%\\tongji\\logs`` on Windows and ``$XDG_CACHE_HOME/tongji/logs``
(default ``~/.cache/tongji/logs``) elsewhere; the system's temporary folder when that cannot be
created.

Nothing here imports the workbook code at start-up: ``tongji --help`` stays fast.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer

P = ParamSpec("P")
R = TypeVar("R")

#: Exit code of a refused input (nothing was changed) and of a programming error.
USER_ERROR, INTERNAL_ERROR = 2, 1


def fail(message: str, code: int = USER_ERROR) -> typer.Exit:
    """Print ``message`` (Chinese, naming the file, sheet, row or cell) on standard error and
    return the exit to raise. Code 2: bad input, nothing was changed."""
    from rich.console import Console
    from rich.markup import escape

    # the terminal wraps long lines itself: a forced break after 「Error:」 looked like a blank line
    Console(stderr=True).print(f"[bold red]错误 / Error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code=code)


def user_errors() -> tuple[type[BaseException], ...]:
    """The exception classes that are the user's to fix (imported when an error is raised)."""
    from udfs.periods import PeriodError
    from workbooks.errors import UserError

    return (UserError, PeriodError)


def log_folder(env: dict[str, str] | None = None) -> Path:
    """Where tracebacks of internal errors are written (see the module's docstring)."""
    env = dict(os.environ) if env is None else env
    if sys.platform.startswith("win"):
        base = Path(env.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "tongji" / "logs"
    base = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "tongji" / "logs"


def write_log(exc: BaseException) -> Path:
    """Write the traceback of ``exc`` (with the command line and versions) to a new log file."""
    text = "".join(
        [
            f"tongji {' '.join(sys.argv[1:])}\n",
            f"Python {sys.version.split()[0]} on {sys.platform}; {datetime.now().isoformat()}\n\n",
            *traceback.format_exception(exc),
        ]
    )
    name = f"tongji-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in (log_folder(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise exc  # no folder is writable: the traceback goes to the terminal instead


def report(exc: Exception) -> typer.Exit:
    """Print what went wrong and return the exit to raise (2: user error, 1: internal error)."""
    if isinstance(exc, user_errors()):
        return fail(str(exc))
    if isinstance(exc, OSError):
        from workbooks.safe_files import fault_message

        return fail(fault_message(exc))
    from rich.console import Console
    from rich.markup import escape

    log = write_log(exc)
    console = Console(stderr=True)
    console.print(
        f"[bold red]内部错误 / internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))}"
    )
    console.print(
        "这是统计助手的程序错误，不是您的数据问题。请把下面的日志文件发给维护人员。\n"
        "This is a bug in tongji, not a problem with your data; please send the log file below."
    )
    console.print(f"日志 / log: {escape(str(log))}", soft_wrap=True)
    return typer.Exit(code=INTERNAL_ERROR)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """``command`` behind the error boundary (same signature, so typer reads its options)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own exits and usage errors
        except Exception as exc:
            raise report(exc) from None

    return run


__all__ = [
    "fail",
    "guarded",
    "log_folder",
    "report",
    "user_errors",
    "write_log",
]
