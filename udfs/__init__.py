"""统计助手 indicator functions: the pure, vectorised math behind the ``TJ_`` Excel functions.

Every function takes scalars or array-likes (same shape, or a range against a single value)
in the argument order of its Excel twin and returns a float, a :class:`CellError` (which equals
its Excel literal, e.g. ``"#DIV/0!"``, and carries a Chinese ``message``), ``None`` for a
deliberate blank, or an object ndarray of those. Rates are percent numbers (6.7 = 6.7 %);
differences of rates are percentage points. Definitions: ``docs/definitions.md`` §2.

>>> from udfs import growth
>>> growth(110, 100)
10.0
"""

from udfs.errors import CellError, ExcelError, seal
from udfs.periods import Period, PeriodError, parse_period
from udfs.ranking import rank, rank_change, round_published
from udfs.rates import avg_growth, growth, two_year_avg
from udfs.shares import contribution, contribution_rate, share
from udfs.targets import (
    completion,
    gap_to_target,
    required_growth,
    required_growth_rate,
    schedule_gap,
    time_progress,
)

seal()  # every reason code is registered now; nothing a user types adds one

__all__ = [
    "CellError",
    "ExcelError",
    "Period",
    "PeriodError",
    "avg_growth",
    "completion",
    "contribution",
    "contribution_rate",
    "gap_to_target",
    "growth",
    "parse_period",
    "rank",
    "rank_change",
    "required_growth",
    "required_growth_rate",
    "round_published",
    "schedule_gap",
    "share",
    "time_progress",
    "two_year_avg",
]
