"""Splitting an Excel formula into tokens, with cell references made relative to their cell.

``=C5/B5*100`` in D5 and ``=C6/B6*100`` in D6 give the same token tuple (the references become
offsets from the formula's own cell), so a column of same-shaped formulas — and every cell of a
shared formula — is parsed and compiled once.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from openpyxl.utils.cell import column_index_from_string

from workbooks.formula.values import Unsupported

_SHEET = r"(?:'(?P<qsheet>(?:[^']|'')+)'|(?P<sheet>[^\W\d][\w.]*))!"
_CELL = r"\$?[A-Za-z]{1,3}\$?\d+"
_COLS = r"\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}"
_ROWS = r"\$?\d+:\$?\d+"
_REF_BODY = rf"(?P<ref>{_CELL}(?::{_CELL})?|{_COLS}|{_ROWS})(?![\w(.!])"

_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<error>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|SPILL!|CALC!|GETTING_DATA))
  | (?P<external>\[[^\]]*\])
  | (?:{_SHEET})?{_REF_BODY}
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<func>[A-Za-z_][\w.]*(?=\())
  | (?P<bool>(?:TRUE|FALSE)(?![\w(]))
  | (?P<name>[^\W\d][\w.]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%])
  | (?P<punct>[(),{{}};:])
    """,
    re.VERBOSE | re.IGNORECASE,
)

_CELL_PARTS = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")
_MAX_COLUMN = 16384
_MAX_ROW = 1048576


class Bound(NamedTuple):
    """One coordinate of a reference: absolute, or an offset from the formula's cell."""

    value: int
    absolute: bool

    def resolve(self, origin: int) -> int:
        return self.value if self.absolute else origin + self.value


class RefToken(NamedTuple):
    """A reference; ``last_row``/``last_col`` None mean "to the end of the used area"."""

    sheet: str | None
    first_row: Bound
    first_col: Bound
    last_row: Bound | None
    last_col: Bound | None
    single: bool


def _cell(text: str, row: int, col: int) -> tuple[Bound, Bound]:
    match = _CELL_PARTS.fullmatch(text)
    if match is None:  # pragma: no cover - the token pattern guarantees the shape
        raise Unsupported(f"无法识别的引用 {text}")
    col_abs, letters, row_abs, digits = match.groups()
    c, r = column_index_from_string(letters.upper()), int(digits)
    if c > _MAX_COLUMN or r > _MAX_ROW or r == 0:
        raise Unsupported(f"引用 {text} 超出工作表范围")
    return (
        Bound(r, True) if row_abs else Bound(r - row, False),
        Bound(c, True) if col_abs else Bound(c - col, False),
    )


def _reference(sheet: str | None, text: str, row: int, col: int) -> RefToken:
    if ":" not in text:
        r, c = _cell(text, row, col)
        return RefToken(sheet, r, c, r, c, True)
    first, last = text.split(":")
    if first.lstrip("$").isdigit():  # whole rows 3:5
        r1, r2 = int(first.lstrip("$")), int(last.lstrip("$"))
        b1 = Bound(r1, True) if first.startswith("$") else Bound(r1 - row, False)
        b2 = Bound(r2, True) if last.startswith("$") else Bound(r2 - row, False)
        return RefToken(sheet, b1, Bound(1, True), b2, None, False)
    if first.lstrip("$").isalpha():  # whole columns A:C
        c1 = column_index_from_string(first.lstrip("$").upper())
        c2 = column_index_from_string(last.lstrip("$").upper())
        b1 = Bound(c1, True) if first.startswith("$") else Bound(c1 - col, False)
        b2 = Bound(c2, True) if last.startswith("$") else Bound(c2 - col, False)
        return RefToken(sheet, Bound(1, True), b1, None, b2, False)
    r1, c1 = _cell(first, row, col)
    r2, c2 = _cell(last, row, col)
    return RefToken(sheet, r1, c1, r2, c2, False)


def tokenize(formula: str, row: int, col: int) -> tuple[tuple[str, Any], ...]:
    """Tokens of ``formula`` (without the leading ``=``) written in cell (row, col)."""
    tokens: list[tuple[str, Any]] = []
    position = 0
    length = len(formula)
    while position < length:
        match = _TOKEN.match(formula, position)
        if match is None:
            raise Unsupported(f"公式中「{formula[position : position + 10]}」无法识别")
        position = match.end()
        kind = match.lastgroup
        text = match.group(0)
        if kind == "ws":
            continue
        if kind == "external":
            raise Unsupported("引用了其他工作簿（外部链接）")
        if match.group("ref") is not None:
            sheet = match.group("qsheet")
            sheet = sheet.replace("''", "'") if sheet is not None else match.group("sheet")
            tokens.append(("ref", _reference(sheet, match.group("ref"), row, col)))
        elif kind in ("sheet", "qsheet"):  # pragma: no cover - part of a ref match
            continue
        elif kind == "string":
            tokens.append(("string", text[1:-1].replace('""', '"')))
        elif kind == "number":
            tokens.append(("number", float(text)))
        elif kind == "bool":
            tokens.append(("bool", text.upper() == "TRUE"))
        elif kind == "error":
            tokens.append(("error", text.upper()))
        elif kind == "func":
            tokens.append(("func", text.upper()))
        elif kind == "name":
            tokens.append(("name", text))
        else:
            tokens.append((kind or "punct", text))
    return tuple(tokens)
