"""刷新季度表 (refresh quarterly sheets): roll the workbook to the next period, or re-import
revised figures (数据修订) into an existing period's sheet.

Rolling forward from the latest period (say 2026Q3) to the drop's period (2026Q4):

1. every sheet of the latest period is copied with everything on it and named in the same
   style (``2026Q3`` → ``2026Q4``, ``青川县2026年1-9月`` → ``青川县2026年1-12月``);
2. period labels in text cells move along (titles, 期别 cells: 1-9月 → 1-12月, 三季度 → 四季度);
3. formulas that referred to a period sheet now refer to the sheet one period later
   (``'2026Q3'!D7`` → ``'2026Q4'!D7``, ``'青川县2026年1-6月'!K4`` → ``'青川县2026年1-9月'!K4``);
4. the input cells of the peer table (本期, 上年同期, 增长 constants; never formulas, labels or
   targets) are filled from the drop, matched by region name and indicator header, converting
   万元/亿元/元 when the headers say so (every peer table of the period the drop covers; one it
   does not cover at all is cleared, never left with last period's figures);
5. ranks, rank changes and tallies are recomputed (:mod:`workbooks.rank`).

When the drop's period already has a sheet, that sheet is refreshed in place (revised data):
steps 4–5 only, and the next period's rank changes are recomputed too. So refreshing twice with
the same drop gives the same workbook as refreshing once.

The drop is checked completely before anything is written: unknown or missing regions,
duplicates, unknown or missing indicators, units that do not convert and cells that are not
numbers are all listed in one :class:`~workbooks.drops.DropError`, and the workbook is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from udfs import Period
from workbooks.drops import Drop, DropError, read_drop
from workbooks.errors import UserError
from workbooks.host import BookHost
from workbooks.period_names import (
    PeriodSheets,
    book_period_sheets,
    kind_agrees,
    rename_for,
    repoint_formula,
    roll_text,
    same_period,
)
from workbooks.rank import RankOptions, RankResult, rank_sheet
from workbooks.tables import (
    INPUT_MEASURES,
    UNIT_FACTORS,
    NoTable,
    Table,
    col_letter,
    find_table,
    is_aggregate,
    norm,
)


class RefreshError(UserError):
    """The workbook cannot be refreshed (message in Chinese); nothing was changed."""


@dataclass
class RefreshResult:
    """What a refresh did."""

    period: Period
    mode: str  # "new" (rolled forward) or "revise" (refreshed in place)
    sheets: list[str]  # sheets created (new) or refreshed (revise)
    data_sheet: str
    cells_filled: int
    ranks: list[RankResult] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)  # peer tables the drop does not cover
    label: str = ""  # the period as the workbook writes it (2026Q4, 2026年1-8月, 2026年前三季度)


@dataclass
class _Plan:
    writes: dict[int, list[tuple[int, float | None]]]  # column → [(row, value)]
    count: int


def period_sheets(book: BookHost) -> dict[str, Period]:
    """Sheets whose name carries a period, and that period (the year filled in from the title,
    the file name or the neighbouring sheets where the name has none)."""
    return book_period_sheets(book).by_name()


def _canonical(indicator: str) -> str:
    text = norm(indicator)
    for prefix in ("其中:", "其中：", "其中"):
        text = text.removeprefix(prefix)
    return text


def _factor(sheet_unit: str | None, drop_unit: str | None) -> float | None:
    """Multiplier turning drop figures into the sheet's unit; None when they do not convert."""
    if not sheet_unit or not drop_unit or sheet_unit == drop_unit:
        return 1.0
    if sheet_unit in UNIT_FACTORS and drop_unit in UNIT_FACTORS:
        return UNIT_FACTORS[drop_unit] / UNIT_FACTORS[sheet_unit]
    return None


