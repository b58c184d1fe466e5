"""A sector or scope word (规上工业, 二产, 进出口) followed by another of its measures (营业收入,
利润, 企业, 投资 …) does not stand for the table's indicator: no finding against the workbook for
figures the table does not hold, while the indicator itself is still compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbooks.file_host import open_file
from workbooks.proofread import proofread

TITLE = "青川县2026年前三季度经济运行情况\n"


def _findings(sample_files: dict[str, Path], tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "稿.txt"
    path.write_text(TITLE + text, encoding="utf-8")
    result = proofread(path, open_file(sample_files["workbook"]))
    assert result.home == "青川县"
    return [(f.kind, f.stated) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "前三季度，全县规上工业实现营业收入256.3亿元，增长12.6%。",
        "前三季度，全县规模以上工业实现主营业务收入256.3亿元，同比增长12.6%。",
        "前三季度，全县规模以上工业总产值125.6亿元，增长9.9%。",
        "前三季度，全县规上工业企业实现利润15.6亿元，增长3.2%。",
        "前三季度，规上工业用电量3.2亿千瓦时，增长5.5%。",
        "前三季度，规上工业企业达到128家，较年初增加6家。",
        "前三季度，规上工业税收增长3.3%。",
        "前三季度，全县第二产业投资完成12.3亿元，增长21.5%。",
        "前三季度，全县进出口企业达到36家。",
    ],
)
def test_another_measure_of_the_sector_is_not_compared_with_the_indicator(
    sample_files: dict[str, Path], tmp_path: Path, text: str
) -> None:
    assert _findings(sample_files, tmp_path, text) == []


def test_the_sector_word_alone_still_names_its_indicator(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    # the sample's 青川县 规模以上工业增加值 of 2026Q3 grows 8.9%
    assert _findings(sample_files, tmp_path, "前三季度，全县规上工业增长8.9%。") == []
    assert _findings(sample_files, tmp_path, "前三季度，全县规上工业增长9.9%。") == [
        ("workbook_growth", "增长9.9%")
    ]
    text = "前三季度，全县规上工业实现营业收入256.3亿元，增长12.6%；规上工业增加值增长9.9%。"
    assert _findings(sample_files, tmp_path, text) == [("workbook_growth", "增长9.9%")]
