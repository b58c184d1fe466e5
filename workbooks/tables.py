"""Reading a bureau table off a sheet or a data drop: the region column, the indicator columns
and what each holds.

The grammar (which header means what) is written down as a table in ``docs/table-grammar.md``;
this module is its only implementation, used for workbook sheets and for drops alike. In short:
a peer table (各县区主要指标对比表) has a header cell 地区 (县区, 单位 …) above the region names
and one or two header rows naming the indicator columns. A measure-only header (``增长(%)``,
``上年同期``, ``位次`` …) belongs to the nearest indicator on its left; under a merged indicator
cell the sub-headers name the measures (``总量(亿元) | 增速(%) | 总量位次 | 增速位次``). Derived
columns (较上期, 比全市高低, 占比 …) are recognised and are never inputs nor ranked. A header the
reader does not understand, or a table with indicators as rows and counties as columns, is
refused with a message naming the cell — the reader never guesses. Positions are 1-based
(row, column), as in Excel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from udfs.cleaning import fold
from workbooks.errors import UserError, joined, visible

#: Header texts that mark the region column.
REGION_HEADERS = frozenset(
    {
        "地区",
        "县区",
        "县(市、区)",
        "县(市,区)",
        "县市区",
        "地区名称",
        "单位",
        "单位名称",
        "区域",
        "县(区)",
        "县区名称",
        "地区/指标",
    }
)

#: Header texts of an indicator-name column: a table with one is laid out with indicators as
#: rows (a long drop, or a transposed peer table).
INDICATOR_HEADERS = frozenset({"指标名称", "指标", "项目", "指标项目", "主要指标", "计量单位"})

#: Header texts of columns that hold no figures (remarks, numbering, responsible unit).
_IGNORED_HEADERS = frozenset({"备注", "说明", "序号", "责任单位", "牵头单位", "联系人"})

_AGGREGATE = re.compile(
    r"^(全(市|省|国|州|盟|地区|县)(合计|平均)?|合计|总计|小计|市本级|市直|本级|其中[:：]?.*|全市\(含.*\))$"
)
_COUNTY_LIKE = re.compile(r"^[\u4e00-\u9fff]{1,10}(县|区|市|旗|州|镇|乡)$")
_NOTE_STARTS = ("注", "说明", "数据来源", "资料来源", "备注", "填表", "制表", "审核")

# Measures of an indicator's columns. Inputs a drop supplies and a refresh fills:
CURRENT, BASE, GROWTH = "本期", "上年同期", "增长"
# Ranks and their changes, written by rank:
RANK, LEVEL_RANK, CHANGE, LEVEL_CHANGE, TALLY = (
    "位次",  # rank of the ranked figure: the growth where there is one, else the level
    "总量位次",  # rank of the level (本期)
    "位次变化",
    "总量位次变化",
    "位次升降",
)
# Derived columns: recognised, never inputs, never ranked.
VS_PREVIOUS = "较上期"  # change of the growth on the previous period, pp
VS_BENCHMARK = "比全市"  # growth minus the benchmark's (全市, 全省), pp
SHARE = "占比"  # share of a whole, %
PRIOR_GROWTH = "上期增速"  # a reference growth (上年同期增速, 上期累计增速)
COMPLETION = "完成目标"  # completion of the annual target, %
PROGRESS = "序时进度"  # time progress and schedule gap
CONTRIBUTION = "贡献"  # contribution rate / pull, %, pp
TARGET = "目标"  # annual target
INCREASE = "增量"  # absolute increase (增长 in a level unit)
POINTS = "百分点"  # any other difference in percentage points
PREVIOUS_LEVEL = "上期累计"  # the previous period's level (a reference)
MONTH_ON_MONTH = "环比"  # period-on-period growth

#: Measures a drop supplies and a refresh fills.
INPUT_MEASURES = (CURRENT, BASE, GROWTH)
#: Measures rank writes.
RANK_MEASURES = (RANK, LEVEL_RANK, CHANGE, LEVEL_CHANGE)
#: Derived measures: never inputs, never ranked.
DERIVED_MEASURES = (
    VS_PREVIOUS,
    VS_BENCHMARK,
    SHARE,
    PRIOR_GROWTH,
    COMPLETION,
    PROGRESS,
    CONTRIBUTION,
    TARGET,
    INCREASE,
    POINTS,
    PREVIOUS_LEVEL,
    MONTH_ON_MONTH,
)

#: Header endings and the measure they name, tried in this order (the first that ends the
#: header wins, so longer and more specific words come first).
_MEASURE_WORDS: list[tuple[str, str]] = [
    # changes of rank
    ("总量位次变化", LEVEL_CHANGE),
    ("总量位次升降", LEVEL_CHANGE),
    ("增速位次变化", CHANGE),
    ("位次变化", CHANGE),
    ("位次升降", CHANGE),
    ("较上期位次", CHANGE),
    ("升降位次", CHANGE),
    # ranks
    ("总量位次", LEVEL_RANK),
    ("总量排位", LEVEL_RANK),
    ("总量排名", LEVEL_RANK),
    ("绝对额位次", LEVEL_RANK),
    ("绝对量位次", LEVEL_RANK),
    ("规模位次", LEVEL_RANK),
    ("增速位次", RANK),
    ("增速排位", RANK),
    ("增速排名", RANK),
    ("增长位次", RANK),
    ("全市位次", RANK),
    ("位次", RANK),
    ("排名", RANK),
    ("排位", RANK),
    ("名次", RANK),
    # growth against last year (before 上年同期增长, 上年同期: these end them)
    ("比上年同期增长", GROWTH),
    ("比去年同期增长", GROWTH),
    ("比上年增长", GROWTH),
    ("同比增长", GROWTH),
    ("比上年同期增减", GROWTH),
    ("比上年增减", GROWTH),
    ("比上年同期", GROWTH),
    ("比上年", GROWTH),
    # derived
    ("上年同期增速", PRIOR_GROWTH),
    ("上年同期增长", PRIOR_GROWTH),
    ("去年同期增速", PRIOR_GROWTH),
    ("上期累计增速", PRIOR_GROWTH),
    ("上期增速", PRIOR_GROWTH),
    ("上月增速", PRIOR_GROWTH),
    ("上季度增速", PRIOR_GROWTH),
    ("比全市高低", VS_BENCHMARK),
    ("比全省高低", VS_BENCHMARK),
    ("比全市", VS_BENCHMARK),
    ("较全市", VS_BENCHMARK),
    ("高于全市", VS_BENCHMARK),
    ("与全市比", VS_BENCHMARK),
    ("比全省", VS_BENCHMARK),
    ("较全省", VS_BENCHMARK),
    ("较上期", VS_PREVIOUS),
    ("比上期", VS_PREVIOUS),
    ("较上季度", VS_PREVIOUS),
    ("比上季度", VS_PREVIOUS),
    ("较上月", VS_PREVIOUS),
    ("比上月", VS_PREVIOUS),
    ("较上年同期", POINTS),
    ("环比增长", MONTH_ON_MONTH),
    ("环比", MONTH_ON_MONTH),
    ("占全市比重", SHARE),
    ("占全省比重", SHARE),
    ("占比", SHARE),
    ("比重", SHARE),
    ("完成年度目标", COMPLETION),
    ("完成目标", COMPLETION),
    ("完成率", COMPLETION),
    ("序时进度", PROGRESS),
    ("贡献率", CONTRIBUTION),
    ("拉动", CONTRIBUTION),
    ("较目标", POINTS),
    ("年度目标", TARGET),
    ("目标", TARGET),
    # growth
    ("同比", GROWTH),
    ("增长", GROWTH),
    ("增速", GROWTH),
    ("增幅", GROWTH),
    # levels
    ("上年同期累计", BASE),
    ("去年同期累计", BASE),
    ("上年同期", BASE),
    ("去年同期", BASE),
    ("上年本期", BASE),
    ("上年累计", BASE),
    ("上期累计", PREVIOUS_LEVEL),
    ("本期累计", CURRENT),
    ("本年累计", CURRENT),
    ("累计", CURRENT),
    ("本期", CURRENT),
    ("绝对额", CURRENT),
    ("绝对值", CURRENT),
    ("绝对量", CURRENT),
    ("总量", CURRENT),
    ("完成值", CURRENT),
    ("完成额", CURRENT),
]

#: Units a level may be given in, as multiples of one yuan (or of one of the unit itself).
UNIT_FACTORS: dict[str, float] = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
_PP_UNITS = frozenset({"百分点", "个百分点", "pp", "±百分点", "±个百分点"})
#: Texts a unit row (a row of units under the header) may hold.
_UNIT_WORDS = frozenset(
    {"元", "万元", "亿元", "万美元", "美元", "亿千瓦时", "万千瓦时", "个", "家", "户", "人"}
    | {"万人", "吨", "万吨", "%", "位"}
    | _PP_UNITS
)
_TARGET_WORDS = re.compile(r"(?:年度|全年)?(?:目标|计划|任务)$")
_UNIT_NOTE = re.compile(r"^(?:金额|计量)?单位[:：](.+)$")


def norm(text: Any) -> str:
    """A header or cell text folded for comparison (:func:`udfs.cleaning.fold`: full-width to
    half-width, dashes unified, no spaces); ``""`` for None."""
    if text is None:
        return ""
    return fold(str(text))


def is_aggregate(name: Any) -> bool:
    """True for benchmark rows that are never ranked: 全市, 全省, 全国, 合计, 市本级 …"""
    return bool(_AGGREGATE.match(norm(name)))


def _unit_of(text: str) -> tuple[str, str | None]:
    """``增长(%)`` → (``增长``, ``%``); ``比上年增长±%`` → (``比上年增长``, ``%``)."""
    unit = None
    m = re.search(r"\(([^()]*)\)$", text)
    if m:
        unit, text = m[1], text[: m.start()]
        unit = re.sub(r"^(?:金额|计量)?单位[:：]", "", unit)
        unit = "%" if unit in ("%", "±%") else unit
    if text.endswith("%"):
        unit, text = "%", text[:-1]
    return text.rstrip("±"), unit


def split_header(text: str) -> tuple[str, str | None, str | None]:
    """``地区生产总值增长(%)`` → (indicator, measure, unit); measure None when the text names none
    (then the header names an indicator's level). A growth given in percentage points or in a
    level unit is a derived column, not a growth."""
    text, unit = _unit_of(norm(text))
    for word, measure in _MEASURE_WORDS:
        if text.endswith(word):
            name = text[: -len(word)].rstrip("_-:")
            target = _TARGET_WORDS.search(name)
            if measure == GROWTH and target:  # 年度目标增速(%): a target, not a growth
                return name[: target.start()], TARGET, unit
            if measure == GROWTH and unit in _PP_UNITS:
                measure = POINTS
            elif measure == GROWTH and unit and unit != "%":
                measure = INCREASE
            return name, measure, unit
    if unit in _PP_UNITS:
        return text, POINTS, unit
    return text, None, unit


@dataclass
class Column:
    """One column of a table: which indicator, which measure, in which unit."""

    col: int
    indicator: str
    measure: str
    unit: str | None
    header: str

    @property
    def derived(self) -> bool:
        return self.measure in DERIVED_MEASURES


@dataclass
class Table:
    """A peer table found on a sheet (or in a drop)."""

    header_row: int
    region_col: int
    first_row: int
    last_row: int
    regions: dict[str, int]  # normalised region name → row
    names: dict[int, str]  # row → region name as written
    columns: list[Column]
    tally_col: int | None = None
    title: str = ""
    unreadable: list[str] = field(default_factory=list)
    header_depth: int = 1  # header rows: 1, or 2 (indicator over measures)
    unit_row: int | None = None  # a row of units under the header

    @property
    def width(self) -> int:
        return max([c.col for c in self.columns] + [self.region_col, self.tally_col or 0])

    def column(self, indicator: str, measure: str) -> Column | None:
        for c in self.columns:
            if c.indicator == indicator and c.measure == measure:
                return c
        return None

    def indicators(self) -> list[str]:
        """Indicators with at least one column that is not derived, left to right."""
        seen: dict[str, None] = {}
        for c in self.columns:
            if not c.derived:
                seen.setdefault(c.indicator, None)
        return list(seen)

    def ranked_rows(self) -> list[int]:
        """Rows of the county-level units (aggregates left out), top to bottom."""
        return [row for row, name in sorted(self.names.items()) if not is_aggregate(name)]


class NoTable(UserError):
    """No peer table on the sheet; the message (Chinese) says what was looked for."""


class TableError(NoTable):
    """A peer table whose layout cannot be read (a header not understood, a transposed table);
    the message (Chinese) names the cells."""


def cell(grid: Sequence[Sequence[Any]], row: int, col: int) -> Any:
    """Value at 1-based (row, col), None outside the grid."""
    if row - 1 < len(grid) and col - 1 < len(grid[row - 1]):
        return grid[row - 1][col - 1]
    return None


_NO_REGION = "找不到地区列：表头中应有「地区」「县区」或「单位」等字样的单元格"
_TRANSPOSED = (
    "{where}中的表格是转置的（指标在行、县区在列，表头{cells}），无法排位或填数："
    "请改为每行一个县区、每列一个指标的县区对比表"
)


def _text(value: Any) -> str:
    return norm(value) if isinstance(value, str) else ""


def _addr(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def _region_headers(grid: Sequence[Sequence[Any]], rows: int) -> list[tuple[int, int]]:
    """(row, col) of the first region-name header cell of each of the first ``rows`` rows."""
    found = []
    for r, line in enumerate(grid[:rows], start=1):
        for c, value in enumerate(line[:10], start=1):
            if _text(value) in REGION_HEADERS:
                found.append((r, c))
                break
    return found


def _regions_across(line: Sequence[Any], start: int) -> list[int]:
    """Columns (from ``start``) of a header row whose text is a region name (甲县, 全市 …)."""
    out = []
    for c in range(start, len(line) + 1):
        text = _text(line[c - 1])
        regional = _COUNTY_LIKE.match(text) or (is_aggregate(text) and "其中" not in text)
        if regional and split_header(text)[1] is None:
            out.append(c)
    return out


def _transposed_row(grid: Sequence[Sequence[Any]], rows: int) -> tuple[int, list[int]] | None:
    """A header row with an indicator-name cell and region names across: (row, their columns)."""
    for r, line in enumerate(grid[:rows], start=1):
        texts = [_text(v) for v in line]
        if not any(t in INDICATOR_HEADERS for t in texts):
            continue
        across = _regions_across(line, 1)
        if len(across) >= 2:
            return r, across
    return None


def find_region_header(grid: Sequence[Sequence[Any]], where: str = "工作表") -> tuple[int, int]:
    """(row, col) of the region-name header cell of the first table (within the first 30 rows)."""
    headers = _region_headers(grid, 30)
    if not headers:
        transposed = _transposed_row(grid, 30)
        if transposed:
            r, cols = transposed
            cells = "、".join(f"{_addr(r, c)}「{cell(grid, r, c)}」" for c in cols[:3])
            raise TableError(_TRANSPOSED.format(where=where, cells=cells))
        raise NoTable(_NO_REGION)
    return headers[0]


def find_table(
    grid: Sequence[Sequence[Any]],
    where: str = "工作表",
    near_row: int | None = None,
    repeats: bool = False,
) -> Table:
    """Read the peer table in ``grid`` (cell values from A1): the first one on the sheet, or,
    when a sheet holds several tables one below the other, the one around row ``near_row``
    (the selection): the nearest table starting at or above it, or the next one when the
    selection lies below that table's last row (on the next table's title, say).

    Raises :class:`NoTable` when there is none, :class:`TableError` (naming the cells) when its
    layout cannot be read or, unless ``repeats`` (a drop, whose reader lists them itself), when
    a county's name stands in two rows: one of them would be filled and ranked, the other left
    with old figures."""
    table = _find_table(grid, where, near_row)
    if not repeats:
        seen: dict[str, int] = {}
        for row, name in sorted(table.names.items()):
            key = norm(name)
            if key in seen and not is_aggregate(name):
                raise TableError(
                    f"{where}第{seen[key]}行和第{row}行的地区都是「{name}」：请删去或改正其中一行"
                )
            seen.setdefault(key, row)
    return table


def _find_table(grid: Sequence[Sequence[Any]], where: str, near_row: int | None) -> Table:
    if near_row is None:
        return _read_table(grid, *find_region_header(grid, where), where)
    headers = _region_headers(grid, len(grid))
    if not headers:
        find_region_header(grid, where)  # raises the right message
    above = [h for h in headers if h[0] <= near_row]
    below = [h for h in headers if h[0] > near_row]
    if not above:
        return _read_table(grid, *headers[0], where)
    table = _read_table(grid, *above[-1], where)
    if near_row > table.last_row and below:
        return _read_table(grid, *below[0], where)
    return table


@dataclass
class _Header:
    """What the header rows say, column by column."""

    columns: list[Column]
    tally_col: int | None
    unknown: list[str]


def _is_two_rows(
    grid: Sequence[Sequence[Any]], header_row: int, region_col: int, width: int
) -> bool:
    """Two header rows: the region header stands alone (merged down) and the row below names
    measures (增长(%), 位次, 总量(亿元) …)."""
    if _text(cell(grid, header_row + 1, region_col)):
        return False
    for c in range(region_col + 1, width + 1):
        text = _text(cell(grid, header_row + 1, c))
        if text and text not in _UNIT_WORDS and split_header(text)[1] is not None:
            return True
    return False


def _attach(
    out: _Header, seen: dict[tuple[str, str], int], row: int, col: int, column: Column
) -> None:
    """Add ``column`` unless its indicator already has that measure (then the header is named)."""
    key = (column.indicator, column.measure)
    if key in seen:
        out.unknown.append(
            f"{_addr(row, col)}「{column.header}」与{col_letter(seen[key])}列重复"
            f"（都是「{column.indicator}」的{column.measure}）"
        )
        return
    seen[key] = col
    out.columns.append(column)


def _one_row(
    text: str, row: int, col: int, current: tuple[str, str | None], out: _Header, seen: dict
) -> tuple[str, str | None]:
    """Read a one-row header cell; returns the indicator (and its level unit) now current."""
    if text in _IGNORED_HEADERS:
        return "", None
    name, measure, unit = split_header(text)
    if (not name and text.startswith(TALLY)) or text in {"升降情况", "位次升降汇总"}:
        out.tally_col = col
        return "", None
    if name:
        if measure is None:
            _attach(out, seen, row, col, Column(col, name, CURRENT, unit, text))
            return name, unit
        if unit is None and measure in (CURRENT, BASE) and name == current[0]:
            unit = current[1]
        _attach(out, seen, row, col, Column(col, name, measure, unit, text))
        if measure in (CURRENT, BASE):
            return name, unit
        return name, current[1] if name == current[0] else None
    if measure is None:
        out.unknown.append(f"{_addr(row, col)}「{text}」")
        return current
    if not current[0]:
        out.unknown.append(f"{_addr(row, col)}「{text}」（左侧没有它所属的指标）")
        return current
    if unit is None and measure in (CURRENT, BASE):
        unit = current[1]  # 上年同期 in the indicator's unit
    _attach(out, seen, row, col, Column(col, current[0], measure, unit, text))
    return current


def _read_header(
    grid: Sequence[Sequence[Any]], header_row: int, region_col: int, width: int, two_rows: bool
) -> _Header:
    out = _Header([], None, [])
    seen: dict[tuple[str, str], int] = {}
    current: tuple[str, str | None] = ("", None)
    for c in range(region_col + 1, width + 1):
        top = _text(cell(grid, header_row, c))
        sub = _text(cell(grid, header_row + 1, c)) if two_rows else ""
        if not sub:
            if top:  # a one-row header (also a cell merged down over both rows)
                current = _one_row(top, header_row, c, current, out, seen)
            continue
        if top:
            name, measure, unit = split_header(top)
            if not name:
                out.unknown.append(f"{_addr(header_row, c)}「{top}」（不是指标名称）")
                current = ("", None)
                continue
            current = (_unit_of(top)[0], unit)
        if not current[0]:
            out.unknown.append(f"{_addr(header_row + 1, c)}「{sub}」（上方没有它所属的指标）")
            continue
        _, measure, sub_unit = split_header(sub)
        if measure is None:
            out.unknown.append(f"{_addr(header_row + 1, c)}「{sub}」")
            continue
        unit = sub_unit or (current[1] if measure in (CURRENT, BASE) else None)
        _attach(out, seen, header_row + 1, c, Column(c, current[0], measure, unit, sub))
    return out


def _unit_note(grid: Sequence[Sequence[Any]], header_row: int) -> str | None:
    """The level unit of a 「单位：亿元」 note above the header (the first unit it names)."""
    for r in range(1, header_row):
        for value in grid[r - 1]:
            m = _UNIT_NOTE.match(_text(value))
            if m:
                units = [u for u in re.split(r"[、,，/;；]", m[1]) if u and u != "%"]
                return units[0] if units else None
    return None


def _unit_row(grid: Sequence[Sequence[Any]], row: int, region_col: int, width: int) -> bool:
    """A row of units under the header (亿元 | % | 位 …), its region cell blank."""
    if _text(cell(grid, row, region_col)):
        return False
    texts = [_text(cell(grid, row, c)) for c in range(region_col + 1, width + 1)]
    texts = [re.sub(r"^\((.*)\)$", r"\1", t) for t in texts if t]
    return bool(texts) and all(t in _UNIT_WORDS for t in texts)


def _apply_units(columns: list[Column], unit_of_col: dict[int, str], default: str | None) -> None:
    for column in columns:
        given = unit_of_col.get(column.col)
        if column.unit is None and given:
            column.unit = "%" if given == "%" else given
            if column.measure == GROWTH and given in _PP_UNITS:
                column.measure = POINTS
        if column.unit is None and default and column.measure in (CURRENT, BASE):
            column.unit = default


def _check_transposed(
    grid: Sequence[Sequence[Any]], header_row: int, region_col: int, width: int, where: str
) -> None:
    line = [cell(grid, header_row, c) for c in range(1, width + 1)]
    across = _regions_across(line, region_col + 1)
    texts = [_text(v) for v in line[region_col:] if _text(v)]
    indicator_header = any(_text(v) in INDICATOR_HEADERS for v in line)
    if len(across) >= 2 and (indicator_header or 2 * len(across) >= len(texts)):
        cells = "、".join(f"{_addr(header_row, c)}「{line[c - 1]}」" for c in across[:3])
        raise TableError(_TRANSPOSED.format(where=where, cells=cells))


def _read_table(
    grid: Sequence[Sequence[Any]], header_row: int, region_col: int, where: str
) -> Table:
    """The peer table whose region-name header cell is at (header_row, region_col)."""
    width = max((len(line) for line in grid), default=0)
    _check_transposed(grid, header_row, region_col, width, where)
    two_rows = _is_two_rows(grid, header_row, region_col, width)
    header = _read_header(grid, header_row, region_col, width, two_rows)
    if header.unknown:
        raise TableError(
            f"{where}的表头有无法识别的单元格：{joined([visible(u) for u in header.unknown])}"
            "（表头写法见 docs/table-grammar.md）"
        )
    columns = header.columns
    depth = 2 if two_rows else 1
    first_row = header_row + depth
    unit_row = None
    units: dict[int, str] = {}
    if _unit_row(grid, first_row, region_col, width):
        unit_row = first_row
        for c in range(region_col + 1, width + 1):
            text = _text(cell(grid, first_row, c))
            if text:
                units[c] = re.sub(r"^\((.*)\)$", r"\1", text)
        first_row += 1
    _apply_units(columns, units, _unit_note(grid, header_row))
    regions: dict[str, int] = {}
    names: dict[int, str] = {}
    row = first_row
    last_row = first_row - 1
    while row <= len(grid):
        name = cell(grid, row, region_col)
        text = norm(name)
        if not text or text.startswith(_NOTE_STARTS):
            break
        names[row] = str(name).strip()
        regions.setdefault(text, row)
        last_row = row
        row += 1
    if not any(not c.derived for c in columns):
        raise NoTable(f"{where}中找不到指标列（地区列右侧应有指标名称表头）")
    title = ""
    for r in range(1, header_row):
        for value in grid[r - 1]:
            text = _text(value)
            if text and not _UNIT_NOTE.match(text) and not text.startswith(_NOTE_STARTS):
                title = str(value).strip()
                break
        if title:
            break
    return Table(
        header_row,
        region_col,
        first_row,
        last_row,
        regions,
        names,
        columns,
        header.tally_col,
        title,
        header_depth=depth,
        unit_row=unit_row,
    )


def col_letter(col: int) -> str:
    """Excel column letters for a 1-based column number."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


__all__ = [
    "BASE",
    "CHANGE",
    "COMPLETION",
    "CONTRIBUTION",
    "CURRENT",
    "DERIVED_MEASURES",
    "GROWTH",
    "INCREASE",
    "INDICATOR_HEADERS",
    "INPUT_MEASURES",
    "LEVEL_CHANGE",
    "LEVEL_RANK",
    "POINTS",
    "PRIOR_GROWTH",
    "PROGRESS",
    "RANK",
    "RANK_MEASURES",
    "SHARE",
    "TALLY",
    "TARGET",
    "UNIT_FACTORS",
    "VS_BENCHMARK",
    "VS_PREVIOUS",
    "Column",
    "NoTable",
    "Table",
    "TableError",
    "cell",
    "col_letter",
    "find_region_header",
    "find_table",
    "is_aggregate",
    "norm",
    "split_header",
]
