"""The fast package reader sees the same cells as openpyxl, shared formulas included."""

from __future__ import annotations

import re
import shutil
import zipfile

from openpyxl import load_workbook

from tests.workbooks.compute_fixtures import COUNTIES, FIRST, LAST, build
from udfs import growth
from workbooks.compute import compute_file
from workbooks.formula.engine import Engine
from workbooks.formula.package_reader import read_package
from workbooks.formula.workbook import read_sheets_openpyxl


def _tokens(sheets):
    engine = Engine(sheets)
    out = {}
    for sheet in sheets:
        for (row, col), formula in sheet.formulas.items():
            out[(sheet.name, row, col)] = (engine.tokens(formula, row, col), formula.array_ref)
    return out


def _same_reading(path):
    fast, names = read_package(path)
    slow, slow_names = read_sheets_openpyxl(path)
    assert names == slow_names
    assert [s.name for s in fast] == [s.name for s in slow]
    for a, b in zip(fast, slow, strict=True):
        assert a.constants == b.constants, a.name
    assert _tokens(fast) == _tokens(slow)


def test_same_cells_as_openpyxl_on_the_fixture(tmp_path):
    _same_reading(build(tmp_path / "对比.xlsx"))


def test_same_cells_as_openpyxl_on_the_sample_workbook(sample_files, tmp_path):
    _same_reading(shutil.copy(sample_files["workbook"], tmp_path / "sample.xlsx"))


def test_shared_formulas_as_excel_writes_them(tmp_path):
    """Excel stores a filled-down column once: master text plus ``<f t="shared" si=.../>``."""
    source = build(tmp_path / "对比.xlsx")
    shared = tmp_path / "shared.xlsx"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(shared, "w") as out:
        for info in package.infolist():
            data = package.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                xml = xml.replace(
                    f"<f>TJ_GROWTH(B{FIRST},C{FIRST})</f>",
                    f'<f t="shared" ref="D{FIRST}:D{LAST}" si="0">TJ_GROWTH(B{FIRST},C{FIRST})</f>',
                )
                for r in range(FIRST + 1, LAST + 1):
                    xml = xml.replace(f"<f>TJ_GROWTH(B{r},C{r})</f>", '<f t="shared" si="0"/>')
                assert xml.count('si="0"') == LAST - FIRST + 1
                data = xml.encode()
            out.writestr(info, data)
    _same_reading(shared)
    computed = tmp_path / "computed.xlsx"
    compute_file(shared, computed)
    sheet = load_workbook(computed, data_only=True)["对比"]
    for i, (_, cur, base, _, _) in enumerate(COUNTIES):
        want = growth(cur, base)
        assert sheet.cell(FIRST + i, 4).value == (want if isinstance(want, float) else str(want))
    with zipfile.ZipFile(computed) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(rf'<c r="D{LAST}"[^>]*><f t="shared" si="0"/><v>', xml)


def test_cells_written_unusually_read_like_the_usual_form(tmp_path):
    """Attributes in another order, single quotes, tabs, a type before the address: the same
    values and formulas as openpyxl reads (the reader has a quick path for the usual form)."""
    source = build(tmp_path / "对比.xlsx")
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(odd, "w") as out:
        for info in package.infolist():
            data = package.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                xml = re.sub(r'<c r="(B\d+)"( s="\d+")? t="n">', r"<c\tt='n'\2 r='\1'>", xml)
                xml = re.sub(
                    r'<c r="(A\d+)"( s="\d+")? t="inlineStr">', r'<c t="inlineStr"\2 r="\1">', xml
                )
                xml = re.sub(r'<c r="(D\d+)"( s="\d+")?>', r"<c r='\1'\2 >", xml)
                assert "\tt='n'" in xml and '<c t="inlineStr"' in xml and "<c r='D" in xml
                data = xml.encode()
            out.writestr(info, data)
    _same_reading(odd)
    assert read_package(odd)[0][0].constants == read_package(source)[0][0].constants
