"""tongji compute: every cached value equals an independent computation (udfs directly for
TJ_ cells, plain Python for ordinary formulas); formulas and formatting are unchanged."""

from __future__ import annotations

import math
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook

from tests.workbooks.compute_fixtures import COUNTIES, FIRST, PERIOD, TOTAL, build
from udfs import completion, growth, rank, rank_change, schedule_gap, share, time_progress
from workbooks.compute import compute_file


def half_up(x: float, places: int) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def shown(expected):
    """What a cell holding a udfs result reads back as: the float, the error literal, or
    nothing for a deliberate blank."""
    if expected is None:
        return None
    return expected if isinstance(expected, float) else str(expected)


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compute")
    source = build(folder / "对比.xlsx")
    target = folder / "computed.xlsx"
    report = compute_file(source, target)
    return source, target, report


@pytest.fixture(scope="module")
def values(computed):
    return load_workbook(computed[1], data_only=True)


def _growths():
    return [growth(cur, base) for _, cur, base, _, _ in COUNTIES]


def test_tj_cells_equal_udfs(values):
    sheet = values["对比"]
    growths = _growths()
    peers = [[g] for g in growths]
    for i, (name, cur, base, target, previous) in enumerate(COUNTIES):
        r = FIRST + i
        own_rank = rank(growths[i], peers, True, 1)
        expected = {
            4: growth(cur, base),
            5: own_rank,
            7: completion(cur, target),
            8: time_progress(PERIOD),
            9: schedule_gap(cur, target, PERIOD),
            11: rank_change(own_rank, previous),
        }
        for col, want in expected.items():
            got = sheet.cell(r, col).value
            assert got == shown(want), (name, col, got, want)


def test_ordinary_formulas_equal_plain_python(values):
    sheet = values["对比"]
    growths = _growths()
    numbers_b = [cur for _, cur, _, _, _ in COUNTIES if isinstance(cur, float)]
    for i, (name, cur, _base, target, _prev) in enumerate(COUNTIES):
        r = FIRST + i
        g = growths[i]
        assert sheet.cell(r, 12).value == (half_up(g, 1) if isinstance(g, float) else str(g))
        gap = schedule_gap(cur, target, PERIOD)
        if isinstance(gap, float):
            text = ("超" if gap >= 0 else "欠") + f"{half_up(abs(gap), 1):.1f}"
        else:
            text = "无数据"
        assert sheet.cell(r, 13).value == text, name
        if isinstance(cur, float):
            assert sheet.cell(r, 14).value == 1 + sum(1 for x in numbers_b if x > cur)
        else:
            assert sheet.cell(r, 14).value in (None, "")
    total_b = math.fsum(numbers_b)
    total_c = math.fsum(base for _, _, base, _, _ in COUNTIES)
    total_f = math.fsum(t for _, _, _, t, _ in COUNTIES)
    assert sheet.cell(TOTAL, 2).value == total_b
    assert sheet.cell(TOTAL, 4).value == growth(total_b, total_c)
    assert sheet.cell(TOTAL, 7).value == completion(total_b, total_f)
    assert sheet.cell(TOTAL, 12).value == half_up(total_b / len(numbers_b), 2)


def test_cross_sheet_lookups_and_the_array_formula(values):
    summary = values["汇总"]
    growths = _growths()
    names = [c[0] for c in COUNTIES]
    numbers_b = [c[1] for c in COUNTIES if isinstance(c[1], float)]
    total_b = math.fsum(numbers_b)
    ranks = [rank(g, [[x] for x in growths], True, 1) for g in growths]
    above = [i for i, g in enumerate(growths) if isinstance(g, float) and g > 10]
    assert summary["B2"].value == total_b
    assert summary["B3"].value == growths[names.index("南湖县")]
    assert summary["B4"].value == names[ranks.index(1.0)]
    assert summary["B5"].value == len(above)
    assert summary["B6"].value == math.fsum(COUNTIES[i][1] for i in above)
    assert summary["B7"].value == "#DIV/0!"  # MAX over a range holding #DIV/0!
    assert summary["B8"].value == "—"  # IFERROR around 白水县's #DIV/0!
    expected_share = share(COUNTIES[0][1], total_b)
    assert summary["B9"].value == expected_share
    assert summary["B10"].value == f"{half_up(expected_share, 1)}%"
    spilled = rank([[g] for g in growths], [[g] for g in growths])
    for k in range(len(COUNTIES)):
        assert summary.cell(2 + k, 4).value == shown(spilled[k][0])


