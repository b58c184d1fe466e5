"""Data drops (新一期数据): the CSV/XLSX files the reporting system or the counties send.

A drop is a peer table: a 地区 column and indicator columns, with one header row
(``地区生产总值本期累计(亿元)``, ``地区生产总值增长(%)``) or two (the indicator with its unit over
本期累计 | 上年同期 | 增长(%)), optionally a title row naming the period (``示例市2026年1-12月…``).
CSV files may be UTF-8 (with or without BOM) or GBK/GB18030 (Chinese Excel's CSV export), with
``,`` ``;`` tab or ``|`` between fields and ``"`` quoting; they are read with pandas
(imported only when a CSV drop is read). A row with more fields than its header — an unquoted
thousands separator such as ``93,147`` — is refused with its line number, never shifted.

Everything in a drop is untrusted: cells are read as numbers (placeholders such as — or / mean
"no data") and anything else is a problem reported with its row and column — a drop value is
never written into a workbook as text, let alone as a formula. Non-finite numbers (``1e309``)
are refused; an XLSX drop's formula cells without saved results are refused (named), never
read as blanks; a nominal indicator's 增长 must agree with its 本期 and 上年同期 within the
rounding of the published figures (:func:`growth_problems`).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from udfs import Period, PeriodError, parse_period
from udfs.cleaning import parse_number_text
from workbooks.errors import UserError, listed
from workbooks.package_guard import DROP as DROP_LIMITS
from workbooks.package_guard import PackageError, not_text, vet_package
from workbooks.period_names import find_periods, same_period, year_in
from workbooks.tables import (
    BASE,
    CURRENT,
    GROWTH,
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
        lines = listed(problems)
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
        text = str(value)
        shown = text if len(text) <= 30 else text[:30] + "…"
        if isinstance(value, (int, float)):
            number: float = float(value)
        elif _PLAIN.fullmatch(text):
            number = float(text)
        elif _NON_FINITE.fullmatch(norm(text)):
            return None, f"{where}：「{shown}」不是有效数值（无穷大或非数）"
        else:
            parsed = parse_number_text(text)
            if parsed is None:
                return None, None
            if not isinstance(parsed, float):
                if parsed == "unit":
                    return None, f"{where}：「{shown}」数字带了单位，单位应写在表头"
                return None, f"{where}：「{shown}」不是数字"
            number = parsed
        if not math.isfinite(number):
            return None, f"{where}：「{shown}」不是有效数值（超出范围、无穷大或非数）"
        return number * factor, None


_NON_FINITE = re.compile(r"[+-]?(inf|infinity|nan)", re.IGNORECASE)
_DELIMITERS = ",;\t|"


@dataclass
class _Read:
    """A drop file's cells, with where they are in the file and what is wrong with it."""

    grid: list[list[Any]]
    problems: list[str] = field(default_factory=list)
    lines: dict[int, int] = field(default_factory=dict)  # grid row → file line, where they differ


def _decode(path: Path) -> str:
    kind = not_text(path)
    if kind is not None:
        raise DropError(path.name, [f"不是 CSV/文本文件：{kind}"])
    raw = path.read_bytes()
    # Excel's 「Unicode 文本」 export: UTF-16 with a byte-order mark, always tab-separated.
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DropError(path.name, ["文件编码无法识别（应为 UTF-8、GBK/GB18030 或 UTF-16）"])


