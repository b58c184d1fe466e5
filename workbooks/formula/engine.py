"""Evaluating every formula of a workbook: compiled once per formula shape, cells on demand.

Each formula is tokenised with its references made relative to its own cell; formulas of the
same shape (a column of ``=C5/B5*100``, every cell of a shared formula) share one compiled
closure. Cells are evaluated in sheet order and any cell a formula needs is evaluated first,
on demand, so the order of dependencies is followed without building a graph. A formula this
evaluator cannot compute — and every formula that depends on it — is recorded with the reason
and left without a value, never with a stale or made-up one.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.cell import get_column_letter

from workbooks.formula import tj
from workbooks.formula.functions import EAGER, scalar
from workbooks.formula.lexer import RefToken, tokenize
from workbooks.formula.operators import apply
from workbooks.formula.parser import Node, parse
from workbooks.formula.values import (
    NA,
    REF,
    VALUE,
    Array,
    Failed,
    RangeArray,
    Unsupported,
    XLError,
    to_bool,
    to_number,
)

Key = tuple[str, int, int]
Compiled = Callable[["Context"], Any]


class Context:
    """Where a formula is being evaluated: its sheet and cell, and whether as an array."""

    __slots__ = ("array", "col", "engine", "row", "sheet")

    def __init__(self, engine: Engine, sheet: str, row: int, col: int, array: bool):
        self.engine, self.sheet, self.row, self.col, self.array = engine, sheet, row, col, array

    def as_array(self) -> Context:
        return Context(self.engine, self.sheet, self.row, self.col, True)


@dataclass
class Formula:
    """One formula cell: its text (without ``=``) and, for an array formula, its range."""

    text: str
    array_ref: tuple[int, int, int, int] | None = None  # first row, col, last row, col
    tokens: tuple[tuple[str, Any], ...] | None = None  # relative tokens, once read


@dataclass
class Sheet:
    name: str
    constants: dict[tuple[int, int], Any] = field(default_factory=dict)
    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    max_row: int = 0
    max_col: int = 0


class _Pending:
    pass


_PENDING = _Pending()


@dataclass(frozen=True)
class _Broken:
    message: str


def address(key: Key) -> str:
    sheet, row, col = key
    return f"{sheet}!{get_column_letter(col)}{row}"


class Engine:
    """The values of every cell of a workbook, formulas evaluated."""

    def __init__(self, sheets: list[Sheet], names: dict[str, str] | None = None):
        self.sheets = {s.name: s for s in sheets}
        self._folded = {s.name.lower(): s.name for s in sheets}
        self.names = {k.upper(): v for k, v in (names or {}).items()}
        self.results: dict[Key, Any] = {}
        self.failures: dict[Key, str] = {}
        self._array_members: dict[Key, Key] = {}
        self._ranges: dict[tuple[str, int, int, int, int], RangeArray] = {}
        self._compiled: dict[Any, Compiled | _Broken] = {}
        self._named: dict[tuple[str, bool], Compiled] = {}
        for sheet in sheets:
            for (row, col), formula in sheet.formulas.items():
                if formula.array_ref is not None:
                    r1, c1, r2, c2 = formula.array_ref
                    for r in range(r1, r2 + 1):
                        for c in range(c1, c2 + 1):
                            if (r, c) != (row, col):
                                self._array_members[(sheet.name, r, c)] = (sheet.name, row, col)

    # --- public ------------------------------------------------------------------------

    def run(self) -> None:
        """Evaluate every formula (in a thread with a deep stack for long reference chains)."""
        error: list[BaseException] = []

        def work() -> None:
            try:
                self._batch()
                for sheet in self.sheets.values():
                    for row, col in sheet.formulas:
                        with contextlib.suppress(Failed, Unsupported):
                            self.cell(sheet.name, row, col)
            except BaseException as exc:  # pragma: no cover - re-raised below
                error.append(exc)

        old_limit = sys.getrecursionlimit()
        old_stack = threading.stack_size()
        sys.setrecursionlimit(max(old_limit, 200_000))
        threading.stack_size(512 * 1024 * 1024)
        try:
            thread = threading.Thread(target=work, name="tongji-compute")
            thread.start()
            thread.join()
        finally:
            threading.stack_size(old_stack)
            sys.setrecursionlimit(old_limit)
        if error:
            raise error[0]

    def _batch(self) -> None:
        from workbooks.formula import batch

        shapes = {}
        for sheet in self.sheets.values():
            for (row, col), formula in sheet.formulas.items():
                if formula.array_ref is None and "TJ_" in formula.text.upper():
                    try:
                        shapes[(sheet.name, row, col)] = self.tokens(formula, row, col)
                    except Unsupported:
                        continue
        batch.run(self, shapes)

    def tokens(self, formula: Formula, row: int, col: int) -> tuple[tuple[str, Any], ...]:
        if formula.tokens is None:
            formula.tokens = tokenize(formula.text, row, col)
        return formula.tokens

    def formula_results(self) -> dict[Key, Any]:
        """Computed values of formula cells and array-formula members (failures left out)."""
        return {
            key: value
            for key, value in self.results.items()
            if not isinstance(value, (_Broken, _Pending))
            and (key[1:] in self.sheets[key[0]].formulas or key in self._array_members)
        }

    # --- cells and ranges ----------------------------------------------------------------

    def sheet_name(self, name: str | None, ctx: Context) -> str | None:
        """The sheet a reference points to (names are case-insensitive); None if missing."""
        if name is None:
            return ctx.sheet
        return self._folded.get(name.lower())

    def cell(self, sheet: str, row: int, col: int) -> Any:
        key = (sheet, row, col)
        if key in self.results:
            found = self.results[key]
            if found is _PENDING:
                raise Unsupported(f"循环引用（{address(key)}）")
            if isinstance(found, _Broken):
                raise Failed(address(key))
            return found
        data = self.sheets[sheet]
        formula = data.formulas.get((row, col))
        if formula is None:
            anchor = self._array_members.get(key)
            if anchor is None:
                return data.constants.get((row, col))
            self.cell(*anchor)
            return self.results[key]
        return self._evaluate(key, formula)

    def range(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> RangeArray:
        if r1 > r2:
            r1, r2 = r2, r1
        if c1 > c2:
            c1, c2 = c2, c1
        key = (sheet, r1, c1, r2, c2)
        found = self._ranges.get(key)
        if found is None:
            cell = self.cell
            rows = tuple(
                tuple(cell(sheet, r, c) for c in range(c1, c2 + 1)) for r in range(r1, r2 + 1)
            )
            found = self._ranges[key] = RangeArray(rows, sheet, r1, c1)
        return found

    def _evaluate(self, key: Key, formula: Formula) -> Any:
        sheet, row, col = key
        self.results[key] = _PENDING
        try:
            compiled = self.compiled(self.tokens(formula, row, col))
            ctx = Context(self, sheet, row, col, formula.array_ref is not None)
            value = compiled(ctx)
        except Unsupported as exc:
            return self._fail(key, formula, str(exc))
        except Failed as exc:
            return self._fail(key, formula, f"引用的单元格 {exc} 未能计算")
        if formula.array_ref is None:
            value = _single(value, ctx)
            self.results[key] = value
            return value
        r1, c1, r2, c2 = formula.array_ref
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                element = value.at(r - r1, c - c1) if isinstance(value, Array) else value
                self.results[(sheet, r, c)] = 0.0 if element is None else element
        return self.results[key]

    def _fail(self, key: Key, formula: Formula, message: str) -> Any:
        broken = _Broken(message)
        self.results[key] = broken
        self.failures[key] = message
        if formula.array_ref is not None:
            r1, c1, r2, c2 = formula.array_ref
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.results[(key[0], r, c)] = broken
        raise Failed(address(key))

    # --- compiling -----------------------------------------------------------------------

    def compiled(self, tokens: tuple[tuple[str, Any], ...]) -> Compiled:
        found = self._compiled.get(tokens)
        if found is None:
            try:
                found = self._compile(parse(tokens))
            except Unsupported as exc:
                found = _Broken(str(exc))
            self._compiled[tokens] = found
        if isinstance(found, _Broken):
            raise Unsupported(found.message)
        return found

    def _compile(self, node: Node, as_arg: bool = False) -> Compiled:
        kind = node[0]
        if kind in ("number", "string", "bool"):
            constant = node[1]
            return lambda ctx: constant
        if kind == "error":
            error = XLError(node[1])
            return lambda ctx: error
        if kind == "omitted":
            return lambda ctx: None
        if kind == "ref":
            return _reference(node[1], as_arg)
        if kind == "name":
            return self._name(node[1], as_arg)
        if kind == "array":
            block = Array(
                tuple(
                    tuple(XLError(v[1]) if isinstance(v, tuple) else v for v in row)
                    for row in node[1]
                )
            )
            return lambda ctx: block
        if kind in ("neg", "plus", "percent"):
            inner = self._compile(node[1])
            return _unary(kind, inner)
        if kind == "binary":
            op, left, right = node[1], self._compile(node[2]), self._compile(node[3])

            def binary(ctx: Context) -> Any:
                a, b = left(ctx), right(ctx)
                if isinstance(a, Array) or isinstance(b, Array):
                    return _elementwise(op, a, b, ctx)
                return apply(op, a, b)

            return binary
        if kind == "call":
            return self._call(node[1], node[2])
        raise Unsupported(f"公式中有无法计算的部分（{kind}）")  # pragma: no cover

    def _name(self, name: str, as_arg: bool) -> Compiled:
        text = self.names.get(name.upper())
        if text is None:
            return lambda ctx: XLError("#NAME?")
        key = (name.upper(), as_arg)
        found = self._named.get(key)
        if found is None:
            found = self._named[key] = self._compile(parse(tokenize(text, 1, 1)), as_arg)
        return found

    def _call(self, raw_name: str, arg_nodes: tuple[Node, ...]) -> Compiled:
        name = raw_name.upper()
        for prefix in ("_XLFN._XLWS.", "_XLFN.", "_XLWS."):
            if name.startswith(prefix):
                name = name[len(prefix) :]
        if tj.is_tj(name):
            tj.signature(name)
            args = [self._compile(a, as_arg=True) for a in arg_nodes]
            return lambda ctx: tj.call(name, [a(ctx) for a in args])
        special = _SPECIAL.get(name)
        if special is not None:
            return special(self, arg_nodes)
        function = EAGER.get(name)
        if function is None:
            raise Unsupported(f"函数 {name} 暂不支持")
        args = [self._compile(a, as_arg=True) for a in arg_nodes]

        def call(ctx: Context) -> Any:
            try:
                return function(*[a(ctx) for a in args])
            except TypeError:
                return VALUE

        return call


def _reference(token: RefToken, as_arg: bool) -> Compiled:
    sheet_name, first_row, first_col, last_row, last_col = token[:5]
    if token.single and not as_arg:

        def cell(ctx: Context) -> Any:
            sheet = ctx.sheet if sheet_name is None else ctx.engine.sheet_name(sheet_name, ctx)
            if sheet is None:
                return REF
            return ctx.engine.cell(sheet, first_row.resolve(ctx.row), first_col.resolve(ctx.col))

        return cell

    def area(ctx: Context) -> Any:
        engine = ctx.engine
        sheet = ctx.sheet if sheet_name is None else engine.sheet_name(sheet_name, ctx)
        if sheet is None:
            return REF
        data = engine.sheets[sheet]
        r1, c1 = first_row.resolve(ctx.row), first_col.resolve(ctx.col)
        r2 = last_row.resolve(ctx.row) if last_row is not None else max(data.max_row, 1)
        c2 = last_col.resolve(ctx.col) if last_col is not None else max(data.max_col, 1)
        if min(r1, r2, c1, c2) < 1:
            return REF
        return engine.range(sheet, r1, c1, r2, c2)

    return area


def _collapse(value: Any, ctx: Context) -> Any:
    if isinstance(value, RangeArray):
        return value.intersect(ctx.row, ctx.col)
    if isinstance(value, Array):
        return value.rows[0][0] if value.rows and value.rows[0] else VALUE
    return value


def _single(value: Any, ctx: Context) -> Any:
    """The value a plain (non-array) formula shows: a range by implicit intersection, an array
    result by its first element, an empty reference as 0."""
    value = _collapse(value, ctx)
    return 0.0 if value is None else value


def _elementwise(op: str, a: Any, b: Any, ctx: Context) -> Any:
    if not ctx.array:
        return apply(op, _collapse(a, ctx), _collapse(b, ctx))
    blocks = [x if isinstance(x, Array) else Array(((x,),)) for x in (a, b)]
    height = max(x.height for x in blocks)
    width = max(x.width for x in blocks)
    left, right = blocks

    def pick(block: Array, i: int, j: int) -> Any:
        mismatched = block.height not in (1, height) or block.width not in (1, width)
        if mismatched and (i >= block.height or j >= block.width):
            return NA
        return block.at(i, j)

    return Array(
        tuple(
            tuple(apply(op, pick(left, i, j), pick(right, i, j)) for j in range(width))
            for i in range(height)
        )
    )


def _unary(kind: str, inner: Compiled) -> Compiled:
    def one(value: Any) -> Any:
        number = to_number(value)
        if isinstance(number, XLError):
            return number
        if kind == "neg":
            return -number
        if kind == "percent":
            return number / 100
        return value if value is not None else 0.0

    def evaluate(ctx: Context) -> Any:
        value = inner(ctx)
        if isinstance(value, Array):
            if not ctx.array:
                return one(_collapse(value, ctx))
            return Array(tuple(tuple(one(v) for v in row) for row in value.rows))
        return one(value)

    return evaluate


# --- Functions that control how their arguments are evaluated ----------------------------


def _if(engine: Engine, nodes: tuple[Node, ...]) -> Compiled:
    if not 1 <= len(nodes) <= 3:
        raise Unsupported("IF 的参数个数不对")
    test = engine._compile(nodes[0])
    then = engine._compile(nodes[1]) if len(nodes) > 1 else (lambda ctx: 0.0)
    omitted_else = len(nodes) < 3
    other = engine._compile(nodes[2]) if not omitted_else else (lambda ctx: False)

    def evaluate(ctx: Context) -> Any:
        condition = test(ctx)
        if isinstance(condition, Array):
            if ctx.array:
                a, b = then(ctx), other(ctx)
                return Array(
                    tuple(
                        tuple(_pick_branch(c, a, b, i, j, ctx) for j, c in enumerate(row))
                        for i, row in enumerate(condition.rows)
                    )
                )
            condition = _collapse(condition, ctx)
        flag = to_bool(condition)
        if isinstance(flag, XLError):
            return flag
        result = then(ctx) if flag else other(ctx)
        return 0.0 if result is None else result

    return evaluate


def _pick_branch(condition: Any, a: Any, b: Any, i: int, j: int, ctx: Context) -> Any:
    flag = to_bool(condition)
    if isinstance(flag, XLError):
        return flag
    chosen = a if flag else b
    return chosen.at(i, j) if isinstance(chosen, Array) else chosen


def _iferror(only_na: bool) -> Callable[[Engine, tuple[Node, ...]], Compiled]:
    def build(engine: Engine, nodes: tuple[Node, ...]) -> Compiled:
        if len(nodes) != 2:
            raise Unsupported("IFERROR/IFNA 的参数个数不对")
        value, fallback = engine._compile(nodes[0]), engine._compile(nodes[1])

        def is_caught(v: Any) -> bool:
            return v is NA if only_na else isinstance(v, XLError)

        def evaluate(ctx: Context) -> Any:
            found = value(ctx)
            if isinstance(found, Array) and not ctx.array:
                found = _collapse(found, ctx)
            if isinstance(found, Array):
                alt = fallback(ctx)
                return Array(
                    tuple(
                        tuple(
                            (alt.at(i, j) if isinstance(alt, Array) else alt) if is_caught(v) else v
                            for j, v in enumerate(row)
                        )
                        for i, row in enumerate(found.rows)
                    )
                )
            if is_caught(found):
                alt = fallback(ctx)
                return 0.0 if alt is None else alt
            return 0.0 if found is None else found

        return evaluate

    return build


def _sumproduct(engine: Engine, nodes: tuple[Node, ...]) -> Compiled:
    args = [engine._compile(n, as_arg=True) for n in nodes]
    function = EAGER["SUMPRODUCT_EAGER"]

    def evaluate(ctx: Context) -> Any:
        inner = ctx.as_array()
        return function(*[a(inner) for a in args])

    return evaluate


def _choose(engine: Engine, nodes: tuple[Node, ...]) -> Compiled:
    if len(nodes) < 2:
        raise Unsupported("CHOOSE 的参数个数不对")
    index, options = engine._compile(nodes[0]), [engine._compile(n) for n in nodes[1:]]

    def evaluate(ctx: Context) -> Any:
        k = to_number(scalar(_collapse(index(ctx), ctx)))
        if isinstance(k, XLError):
            return k
        k = int(k)
        if not 1 <= k <= len(options):
            return VALUE
        return options[k - 1](ctx)

    return evaluate


def _position(which: int) -> Callable[[Engine, tuple[Node, ...]], Compiled]:
    def build(engine: Engine, nodes: tuple[Node, ...]) -> Compiled:
        if not nodes:
            return lambda ctx: float(ctx.row if which == 0 else ctx.col)
        if nodes[0][0] != "ref":
            raise Unsupported("ROW/COLUMN 只支持单元格引用")
        token: RefToken = nodes[0][1]
        bound = token.first_row if which == 0 else token.first_col
        return lambda ctx: float(bound.resolve(ctx.row if which == 0 else ctx.col))

    return build


def _single_value(engine: Engine, nodes: tuple[Node, ...]) -> Compiled:
    """``@`` (stored as ``_xlfn.SINGLE``): implicit intersection of its argument."""
    if len(nodes) != 1:
        raise Unsupported("@ 的参数有误")
    inner = engine._compile(nodes[0])
    return lambda ctx: _single(inner(ctx), ctx)


_SPECIAL: dict[str, Callable[[Engine, tuple[Node, ...]], Compiled]] = {
    "SINGLE": _single_value,
    "IF": _if,
    "IFERROR": _iferror(False),
    "IFNA": _iferror(True),
    "SUMPRODUCT": _sumproduct,
    "CHOOSE": _choose,
    "ROW": _position(0),
    "COLUMN": _position(1),
}
