"""生成分析 / ``tongji brief``: the analysis of a county written from the workbook's tables.

From the peer table of a period (各县区主要指标对比表) and, where the workbook has one, the
county's main-indicator sheet of that period (主要经济指标完成情况表), this writes for one county
(or every county of the table) the text of the quarterly 经济运行分析:

- an opening paragraph on the main indicators: 地区生产总值 (or the table's first indicator) in
  full, then how many indicators grew faster than 全市, how many ranks moved, how many
  indicators with a target are ahead of schedule;
- a paragraph per indicator group (生产, 投资, 消费, 财政, 收入, then any others — the table
  :data:`GROUP_RULES` maps indicators to groups by name): level, growth, the change of the growth
  since the previous period, the comparison with 全市 (and 全省 when the table has the row), rank
  and rank change, completion of the annual target and the schedule gap;
- the indicators that moved most (前移/后退 most places, furthest behind schedule).

**Every number is a published figure.** A figure is what its cell displays through its number
format (:func:`workbooks.displayed.shown_figure`: ``1.3999999999999995`` shown ``0.0`` is 1.4), read
from the values the workbook was saved with. Figures the text derives — a difference in
percentage points, a count of indicators, places moved — are computed from the displayed
figures with the rules of :mod:`udfs.phrases`, so a reader who subtracts the two published rates
finds the published difference. A cell whose figure cannot be read (a formula saved without its
value, text, a date format) is left out of the text and listed in :attr:`Brief.notes`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from udfs.periods import Period, PeriodError, Style, format_period, parse_period
from udfs.phrases import (
    amount_phrase,
    change_phrase,
    completion_phrase,
    growth_phrase,
    published,
    rank_phrase,
    schedule_phrase,
    text_of,
    vs_phrase,
)
from workbooks.compute import check_workbook
from workbooks.displayed import shown_figure
from workbooks.errors import UserError
from workbooks.period_names import PeriodSheets, read_period_sheets, same_period, title_of
from workbooks.tables import (
    CHANGE,
    COMPLETION,
    CURRENT,
    GROWTH,
    LEVEL_RANK,
    PROGRESS,
    RANK,
    NoTable,
    Table,
    col_letter,
    find_table,
    norm,
    split_header,
)

#: Indicator groups by a word of the indicator's name, tried in this order (the first word found
#: in the name decides): 一般公共预算收入 is 财政 before 收入 is tried, 工业投资 is 投资 before 工业.
GROUP_RULES: tuple[tuple[str, str], ...] = (
    ("可支配收入", "收入"),
    ("人均收入", "收入"),
    ("工资", "收入"),
    ("预算收入", "财政"),
    ("预算支出", "财政"),
    ("税收", "财政"),
    ("财政", "财政"),
    ("投资", "投资"),
    ("招商引资", "投资"),
    ("项目", "投资"),
    ("消费品零售", "消费"),
    ("社零", "消费"),
    ("零售", "消费"),
    ("消费", "消费"),
    ("餐饮", "消费"),
    ("生产总值", "生产"),
    ("增加值", "生产"),
    ("工业", "生产"),
    ("产值", "生产"),
    ("农林牧渔", "生产"),
    ("发电量", "生产"),
    ("用电量", "生产"),
)
#: Groups in the order of the document; indicators no rule names are 其他指标.
GROUPS = ("生产", "投资", "消费", "财政", "收入", "其他指标")
_CHINESE_ORDINALS = "一二三四五六七八九十"

#: Growth of these is real (按可比价格计算), said once per paragraph.
_REAL = ("生产总值", "增加值")
#: Benchmarks compared with, in this order, when the peer table has their row.
BENCHMARKS = ("全市", "全州", "全地区", "全盟", "全省", "全国")
_PP_UNITS = frozenset({"百分点", "个百分点", "pp", "±百分点", "±个百分点"})


class BriefError(UserError):
    """The analysis cannot be written (no such period or county); the message is Chinese."""


def group_of(indicator: str) -> str:
    """The group of an indicator by :data:`GROUP_RULES`, else 其他指标."""
    for word, group in GROUP_RULES:
        if word in indicator:
            return group
    return GROUPS[-1]


# --- Reading the workbook as displayed ----------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A published figure and the cell it is displayed in."""

    number: Decimal
    cell: str  # 「2026Q3」D12


