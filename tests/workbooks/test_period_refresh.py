"""Refresh by the workbook's own period step: monthly (2026年1-7月 → 2026年1-8月), yearless
quarterly (上半年 → 前三季度), messages in the workbook's style, and drops without a period."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.workbooks import monthly
from tests.workbooks.monthly import COUNTY, FIRST_ROW, INDICATORS, REGIONS, col, figures, ranks
from tongji.cli import app
from udfs import Period
from workbooks.file_host import open_file
from workbooks.refresh import RefreshError, refresh


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def output(result) -> str:
    return " ".join(result.output.split())


def check_peer_sheet(ws, year: int, month: int, previous: int) -> None:
    """Inputs equal the drop; 位次 and 位次变化 as defined, against the previous period."""
    for k, region in enumerate(REGIONS):
        row = FIRST_ROW + k
        assert ws.cell(row, 1).value == region
        for i in range(len(INDICATORS)):
            got = [ws.cell(row, col(i, j)).value for j in range(3)]
            assert got == pytest.approx(list(figures(year, month, region, i)), abs=1e-9)
            if region == "全市":
                assert ws.cell(row, col(i, 3)).value is None
                continue
            now = ranks(year, month, i)[region]
            assert ws.cell(row, col(i, 3)).value == now, (region, i)
            assert ws.cell(row, col(i, 4)).value == ranks(year, previous, i)[region] - now


def test_monthly_workbook_rolls_one_month(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    drop = monthly.write_drop(
        tmp_path / "各县区.csv", monthly.drop_rows(2026, 8, "示例市2026年1-8月各县区主要指标")
    )
    book = open_file(path)
    result = refresh(book, drop)
    assert (result.mode, result.period) == ("new", Period(2026, 1, 8))
    assert result.sheets == ["2026年1-8月", f"{COUNTY}2026年1-8月"]
    assert result.label == "2026年1-8月"
    wb = openpyxl.load_workbook(book.save(tmp_path / "out.xlsx"))
    assert wb.sheetnames == [
        "2026年1-6月",
        "2026年1-7月",
        f"{COUNTY}2026年1-7月",
        "2026年1-8月",
        f"{COUNTY}2026年1-8月",
    ]
    ws = wb["2026年1-8月"]
    assert ws["A1"].value == "示例市2026年1-8月各县区主要指标对比表"
    check_peer_sheet(ws, 2026, 8, 7)
    county = wb[f"{COUNTY}2026年1-8月"]
    assert (county["A1"].value, county["B2"].value) == (
        f"{COUNTY}2026年1-8月主要指标",
        "2026年1-8月",
    )
    growth = openpyxl.utils.get_column_letter(col(0, 2))
    row = FIRST_ROW + REGIONS.index(COUNTY)
    assert county["B4"].value == f"='2026年1-8月'!{growth}{row}"
    assert county["C4"].value == f"='2026年1-7月'!{growth}{row}"
    assert county["D4"].value == "=B4-C4"
    assert wb[f"{COUNTY}2026年1-7月"]["B4"].value == f"='2026年1-7月'!{growth}{row}"


def test_monthly_workbook_refuses_a_drop_that_skips_a_month(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    drop = monthly.write_drop(tmp_path / "2026年1-9月.csv", monthly.drop_rows(2026, 9, None))
    with pytest.raises(RefreshError, match="应为 2026年1-8月"):
        refresh(open_file(path), drop)


def test_yearless_quarterly_workbook_rolls_to_the_next_words(tmp_path: Path) -> None:
    path = monthly.build(
        tmp_path / "季报.xlsx",
        [3, 6],
        name=monthly.words_name,
        label=lambda y, m: f"{y}年{monthly.words_name(y, m)}",
    )
    drop = monthly.write_drop(tmp_path / "2026年1-9月数据.csv", monthly.drop_rows(2026, 9, None))
    book = open_file(path)
    result = refresh(book, drop)
    assert result.sheets == ["前三季度", f"{COUNTY}前三季度"]
    assert (result.period, result.label) == (Period(2026, 1, 9), "2026年前三季度")
    wb = openpyxl.load_workbook(book.save(tmp_path / "out.xlsx"))
    ws = wb["前三季度"]
    assert ws["A1"].value == "示例市2026年前三季度各县区主要指标对比表"
    check_peer_sheet(ws, 2026, 9, 6)
    county = wb[f"{COUNTY}前三季度"]
    assert county["B2"].value == "2026年前三季度"
    assert county["C4"].value.startswith("='上半年'!")


def test_yearless_drop_takes_the_workbook_year(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    drop = monthly.write_drop(tmp_path / "1-8月.csv", monthly.drop_rows(2026, 8, None))
    result = refresh(open_file(path), drop)
    assert (result.mode, result.period) == ("new", Period(2026, 1, 8))


def test_period_option_names_the_period_as_the_workbook_does(tmp_path: Path) -> None:
    """-p 2026Q4 with a 1-12月 drop: the months-named workbook says 2026年1-12月, never 10-12月."""
    path = monthly.build(tmp_path / "季报.xlsx", [6, 9])
    drop = monthly.write_drop(tmp_path / "2026年1-12月.csv", monthly.drop_rows(2026, 12, None))
    result = invoke("refresh", str(path), "--data", str(drop), "-p", "2026Q4")
    assert result.exit_code == 0, result.output
    assert f"新建 2026年1-12月：2026年1-12月、{COUNTY}2026年1-12月" in output(result)
    assert "10-12月" not in result.output


def test_period_option_on_a_q_named_workbook(fresh: dict[str, Path]) -> None:
    result = invoke("refresh", str(fresh["workbook"]), "--data", str(fresh["csv"]), "-p", "2026Q4")
    assert result.exit_code == 0, result.output
    assert "新建 2026Q4：" in output(result) and "10-12月" not in result.output


def test_period_option_that_contradicts_the_drop(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    drop = monthly.write_drop(tmp_path / "2026年1-8月.csv", monthly.drop_rows(2026, 8, None))
    original = path.read_bytes()
    result = invoke("refresh", str(path), "--data", str(drop), "-p", "2026Q3", "--in-place")
    assert result.exit_code == 2
    assert "不一致" in output(result) and path.read_bytes() == original


def test_drop_without_a_period_is_refused(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    drop = monthly.write_drop(tmp_path / "各县区数据.csv", monthly.drop_rows(2026, 8, None))
    original = path.read_bytes()
    result = invoke("refresh", str(path), "--data", str(drop), "--in-place")
    assert result.exit_code == 2
    message = output(result)
    assert "找不到期别" in message and "--period" in message
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["各县区数据.csv", "月报.xlsx"]
    # with --period it goes through
    result = invoke("refresh", str(path), "--data", str(drop), "-p", "2026年1-8月")
    assert result.exit_code == 0, result.output
    assert "新建 2026年1-8月" in output(result)


def test_period_in_a_period_cell(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    rows = [["报告期：", "2026年1-8月"], *monthly.drop_rows(2026, 8, None)]
    drop = monthly.write_drop(tmp_path / "各县区数据.csv", rows)
    assert refresh(open_file(path), drop).period == Period(2026, 1, 8)


def test_title_and_file_name_that_disagree_are_refused(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    rows = monthly.drop_rows(2026, 8, "示例市2026年1-8月各县区主要指标")
    drop = monthly.write_drop(tmp_path / "2026年1-7月.csv", rows)
    with pytest.raises(ValueError, match="期别不一致"):
        refresh(open_file(path), drop)


def test_single_month_drop_never_fills_a_cumulative_workbook(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    drop = monthly.write_drop(tmp_path / "2026年8月当月.csv", monthly.drop_rows(2026, 8, None))
    with pytest.raises(RefreshError, match="口径不同"):
        refresh(open_file(path), drop)


def test_revision_of_a_monthly_period_recomputes_the_next_rank_change(tmp_path: Path) -> None:
    path = monthly.build(tmp_path / "月报.xlsx", [6, 7])
    rows = monthly.drop_rows(2026, 6, "2026年1-6月")
    drop = monthly.write_drop(tmp_path / "修订.csv", rows)
    book = open_file(path)
    result = refresh(book, drop)
    assert (result.mode, result.sheets, result.label) == ("revise", ["2026年1-6月"], "2026年1-6月")
    assert [r.sheet for r in result.ranks] == ["2026年1-6月"]
    assert result.ranks[0].next_sheet == "2026年1-7月"  # its 位次变化 brought up to date
    wb = openpyxl.load_workbook(book.save(tmp_path / "out.xlsx"))
    check_peer_sheet(wb["2026年1-7月"], 2026, 7, 6)
