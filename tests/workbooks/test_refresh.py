"""刷新季度表 end to end on the sample workbook: cell by cell against the drop's figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.libreoffice import convert, needs_libreoffice
from tests.workbooks.reference import competition_rank
from udfs import Period
from workbooks.drops import DropError
from workbooks.file_host import open_file
from workbooks.refresh import RefreshError, refresh
from workbooks.samples.build import DROP, FIRST_DATA_ROW, drop_rows, peer_col, write_csv
from workbooks.samples.figures import figure, indicators, regions
from workbooks.tables import TableError


def refreshed(fresh: dict[str, Path], drop: str, tmp_path: Path) -> Path:
    book = open_file(fresh["workbook"])
    result = refresh(book, fresh[drop])
    assert result.mode == "new" and result.sheets == ["2026Q4", "青川县2026年1-12月"]
    return book.save(tmp_path / "out.xlsx")


def snapshot(ws) -> dict:
    return {
        c.coordinate: (c.value, c.number_format)
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


@pytest.mark.parametrize("drop", ["csv", "gbk", "xlsx_wan"])
def test_new_sheet_inputs_equal_the_drop(fresh: dict[str, Path], tmp_path: Path, drop: str) -> None:
    wb = openpyxl.load_workbook(refreshed(fresh, drop, tmp_path))
    ws = wb["2026Q4"]
    for k, region in enumerate(regions()):
        row = FIRST_DATA_ROW + k
        assert ws.cell(row, 1).value == region
        for i, ind in enumerate(indicators()):
            f = figure(DROP, region, ind.name)
            got = [ws.cell(row, peer_col(i, j)).value for j in range(3)]
            assert got == pytest.approx([f.current, f.base, f.growth], abs=1e-9), (region, ind.name)
    assert ws["A1"].value == "示例市2026年1-12月各县区主要经济指标对比表"
    for i in range(len(indicators())):
        growth = [
            ws.cell(r, peer_col(i, 2)).value for r in range(FIRST_DATA_ROW + 1, FIRST_DATA_ROW + 10)
        ]
        ranks = [
            ws.cell(r, peer_col(i, 3)).value for r in range(FIRST_DATA_ROW + 1, FIRST_DATA_ROW + 10)
        ]
        assert ranks == competition_rank(growth)


def test_copy_keeps_formatting_and_old_sheets_are_untouched(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    before = openpyxl.load_workbook(fresh["workbook"])
    after = openpyxl.load_workbook(refreshed(fresh, "csv", tmp_path))
    assert after.sheetnames == [*before.sheetnames, "2026Q4", "青川县2026年1-12月"]
    for name in before.sheetnames:
        assert snapshot(after[name]) == snapshot(before[name]), name
    old, new = before["2026Q3"], after["2026Q4"]
    assert sorted(map(str, new.merged_cells.ranges)) == sorted(map(str, old.merged_cells.ranges))
    assert {k: d.width for k, d in new.column_dimensions.items()} == {
        k: d.width for k, d in old.column_dimensions.items()
    }
    assert (new.freeze_panes, new.print_title_rows, new.print_title_cols) == (
        old.freeze_panes,
        old.print_title_rows,
        old.print_title_cols,
    )
    assert (new.page_setup.orientation, new.page_setup.paperSize, new.page_setup.fitToHeight) == (
        old.page_setup.orientation,
        old.page_setup.paperSize,
        old.page_setup.fitToHeight,
    )
    assert [str(v.sqref) for v in new.data_validations.dataValidation] == [
        str(v.sqref) for v in old.data_validations.dataValidation
    ]
    assert {str(c.sqref) for c in new.conditional_formatting} == {
        str(c.sqref) for c in old.conditional_formatting
    }
    for coord in ("B6", "D6", "E6", "F6", "BE8"):
        assert new[coord].number_format == old[coord].number_format
        assert repr(new[coord].border) == repr(old[coord].border)
    assert repr(new["A3"].fill) == repr(old["A3"].fill) and repr(new["A1"].font) == repr(
        old["A1"].font
    )


def test_formulas_are_repointed_and_labels_rolled(fresh: dict[str, Path], tmp_path: Path) -> None:
    before = openpyxl.load_workbook(fresh["workbook"])["青川县2026年1-9月"]
    after = openpyxl.load_workbook(refreshed(fresh, "csv", tmp_path))["青川县2026年1-12月"]
    checked = 0
    for row in before.iter_rows():
        for c in row:
            value = c.value
            if isinstance(value, str) and value.startswith("="):
                expected = value.replace("'2026Q3'", "'2026Q4'").replace(
                    "'青川县2026年1-6月'", "'青川县2026年1-9月'"
                )
                assert after[c.coordinate].value == expected
                checked += 1
            elif isinstance(value, str):
                assert after[c.coordinate].value == value.replace("1-9月", "1-12月").replace(
                    "2026Q3", "2026Q4"
                )
            else:
                assert after[c.coordinate].value == value  # targets kept
    assert checked > 100
    assert after["B2"].value == "2026年1-12月"
    assert after["L4"].value == "=TJ_RANK_CHANGE(K4,'青川县2026年1-9月'!K4)"


BROKEN = {
    "unknown_county": ["第11行：地区「云台镇」", "缺少地区「云台县」"],
    "duplicate_row": ["第13行：地区「东山区」重复（与第5行相同）"],
    "text_in_number": ["第6行D列：「待核实」不是数字", "第8行K列：「=HYPERLINK("],
    "missing_indicator": ["缺少指标「地区生产总值」的数据列（本期、上年同期、增长）"],
}


@pytest.mark.parametrize("drop", sorted(BROKEN))
def test_broken_drop_changes_nothing(fresh: dict[str, Path], drop: str) -> None:
    path = fresh["workbook"]
    original = path.read_bytes()
    tongji = Path(sys.executable).with_name("tongji")
    run = subprocess.run(
        [str(tongji), "refresh", str(path), "--data", str(fresh[drop]), "--in-place"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 2
    message = " ".join(run.stderr.split())
    for part in BROKEN[drop]:
        assert part in message
    assert "工作簿未作任何修改" in message
    assert path.read_bytes() == original
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no backup, no temp file


def test_refreshing_twice_equals_refreshing_once(fresh: dict[str, Path], tmp_path: Path) -> None:
    once = refreshed(fresh, "csv", tmp_path)
    book = open_file(once)
    result = refresh(book, fresh["xlsx_wan"])  # same period, other file: revision in place
    assert result.mode == "revise"
    twice = book.save(tmp_path / "twice.xlsx")
    a, b = openpyxl.load_workbook(once), openpyxl.load_workbook(twice)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        sa, sb = snapshot(a[name]), snapshot(b[name])
        assert sa.keys() == sb.keys(), name
        for key, (value, fmt) in sa.items():
            other, other_fmt = sb[key]
            assert other == (
                pytest.approx(value, abs=1e-9) if isinstance(value, float) else value
            ), (name, key)
            assert fmt == other_fmt
        assert len(a[name].conditional_formatting) == len(b[name].conditional_formatting)


def test_revised_data_in_place_recomputes_ranks(fresh: dict[str, Path], tmp_path: Path) -> None:
    rows = drop_rows(Period(2026, 1, 9))
    qingchuan = next(r for r in rows if r[0] == "青川县")
    qingchuan[3] = 99.9  # 地区生产总值增长 revised: now first
    drop = write_csv(tmp_path / "2026年1-9月_修订.csv", rows)
    book = open_file(fresh["workbook"])
    result = refresh(book, drop)
    assert (result.mode, result.sheets, result.cells_filled) == ("revise", ["2026Q3"], 480)
    out = book.save(tmp_path / "revised.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["2026Q3"]
    row = FIRST_DATA_ROW + regions().index("青川县")
    assert ws.cell(row, 4).value == 99.9 and ws.cell(row, 5).value == 1
    previous_rank = wb["2026Q2"].cell(row, 5).value
    assert ws.cell(row, 6).value == previous_rank - 1
    assert len(wb.sheetnames) == len(openpyxl.load_workbook(fresh["workbook"]).sheetnames)


def test_drop_of_a_period_that_does_not_follow(fresh: dict[str, Path], tmp_path: Path) -> None:
    drop = write_csv(tmp_path / "2027年1-6月.csv", [["示例市2027年1-6月"], *drop_rows(DROP)[1:]])
    with pytest.raises(RefreshError, match="不衔接"):
        refresh(open_file(fresh["workbook"]), drop)


def test_unit_that_does_not_convert(fresh: dict[str, Path], tmp_path: Path) -> None:
    rows = drop_rows(DROP, {"亿元": "万美元"})
    with pytest.raises(DropError, match="单位「万美元」无法换算"):
        refresh(open_file(fresh["workbook"]), write_csv(tmp_path / "2026年1-12月.csv", rows))


@needs_libreoffice
def test_result_opens_in_libreoffice(fresh: dict[str, Path], tmp_path: Path) -> None:
    pdf = convert(refreshed(fresh, "xlsx_wan", tmp_path), "pdf", tmp_path / "pdf", timeout=180)
    assert pdf.stat().st_size > 10_000
    assert pdf.read_bytes().startswith(b"%PDF")


def test_formulas_in_the_input_area_are_kept(fresh: dict[str, Path], tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(fresh["workbook"])
    wb["2026Q3"]["B5"] = "=SUM(B6:B14)"  # 全市 GDP as the sum of the counties
    wb["2026Q3"]["C5"] = "='2025Q3'!B5"  # 上年同期 taken from last year's sheet
    wb.save(fresh["workbook"])
    out = refreshed(fresh, "csv", tmp_path)
    ws = openpyxl.load_workbook(out)["2026Q4"]
    assert ws["B5"].value == "=SUM(B6:B14)"
    assert ws["C5"].value == "='2025Q4'!B5"
    assert ws["B6"].value == figure(DROP, "城关区", "地区生产总值").current


def test_drop_as_people_type_it(fresh: dict[str, Path], tmp_path: Path) -> None:
    """No title (period from the file name), thousands separators, full-width digits, % signs,
    a placeholder, and a trailing 合计 row the sheet does not have."""
    rows = drop_rows(DROP)[1:]
    city = rows[1]
    city[1] = f"{city[1]:,.2f}"
    rows[2][3] = "４．６%"
    rows[3][4] = "—"
    rows.append(["合计", *rows[1][1:]])
    drop = write_csv(tmp_path / "2026Q4各县区.csv", rows)
    book = open_file(fresh["workbook"])
    result = refresh(book, drop)
    assert result.period == Period(2026, 1, 12)
    grid = book.sheet("2026Q4").read()
    assert grid.get(FIRST_DATA_ROW, 2) == figure(DROP, "全市", "地区生产总值").current
    assert grid.get(FIRST_DATA_ROW + 1, 4) == 4.6
    assert grid.get(FIRST_DATA_ROW + 2, peer_col(1, 0)) is None


def test_revision_never_ranks_stale_formula_results(fresh: dict[str, Path], tmp_path: Path) -> None:
    """After new inputs are written, a growth formula's saved result is out of date: it is not ranked."""
    from workbooks.file_host import FileSheet

    book = open_file(fresh["workbook"])
    sheet = book.sheet("2026Q3")
    assert isinstance(sheet, FileSheet)
    sheet.write_formulas(6, 4, [["=(B6/C6-1)*100"]])
    sheet.read().put(6, 4, 5.6)  # as if a saved result had been read with the file
    sheet.write_values(6, 2, [[300.0]])
    assert sheet.read().get(6, 4) is None


