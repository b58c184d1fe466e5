"""How a sheet is laid out on paper for the meeting (打印版): paper, scale, titles, margins.

Bureau tables go to meetings on A4 or A3. :func:`plan_layout` measures the sheet (column
widths, the smallest font of a filled cell) and chooses, in this order:

1. A4 (portrait when the sheet is narrow enough, else landscape) at the scale that fits the
   width of the page, never above 100 % and never so small that the smallest text prints under
   :data:`MIN_POINTS` (8 pt) — a sheet in 6 pt type is enlarged to 134 % when that fits;
2. A3 landscape under the same rule;
3. A3 landscape at the scale that prints the smallest text at 8 pt, the table split across
   pages left to right between indicators (manual column breaks, each page holding whole
   indicators), each page repeating the header rows and the region column (Excel's print
   titles, ``_xlnm.Print_Titles``) and the title in the page header.

Header and title rows are repeated on every page in all three cases; the page is centred, with
the margins of a printed report and 「第 N 页 共 M 页」 in the footer. A sheet with a chart
(排名图) is printed on A4 landscape. :func:`apply_layout` writes the choice into the sheet XML
(``pageSetup``, ``pageMargins``, ``printOptions``, ``headerFooter``: ECMA-376 Part 1 §18.3.1)
and the workbook's defined names; nothing else in the package changes.

Widths: a column of width ``w`` characters is ``7w + 5`` pixels (Calibri 11, Excel's default),
¾ pt per pixel; LibreOffice, which sets the default font in Noto here, prints columns about
:data:`RENDERED_WIDTH` times as wide (measured on the 14-column test table: 650 pt for 595 pt).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from workbooks.sheet_xml import children_after

#: Smallest font size (points) a printed table may have.
MIN_POINTS = 8.0
#: (name, ECMA-376 paperSize, width, height in points).
PAPERS = {"A4": (9, 595.3, 841.9), "A3": (8, 841.9, 1190.6)}
#: Margins in inches (left, right, top, bottom, header, footer): about 1.5/1.5/2/1.5 cm.
MARGINS = (0.6, 0.6, 0.8, 0.6, 0.3, 0.3)
_DEFAULT_WIDTH = 8.43
#: How much wider LibreOffice prints a column than Excel's width formula says.
RENDERED_WIDTH = 1.1
_FOOTER = "&amp;C第 &amp;P 页 共 &amp;N 页"


@dataclass(frozen=True)
class Layout:
    """The page setup chosen for one sheet."""

    paper: str  # "A4" / "A3"
    landscape: bool
    scale: int  # percent
    title_rows: tuple[int, int] | None  # first and last row repeated on every page
    title_cols: tuple[int, int] | None  # first and last column repeated (a table split)
    smallest_font: float  # points, before scaling
    #: a table split across pages: its title printed in the page header of every page, and
    #: the printed area (first row, first column, last row, last column) without the title row
    header: str | None = None
    area: tuple[int, int, int, int] | None = None
    #: columns after which a new page starts (a split table: whole indicators on each page)
    col_breaks: tuple[int, ...] = ()

    def describe(self) -> str:
        """「A3 横向，缩放 72%（最小字号 8.0 磅），表格分页，每页重复地区列和表头」."""
        side = "横向" if self.landscape else "纵向"
        text = f"{self.paper} {side}，缩放 {self.scale}%（最小字号 {self.smallest_font * self.scale / 100:.1f} 磅）"
        if self.title_cols is not None:
            text += "，表格较宽，分页打印，每页重复地区列和表头"
        return text


def column_points(width: float | None) -> float:
    """The printed width in points of a column ``width`` characters wide."""
    w = _DEFAULT_WIDTH if width is None else width
    return (7 * w + 5) * 0.75 * RENDERED_WIDTH if w > 0 else 0.0


def _printable(paper: str, landscape: bool) -> float:
    _, width, height = PAPERS[paper]
    across = height if landscape else width
    return across - (MARGINS[0] + MARGINS[1]) * 72


def plan_layout(
    content_width: float,
    smallest_font: float,
    title_rows: tuple[int, int] | None,
    region_cols: tuple[int, int] | None,
    chart: bool = False,
) -> Layout:
    """The layout for a sheet ``content_width`` points wide whose smallest filled cell has
    ``smallest_font`` points (see the module docstring)."""
    least = math.ceil(MIN_POINTS / smallest_font * 100) if smallest_font > 0 else 100
    if chart:
        return Layout("A4", True, 100, title_rows, None, smallest_font)
    for paper, landscape in (("A4", False), ("A4", True), ("A3", True)):
        fit = math.floor(_printable(paper, landscape) / max(content_width, 1) * 100)
        if fit >= least:
            scale = max(least, min(100, fit))  # small print enlarged to 8 pt when it fits
            return Layout(paper, landscape, scale, title_rows, None, smallest_font)
    return Layout("A3", True, min(least, 400), title_rows, region_cols, smallest_font)


def measure(ws: Any) -> tuple[float, float, int, int]:
    """(content width in points, smallest font of a filled cell, last row, last column) of an
    openpyxl worksheet."""
    last_row, last_col = 1, 1
    smallest = math.inf
    for (row, col), cell in ws._cells.items():
        if cell.value is None or cell.value == "":
            continue
        last_row, last_col = max(last_row, row), max(last_col, col)
        size = cell.font.sz if cell.font is not None and cell.font.sz else 11.0
        smallest = min(smallest, float(size))
    total = sum(column_widths(ws, last_col).values())
    return total, (smallest if smallest != math.inf else 11.0), last_row, last_col


def column_widths(ws: Any, last_col: int) -> dict[int, float]:
    """Printed width in points (at 100 %) of columns 1 … ``last_col`` of an openpyxl sheet."""
    widths: dict[int, float | None] = {}
    for dim in ws.column_dimensions.values():
        if dim.min is None:
            continue
        for col in range(dim.min, (dim.max or dim.min) + 1):
            widths[col] = 0.0 if dim.hidden else dim.width or None
    default = ws.sheet_format.defaultColWidth
    return {col: column_points(widths.get(col, default)) for col in range(1, last_col + 1)}


# --- writing the layout into the package -----------------------------------------------------

_PAGE_PARTS = re.compile(
    r"<(printOptions|pageMargins|pageSetup|headerFooter)\b[^>]*?(?:/>|>.*?</\1>)", re.S
)
_SETUP_PR = re.compile(r"<pageSetUpPr\b[^>]*/>")
_COL_BREAKS = re.compile(r"<colBreaks\b[^>]*?(?:/>|>.*?</colBreaks>)", re.S)
_ROW_BREAKS = re.compile(r"<rowBreaks\b[^>]*?(?:/>|>.*?</rowBreaks>)", re.S)
_AFTER = children_after("headerFooter")  # where printOptions … headerFooter end


def page_xml(layout: Layout) -> str:
    left, right, top, bottom, header, footer = MARGINS
    paper_size = PAPERS[layout.paper][0]
    orientation = "landscape" if layout.landscape else "portrait"
    return (
        '<printOptions horizontalCentered="1"/>'
        f'<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" '
        f'header="{header}" footer="{footer}"/>'
        f'<pageSetup paperSize="{paper_size}" scale="{layout.scale}" orientation="{orientation}" '
        'pageOrder="overThenDown"/>'
        f"<headerFooter>{_header(layout.header)}<oddFooter>{_FOOTER}</oddFooter></headerFooter>"
    )


def _header(title: str | None) -> str:
    if not title:
        return ""
    code = '&C&"-,Bold"&14' + title.replace("&", "&&")
    return f"<oddHeader>{escape(code)}</oddHeader>"


def apply_to_sheet(xml: str, layout: Layout) -> str:
    """The sheet XML with its page setup (and column page breaks) replaced by ``layout``'s."""
    xml = _SETUP_PR.sub("", _PAGE_PARTS.sub("", xml))
    xml = _COL_BREAKS.sub("", xml)
    block = page_xml(layout)
    for name in _AFTER:
        found = re.search(rf"<{name}\b", xml)
        if found is not None:
            xml = xml[: found.start()] + block + xml[found.start() :]
            break
    else:
        end = xml.rindex("</worksheet>")
        xml = xml[:end] + block + xml[end:]
    if not layout.col_breaks:
        return xml
    breaks = "".join(f'<brk id="{c}" max="1048575" man="1"/>' for c in layout.col_breaks)
    count = len(layout.col_breaks)
    element = f'<colBreaks count="{count}" manualBreakCount="{count}">{breaks}</colBreaks>'
    rows = _ROW_BREAKS.search(xml)
    at = rows.end() if rows is not None else xml.index(block) + len(block)
    return xml[:at] + element + xml[at:]


