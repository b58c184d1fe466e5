"""A column of the same arithmetic formula, computed at once, equals it computed cell by cell.

Each column is evaluated twice: as one column of many rows (computed at once) and row by row
in workbooks of a single row (no column to compute at once). Every cell must agree to the
bit, errors and coercions (blanks, numeric text, logicals, error cells) included.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbooks.formula.batch import MIN_GROUP
from workbooks.formula.engine import Engine, Formula, Sheet
from workbooks.formula.values import XLError

FORMULAS = [
    "(A{r}/B{r}-1)*100",
    "-A{r}*B{r}+3",
    "A{r}%+B{r}",
    "A{r}/(B{r}-B{r})",
    "+A{r}-(-B{r})*1E308*10",
    "A{r}/$B$1",
]

cells = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([0.0, -0.0, 1.0, 100.0, None, "12", "abc", True, XLError("#N/A")]),
)


def _evaluate(rows: list[tuple[object, object]], text: str) -> list[object]:
    sheet = Sheet("表", max_row=len(rows) + 1, max_col=3)
    sheet.constants[(1, 2)] = 4.0  # $B$1
    for r, (a, b) in enumerate(rows, start=2):
        for c, value in ((1, a), (2, b)):
            if value is not None:
                sheet.constants[(r, c)] = value
        sheet.formulas[(r, 3)] = Formula(text.format(r=r))
    engine = Engine([sheet])
    engine.run()
    return [engine.results.get(("表", r, 3)) for r in range(2, len(rows) + 2)]


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.copysign(1, a) == math.copysign(1, b) and a == b
    return type(a) is type(b) and a == b


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(cells, cells), min_size=MIN_GROUP, max_size=40),
    st.sampled_from(FORMULAS),
)
def test_a_column_at_once_equals_cell_by_cell(rows, text) -> None:
    at_once = _evaluate(rows, text)
    one_by_one = [_evaluate([row], text.replace("{r}", "{r}"))[0] for row in rows]
    assert all(_same(a, b) for a, b in zip(at_once, one_by_one, strict=True)), (
        at_once,
        one_by_one,
    )


CHOICES = [
    'IF(A{r}>=B{r}*0.75,"达标",B{r}-A{r})',
    "IF(A{r}/B{r}<>1,A{r},TRUE)",
    "IF(A{r}=B{r},0,-A{r}%)",
    'IF(A{r}<=$B$1,A{r}/B{r},"否")',
    "IF(A{r}+0.1>B{r}*3,B{r}*1E308*10,A{r}-B{r})",
    "IF(A{r}<B{r},FALSE,B{r})",
]

near = st.sampled_from([126.39, 168.52, 0.1, 0.2, 0.3, 0.30000000000000004, 2.0**53, -1.0])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.one_of(cells, near), st.one_of(cells, near)), min_size=8, max_size=40),
    st.sampled_from(CHOICES),
)
def test_a_column_of_if_at_once_equals_cell_by_cell(rows, text) -> None:
    """IF choosing between constants and arithmetic by a comparison — numbers equal within the
    last bits included — computed for a whole column at once, equals it cell by cell."""
    at_once = _evaluate(rows, text)
    one_by_one = [_evaluate([row], text)[0] for row in rows]
    assert all(_same(a, b) for a, b in zip(at_once, one_by_one, strict=True)), (
        at_once,
        one_by_one,
    )


def test_near_equal_numbers_choose_the_same_branch_at_once_and_cell_by_cell() -> None:
    """168.52*0.75 is 126.39000000000001; 0.1+0.2 is 0.30000000000000004: equal in a
    comparison, in a column computed at once as cell by cell."""
    rows = [(126.39, 168.52), (0.30000000000000004, 0.3), (2.0**53, 2.0**53 + 2), (1.0, 1.0)]
    rows = rows * 3
    for text in ('IF(A{r}>=B{r}*0.75,"达标",B{r}-A{r})', "IF(A{r}=B{r},0,-A{r}%)"):
        at_once = _evaluate(rows, text)
        assert at_once == [_evaluate([row], text)[0] for row in rows]
    assert _evaluate(rows, 'IF(A{r}>=B{r}*0.75,"达标",B{r}-A{r})')[0] == "达标"
    assert _evaluate(rows, "IF(A{r}=B{r},0,-A{r}%)")[1] == 0.0


ROUNDINGS = [
    "ROUND(A{r},1)",
    "ROUND((A{r}/B{r}-1)*100,1)",
    "ROUND(A{r}*B{r},0)",
    "ROUND(A{r},-1)",
    "ROUNDUP(A{r}-B{r},2)",
    "ROUNDDOWN(A{r}/3,1.9)",
]

halves = st.sampled_from([-2.5, -0.05, -0.15, 0.15, 2.675, -2.675, 1.005, -1e15 - 0.5, 25.0, -35.0])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(cells, halves), st.one_of(cells, halves)), min_size=8, max_size=40
    ),
    st.sampled_from(ROUNDINGS),
)
def test_a_column_of_round_at_once_equals_cell_by_cell(rows, text) -> None:
    """ROUND (half away from zero on 15 digits, negative halves included), ROUNDUP and
    ROUNDDOWN of arithmetic, a whole column at once and cell by cell."""
    at_once = _evaluate(rows, text)
    one_by_one = [_evaluate([row], text)[0] for row in rows]
    assert all(_same(a, b) for a, b in zip(at_once, one_by_one, strict=True)), (
        at_once,
        one_by_one,
    )


SUMS = ["SUM(A{r}:B{r})", "SUM(A{r}:B{r},$B$1:$B$1)", "SUM(B{r}:A{r})", "SUM(A{r}:A{r})"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.one_of(cells, near), st.one_of(cells, near)), min_size=8, max_size=40),
    st.sampled_from(SUMS),
)
def test_a_column_of_sum_over_its_row_at_once_equals_cell_by_cell(rows, text) -> None:
    """SUM over a row's cells (blanks, text, logicals passed over; an error cell gives the
    error; huge numbers overflow), a whole column at once and cell by cell."""
    at_once = _evaluate(rows, text)
    one_by_one = [_evaluate([row], text)[0] for row in rows]
    assert all(_same(a, b) for a, b in zip(at_once, one_by_one, strict=True)), (
        at_once,
        one_by_one,
    )


def test_round_of_negative_halves_in_a_column() -> None:
    """-2.5 → -3, 2.675 → 2.68 (its 15 digits are 2.675), -0.05 → -0.1, 1E+300 stays:
    Excel's rounding, also when the column is computed at once."""
    rows = [(-2.5, None), (2.675, None), (-0.05, None), (1e300, None)] * 3
    assert _evaluate(rows, "ROUND(A{r},0)") == [-3.0, 3.0, -0.0, 1e300] * 3
    assert _evaluate(rows[:1], "ROUND(A{r},0)") == [-3.0]
    assert _evaluate(rows, "ROUND(A{r},2)")[1] == 2.68
    assert _evaluate(rows, "ROUND(A{r},1)")[2] == -0.1
    assert _evaluate(rows, "SUM(A{r}:B{r})")[:3] == [-2.5, 2.675, -0.05]


