"""The ribbon button 校对文稿: a document chosen by the user checked against itself and against
the workbook open in Excel (read through :class:`~addin.xlwings_host.XlBook`, the same peer
tables ``tongji proofread --workbook`` reads from a file).

The document is not changed: the findings are saved as Word comments in a copy next to it
(「<name>_校对.docx」) and summed up in a message box.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from addin.xlwings_host import XlBook
from udfs.periods import PeriodError
from workbooks.errors import UserError
from workbooks.proofread import proofread
from workbooks.proofread.report import KINDS

TITLE = "统计助手"
#: Findings listed in the message box (all of them are in the commented copy).
SHOWN = 8


def checked_copy_name(document: Path) -> Path:
    """Where the commented copy goes: 「讲话.docx」 → 「讲话_校对.docx」 (a .txt gives a .docx)."""
    return document.with_name(f"{document.stem}_校对.docx")


def proofread_document(book: Any, document: str | Path | None = None) -> str:
    """Ribbon handler: ask for the document (when None), proofread it against ``book`` (an
    ``xw.Book``), save the commented copy and return the message shown."""
    if document is None:
        document = _ask_for_document(book)
        if not document:
            return ""
    path = Path(document)
    try:
        result = proofread(path, XlBook(book))
    except (UserError, PeriodError) as exc:
        message = str(exc)
    else:
        target = result.save_commented(checked_copy_name(path))
        message = (
            f"「{path.name}」读出 {len(result.statements)} 处数字表述，"
            f"与本工作簿核对 {result.compared} 处，发现 {len(result.findings)} 处不一致。"
        )
        for f in result.findings[:SHOWN]:
            message += f"\n{f.where}「{f.text}」：{KINDS.get(f.kind, f.kind)}，文中{f.stated}，应为{f.expected}"
        if len(result.findings) > SHOWN:
            message += f"\n……其余 {len(result.findings) - SHOWN} 处见批注"
        message += "".join(f"\n{note}" for note in result.notes)
        message += f"\n带批注的文稿：{target}"
    with contextlib.suppress(Exception):  # a book without an app to talk to (scripts)
        book.app.alert(message, title=TITLE)
    return message


def _ask_for_document(book: Any) -> str | None:  # pragma: no cover - needs desktop Excel
    chosen = book.app.api.GetOpenFilename(
        "Word 文档 (*.docx),*.docx,文本文件 (*.txt),*.txt", 1, "选择要校对的文稿"
    )
    return chosen if isinstance(chosen, str) else None
