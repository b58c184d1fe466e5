"""Evaluation order of a dependency graph: strongly connected components, dependencies first.

Tarjan's algorithm, written with an explicit stack so that a chain of 250,000 references is as
easy as a chain of three (no recursion, no change of interpreter settings). A component of more
than one node, or a node that depends on itself, is a circular reference.

The graph is ``node → edges[node]`` (what a node depends on). A node that is not a key of
``edges`` lies outside it: it has been ordered already (its level is known) and is neither
visited nor part of any component — the evaluator leaves out every cell whose level it could
settle before, and those can be part of no circular reference.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def components(roots: Iterable[N], edges: Mapping[N, Sequence[N]]) -> list[list[N]]:
    """The strongly connected components of the nodes of ``edges`` reached from ``roots`` (in
    the order of ``roots``), each listed after every component it depends on."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    stack: list[N] = []
    on_stack: set[N] = set()
    out: list[list[N]] = []
    for root in roots:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(edges[root]))]
        while work:
            node, pending = work[-1]
            for target in pending:
                if target not in index:
                    follow = edges.get(target)
                    if follow is None:  # outside the graph: ordered already
                        continue
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(follow)))
                    break
                if target in on_stack and index[target] < low[node]:
                    low[node] = index[target]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    out.append(component)
    return out


def is_cycle(component: list[N], edges: Mapping[N, Sequence[N]]) -> bool:
    """Whether a component is a circular reference (several nodes, or one that needs itself)."""
    return len(component) > 1 or component[0] in edges.get(component[0], ())


def levels(
    order: list[list[N]], edges: Mapping[N, Sequence[N]], known: Mapping[N, int]
) -> dict[N, int]:
    """For components in dependency order: each node's level, one more than the highest level
    of what it depends on outside its component (0 for nodes that depend on nothing); the
    levels of nodes outside the graph are ``known``. Nodes of the same level never depend on
    each other unless they form a cycle."""
    level: dict[N, int] = {}
    for component in order:
        members = set(component) if len(component) > 1 else None
        top = 0
        for node in component:
            for target in edges[node]:
                if target == node or (members is not None and target in members):
                    continue
                found = level.get(target)
                if found is None:
                    found = known[target]
                if found >= top:
                    top = found + 1
        for node in component:
            level[node] = top
    return level


__all__ = ["components", "is_cycle", "levels"]
