"""Calling the add-in's ``TJ_`` functions from a formula: exactly what Excel's UDF computes.

The evaluator hands each ``TJ_`` function its arguments the way xlwings delivers them to the
add-in (a single cell as its value, a range as rows of values, an error cell as its literal)
and calls the very function Excel calls (:data:`udfs.functions.FUNCTIONS`); the reason codes of
the result become error values.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from workbooks.formula.values import Array, Unsupported, XLError

if TYPE_CHECKING:
    from udfs.core import Computed
    from udfs.errors import Reason

_BLANK_RESULT = ""  # a deliberate blank (e.g. 位次变化 with no previous rank) shows as empty text


@cache
def _functions() -> dict[str, tuple[Callable[..., Any], int, int]]:
    from udfs.functions import FUNCTIONS

    out = {}
    for name, function in FUNCTIONS.items():
        params = inspect.signature(function).parameters.values()
        required = sum(1 for p in params if p.default is inspect.Parameter.empty)
        out[name.upper()] = (function, required, len(inspect.signature(function).parameters))
    return out


def is_tj(name: str) -> bool:
    return name.upper().startswith("TJ_")


def signature(name: str) -> tuple[Callable[..., Any], int, int]:
    """The function behind ``name`` and its required/total argument counts."""
    found = _functions().get(name.upper())
    if found is None:
        raise Unsupported(f"统计助手没有函数 {name}（请检查拼写，或升级统计助手）")
    return found


def host_argument(value: Any) -> Any:
    """An evaluated argument as xlwings passes it to the add-in (raw values)."""
    if isinstance(value, Array):
        if value.height == 1 and value.width == 1:
            return host_argument(value.rows[0][0])
        return [[_cell(cell) for cell in row] for row in value.rows]
    return _cell(value)


def _cell(cell: Any) -> Any:
    if isinstance(cell, XLError):
        return cell.literal
    return cell


def _error(found: Reason, detail: str | None) -> XLError:
    """An error element as the evaluator's error value (the message is not kept in a cell)."""
    return XLError(found.error.literal)


def result_value(result: Computed) -> Any:
    """A :class:`udfs.core.Computed` as a cell value or an :class:`Array` of them."""
    from udfs.core import to_cells

    cells = to_cells(result, _error, blank=_BLANK_RESULT, rows=True)
    return cells if result.values.ndim == 0 else Array.of(cells)


def call(name: str, args: list[Any]) -> Any:
    function, required, total = signature(name)
    if not required <= len(args) <= total:
        raise Unsupported(
            f"{name} 的参数个数不对（应为 {required}–{total} 个，公式中为 {len(args)} 个）"
        )
    return result_value(function(*[host_argument(a) for a in args]))
