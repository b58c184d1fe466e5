"""Evaluation in dependency order: long chains, circular references, errors that are bugs.

Expected values are worked out by hand (a chain of +1 steps, a doubled column) or by calling
the add-in's functions directly (``udfs``).
"""

from __future__ import annotations

import sys
import threading

import pytest

from udfs import growth
from workbooks.formula.engine import Engine, Formula, Sheet
from workbooks.formula.functions import EAGER
from workbooks.formula.tokens import tokenize
from workbooks.formula.values import XLError


def run(formulas: dict[tuple[int, int], str], constants=None, names=None, functions=None):
    sheet = Sheet("表", constants=dict(constants or {}), max_row=20, max_col=10)
    for key, text in formulas.items():
        sheet.formulas[key] = Formula(text)
    engine = Engine([sheet], names, functions)
    engine.run()
    return engine


def test_a_chain_of_250000_references_without_touching_the_interpreter():
    """A1=1, A2=A1+1, … A250000=A249999+1, stored as Excel stores a filled-down column (one
    shared formula). The cells are listed bottom first, so that following the references
    from the first listed cell goes 250,000 cells deep."""
    n = 250_000
    shared = tokenize("A1+1", 2, 1)
    sheet = Sheet("表", constants={(1, 1): 1.0}, max_row=n, max_col=1)
    for row in range(n, 1, -1):
        sheet.formulas[(row, 1)] = Formula(f"A{row - 1}+1", tokens=shared)
    limit, threads = sys.getrecursionlimit(), threading.active_count()
    engine = Engine([sheet])
    engine.run()
    assert engine.failures == {}
    assert engine.results[("表", n, 1)] == float(n)
    assert engine.results[("表", 1000, 1)] == 1000.0
    assert sys.getrecursionlimit() == limit
    assert threading.active_count() == threads


def test_cycles_are_reported_with_their_cells_and_the_rest_computes():
    engine = run(
        {
            (1, 1): "B1",  # A1 ↔ B1
            (1, 2): "A1",
            (3, 1): "B3+1",  # A3 → B3 → C3 → A3
            (3, 2): "C3*2",
            (3, 3): "A3-1",
            (5, 1): "A5+1",  # refers to itself
            (7, 2): "SUM(B6:B8)",  # inside the range it sums
            (9, 1): "2*3",
            (9, 2): "A9+D9",
        },
        constants={(9, 4): 4.0},
    )
    assert sorted(engine.cycles) == [
        [("表", 1, 1), ("表", 1, 2)],
        [("表", 3, 1), ("表", 3, 2), ("表", 3, 3)],
        [("表", 5, 1)],
        [("表", 7, 2)],
    ]
    assert "表!A1" in engine.failures[("表", 1, 2)] and "表!B1" in engine.failures[("表", 1, 2)]
    for cell in ("表!A3", "表!B3", "表!C3"):
        assert cell in engine.failures[("表", 3, 1)]
    assert engine.failures[("表", 5, 1)].startswith("循环引用")
    assert engine.failures[("表", 7, 2)].startswith("循环引用")
    assert engine.results[("表", 9, 1)] == 6.0
    assert engine.results[("表", 9, 2)] == 10.0
    for key in engine.failures:
        assert key not in engine.results


def test_a_formula_reading_a_cycle_gets_no_value():
    engine = run({(1, 1): "B1+1", (1, 2): "A1+1", (2, 1): "A1*10", (3, 1): "SUM(A1:B1)"})
    assert engine.failures[("表", 2, 1)] == "引用的单元格 表!A1 未能计算"
    assert engine.failures[("表", 3, 1)].startswith("引用的单元格 表!")
    assert ("表", 2, 1) not in engine.results and ("表", 3, 1) not in engine.results


def test_a_branch_not_taken_does_not_need_its_cells():
    engine = run({(1, 1): "B1", (1, 2): "A1", (2, 1): 'IF(TRUE,"无需",A1)'})
    assert engine.results[("表", 2, 1)] == "无需"


def test_order_follows_references_across_sheets_and_names():
    first = Sheet("汇总", max_row=3, max_col=2)
    first.formulas[(1, 1)] = Formula("SUM(明细!B1:B3)")
    first.formulas[(2, 1)] = Formula("合计*2")
    first.formulas[(3, 1)] = Formula("SUM(明细!B:B)")
    detail = Sheet("明细", constants={(1, 1): 1.0, (2, 1): 2.0, (3, 1): 3.0}, max_row=3, max_col=2)
    for row in (1, 2, 3):
        detail.formulas[(row, 2)] = Formula(f"A{row}*10")
    engine = Engine([first, detail], {"合计": "汇总!$A$1"})
    engine.run()
    assert engine.failures == {}
    assert engine.results[("汇总", 1, 1)] == 60.0
    assert engine.results[("汇总", 2, 1)] == 120.0
    assert engine.results[("汇总", 3, 1)] == 60.0


