"""The one formula grammar: openpyxl's tokenizer with relative references on top.

Every formula of the sample workbook is split as openpyxl splits it and written back unchanged;
its references mean what openpyxl's ``range_boundaries`` and ``Translator`` say they mean.
"""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from workbooks.formula.parser import parse
from workbooks.formula.tokens import (
    items,
    render,
    repoint,
    row_of_address,
    shape_key,
    shape_tokens,
    split_sheet,
    text_function_names,
    tokenize,
)
from workbooks.formula.values import Unsupported


@pytest.fixture(scope="module")
def sample_formulas(sample_files) -> list[tuple[str, int, int, str]]:
    """(sheet, row, column, formula text with "=") of every formula of the sample workbook."""
    book = load_workbook(sample_files["workbook"])
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value = value.text
                if isinstance(value, str) and value.startswith("="):
                    found.append((ws.title, cell.row, cell.column, value))
    assert len(found) > 900
    return found


def test_sample_formulas_split_as_openpyxl_splits_them(sample_formulas):
    for _, _, _, formula in sample_formulas:
        ours = [(t.value, t.type, t.subtype) for t in items(formula)]
        theirs = [(t.value, t.type, t.subtype) for t in Tokenizer(formula).items]
        assert ours == theirs, formula
        assert render(items(formula)) == formula


def test_sample_references_mean_what_openpyxl_says(sample_formulas, sample_files):
    sheets = load_workbook(sample_files["workbook"], read_only=True).sheetnames
    references = 0
    for _, row, col, formula in sample_formulas:
        operands = [
            t.value
            for t in Tokenizer(formula).items
            if t.type == Token.OPERAND and t.subtype == Token.RANGE
        ]
        refs = [value for kind, value in tokenize(formula[1:], row, col) if kind == "ref"]
        assert len(refs) == len(operands), formula
        for operand, ref in zip(operands, refs, strict=True):
            body = operand.rsplit("!", 1)[-1]
            min_col, min_row, max_col, max_row = range_boundaries(body)
            assert (ref.first_row.resolve(row), ref.first_col.resolve(col)) == (min_row, min_col)
            assert (ref.last_row.resolve(row), ref.last_col.resolve(col)) == (max_row, max_col)
            first = body.split(":")[0]
            whole_columns, whole_rows = first.lstrip("$").isalpha(), first.lstrip("$").isdigit()
            assert ref.first_row.absolute == (
                whole_columns or re.search(r"\$\d", first) is not None
            )
            assert ref.first_col.absolute == (whole_rows or first.startswith("$"))
            assert ref.sheet is None or ref.sheet in sheets, operand
            references += 1
    assert references > 1000


def test_a_moved_formula_has_the_same_relative_tokens(sample_formulas):
    """openpyxl's Translator moves a formula three rows down and two columns right: seen from
    its new cell it is the same formula (the evaluator compiles it once)."""
    for _, row, col, formula in sample_formulas:
        origin = f"{get_column_letter(col)}{row}"
        destination = f"{get_column_letter(col + 2)}{row + 3}"
        moved = Translator(formula, origin).translate_formula(destination)
        assert tokenize(moved[1:], row + 3, col + 2) == tokenize(formula[1:], row, col), formula


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        # whitespace runs are kept as written (openpyxl keeps one character of them)
        ("=A1  +   1", "=A1  +   1"),
        ('=IF(A1>0,"a  b",  "c")', '=IF(A1>0,"a  b",  "c")'),
        ("=SUM(\n A1:A3)", "=SUM(\n A1:A3)"),
    ],
)
def test_render_is_the_exact_inverse(formula, expected):
    assert render(items(formula)) == expected


@pytest.mark.parametrize(
    "formula",
    ["=SUM(A1))", "=IF(A1,1", '="open', "=#NOPE!", "=A1}"],
)
def test_malformed_formulas_are_unsupported(formula):
    with pytest.raises(Unsupported):
        parse(tokenize(formula[1:], 1, 1))


def test_references_relative_and_absolute():
    (kind, ref), *_ = tokenize("$B5", 10, 4)
    assert kind == "ref" and ref.single
    assert ref.first_col.absolute and ref.first_col.value == 2
    assert not ref.first_row.absolute and ref.first_row.resolve(10) == 5
    (_, whole_cols), *_ = tokenize("B:$D", 1, 1)
    assert whole_cols.last_row is None and whole_cols.last_col.resolve(1) == 4
    (_, whole_rows), *_ = tokenize("3:5", 1, 1)
    assert whole_rows.last_col is None and whole_rows.last_row.resolve(1) == 5
    assert tokenize("'上 期''s'!A1", 1, 1)[0][1].sheet == "上 期's"
    assert tokenize("2026Q3!B11", 1, 1)[0][1].sheet == "2026Q3"
    assert tokenize("合计*2", 1, 1)[0] == ("name", "合计")
    assert tokenize("true", 1, 1) == (("bool", True),)
    assert tokenize("1.5E+3-2", 1, 1) == (("number", 1500.0), ("op", "-"), ("number", 2.0))


