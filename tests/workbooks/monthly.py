"""Period workbooks for the refresh tests, built by script: a monthly workbook (sheets named
2026年1-6月, 2026年1-7月 with a peer table, and a county sheet whose formulas read this and the
previous period's sheet), the same in quarterly or yearless (一季度, 上半年) naming, and drops.

Figures are made up from the region and month so that every growth rate reproduces from its
levels; the ranks of the existing sheets are written by this script from the definition
(:func:`tests.workbooks.reference.competition_rank`), not by the code under test.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from tests.workbooks.reference import competition_rank

CITY = "示例市"
COUNTY = "青川县"
REGIONS = ["全市", "城关区", "东山区", "青川县", "云台县", "南河县"]
INDICATORS = [("一般公共预算收入", "万元"), ("城镇居民人均可支配收入", "元")]
MEASURES = ["本期累计", "上年同期", "增长(%)", "位次", "位次变化"]
HEADER_ROW = 2
FIRST_ROW = 3


def col(indicator: int, measure: int) -> int:
    """Column of ``MEASURES[measure]`` of indicator ``indicator`` (both 0-based)."""
    return 2 + indicator * len(MEASURES) + measure


def figures(year: int, month: int, region: str, indicator: int) -> tuple[float, float, float]:
    """(本期累计, 上年同期, 增长%) of a region: levels grow with the month; growth = (cur/base − 1)
    × 100 rounded to one decimal as published."""
    k = REGIONS.index(region)
    scale = 1000.0 if indicator == 0 else 30.0
    base = round(scale * (k + 2) * month * (1 + 0.01 * (year - 2025)), 2)
    rate = ((k * 7 + month * 3 + indicator * 5) % 11 - 3) / 100 + 0.01 * (month % 2)
    current = round(base * (1 + rate), 2)
    return current, base, round((current / base - 1) * 100, 1)


def ranks(year: int, month: int, indicator: int) -> dict[str, int | None]:
    """位次 of the counties (aggregates left out) by growth, from the definition."""
    counties = REGIONS[1:]
    growth = [figures(year, month, r, indicator)[2] for r in counties]
    return dict(zip(counties, competition_rank(growth), strict=True))


def months_name(year: int, month: int) -> str:
    return f"{year}年1-{month}月"


_WORDS = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}


def words_name(year: int, month: int) -> str:
    """Yearless quarterly naming: the year is only in the sheet's title."""
    return _WORDS[month]


def build(
    path: Path,
    months: list[int],
    year: int = 2026,
    name: Callable[[int, int], str] = months_name,
    label: Callable[[int, int], str] = months_name,
) -> Path:
    """A workbook with one peer sheet per month in ``months`` (named ``name(year, month)``, title
    「示例市{label}各县区主要指标对比表」), ranks and rank changes filled in, and a county sheet
    「青川县…」 for the last month reading this and the previous period's peer sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    previous: int | None = None
    for month in months:
        ws = wb.create_sheet(name(year, month))
        ws.cell(1, 1, f"{CITY}{label(year, month)}各县区主要指标对比表")
        ws.cell(HEADER_ROW, 1, "地区")
        for i, (indicator, unit) in enumerate(INDICATORS):
            for j, measure in enumerate(MEASURES):
                u = f"({unit})" if j < 2 else ""
                ws.cell(HEADER_ROW, col(i, j), f"{indicator}{measure}{u}")
        ws.cell(HEADER_ROW, col(len(INDICATORS), 0), "位次升降")
        for k, region in enumerate(REGIONS):
            row = FIRST_ROW + k
            ws.cell(row, 1, region)
            for i in range(len(INDICATORS)):
                for j, value in enumerate(figures(year, month, region, i)):
                    ws.cell(row, col(i, j), value)
                if region == "全市":
                    continue
                now = ranks(year, month, i)[region]
                ws.cell(row, col(i, 3), now)
                if previous is not None:
                    ws.cell(row, col(i, 4), ranks(year, previous, i)[region] - now)
        previous = month
    last, before = months[-1], months[-2]
    ws = wb.create_sheet(f"{COUNTY}{name(year, last)}")
    ws.cell(1, 1, f"{COUNTY}{label(year, last)}主要指标")
    ws.cell(2, 1, "期别")
    ws.cell(2, 2, label(year, last))
    ws.append(["指标", "本期增长(%)", "上期增长(%)", "较上期(百分点)"])
    row = FIRST_ROW + REGIONS.index(COUNTY)
    for i, (indicator, _) in enumerate(INDICATORS):
        growth = openpyxl.utils.get_column_letter(col(i, 2))
        r = 4 + i
        ws.cell(r, 1, indicator)
        ws.cell(r, 2, f"='{name(year, last)}'!{growth}{row}")
        ws.cell(r, 3, f"='{name(year, before)}'!{growth}{row}")
        ws.cell(r, 4, f"=B{r}-C{r}")
    wb.save(path)
    return path


def drop_rows(year: int, month: int, title: str | None) -> list[list[Any]]:
    """A drop of ``month``: an optional title row, one header row, one row per region."""
    header = ["地区"]
    for indicator, unit in INDICATORS:
        header += [
            f"{indicator}本期累计({unit})",
            f"{indicator}上年同期({unit})",
            f"{indicator}增长(%)",
        ]
    rows: list[list[Any]] = [[title]] if title else []
    rows.append(header)
    for region in REGIONS:
        line: list[Any] = [region]
        for i in range(len(INDICATORS)):
            line += list(figures(year, month, region, i))
        rows.append(line)
    return rows


def write_drop(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(rows)
    return path
