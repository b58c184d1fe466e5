"""Reading a bureau table off a sheet: the region column, the indicator columns and what each holds.

A peer table (各县区主要指标对比表) has a header cell 地区 (or 县区, 单位 …) above the region
names, and one or two header rows naming the indicator columns: either two rows (the indicator
with its unit, merged over 本期累计 | 上年同期 | 增长(%) | 位次 | 位次变化) or one row
(``地区生产总值增长(%)``). Data drops from the reporting system are read with the same rules.
Positions are 1-based (row, column), as in Excel.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from workbooks.errors import UserError

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

_AGGREGATE = re.compile(
    r"^(全(市|省|国|州|盟|地区|县)(合计|平均)?|合计|总计|小计|市本级|市直|本级|其中[:：]?.*|全市\(含.*\))$"
)

CURRENT, BASE, GROWTH, RANK, CHANGE, TALLY = (
    "本期",
    "上年同期",
    "增长",
    "位次",
    "位次变化",
    "位次升降",
)
#: Measures a drop supplies and a refresh fills.
INPUT_MEASURES = (CURRENT, BASE, GROWTH)

_MEASURE_WORDS: list[tuple[str, str]] = [
    ("位次变化", CHANGE),
    ("位次升降", CHANGE),
    ("较上期位次", CHANGE),
    ("升降位次", CHANGE),
    ("全市位次", RANK),
    ("位次", RANK),
    ("排名", RANK),
    ("排位", RANK),
    ("上年同期", BASE),
    ("去年同期", BASE),
    ("同比增长", GROWTH),
    ("比上年增长", GROWTH),
    ("比上年同期增长", GROWTH),
    ("增长", GROWTH),
    ("增速", GROWTH),
    ("增幅", GROWTH),
    ("本期累计", CURRENT),
    ("本年累计", CURRENT),
    ("累计", CURRENT),
    ("本期", CURRENT),
    ("绝对额", CURRENT),
    ("绝对值", CURRENT),
]

#: Units a level may be given in, as multiples of one yuan (or of one of the unit itself).
UNIT_FACTORS: dict[str, float] = {"元": 1.0, "万元": 1e4, "亿元": 1e8}


def norm(text: Any) -> str:
    """A header or region text folded for comparison: full-width to half-width, no spaces."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", folded)


def is_aggregate(name: Any) -> bool:
    """True for benchmark rows that are never ranked: 全市, 全省, 全国, 合计, 市本级 …"""
    return bool(_AGGREGATE.match(norm(name)))


def split_header(text: str) -> tuple[str, str | None, str | None]:
    """``地区生产总值增长(%)`` → (indicator, measure, unit); measure None when the text names none."""
    text = norm(text)
    unit = None
    m = re.search(r"\(([^()]*)\)$", text)
    if m:
        unit, text = m[1], text[: m.start()]
        unit = unit.removeprefix("单位:").removeprefix("单位：")
    for word, measure in _MEASURE_WORDS:
        if text.endswith(word):
            return text[: -len(word)].rstrip("_-:"), measure, unit
    return text, None, unit


def _strip_unit(text: str) -> tuple[str, str | None]:
    text = norm(text)
    m = re.search(r"\(([^()]*)\)$", text)
    if not m:
        return text, None
    return text[: m.start()], m[1].removeprefix("单位:")