def test_the_at_operator_is_implicit_intersection():
    assert parse(tokenize("@B1:B4*2", 10, 5))[:2] == ("binary", "*")
    assert parse(tokenize("@B1:B4*2", 10, 5))[2][:2] == ("call", "SINGLE")
    assert parse(tokenize("@INDEX(B1:B4,2)", 10, 5))[:2] == ("call", "SINGLE")


@pytest.mark.parametrize(
    "operand", ["[1]Sheet1!A1", "'[报表.xlsx]汇总'!B2", "'C:\\数据\\[报表.xlsx]汇总'!B2"]
)
def test_other_workbooks_are_unsupported(operand):
    with pytest.raises(Unsupported, match="外部链接"):
        split_sheet(operand)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("='2026Q3'!B11", "='2026Q4'!B11"),
        ("=2026Q3!B11*2", "='2026Q4'!B11*2"),
        ("=SUM('2026Q3'!B6:B14)+  1", "=SUM('2026Q4'!B6:B14)+  1"),
        ("=@2026Q3!B6:B14", "=@'2026Q4'!B6:B14"),
        ("='2026Q3'!#REF!", "='2026Q4'!#REF!"),
        ('=A1&"2026Q3!A1"', '=A1&"2026Q3!A1"'),
        ("=X2026Q3!A1", "=X2026Q3!A1"),
        ("='O''Brien'!A1", "='新表'!A1"),
        ("2026Q3!A1", "2026Q3!A1"),  # not a formula
        ("=SUM(A1", "=SUM(A1"),  # unbalanced: left as it is
    ],
)
def test_repoint(formula, expected):
    assert repoint(formula, {"2026Q3": "2026Q4", "O'Brien": "新表"}) == expected


def test_function_names():
    assert text_function_names('=ROUND(TJ_GROWTH(B5,C5),1)&"TJ_X("') == {"ROUND", "TJ_GROWTH"}
    assert text_function_names("=[1]Sheet1!A1+_xludf.TJ_SHARE(1,2)") == {"_XLUDF.TJ_SHARE"}
    assert text_function_names("=SUM(A1") == {"SUM"}
    assert text_function_names("=SUM(A1))") == set()


@pytest.mark.parametrize(
    ("text", "row"),
    [("A25", 25), ("$B$7", 7), ("25", 25), (" c3 ", 3), ("A0", None), ("B", None), ("x1y", None)],
)
def test_row_of_address(text, row):
    assert row_of_address(text) == row


def _direct(formula: str, row: int, col: int):
    try:
        return tokenize.__wrapped__(formula, row, col)
    except Unsupported:
        return "unsupported"


def _shared(formula: str, row: int, col: int):
    try:
        return shape_tokens(formula, row, col)
    except Unsupported:
        return "unsupported"


def test_a_formula_shape_is_tokenised_once_and_means_the_same(sample_formulas):
    """Every sample formula, moved around the sheet, gets from the shape cache exactly the
    tokens a tokenisation of its own text gives."""
    for _, row, col, formula in sample_formulas:
        origin = f"{get_column_letter(col)}{row}"
        for dr, dc in ((0, 0), (1, 0), (7, 0), (0, 1), (3, 2)):
            destination = f"{get_column_letter(col + dc)}{row + dr}"
            moved = Translator(formula, origin).translate_formula(destination)[1:]
            assert _shared(moved, row + dr, col + dc) == _direct(moved, row + dr, col + dc)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # text that looks like a reference is text: B5 in row 5 and B6 in row 6 differ
        ('IF(A5="B5",1,0)', 'IF(A6="B6",1,0)'),
        ("'B5'!A5", "'B6'!A6"),  # a quoted sheet name
        ("LOG10(A10)", "LOG11(A11)"),  # a function name is not a reference
        ("B05+A5", "B06+A6"),  # not a reference (leading zero): a name
        ("Q4!A5", "Q5!A6"),  # a sheet name
        ("SUM(A:A)+A5", "SUM(B:B)+B5"),  # whole columns, moved right
        ("SUM(3:3)", "SUM(4:4)"),  # whole rows, moved down
        ("x.A5", "x.A6"),  # a name with a dot
    ],
)
def test_look_alike_formulas_in_the_next_cell_are_not_confused(a, b):
    """``a`` in (5, 1) and ``b`` one row (or, for columns, one column) further: where the
    texts differ in something that is not a cell reference, the tokens are their own."""
    moved = (6, 1) if "B:B" not in b else (5, 2)
    assert _shared(a, 5, 1) == _direct(a, 5, 1)
    assert _shared(b, *moved) == _direct(b, *moved)
    if _direct(a, 5, 1) != _direct(b, *moved):
        assert shape_key(a, 5, 1) != shape_key(b, *moved)


def test_a_filled_down_column_shares_one_tuple():
    first = shape_tokens("ROUND((C5/B5-1)*100,1)+上期!$D$3", 5, 4)
    assert shape_tokens("ROUND((C6/B6-1)*100,1)+上期!$D$3", 6, 4) is first
    assert shape_tokens("ROUND((C9/B9-1)*100,1)+上期!$D$3", 9, 4) is first
    assert shape_tokens("ROUND((C9/B9-1)*100,1)+上期!$D$4", 9, 4) is not first
