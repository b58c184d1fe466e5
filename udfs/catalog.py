"""The catalog of ``TJ_`` functions — names, arguments, help — read from :mod:`udfs.functions`.

One source for the README's function table, ``tongji functions``, the 函数说明 button and the
add-in build's checks that every function has a VBA wrapper with the right arguments.

The catalog is read from the registry's source text (its ``def TJ_…`` lines, ``@tj_function``
argument help and docstrings) rather than by importing it, so that listing the functions does
not load NumPy; ``tests/udfs/test_catalog.py`` checks it against the imported registry.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Parameter:
    name: str
    doc: str
    optional: bool


@dataclass(frozen=True)
class Entry:
    name: str
    description: str
    parameters: tuple[Parameter, ...]

    @property
    def signature(self) -> str:
        """``TJ_GROWTH(current, base, [price_index])`` — optional arguments in brackets."""
        parts = [f"[{p.name}]" if p.optional else p.name for p in self.parameters]
        return f"{self.name}({', '.join(parts)})"


def _arg_docs(function: ast.FunctionDef) -> dict[str, str]:
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "tj_function"
        ):
            return {k.arg: ast.literal_eval(k.value) for k in decorator.keywords if k.arg}
    return {}


def _entry(function: ast.FunctionDef) -> Entry:
    docs = _arg_docs(function)
    args = function.args.args
    first_optional = len(args) - len(function.args.defaults)
    parameters = tuple(
        Parameter(a.arg, docs.get(a.arg, ""), i >= first_optional) for i, a in enumerate(args)
    )
    return Entry(function.name, ast.get_docstring(function) or "", parameters)


def _read_catalog() -> tuple[Entry, ...]:
    source = resources.files("udfs").joinpath("functions.py").read_text(encoding="utf-8")
    found = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("TJ_")
    ]
    return tuple(_entry(f) for f in sorted(found, key=lambda f: f.name))


CATALOG: tuple[Entry, ...] = _read_catalog()

__all__ = ["CATALOG", "Entry", "Parameter"]
