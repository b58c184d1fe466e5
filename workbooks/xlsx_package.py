"""Writing cell values straight into an .xlsx/.xlsm package, leaving every other byte alone.

openpyxl saves formulas without their cached values and rewrites the whole file. Here the
sheet XML of the original package is patched in place instead: each formula cell gets a
``<v>`` (with ``t="e"`` for an error, ``t="str"`` for text, ``t="b"`` for TRUE/FALSE) next to
its unchanged ``<f>``, or — for a values-only copy — loses its ``<f>``. Styles, merged cells,
column widths, conditional formats, charts and the VBA project of an .xlsm are copied as they
are.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, NamedTuple
from xml.sax.saxutils import escape, unescape

from defusedxml import ElementTree
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from workbooks.formula.values import XLError, number_text
from workbooks.safe_files import write_file

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_SHEET_DATA = re.compile(r"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", re.S)
_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_FORMULA = re.compile(r"<f\b[^>]*?(?:/>|>.*?</f>)", re.S)
_EXT = re.compile(r"<extLst\b.*?</extLst>", re.S)
_REF = re.compile(r"""\sr=["']([A-Z]+)(\d+)["']""")
_ROW_NUMBER = re.compile(r"""\sr=["'](\d+)["']""")
_TYPE = re.compile(r"""\st=["'][^"']*["']""")
_CM = re.compile(r"""\s(?:cm|vm)=["'][^"']*["']""")
_SPANS = re.compile(r"""\sspans=["'][^"']*["']""")


class NoValue:
    """Marker: remove any cached value (the formula could not be evaluated)."""


NO_VALUE = NoValue()


class Update(NamedTuple):
    """What to write into one cell: its value, and whether the formula is removed."""

    value: Any
    drop_formula: bool = False


#: The updates of one sheet: (row, col) → what to write. Each is an :class:`Update`, or for
#: the common case of a formula that stays, just the value (:data:`NO_VALUE`: the cached value
#: is removed) — no object per cell for a large workbook.
CellUpdates = Mapping[tuple[int, int], Any]


def _as_update(update: Any) -> Update:
    return update if type(update) is Update else Update(update)


def _drops_formula(update: Any) -> bool:
    """Whether the cell loses its formula (a cell left without a value keeps it)."""
    return type(update) is Update and update.drop_formula and not isinstance(update.value, NoValue)


def value_xml(value: Any) -> tuple[str | None, str]:
    """The ``t`` attribute and ``<v>`` text for a value."""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, XLError):
        return "e", value.literal
    if isinstance(value, str):
        return "str", _text_xml(value)
    if isinstance(value, (int, float)):
        return None, _number_xml(float(value))
    if value is None:
        return None, "0"
    raise TypeError(f"cannot store {value!r} as a cell value")


def _number_xml(number: float) -> str:
    """A number's ``<v>`` text: an integer without a decimal point, else every digit Python
    needs to read the same float back (``repr``)."""
    if number.is_integer() and -1e15 < number < 1e15:
        return str(int(number))
    return repr(number)