def long_rows(period: Period, wan_for: set[str] = frozenset()) -> list[list]:
    """The drop in long form: 地区 | 指标名称 | 计量单位 | 本期累计 | 上年同期 | 增长(%)."""
    rows: list[list] = [
        [f"示例市{period.label()}分县区指标"],
        ["地区", "指标名称", "计量单位", "本期累计", "上年同期", "增长(%)"],
    ]
    for region in regions():
        for ind in indicators():
            f = figure(period, region, ind.name)
            k = 1e4 if ind.unit == "亿元" and region in wan_for else 1.0
            unit = "万元" if k != 1.0 else ind.unit
            rows.append(
                [region, ind.name, unit, round(f.current * k, 6), round(f.base * k, 6), f.growth]
            )
    return rows


def test_long_drop_with_units_per_row(fresh: dict[str, Path], tmp_path: Path) -> None:
    drop = write_csv(tmp_path / "long.csv", long_rows(DROP, wan_for={"东山区", "云台县"}))
    book = open_file(fresh["workbook"])
    result = refresh(book, drop)
    assert (result.mode, result.cells_filled) == ("new", 480)
    grid = book.sheet("2026Q4").read()
    for k, region in enumerate(regions()):
        for i, ind in enumerate(indicators()):
            f = figure(DROP, region, ind.name)
            got = [grid.get(FIRST_DATA_ROW + k, peer_col(i, j)) for j in range(3)]
            assert got == pytest.approx([f.current, f.base, f.growth], abs=1e-9)


