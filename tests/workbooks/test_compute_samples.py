"""tongji compute on the sample workbook of 示例市: every main-indicator sheet's cached values
equal an independent computation from the peer tables (openpyxl reads, udfs, plain Python)."""

from __future__ import annotations

import re
import shutil

import pytest
from openpyxl import load_workbook

from udfs import completion, rank_change, schedule_gap, time_progress
from workbooks.compute import compute_file, export_values_file


def shown(expected):
    if expected is None:
        return None
    return expected if isinstance(expected, (int, float)) else str(expected)


_REF = re.compile(r"^='?([^'!]+)'?!([A-Z]+\d+)$")


@pytest.fixture(scope="module")
def sample(sample_files, tmp_path_factory):
    folder = tmp_path_factory.mktemp("samples")
    source = shutil.copy(sample_files["workbook"], folder / sample_files["workbook"].name)
    target = folder / "computed.xlsx"
    report = compute_file(source, target)
    return source, target, report


def test_every_formula_of_the_sample_workbook_is_evaluated(sample):
    _, _, report = sample
    assert report.failures == {}
    assert report.formulas == report.written and report.formulas > 900
    assert report.errors == 0


def test_main_indicator_sheets_equal_an_independent_computation(sample):
    source, target, _ = sample
    formulas, constants = load_workbook(source), load_workbook(source, data_only=True)
    values = load_workbook(target, data_only=True)
    checked = 0

    def referenced(text):
        sheet, cell = _REF.match(text).groups()
        return constants[sheet][cell].value

    for ws in formulas:
        if not ws.title.startswith("青川县"):
            continue
        period = constants[ws.title]["B2"].value
        own = values[ws.title]
        for row in ws.iter_rows(min_row=4):
            r = row[0].row
            if not isinstance(row[3].value, str) or not row[3].value.startswith("="):
                continue
            target_value = constants[ws.title].cell(r, 3).value
            actual, rate, city = (referenced(row[k].value) for k in (3, 4, 5))
            rank_now = referenced(row[10].value)
            expected = {
                4: actual,
                7: rate - city,
                8: completion(actual, target_value),
                9: time_progress(period),
                10: schedule_gap(actual, target_value, period),
                11: rank_now,
            }
            change = row[11].value
            if isinstance(change, str) and "TJ_RANK_CHANGE" in change:
                previous_sheet, previous_cell = re.search(r"'([^']+)'!(K\d+)", change).groups()
                expected[12] = rank_change(rank_now, values[previous_sheet][previous_cell].value)
            for col, want in expected.items():
                if not (isinstance(row[col - 1].value, str) and row[col - 1].value.startswith("=")):
                    continue  # no formula in this cell (e.g. no annual target)
                got = own.cell(r, col).value
                assert got == shown(want), (ws.title, r, col, got, want)
            checked += 1
    assert checked > 100


def test_values_only_copy_of_the_sample_has_no_tj_formula(sample):
    source, _, _ = sample
    target, report = export_values_file(source, source.with_name("数值版.xlsx"))
    book = load_workbook(target)
    left = [
        c.value
        for ws in book
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" and "TJ_" in str(c.value)
    ]
    assert left == [] and report.replaced > 300
    before = load_workbook(source)
    for name in before.sheetnames:
        assert before[name].merged_cells.ranges == book[name].merged_cells.ranges
        assert before[name].freeze_panes == book[name].freeze_panes


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice/poppler not installed",
)
def test_render_the_peer_table_for_the_meeting(sample, tmp_path):
    import subprocess

    from workbooks.render import render

    source, _, _ = sample
    pdf = tmp_path / "2026Q3.pdf"
    render(source, "2026Q3", pdf=pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    peer = load_workbook(source, data_only=True)["2026Q3"]
    names = [peer.cell(r, 1).value for r in range(5, peer.max_row + 1) if peer.cell(r, 1).value]
    for name in names:
        if name.startswith("数据来源"):
            continue
        assert name in text
    assert f"{peer['B5'].value:,.2f}" in text  # 全市 地区生产总值, as formatted in the sheet
