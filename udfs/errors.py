"""Why a cell cannot be computed: Excel's error values, our reasons and the marker convention.

Every computation in :mod:`udfs` works on whole arrays. Beside its float values it keeps an
``int16`` array of *reason codes*: ``0`` means the element was computed, any other code names a
:class:`Reason` — an Excel error kind (``#DIV/0!``, ``#N/A``, ``#NUM!``, ``#VALUE!``) plus a
Chinese message that says which argument is wrong.

The code table is static: every reason is registered while :mod:`udfs` is imported, one code
per kind of reason, and the table is then sealed (:func:`seal`), so nothing a user types can
grow it in Excel's long-lived Python process. A message that quotes the user's own text (the
unreadable period label 「2026年13月」) is a *template* with one ``{}``: the code names the
template and the text travels beside the codes as a *detail* (see :class:`udfs.core.Computed`),
filled in only when the message is shown (:meth:`Reason.text`).

Marker convention (shared with the add-in's VBA, see ``addin/``): in classic Excel a UDF can
only hand back values, so an error travels as the text ``"<literal> <message>"`` — for example
``"#DIV/0! 基期值为 0，无法计算增长（参数 base）"``. The add-in's VBA wrapper turns every result
string that starts with an error literal (``#DIV/0!``, ``#N/A``, ``#REF!`` …) into the matching
``CVErr`` value and keeps the message for the 函数说明 button. The only other text our functions
return is the phrases of the ``TJ_PHRASE_`` functions (增长6.7%, 居全市第3位 …), which never start
with ``#``, so a marker cannot be mistaken for a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

#: Every error value an Excel cell can show, by its literal: Excel's error number (XlCVError;
#: classic xlwings hands an error cell over as the COM code ``0x800A0000 + number``) and the
#: ``errorType`` name Office.js uses for it. The one list of error literals of the project.
EXCEL_ERRORS: dict[str, tuple[int, str]] = {
    "#NULL!": (2000, "Null"),
    "#DIV/0!": (2007, "Div0"),
    "#VALUE!": (2015, "Value"),
    "#REF!": (2023, "Ref"),
    "#NAME?": (2029, "Name"),
    "#NUM!": (2036, "Num"),
    "#N/A": (2042, "NotAvailable"),
    "#GETTING_DATA": (2043, "GettingData"),
    "#SPILL!": (2045, "Spill"),
    "#CALC!": (2050, "Calc"),
}

#: The literals alone (``"#DIV/0!"`` …): what a cell showing an error holds as text.
ERROR_LITERALS: frozenset[str] = frozenset(EXCEL_ERRORS)

_COM_BASE = -2146828288  # 0x800A0000 as a signed 32-bit integer

#: COM error codes (VT_ERROR) that classic xlwings passes for error cells, by code.
COM_ERRORS: dict[int, str] = {
    _COM_BASE + number: literal for literal, (number, _) in EXCEL_ERRORS.items()
}

#: Office.js ``{"type": "Error", "errorType": …}`` names, by name.
OFFICEJS_ERRORS: dict[str, str] = {name: literal for literal, (_, name) in EXCEL_ERRORS.items()}


class ExcelError(str, Enum):
    """The Excel error values our functions return, by their cell literal: the four our
    computations produce, and every other kind an input cell can hold, passed on unchanged
    (a ``#REF!`` in comes back as ``#REF!``, as Excel's own functions do)."""

    DIV0 = "#DIV/0!"
    NA = "#N/A"
    NUM = "#NUM!"
    VALUE = "#VALUE!"
    NULL = "#NULL!"
    REF = "#REF!"
    NAME = "#NAME?"
    GETTING_DATA = "#GETTING_DATA"
    SPILL = "#SPILL!"
    CALC = "#CALC!"

    @property
    def literal(self) -> str:
        return self.value


def error_kind(literal: str) -> ExcelError:
    """The kind we report for an error coming in as ``literal``: the same one (every literal
    of :data:`EXCEL_ERRORS` is a kind), ``#VALUE!`` for text that is no error literal."""
    for kind in ExcelError:
        if kind.literal == literal:
            return kind
    return ExcelError.VALUE


@dataclass(frozen=True)
class Reason:
    """One reason an element cannot be computed (``code`` indexes :data:`REASONS`).

    ``message`` is the Chinese text; when ``detailed`` it is a template whose ``{}`` takes the
    element's detail (the user's text the message quotes).
    """

    code: int
    error: ExcelError
    message: str
    detailed: bool = False

    def text(self, detail: str | None = None) -> str:
        """The message of one element, its detail filled in."""
        if not self.detailed:
            return self.message
        return self.message.replace("{}", "" if detail is None else detail, 1)

    def marker(self, detail: str | None = None) -> str:
        """The classic-Excel error marker: literal, a space, the Chinese message."""
        return f"{self.error.literal} {self.text(detail)}"


OK = 0
#: BLANK is not an error: the element is deliberately empty (e.g. 位次变化 without a previous rank).
BLANK = 1

REASONS: list[Reason | None] = [None, None]
_BY_KEY: dict[tuple[ExcelError, str], int] = {}
_sealed = False


def reason(error: ExcelError, message: str) -> int:
    """Register (once, while :mod:`udfs` is imported) and return the code of a reason.

    A ``message`` containing ``{}`` is a template: each element's detail is filled in when the
    message is shown. After :func:`seal` registering a new reason is a programming error.
    """
    key = (error, message)
    code = _BY_KEY.get(key)
    if code is None:
        if _sealed:
            raise RuntimeError(
                f"reason codes are registered at import only; new reason after seal: {message!r}"
            )
        code = len(REASONS)
        REASONS.append(Reason(code, error, message, "{}" in message))
        _BY_KEY[key] = code
    return code


def seal() -> None:
    """Close the code table (called once :mod:`udfs` and all its functions are imported)."""
    global _sealed
    _sealed = True


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
