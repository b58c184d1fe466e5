"""The ribbon buttons 县区排名 and 刷新季度表 on the workbook open in Excel.

Thin wrappers: pick the sheet / ask for the data file, run the command through
:class:`~addin.hosts.xlwings_host.XlBook`, and tell the user what happened (or what is wrong
with the data, in which case nothing was changed).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from ..drops import DropError
from ..hosts.xlwings_host import XlBook
from ..tables import NoTable
from .rank import RankError, RankOptions, rank_sheet
from .refresh import RefreshError, refresh

TITLE = "统计助手"


def rank_counties(book: Any) -> str:
    """县区排名 on the table around the selection, on the active sheet of ``book`` (an
    ``xw.Book``); returns the message shown."""
    host = XlBook(book)
    name = host.active_sheet_name()
    try:
        result = rank_sheet(host, name, RankOptions(near_row=_selected_row(book, name)))
    except (RankError, NoTable) as exc:
        message = str(exc)
    else:
        message = f"已为「{name}」的 {len(result.ranks)} 项指标写入位次"
        if result.previous_sheet:
            message += f"，并与「{result.previous_sheet}」比较写入位次变化"
        if result.notes:
            message += "\n" + "\n".join(result.notes)
    _alert(book, message)
    return message


def refresh_quarter(book: Any, data: str | Path | None = None) -> str:
    """刷新季度表 on ``book`` from the drop at ``data`` (asked for with a file dialog when None)."""
    if data is None:
        data = _ask_for_file(book)
        if not data:
            return ""
    _keep_copy(book)
    try:
        result = refresh(XlBook(book), data)
    except (DropError, RefreshError, NoTable) as exc:
        message = str(exc)
    else:
        what = "已新建" if result.mode == "new" else "已修订"
        message = f"{what} {result.period.label()}：{'、'.join(result.sheets)}（{result.cells_filled} 个数据单元格），并已重新排名"
        for name in result.cleared:
            message += f"\n数据文件不含「{name}」的指标，该表数据已清空待填"
    _alert(book, message)
    return message


def _selected_row(book: Any, sheet: str) -> int | None:
    """Row of the selection when it is on ``sheet`` (None for a chart or shape selection)."""
    with contextlib.suppress(Exception):
        selection = book.selection
        if selection is not None and selection.sheet.name == sheet:
            return int(selection.row)
    return None


def _alert(book: Any, message: str) -> None:
    # a book without an app to talk to (scripts) just returns the message
    with contextlib.suppress(Exception):
        book.app.alert(message, title=TITLE)


def _ask_for_file(book: Any) -> str | None:  # pragma: no cover - needs desktop Excel
    chosen = book.app.api.GetOpenFilename(
        "数据文件 (*.csv;*.xlsx),*.csv;*.xlsx", 1, "选择新一期数据文件"
    )
    return chosen if isinstance(chosen, str) else None


def _keep_copy(book: Any) -> None:  # pragma: no cover - needs desktop Excel
    """Excel cannot undo a macro: keep a copy of a saved workbook before changing it."""
    try:
        full = Path(book.fullname)
        if full.is_file():
            from ..hosts.openpyxl_host import backup_path

            book.api.SaveCopyAs(str(backup_path(full)))
    except Exception:
        pass


__all__ = ["rank_counties", "refresh_quarter"]