@dataclass
class DisplayedSheet:
    """A sheet's saved values, number formats and formula cells (1-based positions)."""

    name: str
    values: list[list[Any]]
    formats: dict[tuple[int, int], str]
    formulas: set[tuple[int, int]]

    def value(self, row: int, col: int) -> Any:
        if row - 1 < len(self.values) and col - 1 < len(self.values[row - 1]):
            return self.values[row - 1][col - 1]
        return None

    def where(self, row: int, col: int) -> str:
        return f"「{self.name}」{col_letter(col)}{row}"


class DisplayedBook:
    """A workbook file as it was saved: values (the results Excel, ``tongji compute`` or the
    add-in stored with each formula) and number formats."""

    def __init__(self, path: Path):
        self.path = path
        self.sheets: dict[str, DisplayedSheet] = {}
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True)
        try:
            for ws in values.worksheets:
                grid: list[list[Any]] = []
                formats: dict[tuple[int, int], str] = {}
                for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
                    line = []
                    for c, cell in enumerate(row, start=1):
                        value = getattr(cell, "value", None)
                        line.append(value)
                        if value is not None:
                            formats[(r, c)] = cell.number_format
                    grid.append(line)
                cells = {
                    (r, c)
                    for r, row in enumerate(formulas[ws.title].iter_rows(min_row=1, min_col=1), 1)
                    for c, cell in enumerate(row, start=1)
                    if getattr(cell, "data_type", None) == "f"
                }
                self.sheets[ws.title] = DisplayedSheet(ws.title, grid, formats, cells)
        finally:
            values.close()
            formulas.close()

    def sheet_names(self) -> list[str]:
        return list(self.sheets)


class FigureReader:
    """Reads figures off the sheets, noting every cell it cannot read."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def figure(self, sheet: DisplayedSheet, row: int | None, col: int | None) -> Shown | None:
        if row is None or col is None:
            return None
        value = sheet.value(row, col)
        if value is None or (isinstance(value, str) and norm(value) in {"", "—", "-", "/", "x"}):
            if (row, col) in sheet.formulas:
                self.note(f"{sheet.where(row, col)} 是公式但文件中没有保存计算结果")
            return None
        number = shown_figure(value, sheet.formats.get((row, col)))
        if number is None:
            self.note(
                f"{sheet.where(row, col)} 的内容「{value}」（格式 {sheet.formats.get((row, col))}）"
                "无法读成数字"
            )
            return None
        return Shown(number, sheet.where(row, col))

    def whole(self, sheet: DisplayedSheet, row: int, col: int | None) -> int | None:
        """A rank or a change of rank: the whole number the cell holds (its format may show it
        as words: 前移2位, 持平), or None."""
        if col is None:
            return None
        value = sheet.value(row, col)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = Decimal(format(float(value), ".15g"))
        else:  # text such as "3" (blank and placeholders: no rank; anything else is noted)
            shown = self.figure(sheet, row, col)
            if shown is None:
                return None
            number = shown.number
        if number != number.to_integral_value():
            self.note(f"{sheet.where(row, col)} 的位次「{value}」不是整数")
            return None
        return int(number)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


# --- What the text says about one indicator -----------------------------------------------


@dataclass
class Facts:
    """The published figures of one indicator of one county."""

    indicator: str
    unit: str | None
    level: Shown | None = None
    growth: Shown | None = None
    previous_growth: Shown | None = None
    benchmarks: list[tuple[str, Shown]] = field(default_factory=list)
    rank: int | None = None
    rank_change: int | None = None
    level_rank: int | None = None
    level_rank_change: int | None = None
    ranked: int | None = None  # units ranked (for 倒数第k位)
    completion: Shown | None = None
    schedule_gap: Decimal | None = None  # published, or derived from the published completion

    @property
    def real(self) -> bool:
        return any(word in self.indicator for word in _REAL)

    @property
    def vs_first(self) -> Decimal | None:
        """Published growth minus the first benchmark's (pp)."""
        if self.growth is None or not self.benchmarks:
            return None
        return self.growth.number - self.benchmarks[0][1].number


