"""Data drops (新一期数据): the CSV/XLSX files the reporting system or the counties send.

A drop is a peer table: a 地区 column and indicator columns, with one header row
(``地区生产总值本期累计(亿元)``, ``地区生产总值增长(%)``) or two (the indicator with its unit over
本期累计 | 上年同期 | 增长(%)), optionally a title row naming the period (``示例市2026年1-12月…``).
CSV files may be UTF-8 (with or without BOM) or GBK/GB18030 (Chinese Excel's CSV export).

Everything in a drop is untrusted: cells are read as numbers (placeholders such as — or / mean
"no data") and anything else is a problem reported with its row and column — a drop value is
never written into a workbook as text, let alone as a formula.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from udfs import Period, PeriodError, parse_period
from udfs.cleaning import parse_number_text
from workbooks.errors import UserError
from workbooks.period_names import find_periods, same_period, year_in
from workbooks.tables import (
    INDICATOR_HEADERS,
    INPUT_MEASURES,
    UNIT_FACTORS,
    NoTable,
    Table,
    col_letter,
    find_table,
    norm,
    split_header,
)
from workbooks.tables import find_region_header as _region_header

_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")


class DropError(UserError):
    """A drop that cannot be used; ``problems`` lists every problem (Chinese, with row/column)."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {i}. {p}" for i, p in enumerate(problems, start=1))
        super().__init__(
            f"数据文件「{source}」有 {len(problems)} 处问题，工作簿未作任何修改：\n{lines}"
        )


@dataclass
class Drop:
    """A drop read from a file: its grid, table, and period (from title or file name)."""

    path: Path
    grid: list[list[Any]]
    table: Table
    period: Period | None
    problems: list[str] = field(default_factory=list)
    #: Long drops (one row per region and indicator) are read into a wide grid; these map its
    #: cells and rows back to the file for messages, and scale values given in another unit.
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    row_origin: dict[int, int] = field(default_factory=dict)
    column_origin: dict[int, str] = field(default_factory=dict)
    scale: dict[tuple[int, int], float] = field(default_factory=dict)
    missing: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def row_where(self, row: int) -> str:
        """「第N行」 of a region row, as in the file."""
        return f"第{self.row_origin.get(row, row)}行"

    def column_where(self, col: int, header: str) -> str:
        """Where a column's header is in the file: 「B列「header」」 or, for a long drop, the
        first row of that indicator."""
        if col in self.column_origin:
            return self.column_origin[col]
        return f"{col_letter(col)}列「{header}」"

    def number(self, row: int, col: int) -> tuple[float | None, str | None]:
        """The cell as a number (None for blank/placeholder), or a problem text."""
        if (row, col) in self.missing:
            return None, self.missing[(row, col)]
        value = self.grid[row - 1][col - 1] if col - 1 < len(self.grid[row - 1]) else None
        at_row, at_col = self.origin.get((row, col), (row, col))
        where = f"第{at_row}行{col_letter(at_col)}列"
        if value is None:
            return None, None
        if isinstance(value, bool):
            return None, f"{where}：「{value}」不是数字"
        factor = self.scale.get((row, col), 1.0)
        if isinstance(value, (int, float)):
            if value != value or value in (float("inf"), float("-inf")):
                return None, f"{where}：数值无效"
            return float(value) * factor, None
        text = str(value)
        if _PLAIN.fullmatch(text):
            return float(text) * factor, None
        parsed = parse_number_text(text)
        if parsed is None:
            return None, None
        if isinstance(parsed, float):
            return parsed * factor, None
        shown = text if len(text) <= 30 else text[:30] + "…"
        if parsed == "unit":
            return None, f"{where}：「{shown}」数字带了单位，单位应写在表头"
        return None, f"{where}：「{shown}」不是数字"


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    # Excel's 「Unicode 文本」 export: UTF-16 with a byte-order mark, always tab-separated.
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DropError(path.name, ["文件编码无法识别（应为 UTF-8、GBK 或 UTF-16）"])
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if utf16 else csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    return [[c if c.strip() else None for c in row] for row in rows]


