"""The fast package reader sees the same cells as openpyxl, shared formulas included."""

from __future__ import annotations

import re
import shutil
import zipfile
from xml.etree import ElementTree

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tests.child_process import run_tongji
from tests.workbooks.compute_fixtures import COUNTIES, FIRST, LAST, build
from udfs import growth
from workbooks.compute import compute_file
from workbooks.formula.engine import Engine
from workbooks.formula.package_reader import _Budget, read_package, xml_text
from workbooks.formula.workbook import read_sheets_openpyxl
from workbooks.package_guard import Limits, PackageError


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


def _edited(source, target, edits, added=None):
    """A copy of the package ``source`` in which each part named in ``edits`` is passed through
    its function (text in, text out), with the ``added`` parts (name → text) written last."""
    with (
        zipfile.ZipFile(source) as package,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in package.infolist():
            data = package.read(info.filename)
            edit = edits.get(info.filename)
            if edit is not None:
                data = edit(data.decode()).encode()
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, text in (added or {}).items():
            out.writestr(name, text)
    return target


def test_shared_formulas_as_excel_writes_them(tmp_path):
    """Excel stores a filled-down column once: master text plus ``<f t="shared" si=.../>``."""
    source = build(tmp_path / "对比.xlsx")

    def as_shared(xml: str) -> str:
        xml = xml.replace(
            f"<f>TJ_GROWTH(B{FIRST},C{FIRST})</f>",
            f'<f t="shared" ref="D{FIRST}:D{LAST}" si="0">TJ_GROWTH(B{FIRST},C{FIRST})</f>',
        )
        for r in range(FIRST + 1, LAST + 1):
            xml = xml.replace(f"<f>TJ_GROWTH(B{r},C{r})</f>", '<f t="shared" si="0"/>')
        assert xml.count('si="0"') == LAST - FIRST + 1
        return xml

    shared = _edited(source, tmp_path / "shared.xlsx", {"xl/worksheets/sheet1.xml": as_shared})
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

    def unusually(xml: str) -> str:
        xml = re.sub(r'<c r="(B\d+)"( s="\d+")? t="n">', r"<c\tt='n'\2 r='\1'>", xml)
        xml = re.sub(r'<c r="(A\d+)"( s="\d+")? t="inlineStr">', r'<c t="inlineStr"\2 r="\1">', xml)
        xml = re.sub(r'<c r="(D\d+)"( s="\d+")?>', r"<c r='\1'\2 >", xml)
        assert "\tt='n'" in xml and '<c t="inlineStr"' in xml and "<c r='D" in xml
        return xml

    odd = _edited(source, tmp_path / "odd.xlsx", {"xl/worksheets/sheet1.xml": unusually})
    _same_reading(odd)
    assert read_package(odd)[0][0].constants == read_package(source)[0][0].constants


# --- character data as an XML parser reads it ----------------------------------------------


def _xml_char(char: str) -> bool:
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or code >= 0x10000
    )


_CHARS = st.characters(min_codepoint=0x9).filter(_xml_char)


@st.composite
def _escaped(draw) -> str:
    """One character written as XML may write it: itself (not ``&`` or ``<``), one of the
    five entities, or a decimal or hexadecimal character reference (leading zeros and
    upper-case digits included)."""
    char = draw(_CHARS)
    how = draw(st.sampled_from(["plain", "entity", "decimal", "hex"]))
    named = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;"}
    if how == "entity" and char in named:
        return named[char]
    if how == "decimal" or (how == "plain" and char in "&<"):
        return f"&#{'0' * draw(st.integers(0, 2))}{ord(char)};"
    if how == "hex":
        digits = f"{ord(char):x}"
        return f"&#x{digits.upper() if draw(st.booleans()) else digits};"
    return named.get(char, char) if char in "&<" else char


