"""What a ribbon command needs from a workbook, whichever program holds it.

A command (rank, refresh, …) is written once against :class:`BookHost` / :class:`SheetHost`;
:mod:`workbooks.file_host` runs it on an .xlsx/.xlsm file, :mod:`addin.xlwings_host`
on a workbook open in Excel (``xw.Book.caller()``, or any ``xw.Book``).

Conventions: rows and columns are 1-based, as in Excel. A *grid* is the sheet's cell values
from A1 to the last used cell (a list of row lists, ``None`` for empty). Formula cells are
listed separately (:attr:`Grid.formulas`); their value in the grid is their result for the
values written so far where the host knows it, else ``None`` — never a result computed from
inputs that have been overwritten since. :meth:`BookHost.recompute` brings every formula
result up to date (Excel computes by itself; the file host evaluates the workbook with
:mod:`workbooks.formula`), and names the cells that could not be evaluated.

Safety rules every host keeps:

- :meth:`SheetHost.write_values` never creates a formula: a text starting with ``=`` is written
  as text (data from outside the workbook is untrusted);
- only :meth:`SheetHost.write_formulas` writes formulas;
- reads see every write made through the host before (the grid is kept up to date), also on
  hosts whose own reads only see a snapshot.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

#: Fill colours of the top-three and bottom-three highlight (RGB hex, no '#').
TOP_FILL = "C6EFCE"
BOTTOM_FILL = "FFC7CE"


@dataclass
class Grid:
    """Cell values from A1 and the formulas of the sheet.

    ``formulas`` maps (row, col) to the formula text (``"=…"``); ``None`` when the host cannot
    tell formulas from values (then commands only write where they must)."""

    values: list[list[Any]]
    formulas: dict[tuple[int, int], str] | None = field(default_factory=dict)

    def get(self, row: int, col: int) -> Any:
        if row - 1 < len(self.values) and col - 1 < len(self.values[row - 1]):
            return self.values[row - 1][col - 1]
        return None

    def is_formula(self, row: int, col: int) -> bool | None:
        """True/False, or None when the host cannot tell."""
        if self.formulas is None:
            return None
        return (row, col) in self.formulas

    def put(self, row: int, col: int, value: Any) -> None:
        while len(self.values) < row:
            self.values.append([])
        line = self.values[row - 1]
        while len(line) < col:
            line.append(None)
        line[col - 1] = value

    def copy(self) -> Grid:
        return Grid(
            [list(r) for r in self.values],
            None if self.formulas is None else dict(self.formulas),
        )


#: Formula cells a host could not evaluate: (sheet, row, col) → reason (Chinese).
Unevaluated = dict[tuple[str, int, int], str]


class WriteClock:
    """Counts the changes made to one workbook through its host; a sheet's formula results
    are fresh when they were taken at the current count."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def tick(self) -> None:
        self.count += 1


class SheetHost(Protocol):
    """One worksheet."""

    name: str

    def read(self) -> Grid:
        """Cell values and formulas (kept up to date with writes made through this object)."""
        ...

    def write_values(self, row: int, col: int, block: Sequence[Sequence[Any]]) -> None:
        """Write a block of values (float, int, str, None) with its top-left cell at (row, col).
        Text is always written as text, never as a formula."""
        ...

    def write_formulas(self, row: int, col: int, block: Sequence[Sequence[str]]) -> None:
        """Write formulas (each ``"=…"``) with the block's top-left cell at (row, col)."""
        ...

    def set_number_format(self, row: int, col: int, nrows: int, ncols: int, fmt: str) -> None:
        """Excel number format for a block of cells."""
        ...

    def highlight_top_bottom(self, row: int, col: int, nrows: int, n: int = 3) -> None:
        """Mark the best ``n`` (rank ≤ n) and worst ``n`` ranks of a 位次 column block with
        conditional formatting (fill colours :data:`TOP_FILL`, :data:`BOTTOM_FILL`).
        Running it again does not add the rules twice."""
        ...

    def wrote(self, row: int, col: int) -> bool:
        """Whether the cell was written through this host (its value is then known)."""
        ...

    def changed(self) -> bool:
        """Whether anything of the workbook was written through this host."""
        ...