def test_long_drop_problems_name_the_file_rows(fresh: dict[str, Path], tmp_path: Path) -> None:
    rows = long_rows(DROP)
    rows[5][4] = "约3万"  # row 6 of the file: 上年同期 of 全市 第四个指标
    rows.append(list(rows[20]))  # a duplicate line
    del rows[30]  # a missing line
    drop = write_csv(tmp_path / "long.csv", rows)
    with pytest.raises(DropError) as caught:
        refresh(open_file(fresh["workbook"]), drop)
    text = str(caught.value)
    assert "第6行E列：「约3万」不是数字" in text
    assert f"地区「{rows[20][0]}」的指标「{rows[20][1]}」重复（与第21行相同）" in text
    assert "缺少指标" in text and "的数据行" in text


def _with_industry_table(path: Path) -> None:
    """Add a second peer table to the latest period (a sheet the main drop does not cover)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("2026Q3工业", index=wb.sheetnames.index("2026Q3") + 1)
    ws.append(["示例市2026年1-9月工业主要指标"])
    ws.append(["地区", "工业用电量本期累计(亿千瓦时)", "工业用电量增长(%)"])
    for k, region in enumerate(regions()):
        ws.append([region, 10.0 + k, 3.0 + k / 10])
    wb.save(path)


def test_second_table_not_in_the_drop_is_cleared_in_a_new_period(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    _with_industry_table(fresh["workbook"])
    book = open_file(fresh["workbook"])
    result = refresh(book, fresh["csv"])
    assert result.sheets == ["2026Q4", "2026Q3工业".replace("Q3", "Q4"), "青川县2026年1-12月"]
    assert result.cleared == ["2026Q4工业"] and result.data_sheet == "2026Q4"
    grid = book.sheet("2026Q4工业").read()
    assert grid.get(1, 1) == "示例市2026年1-12月工业主要指标"
    assert [grid.get(r, c) for r in range(3, 13) for c in (2, 3)] == [None] * 20
    assert book.sheet("2026Q3工业").read().get(3, 2) == 10.0  # the old sheet keeps its figures


def test_drop_covering_two_tables_fills_both(fresh: dict[str, Path], tmp_path: Path) -> None:
    _with_industry_table(fresh["workbook"])
    rows = drop_rows(DROP)
    rows[1] += ["工业用电量本期累计(亿千瓦时)", "工业用电量增长(%)"]
    for k, row in enumerate(rows[2:]):
        row += [20.0 + k, 5.5]
    book = open_file(fresh["workbook"])
    result = refresh(book, write_csv(tmp_path / "2026年1-12月_全部.csv", rows))
    assert result.cleared == [] and result.cells_filled == 480 + 20
    grid = book.sheet("2026Q4工业").read()
    assert [grid.get(r, 2) for r in range(3, 13)] == [20.0 + k for k in range(10)]


def test_revision_of_one_table_leaves_the_other_alone(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    _with_industry_table(fresh["workbook"])
    drop = write_csv(tmp_path / "2026年1-9月_修订.csv", drop_rows(Period(2026, 1, 9)))
    book = open_file(fresh["workbook"])
    result = refresh(book, drop)
    assert (result.mode, result.sheets, result.cleared) == ("revise", ["2026Q3"], [])
    assert book.sheet("2026Q3工业").read().get(3, 2) == 10.0


def test_a_period_sheet_whose_table_cannot_be_read_stops_the_refresh(
    fresh: dict[str, Path],
) -> None:
    """A header the reader does not understand is named; the latest period is not copied with
    last period's figures left in it, and nothing is changed."""
    path = fresh["workbook"]
    wb = openpyxl.load_workbook(path)
    ws = wb["2026Q3"]
    extra = ws.max_column + 1
    ws.cell(3, extra, "其他情况")
    ws.cell(4, extra, "情况ABC")
    wb.save(path)
    book = open_file(path)
    before = book.sheet_names()
    with pytest.raises(TableError, match="CE4「情况ABC」") as caught:
        refresh(book, fresh["csv"])
    assert "工作表「2026Q3」" in str(caught.value)
    assert book.sheet_names() == before