def _delimiter(text: str) -> str:
    """The field delimiter among , tab ; | : the one that splits the most records of the first
    hundred into the same number (two or more) of fields. Title rows above the header (one
    field whatever the delimiter) and a stray comma in a title or a number count for little."""
    sample = "\n".join(line for line in text.splitlines()[:200] if line.strip())
    best, best_score = ",", 0
    for candidate in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=candidate)]
        except csv.Error:
            continue
        counts = [n for n in counts[:100] if n > 1]
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        score = counts.count(mode)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _read_csv(path: Path) -> _Read:
    """The cells of a CSV drop (pandas' parser: quoting honoured, every field kept as text).

    Each record's field count is kept: a record below the header with more fields than the
    header is refused with its line number (its values would otherwise land in the wrong
    columns)."""
    import pandas as pd

    size = path.stat().st_size
    if size > DROP_LIMITS.member_size:
        raise DropError(
            path.name,
            [
                f"文件有 {size / 2**20:,.0f} MB，超过数据文件的上限 {DROP_LIMITS.member_size // 2**20} MB"
            ],
        )
    text = _decode(path)
    sep = _delimiter(text)
    records = text.splitlines()
    width = max((line.count(sep) for line in records), default=0) + 1
    if width * len(records) > DROP_LIMITS.area:
        raise DropError(
            path.name,
            [
                f"文件有 {len(records):,} 行、最多 {width:,} 个字段，超过数据文件的上限"
                f" {DROP_LIMITS.area:,} 个单元格"
            ],
        )
    while True:
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                header=None,
                names=range(width),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="python",  # keeps absent fields apart from empty ones
            )
            break
        except pd.errors.ParserError as exc:
            more = re.search(r"saw (\d+)", str(exc))
            if more is None or int(more[1]) <= width:
                raise DropError(path.name, [f"无法按 CSV 读取：{exc}"]) from None
            width = int(more[1])
    grid: list[list[Any]] = []
    fields: list[int] = []
    lines: dict[int, int] = {}
    line = 1
    for row, record in enumerate(frame.itertuples(index=False, name=None), start=1):
        present = [v for v in record if isinstance(v, str)]
        fields.append(len(present))
        if line != row:
            lines[row] = line
        line += 1 + sum(v.count("\n") for v in present)
        cells = [v if v.strip() else None for v in present]
        while cells and cells[-1] is None:
            cells.pop()
        grid.append(cells)
    return _Read(grid, _ragged_records(grid, fields, lines), lines)


def _ragged_records(grid: list[list[Any]], fields: list[int], lines: dict[int, int]) -> list[str]:
    """Records of the table (below the header, up to the first blank line) with more fields
    than the header rows have, or fewer (two or more: a one-field line is a note)."""
    try:
        header_row, _ = _region_header(grid)
    except NoTable:
        return []  # read_drop reports the missing header
    header_rows = [header_row]
    below = grid[header_row] if header_row < len(grid) else []
    if below and not any(
        isinstance(v, str) and _PLAIN.fullmatch(v.replace(",", "")) for v in below
    ):
        header_rows.append(header_row + 1)  # a second header row (no numbers in it)
    allowed = max(fields[r - 1] for r in header_rows)
    problems = []
    for row in range(header_rows[-1] + 1, len(grid) + 1):
        if not grid[row - 1]:
            break  # a blank line ends the table (notes may follow)
        if 1 < fields[row - 1] < allowed:
            problems.append(
                f"第{lines.get(row, row)}行：只有 {fields[row - 1]} 个字段，比表头少"
                f" {allowed - fields[row - 1]} 个（该行缺少分隔符，数值可能错位或缺失）"
            )
        if fields[row - 1] > allowed:
            problems.append(
                f"第{lines.get(row, row)}行：有 {fields[row - 1]} 个字段，比表头多"
                f" {fields[row - 1] - allowed} 个（数字中的千位分隔符如 93,147 须加引号或删去，"
                "否则之后的数值都会错位）"
            )
    return problems


def _read_xlsx(path: Path) -> _Read:
    """The cells of the first sheet of an XLSX drop, formulas as their saved results; a formula
    without a saved result (a file written by a program that does not calculate) is refused."""
    import openpyxl

    try:
        vet_package(path, DROP_LIMITS)  # untrusted: sizes, XML and used area before parsing
    except PackageError as exc:
        raise DropError(path.name, [str(exc)]) from None
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl's many ways of failing on a damaged or foreign file
        raise DropError(
            path.name,
            [
                "文件内容不符合 Excel 工作簿的格式（可能已损坏，或由其他程序写得不规范）；"
                "请在 Excel/WPS 中打开后另存为 .xlsx，或另存为 .csv 再导入"
            ],
        ) from exc
    try:
        grid = [list(r) for r in values.worksheets[0].iter_rows(values_only=True)]
        unsaved = []
        for r, line in enumerate(formulas.worksheets[0].iter_rows(values_only=True), start=1):
            for c, value in enumerate(line, start=1):
                if isinstance(value, str) and value.startswith("="):
                    saved = grid[r - 1][c - 1] if c - 1 < len(grid[r - 1]) else None
                    if saved is None:
                        unsaved.append(f"{col_letter(c)}{r}")
    finally:
        values.close()
        formulas.close()
    problems = []
    if unsaved:
        shown = "、".join(unsaved[:10]) + (f" 等 {len(unsaved)} 个" if len(unsaved) > 10 else "")
        problems.append(
            f"单元格 {shown} 是公式，文件中没有保存计算结果（请在 Excel/WPS 中打开并保存，"
            "或另存为数值后再导入）"
        )
    return _Read(grid, problems)


