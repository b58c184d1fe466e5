"""县区排名 on the sample workbook, checked against ranks computed here from the definition."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.libreoffice import convert, needs_libreoffice
from tests.workbooks.reference import competition_rank
from workbooks.file_host import open_file
from workbooks.rank import RankOptions, rank_sheet
from workbooks.samples.build import FIRST, FIRST_DATA_ROW, LAST, SUBS, peer_col, peer_name
from workbooks.samples.figures import indicators, quarter_periods, regions

PERIODS = quarter_periods(FIRST, LAST)
COUNTY_ROWS = range(FIRST_DATA_ROW + 1, FIRST_DATA_ROW + len(regions()))


def column(ws, col: int) -> list:
    return [ws.cell(r, col).value for r in COUNTY_ROWS]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label())
def test_sample_ranks_match_the_definition(sample_files: dict[str, Path], period) -> None:
    ws = openpyxl.load_workbook(sample_files["workbook"])[peer_name(period)]
    for i in range(len(indicators())):
        growth = column(ws, peer_col(i, 2))
        assert column(ws, peer_col(i, 3)) == competition_rank(growth)
        assert ws.cell(FIRST_DATA_ROW, peer_col(i, 3)).value == "—"  # 全市 not ranked


def test_rank_change_and_tally_against_previous_sheet(sample_files: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(sample_files["workbook"])
    now, before = wb["2026Q3"], wb["2026Q2"]
    tally_col = peer_col(len(indicators()), 0)
    ups = [0] * len(COUNTY_ROWS)
    downs = [0] * len(COUNTY_ROWS)
    for i in range(len(indicators())):
        changes = column(now, peer_col(i, 4))
        expected = [
            b - a
            for a, b in zip(
                column(now, peer_col(i, 3)), column(before, peer_col(i, 3)), strict=True
            )
        ]
        assert changes == expected
        for k, c in enumerate(expected):
            ups[k] += c > 0
            downs[k] += c < 0
    n = len(indicators())
    assert column(now, tally_col) == [
        f"{u}升{n - u - d}平{d}降" for u, d in zip(ups, downs, strict=True)
    ]
    assert (
        now.cell(FIRST_DATA_ROW + 1, peer_col(0, 4)).number_format
        == '"前移"0"位";"后退"0"位";"持平"'
    )


def test_first_period_has_no_rank_change(sample_files: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(sample_files["workbook"])["2025Q1"]
    assert column(ws, peer_col(0, 4)) == [None] * len(COUNTY_ROWS)


def test_top_and_bottom_three_are_conditionally_formatted_once(fresh: dict[str, Path]) -> None:
    book = open_file(fresh["workbook"])
    rank_sheet(book, "2026Q3")  # a second run adds no duplicate rules
    book.save(fresh["workbook"])
    ws = openpyxl.load_workbook(fresh["workbook"])["2026Q3"]
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules["E6:E14"] == [
        "AND(ISNUMBER(E6),E6<=3)",
        "AND(ISNUMBER(E6),E6>=COUNT($E$6:$E$14)-2)",
    ]
    assert len(rules) == len(indicators())


def test_ascending_and_published_figures(fresh: dict[str, Path]) -> None:
    book = open_file(fresh["workbook"])
    name = indicators()[0].name
    result = rank_sheet(
        book, "2026Q3", RankOptions(indicators=[name], ascending={name}, decimals=0)
    )
    ws = openpyxl.load_workbook(fresh["workbook"])["2026Q3"]  # the input file is unchanged
    growth = [round(v + 1e-9) for v in column(ws, peer_col(0, 2))]
    expected = competition_rank(growth, descending=False)
    assert list(result.ranks[name].values()) == [float(r) for r in expected]
    assert len(result.ranks) == 1


def test_chart_sheet(fresh: dict[str, Path], tmp_path: Path) -> None:
    book = open_file(fresh["workbook"])
    rank_sheet(book, "2026Q3", RankOptions(chart="地区生产总值"))
    out = book.save(tmp_path / "chart.xlsx")
    ws = openpyxl.load_workbook(out)["排名图"]
    ranks = [ws.cell(r, 3).value for r in range(3, 12)]
    assert ranks == sorted(ranks) and ws.cell(2, 1).value == "地区"
    import zipfile

    assert any(n.startswith("xl/charts/chart") for n in zipfile.ZipFile(out).namelist())


def test_table_without_rank_columns_gets_them_appended(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026Q3"
    rows = [
        ["县区", "GDP(亿元)", "GDP增长(%)", "税收增长(%)"],
        ["全市", 30, 5.0, 3.0],
        ["甲县", 10, 6.0, "—"],
        ["乙县", 8, 4.0, 2.0],
        ["丙县", 12, 6.0, 1.0],
    ]
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "t.xlsx")
    book = open_file(tmp_path / "t.xlsx")
    result = rank_sheet(book, "2026Q3")
    assert result.ranks["GDP"] == {"甲县": 1.0, "乙县": 3.0, "丙县": 1.0}
    assert result.ranks["税收"] == {"甲县": None, "乙县": 1.0, "丙县": 2.0}
    grid = book.sheet("2026Q3").read()
    assert grid.values[0][4:6] == ["GDP位次", "税收位次"]
    assert [grid.get(r, 5) for r in (3, 4, 5)] == [1, 3, 1]
    assert SUBS[3] == "位次"


def test_rank_only_the_table_around_the_selection(tmp_path: Path) -> None:
    """Two peer tables on one sheet: ranking at a cell of the second leaves the first alone."""
    from openpyxl import Workbook

    from tests.workbooks.test_tables import TWO_TABLES

    wb = Workbook()
    ws = wb.active
    ws.title = "2026Q3"
    for line in TWO_TABLES:
        ws.append(line)
    path = tmp_path / "two.xlsx"
    wb.save(path)
    book = open_file(path)
    result = rank_sheet(book, "2026Q3", RankOptions(near_row=10))
    assert list(result.ranks) == ["城镇居民人均可支配收入"]
    names, growth = ["甲县", "乙县", "丙县"], [4.1, 5.2, 3.0]
    expected = dict(zip(names, competition_rank(growth), strict=True))
    assert result.ranks["城镇居民人均可支配收入"] == expected
    grid = book.sheet("2026Q3").read()
    # the first table got no rank column: its rows end where they began
    assert all(grid.get(r, 4) is None for r in range(2, 6))


@needs_libreoffice
def test_growth_formulas_are_ranked_on_the_values_saved_with_the_file(tmp_path: Path) -> None:
    """A table whose 增长 column is a formula, saved by a spreadsheet program (LibreOffice here)
    with its results: the ranks come from the saved results."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026Q3"
    ws.append(["县区", "税收(万元)", "税收上年同期(万元)", "税收增长(%)"])
    for k, (name, now, base) in enumerate(
        [("全市", 300, 280), ("甲县", 110, 100), ("乙县", 95, 100), ("丙县", 95, 80)], start=2
    ):
        ws.append([name, now, base, f"=(B{k}/C{k}-1)*100"])
    wb.save(tmp_path / "raw.xlsx")
    book = open_file(convert(tmp_path / "raw.xlsx", "xlsx", tmp_path / "saved", timeout=180))
    result = rank_sheet(book, "2026Q3")
    growth = [10.0, -5.0, 18.75]
    assert list(result.ranks["税收"].values()) == [float(r) for r in competition_rank(growth)]
    assert book.sheet("2026Q3").read().is_formula(3, 4)  # the formulas stay formulas


