"""vbaProject.bin built from text, read back by olefile, by oletools' olevba and by our reader."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings
from oletools.olevba import VBA_Parser, decompress_stream

from addin.xlam.vbaproject import (
    VbaModule,
    VbaSourceError,
    build_vba_project,
    default_template,
    module_stream_text,
    read_vba_project,
    vba_string_literal,
)
from addin.xlam.vbaproject.dirstream import parse_dir_stream

XLWINGS_DIR = Path(xlwings.__file__).parent


@pytest.fixture(scope="module")
def template():
    return read_vba_project(default_template())


def _ribbon_module() -> VbaModule:
    message = vba_string_literal("县区排名：该功能尚未提供。")
    return VbaModule(
        "RibbonTongji",
        "standard",
        "Sub OnTongjiButton(control As IRibbonControl)\n"
        '    RunPython "import addin.ribbon; addin.ribbon.run(\'" & control.Id & "\')"\n'
        "End Sub\n\n"
        "Sub NotAvailable()\n"
        f"    MsgBox {message}, vbInformation\n"
        "End Sub\n",
    )


@pytest.fixture(scope="module")
def our_modules(template, xlwings_bas: str, dictionary_cls: str) -> list[VbaModule]:
    documents = [m for m in template.modules if m.kind == "document"]
    return [
        *documents,
        VbaModule("xlwings", "standard", xlwings_bas),
        VbaModule("Dictionary", "class", dictionary_cls),
        _ribbon_module(),
    ]


@pytest.fixture(scope="module")
def built(our_modules) -> bytes:
    return build_vba_project(our_modules, "tongji")


def _olevba_sources(data: bytes) -> dict[str, tuple[str, str]]:
    """module name → (olevba's file name for it, source) as oletools reads the file."""
    parser = VBA_Parser("vbaProject.bin", data=data)
    try:
        return {
            stream_path.split("/")[-1]: (vba_filename, code)
            for _, stream_path, vba_filename, code in parser.extract_macros()
        }
    finally:
        parser.close()


def test_every_module_reads_back_identical_in_olevba(built: bytes, our_modules) -> None:
    sources = _olevba_sources(built)
    assert set(sources) == {m.name for m in our_modules}
    for module in our_modules:
        file_name, code = sources[module.name]
        assert code == module_stream_text(module), module.name
        # olevba names procedural modules .bas, the others .cls, from the dir stream's MODULETYPE
        assert file_name == module.name + (".bas" if module.kind == "standard" else ".cls")


def test_large_xlwings_module_is_byte_identical_to_the_package_file(
    built: bytes, xlwings_bas: str
) -> None:
    assert len(xlwings_bas) > 40_000
    assert _olevba_sources(built)["xlwings"][1] == xlwings_bas


def test_our_reader_gives_back_names_kinds_and_sources(built: bytes, our_modules) -> None:
    project = read_vba_project(built)
    assert project.name == "tongji"
    assert project.code_page == 1252
    assert [(m.name, m.kind) for m in project.modules] == [(m.name, m.kind) for m in our_modules]
    for module in our_modules:
        assert project.module(module.name).source == module_stream_text(module)


def test_container_has_every_stream_with_the_right_size(built: bytes, our_modules) -> None:
    ole = olefile.OleFileIO(io.BytesIO(built), raise_defects=olefile.DEFECT_INCORRECT)
    streams = {"/".join(p) for p in ole.listdir()}
    expected = {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT"}
    assert streams == expected | {f"VBA/{m.name}" for m in our_modules}
    for module in our_modules:
        raw = ole.openstream(f"VBA/{module.name}").read()
        assert ole.get_size(f"VBA/{module.name}") == len(raw)
        # offset 0: the whole stream is the compressed source, no p-code in front of it
        assert bytes(decompress_stream(bytearray(raw))) == module_stream_text(module).encode()


def test_vba_project_header_discards_pcode(built: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(built))
    header = ole.openstream("VBA/_VBA_PROJECT").read()
    assert len(header) == 7
    reserved1, version, reserved2 = struct.unpack_from("<HHB", header)
    assert (reserved1, version, reserved2) == (0x61CC, 0xFFFF, 0x00)


def test_dir_stream_describes_our_modules_and_keeps_template_references(
    built: bytes, our_modules
) -> None:
    ole = olefile.OleFileIO(io.BytesIO(built))
    ours = parse_dir_stream(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))
    tpl_ole = olefile.OleFileIO(io.BytesIO(default_template()))
    raw_tpl = tpl_ole.openstream("VBA/dir").read()
    theirs = parse_dir_stream(bytes(decompress_stream(bytearray(raw_tpl))))
    assert ours.references == theirs.references
    assert ours.project_name == b"tongji"
    assert ours.code_page == 1252
    assert [(m.name, m.stream_name, m.text_offset, m.procedural) for m in ours.modules] == [
        (m.name, m.name, 0, m.kind == "standard") for m in our_modules
    ]
    # information records: the template's, except name (and code page, equal here)
    changed = [
        rid for (rid, a), (_, b) in zip(ours.information, theirs.information, strict=True) if a != b
    ]
    assert changed == [0x0004]


def test_project_stream_lists_modules_and_keeps_template_id(built: bytes, our_modules) -> None:
    ole = olefile.OleFileIO(io.BytesIO(built))
    lines = ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    tpl_lines = (
        olefile.OleFileIO(io.BytesIO(default_template())).openstream("PROJECT").read().decode()
    ).split("\r\n")
    assert lines[0] == tpl_lines[0] and lines[0].startswith('ID="{')
    kinds = {"document": "Document={}/&H00000000", "class": "Class={}", "standard": "Module={}"}
    assert lines[1 : 1 + len(our_modules)] == [kinds[m.kind].format(m.name) for m in our_modules]
    assert 'Name="tongji"' in lines
    for key in ("CMG=", "DPB=", "GC=", "HelpContextID=", "VersionCompatible32="):
        assert [x for x in lines if x.startswith(key)] == [
            x for x in tpl_lines if x.startswith(key)
        ]
    assert "[Host Extender Info]" in lines
    workspace = lines[lines.index("[Workspace]") + 1 :]
    assert [x.split("=")[0] for x in workspace if x] == [m.name for m in our_modules]


def test_projectwm_names_every_module(built: bytes, our_modules) -> None:
    data = olefile.OleFileIO(io.BytesIO(built)).openstream("PROJECTwm").read()
    expected = b"".join(
        m.name.encode() + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in our_modules
    )
    assert data == expected + b"\0\0"


def test_template_modules_rebuilt_read_back_identical(template) -> None:
    rebuilt = build_vba_project(template.modules, template.name)
    sources = _olevba_sources(rebuilt)
    original = _olevba_sources(default_template())
    for module in template.modules:
        # the template's own text comes back, up to line ends (its xlwings module uses LF)
        assert sources[module.name][1] == module_stream_text(module)
        assert sources[module.name][1].replace("\r\n", "\n") == original[module.name][1].replace(
            "\r\n", "\n"
        )
    assert read_vba_project(rebuilt).references == template.references == ["MSForms", "Office"]


def test_explicit_template_bytes_are_used(our_modules) -> None:
    built = build_vba_project(our_modules[:1], "Other", template=default_template())
    assert read_vba_project(built).name == "Other"


def test_chinese_source_is_refused_with_the_line_number() -> None:
    module = VbaModule("M", "standard", 'Sub A()\n    MsgBox "统计"\nEnd Sub\n')
    with pytest.raises(VbaSourceError, match="第 3 行"):  # line 1 is Attribute VB_Name
        build_vba_project([module], "tongji")


def test_code_page_936_stores_chinese_as_gbk() -> None:
    module = VbaModule("M", "standard", 'Sub A()\n    MsgBox "统计"\nEnd Sub\n')
    built = build_vba_project([module], "tongji", code_page=936)
    assert read_vba_project(built).code_page == 936
    assert _olevba_sources(built)["M"][1] == module_stream_text(module)
    raw = olefile.OleFileIO(io.BytesIO(built)).openstream("VBA/M").read()
    assert "统计".encode("gbk") in bytes(decompress_stream(bytearray(raw)))


@pytest.mark.parametrize(
    ("modules", "name", "message"),
    [
        ([VbaModule("A", "standard", ""), VbaModule("a", "class", "")], "P", "重复"),
        ([VbaModule("A", "standard", "x" * 1024)], "P", "1023"),
        ([], "统计", "工程名"),
        ([], "has space", "工程名"),
    ],
)
def test_bad_projects_are_refused(modules, name: str, message: str) -> None:
    with pytest.raises(VbaSourceError, match=message):
        build_vba_project(modules, name)


def test_build_is_deterministic(our_modules) -> None:
    assert build_vba_project(our_modules, "tongji") == build_vba_project(our_modules, "tongji")


XLWINGS_WORKBOOKS = [
    "quickstart_addin_ribbon.xlam",
    "quickstart_addin.xlam",
    "quickstart.xlsm",
    "quickstart_standalone.xlsm",
    "addin/xlwings.xlam",
]


@pytest.mark.parametrize("relative", XLWINGS_WORKBOOKS)
def test_every_xlwings_workbook_project_rebuilds_from_its_text(relative: str) -> None:
    """Each VBA project shipped with xlwings (different references, up to 15 modules) is read,
    rebuilt from its module text with itself as the template, and read back by olevba."""
    with zipfile.ZipFile(XLWINGS_DIR / relative) as package:
        original = package.read("xl/vbaProject.bin")
    project = read_vba_project(original)
    rebuilt = build_vba_project(project.modules, project.name, template=original)
    sources = _olevba_sources(rebuilt)
    assert set(sources) == {m.name for m in project.modules}
    for module in project.modules:
        assert sources[module.name][1] == module_stream_text(module)
    again = read_vba_project(rebuilt)
    assert again.references == project.references
    assert [(m.name, m.kind) for m in again.modules] == [(m.name, m.kind) for m in project.modules]


def test_an_unused_reference_is_left_out_whole(our_modules) -> None:
    """The template's MSForms reference (original, control and extended records, naming a
    temporary ``MSForms.exd``) goes; the Office reference after it stays byte for byte."""
    data = build_vba_project(our_modules, "tongji", drop_references=["msforms"])
    tpl_ole = olefile.OleFileIO(io.BytesIO(default_template()))
    theirs = parse_dir_stream(
        bytes(decompress_stream(bytearray(tpl_ole.openstream("VBA/dir").read())))
    )
    office = theirs.references.index((0x0016, b"Office"))
    ole = olefile.OleFileIO(io.BytesIO(data))
    ours = parse_dir_stream(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))
    assert ours.references == theirs.references[office:]
    assert read_vba_project(data).references == ["Office"]
    # oletools parses the dir stream record by record: it still reads every module
    assert set(_olevba_sources(data)) == {m.name for m in our_modules}
