"""Whole columns of the same formula computed at once: ``TJ_`` calls and plain arithmetic.

``=TJ_GROWTH(B5,C5)`` down 6,000 rows is one shape. Instead of 6,000 calls, the arguments of
all those cells are gathered into columns and the function runs once — the same vectorised
computation Excel's spilled ``=TJ_GROWTH(B2:B6001,C2:C6001)`` would do, element by element
identical to the single-cell results. Only simple shapes are batched: every argument a single
cell, a constant, or (for the peers of ``TJ_RANK``) one fixed range; anything else, and any
cell whose arguments cannot be read, is left to the cell-by-cell evaluation.

Plain arithmetic on single cells and numbers (``=(B5/C5-1)*100``: ``+ - * /``, sign, ``%``)
runs as NumPy operations on whole columns. Each IEEE operation is the one the single-cell
evaluation does, in the same order, so the results are the same to the last bit; a cell whose
inputs are not all numbers or blanks, or whose result is not finite (a division by zero), is left
to the cell-by-cell evaluation, which gives Excel's coercions and error values.

An IF that chooses between constants and such arithmetic by comparing two of them
(``=IF(B5>=D5*0.75,"达标",D5-B5)``) runs the same way: both sides of the comparison as columns,
compared as the single-cell evaluation compares (numbers equal within the last bits are equal),
each cell taking its branch; a cell whose comparison or chosen branch is not a finite number is
left to the cell-by-cell evaluation.

The evaluator hands a group over once every cell its members read has been computed (all
members are on the same level of the dependency order); this module reads those cells through
the small :class:`Cells` interface and never evaluates anything itself.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, InvalidOperation
from typing import Any, Protocol

import numpy as np

from workbooks.formula import tj
from workbooks.formula.model import Key
from workbooks.formula.parser import Node
from workbooks.formula.tokens import RefToken
from workbooks.formula.values import Failed, Unsupported, XLError

MIN_GROUP = 8
#: Arguments that must be one value for the whole call (options), by function.
_FIXED = {"TJ_RANK": (1, 2, 3)}

Spec = tuple[str, Any]
Plan = tuple[str, list[Spec]]


class Cells(Protocol):
    """Read access to computed cells (the evaluator)."""

    def sheet_named(self, name: str) -> str | None: ...

    def cell(self, sheet: str, row: int, col: int) -> Any: ...

    def range(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> Any: ...


#: The plan name of plain arithmetic (its one spec holds the parsed formula).
ARITHMETIC = "="
#: ROUND/ROUNDUP/ROUNDDOWN of plain arithmetic to a constant number of digits.
ROUNDING = "ROUND="
#: SUM of bounded ranges (``SUM(B5:D5)``), each range read cell by cell.
SUM_RANGES = "SUM:"
_ARITHMETIC_OPS = frozenset("+-*/")
_ROUNDING_MODES = {"ROUND": ROUND_HALF_UP, "ROUNDUP": ROUND_UP, "ROUNDDOWN": ROUND_DOWN}
#: Ranges of a batched SUM hold at most this many cells (larger ones: memoised cell by cell).
_SUM_CELLS = 256


def plan(node: Node) -> Plan | None:
    """(function, argument specs) when the parsed formula is one ``TJ_`` call of batchable
    shape, or plain arithmetic on single cells (:data:`ARITHMETIC`), or an IF choosing
    between constants and such arithmetic by comparing two of them."""
    if (_arithmetic(node) or _choice(node)) and _refs(node):
        return ARITHMETIC, [("expr", node)]
    rounding = _rounding(node)
    if rounding is not None:
        return ROUNDING, rounding
    if node[0] == "call" and node[1] == "SUM" and node[2]:
        tokens = [arg[1] for arg in node[2] if arg[0] == "ref" and not arg[1].single]
        if len(tokens) == len(node[2]) and all(_bounded(t) for t in tokens):
            return SUM_RANGES, [("range", t) for t in tokens]
    if node[0] != "call" or not tj.is_tj(node[1]):
        return None
    name = node[1].upper()
    try:
        _, required, total = tj.signature(name)
    except Unsupported:
        return None
    if not required <= len(node[2]) <= total:
        return None
    specs = []
    for position, arg in enumerate(node[2]):
        spec = _spec(arg)
        if spec is None:
            return None
        if spec[0] == "cell" and position in _FIXED.get(name, ()):
            return None
        specs.append(spec)
    if not any(kind == "cell" for kind, _ in specs):
        return None
    return name, specs


def _spec(arg: Node) -> Spec | None:
    kind = arg[0]
    if kind in ("number", "string", "bool"):
        return ("const", arg[1])
    if kind == "omitted":
        return ("const", None)
    if kind == "ref":
        token: RefToken = arg[1]
        if token.single:
            return ("cell", token)
        bounds = (token.first_row, token.first_col, token.last_row, token.last_col)
        if all(b is not None and b.absolute for b in bounds):
            return ("range", token)
    return None


def _bounded(token: RefToken) -> bool:
    return token.last_row is not None and token.last_col is not None


def _rounding(node: Node) -> list[Spec] | None:
    """``ROUND(arithmetic, digits)`` (ROUNDUP, ROUNDDOWN) with the digits a number written in
    the formula: the specs of the plan, else None."""
    if node[0] != "call" or node[1] not in _ROUNDING_MODES or len(node[2]) != 2:
        return None
    value, digits = node[2]
    sign = 1.0
    if digits[0] == "neg":
        sign, digits = -1.0, digits[1]
    if digits[0] != "number" or not _arithmetic(value) or not _refs(value):
        return None
    return [
        ("expr", value),
        ("digits", sign * float(digits[1])),
        ("mode", _ROUNDING_MODES[node[1]]),
    ]


def _arithmetic(node: Node) -> bool:
    kind = node[0]
    if kind == "number":
        return True
    if kind == "ref":
        return node[1].single
    if kind in ("neg", "plus", "percent"):
        return _arithmetic(node[1])
    if kind == "binary":
        return node[1] in _ARITHMETIC_OPS and _arithmetic(node[2]) and _arithmetic(node[3])
    return False


_COMPARISONS = frozenset(("=", "<>", "<", ">", "<=", ">="))


def _choice(node: Node) -> bool:
    """``IF(x >= y, a, b)``: x, y arithmetic; a, b arithmetic or constants."""
    if node[0] != "call" or node[1] != "IF" or len(node[2]) != 3:
        return False
    test, then, other = node[2]
    if test[0] != "binary" or test[1] not in _COMPARISONS:
        return False
    if not (_arithmetic(test[2]) and _arithmetic(test[3])):
        return False
    return all(_arithmetic(b) or b[0] in ("number", "string", "bool") for b in (then, other))


def _refs(node: Node) -> list[RefToken]:
    """The cell references of an arithmetic formula, in the order they are read."""
    kind = node[0]
    if kind == "call":  # an IF of :func:`_choice`
        return [ref for arg in node[2] for ref in _refs(arg)]
    if kind == "ref":
        return [node[1]]
    if kind in ("neg", "plus", "percent"):
        return _refs(node[1])
    if kind == "binary":
        return _refs(node[2]) + _refs(node[3])
    return []


def _vector(node: Node, columns: list[np.ndarray]) -> Any:
    """``node`` on whole columns (the next column for each reference, in reading order). A
    division by zero gives an infinity or NaN there, so it is never taken for a result."""
    kind = node[0]
    if kind == "number":
        return float(node[1])
    if kind == "ref":
        return columns.pop(0)
    if kind == "neg":
        return -_vector(node[1], columns)
    if kind == "percent":
        return _vector(node[1], columns) / 100
    if kind == "plus":
        return _vector(node[1], columns)
    op, left = node[1], _vector(node[2], columns)
    right = _vector(node[3], columns)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    return left / right


_E48 = 2.0**-48


def _approx_equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`workbooks.formula.operators._approx_equal`, element by element."""
    d, x, y = np.abs(a - b), np.abs(a), np.abs(b)
    close = (a != 0) & (b != 0) & np.isfinite(d) & (d <= x * _E48) & (d <= y * _E48)
    integers = (d == np.floor(d)) & (x == np.floor(x)) & (y == np.floor(y))
    integers &= np.maximum(x, y) < 2.0**53
    return (a == b) | (close & ~integers)


