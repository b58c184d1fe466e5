"""A column of RANK within one range, computed at once, equals it computed cell by cell.

``=RANK(B5,$A$1:$A$20)`` filled down is ranked as one sorted search over the range. Each
column is evaluated as a whole and again row by row, in workbooks holding one formula (no
column to compute at once): every cell must agree — ranks, ties (RANK.AVG averages them),
numbers not in the range (#N/A), an error in the range, blanks, text, logicals and errors
as the ranked value, ascending order — and so must every failure and its message.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from workbooks.formula.batch import MIN_GROUP
from workbooks.formula.engine import Engine, Formula, Sheet
from workbooks.formula.functions import RANK_ARRAY_FROM, rank_avg, rank_column, rank_eq
from workbooks.formula.values import RangeArray, XLError

RANKS = [
    "RANK(B{r},$A$1:$A${m})",
    "RANK.EQ(B{r},$A$1:$A${m},1)",
    "_xlfn.RANK.EQ(B{r},$A$1:$A${m},0)",
    "RANK.AVG(B{r},$A$1:$A${m})",
    "_xlfn.RANK.AVG(B{r},$A$1:$A${m},TRUE)",
    'RANK(B{r},$A$1:$A${m},"1")',
    "RANK(B{r},$A$1:$A${m},)",
    "RANK(B{r},其他!$A$1:$A${m},1)",
    "RANK(其他!B{r},$A$1:$A${m})",
]

#: few distinct numbers, so that ranked values tie and are found in the range
numbers = st.sampled_from([0.0, -0.0, 1.5, 2.0, 2.0, 100.0, -3.25, 0.1 + 0.2, 0.3])
#: mostly numbers (a column of numbers is ranked at once), sometimes anything else
in_range = st.one_of(
    numbers,
    numbers,
    numbers,
    st.floats(allow_nan=False, width=64),
    st.sampled_from([None, "12", "文本", True, False, 0]),
)
values = st.one_of(
    numbers,
    numbers,
    numbers,
    st.floats(allow_nan=False, width=64),
    st.sampled_from([None, "2", "abc", True, XLError("#N/A"), 7.0]),
)


def _sheets(area: list[object], ranked: list[object], error_at: int | None) -> list[Sheet]:
    """表: the range in column A (rows 1…), the ranked values in column B (rows 1…); 其他:
    the same cells. ``error_at``: a row of the range holding #DIV/0! (computed)."""
    out = []
    for name in ("表", "其他"):
        sheet = Sheet(name, max_row=max(len(area), len(ranked)) + 1, max_col=3)
        for r, value in enumerate(area, start=1):
            if value is not None:
                sheet.constants[(r, 1)] = value
        if error_at is not None:
            sheet.constants.pop((error_at, 1), None)
            sheet.formulas[(error_at, 1)] = Formula("1/0")
        for r, value in enumerate(ranked, start=1):
            if value is not None:
                sheet.constants[(r, 2)] = value
        out.append(sheet)
    return out


def _evaluate(
    area: list[object], ranked: list[object], text: str, rows: list[int], error_at: int | None
) -> tuple[dict[int, object], dict[int, str]]:
    """The values and failures of the formulas ``text`` in column C of ``rows``."""
    sheets = _sheets(area, ranked, error_at)
    for r in rows:
        sheets[0].formulas[(r, 3)] = Formula(text.format(r=r, m=len(area)))
    engine = Engine(sheets)
    engine.run()
    found = {r: engine.results[("表", r, 3)] for r in rows if ("表", r, 3) in engine.results}
    failed = {r: engine.failures[("表", r, 3)] for r in rows if ("表", r, 3) in engine.failures}
    return found, failed


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.copysign(1, a) == math.copysign(1, b) and a == b
    return type(a) is type(b) and a == b


def _at_once_and_one_by_one(area, ranked, text, error_at=None):
    rows = list(range(1, len(ranked) + 1))
    at_once = _evaluate(area, ranked, text, rows, error_at)
    one_by_one: tuple[dict[int, object], dict[int, str]] = ({}, {})
    for r in rows:
        found, failed = _evaluate(area, ranked, text, [r], error_at)
        one_by_one[0].update(found)
        one_by_one[1].update(failed)
    return at_once, one_by_one


@settings(max_examples=80, deadline=None)
@given(
    st.lists(in_range, min_size=1, max_size=30),
    st.lists(values, min_size=MIN_GROUP, max_size=30),
    st.sampled_from(RANKS),
    st.integers(0, 4),
)
def test_a_column_of_rank_at_once_equals_cell_by_cell(area, ranked, text, error) -> None:
    # most ranked values taken from the range, so that most are found
    ranked = [area[k % len(area)] if k % 3 else v for k, v in enumerate(ranked)]
    error_at = len(area) // 2 + 1 if error == 0 else None
    (found, failed), (expected, expected_failed) = _at_once_and_one_by_one(
        area, ranked, text, error_at
    )
    assert failed == expected_failed
    assert found.keys() == expected.keys()
    assert all(_same(found[r], expected[r]) for r in found), (found, expected)


