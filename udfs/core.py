"""The shared machinery of every indicator function: cleaned arguments, broadcasting, results.

A computation returns a :class:`Computed` — float values and reason codes of one shape, plus the
details of the few messages that quote the user's text. :func:`to_cells` turns it into cell
values for any host: plain Python (:func:`to_python`), Excel (:mod:`udfs.excel`) and the
formula engine each pass their own maker of error cells. Arguments broadcast the way Excel does
for same-shaped ranges or a range against a single cell (a row against a column gives the full
table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from types import MappingProxyType
from typing import Any, NamedTuple, ParamSpec

import numpy as np

from udfs.errors import BLANK, OK, CellError, ExcelError, Reason, describe, first_problem, reason

P = ParamSpec("P")

#: No element carries a detail (the common case).
NO_DETAILS: Mapping[int, str] = MappingProxyType({})


class Computed(NamedTuple):
    """Values (float64, NaN where not computed), reason codes (int16, 0 = computed) and the
    details of the elements whose reason quotes the user's text: flat index (C order) → text."""

    values: np.ndarray
    codes: np.ndarray
    details: Mapping[int, str] = NO_DETAILS


_SHAPES = reason(ExcelError.VALUE, "区域大小不一致：{}（应同样大小，或其中一个为单个单元格）")


class ShapeMismatch(ValueError):
    """Ranges of incompatible shapes; the message (Chinese) names them, ``detail`` is the part
    naming the ranges."""

    def __init__(self, detail: str):
        super().__init__(describe(_SHAPES).text(detail))
        self.detail = detail


def shape_text(shape: tuple[int, ...]) -> str:
    if len(shape) == 0:
        return "单个值"
    if len(shape) == 1:
        return f"{shape[0]}个值"
    return f"{shape[0]}行{shape[1]}列"


def aligned(*args: tuple[str, Computed]) -> tuple[list[np.ndarray], np.ndarray, Mapping[int, str]]:
    """Broadcast cleaned arguments ``(label, Computed)`` against each other.

    Returns the broadcast value arrays, the combined codes (first problem wins, in argument
    order) and the details of the problems kept. Raises :class:`ShapeMismatch` when the ranges
    cannot be lined up.
    """
    shapes = [c.values.shape for _, c in args]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        parts = "、".join(
            f"「{label}」{shape_text(s)}" for (label, _), s in zip(args, shapes, strict=True)
        )
        raise ShapeMismatch(parts) from None
    values = [np.broadcast_to(c.values, shape) for _, c in args]
    codes = [np.broadcast_to(c.codes, shape) for _, c in args]
    details: Mapping[int, str] = NO_DETAILS
    if any(c.details for _, c in args):
        details = _kept_details(shape, [c for _, c in args], codes)
    return values, first_problem(*codes), details


def _kept_details(
    shape: tuple[int, ...], args: list[Computed], codes: list[np.ndarray]
) -> dict[int, str]:
    """The details of the broadcast result: an element keeps the detail of the argument whose
    problem it reports (the first argument with one)."""
    out: dict[int, str] = {}
    unclaimed = np.ones(shape, dtype=bool)  # no earlier argument has a problem here
    for arg, broadcast in zip(args, codes, strict=True):
        problem = broadcast != OK
        if arg.details:
            source = np.broadcast_to(np.arange(arg.codes.size).reshape(arg.codes.shape), shape)
            kept = unclaimed & problem
            for flat, src in zip(np.flatnonzero(kept).tolist(), source[kept].tolist(), strict=True):
                detail = arg.details.get(src)
                if detail is not None:
                    out[flat] = detail
        unclaimed &= ~problem
    return out


_NOT_FINITE = reason(ExcelError.NUM, "计算结果超出数值范围")


