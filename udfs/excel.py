"""The ``TJ_`` Excel functions: one definition for classic xlwings (Windows, COM) and for
xlwings Server / Lite (Office.js).

The functions themselves, their arguments and help are :data:`udfs.functions.FUNCTIONS`; this
is the one module of :mod:`udfs` that imports xlwings. Each function is registered here under
its Excel name as a module attribute, which is what xlwings' "Import Functions" (classic) and
``custom_functions_meta`` (Office.js) look for.

Speed: arguments arrive ``raw`` (no per-cell conversion by xlwings) and are cleaned by
:mod:`udfs.cleaning` in one NumPy call; results leave through :class:`CellResults`
(:func:`udfs.core.to_cells`: one ``tolist()`` of the float array, then only the error cells
are visited).

Errors: in Office.js an error element becomes xlwings' error object, a real ``#DIV/0!`` etc. in
the cell. Classic xlwings cannot return error values, so there an error element is the marker
text ``"<literal> <message>"`` (:mod:`udfs.errors`), which the add-in's VBA wrapper turns into
``CVErr``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import xlwings as xw

from udfs.core import Computed, to_cells
from udfs.errors import Reason
from udfs.functions import FUNCTIONS

CATEGORY = "统计助手"


def _marker(found: Reason, detail: str | None) -> str:
    """Classic xlwings: the error as its marker text, which the VBA wrapper turns into CVErr."""
    return found.marker(detail)


def _officejs_error(runtime: str) -> Callable[[Reason, str | None], Any]:
    """Office.js: the error as xlwings' error object (a real ``#DIV/0!`` etc. in the cell)."""
    from xlwings.pro._xlofficejs import errorstr_to_errortype

    def error(found: Reason, detail: str | None) -> Any:
        literal = found.error.literal
        made = errorstr_to_errortype(literal, runtime)
        if made == literal and literal != "#VALUE!":
            # #SPILL!, #CALC!, #GETTING_DATA passed on from an input: Office.js custom
            # functions cannot return those kinds, #VALUE! is the nearest they can.
            value = errorstr_to_errortype("#VALUE!", runtime)
            made = literal if value == "#VALUE!" else value
        return made

    return error


def cell_values(result: Computed, runtime: str | None = None) -> Any:
    """A :class:`Computed` as Excel cell values: a scalar for one cell, else a 2-D list.

    ``runtime`` is the Office.js custom-functions runtime (e.g. ``"1.4"``) or ``None`` for
    classic xlwings. A deliberate blank is empty text.
    """
    if runtime is None:
        return to_cells(result, _marker, blank="", rows=True)
    cells = to_cells(result, _officejs_error(runtime), blank="", rows=True)
    return [[cells]] if result.values.ndim == 0 else cells


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
