"""The file host: .xlsx/.xlsm workbooks through openpyxl, without Excel.

Saving is atomic (a temporary file in the same folder, then a rename) and keeps the VBA project
of .xlsm files. openpyxl neither computes formulas nor saves their results: this host evaluates
the workbook with the project's formula engine (:mod:`workbooks.recalc`) when asked
(:meth:`FileBook.recompute`) and before every save, and writes each formula's result as its
cached value, so the saved file opens with numbers in any program. Formula cells read as
``None`` until the workbook has been evaluated for the values written so far, and when the
engine cannot evaluate them (:meth:`FileBook.recompute` names those cells).
What openpyxl does not write back (pictures and shapes, sparklines, an .xlsm's ribbon …) is
copied back into the saved package (:mod:`workbooks.package_keep`); a workbook holding
something that cannot be kept is refused when it is opened, unless ``allow_loss``.
"""

from __future__ import annotations

import copy
import errno
import io
import os
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workbooks.errors import UserError
from workbooks.host import (
    BOTTOM_FILL,
    TOP_FILL,
    CachedSheet,
    Grid,
    Unevaluated,
    WriteClock,
    as_text_safe,
)
from workbooks.outputs import Output
from workbooks.package_guard import foreign_workbook, vet_package
from workbooks.package_keep import KeepPlan, plan_keep, refuse_losses
from workbooks.recalc import Recalc, recalculate
from workbooks.safe_files import create_temp, missing_file, real_target, remove_stale
from workbooks.suggest import did_you_mean
from workbooks.xlsx_package import write_package


class WorkbookError(UserError):
    """A file that cannot be opened or saved as a workbook (message in Chinese)."""


class FileSheet(CachedSheet):
    """A worksheet of an openpyxl workbook."""

    def __init__(self, ws: Worksheet, book: FileBook):
        self.ws = ws
        self.name = ws.title
        self._book = book
        self._clock = book._clock

    def _load(self) -> Grid:
        cells = self.ws._cells
        if not cells:
            return Grid([], {})
        nrows = max(r for r, _ in cells)
        ncols = max(c for _, c in cells)
        values: list[list[Any]] = [[None] * ncols for _ in range(nrows)]
        formulas: dict[tuple[int, int], str] = {}
        for (r, c), cell in cells.items():
            value = cell._value
            if cell.data_type == "f":
                formulas[(r, c)] = value if isinstance(value, str) else getattr(value, "text", "")
                continue
            values[r - 1][c - 1] = value
        if formulas:
            fresh = self._formula_values() or {}
            for r, c in formulas:
                values[r - 1][c - 1] = fresh.get((r, c))
        return Grid(values, formulas)

    def _formula_values(self) -> dict[tuple[int, int], Any] | None:
        """The book's results when they were computed for the values written so far, else None
        (formula cells then read blank until :meth:`FileBook.recompute`)."""
        return self._book._current_results(self.ws.title)

    def write_values(self, row: int, col: int, block: Sequence[Sequence[Any]]) -> None:
        ws = self.ws
        width = max((len(line) for line in block), default=0)
        self._book._written(self.ws.title, row, col, row + len(block) - 1, col + width - 1)
        for i, line in enumerate(block):
            for j, value in enumerate(line):
                value = as_text_safe(value)
                cell = ws.cell(row + i, col + j)
                if cell.data_type == "f":
                    self._book._restructured()  # a formula replaced by a constant
                cell.value = value
                if isinstance(value, str) and cell.data_type == "f":
                    cell.data_type = "s"  # text from outside is never a formula
        self._remember(row, col, block, formulas=False)

    def write_formulas(self, row: int, col: int, block: Sequence[Sequence[str]]) -> None:
        for i, line in enumerate(block):
            for j, formula in enumerate(line):
                if not (isinstance(formula, str) and formula.startswith("=")):
                    raise ValueError(f"不是公式：{formula!r}")
                self.ws.cell(row + i, col + j).value = formula
        self._book._restructured()
        self._remember(row, col, block, formulas=True)

    def set_number_format(self, row: int, col: int, nrows: int, ncols: int, fmt: str) -> None:
        for r in range(row, row + nrows):
            for c in range(col, col + ncols):
                self.ws.cell(r, c).number_format = fmt

    def highlight_top_bottom(self, row: int, col: int, nrows: int, n: int = 3) -> None:
        letter = get_column_letter(col)
        first, last = f"{letter}{row}", f"${letter}${row}:${letter}${row + nrows - 1}"
        ref = f"{letter}{row}:{letter}{row + nrows - 1}"
        rules = [
            (f"AND(ISNUMBER({first}),{first}<={n})", TOP_FILL),
            (f"AND(ISNUMBER({first}),{first}>=COUNT({last})-{n - 1})", BOTTOM_FILL),
        ]
        # ranks >= N-2 with N the ranked counties; the former ">= MAX-2" rule (a fourth county
        # when the last places tie) is replaced
        stale = f"AND(ISNUMBER({first}),{first}>=MAX({last})-{n - 1})"
        for cf in self.ws.conditional_formatting:
            if str(cf.sqref) == ref:
                cf.rules[:] = [r for r in cf.rules if tuple(r.formula or ()) != (stale,)]
        existing = {
            (str(cf.sqref), tuple(rule.formula or ()))
            for cf in self.ws.conditional_formatting
            for rule in cf.rules
        }
        for formula, color in rules:
            if (ref, (formula,)) in existing:
                continue
            fill = PatternFill(start_color=color, end_color=color, fill_type="solid")
            self.ws.conditional_formatting.add(ref, FormulaRule(formula=[formula], fill=fill))


