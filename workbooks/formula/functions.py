"""The ordinary Excel functions the evaluator computes, grouped by family.

Eager functions receive evaluated arguments: single values, or :class:`Array` /
:class:`RangeArray` for ranges and array results. Each follows Excel's documented behaviour
(https://support.microsoft.com/excel-functions): for example SUM ignores text in a range but
converts text typed as an argument, ROUND rounds half away from zero.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from itertools import islice
from typing import Any

import numpy as np

from workbooks.formula.operators import compare
from workbooks.formula.values import (
    DIV0,
    NA,
    NUM,
    VALUE,
    Array,
    RangeArray,
    Unsupported,
    XLError,
    finite,
    number_text,
    to_bool,
    to_number,
    to_text,
)

EAGER: dict[str, Callable[..., Any]] = {}


def excel(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        for name in names:
            EAGER[name] = function
        return function

    return register


def scalar(value: Any) -> Any:
    """A single value from an argument (a one-cell range gives its value)."""
    if isinstance(value, Array):
        if value.height == 1 and value.width == 1:
            return value.rows[0][0]
        return VALUE
    return value


def number(value: Any) -> float | XLError:
    return to_number(scalar(value))


def _numbers(args: tuple[Any, ...], keep_text: bool = False) -> Iterator[float | XLError]:
    """Numbers of SUM-like functions: ranges give only their numbers, direct values convert."""
    for arg in args:
        if isinstance(arg, Array):
            for cell in arg.stored()[0]:  # blanks are skipped
                if isinstance(cell, XLError):
                    yield cell
                elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
                    yield float(cell)
        elif arg is None:
            continue
        else:
            yield to_number(arg)


def _collect(args: tuple[Any, ...]) -> list[float] | XLError:
    out: list[float] = []
    for item in _numbers(args):
        if isinstance(item, XLError):
            return item
        out.append(item)
    return out


def _fsum(numbers: Any) -> float:
    """The exactly rounded sum (``math.fsum``); an infinity — shown as #NUM! — when a partial
    sum overflows, as Excel's running sum does (``math.fsum`` raises then)."""
    try:
        return math.fsum(numbers)
    except OverflowError:
        return math.inf


# --- Math ---------------------------------------------------------------------------------


@excel("SUM")
def sum_(*args: Any) -> Any:
    found = _collect(args)
    return found if isinstance(found, XLError) else finite(_fsum(found))


@excel("AVERAGE")
def average(*args: Any) -> Any:
    found = _collect(args)
    if isinstance(found, XLError):
        return found
    return DIV0 if not found else finite(_fsum(found) / len(found))


@excel("MIN")
def min_(*args: Any) -> Any:
    found = _collect(args)
    return found if isinstance(found, XLError) else (min(found) if found else 0.0)


@excel("MAX")
def max_(*args: Any) -> Any:
    found = _collect(args)
    return found if isinstance(found, XLError) else (max(found) if found else 0.0)


def _kth(args: tuple[Any, Any], largest: bool) -> Any:
    found = _collect((args[0],))
    k = number(args[1])
    if isinstance(found, XLError):
        return found
    if isinstance(k, XLError):
        return k
    position = math.ceil(k)
    if not 1 <= position <= len(found):
        return NUM
    return sorted(found, reverse=largest)[position - 1]


EAGER["LARGE"] = lambda area, k: _kth((area, k), True)
EAGER["SMALL"] = lambda area, k: _kth((area, k), False)


@excel("COUNT")
def count(*args: Any) -> Any:
    return float(sum(1 for item in _numbers(args) if not isinstance(item, XLError)))


@excel("COUNTA")
def counta(*args: Any) -> Any:
    total = 0
    for arg in args:
        if isinstance(arg, Array):
            total += sum(1 for cell in arg.stored()[0] if cell is not None)
        else:
            total += 1
    return float(total)


