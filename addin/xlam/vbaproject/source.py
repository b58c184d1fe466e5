"""VBA modules as text: what a module stream stores, and VBA string literals that keep the
source ASCII-only.

A module stream holds the source as the VBA editor keeps it: the ``Attribute VB_…`` header
lines first, then the code, lines ending in CR LF. An exported ``.cls`` file differs from that
only by its leading ``VERSION 1.0 CLASS`` / ``BEGIN … END`` block and a missing ``VB_Base``
line; :func:`module_stream_text` turns either form into the stored form, and is the exact text
a reader (``olevba``, the VBA editor's export) gets back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MAX_LINE",
    "ModuleKind",
    "VbaModule",
    "VbaSourceError",
    "module_stream_text",
    "vba_string_assignment",
    "vba_string_literal",
]

ModuleKind = Literal["standard", "class", "document"]
MODULE_KINDS: tuple[str, ...] = ("standard", "class", "document")

#: The VBA editor refuses source lines longer than this.
MAX_LINE = 1023

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_ATTRIBUTE = re.compile(r"Attribute\s+(VB_\w+)\s*=\s*(.*)\Z", re.IGNORECASE)
_RESERVED_STREAMS = ("dir", "_vba_project")

# VB_Base of class modules, and of Excel's document modules (workbook, worksheet).
CLASS_BASE = '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
WORKBOOK_BASE = '"0{00020819-0000-0000-C000-000000000046}"'
WORKSHEET_BASE = '"0{00020820-0000-0000-C000-000000000046}"'

_CLASS_DEFAULTS = {
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "False",
    "VB_Exposed": "False",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "False",
}
_DOCUMENT_DEFAULTS = {
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "True",
    "VB_Exposed": "True",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "True",
}

_KNOWN_KEYS = {key.lower(): key for key in ("VB_Name", "VB_Base", *_CLASS_DEFAULTS)}


class VbaSourceError(ValueError):
    """A module cannot be stored as given (bad name, kind, character or line length)."""


@dataclass(frozen=True)
class VbaModule:
    """One VBA module: its name in the project, its kind, and its source text.

    ``kind`` is ``"standard"`` (a ``.bas`` module), ``"class"`` (a ``.cls`` class module) or
    ``"document"`` (the code module behind the workbook or a sheet: ``ThisWorkbook``,
    ``Sheet1`` …, whose names must equal the ``codeName`` attributes of the workbook's XML).
    ``source`` is the ``.bas``/``.cls`` text as exported by the VBA editor, or the stored form;
    both are accepted (see :func:`module_stream_text`).
    """

    name: str
    kind: ModuleKind
    source: str

    def __post_init__(self) -> None:
        check_identifier(self.name, "module name / 模块名")
        if self.name.lower() in _RESERVED_STREAMS:
            raise VbaSourceError(f"模块名 {self.name!r} 与 VBA 工程的内部流同名 (reserved name)")
        if self.kind not in MODULE_KINDS:
            raise VbaSourceError(
                f"模块 {self.name} 的类型 {self.kind!r} 无效，应为 standard/class/document"
            )


def check_identifier(name: str, what: str) -> None:
    """VBA project and module names: an ASCII letter, then letters, digits or ``_``, ≤ 31."""
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise VbaSourceError(
            f"{what} {name!r} 无效：须以英文字母开头，只含英文字母、数字和下划线，最长 31 个字符"
        )


def _split_lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _strip_class_block(lines: list[str]) -> list[str]:
    """Drop the ``VERSION 1.0 CLASS`` / ``BEGIN`` … ``END`` block of an exported .cls file."""
    if not lines or not lines[0].strip().upper().startswith("VERSION "):
        return lines
    rest = lines[1:]
    if rest and rest[0].strip().upper() == "BEGIN":
        for i, line in enumerate(rest):
            if line.strip().upper() == "END":
                return rest[i + 1 :]
        raise VbaSourceError("类模块开头的 BEGIN 块没有 END (unterminated BEGIN block)")
    return rest


def module_stream_text(module: VbaModule) -> str:
    """The text stored in ``module``'s stream, hence what any reader gets back.

    - line ends become CR LF and the text ends with one;
    - an exported class file's ``VERSION``/``BEGIN … END`` block is dropped;
    - the leading ``Attribute VB_…`` lines are kept, ``VB_Name`` first and set to the module's
      declared name; class and document modules get ``VB_Base`` (class: the VBA class base;
      ``ThisWorkbook``: Excel's workbook; any other document module: a worksheet) and the usual
      ``VB_GlobalNameSpace`` … ``VB_Customizable`` lines where missing, in the editor's order;
    - the code itself is kept as given, character for character.

    Already-stored text comes back unchanged (the function is idempotent).
    """
    lines = _strip_class_block(_split_lines(module.source.lstrip("\ufeff")))
    attributes: dict[str, str] = {}
    body_at = 0
    for line in lines:
        match = _ATTRIBUTE.match(line.strip())
        if not match:
            break
        key = _KNOWN_KEYS.get(match.group(1).lower(), match.group(1))  # VBA ignores case
        attributes.setdefault(key, match.group(2).strip())
        body_at += 1
    body = lines[body_at:]

    header = {"VB_Name": f'"{module.name}"'}
    if module.kind != "standard":
        if module.kind == "class":
            header["VB_Base"] = attributes.get("VB_Base", CLASS_BASE)
            defaults = _CLASS_DEFAULTS
        else:
            base = WORKBOOK_BASE if module.name.lower() == "thisworkbook" else WORKSHEET_BASE
            header["VB_Base"] = attributes.get("VB_Base", base)
            defaults = _DOCUMENT_DEFAULTS
        for key, value in defaults.items():
            header[key] = attributes.get(key, value)
    for key, value in attributes.items():
        header.setdefault(key, value)
    out = [f"Attribute {key} = {value}" for key, value in header.items()] + body
    return "".join(line + "\r\n" for line in out)


def check_stream_text(name: str, text: str, ascii_only: bool) -> None:
    """Refuse lines the VBA editor would not load, and non-ASCII text when it must be ASCII."""
    for number, line in enumerate(text.split("\r\n"), start=1):
        if len(line) > MAX_LINE:
            raise VbaSourceError(
                f"模块 {name} 第 {number} 行有 {len(line)} 个字符，超过 VBA 每行 {MAX_LINE} 个字符的上限"
            )
        if ascii_only and not line.isascii():
            bad = next(c for c in line if not c.isascii())
            raise VbaSourceError(
                f"模块 {name} 第 {number} 行含非 ASCII 字符 {bad!r}：VBA 源码须为纯 ASCII，"
                "中文字符串请用 vba_string_literal() 写成 ChrW() 表达式 "
                f"(non-ASCII character in module {name}, line {number})"
            )


_CONTROL_NAMES = {"\r\n": "vbCrLf", "\r": "vbCr", "\n": "vbLf", "\t": "vbTab"}
_PIECE = re.compile(r"\r\n|[\x20-\x7e]{1,200}|[\s\S]", re.DOTALL)


def _pieces(text: str) -> list[str]:
    """VBA expressions whose concatenation is ``text``: quoted ASCII runs, vbCrLf & co, ChrW()."""
    pieces: list[str] = []
    for run in _PIECE.findall(text):
        if run in _CONTROL_NAMES:
            pieces.append(_CONTROL_NAMES[run])
        elif len(run) > 1 or 0x20 <= ord(run) <= 0x7E:
            pieces.append('"' + run.replace('"', '""') + '"')
        else:
            units = run.encode("utf-16-le")  # two code units (a surrogate pair) off the BMP
            codes = [int.from_bytes(units[i : i + 2], "little") for i in range(0, len(units), 2)]
            pieces.append(" & ".join(f"ChrW({code})" for code in codes))
    return pieces


def vba_string_literal(text: str) -> str:
    r'''A pure-ASCII VBA expression whose value is ``text``.

    Printable ASCII stays a quoted literal (``"`` doubled); CR LF, CR, LF and TAB become
    ``vbCrLf``/``vbCr``/``vbLf``/``vbTab``; every other character becomes ``ChrW(<code>)``
    (decimal UTF-16 code unit, so characters outside the BMP become a surrogate pair), all
    joined with ``&``. Example: ``vba_string_literal('统计 "ok"')`` is
    ``ChrW(32479) & ChrW(35745) & " ""ok"""``.

    It is an expression, not a literal: use it where VBA evaluates expressions (``MsgBox``,
    assignments, arguments), never in a ``Const`` declaration, which VBA restricts to literals.
    Mind the VBA line limit of 1023 characters: a Chinese character costs about 14. For long
    text use :func:`vba_string_assignment`.
    '''
    pieces = _pieces(text)
    return " & ".join(pieces) if pieces else '""'


def vba_string_assignment(variable: str, text: str, max_line: int = 900) -> list[str]:
    """VBA statements that set ``variable`` to ``text``, each line at most ``max_line`` long:
    ``v = <expr>`` then ``v = v & <expr>`` as often as needed (no line continuations, whose
    count VBA limits to 24)."""
    first, more = f"{variable} = ", f"{variable} = {variable} & "
    if max_line < len(more) + 220:
        raise ValueError("max_line too small")
    lines: list[str] = []
    current: list[str] = []
    for piece in _pieces(text) or ['""']:
        prefix = more if lines else first
        if current and len(prefix) + len(" & ".join([*current, piece])) > max_line:
            lines.append(prefix + " & ".join(current))
            current = []
        current.append(piece)
    lines.append((more if lines else first) + " & ".join(current))
    return lines