def _compare(op: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Excel's comparison of two number columns (equal within the last bits counts as equal)."""
    equal = _approx_equal(a, b)
    if op == "=":
        return equal
    if op == "<>":
        return ~equal
    if op == "<":
        return (a < b) & ~equal
    if op == ">":
        return (a > b) & ~equal
    if op == "<=":
        return (a < b) | equal
    return (a > b) | equal


def _branch(node: Node, columns: list[np.ndarray], size: int) -> tuple[list[Any], np.ndarray]:
    """A branch of IF on whole columns: its values and where they are numbers Excel shows."""
    if node[0] in ("string", "bool"):
        return [node[1]] * size, np.ones(size, dtype=bool)
    values = np.broadcast_to(np.asarray(_vector(node, columns), dtype=float), (size,))
    return values.tolist(), np.isfinite(values)


def _outcomes(node: Node, columns: list[np.ndarray], size: int) -> tuple[list[Any], np.ndarray]:
    """The values of ``node`` on whole columns and where they equal the cell-by-cell result
    (elsewhere: a division by zero, an overflow — left to the cell-by-cell evaluation)."""
    if node[0] != "call":
        return _branch(node, columns, size)
    test, then, other = node[2]
    left = np.broadcast_to(np.asarray(_vector(test[2], columns), dtype=float), (size,))
    right = np.broadcast_to(np.asarray(_vector(test[3], columns), dtype=float), (size,))
    chosen = _compare(test[1], left, right)
    a, a_good = _branch(then, columns, size)
    b, b_good = _branch(other, columns, size)
    good = np.isfinite(left) & np.isfinite(right) & np.where(chosen, a_good, b_good)
    return [x if c else y for x, y, c in zip(a, b, chosen.tolist(), strict=True)], good


def _read(cells: Cells, token: RefToken, key: Key) -> Any:
    """The value of the cell ``token`` names from the formula cell ``key``."""
    sheet, row, col = key
    target = sheet if token.sheet is None else cells.sheet_named(token.sheet)
    if target is None:
        raise Unsupported("missing sheet")
    return cells.cell(target, token.first_row.resolve(row), token.first_col.resolve(col))


def _arithmetic_columns(
    cells: Cells, node: Node, keys: list[Key]
) -> tuple[list[Key], list[Any], list[bool]] | None:
    """The members whose inputs are all numbers or blanks, the values of ``node`` there and
    whether each equals the cell-by-cell result; None when too few members are left."""
    refs = _refs(node)
    rows: list[Key] = []
    columns: list[list[float]] = [[] for _ in refs]
    # each reference as (sheet or None for the formula's own, row offset or absolute row,
    # whether absolute, the same for the column): resolved once, not per cell
    places = []
    for token in refs:
        target = None
        if token.sheet is not None:
            target = cells.sheet_named(token.sheet)
            if target is None:
                return None  # a missing sheet: #REF! cell by cell
        row_bound, col_bound = token.first_row, token.first_col
        places.append((target, *row_bound, *col_bound))
    cell = cells.cell
    for key in keys:
        sheet, row, col = key
        values = []
        try:
            for target, r, r_abs, c, c_abs in places:
                value = cell(target or sheet, r if r_abs else row + r, c if c_abs else col + c)
                if value is None:
                    value = 0.0
                elif type(value) is not float:  # text, logicals, errors: one by one
                    raise Unsupported("not a number")
                values.append(value)
        except (Failed, Unsupported):
            continue
        rows.append(key)
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    if len(rows) < MIN_GROUP:
        return None
    with np.errstate(all="ignore"):
        result, good = _outcomes(node, [np.array(c, dtype=float) for c in columns], len(rows))
    return rows, result, good.tolist()


def _run_arithmetic(cells: Cells, node: Node, keys: list[Key]) -> dict[Key, Any]:
    found = _arithmetic_columns(cells, node, keys)
    if found is None:
        return {}
    rows, result, good = found
    return {key: value for key, value, ok in zip(rows, result, good, strict=True) if ok}


def _run_rounding(cells: Cells, specs: list[Spec], keys: list[Key]) -> dict[Key, Any]:
    """ROUND of a column: the arithmetic at once, then each number rounded as the cell-by-cell
    ROUND rounds it (half away from zero on its 15 significant digits,
    :func:`workbooks.formula.functions._decimal_round`)."""
    from workbooks.formula.functions import _decimal_round

    found = _arithmetic_columns(cells, specs[0][1], keys)
    if found is None:
        return {}
    digits, mode = specs[1][1], specs[2][1]
    out: dict[Key, Any] = {}
    for key, value, ok in zip(*found, strict=True):
        if ok:
            try:
                out[key] = _decimal_round(value, digits, mode)
            except InvalidOperation:  # more digits than decimal holds: cell by cell
                continue
    return out


def _run_sum(cells: Cells, specs: list[Spec], keys: list[Key]) -> dict[Key, Any]:
    """SUM over small bounded ranges for each member: the numbers of the ranges (text,
    logicals and blanks in a range are passed over, as SUM does), summed exactly rounded
    (``math.fsum``, as the cell-by-cell SUM); a member whose ranges hold an error, or whose
    sum is not finite, is left to the cell-by-cell evaluation."""
    out: dict[Key, Any] = {}
    for key in keys:
        sheet, row, col = key
        numbers: list[float] = []
        try:
            for _, token in specs:
                target = sheet if token.sheet is None else cells.sheet_named(token.sheet)
                if target is None:
                    raise Unsupported("missing sheet")
                r1, r2 = token.first_row.resolve(row), token.last_row.resolve(row)
                c1, c2 = token.first_col.resolve(col), token.last_col.resolve(col)
                if r1 > r2:
                    r1, r2 = r2, r1
                if c1 > c2:
                    c1, c2 = c2, c1
                if r1 < 1 or c1 < 1 or (r2 - r1 + 1) * (c2 - c1 + 1) > _SUM_CELLS:
                    raise Unsupported("range")
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        value = cells.cell(target, r, c)
                        if type(value) is float:
                            numbers.append(value)
                        elif isinstance(value, XLError):
                            raise Unsupported("error in range")
                        elif isinstance(value, int) and not isinstance(value, bool):
                            numbers.append(float(value))
        except (Failed, Unsupported):
            continue
        try:
            total = math.fsum(numbers)
        except OverflowError:  # an intermediate overflow: cell by cell
            continue
        if math.isfinite(total):
            out[key] = total
    return out


def run_group(cells: Cells, found: Plan, keys: list[Key]) -> dict[Key, Any]:
    """The values of the formula cells ``keys`` (all of shape ``found``) computed in one call;
    empty when the group is better left to cell-by-cell evaluation. Members whose arguments
    cannot be read are left out (they fail on their own)."""
    name, specs = found
    if name == ARITHMETIC:
        return _run_arithmetic(cells, specs[0][1], keys)
    if name == ROUNDING:
        return _run_rounding(cells, specs, keys)
    if name == SUM_RANGES:
        return _run_sum(cells, specs, keys)
    function, required, _ = tj.signature(name)
    optional = set(range(required, len(specs)))
    rows: list[Key] = []
    columns: list[list[Any]] = [[] for _ in specs]
    for key in keys:
        values = []
        try:
            for position, (kind, spec) in enumerate(specs):
                if kind != "cell":
                    continue
                value = _read(cells, spec, key)
                if position in optional and (value is None or value == ""):
                    return {}  # an omitted option changes the meaning: leave the group alone
                values.append((position, value))
        except (Failed, Unsupported):
            continue
        rows.append(key)
        for position, value in values:
            columns[position].append([tj.host_argument(value)])
    if len(rows) < MIN_GROUP:
        return {}
    fixed: dict[int, Any] = {}
    for position, (kind, spec) in enumerate(specs):
        if kind == "const":
            fixed[position] = spec
        elif kind == "range":
            target = cells.sheet_named(spec.sheet) if spec.sheet is not None else None
            if spec.sheet is not None and target is None:
                return {}
            sheet = target or rows[0][0]
            if spec.sheet is None and any(key[0] != sheet for key in rows):
                return {}
            try:
                area = cells.range(
                    sheet,
                    spec.first_row.value,
                    spec.first_col.value,
                    spec.last_row.value,
                    spec.last_col.value,
                )
            except Failed:
                return {}
            fixed[position] = tj.host_argument(area)
    args = [fixed[p] if p in fixed else columns[p] for p in range(len(specs))]
    computed = function(*args)
    if computed.values.shape != (len(rows), 1):
        return {}
    result = tj.result_value(computed)
    return {key: result.rows[k][0] for k, key in enumerate(rows)}


__all__ = ["ARITHMETIC", "MIN_GROUP", "Cells", "Plan", "plan", "run_group"]
