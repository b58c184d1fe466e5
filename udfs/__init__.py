"""统计助手 indicator functions: the pure, vectorised math behind the ``TJ_`` Excel functions.

Every function takes scalars or array-likes (same shape, or a range against a single value)
in the argument order of its Excel twin and returns a float, a :class:`CellError` (which equals
its Excel literal, e.g. ``"#DIV/0!"``, and carries a Chinese ``message``), ``None`` for a
deliberate blank, or an object ndarray of those. Rates are percent numbers (6.7 = 6.7 %);
differences of rates are percentage points. Definitions: ``docs/definitions.md`` §2.

The phrase builders (``growth_phrase``, ``vs_phrase``, ``rank_phrase`` …, :mod:`udfs.phrases`)
take single published figures and return the text analysis writes (增长6.7%); their vectorised
cell twins are the ``TJ_PHRASE_`` functions.

>>> from udfs import growth
>>> growth(110, 100)
10.0
"""

from __future__ import annotations

import importlib
from typing import Any

#: Where each public name lives. Loaded on first use, so that reading the catalog of functions
#: (``tongji functions``) does not load NumPy.
_WHERE = {
    "CellError": "errors",
    "ExcelError": "errors",
    "Period": "periods",
    "PeriodError": "periods",
    "parse_period": "periods",
    "amount_phrase": "phrases",
    "change_phrase": "phrases",
    "completion_phrase": "phrases",
    "growth_phrase": "phrases",
    "rank_phrase": "phrases",
    "schedule_phrase": "phrases",
    "vs_phrase": "phrases",
    "rank": "ranking",
    "rank_change": "ranking",
    "round_published": "ranking",
    "avg_growth": "rates",
    "growth": "rates",
    "two_year_avg": "rates",
    "contribution": "shares",
    "contribution_rate": "shares",
    "share": "shares",
    "completion": "targets",
    "gap_to_target": "targets",
    "required_growth": "targets",
    "required_growth_rate": "targets",
    "schedule_gap": "targets",
    "time_progress": "targets",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'udfs' has no attribute {name!r}")
    # The registry imports every kernel module and then closes the table of reason codes.
    importlib.import_module("udfs.functions")
    return getattr(importlib.import_module(f"udfs.{module}"), name)


__all__ = sorted(_WHERE)
