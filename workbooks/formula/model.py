"""What the evaluator reads from a workbook: sheets of constants and formulas, cell keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.cell import get_column_letter

from workbooks.formula.tokens import Tokens

Key = tuple[str, int, int]  # sheet name, row, column (1-based)


def address(key: Key) -> str:
    """``表!B5`` for ``("表", 5, 2)``: how a cell is named to the user."""
    sheet, row, col = key
    return f"{sheet}!{get_column_letter(col)}{row}"


@dataclass(slots=True)
class Formula:
    """One formula cell: its text (without ``=``) and, for an array formula, its range."""

    text: str
    array_ref: tuple[int, int, int, int] | None = None  # first row, col, last row, col
    tokens: Tokens | None = None  # relative tokens, once read


@dataclass
class Sheet:
    name: str
    constants: dict[tuple[int, int], Any] = field(default_factory=dict)
    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    max_row: int = 0
    max_col: int = 0
