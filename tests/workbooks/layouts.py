"""Peer tables in the layouts bureaus use, built with openpyxl for the rank and table tests.

Every builder takes the same figures — per indicator one (level, growth) pair per county — and
lays them out in one header form (docs/table-grammar.md). It returns the workbook with a map of
where each figure and each rank column is, so a test can compute the expected ranks from the
figures (tests.workbooks.reference) without reading the table the way the code under test does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl

COUNTIES = [
    "城关区",
    "临江市",
    "青川县",
    "白水县",
    "东山县",
    "西岭县",
    "南湖区",
    "北塬县",
    "石门县",
]
INDICATORS = [("地区生产总值", "亿元"), ("一般公共预算收入", "万元")]

#: (level, growth) of one county; None or a placeholder text for "no data".
Figures = tuple[Any, Any]


@dataclass
class Built:
    """A built table: where its counties, figures and rank columns are (1-based)."""

    wb: openpyxl.Workbook
    sheet: str
    rows: dict[str, int]  # county → row
    aggregate_rows: list[int]
    #: indicator → role → column; roles: level, growth, rank (rank of the growth), level_rank,
    #: change, and derived (a list of columns that must never be written)
    cols: dict[str, dict[str, Any]]
    header_rows: list[int]
    tally_col: int | None = None
    notes: list[int] = field(default_factory=list)

    def snapshot(self) -> list[list[Any]]:
        ws = self.wb[self.sheet]
        return [list(r) for r in ws.iter_rows(values_only=True)]


def _workbook(sheet: str, wb: openpyxl.Workbook | None = None) -> tuple[openpyxl.Workbook, Any]:
    """A new workbook with one sheet ``sheet``, or sheet ``sheet`` added to ``wb``."""
    if wb is not None:
        return wb, wb.create_sheet(sheet)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    return wb, ws


def _body(
    ws: Any,
    first_row: int,
    data: dict[str, Sequence[Figures]],
    cols: dict[str, dict[str, Any]],
    aggregates: Sequence[str],
    region_col: int = 1,
) -> tuple[dict[str, int], list[int], int]:
    """County rows (全市 before them when "top" in ``aggregates``, 合计 after when "bottom");
    returns (county → row, aggregate rows, the row after the table)."""
    rows: dict[str, int] = {}
    aggregate_rows: list[int] = []
    r = first_row
    names = ["全市"] if "top" in aggregates else []
    names += COUNTIES[: len(next(iter(data.values())))]
    names += ["合计"] if "bottom" in aggregates else []
    for name in names:
        ws.cell(r, region_col, name)
        if name in ("全市", "合计"):
            aggregate_rows.append(r)
            for indicator, where in cols.items():
                figures = [f for f in data[indicator] if isinstance(f[0], (int, float))]
                ws.cell(r, where["level"], sum(f[0] for f in figures))
                if "growth" in where:
                    ws.cell(r, where["growth"], 5.0)
                for role in ("rank", "level_rank"):
                    if role in where:
                        ws.cell(r, where[role], "—")
        else:
            k = COUNTIES.index(name)
            rows[name] = r
            for indicator, where in cols.items():
                level, growth = data[indicator][k]
                ws.cell(r, where["level"], level)
                if "growth" in where:
                    ws.cell(r, where["growth"], growth)
                for j, c in enumerate(where.get("derived", [])):
                    ws.cell(r, c, round(0.1 * (k + j), 1))
        r += 1
    return rows, aggregate_rows, r


def one_row(
    data: dict[str, Sequence[Figures]],
    aggregates: Sequence[str] = ("top",),
    sheet: str = "2026Q3",
    wb: openpyxl.Workbook | None = None,
) -> Built:
    """``县区 | 地区生产总值(亿元) | 增长(%) | 位次 | 一般公共预算收入(万元) | 增长(%) | 位次``:
    measure-only headers after the indicator they belong to."""
    wb, ws = _workbook(sheet, wb)
    header: list[Any] = ["县区"]
    cols: dict[str, dict[str, Any]] = {}
    for name, unit in INDICATORS[: len(data)]:
        c = len(header) + 1
        header += [f"{name}({unit})", "增长(%)", "位次"]
        cols[name] = {"level": c, "growth": c + 1, "rank": c + 2}
    ws.append(["示例市2026年1-9月各县区主要指标"])
    ws.append(header)
    rows, agg, _ = _body(ws, 3, data, cols, aggregates)
    return Built(wb, sheet, rows, agg, cols, [1, 2])


def two_rows(
    data: dict[str, Sequence[Figures]],
    aggregates: Sequence[str] = ("bottom",),
    sheet: str = "2026Q3",
    wb: openpyxl.Workbook | None = None,
) -> Built:
    """The indicator merged over ``总量(亿元) | 增速(%) | 总量位次 | 增速位次``."""
    wb, ws = _workbook(sheet, wb)
    ws.cell(1, 1, "2026年1-9月各县区主要经济指标排位")
    ws.cell(2, 1, "地区")
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    cols: dict[str, dict[str, Any]] = {}
    c = 2
    for name, unit in INDICATORS[: len(data)]:
        ws.cell(2, c, name)
        ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + 3)
        for j, sub in enumerate([f"总量({unit})", "增速(%)", "总量位次", "增速位次"]):
            ws.cell(3, c + j, sub)
        cols[name] = {"level": c, "growth": c + 1, "level_rank": c + 2, "rank": c + 3}
        c += 4
    rows, agg, _ = _body(ws, 4, data, cols, aggregates)
    return Built(wb, sheet, rows, agg, cols, [1, 2, 3])


def derived(
    data: dict[str, Sequence[Figures]],
    aggregates: Sequence[str] = ("top", "bottom"),
    sheet: str = "2026Q3",
    wb: openpyxl.Workbook | None = None,
) -> Built:
    """Growth headers written ``增速%`` / ``比上年增长±%`` and derived columns (较上期, 比全市高低,
    占比 — numbers that must be neither ranked nor filled) between them and the 位次."""
    wb, ws = _workbook(sheet, wb)
    forms = [
        ("增速%", ["较上期(百分点)", "比全市高低(百分点)", "占比(%)"]),
        ("比上年增长±%", ["比全市±", "比重(%)"]),
    ]
    header: list[Any] = ["县区"]
    cols: dict[str, dict[str, Any]] = {}
    for (name, unit), (growth, extra) in zip(INDICATORS[: len(data)], forms, strict=False):
        c = len(header) + 1
        header += [f"{name}({unit})", growth, *extra, "位次"]
        cols[name] = {
            "level": c,
            "growth": c + 1,
            "derived": list(range(c + 2, c + 2 + len(extra))),
            "rank": c + 2 + len(extra),
        }
    ws.append(header)
    rows, agg, _ = _body(ws, 2, data, cols, aggregates)
    return Built(wb, sheet, rows, agg, cols, [1])


def unit_and_notes(
    data: dict[str, Sequence[Figures]],
    aggregates: Sequence[str] = ("bottom",),
    sheet: str = "2026Q3",
    wb: openpyxl.Workbook | None = None,
) -> Built:
    """A title, a 「单位：亿元」 row, a header without units, 合计 at the bottom and note rows
    after the table."""
    wb, ws = _workbook(sheet, wb)
    ws.cell(1, 1, "2026年前三季度各县区经济指标")
    ws.cell(2, 4, "单位：亿元、%")
    header: list[Any] = ["单位名称"]
    cols: dict[str, dict[str, Any]] = {}
    for name, _unit in INDICATORS[: len(data)]:
        c = len(header) + 1
        header += [name, "同比增长", "全市位次"]
        cols[name] = {"level": c, "growth": c + 1, "rank": c + 2}
    for c, text in enumerate(header, start=1):
        ws.cell(3, c, text)
    rows, agg, after = _body(ws, 4, data, cols, aggregates)
    ws.cell(after, 1, "注：地区生产总值增速按可比价格计算。")
    ws.cell(after + 1, 1, "数据来源：市统计局")
    return Built(wb, sheet, rows, agg, cols, [1, 2, 3], notes=[after, after + 1])


def transposed(data: dict[str, Sequence[Figures]], sheet: str = "2026Q3") -> Built:
    """Indicators as rows, counties as columns (``指标名称 | 单位 | 全市 | 城关区 | …``)."""
    wb, ws = _workbook(sheet)
    n = len(next(iter(data.values())))
    ws.append(["2026年1-9月主要指标"])
    ws.append(["指标名称", "单位", "全市", *COUNTIES[:n]])
    for name, unit in INDICATORS[: len(data)]:
        ws.append([name, unit, None, *[f[0] for f in data[name]]])
        ws.append([f"{name}增长", "%", 5.0, *[f[1] for f in data[name]]])
        ws.append([f"{name}位次", "位", None, *[None] * n])
    return Built(wb, sheet, {}, [], {}, [1, 2])


LAYOUTS = {
    "one_row": one_row,
    "two_rows": two_rows,
    "derived": derived,
    "unit_and_notes": unit_and_notes,
}


def sample_data(n: int = 9) -> dict[str, list[Figures]]:
    """Fixed figures with ties (equal growth) and a placeholder."""
    gdp = [(40.0 + k, g) for k, g in enumerate([6.1, 5.2, 7.3, 5.2, 4.0, 6.6, 8.1, 3.9, 5.5])]
    revenue = [
        (9000.0 + 100 * k, g) for k, g in enumerate([3.0, -2.1, 4.4, "—", 1.0, 4.4, 2.2, 0.5, 9.9])
    ]
    return {"地区生产总值": gdp[:n], "一般公共预算收入": revenue[:n]}


__all__ = ["COUNTIES", "INDICATORS", "LAYOUTS", "Built", "sample_data", "transposed"]