def test_growth_formulas_the_engine_cannot_evaluate_are_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["县区", "税收增长(%)", "GDP增长(%)"])
    ws.append(["甲县", "=1+1", 5.0])
    ws.append(["乙县", '=WEBSERVICE("http://example.com")', 6.0])
    wb.save(tmp_path / "t.xlsx")
    result = rank_sheet(open_file(tmp_path / "t.xlsx"), "Sheet")
    assert "税收" not in result.ranks and result.ranks["GDP"] == {"甲县": 2.0, "乙县": 1.0}
    assert any("Sheet!B3" in n and "未排位" in n for n in result.notes)


def test_an_indicator_that_cannot_be_ranked_keeps_no_old_rank(tmp_path: Path) -> None:
    """Its 位次 cells are emptied (the note says why), never left from other figures."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["县区", "税收增长(%)", "位次"])
    ws.append(["甲县", '=WEBSERVICE("http://example.com")', 2])
    ws.append(["乙县", 3.0, 1])
    wb.save(tmp_path / "t.xlsx")
    book = open_file(tmp_path / "t.xlsx")
    result = rank_sheet(book, "Sheet")
    assert any("未排位" in n for n in result.notes)
    saved = openpyxl.load_workbook(book.save(tmp_path / "out.xlsx"))["Sheet"]
    assert [saved["C2"].value, saved["C3"].value] == [None, None]


def test_without_a_previous_period_old_changes_and_tallies_are_emptied(
    fresh: dict[str, Path],
) -> None:
    path = fresh["workbook"]
    wb = openpyxl.load_workbook(path)
    del wb["2026Q2"]  # the period before 2026Q3 is gone
    wb.save(path)
    book = open_file(path)
    result = rank_sheet(book, "2026Q3")
    assert result.previous_sheet is None and result.tallies == {}
    assert any("无法比较" in n for n in result.notes)
    ws = openpyxl.load_workbook(book.save(path))["2026Q3"]
    for i in range(len(indicators())):
        assert column(ws, peer_col(i, 4)) == [None] * len(COUNTY_ROWS)
    assert column(ws, peer_col(len(indicators()), 0)) == [None] * len(COUNTY_ROWS)


def test_a_next_period_table_that_cannot_be_read_stops_the_ranking(
    fresh: dict[str, Path],
) -> None:
    """Ranking 2026Q2 would change 2026Q3's 位次变化: a 2026Q3 table it cannot read stops it
    before anything is written."""
    from workbooks.tables import TableError

    path = fresh["workbook"]
    wb = openpyxl.load_workbook(path)
    ws = wb["2026Q3"]
    ws.cell(FIRST_DATA_ROW - 1, ws.max_column + 1, "情况ABC")
    wb.save(path)
    book = open_file(path)
    before = [list(r) for r in book.sheet("2026Q2").read().values]
    with pytest.raises(TableError, match="情况ABC"):
        rank_sheet(book, "2026Q2")
    assert [list(r) for r in book.sheet("2026Q2").read().values] == before


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CELL = st.one_of(
    st.floats(-30, 30, allow_nan=False).map(lambda x: round(x, 1)),
    st.sampled_from([None, "—", "/", "X"]),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_CELL, st.booleans()), min_size=2, max_size=14))
def test_ranks_of_any_table_match_the_definition(rows: list[tuple]) -> None:
    """Random tables: ties, placeholders, aggregate rows anywhere."""
    from workbooks.file_host import FileBook

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026Q3"
    ws.append(["地区", "GDP增长(%)"])
    names = []
    for k, (value, aggregate) in enumerate(rows):
        name = "合计" if aggregate else f"县{k}"
        names.append(name)
        ws.append([name, value])
    book = FileBook.from_workbook(wb, "memory.xlsx")
    counties = [(n, v) for n, (v, agg) in zip(names, rows, strict=True) if not agg]
    if not counties:
        return
    result = rank_sheet(book, "2026Q3", RankOptions(highlight=False))
    numbers = [v if isinstance(v, float) else None for _, v in counties]
    expected = competition_rank(numbers)
    assert [result.ranks["GDP"].get(n) for n, _ in counties] == [
        float(r) if r is not None else None for r in expected
    ]
    for k, (_value, aggregate) in enumerate(rows):
        if aggregate:
            assert ws.cell(k + 2, 3).value is None  # aggregate rows get no rank


def test_a_county_with_nothing_to_compare_gets_no_tally(tmp_path: Path) -> None:
    """The previous period was never ranked: every 位次变化 is 无法比较, and the tally says
    nothing rather than 「0升0平0降」."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in ("2026Q2", "2026Q3"):
        ws = wb.create_sheet(name)
        ws.append(["县区", "GDP增长(%)", "位次", "位次变化", "位次升降"])
        ws.append(["甲县", 5.0, None, None, None])
        ws.append(["乙县", 6.0, None, None, None])
    wb.save(tmp_path / "t.xlsx")
    book = open_file(tmp_path / "t.xlsx")
    result = rank_sheet(book, "2026Q3")
    assert result.previous_sheet == "2026Q2"
    ws = openpyxl.load_workbook(book.save(tmp_path / "out.xlsx"))["2026Q3"]
    assert [ws["C2"].value, ws["C3"].value] == [2, 1]
    assert [ws["D2"].value, ws["D3"].value] == ["无法比较", "无法比较"]
    assert [ws["E2"].value, ws["E3"].value] == [None, None]
