"""Figures as written: a number with the decimals it was given, and the interval it stands for.

A figure written with ``d`` decimals stands for every value that rounds to it: ``26.0`` is any
value in [25.95, 26.05]; counts of things (个, 项, 家, 户, 位) are exact. Checks compute the
interval a formula can give from the intervals of its operands (at the corners of the box: every
formula checked is monotonic in each operand over the box) and flag a stated figure only when its
own interval does not meet it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Units of counts: written exactly, never rounded.
EXACT_UNITS = frozenset({"个", "项", "家", "户", "位", "所", "座", "辆", "套", "名"})
#: Money units as multiples of one yuan.
MONEY = {"元": 1.0, "万元": 1e4, "亿元": 1e8, "美元": 1.0, "万美元": 1e4, "亿美元": 1e8}
_FAMILIES = {
    "元": "yuan",
    "万元": "yuan",
    "亿元": "yuan",
    "美元": "usd",
    "万美元": "usd",
    "亿美元": "usd",
    "人": "people",
    "万人": "people",
    "吨": "ton",
    "万吨": "ton",
}
_SCALE = {"万元": 1e4, "亿元": 1e8, "万美元": 1e4, "亿美元": 1e8, "万人": 1e4, "万吨": 1e4}
_EPS = 1e-9

_CN = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_CN.update({"九": 9})


def cn_int(text: str) -> int | None:
    """A whole number in digits or small Chinese numerals (三, 十二, 二十三); None otherwise."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    value = (_CN.get(tens, -100) if tens else 1) * 10 + (_CN.get(units, -100) if units else 0)
    return value if value > 0 else None


@dataclass(frozen=True)
class Num:
    """A figure as written: ``value``, its ``decimals``, ``exact`` when it is a count."""

    value: float
    decimals: int = 0
    exact: bool = False

    @classmethod
    def parse(cls, text: str, exact: bool = False, sign: float = 1.0) -> Num:
        body = text.replace(",", "")
        if body.startswith("-"):
            sign, body = -sign, body[1:]
        decimals = len(body.split(".")[1]) if "." in body else 0
        return cls(sign * float(body), decimals, exact)

    @property
    def half(self) -> float:
        return 0.0 if self.exact else 0.5 * 10.0**-self.decimals

    @property
    def lo(self) -> float:
        return self.value - self.half

    @property
    def hi(self) -> float:
        return self.value + self.half

    def scaled(self, factor: float) -> Interval:
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def interval(self) -> Interval:
        return Interval(self.lo, self.hi)

    def text(self) -> str:
        return f"{self.value:.{self.decimals}f}"


@dataclass(frozen=True)
class Interval:
    """Closed interval [lo, hi] of the values a figure or a formula may have."""

    lo: float
    hi: float

    def meets(self, other: Interval) -> bool:
        tol = _EPS * max(1.0, abs(self.lo), abs(self.hi), abs(other.lo), abs(other.hi))
        return self.lo <= other.hi + tol and other.lo <= self.hi + tol

    def hull(self, other: Interval) -> Interval:
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2


def image(function: Callable[..., float], operands: Sequence[Interval]) -> Interval | None:
    """The interval ``function`` takes over the box of ``operands`` (evaluated at its corners;
    the formulas checked are monotonic in each operand). None when a corner is undefined (a
    denominator interval reaching zero)."""
    values = []
    for corner in itertools.product(*[(i.lo, i.hi) for i in operands]):
        try:
            values.append(function(*corner))
        except ZeroDivisionError:
            return None
    if not all(math.isfinite(v) for v in values):
        return None
    return Interval(min(values), max(values))


def family(unit: str | None) -> str | None:
    """Which quantities a unit measures (亿元 and 万元 both yuan); None for unknown units."""
    if unit is None:
        return None
    return _FAMILIES.get(unit, unit)


def factor(unit: str | None) -> float:
    """The multiple of the family's base unit (亿元 → 1e8 yuan)."""
    return _SCALE.get(unit or "", 1.0)


def implied_text(interval: Interval, decimals: int, suffix: str = "") -> str:
    """What the other figures imply, written at the stated decimals (a range when the rounding
    of the operands leaves more than one figure possible)."""
    lo = round(interval.lo, decimals)
    hi = round(interval.hi, decimals)
    if abs(hi - lo) < 0.5 * 10.0**-decimals:
        return f"{interval.mid:.{decimals}f}{suffix}"
    return f"{lo:.{decimals}f}{suffix}～{hi:.{decimals}f}{suffix}"


__all__ = ["EXACT_UNITS", "Interval", "Num", "cn_int", "factor", "family", "image", "implied_text"]