def _read_xlsx(path: Path) -> list[list[Any]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise DropError(path.name, [f"无法打开：{exc}"]) from exc
    try:
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_drop(path: str | Path) -> Drop:
    """Read a drop file (.csv, .txt, .xlsx, .xlsm); raises :class:`DropError` when unreadable."""
    path = Path(path)
    if not path.is_file():
        raise DropError(path.name, [f"找不到数据文件：{path}"])
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        grid = _read_csv(path)
    elif suffix in {".xlsx", ".xlsm"}:
        grid = _read_xlsx(path)
    else:
        raise DropError(path.name, [f"不支持的文件类型「{suffix}」（应为 .csv 或 .xlsx）"])
    # Merged header cells come in as the value followed by blanks: find_table forward-fills.
    long = _long_drop(grid)
    try:
        table = find_table(long.grid if long else grid, where="数据文件")
    except NoTable as exc:
        raise DropError(path.name, [str(exc)]) from None
    if long:
        title = table.title
        table.title = next((t for t in (title, _title(grid)) if t), "")
    period = drop_period(grid, table.title, path)
    if long:
        return Drop(
            path,
            long.grid,
            table,
            period,
            long.problems,
            long.origin,
            long.row_origin,
            long.column_origin,
            long.scale,
            long.missing,
        )
    return Drop(path, grid, table, period)


_PERIOD_CELL = re.compile(r"^(?:数据期别|统计期别|报告期别|报告期|期别|统计时间|时间)[:：]?")


def drop_period(grid: list[list[Any]], title: str, path: Path) -> Period | None:
    """The period of a drop, from its title rows (the rows above the header), a 期别/报告期 cell
    (``期别：2026年1-9月``, or 期别 with the period in the next cell) and the file name.

    The sources must agree (a title of 1-9月 in a file named 1-6月 is refused with a
    :class:`DropError`, never guessed); a period without a year takes the year another source
    or a bare 2026年 in the title or file name gives. None when no source names a period."""
    try:
        header_row = _region_header(grid)[0]
    except NoTable:
        header_row = 6
    top = grid[: header_row - 1]
    titles = [title] + [v for line in top for v in line if isinstance(v, str)]
    sources: list[tuple[str, Period]] = []
    for text in titles:
        labels = find_periods(text)
        if labels and not _PERIOD_CELL.match(norm(text)):
            sources.append((f"标题「{text.strip()}」", labels[0].period))
            break
    cell = _period_cell(top)
    if cell is not None:
        sources.append(cell)
    labels = find_periods(path.stem)
    if labels:
        sources.append((f"文件名「{path.name}」", labels[0].period))
    if not sources:
        return None
    for where, period in sources[1:]:
        if not same_period(period, sources[0][1]):
            raise DropError(
                path.name,
                [
                    f"数据文件的期别不一致：{sources[0][0]}为 {sources[0][1].label()}，"
                    f"{where}为 {period.label()}"
                ],
            )
    period = next((p for _, p in sources if p.year is not None), sources[0][1])
    if period.year is None:
        year = next(
            (y for y in (year_in(" ".join(titles)), year_in(path.stem)) if y is not None), None
        )
        period = period.with_year(year) if year is not None else period
    return period


def _period_cell(top: list[list[Any]]) -> tuple[str, Period] | None:
    """A 期别/报告期 cell above the header: ``期别：2026年1-9月`` or 期别 | 2026年1-9月."""
    for r, line in enumerate(top, start=1):
        for c, value in enumerate(line, start=1):
            if not isinstance(value, str):
                continue
            text = norm(value)
            match = _PERIOD_CELL.match(text)
            if not match:
                continue
            rest = text[match.end() :]
            if not rest:
                rest = next((v for v in line[c:] if v not in (None, "")), None)
            if rest is None:
                continue
            try:
                return (f"第{r}行「{value.strip()}」单元格", parse_period(rest))
            except PeriodError:
                continue
    return None


def _title(grid: list[list[Any]]) -> str:
    for line in grid[:5]:
        for value in line:
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


@dataclass
class _Long:
    grid: list[list[Any]]
    problems: list[str]
    origin: dict[tuple[int, int], tuple[int, int]]
    row_origin: dict[int, int]
    column_origin: dict[int, str]
    scale: dict[tuple[int, int], float]
    missing: dict[tuple[int, int], str]


def _long_drop(grid: list[list[Any]]) -> _Long | None:
    """A long drop (地区 | 指标名称 | 计量单位 | 本期累计 | 上年同期 | 增长(%), one row per region and
    indicator) as a wide grid; None when the drop is not long."""
    try:
        header_row, region_col = _region_header(grid)
    except NoTable:
        return None
    header = [norm(v) for v in grid[header_row - 1]]
    indicator_col = next(
        (c for c, h in enumerate(header, 1) if h in INDICATOR_HEADERS and h != "计量单位"), None
    )
    if indicator_col is None:
        return None
    unit_col = next(
        (
            c
            for c, h in enumerate(header, 1)
            if h == "计量单位" or (h == "单位" and c != region_col)
        ),
        None,
    )
    measures = []
    for c, h in enumerate(header, 1):
        name, measure, unit = split_header(h) if h else ("", None, None)
        if (
            c not in (region_col, indicator_col, unit_col)
            and measure in INPUT_MEASURES
            and not name
        ):
            measures.append((c, measure, unit))
    problems: list[str] = []
    regions: dict[str, int] = {}  # region → wide row
    region_names: dict[str, str] = {}
    indicators: dict[str, tuple[int, str | None]] = {}  # indicator → (first file row, unit)
    seen: dict[tuple[str, str], int] = {}
    cells: dict[tuple[str, str], int] = {}
    for r in range(header_row + 1, len(grid) + 1):
        line = grid[r - 1]
        region = line[region_col - 1] if region_col - 1 < len(line) else None
        indicator = line[indicator_col - 1] if indicator_col - 1 < len(line) else None
        if not norm(region) and not norm(indicator):
            break
        if not norm(region) or not norm(indicator):
            problems.append(f"第{r}行：地区或指标名称为空")
            continue
        key = (norm(region), norm(indicator))
        if key in seen:
            problems.append(
                f"第{r}行：地区「{region}」的指标「{indicator}」重复（与第{seen[key]}行相同）"
            )
            continue
        seen[key] = r
        cells[key] = r
        region_names.setdefault(norm(region), str(region).strip())
        regions.setdefault(norm(region), r)
        unit = norm(line[unit_col - 1]) if unit_col and unit_col - 1 < len(line) else None
        indicators.setdefault(norm(indicator), (r, unit or None))
    wide: list[list[Any]] = [["地区"]]
    column_origin: dict[int, str] = {}
    for indicator, (first, unit) in indicators.items():
        for _, measure, header_unit in measures:
            u = header_unit if measure == "增长" else unit
            wide[0].append(f"{indicator}{measure}" + (f"({u})" if u else ""))
            column_origin[len(wide[0])] = f"第{first}行指标「{indicator}」"
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    row_origin: dict[int, int] = {}
    scale: dict[tuple[int, int], float] = {}
    missing: dict[tuple[int, int], str] = {}
    for region, first in regions.items():
        row = [region_names[region]]
        wide_row = len(wide) + 1
        row_origin[wide_row] = first
        col = 1
        for indicator, (_, unit) in indicators.items():
            source = cells.get((region, indicator))
            for c, measure, _ in measures:
                col += 1
                if source is None:
                    missing[(wide_row, col)] = (
                        f"地区「{region_names[region]}」缺少指标「{indicator}」的数据行"
                    )
                line = grid[source - 1] if source else []
                row.append(line[c - 1] if source and c - 1 < len(line) else None)
                if source:
                    origin[(wide_row, col)] = (source, c)
                    own = (
                        norm(line[unit_col - 1]) if unit_col and unit_col - 1 < len(line) else None
                    )
                    if measure != "增长" and own and unit and own != unit:
                        if own in UNIT_FACTORS and unit in UNIT_FACTORS:
                            scale[(wide_row, col)] = UNIT_FACTORS[own] / UNIT_FACTORS[unit]
                        else:
                            problems.append(
                                f"第{source}行：计量单位「{own}」与同一指标的「{unit}」不一致"
                            )
        wide.append(row)
    return _Long(wide, problems, origin, row_origin, column_origin, scale, missing)


__all__ = ["Drop", "DropError", "read_drop"]
