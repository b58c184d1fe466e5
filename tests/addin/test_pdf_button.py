"""导出PDF on a live workbook: xlwings' remote engine holds the sample workbook (named by its
file, as desktop Excel names it), the button's handler prints the active sheet through
LibreOffice; the PDF is read back as the render tests read it (page size in points, every
character's printed size). The COM settings for desktop Excel without LibreOffice are checked
against the page setup the LibreOffice path writes into the sheet."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from addin.pdf_button import com_plan, export_pdf, pdf_name
from addin.ribbon import BUTTONS, handler_for
from addin.xlam.customui import GROUPS
from tests.addin.test_xlwings_remote import ROOT, SCRIPT
from tests.workbooks.test_render_layout import A3, _pages
from workbooks.compute import export_values_file
from workbooks.render import only_sheet, sheet_layout
from workbooks.samples.figures import indicators, regions

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")


def run(*args: str, path_variable: str | None = None) -> dict:
    """The remote session on this checkout's code; ``path_variable`` replaces PATH (to hide
    LibreOffice)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if path_variable is not None:
        env["PATH"] = path_variable
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def alerts(result: dict) -> list[str]:
    return [a["args"][0] for a in result["actions"] if a["func"] == "alert"]


def test_the_button_is_on_the_ribbon_after_export_values() -> None:
    button = BUTTONS["export_pdf"]
    assert (button.label, button.image) == ("导出PDF", "FileSaveAsPdfOrXps")
    assert handler_for("export_pdf") is export_pdf
    (tables,) = [g for g in GROUPS if g.label == "表格处理"]
    assert tables.buttons[tables.buttons.index("export_values") + 1] == "export_pdf"


@needs_soffice
def test_the_active_sheet_is_printed_next_to_the_workbook_never_over_a_file(fresh) -> None:
    workbook = fresh["workbook"]
    before = workbook.read_bytes()
    first = run(str(workbook), "2026Q3", "pdf")
    target = workbook.parent / f"{workbook.stem}_2026Q3.pdf"
    assert first["message"] == str(target) and target.is_file()
    pages = _pages(target)
    (message,) = alerts(first)
    assert f"共 {len(pages)} 页" in message and "A3 横向" in message and str(target) in message
    for page in pages:  # the 16-indicator peer table: A3 landscape, split, 8 pt at least
        assert page["size"] == (round(A3[1], 1), round(A3[0], 1))
        assert page["smallest"] >= 7.95
        text = page["text"].replace(" ", "")
        assert all(county in text for county in regions())  # the region column repeats
    assert len(pages) > 1
    assert "第1页共" in pages[0]["text"].replace(" ", "")
    assert workbook.read_bytes() == before  # the user's workbook is not changed
    assert {a["func"] for a in first["actions"]} == {"alert"}

    second = run(str(workbook), "2026Q3", "pdf")  # the first PDF is kept
    again = workbook.parent / f"{workbook.stem}_2026Q3(2).pdf"
    assert second["message"] == str(again) and again.is_file()
    assert _pages(target) == pages


def test_a_workbook_never_saved_is_refused(tmp_path, sample_files) -> None:
    workbook = shutil.copy(sample_files["workbook"], tmp_path / "示例市.xlsx")
    result = run(str(workbook), "2026Q3", "pdf", "工作簿1")
    assert result["message"] == ""
    (message,) = alerts(result)
    assert "请先把工作簿保存" in message and "tongji render" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["示例市.xlsx"]


def test_without_libreoffice_or_desktop_excel_the_message_says_what_to_do(tmp_path, sample_files):
    workbook = shutil.copy(sample_files["workbook"], tmp_path / "示例市.xlsx")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run(str(workbook), "2026Q3", "pdf", path_variable=str(empty))
    assert result["message"] == ""
    (message,) = alerts(result)
    assert "LibreOffice" in message
    assert f'tongji render "{workbook}" -s "2026Q3"' in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "示例市.xlsx"]


def test_the_pdf_name_never_takes_an_existing_file_nor_a_forbidden_character(tmp_path):
    workbook = tmp_path / "报表.xlsx"
    assert pdf_name(workbook, "2026Q3") == tmp_path / "报表_2026Q3.pdf"
    (tmp_path / "报表_2026Q3.pdf").write_bytes(b"kept")
    assert pdf_name(workbook, "2026Q3") == tmp_path / "报表_2026Q3(2).pdf"
    assert pdf_name(workbook, 'a<b>"c|') == tmp_path / "报表_a_b__c_.pdf"


