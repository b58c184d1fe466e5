"""Cell values inside the formula evaluator and Excel's rules for converting between them.

A value is one of: ``float`` (every Excel number, dates included), ``bool``, ``str``, ``None``
(an empty cell), :class:`XLError` (an error value such as ``#DIV/0!``), :class:`Array` (a
2-D block of values: a range's contents or an array result).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
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
    """A formula (or a part of one) this evaluator does not compute; the message is Chinese.

    A message about a reference names it as the user wrote it, which depends on the formula's
    cell: the message then holds :data:`REF_MARK` where the reference goes and ``refs`` the
    references (relative tokens); :meth:`at` fills them in for one cell."""

    def __init__(self, message: str, refs: tuple[Any, ...] = ()):
        super().__init__(message)
        self.refs = refs

    def at(self, row: int, col: int) -> str:
        """The message for the formula in cell (row, col)."""
        return fill_refs(str(self), self.refs, row, col)


REF_MARK = "\x00"


def fill_refs(message: str, refs: tuple[Any, ...], row: int, col: int) -> str:
    """``message`` with each :data:`REF_MARK` replaced by the next reference as written in
    cell (row, col)."""
    for ref in refs:
        message = message.replace(REF_MARK, ref.text(row, col), 1)
    return message


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

    def stored_rows(self) -> int:
        """How many rows are held; the rows after them (a range reaching past the sheet's used
        area, :class:`PaddedRows`) are blank."""
        rows = self.rows
        return len(rows.stored) if isinstance(rows, PaddedRows) else len(rows)

    def stored(self) -> tuple[Iterator[Any], int]:
        """The held cells, row by row, and the number of blank cells after them: what SUM,
        COUNT, COUNTIF … need, without visiting a million blank rows one by one."""
        held = self.stored_rows()
        if held == len(self.rows):
            return self.flat(), 0
        cells = (cell for row in islice(self.rows, held) for cell in row)
        return cells, (len(self.rows) - held) * self.width

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


class PaddedRows(Sequence[tuple[Any, ...]]):
    """The rows of a range that reaches past the used area of its sheet (``$A$1:$A$1048576``):
    the rows within it, then one shared blank row repeated — memory for the used cells only."""

    __slots__ = ("blank", "length", "stored")

    def __init__(self, stored: tuple[tuple[Any, ...], ...], length: int, blank: tuple[Any, ...]):
        self.stored, self.length, self.blank = stored, length, blank

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self[k] for k in range(*index.indices(self.length)))
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError(index)
        return self.stored[index] if index < len(self.stored) else self.blank

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        yield from self.stored
        blank = self.blank
        for _ in range(self.length - len(self.stored)):
            yield blank

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PaddedRows):
            return (self.stored, self.length, self.blank) == (
                other.stored,
                other.length,
                other.blank,
            )
        return isinstance(other, Sequence) and len(other) == self.length and tuple(self) == other

    def __hash__(self) -> int:
        return hash((self.stored, self.length, self.blank))


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
    #: results computed over this range, by (function, argument): a range's cells are final
    #: once it is read, so RANK's sorted pool or a COUNTIF count is worked out once per range
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def intersect(self, row: int, col: int) -> Any:
        """Excel's implicit intersection with the formula's own row or column."""
        if self.height == 1 and self.width == 1:
            return self.rows[0][0]
        if self.width == 1 and self.first_row <= row < self.first_row + self.height:
            return self.rows[row - self.first_row][0]
        if self.height == 1 and self.first_col <= col < self.first_col + self.width:
            return self.rows[0][col - self.first_col]
        return VALUE
