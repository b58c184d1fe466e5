"""The analyses ``tongji brief`` writes, proofread against the workbook they were written from:
no finding, whichever county and period (the county of each analysis is carried from its title,
the previous year's figures it compares with never become the current period)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from workbooks.brief import build_brief
from workbooks.brief_docx import write_docx
from workbooks.file_host import open_file
from workbooks.period_names import book_period_sheets
from workbooks.proofread import proofread
from workbooks.samples.figures import regions


def _label(period) -> str:
    return f"{period.year}Q{period.last_month // 3}"


def test_the_sample_has_the_periods_the_round_trip_covers(sample_files: dict[str, Path]) -> None:
    periods = [_label(p) for p in book_period_sheets(open_file(sample_files["workbook"])).periods()]
    assert {"2025Q1", "2025Q4", "2026Q1", "2026Q2", "2026Q3"} <= set(periods)


#: The first period (no earlier table), the first quarter after a year end (compared with the
#: year before) and the latest; 2026Q2 is covered by the altered-figure test below.
@pytest.mark.parametrize("period", ["2025Q1", "2026Q1", "2026Q3"])
def test_every_county_analysis_of_a_period_is_consistent_with_the_workbook(
    sample_files: dict[str, Path], tmp_path: Path, period: str
) -> None:
    out = tmp_path / f"全部{period}.docx"
    write_docx(build_brief(sample_files["workbook"], None, period), out)
    titles = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Title"]
    assert len(titles) == len(regions()) - 1  # one analysis per county
    result = proofread(out, open_file(sample_files["workbook"]))
    assert result.compared > 500
    assert result.findings == [], [(f.line, f.text, f.expected) for f in result.findings[:10]]


def test_one_county_analysis_is_consistent_with_the_workbook(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    county, period = "青川县", "2026Q1"  # 「增速较上年全年…」 before the schedule of the quarter
    out = tmp_path / f"{county}{period}.docx"
    write_docx(build_brief(sample_files["workbook"], county, period), out)
    result = proofread(out, open_file(sample_files["workbook"]))
    assert result.home == county
    assert result.findings == [], [(f.line, f.text, f.expected) for f in result.findings[:10]]


def test_a_wrong_figure_in_the_second_analysis_is_found_for_its_county(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    """The county of a title holds for the paragraphs after it: a figure altered in the second
    analysis is compared with that county's row, and only it is reported."""
    out = tmp_path / "全部.docx"
    write_docx(build_brief(sample_files["workbook"], None, "2026Q2"), out)
    document = docx.Document(str(out))
    titles = [i for i, p in enumerate(document.paragraphs) if p.style.name == "Title"]
    second = document.paragraphs[titles[1]].text
    county = next(r for r in regions()[1:] if second.startswith(r))
    body = next(
        p
        for p in document.paragraphs[titles[1] + 1 : titles[2]]
        if p.text.startswith("固定资产投资完成")
    )
    amount = body.text.split("完成", 1)[1].split("亿元", 1)[0]
    altered = f"{float(amount) + 1:.2f}"
    for run in body.runs:
        run.text = run.text.replace(f"完成{amount}亿元", f"完成{altered}亿元")
    assert altered in body.text
    document.save(str(out))
    result = proofread(out, open_file(sample_files["workbook"]))
    assert [(f.kind, f.stated, f.expected) for f in result.findings] == [
        ("workbook_amount", f"{altered}亿元", f"{amount}亿元")
    ]
    assert county in result.findings[0].note
