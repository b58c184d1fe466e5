"""Evaluation order of a dependency graph: strongly connected components, dependencies first.

Tarjan's algorithm, written with an explicit stack so that a chain of 250,000 references is as
easy as a chain of three (no recursion, no change of interpreter settings). A component of more
than one node, or a node that depends on itself, is a circular reference.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def components(nodes: Iterable[N], edges: Mapping[N, Sequence[N]]) -> list[list[N]]:
    """The strongly connected components of the graph ``node → edges[node]`` (the nodes a node
    depends on), each listed after every component it depends on."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    stack: list[N] = []
    on_stack: set[N] = set()
    out: list[list[N]] = []
    empty: Sequence[N] = ()
    for root in nodes:
        if root in index:
            continue
        if not edges.get(root):  # depends on nothing: a component of its own, at once
            index[root] = len(index)
            out.append([root])
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(edges.get(root, empty)))]
        while work:
            node, pending = work[-1]
            for target in pending:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, empty))))
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


def levels(order: list[list[N]], edges: Mapping[N, Sequence[N]]) -> dict[N, int]:
    """For components in dependency order: each node's level, one more than the highest level
    of what it depends on outside its component (0 for nodes that depend on nothing). Nodes
    of the same level never depend on each other unless they form a cycle."""
    level: dict[N, int] = {}
    empty: Sequence[N] = ()
    for component in order:
        members = set(component) if len(component) > 1 else None
        top = 0
        for node in component:
            for target in edges.get(node, empty):
                if target == node or (members is not None and target in members):
                    continue
                if level[target] >= top:
                    top = level[target] + 1
        for node in component:
            level[node] = top
    return level


__all__ = ["components", "is_cycle", "levels"]
