"""Runs a command on a workbook through xlwings' remote engine (``xw.Book(json=...)``) and
prints the queued actions as JSON. Run in its own process: the engine must be enabled before
xlwings is first imported.

Usage: python remote_session.py WORKBOOK.xlsx ACTIVE_SHEET (rank [SELECTION] | refresh DROP | proofread DOCUMENT | pdf [BOOK NAME] | write TEXT...)

``pdf`` names the book by the workbook's full path (as desktop Excel does), or BOOK NAME.
"""

from __future__ import annotations

import json
import os
import sys

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"

import openpyxl
import xlwings as xw

from addin.ribbon import rank_counties, refresh_quarter


def payload(path: str, active: str, selection: str = "A1", name: str = "示例市.xlsx") -> dict:
    """What Office.js sends: every sheet's values from A1 (formulas arrive as their results:
    the cached values saved in the file, blanks where it has none)."""
    wb = openpyxl.load_workbook(path)
    results = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        values = [
            ["" if v is None else v for v, _ in zip(saved, row, strict=True)]
            for saved, row in zip(
                results[ws.title].iter_rows(values_only=True),
                ws.iter_rows(values_only=True),
                strict=True,
            )
        ]
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": []})
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {
            "name": name,
            "active_sheet_index": wb.sheetnames.index(active),
            "selection": selection,
        },
        "names": [],
        "sheets": sheets,
    }


def main() -> None:
    path, active, command, *rest = sys.argv[1:]
    selection = rest[0] if command == "rank" and rest else "A1"
    name = (rest[0] if rest else path) if command == "pdf" else "示例市.xlsx"
    book = xw.Book(json=payload(path, active, selection, name))
    if command == "rank":
        message = rank_counties(book)
    elif command == "refresh":
        message = refresh_quarter(book, rest[0])
    elif command == "proofread":
        from addin.proofread_button import proofread_document

        message = proofread_document(book, rest[0])
    elif command == "pdf":
        from addin.pdf_button import export_pdf

        target = export_pdf(book)
        message = "" if target is None else str(target)
    else:
        from addin.xlwings_host import XlBook

        XlBook(book).sheet(active).write_values(1, 1, [[*rest, 3.5]])
        message = ""
    print(json.dumps({"message": message, "actions": book.json()["actions"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