def column_breaks(
    widths: dict[int, float], groups: list[list[int]], titles: float, layout: Layout
) -> tuple[int, ...]:
    """Columns after which a page ends so that each page of a split table holds whole groups
    (an indicator's columns) next to the repeated region column (``titles`` points wide);
    ``widths`` in points at 100 %. A group wider than a page is left to the page's own break."""
    _, width, height = PAPERS[layout.paper]
    across = (height if layout.landscape else width) - (MARGINS[0] + MARGINS[1]) * 72
    room = across / (layout.scale / 100) * 0.95 - titles  # 5 % for the estimate's error
    breaks, used = [], 0.0
    for group in groups:
        size = sum(widths.get(c, 0.0) for c in group)
        if used and used + size > room:
            breaks.append(group[0] - 1)
            used = 0.0
        used += size
    return tuple(breaks)


def _columns(first: int, last: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"${get_column_letter(first)}:${get_column_letter(last)}"


def print_area(sheet: str, layout: Layout) -> str | None:
    """The ``_xlnm.Print_Area`` text (``'2026Q3'!$A$2:$BK$20``), or None for the whole sheet."""
    from openpyxl.utils import get_column_letter

    if layout.area is None:
        return None
    r1, c1, r2, c2 = layout.area
    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}"


def print_titles(sheet: str, layout: Layout) -> str | None:
    """The ``_xlnm.Print_Titles`` text (``'2026Q3'!$A:$A,'2026Q3'!$1:$3``), or None."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    parts = []
    if layout.title_cols is not None:
        parts.append(f"{quoted}!{_columns(*layout.title_cols)}")
    if layout.title_rows is not None:
        first, last = layout.title_rows
        parts.append(f"{quoted}!${first}:${last}")
    return ",".join(parts) or None


def apply_to_workbook(book: str, sheet: str, index: int, layout: Layout) -> str:
    """workbook.xml with the sheet's print titles set (any former ones of the sheet removed)."""
    former = re.compile(r"<definedName\b([^>]*)>.*?</definedName>", re.S)
    mine = ("_xlnm.Print_Titles", "_xlnm.Print_Area")

    def drop(match: re.Match[str]) -> str:
        attrs = match.group(1)
        ours = any(name in attrs for name in mine) and re.search(
            rf"localSheetId=[\"']{index}[\"']", attrs
        )
        return "" if ours else match.group(0)

    book = former.sub(drop, book)
    entries = "".join(
        f'<definedName name="{name}" localSheetId="{index}">{escape(text)}</definedName>'
        for name, text in zip(
            mine, (print_titles(sheet, layout), print_area(sheet, layout)), strict=True
        )
        if text is not None
    )
    if not entries:
        return book
    if re.search(r"<definedNames\s*/>", book):
        return re.sub(
            r"<definedNames\s*/>", f"<definedNames>{entries}</definedNames>", book, count=1
        )
    if re.search(r"<definedNames\b", book):
        return re.sub(r"(<definedNames\b[^>]*>)", lambda m: m.group(1) + entries, book, count=1)
    for anchor in ("</externalReferences>", "</sheets>"):
        if anchor in book:
            return book.replace(anchor, f"{anchor}<definedNames>{entries}</definedNames>", 1)
    raise ValueError("workbook.xml without <sheets>")


