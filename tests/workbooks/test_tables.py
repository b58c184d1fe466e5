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


# --- the table grammar (docs/table-grammar.md) ------------------------------------------------

from workbooks.tables import (  # noqa: E402
    LEVEL_RANK,
    POINTS,
    SHARE,
    VS_BENCHMARK,
    VS_PREVIOUS,
    TableError,
)


def described(table) -> list[tuple]:
    return [(c.col, c.indicator, c.measure, c.unit) for c in table.columns]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("增速%", ("", GROWTH, "%")),
        ("比上年增长±%", ("", GROWTH, "%")),
        ("比上年±(%)", ("", GROWTH, "%")),
        ("较上期(百分点)", ("", VS_PREVIOUS, "百分点")),
        ("比全市高低(百分点)", ("", VS_BENCHMARK, "百分点")),
        ("比全市±", ("", VS_BENCHMARK, None)),
        ("占比(%)", ("", SHARE, "%")),
        ("增长(百分点)", ("", POINTS, "百分点")),
        ("总量(亿元)", ("", CURRENT, "亿元")),
        ("总量位次", ("", LEVEL_RANK, None)),
        ("增速位次", ("", RANK, None)),
        ("上年同期", ("", BASE, None)),
        ("比上年同期增长(%)", ("", GROWTH, "%")),
        ("上年同期增速(%)", ("", "上期增速", "%")),
    ],
)
def test_measure_only_headers(header: str, expected: tuple) -> None:
    assert split_header(header) == expected


def test_one_row_measures_belong_to_the_indicator_on_their_left() -> None:
    grid = [
        [
            "县区",
            "地区生产总值(亿元)",
            "增长(%)",
            "位次",
            "一般公共预算收入(万元)",
            "上年同期",
            "增长(%)",
            "位次",
        ],
        ["甲县", 1.0, 2.0, None, 3.0, 2.5, 4.0, None],
    ]
    assert described(find_table(grid)) == [
        (2, "地区生产总值", CURRENT, "亿元"),
        (3, "地区生产总值", GROWTH, "%"),
        (4, "地区生产总值", RANK, None),
        (5, "一般公共预算收入", CURRENT, "万元"),
        (6, "一般公共预算收入", BASE, "万元"),
        (7, "一般公共预算收入", GROWTH, "%"),
        (8, "一般公共预算收入", RANK, None),
    ]


def test_two_rows_with_level_and_growth_ranks() -> None:
    grid = [
        ["地区", "地区生产总值", None, None, None, "位次升降"],
        [None, "总量(亿元)", "增速(%)", "总量位次", "增速位次", None],
        ["甲县", 1.0, 2.0, None, None, None],
    ]
    table = find_table(grid)
    assert table.header_depth == 2 and table.first_row == 3 and table.tally_col == 6
    assert described(table) == [
        (2, "地区生产总值", CURRENT, "亿元"),
        (3, "地区生产总值", GROWTH, "%"),
        (4, "地区生产总值", LEVEL_RANK, None),
        (5, "地区生产总值", RANK, None),
    ]


def test_unit_note_row_and_unit_row_under_the_header() -> None:
    grid = [
        ["各县区主要指标"],
        [None, None, "单位：亿元、%"],
        ["县区", "地区生产总值", "增长", "税收", "增长"],
        [None, None, "%", "万元", "%"],
        ["甲县", 1.0, 2.0, 3.0, 4.0],
    ]
    table = find_table(grid)
    assert table.title == "各县区主要指标" and table.unit_row == 4 and table.first_row == 5
    assert [(c.indicator, c.measure, c.unit) for c in table.columns] == [
        ("地区生产总值", CURRENT, "亿元"),
        ("地区生产总值", GROWTH, "%"),
        ("税收", CURRENT, "万元"),
        ("税收", GROWTH, "%"),
    ]


def test_derived_columns_are_not_indicators_inputs_or_growth() -> None:
    grid = [
        ["县区", "GDP(亿元)", "增速%", "较上期(百分点)", "比全市高低(百分点)", "三产占GDP比重(%)"],
        ["甲县", 1.0, 2.0, 0.1, -0.2, 40.0],
    ]
    table = find_table(grid)
    assert table.indicators() == ["GDP"]
    assert [c.measure for c in table.columns if c.derived] == [VS_PREVIOUS, VS_BENCHMARK, SHARE]


def test_a_target_growth_column_merged_over_both_header_rows_is_no_indicator() -> None:
    """「年度目标增速(%)」 standing over both header rows is a target: never ranked as a growth."""
    grid = [
        ["县区", "一般公共预算收入(万元)", None, None, "年度目标增速(%)"],
        [None, "本期累计", "增长(%)", "位次", None],
        ["甲县", 3101, 0.9, 1, 6.5],
        ["乙县", 3000, 0.5, 2, 6.5],
    ]
    table = find_table(grid)
    assert table.indicators() == ["一般公共预算收入"]
    assert [c.col for c in table.columns if c.derived] == [5]


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (["县区", "增长(%)", "GDP(亿元)"], "B1「增长(%)」"),  # no indicator on its left
        (["县区", "GDP(亿元)", "增长(%)", "增速(%)"], "D1「增速(%)」"),  # two growths of GDP
    ],
)
def test_a_header_not_understood_is_named(header: list, named: str) -> None:
    with pytest.raises(TableError) as caught:
        find_table([header, ["甲县", *[1.0] * (len(header) - 1)]], where="工作表「T」")
    assert named in str(caught.value) and "工作表「T」" in str(caught.value)


def test_an_unknown_sub_header_is_named() -> None:
    grid = [
        ["地区", "地区生产总值", None],
        [None, "增速(%)", "其他"],
        ["甲县", 1.0, 2.0],
    ]
    with pytest.raises(TableError, match="C2「其他」"):
        find_table(grid)


@pytest.mark.parametrize(
    "grid",
    [
        [["指标名称", "单位", "全市", "甲县", "乙县"], ["GDP", "亿元", 3.0, 1.0, 2.0]],
        [["指标", "甲县", "乙县", "丙县"], ["GDP增长(%)", 1.0, 2.0, 3.0]],
    ],
)
def test_transposed_tables_are_refused(grid: list) -> None:
    with pytest.raises(TableError, match="转置"):
        find_table(grid)


def test_a_one_row_drop_with_base_columns_after_each_indicator(tmp_path) -> None:
    from workbooks.drops import read_drop

    for encoding in ("utf-8-sig", "gb18030"):
        path = tmp_path / f"2026年1-9月_{encoding}.csv"
        path.write_text(
            "县区,一般公共预算收入(万元),上年同期,城镇居民人均可支配收入(元),上年同期\n"
            "甲县,120,100,30000,28000\n",
            encoding=encoding,
        )
        assert [(c.indicator, c.measure, c.unit) for c in read_drop(path).table.columns] == [
            ("一般公共预算收入", CURRENT, "万元"),
            ("一般公共预算收入", BASE, "万元"),
            ("城镇居民人均可支配收入", CURRENT, "元"),
            ("城镇居民人均可支配收入", BASE, "元"),
        ]
