"""LibreOffice, an independent VBA reader, imports every module of a vbaProject.bin we built.

LibreOffice refuses the add-in content type, so the bin goes into a copy of xlwings' template
saved as .xlsm (content type macroEnabled.main), converted headless to .ods; the .ods then
holds each imported module as ``Basic/<project>/<module>.xml``. LibreOffice drops the
``Attribute`` lines and puts its own ``Rem Attribute VBA_ModuleType=…`` / ``Option VBASupport 1``
(and ``Option ClassModule``) lines in front; everything else must be our source, line for line.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xlwings

from addin.xlam.vbaproject import (
    VbaModule,
    build_vba_project,
    default_template,
    module_stream_text,
    read_vba_project,
    vba_string_assignment,
    vba_string_literal,
)
from tests.libreoffice import convert, needs_libreoffice

XLWINGS_DIR = Path(xlwings.__file__).parent

pytestmark = needs_libreoffice

ADDIN_TYPE = b"application/vnd.ms-excel.addin.macroEnabled.main+xml"
WORKBOOK_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _modules() -> list[VbaModule]:
    template = read_vba_project(default_template())
    long_message = "\r\n".join(["县区排名完成：共 12 个县区，位次已写入 D 列。"] * 20)
    ribbon = (
        "Sub OnTongjiButton(control As IRibbonControl)\n"
        '    RunPython "import addin.ribbon; addin.ribbon.run(\'" & control.Id & "\')"\n'
        "End Sub\n\n"
        "Function Message() As String\n"
        "    Dim msg As String\n"
        + "".join(f"    {line}\n" for line in vba_string_assignment("msg", long_message))
        + "    Message = msg\n"
        "End Function\n\n"
        "Sub NotAvailable()\n"
        f"    MsgBox {vba_string_literal('该功能尚未提供。')}, vbInformation\n"
        "End Sub\n"
    )
    return [
        *[m for m in template.modules if m.kind == "document"],
        VbaModule("xlwings", "standard", (XLWINGS_DIR / "xlwings_custom_addin.bas").read_text()),
        VbaModule("Dictionary", "class", (XLWINGS_DIR / "addin" / "Dictionary.cls").read_text()),
        VbaModule("RibbonTongji", "standard", ribbon),
    ]


def _convert(package: Path, bin_data: bytes, project: str, work: Path) -> dict[str, str]:
    """Put ``bin_data`` into a copy of ``package`` saved as .xlsm, convert it to .ods with
    LibreOffice, and return the text of each ``Basic/<project>/<module>.xml``."""
    xlsm = work / "book.xlsm"
    with (
        zipfile.ZipFile(package) as source,
        zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/vbaProject.bin":
                data = bin_data
            elif item.filename == "[Content_Types].xml":
                data = data.replace(ADDIN_TYPE, WORKBOOK_TYPE)
            target.writestr(item, data)
    ods = convert(xlsm, "ods", work)
    texts = {}
    with zipfile.ZipFile(ods) as converted:
        for name in converted.namelist():
            if name.startswith(f"Basic/{project}/") and not name.endswith("/script-lb.xml"):
                root = ET.fromstring(converted.read(name))
                texts[Path(name).stem] = root.text or ""
    return texts


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[list[VbaModule], dict[str, str]]:
    """Our add-in's modules, and the text LibreOffice imported for each."""
    modules = _modules()
    bin_data = build_vba_project(modules, "tongji")
    package = XLWINGS_DIR / "quickstart_addin_ribbon.xlam"
    return modules, _convert(package, bin_data, "tongji", tmp_path_factory.mktemp("lo"))


def test_libreoffice_imports_every_module(converted) -> None:
    modules, texts = converted
    assert set(texts) == {m.name for m in modules}


def test_libreoffice_sees_every_module_source_in_full(converted) -> None:
    modules, texts = converted
    _check_full_source(modules, texts)
    assert len(texts["xlwings"]) > 40_000  # the whole runtime module, not an empty shell


def test_chinese_messages_survive_as_chrw_calls(converted) -> None:
    _, texts = converted
    assert "MsgBox ChrW(35813) & ChrW(21151)" in texts["RibbonTongji"]


def _check_full_source(modules: list[VbaModule], texts: dict[str, str]) -> None:
    for module in modules:
        lines = texts[module.name].split("\n")
        assert lines[0].startswith("Rem Attribute VBA_ModuleType=")
        assert lines[1] == "Option VBASupport 1"
        skip = 3 if module.kind == "class" else 2
        if module.kind == "class":
            assert lines[2] == "Option ClassModule"
        imported = "\n".join(lines[skip:]).rstrip("\n")
        ours = "\n".join(
            line
            for line in module_stream_text(module).split("\r\n")
            if not line.startswith("Attribute ")
        ).rstrip("\n")
        assert imported == ours, module.name


def test_xlwings_own_addin_rebuilt_from_its_text_imports_in_full(tmp_path) -> None:
    """A bigger project: xlwings.xlam's 15 modules (stdole and Office references, a 117 KB
    module) rebuilt from their text with that add-in as the template."""
    package = XLWINGS_DIR / "addin" / "xlwings.xlam"
    with zipfile.ZipFile(package) as source:
        original = source.read("xl/vbaProject.bin")
    project = read_vba_project(original)
    assert len(project.modules) == 15
    texts = _convert(
        package,
        build_vba_project(project.modules, "xlwings", template=original),
        "xlwings",
        tmp_path,
    )
    assert set(texts) == {m.name for m in project.modules}
    _check_full_source(project.modules, texts)
    assert max(len(t) for t in texts.values()) > 100_000
