"""Error reasons: a static code table, each cell's own Chinese message, the same in every host.

Excel's Python process lives for a whole working day: whatever a user types must not add reason
codes (40,000 distinct bad period labels once overflowed the int16 codes). The label a message
quotes travels beside the codes and still reaches its own cell.
"""

import pytest

from tests.udfs.officejs import recalculate
from udfs import growth, rank_change, schedule_gap, time_progress
from udfs.errors import COM_ERRORS, ERROR_LITERALS, OFFICEJS_ERRORS, REASONS, ExcelError
from udfs.excel import cell_values
from udfs.functions import FUNCTIONS
from workbooks.formula import tj
from workbooks.formula.values import XLError

N = 40_000
LABELS = [f"{1000 + i}年13月" for i in range(N)]  # 40,000 distinct labels, none a period


def unreadable(label: str) -> str:
    """The message a user reads for a label that is no period (written out, not imported)."""
    return (
        f"无法识别的期别「{label}」（可写 1-9月、前三季度、2026Q3、2026年1-9月 等）（参数 period）"
    )


def test_distinct_bad_labels_in_one_call_each_get_their_own_message():
    size = len(REASONS)
    result = time_progress([[label] for label in LABELS])
    assert result.shape == (N, 1)
    for label, cell in zip(LABELS, result[:, 0], strict=True):
        assert cell == "#VALUE!" and cell.message == unreadable(label)
    assert len(REASONS) == size


def test_distinct_bad_labels_in_separate_calls_add_no_code():
    size = len(REASONS)
    for label in LABELS:
        cell = time_progress(label)
        assert cell == "#VALUE!" and cell.message == unreadable(label)
    assert len(REASONS) == size


# The hosts share the kernels above; a few thousand labels show each keeps every cell's own.
SOME = LABELS[::10]


def test_classic_excel_markers_carry_each_label():
    size = len(REASONS)
    cells = cell_values(FUNCTIONS["TJ_TIME_PROGRESS"]([[label] for label in SOME] + [["1-3月"]]))
    assert [row[0] for row in cells[:-1]] == [f"#VALUE! {unreadable(label)}" for label in SOME]
    assert cells[-1] == [25.0]
    assert len(REASONS) == size


def test_office_js_and_the_formula_engine_show_the_error_value():
    size = len(REASONS)
    column = [[label] for label in SOME]
    value_error = {"type": "Error", "errorType": "Value"}
    assert recalculate("TJ_TIME_PROGRESS", column) == [[value_error]] * len(SOME)
    engine = tj.call("TJ_TIME_PROGRESS", [column[0][0]])
    assert engine is XLError("#VALUE!")
    assert len(REASONS) == size


def test_one_bad_period_against_a_column_names_the_label_in_every_cell():
    result = schedule_gap([[50], [None], [80]], 100, "2026年13月")
    assert result[0, 0].message == result[2, 0].message == unreadable("2026年13月")
    assert result[1, 0] == "#N/A" and "实际完成" in result[1, 0].message  # the first problem wins


def test_an_earlier_argument_s_problem_wins_over_the_label():
    result = schedule_gap([["abc"], [60]], [[100], [100]], [["坏期"], ["又坏"]])
    assert result[0, 0] == "#VALUE!" and "实际完成" in result[0, 0].message
    assert result[1, 0].message == unreadable("又坏")


@pytest.mark.parametrize(
    ("label", "message"),
    [
        (True, "无法识别的期别：True（参数 period）"),
        (13, "无法识别的期别：13（月份应为 1-12，日期应为 Excel 日期）（参数 period）"),
        (0.5, "无法识别的期别：0.5（月份应为 1-12，日期应为 Excel 日期）（参数 period）"),
    ],
)
def test_other_unreadable_periods_keep_their_message(label, message):
    assert time_progress(label).message == message


def test_the_one_list_of_error_literals():
    assert {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
    } == ERROR_LITERALS
    assert {e.literal for e in ExcelError} <= ERROR_LITERALS
    # COM hands #DIV/0! over as 0x800A07D7 (xlErrDiv0 = 2007), Office.js as errorType "Div0".
    assert COM_ERRORS[-2146826281] == "#DIV/0!"
    assert OFFICEJS_ERRORS["Div0"] == "#DIV/0!"
    assert set(COM_ERRORS.values()) == set(OFFICEJS_ERRORS.values()) == ERROR_LITERALS


def test_a_spill_error_coming_in_is_passed_on_not_read_as_a_number():
    spill = -2146826243  # what classic xlwings passes for a #SPILL! cell: 0x800A07FD (2045)
    out = growth([[110.0], [spill]], 100)
    assert out[0, 0] == 10.0
    assert out[1, 0] == "#SPILL!" and "#SPILL!" in out[1, 0].message  # the same kind, passed on
    out = growth([[{"type": "Error", "errorType": "Spill"}]], 100)
    assert out[0, 0] == "#SPILL!" and "#SPILL!" in out[0, 0].message


def test_every_host_shows_the_same_cells():
    # One range with a value, a deliberate blank and errors from both arguments.
    now = [[2.0], [None], ["第x位"], [4.0]]
    before = [[3.0], [1.0], [2.0], [0.5]]
    python = FUNCTIONS["TJ_RANK_CHANGE"](now, before)
    assert rank_change(now, before).tolist() == [[1.0], [None], ["#VALUE!"], ["#VALUE!"]]
    classic = cell_values(python)
    officejs = cell_values(python, "1.4")
    engine = tj.result_value(python).lists()
    assert classic[0] == officejs[0] == engine[0] == [1.0]
    assert classic[1] == officejs[1] == engine[1] == [""]
    messages = [cell.message for cell in rank_change(now, before)[2:, 0]]
    assert [row[0] for row in classic[2:]] == [f"#VALUE! {m}" for m in messages]
    assert officejs[2:] == [[{"type": "Error", "errorType": "Value"}]] * 2
    assert engine[2:] == [[XLError("#VALUE!")]] * 2
