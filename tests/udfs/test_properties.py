"""Identities the bureau relies on, checked on many generated inputs (hypothesis)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from udfs import (
    avg_growth,
    completion,
    contribution,
    contribution_rate,
    growth,
    rank,
    rank_change,
    share,
    two_year_avg,
)

level = st.floats(min_value=0.01, max_value=1e7, allow_nan=False, allow_infinity=False)
rate = st.floats(min_value=-99.0, max_value=500.0, allow_nan=False, allow_infinity=False)
parts = st.lists(st.tuples(level, level), min_size=2, max_size=8)


@given(parts)
def test_pulls_add_up_to_total_growth(components):
    now = np.array([c[0] for c in components])
    before = np.array([c[1] for c in components])
    pulls = contribution(now, before, before.sum())
    assert math.isclose(sum(pulls), growth(now.sum(), before.sum()), rel_tol=1e-9, abs_tol=1e-9)


@given(parts)
def test_contribution_rates_add_up_to_100(components):
    now = np.array([c[0] for c in components])
    before = np.array([c[1] for c in components])
    if abs(now.sum() - before.sum()) < 1e-6 * before.sum():
        return
    rates = contribution_rate(now, before, now.sum(), before.sum())
    assert math.isclose(sum(rates), 100.0, rel_tol=1e-7)


@given(level, rate, rate)
def test_two_year_average_matches_the_level_form(x0, g_last, g_this):
    x1 = x0 * (1 + g_last / 100)
    x2 = x1 * (1 + g_this / 100)
    assert math.isclose(
        two_year_avg(g_this, g_last), avg_growth(x2, x0, 2), rel_tol=1e-9, abs_tol=1e-9
    )


@given(level, level)
def test_completion_times_target_is_actual(actual, target):
    assert math.isclose(completion(actual, target) * target / 100, actual, rel_tol=1e-12)


@given(level, rate)
def test_growth_recovers_the_rate(base, g):
    assert math.isclose(growth(base * (1 + g / 100), base), g, rel_tol=1e-9, abs_tol=1e-9)


@given(st.lists(level, min_size=1, max_size=20))
def test_shares_of_the_parts_add_up_to_100(values):
    assert math.isclose(sum(share(values, sum(values))), 100.0, rel_tol=1e-12)


values_with_gaps = st.lists(
    st.one_of(rate, st.none(), st.sampled_from(["—", "X"])), min_size=1, max_size=25
)


@given(values_with_gaps, st.booleans(), st.sampled_from([None, 0, 1, 2]))
@settings(max_examples=200)
def test_rank_is_one_plus_the_number_strictly_better(values, descending, decimals):
    numbers = [v for v in values if isinstance(v, float)]
    if decimals is not None:
        shown = [float(f"{abs(v) * 10**decimals:.9f}") for v in numbers]
        keyed = [
            math.copysign(math.floor(s + 0.5), v) / 10**decimals
            for s, v in zip(shown, numbers, strict=True)
        ]
    else:
        keyed = numbers
    result = rank(values, values, descending, decimals)
    k = 0
    for cell, got in zip(values, result, strict=True):
        if not isinstance(cell, float):
            assert got == "#N/A"
            continue
        me = keyed[k]
        k += 1
        better = sum(1 for other in keyed if (other > me if descending else other < me))
        assert got == better + 1


@given(st.lists(rate, min_size=1, max_size=30))
def test_a_range_equals_cell_by_cell_calls(values):
    whole = rank(values, values)
    assert [rank(v, values) for v in values] == list(whole)
    bases = values[::-1]
    whole_growth = growth(values, bases)
    for v, b, got in zip(values, bases, whole_growth, strict=True):
        single = growth(v, b)
        assert single == got or (isinstance(single, float) and math.isclose(single, got))


@given(st.integers(1, 18), st.integers(1, 18))
def test_rank_change_is_previous_minus_now(now, before):
    assert rank_change(now, before) == before - now
    assert rank_change(before, now) == -(before - now)