def _verb(indicator: str) -> str:
    return "为" if ("余额" in indicator or "人均" in indicator) else "完成"


def indicator_sentence(facts: Facts, reference: str, scope: str, real_note: bool) -> str:
    """地区生产总值完成128.23亿元，按可比价格计算，增长7.3%，增速较上半年提高0.3个百分点，高于
    全市1.4个百分点，居全市第2位，与上半年持平；完成年度目标的72.6%，差序时进度2.4个百分点。"""
    head = facts.indicator
    if facts.level is not None:
        head += _verb(facts.indicator) + amount_phrase(facts.level.number, facts.unit or "")
    parts = [head]
    if facts.growth is not None:
        g = facts.growth.number
        if real_note:
            parts.append("按可比价格计算")
        growth = growth_phrase(g, None)
        parts.append("与上年同期持平" if growth == "持平" else growth)
        if facts.previous_growth is not None:
            change = change_phrase(g, facts.previous_growth.number, reference, None)
            parts.append(change if change.startswith("降幅") else f"增速{change}")
        for name, benchmark in facts.benchmarks:
            parts.append(vs_phrase(g, benchmark.number, name, None))
    if facts.rank is not None:
        previous = None if facts.rank_change is None else facts.rank + facts.rank_change
        parts.append(rank_phrase(facts.rank, previous, scope, reference, facts.ranked))
    if facts.level_rank is not None:
        previous = (
            None if facts.level_rank_change is None else facts.level_rank + facts.level_rank_change
        )
        parts.append("总量" + rank_phrase(facts.level_rank, previous, scope, reference))
    text = "，".join(parts)
    if facts.completion is not None:
        text += "；" + completion_phrase(facts.completion.number, None, None)
        if facts.schedule_gap is not None:
            text += "，" + schedule_phrase(facts.schedule_gap, None)
    return text + "。"


# --- The document ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One block of the document: ``title``, ``heading1``, ``heading2`` or ``paragraph``."""

    kind: str
    text: str


@dataclass
class Analysis:
    """The analysis of one county."""

    region: str
    blocks: list[Block]


@dataclass
class Brief:
    """What ``tongji brief`` writes: one analysis per county, and the cells it could not read."""

    period: Period
    peer_sheet: str
    main_sheets: dict[str, str]  # county → its main-indicator sheet
    analyses: list[Analysis]
    notes: list[str]

    @property
    def label(self) -> str:
        return format_period(self.period, Style("words"))


def _period_words(period: Period, with_year: bool = False) -> str:
    return format_period(period, Style("words") if with_year else Style("words", year=None))


def _reference(current: Period, previous: Period | None) -> str:
    """How the text names the previous period: 上半年, 一季度, 上年 (last year's full year)."""
    if previous is None:
        return "上期"
    words = _period_words(previous)
    if previous.year is not None and current.year is not None and previous.year != current.year:
        return "上年全年" if previous.last_month == 12 else f"上年{words}"
    return words


def _tally(counts: Iterable[tuple[str, int]]) -> str:
    return "、".join(f"{n}项{what}" for what, n in counts if n)


def _main_indicator(facts: list[Facts]) -> Facts:
    """The indicator the opening paragraph leads with: 地区生产总值, else the first."""
    return next((f for f in facts if "生产总值" in f.indicator), facts[0])