def test_a_column_of_array_formulas_fills_every_cell_of_each_range() -> None:
    """Ten array formulas ``{=A1*2}`` over two cells each (as Ctrl+Shift+Enter writes them):
    each fills both of its cells, as one such formula alone does."""
    for text in ("A{r}*2", "ROUND(A{r}*2,0)", "SUM(A{r}:B{r})"):
        sheet = Sheet("表", max_row=21, max_col=3)
        for r in range(1, 21, 2):
            sheet.constants[(r, 1)] = float(r)
            sheet.constants[(r, 2)] = 1.0
            sheet.formulas[(r, 3)] = Formula(text.format(r=r), (r, 3, r + 1, 3))
        engine = Engine([sheet])
        engine.run()
        for r in range(1, 21, 2):
            expected = r + 1.0 if text.startswith("SUM") else 2.0 * r
            assert engine.results.get(("表", r, 3)) == expected, (text, r)
            assert engine.results.get(("表", r + 1, 3)) == expected, (text, r + 1)


def _column_of(sheet: Sheet, text: str, rows: list[int]) -> tuple[dict, dict]:
    """Column C of ``rows`` holding ``text``: values and failures, all at once and each alone."""

    def run(only: list[int]) -> tuple[dict, dict]:
        copy = Sheet(sheet.name, dict(sheet.constants), dict(sheet.formulas), 31, 5)
        for r in only:
            copy.formulas[(r, 3)] = Formula(text.format(r=r))
        engine = Engine([copy])
        engine.run()
        keys = [("表", r, 3) for r in only]
        return (
            {k: engine.results[k] for k in keys if k in engine.results},
            {k: engine.failures[k] for k in keys if k in engine.failures},
        )

    at_once = run(rows)
    one_by_one: tuple[dict, dict] = ({}, {})
    for r in rows:
        found, failed = run([r])
        one_by_one[0].update(found)
        one_by_one[1].update(failed)
    assert at_once == one_by_one
    return at_once


