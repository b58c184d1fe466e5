"""县区排名 (rank counties): 位次, 总量位次, 位次变化 and the 升降 tally of a peer table.

Which figure of an indicator is ranked into which column follows the table grammar
(docs/table-grammar.md, 「Ranking」): the growth into 位次/增速位次, the level into 总量位次, the
level into 位次 when the indicator has no growth; existing rank columns are filled and one is
appended only when the indicator has none. The county-level rows are ranked with
:func:`udfs.ranking.rank_kernel` (competition ranking 1, 2, 2, 4; descending unless the
indicator is listed as ascending; the published figures when ``decimals`` is given); aggregate
rows (全市, 合计 …) and blanks are left out. When the sheet of the previous period (2026Q2 for
2026Q3, 2025Q4 for 2026Q1) has ranks, 位次变化 = previous − now (+ 前移, − 后退, 0 持平;
无法比较 without a previous rank) and each county gets a tally such as 「3升4平2降」 counting
every indicator of the table, also when only some were re-ranked. Ranking a sheet brings the
next period's 位次变化 and tally up to date. Ranks 1–3 and ranks ≥ N − 2 (N the ranked counties)
are highlighted with conditional formatting; optionally a ranking sheet with a native bar chart
is added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from udfs.errors import OK
from udfs.ranking import rank_change_kernel, rank_kernel
from workbooks.errors import UserError
from workbooks.host import BookHost, Grid, write_rows
from workbooks.period_names import book_period_sheets
from workbooks.tables import (
    CHANGE,
    CURRENT,
    GROWTH,
    LEVEL_CHANGE,
    LEVEL_RANK,
    RANK,
    TALLY,
    Column,
    NoTable,
    Table,
    TableError,
    col_letter,
    find_table,
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
    tallies: dict[str, str | None]
    notes: list[str] = field(default_factory=list)
    next_sheet: str | None = None  # the next period's sheet whose 位次变化 was brought up to date


class RankError(UserError):
    """Nothing to rank (message in Chinese)."""


def previous_sheet(book: BookHost, name: str) -> str | None:
    """The sheet of the period before ``name``'s, named in the same style (2026Q3 → 2026Q2,
    2026年1-8月 → 2026年1-7月, 上半年 → 一季度; see :mod:`workbooks.period_names`)."""
    return book_period_sheets(book).previous(name)


def next_sheet(book: BookHost, name: str) -> str | None:
    """The sheet of the period after ``name``'s (2026Q2 → 2026Q3), when the workbook has one."""
    return book_period_sheets(book).following(name)


@dataclass
class _Target:
    """One rank column of an indicator: the figure ranked, where its rank and change go."""

    metric: Column
    rank: Column | None  # None: append a 「…位次」 column
    change: Column | None
    measure: str  # RANK or LEVEL_RANK: how the previous period's rank is found
    main: bool  # its change counts in the 位次升降 tally


def _targets(table: Table, indicator: str) -> list[_Target]:
    """What to rank for ``indicator`` (see docs/table-grammar.md, 「排位」).

    With a growth column: the growth, into 位次/增速位次 (appended when the indicator has no
    rank column at all), and the level into 总量位次 when there is one. Without growth: the
    level, into 总量位次 and/or 位次 (appended when there is neither)."""
    growth, level = table.column(indicator, GROWTH), table.column(indicator, CURRENT)
    rank, level_rank = table.column(indicator, RANK), table.column(indicator, LEVEL_RANK)
    change, level_change = table.column(indicator, CHANGE), table.column(indicator, LEVEL_CHANGE)
    out: list[_Target] = []
    if growth is not None:
        level_ranked = level_rank is not None and level is not None
        if rank is not None or not level_ranked:
            out.append(_Target(growth, rank, change, RANK, True))
        if level_ranked:
            assert level is not None
            main = not out
            out.append(
                _Target(
                    level, level_rank, level_change or (change if main else None), LEVEL_RANK, main
                )
            )
        return out
    if level is None:
        return out
    if level_rank is not None:
        out.append(
            _Target(
                level,
                level_rank,
                level_change or (change if rank is None else None),
                LEVEL_RANK,
                rank is None,
            )
        )
    if rank is not None or level_rank is None:
        out.append(_Target(level, rank, change, RANK, True))
    return out


def _numbers(grid: Grid, rows: list[int], col: int) -> list[Any]:
    return [grid.get(r, col) for r in rows]