@excel("COUNTBLANK")
def countblank(area: Any) -> Any:
    cells, blanks = area.stored() if isinstance(area, Array) else ([area], 0)
    return float(blanks + sum(1 for cell in cells if cell is None or cell == ""))


def decimal_rounder(digits: float, mode: str) -> Callable[[float], float]:
    """Excel's rounding of a number to ``digits`` places (``mode``: half away from zero, up,
    down) on its 15 significant digits; raises InvalidOperation when the result has more
    digits than decimal holds."""
    places = int(digits)  # Excel truncates the digits argument
    quantum = Decimal(1).scaleb(-places)

    def round_one(x: float) -> float:
        exact = Decimal(f"{x:.15g}")
        try:
            return float(exact.quantize(quantum, rounding=mode))
        except InvalidOperation:  # more digits than decimal holds (1E+300 to 0 places)
            if exact.as_tuple().exponent >= -places:  # nothing below the place to round to
                return float(exact)
            raise

    return round_one


def _decimal_round(x: float, digits: float, mode: str) -> float:
    return decimal_rounder(digits, mode)(x)


def _rounding(mode: str) -> Callable[..., Any]:
    def rounder(value: Any, digits: Any = 0.0) -> Any:
        x, n = number(value), number(digits if digits is not None else 0.0)
        if isinstance(x, XLError):
            return x
        if isinstance(n, XLError):
            return n
        return _decimal_round(x, n, mode)

    return rounder


EAGER["ROUND"] = _rounding(ROUND_HALF_UP)
EAGER["ROUNDUP"] = _rounding(ROUND_UP)
EAGER["ROUNDDOWN"] = _rounding(ROUND_DOWN)