@pytest.mark.parametrize("listed_twice", [False, True])
def test_a_column_reads_array_members_and_failed_cells_as_cell_by_cell(listed_twice) -> None:
    """Column B: an array formula {=A1:A5*2} over B1:B5 whose cells also hold the values saved
    with the file (999, stale), numbers below, a formula that cannot be computed in B8 and
    (``listed_twice``) a constant listed under a formula in B9. Read in any order, a column
    over B takes each cell's computed value, and the row reading B8 fails as it does alone."""
    sheet = Sheet("表")
    for r in range(1, 16):
        sheet.constants[(r, 1)] = float(r)
        sheet.constants[(r, 2)] = 999.0 if r <= 5 else float(10 * r)
    sheet.formulas[(1, 2)] = Formula("A1:A5*2", (1, 2, 5, 2))
    sheet.constants.pop((8, 2))
    sheet.formulas[(8, 2)] = Formula("NOSUCHFUNCTION(1)")
    if listed_twice:
        sheet.formulas[(9, 2)] = Formula("A9*3")  # B9 also holds the constant 90
    sheet.formulas[(1, 4)] = Formula("1-1")  # D1: 0, computed after B1:B5
    texts = ("B{r}+1", "ROUND(B{r}/3,2)", "SUM(A{r}:B{r})", "RANK(B{r},$B$10:$B$15)")
    for rows in (list(range(1, 16)), [*range(6, 16), *range(1, 6)], [*range(10, 16), 2, 3, 4, 5]):
        for text in (*texts, "B{r}+$D$1+1"):
            values, failures = _column_of(sheet, text, rows)
            assert list(failures) == ([("表", 8, 3)] if 8 in rows else []), text
            if text in ("B{r}+1", "B{r}+$D$1+1"):
                assert [values[("表", r, 3)] for r in (5, 10)] == [11.0, 101.0]
                if 9 in rows:
                    assert values[("表", 9, 3)] == (28.0 if listed_twice else 91.0)


def test_a_large_range_is_read_whole_and_names_its_first_failed_cell() -> None:
    """SUM over 10,000 cells (read in parts) adds them all; with two cells that cannot be
    computed, the SUM is listed with the first of them in reading order (row by row)."""
    sheet = Sheet("表", max_row=5000, max_col=3)
    for r in range(1, 5001):
        sheet.constants[(r, 1)] = float(r)
        sheet.constants[(r, 2)] = 1.0
    sheet.formulas[(1, 3)] = Formula("SUM($A$1:$B$5000)")
    engine = Engine([sheet])
    engine.run()
    assert engine.results[("表", 1, 3)] == 5000 * 5001 / 2 + 5000
    for failing in ((4500, 1), (3000, 2)):
        sheet.constants.pop(failing)
        sheet.formulas[failing] = Formula("NOSUCHFUNCTION(1)")
    engine = Engine([sheet])
    engine.run()
    assert "表!B3000" in engine.failures[("表", 1, 3)]


TJ_CALLS = ["TJ_GROWTH(A{r},B{r})", "TJ_COMPLETION(A{r},B{r})", "TJ_GROWTH(A{r},B{r},$B$1)"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(cells, cells), min_size=MIN_GROUP, max_size=30),
    st.sampled_from(TJ_CALLS),
    st.sets(st.integers(2, 31), max_size=3),
)
def test_a_column_of_tj_calls_at_once_equals_cell_by_cell(rows, text, failing) -> None:
    """A ``TJ_`` call filled down (numbers, blanks, text, logicals, error values, and cells
    that cannot be computed among its inputs): at once as cell by cell, failures included.
    Column A is computed (=E2 …), so that every row of the column is evaluated together."""
    sheet = Sheet("表")
    sheet.constants[(1, 2)] = 4.0  # $B$1
    for r, (a, b) in enumerate(rows, start=2):
        for c, value in ((5, a), (2, b)):
            if value is not None:
                sheet.constants[(r, c)] = value
        sheet.formulas[(r, 1)] = Formula("NOSUCHFUNCTION(1)" if r in failing else f"E{r}")
    _column_of(sheet, text, list(range(2, len(rows) + 2)))
