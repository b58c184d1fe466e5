"""The VBA modules of the 统计助手 add-in, as text.

- ``xlwings``: xlwings' runtime for custom add-ins, read from the *installed* xlwings package
  (``xlwings_custom_addin.bas``) with ``PROJECT_NAME`` set to ``tongji`` — never a copy kept
  here, so it always matches the ``xlwings64-<version>.dll`` of the installed package;
- ``Dictionary``: the class the runtime uses, also from the installed package;
- ``TongjiRibbon``: the one ribbon callback (``addin/xlam/vba/TongjiRibbon.bas``);
- ``TongjiCells``: error markers → real Excel errors, reasons kept per cell, a failed call
  → ``#VALUE!`` with its reason (``addin/xlam/vba/TongjiCells.bas``);
- ``TongjiLinks`` and the class ``TongjiLinkWatch``: Application's ``WorkbookOpen`` event,
  relinking workbooks saved with another copy of the add-in (``addin/xlam/vba/``);
- ``TongjiFunctions``: the ``TJ_`` wrappers generated from :mod:`udfs.excel`
  (:mod:`addin.xlam.classic_udfs`);
- ``TongjiHelp``: registers the functions' Chinese help for the Insert Function dialog;
- ``ThisWorkbook`` and ``Sheet2``: the document modules of the template's workbook and of
  its conf sheet (code names in ``xl/workbook.xml`` and ``xl/worksheets/sheet1.xml``).

Each module is kept as the text the VBA editor exports (``.bas``/``.cls``, CRLF line ends);
its :attr:`SourceModule.code` (the text after the ``Attribute VB_*`` header) is what ``olevba``
must read back from the built add-in, character for character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from addin import PROJECT
from addin.xlam import classic_udfs
from workbooks.errors import UserError

PROJECT_NAME = PROJECT

Kind = Literal["standard", "class", "document"]

_PROJECT_LINE = re.compile(r'^(Public Const PROJECT_NAME As String = )"[^"]*"', re.MULTILINE)
_HEADER_ATTRIBUTE = re.compile(r"^Attribute VB_\w+ = .*$")


@dataclass(frozen=True)
class SourceModule:
    """One VBA module: name, kind and its text as the VBA editor exports it (``.bas``/``.cls``
    file content, CRLF line ends; empty for a document module without code)."""

    name: str
    kind: Kind
    text: str

    @property
    def filename(self) -> str:
        """File name of the module as exported by the VBA editor (``.bas``/``.cls``)."""
        return f"{self.name}.{'bas' if self.kind == 'standard' else 'cls'}"

    @property
    def code(self) -> str:
        """The code after the module's ``Attribute VB_*`` header: what a reader of the built
        project must get back character for character."""
        return strip_header(self.text)


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def strip_header(exported: str) -> str:
    """Module code from an exported ``.bas``/``.cls`` text: drops the class ``VERSION``/``BEGIN``
    block and the leading ``Attribute VB_*`` lines; procedure attributes stay."""
    lines = crlf(exported).split("\r\n")
    i = 0
    if lines and lines[0].startswith("VERSION "):
        while i < len(lines) and lines[i] != "END":
            i += 1
        i += 1
    while i < len(lines) and _HEADER_ATTRIBUTE.match(lines[i]):
        i += 1
    return "\r\n".join(lines[i:])


def xlwings_package_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


class TemplateError(UserError):
    """The installed xlwings' add-in template or runtime lacks what the build needs: that
    xlwings version is not supported (message in Chinese)."""


def xlwings_runtime(project_name: str = PROJECT_NAME) -> SourceModule:
    """xlwings' ``xlwings_custom_addin.bas`` of the installed package, for our project name."""
    text = (xlwings_package_dir() / "xlwings_custom_addin.bas").read_text(encoding="latin-1")
    text, count = _PROJECT_LINE.subn(rf'\1"{project_name}"', text)
    if count != 1:
        raise TemplateError(
            "已安装的 xlwings 的 xlwings_custom_addin.bas 中找不到 PROJECT_NAME 常量，"
            "无法生成加载项（xlwings 版本不受支持）"
        )
    return SourceModule("xlwings", "standard", crlf(text))


def dictionary_class() -> SourceModule:
    """The ``Dictionary`` class (VBA-Dictionary) shipped with the installed xlwings."""
    text = (xlwings_package_dir() / "addin" / "Dictionary.cls").read_text(encoding="latin-1")
    return SourceModule("Dictionary", "class", crlf(text))


_STRING_LITERAL = re.compile(r'"(?:[^"\r\n]|"")*"')


def ascii_literals(text: str) -> str:
    """VBA source with every string literal holding non-ASCII text (Chinese messages) spelled
    as an ASCII expression (``ChrW(…)`` joined with ``&``, :func:`vba_string_literal`), so the
    module stays ASCII and reads the same on any Windows code page. Comments stay as written
    (English), so they need no such care."""
    from addin.xlam.vbaproject import vba_string_literal

    def spell(match: re.Match[str]) -> str:
        literal = match.group(0)
        if literal.isascii():
            return literal
        return vba_string_literal(literal[1:-1].replace('""', '"'))

    return _STRING_LITERAL.sub(spell, text)


def own_module(name: str, kind: Kind = "standard") -> SourceModule:
    """One of our hand-written modules in ``addin/xlam/vba/`` (``.bas``, or ``.cls`` for a
    class), its Chinese string literals spelled in ASCII (:func:`ascii_literals`)."""
    filename = f"{name}.{'cls' if kind == 'class' else 'bas'}"
    text = resources.files("addin.xlam").joinpath("vba", filename).read_text(encoding="utf-8")
    return SourceModule(name, kind, crlf(ascii_literals(text)))


#: Code of the workbook's document module: when Excel opens the add-in, register the functions'
#: help and start relinking workbooks saved with another copy of the add-in. An error here must
#: never show the VBA debugger at Excel's start.
THIS_WORKBOOK = (
    "Option Explicit\r\n\r\n"
    "Private Sub Workbook_Open()\r\n"
    "    On Error Resume Next\r\n"
    "    TongjiHelp.RegisterHelp\r\n"
    "    TongjiLinks.StartWatching\r\n"
    "End Sub\r\n"
)


def modules(project_name: str = PROJECT_NAME) -> list[SourceModule]:
    """Every module of the add-in's VBA project, in the order they are written."""
    return [
        SourceModule("ThisWorkbook", "document", THIS_WORKBOOK),
        SourceModule("Sheet2", "document", ""),
        xlwings_runtime(project_name),
        dictionary_class(),
        own_module("TongjiRibbon"),
        own_module("TongjiCells"),
        own_module("TongjiLinks"),
        own_module("TongjiLinkWatch", "class"),
        SourceModule(
            classic_udfs.WRAPPER_MODULE,
            "standard",
            f'Attribute VB_Name = "{classic_udfs.WRAPPER_MODULE}"\r\n'
            + classic_udfs.wrapper_module_source(),
        ),
        SourceModule(
            classic_udfs.HELP_MODULE,
            "standard",
            f'Attribute VB_Name = "{classic_udfs.HELP_MODULE}"\r\n'
            + classic_udfs.help_module_source(),
        ),
    ]


def export(directory: Path, project_name: str = PROJECT_NAME) -> list[Path]:
    """Write every non-document module as ``.bas``/``.cls`` into ``directory`` (for the
    Windows fallback that imports them through the VBA editor)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for module in modules(project_name):
        if module.kind == "document":
            continue
        path = directory / module.filename
        path.write_bytes(module.text.encode("ascii"))
        written.append(path)
    return written