# --- chart titles ------------------------------------------------------------------------------

_TITLE = re.compile(r"<((?:\w+:)?)title>(.*?)</\1title>", re.S)
_TEXT = re.compile(r"<a:t>(.*?)</a:t>", re.S)
_EMU_PER_POINT = 12700
#: Width of a chart whose anchor gives none (openpyxl's 15 × 7.5 cm default).
_CHART_WIDTH = 15 * 360000


def title_points(title: str, width_emu: int) -> int:
    """A font size (9–14 pt) at which ``title`` takes at most about half of a chart
    ``width_emu`` wide, so that no program wraps it: CJK characters are 1 em wide, others ½."""
    ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in title) or 1.0
    return max(9, min(14, math.floor(0.55 * width_emu / _EMU_PER_POINT / ems)))


def fit_chart_title(xml: str, width_emu: int | None) -> str:
    """Chart XML whose title runs have an explicit bold size from :func:`title_points`."""
    found = _TITLE.search(xml)
    if found is None:
        return xml
    inner = found.group(2)
    text = "".join(_TEXT.findall(inner))
    if not text:
        return xml
    size = title_points(text, width_emu or _CHART_WIDTH) * 100
    inner = re.sub(r"<a:defRPr\b[^>]*?/>", f'<a:defRPr sz="{size}" b="1"/>', inner)
    inner = re.sub(r"<a:rPr\b[^>]*?/>", f'<a:rPr lang="zh-CN" sz="{size}" b="1"/>', inner)
    inner = re.sub(r"<a:r>(?!<a:rPr)", f'<a:r><a:rPr lang="zh-CN" sz="{size}" b="1"/>', inner)
    return xml[: found.start(2)] + inner + xml[found.end(2) :]


_ANCHOR = re.compile(
    r"<(?:\w+:)?(oneCellAnchor|twoCellAnchor|absoluteAnchor)\b.*?</(?:\w+:)?\1>", re.S
)
_EXT = re.compile(r"<(?:\w+:)?ext\s+cx=[\"'](\d+)[\"']")
_CHART_REF = re.compile(r"<(?:\w+:)?chart\b[^>]*?\bid=[\"']([^\"']+)[\"']")


def chart_widths(drawing: str) -> dict[str, int]:
    """Relationship id of each chart of a drawing part → its width in EMU (when the anchor
    gives one)."""
    out = {}
    for anchor in _ANCHOR.finditer(drawing):
        ref, ext = _CHART_REF.search(anchor.group(0)), _EXT.search(anchor.group(0))
        if ref is not None and ext is not None:
            out[ref.group(1)] = int(ext.group(1))
    return out


__all__ = [
    "MARGINS",
    "MIN_POINTS",
    "PAPERS",
    "Layout",
    "apply_to_sheet",
    "apply_to_workbook",
    "chart_widths",
    "column_breaks",
    "column_points",
    "column_widths",
    "fit_chart_title",
    "measure",
    "plan_layout",
    "print_titles",
    "title_points",
]
