"""The evaluation order on random workbooks: every formula after what it reads, and the same
values, failures and circular references as a plain recursive evaluation.

Each workbook has two sheets (and references to a third that does not exist), constants,
formulas reading random cells, ranges and whole columns of either sheet — cycles,
self-references and formulas that cannot be compiled included — columns of one formula filled
down, an array formula and a defined name, listed in random order. The expected results come
from the test's own evaluation: what each formula reads is known from how the test wrote it;
circular references are the cells that reach themselves through those reads; every other
formula is evaluated (with the engine's compiled formula) after everything it reads, depth
first, one cell at a time. The cells the formulas read at all (a constant written anywhere
else changes no result) are checked against the same list.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.cell import get_column_letter

from workbooks.formula.engine import Engine, Formula, Sheet
from workbooks.formula.model import Key, address
from workbooks.formula.values import Unsupported

SHEETS = ("表1", "上 期")
ROWS, COLS = 12, 4
NAMES = {"基数": "表1!$A$2"}  # a defined name reads 表1!A2

Cell = tuple[int, int, int]  # sheet index, row, column


class Book:
    """A random workbook as the test wrote it: sheets, and what every formula reads."""

    def __init__(self) -> None:
        self.constants: dict[Cell, Any] = {}
        self.formulas: dict[Cell, str] = {}
        self.reads: dict[Cell, set[Cell]] = {}
        self.arrays: dict[Cell, tuple[int, int, int, int]] = {}

    def sheets(self, order: list[Cell]) -> list[Sheet]:
        out = [Sheet(name, max_row=ROWS, max_col=COLS) for name in SHEETS]
        for (s, r, c), value in self.constants.items():
            out[s].constants[(r, c)] = value
        for s, r, c in order:
            out[s].formulas[(r, c)] = Formula(self.formulas[(s, r, c)], self.arrays.get((s, r, c)))
        return out


def _address(row: int, col: int, fixed_row: bool, fixed_col: bool) -> str:
    return f"{'$' if fixed_col else ''}{get_column_letter(col)}{'$' if fixed_row else ''}{row}"


def _prefix(sheet: int | None, own: int) -> str:
    if sheet is None:
        return "'缺表'!"
    if sheet == own:
        return ""
    return "'上 期'!" if sheet == 1 else "表1!"


def _block(sheet: int, r1: int, c1: int, r2: int, c2: int) -> set[Cell]:
    return {
        (sheet, r, c)
        for r in range(min(r1, r2), max(r1, r2) + 1)
        for c in range(min(c1, c2), max(c1, c2) + 1)
    }


@st.composite
def terms(draw: st.DrawFn, own: int, row: int, col: int) -> tuple[str, set[Cell]]:
    """One part of a formula written in (own, row, col): its text and the cells it reads."""
    kind = draw(
        st.sampled_from(
            ["cell", "cell", "cell", "near", "range", "column", "number", "name", "bad", "if"]
        )
    )
    sheet = draw(st.sampled_from([own, own, own, 1 - own, None]))
    flags = draw(st.tuples(st.booleans(), st.booleans()))
    target_sheet = [] if sheet is None else [sheet]
    if kind in ("cell", "near"):
        if kind == "near":  # close to the formula: itself, the cell above or below
            r, c = min(max(row + draw(st.integers(-1, 1)), 1), ROWS), col
        else:
            r, c = draw(st.integers(1, ROWS)), draw(st.integers(1, COLS))
        text = _prefix(sheet, own) + _address(r, c, *flags)
        return text, {(s, r, c) for s in target_sheet}
    if kind == "range":
        r1, r2 = draw(st.integers(1, ROWS)), draw(st.integers(1, ROWS))
        c1, c2 = draw(st.integers(1, COLS)), draw(st.integers(1, COLS))
        text = f"SUM({_prefix(sheet, own)}{_address(r1, c1, *flags)}:{_address(r2, c2, *flags)})"
        return text, set().union(*(_block(s, r1, c1, r2, c2) for s in target_sheet))
    if kind == "column":
        c = draw(st.integers(1, COLS))
        letter = get_column_letter(c)
        text = f"COUNT({_prefix(sheet, own)}{letter}:{letter})"
        return text, set().union(*(_block(s, 1, c, ROWS, c) for s in target_sheet))
    if kind == "number":
        return str(draw(st.integers(0, 9))), set()
    if kind == "name":
        return "基数", {(0, 2, 1)}
    if kind == "bad":  # a formula that cannot be compiled
        return "NOSUCH(1)", set()
    test, test_reads = draw(terms(own, row, col))
    then, then_reads = draw(terms(own, row, col))
    return f"IF(ISNUMBER({test}),{then},-1)", test_reads | then_reads


@st.composite
def books(draw: st.DrawFn) -> tuple[Book, list[Cell]]:
    book = Book()
    for s in range(len(SHEETS)):
        for r in range(1, ROWS + 1):
            for c in range(1, COLS + 1):
                kind = draw(st.sampled_from(["formula", "formula", "number", "text", "empty"]))
                if kind == "number":
                    book.constants[(s, r, c)] = float(draw(st.integers(-5, 5)))
                elif kind == "text":
                    book.constants[(s, r, c)] = "文字"
                elif kind == "formula":
                    parts = draw(st.lists(terms(s, r, c), min_size=1, max_size=3))
                    book.formulas[(s, r, c)] = "+".join(text for text, _ in parts)
                    book.reads[(s, r, c)] = set().union(*(reads for _, reads in parts))
    for _ in range(draw(st.integers(0, 2))):  # a column of one formula, filled down
        s, c = draw(st.integers(0, 1)), draw(st.integers(1, COLS))
        offset, other = draw(st.integers(-2, 2)), draw(st.integers(1, COLS))
        fixed = draw(st.integers(1, ROWS))
        for r in range(3, ROWS - 1):
            book.constants.pop((s, r, c), None)
            book.formulas[(s, r, c)] = (
                f"{get_column_letter(other)}{r + offset}*2+SUM($A${fixed}:A{r - 1})"
            )
            book.reads[(s, r, c)] = {(s, r + offset, other)} | _block(s, fixed, 1, r - 1, 1)
    if draw(st.booleans()):  # an array formula over two cells of a column
        s, r, c = draw(st.integers(0, 1)), draw(st.integers(1, ROWS - 1)), draw(st.integers(1, 4))
        r1, c1 = draw(st.integers(1, ROWS - 1)), draw(st.integers(1, COLS))
        for member in ((s, r, c), (s, r + 1, c)):
            book.constants.pop(member, None)
            book.formulas.pop(member, None)
            book.reads.pop(member, None)
        letter = get_column_letter(c1)
        book.formulas[(s, r, c)] = f"{letter}{r1}:{letter}{r1 + 1}*2"
        book.reads[(s, r, c)] = _block(s, r1, c1, r1 + 1, c1)
        book.arrays[(s, r, c)] = (r, c, r + 1, c)
    order = draw(st.permutations(sorted(book.formulas)))
    return book, order


def _key(cell: Cell) -> Key:
    return (SHEETS[cell[0]], cell[1], cell[2])


class Recording(Engine):
    """The engine, noting when each cell gets its value or its failure."""

    def __init__(self, sheets: list[Sheet]) -> None:
        super().__init__(sheets, NAMES)
        self.events: dict[Key, int] = {}
        self.results = _Noting(self.events)
        self.failures = _Noting(self.events)  # type: ignore[assignment]


class _Noting(dict):  # type: ignore[type-arg]
    def __init__(self, events: dict[Key, int]) -> None:
        super().__init__()
        self.events = events

    def __setitem__(self, key: Key, value: Any) -> None:
        self.events.setdefault(key, len(self.events))
        super().__setitem__(key, value)

    def update(self, other: Any = (), **kwargs: Any) -> None:
        for key, value in dict(other, **kwargs).items():
            self[key] = value


def _reference(book: Book, order: list[Cell]) -> tuple[Engine, list[list[Key]], set[Cell]]:
    """The workbook evaluated depth first, one cell at a time; its circular references; the
    formulas that could be compiled."""
    engine = Engine(book.sheets(order), NAMES)
    anchor: dict[Cell, Cell] = {cell: cell for cell in book.formulas}
    for (s, r, c), (_, _, r2, c2) in book.arrays.items():
        for member in _block(s, r, c, r2, c2):
            anchor[member] = (s, r, c)
    compiled: dict[Cell, Any] = {}
    for cell, text in book.formulas.items():
        try:
            shape = engine.shape(engine.tokens(Formula(text), cell[1], cell[2]))
        except Unsupported as exc:
            engine._fail(_key(cell), exc.at(cell[1], cell[2]))
            continue
        if shape.problem is not None:
            engine._fail(_key(cell), shape.problem.at(cell[1], cell[2]))
            continue
        compiled[cell] = shape
    needs = {
        cell: {anchor[read] for read in book.reads[cell] if read in anchor} for cell in compiled
    }
    reach: dict[Cell, set[Cell]] = {}
    for cell in compiled:
        seen: set[Cell] = set()
        todo = list(needs[cell])
        while todo:
            other = todo.pop()
            if other not in seen:
                seen.add(other)
                todo.extend(needs.get(other, ()))
        reach[cell] = seen
    cycles = []
    for cell in sorted(compiled):
        if cell in reach[cell] and not any(_key(cell) in cycle for cycle in cycles):
            members = sorted(other for other in reach[cell] if cell in reach.get(other, ()))
            cycles.append([_key(member) for member in members])
    for cycle in cycles:
        shown = "、".join(address(key) for key in cycle[:8])
        if len(cycle) > 8:
            shown += f" 等 {len(cycle)} 个单元格"
        for key in cycle:
            engine._fail(key, f"循环引用：{shown} 互相引用（或引用自身），无法计算")
    done: set[Cell] = set()

    def visit(cell: Cell) -> None:
        done.add(cell)
        for other in needs[cell]:
            if other in compiled and other not in done and _key(other) not in engine.failures:
                visit(other)
        engine._evaluate(_key(cell), compiled[cell])

    for cell in compiled:
        if cell not in done and _key(cell) not in engine.failures:
            visit(cell)
    return engine, cycles, set(compiled)


@settings(max_examples=80, deadline=None)
@given(books())
def test_every_formula_after_what_it_reads_with_the_results_of_a_plain_evaluation(
    found: tuple[Book, list[Cell]],
) -> None:
    book, order = found
    engine = Recording(book.sheets(order))
    engine.run()
    expected, cycles, compiled = _reference(book, order)
    assert sorted(engine.cycles) == sorted(cycles)
    assert dict(engine.failures) == expected.failures
    assert dict(engine.results) == expected.results
    in_cycles = {key for cycle in cycles for key in cycle}
    anchors = {cell: cell for cell in book.formulas}
    for (s, r, c), (_, _, r2, c2) in book.arrays.items():
        anchors.update(dict.fromkeys(_block(s, r, c, r2, c2), (s, r, c)))
    for cell, reads in book.reads.items():
        key = _key(cell)
        if key in in_cycles or cell not in compiled:
            continue  # failed before anything was evaluated
        for read in reads:
            if read in anchors:
                assert engine.events[_key(anchors[read])] < engine.events[key], (key, read)


@settings(max_examples=40, deadline=None)
@given(books(), st.lists(st.tuples(st.integers(0, 1), *[st.integers(1, ROWS + 1)] * 4), max_size=8))
def test_whether_a_block_is_read_by_a_formula(
    found: tuple[Book, list[Cell]], blocks: list[tuple[int, int, int, int, int]]
) -> None:
    """Writing constants into a block no formula reads keeps every result: which blocks are
    read is what the test wrote into the formulas (those that could be compiled)."""
    book, order = found
    engine = Engine(book.sheets(order), NAMES)
    engine.run()
    _, _, compiled = _reference(book, order)
    read = set().union(*(book.reads[cell] for cell in compiled))
    every_cell = [(s, r, c, r, c) for s in (0, 1) for r in range(1, ROWS + 1) for c in (1, 2)]
    for s, r1, c1, r2, c2 in every_cell + blocks:
        expected = bool(read & _block(s, r1, c1, r2, c2))
        assert engine.reads_any(SHEETS[s], min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)) == (
            expected
        ), (s, r1, c1, r2, c2)


def test_the_reference_evaluation_finds_a_cycle_through_a_range_and_an_array() -> None:
    """The test's own evaluation, on a workbook worked out by hand: A1 sums B1:B2, B1:B2 is an
    array formula doubling A1:A2 — one circular reference of the two anchors."""
    book = Book()
    book.formulas = {(0, 1, 1): "SUM(B1:B2)", (0, 1, 2): "A1:A2*2", (0, 5, 1): "3+4"}
    book.reads = {(0, 1, 1): _block(0, 1, 2, 2, 2), (0, 1, 2): _block(0, 1, 1, 2, 1)}
    book.reads[(0, 5, 1)] = set()
    book.arrays = {(0, 1, 2): (1, 2, 2, 2)}
    order = sorted(book.formulas)
    engine, cycles, _ = _reference(book, order)
    assert cycles == [[("表1", 1, 1), ("表1", 1, 2)]]
    assert engine.results == {("表1", 5, 1): 7.0}
    fast = Engine(book.sheets(order), NAMES)
    fast.run()
    assert fast.cycles == cycles and fast.results == engine.results
