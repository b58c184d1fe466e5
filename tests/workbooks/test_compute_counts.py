"""What compute and export-values report and write for a workbook mixing every kind of formula
cell: results of each type, failures (an unknown function, a circular reference, an external
link, a failed cell read from another sheet), array formulas that work and one that fails, and
``TJ_`` calls next to a text that merely contains "TJ_". The expected counts are those of the
cells listed here."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from workbooks.compute import compute_file, export_values_file

WRITTEN = {
    "表": ["C1", "C5", "C6", "C7", "D1", "D2", "D3", "F1", "F2", "F3", "G2", "G3", "H2", "H3"],
    "二": ["A1", "B1", "C1"],
}
FAILED = ["表!C2", "表!C3", "表!C4", "表!E1", "表!G1", "二!A2"]  # formula cells, no array member
ANCHORS_WRITTEN = 14  # WRITTEN less the array members 表!D2, 表!D3 and 二!C1
TJ_CELLS = ["F1", "F2"]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    for r in range(1, 8):
        ws.cell(r, 1, r * 1.5)
        ws.cell(r, 2, r)
    ws["C1"] = "=A1+B1"
    ws["C2"] = "=NOSUCHFUNC(A1)"
    ws["C3"], ws["C4"] = "=C4+1", "=C3+1"
    ws["C5"] = '=IF(A5>3,"高","低")'
    ws["C6"] = "=A6>3"
    ws["C7"] = "=1/0"
    ws["D1"] = ArrayFormula("D1:D3", "=A1:A3*2")
    ws["E1"] = ArrayFormula("E1:E2", "=NOSUCHFUNC(A1:A2)")
    ws["F1"], ws["F2"] = "=TJ_GROWTH(A2,A1)", "=TJ_GROWTH(A3,A2)"
    ws["F3"] = '="TJ_"&A1'
    ws["G1"] = "=[1]外部!A1"
    ws["G2"] = "=SUM(D1:D3)"
    ws["G3"] = '="a"&"<b>&"'
    ws["H2"], ws["H3"] = "=-0", "=2^70"
    other = wb.create_sheet("二")
    other["A1"] = "=表!C1*2"
    other["A2"] = "=表!C2"
    other["B1"] = ArrayFormula("B1:C1", "=表!A1:B1")
    path = tmp_path_factory.mktemp("counts") / "各种.xlsx"
    wb.save(path)
    return path


def _values(path):
    wb = load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def test_compute_counts_every_kind_of_cell(book, tmp_path):
    report = compute_file(book, tmp_path / "out.xlsx")
    assert report.formulas == len(WRITTEN["表"]) - 2 + len(WRITTEN["二"]) - 1 + len(FAILED)
    assert report.tj_formulas == len(TJ_CELLS)
    assert report.errors == 1  # 表!C7
    assert report.written == sum(len(cells) for cells in WRITTEN.values())
    assert report.replaced == 0
    assert sorted(report.failures) == sorted(FAILED)
    values = _values(tmp_path / "out.xlsx")
    for sheet, cells in WRITTEN.items():
        for cell in cells:
            assert values[(sheet, cell)] is not None, (sheet, cell)
    for cell in [*FAILED, "表!E2"]:
        sheet, ref = cell.split("!")
        assert values[(sheet, ref)] is None, cell
    assert values[("表", "G3")] == "a<b>&"
    assert values[("表", "C6")] is True
    assert values[("表", "D3")] == 9.0
    assert values[("二", "C1")] == 1


@pytest.mark.parametrize("all_formulas", [False, True])
def test_export_counts_and_lists_failures_in_sheet_order(book, tmp_path, all_formulas):
    target, report = export_values_file(book, tmp_path / "out.xlsx", all_formulas=all_formulas)
    assert report.formulas == ANCHORS_WRITTEN + len(FAILED)
    assert report.tj_formulas == len(TJ_CELLS)
    assert report.errors == 1
    assert report.written == sum(len(cells) for cells in WRITTEN.values())
    assert report.replaced == (ANCHORS_WRITTEN if all_formulas else len(TJ_CELLS))
    # row by row, an array's members right after its formula
    assert list(report.failures) == ["表!E1", "表!E2", "表!G1", "表!C2", "表!C3", "表!C4", "二!A2"]
    assert report.failures["表!E2"] == report.failures["表!E1"]
    formulas = load_workbook(target)
    kept = {
        (ws.title, c.coordinate)
        for ws in formulas
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" or isinstance(c.value, ArrayFormula)
    }
    replaced = {("表", cell) for cell in TJ_CELLS}
    if all_formulas:
        replaced = {(sheet, cell) for sheet, cells in WRITTEN.items() for cell in cells}
    assert not kept & replaced
    failed = {tuple(cell.split("!")) for cell in FAILED}
    assert failed <= kept  # a formula without a value stays a formula