def _opening(region: str, period: Period, facts: list[Facts], reference: str, scope: str) -> str:
    main = _main_indicator(facts)
    text = f"{_period_words(period)}，{region}" + indicator_sentence(
        main, reference, scope, main.real
    )
    compared = [f.vs_first for f in facts if f.vs_first is not None]
    if compared and facts[0].benchmarks:
        name = next(f.benchmarks[0][0] for f in facts if f.vs_first is not None)
        counts = [
            (f"增速高于{name}", sum(d > 0 for d in compared)),
            (f"与{name}持平", sum(d == 0 for d in compared)),
            (f"低于{name}", sum(d < 0 for d in compared)),
        ]
        text += f"与{name}对比的{len(compared)}项指标中，{_tally(counts)}。"
    moved = [f.rank_change for f in facts if f.rank_change is not None]
    if moved:
        counts = [
            ("位次前移", sum(m > 0 for m in moved)),
            ("持平", sum(m == 0 for m in moved)),
            ("后退", sum(m < 0 for m in moved)),
        ]
        text += f"与{reference}相比，{len(moved)}项指标中{_tally(counts)}。"
    done = [f.completion.number for f in facts if f.completion is not None]
    if period.last_month == 12 and done:  # the year is over: met or not, no schedule
        counts = [
            ("完成年度目标", sum(c >= 100 for c in done)),
            ("未完成", sum(c < 100 for c in done)),
        ]
        text += f"有年度目标的{len(done)}项指标中，{_tally(counts)}。"
    gaps = [f.schedule_gap for f in facts if f.schedule_gap is not None]
    if gaps:
        counts = [
            ("超序时进度", sum(g > 0 for g in gaps)),
            ("与序时进度持平", sum(g == 0 for g in gaps)),
            ("差序时进度", sum(g < 0 for g in gaps)),
        ]
        text += f"有年度目标的{len(gaps)}项指标中，{_tally(counts)}。"
    return text


def _names(facts: list[Facts]) -> str:
    return "、".join(f.indicator for f in facts)


def _standouts(facts: list[Facts], reference: str, year_end: bool) -> str:
    """The indicators that moved most places up and down, and the one furthest behind schedule."""
    sentences = []
    changes = [f for f in facts if f.rank_change is not None]
    if changes:
        best = max(f.rank_change for f in changes)  # type: ignore[type-var]
        worst = min(f.rank_change for f in changes)  # type: ignore[type-var]
        if best > 0:
            top = [f for f in changes if f.rank_change == best]
            each = "均" if len(top) > 1 else ""
            sentences.append(f"位次前移最多的是{_names(top)}（{each}较{reference}前移{best}位）")
        if worst < 0:
            low = [f for f in changes if f.rank_change == worst]
            each = "均" if len(low) > 1 else ""
            sentences.append(f"位次后退最多的是{_names(low)}（{each}较{reference}后退{-worst}位）")
        if best <= 0 and worst >= 0:
            sentences.append(f"各项指标位次均与{reference}持平")
    short = [f for f in facts if f.completion is not None and f.completion.number < 100]
    if year_end and short:
        lowest = min(f.completion.number for f in short)  # type: ignore[union-attr]
        far = [f for f in short if f.completion.number == lowest]  # type: ignore[union-attr]
        sentences.append(
            f"完成年度目标比例最低的是{_names(far)}（完成年度目标的{text_of(lowest)}%）"
        )
    elif year_end and any(f.completion is not None for f in facts):
        sentences.append("有年度目标的指标均完成年度目标")
    behind = [f for f in facts if f.schedule_gap is not None and f.schedule_gap < 0]
    if behind:
        gap = min(f.schedule_gap for f in behind)  # type: ignore[type-var]
        far = [f for f in behind if f.schedule_gap == gap]
        sentences.append(f"差序时进度最多的是{_names(far)}（{schedule_phrase(gap, None)}）")
    elif any(f.schedule_gap is not None for f in facts):
        sentences.append("有年度目标的指标均达到序时进度")
    lagging = [f for f in facts if f.vs_first is not None and f.vs_first < 0]
    if lagging:
        gap = min(f.vs_first for f in lagging)  # type: ignore[type-var]
        far = [f for f in lagging if f.vs_first == gap]
        name = far[0].benchmarks[0][0]
        sentences.append(
            f"增速低于{name}最多的是{_names(far)}（低于{name}{text_of(-gap)}个百分点）"
        )
    return "；".join(sentences) + "。" if sentences else ""


