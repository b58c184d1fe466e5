"""导出数值版: TJ_ formulas (or all) replaced by values, formatting kept, nothing else touched;
and the ribbon button that takes Excel's own values from the open workbook."""

from __future__ import annotations

import os
import zipfile

import pytest
from openpyxl import load_workbook

from tests.workbooks.compute_fixtures import COUNTIES, FIRST, build
from udfs import growth
from workbooks.compute import WorkbookProblem, compute_file, export_values_file


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    source = build(folder / "对比.xlsx")
    target, report = export_values_file(source)
    return source, target, report


def _formulas(path):
    book = load_workbook(path)
    return {
        (ws.title, c.coordinate): getattr(c.value, "text", c.value)
        for ws in book
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


def test_no_tj_formula_is_left_and_ordinary_ones_stay(exported):
    source, target, report = exported
    assert target.name == "对比_数值版.xlsx"
    before, after = _formulas(source), _formulas(target)
    assert not any("TJ_" in str(text) for text in after.values())
    assert {k: v for k, v in before.items() if "TJ_" not in str(v)} == after
    assert report.replaced == 12 * 6 + 2 + 1 + 1
    sheet = load_workbook(target)["对比"]
    for i, (_, cur, base, _, _) in enumerate(COUNTIES):
        want = growth(cur, base)
        got = sheet.cell(FIRST + i, 4).value
        assert got == (want if isinstance(want, float) else str(want))


def test_ordinary_formulas_carry_their_value_in_the_default_copy(exported):
    """A phone preview shows cached values: no formula cell of the copy may be blank, except the
    two the engine cannot compute, which are listed."""
    _, target, report = exported
    values = load_workbook(target, data_only=True)
    numbers = [c[1] for c in COUNTIES if isinstance(c[1], float)]
    assert values["对比"]["B15"].value == pytest.approx(sum(numbers))
    assert values["对比"]["L15"].value == pytest.approx(round(sum(numbers) / len(numbers), 2))
    assert values["汇总"]["B2"].value == pytest.approx(sum(numbers))
    assert values["汇总"]["B5"].value == sum(
        1
        for _, cur, base, _, _ in COUNTIES
        if isinstance(growth(cur, base), float) and growth(cur, base) > 10
    )
    blank = {
        (sheet, cell) for (sheet, cell) in _formulas(target) if values[sheet][cell].value is None
    }
    # 金川县's RANK.EQ of a placeholder is IFERROR's "" (an empty text, read back as None)
    assert blank == {("汇总", "B12"), ("汇总", "B13"), ("对比", "N11")}
    with zipfile.ZipFile(target) as package:
        assert '<c r="N11" t="str"><f>' in package.read("xl/worksheets/sheet1.xml").decode()
    assert set(report.failures) == {"汇总!B12", "汇总!B13"}
    assert report.written == report.formulas - 2 + 11  # array members D3:D13 carry values too


def test_formatting_is_kept(exported):
    source, target, _ = exported
    a, b = load_workbook(source)["对比"], load_workbook(target)["对比"]
    assert a.merged_cells.ranges == b.merged_cells.ranges
    assert a.column_dimensions["A"].width == b.column_dimensions["A"].width
    assert a.row_dimensions[2].height == b.row_dimensions[2].height
    assert [str(r.sqref) for r in a.conditional_formatting] == [
        str(r.sqref) for r in b.conditional_formatting
    ]
    for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
        for x, y in zip(row_a, row_b, strict=True):
            assert x._style == y._style
    with zipfile.ZipFile(source) as p, zipfile.ZipFile(target) as q:
        assert p.read("xl/styles.xml") == q.read("xl/styles.xml")


def test_all_formulas_option(tmp_path):
    source = build(tmp_path / "表.xlsx")
    target, report = export_values_file(source, tmp_path / "全部.xlsx", all_formulas=True)
    left = _formulas(target)
    # only the two formulas that cannot be evaluated stay formulas — and are reported
    assert set(left) == {("汇总", "B12"), ("汇总", "B13")}
    assert set(report.failures) == {"汇总!B12", "汇总!B13"}
    assert load_workbook(target)["对比"]["B15"].value == sum(
        c[1] for c in COUNTIES if isinstance(c[1], float)
    )


def test_never_overwrites_the_source(tmp_path):
    source = build(tmp_path / "表.xlsx")
    with pytest.raises(WorkbookProblem):
        export_values_file(source, source)


def test_calc_chain_is_dropped_with_its_references(tmp_path):
    source = build(tmp_path / "表.xlsx")
    computed = tmp_path / "带计算链.xlsx"
    compute_file(source, computed)
    chained = tmp_path / "chain.xlsx"
    with zipfile.ZipFile(computed) as package, zipfile.ZipFile(chained, "w") as out:
        for info in package.infolist():
            data = package.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
                    b"</Relationships>",
                )
            out.writestr(info, data)
        out.writestr("xl/calcChain.xml", b'<calcChain><c r="D3" i="1"/></calcChain>')
    target, _ = export_values_file(chained, tmp_path / "out.xlsx")
    with zipfile.ZipFile(target) as package:
        assert "xl/calcChain.xml" not in package.namelist()
        assert b"calcChain" not in package.read("[Content_Types].xml")
        assert b"calcChain" not in package.read("xl/_rels/workbook.xml.rels")
    load_workbook(target)


# --- the ribbon button on the open workbook (xlwings remote engine) ------------------------


@pytest.fixture()
def xw():
    assert os.environ["XLWINGS_ON_SERVER"] == "true"  # set in conftest before xlwings loads
    import xlwings

    return xlwings


def _open_book(xw, source, overrides):
    """The workbook as Excel would hand it over: every sheet's values from A1, as Excel shows
    them (here: our computation, with ``overrides`` standing for Excel's own results)."""
    computed = source.with_name("c.xlsx")
    compute_file(source, computed)
    values = load_workbook(computed, data_only=True)
    sheets = []
    for ws in values:
        rows = [list(row) for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
        for (sheet, r, c), value in overrides.items():
            if sheet == ws.title:
                rows[r - 1][c - 1] = value
        sheets.append({"name": ws.title, "values": rows, "pictures": [], "tables": []})
    payload = {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": source.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }
    return xw.Book(json=payload)


def test_ribbon_export_uses_excels_own_values(tmp_path, xw):
    from addin.ribbon import export_book_values, handler_for

    source = build(tmp_path / "对比.xlsx")
    # Excel's value differs from ours on purpose (e.g. the user's Excel showed 99.9): the
    # copy must carry what Excel showed, including its error values.
    book = _open_book(xw, source, {("对比", 3, 4): 99.9, ("对比", 4, 4): "#N/A"})
    target = tmp_path / "数值版.xlsx"
    report = export_book_values(book, source, target)
    sheet = load_workbook(target)["对比"]
    assert sheet["D3"].value == 99.9
    assert sheet["D4"].value == "#N/A" and sheet["D4"].data_type == "e"
    assert not any("TJ_" in str(v) for v in _formulas(target).values())
    assert report.replaced == 12 * 6 + 2 + 1 + 1
    assert handler_for("export_values").__name__ == "export_values"


def test_ribbon_button_asks_to_save_an_unsaved_workbook(tmp_path, xw):
    from addin.ribbon import export_values

    book = _open_book(xw, build(tmp_path / "对比.xlsx"), {})
    assert export_values(book) is None  # the remote book has no file on disk
    actions = book.json()["actions"]
    assert actions[-1]["func"] == "alert"
    assert "请先保存工作簿" in actions[-1]["args"][0]
