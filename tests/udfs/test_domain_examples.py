"""The worked examples of real bureau texts (docs/definitions.md §3), within their stated precision."""

import math

from udfs import (
    completion,
    contribution_rate,
    gap_to_target,
    schedule_gap,
    time_progress,
    two_year_avg,
)


def test_fixed_asset_investment_completion_in_mixed_units():
    # 14.64 亿元 against a target of 173873 万元: 1 亿元 = 10,000 万元.
    assert round(completion(14.64 * 10_000, 173_873), 2) == 84.20
    # The text's 84.23 implies an unrounded ~146,450 万元, i.e. it agrees within the stated precision.
    assert abs(completion(146_450, 173_873) - 84.23) < 0.005


def test_ahead_of_schedule_at_1_to_4_months():
    assert round(time_progress("1-4 月份".replace(" ", "").replace("份", "")), 2) == 33.33
    assert round(schedule_gap(38.6, 100, "1-4月"), 1) == 5.3


def test_two_year_average_gdp():
    assert round(two_year_avg(8.5, 0.6), 1) == 4.5


def test_contribution_rate_of_the_primary_sector():
    # 一产 pulls 1.72 pp of 4.56 % growth: 贡献率 1.72 / 4.56 = 37.7 % (the text writes 37.6).
    rate = contribution_rate(101.72, 100, 104.56, 100)
    assert math.isclose(rate, 1.72 / 4.56 * 100, rel_tol=1e-12)
    assert abs(rate - 37.6) < 0.15


def test_gap_to_the_annual_target():
    assert round(gap_to_target(14.64, 17.38), 2) == 2.74


def test_behind_schedule_key_projects():
    # 2.03 亿元 of a 12 亿元 plan = 16.9 %, 差序时进度 8.1 pp at 一季度 (25 %).
    done = completion(2.03, 12.0)
    assert round(done, 1) == 16.9
    assert round(schedule_gap(2.03, 12.0, "一季度"), 1) == -8.1
