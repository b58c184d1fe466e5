"""打印版 for the meeting: A4/A3 pages, no text under 8 pt, a wide table split across pages with
the region column and header rows on every page, charts on A4 with their title on one line.

The PDFs are read with pdfplumber (page size in points, the size of every character as
printed); the layout rule is checked against paper sizes written here in millimetres."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from tests.workbooks.compute_fixtures import COUNTIES, build
from workbooks import render as render_module
from workbooks.print_layout import apply_to_sheet, apply_to_workbook, plan_layout
from workbooks.render import default_pdf, render
from workbooks.samples.figures import indicators, regions

MM = 72 / 25.4  # points per millimetre
A4, A3 = (210 * MM, 297 * MM), (297 * MM, 420 * MM)
SIDE_MARGINS = 2 * 0.6 * 72  # left + right, points

needs_pdf_tools = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice not installed"
)
pdfplumber = pytest.importorskip("pdfplumber")


# --- the rule, without LibreOffice ------------------------------------------------------------


@pytest.mark.parametrize(
    ("width_mm", "font", "paper", "landscape", "scale", "split"),
    [
        (150, 11, "A4", False, 100, False),  # fits A4 portrait as it is
        (250, 11, "A4", True, 100, False),  # too wide for portrait, fits landscape
        (350, 11, "A4", True, 76, False),  # 266.52 mm / 350 mm: 11 pt prints at 8.4 pt
        (450, 11, "A3", True, 86, False),  # A4 would print 11 pt at 6.5 pt; 389.52 / 450
        (700, 11, "A3", True, 73, True),  # even A3 would go under 8 pt: split at 8/11
        (700, 9, "A3", True, 89, True),
    ],
)
def test_paper_and_scale(width_mm, font, paper, landscape, scale, split):
    layout = plan_layout(width_mm * MM, font, (3, 4), (1, 1))
    assert (layout.paper, layout.landscape, layout.scale) == (paper, landscape, scale)
    assert (layout.title_cols is not None) == split
    assert layout.smallest_font * layout.scale / 100 >= 8 - 1e-9
    across = (A3[1] if paper == "A3" else A4[1] if landscape else A4[0]) - SIDE_MARGINS
    if not split:
        assert width_mm * MM * scale / 100 <= across


def test_the_layout_is_written_as_excel_reads_it(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "2026'Q3"
    ws["A1"] = "标题"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.print_title_rows = "1:1"
    book.create_sheet("other").print_title_rows = "2:2"
    book.save(tmp_path / "a.xlsx")
    layout = replace(plan_layout(700 * MM, 10, (3, 4), (1, 2)), col_breaks=(7, 12))
    with (
        zipfile.ZipFile(tmp_path / "a.xlsx") as package,
        zipfile.ZipFile(tmp_path / "b.xlsx", "w") as out,
    ):
        for info in package.infolist():
            data = package.read(info.filename).decode("utf-8")
            if info.filename == "xl/workbook.xml":
                data = apply_to_workbook(data, "2026'Q3", 0, layout)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = apply_to_sheet(data, layout)
            out.writestr(info, data)
    again = load_workbook(tmp_path / "b.xlsx")
    sheet = again["2026'Q3"]
    assert sheet.page_setup.paperSize == 8 and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.scale == 80
    assert sheet.print_title_rows == "$3:$4" and sheet.print_title_cols == "$A:$B"
    assert sheet.print_options.horizontalCentered
    assert "第 &P 页 共 &N 页" in sheet.oddFooter.center.text
    assert [b.id for b in sheet.col_breaks.brk] == [7, 12]
    assert again["other"].print_title_rows == "$2:$2"  # another sheet's titles untouched


def test_a_picture_on_a_table_sheet_keeps_the_table_layout(sample_files, tmp_path):
    """A logo at A1 of the peer table is a drawing like the 排名图 chart; the sheet is still
    printed as a table: split across A3 pages with the region column on each."""
    import io

    from openpyxl.drawing.image import Image
    from PIL import Image as Picture

    from workbooks.render import sheet_layout

    book = load_workbook(sample_files["workbook"])
    logo = io.BytesIO()
    Picture.new("RGB", (40, 20), (255, 0, 0)).save(logo, "PNG")
    logo.seek(0)
    book["2026Q3"].add_image(Image(logo), "A1")
    book.save(tmp_path / "logo.xlsx")
    with zipfile.ZipFile(tmp_path / "logo.xlsx") as package:
        assert any(n.startswith("xl/drawings/drawing") for n in package.namelist())
    plain = sheet_layout(sample_files["workbook"], "2026Q3")
    with_logo = sheet_layout(tmp_path / "logo.xlsx", "2026Q3")
    assert with_logo == plain
    assert (with_logo.paper, with_logo.landscape) == ("A3", True)
    assert with_logo.title_cols == (1, 1) and with_logo.col_breaks  # region column on every page


# --- rendered PDFs ----------------------------------------------------------------------------


def _pages(pdf: Path) -> list:
    with pdfplumber.open(pdf) as document:
        return [
            {
                "size": (round(page.width, 1), round(page.height, 1)),
                "smallest": min(c["size"] for c in page.chars),
                "text": page.extract_text(),
                "chars": page.chars,
            }
            for page in document.pages
        ]


@pytest.fixture(scope="module")
def peer_pdf(sample_files, tmp_path_factory):
    """The sample's 16-indicator peer table rendered with the default output name, next to a
    file already holding that name."""
    folder = tmp_path_factory.mktemp("render")
    source = Path(shutil.copy(sample_files["workbook"], folder / "报表.xlsx"))
    (folder / "报表.pdf").write_bytes(b"kept")
    result = render(source, "2026Q3")
    return folder, result


@needs_pdf_tools
def test_default_output_is_next_to_the_workbook_and_never_replaces_a_file(peer_pdf):
    folder, result = peer_pdf
    assert result.files == [folder / "报表(2).pdf"]
    assert (folder / "报表.pdf").read_bytes() == b"kept"
    assert default_pdf(folder / "报表.xlsx") == folder / "报表(3).pdf"


@needs_pdf_tools
def test_a_wide_peer_table_is_split_readably_with_titles_on_every_page(peer_pdf, sample_files):
    folder, result = peer_pdf
    pages = _pages(folder / "报表(2).pdf")
    assert len(pages) == result.pages > 1
    counties = regions()
    peer = load_workbook(sample_files["workbook"], data_only=True)["2026Q3"]
    title = peer["A1"].value
    for page in pages:
        assert page["size"] == (round(A3[1], 1), round(A3[0], 1))  # A3 landscape
        assert page["smallest"] >= 7.95  # 8 pt, as printed
        text = page["text"].replace(" ", "")
        assert all(county in text for county in counties)  # the region column repeats
        assert "位次" in text and "增长" in text  # and the header rows
        assert title in text  # the title, whole, in every page's header
    assert "第1页共" in pages[0]["text"].replace(" ", "")
    # each indicator whole on one page: its name once, with its own 本期累计 column
    names = [i.name for i in indicators()]
    for name in names:
        assert sum(f"{name}（" in page["text"].replace(" ", "") for page in pages) == 1, name
    for page in pages:
        text = page["text"].replace(" ", "")
        assert text.count("本期累计") == sum(f"{name}（" in text for name in names) > 0


@needs_pdf_tools
def test_a_narrow_table_is_one_a4_page_and_png_falls_back_to_the_pdf(tmp_path, monkeypatch):
    source = build(tmp_path / "对比.xlsx")
    which = shutil.which
    monkeypatch.setattr(
        render_module.shutil, "which", lambda name: None if name == "pdftoppm" else which(name)
    )
    result = render(source, "对比", png=tmp_path / "对比.png")
    assert result.files == [tmp_path / "对比.pdf"] and not (tmp_path / "对比.png").exists()
    assert (
        "无法生成 PNG；已生成 PDF" in result.notes[0]
        and str(tmp_path / "对比.pdf") in result.notes[0]
    )
    (page,) = _pages(tmp_path / "对比.pdf")
    assert page["size"] in {(round(A4[0], 1), round(A4[1], 1)), (round(A4[1], 1), round(A4[0], 1))}
    assert page["smallest"] >= 7.95
    assert all(name in page["text"].replace(" ", "") for name, *_ in COUNTIES)


@needs_pdf_tools
def test_small_print_is_enlarged_to_8_points(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "表"
    for col in range(1, 9):
        ws.cell(1, col, f"第{col}列").font = Font(name="宋体", size=6)
        ws.cell(2, col, col * 1.5).font = Font(name="宋体", size=6)
    book.save(tmp_path / "小字.xlsx")
    result = render(tmp_path / "小字.xlsx", "表")
    assert result.layout.scale == 134  # 8 / 6, rounded up
    (page,) = _pages(result.files[0])
    assert page["smallest"] >= 7.95


@needs_pdf_tools
def test_a_ranking_chart_prints_on_a4_with_its_title_on_one_line(fresh, tmp_path):
    from workbooks.file_host import open_file
    from workbooks.rank import RankOptions, rank_sheet

    book = open_file(fresh["workbook"])
    rank_sheet(book, "2026Q3", RankOptions(chart="地区生产总值"))
    book.save(tmp_path / "排名.xlsx")
    result = render(tmp_path / "排名.xlsx", "排名图", pdf=tmp_path / "图.pdf")
    (page,) = _pages(result.files[0])
    assert page["size"] == (round(A4[1], 1), round(A4[0], 1))  # A4 landscape
    title = [c for c in page["chars"] if c["size"] > 12]  # the chart title (bold, 9–14 pt)
    assert len(title) >= 10
    assert max(c["top"] for c in title) - min(c["top"] for c in title) < 2  # one line
