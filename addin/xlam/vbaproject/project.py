"""``vbaProject.bin`` from VBA modules kept as text, and back.

The file is a compound file (MS-CFB) laid out as MS-OVBA 2.2 describes::

    PROJECT            text: project id, one Document=/Module=/Class= line per module, name,
                       protection (CMG/DPB/GC), [Host Extender Info], [Workspace]
    PROJECTwm          module names, in the code page and in UTF-16
    VBA/_VBA_PROJECT   7-byte header, version 0xFFFF: no p-code cache, Office compiles the source
    VBA/dir            compressed: project information, references, module table
    VBA/<module>       compressed source, at offset 0 (no p-code before it)

What is not ours to decide is taken from a template ``vbaProject.bin`` (by default the one in
the installed xlwings package's ``quickstart_addin_ribbon.xlam``): the system kind, LCIDs,
version and references of the ``dir`` stream, and the project id, protection and host extender
lines of ``PROJECT`` (CMG/DPB/GC are encrypted with a key derived from the project id, so the
two are kept together).

Code page: module text is stored in the project's code page (PROJECTCODEPAGE). By default we
keep the template's (1252) and accept ASCII-only source; Chinese text then goes into string
expressions built with ``ChrW`` (:func:`addin.xlam.vbaproject.vba_string_literal`), which reads the
same on a Chinese, English or any other Windows. Passing ``code_page=936`` instead stores GBK
text as Chinese Excel would, but such a project shows garbled strings when opened where the
system code page is not 936, so we do not do that by default.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from addin.xlam.vbaproject.cfb import write_compound_file
from addin.xlam.vbaproject.compression import compress, decompress, raw_padding
from addin.xlam.vbaproject.dirstream import (
    DirStream,
    build_dir_stream,
    parse_dir_stream,
    without_references,
)
from addin.xlam.vbaproject.source import (
    VbaModule,
    VbaSourceError,
    check_identifier,
    check_stream_text,
    module_stream_text,
)

__all__ = [
    "VbaProject",
    "build_vba_project",
    "default_template",
    "read_vba_project",
]

_VBA_PROJECT_SIGNATURE = 0x61CC
_NO_PCODE_VERSION = 0xFFFF
_MODULE_KEYS = {"Document", "Module", "Class", "BaseClass", "Package"}


@dataclass(frozen=True)
class VbaProject:
    """What a ``vbaProject.bin`` holds, as read back: project name, code page, reference names
    and every module with its stored source text."""

    name: str
    code_page: int
    references: list[str]
    modules: list[VbaModule]

    def module(self, name: str) -> VbaModule:
        """The module called ``name`` (case-insensitive, as VBA compares names)."""
        for module in self.modules:
            if module.name.lower() == name.lower():
                return module
        raise KeyError(name)


def _codec(code_page: int) -> str:
    return f"cp{code_page}"


def _xlwings_template_path() -> Path:
    import xlwings  # the add-in must come from the installed xlwings version

    return Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"


@cache
def default_template() -> bytes:
    """The ``vbaProject.bin`` of the installed xlwings' ribbon add-in template."""
    with zipfile.ZipFile(_xlwings_template_path()) as package:
        return package.read("xl/vbaProject.bin")


@dataclass(frozen=True)
class _Template:
    dir: DirStream
    project_lines: list[str]
    vba_project_header: bytes

    @classmethod
    def parse(cls, data: bytes) -> _Template:
        import olefile

        ole = olefile.OleFileIO(io.BytesIO(data))
        try:
            dir_stream = parse_dir_stream(decompress(ole.openstream("VBA/dir").read()))
            text = ole.openstream("PROJECT").read().decode(_codec(dir_stream.code_page))
            header = ole.openstream("VBA/_VBA_PROJECT").read()[:7]
        finally:
            ole.close()
        if len(header) < 7 or struct.unpack_from("<H", header)[0] != _VBA_PROJECT_SIGNATURE:
            raise VbaSourceError("模板的 _VBA_PROJECT 流无效 (bad _VBA_PROJECT header in template)")
        return cls(dir_stream, text.split("\r\n"), header)


def _project_stream(
    template_lines: list[str], project_name: str, modules: list[VbaModule]
) -> list[str]:
    """Lines of the PROJECT stream: the template's, with our module lines and name, and a
    [Workspace] section listing our modules."""
    module_lines = []
    for module in modules:
        if module.kind == "document":
            module_lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            module_lines.append(f"Class={module.name}")
        else:
            module_lines.append(f"Module={module.name}")
    lines: list[str] = []
    for line in template_lines:
        if line.strip().lower() == "[workspace]":
            break
        key = line.split("=", 1)[0].strip()
        if key in _MODULE_KEYS:
            continue
        if key == "Name":
            line = f'Name="{project_name}"'
        lines.append(line)
        if key == "ID":
            lines.extend(module_lines)
    if not lines or not lines[0].startswith("ID="):
        raise VbaSourceError("模板的 PROJECT 流不以 ID= 开头 (bad PROJECT stream in template)")
    while lines and lines[-1] == "":
        lines.pop()
    lines += ["", "[Workspace]"]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return [*lines, "", ""]