def _unary(function: Callable[[float], Any]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        x = number(value)
        return x if isinstance(x, XLError) else function(x)

    return apply


EAGER["ABS"] = _unary(abs)
EAGER["INT"] = _unary(lambda x: float(math.floor(x)))
EAGER["SQRT"] = _unary(lambda x: NUM if x < 0 else math.sqrt(x))
EAGER["LN"] = _unary(lambda x: NUM if x <= 0 else math.log(x))
EAGER["LOG10"] = _unary(lambda x: NUM if x <= 0 else math.log10(x))
EAGER["EXP"] = _unary(lambda x: finite(math.exp(x)) if x < 709 else NUM)
EAGER["SIGN"] = _unary(lambda x: float((x > 0) - (x < 0)))


@excel("MOD")
def mod(value: Any, divisor: Any) -> Any:
    n, d = number(value), number(divisor)
    if isinstance(n, XLError):
        return n
    if isinstance(d, XLError):
        return d
    return DIV0 if d == 0 else finite(n - d * math.floor(n / d))


@excel("POWER")
def power(base: Any, exponent: Any) -> Any:
    from workbooks.formula.operators import arithmetic

    return arithmetic("^", scalar(base), scalar(exponent))


@excel("SUMPRODUCT_EAGER")
def sumproduct(*arrays: Any) -> Any:
    blocks = [a if isinstance(a, Array) else Array(((scalar(a),),)) for a in arrays]
    shape = (blocks[0].height, blocks[0].width)
    if any((b.height, b.width) != shape for b in blocks):
        return VALUE
    # Rows past every block's used area are all alike (PaddedRows): their products once.
    held = max(b.stored_rows() for b in blocks)
    columns = [[cell for row in islice(b.rows, held) for cell in row] for b in blocks]
    total = _products(columns)
    if isinstance(total, XLError):
        return total
    if held >= shape[0]:
        return finite(_fsum(total))
    tail = _products([list(b.rows[held]) for b in blocks])
    if isinstance(tail, XLError):
        return tail
    total.extend(p * (shape[0] - held) for p in tail)
    return finite(_fsum(total))


def _products(columns: list[list[Any]]) -> list[float] | XLError:
    """The products of SUMPRODUCT position by position (text and blanks count as 0)."""
    total = []
    for cells in zip(*columns, strict=True):
        product = 1.0
        for cell in cells:
            if isinstance(cell, XLError):
                return cell
            product *= cell if isinstance(cell, float) and not isinstance(cell, bool) else 0.0
        total.append(product)
    return total


# --- Logical and information --------------------------------------------------------------


def _logicals(args: tuple[Any, ...]) -> list[bool] | XLError:
    out: list[bool] = []
    for arg in args:
        cells = arg.stored()[0] if isinstance(arg, Array) else [arg]  # blanks are skipped
        for cell in cells:
            if isinstance(cell, XLError):
                return cell
            if cell is None or (isinstance(cell, str) and isinstance(arg, Array)):
                continue
            flag = to_bool(cell)
            if isinstance(flag, XLError):
                return flag
            out.append(flag)
    return out


@excel("AND")
def and_(*args: Any) -> Any:
    flags = _logicals(args)
    return flags if isinstance(flags, XLError) else (all(flags) if flags else VALUE)


@excel("OR")
def or_(*args: Any) -> Any:
    flags = _logicals(args)
    return flags if isinstance(flags, XLError) else (any(flags) if flags else VALUE)


@excel("NOT")
def not_(value: Any) -> Any:
    flag = to_bool(scalar(value))
    return flag if isinstance(flag, XLError) else not flag


EAGER["TRUE"] = lambda: True
EAGER["FALSE"] = lambda: False
EAGER["NA"] = lambda: NA
EAGER["ISERROR"] = lambda v: isinstance(scalar(v), XLError)
EAGER["ISERR"] = lambda v: isinstance(scalar(v), XLError) and scalar(v) is not NA
EAGER["ISNA"] = lambda v: scalar(v) is NA
EAGER["ISNUMBER"] = lambda v: isinstance(scalar(v), float) and not isinstance(scalar(v), bool)
EAGER["ISTEXT"] = lambda v: isinstance(scalar(v), str)
EAGER["ISNONTEXT"] = lambda v: not isinstance(scalar(v), str)
EAGER["ISLOGICAL"] = lambda v: isinstance(scalar(v), bool)
EAGER["ISBLANK"] = lambda v: scalar(v) is None


# --- Criteria (COUNTIF, SUMIF) --------------------------------------------------------------

_CRITERION = re.compile(r"^(<=|>=|<>|=|<|>)?(.*)$", re.DOTALL)


def criterion(spec: Any) -> Callable[[Any], bool]:
    """Excel's criteria: a value, or text such as ">=5", "<>全市", "县*" (wildcards)."""
    spec = scalar(spec)
    if isinstance(spec, XLError):
        return lambda cell: cell is spec
    if isinstance(spec, bool) or not isinstance(spec, str):
        target = 0.0 if spec is None else spec
        return lambda cell: (
            (cell is not None and not isinstance(cell, XLError) and compare("=", cell, target))
            and (isinstance(cell, bool) == isinstance(target, bool))
        )
    match = _CRITERION.match(spec)
    op, operand = (match.group(1) or "=", match.group(2)) if match else ("=", spec)
    parsed = to_number(operand) if operand.strip() != "" else None
    if isinstance(parsed, float):
        return lambda cell: (
            (
                isinstance(cell, (int, float))
                and not isinstance(cell, bool)
                and compare(op, float(cell), parsed)
            )
            or (op == "<>" and not (isinstance(cell, (int, float)) and not isinstance(cell, bool)))
        )
    if operand == "":
        if op == "=":
            return lambda cell: cell is None or cell == ""
        if op == "<>":
            return lambda cell: cell is not None and cell != ""
    if op in ("=", "<>") and any(ch in operand for ch in "*?~"):
        fits = wildcard(operand)
        if op == "=":
            return lambda cell: isinstance(cell, str) and fits(cell)
        return lambda cell: not (isinstance(cell, str) and fits(cell))
    upper = operand.upper()
    if upper in ("TRUE", "FALSE"):
        flag = upper == "TRUE"
        if op == "=":
            return lambda cell: isinstance(cell, bool) and cell == flag
        return lambda cell: not (isinstance(cell, bool) and cell == flag)
    if op == "=":
        return lambda cell: isinstance(cell, str) and cell.lower() == operand.lower()
    if op == "<>":
        return lambda cell: not (isinstance(cell, str) and cell.lower() == operand.lower())
    return lambda cell: isinstance(cell, str) and compare(op, cell, operand)


def wildcard(pattern: str) -> Callable[[str], bool]:
    """Whether a text matches an Excel wildcard pattern (``*`` any run, ``?`` one character,
    ``~`` takes the next character literally), ignoring case.

    Matched in time linear in the text for each piece between stars, never by backtracking:
    the pattern splits at its stars into fixed-length pieces; the first must start the text,
    the last end it, and each middle piece is taken at its first place after the one before
    (taking it later never helps). ``县*`` over 100,000 cells, or ``*a*a*a*…*b`` over a long
    text, costs a handful of scans."""
    pieces: list[list[str | None]] = [[]]  # None: any one character
    escape = False
    for ch in pattern.lower():
        if escape:
            pieces[-1].append(ch)
            escape = False
        elif ch == "~":
            escape = True
        elif ch == "*":
            pieces.append([])
        elif ch == "?":
            pieces[-1].append(None)
        else:
            pieces[-1].append(ch)
    if escape:
        pieces[-1].append("~")
    compiled = [
        re.compile("".join("." if c is None else re.escape(c) for c in piece), re.DOTALL)
        for piece in pieces
    ]
    sizes = [len(piece) for piece in pieces]
    if len(pieces) == 1:
        only = compiled[0]
        return lambda text: only.fullmatch(text.lower()) is not None
    first, last, middle = (
        compiled[0],
        compiled[-1],
        list(zip(compiled[1:-1], sizes[1:-1], strict=True)),
    )
    head, tail = sizes[0], sizes[-1]

    def matches(text: str) -> bool:
        text = text.lower()
        end = len(text) - tail
        if end < head or first.match(text) is None:
            return False
        at = head
        for piece, size in middle:
            found = piece.search(text, at, end)
            if found is None:
                return False
            at = found.start() + size
        return last.match(text, end) is not None

    return matches


def _block(value: Any) -> Array:
    return value if isinstance(value, Array) else Array(((value,),))


@excel("COUNTIF")
def countif(area: Any, spec: Any) -> Any:
    key = _criterion_key(spec)
    if key is not None:
        return remembered(area, ("COUNTIF", key), lambda: _countif(area, spec))
    return _countif(area, spec)


def _countif(area: Any, spec: Any) -> float:
    test = criterion(spec)
    cells, blanks = _block(area).stored()
    return float(sum(1 for cell in cells if test(cell)) + (blanks if test(None) else 0))


def _sum_where(
    values: Array, tests: list[tuple[Array, Callable[[Any], bool]]]
) -> tuple[list[Any], int]:
    """The cells of ``values`` where every test holds on its area, and how many more blank
    cells (in rows that are blank in every area, past the used area) are picked."""
    height, width = values.height, values.width
    held = max(values.stored_rows(), *(a.stored_rows() for a, _ in tests))
    picked = []
    for i in range(min(held, height)):
        for j in range(width):
            if all((i < a.height and j < a.width and test(a.rows[i][j])) for a, test in tests):
                picked.append(values.rows[i][j])
    held = min(held, height)
    if held == height or not all(test(None) for _, test in tests):
        return picked, 0
    rows = min(height, *(a.height for a, _ in tests)) - held  # blank in every area there
    return picked, max(rows, 0) * min(width, *(a.width for a, _ in tests))


@excel("SUMIF")
def sumif(area: Any, spec: Any, sum_area: Any = None) -> Any:
    key = _criterion_key(spec)
    if key is not None and (sum_area is None or isinstance(sum_area, RangeArray)):
        # the sum range lives as long as the area (both held by the evaluator)
        memo = ("SUMIF", key, None if sum_area is None else id(sum_area))
        return remembered(area, memo, lambda: _sumif(area, spec, sum_area))
    return _sumif(area, spec, sum_area)


def _sumif(area: Any, spec: Any, sum_area: Any) -> Any:
    area = _block(area)
    values = area if sum_area is None else _block(sum_area)
    picked, _ = _sum_where(values, [(area, criterion(spec))])
    numbers = []
    for cell in picked:
        if isinstance(cell, XLError):
            return cell
        if isinstance(cell, float) and not isinstance(cell, bool):
            numbers.append(cell)
    return finite(_fsum(numbers))


@excel("AVERAGEIF")
def averageif(area: Any, spec: Any, average_area: Any = None) -> Any:
    area = _block(area)
    values = area if average_area is None else _block(average_area)
    numbers = []
    for cell in _sum_where(values, [(area, criterion(spec))])[0]:
        if isinstance(cell, XLError):
            return cell
        if isinstance(cell, float) and not isinstance(cell, bool):
            numbers.append(cell)
    return DIV0 if not numbers else finite(_fsum(numbers) / len(numbers))


@excel("COUNTIFS")
def countifs(*pairs: Any) -> Any:
    if len(pairs) % 2:
        return VALUE
    tests = [(_block(pairs[k]), criterion(pairs[k + 1])) for k in range(0, len(pairs), 2)]
    first = tests[0][0]
    if any((a.height, a.width) != (first.height, first.width) for a, _ in tests):
        return VALUE
    picked, blanks = _sum_where(first, tests)
    return float(len(picked) + blanks)


@excel("SUMIFS")
def sumifs(sum_area: Any, *pairs: Any) -> Any:
    if len(pairs) % 2 or not pairs:
        return VALUE
    values = _block(sum_area)
    tests = [(_block(pairs[k]), criterion(pairs[k + 1])) for k in range(0, len(pairs), 2)]
    if any((a.height, a.width) != (values.height, values.width) for a, _ in tests):
        return VALUE
    numbers = []
    for cell in _sum_where(values, tests)[0]:
        if isinstance(cell, XLError):
            return cell
        if isinstance(cell, float) and not isinstance(cell, bool):
            numbers.append(cell)
    return finite(_fsum(numbers))


# --- Ranking -------------------------------------------------------------------------------


_UNSET = object()


def remembered(area: Any, key: Any, make: Callable[[], Any]) -> Any:
    """``make()``, worked out once per range (:attr:`RangeArray.memo`) and ``key``; computed
    each time for arrays that are not ranges."""
    if not isinstance(area, RangeArray):
        return make()
    found = area.memo.get(key, _UNSET)
    if found is _UNSET:
        found = area.memo[key] = make()
    return found


def _criterion_key(spec: Any) -> Any:
    """A hashable key for a criterion value (None when it cannot serve as one)."""
    spec = scalar(spec)
    if spec is None or isinstance(spec, (str, float, bool, XLError)):
        return (type(spec).__name__, spec)
    return None


_FLOATS_OR_BLANKS = frozenset((float, type(None)))


def _sorted_pool(area: Any) -> list[float] | XLError:
    """The numbers RANK ranks among, sorted; an error cell of the range is the result."""
    cells = list(_block(area).stored()[0])
    if set(map(type, cells)) <= _FLOATS_OR_BLANKS:  # the usual range: numbers and blanks
        return sorted(cell for cell in cells if cell is not None)
    pool = []
    for cell in cells:  # blanks are not ranked
        if isinstance(cell, XLError):
            return cell
        if isinstance(cell, float) and not isinstance(cell, bool):
            pool.append(cell)
    pool.sort()
    return pool


def _rank_place(value: Any, area: Any, order: Any) -> tuple[int, int] | XLError:
    """(how many rank before ``value``, how many equal it) in the range's numbers."""
    x = number(value)
    if isinstance(x, XLError):
        return x
    pool = remembered(area, ("RANK",), lambda: _sorted_pool(area))
    if isinstance(pool, XLError):
        return pool
    low, high = bisect_left(pool, x), bisect_right(pool, x)
    if low == high:
        return NA
    ascending = order is not None and to_bool(scalar(order)) is True
    return (low if ascending else len(pool) - high), high - low


#: From this many numbers on, :func:`rank_column` searches the pool with NumPy (fewer: bisect).
RANK_ARRAY_FROM = 64


def rank_column(numbers: list[float], area: Any, order: Any, average: bool) -> list[Any] | None:
    """RANK.EQ (``average``: RANK.AVG) of each of ``numbers`` within ``area``, all at once:
    element by element what :func:`rank_eq` / :func:`rank_avg` give for that number (the same
    sorted pool, the same exact comparison of numbers, #N/A for a number not in the range,
    the range's error cell for every one). Many numbers are searched with NumPy, which orders
    NaN differently from :func:`bisect.bisect_left`: None then when the numbers or the range
    hold a NaN (one by one)."""
    pool = remembered(area, ("RANK",), lambda: _sorted_pool(area))
    if isinstance(pool, XLError):
        return [pool] * len(numbers)
    ascending = order is not None and to_bool(scalar(order)) is True
    size = len(pool)
    if len(numbers) < RANK_ARRAY_FROM:
        out: list[Any] = []
        for x in numbers:  # exactly as _rank_place, one after the other
            low, high = bisect_left(pool, x), bisect_right(pool, x)
            if low == high:
                out.append(NA)
                continue
            better = low if ascending else size - high
            out.append(better + (high - low + 1) / 2 if average else float(better + 1))
        return out
    ranked = remembered(area, ("RANK", "array"), lambda: np.array(pool, dtype=float))
    values = np.array(numbers, dtype=float)
    if np.isnan(values).any() or np.isnan(ranked).any():
        return None
    lows = np.searchsorted(ranked, values, side="left")
    highs = np.searchsorted(ranked, values, side="right")
    betters = lows if ascending else size - highs
    if average:
        found = (betters + (highs - lows + 1) / 2).tolist()
    else:
        found = (betters + 1).astype(float).tolist()
    missing = lows == highs
    if missing.any():
        for i in np.flatnonzero(missing).tolist():
            found[i] = NA
    return found


@excel("RANK", "RANK.EQ")
def rank_eq(value: Any, area: Any, order: Any = None) -> Any:
    found = _rank_place(value, area, order)
    return found if isinstance(found, XLError) else float(found[0] + 1)


@excel("RANK.AVG")
def rank_avg(value: Any, area: Any, order: Any = None) -> Any:
    found = _rank_place(value, area, order)
    if isinstance(found, XLError):
        return found
    better, ties = found
    return better + (ties + 1) / 2


# --- Lookup --------------------------------------------------------------------------------


def _same(cell: Any, target: Any) -> bool:
    if isinstance(target, str):
        return isinstance(cell, str) and cell.lower() == target.lower()
    if isinstance(target, bool):
        return isinstance(cell, bool) and cell == target
    return isinstance(cell, (int, float)) and not isinstance(cell, bool) and cell == target


def _position(target: Any, cells: list[Any], mode: float) -> int | XLError:
    """0-based position for MATCH/VLOOKUP: exact (mode 0), ≤ in ascending (1), ≥ (−1)."""
    if isinstance(target, XLError):
        return target
    if target is None:
        target = 0.0
    if mode == 0:
        if isinstance(target, str) and any(ch in target for ch in "*?~"):
            fits = wildcard(target)
            for k, cell in enumerate(cells):
                if isinstance(cell, str) and fits(cell):
                    return k
            return NA
        for k, cell in enumerate(cells):
            if _same(cell, target):
                return k
        return NA
    best: int | XLError = NA
    for k, cell in enumerate(cells):
        if cell is None or isinstance(cell, XLError) or type(cell) is not type(target):
            continue
        if mode > 0:
            if compare("<=", cell, target):
                best = k
            else:
                break
        else:
            if compare(">=", cell, target):
                best = k
            else:
                break
    return best


@excel("MATCH")
def match(target: Any, area: Any, mode: Any = 1.0) -> Any:
    block = _block(area)
    if block.height != 1 and block.width != 1:
        return NA
    m = number(mode if mode is not None else 1.0)
    if isinstance(m, XLError):
        return m
    found = _position(scalar(target), list(block.flat()), (m > 0) - (m < 0))
    return found if isinstance(found, XLError) else float(found + 1)


def _lookup(target: Any, table: Any, index: Any, approximate: Any, vertical: bool) -> Any:
    block = _block(table)
    k = number(index)
    if isinstance(k, XLError):
        return k
    k = int(k)
    size = block.width if vertical else block.height
    if k < 1:
        return VALUE
    if k > size:
        from workbooks.formula.values import REF

        return REF
    exact = approximate is not None and to_bool(scalar(approximate)) is False
    keys = [row[0] for row in block.rows] if vertical else list(block.rows[0])
    found = _position(scalar(target), keys, 0 if exact else 1)
    if isinstance(found, XLError):
        return found
    cell = block.rows[found][k - 1] if vertical else block.rows[k - 1][found]
    return 0.0 if cell is None else cell


@excel("VLOOKUP")
def vlookup(target: Any, table: Any, index: Any, approximate: Any = None) -> Any:
    return _lookup(target, table, index, approximate, True)


@excel("HLOOKUP")
def hlookup(target: Any, table: Any, index: Any, approximate: Any = None) -> Any:
    return _lookup(target, table, index, approximate, False)


@excel("INDEX")
def index(area: Any, row: Any = None, col: Any = None) -> Any:
    block = _block(area)
    r = 0.0 if row is None else number(row)
    c = 0.0 if col is None else number(col)
    if isinstance(r, XLError):
        return r
    if isinstance(c, XLError):
        return c
    r, c = int(r), int(c)
    if block.height == 1 and col is None and block.width > 1:
        r, c = 1, r
    if r < 0 or c < 0 or r > block.height or c > block.width:
        from workbooks.formula.values import REF

        return REF
    if r and c:
        return block.rows[r - 1][c - 1]
    if r:
        return Array((block.rows[r - 1],))
    if c:
        return Array(tuple((line[c - 1],) for line in block.rows))
    return block


# --- Dates (serial numbers of the 1900 date system) ----------------------------------------


def _date_parts(value: Any) -> Any:
    from openpyxl.utils.datetime import from_excel

    serial = number(value)
    if isinstance(serial, XLError):
        return serial
    if serial < 0 or serial >= 2958466:
        return NUM
    if int(serial) == 60:  # Excel's 1900-02-29, which never existed
        return (1900, 2, 29)
    moment = from_excel(serial)
    return (moment.year, moment.month, moment.day)


def _date_part(index: int) -> Callable[[Any], Any]:
    def part(value: Any) -> Any:
        found = _date_parts(value)
        return found if isinstance(found, XLError) else float(found[index])

    return part


EAGER["YEAR"] = _date_part(0)
EAGER["MONTH"] = _date_part(1)
EAGER["DAY"] = _date_part(2)


@excel("DATE")
def date(year: Any, month: Any, day: Any) -> Any:
    import datetime as dt

    from openpyxl.utils.datetime import to_excel

    parts = [number(v) for v in (year, month, day)]
    for part in parts:
        if isinstance(part, XLError):
            return part
    y, m, d = (int(p) for p in parts)
    if 0 <= y < 1900:
        y += 1900
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    try:
        first = dt.date(y, m, 1)
    except ValueError:
        return NUM
    serial = float(to_excel(first)) + d - 1
    return NUM if serial < 0 else serial


# --- Text ----------------------------------------------------------------------------------


def _text_arg(value: Any) -> Any:
    return to_text(scalar(value))


@excel("LEN")
def len_(value: Any) -> Any:
    text = _text_arg(value)
    return text if isinstance(text, XLError) else float(len(text))


@excel("LEFT")
def left(value: Any, count: Any = 1.0) -> Any:
    text, n = _text_arg(value), number(count if count is not None else 1.0)
    if isinstance(text, XLError):
        return text
    if isinstance(n, XLError):
        return n
    return VALUE if n < 0 else text[: int(n)]


@excel("RIGHT")
def right(value: Any, count: Any = 1.0) -> Any:
    text, n = _text_arg(value), number(count if count is not None else 1.0)
    if isinstance(text, XLError):
        return text
    if isinstance(n, XLError):
        return n
    return VALUE if n < 0 else (text[-int(n) :] if int(n) else "")


@excel("MID")
def mid(value: Any, start: Any, count: Any) -> Any:
    text, s, n = _text_arg(value), number(start), number(count)
    for item in (text, s, n):
        if isinstance(item, XLError):
            return item
    if s < 1 or n < 0:
        return VALUE
    return text[int(s) - 1 : int(s) - 1 + int(n)]


@excel("TRIM")
def trim(value: Any) -> Any:
    text = _text_arg(value)
    return text if isinstance(text, XLError) else " ".join(text.split(" ")).strip()


@excel("CONCATENATE", "CONCAT")
def concatenate(*args: Any) -> Any:
    parts = []
    for arg in args:
        for cell in arg.flat() if isinstance(arg, Array) else [arg]:
            text = to_text(cell)
            if isinstance(text, XLError):
                return text
            parts.append(text)
    return "".join(parts)


@excel("VALUE")
def value_(value: Any) -> Any:
    cell = scalar(value)
    if isinstance(cell, bool):
        return VALUE
    return to_number(cell)


@excel("N")
def n_(value: Any) -> Any:
    cell = scalar(value)
    if isinstance(cell, XLError):
        return cell
    if isinstance(cell, bool):
        return float(cell)
    return cell if isinstance(cell, float) else 0.0


_TEXT_FORMAT = re.compile(r"^(#,##)?(0+)(?:\.(0+))?(%?)$")


@excel("TEXT")
def text_(value: Any, fmt: Any) -> Any:
    """TEXT for the number formats of bureau tables: 0, 0.0, #,##0.00, 0.0% and General/@."""
    cell, pattern = scalar(value), _text_arg(fmt)
    if isinstance(cell, XLError):
        return cell
    if isinstance(pattern, XLError):
        return pattern
    if isinstance(cell, str):
        parsed = to_number(cell)
        if isinstance(parsed, XLError):
            return cell
        cell = parsed
    if pattern in ("@", "") or pattern.upper() == "GENERAL" or pattern == "G/通用格式":
        return to_text(cell)
    found = _TEXT_FORMAT.match(pattern)
    if found is None:
        raise Unsupported(f"TEXT 的格式「{pattern}」暂不支持")
    x = 0.0 if cell is None else float(cell)
    if found.group(4):
        x *= 100
    places = len(found.group(3) or "")
    rounded = _decimal_round(x, places, ROUND_HALF_UP)
    body = f"{abs(rounded):,.{places}f}" if found.group(1) else f"{abs(rounded):.{places}f}"
    whole, _, fraction = body.partition(".")
    whole = whole.zfill(len(found.group(2))) if not found.group(1) else whole
    body = whole + ("." + fraction if places else "")
    sign = "-" if rounded < 0 else ""
    return sign + body + found.group(4)


__all__ = ["EAGER", "criterion", "number", "number_text", "scalar", "wildcard"]
