"""同比/累计增长, 年均增长, 两年平均增长: values and every edge."""

import math

import numpy as np
import pytest

from udfs import CellError, avg_growth, growth, two_year_avg


@pytest.mark.parametrize(
    ("current", "base", "price", "expected"),
    [
        (110, 100, None, 10.0),
        (95.2, 100, None, -4.8),
        ("17,176", "15,000", None, (17176 / 15000 - 1) * 100),
        (0, 100, None, -100.0),
        (110, 100, 105, (110 / 100 / 1.05 - 1) * 100),
        (146.4, 123.9, 102.3, (146.4 / 123.9 / 1.023 - 1) * 100),
    ],
)
def test_growth(current, base, price, expected):
    assert growth(current, base, price) == pytest.approx(expected, rel=1e-13, abs=1e-12)


def test_exact_inputs_give_exact_rates():
    assert growth(110, 100) == 10.0
    assert growth(50, 40) == 25.0


@pytest.mark.parametrize(
    ("current", "base", "price", "error", "words"),
    [
        (5, 0, None, "#DIV/0!", "基期值为 0"),
        (5, -3, None, "#NUM!", "基期值为负"),
        (None, 100, None, "#N/A", "本期值"),
        (5, "—", None, "#N/A", "基期值"),
        ("abc", 100, None, "#VALUE!", "本期值"),
        ("5万元", 100, None, "#VALUE!", "单位"),
        (5, 4, 0, "#NUM!", "价格指数"),
        (5, 4, -1, "#NUM!", "价格指数"),
    ],
)
def test_growth_errors_name_the_argument(current, base, price, error, words):
    result = growth(current, base, price)
    assert isinstance(result, CellError)
    assert result == error
    assert words in result.message


def test_ranges_keep_each_element_distinct():
    result = growth([[110], [5], [None], ["x"], [7]], [[100], [0], [3], [3], [-1]])
    assert result.shape == (5, 1)
    assert result[0, 0] == 10.0
    assert [result[i, 0] for i in range(1, 5)] == ["#DIV/0!", "#N/A", "#N/A", "#NUM!"]


def test_range_against_single_cell_and_row_against_column():
    assert list(growth([110, 120, 130], 100)) == [10.0, 20.0, 30.0]
    table = growth([[110], [120]], [[100, 50]])
    assert table.shape == (2, 2)
    assert table[1, 1] == 140.0


def test_shape_mismatch_is_one_value_error():
    result = growth([[1], [2], [3]], [[1], [2]])
    assert result == "#VALUE!"
    assert "3行1列" in result.message and "2行1列" in result.message


def test_blank_price_index_means_nominal():
    assert growth(110, 100, "") == growth(110, 100) == 10.0


@pytest.mark.parametrize(
    ("end", "start", "years", "expected"),
    [
        (200, 100, 5, (2 ** (1 / 5) - 1) * 100),
        (100, 100, 3, 0.0),
        (0, 100, 2, -100.0),
        (121, 100, 2, 10.0),
    ],
)
def test_avg_growth(end, start, years, expected):
    assert avg_growth(end, start, years) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("end", "start", "years", "error"),
    [
        (5, 0, 2, "#DIV/0!"),
        (5, -1, 2, "#NUM!"),
        (-5, 1, 2, "#NUM!"),
        (5, 1, 0, "#NUM!"),
        (5, 1, -2, "#NUM!"),
    ],
)
def test_avg_growth_errors(end, start, years, error):
    assert avg_growth(end, start, years) == error


def test_two_year_avg_is_geometric_not_arithmetic():
    result = two_year_avg(8.5, 0.6)
    assert result == pytest.approx((math.sqrt(1.085 * 1.006) - 1) * 100, rel=1e-14)
    assert round(result, 1) == 4.5  # the arithmetic mean would give 4.55
    assert two_year_avg(-150, 3) == "#NUM!"
    # Two equal years average to that same rate.
    assert two_year_avg(np.array([1.0, 2.0]), [1.0, 2.0]).tolist() == pytest.approx(
        [1.0, 2.0], rel=1e-14
    )
