import pytest

from udfs import Period
from workbooks.period_names import period_of_name, rename_for, repoint_formula, roll_text


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
        ("1-9月", None),
        ("排名图", None),
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


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(
    st.integers(2000, 2098),
    st.integers(1, 4),
    st.integers(-8, 8),
    st.sampled_from(["{y}Q{q}", "{y}年1-{m}月", "城关区{y}年1-{m}月", "{y}年{w}季度分析"]),
)
def test_rolling_there_and_back(year: int, quarter: int, step: int, style: str) -> None:
    text = style.format(y=year, q=quarter, m=quarter * 3, w="一二三四"[quarter - 1])
    moved = roll_text(text, step)
    assert roll_text(moved, -step) == text
    index = year * 4 + quarter - 1 + step
    assert period_of_name(moved) == Period(index // 4, 1, (index % 4 + 1) * 3)
