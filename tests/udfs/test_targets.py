"""完成率, 序时进度差, 差距/缺口, 还需增长."""

import pytest

from udfs import completion, gap_to_target, required_growth, required_growth_rate, schedule_gap


def test_completion_may_exceed_100():
    assert completion(112.3, 100) == pytest.approx(112.3, rel=1e-15)
    assert completion(50, 200) == 25.0


@pytest.mark.parametrize(
    ("actual", "target", "error"),
    [(5, 0, "#DIV/0!"), (5, -1, "#NUM!"), (None, 5, "#N/A"), (5, "X", "#N/A")],
)
def test_completion_errors(actual, target, error):
    assert completion(actual, target) == error


def test_schedule_gap_sign_says_ahead_or_behind():
    # 38.6 % done at 1-4月 (33.33 %): ahead by 5.27 pp (超序时进度).
    assert schedule_gap(38.6, 100, "1-4月") == pytest.approx(38.6 - 400 / 12, abs=1e-12)
    assert schedule_gap(16.9, 100, "上半年") == pytest.approx(16.9 - 50, abs=1e-12)
    assert schedule_gap(5, 100, "abc") == "#VALUE!"
    assert schedule_gap(5, 0, "1-3月") == "#DIV/0!"


def test_gap_to_target_full_and_pro_rated():
    assert gap_to_target(14.64, 17.38) == pytest.approx(2.74, abs=1e-12)
    assert gap_to_target(20, 17.38) < 0  # exceeded
    assert gap_to_target(30, 100, "前三季度") == pytest.approx(75 - 30, abs=1e-12)
    assert gap_to_target(30, 100, "??") == "#VALUE!"


def test_required_growth_for_a_level_target():
    # Target 120, 90 done; last year 100 in all, 80 by the same date → 30 needed on a base of 20.
    assert required_growth(120, 90, 100, 80) == pytest.approx(30 / 20 * 100 - 100, abs=1e-12)


def test_required_growth_for_a_growth_target():
    # Annual target 7 %, 6 % so far on a base of 75 of 100: Q4 must grow (107 − 79.5)/25 − 1.
    expected = ((1.07 * 100 - 1.06 * 75) / 25) * 100 - 100
    assert required_growth_rate(7, 6, 100, 75) == pytest.approx(expected, abs=1e-12)
    # Reaching the target exactly means the rest grows at G as well when g_ytd == G.
    assert required_growth_rate(7, 7, 100, 75) == pytest.approx(7.0, abs=1e-12)


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        ((120, 90, 100, 100), "#DIV/0!", "剩余"),
        ((120, 90, 80, 100), "#NUM!", "base_full < base_ytd"),
        ((120, 130, 100, 80), "#NUM!", "已完成"),
        ((120, 90, 0, 0), "#NUM!", "正数"),
        ((120, None, 100, 80), "#N/A", "本年累计"),
    ],
)
def test_required_growth_errors(args, error, words):
    result = required_growth(*args)
    assert result == error and words in result.message
