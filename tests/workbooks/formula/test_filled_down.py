"""A column of formulas filled down is recognised from its text, and only when the shape is
the same: the tokens are those of each formula tokenised on its own."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workbooks.formula.test_tokens import _direct, _shared
from workbooks.formula.tokens import _filled_down, shape_key, shape_tokens, tokenize

MAX_ROW = 1048576


# Pieces of a formula: references (moved when filled down) and text around them, chosen to
# look like references where they are not (quoted text and sheet names, LOG10, B05, x.A1,
# whole rows, past row 1,048,576 or column XFD, a NUL character).
_LETTERS = st.sampled_from(["A", "B", "d", "AB", "XFD", "XFE", "ZZZ", "LOG", "Q"])
_ROWS = st.one_of(
    st.integers(1, 40), st.integers(MAX_ROW - 3, MAX_ROW + 3), st.integers(1000, 9_999_999)
)
_REFERENCE = st.tuples(st.just("ref"), st.booleans(), _LETTERS, st.booleans(), _ROWS)
_TEXT = st.tuples(
    st.just("text"),
    st.sampled_from(
        [
            "+", "-", "*", "/", "^", "&", "=", ">=", ",", "(", ")", ":", "$", " ", "!", ".",
            "SUM(", "LOG10(", "ROUND(", "IF(", "RANK(", "ATAN2(",
            '"B5"', '"', "'", "'Q 4'!", "Q4!", "上期!", "'B5'!", "x.", "_",
            "B05", "0", "1", "12", "1.5E+3", "3:5", "$3:$5", "A:C", "{", "}", "{1,2}", "\x00",
            "TRUE", "#REF!", "名", "@", "?", "%", "\n", "\t", "[1]", "]", "A", "$A$",
        ]
    ),
)  # fmt: skip
_PIECES = st.lists(st.one_of(_REFERENCE, _TEXT), min_size=1, max_size=12)


def _render(pieces: list[tuple], shift: int) -> str:
    out = []
    for piece in pieces:
        if piece[0] == "text":
            out.append(piece[1])
            continue
        _, col_abs, letters, row_abs, row = piece
        moved = row if row_abs else row + shift
        out.append(f"{'$' if col_abs else ''}{letters}{'$' if row_abs else ''}{moved}")
    return "".join(out)


def _check_column(cells: list[tuple[str, int]], col: int) -> None:
    """Each formula, in order: what the fast path accepts has the key of the shape it was
    taken for, and the tokens are the formula's own."""
    for formula, row in cells:
        last = _filled_down(formula, row, col)
        if last is not None:
            assert shape_key(formula, row, col) == last.key
        assert _shared(formula, row, col) == _direct(formula, row, col), (formula, row)


@settings(max_examples=400, deadline=None)
@given(
    pieces=_PIECES,
    first=st.integers(1, 60),
    length=st.integers(1, 8),
    step=st.sampled_from([1, 1, 2, -1, 0]),
    col=st.integers(1, 5),
)
def test_a_filled_down_column_gets_each_formulas_own_tokens(pieces, first, length, step, col):
    cells = []
    for k in range(length):
        row = first + k * step
        if row >= 1:
            cells.append((_render(pieces, row - first), row))
    _check_column(cells, col)


@settings(max_examples=400, deadline=None)
@given(
    columns=st.lists(st.tuples(_PIECES, st.integers(-3, 3)), min_size=1, max_size=5),
    first=st.integers(1, 60),
    col=st.integers(1, 5),
)
def test_formulas_that_are_not_filled_down_are_not_taken_for_it(columns, first, col):
    """Different formulas one below the other, and each moved by a wrong number of rows."""
    cells = []
    for k, (pieces, wrong) in enumerate(columns):
        row = first + k
        cells.append((_render(pieces, 0), row))
        cells.append((_render(pieces, k + wrong), row + 1))
    _check_column(cells, col)


@pytest.mark.parametrize(
    "formulas",
    [
        ["(B{r}/C{r}-1)*100", "ROUND(E{r},1)", 'IF(B{r}>=D{r}*0.75,"达标",D{r}-B{r})'],
        ["SUM(B{r}:D{r})", "B{r}-上期!B{r}", "RANK(B{r},$B$2:$B$21)", "'上 期'!C{r}*2"],
    ],
)
def test_a_bureau_column_is_recognised_from_the_second_row_on(formulas):
    for col, text in enumerate(formulas, start=30):
        first = shape_tokens(text.format(r=2), 2, col)
        for r in range(3, 22):
            formula = text.format(r=r)
            assert _filled_down(formula, r, col) is not None
            assert shape_tokens(formula, r, col) is first
            assert first == tokenize.__wrapped__(formula, r, col)


@pytest.mark.parametrize(
    ("above", "below"),
    [
        ("SUM(3:3)", "SUM(4:4)"),  # whole rows: the row is part of the shape
        ("A1048576+1", "A1048577+1"),  # past the last row
        ("LOG10(A10)", "LOG11(A11)"),  # a function name is not a reference
        ("B05+A5", "B06+A6"),  # not a reference (leading zero): a name
        ('IF(A5="B5",1,0)', 'IF(A6="B6",1,0)'),  # text
        ("'B5'!A5", "'B6'!A6"),  # a quoted sheet name
        ("Q4!A5", "Q5!A6"),  # a sheet name
        ("$A$5+A5", "$A$6+A6"),  # an absolute row stays
        ("x.A5", "x.A6"),  # a name with a dot
    ],
)
def test_look_alikes_one_row_down_are_not_taken_for_filled_down(above, below):
    shape_tokens(above, 5, 40)
    assert _filled_down(below, 6, 40) is None
    assert _shared(below, 6, 40) == _direct(below, 6, 40)
