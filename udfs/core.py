"""The shared machinery of every indicator function: cleaned arguments, broadcasting, results.

A computation returns a :class:`Computed` — float values and reason codes of one shape. The
public functions turn it into plain Python (:func:`to_python`); the Excel layer turns it into
cell values for its host. Arguments broadcast the way Excel does for same-shaped ranges or a
range against a single cell (a row against a column gives the full table).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple, ParamSpec

import numpy as np

from udfs.errors import BLANK, OK, CellError, ExcelError, describe, first_problem, reason

P = ParamSpec("P")


class Computed(NamedTuple):
    """Values (float64, NaN where not computed) and reason codes (int16, 0 = computed)."""

    values: np.ndarray
    codes: np.ndarray


class ShapeMismatch(ValueError):
    """Ranges of incompatible shapes; the message (Chinese) names them."""


def shape_text(shape: tuple[int, ...]) -> str:
    if len(shape) == 0:
        return "单个值"
    if len(shape) == 1:
        return f"{shape[0]}个值"
    return f"{shape[0]}行{shape[1]}列"


def aligned(
    *args: tuple[str, tuple[np.ndarray, np.ndarray]],
) -> tuple[list[np.ndarray], np.ndarray]:
    """Broadcast cleaned arguments ``(label, (values, codes))`` against each other.

    Returns the broadcast value arrays and the combined codes (first problem wins, in argument
    order). Raises :class:`ShapeMismatch` when the ranges cannot be lined up.
    """
    shapes = [v.shape for _, (v, _) in args]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        parts = "、".join(
            f"「{label}」{shape_text(s)}" for (label, _), s in zip(args, shapes, strict=True)
        )
        raise ShapeMismatch(
            f"区域大小不一致：{parts}（应同样大小，或其中一个为单个单元格）"
        ) from None
    values = [np.broadcast_to(v, shape) for _, (v, _) in args]
    codes = first_problem(*(np.broadcast_to(c, shape) for _, (_, c) in args))
    return values, codes


_NOT_FINITE = reason(ExcelError.NUM, "计算结果超出数值范围")


def finish(values: np.ndarray, codes: np.ndarray) -> Computed:
    """Blank out values wherever a reason was recorded (never a stray 0 or inf)."""
    codes = np.where((codes == OK) & ~np.isfinite(values), np.int16(_NOT_FINITE), codes)
    values = np.where(codes == OK, values, np.nan)
    return Computed(values, codes.astype(np.int16))


def error_everywhere(message: str, error: ExcelError = ExcelError.VALUE) -> Computed:
    """A single error value (shape mismatch, unreadable option): one cell, not a spill."""
    return Computed(np.array(np.nan), np.array(reason(error, message), dtype=np.int16))


def to_python(result: Computed) -> Any:
    """Plain Python: a float, a :class:`CellError`, ``None`` (deliberate blank), or an object
    ndarray of those, keeping each element's own error."""
    values, codes = result
    if values.ndim == 0:
        return _element(float(values), int(codes))
    out = values.astype(object)
    for index in zip(*np.nonzero(codes), strict=True):
        out[index] = _element(np.nan, int(codes[index]))
    return out


def _element(value: float, code: int) -> float | CellError | None:
    if code == OK:
        return value
    if code == BLANK:
        return None
    found = describe(code)
    return CellError(found.error, found.message)


def public(kernel: Callable[P, Computed]) -> Callable[P, Any]:
    """Wrap a kernel returning :class:`Computed` as a plain-Python public function."""

    @wraps(kernel)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            with np.errstate(all="ignore"):
                return to_python(kernel(*args, **kwargs))
        except ShapeMismatch as exc:
            return CellError(ExcelError.VALUE, str(exc))

    wrapper.kernel = kernel  # type: ignore[attr-defined]
    return wrapper


def rule(error: ExcelError, message: str) -> int:
    """Register a computation-specific reason (alias kept short for the formula modules)."""
    return reason(error, message)


__all__ = [
    "Computed",
    "ShapeMismatch",
    "aligned",
    "error_everywhere",
    "finish",
    "public",
    "rule",
    "to_python",
]
