"""Why a cell cannot be computed: Excel error kinds, reasons and the marker convention.

Every computation in :mod:`udfs` works on whole arrays. Beside its float values it keeps an
``int16`` array of *reason codes*: ``0`` means the element was computed, any other code names a
:class:`Reason` — an Excel error kind (``#DIV/0!``, ``#N/A``, ``#NUM!``, ``#VALUE!``) plus a
Chinese message that says which argument is wrong. Codes are registered once, at import time,
so that the arrays stay small integers and a whole column of errors costs nothing.

Marker convention (shared with the add-in's VBA, see ``addin/``): in classic Excel a UDF can
only hand back values, so an error travels as the text ``"<literal> <message>"`` — for example
``"#DIV/0! 基期值为 0，无法计算增长（参数 base）"``. The add-in's VBA wrapper turns every result
string that starts with ``#DIV/0!``, ``#N/A``, ``#NUM!`` or ``#VALUE!`` into the matching
``CVErr`` value and keeps the message for the 函数说明 button. Our functions never return any
other text, so a marker cannot be mistaken for a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np


class ExcelError(str, Enum):
    """The Excel error values our functions return, by their cell literal."""

    DIV0 = "#DIV/0!"
    NA = "#N/A"
    NUM = "#NUM!"
    VALUE = "#VALUE!"

    @property
    def literal(self) -> str:
        return self.value


@dataclass(frozen=True)
class Reason:
    """One reason an element cannot be computed (``code`` indexes :data:`REASONS`)."""

    code: int
    error: ExcelError
    message: str

    @property
    def marker(self) -> str:
        """The classic-Excel error marker: literal, a space, the Chinese message."""
        return f"{self.error.literal} {self.message}"


OK = 0
#: BLANK is not an error: the element is deliberately empty (e.g. 位次变化 without a previous rank).
BLANK = 1

REASONS: list[Reason | None] = [None, None]
_BY_KEY: dict[tuple[ExcelError, str], int] = {}


def reason(error: ExcelError, message: str) -> int:
    """Register (once) and return the code of a reason."""
    key = (error, message)
    code = _BY_KEY.get(key)
    if code is None:
        code = len(REASONS)
        REASONS.append(Reason(code, error, message))
        _BY_KEY[key] = code
    return code


def describe(code: int) -> Reason:
    """The :class:`Reason` behind a non-zero, non-blank code."""
    found = REASONS[code]
    if found is None:
        raise KeyError(code)
    return found


class CellError(str):
    """A result that is an Excel error: compares equal to its literal (``"#DIV/0!"``).

    ``message`` says in Chinese why the value cannot be computed.
    """

    __slots__ = ("error", "message")

    error: ExcelError
    message: str

    def __new__(cls, error: ExcelError, message: str) -> CellError:
        self = super().__new__(cls, error.literal)
        self.error = error
        self.message = message
        return self

    def __repr__(self) -> str:
        return f"CellError({self.error.literal!r}, {self.message!r})"

    @property
    def marker(self) -> str:
        return f"{self.error.literal} {self.message}"


def first_problem(*codes: np.ndarray) -> np.ndarray:
    """Combine reason arrays element by element, keeping the first non-zero code.

    Arguments are checked in order, so an error in the first argument is reported before
    one in the second — the order the user reads the formula in.
    """
    out = np.zeros(np.broadcast_shapes(*(c.shape for c in codes)), dtype=np.int16)
    for c in reversed(codes):
        out = np.where(c != OK, c, out)
    return out


def mark(codes: np.ndarray, condition: np.ndarray, code: int) -> np.ndarray:
    """Set ``code`` where ``condition`` holds and no earlier problem was recorded."""
    return np.where((codes == OK) & condition, np.int16(code), codes).astype(np.int16)
