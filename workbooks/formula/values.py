"""Cell values inside the formula evaluator and Excel's rules for converting between them.

A value is one of: ``float`` (every Excel number, dates included), ``bool``, ``str``, ``None``
(an empty cell), :class:`XLError` (an error value such as ``#DIV/0!``), :class:`Array` (a
2-D block of values: a range's contents or an array result).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar


class XLError:
    """An Excel error value; one instance per literal, compared by identity or literal."""

    __slots__ = ("literal",)
    _known: ClassVar[dict[str, XLError]] = {}

    def __new__(cls, literal: str) -> XLError:
        found = cls._known.get(literal)
        if found is None:
            found = super().__new__(cls)
            found.literal = literal
            cls._known[literal] = found
        return found

    def __repr__(self) -> str:
        return f"XLError({self.literal!r})"

    def __str__(self) -> str:
        return self.literal


DIV0 = XLError("#DIV/0!")
NA = XLError("#N/A")
NAME = XLError("#NAME?")
NULL = XLError("#NULL!")
NUM = XLError("#NUM!")
REF = XLError("#REF!")
VALUE = XLError("#VALUE!")


class Unsupported(Exception):
    """A formula (or a part of one) this evaluator does not compute; the message is Chinese."""


class Failed(Exception):
    """Raised when a formula depends on a cell that could not be evaluated."""


@dataclass(frozen=True)
class Array:
    """A rectangular block of values, row by row (a range's contents or an array result)."""

    rows: tuple[tuple[Any, ...], ...]

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def flat(self) -> Iterator[Any]:
        for row in self.rows:
            yield from row

    def at(self, i: int, j: int) -> Any:
        """Element (i, j), with Excel's broadcasting of a single row or column."""
        if self.height == 1:
            i = 0
        if self.width == 1:
            j = 0
        if i < self.height and j < self.width:
            return self.rows[i][j]
        return NA

    def lists(self) -> list[list[Any]]:
        return [list(row) for row in self.rows]

    @staticmethod
    def of(rows: Any) -> Array:
        return Array(tuple(tuple(row) for row in rows))


def number_text(number: float) -> str:
    """A number as Excel shows it in the General format when joined with ``&`` (15 digits)."""
    if number == 0:
        return "0"
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.15g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa}E{sign}{int(exponent.lstrip('+-')):02d}"
    return text


def to_number(value: Any) -> float | XLError:
    """Excel's conversion for arithmetic: blank → 0, TRUE → 1, numeric text → number."""
    if isinstance(value, float):
        return value
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int,)):
        return float(value)
    if isinstance(value, XLError):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            parsed = _parse_float(text[:-1])
            return VALUE if parsed is None else parsed / 100
        parsed = _parse_float(text)
        return VALUE if parsed is None else parsed
    return VALUE


def _parse_float(text: str) -> float | None:
    try:
        number = float(text.replace(",", "")) if text else None
    except ValueError:
        return None
    if number is None or math.isnan(number) or math.isinf(number):
        return None
    return number


def to_text(value: Any) -> str | XLError:
    """Excel's conversion for ``&`` and text functions."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(float(value))
    if isinstance(value, XLError):
        return value
    return VALUE


def to_bool(value: Any) -> bool | XLError:
    """Excel's conversion for IF/AND/OR: numbers are TRUE unless 0; text TRUE/FALSE only."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, XLError):
        return value
    if isinstance(value, str):
        upper = value.strip().upper()
        if upper == "TRUE":
            return True
        if upper == "FALSE":
            return False
    return VALUE


def finite(number: float) -> float | XLError:
    """A computed number, or ``#NUM!`` when it overflowed or is not a number."""
    if math.isnan(number) or math.isinf(number):
        return NUM
    return number


@dataclass(frozen=True)
class RangeArray(Array):
    """The contents of a referenced range, with where it sits (for implicit intersection)."""

    sheet: str = ""
    first_row: int = 0
    first_col: int = 0

    def intersect(self, row: int, col: int) -> Any:
        """Excel's implicit intersection with the formula's own row or column."""
        if self.height == 1 and self.width == 1:
            return self.rows[0][0]
        if self.width == 1 and self.first_row <= row < self.first_row + self.height:
            return self.rows[row - self.first_row][0]
        if self.height == 1 and self.first_col <= col < self.first_col + self.width:
            return self.rows[0][col - self.first_col]
        return VALUE
