"""Workbooks saved by Excel with the add-in loaded: ``[1]!TJ_GROWTH(B3,C3)`` where external link
1 names ``tongji.xlam`` under the saving colleague's profile.

The packages are built by hand from the ECMA-376 parts Excel writes (Part 1 §18.14): the
externalLink part, its ``externalLinkPath`` relationship with ``TargetMode="External"``, the
workbook's ``<externalReferences>`` and relationship, and the content type."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.workbooks import layouts
from tests.workbooks.compute_fixtures import COUNTIES, FIRST, build
from tests.workbooks.reference import competition_rank
from udfs import growth
from workbooks.compute import compute_file
from workbooks.file_host import open_file, save_result
from workbooks.formula.addin_links import local_addin_calls, names_addin
from workbooks.formula.workbook import read_sheets, read_sheets_openpyxl
from workbooks.outputs import Output
from workbooks.rank import RankOptions, rank_sheet

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ZHANG = r"file:///C:\Users\Zhang San\AppData\Roaming\Microsoft\AddIns\tongji.xlam"


def excel_saved(source: Path, target: Path, link: str = ZHANG) -> Path:
    """``source`` as Excel saves it on a PC with the add-in at ``link``: every ``TJ_`` call of
    the sheets written ``[1]!TJ_…`` and external link 1 naming the add-in."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as out:
        for info in package.infolist():
            data = package.read(info.filename)
            name = info.filename
            if name.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"(?<=[>(,=+*/ -])TJ_", b"[1]!TJ_", data)
            elif name == "xl/workbook.xml":
                data = data.replace(
                    b"</sheets>",
                    f'</sheets><externalReferences><externalReference {NS_R} r:id="rIdLink1"/>'
                    "</externalReferences>".encode(),
                )
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdLink1" Type="{REL}/externalLink" '
                    'Target="externalLinks/externalLink1.xml"/></Relationships>'.encode(),
                )
            elif name == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="'
                    b'application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"'
                    b"/></Types>",
                )
            out.writestr(info, data)
        out.writestr(
            "xl/externalLinks/externalLink1.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink {NS} {NS_R}>'
            '<externalBook r:id="rId1"><definedNames><definedName name="TJ_GROWTH"/>'
            '<definedName name="TJ_RANK"/></definedNames></externalBook></externalLink>',
        )
        out.writestr(
            "xl/externalLinks/_rels/externalLink1.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/externalLinkPath" Target="{link}" '
            'TargetMode="External"/></Relationships>',
        )
    return target


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("links")
    plain = build(folder / "对比.xlsx")
    return plain, excel_saved(plain, folder / "对比_Excel.xlsx")


def _growths() -> list:
    out = []
    for _, current, base, _, _ in COUNTIES:
        value = growth(current, base)
        out.append(value if isinstance(value, float) else str(value))
    return out


def test_the_package_holds_what_excel_writes(saved):
    _, linked = saved
    with zipfile.ZipFile(linked) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert f"<f>[1]!TJ_GROWTH(B{FIRST},C{FIRST})</f>" in sheet
    book = load_workbook(linked)  # openpyxl reads the link as Excel's external link 1
    assert book._external_links[0].file_link.Target == ZHANG


@pytest.mark.parametrize("reader", [read_sheets, read_sheets_openpyxl])
def test_both_readers_read_the_calls_as_tj_functions(saved, reader):
    _, linked = saved
    sheets, _ = reader(linked)
    formulas = {s.name: s.formulas for s in sheets}
    assert formulas["对比"][(FIRST, 4)].text == f"TJ_GROWTH(B{FIRST},C{FIRST})"
    assert formulas["汇总"][(9, 2)].text == "TJ_SHARE(对比!B3,对比!B15)"


