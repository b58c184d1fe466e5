"""计算公式 / 导出数值版 on files: every formula evaluated, values written into the workbook.

``compute_file`` keeps every formula and adds its computed value as the cell's cached value, so
WPS, LibreOffice, phone previews and any program that reads values see the numbers.
``export_values_file`` writes a copy in which the ``TJ_`` formulas (or all formulas) are
replaced by their values, for colleagues without the add-in.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from workbooks.background_vetting import Pending, vetting
from workbooks.backups import keep_backup
from workbooks.errors import UserError
from workbooks.formula.engine import Engine, Key, address, paused_gc
from workbooks.formula.model import Formula, Sheet
from workbooks.formula.package_reader import read_package
from workbooks.formula.tokens import function_names, text_function_names
from workbooks.formula.values import Unsupported, XLError
from workbooks.formula.workbook import read_sheets_openpyxl
from workbooks.package_guard import WORKBOOK, Limits, PackageError, foreign_workbook, vet_package
from workbooks.safe_files import missing_file, resolved
from workbooks.xlsx_package import NO_VALUE, NoValue, Update, write_package

SUFFIXES = (".xlsx", ".xlsm")

Cell = tuple[int, int]  # row, column of a cell of one sheet


class WorkbookProblem(UserError):
    """A workbook that cannot be processed; the message (Chinese) says why and what to do."""


@dataclass
class Report:
    """What a computation did: counts, time, and the formulas it could not evaluate."""

    formulas: int = 0
    tj_formulas: int = 0
    errors: int = 0
    written: int = 0
    replaced: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # cell address → reason
    seconds: float = 0.0
    backup: Path | None = None  # the copy kept before the input was overwritten


def check_workbook(path: Path) -> None:
    """Refuse a file that is not a workbook this command may open (before any parser sees it)."""
    _check_name(path)
    vet_package(path)  # untrusted: sizes, XML and used area checked before parsing


def _check_name(path: Path) -> None:
    if not path.exists():
        raise WorkbookProblem(missing_file(path))
    foreign = foreign_workbook(path)
    if foreign is not None:
        raise WorkbookProblem(foreign)
    if path.suffix.lower() not in SUFFIXES:
        raise WorkbookProblem(
            f"「{path.name}」不是 .xlsx/.xlsm 工作簿；.xls、.et 等格式请先在 Excel/WPS 中另存为 .xlsx。"
        )


def calls_tj(engine: Engine, anchor: Key) -> bool:
    """Whether the formula at ``anchor`` calls a ``TJ_`` function (a string literal that
    happens to contain "TJ_" does not count)."""
    sheet, row, col = anchor
    formula = engine.sheets[sheet].formulas[(row, col)]
    try:
        names = function_names(engine.tokens(formula, row, col))
    except Unsupported:  # e.g. an external link: the evaluator's tokens were not made
        names = text_function_names(formula.text)
    return any(name.rsplit(".", 1)[-1].startswith("TJ_") for name in names)


def evaluate_workbook(path: Path, run: bool = True) -> Engine:
    """The workbook read into the engine and (``run``) every formula evaluated; returned only
    once the package has passed :func:`~workbooks.package_guard.vet_package`.

    The package's XML is vetted in a second process while this one reads and evaluates it
    (:mod:`workbooks.background_vetting`); a refused package is refused with vetting's message,
    whatever reading it did meanwhile.
    """
    _check_name(path)
    with vetting(path, WORKBOOK) as pending:
        try:
            engine = _read_and_run(path, pending, run)
        except Exception:
            pending.wait()  # a refused package is refused for what it is
            raise
        pending.wait()
    return engine


def _read_and_run(path: Path, pending: Pending, run: bool) -> Engine:
    try:
        # regular expressions: no XML parser, no entity expanded; an unvetted package is read
        # within the limits, stopping as soon as it exceeds them
        found = read_package(path, limits=None if pending.done else WORKBOOK)
    except PackageError:
        pending.wait()  # vetting's own message first
        found = read_package(path)  # it passed: vetted, read without the limits
    except Exception as exc:  # an unvetted package may fail in any way: vetting says why
        pending.wait()
        raise _unreadable(path) from exc
    if found is None:
        pending.wait()  # openpyxl parses vetted packages only
        try:
            found = read_sheets_openpyxl(path)
        except Exception as exc:  # openpyxl raises many kinds on damaged files
            raise _unreadable(path) from exc
    sheets, names = found
    pending.check()
    if not pending.done:
        _within_limits(path, sheets, WORKBOOK, pending)
    engine = Engine(sheets, names)
    if run:
        engine.run()
    return engine


def _unreadable(path: Path) -> WorkbookProblem:
    return WorkbookProblem(
        f"「{path.name}」无法读取：文件内容不符合 Excel 工作簿的格式（可能已损坏，"
        "或由其他程序写得不规范）；请在 Excel/WPS 中打开后另存为 .xlsx 再试"
    )


def _within_limits(path: Path, sheets: list[Sheet], limits: Limits, pending: Pending) -> None:
    """Sheets read from a package not vetted yet are counted as vetting counts them (cells,
    with every cell of an array formula's range; a sheet's area spanned by its cells; each
    array range on its own) before the engine builds anything from them. Over a limit, the
    verdict is awaited: a refusal is raised with vetting's message, and a package vetting
    passed goes on (it is vetted then)."""
    cells = 0
    for sheet in sheets:
        cells += len(sheet.constants) + len(sheet.formulas)
        widest = 0
        for formula in sheet.formulas.values():
            if formula.array_ref is not None:  # corners in any order (B9:A1) as written
                r1, c1, r2, c2 = formula.array_ref
                size = (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
                cells += size
                widest = max(widest, size)
        if sheet.max_row * sheet.max_col > limits.area or widest > limits.area:
            break
        if cells > limits.cells:
            break
    else:
        return
    pending.wait()  # vetting's own message; nothing more to check once it has passed


@dataclass
class _SheetCells:
    """The formula cells of one sheet: which of them call ``TJ_``, and array-formula members."""

    name: str
    formulas: Mapping[Cell, Formula]  # the evaluator's own, not copied
    tj: set[Cell]  # the formula cells calling a TJ_ function
    #: with array formulas: every cell (formula cells and array members, in the order they are
    #: reported) → its anchor; None without (every cell is a formula cell, its own anchor)
    anchors: dict[Cell, Cell] | None = None

    def cells(self) -> Iterable[Cell]:
        return self.formulas if self.anchors is None else self.anchors

    def anchor(self, cell: Cell) -> Cell:
        return cell if self.anchors is None else self.anchors[cell]


_TOKENS = attrgetter("tokens")
_ARRAY_REF = attrgetter("array_ref")


def _formula_cells(engine: Engine) -> list[_SheetCells]:
    """Every sheet's formula cells: which call TJ_ (decided once per formula shape: cells with
    the same relative formula share one tokens object) and the members of array formulas."""
    out: list[_SheetCells] = []
    by_shape: dict[int, bool] = {}  # id of a formula shape's tokens (shared, kept alive) → TJ_?
    for sheet in engine.sheets.values():
        name, formulas = sheet.name, sheet.formulas
        tokens = list(map(_TOKENS, formulas.values()))
        shapes = list(map(id, tokens))
        tj_shapes = set()
        for shape, (row, col) in dict(zip(shapes, formulas, strict=True)).items():
            if shape == id(None):
                continue
            if shape not in by_shape:
                by_shape[shape] = calls_tj(engine, (name, row, col))
            if by_shape[shape]:
                tj_shapes.add(shape)
        tj = (
            {cell for cell, shape in zip(formulas, shapes, strict=True) if shape in tj_shapes}
            if tj_shapes
            else set()
        )
        if id(None) in shapes:  # formulas the evaluator could not read: each looked at
            for (row, col), found in zip(formulas, tokens, strict=True):
                if found is None and calls_tj(engine, (name, row, col)):
                    tj.add((row, col))
        cells = _SheetCells(name, formulas, tj)
        if any(map(_ARRAY_REF, formulas.values())):
            anchors = cells.anchors = {}
            for anchor, formula in formulas.items():
                anchors[anchor] = anchor
                if formula.array_ref is not None:
                    r1, c1, r2, c2 = formula.array_ref
                    for r in range(r1, r2 + 1):
                        for c in range(c1, c2 + 1):
                            anchors.setdefault((r, c), anchor)
        out.append(cells)
    return out


def _sheet_values(
    cells: _SheetCells, values: Mapping[Key, Any], failed: set[Cell]
) -> tuple[dict[Cell, Any], list[Cell]]:
    """The value to write into each cell of the sheet (:data:`NO_VALUE` where there is none:
    the cell or its array formula failed, or its result is no cell value), and the cells left
    without one, in order."""
    name, get = cells.name, values.get
    sheet = {(row, col): get((name, row, col), NO_VALUE) for row, col in cells.cells()}
    if not failed and Counter(map(type, sheet.values())).keys() <= _VALUE_TYPES:
        return sheet, []  # the common case: every formula has a plain value
    if cells.anchors is None:
        cleared = [
            cell
            for cell, value in sheet.items()
            if cell in failed or (type(value) not in _VALUE_TYPES and not _is_value(value))
        ]
    else:
        anchors = cells.anchors
        cleared = [
            cell
            for cell, value in sheet.items()
            if cell in failed or anchors[cell] in failed or not _is_value(value)
        ]
    for cell in cleared:
        sheet[cell] = NO_VALUE
    return sheet, cleared


#: the types of cell values written as they are (:func:`_is_value` for anything else)
_VALUE_TYPES = {type(None), bool, float, int, str, XLError}


def _errors(sheet: dict[Cell, Any]) -> int:
    """How many of the values are error values."""
    kinds = Counter(map(type, sheet.values()))
    return sum(count for kind, count in kinds.items() if issubclass(kind, XLError))


def _failed_cells(failures: Mapping[Key, str]) -> dict[str, set[Cell]]:
    """The failed cells of each sheet."""
    out: dict[str, set[Cell]] = {}
    for sheet, row, col in failures:
        out.setdefault(sheet, set()).add((row, col))
    return out


def _failures(engine: Engine) -> dict[str, str]:
    return {address(key): reason for key, reason in engine.failures.items()}


def compute_file(source: Path, target: Path | None = None, backup: bool = True) -> Report:
    """Evaluate every formula of ``source`` and write the values as cached values.

    ``target`` None writes back into ``source`` after keeping a backup copy next to it.
    """
    started = time.perf_counter()
    with paused_gc():
        report = _compute(source, target, backup)
    report.seconds = time.perf_counter() - started
    return report


def _compute(source: Path, target: Path | None, backup: bool) -> Report:
    # the evaluator is dropped here, its memory freed at once for the writer (nothing it
    # leaves behind refers back to it: no garbage collection needed)
    report, updates = _cached_values(evaluate_workbook(source))
    destination = target if target is not None else source
    if backup and destination.exists() and resolved(destination) == resolved(source):
        report.backup = keep_backup(source)
    write_package(source, destination, updates)
    return report


def _cached_values(engine: Engine) -> tuple[Report, dict[str, dict[Cell, Any]]]:
    """The report and the cell updates (sheet → cells: the value, or :data:`NO_VALUE` to clear
    a stale one) of an evaluated workbook."""
    report = Report(failures=_failures(engine))
    failed = _failed_cells(engine.failures)
    updates: dict[str, dict[Cell, Any]] = {}
    for cells in _formula_cells(engine):
        sheet, cleared = _sheet_values(cells, engine.results, failed.get(cells.name, set()))
        report.formulas += len(cells.formulas)
        report.tj_formulas += len(cells.tj)
        report.errors += _errors(sheet)
        report.written += len(sheet) - len(cleared)
        if sheet:
            updates[cells.name] = sheet
    return report, updates


def _is_value(value: Any) -> bool:
    return value is None or isinstance(value, (bool, float, int, str, XLError))


def values_copy_name(path: Path) -> Path:
    return path.with_name(f"{path.stem}_数值版{path.suffix}")


def export_values_file(
    source: Path,
    target: Path | None = None,
    all_formulas: bool = False,
    values: Mapping[Key, Any] | None = None,
) -> tuple[Path, Report]:
    """A copy of ``source`` where ``TJ_`` formulas (or every formula) are replaced by values.

    Every other formula stays a formula and carries its value as the cell's cached value, so
    a phone preview or any program that shows cached values sees a number in every formula
    cell, never a blank. ``values`` gives the values to write (e.g. Excel's own, read from the
    open workbook); without it the workbook is evaluated here with the project's formula
    engine. A formula without a value is kept as a formula (without a cached value) and listed
    in the report.
    """
    started = time.perf_counter()
    with paused_gc():
        target, report = _export_values(source, target, all_formulas, values)
    report.seconds = time.perf_counter() - started
    return target, report


def _export_values(
    source: Path, target: Path | None, all_formulas: bool, values: Mapping[Key, Any] | None
) -> tuple[Path, Report]:
    target = target if target is not None else values_copy_name(source)
    if resolved(target) == resolved(source):
        raise WorkbookProblem("数值版不能覆盖原工作簿，请另选输出文件名。")
    if values is None:
        engine = evaluate_workbook(source)
        values = engine.results  # a result that is no cell value is cleared and listed below
        failures = dict(engine.failures)
    else:
        engine = evaluate_workbook(source, run=False)
        failures = {}
    report = Report()
    updates: dict[str, dict[Cell, Any]] = {}
    failed = _failed_cells(failures)
    for cells in _formula_cells(engine):
        name = cells.name
        sheet, cleared = _sheet_values(cells, values, failed.get(name, set()))
        for cell in cleared:
            key, anchor = (name, *cell), (name, *cells.anchor(cell))
            reason = failures.get(anchor) or failures.get(key) or "没有可用的值"
            report.failures[address(key)] = reason  # no stale cached value survives
        report.formulas += len(cells.formulas)
        report.tj_formulas += len(cells.tj)
        report.errors += _errors(sheet)
        report.written += len(sheet) - len(cleared)
        if all_formulas:
            replaced: Iterable[Cell] = sheet
        elif cells.anchors is None:
            replaced = cells.tj
        else:
            replaced = [cell for cell, anchor in cells.anchors.items() if anchor in cells.tj]
        for cell in replaced:
            value = sheet[cell]
            if not isinstance(value, NoValue):
                sheet[cell] = Update(value, drop_formula=True)
                report.replaced += cells.anchor(cell) == cell
        if sheet:
            updates[name] = sheet
    write_package(source, target, updates, drop_calc_chain=True)
    return target, report
