"""Calc's arguments in, Calc's cell values out — for the Python add-in component.

Runs inside LibreOffice's own Python (the extension vendors it beside :mod:`udfs`), so it
imports NumPy and :mod:`udfs` only, never ``uno``.

What arrives (through the Basic ``TJ_`` wrappers, every argument declared ``any``): for a
cell reference, the cell range itself, which the component reads into rows of values
(:func:`range_values`: blank cells ``""``, each error cell as the COM error code classic
Excel hands over, a single cell as its value); for anything else (a constant, an expression,
an inline array) the value Calc computed: a number, a text, ``None`` for an omitted argument,
rows of values for an array. Booleans arrive as ``bool`` or as 1/0.

What leaves: always rows of values (``sequence<sequence<any>>``; a 1×1 result shows as a plain
value). An error element is a NaN whose low bits carry Calc's error number
(:data:`CALC_ERRORS`): Calc shows the real ``#DIV/0!`` / ``#N/A`` / ``#NUM!`` / ``#VALUE!``, and
an input cell's ``#REF!`` / ``#NAME?`` / ``#NULL!`` passed on; ``ERROR.TYPE`` gives Excel's codes. A deliberate blank (位次变化 without a previous rank) is
empty text, as in Excel.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from udfs.errors import COM_ERRORS, EXCEL_ERRORS, ExcelError, Reason

#: Calc's internal error numbers (``FormulaError`` of LibreOffice's ``formula/errorcodes.hxx``)
#: of every error our functions return: the four they compute, and the kinds an input cell
#: can hold, passed on (``NoCode`` 521 shows ``#NULL!``, ``NoRef`` 524 ``#REF!``, ``NoName`` 525
#: ``#NAME?``; ``ERROR.TYPE`` gives what it gives for Calc's own: Excel's 4 and 5 for ``#REF!``
#: and ``#NAME?``, ``#N/A`` for ``#NULL!`` in 7.4). Calc has no ``#SPILL!``, ``#CALC!`` or
#: ``#GETTING_DATA``: those show as ``#VALUE!``.
CALC_ERRORS: dict[ExcelError, int] = {
    ExcelError.DIV0: 532,
    ExcelError.NA: 0x7FFF,
    ExcelError.NUM: 503,
    ExcelError.VALUE: 519,
    ExcelError.NULL: 521,
    ExcelError.REF: 524,
    ExcelError.NAME: 525,
    ExcelError.SPILL: 519,
    ExcelError.CALC: 519,
    ExcelError.GETTING_DATA: 519,
}

_QUIET_NAN = 0x7FF8000000000000

Rows = tuple[tuple[Any, ...], ...]


def error_double(number: int) -> float:
    """The double Calc reads as the error ``number``: a quiet NaN carrying it in its low bits."""
    return struct.unpack("<d", struct.pack("<Q", _QUIET_NAN | number))[0]


def error_number(value: float) -> int | None:
    """The Calc error number a NaN carries (``None`` for an ordinary number)."""
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    if bits & 0x7FF0000000000000 != 0x7FF0000000000000 or not bits & 0xFFFFFFFFFFFFF:
        return None
    return bits & 0xFFFF


#: Calc's error numbers of the errors a referenced cell can show, as Excel's literal; any other
#: Calc error (Err:502 …) is read as ``#VALUE!``.
CALC_LITERALS: dict[int, str] = {
    521: "#NULL!",
    503: "#NUM!",
    523: "#NUM!",
    519: "#VALUE!",
    524: "#REF!",
    525: "#NAME?",
    532: "#DIV/0!",
    0x7FFF: "#N/A",
}

_COM_BY_LITERAL = {literal: code for code, literal in COM_ERRORS.items()}


def com_error(calc_number: int) -> int:
    """The code classic Excel hands a UDF for an error cell, for Calc's error number: an error
    cell then reaches the kernels exactly as it does from Excel."""
    literal = CALC_LITERALS.get(calc_number, "#VALUE!")
    assert literal in EXCEL_ERRORS
    return _COM_BY_LITERAL[literal]


def range_values(rows: Rows, errors: list[tuple[int, int, int]]) -> Any:
    """A referenced range as Excel hands it over: rows of values with each error cell
    ``(row, column, Calc error number)`` as its COM error code, one cell as its value.

    ``rows`` is the range's ``DataArray`` (blank cells ``""``, error cells empty).
    """
    grid = [list(row) for row in rows]
    for row, column, number in errors:
        grid[row][column] = com_error(number)
    if len(grid) == 1 and len(grid[0]) == 1:
        return grid[0][0]
    return grid


def _calc_error(found: Reason, detail: str | None) -> float:
    return error_double(CALC_ERRORS[found.error])


#: Optional parameters whose 0 is a value of its own: 0 decimals, FALSE (ascending order).
ZERO_IS_A_VALUE = frozenset({"decimals", "descending"})

#: The cell of a call refused because a 0 may be an argument left empty (see :func:`skipped`).
AMBIGUOUS_ZERO: Rows = ((error_double(CALC_ERRORS[ExcelError.VALUE]),),)


#: The cell of a call that does not come from a Basic ``TJ_`` wrapper (see :func:`from_wrapper`).
NOT_FROM_A_WRAPPER: Rows = ((error_double(CALC_ERRORS[ExcelError.VALUE]),),)


def from_wrapper(args: tuple[Any, ...], token: str) -> tuple[Any, ...] | None:
    """The function's own arguments of a call made by a Basic ``TJ_`` wrapper (its last
    argument, ``caller``, is ``token``); ``None`` for any other call (refused:
    :data:`NOT_FROM_A_WRAPPER`).

    Called straight from a cell or the Function Wizard (``TJ.GROWTH(B2;C2)``), Calc hands the
    component a blank single cell as the number 0, indistinguishable from a typed 0: computed,
    ``TJ.GROWTH(blank;100)`` would be a silent −100. Such a call leaves ``caller`` empty.
    """
    if not args or not isinstance(args[-1], str) or args[-1] != token:
        return None
    return args[:-1]


def skipped(parameters: tuple[tuple[str, bool], ...], args: tuple[Any, ...]) -> tuple | None:
    """The arguments with each one left empty read as omitted (``None``); ``None`` when that
    cannot be told (the call is then refused: :data:`AMBIGUOUS_ZERO`).

    Calc hands a Basic function an argument left empty (``TJ_RANK(7;A1:A3;;1)``, also
    ``TJ_GROWTH(A2;B2;)``) as the number 0 — exactly what it hands over for a typed 0 or
    FALSE; only arguments left off at the end arrive missing (``None`` here), and a cell
    reference arrives as a range object, never as that bare number. So a bare 0 for an
    optional parameter (``parameters``: name, optional) reads as

    - left empty, where 0 means nothing (a name, a unit, a period, a rank, a count, a price
      index): the default, as Excel gives;
    - the value, where 0 is one (:data:`ZERO_IS_A_VALUE`: 0 decimals, FALSE for ascending
      order) and it is the last argument given: ``TJ_RANK(B2;B$2:B$9;FALSE)`` as in Excel;
    - neither, where 0 is a value and another argument follows (``TJ_RANK(7;A1:A3;;1)`` or
      ``…;FALSE;1)``): computing with 0 could silently rank in the wrong order, so refused.
    """
    out = list(args)
    for index, ((name, optional), value) in enumerate(zip(parameters, args, strict=False)):
        bare_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not optional or not bare_number or value != 0:  # Basic may hand 0 over as an int
            continue
        if name not in ZERO_IS_A_VALUE:
            out[index] = None
        elif any(later is not None for later in args[index + 1 :]):
            return None
    return tuple(out)


def call(function: Callable[..., Any], *args: Any) -> Rows:
    """Run one ``TJ_`` function of :data:`udfs.functions.FUNCTIONS` on Calc's arguments and
    return its cells as rows."""
    from udfs.core import to_cells

    result = function(*args)
    cells = to_cells(result, _calc_error, blank="", rows=True)
    if result.values.ndim == 0:
        return ((cells,),)
    return tuple(tuple(row) for row in cells)


__all__ = [
    "AMBIGUOUS_ZERO",
    "CALC_ERRORS",
    "CALC_LITERALS",
    "NOT_FROM_A_WRAPPER",
    "ZERO_IS_A_VALUE",
    "call",
    "com_error",
    "error_double",
    "error_number",
    "from_wrapper",
    "range_values",
    "skipped",
]