def write_analysis(
    region: str, period: Period, facts: list[Facts], reference: str, scope: str
) -> Analysis:
    """The blocks of one county's analysis."""
    title = f"{region}{_period_words(period, with_year=True)}经济运行情况分析"
    blocks = [Block("title", title), Block("heading1", "一、总体情况")]
    blocks.append(Block("paragraph", _opening(region, period, facts, reference, scope)))
    blocks.append(Block("heading1", "二、分领域情况"))
    by_group: dict[str, list[Facts]] = {g: [] for g in GROUPS}
    opening = _main_indicator(facts)
    for f in facts:
        if f is not opening:  # said in full in the opening paragraph
            by_group[group_of(f.indicator)].append(f)
    number = 0
    for group in GROUPS:
        members = by_group[group]
        if not members:
            continue
        blocks.append(Block("heading2", f"（{_CHINESE_ORDINALS[number]}）{group}"))
        number += 1
        said_real = False
        sentences = []
        for f in members:
            note = f.real and f.growth is not None and not said_real
            said_real = said_real or note
            sentences.append(indicator_sentence(f, reference, scope, note))
        blocks.append(Block("paragraph", "".join(sentences)))
    standouts = _standouts(facts, reference, period.last_month == 12)
    if standouts:
        blocks.append(Block("heading1", "三、需要关注的指标"))
        blocks.append(Block("paragraph", standouts))
    return Analysis(region, blocks)


# --- From the tables to the facts ------------------------------------------------------------


def _period_sheets(book: DisplayedBook) -> PeriodSheets:
    return read_period_sheets(
        book.sheet_names(), lambda n: title_of(book.sheets[n].values), book.path.name
    )


def _peer_table(sheet: DisplayedSheet) -> Table | None:
    try:
        table = find_table(sheet.values, where=f"工作表「{sheet.name}」")
    except NoTable:
        return None
    return table if table.ranked_rows() else None


def _peer_sheets(book: DisplayedBook, sheets: PeriodSheets) -> list[tuple[Period, str, Table]]:
    out = []
    for period in sheets.periods():
        for name in sheets.names_of(period):
            table = _peer_table(book.sheets[name])
            if table is not None:
                out.append((period, name, table))
                break
    return out


def _choose_period(
    peers: list[tuple[Period, str, Table]], wanted: str | None
) -> tuple[Period, str, Table]:
    if not peers:
        raise BriefError(
            "工作簿中找不到县区对比表（表头有「地区」列、每行一个县区的工作表），无法生成分析"
        )
    if wanted is None:
        return peers[-1]
    try:
        period = parse_period(wanted)
    except PeriodError as exc:
        raise BriefError(str(exc)) from None
    found = [p for p in peers if same_period(p[0], period)]
    if not found:
        listed = "、".join(f"{name}（{p.label()}）" for p, name, _ in peers)
        raise BriefError(f"工作簿中没有「{period.label()}」的县区对比表（现有：{listed}）")
    return found[-1]


def main_sheet(
    book: DisplayedBook, sheets: PeriodSheets, period: Period, peer: str, region: str
) -> tuple[DisplayedSheet, int, dict[str, int]] | None:
    """The county's main-indicator sheet of ``period``: the sheet, its 指标名称 column and the
    columns it holds (completion, schedule gap, progress, unit)."""
    for name in sheets.names_of(period):
        if name == peer:
            continue
        sheet = book.sheets[name]
        if norm(region) not in norm(name) and norm(region) not in norm(title_of(sheet.values)):
            continue
        for r, line in enumerate(sheet.values[:10], start=1):
            texts = [norm(v) if isinstance(v, str) else "" for v in line]
            if "指标名称" not in texts:
                continue
            columns = {"name": texts.index("指标名称") + 1, "header": r}
            for c, text in enumerate(texts, start=1):
                if not text:
                    continue
                label, measure, unit = split_header(text)
                if text == "计量单位":
                    columns["unit"] = c
                elif measure == COMPLETION:
                    columns["completion"] = c
                elif measure == PROGRESS and (
                    unit in _PP_UNITS or any(w in label for w in ("超", "欠", "差"))
                ):
                    columns["gap"] = c
            return sheet, r, columns
    return None