def read_drop(path: str | Path) -> Drop:
    """Read a drop file (.csv, .txt, .xlsx, .xlsm); raises :class:`DropError` when unreadable."""
    path = Path(path)
    if not path.is_file():
        raise DropError(path.name, [f"找不到数据文件：{path}"])
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        read = _read_csv(path)
    elif suffix in {".xlsx", ".xlsm"}:
        read = _read_xlsx(path)
    else:
        raise DropError(path.name, [f"不支持的文件类型「{suffix}」（应为 .csv 或 .xlsx）"])
    grid = read.grid
    # Merged header cells come in as the value followed by blanks: find_table forward-fills.
    long = _long_drop(grid)
    try:
        table = find_table(long.grid if long else grid, where="数据文件", repeats=True)
    except NoTable as exc:
        raise DropError(path.name, [str(exc)]) from None
    if long:
        title = table.title
        table.title = next((t for t in (title, _title(grid)) if t), "")
    period = drop_period(grid, table.title, path)
    if long:
        drop = Drop(
            path,
            long.grid,
            table,
            period,
            read.problems + long.problems,
            long.origin,
            long.row_origin,
            long.column_origin,
            long.scale,
            long.missing,
        )
    else:
        drop = Drop(path, grid, table, period, list(read.problems), row_origin=dict(read.lines))
    drop.problems += growth_problems(drop)
    return drop


#: Indicators whose growth is not rebuilt from current-price levels: real growth at comparable
#: prices (地区生产总值, 增加值, 规上工业) and comparable-scope growth (投资, 社零).
_NOT_NOMINAL = ("地区生产总值", "GDP", "增加值", "规上工业", "规模以上工业", "投资", "零售")


def _decimals(value: Any) -> int:
    """Decimals a figure was published with (``5.20`` → 2; a number: its shortest form)."""
    text = value if isinstance(value, str) else repr(float(value))
    text = norm(text).replace(",", "").rstrip("%")
    if "e" in text.lower():
        return 10
    return len(text.split(".")[1]) if "." in text else 0


def growth_problems(drop: Drop) -> list[str]:
    """Rows whose 增长 of a nominal indicator (levels in 元/万元/亿元, with 本期 and 上年同期 in the
    drop) differs from (本期 ÷ 上年同期 − 1) × 100 by more than the published figures' rounding:
    half a unit of the growth's last decimal plus what the rounding of the two levels moves it
    (relative half-units of their last decimals, times 100 × 本期/上年同期)."""
    problems = []
    t = drop.table
    for indicator in t.indicators():
        if any(word in norm(indicator) for word in _NOT_NOMINAL):
            continue
        cur, base, rate = (t.column(indicator, m) for m in (CURRENT, BASE, GROWTH))
        if cur is None or base is None or rate is None:
            continue
        if cur.unit not in UNIT_FACTORS or base.unit not in UNIT_FACTORS:
            continue
        for row in sorted(t.names):
            got = [drop.number(row, c.col)[0] for c in (cur, base, rate)]
            if any(v is None for v in got) or got[1] <= 0 or got[0] < 0:
                continue
            now, before, growth = got
            raw = [_cell(drop, row, c.col) for c in (cur, base, rate)]
            if not all(isinstance(v, (str, int, float)) for v in raw):
                continue
            ratio = now / before
            level_error = sum(  # relative half-unit of each level as published
                0.5 * 10 ** -_decimals(v) * drop.scale.get((row, c.col), 1.0) / abs(x)
                for v, x, c in zip(raw[:2], got[:2], (cur, base), strict=True)
                if x
            )
            tolerance = 0.5 * 10 ** -_decimals(raw[2]) + 100 * ratio * level_error + 1e-9
            expected = (ratio - 1) * 100
            if abs(growth - expected) > tolerance:
                at = drop.row_where(row)
                problems.append(
                    f"{at}：「{t.names[row]}」{indicator}增长 {raw[2]}% 与本期、上年同期算出的"
                    f" {expected:.2f}% 不符（超出公布数的舍入误差 ±{tolerance:.2g}）"
                )
    return problems


def _cell(drop: Drop, row: int, col: int) -> Any:
    line = drop.grid[row - 1]
    return line[col - 1] if col - 1 < len(line) else None


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