def _as_rank(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return float(value)
    return None


def _ranks_of(table: Table, grid: Grid, indicator: str, measure: str) -> dict[str, Any]:
    column = table.column(indicator, measure)
    if column is None:
        return {}
    return {norm(table.names[r]): grid.get(r, column.col) for r in table.ranked_rows()}


def _new_column(sheet: Any, table: Table, grid: Grid, top: str, sub: str) -> int:
    """Append a column at the right end of the table with its header; returns its number."""
    col = max(table.width, max((len(r) for r in grid.values[: table.last_row]), default=0)) + 1
    if table.header_depth == 2:
        sheet.write_values(table.header_row, col, [[top], [sub]])
    else:
        sheet.write_values(table.header_row, col, [[top + sub]])
    return col


def rank_sheet(book: BookHost, name: str, options: RankOptions | None = None) -> RankResult:
    """Rank the counties of the peer table on sheet ``name`` and write the results; then bring
    the 位次变化 and tally of the next period's sheet (when there is one) up to date."""
    options = options or RankOptions()
    # Formula columns (增长 = (本期/上年同期-1)*100 …) are ranked on results for the current inputs.
    unevaluated = book.recompute()
    sheet = book.sheet(name)
    grid = sheet.read()
    table = find_table(grid.values, where=f"工作表「{name}」", near_row=options.near_row)
    if not table.ranked_rows():
        raise RankError(f"工作表「{name}」没有可排位的县区（全市、合计等汇总行不参与排位）")
    wanted = table.indicators()
    if options.indicators:
        unknown = [i for i in options.indicators if norm(i) not in wanted]
        if unknown:
            raise RankError(
                f"工作表「{name}」中没有指标：{'、'.join(unknown)}（现有：{'、'.join(wanted)}）"
            )
        wanted = [norm(i) for i in options.indicators]
    following = next_sheet(book, name)
    later: Table | None = None
    if following is not None:
        try:
            # a period's sheet is a copy of the one before: the same table at the same place
            later = find_table(
                book.sheet(following).read().values,
                where=f"工作表「{following}」",
                near_row=table.header_row,
            )
        except TableError:
            raise  # read before any write: its 位次变化 would otherwise go stale
        except NoTable:
            later = None  # no peer table there: no 位次变化 to keep in step
    result = _rank_table(book, name, table, set(wanted), options, unevaluated)
    if options.chart:
        _chart(book, name, table, sheet.read(), norm(options.chart), result)
    if following is not None and later is not None:
        _rank_table(book, following, later, set(), options, unevaluated)
        result.next_sheet = following
        result.notes.append(f"已按本期新位次更新工作表「{following}」的位次变化和位次升降")
    return result


def _rank_table(
    book: BookHost,
    name: str,
    table: Table,
    rerank: set[str],
    options: RankOptions,
    unevaluated: Mapping[tuple[str, int, int], str],
) -> RankResult:
    """Rank the indicators in ``rerank`` and write their ranks; write the 位次变化 of those
    indicators (of every indicator when ``rerank`` is empty: the next period's sheet after
    an earlier one was re-ranked) and the tally, which counts every indicator of the table."""
    sheet = book.sheet(name)
    grid = sheet.read()
    # A host that sends no formulas and cannot compute (Office.js), after figures were written
    # in this command: a column it did not write may hold results of the old figures.
    blind = grid.formulas is None and sheet.changed()
    rows = table.ranked_rows()
    regions = [norm(table.names[r]) for r in rows]
    ascending = {norm(i) for i in options.ascending}
    changes_only = not rerank

    prev_name = previous_sheet(book, name)
    prev_table: Table | None = None
    prev_grid: Grid | None = None
    if prev_name:
        prev_grid = book.sheet(prev_name).read()
        try:
            prev_table = find_table(
                prev_grid.values, where=f"工作表「{prev_name}」", near_row=table.header_row
            )
        except TableError:
            raise  # never compare with a table read by guess
        except NoTable:
            prev_table = None

    result = RankResult(name, prev_name if prev_table else None, {}, {}, {})
    if prev_table is None:
        result.notes.append(
            f"没有可比较的上一期县区对比表{f'（工作表「{prev_name}」中没有）' if prev_name else ''}："
            "位次变化和位次升降留空（无法比较）"
        )
    tallies = {region: [0, 0, 0] for region in regions}
    for indicator in table.indicators():
        targets = _targets(table, indicator)
        if not targets and indicator in rerank:
            result.notes.append(f"指标「{indicator}」没有增长或本期列，未排位")
        for target in targets:
            ranks = _target_ranks(
                sheet,
                table,
                grid,
                indicator,
                target,
                rerank,
                options,
                ascending,
                result,
                {k: v for k, v in unevaluated.items() if k[0] == name},
                blind,
            )
            if ranks is None:
                if indicator in rerank:
                    _clear_target(table, sheet, target)  # never a rank of other figures
                continue
            if prev_table is None or prev_grid is None:
                if target.change is not None and (indicator in rerank or changes_only):
                    _write_column(table, sheet, rows, target.change.col, [None] * len(rows))
                continue
            before = _ranks_of(prev_table, prev_grid, indicator, target.measure)
            previous = [_as_rank(before.get(region)) for region in regions]
            computed = rank_change_kernel(
                np.array(ranks, dtype=object), np.array(previous, dtype=object)
            )
            changes = [
                float(v) if c == OK else None
                for v, c in zip(computed.values, computed.codes, strict=True)
            ]
            if indicator in rerank or changes_only:
                col = (
                    target.change.col
                    if target.change
                    else _new_column(
                        sheet,
                        table,
                        grid,
                        indicator,
                        "总量位次变化"
                        if target.measure == LEVEL_RANK and not target.main
                        else "位次变化",
                    )
                )
                cells = [int(c) if c is not None else NOT_COMPARABLE for c in changes]
                _write_column(table, sheet, rows, col, cells)
                sheet.set_number_format(rows[0], col, rows[-1] - rows[0] + 1, 1, CHANGE_FORMAT)
            elif target.change is not None:
                # not re-ranked: the 位次变化 on the sheet counts, recomputed where it is blank
                written = [grid.get(r, target.change.col) for r in rows]
                changes = [
                    _as_rank(w) if w is not None else c
                    for w, c in zip(written, changes, strict=True)
                ]
            if not target.main:
                continue
            result.changes[indicator] = dict(zip(regions, changes, strict=True))
            for region, c in zip(regions, changes, strict=True):
                if c is not None:
                    tallies[region][0 if c > 0 else 1 if c == 0 else 2] += 1

    if result.changes:
        # a county with no indicator to compare says nothing about change (not 「0升0平0降」)
        result.tallies = {
            r: f"{u}升{s}平{d}降" if u + s + d else None for r, (u, s, d) in tallies.items()
        }
        col = table.tally_col or _new_column(sheet, table, grid, TALLY, "")
        _write_column(table, sheet, rows, col, [result.tallies[r] for r in regions])
    elif table.tally_col is not None:
        _write_column(table, sheet, rows, table.tally_col, [None] * len(rows))
    return result


def _target_ranks(
    sheet: Any,
    table: Table,
    grid: Grid,
    indicator: str,
    target: _Target,
    rerank: set[str],
    options: RankOptions,
    ascending: set[str],
    result: RankResult,
    unevaluated: Mapping[tuple[str, int, int], str],
    blind: bool = False,
) -> list[float | None] | None:
    """The ranks of one target: computed and written when the indicator is re-ranked, else read
    from its rank column; None when there are none (no rank column, or a formula column with
    cells the engine could not compute — ``unevaluated``, of this sheet — or without results)."""
    rows = table.ranked_rows()
    if indicator not in rerank:
        if target.rank is None:
            return None
        return [_as_rank(grid.get(r, target.rank.col)) for r in rows]
    metric = target.metric
    broken = [k for k in unevaluated if k[2] == metric.col and k[1] in rows]
    if broken:
        shown = "；".join(f"{k[0]}!{col_letter(k[2])}{k[1]}：{unevaluated[k]}" for k in broken[:3])
        more = f"等 {len(broken)} 个单元格" if len(broken) > 3 else ""
        result.notes.append(
            f"指标「{indicator}」的{metric.header}列有公式无法计算（{shown}{more}），未排位"
        )
        return None
    if blind and not all(sheet.wrote(r, metric.col) for r in rows):
        # a host that sends no formulas and cannot compute (Office.js): the column may be
        # formulas whose results predate the figures just written
        result.notes.append(
            f"指标「{indicator}」的{metric.header}列可能是公式，写入新数据后无法在此重新计算，未排位"
            "（请在 Excel 中重新计算后再点「县区排名」）"
        )
        return None
    if any(grid.is_formula(r, metric.col) and grid.get(r, metric.col) is None for r in rows):
        result.notes.append(
            f"指标「{indicator}」的{metric.header}列是公式，当前没有计算结果，未排位"
        )
        return None
    values = _numbers(grid, rows, metric.col)
    computed = rank_kernel(
        np.array(values, dtype=object),
        np.array(values, dtype=object),
        indicator not in ascending,
        options.decimals,
    )
    ranks = [
        float(v) if c == OK else None for v, c in zip(computed.values, computed.codes, strict=True)
    ]
    col = target.rank.col if target.rank else _new_column(sheet, table, grid, indicator, "位次")
    _write_column(table, sheet, rows, col, [int(r) if r is not None else None for r in ranks])
    if options.highlight:
        sheet.highlight_top_bottom(rows[0], col, rows[-1] - rows[0] + 1)
    if target.main:
        result.ranks[indicator] = dict(
            zip([norm(table.names[r]) for r in rows], ranks, strict=True)
        )
    return ranks


def _clear_target(table: Table, sheet: Any, target: _Target) -> None:
    """Empty the rank and change cells of a figure that could not be ranked (its note says why)."""
    rows = table.ranked_rows()
    for column in (target.rank, target.change):
        if column is not None:
            _write_column(table, sheet, rows, column.col, [None] * len(rows))


def _write_column(table: Table, sheet: Any, rows: list[int], col: int, cells: list[Any]) -> None:
    """Write one value per ranked row (aggregates in between are not touched), never into the
    header."""
    if rows[0] < table.first_row or col <= table.region_col:
        raise AssertionError(f"rank would write into the header: row {rows[0]}, column {col}")
    write_rows(sheet, col, list(zip(rows, cells, strict=True)))


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


__all__ = [
    "CHANGE_FORMAT",
    "NOT_COMPARABLE",
    "RankError",
    "RankOptions",
    "RankResult",
    "next_sheet",
    "previous_sheet",
    "rank_sheet",
]