_RAW = st.lists(
    st.one_of(_escaped(), st.sampled_from(["&amp;lt;", "&amp;#38;", "&#38;amp;", "\r\n", "]"])),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(raw=_RAW)
def test_character_data_reads_as_an_xml_parser_reads_it(raw):
    try:
        expected = ElementTree.fromstring(f"<a>{raw}</a>").text or ""
    except ElementTree.ParseError:  # "]]>" is not allowed in character data
        assume(False)
    assert xml_text(raw) == expected


def test_character_data_is_xml_not_html():
    """HTML reads &#128; as the euro sign (Windows-1252) and knows &nbsp;; XML does neither."""
    assert xml_text("&#128;") == "\x80"
    assert xml_text("a&amp;lt;b") == "a&lt;b"
    assert xml_text("&#21439;&#26399;&gt;=") == "县期>="


def _guarded_book(path, cells: dict[str, list[tuple[int, int]]]):
    book = Workbook()
    book.remove(book.active)
    for title, places in cells.items():
        sheet = book.create_sheet(title)
        for row, col in places:
            sheet.cell(row, col, row * 100 + col)
    book.save(path)
    return path


def test_a_package_not_yet_vetted_is_refused_at_too_many_cells(tmp_path):
    path = _guarded_book(
        tmp_path / "太多.xlsx",
        {"表一": [(r, 1) for r in range(1, 11)], "表二": [(r, 2) for r in range(1, 11)]},
    )
    with pytest.raises(PackageError) as refused:
        read_package(path, Limits(cells=15))
    assert str(refused.value) == (
        "「太多.xlsx」的单元格超过 15 个（到工作表「表二」为止），超过上限。未作任何处理"
    )
    sheets, _ = read_package(path, Limits(cells=20))  # exactly at the limit: read
    assert [len(s.constants) for s in sheets] == [10, 10]
    assert sheets[1].constants[(10, 2)] == 1002.0


def test_cells_are_counted_while_a_sheet_is_read(tmp_path, monkeypatch):
    """Inside a large sheet the count is checked every so many cells, not only at its end."""
    path = _guarded_book(tmp_path / "大表.xlsx", {"大": [(r, 1) for r in range(1, 41)]})
    monkeypatch.setattr(_Budget, "CHECK_EVERY", 8)
    seen = []
    grid = _Budget.grid

    def counted(self, sheet, cells, max_row, max_col):
        seen.append(cells)
        grid(self, sheet, cells, max_row, max_col)

    monkeypatch.setattr(_Budget, "grid", counted)
    with pytest.raises(PackageError, match="的单元格超过 20 个（到工作表「大」为止）"):
        read_package(path, Limits(cells=20))
    assert seen == [8, 16, 24]  # refused at the third check, 16 cells before the end


def test_a_package_not_yet_vetted_is_refused_at_too_large_an_area(tmp_path):
    path = _guarded_book(tmp_path / "稀疏.xlsx", {"分布": [(1, 1), (10, 8)]})
    with pytest.raises(PackageError) as refused:
        read_package(path, Limits(area=79))
    assert str(refused.value) == (
        "「稀疏.xlsx」的工作表「分布」的单元格分布在 A1:H10（80 个单元格），超过上限 79"
        "（请删除远处多余的单元格后另存）。未作任何处理"
    )
    assert read_package(path, Limits(area=80)) is not None
    bomb = _guarded_book(tmp_path / "炸弹.xlsx", {"表": [(1, 1), (1048576, 16384)]})
    with pytest.raises(PackageError, match="A1:XFD1048576（17,179,869,184 个单元格）"):
        read_package(bomb, Limits())
    assert read_package(bomb) is not None  # without limits: read as before


def test_a_too_large_part_is_not_read(tmp_path):
    path = _guarded_book(tmp_path / "大部件.xlsx", {"表": [(r, 1) for r in range(1, 2000)]})
    with pytest.raises(PackageError, match=re.escape("的部件「xl/worksheets/sheet1.xml」解压后有")):
        read_package(path, Limits(member_size=10_000))


_SST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
    'uniqueCount="2"><si><t>县&amp;区</t></si><si><t xml:space="preserve"> 甲 </t></si></sst>'
)
_CELLS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s" s="0"><v>1</v></c>'
    '<c r="C1" t="b"><v>1</v></c><c r="D1" t="e"><v>#N/A</v></c>'
    '<c r="E1" t="str"><v>&lt;&#21439;&gt;&amp;lt;</v></c><c r="F1" t="n"><v>-1.5E-3</v></c>'
    '<c r="G1"><v>42</v></c><c r="H1" t="inlineStr"><is><t>&#x4e0a;&quot;期&quot;</t></is></c>'
    '<c r="I1" t="inlineStr"><is><t xml:space="preserve"> 空格 </t></is></c><c r="J1"/></row>'
    '<row r="2"><c r="A2"><f>A1&amp;"&#36798;"&amp;B1</f><v>县&amp;区</v></c>'
    '<c r="B2"><f>IF(G1&gt;=40,G1,0)</f><v/></c><c r="C2" t="str"><f>D1</f><v>#N/A</v></c>'
    '<c r="D2"><f></f></c><c r="E2" s="0"><f>SUM(F1:G1)</f><v>40.9985</v></c></row>'
)


def _hand_written(path, cells: str, sst: str, title: str = "Sheet"):
    """A workbook of one sheet ``title`` whose sheetData is ``cells`` and whose shared-strings
    part is ``sst`` (both written by hand, in the form spreadsheet programs write them)."""
    source = path.with_name(f"{path.stem}-openpyxl.xlsx")
    book = Workbook()
    book.active.title = title
    book.save(source)
    sst_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    sst_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sst_type}"/>'
    rel = f'<Relationship Id="rIdSst" Type="{sst_rel}" Target="sharedStrings.xml"/>'
    edits = {
        "xl/worksheets/sheet1.xml": lambda xml: re.sub(
            r"<sheetData/>|<sheetData>.*</sheetData>", f"<sheetData>{cells}</sheetData>", xml
        ),
        "[Content_Types].xml": lambda xml: xml.replace("</Types>", f"{override}</Types>"),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            "</Relationships>", f"{rel}</Relationships>"
        ),
    }
    return _edited(source, path, edits, {"xl/sharedStrings.xml": sst})


