"""The live-workbook host: a workbook open in Excel, through xlwings.

Works with any ``xw.Book``: the calling workbook of a ribbon button (``xw.Book.caller()``) on
desktop Excel, or a remote book (``xw.Book(json=...)``, xlwings Server / Office.js) whose
writes are queued as actions. On engines that do not send formulas with the workbook (the
remote one), :attr:`Grid.formulas` is ``None`` and commands only write to cells they must
fill; conditional formatting falls back to fill colours where the engine has no API for it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from workbooks.host import (
    BOTTOM_FILL,
    TOP_FILL,
    CachedSheet,
    Grid,
    Unevaluated,
    WriteClock,
    as_text_safe,
)


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


class XlSheet(CachedSheet):
    """A worksheet of an ``xw.Book``."""

    def __init__(self, sheet: Any, clock: WriteClock | None = None):
        self.xw_sheet = sheet
        self.name = sheet.name
        self._clock = clock

    def _load(self) -> Grid:
        used = self.xw_sheet.used_range
        values = used.options(ndim=2).value or []
        row0, col0 = used.row, used.column
        grid = Grid([], {})
        for i, line in enumerate(values):
            for j, value in enumerate(line):
                if value is not None and value != "":
                    grid.put(row0 + i, col0 + j, value)
        try:
            formulas = used.formula
        except NotImplementedError:
            grid.formulas = None
            return grid
        if isinstance(formulas, str):
            formulas = ((formulas,),)
        for i, line in enumerate(formulas):
            for j, text in enumerate(line):
                if isinstance(text, str) and text.startswith("="):
                    grid.formulas[(row0 + i, col0 + j)] = text
        return grid

    def _formula_values(self) -> dict[tuple[int, int], Any] | None:
        if isinstance(self.xw_sheet.api, dict):
            return None  # remote engine: reads only see the snapshot sent with the request
        grid = self._grid
        if grid is None or not grid.formulas:
            return None
        used = self.xw_sheet.used_range  # Excel has recalculated after the writes
        values = used.options(ndim=2).value or []
        row0, col0 = used.row, used.column
        out = {}
        for r, c in grid.formulas:
            i, j = r - row0, c - col0
            if 0 <= i < len(values) and 0 <= j < len(values[i]):
                out[(r, c)] = values[i][j]
        return out

    def write_values(self, row: int, col: int, block: Sequence[Sequence[Any]]) -> None:
        safe = []
        for line in block:
            out = []
            for value in line:
                value = as_text_safe(value)
                if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) and value:
                    value = "'" + value  # Excel's text marker: never a formula
                out.append(value)
            safe.append(out)
        self.xw_sheet.range((row, col)).value = safe
        self._remember(row, col, block, formulas=False)

    def write_formulas(self, row: int, col: int, block: Sequence[Sequence[str]]) -> None:
        for line in block:
            for formula in line:
                if not (isinstance(formula, str) and formula.startswith("=")):
                    raise ValueError(f"不是公式：{formula!r}")
        rng = self.xw_sheet.range((row, col)).resize(len(block), len(block[0]))
        rng.formula = [list(line) for line in block]
        self._remember(row, col, block, formulas=True)

    def set_number_format(self, row: int, col: int, nrows: int, ncols: int, fmt: str) -> None:
        self.xw_sheet.range((row, col)).resize(nrows, ncols).number_format = fmt

    def highlight_top_bottom(self, row: int, col: int, nrows: int, n: int = 3) -> None:
        rng = self.xw_sheet.range((row, col)).resize(nrows, 1)
        if sys.platform.startswith("win") and not isinstance(self.xw_sheet.api, dict):
            self._com_rules(rng, row, col, nrows, n)
            return
        # Engines without conditional formatting: colour the current top and bottom cells.
        ranks = [self.read().get(row + i, col) for i in range(nrows)]
        numbers = [r for r in ranks if isinstance(r, (int, float))]
        worst = len(numbers)  # ranks >= N-2, N the ranked counties (not the largest rank)
        for i, value in enumerate(ranks):
            cell = self.xw_sheet.range((row + i, col))
            if isinstance(value, (int, float)) and value <= n:
                cell.color = _hex_to_rgb(TOP_FILL)
            elif isinstance(value, (int, float)) and value >= worst - (n - 1):
                cell.color = _hex_to_rgb(BOTTOM_FILL)
            else:
                cell.color = None

    def _com_rules(
        self, rng: Any, row: int, col: int, nrows: int, n: int
    ) -> None:  # pragma: no cover - Windows
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(col)
        first, whole = f"{letter}{row}", f"${letter}${row}:${letter}${row + nrows - 1}"
        conditions = rng.api.FormatConditions
        wanted = {
            f"=AND(ISNUMBER({first}),{first}<={n})": TOP_FILL,
            f"=AND(ISNUMBER({first}),{first}>=COUNT({whole})-{n - 1})": BOTTOM_FILL,
        }
        stale = f"=AND(ISNUMBER({first}),{first}>=MAX({whole})-{n - 1})"
        for i in range(conditions.Count, 0, -1):
            if conditions.Item(i).Formula1 == stale:
                conditions.Item(i).Delete()
        present = {conditions.Item(i).Formula1 for i in range(1, conditions.Count + 1)}
        for formula, color in wanted.items():
            if formula in present:
                continue
            rule = conditions.Add(Type=2, Formula1=formula)  # 2 = xlExpression
            r, g, b = _hex_to_rgb(color)
            rule.Interior.Color = r + g * 256 + b * 65536


class XlBook:
    """An ``xw.Book`` as a host (protocol :class:`~workbooks.host.BookHost`)."""

    def __init__(self, book: Any):
        self.book = book
        self._sheets: dict[str, XlSheet] = {}
        self._clock = WriteClock()

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def sheet(self, name: str) -> XlSheet:
        if name not in self._sheets:
            if name not in self.sheet_names():
                raise KeyError(name)
            self._sheets[name] = XlSheet(self.book.sheets[name], self._clock)
        return self._sheets[name]

    def active_sheet_name(self) -> str:
        return self.book.sheets.active.name

    def recompute(self) -> Unevaluated:
        """Excel computes by itself: on desktop Excel a workbook set to manual calculation is
        calculated now, and formula values are read again after writes. The remote engine
        reads a snapshot taken before the command (formulas are not sent with it), so there
        is nothing to evaluate here."""
        if sys.platform.startswith("win") and not isinstance(
            self.book.sheets[0].api, dict
        ):  # pragma: no cover - Windows
            self.book.app.calculate()
        return {}

    def copy_sheet(self, name: str, new_name: str, after: str) -> XlSheet:
        source = self.sheet(name)
        new = self.book.sheets[name].copy(after=self.book.sheets[after], name=new_name)
        self._clock.tick()
        host = XlSheet(new, self._clock)
        host.adopt(source.read())
        self._sheets[new_name] = host
        return host

    def replace_sheet(self, name: str, after: str) -> XlSheet:
        if name in self.sheet_names():
            self.book.sheets[name].delete()
            self._sheets.pop(name, None)
        new = self.book.sheets.add(name=name, after=self.book.sheets[after])
        self._clock.tick()
        host = XlSheet(new, self._clock)
        host.adopt(Grid([], {}))
        self._sheets[name] = host
        return host

    def add_bar_chart(
        self,
        sheet: str,
        title: str,
        first_row: int,
        last_row: int,
        label_col: int,
        value_col: int,
        anchor: str,
    ) -> bool:
        ws = self.book.sheets[sheet]
        try:
            chart = ws.charts.add(
                left=ws.range(anchor).left, top=ws.range(anchor).top, width=420, height=260
            )
            chart.chart_type = "bar_clustered"
            chart.set_source_data(ws.range((first_row - 1, label_col), (last_row, value_col)))
            chart.api[1].ChartTitle.Text = title  # pragma: no cover - Windows
        except (NotImplementedError, AttributeError, TypeError, KeyError):
            return False
        return True


__all__ = ["XlBook", "XlSheet"]