@dataclass
class Column:
    """One column of a table: which indicator, which measure, in which unit."""

    col: int
    indicator: str
    measure: str
    unit: str | None
    header: str


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

    @property
    def width(self) -> int:
        return max([c.col for c in self.columns] + [self.region_col, self.tally_col or 0])

    def column(self, indicator: str, measure: str) -> Column | None:
        for c in self.columns:
            if c.indicator == indicator and c.measure == measure:
                return c
        return None

    def indicators(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.columns:
            seen.setdefault(c.indicator, None)
        return list(seen)

    def ranked_rows(self) -> list[int]:
        """Rows of the county-level units (aggregates left out), top to bottom."""
        return [row for row, name in sorted(self.names.items()) if not is_aggregate(name)]


class NoTable(UserError):
    """No peer table on the sheet; the message (Chinese) says what was looked for."""


def cell(grid: Sequence[Sequence[Any]], row: int, col: int) -> Any:
    """Value at 1-based (row, col), None outside the grid."""
    if row - 1 < len(grid) and col - 1 < len(grid[row - 1]):
        return grid[row - 1][col - 1]
    return None


_NO_REGION = "找不到地区列：表头中应有「地区」「县区」或「单位」等字样的单元格"


def _region_headers(grid: Sequence[Sequence[Any]], rows: int) -> list[tuple[int, int]]:
    """(row, col) of the first region-name header cell of each of the first ``rows`` rows."""
    found = []
    for r, line in enumerate(grid[:rows], start=1):
        for c, value in enumerate(line[:10], start=1):
            if isinstance(value, str) and norm(value) in REGION_HEADERS:
                found.append((r, c))
                break
    return found


def find_region_header(grid: Sequence[Sequence[Any]]) -> tuple[int, int]:
    """(row, col) of the region-name header cell of the first table (within the first 30 rows)."""
    headers = _region_headers(grid, 30)
    if not headers:
        raise NoTable(_NO_REGION)
    return headers[0]


def find_table(
    grid: Sequence[Sequence[Any]], where: str = "工作表", near_row: int | None = None
) -> Table:
    """Read the peer table in ``grid`` (cell values from A1): the first one on the sheet, or,
    when a sheet holds several tables one below the other, the one around row ``near_row``
    (the selection): the nearest table starting at or above it, or the next one when the
    selection lies below that table's last row (on the next table's title, say)."""
    if near_row is None:
        return _read_table(grid, *find_region_header(grid), where)
    headers = _region_headers(grid, len(grid))
    if not headers:
        raise NoTable(_NO_REGION)
    above = [h for h in headers if h[0] <= near_row]
    below = [h for h in headers if h[0] > near_row]
    if not above:
        return _read_table(grid, *headers[0], where)
    table = _read_table(grid, *above[-1], where)
    if near_row > table.last_row and below:
        return _read_table(grid, *below[0], where)
    return table


def _read_table(
    grid: Sequence[Sequence[Any]], header_row: int, region_col: int, where: str
) -> Table:
    """The peer table whose region-name header cell is at (header_row, region_col)."""
    width = max((len(line) for line in grid), default=0)
    top = [cell(grid, header_row, c) for c in range(1, width + 1)]
    below = [cell(grid, header_row + 1, c) for c in range(1, width + 1)]
    below_measures = [
        split_header(v)[1] if isinstance(v, str) and v.strip() else None for v in below
    ]
    two_rows = sum(m is not None for m in below_measures) >= 1 and all(
        m is not None or v in (None, "") for m, v in zip(below_measures, below, strict=True)
    )
    columns: list[Column] = []
    tally_col = None
    current_indicator, current_unit = "", None
    for c in range(region_col + 1, width + 1):
        head = top[c - 1]
        if isinstance(head, str) and head.strip():
            name, measure, unit = split_header(head)
            if two_rows:
                current_indicator, current_unit = _strip_unit(head)
            else:
                current_indicator, current_unit = name, unit
            if two_rows and below[c - 1] in (None, ""):
                if norm(head).startswith(TALLY) or norm(head) in {"升降情况", "位次升降汇总"}:
                    tally_col = c
                    current_indicator = ""
                continue
            if not two_rows:
                if norm(head).startswith(TALLY) and measure == CHANGE and not name:
                    tally_col = c
                    continue
                if measure is None:
                    measure = CURRENT
                if name:
                    columns.append(Column(c, name, measure, unit, norm(head)))
                continue
        if not two_rows or not current_indicator:
            continue
        sub = below[c - 1]
        if not isinstance(sub, str) or not sub.strip():
            continue
        _, measure, sub_unit = split_header(sub)
        if measure is None:
            continue
        unit = sub_unit if sub_unit else current_unit
        if measure in (GROWTH, RANK, CHANGE) and unit == "%":
            unit = "%"
        columns.append(Column(c, current_indicator, measure, unit, norm(sub)))
    first_row = header_row + (2 if two_rows else 1)
    regions: dict[str, int] = {}
    names: dict[int, str] = {}
    row = first_row
    last_row = first_row - 1
    while row <= len(grid):
        name = cell(grid, row, region_col)
        text = norm(name)
        if not text or text.startswith(("注", "说明", "数据来源", "资料来源", "备注")):
            break
        names[row] = str(name).strip()
        regions.setdefault(text, row)
        last_row = row
        row += 1
    if not columns:
        raise NoTable(f"{where}中找不到指标列（地区列右侧应有指标名称表头）")
    title = ""
    for r in range(1, header_row):
        for value in grid[r - 1]:
            if isinstance(value, str) and value.strip():
                title = value.strip()
                break
        if title:
            break
    return Table(
        header_row, region_col, first_row, last_row, regions, names, columns, tally_col, title
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
    "CURRENT",
    "GROWTH",
    "INPUT_MEASURES",
    "RANK",
    "TALLY",
    "UNIT_FACTORS",
    "Column",
    "NoTable",
    "Table",
    "cell",
    "col_letter",
    "find_table",
    "is_aggregate",
    "norm",
    "split_header",
]
