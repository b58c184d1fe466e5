"""Formula results of a workbook held in memory (openpyxl), computed with the project's engine.

openpyxl neither computes formulas nor keeps their results when it saves. The file host
(:mod:`workbooks.file_host`) therefore evaluates the in-memory workbook with the engine behind
``tongji compute`` (:mod:`workbooks.formula`) after it has written inputs: the ranking then sees
fresh results, and every saved file carries a cached value next to each formula (written into
the package by :mod:`workbooks.xlsx_package`), so WPS, LibreOffice, phone previews and
``openpyxl.load_workbook(data_only=True)`` show numbers. A formula the engine cannot evaluate —
and every formula depending on it — gets no value and is listed with the reason, never a stale
or made-up one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook

from workbooks.formula.engine import Engine, Key
from workbooks.formula.values import XLError
from workbooks.formula.workbook import book_sheets
from workbooks.xlsx_package import NO_VALUE, Update


@dataclass
class Recalc:
    """The result of one evaluation: a value for every formula cell (and array-formula member)
    that could be computed, and the reason for every one that could not."""

    values: dict[Key, Any] = field(default_factory=dict)
    failures: dict[Key, str] = field(default_factory=dict)
    cells: list[Key] = field(default_factory=list)  # every formula cell and array member
    engine: Engine | None = None  # None: the workbook has no formula

    def reads_any(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> bool:
        """Whether a formula reads a cell of the block: writing constants elsewhere leaves
        every result as it is."""
        return self.engine is not None and self.engine.reads_any(sheet, r1, c1, r2, c2)

    def of_sheet(self, name: str) -> dict[tuple[int, int], Any]:
        """Results of one sheet by (row, col), errors as their literal (``#DIV/0!``), as a
        program reading the saved values sees them."""
        return {
            (r, c): str(v) if isinstance(v, XLError) else v
            for (s, r, c), v in self.values.items()
            if s == name
        }

    def updates(self) -> dict[str, dict[tuple[int, int], Update]]:
        """Cached values to write into the saved package: sheet → (row, col) → value (no value
        for a failed cell, so that no stale result survives)."""
        out: dict[str, dict[tuple[int, int], Update]] = {}
        for key in self.cells:
            value = self.values.get(key, NO_VALUE)
            out.setdefault(key[0], {})[(key[1], key[2])] = Update(value)
        return out


def recalculate(wb: Workbook) -> Recalc:
    """Evaluate every formula of ``wb`` (nothing to do, and no engine, without formulas)."""
    sheets, names = book_sheets(wb)
    cells: list[Key] = []
    anchors: dict[Key, Key] = {}  # array-formula member → its anchor
    for sheet in sheets:
        for (row, col), formula in sheet.formulas.items():
            cells.append((sheet.name, row, col))
            if formula.array_ref is not None:
                r1, c1, r2, c2 = formula.array_ref
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        if (r, c) != (row, col):
                            cells.append((sheet.name, r, c))
                            anchors[(sheet.name, r, c)] = (sheet.name, row, col)
    if not cells:
        return Recalc()
    engine = Engine(sheets, names)
    engine.run()
    failures = dict(engine.failures)
    values = {
        key: value
        for key, value in engine.formula_results().items()
        if value is None or isinstance(value, (bool, float, int, str, XLError))
    }
    for key in cells:
        if key not in values and key not in failures:
            anchor = anchors.get(key)
            failures[key] = failures.get(anchor, "没有得到结果") if anchor else "没有得到结果"
    return Recalc(values, failures, cells, engine)


__all__ = ["Recalc", "recalculate"]
