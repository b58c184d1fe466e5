"""CSV drops as bureaus receive them: the delimiter found under title rows, records with too
many or too few fields refused by line, long problem lists cut short, and names that differ
from a county's only by a character no one can see shown with that character written out
(fixtures: :mod:`tests.workbooks.drop_forms`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbooks import drop_forms as forms
from workbooks.drops import DropError, read_drop
from workbooks.file_host import open_file
from workbooks.refresh import refresh

#: Title rows above the header, as exports carry them: a comma, a semicolon and a tab each
#: appear in one of them, so no title row agrees with the real delimiter by chance.
TITLES = [
    ["示例市2026年1-12月各县区主要指标"],
    ["单位:万元,元"],
    ["说明：快报数；以年报为准"],
    ["制表：示例市统计局\t2027年1月"],
]


def _drop(folder: Path, rows: list[list[str]], sep: str, name: str = "2026年1-12月.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return forms.write_text(folder / name, rows, sep=sep)


@pytest.mark.parametrize("sep", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_the_delimiter_is_found_below_title_rows(tmp_path: Path, sep: str) -> None:
    rows = TITLES + forms.drop_rows()[1:]  # header and figures
    drop = _drop(tmp_path / "drops", rows, sep)
    book = open_file(forms.workbook(tmp_path / "对比表.xlsx"))
    result = refresh(book, drop)
    assert result.cells_filled == 2 * 2 * len(forms.REGIONS)
    grid = book.sheet("2026Q4").read()
    figures = forms.levels("2026Q4")
    for k, region in enumerate(forms.REGIONS):
        for i, _ in enumerate(forms.INDICATORS):
            row = forms.FIRST_ROW + k
            assert grid.get(row, forms.col(i, 0)) == figures[(region, i)][0]
            assert grid.get(row, forms.col(i, 1)) == figures[(region, i)][1]


@pytest.mark.parametrize("sep", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_a_record_with_fewer_or_more_fields_is_refused_by_line(tmp_path: Path, sep: str) -> None:
    rows = TITLES + forms.drop_rows()[1:]
    header_line = len(TITLES) + 1
    short, long = header_line + 2, header_line + 4  # 甲县 and 丙县 (全市 is the first record)
    rows[short - 1] = rows[short - 1][:-1]  # its last figure and delimiter lost
    rows[long - 1] = [*rows[long - 1], "17"]
    drop = _drop(tmp_path / "drops", rows, sep)
    book = open_file(forms.workbook(tmp_path / "对比表.xlsx"))
    with pytest.raises(DropError) as caught:
        refresh(book, drop)
    text = str(caught.value)
    assert f"第{short}行：只有 4 个字段，比表头少 1 个" in text
    assert f"第{long}行：有 6 个字段，比表头多 1 个" in text
    assert text.count("字段") == 2


def test_notes_below_a_blank_line_are_not_records(tmp_path: Path) -> None:
    rows = [*forms.drop_rows(), [""], ["注：1. 全市数据含市本级", " 2. 快报数"]]
    drop = read_drop(_drop(tmp_path / "drops", rows, ","))
    assert drop.problems == []


def test_a_long_list_of_problems_shows_the_first_fifty(tmp_path: Path) -> None:
    rows = forms.drop_rows()
    strangers = [[f"外县{i:03d}", "1", "1", "1", "1"] for i in range(120)]
    drop = _drop(tmp_path / "drops", rows + strangers, ",")
    book = open_file(forms.workbook(tmp_path / "对比表.xlsx"))
    with pytest.raises(DropError) as caught:
        refresh(book, drop)
    text = str(caught.value)
    assert len(caught.value.problems) == 120  # all of them kept for whoever reads them
    assert "有 120 处问题" in text
    numbered = [line for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert len(numbered) == 50
    assert "外县049" in text and "外县050" not in text
    assert "另有 70 处问题未列出" in text


@pytest.mark.parametrize(
    ("char", "code", "name"),
    [
        ("\u200b", "U+200B", "零宽空格"),
        ("\ufeff", "U+FEFF", "BOM"),
        ("\u2060", "U+2060", "字连接符"),
    ],
)
def test_a_county_name_with_an_invisible_character_is_shown_visibly(
    tmp_path: Path, char: str, code: str, name: str
) -> None:
    rows = forms.drop_rows()
    county = forms.COUNTIES[1]
    line = next(r for r in rows if r[0] == county)
    line[0] = county + char
    drop = _drop(tmp_path / "drops", rows, ",")
    book = open_file(forms.workbook(tmp_path / "对比表.xlsx"))
    with pytest.raises(DropError) as caught:
        refresh(book, drop)
    text = str(caught.value)
    assert f"地区「{county}<{code}>」不在工作表" in text
    assert f"与工作表中的「{county}」只差不可见字符 {code}" in text and name in text
    assert char not in text


def test_a_drop_wider_than_the_cell_limit_is_refused(tmp_path: Path) -> None:
    rows = [*forms.drop_rows(), ["外县", *["1"] * 500_000]]
    drop = _drop(tmp_path / "drops", rows, ",")
    with pytest.raises(DropError, match="超过数据文件的上限"):
        read_drop(drop)


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "空的"), (b"PK\x03\x04" + bytes(40), "扩展名改回 .xlsx"), (b"%PDF-1.4\n", "PDF")],
    ids=["empty", "xlsx", "pdf"],
)
def test_a_csv_drop_that_is_no_text_is_named(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "2026年1-12月.csv"
    path.write_bytes(content)
    with pytest.raises(DropError, match=words):
        read_drop(path)