#: the characters XML 1.0 cannot hold (control characters other than tab, newline, return)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text_xml(text: str) -> str:
    """Text as element content: characters XML cannot hold dropped, ``&<>`` escaped."""
    if _NOT_XML.search(text) is not None:
        text = _NOT_XML.sub("", text)
    return escape(text)


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name → part path inside the package (``xl/worksheets/sheet1.xml``)."""
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name", "")] = os.path.normpath(path).replace(os.sep, "/")
    return parts


def _rewrite_cell(attrs: str, inner: str, update: Any) -> str:
    """A cell element with ``update`` written (``attrs`` and ``inner``: the cell's own)."""
    value, drop_formula = _as_update(update)
    attrs = _TYPE.sub("", attrs)
    formula = _FORMULA.search(inner) if inner else None
    ext = _EXT.search(inner) if inner else None
    if isinstance(value, NoValue):
        if formula is None:
            return f"<c{attrs}/>"
        return f"<c{attrs}>{formula.group(0)}{ext.group(0) if ext else ''}</c>"
    kind, text = value_xml(value)
    if drop_formula:
        attrs = _CM.sub("", attrs)
        formula = None
        if kind == "str":  # a constant text cell is an inline string once it has no formula
            kind = "inlineStr"
    if kind is not None:
        attrs = f'{attrs.rstrip()} t="{kind}"'
    body = (
        f'<is><t xml:space="preserve">{text}</t></is>' if kind == "inlineStr" else f"<v>{text}</v>"
    )
    return f"<c{attrs}>{formula.group(0) if formula else ''}{body}{ext.group(0) if ext else ''}</c>"


def _column(letters: str) -> int:
    return column_index_from_string(letters)


_SHARED_MASTER = re.compile(
    r"""<f\b(?=[^>]*\bt=["']shared["'])(?=[^>]*\bref=)[^>]*\bsi=["'](\d+)["'][^>]*>(.*?)</f>""",
    re.S,
)
_SHARED_CHILD = re.compile(r"""<f\b(?=[^>]*\bt=["']shared["'])[^>]*\bsi=["'](\d+)["'][^>]*/>""")


def _keep_shared_children(xml: str, updates: CellUpdates) -> str:
    """When the master cell of a shared formula loses its formula, the cells of the group that
    keep theirs get the formula written out in full (they only pointed at the master)."""
    from openpyxl.formula.translate import Translator

    masters: dict[str, Translator] = {}
    for match in _CELL.finditer(xml):
        ref = _REF.search(match.group(1))
        inner = match.group(2) or ""
        if ref is None or "shared" not in inner:
            continue
        drops = _drops_formula(updates.get((int(ref.group(2)), _column(ref.group(1)))))
        master = _SHARED_MASTER.search(inner)
        if master and drops:
            text = unescape(master.group(2))
            masters[master.group(1)] = Translator(f"={text}", ref.group(1) + ref.group(2))
    if not masters:
        return xml

    def rewrite(match: re.Match[str]) -> str:
        ref = _REF.search(match.group(1))
        inner = match.group(2) or ""
        child = _SHARED_CHILD.search(inner)
        if ref is None or child is None or child.group(1) not in masters:
            return match.group(0)
        if _drops_formula(updates.get((int(ref.group(2)), _column(ref.group(1))))):
            return match.group(0)
        formula = masters[child.group(1)].translate_formula(ref.group(1) + ref.group(2))
        full = f"<f>{escape(formula[1:])}</f>"
        return f"<c{match.group(1)}>{inner[: child.start()]}{full}{inner[child.end() :]}</c>"

    return _CELL.sub(rewrite, xml)


def patch_sheet(xml: str, updates: CellUpdates) -> str:
    """The sheet XML with ``updates`` written into its cells (cells/rows created if missing)."""
    return "".join(_patched_pieces(xml, updates))


def _patched_pieces(xml: str, updates: CellUpdates) -> list[str]:
    """:func:`patch_sheet`'s text as a list of pieces, each up to a few hundred kilobytes (a
    large sheet is never held whole a second time, nor as one piece per cell)."""
    if not updates:
        return [xml]
    if "shared" in xml and any(map(_drops_formula, updates.values())):
        xml = _keep_shared_children(xml, updates)
    pieces, left = _formula_cell_pieces(xml, updates)
    if not left:
        return pieces
    return [_patch_rows("".join(pieces), left)]


#: A cell holding a formula and at most a cached value, as spreadsheet writers write them: its
#: address first (letters and digits captured; taken whole or not at all) or anywhere among its
#: attributes (the attributes after the address captured), then the formula element (captured).
_FORMULA_CELL = re.compile(
    r'<c\b(?> r="([A-Z]{1,3})([0-9]+)")?([^>]*+)>'
    r"(<f\b[^>]*?(?:/>|>[^<]*</f>))(?:<v\s*/>|<v>[^<]*</v>)?</c>"
)
_FORMULA_ADDRESS = re.compile(r' r="([A-Z]{1,3})([0-9]+)"')
_PIECES_PER_CHUNK = 4096
_ABSENT = object()


def _formula_cell_pieces(xml: str, updates: CellUpdates) -> tuple[list[str], dict[Any, Any]]:
    """The updates of plain formula cells with an address written in one scan (the cells
    without a formula are passed over by the regular expression itself), as chunks of text
    (every :data:`_PIECES_PER_CHUNK` cells joined); and the updates left for
    :func:`_patch_rows`.

    Each written cell is one piece: the text since the previous one up to the end of its
    formula element (its address, attributes and formula as they are), then the new value.
    """
    left = dict(updates)
    take = left.pop
    columns: dict[str, int] = {}
    chunks: list[str] = []
    pieces: list[str] = []
    append = pieces.append
    last = 0
    address = _FORMULA_ADDRESS.search
    for match in _FORMULA_CELL.finditer(xml):
        letters, digits, attrs, formula = match.groups()
        if letters is None:
            found = address(attrs)
            if found is None:
                continue
            letters, digits = found.groups()
        col = columns.get(letters)
        if col is None:
            col = columns[letters] = _column(letters)
        update = take((int(digits), col), _ABSENT)
        if update is _ABSENT:  # not asked for, or the cell's second element in the XML
            continue
        if type(update) is float and "t=" not in attrs:
            # the most common cell: a number next to a formula that stays, no type to drop
            if update.is_integer() and -1e15 < update < 1e15:
                append(f"{xml[last : match.end(4)]}<v>{int(update)}</v></c>")
            else:
                append(f"{xml[last : match.end(4)]}<v>{update!r}</v></c>")
        else:
            start = match.start()
            cell_attrs = xml[start + 2 : match.end(3)]
            value, drop = update if type(update) is Update else (update, False)
            if "t=" in attrs or (drop and ("cm=" in attrs or "vm=" in attrs)):
                cell = _rewrite_cell(cell_attrs, formula, update)
            else:
                cell = _plain_cell(cell_attrs, formula, value, drop)
            append(f"{xml[last:start]}{cell}")
        last = match.end()
        if len(pieces) >= _PIECES_PER_CHUNK:
            chunks.append("".join(pieces))
            pieces.clear()
    if len(left) == len(updates):
        return [xml], left
    append(xml[last:])
    chunks.append("".join(pieces))
    return chunks, left


def _plain_cell(attrs: str, formula: str, value: Any, drop_formula: bool) -> str:
    """:func:`_rewrite_cell` for a formula cell without a type attribute (nor, when its formula
    goes, ``cm``/``vm``): nothing to remove from its attributes."""
    if isinstance(value, NoValue):
        return f"<c{attrs}>{formula}</c>"
    kind, text = value_xml(value)
    if drop_formula:
        if kind == "str":  # a constant text cell is an inline string once it has no formula
            return (
                f'<c{attrs.rstrip()} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
            )
        formula = ""
    if kind is None:
        return f"<c{attrs}>{formula}<v>{text}</v></c>"
    return f'<c{attrs.rstrip()} t="{kind}">{formula}<v>{text}</v></c>'


def _patch_rows(xml: str, updates: CellUpdates) -> str:
    """:func:`patch_sheet` row by row: cells without an address, cells to create, the rest."""
    by_row: dict[int, dict[int, Any]] = defaultdict(dict)
    for (row, col), update in updates.items():
        by_row[row][col] = update
    match = _SHEET_DATA.search(xml)
    if match is None:
        raise ValueError("worksheet has no sheetData")
    content = match.group(1) or ""
    rows: list[tuple[int, str]] = []
    for row_match in _ROW.finditer(content):
        attrs, inner = row_match.group(1), row_match.group(2) or ""
        number_match = _ROW_NUMBER.search(attrs)
        number = int(number_match.group(1)) if number_match else (rows[-1][0] + 1 if rows else 1)
        wanted = by_row.pop(number, None)
        if not wanted:
            rows.append((number, row_match.group(0)))
            continue
        cells: list[tuple[int, str]] = []
        for cell_match in _CELL.finditer(inner):
            cell_attrs, cell_inner = cell_match.group(1), cell_match.group(2) or ""
            ref = _REF.search(cell_attrs)
            col = _column(ref.group(1)) if ref else (cells[-1][0] + 1 if cells else 1)
            update = wanted.pop(col, _ABSENT)
            text = (
                cell_match.group(0)
                if update is _ABSENT
                else _rewrite_cell(cell_attrs, cell_inner, update)
            )
            cells.append((col, text))
        if wanted:
            attrs = _SPANS.sub("", attrs)
            for col, update in wanted.items():
                ref = f' r="{get_column_letter(col)}{number}"'
                cells.append((col, _rewrite_cell(ref, "", update)))
            cells.sort(key=lambda item: item[0])
        rows.append((number, f"<row{attrs}>{''.join(text for _, text in cells)}</row>"))
    for number, wanted in by_row.items():
        cells_text = "".join(
            _rewrite_cell(f' r="{get_column_letter(col)}{number}"', "", wanted[col])
            for col in sorted(wanted)
        )
        rows.append((number, f'<row r="{number}">{cells_text}</row>'))
    rows.sort(key=lambda item: item[0])
    body = "".join(text for _, text in rows)
    return f"{xml[: match.start()]}<sheetData>{body}</sheetData>{xml[match.end() :]}"


_CALC_CHAIN_REL = re.compile(r"<Relationship\b[^>]*calcChain[^>]*/>")
_CALC_CHAIN_TYPE = re.compile(r"<Override\b[^>]*calcChain[^>]*/>")


def write_package(
    source: Path | BinaryIO,
    target: Path,
    updates: Mapping[str, CellUpdates],
    drop_calc_chain: bool = False,
) -> None:
    """Copy ``source`` (a file, or a package in memory) to ``target`` with the cell ``updates``
    (sheet name → cells) applied.

    The new file is written through :func:`workbooks.safe_files.write_file` (a temporary file
    next to ``target``, synced, then renamed), so a failure never leaves a half-written
    workbook.
    """
    with zipfile.ZipFile(source) as package:
        parts = sheet_parts(package)
        patched = {parts[name]: cells for name, cells in updates.items() if cells}

        def write(handle: BinaryIO) -> None:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as out:
                for info in package.infolist():
                    if drop_calc_chain and info.filename == "xl/calcChain.xml":
                        continue
                    data = package.read(info.filename)
                    if info.filename in patched:
                        xml = data.decode("utf-8")
                        del data
                        pieces = _patched_pieces(xml, patched[info.filename])
                        del xml
                        _write_pieces(out, info, pieces)
                        continue
                    if drop_calc_chain and info.filename == "xl/_rels/workbook.xml.rels":
                        data = _CALC_CHAIN_REL.sub("", data.decode("utf-8")).encode("utf-8")
                    elif drop_calc_chain and info.filename == "[Content_Types].xml":
                        data = _CALC_CHAIN_TYPE.sub("", data.decode("utf-8")).encode("utf-8")
                    # the fastest deflate level: a few per cent larger, several times faster
                    out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)

        write_file(target, write)


def _write_pieces(out: zipfile.ZipFile, info: zipfile.ZipInfo, pieces: list[str]) -> None:
    """One part written from its pieces of text, each encoded and dropped in turn (as
    ``writestr`` writes a part, at the fastest deflate level)."""
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # type: ignore[attr-defined]  # what writestr's compresslevel sets
    pieces.reverse()
    with out.open(info, "w") as handle:
        while pieces:
            handle.write(pieces.pop().encode("utf-8"))


def group_by_sheet(
    cells: Iterable[tuple[tuple[str, int, int], Update]],
) -> dict[str, dict[tuple[int, int], Update]]:
    out: dict[str, dict[tuple[int, int], Update]] = defaultdict(dict)
    for (sheet, row, col), update in cells:
        out[sheet][(row, col)] = update
    return dict(out)


__all__ = ["NO_VALUE", "Update", "group_by_sheet", "number_text", "patch_sheet", "write_package"]
