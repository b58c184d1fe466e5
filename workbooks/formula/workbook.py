"""Reading a workbook file into the evaluator: constants, formulas, array-formula ranges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from udfs.errors import ERROR_LITERALS
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
    book = load_workbook(path, data_only=False, keep_links=False, rich_text=False)
    sheets: list[Sheet] = []
    for ws in book.worksheets:
        sheet = Sheet(ws.title, max_row=ws.max_row, max_col=ws.max_column)
        constants, formulas = sheet.constants, sheet.formulas
        for (row, col), cell in ws._cells.items():
            value = cell._value
            if cell.data_type == "f":
                if isinstance(value, ArrayFormula):
                    text = value.text or ""
                    r1 = range_boundaries(value.ref)
                    formulas[(row, col)] = Formula(
                        text[1:] if text.startswith("=") else text, (r1[1], r1[0], r1[3], r1[2])
                    )
                elif isinstance(value, DataTableFormula):
                    formulas[(row, col)] = Formula("#TABLE()")
                else:
                    text = str(value)
                    formulas[(row, col)] = Formula(text[1:] if text.startswith("=") else text)
            elif value is not None:
                constants[(row, col)] = _constant(value, cell.data_type)
        sheets.append(sheet)
    names: dict[str, str] = {}
    for name, defined in book.defined_names.items():
        text = defined.attr_text or ""
        names[name] = text[1:] if text.startswith("=") else text
    book.close()
    return sheets, names


def evaluate(path: Path) -> Engine:
    """Every formula of the workbook at ``path``, evaluated (see :class:`Engine`)."""
    sheets, names = read_sheets(path)
    engine = Engine(sheets, names)
    engine.run()
    return engine
