"""Cell values as bureau workbooks hold them become numbers, missing data, or clear errors."""

import datetime as dt
import math

import numpy as np
import pytest

from udfs import growth
from udfs.cleaning import Arg, parse_number_text
from udfs.errors import COM_ERRORS, REASONS
from udfs.rates import _CURRENT as ARG  # TJ_GROWTH's 本期值: an Arg is made once, at import


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.7", 6.7),
        (" 6.7 ", 6.7),
        ("17,176", 17176.0),
        ("1,234,567.89", 1234567.89),
        ("６．７", 6.7),
        ("６．７％", 6.7),
        ("6.7%", 6.7),
        ("－4.8", -4.8),
        ("−4.8", -4.8),
        ("下降4.8%", -4.8),
        ("增长6.7", 6.7),
        ("1e3", 1000.0),
        ("１７，１７６", 17176.0),
        ("\u30006.7\u3000", 6.7),
    ],
)
def test_number_texts_read_as_numbers(text, expected):
    assert parse_number_text(text) == pytest.approx(expected, rel=0, abs=1e-12)


@pytest.mark.parametrize("text", ["", "—", "——", "-", "/", "X", "XX", "x", "空", "…", "  "])
def test_placeholders_mean_no_data(text):
    assert parse_number_text(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [("abc", "text"), ("17,176万元", "unit"), ("14.64亿元", "unit"), ("#DIV/0!", "#DIV/0!")],
)
def test_unreadable_texts_say_why(text, kind):
    assert parse_number_text(text) == kind


def test_plain_numbers_and_blanks_take_the_fast_path():
    values, codes, _ = ARG.numbers([[1.0], [None], [3.5]])
    assert values[0, 0] == 1.0 and values[2, 0] == 3.5
    assert math.isnan(values[1, 0]) and codes[1, 0] == ARG.missing
    assert codes[0, 0] == 0 and codes[2, 0] == 0


def test_com_error_codes_are_passed_on_not_read_as_numbers():
    div0 = next(k for k, v in COM_ERRORS.items() if v == "#DIV/0!")
    values, codes, _ = ARG.numbers([[1.0], [div0]])
    assert codes[1, 0] == ARG.passed_on["#DIV/0!"]
    assert math.isnan(values[1, 0])
    result = growth([[110.0], [div0]], 100)
    assert result[1, 0] == "#DIV/0!" and "错误值" in result[1, 0].message


def test_mixed_text_range_cleans_each_cell():
    values, codes, _ = ARG.numbers(
        [["1,000"], ["—"], ["abc"], [dt.datetime(2026, 3, 31)], [True], [float("inf")]]
    )
    assert values[0, 0] == 1000.0
    assert codes[1, 0] == ARG.missing
    assert codes[2, 0] == ARG.text
    assert codes[3, 0] == ARG.date
    assert values[4, 0] == 1.0  # TRUE counts as 1, as in Excel arithmetic
    assert codes[5, 0] == ARG.infinite


def test_office_js_error_objects_are_passed_on():
    values, codes, _ = ARG.numbers([[{"type": "Error", "errorType": "NotAvailable"}], [2.0]])
    assert codes[0, 0] == ARG.passed_on["#N/A"]
    assert values[1, 0] == 2.0


def test_shape_is_kept():
    values, _, _ = ARG.numbers(np.arange(6.0).reshape(2, 3))
    assert values.shape == (2, 3)
    assert ARG.numbers(5)[0].shape == ()


def test_no_argument_registers_reasons_after_import():
    size = len(REASONS)
    with pytest.raises(RuntimeError):
        Arg("新参数 x")
    assert len(REASONS) == size
