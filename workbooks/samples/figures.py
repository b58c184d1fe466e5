"""The figures of 示例市 (a fictional prefecture): 9 counties and the 全市 row, 2024Q1–2026Q4.

Generated reproducibly from the bundled dataset (``data/indicators.csv``, ``data/counties.csv``)
with a fixed random seed, and internally consistent the way real figures are:

- levels are cumulative from January (balances: at the end of the quarter) and stored at their
  published precision (亿元 2 decimals, 万元 and 元 whole numbers);
- nominal growth is reproducible from the stored levels: ``round((本期 / 上年同期 − 1) × 100, 1)``;
- real growth (地区生产总值, 产业增加值, 规上工业) and comparable-scope growth (投资, 社零) are
  inputs, as in the reporting system; 地区生产总值 = 一产 + 二产 + 三产, and its real growth is the
  base-weighted growth of the three;
- 全市 is the sum of the counties (per-capita incomes: population-weighted), its real/input growth
  the base-weighted mean of the counties'.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from udfs import Period, growth, round_published

CITY = "示例市"
TOTAL = "全市"
COUNTY = "青川县"
FIRST_YEAR = 2024
YEARS = (2024, 2025, 2026)
_FLOW_SHARES = np.array([0.22, 0.47, 0.72, 1.0])
_INCOME_SHARES = np.array([0.27, 0.51, 0.75, 1.0])
_STOCK_SHARES = np.array([0.97, 0.985, 0.995, 1.0])
_DEFLATOR = 1.3


@dataclass(frozen=True)
class Indicator:
    """One indicator of the sample tables."""

    name: str
    unit: str
    growth: str  # "real", "input" or "nominal"
    decimals: int
    level_2024: float | None
    typical_growth: float
    target_growth: float | None
    stock: bool
    note: str

    @property
    def per_capita(self) -> bool:
        return "人均" in self.name


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("workbooks.samples").joinpath("data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def indicators() -> tuple[Indicator, ...]:
    """The indicators, in the order of the tables."""
    out = []
    for row in _rows("indicators.csv"):
        out.append(
            Indicator(
                row["indicator"],
                row["unit"],
                row["growth"],
                int(row["decimals"]),
                float(row["level_2024"]) if row["level_2024"] else None,
                float(row["typical_growth"]),
                float(row["target_growth"]) if row["target_growth"] else None,
                row["stock"] == "1",
                row["note"],
            )
        )
    return tuple(out)


@cache
def counties() -> tuple[tuple[str, float, float], ...]:
    """(county, size factor, population in 万人)."""
    return tuple(
        (r["region"], float(r["scale"]), float(r["population_wan"])) for r in _rows("counties.csv")
    )


def regions() -> list[str]:
    """Row order of the peer tables: 全市 first, then the counties."""
    return [TOTAL] + [c for c, _, _ in counties()]


def quarter_periods(first: Period, last: Period) -> list[Period]:
    """Cumulative quarterly periods from ``first`` to ``last`` (1-3月, 1-6月, 1-9月, 1-12月)."""
    out = []
    year, month = first.year, first.last_month
    while (year, month) <= (last.year, last.last_month):
        out.append(Period(year, 1, month))
        year, month = (year, month + 3) if month < 12 else (year + 1, 3)
    return out


@dataclass(frozen=True)
class Figure:
    """本期, 上年同期 and 增长(%) of one region and indicator in one period."""

    current: float
    base: float | None
    growth: float | None


def _round(x: float, decimals: int) -> float:
    return float(round_published(np.array([x]), decimals)[0])


@cache
def _tables() -> dict[tuple[int, int, str, str], Figure]:
    rng = np.random.default_rng(20260930)
    inds = indicators()
    levels: dict[tuple[int, int, str, str], float] = {}
    rates: dict[tuple[int, int, str, str], float] = {}
    for county, scale, _ in counties():
        for ind in inds:
            if ind.level_2024 is None:
                continue
            if ind.per_capita:
                annual = ind.level_2024 * (0.88 + 0.12 * scale) * rng.uniform(0.96, 1.04)
                shares = _INCOME_SHARES
            else:
                annual = ind.level_2024 * scale * rng.uniform(0.85, 1.15)
                shares = _STOCK_SHARES if ind.stock else _FLOW_SHARES
            shares = shares + np.r_[rng.normal(0, 0.006, 3), 0.0]
            drift = rng.normal(0, 2.0)
            for q in range(4):
                levels[(2024, q, county, ind.name)] = _round(annual * shares[q], ind.decimals)
            for year in (2025, 2026):
                year_rate = ind.typical_growth + drift + rng.normal(0, 1.2)
                for q in range(4):
                    rate = _round(year_rate + rng.normal(0, 0.6), 1)
                    nominal = rate + _DEFLATOR if ind.growth == "real" else rate
                    base = levels[(year - 1, q, county, ind.name)]
                    levels[(year, q, county, ind.name)] = _round(
                        base * (1 + nominal / 100), ind.decimals
                    )
                    if ind.growth == "input":
                        rate = _round(rate + rng.normal(0, 0.3), 1)
                    rates[(year, q, county, ind.name)] = rate
    gdp, parts = inds[0].name, [i.name for i in inds[1:4]]
    for county, _, _ in counties():
        for year in YEARS:
            for q in range(4):
                levels[(year, q, county, gdp)] = _round(
                    sum(levels[(year, q, county, p)] for p in parts), 2
                )
                if year > FIRST_YEAR:
                    weights = [levels[(year - 1, q, county, p)] for p in parts]
                    real = [rates[(year, q, county, p)] for p in parts]
                    rates[(year, q, county, gdp)] = _round(
                        float(np.dot(weights, real) / sum(weights)), 1
                    )
    names = [c for c, _, _ in counties()]
    population = np.array([p for _, _, p in counties()])
    for ind in inds:
        for year in YEARS:
            for q in range(4):
                own = np.array([levels[(year, q, c, ind.name)] for c in names])
                if ind.per_capita:
                    total = float(np.dot(own, population) / population.sum())
                else:
                    total = float(own.sum())
                levels[(year, q, TOTAL, ind.name)] = _round(total, ind.decimals)
                if year > FIRST_YEAR and ind.growth != "nominal":
                    base = np.array([levels[(year - 1, q, c, ind.name)] for c in names])
                    own_rates = np.array([rates[(year, q, c, ind.name)] for c in names])
                    rates[(year, q, TOTAL, ind.name)] = _round(
                        float(np.dot(base, own_rates) / base.sum()), 1
                    )
    out: dict[tuple[int, int, str, str], Figure] = {}
    for (year, q, region, name), current in levels.items():
        if year == FIRST_YEAR:
            continue
        ind = next(i for i in inds if i.name == name)
        base = levels[(year - 1, q, region, name)]
        if ind.growth == "nominal":
            rate = _round(float(growth(current, base)), 1)
        else:
            rate = rates[(year, q, region, name)]
        out[(year, q, region, name)] = Figure(current, base, rate)
    return out


def figure(period: Period, region: str, indicator: str) -> Figure:
    """The figures of ``region`` for ``indicator`` in the cumulative quarter ``period``."""
    return _tables()[(period.year, period.last_month // 3 - 1, region, indicator)]


def annual_target(year: int, region: str, indicator: Indicator) -> float | None:
    """年度目标 (level): last year's full-year level grown by the target growth; None for
    indicators without a level target (balances)."""
    if indicator.target_growth is None:
        return None
    last = _tables().get((year - 1, 3, region, indicator.name))
    base = last.current if last else None
    if base is None:
        base = figure(Period(year, 1, 12), region, indicator.name).base
    return _round(base * (1 + indicator.target_growth / 100), indicator.decimals)


__all__ = [
    "CITY",
    "COUNTY",
    "TOTAL",
    "Figure",
    "Indicator",
    "annual_target",
    "counties",
    "figure",
    "indicators",
    "quarter_periods",
    "regions",
]
