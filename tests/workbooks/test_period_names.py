"""Period labels in sheet names and titles: which sheet is which period, and rolling forward."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs import Period
from workbooks.period_names import (
    period_of_name,
    read_period_sheets,
    rename_for,
    repoint_formula,
    roll_text,
)


@pytest.mark.parametrize(
    ("text", "quarters", "expected"),
    [
        ("2026Q3", 1, "2026Q4"),
        ("2026Q4", 1, "2027Q1"),
        ("2026Q1", -1, "2025Q4"),
        ("2026年1-9月", 1, "2026年1-12月"),
        (
            "示例市2026年1-9月各县区主要经济指标对比表",
            1,
            "示例市2026年1-12月各县区主要经济指标对比表",
        ),
        ("1—9月", 1, "1—12月"),
        ("2026年三季度", 1, "2026年四季度"),
        ("三季度经济运行分析", 1, "四季度经济运行分析"),
        ("2026年前三季度", 1, "2026年全年"),
        ("上半年", 1, "前三季度"),
        ("一季度", 1, "上半年"),
        ("全年", 1, "一季度"),
        ("二季度", 1, "三季度"),
        ("截至2026年9月30日", 1, "截至2026年9月30日"),
        ("全年目标", 1, "全年目标"),
        ("2026年1-12月", 1, "2027年1-3月"),
        ("本期 2026Q3，上期 2026Q2", 1, "本期 2026Q4，上期 2026Q3"),
        ("说明：位次为增速在全市的位次", 1, "说明：位次为增速在全市的位次"),
    ],
)
def test_roll_text_keeps_each_labels_style(text: str, quarters: int, expected: str) -> None:
    assert roll_text(text, quarters) == expected


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("2026Q3", Period(2026, 1, 9)),
        ("青川县2026年1-6月", Period(2026, 1, 6)),
        ("2025年四季度", Period(2025, 1, 12)),
        ("1-9月", Period(None, 1, 9)),
        ("三季度", Period(None, 1, 9)),
        ("二季度", Period(None, 1, 6)),
        ("2026年8月", Period(2026, 1, 8)),
        ("8月", Period(None, 1, 8)),
        ("2026年1-8月", Period(2026, 1, 8)),
        ("排名图", None),
        ("全年目标", None),
    ],
)
def test_period_of_sheet_name(name: str, period: Period | None) -> None:
    assert period_of_name(name) == period


def test_rename_for_the_next_period() -> None:
    assert rename_for("青川县2026年1-9月", Period(2026, 1, 12)) == "青川县2026年1-12月"
    assert rename_for("2026Q3", Period(2026, 1, 12)) == "2026Q4"


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("='2026Q3'!B11", "='2026Q4'!B11"),
        ("=2026Q3!B11*2", "='2026Q4'!B11*2"),
        (
            "=TJ_RANK_CHANGE(K4,'青川县2026年1-6月'!K4)",
            "=TJ_RANK_CHANGE(K4,'青川县2026年1-9月'!K4)",
        ),
        ("=SUM('2026Q3'!B6:B14)", "=SUM('2026Q4'!B6:B14)"),
        ("='2026Q3'!A1&\"见'2026Q3'!A1\"", "='2026Q4'!A1&\"见'2026Q3'!A1\""),
        ("='2025Q1'!B6", "='2025Q1'!B6"),
        ("=E4-F4", "=E4-F4"),
    ],
)
def test_repoint_formula(formula: str, expected: str) -> None:
    rename = {"2026Q3": "2026Q4", "青川县2026年1-6月": "青川县2026年1-9月"}
    assert repoint_formula(formula, rename) == expected


@given(
    st.integers(2000, 2098),
    st.integers(1, 4),
    st.integers(-8, 8),
    st.sampled_from(["{y}Q{q}", "{y}年1-{m}月", "城关区{y}年1-{m}月", "{y}年{w}季度分析"]),
)
def test_rolling_there_and_back(year: int, quarter: int, step: int, style: str) -> None:
    text = style.format(y=year, q=quarter, m=quarter * 3, w="一二三四"[quarter - 1])
    family = "quarter" if "季度" in style else None  # a workbook that writes 二季度, 三季度
    moved = roll_text(text, step, family=family)
    assert roll_text(moved, -step, family=family) == text
    index = year * 4 + quarter - 1 + step
    assert period_of_name(moved) == Period(index // 4, 1, (index % 4 + 1) * 3)


@pytest.mark.parametrize(
    ("text", "steps", "expected"),
    [
        ("2026年1-7月", 1, "2026年1-8月"),
        ("示例市2026年1-7月各县区主要指标", 1, "示例市2026年1-8月各县区主要指标"),
        ("2026年1-12月", 1, "2027年1-2月"),
        ("2026年8月", 1, "2026年9月"),
        ("8月份", -1, "7月份"),
        ("本期1-8月，上期1-7月", 1, "本期1-9月，上期1-8月"),
    ],
)
def test_monthly_rolling(text: str, steps: int, expected: str) -> None:
    assert roll_text(text, steps, step=1) == expected


def test_a_quarter_workbook_continues_its_own_words() -> None:
    assert roll_text("一季度", 1, family="quarter") == "二季度"
    assert roll_text("一季度", 1, family="words") == "上半年"
    assert rename_for("一季度", Period(2026, 1, 6), family="quarter") == "二季度"
    assert rename_for("一季度", Period(2026, 1, 6)) == "上半年"


def titles(mapping: dict[str, str]):
    return lambda name: mapping.get(name, "")


def test_year_from_the_title_first() -> None:
    sheets = read_period_sheets(
        ["一季度", "上半年"],
        titles({"一季度": "示例市2026年一季度对比表", "上半年": "示例市2026年上半年对比表"}),
        "示例市2025年主要指标.xlsx",
    )
    assert [(s.period, s.year_from) for s in sheets.sheets] == [
        (Period(2026, 1, 3), "标题"),
        (Period(2026, 1, 6), "标题"),
    ]
    assert (sheets.step, sheets.family, sheets.latest()) == (3, "words", Period(2026, 1, 6))
    assert sheets.previous("上半年") == "一季度" and sheets.previous("一季度") is None
    assert sheets.label(Period(2026, 1, 9)) == "2026年前三季度"


def test_year_from_the_file_name_then_the_neighbours() -> None:
    sheets = read_period_sheets(["三季度", "四季度"], None, "/x/2026年经济指标.xlsx")
    assert [(s.period, s.year_from) for s in sheets.sheets] == [
        (Period(2026, 1, 9), "文件名"),
        (Period(2026, 1, 12), "文件名"),
    ]
    assert sheets.family == "quarter"
    sheets = read_period_sheets(["2025年四季度", "一季度", "二季度", "说明"])
    assert [(s.period, s.year_from) for s in sheets.sheets] == [
        (Period(2025, 1, 12), "名称"),
        (Period(2026, 1, 3), "相邻工作表"),
        (Period(2026, 1, 6), "相邻工作表"),
    ]
    assert sheets.previous("一季度") == "2025年四季度"
    sheets = read_period_sheets(["上半年", "2026年前三季度"])
    assert sheets.sheets[0].period == Period(2026, 1, 6)


def test_without_any_year_the_tab_order_is_the_time_order() -> None:
    sheets = read_period_sheets(["四季度", "一季度", "二季度"])
    assert [s.period.year for s in sheets.sheets] == [None, None, None]
    assert [s.year_from for s in sheets.sheets] == ["", "", ""]
    assert sheets.latest() == Period(None, 1, 6)
    assert sheets.previous("一季度") == "四季度" and sheets.previous("二季度") == "一季度"


@pytest.mark.parametrize(
    ("names", "step"),
    [
        (["2026Q2", "2026Q3"], 3),
        (["2026年1-3月", "2026年1-6月"], 3),
        (["2026年1-6月", "2026年1-7月"], 1),
        (["2026年1-8月"], 1),
        (["2026年7月", "2026年8月"], 1),
        (["8月"], 1),
        (["上半年"], 3),
        (["2026年1-6月"], None),
        (["2026年1-3月", "2026年1-9月"], None),
    ],
)
def test_the_workbook_step(names: list[str], step: int | None) -> None:
    sheets = read_period_sheets(names)
    assert sheets.step == step
    assert sheets.steps() == ([step] if step else [1, 3])


def test_previous_sheet_of_the_same_shape_and_across_a_gap() -> None:
    names = ["2026年1-6月", "青川县2026年1-6月", "2026年1-7月", "青川县2026年1-7月", "2026年1-9月"]
    sheets = read_period_sheets(names)
    assert sheets.previous("青川县2026年1-7月") == "青川县2026年1-6月"
    assert sheets.previous("2026年1-7月") == "2026年1-6月"
    assert sheets.previous("2026年1-9月") is None  # 1-8月 is missing: no rank change


@given(
    st.integers(2000, 2098),
    st.integers(2, 12),
    st.integers(-14, 14),
    st.sampled_from(["{y}年1-{m}月", "城关区{y}年{m}月", "{y}年1—{m}月份对比表"]),
)
def test_monthly_rolling_there_and_back(year: int, month: int, step: int, style: str) -> None:
    text = style.format(y=year, m=month)
    moved = roll_text(text, step, step=1)
    assert roll_text(moved, -step, step=1) == text
    index = year * 11 + month - 2 + step
    assert period_of_name(moved) == Period(index // 11, 1, index % 11 + 2)
