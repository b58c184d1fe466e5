"""Workbooks keep what they had: pictures and shapes, sparklines, the ribbon of an .xlsm and
sheet and workbook protection survive ``rank`` and ``refresh``; what cannot be kept (a form
control) makes the command refuse, naming it, unless the user accepts the loss.

Every input is built here: the workbook by :mod:`tests.workbooks.drop_forms`, the picture by
zlib, the shape, sparklines, ribbon and form control as the XML Excel writes.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from openpyxl.drawing.image import Image
from openpyxl.workbook.protection import WorkbookProtection
from typer.testing import CliRunner

from tests.libreoffice import convert, needs_libreoffice
from tests.workbooks import drop_forms as forms
from tests.workbooks.reference import competition_rank
from tongji.cli import app

runner = CliRunner()
#: The tests read the saved files back with openpyxl, which warns about what it cannot model.
pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

SPARKLINES = (
    '<extLst><ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:sparklineGroups xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:sparklineGroup displayEmptyCellsAs="gap"><x14:colorSeries rgb="FF376092"/>'
    "<x14:sparklines><x14:sparkline><xm:f>'2026Q3'!B5:C5</xm:f><xm:sqref>M5</xm:sqref>"
    "</x14:sparkline></x14:sparklines></x14:sparklineGroup></x14:sparklineGroups></ext></extLst>"
)
SHAPE = (
    '<xdr:twoCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
    'spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    "<xdr:from><xdr:col>14</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2"
    "</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>17</xdr:col><xdr:colOff>0"
    "</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp "
    'macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="9" name="提示框"/><xdr:cNvSpPr '
    'txBox="1"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1800000" '
    'cy="600000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
    "<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>重点：欠序时进度的指标</a:t></a:r></a:p>"
    "</xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>"
)
RIBBON = (
    '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon><tabs>'
    '<tab id="tjTab" label="统计助手"><group id="g1" label="排名"><button id="b1" '
    'label="县区排名" onAction="RankCounties"/></group></tab></tabs></ribbon></customUI>'
)
UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"


def png(width: int = 4, height: int = 3) -> bytes:
    """A small red PNG, built with zlib."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _rewrite(path: Path, change: dict[str, bytes | None], target: Path | None = None) -> Path:
    """The package with parts replaced, added (bytes) or removed (None)."""
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    for name, data in change.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    target = target or path
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return target


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode("utf-8")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {i.filename: package.read(i.filename) for i in package.infolist()}


def _sheet_part(path: Path, sheet: str) -> str:
    from workbooks.xlsx_package import sheet_parts

    with zipfile.ZipFile(path) as package:
        return sheet_parts(package)[sheet]


def decorated(path: Path) -> Path:
    """The bureau workbook with a picture and a text box on 2026Q3 and sparklines in M5."""
    forms.workbook(path)
    wb = openpyxl.load_workbook(path)
    wb["2026Q3"].add_image(Image(io.BytesIO(png())), "O8")
    wb.save(path)
    part = _sheet_part(path, "2026Q3")
    sheet = _part(path, part).replace("</worksheet>", SPARKLINES + "</worksheet>")
    drawing = _part(path, "xl/drawings/drawing1.xml")
    assert drawing.endswith("</wsDr>")
    drawing = drawing.replace("</wsDr>", SHAPE + "</wsDr>")
    return _rewrite(path, {part: sheet.encode(), "xl/drawings/drawing1.xml": drawing.encode()})


def _assert_decorations_kept(out: Path) -> None:
    parts = _parts(out)
    sheet = _part(out, _sheet_part(out, "2026Q3"))
    assert "x14:sparklineGroups" in sheet and "<xm:sqref>M5</xm:sqref>" in sheet
    drawings = [n for n in parts if n.startswith("xl/drawings/") and n.endswith(".xml")]
    texts = [parts[n].decode() for n in drawings]
    assert any("重点：欠序时进度的指标" in t for t in texts)
    assert any(data == png() for data in parts.values())  # the picture, byte for byte
    book = openpyxl.load_workbook(out)  # still a workbook openpyxl (and Excel) reads
    assert len(book["2026Q3"]._images) == 1


