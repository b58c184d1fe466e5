"""Completion (完成年度目标的x%) and schedule (超/差序时进度x个百分点) proofread against the
county's main-indicator sheet (主要经济指标完成情况表) as it displays them: the analyses
``tongji brief`` writes from that sheet agree with it, an altered figure is reported with the
sheet's figure, a figure consistent once the sheet's rounding is allowed for is not, and a period
with two such sheets for the county is not compared."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from workbooks.brief import build_brief
from workbooks.brief_docx import write_docx
from workbooks.file_host import FileBook, open_file
from workbooks.proofread import proofread

COUNTY = "青川县"
_SHEETS = {"2025Q1": "1-3月", "2025Q4": "1-12月", "2026Q2": "1-6月", "2026Q3": "1-9月"}


def _sheet_figures(workbook: Path, period: str, indicator: str) -> tuple[Decimal, Decimal]:
    """The completion and schedule gap the main-indicator sheet displays for ``indicator``
    (stored value at the one decimal of the sheet's 0.0 format, half away from zero)."""
    wb = openpyxl.load_workbook(workbook, data_only=True)
    ws = wb[f"{COUNTY}{period[:4]}年{_SHEETS[period]}"]
    header = [c.value for c in ws[3]]
    completion = header.index("完成年度目标(%)")
    gap = header.index("超/欠序时进度(百分点)")
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == indicator)
    assert row[completion].number_format == row[gap].number_format == "0.0"
    one = Decimal("0.1")
    shown = [
        Decimal(repr(row[c].value)).quantize(one, rounding=ROUND_HALF_UP) for c in (completion, gap)
    ]
    return shown[0], shown[1]


def _brief(workbook: Path, period: str, out: Path) -> Path:
    write_docx(build_brief(workbook, COUNTY, period), out)
    return out


def _replace(document: docx.document.Document, old: str, new: str) -> None:
    hits = 0
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            hits += run.text.count(old)
            run.text = run.text.replace(old, new)
    assert hits == 1, (old, hits)


@pytest.mark.parametrize("period", list(_SHEETS))
def test_the_analysis_of_the_county_agrees_with_its_main_indicator_sheet(
    sample_files: dict[str, Path], tmp_path: Path, period: str
) -> None:
    out = _brief(sample_files["workbook"], period, tmp_path / f"{period}.docx")
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert text.count("完成年度目标的") >= 10
    result = proofread(out, open_file(sample_files["workbook"]))
    assert result.findings == [], [(f.line, f.text, f.expected) for f in result.findings[:10]]


def _host(workbook: Path, saved: bool) -> FileBook:
    """The workbook as a saved file, or as a host giving only its values (as the workbook open
    in Excel does: no number formats, figures at their stored values)."""
    if saved:
        return open_file(workbook)
    values = openpyxl.load_workbook(workbook, data_only=True)
    return FileBook.from_workbook(values, workbook.parent / "未保存.xlsx")


@pytest.mark.parametrize("saved", [True, False], ids=["file", "values"])
def test_an_altered_completion_and_schedule_gap_are_reported_with_the_sheets_figures(
    sample_files: dict[str, Path], tmp_path: Path, saved: bool
) -> None:
    """Completion and gap moved together by 2 points agree with each other (the text alone
    finds nothing); the sheet reports both, with its displayed figures (read at the stored
    values, the sheet's figure is reported at the stated decimals)."""
    workbook = sample_files["workbook"]
    out = _brief(workbook, "2026Q3", tmp_path / "前三季度.docx")
    completion, gap = _sheet_figures(workbook, "2026Q3", "固定资产投资")
    assert gap < 0  # 差序时进度: moving both down keeps it 差
    document = docx.Document(str(out))
    old = f"完成年度目标的{completion}%，差序时进度{-gap}个百分点"
    new = f"完成年度目标的{completion - 2}%，差序时进度{-gap + 2}个百分点"
    _replace(document, old, new)
    document.save(str(out))

    result = proofread(out, _host(workbook, saved))
    assert [(f.kind, f.stated, f.expected) for f in result.findings] == [
        ("workbook_completion", f"{completion - 2}%", f"{completion}%"),
        ("workbook_schedule", f"差序时进度{-gap + 2}个百分点", f"差序时进度{-gap}个百分点"),
    ]
    assert all(f.text.startswith(("完成年度目标", "差序时进度")) for f in result.findings)
    assert all("固定资产投资" in f.note for f in result.findings)


def test_a_completion_consistent_once_the_sheets_rounding_is_allowed_for_is_not_reported(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    """A year-end analysis (completion only): 72.6 shown stands for [72.55, 72.65], so every
    completion written 0.05 above the displayed figure is consistent; 0.06 above is not."""
    workbook = sample_files["workbook"]
    out = _brief(workbook, "2025Q4", tmp_path / "全年.docx")
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    stated = re.findall(r"完成年度目标的(\d+\.\d)%", text)
    assert len(stated) >= 10
    for shift, reported in ((Decimal("0.05"), False), (Decimal("0.06"), True)):
        document = docx.Document(str(out))
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                run.text = re.sub(
                    r"完成年度目标的(\d+\.\d)%",
                    lambda m, s=shift: f"完成年度目标的{Decimal(m[1]) + s}%",
                    run.text,
                )
        edge = tmp_path / f"全年{shift}.docx"
        document.save(str(edge))
        result = proofread(edge, open_file(workbook))
        found = [(f.kind, f.stated, f.expected) for f in result.findings]
        if reported:
            assert found == [
                ("workbook_completion", f"{Decimal(s) + shift}%", f"{s}%") for s in stated
            ]
        else:
            assert found == []


def test_two_main_indicator_sheets_of_one_period_are_not_compared(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    """A second sheet of the county for the same period (a draft kept next to the final one):
    which one the text was written from is unknown, so nothing is compared with either. The
    same workbook without the draft reports the altered completion."""
    books = {}
    for name, draft in (("一张表", False), ("两张表", True)):
        wb = openpyxl.load_workbook(sample_files["workbook"], data_only=True)  # values kept
        if draft:
            copy = wb.copy_worksheet(wb[f"{COUNTY}2026年1-9月"])
            copy.title = f"{COUNTY}2026年1-9月（初稿）"
        books[name] = tmp_path / f"{name}.xlsx"
        wb.save(books[name])
    out = _brief(sample_files["workbook"], "2026Q3", tmp_path / "前三季度.docx")
    completion, _ = _sheet_figures(sample_files["workbook"], "2026Q3", "固定资产投资")
    document = docx.Document(str(out))
    _replace(
        document,
        f"居全市首位，与上半年持平；完成年度目标的{completion}%",
        f"居全市首位，与上半年持平；完成年度目标的{completion - 2}%",
    )
    document.save(str(out))

    one = proofread(out, open_file(books["一张表"]))
    assert [(f.kind, f.expected) for f in one.findings if f.kind.startswith("workbook_")] == [
        ("workbook_completion", f"{completion}%")
    ]
    two = proofread(out, open_file(books["两张表"]))
    assert [f for f in two.findings if f.kind.startswith("workbook_")] == []
