"""The TJ_PHRASE_ cell functions: vectorised like every TJ_ function, with the same error rules,
through each host (plain Python, Office.js, classic VBA wrappers, the formula engine)."""

from __future__ import annotations

import pytest

from tests.udfs.officejs import recalculate
from tests.udfs.test_excel_classic import classic_call
from udfs import CellError
from udfs.core import to_python
from udfs.errors import COM_ERRORS
from udfs.functions import FUNCTIONS

PHRASES = sorted(name for name in FUNCTIONS if name.startswith("TJ_PHRASE_"))


def call(name, *args):
    return to_python(FUNCTIONS[name](*args))


def cells(result):
    """An object array of results as nested lists, errors as their literals."""
    return [[str(v) if isinstance(v, CellError) else v for v in row] for row in result.tolist()]


def test_the_six_phrase_functions_are_registered():
    assert PHRASES == [
        "TJ_PHRASE_AMOUNT",
        "TJ_PHRASE_CHANGE",
        "TJ_PHRASE_COMPLETION",
        "TJ_PHRASE_GROWTH",
        "TJ_PHRASE_RANK",
        "TJ_PHRASE_VS",
    ]


def test_growth_over_a_column_keeps_each_error_in_its_cell():
    rates = [[6.7], [-4.8], [None], ["待核实"], [0.04], ["#DIV/0!"], ["－3.25"]]
    assert cells(call("TJ_PHRASE_GROWTH", rates)) == [
        ["增长6.7%"],
        ["下降4.8%"],
        ["#N/A"],
        ["#VALUE!"],
        ["持平"],
        ["#DIV/0!"],
        ["下降3.3%"],
    ]
    missing = call("TJ_PHRASE_GROWTH", [[None]])[0][0]
    assert "增速" in missing.message


def test_vs_benchmark_a_column_against_one_cell_and_names_per_row():
    assert cells(call("TJ_PHRASE_VS", [[7.3], [5.0], [5.9]], 5.9)) == [
        ["高于全市1.4个百分点"],
        ["低于全市0.9个百分点"],
        ["与全市持平"],
    ]
    assert cells(call("TJ_PHRASE_VS", [[7.3], [7.3]], [[5.9], [7.4]], [["全市"], ["全省"]])) == [
        ["高于全市1.4个百分点"],
        ["低于全省0.1个百分点"],
    ]
    assert call("TJ_PHRASE_VS", 6.74, 6.66, "全市", 2) == "高于全市0.08个百分点"


def test_a_number_where_a_name_belongs_is_an_error():
    result = call("TJ_PHRASE_VS", 7.3, 5.9, 12)
    assert result == "#VALUE!" and "对比对象" in result.message


def test_ranges_that_cannot_be_lined_up_give_one_error():
    assert call("TJ_PHRASE_VS", [[1.0, 2.0]], [[1.0, 2.0, 3.0]]) == "#VALUE!"


def test_bad_decimals_give_one_error():
    result = call("TJ_PHRASE_GROWTH", [[6.7], [1.0]], "两位")
    assert result == "#VALUE!" and "两位" in result.message


def test_change_of_rates():
    assert cells(
        call("TJ_PHRASE_CHANGE", [[7.3], [-3.1], [6.5]], [[6.5], [-4.6], [6.5]], "一季度")
    ) == [
        ["较一季度提高0.8个百分点"],
        ["降幅较一季度收窄1.5个百分点"],
        ["与一季度持平"],
    ]


def test_rank_blank_previous_says_nothing_about_the_change():
    ranks = [[3], [7], [8], [9], [2.5], [None], [4]]
    previous = [[5], [7], [None], [8], [1], [2], ["—"]]
    assert cells(call("TJ_PHRASE_RANK", ranks, previous, None, None, 9)) == [
        ["居全市第3位，较上季度前移2位"],
        ["居全市倒数第3位，与上季度持平"],
        ["居全市倒数第2位"],
        ["居全市末位，较上季度后退1位"],
        ["#NUM!"],
        ["#N/A"],
        ["居全市第4位"],
    ]
    assert call("TJ_PHRASE_RANK", 7, 7, "无") == "居第7位，与上季度持平"
    assert call("TJ_PHRASE_RANK", 3, 5, "全省", "上半年") == "居全省第3位，较上半年前移2位"
    assert call("TJ_PHRASE_RANK", 10, None, None, None, 9) == "#NUM!"
    # a previous place beyond the count cannot be right: no 「前移9位」 from 12 to 3 of 9
    assert call("TJ_PHRASE_RANK", 3, 12, None, None, 9) == "#NUM!"
    assert call("TJ_PHRASE_RANK", 3, 9, None, None, 9) == "居全市第3位，较上季度前移6位"


def test_completion_with_a_period_label():
    assert cells(call("TJ_PHRASE_COMPLETION", [[76.3], [16.9], [None]], "前三季度")) == [
        ["完成年度目标的76.3%，超序时进度1.3个百分点"],
        ["完成年度目标的16.9%，差序时进度58.1个百分点"],
        ["#N/A"],
    ]
    assert (
        call("TJ_PHRASE_COMPLETION", 16.9, "一季度", None, "年度投资计划")
        == "完成年度投资计划的16.9%，差序时进度8.1个百分点"
    )
    assert (
        call("TJ_PHRASE_COMPLETION", 38.6, "1-4月") == "完成年度目标的38.6%，超序时进度5.3个百分点"
    )
    assert call("TJ_PHRASE_COMPLETION", 84.2) == "完成年度目标的84.2%"
    assert call("TJ_PHRASE_COMPLETION", 50, "2026年13月") == "#VALUE!"


