"""The ``TJ_`` Excel functions: one definition for classic xlwings (Windows, COM) and for
xlwings Server / Lite (Office.js).

The functions themselves, their arguments and help are :data:`udfs.functions.FUNCTIONS`; this
is the one module of :mod:`udfs` that imports xlwings. Each function is registered here under
its Excel name as a module attribute, which is what xlwings' "Import Functions" (classic) and
``custom_functions_meta`` (Office.js) look for.

Speed: arguments arrive ``raw`` (no per-cell conversion by xlwings) and are cleaned by
:mod:`udfs.cleaning` in one NumPy call; results leave through :class:`CellResults`, which turns
the float array into nested lists with one ``tolist()`` and only then visits the error cells.

Errors: in Office.js an error element becomes xlwings' error object, a real ``#DIV/0!`` etc. in
the cell. Classic xlwings cannot return error values, so there an error element is the marker
text ``"<literal> <message>"`` (:mod:`udfs.errors`), which the add-in's VBA wrapper turns into
``CVErr``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numpy as np
import xlwings as xw

from udfs.core import Computed
from udfs.errors import BLANK, OK, describe
from udfs.functions import FUNCTIONS

CATEGORY = "统计助手"


def _error_cell(code: int, runtime: str | None) -> Any:
    """One error element as the host needs it: Office.js error object or classic marker."""
    if code == BLANK:
        return ""
    found = describe(code)
    if runtime is None:
        return found.marker
    from xlwings.pro._xlofficejs import errorstr_to_errortype

    return errorstr_to_errortype(found.error.literal, runtime)


def cell_values(result: Computed, runtime: str | None = None) -> Any:
    """A :class:`Computed` as Excel cell values: a scalar for one cell, else a 2-D list.

    ``runtime`` is the Office.js custom-functions runtime (e.g. ``"1.4"``) or ``None`` for
    classic xlwings.
    """
    values, codes = result
    if values.ndim == 0:
        code = int(codes)
        cell = float(values) if code == OK else _error_cell(code, runtime)
        return [[cell]] if runtime is not None else cell
    if values.ndim == 1:
        values, codes = values.reshape(-1, 1), codes.reshape(-1, 1)
    rows = values.tolist()
    bad = np.nonzero(codes)
    if bad[0].size:
        cache: dict[int, Any] = {}
        for i, j, code in zip(bad[0].tolist(), bad[1].tolist(), codes[bad].tolist(), strict=True):
            cell = cache.get(code)
            if cell is None:
                cell = cache[code] = _error_cell(code, runtime)
            rows[i][j] = cell
    return rows


class CellResults(xw.conversion.Converter):
    """Return converter: a :class:`Computed` straight to cell values, no per-cell cleaning."""

    base_type = "raw"

    @staticmethod
    def write_value(value: Computed, options: dict[str, Any]) -> Any:
        # xlwings Server adds the Office.js runtime to the options; classic xlwings does not.
        return cell_values(value, options.get("runtime"))


def _register(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """An xlwings UDF ``name`` computing ``function``: raw arguments with their Chinese help,
    :class:`CellResults` as the return converter. The registry's function object is copied, so
    the xlwings metadata lands on the copy only."""
    udf = types.FunctionType(
        function.__code__, function.__globals__, name, function.__defaults__, function.__closure__
    )
    udf.__doc__ = function.__doc__
    udf.__qualname__ = name
    udf.__module__ = __name__
    arg_docs: dict[str, str] = getattr(function, "__tj_args__", {})
    udf.__tj_args__ = dict(arg_docs)  # type: ignore[attr-defined]
    for arg, doc in reversed(list(arg_docs.items())):
        udf = xw.arg(arg, "raw", doc=doc)(udf)
    udf = xw.ret(CellResults)(udf)
    return xw.func(category=CATEGORY)(udf)


for _name, _function in FUNCTIONS.items():
    globals()[_name] = _register(_name, _function)