def test_formulas_it_cannot_evaluate_are_listed_and_left_without_value(computed, values):
    _, target, report = computed
    assert report.failures == {
        "汇总!B12": "函数 OFFSET 暂不支持",
        "汇总!B13": "引用的单元格 汇总!B12 未能计算",
    }
    assert values["汇总"]["B12"].value is None
    assert values["汇总"]["B13"].value is None
    with zipfile.ZipFile(target) as package:
        xml = package.read("xl/worksheets/sheet2.xml").decode()
    cell = re.search(r'<c r="B12"[^>]*>.*?</c>', xml).group(0)
    assert "<v>" not in cell and "OFFSET" in cell


def test_errors_are_real_error_cells(computed):
    with zipfile.ZipFile(computed[1]) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    cell = re.search(r'<c r="D9"[^>]*>.*?</c>', xml).group(0)  # 白水县: base 0
    assert 't="e"' in cell and "<v>#DIV/0!</v>" in cell


def test_formulas_and_formatting_unchanged(computed):
    source, target, report = computed
    before, after = load_workbook(source), load_workbook(target)
    for name in before.sheetnames:
        a, b = before[name], after[name]
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for x, y in zip(row_a, row_b, strict=True):
                if isinstance(x.value, str):
                    assert x.value == y.value
                assert x.number_format == y.number_format
                assert x._style == y._style  # same entry of the same styles part
        assert a.merged_cells.ranges == b.merged_cells.ranges
        assert {k: v.width for k, v in a.column_dimensions.items()} == {
            k: v.width for k, v in b.column_dimensions.items()
        }
        assert [str(r.sqref) for r in a.conditional_formatting] == [
            str(r.sqref) for r in b.conditional_formatting
        ]
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(target) as b:
        assert a.read("xl/styles.xml") == b.read("xl/styles.xml")
    assert report.formulas == report.written - 11 + 2  # 12 array cells, 1 anchor; 2 failures
    assert report.tj_formulas == 12 * 6 + 2 + 1 + 1


def test_in_place_keeps_a_backup(tmp_path):
    source = build(tmp_path / "表.xlsx")
    original = source.read_bytes()
    first = compute_file(source).backup
    assert first is not None and first.read_bytes() == original
    second = compute_file(source, source).backup  # -o naming the file itself: a second backup
    assert second is not None and second != first and first.read_bytes() == original
    assert sorted(p.name for p in tmp_path.glob("表.bak-*.xlsx")) == sorted(
        [first.name, second.name]
    )
    assert load_workbook(source, data_only=True)["对比"]["D3"].value == growth(152.31, 140.02)


def test_xlsm_keeps_its_vba_project(tmp_path):
    source = build(tmp_path / "plain.xlsx")
    macro = tmp_path / "宏.xlsm"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(macro, "w") as out:
        for info in package.infolist():
            data = package.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            out.writestr(info, data)
        out.writestr("xl/vbaProject.bin", b"VBA-PROJECT-BYTES")
    compute_file(macro, tmp_path / "out.xlsm")
    with zipfile.ZipFile(tmp_path / "out.xlsm") as package:
        assert package.read("xl/vbaProject.bin") == b"VBA-PROJECT-BYTES"


def test_bad_input_names_the_problem_and_writes_nothing(tmp_path):
    from workbooks.compute import WorkbookProblem
    from workbooks.errors import UserError

    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(UserError, match="工作簿：这是文本/CSV 文件"):
        compute_file(broken, tmp_path / "out.xlsx")
    with pytest.raises(WorkbookProblem, match=r"\.xls"):
        compute_file(tmp_path / "old.xls", tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["坏.xlsx"]


def test_a_circular_reference_is_listed_with_its_cells_and_cleared(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "循环"
    sheet["A1"], sheet["B1"] = "=B1*2", "=A1+1"  # A1 ↔ B1
    sheet["C1"] = "=A1+1"  # reads the cycle
    sheet["D1"] = "=2+3"
    sheet["E1"] = 7
    sheet["E2"] = "=E1*2"
    source = tmp_path / "循环.xlsx"
    book.save(source)
    report = compute_file(source, tmp_path / "out.xlsx")
    assert set(report.failures) == {"循环!A1", "循环!B1", "循环!C1"}
    for cell in ("循环!A1", "循环!B1"):
        assert report.failures[cell].startswith("循环引用")
        assert "循环!A1" in report.failures[cell] and "循环!B1" in report.failures[cell]
    assert report.failures["循环!C1"] == "引用的单元格 循环!A1 未能计算"
    values = load_workbook(tmp_path / "out.xlsx", data_only=True)["循环"]
    assert [values[c].value for c in ("A1", "B1", "C1", "D1", "E2")] == [None, None, None, 5, 14]
