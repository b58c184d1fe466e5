"""Calc's arguments in, Calc's cell values out — for the Python add-in component.

Runs inside LibreOffice's own Python (the extension vendors it beside :mod:`udfs`), so it
imports NumPy and :mod:`udfs` only, never ``uno``.

What arrives (through the Basic ``TJ_`` wrappers, every argument declared ``any``): a number
or a text for one cell, ``None`` for a blank cell or an omitted argument, rows of values
(tuples) for a range or an inline array, where a blank cell is ``None`` (called through the
Basic wrappers) or ``""`` (called directly). Booleans arrive as ``bool`` or as 1/0.

What leaves: always rows of values (``sequence<sequence<any>>``; a 1×1 result shows as a plain
value). An error element is a NaN whose low bits carry Calc's error number
(:data:`CALC_ERRORS`): Calc shows the real ``#DIV/0!`` / ``#N/A`` / ``#NUM!`` / ``#VALUE!``, and
``ERROR.TYPE`` gives Excel's codes. A deliberate blank (位次变化 without a previous rank) is
empty text, as in Excel.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from udfs.errors import ExcelError, Reason

#: Calc's internal error numbers (``FormulaError``) of the errors our functions return.
CALC_ERRORS: dict[ExcelError, int] = {
    ExcelError.DIV0: 532,
    ExcelError.NA: 0x7FFF,
    ExcelError.NUM: 503,
    ExcelError.VALUE: 519,
}

_QUIET_NAN = 0x7FF8000000000000


def error_double(number: int) -> float:
    """The double Calc reads as the error ``number``: a quiet NaN carrying it in its low bits."""
    return struct.unpack("<d", struct.pack("<Q", _QUIET_NAN | number))[0]


def error_number(value: float) -> int | None:
    """The Calc error number a NaN carries (``None`` for an ordinary number)."""
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    if bits & 0x7FF0000000000000 != 0x7FF0000000000000 or not bits & 0xFFFFFFFFFFFFF:
        return None
    return bits & 0xFFFF


def _calc_error(found: Reason, detail: str | None) -> float:
    return error_double(CALC_ERRORS[found.error])


Rows = tuple[tuple[Any, ...], ...]


def call(function: Callable[..., Any], *args: Any) -> Rows:
    """Run one ``TJ_`` function of :data:`udfs.functions.FUNCTIONS` on Calc's arguments and
    return its cells as rows."""
    from udfs.core import to_cells

    result = function(*args)
    cells = to_cells(result, _calc_error, blank="", rows=True)
    if result.values.ndim == 0:
        return ((cells,),)
    return tuple(tuple(row) for row in cells)


__all__ = ["CALC_ERRORS", "call", "error_double", "error_number"]
