"""The sample figures are consistent the way published figures are."""

import pytest

from udfs import Period
from workbooks.samples.figures import TOTAL, counties, figure, indicators, quarter_periods, regions

PERIODS = quarter_periods(Period(2025, 1, 3), Period(2026, 1, 12))
NAMES = [c for c, _, _ in counties()]


def test_nine_counties_and_fifteen_plus_indicators_in_real_units() -> None:
    assert len(NAMES) == 9 and regions()[0] == TOTAL
    assert len(indicators()) >= 15
    assert {i.unit for i in indicators()} == {"亿元", "万元", "元"}


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label())
def test_nominal_growth_reproduces_from_levels(period: Period) -> None:
    for ind in indicators():
        if ind.growth != "nominal":
            continue
        for region in regions():
            f = figure(period, region, ind.name)
            exact = (f.current / f.base - 1) * 100
            assert abs(f.growth - exact) <= 0.05 + 1e-9, (region, ind.name)


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label())
def test_gdp_is_the_sum_of_three_industries_and_city_is_the_sum_of_counties(period: Period) -> None:
    gdp, *parts = [i.name for i in indicators()[:4]]
    for region in regions():
        total = sum(figure(period, region, p).current for p in parts)
        assert figure(period, region, gdp).current == pytest.approx(total, abs=0.011)
    for ind in indicators():
        if ind.per_capita:
            continue
        total = sum(figure(period, c, ind.name).current for c in NAMES)
        assert figure(period, TOTAL, ind.name).current == pytest.approx(
            total, abs=10**-ind.decimals
        )


def test_cumulative_levels_grow_through_the_year_and_base_is_last_year() -> None:
    for ind in indicators():
        for region in regions():
            if ind.stock:  # balances may fall within the year
                continue
            levels = [figure(Period(2026, 1, m), region, ind.name).current for m in (3, 6, 9, 12)]
            assert levels == sorted(levels), (region, ind.name)
            assert (
                figure(Period(2026, 1, 9), region, ind.name).base
                == figure(Period(2025, 1, 9), region, ind.name).current
            )


def test_the_generator_is_reproducible(tmp_path) -> None:
    import openpyxl

    from workbooks.samples.build import build_workbook

    a = openpyxl.load_workbook(build_workbook(tmp_path / "a.xlsx", rank=False))
    b = openpyxl.load_workbook(build_workbook(tmp_path / "b.xlsx", rank=False))
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert [[c.value for c in r] for r in a[name].iter_rows()] == [
            [c.value for c in r] for r in b[name].iter_rows()
        ]