def main_rows(sheet: DisplayedSheet, header: int, col: int) -> dict[str, int]:
    """The rows of a main-indicator sheet below its header, by indicator name (column ``col``)."""
    rows: dict[str, int] = {}
    for r in range(header + 1, len(sheet.values) + 1):
        name = sheet.value(r, col)
        if not isinstance(name, str) or not norm(name):
            break
        rows.setdefault(norm(name), r)
    return rows


def _ranked_count(sheet: DisplayedSheet, table: Table, col: int) -> int:
    return sum(
        isinstance(sheet.value(r, col), (int, float)) and not isinstance(sheet.value(r, col), bool)
        for r in table.ranked_rows()
    )


def _benchmarks(table: Table) -> list[tuple[str, int]]:
    found = []
    for name in BENCHMARKS:
        row = table.regions.get(name)
        if row is not None:
            found.append((name, row))
    return found


def _facts(
    reader: FigureReader,
    sheet: DisplayedSheet,
    table: Table,
    region_row: int,
    previous: tuple[DisplayedSheet, Table] | None,
    region: str,
) -> list[Facts]:
    out = []
    benchmarks = _benchmarks(table)
    for indicator in table.indicators():
        level = table.column(indicator, CURRENT)
        growth = table.column(indicator, GROWTH)
        rank = table.column(indicator, RANK)
        change = table.column(indicator, CHANGE)
        level_rank = table.column(indicator, LEVEL_RANK)
        facts = Facts(indicator, level.unit if level else None)
        facts.level = reader.figure(sheet, region_row, level.col if level else None)
        if growth is not None:
            facts.growth = reader.figure(sheet, region_row, growth.col)
            for name, row in benchmarks:
                shown = reader.figure(sheet, row, growth.col)
                if shown is not None:
                    facts.benchmarks.append((name, shown))
            if previous is not None:
                before_sheet, before = previous
                column = before.column(indicator, GROWTH)
                row = before.regions.get(norm(region))
                if column is not None and row is not None:
                    facts.previous_growth = reader.figure(before_sheet, row, column.col)
        if rank is not None:
            facts.rank = reader.whole(sheet, region_row, rank.col)
            count = _ranked_count(sheet, table, rank.col)
            if facts.rank is not None and not 1 <= facts.rank <= count:
                reader.note(
                    f"{sheet.where(region_row, rank.col)} 的位次 {facts.rank} 不在 1–{count} 之间"
                )
                facts.rank = None
            facts.ranked = count
            if facts.rank is not None and change is not None:
                facts.rank_change = reader.whole(sheet, region_row, change.col)
                before = None if facts.rank_change is None else facts.rank + facts.rank_change
                if before is not None and not 1 <= before <= count:
                    reader.note(
                        f"{sheet.where(region_row, change.col)} 的位次变化 {facts.rank_change} "
                        f"与位次 {facts.rank} 不符（上期位次将为 {before}，不在 1–{count} 之间）"
                    )
                    facts.rank_change = None
        if level_rank is not None:
            facts.level_rank = reader.whole(sheet, region_row, level_rank.col)
            if facts.level_rank is not None and facts.level_rank < 1:
                reader.note(f"{sheet.where(region_row, level_rank.col)} 的位次应为正整数")
                facts.level_rank = None
        if facts.level is None and facts.growth is None and facts.rank is None:
            continue  # nothing published for this county
        out.append(facts)
    return out