def test_compute_evaluates_them_and_keeps_the_link(saved, tmp_path):
    _, linked = saved
    out = tmp_path / "算.xlsx"
    report = compute_file(linked, out)
    assert report.tj_formulas > 0 and not set(report.failures) - {"汇总!B12", "汇总!B13"}
    values = load_workbook(out, data_only=True)["对比"]
    assert [values.cell(FIRST + i, 4).value for i in range(len(COUNTIES))] == _growths()
    with zipfile.ZipFile(out) as package:
        assert "xl/externalLinks/externalLink1.xml" in package.namelist()
        assert (
            f"<f>[1]!TJ_GROWTH(B{FIRST},C{FIRST})</f>"
            in package.read("xl/worksheets/sheet1.xml").decode()
        )
        assert b"<externalReference " in package.read("xl/workbook.xml")


def test_rank_reads_the_growth_column_and_saves_the_link(tmp_path):
    built = layouts.one_row(layouts.sample_data())
    ws = built.wb[built.sheet]
    cols = built.cols["地区生产总值"]
    growths = []
    for row in built.rows.values():
        level = ws.cell(row, cols["level"]).value
        base = round(level / 1.05 + row / 10, 2)
        ws.cell(row, cols["growth"]).value = f"=TJ_GROWTH(B{row},{base})"
        growths.append(growth(level, base))
    built.wb.save(tmp_path / "plain.xlsx")
    linked = excel_saved(tmp_path / "plain.xlsx", tmp_path / "表.xlsx")
    book = open_file(linked)
    result = rank_sheet(book, built.sheet, RankOptions(["地区生产总值"]))
    expected = dict(zip(built.rows, competition_rank(growths), strict=True))
    assert result.ranks["地区生产总值"] == expected
    with Output(linked, tmp_path / "排名.xlsx") as output:
        saved_to, _ = save_result(book, output, "排名.xlsx")
    again = load_workbook(saved_to)
    assert again._external_links[0].file_link.Target == ZHANG
    row = built.rows["青川县"]
    assert again[built.sheet].cell(row, cols["growth"]).value.startswith(f"=[1]!TJ_GROWTH(B{row},")
    values = load_workbook(saved_to, data_only=True)[built.sheet]
    assert [values.cell(r, cols["growth"]).value for r in built.rows.values()] == growths
    assert [values.cell(r, cols["rank"]).value for r in built.rows.values()] == list(
        expected.values()
    )


def test_a_link_to_another_add_in_is_not_ours(saved, tmp_path):
    plain, _ = saved
    other = excel_saved(plain, tmp_path / "other.xlsx", r"file:///D:\tools\helpers.xlam")
    report = compute_file(other, tmp_path / "算.xlsx")
    assert f"对比!D{FIRST}" in report.failures
    values = load_workbook(tmp_path / "算.xlsx", data_only=True)["对比"]
    assert values.cell(FIRST, 4).value is None  # no number made up for a function not ours


@pytest.mark.parametrize(
    "target",
    [
        ZHANG,
        "file:///C:/Users/Zhang%20San/AppData/Roaming/Microsoft/AddIns/TONGJI.XLAM",
        r"\\server\share\统计\tongji.xlam",
        "/home/li/tongji.xlam",
        "tongji.xlam",
    ],
)
def test_the_add_in_is_known_by_its_file_name_in_any_folder(target):
    assert names_addin(target)


@pytest.mark.parametrize("target", ["file:///C:/x/tongji.xlsx", "C:/x/mytongji.xlam", "", None])
def test_other_files_are_not_the_add_in(target):
    assert not names_addin(target)


def test_only_calls_through_the_add_in_link_change():
    text = 'IF(A1>0,[1]!TJ_GROWTH(B2,C2),"[1]!TJ_GROWTH(")&[2]!TJ_RANK(D2)+@[1]!tj_share(E2,F2)'
    assert local_addin_calls(text, {1}) == (
        'IF(A1>0,TJ_GROWTH(B2,C2),"[1]!TJ_GROWTH(")&[2]!TJ_RANK(D2)+@tj_share(E2,F2)'
    )
    assert local_addin_calls(text, set()) == text
    assert local_addin_calls("[1]Sheet1!A1+[1]!OTHER(A2)", {1}) == "[1]Sheet1!A1+[1]!OTHER(A2)"
