"""The live-workbook host for real: xlwings' remote engine, asserting on the queued actions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.workbooks.reference import competition_rank
from udfs import Period
from workbooks.samples.build import FIRST_DATA_ROW, drop_rows, peer_col, write_csv
from workbooks.samples.figures import indicators, regions

SCRIPT = Path(__file__).with_name("remote_session.py")
ROOT = Path(__file__).parents[2]  # the repository root: its packages are the ones run


def run(*args: str) -> dict:
    """The session script on this checkout's code (not whatever copy is installed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def written(actions: list[dict], sheet_index: int) -> dict[tuple[int, int], object]:
    """Cell (row, col) → value of every setValues on one sheet (1-based)."""
    out = {}
    for a in actions:
        if a["func"] == "setValues" and a["sheet_position"] == sheet_index:
            for i, line in enumerate(a["values"]):
                for j, value in enumerate(line):
                    out[(a["start_row"] + 1 + i, a["start_column"] + 1 + j)] = value
    return out


def test_rank_on_a_live_workbook(fresh: dict[str, Path]) -> None:
    path = fresh["workbook"]
    wb = openpyxl.load_workbook(path)
    result = run(str(path), "2026Q3", "rank")
    assert "16 项指标" in result["message"] and "2026Q2" in result["message"]
    index = wb.sheetnames.index("2026Q3")
    cells = written(result["actions"], index)
    ws = wb["2026Q3"]
    county_rows = range(FIRST_DATA_ROW + 1, FIRST_DATA_ROW + len(regions()))
    for i in range(len(indicators())):
        growth = [ws.cell(r, peer_col(i, 2)).value for r in county_rows]
        assert [cells[(r, peer_col(i, 3))] for r in county_rows] == competition_rank(growth)
        assert (FIRST_DATA_ROW, peer_col(i, 3)) not in cells  # 全市 not ranked
    tally = [cells[(r, peer_col(len(indicators()), 0))] for r in county_rows]
    assert tally == [ws.cell(r, peer_col(len(indicators()), 0)).value for r in county_rows]
    funcs = {a["func"] for a in result["actions"]}
    assert {"setValues", "setNumberFormat", "setRangeColor"} <= funcs
    assert "copySheet" not in funcs and "addSheet" not in funcs


def test_refresh_in_place_on_a_live_workbook(fresh: dict[str, Path], tmp_path: Path) -> None:
    rows = drop_rows(Period(2026, 1, 9))
    revised = next(r for r in rows if r[0] == "白水县")
    revised[1], revised[3] = 101.5, -2.0  # GDP level and growth revised
    placeholder = next(r for r in rows if r[0] == "临江市")
    placeholder[4] = "—"  # placeholder: no data
    drop = write_csv(tmp_path / "2026年1-9月_修订.csv", rows)
    result = run(str(fresh["workbook"]), "2026Q3", "refresh", str(drop))
    assert "已修订 2026Q3" in result["message"]
    sheets = openpyxl.load_workbook(fresh["workbook"]).sheetnames
    cells = written(result["actions"], sheets.index("2026Q3"))
    row = FIRST_DATA_ROW + regions().index("白水县")
    assert cells[(row, 2)] == 101.5 and cells[(row, 4)] == -2.0
    assert cells[(row, 5)] == 9  # last on GDP growth now
    lin = FIRST_DATA_ROW + regions().index("临江市")
    # a placeholder (no data) in a revision leaves the figure there, and says so
    assert (lin, peer_col(1, 0)) not in cells
    assert "未修改" in result["message"] and "临江市" in result["message"]
    assert "480 个数据单元格" not in result["message"]  # one cell fewer: exactly 479
    assert "479 个数据单元格" in result["message"]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells.values())
    assert {a["func"] for a in result["actions"]} >= {"setValues"}
    assert not any(
        a["func"] in {"copySheet", "addSheet", "setSheetName"} for a in result["actions"]
    )


