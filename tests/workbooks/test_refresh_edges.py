"""Refresh on small workbooks built here: an aggregate row of formulas, figures written as
text, whole numbers in the sheet, a table whose name repeats a county."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from workbooks.file_host import open_file
from workbooks.refresh import refresh
from workbooks.tables import TableError

COUNTIES = {"甲县": (21000, 20000), "乙县": (18000, 17500), "丙县": (30000, 27000)}


def workbook(path: Path, share_as_text: bool = False) -> Path:
    """Sheet 2026Q2: 县区 | 收入(万元) | 上年同期 | 增长(%) | 位次 | 占比(%); 全市 = SUM of the
    counties, growth and share as formulas except where said."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026Q2"
    ws.append(["示例市2026年1-6月各县区一般公共预算收入"])
    ws.append(["县区", "一般公共预算收入(万元)", "上年同期", "增长(%)", "位次", "占比(%)"])
    ws.append(["全市", "=SUM(B4:B6)", "=SUM(C4:C6)", "=(B3/C3-1)*100", None, 100])
    for row, (name, (now, base)) in enumerate(COUNTIES.items(), start=4):
        share = "33.3" if share_as_text and name == "甲县" else f"=B{row}/$B$3*100"
        ws.append([name, now, base, f"=(B{row}/C{row}-1)*100", None, share])
    wb.save(path)
    return path


def drop(path: Path, header: str = "一般公共预算收入(万元)", regions=COUNTIES) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(["示例市2026年1-9月各县区一般公共预算收入"])
        out.writerow(["县区", header, "上年同期"])
        for name, (now, base) in regions.items():
            out.writerow([name, now * 1.5, base * 1.5])
    return path


def test_an_aggregate_row_of_formulas_needs_no_row_in_the_drop(tmp_path: Path) -> None:
    book = open_file(workbook(tmp_path / "表.xlsx"))
    result = refresh(book, drop(tmp_path / "2026年1-9月.csv"))
    assert result.sheets == ["2026Q3"] and result.cells_filled == 6
    ws = openpyxl.load_workbook(book.save(tmp_path / "out.xlsx"), data_only=True)["2026Q3"]
    assert ws["B3"].value == sum(now for now, _ in COUNTIES.values()) * 1.5


def test_a_figure_written_as_text_is_not_carried_into_the_new_period(tmp_path: Path) -> None:
    book = open_file(workbook(tmp_path / "表.xlsx", share_as_text=True))
    result = refresh(book, drop(tmp_path / "2026年1-9月.csv"))
    ws = openpyxl.load_workbook(book.save(tmp_path / "out.xlsx"))["2026Q3"]
    assert ws["F4"].value is None  # 「33.3」 of the second quarter is gone
    assert any(note.address.endswith("F4") for note in result.cleared_cells)


def test_a_drop_without_units_is_checked_against_whole_numbers(tmp_path: Path) -> None:
    book = open_file(workbook(tmp_path / "表.xlsx"))
    result = refresh(book, drop(tmp_path / "2026年1-9月.csv", header="一般公共预算收入"))
    assert result.cells_filled == 6  # the same magnitude as the sheet's 21000, 18000 …


def test_a_county_named_twice_in_a_table_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "表.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["2026Q2"]["A6"] = "乙县"
    wb.save(path)
    book = open_file(path)
    with pytest.raises(TableError, match="乙县"):
        refresh(book, drop(tmp_path / "2026年1-9月.csv"))
    assert book.sheet_names() == ["2026Q2"]