def _projectwm(modules: list[VbaModule], codec: str) -> bytes:
    out = bytearray()
    for module in modules:
        out += module.name.encode(codec) + b"\x00" + module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def build_vba_project(
    modules: list[VbaModule],
    project_name: str,
    template: bytes | None = None,
    code_page: int | None = None,
    drop_references: Collection[str] = (),
) -> bytes:
    """The bytes of a ``vbaProject.bin`` holding ``modules`` (in that order) as project
    ``project_name``, with no p-code, so Office compiles the sources when it opens the file.

    ``template``: a ``vbaProject.bin`` to take references, system kind and project id from
    (default: :func:`default_template`). Its modules are not copied: pass the document modules
    the workbook needs (``ThisWorkbook`` and one per sheet, named like the ``codeName``s in the
    workbook XML) among ``modules`` — :func:`read_vba_project` on the template gives them.

    ``drop_references``: names of template references to leave out (e.g. ``("MSForms",)``,
    which the modules do not use).

    ``code_page``: ``None`` keeps the template's and requires ASCII-only source; a number
    (e.g. 936) stores the text in that code page instead.

    Raises :class:`VbaSourceError` (a ``ValueError``, Chinese message) for a bad project or
    module name, a duplicate module, a source line over 1023 characters, or a character the
    code page cannot hold.
    """
    check_identifier(project_name, "VBA project name / 工程名")
    seen: set[str] = set()
    for module in modules:
        if module.name.lower() in seen:
            raise VbaSourceError(f"模块名重复：{module.name} (duplicate module name)")
        seen.add(module.name.lower())
    tpl = _Template.parse(default_template() if template is None else template)
    page = tpl.dir.code_page if code_page is None else code_page
    codec = _codec(page)
    try:
        "".encode(codec)
    except LookupError:
        raise VbaSourceError(f"不支持的代码页 {page} (unknown code page)") from None

    streams: dict[str, bytes] = {}
    for module in modules:
        text = module_stream_text(module)
        check_stream_text(module.name, text, ascii_only=code_page is None)
        try:
            data = text.encode(codec)
        except UnicodeEncodeError as exc:
            line = text[: exc.start].count("\r\n") + 1
            raise VbaSourceError(
                f"模块 {module.name} 第 {line} 行的字符 {text[exc.start]!r} 无法用代码页 {page} 保存"
            ) from None
        if raw_padding(data):
            raise VbaSourceError(f"模块 {module.name} 的末尾无法压缩 (incompressible tail)")
        streams[f"VBA/{module.name}"] = compress(data)

    template_dir = tpl.dir
    if drop_references:
        template_dir = replace(
            template_dir, references=without_references(template_dir.references, drop_references)
        )
    dir_data = build_dir_stream(
        template_dir, project_name, page, [(m.name, m.kind == "standard") for m in modules]
    )
    header = struct.pack("<HHB", _VBA_PROJECT_SIGNATURE, _NO_PCODE_VERSION, 0)
    streams["VBA/_VBA_PROJECT"] = header + tpl.vba_project_header[5:7]
    streams["VBA/dir"] = compress(dir_data)
    project_text = "\r\n".join(_project_stream(tpl.project_lines, project_name, modules))
    streams["PROJECT"] = project_text.encode(codec)
    streams["PROJECTwm"] = _projectwm(modules, codec)
    return write_compound_file(streams)


def read_vba_project(data: bytes) -> VbaProject:
    """Read a ``vbaProject.bin``: project name, code page, reference names and every module's
    stored source (decompressed from its text offset, decoded with the project's code page).
    Kinds come from the PROJECT stream's Document=/Module=/Class= lines."""
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        info = parse_dir_stream(decompress(ole.openstream("VBA/dir").read()))
        codec = _codec(info.code_page)
        kinds: dict[str, str] = {}
        if ole.exists("PROJECT"):
            for line in ole.openstream("PROJECT").read().decode(codec, "replace").split("\r\n"):
                key, _, value = line.partition("=")
                name = value.split("/", 1)[0].strip().lower()
                if key == "Document":
                    kinds[name] = "document"
                elif key == "Class":
                    kinds[name] = "class"
                elif key == "Module":
                    kinds[name] = "standard"
                elif key == "BaseClass":
                    kinds[name] = "designer"
        modules = []
        for entry in info.modules:
            kind = kinds.get(entry.name.lower(), "standard" if entry.procedural else "class")
            if kind == "designer":
                raise VbaSourceError(f"不支持窗体模块 (UserForm) {entry.name}")
            raw = ole.openstream(f"VBA/{entry.stream_name}").read()
            source = decompress(raw[entry.text_offset :]).decode(codec, "replace")
            modules.append(VbaModule(entry.name, kind, source))  # type: ignore[arg-type]
    finally:
        ole.close()
    # A REFERENCENAME right after a REFERENCECONTROL's first part is that control's extended
    # name, not a reference of its own.
    references = [
        payload.decode(codec, "replace")
        for (before, _), (rid, payload) in zip(
            [(0, b""), *info.references[:-1]], info.references, strict=True
        )
        if rid == 0x0016 and before != 0x002F
    ]
    return VbaProject(
        name=info.project_name.decode(codec, "replace"),
        code_page=info.code_page,
        references=references,
        modules=modules,
    )
