"""The file host's formula results: always those of the values written so far."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from workbooks.file_host import open_file


def _book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws.append(["县区", "本期", "上年同期", "增长", "位次", "合计"])
    ws.append(["甲县", 110.0, 100.0, "=(B2/C2-1)*100", None, "=SUM(B2:B3)"])
    ws.append(["乙县", 90.0, 100.0, "=(B3/C3-1)*100", None, None])
    path = tmp_path / "表.xlsx"
    wb.save(path)
    return path


def test_constants_no_formula_reads_keep_the_results(tmp_path: Path) -> None:
    book = open_file(_book(tmp_path))
    book.recompute()
    sheet = book.sheet("表")
    sheet.write_values(2, 5, [[1], [2]])  # 位次: no formula reads it
    grid = sheet.read()
    assert round(grid.get(2, 4), 9) == 10.0 and round(grid.get(3, 4), 9) == -10.0
    assert grid.get(2, 6) == 200.0


def test_a_written_input_changes_the_results_it_feeds(tmp_path: Path) -> None:
    book = open_file(_book(tmp_path))
    book.recompute()
    sheet = book.sheet("表")
    sheet.write_values(2, 5, [[1]])
    sheet.write_values(3, 2, [[120.0]])  # 乙县 本期: read by D3 and by the SUM over B2:B3
    assert sheet.read().get(3, 4) is None  # never the stale -10 before recomputing
    book.recompute()
    grid = sheet.read()
    assert round(grid.get(3, 4), 9) == 20.0
    assert grid.get(2, 6) == 230.0


def test_a_formula_replaced_by_a_constant_is_evaluated_again(tmp_path: Path) -> None:
    book = open_file(_book(tmp_path))
    book.recompute()
    sheet = book.sheet("表")
    sheet.write_values(2, 4, [[55.0]])  # the growth formula of 甲县 overwritten
    book.recompute()
    assert sheet.read().get(2, 4) == 55.0
    saved = book.save(tmp_path / "out.xlsx")
    values = openpyxl.load_workbook(saved, data_only=True)["表"]
    assert values["D2"].value == 55.0 and round(values["D3"].value, 9) == -10.0
