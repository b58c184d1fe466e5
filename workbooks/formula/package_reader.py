"""Reading constants and formulas straight from the sheet XML of an .xlsx/.xlsm package.

Three times faster than openpyxl on formula-heavy workbooks (it builds no cell objects and
leaves dates as the serial numbers formulas compute with), and it reads the very XML that
:mod:`workbooks.xlsx_package` patches. Shared formulas need no translation: every cell of a group
gets the master's tokens, whose references are already relative to the formula's cell. A
package it does not understand (prefixed XML elements, odd parts) returns ``None`` and the
caller falls back to openpyxl. Calls of the add-in's functions saved as external references
(``[1]!TJ_GROWTH(...)``, see :mod:`workbooks.formula.addin_links`) are read as ``TJ_`` calls.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import to_excel

from workbooks.formula.addin_links import local_addin_calls, package_addin_links
from workbooks.formula.model import Formula, Sheet
from workbooks.formula.tokens import shape_tokens
from workbooks.formula.values import Unsupported, XLError
from workbooks.package_guard import Limits, PackageError, column_letters
from workbooks.xlsx_package import sheet_parts


def _inside(tag: str, capture: bool = True) -> str:
    """An element's content up to its end tag (captured), never running past the start of the
    next element of the same name (a package read before it is vetted may leave an element
    unclosed: each attempt stops there, so reading stays linear in the part's size)."""
    content = rf"(?:[^<]++|<(?!/{tag}>|{tag}[\s/>]))*+"
    return rf"({content})</{tag}>" if capture else rf"{content}</{tag}>"


#: A start tag's attributes (a ``<`` cannot be in them), up to ``>`` or ``/>``.
_ATTRIBUTES = r"((?:[^<>/]++|/(?!>))*+)"
# A cell as spreadsheet writers write it (address first, then style and type, double quotes):
# address and type captured at once; any other cell through the general pattern.
# The usual contents are taken apart at once: a plain formula (its cached value ignored), a
# value alone, an inline string of one text.
_ANY_CELL = re.compile(
    r'<c r="([A-Z]{1,3})([0-9]+)"(?: s="[0-9]+")?(?: t="([a-zA-Z]+)")?(?: s="[0-9]+")?'
    r"(?:/>"
    r"|><f>([^<]*)</f>(?:<v>[^<]*</v>|<v/>)?</c>"
    r"|><v>([^<]*)</v></c>"
    r"|><is><t>([^<]*)</t></is></c>"
    rf"|>{_inside('c')})"
    rf"|<c(?=[\s/>]){_ATTRIBUTES}(?:/>|>{_inside('c')})",
    re.S,
)
# a name starts after a character that cannot be in one: every attempt is linear
_ATTR = re.compile(r"""(?<![\w:.-])([\w:.-]++)=["']([^"']*)["']""")
# Markup the patterns do not take apart makes a part "not plain" (ValueError: openpyxl reads
# the package instead, once vetted), never a value silently left out: a comment or CDATA
# ("<!"); a cell the patterns pass over (one start tag ``<c `` per cell read, so an end tag
# written ``</c >`` is noticed); a value or text element they cannot find in a cell or shared
# string (``<v >``, ``</t >``); a shared string they pass over (``<si >``).
_F = re.compile(rf"<f(?=[\s/>]){_ATTRIBUTES}(?:/>|>{_inside('f')})", re.S)
_V = re.compile(rf"<v>{_inside('v')}", re.S)
_T = re.compile(rf"<t(?=[\s>])[^<>]*+>{_inside('t')}", re.S)
_PHONETIC = re.compile(rf"<rPh(?=[\s>])[^<>]*+>{_inside('rPh', capture=False)}", re.S)
_SI = re.compile(rf"<si>{_inside('si')}|<si/>", re.S)
_REF = re.compile(r"([A-Z]+)(\d+)")
_DEFINED = re.compile(rf"<definedName(?=[\s>]){_ATTRIBUTES}>{_inside('definedName')}", re.S)
_MB = 1 << 20

# --- character data ----------------------------------------------------------------------------

# A run of references that may stand for "&" (``&amp;``, ``&#38;``): decoded in one pass, so that
# no "&" they give is read again as the start of a reference; runs (``&#21439;&#26399;``, a
# Chinese name) at once and remembered. The other four entities never give "&" and go first.
_REFERENCE = r"&(?:amp|#[0-9]+|#x[0-9a-fA-F]+);"
_REFERENCE_RUN = re.compile(f"{_REFERENCE}(?:{_REFERENCE})*")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_RUNS: dict[str, str] = {}
_RUNS_KEPT = 1 << 12


def _character(reference: str) -> str:
    """The character of one reference without its ``&`` and ``;`` (``lt``, ``#21439``,
    ``#x4e0a``). A code point XML does not allow is malformed XML (ValueError)."""
    if reference[0] != "#":
        return _ENTITIES[reference]
    code = int(reference[2:], 16) if reference[1] == "x" else int(reference[1:])
    if not (
        0x20 <= code <= 0xD7FF
        or code in (0x9, 0xA, 0xD)
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ):
        raise ValueError(f"character reference &{reference}; is not an XML character")
    return chr(code)


def _decoded_run(match: re.Match[str]) -> str:
    run = match.group()
    found = _RUNS.get(run)
    if found is None:
        found = "".join(_character(ref) for ref in run[1:-1].split(";&"))
        if len(_RUNS) >= _RUNS_KEPT:
            _RUNS.clear()
        _RUNS[run] = found
    return found


def xml_text(raw: str) -> str:
    """The character data an XML parser reports for ``raw`` (element content without markup):
    line ends normalised (``\\r\\n`` and ``\\r`` read as ``\\n``), the five entities of XML and
    numeric character references (``&#21439;``, ``&#x4e0a;``) replaced, each exactly once —
    ``&amp;lt;`` is the text ``&lt;``. An undeclared entity (``&nbsp;``) stays as written (a
    well-formed part has none)."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in raw:
        return raw
    # every "&" of well-formed XML starts a reference: each "&lt;" found is one
    raw = raw.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    raw = raw.replace("&apos;", "'")
    if "&#" in raw:
        return _REFERENCE_RUN.sub(_decoded_run, raw)
    return raw.replace("&amp;", "&")  # last: ``&amp;lt;`` stays ``&lt;``


def _text(xml: str) -> str:
    """The text of a shared or inline string: its ``<t>`` runs, phonetic runs left out."""
    body = _PHONETIC.sub("", xml) if "<rPh" in xml else xml
    runs = _T.findall(body)
    if len(runs) != body.count("<t>") + body.count("<t "):
        raise ValueError("a text run the pattern passed over")
    return xml_text("".join(runs))


def _shared_strings(package: zipfile.ZipFile) -> list[str]:
    try:
        xml = package.read("xl/sharedStrings.xml").decode("utf-8")
    except KeyError:
        return []
    if "<!" in xml:
        raise ValueError("a comment or CDATA in the shared strings")
    strings = [_text(m.group(1) or "") for m in _SI.finditer(xml)]
    if len(strings) != xml.count("<si"):
        raise ValueError("a shared string the pattern passed over")
    return strings


def _value(kind: str, raw: str | None, inner: str, strings: list[str]) -> Any:
    if kind == "inlineStr":
        return _text(inner)
    if raw is None:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind == "str":
        return xml_text(raw)
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return XLError(raw.strip())
    if kind == "d":
        return float(to_excel(dt.datetime.fromisoformat(raw.strip())))
    return float(raw)


def _bounds(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    a, b = _REF.fullmatch(first.replace("$", "")), _REF.fullmatch((last or first).replace("$", ""))
    if a is None or b is None:
        raise ValueError(ref)
    return (
        int(a.group(2)),
        column_index_from_string(a.group(1)),
        int(b.group(2)),
        column_index_from_string(b.group(1)),
    )


_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    found = _COLUMNS.get(letters)
    if found is None:
        found = _COLUMNS[letters] = column_index_from_string(letters)
    return found


def _attribute(attrs: str, name: str) -> str | None:
    """One attribute of a start tag's text (``name="…"`` as spreadsheet writers write it; the
    general pattern for anything else)."""
    at = attrs.find(f' {name}="')
    if at >= 0 and "'" not in attrs:
        start = at + len(name) + 3
        return attrs[start : attrs.index('"', start)]
    if "=" not in attrs:
        return None
    return dict(_ATTR.findall(attrs)).get(name)


class _Budget:
    """The limits of a package not yet vetted: cells read so far, and refusals in the words of
    :mod:`workbooks.package_guard`."""

    CHECK_EVERY = 1 << 16  # cells between two checks inside a sheet

    def __init__(self, file_name: str, limits: Limits):
        self.file_name, self.limits = file_name, limits
        self.cells = self.size = 0

    def refuse(self, message: str) -> PackageError:
        return PackageError(f"「{self.file_name}」{message}。未作任何处理")

    def part(self, package: zipfile.ZipFile, part: str) -> None:
        """A part is not read when it (or all parts read together) would be too large."""
        size = package.getinfo(part).file_size
        self.size += size
        limit = self.limits.member_size
        if size > limit:
            raise self.refuse(
                f"的部件「{part}」解压后有 {size / _MB:,.0f} MB，超过上限 {limit / _MB:,.0f} MB"
                "（可能是恶意的“压缩炸弹”）"
            )
        if self.size > self.limits.total_size:
            raise self.refuse(
                f"解压后共 {self.size / _MB:,.0f} MB 以上，超过上限 "
                f"{self.limits.total_size / _MB:,.0f} MB（可能是恶意的“压缩炸弹”）"
            )

    def strings(self, count: int) -> None:
        if count > self.limits.strings:
            raise self.refuse(f"的共享字符串表有 {count:,} 条，超过上限 {self.limits.strings:,}")

    def grid(self, sheet: str, cells: int, max_row: int, max_col: int) -> None:
        """``cells`` more cells read in ``sheet``, spread over A1 to (max_row, max_col)."""
        limits = self.limits
        area = max_row * max_col
        if area > limits.area:
            raise self.refuse(
                f"的工作表「{sheet}」的单元格分布在 A1:{column_letters(max_col)}{max_row}"
                f"（{area:,} 个单元格），超过上限 {limits.area:,}（请删除远处多余的单元格后另存）"
            )
        if self.cells + cells > limits.cells:
            raise self.refuse(
                f"的单元格超过 {limits.cells:,} 个（到工作表「{sheet}」为止），超过上限"
            )


def _sheet(
    name: str,
    xml: str,
    strings: list[str],
    links: frozenset[int] = frozenset(),
    budget: _Budget | None = None,
) -> Sheet:
    sheet = Sheet(name)
    constants, formulas = sheet.constants, sheet.formulas
    masters: dict[str, tuple[str, Any]] = {}
    max_row = max_col = 0
    ref_match = _REF.fullmatch
    known_column = _COLUMNS.get
    if "<!" in xml:
        raise ValueError("a comment or CDATA in the sheet")
    check = budget.CHECK_EVERY - 1 if budget is not None else -1
    count = 0
    # one cell at a time: no list of every cell's parts
    for count, match in enumerate(_ANY_CELL.finditer(xml), 1):
        if not count & check and budget is not None:
            budget.grid(name, count, max_row, max_col)
        letters, digits, kind, plain, value, text, inner, attrs, other = match.groups()
        if not letters:
            ref = ref_match(_attribute(attrs, "r") or "")
            if ref is None:
                raise ValueError("cell without reference")
            letters, digits, inner = ref.group(1), ref.group(2), other
            kind = _attribute(attrs, "t") if "t=" in attrs else None
        row, col = int(digits), known_column(letters) or _column(letters)
        if row > max_row:
            max_row = row
        if col > max_col:
            max_col = col
        if plain is not None:  # a plain formula, written out
            if "&" in plain or "\r" in plain:
                plain = xml_text(plain)
            formulas[(row, col)] = Formula(local_addin_calls(plain, links) if links else plain)
            continue
        if value is not None:
            constants[(row, col)] = (
                float(value) if not kind or kind == "n" else _value(kind, value, "", strings)
            )
            continue
        if text is not None:
            if kind == "inlineStr":
                constants[(row, col)] = xml_text(text)
            continue
        if not inner:
            continue
        if inner.startswith("<f>"):  # a plain formula, written out
            end = inner.find("</f>")
            if end < 0:  # an end tag the pattern cannot read (``</f >``)
                raise ValueError("formula element not closed")
            text = inner[3:end]
            if "&" in text or "\r" in text:
                text = xml_text(text)
            formulas[(row, col)] = Formula(local_addin_calls(text, links) if links else text)
            continue
        if "<f" not in inner:
            value_match = _V.search(inner)
            if value_match is None and "<v" in inner.replace("<v/>", ""):
                raise ValueError("a value element the pattern cannot read")
            value = _value(
                kind or "n", value_match.group(1) if value_match else None, inner, strings
            )
            if value is not None:
                constants[(row, col)] = value
            continue
        formula = _F.search(inner)
        if formula is None:
            raise ValueError("formula element not closed")
        f_attrs = dict(_ATTR.findall(formula.group(1)))
        text = local_addin_calls(xml_text(formula.group(2) or ""), links)
        f_kind = f_attrs.get("t", "normal")
        if f_kind == "array":
            formulas[(row, col)] = Formula(text, _bounds(f_attrs.get("ref", "")))
        elif f_kind == "shared":
            si = f_attrs.get("si", "")
            if text:  # the master of the group
                try:
                    tokens = shape_tokens(text, row, col)
                except Unsupported:
                    tokens = None
                masters[si] = (text, tokens)
                formulas[(row, col)] = Formula(text, tokens=tokens)
            elif si in masters and masters[si][1] is not None:
                formulas[(row, col)] = Formula(masters[si][0], tokens=masters[si][1])
            else:
                formulas[(row, col)] = Formula("#共享公式无法读取")
        elif f_kind == "dataTable":
            formulas[(row, col)] = Formula("#TABLE()")
        else:
            formulas[(row, col)] = Formula(text)
    if budget is not None:
        budget.grid(name, count, max_row, max_col)
        budget.cells += count
    sheet.max_row, sheet.max_col = max_row, max_col
    starts = xml.count("<c ")
    if count != starts:  # cells may also be written "<c" and a tab or a line break
        starts += sum(map(xml.count, ("<c\t", "<c\n", "<c\r")))
    if count != starts:
        raise ValueError("a cell the patterns passed over")
    return sheet


def read_package(
    path: Path, limits: Limits | None = None
) -> tuple[list[Sheet], dict[str, str]] | None:
    """Sheets and workbook-level defined names, or None when the package is not plain enough.

    With ``limits`` (a package not yet vetted by :func:`workbooks.package_guard.vet_package`)
    the reading stops with :class:`PackageError` as soon as a part it reads, the cells read so
    far or the area one sheet's cells span exceed them."""
    budget = _Budget(Path(path).name, limits) if limits is not None else None
    try:
        with zipfile.ZipFile(path) as package:
            if budget is not None and "xl/sharedStrings.xml" in package.NameToInfo:
                budget.part(package, "xl/sharedStrings.xml")
            strings = _shared_strings(package)
            if budget is not None:
                budget.strings(len(strings))
            links = frozenset(package_addin_links(package))
            sheets = []
            for name, part in sheet_parts(package).items():
                if budget is not None:
                    budget.part(package, part)
                xml = package.read(part).decode("utf-8")
                if "<sheetData" not in xml:
                    if "<chartsheet" in xml or "<dialogsheet" in xml:
                        continue  # no cells: openpyxl leaves these out as well
                    return None  # e.g. prefixed elements (<x:sheetData>): let openpyxl read it
                sheets.append(_sheet(name, xml, strings, links, budget))
            if budget is not None:
                budget.part(package, "xl/workbook.xml")
            book = package.read("xl/workbook.xml").decode("utf-8")
            names = {}
            for match in _DEFINED.finditer(book):
                attrs = dict(_ATTR.findall(match.group(1)))
                if "localSheetId" in attrs or "name" not in attrs:
                    continue
                text = xml_text(match.group(2))
                names[attrs["name"]] = text[1:] if text.startswith("=") else text
    except PackageError:
        raise  # a refusal (a ValueError as well): not a package to read another way
    except (KeyError, ValueError, IndexError, UnicodeDecodeError, zipfile.BadZipFile):
        return None
    return sheets, names
