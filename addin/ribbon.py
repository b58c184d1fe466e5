"""The ribbon tab 统计助手: its buttons and what each does on the workbook open in Excel.

The add-in's VBA has one generic callback: every button calls
``RunPython "import addin.ribbon; addin.ribbon.run('<button id>')"``, so a new button is ribbon
XML plus an entry in :data:`BUTTONS`, never new VBA. A button names its handler as
``"module:function"`` (imported when pressed); each handler takes the calling ``xw.Book``.

The workbook commands are thin here: pick the sheet or ask for the data file, run the command
written once in :mod:`workbooks` through :class:`~addin.xlwings_host.XlBook`, and tell the user
what happened (or what is wrong with the data, in which case nothing was changed). 导出数值版
takes Excel's own values: Excel has already computed every cell, so the copy's ``TJ_`` formulas
are replaced by what Excel shows (:func:`workbooks.compute.export_values_file`); the open
workbook itself is not changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import to_excel

from addin.xlwings_host import XlBook
from udfs.errors import ERROR_LITERALS
from udfs.periods import PeriodError
from workbooks.backups import keep_backup
from workbooks.compute import Report, export_values_file, values_copy_name
from workbooks.errors import UserError
from workbooks.formula.values import XLError
from workbooks.outputs import Output
from workbooks.rank import RankOptions, rank_sheet
from workbooks.refresh import refresh
from workbooks.safe_files import fault_message, temp_folder

TITLE = "统计助手"


@dataclass(frozen=True)
class Button:
    """One ribbon button: its id in the ribbon XML, Chinese label, help, and handler."""

    id: str
    label: str
    screentip: str
    image: str
    handler: str  # "module:function", imported when the button is pressed


BUTTONS: dict[str, Button] = {
    b.id: b
    for b in [
        Button(
            "rank_counties",
            "县区排名",
            "为所选表格的各县区计算位次、位次变化并标出前三后三",
            "SortDescendingExcel",
            "addin.ribbon:rank_counties",
        ),
        Button(
            "refresh_quarter",
            "刷新季度表",
            "按新一期数据生成下一期工作表并填入数据",
            "Refresh",
            "addin.ribbon:refresh_quarter",
        ),
        Button(
            "export_values",
            "导出数值版",
            "另存一份把 TJ_ 公式换成数值的副本，发给未装插件的同事",
            "FileSaveAs",
            "addin.ribbon:export_values",
        ),
        Button(
            "export_pdf",
            "导出PDF",
            "把当前工作表排成 A4/A3 打印版 PDF（字号不小于 8 磅，过宽的表格分页并重复地区列和表头），"
            "存在工作簿旁",
            "FileSaveAsPdfOrXps",
            "addin.pdf_button:export_pdf",
        ),
        Button(
            "write_brief",
            "生成分析",
            "按县区对比表和主要指标表写出经济运行分析（Word 文档），文中数字与表中公布数一致",
            "TextBoxInsert",
            "addin.brief_button:write_brief",
        ),
        Button(
            "function_help",
            "函数说明",
            "列出全部 TJ_ 函数及用法；显示所选单元格出错的原因",
            "FunctionWizard",
            "addin.function_help:show",
        ),
        Button(
            "proofread_document",
            "校对文稿",
            "核对讲话稿、分析材料中的数字：前后是否一致，是否与本工作簿的县区对比表相符",
            "ReviewNewComment",
            "addin.proofread_button:proofread_document",
        ),
        Button(
            "doctor",
            "环境检查",
            "检查 Python、xlwings、加载项配置是否正常，并给出修复办法",
            "Info",
            "install.doctor:ribbon_doctor",
        ),
    ]
}


class UnknownButton(LookupError):
    """A button id the installed Python side does not know (add-in and package out of step)."""


def handler_for(button_id: str) -> Callable[[Any], Any]:
    """The Python function behind a button; raises :class:`UnknownButton` (Chinese message)."""
    button = BUTTONS.get(button_id)
    if button is None:
        raise UnknownButton(f"未知的按钮「{button_id}」，请重新安装统计助手加载项。")
    module_name, function_name = button.handler.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def run(button_id: str) -> None:
    """Entry point of the ribbon callback: run the button's command on the calling workbook."""
    import xlwings as xw

    book = xw.Book.caller()
    try:
        handler = handler_for(button_id)
    except UnknownButton as exc:
        book.app.alert(str(exc), title=TITLE)
        return
    handler(book)


