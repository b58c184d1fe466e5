"""位次 (competition ranking) and 位次变化."""

import numpy as np
import pytest

from udfs import rank, rank_change, round_published


def test_competition_ranking_descending_by_default():
    values = [6.7, 8.1, 6.7, 5.0, 9.3]
    assert rank(values, values).tolist() == [3.0, 2.0, 3.0, 5.0, 1.0]
    assert rank(6.7, values) == 3.0


def test_ascending_for_lower_is_better():
    values = [1.2, 0.8, 1.2, 2.0]
    assert rank(values, values, False).tolist() == [2.0, 1.0, 2.0, 4.0]
    assert rank(values, values, "升序").tolist() == [2.0, 1.0, 2.0, 4.0]


def test_rounded_published_figures_create_ties():
    values = [6.74, 6.66, 6.65, 6.2]
    assert rank(values, values).tolist() == [1.0, 2.0, 3.0, 4.0]
    assert rank(values, values, True, 1).tolist() == [1.0, 1.0, 1.0, 4.0]


def test_blanks_and_placeholders_are_unranked():
    values = [[6.7], [None], ["—"], [8.0], ["X"]]
    result = rank(values, values)
    assert result[0, 0] == 2.0 and result[3, 0] == 1.0
    for i in (1, 2, 4):
        assert result[i, 0] == "#N/A" and "不参与排位" in result[i, 0].message


@pytest.mark.parametrize(
    ("descending", "decimals"), [("maybe", None), (True, -1), (True, 1.5), (True, "a")]
)
def test_bad_options_are_value_errors(descending, decimals):
    assert rank(1, [1, 2], descending, decimals) == "#VALUE!"


def test_round_published_is_half_away_from_zero():
    assert round_published(np.array([2.675, -2.675, 0.125, 0.135, 1.005]), 2).tolist() == [
        2.68,
        -2.68,
        0.13,
        0.14,
        1.01,
    ]
    assert round_published(np.array([4.55, 4.45]), 1).tolist() == [4.6, 4.5]


def test_rank_change_sign_and_blank():
    result = rank_change([[3], [5], [2], [None], [4]], [[5], [3], [2], [4], ["无法比较"]])
    assert result[0, 0] == 2.0  # 前移 2 位
    assert result[1, 0] == -2.0  # 后退 2 位
    assert result[2, 0] == 0.0  # 持平
    assert result[3, 0] is None and result[4, 0] is None  # 无法比较: blank, never 0
    assert rank_change("第3位", "第7位") == 4.0
    assert rank_change(2.5, 3) == "#VALUE!"
