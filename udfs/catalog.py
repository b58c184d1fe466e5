"""The catalog of ``TJ_`` functions — names, arguments, help — read from :mod:`udfs.functions`.

One source for the README's function table, ``tongji functions``, the 函数说明 button and the
add-in build's checks that every function has a VBA wrapper with the right arguments.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from udfs.functions import FUNCTIONS


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


def _entry(name: str) -> Entry:
    function = FUNCTIONS[name]
    docs = getattr(function, "__tj_args__", {})
    parameters = tuple(
        Parameter(p.name, docs.get(p.name, ""), p.default is not inspect.Parameter.empty)
        for p in inspect.signature(function).parameters.values()
    )
    return Entry(name, inspect.getdoc(function) or "", parameters)


CATALOG: tuple[Entry, ...] = tuple(_entry(name) for name in FUNCTIONS)

__all__ = ["CATALOG", "Entry", "Parameter"]
