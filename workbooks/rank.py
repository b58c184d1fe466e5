"""县区排名 (rank counties): 位次, 位次变化 and the 升降 tally of a peer table.

For each indicator of the table the ranked figure is its 增长 column (or 本期 where the table
has no growth column). The county-level rows are ranked with :func:`udfs.ranking.rank_kernel`
(competition ranking 1, 2, 2, 4; descending unless the indicator is listed as ascending; the
published figures when ``decimals`` is given); aggregate rows (全市, 合计 …) and blanks are
left out. When the sheet of the previous period (2026Q2 for 2026Q3, 2025Q4 for 2026Q1) has
ranks, 位次变化 = previous − now (+ 前移, − 后退, 0 持平; 无法比较 without a previous rank) and
each county gets a tally such as 「3升4平2降」. The top and bottom three are highlighted with
conditional formatting; optionally a ranking sheet with a native bar chart is added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from udfs.errors import OK
from udfs.ranking import rank_change_kernel, rank_kernel
from workbooks.host import BookHost, Grid
from workbooks.period_names import find_periods, period_of_name, shift, write_period
from workbooks.tables import (
    CHANGE,
    CURRENT,
    GROWTH,
    RANK,
    TALLY,
    Table,
    col_letter,
    find_table,
    is_aggregate,
    norm,
)

#: Number format of 位次变化: 前移2位 / 后退1位 / 持平.
CHANGE_FORMAT = '"前移"0"位";"后退"0"位";"持平"'
NOT_COMPARABLE = "无法比较"
CHART_SHEET = "排名图"


@dataclass
class RankOptions:
    """What to rank and how."""

    indicators: list[str] | None = None  # None: every indicator of the table
    ascending: set[str] = field(default_factory=set)  # lower is better (不良贷款率, 能耗)
    decimals: int | None = None  # rank the published figures rounded to this many decimals
    chart: str | None = None  # indicator to chart on the 排名图 sheet
    highlight: bool = True
    near_row: int | None = None  # the selection's row: rank the table around it


@dataclass
class RankResult:
    """What a ranking wrote: per indicator the rank and change of each county, and the tallies."""

    sheet: str
    previous_sheet: str | None
    ranks: dict[str, dict[str, float | None]]
    changes: dict[str, dict[str, float | None]]
    tallies: dict[str, str]
    notes: list[str] = field(default_factory=list)


class RankError(ValueError):
    """Nothing to rank (message in Chinese)."""


def previous_sheet(book: BookHost, name: str) -> str | None:
    """The sheet of the period before ``name``'s, named in the same style (2026Q3 → 2026Q2)."""
    period = period_of_name(name)
    if period is None:
        return None
    found = next(f for f in find_periods(name) if f.period.year is not None)
    wanted = name[: found.start] + write_period(found, shift(period, -1)) + name[found.end :]
    return wanted if wanted in book.sheet_names() else None


def _numbers(grid: Grid, rows: list[int], col: int) -> list[Any]:
    return [grid.get(r, col) for r in rows]


def _ranks_of(table: Table, grid: Grid, indicator: str) -> dict[str, Any]:
    column = table.column(indicator, RANK)
    if column is None:
        return {}
    return {norm(table.names[r]): grid.get(r, column.col) for r in table.ranked_rows()}


def _new_column(sheet: Any, table: Table, grid: Grid, top: str, sub: str) -> int:
    """Append a column at the right end of the table with its header; returns its number."""
    col = max(table.width, max((len(r) for r in grid.values[: table.last_row]), default=0)) + 1
    two_rows = table.first_row - table.header_row == 2
    if two_rows:
        sheet.write_values(table.header_row, col, [[top], [sub]])
    else:
        sheet.write_values(table.header_row, col, [[top + sub]])
    return col