# --- desktop Excel without LibreOffice: the COM page setup ------------------------------------


def _laid_out(source: Path, sheet: str, folder: Path):
    """The layout of ``sheet`` and the sheet as the LibreOffice path lays it out (openpyxl)."""
    values = folder / "values.xlsx"
    export_values_file(source, values)
    layout = sheet_layout(values, sheet)
    single = folder / "single.xlsx"
    only_sheet(values, single, sheet, layout)
    return layout, load_workbook(single)[sheet]


def test_the_com_settings_are_the_page_setup_the_command_prints_with(sample_files, tmp_path):
    layout, ws = _laid_out(sample_files["workbook"], "2026Q3", tmp_path)
    plan = com_plan(layout)
    s = plan.settings
    # the wide peer table: A3 (xlPaperA3 = 8) landscape (xlLandscape = 2), split between
    # indicators with the region column and header rows repeated
    assert (s["PaperSize"], s["Orientation"]) == (8, 2)
    assert int(ws.page_setup.paperSize) == 8 and ws.page_setup.orientation == "landscape"
    assert s["Zoom"] == int(ws.page_setup.scale)
    assert s["PrintTitleRows"] == ws.print_title_rows
    assert s["PrintTitleColumns"] == ws.print_title_cols == "$A:$A"
    assert "'2026Q3'!" + s["PrintArea"] == ws.print_area
    # a break before the column after each of the sheet's manual column breaks
    assert plan.breaks_before == tuple(b.id + 1 for b in ws.col_breaks.brk) != ()
    margins = ws.page_margins
    assert (s["LeftMargin"], s["RightMargin"], s["TopMargin"], s["BottomMargin"]) == (
        margins.left * 72,
        margins.right * 72,
        margins.top * 72,
        margins.bottom * 72,
    )
    assert (s["HeaderMargin"], s["FooterMargin"]) == (margins.header * 72, margins.footer * 72)
    assert s["CenterFooter"] == ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    title = ws.oddHeader.center.text
    assert title and s["CenterHeader"] == '&"-,Bold"&14' + title
    assert s["CenterHorizontally"] is True and ws.print_options.horizontalCentered
    # each page starts with a whole indicator: the header row names one at every break
    values = load_workbook(tmp_path / "values.xlsx", data_only=True)["2026Q3"]
    names = {i.name for i in indicators()}
    header_row = int(s["PrintTitleRows"].split(":")[0].strip("$"))
    for column in plan.breaks_before:
        heading = str(values.cell(header_row, column).value or "")
        assert any(heading.startswith(name) for name in names), heading


def test_the_com_settings_of_a_sheet_that_fits_have_no_breaks_and_no_titles(sample_files, tmp_path):
    layout, ws = _laid_out(sample_files["workbook"], "青川县2026年1-9月", tmp_path)
    plan = com_plan(layout)
    assert plan.settings["PaperSize"] == int(ws.page_setup.paperSize)
    assert plan.settings["Zoom"] == int(ws.page_setup.scale) <= 100
    assert plan.breaks_before == () and not ws.col_breaks.brk
    # no repeated rows or columns: any the workbook had are cleared, as in the command's copy
    assert plan.settings["PrintTitleRows"] == plan.settings["PrintTitleColumns"] == ""
    assert ws.print_title_rows is None and ws.print_title_cols is None


def test_the_com_settings_of_a_small_table_are_a4_portrait(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "简表"
    for row, (name, value) in enumerate([("县区", "增长"), ("城关区", 5.2), ("青川县", 4.8)], 1):
        ws.cell(row, 1, name)
        ws.cell(row, 2, value)
    book.save(tmp_path / "简表.xlsx")
    layout, laid = _laid_out(tmp_path / "简表.xlsx", "简表", tmp_path)
    settings = com_plan(layout).settings
    assert (settings["PaperSize"], settings["Orientation"]) == (9, 1)  # xlPaperA4, xlPortrait
    assert int(laid.page_setup.paperSize) == 9 and laid.page_setup.orientation == "portrait"
    assert settings["Zoom"] == 100 and settings["CenterHeader"] == ""
