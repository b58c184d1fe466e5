"""Evaluating every formula of a workbook in dependency order.

Each formula is tokenised with its references made relative to its own cell; formulas of the
same shape (a column of ``=C5/B5*100``, every cell of a shared formula) share one compiled
closure and one list of references. From those references the evaluator builds an explicit
graph — a formula cell depends on the formula cells it names, a range on the formula cells
inside it — and evaluates it in topological order, level by level: most cells get their level
as the formulas are read (what they read has one already); the rest, forward and circular
references, are ordered by :mod:`workbooks.formula.graph` (iterative). Whole columns of the
same ``TJ_`` or arithmetic formula on one level run as one vectorised call
(:mod:`workbooks.formula.batch`). Nothing recurses from cell to cell and no interpreter setting
is touched: a chain of 250,000 references is a loop of 250,000 steps.

A circular reference is reported with the cells that form it; a formula this evaluator cannot
compute — and every formula that reads it — is recorded with the reason and left without a
value, never with a stale or made-up one. Only the evaluator's own failures
(:class:`Unsupported`, :class:`Failed`) are caught; any other exception is a bug and surfaces.
"""

from __future__ import annotations

import gc
import inspect
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any

from workbooks.formula import batch, tj
from workbooks.formula.functions import EAGER, scalar
from workbooks.formula.graph import components, is_cycle, levels
from workbooks.formula.model import Formula, Key, Sheet, address
from workbooks.formula.operators import apply
from workbooks.formula.parser import Node, parse
from workbooks.formula.tokens import RefToken, Tokens, bare_name, shape_tokens, tokenize
from workbooks.formula.values import (
    NA,
    REF,
    VALUE,
    Array,
    Failed,
    PaddedRows,
    RangeArray,
    Unsupported,
    XLError,
    to_bool,
    to_number,
)

Compiled = Callable[["Context"], Any]
RangeKey = tuple[str, int, int, int, int]  # sheet, first row, col, last row, col
GraphNode = Key | RangeKey
#: How a formula shape in one column finds its precedents: (shape, problem, the references as
#: specs in order, the precedents when every one is fixed).
_Plan = tuple[
    "Shape | None", Unsupported | None, tuple[tuple[Any, ...], ...], tuple[GraphNode, ...] | None
]
_NODE, _CELL, _AREA = 0, 1, 2  # a spec's kind: a fixed node, a cell or a range at row offsets
#: A range of at most this many cells is searched for formulas cell by cell (not by column).
_CELLS_LOOKED_UP = 16

_MISSING = object()
_ARRAY_REF = attrgetter("array_ref")
_POSITION_FUNCTIONS = ("ROW", "COLUMN")  # read where a reference is, not its value
_CYCLE_CELLS_SHOWN = 8
#: A range reaching this many rows or columns past its sheet's used area holds only the used
#: cells (``$A$1:$A$1048576`` over 40 used rows: 40 rows, not a million).
_PADDED_ROWS = 256
#: A range of at most this many cells is read cell by cell (larger ones: a column at a time).
_FEW_CELLS = 16


class Context:
    """Where a formula is being evaluated: its sheet and cell, and whether as an array."""

    __slots__ = ("array", "col", "engine", "row", "sheet")

    def __init__(self, engine: Engine, sheet: str, row: int, col: int, array: bool):
        self.engine, self.sheet, self.row, self.col, self.array = engine, sheet, row, col, array

    def as_array(self) -> Context:
        return Context(self.engine, self.sheet, self.row, self.col, True)


@dataclass
class Shape:
    """One distinct formula (relative tokens): compiled once, with what it refers to."""

    compiled: Compiled | None
    problem: Unsupported | None  # why it cannot be evaluated, when it cannot
    refs: tuple[RefToken, ...] = ()  # every reference whose cells it may read
    plan: batch.Plan | None = None  # how a column of it runs at once (TJ_ call, arithmetic)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused (and restored afterwards, also on failure).

    Reading and evaluating a workbook creates millions of small objects that live until the
    end (cells, values, compiled closures) and form no cycles; the collector would traverse
    them again and again as they pile up (13–34 % of the time at 60,000 formulas). Reference
    counting still frees everything that is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                # what survived goes straight to the oldest generation: re-enabling does not
                # start by traversing millions of young objects
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _rows_from(row: int, r1: int, fixed1: bool, r2: int, fixed2: bool) -> tuple[int, int] | None:
    """The first and last row a range's rows (each fixed, or an offset from the formula's
    ``row``) name from ``row``, in order; None when the range starts above the first row."""
    if not fixed1:
        r1 += row
    if not fixed2:
        r2 += row
    if r1 > r2:
        r1, r2 = r2, r1
    return None if r1 < 1 else (r1, r2)