class BookHost(Protocol):
    """One workbook."""

    def sheet_names(self) -> list[str]:
        """Sheet names in tab order."""
        ...

    def sheet(self, name: str) -> SheetHost:
        """The sheet called ``name`` (KeyError when there is none)."""
        ...

    def active_sheet_name(self) -> str:
        """The sheet the user is on (for files: the workbook's active sheet)."""
        ...

    def copy_sheet(self, name: str, new_name: str, after: str) -> SheetHost:
        """Copy sheet ``name`` with everything on it (values, formulas, formats, column widths,
        merged cells, conditional formats, validations, print setup) as ``new_name``, placed
        after sheet ``after``."""
        ...

    def replace_sheet(self, name: str, after: str) -> SheetHost:
        """An empty sheet ``name`` (replacing one of that name) placed after ``after``."""
        ...

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
        """A native bar chart of ``value_col`` against ``label_col`` (rows first_row..last_row,
        header in first_row − 1); False when the host cannot make charts."""
        ...

    def recompute(self) -> Unevaluated:
        """Bring every formula result the sheets' readers see up to date with the values
        written so far (call it after writing inputs and before reading formula results, e.g.
        before ranking a formula 增长 column). Returns the formula cells that could not be
        evaluated, with the reason; those read as ``None``."""
        ...


class CachedSheet:
    """Base for hosts: keeps the grid read once and updates it on every write.

    A host shares one :class:`WriteClock` between the sheets of a workbook (``_clock``): a
    write anywhere may change a formula's result anywhere, so after any write a sheet's
    formula values are taken again (:meth:`_formula_values`) before they are read."""

    name: str
    _grid: Grid | None = None
    _clock: WriteClock | None = None
    _seen: int = 0  # the clock's count the grid's formula values belong to
    _written: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset()  # cells written

    def _load(self) -> Grid:  # pragma: no cover - implemented by hosts
        raise NotImplementedError

    def _formula_values(self) -> dict[tuple[int, int], Any] | None:
        """Current results of the formula cells after writes, where the host can compute or ask
        for them; None (the default) leaves them blank: a stale result is never read."""
        return None

    def _writes(self) -> WriteClock:
        if self._clock is None:
            self._clock = WriteClock()
        return self._clock

    def read(self) -> Grid:
        clock = self._writes()
        if self._grid is None:
            self._grid = self._load()
            self._seen = clock.count
        if self._seen != clock.count:
            self._seen = clock.count
            fresh = self._formula_values() or {}
            for r, c in self._grid.formulas or {}:
                self._grid.put(r, c, fresh.get((r, c)))
        return self._grid

    def wrote(self, row: int, col: int) -> bool:
        """Whether the cell was written through this host (its value is then known)."""
        return (row, col) in self._written

    def changed(self) -> bool:
        """Whether anything of the workbook was written through this host."""
        return self._writes().count > 0

    def _remember(self, row: int, col: int, block: Sequence[Sequence[Any]], formulas: bool) -> None:
        if self._grid is None:
            self.read()
        grid = self._grid
        assert grid is not None
        self._writes().tick()
        if not isinstance(self._written, set):
            self._written = set()
        for i, line in enumerate(block):
            for j, value in enumerate(line):
                r, c = row + i, col + j
                self._written.add((r, c))
                if formulas:
                    grid.put(r, c, None)
                    if grid.formulas is not None:
                        grid.formulas[(r, c)] = value
                else:
                    grid.put(r, c, value)
                    if grid.formulas is not None:
                        grid.formulas.pop((r, c), None)

    def adopt(self, grid: Grid) -> None:
        """Start from a known grid (a copy of another sheet's) instead of reading."""
        self._grid = copy.deepcopy(grid)
        self._seen = self._writes().count


def write_rows(sheet: SheetHost, col: int, cells: Sequence[tuple[int, Any]]) -> None:
    """Write ``(row, value)`` cells of one column, one write per run of neighbouring rows (a
    write is a round trip on a live workbook); rows in between are not touched."""
    run: list[Any] = []
    start = 0
    for row, value in cells:
        if run and row == start + len(run):
            run.append(value)
            continue
        if run:
            sheet.write_values(start, col, [[v] for v in run])
        start, run = row, [value]
    if run:
        sheet.write_values(start, col, [[v] for v in run])


def as_text_safe(value: Any) -> Any:
    """A value fit for a data cell: numbers and None as they are, everything else as text."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return str(value)


__all__ = [
    "BOTTOM_FILL",
    "TOP_FILL",
    "BookHost",
    "CachedSheet",
    "Grid",
    "SheetHost",
    "Unevaluated",
    "WriteClock",
    "as_text_safe",
    "write_rows",
]