def test_amount_with_units_per_row_and_conversion():
    assert cells(
        call("TJ_PHRASE_AMOUNT", [[63.2], [17176], [26921.4]], [["亿元"], ["万元"], ["元"]])
    ) == [
        ["63.2亿元"],
        ["17176万元"],
        ["26921.4元"],
    ]
    assert call("TJ_PHRASE_AMOUNT", 1.73, "万元") == "1.73万元"
    assert call("TJ_PHRASE_AMOUNT", 63.2, "亿元", 1) == "63.2亿元"
    assert call("TJ_PHRASE_AMOUNT", 17176, "万元", 2, "亿元") == "1.72亿元"
    assert call("TJ_PHRASE_AMOUNT", 3, "吨", None, "亿元") == "#VALUE!"


def test_office_js_receives_text_and_real_errors():
    assert recalculate("TJ_PHRASE_GROWTH", 6.7) == [["增长6.7%"]]
    assert recalculate("TJ_PHRASE_GROWTH", [[6.7], [None]]) == [
        ["增长6.7%"],
        [{"type": "Error", "errorType": "NotAvailable"}],
    ]


@pytest.fixture(scope="module")
def classic():
    from addin.xlam import classic_udfs

    with classic_udfs.classic_xlwings() as xlwings_classic:
        yield classic_udfs.classic_metadata(), classic_udfs.classic_module(xlwings_classic)


def test_classic_wrappers_pass_phrases_and_mark_errors(classic):
    meta, module = classic
    div0 = next(k for k, v in COM_ERRORS.items() if v == "#DIV/0!")
    out = classic_call(meta, module, "TJ_PHRASE_GROWTH", ((6.7,), (None,), (div0,)), -2147352572)
    assert out[0] == ["增长6.7%"]
    assert out[1][0].startswith("#N/A ")
    assert out[2][0].startswith("#DIV/0! ")
    single = classic_call(
        meta, module, "TJ_PHRASE_RANK", 3.0, 5.0, -2147352572, -2147352572, -2147352572
    )
    assert single == "居全市第3位，较上季度前移2位"


@pytest.mark.parametrize("name", PHRASES)
def test_no_phrase_looks_like_an_error_marker(name):
    """The classic add-in's VBA (TongjiCells.ErrorCode) turns text starting with # into an
    error: a phrase starts with a word or a digit."""
    samples = {
        "TJ_PHRASE_AMOUNT": (-3.25, "亿元"),
        "TJ_PHRASE_CHANGE": (-1.0, 2.0),
        "TJ_PHRASE_COMPLETION": (0.0, "一季度"),
        "TJ_PHRASE_GROWTH": (-0.05,),
        "TJ_PHRASE_RANK": (9, 8),
        "TJ_PHRASE_VS": (-1.0, 1.0),
    }
    text = call(name, *samples[name])
    assert isinstance(text, str) and not isinstance(text, CellError)
    assert not text.startswith("#")


def test_tongji_compute_writes_the_phrases_as_cached_text(tmp_path):
    import openpyxl

    from workbooks.compute import compute_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = 6.7, -4.8
    ws["B1"], ws["B2"], ws["B3"] = (
        "=TJ_PHRASE_GROWTH(A1)",
        "=TJ_PHRASE_GROWTH(A2)",
        "=TJ_PHRASE_GROWTH(A3)",
    )
    ws["C1"] = '="全县"&TJ_PHRASE_GROWTH(A1)&"，"&TJ_PHRASE_RANK(3,5)'
    wb.save(tmp_path / "in.xlsx")
    compute_file(tmp_path / "in.xlsx", tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx", data_only=True).active
    assert [ws["B1"].value, ws["B2"].value, ws["B3"].value] == ["增长6.7%", "下降4.8%", "#N/A"]
    assert ws["C1"].value == "全县增长6.7%，居全市第3位，较上季度前移2位"


@pytest.mark.parametrize("literal", sorted(COM_ERRORS.values()))
def test_a_text_argument_referring_to_an_error_cell_gives_that_error(literal):
    """TJ_PHRASE_AMOUNT(5, A8) with A8 = #N/A: classic Excel (and the Calc extension) hand the
    error cell over as its COM code, Office.js as an error object; both give the cell's own
    error, not #VALUE! for "no text"."""
    com = next(code for code, shown in COM_ERRORS.items() if shown == literal)
    assert str(call("TJ_PHRASE_AMOUNT", 5, com)) == literal
    assert str(call("TJ_PHRASE_VS", 7, 6.5, com)) == literal
    office = {"type": "Error", "errorType": {"#N/A": "NotAvailable", "#REF!": "Ref"}.get(literal)}
    if office["errorType"]:
        assert str(call("TJ_PHRASE_RANK", 3, 5, office)) == literal
    column = cells(call("TJ_PHRASE_RANK", 3, 5, [["全省"], [com]]))
    assert column == [["居全省第3位，较上季度前移2位"], [literal]]