def _add_targets(
    reader: FigureReader,
    facts: list[Facts],
    main: tuple[DisplayedSheet, int, dict[str, int]],
    period: Period,
) -> None:
    sheet, header, columns = main
    rows = main_rows(sheet, header, columns["name"])
    for f in facts:
        row = rows.get(norm(f.indicator))
        if row is None or "completion" not in columns:
            continue
        f.completion = reader.figure(sheet, row, columns["completion"])
        if f.completion is None:
            continue
        if period.last_month == 12:
            continue  # the year is over: the completion says it all, there is no schedule
        gap = reader.figure(sheet, row, columns.get("gap"))
        if gap is not None:
            f.schedule_gap = gap.number
        else:  # the published completion against the time progress at its decimals
            places = -int(f.completion.number.as_tuple().exponent)
            f.schedule_gap = f.completion.number - published(period.time_progress, places)


def _scope(table: Table) -> str:
    """The peers a rank is among, named by the table's own benchmark row: a county table has a
    全市 (全州 …) row, a table of the province's cities only a 全省 row (居全省第3位). The
    nearest level the table has wins (全市 before 全省); without any benchmark row the rank is
    written 居第N位, never a scope the table does not show."""
    return next((name for name, _ in _benchmarks(table)), "")


def build_brief(path: str | Path, region: str | None = None, period: str | None = None) -> Brief:
    """The analysis of ``region`` (every county of the table when None) for ``period`` (the
    latest period with a peer table when None) from the workbook file at ``path``.

    Raises :class:`BriefError` (Chinese) when the workbook has no peer table, or not the period
    or county asked for (the message lists what it has)."""
    path = Path(path)
    check_workbook(path)
    book = DisplayedBook(path)
    sheets = _period_sheets(book)
    peers = _peer_sheets(book, sheets)
    chosen, peer_name, table = _choose_period(peers, period)
    sheet = book.sheets[peer_name]
    counties = [table.names[r] for r in table.ranked_rows()]
    if region is not None:
        if norm(region) not in {norm(c) for c in counties}:
            raise BriefError(
                f"「{region}」不在「{peer_name}」县区对比表中（现有：{'、'.join(counties)}）"
            )
        counties = [c for c in counties if norm(c) == norm(region)]
    previous_name = sheets.previous(peer_name)
    previous_period = sheets.by_name().get(previous_name) if previous_name else None
    previous = None
    if previous_name is not None:
        before = _peer_table(book.sheets[previous_name])
        if before is not None:
            previous = (book.sheets[previous_name], before)
    reference = _reference(chosen, previous_period)
    scope = _scope(table)
    reader = FigureReader()
    analyses = []
    mains: dict[str, str] = {}
    for county in counties:
        facts = _facts(reader, sheet, table, table.regions[norm(county)], previous, county)
        if not facts:
            reader.notes.append(f"「{peer_name}」中{county}没有任何指标数据，未写入分析")
            continue
        main = main_sheet(book, sheets, chosen, peer_name, county)
        if main is not None:
            mains[county] = main[0].name
            _add_targets(reader, facts, main, chosen)
        analyses.append(write_analysis(county, chosen, facts, reference, scope))
    if not analyses:
        raise BriefError(f"「{peer_name}」中{'、'.join(counties)}没有任何指标数据，无法生成分析")
    return Brief(chosen, peer_name, mains, analyses, reader.notes)


def default_output(source: Path, brief: Brief, region: str | None) -> Path:
    """``<workbook>_<county or 各县区><period>分析.docx`` next to the workbook, numbered
    ``(2)``, ``(3)`` … rather than overwriting a file that is there."""
    who = region or "各县区"
    stem = re.sub(r'[\\/:*?"<>|]', "_", f"{source.stem}_{who}{brief.period.label()}分析")
    target = source.with_name(f"{stem}.docx")
    k = 2
    while target.exists():
        target = source.with_name(f"{stem}({k}).docx")
        k += 1
    return target


__all__ = [
    "BENCHMARKS",
    "GROUPS",
    "GROUP_RULES",
    "Analysis",
    "Block",
    "Brief",
    "BriefError",
    "DisplayedBook",
    "DisplayedSheet",
    "Facts",
    "FigureReader",
    "Shown",
    "build_brief",
    "default_output",
    "group_of",
    "indicator_sentence",
    "main_rows",
    "main_sheet",
    "write_analysis",
]