def test_a_tj_column_on_computed_cells_is_computed_in_order():
    """TJ_GROWTH down a column whose inputs are themselves formulas (batched as one call once
    the inputs are known) equals the function called cell by cell."""
    rows = range(1, 13)
    constants = {(r, 1): float(10 * r) for r in rows}
    formulas = {(r, 2): f"A{r}*1.1+{r}" for r in rows}
    formulas.update({(r, 3): f"TJ_GROWTH(B{r},A{r})" for r in rows})
    engine = run(formulas, constants)
    assert engine.failures == {}
    for r in rows:
        current = 10 * r * 1.1 + r
        assert engine.results[("表", r, 3)] == growth(current, 10.0 * r)


def test_a_programming_error_in_a_function_surfaces():
    def broken(value):
        return value + "元"  # a bug: a number plus text

    functions = {**EAGER, "BROKEN": broken}
    with pytest.raises(TypeError):
        run({(1, 1): "BROKEN(2)"}, functions=functions)


def test_a_call_with_the_wrong_number_of_arguments_is_listed():
    engine = run({(1, 1): "MOD(7)", (2, 1): "MOD(7,3)"})
    assert engine.failures[("表", 1, 1)] == "函数 MOD 的参数个数不对（公式中为 1 个）"
    assert engine.results[("表", 2, 1)] == 1.0


def test_an_error_value_is_a_value_not_a_failure():
    engine = run({(1, 1): "1/0", (2, 1): "A1+1", (3, 1): "IFERROR(A2,0)"})
    assert engine.results[("表", 2, 1)] is XLError("#DIV/0!")
    assert engine.results[("表", 3, 1)] == 0.0
    assert engine.failures == {}


def test_an_evaluated_workbook_is_freed_as_soon_as_it_is_dropped():
    """Columns computed at once, ranges and RANK read: nothing the evaluation leaves behind
    refers back to the engine, so its memory returns when it is dropped (without waiting for
    the garbage collector)."""
    import gc
    import weakref

    formulas = {(r, 3): f"ROUND(A{r}*2,1)+SUM(A{r}:B{r})" for r in range(1, 21)}
    formulas.update({(r, 4): f"RANK(A{r},$A$1:$A$20)" for r in range(1, 21)})
    # a formula that cannot be compiled, one that reads it, a circular reference
    formulas.update({(1, 5): "NOSUCH(A1)", (2, 5): "E1+1", (3, 5): "E3+1"})
    engine = run(formulas, {(r, 1): float(r % 7) for r in range(1, 21)})
    assert engine.results[("表", 1, 4)] == 16.0  # 15 of the 20 are above 1
    assert {key[1:] for key in engine.failures} == {(1, 5), (2, 5), (3, 5)}
    dropped = weakref.ref(engine)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del engine
        assert dropped() is None
    finally:
        if enabled:
            gc.enable()


def test_formula_cells_inside_a_failed_array_formula_get_no_value():
    """A damaged file may hold formulas in the cells of an array formula's range. When the
    array formula cannot be computed, its whole range is left without values — also a column
    of such cells long enough to be computed at once — and what reads them is listed too."""
    sheet = Sheet("S", constants={(r, 2): float(r) for r in range(1, 13)}, max_row=12, max_col=3)
    sheet.formulas[(1, 1)] = Formula("NOSUCHFN(1)", (1, 1, 10, 1))
    for r in range(2, 11):
        sheet.formulas[(r, 1)] = Formula(f"B{r}*2")
    for r in range(1, 11):
        sheet.formulas[(r, 3)] = Formula(f"A{r}+1")
    engine = Engine([sheet])
    engine.run()
    assert engine.failures[("S", 1, 1)] == "函数 NOSUCHFN 暂不支持"
    assert not {("S", r, 1) for r in range(1, 11)} & engine.results.keys()
    for r in range(2, 11):
        assert engine.failures[("S", r, 3)] == f"引用的单元格 S!A{r} 未能计算"
        assert ("S", r, 3) not in engine.results


def test_brackets_nested_too_deep_are_listed_not_a_crash():
    """100 levels (more than Excel's 64 nested functions) compute; deeper nesting — a damaged
    or generated file — is listed with its depth, and the cells reading it too."""
    deep = 100
    nested = "IF(A1>0," * deep + "A1" + ",0)" * deep
    engine = run({(1, 2): nested, (1, 3): "(" * 4000 + "A1" + ")" * 4000, (1, 4): "C1+1"},
                 {(1, 1): 5.0})  # fmt: skip
    assert engine.results[("表", 1, 2)] == 5.0
    assert engine.failures[("表", 1, 3)] == "公式的括号嵌套有 4000 层，超过 100 层，无法计算"
    assert engine.failures[("表", 1, 4)] == "引用的单元格 表!C1 未能计算"