def test_ties_and_missing_numbers_in_a_column() -> None:
    """Descending 100, 50, 50, 10: ranks 1, 2, 2, 4 (RANK.AVG: 2.5 for both 50s); 7 is not in
    the range (#N/A); a blank ranks as 0, here not in the range either."""
    area = [100.0, 50.0, 50.0, 10.0]
    ranked = [100.0, 50.0, 50.0, 10.0, 7.0, None, 10.0, 100.0]
    rows = list(range(1, len(ranked) + 1))
    found, failed = _evaluate(area, ranked, "RANK(B{r},$A$1:$A${m})", rows, None)
    na = XLError("#N/A")
    assert failed == {}
    assert [found[r] for r in rows] == [1.0, 2.0, 2.0, 4.0, na, na, 4.0, 1.0]
    found, _ = _evaluate(area, ranked, "RANK.AVG(B{r},$A$1:$A${m},1)", rows, None)
    assert [found[r] for r in rows] == [4.0, 2.5, 2.5, 1.0, na, na, 1.0, 4.0]


def test_a_failed_cell_in_the_range_or_as_the_value_fails_as_cell_by_cell() -> None:
    """A range holding a formula that cannot be computed: every RANK over it is listed with
    that cell; a ranked cell that cannot be computed: only its RANK is. The ranked cells are
    computed (=A1 …), so that every row of the column is evaluated together."""
    area = [float(k) for k in range(1, 11)]
    ranked = list(area)
    for failing in ((3, 1), (4, 2)):
        rows = list(range(1, 11))
        sheets = _sheets(area, ranked, None)
        for r in rows:
            sheets[0].constants.pop((r, 2))
            sheets[0].formulas[(r, 2)] = Formula(f"A{r}")
        sheets[0].constants.pop(failing, None)
        sheets[0].formulas[failing] = Formula("NOSUCHFUNCTION(1)")
        for r in rows:
            sheets[0].formulas[(r, 3)] = Formula(f"RANK(B{r},$A$1:$A$10)")
        engine = Engine(sheets)
        engine.run()
        failed = {k[1] for k in engine.failures if k[2] == 3}
        assert failed == (set(rows) if failing[1] == 1 else {failing[0]})
        # row 1 reads A3 through the range; row 4 reads B4 as its value
        message = engine.failures[("表", 1 if failing[1] == 1 else 4, 3)]
        assert f"表!{'AB'[failing[1] - 1]}{failing[0]}" in message
        ok = [r for r in rows if r not in failed]
        assert all(engine.results[("表", r, 3)] == 11.0 - r for r in ok)


def _range(cells: list[object]) -> RangeArray:
    return RangeArray(tuple((c,) for c in cells), "表", 1, 1)


pool_cells = st.one_of(numbers, st.floats(width=64), st.sampled_from([None, "x", True]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(pool_cells, max_size=200),
    st.lists(st.one_of(numbers, st.floats(width=64)), min_size=1, max_size=40),
    st.sampled_from([None, 0.0, 1.0, True, "TRUE"]),
    st.booleans(),
    st.booleans(),
)
def test_rank_column_equals_rank_one_number_at_a_time(cells, ranked, order, average, long) -> None:
    """Short and long columns (sorted search by bisect and by NumPy), NaN included: each rank
    is what RANK.EQ / RANK.AVG give for that number alone, or the column is refused."""
    if long:
        ranked = (ranked * RANK_ARRAY_FROM)[: max(RANK_ARRAY_FROM, 2 * len(ranked))]
    ranked = [cells[k % len(cells)] if cells and k % 2 else v for k, v in enumerate(ranked)]
    ranked = [v if isinstance(v, float) else 1.0 for v in ranked]
    one = rank_avg if average else rank_eq
    expected = [one(x, _range(cells), order) for x in ranked]
    found = rank_column(ranked, _range(cells), order, average)
    if found is None:
        assert len(ranked) >= RANK_ARRAY_FROM
        assert any(math.isnan(v) for v in [*ranked, *(c for c in cells if type(c) is float)])
        return
    assert all(_same(a, b) for a, b in zip(found, expected, strict=True)), (found, expected)


def test_an_error_in_the_range_is_every_rank() -> None:
    cells = [1.0, XLError("#DIV/0!"), 3.0]
    assert rank_column([1.0] * 70, _range(cells), None, False) == [XLError("#DIV/0!")] * 70
    assert rank_column([1.0] * 3, _range(cells), None, True) == [XLError("#DIV/0!")] * 3