def plan_fill(
    table: Table,
    grid_is_formula: Any,
    drop: Drop,
    sheet_name: str,
    known: set[tuple[str, str]] | None = None,
) -> _Plan:
    """Match the drop to the sheet's table; raise DropError listing every problem.

    ``known``: (indicator, measure) of every table being filled from this drop (a drop column
    is unknown only when none of them has it); default: this table's."""
    problems: list[str] = list(drop.problems)
    d = drop.table
    # regions of the drop
    drop_rows: dict[str, int] = {}
    for row, name in sorted(d.names.items()):
        key = norm(name)
        if key in drop_rows:
            problems.append(
                f"{drop.row_where(row)}：地区「{name}」重复（与{drop.row_where(drop_rows[key])}相同）"
            )
            continue
        if key not in table.regions:
            if is_aggregate(name):
                continue  # a trailing 合计 row the sheet does not have
            problems.append(
                f"{drop.row_where(row)}：地区「{name}」不在工作表「{sheet_name}」的地区列中"
            )
            continue
        drop_rows[key] = row
    for key, row in table.regions.items():
        if key not in drop_rows:
            problems.append(f"缺少地区「{table.names[row]}」的数据")
    # columns of the drop
    drop_cols: dict[tuple[str, str], Any] = {}
    sheet_keys = known or {(_canonical(c.indicator), c.measure) for c in table.columns}
    for column in d.columns:
        key = (_canonical(column.indicator), column.measure)
        if column.measure not in INPUT_MEASURES:
            continue
        if key in drop_cols:
            problems.append(
                f"{drop.column_where(column.col, column.header)}：与{col_letter(drop_cols[key].col)}列重复"
            )
            continue
        if key not in sheet_keys:
            problems.append(
                f"{drop.column_where(column.col, column.header)}：工作表「{sheet_name}」中没有指标「{column.indicator}」"
            )
            continue
        drop_cols[key] = column
    writes: dict[int, list[tuple[int, float | None]]] = {}
    missing: dict[str, list[str]] = {}
    count = 0
    for column in table.columns:
        if column.measure not in INPUT_MEASURES:
            continue
        source = drop_cols.get((_canonical(column.indicator), column.measure))
        if source is None:
            missing.setdefault(column.indicator, []).append(column.measure)
            continue
        factor = (
            1.0 if column.measure not in ("本期", "上年同期") else _factor(column.unit, source.unit)
        )
        if factor is None:
            problems.append(
                f"{drop.column_where(source.col, source.header)}：单位「{source.unit}」无法换算为工作表的「{column.unit}」"
            )
            continue
        cells: list[tuple[int, float | None]] = []
        for key, row in table.regions.items():
            drop_row = drop_rows.get(key)
            if drop_row is None:
                continue
            value, problem = drop.number(drop_row, source.col)
            if problem:
                where = (
                    "" if problem.endswith("数据行") else f"（{source.indicator}{source.measure}）"
                )
                problems.append(problem + where)
                continue
            if value is not None and factor != 1.0:
                value = round(value * factor, 10)
            if grid_is_formula(row, column.col):
                continue  # never overwrite a formula
            cells.append((row, value))
        writes[column.col] = cells
        count += len(cells)
    for indicator, measures in missing.items():
        problems.append(f"缺少指标「{indicator}」的数据列（{'、'.join(measures)}）")
    if problems:
        raise DropError(drop.name, list(dict.fromkeys(problems)))
    return _Plan(writes, count)


def _write_plan(sheet: Any, plan: _Plan) -> None:
    for col, cells in plan.writes.items():
        if not cells:
            continue
        rows = [r for r, _ in cells]
        if rows == list(range(rows[0], rows[0] + len(rows))):
            sheet.write_values(rows[0], col, [[v] for _, v in cells])
        else:
            for r, v in cells:
                sheet.write_values(r, col, [[v]])


def _runs(cells: dict[tuple[int, int], Any]) -> list[tuple[int, int, list[Any]]]:
    """Cells grouped into runs of neighbours in a row (one write per run on a live workbook)."""
    runs: list[tuple[int, int, list[Any]]] = []
    for (r, c), value in sorted(cells.items()):
        if runs and runs[-1][0] == r and runs[-1][1] + len(runs[-1][2]) == c:
            runs[-1][2].append(value)
        else:
            runs.append((r, c, [value]))
    return runs


def _keys(table: Table) -> set[tuple[str, str]]:
    return {
        (_canonical(c.indicator), c.measure) for c in table.columns if c.measure in INPUT_MEASURES
    }


