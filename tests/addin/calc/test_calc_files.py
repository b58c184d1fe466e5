"""Files travel between Excel and Calc: a workbook saved by Calc keeps Excel's ``TJ_`` names
in .xlsx and .ods, opens again in Calc with the same values, and ``tongji compute`` gives the
same values from Calc's .xlsx (skipped without LibreOffice)."""

from __future__ import annotations

import math
import zipfile

import pytest
from openpyxl import load_workbook

from tests.addin.calc.cases import AMBIGUOUS_CASES, SINGLE_CASES, excel_value
from tests.addin.calc.libreoffice_calc import cell_result
from workbooks.compute import compute_file


def same(got, want) -> bool:
    if isinstance(got, float) and isinstance(want, float):
        return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12)
    return got == want


def test_calc_saves_the_excel_names_in_xlsx(calc_book):
    _, _, saved = calc_book
    with zipfile.ZipFile(saved["xlsx"]) as package:
        sheets = b"".join(
            package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/sheet")
        ).decode()
    assert "<f" in sheets and "TJ_GROWTH(B1,C1)</f>" in sheets
    assert 'ref="D1:D6"' in sheets and "TJ_GROWTH(A1:A6,B1:B6)</f>" in sheets
    assert "ORG.TONGJI" not in sheets.upper()


def test_calc_saves_the_excel_names_in_ods(calc_book):
    _, _, saved = calc_book
    with zipfile.ZipFile(saved["ods"]) as package:
        content = package.read("content.xml").decode()
    assert 'table:formula="of:=TJ_GROWTH([.B1];[.C1])"' in content
    assert "ORG.TONGJI" not in content.upper()


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_workbook_saved_by_calc_computes_again_in_calc(calc, calc_book, kind):
    expected, _, saved = calc_book
    [again] = calc.run([{"open": str(saved[kind]), "read": True}])
    for sheet, cells in expected.items():
        for address, want in cells.items():
            got = cell_result(again["sheets"][sheet][address])
            assert same(got, want), (kind, sheet, address, got, want)


def test_round_trip_through_calc_then_tongji_compute(calc_book, tmp_path):
    """.xlsx → Calc → .xlsx → tongji compute: the values Calc showed, cell for cell."""
    expected, sheets, saved = calc_book
    computed = tmp_path / "computed.xlsx"
    compute_file(saved["xlsx"], computed)
    book = load_workbook(computed, data_only=True)
    refused = {
        f"G{row}": excel_value(*case)
        for row, case in enumerate(AMBIGUOUS_CASES, start=len(SINGLE_CASES) + 1)
    }
    compared = 0
    for sheet, cells in expected.items():
        for address, want in cells.items():
            ours = book[sheet][address].value
            ours = None if ours == "" else ours
            if sheet == "单元格" and address in refused:
                # an empty argument Calc refuses to guess: tongji compute knows it, as Excel
                assert same(ours, refused[address]), (sheet, address, ours)
                assert cell_result(sheets[sheet][address]) == "#VALUE!"
            else:
                assert same(ours, want), (sheet, address, ours, want)
                assert same(ours, cell_result(sheets[sheet][address])), (sheet, address)
            compared += 1
    assert compared == sum(len(c) for c in expected.values())
