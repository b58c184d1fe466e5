"""Whole columns of the same formula computed at once: ``TJ_`` calls, arithmetic, RANK.

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
left to the cell-by-cell evaluation. ROUND of such arithmetic and SUM over a few cells of each
row (``=SUM(B5:D5)``) run on columns too.

``=RANK(B5,$B$2:$B$21)`` filled down (RANK.EQ, RANK.AVG; the order, if given, a constant) is
one search of the range's sorted numbers for the whole column
(:func:`workbooks.formula.functions.rank_column`), element by element what RANK gives cell by
cell; a member whose value is not a number or blank is left to the cell-by-cell evaluation.

The evaluator hands a group over once every cell its members read has been computed (all
members are on the same level of the dependency order). This module reads those cells a
column at a time (:class:`Store`: straight from the results and the sheets' constants, each
cell exactly as :meth:`Cells.cell` gives it) and never evaluates anything itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, InvalidOperation
from itertools import compress, repeat
from operator import add, and_
from typing import Any, Protocol

import numpy as np

from workbooks.formula import functions, tj
from workbooks.formula.model import Key, Sheet
from workbooks.formula.parser import Node
from workbooks.formula.tokens import RefToken, bare_name
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
#: RANK of a single cell within one fixed range (RANK.EQ, RANK.AVG alike).
RANKING = "RANK:"
_RANKS = frozenset(("RANK", "RANK.EQ", "RANK.AVG"))
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
    ranking = _ranking(node)
    if ranking is not None:
        return RANKING, ranking
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


def _ranking(node: Node) -> list[Spec] | None:
    """``RANK(B5,$B$2:$B$21)`` (RANK.EQ, RANK.AVG; the order, if given, written as a constant):
    the specs of the plan — the cell, the range, the order and the function — else None."""
    if node[0] != "call" or not 2 <= len(node[2]) <= 3:
        return None
    name = bare_name(node[1])
    if name not in _RANKS:
        return None
    value, area = node[2][:2]
    order: Node = node[2][2] if len(node[2]) == 3 else ("omitted",)
    if value[0] != "ref" or not value[1].single or area[0] != "ref":
        return None
    token: RefToken = area[1]
    bounds = (token.first_row, token.first_col, token.last_row, token.last_col)
    if token.single or not all(b is not None and b.absolute for b in bounds):
        return None
    if order[0] not in ("number", "string", "bool", "omitted"):
        return None
    constant = None if order[0] == "omitted" else order[1]
    return [("cell", value[1]), ("range", token), ("const", constant), ("function", name)]


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


class _FailedCell:
    """In a gathered column: the cell failed (reading it raised :class:`Failed`)."""

    __slots__ = ()


FAILED = _FailedCell()
_MISSING = object()
_NUMBERS = frozenset((float,))
_NUMBERS_OR_BLANKS = frozenset((float, type(None)))


class Store:
    """The computed cells a group reads, in bulk: each read gives what
    :meth:`Cells.cell` gives for that cell (:data:`FAILED` where it raises :class:`Failed`).

    A cell that holds no formula (and is no member of an array formula's range) is read from
    its sheet's constants; a formula cell from the results, and one not there from
    :meth:`Cells.cell` (which raises for a cell read before it was evaluated: a bug). The
    sheets must not change while the store is in use (one evaluation)."""

    __slots__ = ("_plain", "cells", "functions", "members", "results", "sheets")

    def __init__(
        self,
        cells: Cells,
        results: Mapping[Key, Any],
        sheets: Mapping[str, Sheet],
        members: Mapping[Key, Key],
        functions: Mapping[str, Callable[..., Any]],
        plain: dict[str, bool] | None = None,
    ):
        self.cells, self.results, self.sheets = cells, results, sheets
        self.members, self.functions = members, functions
        #: :meth:`plain` by sheet, worked out once (the evaluator keeps it between stores)
        self._plain: dict[str, bool] = {} if plain is None else plain

    def plain(self, sheet: str) -> bool:
        """Whether no constant of the sheet shares its cell with a formula or an array
        formula's range (as in every file a spreadsheet writes): then a constant found for a
        cell is that cell's value."""
        found = self._plain.get(sheet)
        if found is None:
            data = self.sheets[sheet]
            constants = data.constants
            found = self._plain[sheet] = constants.keys().isdisjoint(data.formulas.keys()) and (
                not any(key[0] == sheet and key[1:] in constants for key in self.members)
            )
        return found

    def read(self, sheet: str, rows: Sequence[int], cols: Sequence[int]) -> list[Any]:
        """The values of the cells (sheet, rows[i], cols[i])."""
        if not rows:
            return []
        data = self.sheets[sheet]
        members = self.members
        formula_first = (rows[0], cols[0]) in data.formulas or (
            members and (sheet, rows[0], cols[0]) in members
        )
        if not formula_first and self.plain(sheet):
            values = list(map(data.constants.get, zip(rows, cols, strict=True), repeat(_MISSING)))
        else:
            # a computed value is what reading the cell gives; the rest is completed below
            keys = zip(repeat(sheet), rows, cols)
            values = list(map(self.results.get, keys, repeat(_MISSING)))
        if object in set(map(type, values)):
            self._complete(data, rows, cols, values)
        return values

    def _complete(
        self, data: Sheet, rows: Sequence[int], cols: Sequence[int], values: list[Any]
    ) -> None:
        """``values`` where neither the results nor the constants gave one: what
        :meth:`Cells.cell` gives (:data:`FAILED` for a failed cell)."""
        sheet, formulas, constants, members = data.name, data.formulas, data.constants, self.members
        results = self.results
        for i, value in enumerate(values):
            if value is not _MISSING:
                continue
            key = (sheet, rows[i], cols[i])
            found = results.get(key, _MISSING)
            if found is not _MISSING:
                values[i] = found
            elif key[1:] not in formulas and key not in members:
                values[i] = constants.get(key[1:])
            else:
                try:
                    values[i] = self.cells.cell(*key)
                except Failed:
                    values[i] = FAILED


#: :func:`block` reads a large range this many cells at a time (bounded temporary lists).
_BLOCK_CELLS = 4096


def block(store: Store, sheet: str, r1: int, c1: int, r2: int, c2: int) -> tuple[Any, ...]:
    """The cells r1..r2 × c1..c2 of ``sheet``, row by row (a tuple of row tuples), each as
    :meth:`Cells.cell` gives it; raises :class:`Failed` for the first failed cell in reading
    order, as reading them one by one does."""
    width = c2 - c1 + 1
    if r2 < r1 or width < 1:
        return ()
    step = max(1, _BLOCK_CELLS // width)
    out: list[tuple[Any, ...]] = []
    for top in range(r1, r2 + 1, step):
        bottom = min(r2, top + step - 1)
        rows = [r for r in range(top, bottom + 1) for _ in range(width)]
        cols = list(range(c1, c2 + 1)) * (bottom - top + 1)
        values = store.read(sheet, rows, cols)
        if _FailedCell in set(map(type, values)):
            first = next(i for i, value in enumerate(values) if value is FAILED)
            store.cells.cell(sheet, rows[first], cols[first])  # raises Failed
            raise AssertionError("a failed cell read without failing")  # pragma: no cover
        if width == 1:
            out.extend(zip(values))
        else:
            out.extend(tuple(values[k : k + width]) for k in range(0, len(values), width))
    return tuple(out)


class _Group:
    """The members of a group as columns: sheets, rows and columns of the formula cells."""

    __slots__ = ("cols", "keys", "rows", "sheet", "sheets")

    def __init__(self, keys: list[Key]):
        self.keys = keys
        sheets, rows, cols = zip(*keys, strict=True)
        self.sheets: tuple[str, ...] = sheets
        self.rows: tuple[int, ...] = rows
        self.cols: tuple[int, ...] = cols
        first = sheets[0]
        #: the one sheet of every member, or None when they are on several
        self.sheet: str | None = first if sheets.count(first) == len(sheets) else None


def _offset(values: tuple[int, ...], bound: Any) -> list[int]:
    """``bound`` (value, absolute) resolved from each of ``values``."""
    value, absolute = bound
    if absolute:
        return [value] * len(values)
    if value == 0:
        return list(values)
    return list(map(add, values, repeat(value)))


def _gather(
    store: Store, group: _Group, target: str | None, rows: list[int], cols: list[int]
) -> list[Any]:
    """The cells (target or the member's own sheet, rows[i], cols[i]) for each member i."""
    sheet = target or group.sheet
    if sheet is not None:
        return store.read(sheet, rows, cols)
    out: list[Any] = [None] * len(rows)
    for each in set(group.sheets):
        where = [i for i, name in enumerate(group.sheets) if name == each]
        found = store.read(each, [rows[i] for i in where], [cols[i] for i in where])
        for i, value in zip(where, found, strict=True):
            out[i] = value
    return out


def _targets(store: Store, tokens: list[RefToken]) -> list[str | None] | None:
    """The sheet each reference names (None: the formula's own); None if one is missing."""
    out: list[str | None] = []
    for token in tokens:
        if token.sheet is None:
            out.append(None)
            continue
        target = store.cells.sheet_named(token.sheet)
        if target is None:
            return None  # a missing sheet: #REF! cell by cell
        out.append(target)
    return out


def _cell_columns(store: Store, group: _Group, tokens: list[RefToken]) -> list[list[Any]] | None:
    """The value of each single-cell reference from every member, as columns; None when a
    reference names a missing sheet."""
    targets = _targets(store, tokens)
    if targets is None:
        return None
    return [
        _gather(
            store,
            group,
            target,
            _offset(group.rows, token.first_row),
            _offset(group.cols, token.first_col),
        )
        for target, token in zip(targets, tokens, strict=True)
    ]


def _as_numbers(column: list[Any]) -> tuple[list[float], list[bool] | None]:
    """A column as arithmetic reads it (a blank is 0) and, unless every cell is a number or a
    blank, where it is (text, logicals, errors and failed cells go cell by cell)."""
    kinds = set(map(type, column))
    if kinds <= _NUMBERS:
        return column, None
    if kinds <= _NUMBERS_OR_BLANKS:
        return [0.0 if value is None else value for value in column], None
    usable = [type(value) is float or value is None for value in column]
    return [value if type(value) is float else 0.0 for value in column], usable


def _arithmetic_columns(
    store: Store, node: Node, keys: list[Key]
) -> tuple[list[Key], list[Any], list[bool]] | None:
    """The members whose inputs are all numbers or blanks, the values of ``node`` there and
    whether each equals the cell-by-cell result; None when too few members are left."""
    group = _Group(keys)
    found = _cell_columns(store, group, _refs(node))
    if found is None:
        return None
    columns: list[list[float]] = []
    usable: list[bool] | None = None
    for column in found:
        numbers, where = _as_numbers(column)
        columns.append(numbers)
        if where is not None:
            usable = where if usable is None else list(map(and_, usable, where))
    rows = keys
    if usable is not None:
        rows = list(compress(keys, usable))
        columns = [list(compress(column, usable)) for column in columns]
    if len(rows) < MIN_GROUP:
        return None
    with np.errstate(all="ignore"):
        result, good = _outcomes(node, [np.array(c, dtype=float) for c in columns], len(rows))
    return rows, result, good.tolist()


def _run_arithmetic(store: Store, node: Node, keys: list[Key]) -> dict[Key, Any]:
    found = _arithmetic_columns(store, node, keys)
    if found is None:
        return {}
    rows, result, good = found
    return dict(compress(zip(rows, result, strict=True), good))


def _run_rounding(store: Store, specs: list[Spec], keys: list[Key]) -> dict[Key, Any]:
    """ROUND of a column: the arithmetic at once, then each number rounded as the cell-by-cell
    ROUND rounds it (half away from zero on its 15 significant digits,
    :func:`workbooks.formula.functions.decimal_rounder`)."""
    found = _arithmetic_columns(store, specs[0][1], keys)
    if found is None:
        return {}
    rounded = functions.decimal_rounder(specs[1][1], specs[2][1])
    out: dict[Key, Any] = {}
    for key, value, ok in zip(*found, strict=True):
        if ok:
            try:
                out[key] = rounded(value)
            except InvalidOperation:  # more digits than decimal holds: cell by cell
                continue
    return out


def _sum_numbers(row: tuple[Any, ...]) -> list[float] | None:
    """The numbers SUM adds from a member's range cells (blanks, text and logicals passed
    over); None when a cell is an error or failed (cell by cell)."""
    numbers: list[float] = []
    for value in row:
        if type(value) is float:
            numbers.append(value)
        elif isinstance(value, (XLError, _FailedCell)):
            return None
        elif isinstance(value, int) and not isinstance(value, bool):
            numbers.append(float(value))
    return numbers


def _finite_sum(row: tuple[Any, ...]) -> float | None:
    """SUM of a member's range cells as the single-cell SUM gives it (``math.fsum`` of
    :func:`_sum_numbers`); None — left to the cell-by-cell evaluation — for an error or a
    failed cell, an intermediate overflow or a total that is not finite."""
    numbers = _sum_numbers(row)
    if numbers is None:
        return None
    try:
        total = math.fsum(numbers)
    except OverflowError:  # an intermediate overflow
        return None
    return total if math.isfinite(total) else None


def _fixed_size(token: RefToken) -> bool:
    """Whether the range has the same size from every cell (both rows, and both columns,
    absolute or both relative)."""
    assert token.last_row is not None and token.last_col is not None
    return (
        token.first_row.absolute == token.last_row.absolute
        and token.first_col.absolute == token.last_col.absolute
    )


def _run_sum(store: Store, specs: list[Spec], keys: list[Key]) -> dict[Key, Any]:
    """SUM over small bounded ranges for each member: the numbers of the ranges (text,
    logicals and blanks in a range are passed over, as SUM does), summed exactly rounded
    (``math.fsum``, as the cell-by-cell SUM); a member whose ranges hold an error, or whose
    sum is not finite, is left to the cell-by-cell evaluation. Ranges of the same size from
    every member are read as columns, one per cell of the range."""
    tokens: list[RefToken] = [token for _, token in specs]
    if not all(_fixed_size(token) for token in tokens):
        return _run_sum_one_by_one(store.cells, tokens, keys)
    targets = _targets(store, tokens)
    if targets is None:
        return {}
    group = _Group(keys)
    usable: list[bool] | None = None
    columns: list[list[Any]] = []
    for target, token in zip(targets, tokens, strict=True):
        assert token.last_row is not None and token.last_col is not None
        first_rows = _offset(group.rows, token.first_row)
        last_rows = _offset(group.rows, token.last_row)
        first_cols = _offset(group.cols, token.first_col)
        last_cols = _offset(group.cols, token.last_col)
        height = abs(last_rows[0] - first_rows[0]) + 1
        width = abs(last_cols[0] - first_cols[0]) + 1
        if height * width > _SUM_CELLS:
            return {}
        tops = list(map(min, first_rows, last_rows))
        lefts = list(map(min, first_cols, last_cols))
        if min(tops) < 1 or min(lefts) < 1:  # off the grid from some members: cell by cell
            inside = [top >= 1 and left >= 1 for top, left in zip(tops, lefts, strict=True)]
            usable = inside if usable is None else list(map(and_, usable, inside))
            tops = [max(top, 1) for top in tops]
            lefts = [max(left, 1) for left in lefts]
        for i in range(height):
            rows = tops if i == 0 else list(map(add, tops, repeat(i)))
            for j in range(width):
                cols = lefts if j == 0 else list(map(add, lefts, repeat(j)))
                columns.append(_gather(store, group, target, rows, cols))
    members = keys
    if usable is not None:
        members = list(compress(keys, usable))
        columns = [list(compress(column, usable)) for column in columns]
    if all(set(map(type, column)) <= _NUMBERS for column in columns):
        try:
            totals = list(map(math.fsum, zip(*columns, strict=True)))
        except OverflowError:  # an intermediate overflow somewhere: member by member
            pass
        else:
            finite = list(map(math.isfinite, totals))
            return dict(compress(zip(members, totals, strict=True), finite))
    out: dict[Key, Any] = {}
    for key, row in zip(members, zip(*columns, strict=True), strict=True):
        total = _finite_sum(row)
        if total is not None:
            out[key] = total
    return out


def _run_sum_one_by_one(cells: Cells, tokens: list[RefToken], keys: list[Key]) -> dict[Key, Any]:
    """:func:`_run_sum` for ranges whose size differs from member to member."""
    out: dict[Key, Any] = {}
    for key in keys:
        sheet, row, col = key
        values: list[Any] = []
        try:
            for token in tokens:
                assert token.last_row is not None and token.last_col is not None
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
                        values.append(cells.cell(target, r, c))
        except (Failed, Unsupported):
            continue
        total = _finite_sum(tuple(values))
        if total is not None:
            out[key] = total
    return out


def _run_rank(store: Store, specs: list[Spec], keys: list[Key]) -> dict[Key, Any]:
    """RANK (RANK.EQ, RANK.AVG) of each member's number within one fixed range, all at once
    (:func:`workbooks.formula.functions.rank_column`); a member whose value is not a number or
    a blank, or sits off the grid, is left to the cell-by-cell evaluation, and so is the whole
    group when a cell of the range failed."""
    name = specs[3][1]
    if store.functions.get(name) is not functions.EAGER[name]:
        return {}  # the engine computes RANK with other functions
    value: RefToken = specs[0][1]
    area: RefToken = specs[1][1]
    targets = _targets(store, [value, area])
    if targets is None:
        return {}
    group = _Group(keys)
    sheet = targets[1] or group.sheet
    assert area.last_row is not None and area.last_col is not None
    bounds = (area.first_row.value, area.first_col.value, area.last_row.value, area.last_col.value)
    if sheet is None or min(bounds) < 1:
        return {}
    rows, cols = _offset(group.rows, value.first_row), _offset(group.cols, value.first_col)
    column = _gather(store, group, targets[0], rows, cols)
    usable = [
        (type(x) is float or x is None) and row >= 1 and col >= 1
        for x, row, col in zip(column, rows, cols, strict=True)
    ]
    members = list(compress(keys, usable))
    if len(members) < MIN_GROUP:
        return {}
    numbers = [0.0 if x is None else x for x in compress(column, usable)]
    try:
        within = store.cells.range(sheet, *bounds)
    except Failed:
        return {}
    ranks = functions.rank_column(numbers, within, specs[2][1], name == "RANK.AVG")
    if ranks is None:
        return {}
    return dict(zip(members, ranks, strict=True))


def run_group(store: Store, found: Plan, keys: list[Key]) -> dict[Key, Any]:
    """The values of the formula cells ``keys`` (all of shape ``found``) computed in one call;
    empty when the group is better left to cell-by-cell evaluation. Members whose arguments
    cannot be read are left out (they fail on their own)."""
    name, specs = found
    if name == ARITHMETIC:
        return _run_arithmetic(store, specs[0][1], keys)
    if name == ROUNDING:
        return _run_rounding(store, specs, keys)
    if name == SUM_RANGES:
        return _run_sum(store, specs, keys)
    if name == RANKING:
        return _run_rank(store, specs, keys)
    cells = store.cells
    function, required, _ = tj.signature(name)
    optional = set(range(required, len(specs)))
    read = [(position, spec) for position, (kind, spec) in enumerate(specs) if kind == "cell"]
    found = _cell_columns(store, _Group(keys), [spec for _, spec in read])
    if found is None:
        return {}
    rows: list[Key] = []
    columns: list[list[Any]] = [[] for _ in specs]
    host = tj.host_argument
    for i, key in enumerate(keys):
        values = []
        for (position, _), column in zip(read, found, strict=True):
            value = column[i]
            if value is FAILED:  # the member fails on its own
                break
            if position in optional and (value is None or value == ""):
                return {}  # an omitted option changes the meaning: leave the group alone
            values.append((position, value))
        else:
            rows.append(key)
            for position, value in values:
                columns[position].append([host(value)])
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


__all__ = [
    "ARITHMETIC",
    "FAILED",
    "MIN_GROUP",
    "RANKING",
    "Cells",
    "Plan",
    "Store",
    "block",
    "plan",
    "run_group",
]