def _plan_sheets(
    book: BookHost, names: list[str], drop: Drop, clear_uncovered: bool = True
) -> list[tuple[str, _Plan, bool]]:
    """For every peer table among ``names``: what to write — (sheet, plan, filled from the drop).

    Tables sharing indicators with the drop are filled from it; a table the drop does not
    cover at all has its inputs cleared (a new period never shows last period's figures) when
    ``clear_uncovered``, else (a revision) is left alone.
    Raises DropError with the problems of all tables, RefreshError when there is no table."""
    tables = []
    for name in names:
        grid = book.sheet(name).read()
        try:
            tables.append((name, find_table(grid.values, where=f"工作表「{name}」"), grid))
        except NoTable:
            continue
    if not tables:
        raise RefreshError(
            f"工作表{'、'.join(f'「{n}」' for n in names)}中都没有县区对比表（表头应有「地区」列）"
        )
    offered = _keys(drop.table)
    covered = [t for t in tables if _keys(t[1]) & offered] or tables[:1]
    known = set().union(*(_keys(t[1]) for t in tables))
    problems: list[str] = []
    plans: list[tuple[str, _Plan, bool]] = []
    for name, table, grid in tables:
        is_formula = (lambda g: lambda r, c: bool(g.is_formula(r, c)))(grid)
        if any(name == t[0] for t in covered):
            try:
                plans.append((name, plan_fill(table, is_formula, drop, name, known), True))
            except DropError as exc:
                problems += exc.problems
            continue
        if not clear_uncovered:
            continue
        writes = {
            c.col: [(r, None) for r in table.regions.values() if not is_formula(r, c.col)]
            for c in table.columns
            if c.measure in INPUT_MEASURES
        }
        plans.append((name, _Plan(writes, 0), False))
    if problems:
        raise DropError(drop.name, list(dict.fromkeys(problems)))
    plans.sort(key=lambda p: not p[2])  # filled tables first
    return plans


def refresh(
    book: BookHost,
    drop_path: str | Path,
    period: Period | None = None,
    rank_options: RankOptions | None = None,
) -> RefreshResult:
    """Refresh ``book`` from the drop at ``drop_path`` (see module docstring)."""
    drop = read_drop(drop_path)
    calendar = book_period_sheets(book)
    if not calendar.sheets:
        raise RefreshError("工作簿中没有按期别命名的工作表（如 2026Q3、2026年1-9月、三季度、8月）")
    latest = calendar.latest()
    target = _target(calendar, drop, period)
    existing = [s.name for s in calendar.sheets if same_period(s.period, target)]
    if existing:
        result = _revise(book, drop, target, existing, calendar, rank_options)
        result.label = calendar.label(target, existing[0])
        return result
    steps = [s for s in calendar.steps() if same_period(latest.shift(1, s), target)]
    if not steps:
        expected = "或".join(calendar.label(latest.shift(1, s)) for s in calendar.steps())
        raise RefreshError(
            f"数据文件的期别 {calendar.label(target)} 与工作簿最新一期 {calendar.label(latest)} 不衔接"
            f"（应为 {expected}，或已有的某一期用于数据修订）"
        )
    if target.year is None:
        target = target.with_year(latest.shift(1, steps[0]).year)
    return _roll_forward(book, drop, latest, target, calendar, steps[0], rank_options)


def _target(calendar: PeriodSheets, drop: Drop, period: Period | None) -> Period:
    """The period the drop is for: ``period`` (--period) or the drop's own, which must agree;
    a drop without any is refused. A period without a year is matched to the workbook's
    periods and refused when it could be more than one."""
    if period is not None and drop.period is not None and not same_period(period, drop.period):
        raise RefreshError(
            f"指定的期别 {period.label()} 与数据文件的期别 {drop.period.label()} 不一致"
        )
    wanted = period or drop.period
    if wanted is None:
        raise RefreshError(
            f"数据文件「{drop.name}」中找不到期别：文件名、标题行和「期别/报告期」单元格都没有写明"
            "（如 2026年1-9月、2026Q3、三季度），工作簿未作任何修改。"
            "请在文件名或标题中写明期别，或用 --period 指定，如 --period 2026Q4"
        )
    if wanted.year is None and period is not None and drop.period is not None:
        wanted = drop.period if drop.period.year is not None else period
    latest = calendar.latest()
    if not kind_agrees(wanted, latest):
        raise RefreshError(
            f"数据文件的期别 {wanted.label()} 与工作簿的期别 {calendar.label(latest)} 口径不同"
            "（单月/单季与累计不能互相替代），工作簿未作任何修改"
        )
    if wanted.year is not None or all(s.period.year is None for s in calendar.sheets):
        return wanted
    candidates: list[Period] = []
    for p in [*calendar.periods(), *(latest.shift(1, s) for s in calendar.steps())]:
        if same_period(p, wanted) and not any(same_period(p, c) for c in candidates):
            candidates.append(p)
    if len(candidates) != 1:
        shown = "、".join(calendar.label(c) for c in candidates) or "无"
        raise RefreshError(
            f"数据文件的期别 {wanted.label()} 没有年份，无法确定是工作簿中的哪一期（可能为：{shown}），"
            "工作簿未作任何修改。请用 --period 指定，如 --period 2026Q4"
        )
    return candidates[0]


