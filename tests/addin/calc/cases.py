"""A workbook of ``TJ_`` formulas written by openpyxl the way Excel writes them (``,`` between
arguments, array formulas as ``t="array"``), and the value each formula cell must show: what
the Python kernels give for the arguments Excel would hand the add-in.

Sheet 单元格: one call per row — its arguments in B:F (a blank, text, an error formula …) or
as constants in the formula, the formula in G. Sheet 区域: array formulas over ranges holding
blanks, text, zero and an error cell. Sheet 同级: the peers of the TJ_RANK calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from udfs.catalog import CATALOG
from udfs.core import to_python
from udfs.errors import COM_ERRORS
from udfs.functions import FUNCTIONS

#: What classic Excel hands a UDF for a cell showing each error (its COM code).
EXCEL_SENDS = {literal: code for code, literal in COM_ERRORS.items()}


@dataclass(frozen=True)
class Cell:
    """An argument given as a reference to a cell holding ``value`` (``None``: blank)."""

    value: Any


@dataclass(frozen=True)
class ErrorCell:
    """A referenced cell holding a formula that shows ``literal``."""

    formula: str
    literal: str


@dataclass(frozen=True)
class Ref:
    """A reference to a range of sheet 同级 or 区域, with the values Excel hands over."""

    address: str
    values: list[list[Any]]


@dataclass(frozen=True)
class Skip:
    """An argument left empty between others (``TJ_RANK(7;A1:A3;;1)``): the kernel is called
    with that argument omitted."""


SKIP = Skip()

#: Input cells showing the errors no TJ_ function computes, passed on unchanged.
REF_CELL = ErrorCell("=#REF!", "#REF!")
NAME_CELL = ErrorCell("=TONGJI_UNDEFINED_NAME", "#NAME?")
NULL_CELL = ErrorCell("=#NULL!", "#NULL!")

PEERS = [8.5, 6.2, None, 6.2, "—", 9.1, 6.25]
PEERS_REF = Ref("同级!A1:A7", [[v] for v in PEERS])

C = Cell
SINGLE_CASES: list[tuple[str, tuple[Any, ...]]] = [
    ("TJ_GROWTH", (C(110), C(100))),
    ("TJ_GROWTH", (C(110), C(0))),
    ("TJ_GROWTH", (C(110), C(-5))),
    ("TJ_GROWTH", (C(None), C(100))),
    ("TJ_GROWTH", (C(110), C(None))),
    ("TJ_GROWTH", (C("abc"), C(100))),
    ("TJ_GROWTH", (C("17,176"), C(15000))),
    ("TJ_GROWTH", (C("—"), C(100))),
    ("TJ_GROWTH", (C("下降4.8"), C(100))),
    ("TJ_GROWTH", (C(110), C(100), C(102))),
    ("TJ_GROWTH", (C(110), C(100), C(None))),
    ("TJ_GROWTH", (ErrorCell("=1/0", "#DIV/0!"), C(100))),
    ("TJ_GROWTH", (C(110), ErrorCell("=NA()", "#N/A"))),
    ("TJ_GROWTH", (REF_CELL, C(100))),
    ("TJ_GROWTH", (C(110), NAME_CELL)),
    ("TJ_GROWTH", (NULL_CELL, C(100))),
    ("TJ_PHRASE_GROWTH", (REF_CELL,)),
    ("TJ_GROWTH", (110, 100)),
    ("TJ_GROWTH", (C(110), 0)),
    ("TJ_AVG_GROWTH", (C(200), C(100), C(5))),
    ("TJ_AVG_GROWTH", (C(200), C(0), C(5))),
    ("TJ_AVG_GROWTH", (C(200), C(100), C(0))),
    ("TJ_TWO_YEAR_AVG", (C(8.5), C(0.6))),
    ("TJ_TWO_YEAR_AVG", (C(None), C(0.6))),
    ("TJ_CONTRIBUTION", (C(120), C(100), C(1000))),
    ("TJ_CONTRIBUTION", (C(120), C(100), C(0))),
    ("TJ_CONTRIBUTION_RATE", (C(120), C(100), C(1100), C(1000))),
    ("TJ_CONTRIBUTION_RATE", (C(120), C(100), C(1000), C(1000))),
    ("TJ_SHARE", (C(30), C(120))),
    ("TJ_SHARE", (C(30), C(0))),
    ("TJ_SHARE", (C("30%"), C(120))),
    ("TJ_COMPLETION", (C(146400), C(173873))),
    ("TJ_COMPLETION", (C(84), C(0))),
    ("TJ_COMPLETION", (C(84), C(-1))),
    ("TJ_TIME_PROGRESS", (C("1-9月"),)),
    ("TJ_TIME_PROGRESS", (C("上半年"),)),
    ("TJ_TIME_PROGRESS", (C("2026Q3"),)),
    ("TJ_TIME_PROGRESS", (C("2026年13月"),)),
    ("TJ_TIME_PROGRESS", (C(None),)),
    ("TJ_TIME_PROGRESS", (C(4),)),
    ("TJ_TIME_PROGRESS", ("1-4月",)),
    ("TJ_SCHEDULE_GAP", (C(38.6), C(100), C("1-4月"))),
    ("TJ_SCHEDULE_GAP", (C(38.6), C(100), C(None))),
    ("TJ_GAP_TO_TARGET", (C(14.64), C(17.38))),
    ("TJ_GAP_TO_TARGET", (C(14.64), C(17.38), C("1-9月"))),
    ("TJ_GAP_TO_TARGET", (C(14.64), C(17.38), C(None))),
    ("TJ_REQUIRED_GROWTH", (C(200), C(150), C(180), C(120))),
    ("TJ_REQUIRED_GROWTH", (C(200), C(150), C(120), C(120))),
    ("TJ_REQUIRED_GROWTH_RATE", (C(7), C(6.5), C(1000), C(700))),
    ("TJ_REQUIRED_GROWTH_RATE", (C(7), C(None), C(1000), C(700))),
    ("TJ_RANK", (C(6.2), PEERS_REF)),
    ("TJ_RANK", (C(6.2), PEERS_REF, False)),
    ("TJ_RANK", (C(6.2), PEERS_REF, True, 1)),
    ("TJ_RANK", (C(None), PEERS_REF)),
    ("TJ_RANK", (C("x"), PEERS_REF)),
    ("TJ_RANK_CHANGE", (C(3), C(5))),
    ("TJ_RANK_CHANGE", (C(3), C(None))),
    ("TJ_RANK_CHANGE", (C("第3位"), C(5))),
    ("TJ_RANK_CHANGE", (C(0), C(5))),
    ("TJ_PHRASE_GROWTH", (C(6.72),)),
    ("TJ_PHRASE_GROWTH", (C(-0.05),)),
    ("TJ_PHRASE_GROWTH", (C(0.04),)),
    ("TJ_PHRASE_GROWTH", (C(None),)),
    ("TJ_PHRASE_VS", (C(6.7), C(6.6), "全市")),
    ("TJ_PHRASE_VS", (C(5.5), C(6.7), "全省")),
    ("TJ_PHRASE_CHANGE", (C(-2.1), C(-3.6), "一季度")),
    ("TJ_PHRASE_RANK", (C(3), C(5), "全市", "上季度")),
    ("TJ_PHRASE_RANK", (C(8), C(None), "全市", "上季度", 9)),
    ("TJ_PHRASE_COMPLETION", (C(76.3), C("1-9月"))),
    ("TJ_PHRASE_AMOUNT", (C(632345), "万元", 1, "亿元")),
    ("TJ_PHRASE_AMOUNT", (C("abc"), "万元")),
    # arguments left empty between others (Calc hands them over as 0) or at the end
    ("TJ_PHRASE_RANK", (C(8), SKIP, SKIP, SKIP, 9)),
    ("TJ_PHRASE_RANK", (C(3), SKIP, "全省", SKIP, 9)),
    ("TJ_PHRASE_VS", (C(7), C(6.5), SKIP, 1)),
    ("TJ_PHRASE_COMPLETION", (C(38.6), SKIP, 2)),
    ("TJ_PHRASE_COMPLETION", (C(38.6), "1-4月", 1, SKIP)),
    ("TJ_PHRASE_CHANGE", (C(-2.1), C(-3.6), SKIP, 2)),
    ("TJ_PHRASE_AMOUNT", (C(17176), "万元", 1, SKIP)),
    ("TJ_GROWTH", (C(110), C(100), SKIP)),
    ("TJ_GAP_TO_TARGET", (C(14.64), C(17.38), SKIP)),
    # 0 decimals and FALSE as the last argument, or written in a cell: values
    ("TJ_PHRASE_GROWTH", (C(6.72), 0)),
    ("TJ_PHRASE_VS", (C(7), C(6.5), "全省", C(0))),
    ("TJ_RANK", (C(6.2), PEERS_REF, C(0), 1)),
    ("TJ_PHRASE_AMOUNT", (C(17176), "万元", C(0), "亿元")),
    # a text argument referring to an error cell gives that cell's error
    ("TJ_PHRASE_AMOUNT", (C(5), ErrorCell("=NA()", "#N/A"))),
    ("TJ_PHRASE_VS", (C(7), C(6.5), REF_CELL)),
]

#: Calls whose empty argument Calc cannot tell from a typed 0 or FALSE (0 decimals, ascending
#: order are values) followed by another argument: refused with #VALUE!, since no kernel
#: call says what Calc was given. Rows after SINGLE_CASES on sheet 单元格.
AMBIGUOUS_CASES: list[tuple[str, tuple[Any, ...]]] = [
    ("TJ_RANK", (7, PEERS_REF, SKIP, 1)),
    ("TJ_PHRASE_AMOUNT", (17176, "万元", SKIP, "亿元")),
    ("TJ_RANK", (C(6.2), PEERS_REF, False, 1)),
]

#: Sheet 区域, column by column from row 1 (None: blank; ErrorCell: an error formula).
AREA_COLUMNS: dict[str, list[Any]] = {
    "A": [110, 120, 130, 140, 150, 160],
    "B": [100, None, ErrorCell("=1/0", "#DIV/0!"), 0, "abc", 80],
    "G": [6.7, 5.2, None, 6.7, "—", 7.15],
    "J": [3, 2, None, 1, "第4位", 5],
    "K": [5, None, 2, 1, 4, "—"],
    "S": [110, REF_CELL, NAME_CELL, NULL_CELL, 120, ErrorCell("=NA()", "#N/A")],
}
#: Sheet 区域, row 10: a row of totals (a column against a row gives the full table).
AREA_ROW_10 = {"L": 100, "M": 200, "N": 400}

#: Array formulas of sheet 区域: anchor range → (function, argument ranges or constants).
ARRAY_CASES: dict[str, tuple[str, tuple[Any, ...]]] = {
    "D1:D6": ("TJ_GROWTH", ("A1:A6", "B1:B6")),
    "E1:E6": ("TJ_GROWTH", ("A1:A6", 100)),
    "H1:H6": ("TJ_RANK", ("G1:G6", "G1:G6")),
    "I1:I6": ("TJ_RANK", ("G1:G6", "G1:G6", False)),
    "M1:M6": ("TJ_RANK_CHANGE", ("J1:J6", "K1:K6")),
    "N1:P3": ("TJ_SHARE", ("A1:A3", "L10:N10")),
    # reads the results of M1:M6, whose blanks (no previous rank) are empty text
    "Q1:Q6": ("TJ_SHARE", ("M1:M6", 10)),
    # text results, element by element, with the errors of their inputs
    "R1:R6": ("TJ_PHRASE_GROWTH", ("G1:G6",)),
    # each error kind of an input cell comes back as that element's error
    "T1:T6": ("TJ_GROWTH", ("S1:S6", 100)),
}


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)


def _write(ws: Any, address: str, value: Any) -> None:
    if isinstance(value, ErrorCell):
        ws[address] = value.formula
    elif value is not None:
        ws[address] = value


def _excel_value(value: Any) -> Any:
    """The value Excel hands the add-in for a cell holding ``value``."""
    if isinstance(value, ErrorCell):
        return EXCEL_SENDS[value.literal]
    return value


def _area_values(ref: str) -> list[list[Any]]:
    start, end = ref.split(":")
    c1, r1, c2, r2 = start[0], int(start[1:]), end[0], int(end[1:])
    rows = []
    for row in range(r1, r2 + 1):
        rows.append(
            [_excel_value(_column_value(chr(col), row)) for col in range(ord(c1), ord(c2) + 1)]
        )
    return rows


def _results(computed: dict[str, Any], ref: str) -> list[list[Any]]:
    """A column of results computed earlier, as Excel hands it over (an empty result is "")."""
    start, end = ref.split(":")
    column = start[0]
    return [
        ["" if computed[f"{column}{row}"] is None else computed[f"{column}{row}"]]
        for row in range(int(start[1:]), int(end[1:]) + 1)
    ]


def _column_value(column: str, row: int) -> Any:
    if row == 10:
        return AREA_ROW_10.get(column)
    values = AREA_COLUMNS.get(column, [])
    return values[row - 1] if row <= len(values) else None


def _python_cells(result: Any) -> list[list[Any]]:
    """A kernel result as rows of plain values: float, error literal, or None (blank)."""
    if not hasattr(result, "shape"):
        return [[_plain(result)]]
    if result.ndim == 1:
        return [[_plain(v)] for v in result]
    return [[_plain(v) for v in row] for row in result]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, float):
        return value
    return str(value)  # a CellError: its literal


def excel_value(name: str, args: tuple[Any, ...]) -> Any:
    """What the kernels give for one call of sheet 单元格, with the values Excel hands over
    (an argument left empty omitted)."""
    python_args: list[Any] = []
    omitted: set[int] = set()
    for n, arg in enumerate(args):
        if isinstance(arg, Skip):
            python_args.append(None)
            omitted.add(n)
        elif isinstance(arg, (Cell, ErrorCell)):
            python_args.append(_excel_value(arg.value if isinstance(arg, Cell) else arg))
        elif isinstance(arg, Ref):
            python_args.append(arg.values)
        else:
            python_args.append(arg)
    return _python_cells(to_python(_omitting(name, python_args, omitted)))[0][0]


def _omitting(name: str, args: list[Any], omitted: set[int]) -> Any:
    """The kernel called without the omitted arguments (those after them by name)."""
    if not omitted:
        return FUNCTIONS[name](*args)
    first = min(omitted)
    [entry] = [e for e in CATALOG if e.name == name]
    later = {
        entry.parameters[n].name: args[n] for n in range(first + 1, len(args)) if n not in omitted
    }
    return FUNCTIONS[name](*args[:first], **later)


def build(path: Path) -> dict[str, dict[str, Any]]:
    """Write the workbook; return sheet → cell → the value the kernels give."""
    wb = Workbook()
    ws = wb.active
    ws.title = "单元格"
    expected: dict[str, dict[str, Any]] = {"单元格": {}, "区域": {}}
    for row, (name, args) in enumerate(SINGLE_CASES + AMBIGUOUS_CASES, start=1):
        ws.cell(row, 1, name)
        parts = []
        for n, arg in enumerate(args):
            address = f"{get_column_letter(2 + n)}{row}"
            if isinstance(arg, Skip):
                parts.append("")
            elif isinstance(arg, (Cell, ErrorCell)):
                _write(ws, address, arg.value if isinstance(arg, Cell) else arg)
                parts.append(address)
            elif isinstance(arg, Ref):
                parts.append(arg.address)
            else:
                parts.append(_literal(arg))
        ws.cell(row, 7, f"={name}({','.join(parts)})")
        refused = row > len(SINGLE_CASES)
        expected["单元格"][f"G{row}"] = "#VALUE!" if refused else excel_value(name, args)
    peers = wb.create_sheet("同级")
    for row, value in enumerate(PEERS, start=1):
        _write(peers, f"A{row}", value)
    area = wb.create_sheet("区域")
    for column, values in AREA_COLUMNS.items():
        for row, value in enumerate(values, start=1):
            _write(area, f"{column}{row}", value)
    for column, value in AREA_ROW_10.items():
        _write(area, f"{column}10", value)
    for ref, (name, args) in ARRAY_CASES.items():
        parts = [a if isinstance(a, str) and ":" in a else _literal(a) for a in args]
        python_args = [
            _results(expected["区域"], a)
            if a == "M1:M6"
            else _area_values(a)
            if isinstance(a, str) and ":" in a
            else a
            for a in args
        ]
        anchor = ref.split(":")[0]
        area[anchor] = ArrayFormula(ref, f"={name}({','.join(parts)})")
        rows = _python_cells(to_python(FUNCTIONS[name](*python_args)))
        start, _ = ref.split(":")
        for i, row_values in enumerate(rows):
            for j, value in enumerate(row_values):
                expected["区域"][f"{chr(ord(start[0]) + j)}{int(start[1:]) + i}"] = value
    wb.save(path)
    return expected


def functions_used() -> set[str]:
    return {name for name, _ in SINGLE_CASES} | {name for name, _ in ARRAY_CASES.values()}