def finish(
    values: np.ndarray, codes: np.ndarray, details: Mapping[int, str] = NO_DETAILS
) -> Computed:
    """Blank out values wherever a reason was recorded (never a stray 0 or inf)."""
    codes = np.where((codes == OK) & ~np.isfinite(values), np.int16(_NOT_FINITE), codes)
    values = np.where(codes == OK, values, np.nan)
    return Computed(values, codes.astype(np.int16), details)


def error_everywhere(code: int, detail: str | None = None) -> Computed:
    """A single error value (shape mismatch, unreadable option): one cell, not a spill."""
    return Computed(
        np.array(np.nan),
        np.array(code, dtype=np.int16),
        NO_DETAILS if detail is None else {0: detail},
    )


def shape_error(exc: ShapeMismatch) -> Computed:
    """The single ``#VALUE!`` of ranges that cannot be lined up."""
    return error_everywhere(_SHAPES, exc.detail)


def to_cells(
    result: Computed,
    error: Callable[[Reason, str | None], Any],
    blank: Any = None,
    *,
    rows: bool = False,
) -> Any:
    """A :class:`Computed` as cell values: ``values.tolist()`` (a float — or a phrase's text —
    for 0-d, else nested lists of the same shape) with each error element replaced by ``error(reason, detail)`` and
    each deliberate blank by ``blank``. With ``rows`` a 1-D result is laid out as a column of
    rows, the way a worksheet receives a list.

    The one conversion behind every host — the public Python functions (:class:`CellError`),
    Excel (:mod:`udfs.excel`: Office.js error objects or classic markers) and the formula
    engine — so each only says how it writes an error. Only the error cells are visited; an
    error without a detail is made once per code.
    """
    values, codes, details = result
    if rows and values.ndim == 1:
        values, codes = values.reshape(-1, 1), codes.reshape(-1, 1)
    if values.ndim == 0:
        code = int(codes)
        if code == OK:
            return values.item()  # a float (text for the phrase functions)
        if code == BLANK:
            return blank
        return error(describe(code), details.get(0))
    cells = values.tolist()
    bad = np.nonzero(codes)
    if not bad[0].size:
        return cells
    flat = np.ravel_multi_index(bad, codes.shape).tolist() if details else None
    cache: dict[int, Any] = {BLANK: blank}
    positions = zip(*(axis.tolist() for axis in bad), strict=True)
    for n, (index, code) in enumerate(zip(positions, codes[bad].tolist(), strict=True)):
        detail = details.get(flat[n]) if flat is not None else None
        if detail is not None:
            cell = error(describe(code), detail)
        elif code in cache:
            cell = cache[code]
        else:
            cell = cache[code] = error(describe(code), None)
        target = cells
        for k in index[:-1]:
            target = target[k]
        target[index[-1]] = cell
    return cells


def python_error(found: Reason, detail: str | None) -> CellError:
    """An error element of the public Python functions."""
    return CellError(found.error, found.text(detail))


def to_python(result: Computed) -> Any:
    """Plain Python: a float, a :class:`CellError`, ``None`` (deliberate blank), or an object
    ndarray of those, keeping each element's own error."""
    cells = to_cells(result, python_error, None)
    if result.values.ndim == 0:
        return cells
    out = np.empty(result.values.shape, dtype=object)
    out[...] = cells
    return out


def public(kernel: Callable[P, Computed]) -> Callable[P, Any]:
    """Wrap a kernel returning :class:`Computed` as a plain-Python public function."""

    @wraps(kernel)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            with np.errstate(all="ignore"):
                return to_python(kernel(*args, **kwargs))
        except ShapeMismatch as exc:
            return to_python(shape_error(exc))

    wrapper.kernel = kernel  # type: ignore[attr-defined]
    return wrapper


def rule(error: ExcelError, message: str) -> int:
    """Register a computation-specific reason (alias kept short for the formula modules)."""
    return reason(error, message)


__all__ = [
    "NO_DETAILS",
    "Computed",
    "ShapeMismatch",
    "aligned",
    "error_everywhere",
    "finish",
    "public",
    "rule",
    "shape_error",
    "to_cells",
    "to_python",
]