def _ranks(out: Path, sheet: str) -> list[int | None]:
    ws = openpyxl.load_workbook(out, data_only=True)[sheet]
    rows = [forms.FIRST_ROW + 1 + k for k in range(len(forms.COUNTIES))]
    return [ws.cell(r, forms.col(0, 3)).value for r in rows]


def _expected_ranks(sheet: str) -> list[int | None]:
    figures = forms.levels(sheet)
    growth = [(figures[(c, 0)][0] / figures[(c, 0)][1] - 1) * 100 for c in forms.COUNTIES]
    return competition_rank(growth)


def test_rank_keeps_pictures_shapes_and_sparklines(tmp_path: Path) -> None:
    source = decorated(tmp_path / "对比表.xlsx")
    out = tmp_path / "排名.xlsx"
    result = runner.invoke(app, ["rank", str(source), "-s", "2026Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _ranks(out, "2026Q3") == _expected_ranks("2026Q3")
    _assert_decorations_kept(out)


def test_refresh_keeps_them_on_the_sheets_it_does_not_create(tmp_path: Path) -> None:
    source = decorated(tmp_path / "对比表.xlsx")
    drop = forms.valid_drops(tmp_path / "drops")["utf8"]
    out = tmp_path / "刷新.xlsx"
    result = runner.invoke(app, ["refresh", str(source), "-d", str(drop), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _ranks(out, "2026Q4") == _expected_ranks("2026Q4")
    _assert_decorations_kept(out)


def macro_workbook(path: Path) -> Path:
    """An .xlsm with a ribbon (customUI) part and its package relationship."""
    plain = forms.workbook(path.with_suffix(".xlsx"))
    rels = _part(plain, "_rels/.rels").replace(
        "</Relationships>",
        f'<Relationship Id="rIdUI" Type="{UI_REL}" Target="customUI/customUI14.xml"/>'
        "</Relationships>",
    )
    types = _part(plain, "[Content_Types].xml").replace(
        "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml"
    )
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.ms-excel", "application/vnd.ms-excel"
    )
    _rewrite(
        plain,
        {
            "_rels/.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
            "customUI/customUI14.xml": RIBBON.encode(),
        },
        target=path,
    )
    plain.unlink()
    return path


def test_the_ribbon_of_an_xlsm_keeps_its_relationship(tmp_path: Path) -> None:
    source = macro_workbook(tmp_path / "宏表.xlsm")
    out = tmp_path / "排名.xlsm"
    result = runner.invoke(app, ["rank", str(source), "-s", "2026Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _part(out, "customUI/customUI14.xml") == RIBBON
    rels = _part(out, "_rels/.rels")
    assert UI_REL in rels and 'Target="customUI/customUI14.xml"' in rels
    assert _ranks(out, "2026Q3") == _expected_ranks("2026Q3")


CHECKBOX_VML = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:x="urn:schemas-microsoft-com:office:excel"><v:shape id="_x0000_s1025" type="#_x0000_t201">'
    '<x:ClientData ObjectType="Checkbox"><x:Anchor>14, 0, 2, 0, 16, 0, 3, 0</x:Anchor>'
    "</x:ClientData></v:shape></xml>"
)


def with_checkbox(path: Path) -> Path:
    forms.workbook(path)
    part = _sheet_part(path, "2026Q3")
    folder, name = part.rsplit("/", 1)
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/>'
        '<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/ctrlProp" Target="../ctrlProps/ctrlProp1.xml"/>'
        "</Relationships>"
    )
    sheet = _part(path, part).replace(
        "</worksheet>",
        '<legacyDrawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId9"/></worksheet>',
    )
    types = _part(path, "[Content_Types].xml").replace(
        "</Types>",
        '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
        '<Override PartName="/xl/ctrlProps/ctrlProp1.xml" ContentType="application/vnd.ms-excel.controlproperties+xml"/></Types>',
    )
    return _rewrite(
        path,
        {
            part: sheet.encode(),
            f"{folder}/_rels/{name}.rels": rels.encode(),
            "xl/drawings/vmlDrawing1.vml": CHECKBOX_VML.encode(),
            "xl/ctrlProps/ctrlProp1.xml": b'<?xml version="1.0"?><formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" objectType="CheckBox"/>',
            "[Content_Types].xml": types.encode(),
        },
    )


def test_a_form_control_that_cannot_be_kept_is_named_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    source = with_checkbox(tmp_path / "控件.xlsx")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    result = runner.invoke(app, ["rank", str(source), "-s", "2026Q3"])
    assert result.exit_code == 2, result.output
    message = "".join(result.output.split())
    assert "工作表「2026Q3」的表单控件（Checkbox）" in message and "--allow-loss" in message
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["控件.xlsx"]
    accepted = runner.invoke(app, ["rank", str(source), "-s", "2026Q3", "--allow-loss"])
    assert accepted.exit_code == 0, accepted.output
    out = tmp_path / "控件_2026Q3排名.xlsx"
    assert _ranks(out, "2026Q3") == _expected_ranks("2026Q3")


def protected(path: Path) -> Path:
    forms.workbook(path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ws.protection.sheet = True
        ws.protection.password = "tj2026"
    wb.security = WorkbookProtection(workbookPassword="tj2026", lockStructure=True)
    wb.save(path)
    return path


@pytest.mark.parametrize("command", ["rank", "refresh"])
def test_protection_is_kept_and_a_protected_period_sheet_copies_protected(
    tmp_path: Path, command: str
) -> None:
    source = protected(tmp_path / "保护.xlsx")
    hashed = openpyxl.load_workbook(source)["2026Q3"].protection.password
    out = tmp_path / "结果.xlsx"
    args = [command, str(source), "-o", str(out)]
    if command == "refresh":
        args += ["-d", str(forms.valid_drops(tmp_path / "drops")["utf8"])]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    sheets = ["2026Q2", "2026Q3"] + (["2026Q4"] if command == "refresh" else [])
    assert wb.sheetnames == sheets
    for name in sheets:
        assert wb[name].protection.sheet, name
        assert wb[name].protection.password == hashed, name
    assert wb.security is not None and wb.security.lockStructure
    assert "<workbookProtection" in _part(out, "xl/workbook.xml")


@needs_libreoffice
def test_a_workbook_libreoffice_wrote_keeps_its_parts_and_opens_again(tmp_path: Path) -> None:
    """LibreOffice writes the decorations its own way (namespace prefixes declared on the
    sheet's root, a ``xr2:uid`` on the sparkline group); the ranked result opens in LibreOffice
    with the sparkline, the text box and the picture."""
    written = convert(decorated(tmp_path / "对比表.xlsx"), "xlsx", tmp_path / "lo")
    out = tmp_path / "排名.xlsx"
    result = runner.invoke(app, ["rank", str(written), "-s", "2026Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _ranks(out, "2026Q3") == _expected_ranks("2026Q3")
    ods = convert(out, "ods", tmp_path / "back")
    with zipfile.ZipFile(ods) as package:
        content = package.read("content.xml").decode("utf-8")
    assert "sparkline" in content.lower()
    assert "重点：欠序时进度的指标" in content
    assert "draw:image" in content


def shape_only(path: Path) -> Path:
    """A sheet whose drawing holds only a text box (openpyxl writes no drawing for it)."""
    forms.workbook(path)
    wb = openpyxl.load_workbook(path)
    wb["2026Q3"].add_image(Image(io.BytesIO(png())), "O8")
    wb.save(path)
    drawing = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f"{SHAPE}</xdr:wsDr>"
    )
    return _rewrite(
        path,
        {
            "xl/drawings/drawing1.xml": drawing.encode(),
            "xl/drawings/_rels/drawing1.xml.rels": None,
            "xl/media/image1.png": None,
        },
    )


@needs_libreoffice
def test_a_drawing_openpyxl_does_not_write_at_all_is_put_back(tmp_path: Path) -> None:
    source = shape_only(tmp_path / "对比表.xlsx")
    out = tmp_path / "排名.xlsx"
    result = runner.invoke(app, ["rank", str(source), "-s", "2026Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = _part(out, _sheet_part(out, "2026Q3"))
    assert "<drawing " in sheet
    ods = convert(out, "ods", tmp_path / "back")
    with zipfile.ZipFile(ods) as package:
        assert "重点：欠序时进度的指标" in package.read("content.xml").decode("utf-8")


TC_ID = "{6C5A1F2B-0D3E-4B7A-9C1D-2E3F4A5B6C7D}"
PERSON_ID = "{1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D}"
THREADED_NS = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
THREADED_REL = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
THREADED = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ThreadedComments xmlns="{THREADED_NS}"'
    ' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<threadedComment ref="B5" dT="2026-10-20T08:00:00.00" personId="{PERSON_ID}" id="{TC_ID}">'
    "<text>请核实东城区增速</text></threadedComment></ThreadedComments>"
)
PERSONS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><personList xmlns="{THREADED_NS}"'
    ' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<person displayName="王科长" id="{PERSON_ID}" userId="王科长" providerId="None"/></personList>'
)


def _add_rel(rels: str, rid: str, kind: str, target: str) -> str:
    return rels.replace(
        "</Relationships>",
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/></Relationships>',
    )


def with_threaded_comment(path: Path) -> Path:
    """What Excel 365's 插入批注 writes: the threaded comment and its person, and beside it a
    legacy comment authored ``tc={id}`` (with its VML drawing)."""
    from openpyxl.comments import Comment

    forms.workbook(path)
    wb = openpyxl.load_workbook(path)
    wb["2026Q3"]["B5"].comment = Comment(
        "[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment"
        "\nComment:\n    请核实东城区增速",
        f"tc={TC_ID}",
    )
    wb.save(path)
    part = _sheet_part(path, "2026Q3")
    folder, name = part.rsplit("/", 1)
    sheet_rels = f"{folder}/_rels/{name}.rels"
    book_rels = "xl/_rels/workbook.xml.rels"
    types = _part(path, "[Content_Types].xml").replace(
        "</Types>",
        '<Override PartName="/xl/threadedComments/threadedComment1.xml" '
        'ContentType="application/vnd.ms-excel.threadedcomments+xml"/>'
        '<Override PartName="/xl/persons/person.xml" '
        'ContentType="application/vnd.ms-excel.person+xml"/></Types>',
    )
    return _rewrite(
        path,
        {
            sheet_rels: _add_rel(
                _part(path, sheet_rels),
                "rIdT1",
                THREADED_REL,
                "../threadedComments/threadedComment1.xml",
            ).encode(),
            book_rels: _add_rel(
                _part(path, book_rels),
                "rIdP1",
                "http://schemas.microsoft.com/office/2017/10/relationships/person",
                "persons/person.xml",
            ).encode(),
            "xl/threadedComments/threadedComment1.xml": THREADED.encode(),
            "xl/persons/person.xml": PERSONS.encode(),
            "[Content_Types].xml": types.encode(),
        },
    )


def test_a_threaded_comment_of_excel_365_is_kept(tmp_path: Path) -> None:
    source = with_threaded_comment(tmp_path / "批注.xlsx")
    out = tmp_path / "排名.xlsx"
    result = runner.invoke(app, ["rank", str(source), "-s", "2026Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _ranks(out, "2026Q3") == _expected_ranks("2026Q3")
    parts = _parts(out)
    kept = [n for n, data in parts.items() if data == THREADED.encode()]
    assert len(kept) == 1
    part = _sheet_part(out, "2026Q3")
    folder, name = part.rsplit("/", 1)
    rels = _part(out, f"{folder}/_rels/{name}.rels")
    target = "../" + kept[0].removeprefix("xl/")
    assert THREADED_REL in rels and f'Target="{target}"' in rels
    types = _part(out, "[Content_Types].xml")
    assert f'PartName="/{kept[0]}" ContentType="application/vnd.ms-excel.threadedcomments+xml"' in (
        types
    )
    assert parts["xl/persons/person.xml"] == PERSONS.encode()
    # the legacy comment Excel shows the threaded one through is still on the same cell
    comment = openpyxl.load_workbook(out)["2026Q3"]["B5"].comment
    assert comment is not None and comment.author == f"tc={TC_ID}"
    assert "请核实东城区增速" in comment.text


@needs_libreoffice
def test_a_workbook_with_a_threaded_comment_opens_in_libreoffice_after_rank(
    tmp_path: Path,
) -> None:
    source = with_threaded_comment(tmp_path / "批注.xlsx")
    out = tmp_path / "排名.xlsx"
    result = runner.invoke(app, ["rank", str(source), "-s", "2026Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ods = convert(out, "ods", tmp_path / "back")
    with zipfile.ZipFile(ods) as package:
        assert "请核实东城区增速" in package.read("content.xml").decode("utf-8")


EMPTY_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
)
HF_VML = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap '
    'v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t75" coordsize="21600,21600"'
    ' o:spt="75" o:preferrelative="t" path="m@4@5l@4@11@9@11@9@5xe" filled="f" stroked="f">'
    '<v:stroke joinstyle="miter"/><o:lock v:ext="edit" aspectratio="t"/></v:shapetype>'
    '<v:shape id="CH" o:spid="_x0000_s1025" type="#_x0000_t75" style="position:absolute;'
    'margin-left:0;margin-top:0;width:30pt;height:15pt;z-index:1"><v:imagedata o:relid="rId1" '
    'o:title="局徽"/><o:lock v:ext="edit" rotation="t"/></v:shape></xml>'
)


def with_header_picture(path: Path) -> Path:
    """A picture in the centre of the page header (``&G``), as Excel writes it."""
    forms.workbook(path)
    part = _sheet_part(path, "2026Q3")
    folder, name = part.rsplit("/", 1)
    sheet = _part(path, part)
    assert "<headerFooter" not in sheet and "<extLst" not in sheet
    sheet = sheet.replace(
        "</worksheet>",
        "<headerFooter><oddHeader>&amp;C&amp;G</oddHeader></headerFooter>"
        '<legacyDrawingHF xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships" r:id="rIdH1"/></worksheet>',
    )
    rels = EMPTY_RELS
    sheet_rels = f"{folder}/_rels/{name}.rels"
    with zipfile.ZipFile(path) as package:
        if sheet_rels in package.namelist():
            rels = package.read(sheet_rels).decode("utf-8")
    vml_rels = _add_rel(
        EMPTY_RELS,
        "rId1",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
        "../media/hf_logo.png",
    )
    types = _part(path, "[Content_Types].xml").replace(
        "</Types>",
        '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
        '<Default Extension="png" ContentType="image/png"/></Types>',
    )
    return _rewrite(
        path,
        {
            part: sheet.encode(),
            sheet_rels: _add_rel(
                rels,
                "rIdH1",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing",
                "../drawings/vmlDrawingHF1.vml",
            ).encode(),
            "xl/drawings/vmlDrawingHF1.vml": HF_VML.encode(),
            "xl/drawings/_rels/vmlDrawingHF1.vml.rels": vml_rels.encode(),
            "xl/media/hf_logo.png": png(),
            "[Content_Types].xml": types.encode(),
        },
    )


def test_a_header_picture_is_kept(tmp_path: Path) -> None:
    source = with_header_picture(tmp_path / "页眉.xlsx")
    out = tmp_path / "排名.xlsx"
    result = runner.invoke(app, ["rank", str(source), "-s", "2026Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _ranks(out, "2026Q3") == _expected_ranks("2026Q3")
    part = _sheet_part(out, "2026Q3")
    sheet = _part(out, part)
    found = re.search(r'<legacyDrawingHF[^>]*r:id="([^"]+)"', sheet)
    assert found is not None
    folder, name = part.rsplit("/", 1)
    rels = _part(out, f"{folder}/_rels/{name}.rels")
    target = re.search(rf'Id="{found.group(1)}"[^>]*Target="([^"]+)"', rels)
    assert target is not None
    vml = "xl/" + target.group(1).removeprefix("../")
    assert _part(out, vml) == HF_VML
    vml_folder, vml_name = vml.rsplit("/", 1)
    image = re.search(r'Target="([^"]+)"', _part(out, f"{vml_folder}/_rels/{vml_name}.rels"))
    assert image is not None
    assert _parts(out)["xl/" + image.group(1).removeprefix("../")] == png()
    assert 'Extension="vml"' in _part(out, "[Content_Types].xml")
    book = openpyxl.load_workbook(out)
    assert "&G" in book["2026Q3"].oddHeader.center.text