# --- 县区排名 and 刷新季度表 ----------------------------------------------------------------


def rank_counties(book: Any) -> str:
    """县区排名 on the table around the selection, on the active sheet of ``book`` (an
    ``xw.Book``); returns the message shown."""
    host = XlBook(book)
    name = host.active_sheet_name()
    try:
        result = rank_sheet(host, name, RankOptions(near_row=_selected_row(book, name)))
    except (UserError, PeriodError) as exc:
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
    refused = _keep_copy(book)
    if refused:
        _alert(book, refused)
        return refused
    try:
        result = refresh(XlBook(book), data)
    except (UserError, PeriodError) as exc:
        message = str(exc)
    else:
        what = "已新建" if result.mode == "new" else "已修订"
        ranked = sum(len(r.ranks) for r in result.ranks)
        skipped = sum("未排位" in n for r in result.ranks for n in r.notes)
        message = (
            f"{what} {result.label or result.period.label()}：{'、'.join(result.sheets)}"
            f"（{result.cells_filled} 个数据单元格），重新排名 {ranked} 项指标"
            + (f"，{skipped} 项未排位（见下）" if skipped else "")
        )
        for name in result.cleared:
            message += f"\n数据文件不含「{name}」的指标，该表数据已清空待填"
        for title, notes in (("已清空", result.cleared_cells), ("未修改", result.kept_cells)):
            message += "".join(f"\n{title}：{note}" for note in notes)
        for rank in result.ranks:
            message += "".join(f"\n「{rank.sheet}」{note}" for note in rank.notes)
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


def _keep_copy(book: Any) -> str | None:
    """Excel cannot undo a macro: keep a copy of a saved workbook before changing it. Returns
    the message to show when no copy could be made (the command then changes nothing)."""
    try:
        full = Path(book.fullname)
    except (AttributeError, NotImplementedError):  # a remote book has no file of its own
        return None
    if not full.is_file():
        return None  # never saved: the file on disk is not changed either
    # Excel writes its copy into a private folder next to the workbook; the backup is then
    # placed like every other (temporary file, fsync, exclusive name), never half-written.
    try:
        with temp_folder(full.parent, "backup") as work:
            snapshot = work / full.name
            book.api.SaveCopyAs(str(snapshot))
            keep_backup(full, contents=snapshot)
    except OSError as exc:
        return f"无法先保存备份副本（{fault_message(exc)}），为安全起见未作任何修改。"
    except Exception as exc:  # Excel's COM error (pywintypes.com_error) has no class here
        return f"无法先保存「{full.name}」的备份副本（{exc}），为安全起见未作任何修改。"
    return None


# --- 导出数值版 -------------------------------------------------------------------------


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


def _file_fault(exc: Exception) -> str:
    """The message for a refused file: the user error's own, or the file system's fault."""
    if isinstance(exc, OSError):
        return fault_message(exc)
    return str(exc)


def export_values(book: Any) -> Path | None:
    """Ribbon handler: save 「<name>_数值版」 next to the open workbook and say where it is."""
    fullname = Path(book.fullname)
    if not fullname.is_file():
        book.app.alert("请先保存工作簿（.xlsx/.xlsm），再导出数值版。", title=TITLE)
        return None
    with tempfile.TemporaryDirectory(prefix="tongji-export-") as temp:
        snapshot = Path(temp) / fullname.name
        try:  # classic Excel: a copy of the workbook as it is now, unsaved edits included
            book.api.SaveCopyAs(str(snapshot))
        except Exception:
            shutil.copy2(fullname, snapshot)
        reports: list[Report] = []
        try:  # the next free 「<name>_数值版」: an earlier one the user may have edited is kept
            with Output(fullname) as output:
                target, _ = output.write(
                    values_copy_name(fullname).name,
                    lambda to: reports.append(export_book_values(book, snapshot, to)),
                )
        except (UserError, OSError) as exc:
            book.app.alert(_file_fault(exc), title=TITLE)
            return None
        (report,) = reports
    message = f"已导出数值版：{target}\n{report.replaced} 个 TJ_ 公式换成了数值。"
    if report.failures:
        cells = "、".join(list(report.failures)[:10])
        message += f"\n以下单元格没有数值，仍保留公式：{cells}"
    book.app.alert(message, title=TITLE)
    return target
