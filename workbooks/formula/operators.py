"""Excel's operators on single values: arithmetic, ``&`` and comparisons."""

from __future__ import annotations

import math
from typing import Any

from workbooks.formula.values import DIV0, NUM, XLError, finite, to_number, to_text


def arithmetic(op: str, left: Any, right: Any) -> Any:
    a = to_number(left)
    if isinstance(a, XLError):
        return a
    b = to_number(right)
    if isinstance(b, XLError):
        return b
    if op == "+":
        return finite(a + b)
    if op == "-":
        return finite(a - b)
    if op == "*":
        return finite(a * b)
    if op == "/":
        return DIV0 if b == 0 else finite(a / b)
    # "^"
    if a == 0 and b == 0:
        return NUM
    if a == 0 and b < 0:
        return DIV0
    try:
        result = math.pow(a, b)
    except (OverflowError, ValueError):
        return NUM
    return finite(result)


def concat(left: Any, right: Any) -> Any:
    a = to_text(left)
    if isinstance(a, XLError):
        return a
    b = to_text(right)
    if isinstance(b, XLError):
        return b
    return a + b


_E48 = 2.0**-48
_INTEGER = 2.0**53


def _approx_equal(a: float, b: float) -> bool:
    """Numbers equal to within the last few bits count as equal in a comparison, as in
    Excel and LibreOffice (``=0.1+0.2=0.3`` is TRUE; ``168.52*0.75>=126.39`` too). This is
    LibreOffice's ``rtl::math::approxEqual``: relative difference below 2^-48, except between
    exact integers."""
    if a == b:
        return True
    if a == 0 or b == 0:
        return False
    d, a, b = abs(a - b), abs(a), abs(b)
    if not math.isfinite(d) or d > a * _E48 or d > b * _E48:
        return False
    return not (d.is_integer() and a.is_integer() and b.is_integer() and max(a, b) < _INTEGER)


def _rank(value: Any) -> int:
    if isinstance(value, bool):
        return 2
    if isinstance(value, str):
        return 1
    return 0


def compare(op: str, left: Any, right: Any) -> Any:
    """Excel comparison: numbers < text < logicals; text case-insensitive; a blank is 0, ""
    or FALSE depending on the other side."""
    if isinstance(left, XLError):
        return left
    if isinstance(right, XLError):
        return right
    if left is None:
        left = "" if isinstance(right, str) else (False if isinstance(right, bool) else 0.0)
    if right is None:
        right = "" if isinstance(left, str) else (False if isinstance(left, bool) else 0.0)
    ra, rb = _rank(left), _rank(right)
    if ra != rb:
        order = (ra > rb) - (ra < rb)
    else:
        if ra == 1:
            left, right = left.lower(), right.lower()
        elif ra == 0:
            left, right = float(left), float(right)
            if _approx_equal(left, right):
                left = right
        order = (left > right) - (left < right)
    if op == "=":
        return order == 0
    if op == "<>":
        return order != 0
    if op == "<":
        return order < 0
    if op == ">":
        return order > 0
    if op == "<=":
        return order <= 0
    return order >= 0


def apply(op: str, left: Any, right: Any) -> Any:
    if op == "&":
        return concat(left, right)
    if op in ("+", "-", "*", "/", "^"):
        return arithmetic(op, left, right)
    return compare(op, left, right)