def rank_sheet(book: BookHost, name: str, options: RankOptions | None = None) -> RankResult:
    """Rank the counties of the peer table on sheet ``name`` and write the results."""
    options = options or RankOptions()
    # Formula columns (增长 = (本期/上年同期-1)*100 …) are ranked on results for the current inputs.
    unevaluated = book.recompute()
    sheet = book.sheet(name)
    grid = sheet.read()
    table = find_table(grid.values, where=f"工作表「{name}」", near_row=options.near_row)
    rows = table.ranked_rows()
    if not rows:
        raise RankError(f"工作表「{name}」没有可排位的县区（全市、合计等汇总行不参与排位）")
    regions = [norm(table.names[r]) for r in rows]
    wanted = table.indicators()
    if options.indicators:
        unknown = [i for i in options.indicators if norm(i) not in wanted]
        if unknown:
            raise RankError(
                f"工作表「{name}」中没有指标：{'、'.join(unknown)}（现有：{'、'.join(wanted)}）"
            )
        wanted = [norm(i) for i in options.indicators]
    ascending = {norm(i) for i in options.ascending}

    prev_name = previous_sheet(book, name)
    prev_table: Table | None = None
    prev_grid: Grid | None = None
    if prev_name:
        prev_grid = book.sheet(prev_name).read()
        try:
            # the previous period's sheet is a copy: the same table stands at the same place
            prev_table = find_table(prev_grid.values, near_row=table.header_row)
        except ValueError:
            prev_table = None

    result = RankResult(name, prev_name if prev_table else None, {}, {}, {})
    tallies = {region: [0, 0, 0] for region in regions}
    for indicator in wanted:
        metric = table.column(indicator, GROWTH) or table.column(indicator, CURRENT)
        if metric is None:
            result.notes.append(f"指标「{indicator}」没有增长或本期列，未排位")
            continue
        broken = [(name, r, metric.col) for r in rows if (name, r, metric.col) in unevaluated]
        if broken:
            shown = "；".join(
                f"{name}!{col_letter(k[2])}{k[1]}：{unevaluated[k]}" for k in broken[:3]
            )
            more = f"等 {len(broken)} 个单元格" if len(broken) > 3 else ""
            result.notes.append(
                f"指标「{indicator}」的{metric.header}列有公式无法计算（{shown}{more}），未排位"
            )
            continue
        if any(grid.is_formula(r, metric.col) and grid.get(r, metric.col) is None for r in rows):
            result.notes.append(
                f"指标「{indicator}」的{metric.header}列是公式，当前没有计算结果，未排位"
            )
            continue
        values = _numbers(grid, rows, metric.col)
        computed = rank_kernel(
            np.array(values, dtype=object),
            np.array(values, dtype=object),
            indicator not in ascending,
            options.decimals,
        )
        ranks = [
            float(v) if c == OK else None
            for v, c in zip(computed.values, computed.codes, strict=True)
        ]
        rank_col = table.column(indicator, RANK)
        col = rank_col.col if rank_col else _new_column(sheet, table, grid, indicator, "位次")
        _write_column(sheet, rows, col, [int(r) if r is not None else None for r in ranks])
        if options.highlight:
            sheet.highlight_top_bottom(rows[0], col, rows[-1] - rows[0] + 1)
        result.ranks[indicator] = dict(zip(regions, ranks, strict=True))

        if prev_table is None or prev_grid is None:
            continue
        before = _ranks_of(prev_table, prev_grid, indicator)
        previous = [before.get(region) for region in regions]
        change = rank_change_kernel(
            np.array([r if r is not None else None for r in ranks], dtype=object),
            np.array(previous, dtype=object),
        )
        changes = [
            float(v) if c == OK else None for v, c in zip(change.values, change.codes, strict=True)
        ]
        change_col = table.column(indicator, CHANGE)
        col = (
            change_col.col if change_col else _new_column(sheet, table, grid, indicator, "位次变化")
        )
        cells = [int(c) if c is not None else NOT_COMPARABLE for c in changes]
        _write_column(sheet, rows, col, cells)
        sheet.set_number_format(rows[0], col, rows[-1] - rows[0] + 1, 1, CHANGE_FORMAT)
        result.changes[indicator] = dict(zip(regions, changes, strict=True))
        for region, c in zip(regions, changes, strict=True):
            if c is not None:
                tallies[region][0 if c > 0 else 1 if c == 0 else 2] += 1

    if result.changes:
        result.tallies = {r: f"{u}升{s}平{d}降" for r, (u, s, d) in tallies.items()}
        col = table.tally_col or _new_column(sheet, table, grid, TALLY, "")
        _write_column(sheet, rows, col, [result.tallies[r] for r in regions])
    if options.chart:
        _chart(book, name, table, grid, norm(options.chart), result)
    return result


def _write_column(sheet: Any, rows: list[int], col: int, cells: list[Any]) -> None:
    """Write one value per ranked row, one write per run of neighbouring rows; rows in between
    (aggregates) are not touched."""
    start, run = rows[0], [cells[0]]
    for r, value in zip(rows[1:], cells[1:], strict=True):
        if r == start + len(run):
            run.append(value)
            continue
        sheet.write_values(start, col, [[v] for v in run])
        start, run = r, [value]
    sheet.write_values(start, col, [[v] for v in run])


def _chart(
    book: BookHost, name: str, table: Table, grid: Grid, indicator: str, result: RankResult
) -> None:
    ranks = result.ranks.get(indicator)
    if ranks is None:
        raise RankError(f"无法作图：工作表「{name}」中没有已排位的指标「{indicator}」")
    metric = table.column(indicator, GROWTH) or table.column(indicator, CURRENT)
    assert metric is not None
    values = {norm(table.names[r]): grid.get(r, metric.col) for r in table.ranked_rows()}
    names = {norm(table.names[r]): table.names[r] for r in table.ranked_rows()}
    order = sorted((r for r in ranks if ranks[r] is not None), key=lambda r: (ranks[r], r))
    chart_sheet = book.replace_sheet(CHART_SHEET, after=name)
    title = f"{name} {indicator}{'增长(%)' if metric.measure == GROWTH else ''}位次"
    block: list[list[Any]] = [
        [title, None, None],
        ["地区", metric.header if metric.measure != GROWTH else "增长(%)", "位次"],
    ]
    block += [[names[r], values[r], int(ranks[r])] for r in order]
    chart_sheet.write_values(1, 1, block)
    if metric.measure == GROWTH:
        chart_sheet.set_number_format(3, 2, len(order), 1, "0.0")
    if not book.add_bar_chart(CHART_SHEET, title, 3, 2 + len(order), 1, 2, "E2"):
        result.notes.append("当前环境不支持插入图表，已写入排名数据")


def is_ranked_region(name: Any) -> bool:
    """True for a county-level row (not an aggregate, not blank)."""
    return bool(norm(name)) and not is_aggregate(name)


__all__ = [
    "CHANGE_FORMAT",
    "NOT_COMPARABLE",
    "RankError",
    "RankOptions",
    "RankResult",
    "previous_sheet",
    "rank_sheet",
]