def test_broken_drop_on_a_live_workbook_writes_nothing(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    rows = drop_rows(Period(2026, 1, 9))
    drop = write_csv(tmp_path / "2026年1-9月_修订.csv", [*rows, list(rows[5])])
    result = run(str(fresh["workbook"]), "2026Q3", "refresh", str(drop))
    assert "第13行：地区「西河区」重复（与第6行相同）" in result["message"]
    assert [a["func"] for a in result["actions"]] == ["alert"]


def test_new_period_needs_formulas_so_the_remote_engine_refuses(fresh: dict[str, Path]) -> None:
    result = run(str(fresh["workbook"]), "2026Q3", "refresh", str(fresh["csv"]))
    assert "读不到工作表中的公式" in result["message"]
    assert [a["func"] for a in result["actions"]] == ["alert"]


def test_text_is_never_written_as_a_formula(fresh: dict[str, Path]) -> None:
    texts = ['=HYPERLINK("http://x.invalid")', "+1+2", "@SUM(A1)", "-A1", "城关区"]
    result = run(str(fresh["workbook"]), "2026Q3", "write", *texts)
    (action,) = result["actions"]
    marked = ["'" + t for t in texts[:-1]] + [texts[-1]]  # Excel's text marker
    assert action["func"] == "setValues" and action["values"] == [[*marked, 3.5]]


def test_rank_on_a_live_workbook_takes_the_table_around_the_selection(tmp_path: Path) -> None:
    from tests.workbooks.test_tables import TWO_TABLES

    wb = openpyxl.Workbook()
    wb.active.title = "2026Q3"
    for line in TWO_TABLES:
        wb.active.append(line)
    path = tmp_path / "two.xlsx"
    wb.save(path)
    result = run(str(path), "2026Q3", "rank", "B10")
    assert "1 项指标" in result["message"]
    cells = written(result["actions"], 0)
    assert cells, "nothing written"
    assert min(row for row, _ in cells) >= 8  # the first table (rows 2-5) is left alone
    ranks = [cells[(r, 4)] for r in (9, 10, 11)]
    assert ranks == competition_rank([4.1, 5.2, 3.0])


def test_rank_a_one_row_header_table_on_a_live_workbook(tmp_path: Path) -> None:
    """``县区 | 地区生产总值(亿元) | 增长(%) | 位次 | …``: the ranks of the growth go into each
    indicator's own 位次 column; no header cell is written, no column appended."""
    from tests.workbooks.layouts import COUNTIES, one_row, sample_data

    data = sample_data()
    built = one_row(data)
    path = built.wb.save(tmp_path / "one_row.xlsx") or tmp_path / "one_row.xlsx"
    result = run(str(path), built.sheet, "rank")
    cells = written(result["actions"], 0)
    for indicator, where in built.cols.items():
        growth = [g if isinstance(g, float) else None for _, g in data[indicator]]
        got = [cells.get((built.rows[c], where["rank"])) for c in COUNTIES]
        assert [None if v == "" else v for v in got] == competition_rank(
            growth
        )  # "" on this engine
    assert not [rc for rc in cells if rc[0] <= 2]  # title and header untouched
    width = max(len(r) for r in built.snapshot())
    assert not [rc for rc in cells if rc[1] > width]  # nothing appended
    assert not [rc for rc in cells if rc[0] in built.aggregate_rows]


def test_formula_growth_column_ranked_on_a_live_workbook(tmp_path: Path) -> None:
    """Excel sends a formula 增长 column as its results: both indicators are ranked on them."""
    from tests.workbooks import drop_forms as forms
    from workbooks.file_host import open_file

    path = forms.workbook(tmp_path / "对比表.xlsx")
    open_file(path).save(path)  # the results saved with the formulas, as Excel keeps them
    result = run(str(path), "2026Q3", "rank")
    assert "2 项指标" in result["message"] and "未排位" not in result["message"]
    cells = written(result["actions"], list(forms.SHEETS).index("2026Q3"))
    figures = forms.levels("2026Q3")
    rows = range(forms.FIRST_ROW + 1, forms.FIRST_ROW + len(forms.REGIONS))
    for i, _ in enumerate(forms.INDICATORS):
        growth = [(figures[(c, i)][0] / figures[(c, i)][1] - 1) * 100 for c in forms.COUNTIES]
        assert [cells[(r, forms.col(i, 3))] for r in rows] == competition_rank(growth)


def test_a_revision_on_office_js_never_ranks_formula_results_from_before_it(
    tmp_path: Path,
) -> None:
    """xlwings Server sends no formulas and cannot recompute: after a revision writes new
    figures, a 增长 column it did not write in full (a placeholder kept the old cell) may hold
    results of the old figures, so it is not ranked (its 位次 cleared), and the message says so."""
    from tests.workbooks import drop_forms as forms
    from workbooks.file_host import open_file

    path = forms.workbook(tmp_path / "对比表.xlsx")
    open_file(path).save(path)  # the results saved with the formulas, as Excel keeps them
    rows = forms.drop_rows("2026Q3", with_growth=True)
    rows[0] = ["示例市2026年1-9月各县区主要指标（修订）"]
    rows[3][3] = "—"  # 甲县: no growth of the first indicator in this drop
    drop = forms.write_text(tmp_path / "2026年1-9月_修订.csv", rows)
    result = run(str(path), "2026Q3", "refresh", str(drop))
    assert "已修订" in result["message"]
    assert "重新排名 1 项指标，1 项未排位" in result["message"] and "重新计算" in result["message"]
    cells = written(result["actions"], list(forms.SHEETS).index("2026Q3"))
    counties = range(forms.FIRST_ROW + 1, forms.FIRST_ROW + len(forms.REGIONS))
    # first: its 位次 cleared, never a rank of the old figures
    assert all(cells.get((r, forms.col(0, 3)), 0) in (None, "") for r in counties)
    assert all((r, forms.col(1, 3)) in cells for r in counties)  # second: ranked