class Engine:
    """The values of every cell of a workbook, formulas evaluated.

    ``functions`` is the table of ordinary Excel functions (default: the evaluator's own,
    :data:`workbooks.formula.functions.EAGER`)."""

    def __init__(
        self,
        sheets: list[Sheet],
        names: dict[str, str] | None = None,
        functions: Mapping[str, Callable[..., Any]] | None = None,
    ):
        self.sheets = {s.name: s for s in sheets}
        self._folded = {s.name.lower(): s.name for s in sheets}
        self._order = {s.name: i for i, s in enumerate(sheets)}
        self.names = {k.upper(): v for k, v in (names or {}).items()}
        self.functions = EAGER if functions is None else functions
        self.results: dict[Key, Any] = {}
        self.failures: dict[Key, str] = {}
        self.cycles: list[list[Key]] = []  # the cells of each circular reference
        #: what the formulas read, per sheet: single cells and ranges (top, left, bottom, right)
        self._reads: dict[str, tuple[set[tuple[int, int]], set[tuple[int, int, int, int]]]] = {}
        self._reads_known = False
        self._evaluated: dict[Key, Shape] = {}  # every formula cell that could be compiled
        self._broken: set[Key] = set()
        self._array_members: dict[Key, Key] = {}
        self._ranges: dict[RangeKey, RangeArray] = {}
        #: the anchors of the workbook's array formulas, found when first needed
        self._array_anchors: frozenset[Key] | None = None
        #: by sheet: whether its constants may be read without looking at formulas (batch.Store)
        self._plain_sheets: dict[str, bool] = {}
        self._shapes: dict[Tokens, Shape] = {}
        self._named: dict[tuple[str, bool], Compiled] = {}
        self._name_refs: dict[str, tuple[RefToken, ...]] = {}
        self._columns: dict[str, dict[int, tuple[list[int], list[Key]]]] = {}
        self._formula_cols: dict[str, tuple[list[int], set[int]]] = {}
        #: each range read that holds formula cells: [those cells, how many have a level, the
        #: level they give so far] (a range without formula cells is no node)
        self._range_nodes: dict[RangeKey, list[Any]] = {}
        #: the used area of each sheet (last row, last column): cells past it are blank
        self._extent: dict[str, tuple[int, int]] = {}
        for sheet in sheets:
            last_row, last_col = sheet.max_row, sheet.max_col
            for row, col in (*sheet.constants, *sheet.formulas):
                if row > last_row:
                    last_row = row
                if col > last_col:
                    last_col = col
            for (row, col), formula in sheet.formulas.items():
                if formula.array_ref is not None:
                    r1, c1, r2, c2 = formula.array_ref
                    last_row, last_col = max(last_row, r2), max(last_col, c2)
                    for r in range(r1, r2 + 1):
                        for c in range(c1, c2 + 1):
                            if (r, c) != (row, col):
                                self._array_members[(sheet.name, r, c)] = (sheet.name, row, col)
            self._extent[sheet.name] = (last_row, last_col)

    # --- public ------------------------------------------------------------------------

    def run(self) -> None:
        """Evaluate every formula, each after the formula cells it reads."""
        with paused_gc():
            self._run()

    def _run(self) -> None:
        shapes: dict[Key, Shape] = {}
        #: the settled level of cells and ranges: 0 for a cell reading no formula cell, else one
        #: more than the highest level of what it reads
        level: dict[GraphNode, int] = {}
        #: what each cell not settled in the first pass reads (it, or what it reads, comes later)
        edges: dict[GraphNode, Sequence[GraphNode]] = {}
        buckets: list[list[Key]] = [[]]
        self._range_nodes = {}  # how far each range is settled holds for one pass only
        for sheet in self.sheets.values():
            self._place(sheet, shapes, level, edges, buckets)
        self._evaluated = shapes
        if edges:
            buckets = self._order_unsettled(shapes, level, edges)
        for bucket in buckets:
            if len(bucket) >= batch.MIN_GROUP:
                self._batch(bucket, shapes)
            for key in bucket:
                if key not in self.results and key not in self._broken:
                    self._evaluate(key, shapes[key])

    def tokens(self, formula: Formula, row: int, col: int) -> Tokens:
        if formula.tokens is None:
            formula.tokens = shape_tokens(formula.text, row, col)
        return formula.tokens

    def formula_results(self) -> dict[Key, Any]:
        """Computed values of formula cells and array-formula members (failures left out)."""
        return {
            key: value
            for key, value in self.results.items()
            if key[1:] in self.sheets[key[0]].formulas or key in self._array_members
        }

    # --- the dependency graph ----------------------------------------------------------
    #
    # Nodes are formula cells and ranges holding formula cells; a cell depends on the formula
    # cells and ranges it names, a range on its formula cells. Formulas are visited in the
    # workbook's order, and a cell whose precedents all have a level already gets its own
    # at once: one more than theirs (0 when it reads no formula cell). Such a cell can be in no
    # circular reference. What is left — cells reading cells further on, and what reads them —
    # is ordered by Tarjan's algorithm; settled cells are outside that graph, so the circular
    # references, their order and every level are those of the whole graph.

    def _place(
        self,
        sheet: Sheet,
        shapes: dict[Key, Shape],
        level: dict[GraphNode, int],
        edges: dict[GraphNode, Sequence[GraphNode]],
        buckets: list[list[Key]],
    ) -> None:
        """Compile the formulas of ``sheet``, and give each a level or an entry in ``edges``."""
        name = sheet.name
        plans: dict[tuple[int, int], _Plan] = {}
        members = self._array_members or None
        ranges = self._range_nodes
        ground = buckets[0]
        for (row, col), formula in sheet.formulas.items():
            key = (name, row, col)
            tokens = formula.tokens
            if tokens is None:
                try:
                    tokens = self.tokens(formula, row, col)
                except Unsupported as exc:
                    self._fail(key, exc.at(row, col))
                    level[key] = 0
                    continue
            plan = plans.get((id(tokens), col))
            if plan is None:
                plan = plans[(id(tokens), col)] = self._plan(tokens, name, col)
            shape, problem, specs, fixed = plan
            if problem is not None:
                self._fail(key, problem.at(row, col))
                level[key] = 0
                continue
            shapes[key] = shape  # type: ignore[assignment]  # a plan without problem has one
            if fixed is not None:
                found: Sequence[GraphNode] = fixed
            else:
                found = []
                for spec in specs:
                    if spec[0] == _CELL:
                        _, target, formulas, offset, c = spec
                        r = row + offset
                        if (r, c) in formulas:
                            found.append((target, r, c))
                        elif members is not None:
                            anchor = members.get((target, r, c))
                            if anchor is not None:
                                found.append(anchor)
                    elif spec[0] == _AREA:
                        _, target, r1, fixed1, r2, fixed2, c1, c2 = spec
                        rows = _rows_from(row, r1, fixed1, r2, fixed2)
                        if rows is None:
                            continue
                        area = (target, rows[0], c1, rows[1], c2)
                        if area in ranges or self._range_node(area):
                            found.append(area)
                    else:
                        found.append(spec[1])
            top = self._level_of(found, level) if found else 0
            if top is None:
                edges[key] = found
            elif top:
                level[key] = top
                while len(buckets) <= top:
                    buckets.append([])
                buckets[top].append(key)
            else:
                level[key] = 0
                ground.append(key)

    def _level_of(self, found: Sequence[GraphNode], level: dict[GraphNode, int]) -> int | None:
        """One more than the highest level of the nodes ``found``; None while one has none."""
        top = 0
        for node in found:
            known = level.get(node)
            if known is None:
                if len(node) == 5:
                    known = self._settle(node, level)  # type: ignore[arg-type]
                if known is None:
                    return None
            if known >= top:
                top = known + 1
        return top

    def _plan(self, tokens: Tokens, sheet: str, col: int) -> _Plan:
        """How the formula ``tokens`` in column ``col`` of ``sheet`` finds its precedents: its
        references in order, each a fixed node, a cell or a range whose rows follow the cell's
        row; references to sheets or columns that hold no formula are left out."""
        try:
            shape = self.shape(tokens)
        except Unsupported as exc:
            return (None, exc, (), None)
        if shape.problem is not None:
            return (shape, shape.problem, (), None)
        specs: list[tuple[Any, ...]] = []
        for token in shape.refs:
            target = sheet if token.sheet is None else self.sheet_named(token.sheet)
            if target is None:
                continue
            columns, column_set = self._formula_columns(target)
            c1 = token.first_col.resolve(col)
            if token.single:
                if c1 not in column_set:
                    continue
                if token.first_row.absolute:
                    found = self._formula_at(target, token.first_row.value, c1)
                    if found is not None:
                        specs.append((_NODE, found))
                else:
                    formulas = self.sheets[target].formulas
                    specs.append((_CELL, target, formulas, token.first_row.value, c1))
                continue
            data = self.sheets[target]
            c2 = token.last_col.resolve(col) if token.last_col is not None else max(data.max_col, 1)
            if c1 > c2:
                c1, c2 = c2, c1
            at = bisect_left(columns, c1)
            if c1 < 1 or at == len(columns) or columns[at] > c2:
                continue  # no formula in these columns
            first, last = token.first_row, token.last_row
            r1, fixed1 = first.value, first.absolute
            r2, fixed2 = (max(data.max_row, 1), True) if last is None else last
            if not (fixed1 and fixed2):
                specs.append((_AREA, target, r1, fixed1, r2, fixed2, c1, c2))
                continue
            if r1 > r2:
                r1, r2 = r2, r1
            if r1 < 1:
                continue
            area = (target, r1, c1, r2, c2)
            if area in self._range_nodes or self._range_node(area):
                specs.append((_NODE, area))
        fixed = None
        if all(spec[0] == _NODE for spec in specs):
            fixed = tuple(spec[1] for spec in specs)
        return (shape, None, tuple(specs), fixed)

    def _range_node(self, area: RangeKey) -> bool:
        """Whether a range (not seen before) holds formula cells: then it becomes a node."""
        members = self._formulas_in(*area)
        if members:
            self._range_nodes[area] = [members, 0, 0]
        return bool(members)

    def _settle(self, area: RangeKey, level: dict[GraphNode, int]) -> int | None:
        """The level of a range once every formula cell in it has one (else None), resuming
        where the last attempt stopped."""
        entry = self._range_nodes[area]
        members, start, top = entry
        for at in range(start, len(members)):
            known = level.get(members[at])
            if known is None:
                entry[1], entry[2] = at, top
                return None
            if known >= top:
                top = known + 1
        level[area] = top
        return top

    def _order_unsettled(
        self,
        shapes: dict[Key, Shape],
        level: dict[GraphNode, int],
        edges: dict[GraphNode, Sequence[GraphNode]],
    ) -> list[list[Key]]:
        """Circular references reported and every cell put on its level, once some were not
        settled in the first pass: the cells of each level in the workbook's order.

        Taken from the last, a cell reading cells further on usually finds them settled now
        (a chain of references down a column is settled in one sweep); the rest — circular
        references and what reads them — goes through Tarjan's algorithm."""
        for key in reversed(list(edges)):
            top = self._level_of(edges[key], level)
            if top is not None:
                level[key] = top
                del edges[key]
        roots = list(edges)
        for area, (members, _, _) in self._range_nodes.items():
            if area not in level:
                edges[area] = members
        order = components(roots, edges) if roots else []
        for component in order:
            if is_cycle(component, edges):
                self._cycle([node for node in component if len(node) == 3])  # type: ignore[misc]
        level.update(levels(order, edges, level))
        buckets: list[list[Key]] = [[] for _ in range(max(level.values()) + 1)]
        broken = self._broken
        for key in shapes:
            if key not in broken:
                buckets[level[key]].append(key)
        return buckets

    def _formula_columns(self, sheet: str) -> tuple[list[int], set[int]]:
        """The columns of ``sheet`` that hold a formula or an array-formula cell (sorted, and
        as a set)."""
        found = self._formula_cols.get(sheet)
        if found is None:
            columns = {col for _, col in self.sheets[sheet].formulas}
            columns.update(c for (name, _, c) in self._array_members if name == sheet)
            found = self._formula_cols[sheet] = (sorted(columns), columns)
        return found

    def _note_reads(self) -> None:
        """What the formulas read, per sheet: single cells and ranges (top, left, bottom,
        right) — worked out when first asked (``compute`` never asks)."""
        known: dict[tuple[int, str, int], list[tuple[Any, ...]]] = {}
        for (sheet, row, col), shape in self._evaluated.items():
            specs = known.get((id(shape), sheet, col))
            if specs is None:
                specs = known[(id(shape), sheet, col)] = self._read_specs(shape, sheet, col)
            for cells, ranges, r1, fixed1, c1, r2, fixed2, c2 in specs:
                if r2 is None:  # a single cell
                    cells.add((r1 if fixed1 else r1 + row, c1))
                    continue
                rows = _rows_from(row, r1, fixed1, r2, fixed2)
                if rows is None:
                    continue
                r1, r2 = rows
                if r1 == r2 and c1 == c2:
                    cells.add((r1, c1))
                else:
                    ranges.add((r1, c1, r2, c2))
        self._reads_known = True

    def _read_specs(self, shape: Shape, sheet: str, col: int) -> list[tuple[Any, ...]]:
        """The references of ``shape`` written in column ``col`` of ``sheet``, as (cells and
        ranges read from the target sheet, first row, fixed?, left column, last row or None
        for a single cell, fixed?, right column); references off the grid left out."""
        out: list[tuple[Any, ...]] = []
        for token in shape.refs:
            target = sheet if token.sheet is None else self.sheet_named(token.sheet)
            if target is None:
                continue
            cells, ranges = self._reads.setdefault(target, (set(), set()))
            c1 = token.first_col.resolve(col)
            first = token.first_row
            if token.single:
                out.append((cells, ranges, first.value, first.absolute, c1, None, True, c1))
                continue
            data = self.sheets[target]
            c2 = token.last_col.resolve(col) if token.last_col is not None else max(data.max_col, 1)
            if min(c1, c2) < 1:
                continue
            last = token.last_row if token.last_row is not None else (max(data.max_row, 1), True)
            c1, c2 = min(c1, c2), max(c1, c2)
            out.append((cells, ranges, first.value, first.absolute, c1, last[0], last[1], c2))
        return out

    def reads_any(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> bool:
        """Whether a formula of the workbook reads a cell of the block (sheet, r1..r2, c1..c2):
        when none does, writing constants there leaves every result as it is."""
        if not self._reads_known:
            self._note_reads()
        found = self._reads.get(sheet)
        if found is None:
            return False
        cells, ranges = found
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(cells):
            hit = any((r, c) in cells for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        else:
            hit = any(r1 <= r <= r2 and c1 <= c <= c2 for r, c in cells)
        return hit or any(a <= r2 and r1 <= c and b <= c2 and c1 <= d for a, b, c, d in ranges)

    def _formula_at(self, sheet: str, row: int, col: int) -> Key | None:
        """The formula cell that gives (sheet, row, col) its value, if any."""
        key = (sheet, row, col)
        if (row, col) in self.sheets[sheet].formulas:
            return key
        return self._array_members.get(key)

    def _formulas_in(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> list[GraphNode]:
        """The formula cells giving values to the cells of a range (array anchors once), column
        by column, each from the top."""
        if not self._array_members and (r2 - r1 + 1) * (c2 - c1 + 1) <= _CELLS_LOOKED_UP:
            formulas = self.sheets[sheet].formulas
            return [
                (sheet, r, c)
                for c in range(c1, c2 + 1)
                for r in range(r1, r2 + 1)
                if (r, c) in formulas
            ]
        columns = self._columns.get(sheet)
        if columns is None:
            columns = self._columns[sheet] = self._column_index(sheet)
        out: list[GraphNode] = []
        if c2 - c1 + 1 <= len(columns):
            picked = (columns.get(c) for c in range(c1, c2 + 1))
        else:
            picked = (entry for c, entry in columns.items() if c1 <= c <= c2)
        for entry in picked:
            if entry is not None:
                rows, anchors = entry
                out.extend(anchors[bisect_left(rows, r1) : bisect_right(rows, r2)])
        return list(dict.fromkeys(out)) if len(out) > 1 else out

    def _column_index(self, sheet: str) -> dict[int, tuple[list[int], list[Key]]]:
        """Per column of ``sheet``: the rows that hold a formula or an array-formula cell, from
        the top, and the formula cell giving each its value."""
        if not any(name == sheet for name, _, _ in self._array_members):
            found: dict[int, list[int]] = {}
            for row, col in self.sheets[sheet].formulas:
                rows = found.get(col)
                if rows is None:
                    found[col] = [row]
                else:
                    rows.append(row)
            for rows in found.values():
                rows.sort()
            return {col: (rows, [(sheet, r, col) for r in rows]) for col, rows in found.items()}
        cells: dict[int, list[tuple[int, Key]]] = {}
        for row, col in self.sheets[sheet].formulas:
            cells.setdefault(col, []).append((row, (sheet, row, col)))
        for (name, row, col), anchor in self._array_members.items():
            if name == sheet:
                cells.setdefault(col, []).append((row, anchor))
        index = {}
        for col, pairs in cells.items():
            pairs.sort()
            index[col] = ([row for row, _ in pairs], [anchor for _, anchor in pairs])
        return index

    def _cycle(self, cells: list[Key]) -> None:
        cells.sort(key=lambda k: (self._order[k[0]], k[1], k[2]))
        self.cycles.append(cells)
        shown = "、".join(address(k) for k in cells[:_CYCLE_CELLS_SHOWN])
        if len(cells) > _CYCLE_CELLS_SHOWN:
            shown += f" 等 {len(cells)} 个单元格"
        for key in cells:
            self._fail(key, f"循环引用：{shown} 互相引用（或引用自身），无法计算")

    def _batch(self, bucket: list[Key], shapes: dict[Key, Shape]) -> None:
        """Columns of the same formula on this level (``TJ_`` calls, arithmetic, ROUND, SUM,
        RANK), each computed at once."""
        if self._broken:  # a cell that failed (e.g. inside a failed array formula's range)
            bucket = [key for key in bucket if key not in self._broken]  # gets no value
        groups: defaultdict[int, list[Key]] = defaultdict(list)  # by shape
        for key, number in zip(bucket, map(id, map(shapes.__getitem__, bucket)), strict=True):
            groups[number].append(key)
        sheets = self.sheets
        anchors = self._array_anchors
        if anchors is None:  # the array formulas of the workbook, found once
            anchors = self._array_anchors = frozenset(
                (name, *position)
                for name, sheet in sheets.items()
                if any(map(_ARRAY_REF, sheet.formulas.values()))
                for position, formula in sheet.formulas.items()
                if formula.array_ref is not None
            )
        store = batch.Store(
            self,
            self.results,
            sheets,
            self._array_members,
            self.functions,
            self._plain_sheets,
        )
        for keys in groups.values():
            plan = shapes[keys[0]].plan
            if len(keys) < batch.MIN_GROUP or plan is None:
                continue
            if anchors and not anchors.isdisjoint(keys):
                # an array formula fills its whole range: cell by cell (_evaluate)
                keys = [key for key in keys if key not in anchors]
                if len(keys) < batch.MIN_GROUP:
                    continue
            self.results.update(batch.run_group(store, plan, keys))

    # --- cells and ranges --------------------------------------------------------------

    def sheet_named(self, name: str) -> str | None:
        """The sheet a reference names (names are case-insensitive); None if missing."""
        return self._folded.get(name.lower())

    def sheet_name(self, name: str | None, ctx: Context) -> str | None:
        """The sheet a reference points to from ``ctx``; None if missing."""
        if name is None:
            return ctx.sheet
        return self._folded.get(name.lower())

    def cell(self, sheet: str, row: int, col: int) -> Any:
        """The value of a cell; a formula cell must have been evaluated (or have failed)."""
        key = (sheet, row, col)
        found = self.results.get(key, _MISSING)
        if found is not _MISSING:
            return found
        if key in self._broken:
            raise Failed(address(key))
        if (row, col) in self.sheets[sheet].formulas or key in self._array_members:
            raise RuntimeError(f"{address(key)} was read before it was evaluated")
        return self.sheets[sheet].constants.get((row, col))

    def range(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> RangeArray:
        if r1 > r2:
            r1, r2 = r2, r1
        if c1 > c2:
            c1, c2 = c2, c1
        last_row, last_col = self._extent[sheet]
        within = r2 - last_row < _PADDED_ROWS and c2 - last_col < _PADDED_ROWS
        if r1 == r2 and c1 == c2 and within:  # one cell passed to a function: not kept
            return RangeArray(((self.cell(sheet, r1, c1),),), sheet, r1, c1)
        key = (sheet, r1, c1, r2, c2)
        found = self._ranges.get(key)
        if found is None:
            store = batch.Store(
                self,
                self.results,
                self.sheets,
                self._array_members,
                self.functions,
                self._plain_sheets,
            )
            if within and (r2 - r1 + 1) * (c2 - c1 + 1) <= _FEW_CELLS:
                cell = self.cell
                rows: Any = tuple(
                    tuple(cell(sheet, r, c) for c in range(c1, c2 + 1)) for r in range(r1, r2 + 1)
                )
            elif within:
                rows = batch.block(store, sheet, r1, c1, r2, c2)
            else:  # past the used area: only the used cells are held (memory stays bounded)
                blank_tail = (None,) * (c2 - max(c1 - 1, min(c2, last_col)))
                used = batch.block(store, sheet, r1, c1, min(r2, last_row), min(c2, last_col))
                if not used and c1 > last_col:  # no used column: blank rows of the used rows
                    used = ((),) * max(0, min(r2, last_row) - r1 + 1)
                stored = tuple(row + blank_tail for row in used)
                rows = PaddedRows(stored, r2 - r1 + 1, (None,) * (c2 - c1 + 1))
            found = self._ranges[key] = RangeArray(rows, sheet, r1, c1)
        return found

    def _evaluate(self, key: Key, shape: Shape) -> None:
        sheet, row, col = key
        formula = self.sheets[sheet].formulas[(row, col)]
        assert shape.compiled is not None  # shapes with a problem never reach here
        ctx = Context(self, sheet, row, col, formula.array_ref is not None)
        try:
            value = shape.compiled(ctx)
        except Unsupported as exc:
            self._fail(key, exc.at(row, col))
            return
        except Failed as exc:
            self._fail(key, f"引用的单元格 {exc} 未能计算")
            return
        if formula.array_ref is None:
            self.results[key] = _single(value, ctx)
            return
        r1, c1, r2, c2 = formula.array_ref
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                element = value.at(r - r1, c - c1) if isinstance(value, Array) else value
                self.results[(sheet, r, c)] = 0.0 if element is None else element

    def _fail(self, key: Key, message: str) -> None:
        """Record that ``key`` (and its array range) has no value, and why."""
        self.failures[key] = message
        self._broken.add(key)
        self.results.pop(key, None)
        formula = self.sheets[key[0]].formulas[key[1:]]
        if formula.array_ref is not None:
            r1, c1, r2, c2 = formula.array_ref
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self._broken.add((key[0], r, c))
                    self.results.pop((key[0], r, c), None)

    # --- compiling -----------------------------------------------------------------------

    def shape(self, tokens: Tokens) -> Shape:
        """The compiled form of a formula's relative tokens (once per distinct formula)."""
        found = self._shapes.get(tokens)
        if found is None:
            try:
                tree = parse(tokens)
                compiled = self._compile(tree)
                refs: list[RefToken] = []
                self._refs(tree, refs)
            except Unsupported as exc:
                # kept without its traceback: the frames it holds would tie the engine into a
                # reference cycle, alive until a garbage collection
                found = Shape(None, Unsupported(str(exc), exc.refs))
            else:
                found = Shape(compiled, None, tuple(refs), batch.plan(tree))
            self._shapes[tokens] = found
        return found

    def _refs(self, node: Node, out: list[RefToken]) -> None:
        """Every reference in a syntax tree whose cells evaluation may read."""
        kind = node[0]
        if kind == "ref":
            out.append(node[1])
        elif kind == "name":
            out.extend(self._refs_of_name(node[1]))
        elif kind == "call":
            if bare_name(node[1]) not in _POSITION_FUNCTIONS:
                for arg in node[2]:
                    self._refs(arg, out)
        elif kind == "binary":
            self._refs(node[2], out)
            self._refs(node[3], out)
        elif kind in ("neg", "plus", "percent"):
            self._refs(node[1], out)

    def _refs_of_name(self, name: str) -> tuple[RefToken, ...]:
        key = name.upper()
        found = self._name_refs.get(key)
        if found is None:
            self._name_refs[key] = ()  # a name defined through itself reads nothing more
            text = self.names.get(key)
            refs: list[RefToken] = []
            if text is not None:
                self._refs(parse(tokenize(text, 1, 1)), refs)
            found = self._name_refs[key] = tuple(refs)
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
            self._named[key] = _defined_through_itself(name)
            try:
                found = self._named[key] = self._compile(parse(tokenize(text, 1, 1)), as_arg)
            except Unsupported:
                del self._named[key]
                raise
        return found

    def _call(self, raw_name: str, arg_nodes: tuple[Node, ...]) -> Compiled:
        name = bare_name(raw_name)
        if tj.is_tj(name):
            tj.signature(name)
            args = [self._compile(a, as_arg=True) for a in arg_nodes]
            return lambda ctx: tj.call(name, [a(ctx) for a in args])
        special = _SPECIAL.get(name)
        if special is not None:
            return special(self, arg_nodes)
        function = self.functions.get(name)
        if function is None:
            raise Unsupported(f"函数 {name} 暂不支持")
        _check_arguments(name, function, len(arg_nodes))
        args = [self._compile(a, as_arg=True) for a in arg_nodes]
        return lambda ctx: function(*[a(ctx) for a in args])


def _defined_through_itself(name: str) -> Compiled:
    def evaluate(ctx: Context) -> Any:
        raise Unsupported(f"名称 {name} 的定义引用了自身")

    return evaluate


def _check_arguments(name: str, function: Callable[..., Any], count: int) -> None:
    """A call with a number of arguments the function does not take is a formula Excel would
    not have accepted: refused when compiled, so that a TypeError at run time is a bug."""
    if not _takes(function, count):
        raise Unsupported(f"函数 {name} 的参数个数不对（公式中为 {count} 个）")


@lru_cache(maxsize=1024)
def _takes(function: Callable[..., Any], count: int) -> bool:
    """Whether ``function`` accepts ``count`` positional arguments (once per function and
    count: a workbook repeats the same calls in thousands of formula shapes)."""
    try:
        inspect.signature(function).bind(*range(count))
    except TypeError:
        return False
    return True


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

    # rows past every block's used area are alike: computed once (a million-row range stays small)
    held = max(x.stored_rows() for x in blocks)
    if held >= height or any(x.height not in (1, height) for x in blocks):
        held = height
    stored = tuple(
        tuple(apply(op, pick(left, i, j), pick(right, i, j)) for j in range(width))
        for i in range(held)
    )
    if held == height:
        return Array(stored)
    tail = tuple(apply(op, pick(left, held, j), pick(right, held, j)) for j in range(width))
    return Array(PaddedRows(stored, height, tail))


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
            rows = value.rows
            if isinstance(rows, PaddedRows):
                return Array(
                    PaddedRows(
                        tuple(tuple(one(v) for v in row) for row in rows.stored),
                        rows.length,
                        tuple(one(v) for v in rows.blank),
                    )
                )
            return Array(tuple(tuple(one(v) for v in row) for row in rows))
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
    function = engine.functions["SUMPRODUCT_EAGER"]

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
