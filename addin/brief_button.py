"""生成分析: the ribbon button that writes the analysis of the open workbook as a Word document.

Like 导出数值版 it works on a copy of the workbook as Excel has it now (``SaveCopyAs``: unsaved
edits included, every formula with the value Excel computed and every cell with its number
format), so the text quotes exactly what the cells display. The period is that of the active
sheet (the latest period when the active sheet has none); on a county's main-indicator sheet the
analysis is of that county, elsewhere of every county of the peer table. The document is saved
next to the workbook under a new name (``…_青川县2026年1-9月分析.docx``; an existing file is
never replaced) and the message says where, and which cells could not be read.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from udfs.periods import PeriodError
from workbooks.brief import build_brief, default_output
from workbooks.brief_docx import write_docx
from workbooks.errors import UserError
from workbooks.period_names import period_of_name

TITLE = "统计助手"
_SHOWN_NOTES = 10


def _alert(book: Any, message: str) -> None:
    book.app.alert(message, title=TITLE)


def _workbook_file(book: Any) -> Path | None:
    try:
        full = Path(book.fullname)
    except (AttributeError, NotImplementedError):  # a remote book has no file of its own
        return None
    return full if full.is_file() else None


def write_brief(book: Any) -> Path | None:
    """Ribbon handler: write the analysis of the open workbook ``book`` (an ``xw.Book``) next to
    it and say where; returns the document's path (None when refused)."""
    full = _workbook_file(book)
    if full is None:
        _alert(
            book,
            "请先把工作簿保存为 .xlsx/.xlsm 文件，再生成分析（网页版 Excel 请用 tongji brief 命令）。",
        )
        return None
    active = book.sheets.active.name
    period = period_of_name(active)
    with tempfile.TemporaryDirectory(prefix="tongji-brief-") as temp:
        snapshot = Path(temp) / full.name
        try:  # classic Excel: the workbook as it is now, with Excel's values and formats
            book.api.SaveCopyAs(str(snapshot))
        except Exception:  # no COM (a book opened otherwise): the saved file
            shutil.copy2(full, snapshot)
        try:
            brief = build_brief(snapshot, None, period.label() if period else None)
        except (UserError, PeriodError) as exc:
            _alert(book, str(exc))
            return None
    county = next((c for c, sheet in brief.main_sheets.items() if sheet == active), None)
    if county is not None:
        brief.analyses = [a for a in brief.analyses if a.region == county]
    target = default_output(full, brief, county)
    write_docx(brief, target)
    who = county or "、".join(a.region for a in brief.analyses)
    message = f"已生成 {brief.label} {who} 的经济运行分析：\n{target}"
    if brief.notes:
        message += f"\n以下 {len(brief.notes)} 个单元格无法读成公布数，文中未写："
        message += "".join(f"\n{note}" for note in brief.notes[:_SHOWN_NOTES])
        if len(brief.notes) > _SHOWN_NOTES:
            message += f"\n…另有 {len(brief.notes) - _SHOWN_NOTES} 个"
    _alert(book, message)
    return target


__all__ = ["write_brief"]
