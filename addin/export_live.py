"""导出数值版 on the open workbook (ribbon button ``export_values``), with Excel's own values.

Excel has already computed every cell, so the copy takes Excel's values (read through
xlwings) rather than recomputing: the ``TJ_`` formulas of a saved copy of the workbook are
replaced by what Excel shows, with formats, merged cells, widths and conditional formats kept
(:func:`addin.compute.export_values_file`). The open workbook itself is not changed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import to_excel

from .compute import Report, WorkbookProblem, export_values_file, values_copy_name
from .formula.values import ERROR_LITERALS, XLError

TITLE = "统计助手"


def _cell(value: Any) -> Any:
    if value is None:
        return ""  # a formula cell that shows nothing holds empty text
    if isinstance(value, str) and value in ERROR_LITERALS:
        return XLError(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return float(to_excel(value))
    return str(value)


def excel_values(book: Any) -> dict[tuple[str, int, int], Any]:
    """Every used cell of every sheet of an open workbook, as Excel shows it (errors as
    error values)."""
    out: dict[tuple[str, int, int], Any] = {}
    for sheet in book.sheets:
        used = sheet.used_range
        rows = used.options(ndim=2, err_to_str=True).value or []
        top, left = used.row, used.column
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                out[(sheet.name, top + i, left + j)] = _cell(value)
    return out


def export_book_values(book: Any, source: Path, target: Path, all_formulas: bool = False) -> Report:
    """Write ``target``: the workbook file ``source`` with its TJ_ formulas (or all formulas)
    replaced by the values the open ``book`` shows."""
    _, report = export_values_file(source, target, all_formulas, values=excel_values(book))
    return report


def export_values(book: Any) -> Path | None:
    """Ribbon handler: save 「<name>_数值版」 next to the open workbook and say where it is."""
    fullname = Path(book.fullname)
    if not fullname.is_file():
        book.app.alert("请先保存工作簿（.xlsx/.xlsm），再导出数值版。", title=TITLE)
        return None
    target = values_copy_name(fullname)
    with tempfile.TemporaryDirectory(prefix="tongji-export-") as temp:
        snapshot = Path(temp) / fullname.name
        try:  # classic Excel: a copy of the workbook as it is now, unsaved edits included
            book.api.SaveCopyAs(str(snapshot))
        except Exception:
            shutil.copy2(fullname, snapshot)
        try:
            report = export_book_values(book, snapshot, target)
        except WorkbookProblem as exc:
            book.app.alert(str(exc), title=TITLE)
            return None
    message = f"已导出数值版：{target}\n{report.replaced} 个 TJ_ 公式换成了数值。"
    if report.failures:
        cells = "、".join(list(report.failures)[:10])
        message += f"\n以下单元格没有数值，仍保留公式：{cells}"
    book.app.alert(message, title=TITLE)
    return target
