import pytest

from workbooks.tables import (
    BASE,
    CHANGE,
    CURRENT,
    GROWTH,
    RANK,
    find_table,
    is_aggregate,
    split_header,
)


@pytest.mark.parametrize(
    ("name", "aggregate"),
    [
        ("全市", True),
        ("全 市", True),
        ("全省", True),
        ("全国", True),
        ("合计", True),
        ("总计", True),
        ("市本级", True),
        ("全市合计", True),
        ("城关区", False),
        ("临江市", False),
        ("青川县", False),
        ("全椒县", False),
    ],
)
def test_aggregate_rows(name: str, aggregate: bool) -> None:
    assert is_aggregate(name) is aggregate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("地区生产总值增长(%)", ("地区生产总值", GROWTH, "%")),
        ("地区生产总值本期累计（万元）", ("地区生产总值", CURRENT, "万元")),
        ("一般公共预算收入上年同期(万元)", ("一般公共预算收入", BASE, "万元")),
        ("位次", ("", RANK, None)),
        ("位次变化", ("", CHANGE, None)),
        ("金融机构人民币存款余额(亿元)", ("金融机构人民币存款余额", None, "亿元")),
    ],
)
def test_split_header(header: str, expected: tuple) -> None:
    assert split_header(header) == expected


def test_single_row_table_with_trailing_note() -> None:
    grid = [
        ["示例市2026年1-9月"],
        ["县区", "GDP(亿元)", "GDP增长(%)"],
        ["全市", 10.0, 5.0],
        ["甲县", 4.0, 6.0],
        ["乙县", 6.0, 4.5],
        [None],
        ["注：数据为初步核算数"],
    ]
    table = find_table(grid)
    assert table.title == "示例市2026年1-9月"
    assert table.ranked_rows() == [4, 5]
    assert [(c.indicator, c.measure, c.unit) for c in table.columns] == [
        ("GDP", CURRENT, "亿元"),
        ("GDP", GROWTH, "%"),
    ]


TWO_TABLES = [
    ["表一 地区生产总值"],
    ["县区", "GDP(亿元)", "GDP增长(%)"],
    ["全市", 10.0, 5.0],
    ["甲县", 4.0, 6.0],
    ["乙县", 6.0, 4.5],
    [None],
    ["表二 居民收入"],
    ["地区", "城镇居民人均可支配收入(元)", "城镇居民人均可支配收入增长(%)"],
    ["甲县", 40000.0, 4.1],
    ["乙县", 42000.0, 5.2],
    ["丙县", 39000.0, 3.0],
]


@pytest.mark.parametrize(
    ("near_row", "header_row", "first_indicator"),
    [
        (None, 2, "GDP"),
        (4, 2, "GDP"),
        (1, 2, "GDP"),
        (7, 8, "城镇居民人均可支配收入"),
        (10, 8, "城镇居民人均可支配收入"),
    ],
)
def test_the_table_around_the_selection(near_row, header_row, first_indicator) -> None:
    table = find_table(TWO_TABLES, near_row=near_row)
    assert table.header_row == header_row
    assert table.columns[0].indicator == first_indicator
