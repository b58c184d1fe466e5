"""The analysis of :mod:`workbooks.brief` as a Word document the bureau can edit (python-docx).

Laid out as an official document (GB/T 9704 党政机关公文格式): A4, margins top 37 mm, bottom
35 mm, left 28 mm, right 26 mm; body text 仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line pitch
(22 lines a page), each paragraph indented two characters; headings (一、 and （一）) 黑体 三号;
the title 方正小标宋简体 二号 (22 pt), centred. Headings use Word's own 标题 1/标题 2 styles, so the
navigation pane shows the structure and the bureau's template can restyle them.

Chinese fonts are set where Word reads them for Chinese text (``w:eastAsia``; the Latin name
alone would leave Chinese in the theme font). The body font is the first of
:data:`BODY_FONTS` installed on this computer (仿宋_GB2312, else 方正仿宋, else Windows' own 仿宋),
and the document's font table names for each font the one Word falls back to on a computer
without it (``w:altName``): 仿宋_GB2312 → 仿宋, 方正小标宋简体 → 黑体.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from workbooks.brief import Brief

#: Body fonts in order of preference; the first installed is used (the first when none is found).
BODY_FONTS = ("仿宋_GB2312", "方正仿宋_GBK", "方正仿宋简体", "仿宋", "FangSong")
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
LATIN_FONT = "Times New Roman"
#: What Word uses in place of a font the computer lacks (font table ``w:altName``).
FALLBACKS = {
    "仿宋_GB2312": "仿宋",
    "方正仿宋_GBK": "仿宋",
    "方正仿宋简体": "仿宋",
    TITLE_FONT: HEADING_FONT,
}
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
LINE_PITCH = Pt(28)
#: GB/T 9704 page: A4 and its margins (mm).
PAGE = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


@functools.cache
def installed_fonts() -> frozenset[str]:
    """Font family names installed on this computer (empty when they cannot be listed)."""
    names: set[str] = set()
    if sys.platform.startswith("win"):  # pragma: no cover - Windows
        import winreg

        key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
        for root in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
            try:
                key = winreg.OpenKey(root, key_path)
            except OSError:
                continue
            with key:
                for i in range(winreg.QueryInfoKey(key)[1]):
                    name = winreg.EnumValue(key, i)[0]
                    for part in name.split(" (")[0].split("&"):
                        names.add(part.strip())
        return frozenset(names)
    program = shutil.which("fc-list")
    if program is None:
        return frozenset()
    listed = subprocess.run(
        [program, ":", "family"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    for line in listed.splitlines():
        names.update(part.strip() for part in line.split(","))
    return frozenset(names)


def body_font(installed: frozenset[str] | None = None) -> str:
    """The first of :data:`BODY_FONTS` that is installed, else the standard 仿宋_GB2312."""
    installed = installed_fonts() if installed is None else installed
    return next((f for f in BODY_FONTS if f in installed), BODY_FONTS[0])


def _fonts(element: etree._Element, east_asian: str) -> None:
    """Set the Chinese (``w:eastAsia``) and Latin fonts of a style's or run's properties,
    dropping the theme fonts that would override them."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attribute in _THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:cs"), LATIN_FONT)


def _indent_two_characters(paragraph_format, element: etree._Element) -> None:
    paragraph_format.first_line_indent = BODY_SIZE * 2  # for programs without character units
    ppr = element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), "200")


def _style(document, name: str, east_asian: str, size: Pt, indent: bool) -> None:
    style = document.styles[name]
    _fonts(style.element, east_asian)
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        _indent_two_characters(fmt, style.element)


def _font_table(document, fonts: list[str]) -> None:
    """Declare each Chinese font in the font table with its GB2312 charset and the font Word
    falls back to (``w:altName``)."""
    part = next(
        p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
    )
    root = etree.fromstring(part.blob)
    for name in fonts:
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                root.remove(old)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if name in FALLBACKS:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), FALLBACKS[name])
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_docx(brief: Brief, target: Path, font: str | None = None) -> Path:
    """Write ``brief`` to ``target`` (.docx); each county's analysis starts on a new page."""
    document = Document()
    body = font or body_font()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    _style(document, "Normal", body, BODY_SIZE, indent=True)
    _style(document, "Heading 1", HEADING_FONT, BODY_SIZE, indent=True)
    _style(document, "Heading 2", HEADING_FONT, BODY_SIZE, indent=True)
    _style(document, "Title", TITLE_FONT, TITLE_SIZE, indent=False)
    title_style = document.styles["Title"]
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.line_spacing = Pt(36)
    title_style.paragraph_format.space_after = LINE_PITCH
    title_style.paragraph_format.first_line_indent = Pt(0)  # centred: no indent from Normal
    title_style.element.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), "0")
    for border in title_style.element.pPr.findall(qn("w:pBdr")):  # the template's rule under it
        title_style.element.pPr.remove(border)
    _font_table(document, [body, HEADING_FONT, TITLE_FONT])
    document.core_properties.title = brief.analyses[0].blocks[0].text if brief.analyses else ""
    for k, analysis in enumerate(brief.analyses):
        for block in analysis.blocks:
            if block.kind == "title":
                paragraph = document.add_paragraph(style="Title")
                if k > 0:
                    paragraph.paragraph_format.page_break_before = True
            elif block.kind == "heading1":
                paragraph = document.add_paragraph(style="Heading 1")
            elif block.kind == "heading2":
                paragraph = document.add_paragraph(style="Heading 2")
            else:
                paragraph = document.add_paragraph(style="Normal")
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.add_run(block.text)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.stem}.partial.docx")
    try:  # written whole or not at all
        document.save(str(partial))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


__all__ = [
    "BODY_FONTS",
    "FALLBACKS",
    "HEADING_FONT",
    "PAGE",
    "TITLE_FONT",
    "body_font",
    "installed_fonts",
    "write_docx",
]
