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

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from udfs import Period
from udfs.cleaning import parse_number_text

from .period_names import find_periods
from .tables import NoTable, Table, col_letter, find_table, norm

_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")


class DropError(ValueError):
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

    @property
    def name(self) -> str:
        return self.path.name

    def number(self, row: int, col: int) -> tuple[float | None, str | None]:
        """The cell as a number (None for blank/placeholder), or a problem text."""
        value = self.grid[row - 1][col - 1] if col - 1 < len(self.grid[row - 1]) else None
        where = f"第{row}行{col_letter(col)}列"
        if value is None:
            return None, None
        if isinstance(value, bool):
            return None, f"{where}：「{value}」不是数字"
        if isinstance(value, (int, float)):
            if value != value or value in (float("inf"), float("-inf")):
                return None, f"{where}：数值无效"
            return float(value), None
        text = str(value)
        if _PLAIN.fullmatch(text):
            return float(text), None
        parsed = parse_number_text(text)
        if parsed is None:
            return None, None
        if isinstance(parsed, float):
            return parsed, None
        shown = text if len(text) <= 30 else text[:30] + "…"
        if parsed == "unit":
            return None, f"{where}：「{shown}」数字带了单位，单位应写在表头"
        return None, f"{where}：「{shown}」不是数字"


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise DropError(path.name, ["文件编码无法识别（应为 UTF-8 或 GBK）"])
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
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
    try:
        table = find_table(grid, where="数据文件")
    except NoTable as exc:
        raise DropError(path.name, [str(exc)]) from None
    period = None
    for text in (table.title, path.stem):
        for found in find_periods(norm(text)):
            if found.period.year is not None:
                period = found.period
                break
        if period:
            break
    return Drop(path, grid, table, period)


__all__ = ["Drop", "DropError", "read_drop"]
