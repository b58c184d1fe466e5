"""A column of the same arithmetic formula, computed at once, equals it computed cell by cell.

Each column is evaluated twice: as one column of many rows (computed at once) and row by row
in workbooks of a single row (no column to compute at once). Every cell must agree to the
bit, errors and coercions (blanks, numeric text, logicals, error cells) included.
"""

from __future__ import annotations

import math

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
