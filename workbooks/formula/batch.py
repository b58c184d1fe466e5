"""Whole columns of the same ``TJ_`` formula in one call of the add-in's function.

``=TJ_GROWTH(B5,C5)`` down 6,000 rows is one shape. Instead of 6,000 calls, the arguments of
all those cells are gathered into columns and the function runs once — the same vectorised
computation Excel's spilled ``=TJ_GROWTH(B2:B6001,C2:C6001)`` would do, element by element
identical to the single-cell results. Only simple shapes are batched: every argument a single
cell, a constant, or (for the peers of ``TJ_RANK``) one fixed range; anything else, and any
cell whose arguments cannot be read, is left to the cell-by-cell evaluation.

The evaluator hands a group over once every cell its members read has been computed (all
members are on the same level of the dependency order); this module reads those cells through
the small :class:`Cells` interface and never evaluates anything itself.
"""

from __future__ import annotations

from typing import Any, Protocol

from workbooks.formula import tj
from workbooks.formula.model import Key
from workbooks.formula.parser import Node
from workbooks.formula.tokens import RefToken
from workbooks.formula.values import Failed, Unsupported

MIN_GROUP = 8
#: Arguments that must be one value for the whole call (options), by function.
_FIXED = {"TJ_RANK": (1, 2, 3)}

Spec = tuple[str, Any]
Plan = tuple[str, list[Spec]]


class Cells(Protocol):
    """Read access to computed cells (the evaluator)."""

    def sheet_named(self, name: str) -> str | None: ...

    def cell(self, sheet: str, row: int, col: int) -> Any: ...

    def range(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> Any: ...


def plan(node: Node) -> Plan | None:
    """(function, argument specs) when the parsed formula is one ``TJ_`` call of batchable
    shape."""
    if node[0] != "call" or not tj.is_tj(node[1]):
        return None
    name = node[1].upper()
    try:
        _, required, total = tj.signature(name)
    except Unsupported:
        return None
    if not required <= len(node[2]) <= total:
        return None
    specs = []
    for position, arg in enumerate(node[2]):
        spec = _spec(arg)
        if spec is None:
            return None
        if spec[0] == "cell" and position in _FIXED.get(name, ()):
            return None
        specs.append(spec)
    if not any(kind == "cell" for kind, _ in specs):
        return None
    return name, specs


def _spec(arg: Node) -> Spec | None:
    kind = arg[0]
    if kind in ("number", "string", "bool"):
        return ("const", arg[1])
    if kind == "omitted":
        return ("const", None)
    if kind == "ref":
        token: RefToken = arg[1]
        if token.single:
            return ("cell", token)
        bounds = (token.first_row, token.first_col, token.last_row, token.last_col)
        if all(b is not None and b.absolute for b in bounds):
            return ("range", token)
    return None


def run_group(cells: Cells, found: Plan, keys: list[Key]) -> dict[Key, Any]:
    """The values of the formula cells ``keys`` (all of shape ``found``) computed in one call;
    empty when the group is better left to cell-by-cell evaluation. Members whose arguments
    cannot be read are left out (they fail on their own)."""
    name, specs = found
    function, required, _ = tj.signature(name)
    optional = set(range(required, len(specs)))
    rows: list[Key] = []
    columns: list[list[Any]] = [[] for _ in specs]
    for key in keys:
        sheet, row, col = key
        values = []
        try:
            for position, (kind, spec) in enumerate(specs):
                if kind != "cell":
                    continue
                target = sheet if spec.sheet is None else cells.sheet_named(spec.sheet)
                if target is None:
                    raise Unsupported("missing sheet")
                value = cells.cell(target, spec.first_row.resolve(row), spec.first_col.resolve(col))
                if position in optional and (value is None or value == ""):
                    return {}  # an omitted option changes the meaning: leave the group alone
                values.append((position, value))
        except (Failed, Unsupported):
            continue
        rows.append(key)
        for position, value in values:
            columns[position].append([tj.host_argument(value)])
    if len(rows) < MIN_GROUP:
        return {}
    fixed: dict[int, Any] = {}
    for position, (kind, spec) in enumerate(specs):
        if kind == "const":
            fixed[position] = spec
        elif kind == "range":
            target = cells.sheet_named(spec.sheet) if spec.sheet is not None else None
            if spec.sheet is not None and target is None:
                return {}
            sheet = target or rows[0][0]
            if spec.sheet is None and any(key[0] != sheet for key in rows):
                return {}
            try:
                area = cells.range(
                    sheet,
                    spec.first_row.value,
                    spec.first_col.value,
                    spec.last_row.value,
                    spec.last_col.value,
                )
            except Failed:
                return {}
            fixed[position] = tj.host_argument(area)
    args = [fixed[p] if p in fixed else columns[p] for p in range(len(specs))]
    computed = function(*args)
    if computed.values.shape != (len(rows), 1):
        return {}
    result = tj.result_value(computed)
    return {key: result.rows[k][0] for k, key in enumerate(rows)}


__all__ = ["MIN_GROUP", "Cells", "Plan", "plan", "run_group"]