def _revise(
    book: BookHost,
    drop: Drop,
    target: Period,
    names: list[str],
    calendar: PeriodSheets,
    options: RankOptions | None,
) -> RefreshResult:
    plans = _plan_sheets(book, names, drop, clear_uncovered=False)
    for name, plan, _ in plans:
        _write_plan(book.sheet(name), plan)
    filled = [name for name, _, used in plans if used]
    count = sum(plan.count for _, plan, _ in plans)
    result = RefreshResult(target, "revise", filled, filled[0], count)
    result.cleared = [name for name, _, used in plans if not used]
    for name, _, _ in plans:
        result.ranks.append(rank_sheet(book, name, options))
    following = [target.shift(1, s) for s in calendar.steps()]
    later = [s.name for s in calendar.sheets if any(same_period(s.period, p) for p in following)]
    for n in later:
        try:
            find_table(book.sheet(n).read().values)
        except NoTable:
            continue
        result.ranks.append(rank_sheet(book, n, options))
    return result


def _roll_forward(
    book: BookHost,
    drop: Drop,
    latest: Period,
    target: Period,
    calendar: PeriodSheets,
    step: int,
    options: RankOptions | None,
) -> RefreshResult:
    sources = calendar.names_of(latest)
    new_names = {n: rename_for(n, target, calendar.family) for n in sources}
    taken = set(book.sheet_names())
    for old, new in new_names.items():
        if new in taken:
            raise RefreshError(f"无法新建工作表「{new}」（由「{old}」生成）：已有同名工作表")
        if len(new) > 31:
            raise RefreshError(f"新工作表名「{new}」超过 Excel 的 31 个字符限制")
    for name in sources:
        if book.sheet(name).read().formulas is None:
            raise RefreshError(
                "当前环境读不到工作表中的公式，无法安全地生成下一期工作表（公式需要改指向新一期）。"
                "请在桌面版 Excel 中使用本按钮，或用命令 tongji refresh 处理文件；数据修订不受影响。"
            )
    # Validate the drop against the source sheets' layout (the copies have the same) before any change.
    plans = _plan_sheets(book, sources, drop)

    # Sheets after the refresh, and where a reference to each period sheet should point now.
    future = taken | set(new_names.values())
    repoint: dict[str, str] = {}
    for sheet in calendar.sheets:
        moved = rename_for(sheet.name, sheet.period.shift(1, step), calendar.family)
        if moved in future:
            repoint[sheet.name] = moved

    after = sources[-1]
    created = []
    for old in sources:
        new = new_names[old]
        copy = book.copy_sheet(old, new, after=after)
        after = new
        created.append(new)
        grid = copy.read()
        formulas: dict[tuple[int, int], Any] = {}
        for (r, c), formula in (grid.formulas or {}).items():
            moved = repoint_formula(formula, repoint)
            if moved != formula:
                formulas[(r, c)] = moved
        texts: dict[tuple[int, int], Any] = {}
        for r, line in enumerate(grid.values, start=1):
            for c, value in enumerate(line, start=1):
                if isinstance(value, str) and not grid.is_formula(r, c):
                    rolled = roll_text(value, 1, step, calendar.family)
                    if rolled != value:
                        texts[(r, c)] = rolled
        for r, c, run in _runs(formulas):
            copy.write_formulas(r, c, [run])
        for r, c, run in _runs(texts):
            copy.write_values(r, c, [run])
    for name, plan, _ in plans:
        _write_plan(book.sheet(new_names[name]), plan)
    filled = [new_names[name] for name, _, used in plans if used]
    count = sum(plan.count for _, plan, _ in plans)
    result = RefreshResult(target, "new", created, filled[0], count)
    source = next(name for name, _, used in plans if used)
    result.label = calendar.label(target, source)
    result.cleared = [new_names[name] for name, _, used in plans if not used]
    for name, _, _ in plans:
        result.ranks.append(rank_sheet(book, new_names[name], options))
    return result


__all__ = ["DropError", "RefreshError", "RefreshResult", "period_sheets", "plan_fill", "refresh"]
