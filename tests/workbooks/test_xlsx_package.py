"""Writing values into sheet XML: the right cell types, cells and rows created in order, and
everything else left byte for byte."""

from __future__ import annotations

import pytest

from workbooks.formula.values import XLError
from workbooks.xlsx_package import NO_VALUE, Update, patch_sheet, value_xml

SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1:C3"/><sheetData>'
    '<row r="1" spans="1:3"><c r="A1" s="2" t="s"><v>0</v></c><c r="C1" s="5"><f>A1*2</f><v>7</v></c></row>'
    '<row r="3"><c r="B3"><f t="shared" ref="B3:B4" si="0">A3+1</f></c></row>'
    '</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>'
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10.0, (None, "10")),
        (0.1 + 0.2, (None, "0.30000000000000004")),  # full precision, round-trips exactly
        (-4.8, (None, "-4.8")),
        (True, ("b", "1")),
        ("超1.2 <差>", ("str", "超1.2 &lt;差&gt;")),
        (XLError("#DIV/0!"), ("e", "#DIV/0!")),
    ],
)
def test_value_xml(value, expected):
    assert value_xml(value) == expected


def test_cached_value_next_to_the_unchanged_formula():
    xml = patch_sheet(SHEET, {(1, 3): Update("高"), (3, 2): Update(XLError("#N/A"))})
    assert '<c r="C1" s="5" t="str"><f>A1*2</f><v>高</v></c>' in xml
    assert '<c r="B3" t="e"><f t="shared" ref="B3:B4" si="0">A3+1</f><v>#N/A</v></c>' in xml
    assert '<c r="A1" s="2" t="s"><v>0</v></c>' in xml
    assert xml.endswith('<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>')


def test_missing_cells_and_rows_are_created_in_order():
    xml = patch_sheet(SHEET, {(1, 2): Update(1.0), (2, 1): Update(2.0), (4, 2): Update(3.0)})
    assert '<row r="1"><c r="A1" s="2" t="s"><v>0</v></c><c r="B1"><v>1</v></c><c r="C1"' in xml
    order = [xml.index(f'<row r="{n}"') for n in (1, 2, 3, 4)]
    assert order == sorted(order)


def test_stale_value_removed_when_not_evaluated():
    xml = patch_sheet(SHEET, {(1, 3): Update(NO_VALUE)})
    assert '<c r="C1" s="5"><f>A1*2</f></c>' in xml


def test_values_only_cell_loses_its_formula_keeps_its_style():
    xml = patch_sheet(SHEET, {(1, 3): Update(6.5, drop_formula=True), (3, 2): Update("位", True)})
    assert '<c r="C1" s="5"><v>6.5</v></c>' in xml
    assert '<c r="B3" t="inlineStr"><is><t xml:space="preserve">位</t></is></c>' in xml


def test_cells_keeping_a_shared_formula_get_it_in_full_when_the_master_loses_its_own():
    sheet = SHEET.replace(
        '<row r="3"><c r="B3"><f t="shared" ref="B3:B4" si="0">A3+1</f></c></row>',
        '<row r="3"><c r="B3"><f t="shared" ref="B3:B4" si="0">A3+1</f><v>1</v></c></row>'
        '<row r="4"><c r="B4"><f t="shared" si="0"/><v>1</v></c></row>',
    )
    xml = patch_sheet(sheet, {(3, 2): Update(5.0, drop_formula=True)})
    assert '<c r="B3"><v>5</v></c>' in xml
    assert '<c r="B4"><f>A4+1</f><v>1</v></c>' in xml


MIXED_SHEET = (
    '<worksheet><sheetData><row r="1"><c r="A1" s="1"><f>B1+1</f><v></v></c>'
    '<c r="B1"><v>2</v></c><c r="C1" t="str"><f>"x"&amp;B1</f><v>x2</v></c></row>'
    '<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">B2*2</f><v/></c>'
    '<c r="B2" t="s"><v>0</v></c><c><f>1/0</f></c></row>'
    '<row r="3"><c r="A3"><f t="shared" si="0"/></c><c r="B3"><is><t>文本</t></is></c>'
    '<c r="C3"><f>SUM(A1:A3)</f><extLst><ext/></extLst></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize(
    "cells",
    [
        [(1, 1), (1, 3), (2, 1), (3, 1), (3, 3), (2, 3), (4, 2)],
        [(1, 1)],
        [(2, 3), (3, 3)],
        [(1, 2), (2, 2), (3, 2)],
    ],
)
@pytest.mark.parametrize("value", [3.5, "文本<&>", XLError("#DIV/0!"), True, NO_VALUE])
def test_formula_cells_written_in_one_scan_read_as_row_by_row(cells, value):
    """The one-scan path for plain formula cells gives the XML the row-by-row path gives."""
    from workbooks.xlsx_package import _patch_rows

    updates = {cell: Update(value) for cell in cells}
    assert patch_sheet(MIXED_SHEET, updates) == _patch_rows(MIXED_SHEET, updates)
