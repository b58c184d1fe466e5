"""导出PDF: the ribbon button that prints the active sheet as ``tongji render`` does.

The sheet is printed from a copy of the workbook as Excel has it now (``SaveCopyAs``: unsaved
edits included; a book opened otherwise: the saved file), laid out for the meeting by
:mod:`workbooks.print_layout` (A4 or A3, fitted to the page width, no text under 8 pt, a table
too wide for that split between indicators with the region column and header rows repeated,
「第 N 页 共 M 页」 in the footer). The PDF goes next to the workbook as 「<name>_<sheet>.pdf」, or
the next free name (``…(2).pdf``): an existing file is never replaced. The user's own workbook,
its page setup included, is not changed.

Who prints:

1. LibreOffice, when installed: :func:`workbooks.render.render` on the copy — the same PDF as
   the command;
2. otherwise desktop Excel itself: the copy is opened as a second workbook, the layout is set
   through COM ``PageSetup`` (:func:`com_plan` turns the layout into plain settings;
   :func:`export_with_excel` is the only code that talks to Excel) and
   ``ExportAsFixedFormat`` writes the PDF; the copy is closed without saving;
3. neither (Excel on the web, no LibreOffice): a message saying to use ``tongji render``.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from addin.ribbon import _file_fault
from workbooks.errors import UserError
from workbooks.print_layout import MARGINS, PAPERS, Layout
from workbooks.render import free_name, page_count, render, sheet_layout, soffice

TITLE = "统计助手"

#: Excel's XlPageOrientation and XlOrder constants (COM).
XL_PORTRAIT, XL_LANDSCAPE = 1, 2
XL_OVER_THEN_DOWN = 2
#: XlFixedFormatType.xlTypePDF
XL_TYPE_PDF = 0
#: The footer in Excel's header/footer codes (the same as the LibreOffice path's).
FOOTER = "第 &P 页 共 &N 页"

_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass(frozen=True)
class ComPlan:
    """A sheet's page setup as Excel's COM ``PageSetup`` takes it: ``settings`` are property
    name → value (margins in points), ``breaks_before`` the columns (1-based) a manual vertical
    page break goes before."""

    settings: dict[str, Any]
    breaks_before: tuple[int, ...]


def _column_letters(first: int, last: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"${get_column_letter(first)}:${get_column_letter(last)}"


def com_plan(layout: Layout) -> ComPlan:
    """The COM settings that print a sheet as ``layout`` says — the same page setup
    :func:`workbooks.print_layout.apply_to_sheet` writes into the sheet XML for LibreOffice:
    paper (xlPaperA4 = 9, xlPaperA3 = 8), orientation, zoom, margins (inches × 72 = points),
    centred horizontally, pages over then down, the repeated rows/columns, the print area,
    the title in the header of a split table and 「第 &P 页 共 &N 页」 in the footer."""
    from openpyxl.utils import get_column_letter

    left, right, top, bottom, header, footer = MARGINS
    settings: dict[str, Any] = {
        "PaperSize": PAPERS[layout.paper][0],
        "Orientation": XL_LANDSCAPE if layout.landscape else XL_PORTRAIT,
        "Zoom": layout.scale,
        "LeftMargin": left * 72,
        "RightMargin": right * 72,
        "TopMargin": top * 72,
        "BottomMargin": bottom * 72,
        "HeaderMargin": header * 72,
        "FooterMargin": footer * 72,
        "CenterHorizontally": True,
        "Order": XL_OVER_THEN_DOWN,
        "PrintTitleRows": (
            f"${layout.title_rows[0]}:${layout.title_rows[1]}" if layout.title_rows else ""
        ),
        "PrintTitleColumns": _column_letters(*layout.title_cols) if layout.title_cols else "",
        "PrintArea": "",
        "CenterHeader": "",
        "CenterFooter": FOOTER,
    }
    if layout.area is not None:
        r1, c1, r2, c2 = layout.area
        settings["PrintArea"] = f"${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}"
    if layout.header:
        settings["CenterHeader"] = '&"-,Bold"&14' + layout.header.replace("&", "&&")
    return ComPlan(settings, tuple(c + 1 for c in layout.col_breaks))


def export_with_excel(  # pragma: no cover - needs desktop Excel (see docs/excel-notes.md)
    app: Any, snapshot: Path, sheet: str, plan: ComPlan, target: Path
) -> None:
    """Open ``snapshot`` in Excel (``app``: ``Application`` over COM) as a second, read-only
    workbook, give ``sheet`` the page setup of ``plan``, export it as PDF to ``target`` and
    close the copy without saving. The user's workbook is not touched."""
    updating = app.ScreenUpdating
    app.ScreenUpdating = False
    copy = app.Workbooks.Open(str(snapshot), 0, True)  # UpdateLinks=0, ReadOnly=True
    try:
        for window in copy.Windows:
            window.Visible = False
        ws = copy.Worksheets(sheet)
        setup = ws.PageSetup
        setup.FitToPagesWide = False
        setup.FitToPagesTall = False
        for name, value in plan.settings.items():
            setattr(setup, name, value)
        ws.ResetAllPageBreaks()
        for column in plan.breaks_before:
            ws.VPageBreaks.Add(ws.Cells(1, column))
        ws.ExportAsFixedFormat(XL_TYPE_PDF, str(target))
    finally:
        copy.Close(False)
        app.ScreenUpdating = updating