def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path):
    """Shared and inline strings, booleans, errors, numbers, formula cells with and without a
    cached value, in the form spreadsheet programs write them."""
    kinds = _hand_written(tmp_path / "各种.xlsx", _CELLS, _SST)
    _same_reading(kinds)
    sheet = read_package(kinds)[0][0]
    assert sheet.constants[(1, 1)] == "县&区" and sheet.constants[(1, 5)] == "<县>&lt;"
    assert sheet.formulas[(2, 1)].text == 'A1&"达"&B1'


# --- markup the patterns do not take apart -------------------------------------------------


_SMALL_CELLS = (
    '<row r="1"><c r="A1" t="n"><v>1</v></c><c r="B1" t="n"><v>2</v></c>'
    '<c r="C1"><f>A1+B1</f></c><c r="D1"><f>A1*10</f></c></row>'
    '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
    '<c r="C2"><f>A2&amp;B2</f></c></row>'
    '<row r="3"><c r="A3" t="s"><v>2</v></c></row>'  # the last string: a string passed over
)  # would shift A2 and B2
_SMALL_SST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" '
    'uniqueCount="3"><si><t>一</t></si><si><t>二</t></si><si><t>三</t></si></sst>'
)


def _small_book(path):
    """A1=1, B1=2, C1=A1+B1, D1=A1*10; A2:B2 shared strings 一 二 and C2=A2&B2; A3 三."""
    return _hand_written(path, _SMALL_CELLS, _SMALL_SST, "表")


@pytest.mark.parametrize(
    ("part", "usual", "unusual"),
    [
        ("xl/worksheets/sheet1.xml", "<v>1</v></c>", "<v>1</v></c >"),  # the cell's end tag
        ("xl/worksheets/sheet1.xml", "<v>1</v>", "<v >1</v>"),
        ("xl/worksheets/sheet1.xml", "<v>1</v>", "<v>1</v >"),
        ("xl/worksheets/sheet1.xml", "<f>A1+B1</f>", "<f>A1+B1</f >"),
        ("xl/worksheets/sheet1.xml", "<v>1</v>", "<v>1<!-- 一 --></v>"),
        ("xl/sharedStrings.xml", "<si>", "<si >"),
        ("xl/sharedStrings.xml", "<t>一</t>", "<t>一</t >"),
        ("xl/sharedStrings.xml", "<t>一</t>", "<t><![CDATA[一]]></t>"),
    ],
)
def test_markup_the_reader_does_not_take_apart_never_drops_a_value(tmp_path, part, usual, unusual):
    """Well-formed XML the patterns do not read (an end tag with a space, a comment, CDATA, a
    start tag with a space) makes the reader hand the package to openpyxl: the values are
    right, never a cell silently read as blank or a shared string shifted."""
    source = _small_book(tmp_path / "原.xlsx")

    def unusual_markup(text: str) -> str:
        assert usual in text
        return text.replace(usual, unusual, 1)

    odd = _edited(source, tmp_path / "odd.xlsx", {part: unusual_markup})
    compute_file(source, tmp_path / "照常.xlsx")  # the usual form is read by the fast reader
    assert read_package(source) is not None
    compute_file(odd, tmp_path / "算好.xlsx")
    values = load_workbook(tmp_path / "算好.xlsx", data_only=True)["表"]
    assert (values["C1"].value, values["D1"].value, values["C2"].value) == (3, 10, "一二")


def test_a_long_attribute_value_is_read_in_linear_time(tmp_path):
    """An attribute value of 200,000 word characters and an "=" (valid XML, a few KB packed)
    used to keep the attribute pattern busy for many minutes; the command reads and computes it
    well within a CPU limit."""
    source = _small_book(tmp_path / "原.xlsx")
    value = "'" + "c" * 200_000 + "=d'"

    def long_attribute(text: str) -> str:
        assert '<c r="A1" t="n">' in text
        return text.replace('<c r="A1" t="n">', f'<c r="A1" x="{value}" t="n">')

    odd = _edited(source, tmp_path / "长属性.xlsx", {"xl/worksheets/sheet1.xml": long_attribute})
    run = run_tongji("compute", str(odd), "-o", str(tmp_path / "算好.xlsx"), cpu_seconds=60)
    assert run.returncode == 0, run.stderr[-2000:]
    values = load_workbook(tmp_path / "算好.xlsx", data_only=True)["表"]
    assert (values["C1"].value, values["D1"].value) == (3, 10)
