"""Recompute before ranking, cached values in every saved file, the refresh invariant, and
drops refused for what they are (fixtures: :mod:`tests.workbooks.drop_forms`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.libreoffice import convert, needs_libreoffice
from tests.workbooks import drop_forms as forms
from tests.workbooks.reference import competition_rank
from workbooks.drops import DropError
from workbooks.file_host import open_file
from workbooks.rank import rank_sheet
from workbooks.refresh import refresh

ROOT = Path(__file__).resolve().parents[2]


def tongji(*args: str) -> subprocess.CompletedProcess:
    """The command as a user runs it (this checkout's code)."""
    return subprocess.run(
        [sys.executable, "-m", "tongji", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"COLUMNS": "300", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return forms.workbook(tmp_path / "对比表.xlsx")


def expected_growth(sheet: str) -> dict[tuple[str, int], float]:
    return {key: (now / base - 1) * 100 for key, (now, base) in forms.levels(sheet).items()}


def formula_cells_have_numbers(path: Path) -> int:
    """Every formula cell of the saved file has a number as cached value; returns how many."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    seen = 0
    for ws in formulas:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    value = values[ws.title][cell.coordinate].value
                    assert isinstance(value, (int, float)), (ws.title, cell.coordinate, value)
                    seen += 1
    return seen


@pytest.mark.parametrize(
    "form", ["utf8", "gb18030_semicolon", "tab", "quoted_thousands", "with_growth", "xlsx"]
)
def test_new_period_from_each_valid_drop(book_path: Path, tmp_path: Path, form: str) -> None:
    drop = forms.valid_drops(tmp_path / "drops")[form]
    run = tongji("refresh", str(book_path), "--data", str(drop), "-o", str(tmp_path / "out.xlsx"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "填入 24 个数据单元格，重新排名 2 项指标" in run.stdout
    assert "未排位" not in run.stdout and "已清空" not in run.stdout
    out = tmp_path / "out.xlsx"
    assert formula_cells_have_numbers(out) == 3 * 2 * len(forms.REGIONS)
    ws = openpyxl.load_workbook(out, data_only=True)["2026Q4"]
    figures, growth = forms.levels("2026Q4"), expected_growth("2026Q4")
    before = openpyxl.load_workbook(book_path)["2026Q3"]
    for i, _ in enumerate(forms.INDICATORS):
        rows = range(forms.FIRST_ROW, forms.FIRST_ROW + len(forms.REGIONS))
        for k, row in zip(range(len(forms.REGIONS)), rows, strict=True):
            region = forms.REGIONS[k]
            assert ws.cell(row, forms.col(i, 0)).value == figures[(region, i)][0]
            assert ws.cell(row, forms.col(i, 1)).value == figures[(region, i)][1]
            assert ws.cell(row, forms.col(i, 2)).value == pytest.approx(growth[(region, i)])
        counties = [growth[(c, i)] for c in forms.COUNTIES]
        ranks = competition_rank(counties)
        got = [ws.cell(r, forms.col(i, 3)).value for r in list(rows)[1:]]
        assert got == ranks
        old = [before.cell(r, forms.col(i, 3)).value for r in list(rows)[1:]]
        moves = [ws.cell(r, forms.col(i, 4)).value for r in list(rows)[1:]]
        assert moves == [o - n for o, n in zip(old, ranks, strict=True)]
        assert ws.cell(forms.FIRST_ROW, forms.col(i, 3)).value is None  # 全市 not ranked


def test_rank_after_any_write_sees_fresh_formula_results(book_path: Path, tmp_path: Path) -> None:
    """Both formula 增长 columns are ranked (the second after the first's ranks are written),
    on results of the figures written in this session, and saved with their values."""
    book = open_file(book_path)
    sheet = book.sheet("2026Q3")
    new = {"甲县": 9000, "乙县": 1000}  # 一般公共预算收入 本期: 甲县 first, 乙县 last
    for k, region in enumerate(forms.REGIONS):
        if region in new:
            sheet.write_values(forms.FIRST_ROW + k, forms.col(0, 0), [[new[region]]])
    result = rank_sheet(book, "2026Q3")
    assert set(result.ranks) == {"一般公共预算收入", "城镇居民人均可支配收入"} and not result.notes
    figures = forms.levels("2026Q3")
    growth = {
        c: ((new.get(c, figures[(c, 0)][0])) / figures[(c, 0)][1] - 1) * 100 for c in forms.COUNTIES
    }
    expected = competition_rank([growth[c] for c in forms.COUNTIES])
    assert list(result.ranks["一般公共预算收入"].values()) == [float(r) for r in expected]
    incomes = expected_growth("2026Q3")
    expected = competition_rank([incomes[(c, 1)] for c in forms.COUNTIES])
    assert list(result.ranks["城镇居民人均可支配收入"].values()) == [float(r) for r in expected]
    formula_cells_have_numbers(book.save(tmp_path / "ranked.xlsx"))


def test_cli_rank_of_an_openpyxl_file_ranks_formula_columns(book_path: Path) -> None:
    """A file written by openpyxl has no saved results: the formulas are evaluated."""
    run = tongji("rank", str(book_path), "--in-place")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "已排名 2 项指标" in run.stdout and "未排位" not in run.stdout
    formula_cells_have_numbers(book_path)


def test_unevaluable_cell_is_named_and_its_column_not_ranked(
    book_path: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(book_path)
    wb["2026Q3"].cell(forms.FIRST_ROW + 2, forms.col(1, 2), '=WEBSERVICE("http://example.com")')
    wb.save(book_path)
    run = tongji("rank", str(book_path), "-o", str(tmp_path / "out.xlsx"))
    assert run.returncode == 0, run.stdout + run.stderr
    letter = openpyxl.utils.get_column_letter(forms.col(1, 2))
    assert f"2026Q3!{letter}{forms.FIRST_ROW + 2}" in run.stdout
    assert "已排名 1 项指标，1 项未排位" in run.stdout
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx", data_only=True)["2026Q3"]
    assert ws.cell(forms.FIRST_ROW + 2, forms.col(1, 2)).value is None  # no made-up value


@pytest.mark.parametrize("form", forms.BROKEN)
def test_broken_drop_is_refused_and_changes_nothing(
    book_path: Path, tmp_path: Path, form: str
) -> None:
    drop, fragments = forms.broken_drops(tmp_path / "drops")[form]
    original = book_path.read_bytes()
    run = tongji("refresh", str(book_path), "--data", str(drop), "--in-place")
    assert run.returncode == 2, run.stdout + run.stderr
    text = " ".join((run.stdout + run.stderr).split())
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    assert book_path.read_bytes() == original
    assert sorted(p.name for p in book_path.parent.iterdir() if p.suffix == ".xlsx") == [
        book_path.name
    ]


def test_new_period_blank_drop_cells_are_cleared_and_listed(
    book_path: Path, tmp_path: Path
) -> None:
    drop = forms.blank_column_drop(tmp_path / "d", "2026Q4", ["甲县"])
    book = open_file(book_path)
    result = refresh(book, drop)
    assert result.mode == "new" and result.cells_filled == 24 - 1
    row = forms.FIRST_ROW + forms.REGIONS.index("甲县")
    letter = openpyxl.utils.get_column_letter(forms.col(1, 0))
    assert [str(n) for n in result.cleared_cells] == [
        f"2026Q4!{letter}{row}（城镇居民人均可支配收入·本期，甲县）：数据文件中为空"
    ]
    grid = book.sheet("2026Q4").read()
    assert grid.get(row, forms.col(1, 0)) is None


def test_revision_keeps_figures_for_blank_drop_cells(book_path: Path, tmp_path: Path) -> None:
    drop = forms.blank_column_drop(tmp_path / "d", "2026Q3")
    run = tongji("refresh", str(book_path), "--data", str(drop), "-o", str(tmp_path / "o.xlsx"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "填入 18 个数据单元格" in run.stdout  # 24 minus the blank column's 6
    assert "保留原数值" in run.stdout
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx", data_only=True)["2026Q3"]
    old, new = forms.levels("2026Q3"), forms.levels("2026Q4")
    for k, region in enumerate(forms.REGIONS):
        row = forms.FIRST_ROW + k
        assert ws.cell(row, forms.col(1, 0)).value == old[(region, 1)][0]  # kept
        assert ws.cell(row, forms.col(1, 1)).value == new[(region, 1)][1]
        assert ws.cell(row, forms.col(0, 0)).value == new[(region, 0)][0]
        growth = (old[(region, 1)][0] / new[(region, 1)][1] - 1) * 100
        assert ws.cell(row, forms.col(1, 2)).value == pytest.approx(growth)


def test_bare_measure_headers_never_leave_previous_figures(book_path: Path, tmp_path: Path) -> None:
    """``县区,一般公共预算收入(万元),上年同期,…``: either every input of the new sheet is the
    drop's, or the drop is refused — never last period's 上年同期."""
    drop = forms.bare_base_drop(tmp_path / "d")
    book = open_file(book_path)
    try:
        refresh(book, drop)
    except DropError:
        return
    grid = book.sheet("2026Q4").read()
    figures = forms.levels("2026Q4")
    for k, region in enumerate(forms.REGIONS):
        for i, _ in enumerate(forms.INDICATORS):
            got = [grid.get(forms.FIRST_ROW + k, forms.col(i, j)) for j in (0, 1)]
            assert got == list(figures[(region, i)])


def test_one_row_header_sheet_keeps_no_previous_figure(tmp_path: Path) -> None:
    """Columns the table reader does not attach to an indicator (bare 上年同期, 增长(%)) are
    cleared and listed in the new period, never carried over."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026Q3"
    ws.append(["示例市2026年1-9月"])
    ws.append(["县区", "一般公共预算收入(万元)", "上年同期", "增长(%)", "位次"])
    previous = {}
    for k, region in enumerate(forms.REGIONS):
        now, base = 2000 + 10 * k, 1900 + 10 * k
        ws.append([region, now, base, round((now / base - 1) * 100, 1), k or None])
        previous[region] = {now, base, round((now / base - 1) * 100, 1)}
    wb.save(tmp_path / "w.xlsx")
    rows = [["示例市2026年1-12月"], ["县区", "一般公共预算收入本期累计(万元)"]]
    rows += [[r, str(3000 + 7 * k)] for k, r in enumerate(forms.REGIONS)]
    drop = forms.write_text(tmp_path / "2026年1-12月.csv", rows)
    book = open_file(tmp_path / "w.xlsx")
    try:
        result = refresh(book, drop)
    except DropError:
        return  # a reader that knows the bare columns asks for their figures: also safe
    grid = book.sheet("2026Q4").read()
    for k, region in enumerate(forms.REGIONS):
        line = [grid.get(3 + k, c) for c in range(2, 5)]
        assert not previous[region] & {v for v in line if isinstance(v, (int, float))}, line
    assert all(n.sheet == "2026Q4" for n in result.cleared_cells)
    assert any(n.region == "甲县" and n.col == 3 for n in result.cleared_cells)


@needs_libreoffice
def test_libreoffice_recalculation_agrees_with_the_cached_values(
    book_path: Path, tmp_path: Path, soffice: str
) -> None:
    drop = forms.valid_drops(tmp_path / "drops")["utf8"]
    book = open_file(book_path)
    refresh(book, drop)
    ours = book.save(tmp_path / "ours.xlsx")
    stripped = tmp_path / "stripped.xlsx"
    openpyxl.load_workbook(ours).save(stripped)  # no cached values: LibreOffice must compute
    theirs = openpyxl.load_workbook(convert(stripped, "xlsx", tmp_path / "lo"), data_only=True)
    mine = openpyxl.load_workbook(ours, data_only=True)
    compared = 0
    for ws in openpyxl.load_workbook(ours):
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    a = mine[ws.title][cell.coordinate].value
                    b = theirs[ws.title][cell.coordinate].value
                    assert a == pytest.approx(b, rel=1e-12), (ws.title, cell.coordinate)
                    compared += 1
    assert compared == 3 * 2 * len(forms.REGIONS)
