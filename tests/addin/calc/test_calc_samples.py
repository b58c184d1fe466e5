"""The sample city workbook (built by workbooks/samples, not written for these tests): every
formula cell Calc computes with the extension equals what ``tongji compute`` writes."""

from __future__ import annotations

import math

from openpyxl import load_workbook

from tests.addin.calc.libreoffice_calc import cell_result
from workbooks.compute import compute_file


def same(got, want) -> bool:
    if isinstance(got, float) and isinstance(want, (int, float)):
        return math.isclose(got, float(want), rel_tol=1e-12, abs_tol=1e-12)
    return got == want


def test_sample_workbook_computes_in_calc_as_tongji_compute(calc, sample_files, tmp_path):
    source = sample_files["workbook"]
    computed = tmp_path / "computed.xlsx"
    compute_file(source, computed)
    ours = load_workbook(computed, data_only=True)
    formulas = load_workbook(source)
    [opened] = calc.run([{"open": str(source), "read": True}])
    compared = tj_cells = 0
    for ws in formulas:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                want = ours[ws.title][cell.coordinate].value
                want = None if want == "" else want
                got = cell_result(opened["sheets"][ws.title][cell.coordinate])
                assert same(got, want), (ws.title, cell.coordinate, cell.value, got, want)
                compared += 1
                tj_cells += "TJ_" in str(cell.value)
    assert tj_cells >= 100 and compared >= tj_cells
