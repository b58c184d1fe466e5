"""The TJ_ functions run the way xlwings Server / Lite runs them (Office.js custom functions)."""

import numpy as np
import pytest
from xlwings.server import custom_functions_meta

from tests.udfs.officejs import recalculate
from udfs import excel, growth, rank
from udfs.catalog import CATALOG

DIV0 = {"type": "Error", "errorType": "Div0"}
NA = {"type": "Error", "errorType": "NotAvailable"}
NUM = {"type": "Error", "errorType": "Num"}
VALUE = {"type": "Error", "errorType": "Value"}


def call(name, *args):
    """One Excel recalculation of ``=name(args)``: every argument arrives as a 2-D list."""
    return recalculate(name, *args)


def test_every_function_is_registered_with_chinese_help():
    meta = {f["name"]: f for f in custom_functions_meta(excel)["functions"]}
    assert set(meta) == {entry.name for entry in CATALOG}
    for entry in CATALOG:
        found = meta[entry.name]
        assert found["description"] == entry.description
        assert [p["name"] for p in found["parameters"]] == [p.name for p in entry.parameters]
        for param, spec in zip(found["parameters"], entry.parameters, strict=True):
            assert param["description"] == spec.doc and spec.doc
            assert param.get("optional", False) == spec.optional


def test_single_cells():
    assert call("TJ_GROWTH", 110.0, 100.0) == [[10.0]]
    assert call("TJ_GROWTH", 110.0, 100.0, 105.0) == [[growth(110, 100, 105)]]
    assert call("TJ_TIME_PROGRESS", "一季度") == [[25.0]]
    assert call("TJ_RANK_CHANGE", 3.0, 5.0) == [[2.0]]


def test_errors_are_real_error_values():
    assert call("TJ_GROWTH", 5.0, 0.0) == [[DIV0]]
    assert call("TJ_GROWTH", 5.0, -1.0) == [[NUM]]
    assert call("TJ_GROWTH", "abc", 1.0) == [[VALUE]]
    assert call("TJ_GROWTH", None, 1.0) == [[NA]]
    assert call("TJ_TIME_PROGRESS", "第13月") == [[VALUE]]


def test_ranges_spill_with_each_error_in_its_cell():
    current = [[110.0], [None], ["—"], [5.0], ["1,200"]]
    base = [[100.0], [100.0], [100.0], [0.0], [1000.0]]
    assert call("TJ_GROWTH", current, base) == [[10.0], [NA], [NA], [DIV0], [20.0]]


def test_range_against_one_cell_and_shape_mismatch():
    assert call("TJ_SHARE", [[1.0], [3.0]], 4.0) == [[25.0], [75.0]]
    assert call("TJ_GROWTH", [[1.0], [2.0], [3.0]], [[1.0], [2.0]]) == [[VALUE]]


def test_rank_of_a_whole_column_at_once_and_blank_rank_change():
    column = [[6.7], [8.1], [6.7], [None]]
    assert call("TJ_RANK", column, column) == [[2.0], [1.0], [2.0], [NA]]
    assert call("TJ_RANK", column, column, False) == [[1.0], [3.0], [1.0], [NA]]
    assert call("TJ_RANK_CHANGE", [[2.0], [3.0]], [[None], [1.0]]) == [[""], [-2.0]]


def test_optional_arguments_left_blank_use_their_defaults():
    assert call("TJ_GAP_TO_TARGET", 30.0, 100.0, None) == [[70.0]]
    assert call("TJ_RANK", 5.0, [[5.0], [6.0]], None, None) == [[2.0]]


@pytest.mark.parametrize("n", [1_000, 100_000])
def test_large_ranges_keep_values_and_errors_intact(n):
    rng = np.random.default_rng(7)
    current = rng.uniform(1, 1000, n)
    base = rng.uniform(-10, 1000, n)
    base[::97] = 0.0
    out = call("TJ_GROWTH", current.reshape(-1, 1).tolist(), base.reshape(-1, 1).tolist())
    expected = growth(current, base)
    assert len(out) == n
    for row, want in zip(out, expected, strict=True):
        cell = row[0]
        if isinstance(want, float):
            assert cell == want
        else:
            assert cell == {"#DIV/0!": DIV0, "#NUM!": NUM}[want]
    ranks = call("TJ_RANK", current.reshape(-1, 1).tolist(), current.reshape(-1, 1).tolist())
    assert [r[0] for r in ranks] == list(rank(current, current))