class FileBook:
    """An .xlsx/.xlsm file loaded with openpyxl (host protocol :class:`~workbooks.host.BookHost`)."""

    def __init__(self, path: str | Path, allow_loss: bool = False):
        self.path = Path(path)
        if not self.path.exists():
            raise WorkbookError(missing_file(self.path))
        foreign = foreign_workbook(self.path)
        if foreign is not None:
            raise WorkbookError(foreign)
        suffix = self.path.suffix.lower()
        if suffix not in {".xlsx", ".xlsm"}:
            raise WorkbookError(f"只支持 .xlsx / .xlsm 工作簿：{self.path.name}")
        self.keep_vba = suffix == ".xlsm"
        vet_package(self.path)  # untrusted: sizes, XML and used area checked before parsing
        try:
            with warnings.catch_warnings():  # what it drops is put back or refused below
                warnings.filterwarnings("ignore", "(?s).*will be removed", UserWarning)
                self.wb = openpyxl.load_workbook(self.path, keep_vba=self.keep_vba)
        except Exception as exc:  # openpyxl's many ways of failing on a damaged or foreign file
            raise WorkbookError(
                f"无法打开工作簿「{self.path.name}」：文件内容不符合 Excel 工作簿的格式"
                "（可能已损坏，或由其他程序写得不规范）；请在 Excel/WPS 中打开后另存为 .xlsx 再试"
            ) from exc
        # parts openpyxl does not write: put back on saving, or refused here (--allow-loss)
        self._keep: KeepPlan | None = plan_keep(self.path)
        if not allow_loss:
            refuse_losses(self._keep, self.path.name)
        self._created: set[str] = set()  # sheets made here: saved as openpyxl writes them
        self._sheets: dict[str, FileSheet] = {}
        self._clock = WriteClock()
        self._recalc: Recalc | None = None
        self._recalc_at = -1
        self._since: list[tuple[str, int, int, int, int]] | None = []  # None: formulas changed

    @classmethod
    def from_workbook(
        cls, wb: openpyxl.Workbook, path: str | Path, keep_vba: bool = False
    ) -> FileBook:
        """Wrap a workbook already in memory (``path``: where it belongs, for messages and saving)."""
        book = cls.__new__(cls)
        book.path, book.wb, book.keep_vba, book._sheets = Path(path), wb, keep_vba, {}
        book._clock, book._recalc, book._recalc_at = WriteClock(), None, -1
        book._since = []
        book._keep, book._created = None, set()
        return book

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def sheet(self, name: str) -> FileSheet:
        if name not in self.wb.sheetnames:
            names = self.wb.sheetnames
            raise WorkbookError(
                f"「{self.path.name}」中找不到工作表「{name}」{did_you_mean(name, names)}"
                f"（现有：{'、'.join(names)}）"
            )
        if name not in self._sheets:
            self._sheets[name] = FileSheet(self.wb[name], self)
        return self._sheets[name]

    def active_sheet_name(self) -> str:
        return self.wb.active.title

    def recompute(self) -> Unevaluated:
        """Evaluate the workbook for the values written so far (only when a change since the
        last evaluation can change a result); returns the formula cells that could not be
        evaluated."""
        if not self._up_to_date():
            self._recalc = recalculate(self.wb)
            self._recalc_at = self._clock.count
            self._since = []
            for sheet in self._sheets.values():
                sheet._seen = -1  # read the new results on the next read
        assert self._recalc is not None
        return dict(self._recalc.failures)

    def _up_to_date(self) -> bool:
        """Whether the last evaluation's results hold for the workbook as it is now: nothing
        was written since, or only constants into cells no formula reads (ranks, changes and
        tallies, say) — sheets and formulas unchanged."""
        if self._recalc is None or self._since is None:
            return False
        if self._recalc_at != self._clock.count:
            if any(self._recalc.reads_any(*block) for block in self._since):
                return False
            self._recalc_at = self._clock.count
            self._since = []
        return True

    def _written(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> None:
        if self._since is not None:
            self._since.append((sheet, r1, c1, r2, c2))

    def _restructured(self) -> None:
        """Sheets or formulas changed: the next read of a result evaluates the workbook."""
        self._since = None

    def _current_results(self, title: str) -> dict[tuple[int, int], Any] | None:
        if not self._up_to_date():
            return None
        assert self._recalc is not None
        return self._recalc.of_sheet(title)

    def _place_after(self, ws: Worksheet, after: str) -> None:
        names = self.wb.sheetnames
        target = names.index(after) + 1
        self.wb.move_sheet(ws, offset=target - names.index(ws.title))

    def copy_sheet(self, name: str, new_name: str, after: str) -> FileSheet:
        loaded = self._sheets.get(name)
        known = loaded.read() if loaded is not None else None
        self._clock.tick()  # a new sheet: the workbook is evaluated again before it is read
        self._restructured()
        source = self.wb[name]
        target = self.wb.copy_worksheet(source)
        target.title = new_name
        self._created.add(new_name)
        target.protection = copy.copy(source.protection)  # a protected sheet's copy is too
        for cf in source.conditional_formatting:
            for rule in cf.rules:
                target.conditional_formatting.add(str(cf.sqref), copy.copy(rule))
        for dv in source.data_validations.dataValidation:
            target.add_data_validation(copy.copy(dv))
        target.freeze_panes = source.freeze_panes
        if source.print_title_rows:
            target.print_title_rows = source.print_title_rows
        if source.print_title_cols:
            target.print_title_cols = source.print_title_cols
        if source.print_area:
            target.print_area = [part.split("!")[-1] for part in source.print_area.split(",")]
        target.auto_filter.ref = source.auto_filter.ref
        target.sheet_view.zoomScale = source.sheet_view.zoomScale
        target.sheet_view.showGridLines = source.sheet_view.showGridLines
        target.sheet_properties.tabColor = source.sheet_properties.tabColor
        self._place_after(target, after)
        copied = self.sheet(new_name)
        if known is not None:
            copied.adopt(known)  # same formulas on the same values: the same results
        return copied

    def replace_sheet(self, name: str, after: str) -> FileSheet:
        if name in self.wb.sheetnames:
            del self.wb[name]
            self._sheets.pop(name, None)
        self._clock.tick()
        self._restructured()
        ws = self.wb.create_sheet(name)
        self._created.add(name)
        self._place_after(ws, after)
        return self.sheet(name)

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
        ws = self.wb[sheet]
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.legend = None
        chart.y_axis.title = None
        chart.x_axis.scaling.orientation = "maxMin"  # first place at the top
        data = Reference(ws, min_col=value_col, min_row=first_row - 1, max_row=last_row)
        labels = Reference(ws, min_col=label_col, min_row=first_row, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        chart.height, chart.width = 9, 13
        ws.add_chart(chart, anchor)
        ws.page_setup.orientation = "landscape"
        return True

    def save(self, out: str | Path) -> Path:
        """Write the workbook to ``out`` atomically (:mod:`workbooks.safe_files`), every formula
        with its result as cached value (evaluated first if anything changed); a formula the
        engine could not evaluate is saved without a value (see :meth:`recompute`)."""
        out = Path(out)
        self.recompute()
        assert self._recalc is not None
        updates = self._recalc.updates()
        package = io.BytesIO()  # openpyxl's package, then the cached values written into it
        try:
            with _sheet_temporaries_next_to(real_target(out)):
                self.wb.save(package)
        except _serialisation_errors() as exc:  # lxml's word for a failed write (IO_ENOSPC)
            _close_sheet_writers(exc)
            code = getattr(errno, str(exc).removeprefix("IO_"), None)
            if not isinstance(code, int):
                raise
            raise OSError(code, os.strerror(code), str(out)) from exc
        package = self._keep.restore(package, self._created) if self._keep else package
        write_package(package, out, updates)  # atomic: a temporary file moved into place
        return out


def _serialisation_errors() -> tuple[type[Exception], ...]:
    """lxml's exception for a sheet that could not be written, when openpyxl uses lxml."""
    try:
        from lxml.etree import SerialisationError
    except ImportError:
        return ()
    return (SerialisationError,)


def _close_sheet_writers(exc: BaseException) -> None:
    """Close what a failed ``openpyxl`` save left open: the half-written sheet's stream (a
    generator around lxml's ``xmlfile``) and the package being written. Left to the garbage
    collector, their closing fails again (``IO_ENOSPC``, a closed buffer) and Python prints
    that in English after our message."""
    from lxml.etree import SerialisationError
    from openpyxl.worksheet._writer import WorksheetWriter

    seen: set[int] = set()
    trace = exc.__traceback__
    while trace is not None:
        names = trace.tb_frame.f_locals
        for name in ("self", "writer", "archive"):
            thing = names.get(name)
            if id(thing) in seen:
                continue
            seen.add(id(thing))
            if isinstance(thing, WorksheetWriter):
                with suppress(SerialisationError):  # the same failed write, already reported
                    thing.xf.close()
            elif isinstance(thing, zipfile.ZipFile):
                # an in-memory package (nothing reaches the disk); a member still open for
                # writing leaves it as it is: it is dropped anyway
                with suppress(ValueError):
                    thing.close()
        trace = trace.tb_next


@contextmanager
def _sheet_temporaries_next_to(target: Path) -> Iterator[None]:
    """openpyxl writes each sheet to a temporary file of the system's temporary folder first,
    which a killed run leaves behind there; here they are named and placed like every other
    temporary file of tongji (next to ``target``, removed by the next run if this one dies)."""
    from openpyxl.worksheet import _writer

    made: list[Path] = []

    def create_temporary_file(suffix: str = "") -> str:
        try:
            descriptor, path = create_temp(target, f"{target.name}-sheet")
        except OSError as exc:  # name the workbook, not the temporary file
            exc.filename = str(target)
            raise
        os.close(descriptor)
        made.append(path)
        _writer.ALL_TEMP_FILES.append(str(path))  # openpyxl removes it from this list itself
        return str(path)

    original = _writer.create_temporary_file
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target.parent)
    _writer.create_temporary_file = create_temporary_file
    try:
        yield
    finally:
        _writer.create_temporary_file = original
        for path in made:
            path.unlink(missing_ok=True)


def save_result(book: FileBook, output: Output, default_name: str) -> tuple[Path, Path | None]:
    """Save a changed workbook where ``output`` says (over the input with a backup, to ``-o``'s
    file, or next to the input as ``default_name`` or its next free numbered form). Returns
    (saved, backup)."""
    return output.write(default_name, book.save)


def open_file(path: str | Path, allow_loss: bool = False) -> FileBook:
    """Load a workbook file as a host (``allow_loss``: open it even when saving would lose
    parts that cannot be kept, see :mod:`workbooks.package_keep`)."""
    return FileBook(path, allow_loss)


__all__ = ["FileBook", "FileSheet", "WorkbookError", "open_file", "save_result"]
