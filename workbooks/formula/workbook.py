"""Reading a workbook file into the evaluator: constants, formulas, array-formula ranges.

Calls of the add-in's functions saved as external references (``[1]!TJ_GROWTH(...)``, see
:mod:`workbooks.formula.addin_links`) are read as ``TJ_`` calls; the workbook keeps its links.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from udfs.errors import ERROR_LITERALS
from workbooks.formula.addin_links import book_addin_links, local_addin_calls
from workbooks.formula.engine import Engine
from workbooks.formula.model import Formula, Sheet
from workbooks.formula.values import XLError


def _constant(value: Any, data_type: str) -> Any:
    if value is None or isinstance(value, (bool, float, str)):
        if data_type == "e" and isinstance(value, str) and value in ERROR_LITERALS:
            return XLError(value)
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return float(to_excel(value))
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return str(value)


def read_sheets(path: Path) -> tuple[list[Sheet], dict[str, str]]:
    """The sheets (constants and formulas by (row, col)) and workbook-level defined names,
    read from the package XML, or through openpyxl when the package is unusual."""
    from workbooks.formula.package_reader import read_package

    found = read_package(path)
    return found if found is not None else read_sheets_openpyxl(path)


def read_sheets_openpyxl(path: Path) -> tuple[list[Sheet], dict[str, str]]:
    """:func:`read_sheets` through openpyxl (slower; any package openpyxl can open)."""
    book = load_workbook(path, data_only=False, keep_links=True, rich_text=False)
    try:
        return book_sheets(book)
    finally:
        book.close()


def book_sheets(book: Workbook) -> tuple[list[Sheet], dict[str, str]]:
    """The sheets of an openpyxl workbook (in memory) as the engine reads them, and its
    workbook-level defined names."""
    sheets: list[Sheet] = []
    links = frozenset(book_addin_links(book))
    for ws in book.worksheets:
        sheet = Sheet(ws.title, max_row=ws.max_row, max_col=ws.max_column)
        constants, formulas = sheet.constants, sheet.formulas
        for position, cell in ws._cells.items():
            value = cell._value
            if cell.data_type == "f":
                formulas[position] = _formula(value, links)
            elif value is not None:
                constants[position] = _constant(value, cell.data_type)
        sheets.append(sheet)
    names = {name: (d.attr_text or "").removeprefix("=") for name, d in book.defined_names.items()}
    return sheets, names


def _formula(value: Any, links: frozenset[int] = frozenset()) -> Formula:
    """An openpyxl formula cell value: a plain formula, an array formula over its range, or a
    data table (which the engine reports as unsupported); ``links``: the external links that
    name the add-in."""
    if isinstance(value, ArrayFormula):
        c1, r1, c2, r2 = range_boundaries(value.ref)
        text = (value.text or "").removeprefix("=")
        return Formula(local_addin_calls(text, links), (r1, c1, r2, c2))
    if isinstance(value, DataTableFormula):
        return Formula("#TABLE()")
    return Formula(local_addin_calls(str(value).removeprefix("="), links))


def evaluate(path: Path) -> Engine:
    """Every formula of the workbook at ``path``, evaluated (see :class:`Engine`)."""
    sheets, names = read_sheets(path)
    engine = Engine(sheets, names)
    engine.run()
    return engine
