"""An independent spreadsheet application reads our output: LibreOffice (skipped without it).

- Ordinary formulas: the values-only copy keeps them as formulas without cached values, so
  LibreOffice computes them itself; its results must equal ours.
- TJ_ cells: LibreOffice cannot run them, so it keeps our cached numbers: they must survive.
- Render: a PDF whose text holds the county names and figures, set in an embedded CJK font.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.libreoffice import convert, needs_libreoffice
from tests.workbooks.compute_fixtures import COUNTIES, FIRST, LAST, build
from udfs import growth
from workbooks.compute import compute_file, export_values_file
from workbooks.render import render

pytestmark = needs_libreoffice


def libreoffice_copy(source: Path, folder: Path) -> Path:
    """The workbook as LibreOffice saves it after opening (and recalculating) it."""
    return convert(source, "xlsx", folder, timeout=180)


def close(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return ((a in (None, "")) and (b in (None, ""))) or a == b


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lo")
    source = build(folder / "对比.xlsx")
    computed = folder / "computed.xlsx"
    compute_file(source, computed)
    values, _ = export_values_file(source, folder / "values.xlsx")
    return source, computed, values, folder


def test_libreoffice_computes_the_ordinary_formulas_as_we_do(workbooks):
    _source, computed, values, folder = workbooks
    theirs = load_workbook(libreoffice_copy(values, folder / "a"), data_only=True)
    ours = load_workbook(computed, data_only=True)
    formulas = load_workbook(values)
    compared = 0
    for ws in formulas:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f" or cell.coordinate in ("B12", "B13"):
                    continue  # the OFFSET cells: ours are deliberately not evaluated
                mine = ours[ws.title][cell.coordinate].value
                lo = theirs[ws.title][cell.coordinate].value
                assert close(mine, lo), (ws.title, cell.coordinate, cell.value, mine, lo)
                compared += 1
    assert compared >= 12 * 3 + 5 + 8


def test_tj_values_survive_a_libreoffice_round_trip(workbooks):
    _, computed, _, folder = workbooks
    back = load_workbook(libreoffice_copy(computed, folder / "b"), data_only=True)["对比"]
    survived = 0
    for i, (_, cur, base, _, _) in enumerate(COUNTIES):
        want = growth(cur, base)
        if isinstance(want, float):  # LibreOffice recomputes cells holding an error value
            assert close(back.cell(FIRST + i, 4).value, want)
            survived += 1
    assert survived == LAST - FIRST + 1 - 2


def test_render_pdf_has_the_counties_the_figures_and_a_cjk_font(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    source = build(tmp_path / "对比.xlsx")
    pdf = tmp_path / "对比.pdf"
    png = tmp_path / "对比.png"
    written = render(source, "对比", pdf=pdf, png=png)
    assert pdf in written and pdf.stat().st_size > 1000
    assert any(p.suffix == ".png" and p.stat().st_size > 1000 for p in written.files)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    for name, *_ in COUNTIES:
        assert name in text
    assert "各县区地区生产总值对比表" in text
    # growth shown with the cell's 0.0 format: 城关区 (152.31 / 140.02 − 1) × 100 → 8.8
    assert f"{growth(152.31, 140.02):.1f}" in text
    assert "#NAME?" not in text and "汇总" not in text  # only the requested sheet
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts and " yes " in fonts


def test_render_names_a_missing_sheet(tmp_path):
    from workbooks.compute import WorkbookProblem

    source = build(tmp_path / "对比.xlsx")
    with pytest.raises(WorkbookProblem, match="没有名为「排名」的工作表"):
        render(source, "排名", pdf=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
