"""Period labels bureaus write, and time progress (序时进度 = months elapsed / 12 × 100)."""

import datetime as dt

import pytest

from udfs import Period, PeriodError, parse_period, time_progress


@pytest.mark.parametrize(
    ("label", "year", "first", "last"),
    [
        ("1-2月", None, 1, 2),
        ("1-12月", None, 1, 12),
        ("1—9月", None, 1, 9),
        ("1 - 9 月", None, 1, 9),
        ("1－9月", None, 1, 9),
        ("1~9月", None, 1, 9),
        ("1～9月份", None, 1, 9),
        ("1至9月", None, 1, 9),
        ("前9个月", None, 1, 9),
        ("前三个月", None, 1, 3),
        ("一季度", None, 1, 3),
        ("二季度", None, 4, 6),
        ("三季度", None, 7, 9),
        ("四季度", None, 10, 12),
        ("上半年", None, 1, 6),
        ("前三季度", None, 1, 9),
        ("全年", None, 1, 12),
        ("2026Q3", 2026, 7, 9),
        ("2026q1", 2026, 1, 3),
        ("2026年三季度", 2026, 7, 9),
        ("2026年1-9月", 2026, 1, 9),
        ("2026年前三季度", 2026, 1, 9),
        ("9月", None, 9, 9),
        ("2026年9月", 2026, 9, 9),
        ("截至3月底", None, 3, 3),
        ("３月末", None, 3, 3),
        ("十二月", None, 12, 12),
    ],
)
def test_labels(label, year, first, last):
    assert parse_period(label) == Period(year, first, last)


@pytest.mark.parametrize("label", ["abc", "13月", "1-13月", "9-3月", "Q5", "", "2026年"])
def test_unreadable_labels_are_refused_with_the_text(label):
    with pytest.raises(PeriodError) as info:
        parse_period(label)
    assert "期别" in str(info.value)


def test_dates_and_serials_use_the_month():
    assert parse_period(dt.date(2026, 9, 30)) == Period(2026, 1, 9)
    assert parse_period(dt.datetime(2026, 4, 1, 12, 0)) == Period(2026, 1, 4)
    serial = (dt.date(2026, 6, 30) - dt.date(1899, 12, 30)).days
    assert parse_period(float(serial)) == Period(2026, 1, 6)
    assert parse_period(8) == Period(None, 1, 8)


@pytest.mark.parametrize(
    ("label", "months"),
    [
        ("一季度", 3),
        ("1-4月", 4),
        ("上半年", 6),
        ("1-8月", 8),
        ("前三季度", 9),
        ("全年", 12),
        ("2026Q2", 6),
    ],
)
def test_time_progress_is_months_over_twelve(label, months):
    assert time_progress(label) == pytest.approx(months / 12 * 100, rel=1e-15)


def test_time_progress_of_a_range_keeps_each_error():
    result = time_progress([["1-3月"], ["abc"], [None]])
    assert result[0, 0] == 25.0
    assert result[1, 0] == "#VALUE!" and "abc" in result[1, 0].message
    assert result[2, 0] == "#N/A"


def test_label_round_trip():
    for label in ["2026年1-9月", "1-3月", "2025年12月"]:
        assert parse_period(parse_period(label).label()) == parse_period(label)
