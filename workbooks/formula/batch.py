"""Whole columns of the same ``TJ_`` formula in one call of the add-in's function.

``=TJ_GROWTH(B5,C5)`` down 6,000 rows is one shape. Instead of 6,000 calls, the arguments of
all those cells are gathered into columns and the function runs once — the same vectorised
computation Excel's spilled ``=TJ_GROWTH(B2:B6001,C2:C6001)`` would do, element by element
identical to the single-cell results. Only simple shapes are batched: every argument a single
cell, a constant, or (for the peers of ``TJ_RANK``) one fixed range; anything else, and any
cell whose arguments cannot be read, is left to the cell-by-cell evaluation.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from workbooks.formula import tj
from workbooks.formula.lexer import RefToken
from workbooks.formula.parser import Node, parse
from workbooks.formula.values import Failed, Unsupported

if TYPE_CHECKING:
    from workbooks.formula.engine import Engine, Key

_MIN_GROUP = 8
#: Arguments that must be one value for the whole call (options), by function.
_FIXED = {"TJ_RANK": (1, 2, 3)}


def plan(tokens: tuple[tuple[str, Any], ...]) -> tuple[str, list[tuple[str, Any]]] | None:
    """(function, argument specs) when the formula is one ``TJ_`` call of batchable shape."""
    try:
        node = parse(tokens)
    except Unsupported:
        return None
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


def _spec(arg: Node) -> tuple[str, Any] | None:
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


def run(engine: Engine, shapes: dict[Key, tuple[tuple[str, Any], ...]]) -> None:
    """Evaluate every batchable group of same-shaped ``TJ_`` formulas (``shapes``: cell →
    its relative tokens)."""
    groups: dict[tuple[tuple[str, Any], ...], list[Key]] = defaultdict(list)
    for key, tokens in shapes.items():
        groups[tokens].append(key)
    plans: dict[tuple[tuple[str, Any], ...], Any] = {}
    for tokens, keys in groups.items():
        if len(keys) < _MIN_GROUP:
            continue
        found = plans.get(tokens)
        if found is None:
            found = plans[tokens] = plan(tokens) or False
        if found:
            _run_group(engine, found[0], found[1], keys)


def _run_group(engine: Engine, name: str, specs: list[tuple[str, Any]], keys: list[Key]) -> None:
    function, required, _ = tj.signature(name)
    optional = set(range(required, len(specs)))
    rows: list[Key] = []
    columns: list[list[Any]] = [[] for _ in specs]
    fixed: dict[int, Any] = {}
    for key in keys:
        sheet, row, col = key
        values = []
        try:
            for position, (kind, spec) in enumerate(specs):
                if kind != "cell":
                    continue
                target = sheet if spec.sheet is None else engine._folded.get(spec.sheet.lower())
                if target is None:
                    raise Unsupported("missing sheet")
                value = engine.cell(
                    target, spec.first_row.resolve(row), spec.first_col.resolve(col)
                )
                if position in optional and (value is None or value == ""):
                    return  # an omitted option changes the meaning: leave the group alone
                values.append((position, value))
        except (Failed, Unsupported):
            continue
        rows.append(key)
        for position, value in values:
            columns[position].append([tj.host_argument(value)])
    if len(rows) < _MIN_GROUP:
        return
    for position, (kind, spec) in enumerate(specs):
        if kind == "const":
            fixed[position] = spec
        elif kind == "range":
            target = engine._folded.get(spec.sheet.lower()) if spec.sheet else None
            if spec.sheet is not None and target is None:
                return
            sheet = target or rows[0][0]
            if any(key[0] != sheet for key in rows) and spec.sheet is None:
                return
            area = engine.range(
                sheet,
                spec.first_row.value,
                spec.first_col.value,
                spec.last_row.value,
                spec.last_col.value,
            )
            fixed[position] = tj.host_argument(area)
    args = [fixed[p] if p in fixed else columns[p] for p in range(len(specs))]
    with contextlib.suppress(Exception):
        computed = function(*args)
        if computed.values.shape != (len(rows), 1):
            return
        result = tj.result_value(computed)
        for k, key in enumerate(rows):
            if key not in engine.results:
                engine.results[key] = result.rows[k][0]


__all__ = ["plan", "run"]
