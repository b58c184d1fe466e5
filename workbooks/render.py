"""打印版 / ``tongji render``: a sheet as PDF or PNG through LibreOffice headless.

The sheet is rendered from a values-only copy (``TJ_`` formulas replaced by their computed
values: LibreOffice cannot run the add-in's functions), with every other sheet hidden so only
the requested one is printed, laid out for the meeting by :mod:`workbooks.print_layout` (A4 or
A3, fitted to the page width, no text under 8 pt, a table too wide for that split across pages
with the region column and header rows repeated). Chinese text is set in Noto CJK: a private
fontconfig file maps the fonts bureau workbooks use (宋体, 等线, 微软雅黑 …) to Noto Sans/Serif CJK
SC, so no character turns into a box. PNG pages come from the PDF through ``pdftoppm``; without
it the PDF is written and the result says so.

Without ``pdf`` and ``png`` the PDF goes next to the workbook as ``<name>.pdf``; an existing
file of that name is never replaced: the next free name is taken (``<name>(2).pdf`` …).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbooks.compute import WorkbookProblem, check_workbook, export_values_file
from workbooks.outputs import check_output_name, numbered
from workbooks.print_layout import (
    Layout,
    apply_to_sheet,
    apply_to_workbook,
    chart_widths,
    column_breaks,
    column_widths,
    fit_chart_title,
    measure,
    plan_layout,
)
from workbooks.safe_files import temp_folder, write_bytes
from workbooks.suggest import did_you_mean
from workbooks.tables import Table
from workbooks.xlsx_package import sheet_parts

_SANS = ("等线", "DengXian", "微软雅黑", "Microsoft YaHei", "黑体", "SimHei", "Calibri", "Arial")
_SERIF = ("宋体", "SimSun", "新宋体", "NSimSun", "仿宋", "FangSong", "仿宋_GB2312", "楷体", "KaiTi")
_SERIF += ("Times New Roman", "方正小标宋简体", "方正小标宋_GBK")

_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _fonts_conf(directory: Path) -> Path:
    rules = []
    for family, target in [(f, "Noto Sans CJK SC") for f in _SANS] + [
        (f, "Noto Serif CJK SC") for f in _SERIF
    ]:
        rules.append(
            f'  <match target="pattern"><test name="family"><string>{family}</string></test>'
            f'<edit name="family" mode="prepend" binding="strong"><string>{target}</string>'
            "</edit></match>"
        )
    path = directory / "fonts.conf"
    path.write_text(_FONTS_CONF.format(aliases="\n".join(rules)), encoding="utf-8")
    return path


_SHEET_TAG = re.compile(r"<sheet\b[^>]*?/>")
_STATE = re.compile(r"""\sstate=["'][^"']*["']""")
_NAME = re.compile(r"""\sname=["']([^"']*)["']""")
_ACTIVE = re.compile(r"""\sactiveTab=["']\d+["']""")
_FIRST = re.compile(r"""\sfirstSheet=["']\d+["']""")


def only_sheet(source: Path, target: Path, sheet: str, layout: Layout | None = None) -> None:
    """Copy a workbook with every sheet but ``sheet`` hidden and ``sheet`` active, laid out on
    paper as ``layout`` says (when given)."""
    from xml.sax.saxutils import unescape

    with zipfile.ZipFile(source) as package:
        book = package.read("xl/workbook.xml").decode("utf-8")
        tags = _SHEET_TAG.findall(book)
        names = [unescape(_NAME.search(t).group(1), {"&quot;": '"', "&apos;": "'"}) for t in tags]
        if sheet not in names:
            listed = "、".join(names)
            raise WorkbookProblem(
                f"工作簿中没有名为「{sheet}」的工作表{did_you_mean(sheet, names)}（现有：{listed}）"
            )
        index = names.index(sheet)
        for k, tag in enumerate(tags):
            plain = _STATE.sub("", tag)
            new = plain if k == index else plain.replace("<sheet ", '<sheet state="hidden" ', 1)
            book = book.replace(tag, new, 1)
        book = _ACTIVE.sub("", _FIRST.sub("", book))
        book = re.sub(r"<workbookView\b", f'<workbookView activeTab="{index}"', book, count=1)
        part = sheet_parts(package)[sheet]
        if layout is not None:
            book = apply_to_workbook(book, sheet, index, layout)
        widths = _chart_widths(package) if layout is not None else {}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in package.infolist():
                data = package.read(info.filename)
                if info.filename == "xl/workbook.xml":
                    data = book.encode("utf-8")
                elif info.filename == part and layout is not None:
                    data = apply_to_sheet(data.decode("utf-8"), layout).encode("utf-8")
                elif info.filename in widths:
                    xml = data.decode("utf-8")
                    data = fit_chart_title(xml, widths[info.filename]).encode("utf-8")
                out.writestr(info, data)


def _chart_widths(package: zipfile.ZipFile) -> dict[str, int | None]:
    """Every chart part of the package → its width in EMU from the drawing that shows it
    (None when the anchor gives none)."""
    out: dict[str, int | None] = {}
    for name in package.namelist():
        if name.startswith("xl/charts/chart") and name.endswith(".xml"):
            out.setdefault(name, None)
        if not (name.startswith("xl/drawings/drawing") and name.endswith(".xml")):
            continue
        rels_name = posixpath.join(
            posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels"
        )
        if rels_name not in package.namelist():
            continue
        rels = package.read(rels_name).decode("utf-8")
        targets = dict(re.findall(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
        targets |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
        for rid, width in chart_widths(package.read(name).decode("utf-8")).items():
            if rid in targets:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(name), targets[rid]))
                out[path] = width
    return out


def sheet_layout(values: Path, sheet: str) -> Layout:
    """The paper layout of ``sheet`` of a values-only workbook (see :mod:`workbooks.print_layout`):
    its header rows (and region column) are the rows repeated on every page."""
    from openpyxl import load_workbook

    from workbooks.tables import NoTable, find_table

    book = load_workbook(values, data_only=True)
    try:
        if sheet not in book.sheetnames:
            return plan_layout(0, 11.0, None, None)  # only_sheet names the missing sheet
        ws = book[sheet]
        width, smallest, last_row, last_col = measure(ws)
        grid = [list(r) for r in ws.iter_rows(max_row=last_row, max_col=last_col, values_only=True)]
        table: Table | None
        try:
            table = find_table(grid, where=f"工作表「{sheet}」")
        except NoTable:
            table = None
            title_rows = region_cols = None
        else:
            title_rows = (1, table.first_row - 1) if table.first_row > 1 else None
            region_cols = (1, table.region_col)
        with zipfile.ZipFile(values) as package:
            xml = package.read(sheet_parts(package)[sheet]).decode("utf-8")
        # a drawing on a sheet without a table is the 排名图 chart sheet; a table with a logo or
        # a picture on it is still printed as a table (split, titles repeated)
        chart = table is None and "<drawing " in xml
        layout = plan_layout(width, smallest, title_rows, region_cols, chart=chart)
        if chart:
            return layout  # the whole sheet: the chart lies beyond the cells
        if layout.title_cols is None or table is None or not table.title:
            # the filled cells only: text running over the last column must not start a page
            return replace(layout, area=(1, 1, last_row, last_col))
        # split across pages: the title (centred over the whole table) goes into every page's
        # header instead of being cut into pieces, and the header rows below it repeat
        title_row = next(
            (
                r
                for r, line in enumerate(grid[: table.header_row - 1], 1)
                if any(str(v).strip() == table.title for v in line if v is not None)
            ),
            0,
        )
        layout = replace(
            layout,
            title_rows=(table.header_row, table.first_row - 1),
            header=table.title,
            area=(title_row + 1, 1, last_row, last_col),
        )
        widths = column_widths(ws, last_col)
        titles = sum(widths[c] for c in range(1, table.region_col + 1))
        return replace(
            layout, col_breaks=column_breaks(widths, _groups(table, last_col), titles, layout)
        )
    finally:
        book.close()


def _groups(table: Table, last_col: int) -> list[list[int]]:
    """The columns right of the region column in runs that stay on one page: an indicator's
    columns together, any other column on its own."""
    indicator = {c.col: c.indicator for c in table.columns}
    groups: list[list[int]] = []
    for col in range(table.region_col + 1, last_col + 1):
        name = indicator.get(col)
        if groups and name is not None and indicator.get(groups[-1][-1]) == name:
            groups[-1].append(col)
        else:
            groups.append([col])
    return groups


@dataclass
class Rendered:
    """What :func:`render` wrote: the files, the number of pages and how they are laid out."""

    files: list[Path]
    pages: int
    layout: Layout
    notes: list[str] = field(default_factory=list)  # e.g. PNG not possible, PDF written instead

    def __contains__(self, path: object) -> bool:
        return path in self.files


def free_name(path: Path) -> Path:
    """``path``, or ``<stem>(2)<suffix>``, ``(3)`` … when a file of that name exists."""
    n = 1
    while numbered(path, n).exists() or numbered(path, n).is_symlink():
        n += 1
    return numbered(path, n)


def default_pdf(source: Path) -> Path:
    """The PDF written next to the workbook when no output is named: ``<name>.pdf``."""
    return free_name(source.with_suffix(".pdf"))


def render(
    source: Path,
    sheet: str,
    pdf: Path | None = None,
    png: Path | None = None,
    step: Callable[[str], None] | None = None,
) -> Rendered:
    """Render ``sheet`` of ``source`` to ``pdf`` and/or ``png`` (neither: ``<name>.pdf`` next
    to the workbook); ``step`` is told each stage (for a progress display)."""
    say = step or (lambda _text: None)
    check_workbook(source)
    program = soffice()
    if program is None:
        raise WorkbookProblem(
            "未找到 LibreOffice（soffice），无法生成打印版。请先安装 libreoffice-calc。"
        )
    for out, suffix in ((pdf, ".pdf"), (png, ".png")):
        if out is not None:
            check_output_name(out, None, (suffix,))
    if pdf is None and png is None:
        pdf = default_pdf(source)
    with temp_folder(Path(tempfile.gettempdir()), "render") as work:
        say("计算公式 / computing…")
        values = work / f"values{source.suffix}"
        export_values_file(source, values)
        say("排版 / page layout…")
        layout = sheet_layout(values, sheet)
        single = work / "sheet.xlsx"
        only_sheet(values, single, sheet, layout)
        say("LibreOffice 生成 PDF / converting…")
        produced = _convert(program, single, work)
        pages = page_count(produced)
        files: list[Path] = []
        notes: list[str] = []
        if png is not None and shutil.which("pdftoppm") is None:
            if pdf is None:
                pdf = free_name(png.with_suffix(".pdf"))
            notes.append(
                f"未找到 pdftoppm（poppler-utils），无法生成 PNG；已生成 PDF：{pdf}。"
                "安装 poppler-utils 后可再生成 PNG。"
            )
            png = None
        if pdf is not None:
            files.append(write_bytes(pdf, produced.read_bytes()))
        if png is not None:
            say("生成 PNG / PNG pages…")
            files.extend(_png(produced, png))
    return Rendered(files, pages, layout, notes)


def _convert(program: str, single: Path, work: Path) -> Path:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(_fonts_conf(work))
    env["HOME"] = str(work)
    command = [
        program,
        f"-env:UserInstallation=file://{work / 'profile'}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work / "out"),
        str(single),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    produced = work / "out" / f"{single.stem}.pdf"
    if done.returncode != 0 or not produced.exists():
        raise WorkbookProblem(f"LibreOffice 转换失败：{done.stderr.strip() or done.stdout.strip()}")
    return produced


def page_count(pdf: Path) -> int:
    """Pages of a PDF (its page objects, counted without a PDF library)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def _png(pdf: Path, png: Path) -> list[Path]:
    """Every page of ``pdf`` as PNG: ``name.png`` for one page, ``name-1.png``… for more."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise WorkbookProblem("未找到 pdftoppm（poppler-utils），无法生成 PNG。")
    with temp_folder(Path(tempfile.gettempdir()), "png") as temp:
        prefix = temp / "page"
        subprocess.run([program, "-png", "-r", "150", str(pdf), str(prefix)], check=True)
        pages = sorted(temp.glob("page*.png"))
        if len(pages) == 1:
            return [write_bytes(png, pages[0].read_bytes())]
        out = []
        for k, page in enumerate(pages, 1):
            target = png.with_name(f"{png.stem}-{k}{png.suffix}")
            out.append(write_bytes(target, page.read_bytes()))
        return out
