"""The one period grammar (domain.md §1.6): every form read and written back, time progress
(序时进度 = months elapsed / 12 × 100), and moving along a quarterly or monthly series."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs import Period, PeriodError, parse_period, time_progress
from udfs.periods import (
    CUMULATIVE,
    POINT,
    SINGLE,
    Style,
    find_labels,
    format_period,
    parse_label,
)

C, S, P = CUMULATIVE, SINGLE, POINT

# (label as written, year, first month, last month, kind, form)
GRAMMAR = [
    ("2026Q3", 2026, 1, 9, C, "Q"),
    ("2026q1", 2026, 1, 3, C, "Q"),
    ("2026-Q4", 2026, 1, 12, C, "Q"),
    ("2026年Q2", 2026, 1, 6, C, "Q"),
    ("Q3", None, 1, 9, C, "Q"),
    ("1-2月", None, 1, 2, C, "months"),
    ("1-12月", None, 1, 12, C, "months"),
    ("2026年1-9月", 2026, 1, 9, C, "months"),
    ("2026年1-8月", 2026, 1, 8, C, "months"),
    ("1—9月", None, 1, 9, C, "months"),
    ("1至9月", None, 1, 9, C, "months"),
    ("1~9月份", None, 1, 9, C, "months"),
    ("1-9月累计", None, 1, 9, C, "months"),
    ("2026年度1-6月", 2026, 1, 6, C, "months"),
    ("7-9月", None, 7, 9, S, "months"),
    ("前9个月", None, 1, 9, C, "first"),
    ("前三个月", None, 1, 3, C, "first"),
    ("2026年前8个月", 2026, 1, 8, C, "first"),
    ("一季度", None, 1, 3, C, "words"),
    ("上半年", None, 1, 6, C, "words"),
    ("前三季度", None, 1, 9, C, "words"),
    ("全年", None, 1, 12, C, "words"),
    ("2026年前三季度", 2026, 1, 9, C, "words"),
    ("2025年上半年", 2025, 1, 6, C, "words"),
    ("二季度", None, 1, 6, C, "quarter"),
    ("三季度", None, 1, 9, C, "quarter"),
    ("四季度", None, 1, 12, C, "quarter"),
    ("2026年三季度", 2026, 1, 9, C, "quarter"),
    ("第三季度", None, 1, 9, C, "quarter"),
    ("2026年第一季度", 2026, 1, 3, C, "quarter"),
    ("3季度", None, 1, 9, C, "quarter"),
    ("三季度末", None, 9, 9, P, "quarter"),
    ("三季度单季", None, 7, 9, S, "quarter"),
    ("2026年8月", 2026, 1, 8, C, "month"),
    ("8月", None, 1, 8, C, "month"),
    ("8月份", None, 1, 8, C, "month"),
    ("十二月", None, 1, 12, C, "month"),
    ("8月当月", None, 8, 8, S, "month"),
    ("2026年8月单月", 2026, 8, 8, S, "month"),
    ("3月末", None, 3, 3, P, "month"),
    ("2026年3月底", 2026, 3, 3, P, "month"),
    ("截至3月底", None, 3, 3, P, "month"),
    ("2026-09", 2026, 1, 9, C, "ym"),
    ("2026.9", 2026, 1, 9, C, "ym"),
]


@pytest.mark.parametrize(("text", "year", "first", "last", "kind", "form"), GRAMMAR)
def test_every_form_is_read(text, year, first, last, kind, form):
    label = parse_label(text)
    assert label.period == Period(year, first, last, kind)
    assert label.style.form == form


@pytest.mark.parametrize(("text", "year", "first", "last", "kind", "form"), GRAMMAR)
def test_every_form_is_written_back_in_its_style(text, year, first, last, kind, form):
    label = parse_label(text)
    assert format_period(Period(year, first, last, kind), label.style) == text


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("1 - 9 月", "1-9月"),
        ("1－9月", "1-9月"),
        ("1～9月份", "1~9月份"),
        ("３月末", "3月末"),
        ("2026 年 1-9 月", "2026年1-9月"),
        ("一至三季度", "前三季度"),
        ("一至二季度", "上半年"),
        ("全年累计", "全年"),
        ("年度", "全年"),
    ],
)
def test_spaces_full_width_and_variants(text, same_as):
    assert parse_period(text) == parse_period(same_as)


def test_the_quarter_forms_agree_on_the_cumulative_period():
    """三季度 = 2026Q3 = 前三季度 = 1-9月 (cumulative workbooks), not months 7–9."""
    periods = {parse_period(t) for t in ["三季度", "Q3", "前三季度", "1-9月", "前9个月", "9月"]}
    assert periods == {Period(None, 1, 9)}
    assert parse_period("下半年") == Period(None, 7, 12, SINGLE)


# (period, style, written) — the label direction with the year dropped, fallbacks and kinds
WRITE = [
    (Period(2026, 1, 12), Style("Q", ""), "2026Q4"),
    (Period(2026, 1, 12), Style("months"), "2026年1-12月"),
    (Period(2026, 1, 12), Style("months", None, dash="—"), "1—12月"),
    (Period(2026, 1, 9), Style("words", None), "前三季度"),
    (Period(2026, 1, 9), Style("quarter", None, cn=True), "三季度"),
    (Period(2026, 1, 9), Style("quarter", "年", cn=True, di=True), "2026年第三季度"),
    (Period(2026, 1, 8), Style("month"), "2026年8月"),
    (Period(2026, 1, 8), Style("first", None, cn=True), "前八个月"),
    # a style that cannot write the period falls back to the usual form, year kept
    (Period(2026, 1, 8), Style("Q", ""), "2026年1-8月"),
    (Period(2026, 1, 8), Style("words", None), "1-8月"),
    (Period(2026, 9, 9, POINT), Style("Q", ""), "2026年三季度末"),
    (Period(2026, 8, 8), Style("months"), "2026年8月当月"),
    (Period(2026, 3, 3, POINT), Style("months"), "2026年3月末"),
    (Period(None, 7, 9), Style("quarter", None, cn=True), "三季度单季"),
    (Period(None, 1, 3), None, "1-3月"),
]


@pytest.mark.parametrize(("period", "style", "written"), WRITE)
def test_writing_a_period_in_a_style(period, style, written):
    assert format_period(period, style) == written
    assert parse_period(written).last_month == period.last_month


@pytest.mark.parametrize(
    "label", ["abc", "13月", "1-13月", "9-3月", "Q5", "", "2026年", "2026年度"]
)
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
        ("三季度", 9),
        ("全年", 12),
        ("2026Q2", 6),
        ("二季度", 6),
        ("9月", 9),
        ("3月末", 3),
    ],
)
def test_time_progress_is_months_over_twelve(label, months):
    assert time_progress(label) == pytest.approx(months / 12 * 100, rel=1e-15)


def test_time_progress_of_a_range_keeps_each_error():
    result = time_progress([["1-3月"], ["abc"], [None]])
    assert result[0, 0] == 25.0
    assert result[1, 0] == "#VALUE!" and "abc" in result[1, 0].message
    assert result[2, 0] == "#N/A"


def test_labels_in_running_text():
    text = "示例市2026年1-9月各县区，数据截至2026年9月30日，全年目标100，本期 2026Q3，上期 2026Q2"
    found = find_labels(text)
    assert [text[f.start : f.end] for f in found] == ["2026年1-9月", "2026Q3", "2026Q2"]
    assert find_labels("增长2026.5亿元，下半年工作安排，2026年度目标") == []


@pytest.mark.parametrize(
    ("start", "steps", "step", "expected"),
    [
        (Period(2026, 1, 9), 1, 3, Period(2026, 1, 12)),
        (Period(2026, 1, 12), 1, 3, Period(2027, 1, 3)),
        (Period(2026, 1, 3), -1, 3, Period(2025, 1, 12)),
        (Period(2026, 1, 7), 1, 1, Period(2026, 1, 8)),
        (Period(2026, 1, 12), 1, 1, Period(2027, 1, 2)),  # January is not published alone
        (Period(2026, 1, 2), -1, 1, Period(2025, 1, 12)),
        (Period(None, 1, 12), 1, 3, Period(None, 1, 3)),
        (Period(2026, 8, 8), 5, 1, Period(2027, 1, 1, SINGLE)),
        (Period(2026, 7, 9), 1, 3, Period(2026, 10, 12)),
        (Period(2026, 3, 3, POINT), 1, 3, Period(2026, 6, 6, POINT)),
    ],
)
def test_shift_along_a_series(start, steps, step, expected):
    assert start.shift(steps, step) == expected
    assert start.steps_to(expected, step) == steps


forms = st.sampled_from(
    [
        "{y}Q{q}",
        "Q{q}",
        "{y}年1-{m}月",
        "1-{m}月",
        "1—{m}月份",
        "{y}年前{m}个月",
        "{y}年{w}",
        "{w}",
        "{y}年{cq}季度",
        "第{cq}季度",
        "{y}年{m}月",
        "{m}月",
        "{m}月当月",
        "{m}月末",
    ]
)


@given(st.integers(1990, 2098), st.integers(1, 4), forms)
def test_round_trip_in_the_same_style(year, quarter, form):
    """label(parse(x)) in the style x was written in gives x back."""
    m = quarter * 3
    text = form.format(
        y=year,
        q=quarter,
        m=m,
        w=["一季度", "上半年", "前三季度", "全年"][quarter - 1],
        cq="一二三四"[quarter - 1],
    )
    label = parse_label(text)
    assert format_period(label.period, label.style) == text
    assert label.period.last_month == m
    assert label.period.year == (year if "{y}" in form else None)


@given(
    st.integers(1990, 2098),
    st.integers(2, 12),
    st.integers(-30, 30),
    st.sampled_from([1, 3]),
    st.sampled_from([CUMULATIVE, SINGLE, POINT]),
)
def test_shift_then_back(year, month, steps, step, kind):
    if step == 3:
        month = max(3, month - month % 3)
    first = {CUMULATIVE: 1, SINGLE: month - step + 1 if step == 3 else month, POINT: month}[kind]
    start = Period(year, first, month, kind)
    moved = start.shift(steps, step)
    assert moved.shift(-steps, step) == start
    assert start.steps_to(moved, step) == steps
    assert moved.kind == kind
