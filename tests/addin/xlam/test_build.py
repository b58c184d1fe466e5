"""The built add-in, read back by independent readers: zip/XML parts, olevba, LibreOffice."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from pathlib import Path
from xml.etree import ElementTree as ET

import olefile
import pytest
import xlwings
from typer.testing import CliRunner

from addin.xlam import build, customui, vba_modules
from addin.xlam.vbaproject import decompress, read_vba_project
from tests.addin.xlam.libreoffice_xlam import as_xlsm, convert_to_ods, soffice
from tongji.cli import app
from udfs.catalog import CATALOG

CUSTOMUI_NS = {"c": customui.NAMESPACE}
MAIN_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
XLWINGS_DIR = Path(xlwings.__file__).parent


def olevba_modules(xlam: Path) -> dict[str, str]:
    """Module name → source as olevba (oletools) decompresses it from xl/vbaProject.bin."""
    from oletools.olevba import VBA_Parser

    with zipfile.ZipFile(xlam) as package:
        data = package.read("xl/vbaProject.bin")
    parser = VBA_Parser("vbaProject.bin", data=data)
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def after_header(code: str) -> str:
    """Source after the leading ``Attribute VB_*`` lines (line ends as stored)."""
    lines = code.split("\r\n")
    i = 0
    while i < len(lines) and lines[i].startswith("Attribute VB_"):
        i += 1
    return "\r\n".join(lines[i:])


@pytest.fixture(scope="module")
def read_back(built_addin: Path) -> dict[str, str]:
    return olevba_modules(built_addin)


def test_every_module_reads_back_identical_with_olevba(read_back: dict[str, str]) -> None:
    ours = {m.name: m for m in vba_modules.modules()}
    assert set(read_back) == set(ours)
    for name, module in ours.items():
        assert read_back[name].startswith(f'Attribute VB_Name = "{name}"\r\n')
        assert after_header(read_back[name]).rstrip("\r\n") == module.code.rstrip("\r\n"), name


def test_xlwings_runtime_is_the_installed_one_with_our_project_name(
    read_back: dict[str, str],
) -> None:
    installed = (XLWINGS_DIR / "xlwings_custom_addin.bas").read_text(encoding="latin-1")
    installed_lines = installed.replace("\r\n", "\n").rstrip("\n").split("\n")[1:]  # no VB_Name
    stored_lines = after_header(read_back["xlwings"]).replace("\r\n", "\n").rstrip("\n").split("\n")
    assert len(stored_lines) == len(installed_lines)
    differing = [(a, b) for a, b in zip(installed_lines, stored_lines, strict=True) if a != b]
    assert differing == [
        (
            'Public Const PROJECT_NAME As String = "myaddin"',
            'Public Const PROJECT_NAME As String = "tongji"',
        )
    ]
    assert f'Lib "xlwings64-{xlwings.__version__}.dll"' in read_back["xlwings"]


def test_every_catalog_function_has_a_wrapper_with_its_arguments(
    read_back: dict[str, str],
) -> None:
    from addin.xlam.classic_udfs import parse_wrappers

    wrappers = parse_wrappers(read_back["TongjiFunctions"])
    assert set(wrappers) == {entry.name for entry in CATALOG}
    for entry in CATALOG:
        wrapper = wrappers[entry.name]
        assert wrapper.parameters == tuple(p.name for p in entry.parameters)
        assert wrapper.optional == tuple(p.optional for p in entry.parameters), entry.name


def _vba_subs(code: str) -> set[str]:
    return set(re.findall(r"^(?:Public |Private )?Sub (\w+)\(", code, flags=re.MULTILINE))


def test_every_on_action_names_an_existing_vba_sub(
    built_addin: Path, read_back: dict[str, str]
) -> None:
    with zipfile.ZipFile(built_addin) as package:
        root = ET.fromstring(package.read("customUI/customUI.xml"))
        rels = package.read("_rels/.rels").decode()
    assert 'Target="customUI/customUI.xml"' in rels
    actions = [b.get("onAction") for b in root.iterfind(".//c:button", CUSTOMUI_NS)]
    assert actions and all(actions)
    for action in actions:
        module, sub = action.split(".")
        assert module in read_back, action
        assert sub in _vba_subs(read_back[module]), action
        signature = re.search(rf"Sub {sub}\((.*)\)", read_back[module]).group(1)
        assert signature == "control As IRibbonControl"


PACKAGE_RELS_NS = {"r": "http://schemas.openxmlformats.org/package/2006/relationships"}


def test_the_ribbon_is_related_with_the_2006_type_every_office_reads(built_addin: Path) -> None:
    with zipfile.ZipFile(built_addin) as package:
        rels = ET.fromstring(package.read("_rels/.rels"))
        ribbon = ET.fromstring(package.read("customUI/customUI.xml"))
    to_ribbon = [
        r
        for r in rels.iterfind("r:Relationship", PACKAGE_RELS_NS)
        if r.get("Target") == "customUI/customUI.xml"
    ]
    assert [r.get("Type") for r in to_ribbon] == [
        "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    ]
    assert ribbon.tag == "{http://schemas.microsoft.com/office/2006/01/customui}customUI"
    # the other relationships of the template are kept, ids unique
    ids = [r.get("Id") for r in rels]
    assert len(ids) == len(set(ids)) == 4


def test_no_trace_of_the_template_author_is_left(built_addin: Path) -> None:
    with zipfile.ZipFile(built_addin) as package:
        core = ET.fromstring(package.read("docProps/core.xml"))
        everything = b"".join(package.read(name) for name in package.namelist())
        vba = package.read("xl/vbaProject.bin")
    dc = "{http://purl.org/dc/elements/1.1/}"
    cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    assert core.find(f"{dc}creator").text == "统计助手"
    assert core.find(f"{cp}lastModifiedBy").text == "统计助手"
    assert b"felix" not in everything.lower()
    assert read_vba_project(vba).references == ["Office"]  # MSForms, unused, left out
    ole = olefile.OleFileIO(io.BytesIO(vba))
    directory = decompress(ole.openstream("VBA/dir").read())  # references live here
    assert b".exd" not in directory.lower() and b"felix" not in directory.lower()
    assert b"MSO.DLL" in directory  # the Office reference (IRibbonControl) stays


def test_the_ribbon_part_is_the_generated_one(built_addin: Path) -> None:
    with zipfile.ZipFile(built_addin) as package:
        assert package.read("customUI/customUI.xml") == customui.customui_xml()


def test_conf_sheet_is_named_for_the_project_and_holds_the_settings(built_addin: Path) -> None:
    with zipfile.ZipFile(built_addin) as package:
        workbook = ET.fromstring(package.read("xl/workbook.xml"))
        content_types = package.read("[Content_Types].xml")
    names = [s.get("name") for s in workbook.iterfind(".//m:sheet", MAIN_NS)]
    assert names == ["tongji.conf"]
    assert b"application/vnd.ms-excel.addin.macroEnabled.main+xml" in content_types
    conf = build.read_conf_sheet(built_addin)
    assert conf["INTERPRETER_WIN"] == r"C:\tongji\venv\Scripts\pythonw.exe"
    assert conf["UDF MODULES"] == "udfs.excel"
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] is False
    assert conf[build.BUILT_WITH_XLWINGS.upper()] == xlwings.__version__


def test_without_interpreter_the_conf_sheet_leaves_it_to_the_user_conf(tmp_path: Path) -> None:
    out = tmp_path / "tongji.xlam"
    build.build_addin(out)
    assert "INTERPRETER_WIN" not in build.read_conf_sheet(out)


def test_template_parts_other_than_ours_are_copied_unchanged(built_addin: Path) -> None:
    replaced = {
        build.VBA_PART,
        build.CUSTOMUI_PART,
        build.WORKBOOK_PART,
        build.CONF_SHEET_PART,
        build.ROOT_RELS_PART,
        build.CORE_PART,
    }
    with zipfile.ZipFile(build.template_path()) as template, zipfile.ZipFile(built_addin) as ours:
        assert ours.namelist() == template.namelist()
        for name in set(template.namelist()) - replaced:
            assert ours.read(name) == template.read(name), name


def test_same_sources_build_the_same_file_and_a_replaced_file_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "tongji.xlam"
    assert build.build_addin(out) is None
    first = out.read_bytes()
    assert build.build_addin(out) is None  # identical: nothing to back up
    assert out.read_bytes() == first
    backup = build.build_addin(out, interpreter=r"D:\py\pythonw.exe")
    assert backup is not None and backup.read_bytes() == first
    assert backup.name.startswith("tongji.bak-") and backup.suffix == ".xlam"
    assert sorted(tmp_path.iterdir()) == sorted([backup, out])


def test_cli_builds_the_addin_and_exports_the_modules_as_text(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["build-addin", "-o", str(tmp_path / "x.xlam"), "--export-vba", str(tmp_path / "vba")]
    )
    assert result.exit_code == 0, result.output
    assert "已生成加载项" in result.output
    exported = sorted(p.name for p in (tmp_path / "vba").iterdir())
    assert exported == [
        "Dictionary.cls",
        "TongjiCells.bas",
        "TongjiFunctions.bas",
        "TongjiHelp.bas",
        "TongjiLinkWatch.cls",
        "TongjiLinks.bas",
        "TongjiRibbon.bas",
        "xlwings.bas",
    ]
    text = (tmp_path / "vba" / "TongjiRibbon.bas").read_bytes()
    assert text.startswith(b'Attribute VB_Name = "TongjiRibbon"\r\n')


def test_vba_sources_are_ascii_and_lines_fit_the_editor() -> None:
    for module in vba_modules.modules():
        assert module.text.isascii(), module.name
        assert max((len(line) for line in module.text.split("\r\n")), default=0) <= 1023


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_addin_with_every_macro(built_addin: Path, tmp_path: Path) -> None:
    ods = convert_to_ods(as_xlsm(built_addin, tmp_path / "tongji.xlsm"), tmp_path)
    with zipfile.ZipFile(ods) as package:
        basic = {
            Path(name).stem: package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.startswith("Basic/tongji/") and not name.endswith("script-lb.xml")
        }
        content = package.read("content.xml").decode("utf-8")
    assert 'table:name="tongji.conf"' in content
    ours = {m.name: m for m in vba_modules.modules()}
    assert set(basic) == set(ours)
    for name, xml in basic.items():
        text = unescape(re.search(r"<script:module[^>]*>(.*)</script:module>", xml, re.S).group(1))
        lines = text.split("\n")
        while lines and (
            lines[0].startswith("Rem Attribute")
            or lines[0] in ("Option VBASupport 1", "Option ClassModule")
        ):
            lines.pop(0)
        # LibreOffice keeps procedure attributes (Attribute Item.VB_UserMemId …) to itself.
        expected = [
            line
            for line in ours[name].code.replace("\r\n", "\n").strip("\n").split("\n")
            if not line.startswith("Attribute ")
        ]
        assert "\n".join(lines).strip("\n").split("\n") == expected, name


def test_cli_refuses_an_output_that_is_not_an_add_in(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build-addin", "-o", str(tmp_path / "tongji.xlsm")])
    assert result.exit_code == 2
    assert ".xlam" in result.output
    assert not (tmp_path / "tongji.xlsm").exists()


def test_cli_reports_an_unusable_xlwings_template_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "template.xlam"
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    monkeypatch.setattr(build, "template_path", lambda: broken)
    result = CliRunner().invoke(app, ["build-addin", "-o", str(tmp_path / "tongji.xlam")])
    assert result.exit_code == 2
    assert "无法生成加载项" in result.output and "模板中缺少" in result.output
    assert not (tmp_path / "tongji.xlam").exists()
