"""计算公式 / 导出数值版 on files: every formula evaluated, values written into the workbook.

``compute_file`` keeps every formula and adds its computed value as the cell's cached value, so
WPS, LibreOffice, phone previews and any program that reads values see the numbers.
``export_values_file`` writes a copy in which the ``TJ_`` formulas (or all formulas) are
replaced by their values, for colleagues without the add-in.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import get_column_letter

from workbooks.background_vetting import Pending, vetting
from workbooks.backups import keep_backup
from workbooks.errors import UserError
from workbooks.formula.engine import Engine, Key, address, paused_gc
from workbooks.formula.model import Sheet
from workbooks.formula.package_reader import read_package
from workbooks.formula.tokens import function_names, text_function_names
from workbooks.formula.values import Unsupported, XLError
from workbooks.formula.workbook import read_sheets_openpyxl
from workbooks.package_guard import WORKBOOK, Limits, PackageError, foreign_workbook, vet_package
from workbooks.safe_files import missing_file, resolved
from workbooks.xlsx_package import NO_VALUE, Update, group_by_sheet, write_package

SUFFIXES = (".xlsx", ".xlsm")


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
        found = read_package(path)  # regular expressions: no XML parser, no entity expanded
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
    """Sheets read from a package not vetted yet hold no more cells, and span no larger area
    (with their array formulas' ranges, whose every cell the engine makes), than vetting
    allows; otherwise the package is refused (with vetting's message once it is in) before the
    engine sees them."""
    cells = 0
    for sheet in sheets:
        cells += len(sheet.constants) + len(sheet.formulas)
        last_row, last_col = sheet.max_row, sheet.max_col
        for formula in sheet.formulas.values():
            if formula.array_ref is not None:  # corners in any order (B9:A1) as written
                r1, c1, r2, c2 = formula.array_ref
                cells += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
                last_row, last_col = max(last_row, r1, r2), max(last_col, c1, c2)
        area = last_row * last_col
        if area > limits.area:
            ref = f"A1:{get_column_letter(min(last_col, 18_278))}{last_row}"
            problem = f"的工作表「{sheet.name}」的单元格分布在 {ref}（{area:,} 个单元格）"
        elif cells > limits.cells:
            problem = f"到工作表「{sheet.name}」为止的单元格超过 {limits.cells:,} 个"
        else:
            continue
        pending.wait()  # vetting's own message first
        raise PackageError(f"「{path.name}」{problem}，超过上限。未作任何处理")


def _formula_cells(engine: Engine) -> dict[Key, tuple[bool, Key]]:
    """Every formula cell and array-formula member → (calls TJ_?, its anchor)."""
    out: dict[Key, tuple[bool, Key]] = {}
    by_shape: dict[int, bool] = {}  # id of a formula shape's tokens (shared, kept alive) → TJ_?
    for sheet in engine.sheets.values():
        for (row, col), formula in sheet.formulas.items():
            anchor = (sheet.name, row, col)
            shape = id(formula.tokens) if formula.tokens is not None else None
            tj = by_shape.get(shape) if shape is not None else None
            if tj is None:
                tj = calls_tj(engine, anchor)
                if formula.tokens is not None:
                    by_shape[id(formula.tokens)] = tj
            out[anchor] = (tj, anchor)
            if formula.array_ref is not None:
                r1, c1, r2, c2 = formula.array_ref
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        out.setdefault((sheet.name, r, c), (tj, anchor))
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
    report, updates = _cached_values(evaluate_workbook(source))
    gc.collect()  # the evaluator is gone: its memory serves the writer (peak memory)
    destination = target if target is not None else source
    if backup and destination.exists() and resolved(destination) == resolved(source):
        report.backup = keep_backup(source)
    write_package(source, destination, updates)
    return report


_CLEARED = Update(NO_VALUE)


def _cached_values(engine: Engine) -> tuple[Report, dict[str, dict[tuple[int, int], Update]]]:
    """The report and the cell updates (sheet → cells) of an evaluated workbook."""
    cells = _formula_cells(engine)
    results, failures = engine.results, engine.failures
    report = Report(failures=_failures(engine))
    updates: dict[str, dict[tuple[int, int], Update]] = {}
    for key, (tj, anchor) in cells.items():
        value = results.get(key, NO_VALUE)
        if key == anchor:
            report.formulas += 1
            report.tj_formulas += tj
        sheet = updates.get(key[0])
        if sheet is None:
            sheet = updates[key[0]] = {}
        if key in failures or anchor in failures or not _is_value(value):
            sheet[key[1:]] = _CLEARED
            continue
        report.errors += isinstance(value, XLError)
        report.written += 1
        sheet[key[1:]] = Update(value)
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
        values = {k: v for k, v in engine.results.items() if _is_value(v)}
        failures = dict(engine.failures)
        cells = _formula_cells(engine)
    else:
        engine = evaluate_workbook(source, run=False)
        failures = {}
        cells = _formula_cells(engine)
    report = Report()
    updates = []
    for key, (tj, anchor) in cells.items():
        if key == anchor:
            report.formulas += 1
            report.tj_formulas += tj
        replace = all_formulas or tj
        value = values.get(key, NO_VALUE)
        if anchor in failures or key in failures or not _is_value(value):
            report.failures[address(key)] = (
                failures.get(anchor) or failures.get(key) or "没有可用的值"
            )
            updates.append((key, Update(NO_VALUE)))  # no stale cached value survives
            continue
        report.errors += isinstance(value, XLError)
        report.replaced += replace and key == anchor
        report.written += 1
        updates.append((key, Update(value, drop_formula=replace)))
    write_package(source, target, group_by_sheet(updates), drop_calc_chain=True)
    return target, report