def pdf_name(workbook: Path, sheet: str) -> Path:
    """「<name>_<sheet>.pdf」 next to the workbook, or the next free name (never replaced);
    characters a Windows file name cannot hold become 「_」."""
    return free_name(
        workbook.with_name(f"{workbook.stem}_{_NOT_IN_FILE_NAMES.sub('_', sheet)}.pdf")
    )


def _alert(book: Any, message: str) -> None:
    book.app.alert(message, title=TITLE)


def _workbook_file(book: Any) -> Path | None:
    try:
        full = Path(book.fullname)
    except (AttributeError, NotImplementedError):  # a remote book may have no file of its own
        return None
    return full if full.is_file() else None


def _excel(book: Any) -> Any | None:
    """Desktop Excel's ``Application`` over COM, or None (another engine, another system)."""
    if sys.platform != "win32":
        return None
    try:
        app = book.app.api
    except (AttributeError, NotImplementedError):
        return None
    return app if hasattr(app, "Workbooks") else None


def export_pdf(book: Any) -> Path | None:
    """Ribbon handler: print the active sheet of ``book`` (an ``xw.Book``) as a PDF next to the
    workbook and say where, in how many pages and how laid out; returns the PDF (None when
    refused)."""
    full = _workbook_file(book)
    if full is None:
        _alert(
            book,
            "请先把工作簿保存为 .xlsx/.xlsm 文件，再导出PDF（网页版 Excel 请在电脑上用 "
            "tongji render 命令）。",
        )
        return None
    sheet = book.sheets.active.name
    libreoffice = soffice() is not None
    excel = None if libreoffice else _excel(book)
    if not libreoffice and excel is None:
        _alert(
            book,
            f"无法导出工作表「{sheet}」的 PDF：本机未安装 LibreOffice，当前 Excel 也不能直接导出。"
            f"请安装 LibreOffice 后重试，或在命令行运行：\n"
            f'tongji render "{full}" -s "{sheet}"',
        )
        return None
    target = pdf_name(full, sheet)
    with tempfile.TemporaryDirectory(prefix="tongji-pdf-") as temp:
        # a name of its own: Excel cannot open two workbooks of the same name
        snapshot = Path(temp) / f"{full.stem}_打印{full.suffix}"
        try:  # classic Excel: the workbook as it is now, with Excel's values and formats
            book.api.SaveCopyAs(str(snapshot))
        except Exception:  # no COM (a book opened otherwise): the saved file
            shutil.copy2(full, snapshot)
        try:
            if excel is None:
                done = render(snapshot, sheet, pdf=target)
                pages, layout = done.pages, done.layout
            else:
                layout = sheet_layout(snapshot, sheet)
                export_with_excel(excel, snapshot, sheet, com_plan(layout), target)
                pages = page_count(target)
        except (UserError, OSError) as exc:
            _alert(book, _file_fault(exc))
            return None
    _alert(
        book,
        f"已导出工作表「{sheet}」的 PDF，共 {pages} 页（{layout.describe()}）：\n{target}",
    )
    return target


__all__ = ["ComPlan", "com_plan", "export_pdf", "export_with_excel", "pdf_name"]
