"""Targets and progress: 完成率, 序时进度, 超/欠序时进度, 差距/缺口, 还需增长 (docs/definitions.md §2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from udfs.cleaning import Arg, Parsed, fold, is_omitted, map_cells
from udfs.core import Computed, aligned, finish, public, rule
from udfs.errors import OK, ExcelError, mark
from udfs.periods import PERIOD_MESSAGES, PeriodError, parse_period

_ACTUAL = Arg("实际完成 actual")
_TARGET = Arg("年度目标 target")
_TARGET_ZERO = rule(ExcelError.DIV0, "年度目标为 0，无法计算完成率（参数 target）")
_TARGET_NEGATIVE = rule(ExcelError.NUM, "年度目标为负，完成率无意义（参数 target）")
_PERIOD_MISSING = rule(ExcelError.NA, "参数「期别 period」为空")
#: One code per kind of unreadable label; the label itself travels as the element's detail.
_PERIOD_UNREADABLE = {
    template: rule(ExcelError.VALUE, f"{template}（参数 period）") for template in PERIOD_MESSAGES
}


def _period_cell(cell: Any) -> Parsed:
    """序时进度 of one period cell, or the reason it cannot be read (and the label)."""
    if cell is None or (isinstance(cell, str) and fold(cell) == ""):
        return np.nan, _PERIOD_MISSING
    try:
        return parse_period(cell).time_progress, OK
    except PeriodError as exc:
        return np.nan, _PERIOD_UNREADABLE[exc.template], exc.detail


def time_progress_kernel(period: Any) -> Computed:
    """序时进度 %: ``months_elapsed / 12 × 100`` (一季度 25, 1-4月 33.33, 上半年 50)."""
    return finish(*map_cells(period, _period_cell))


def completion_kernel(actual: Any, target: Any) -> Computed:
    """完成年度目标 %: ``actual_to_date / annual_target × 100`` (may exceed 100)."""
    (a, t), codes, details = aligned(
        ("实际完成 actual", _ACTUAL.numbers(actual)), ("年度目标 target", _TARGET.numbers(target))
    )
    codes = mark(codes, t == 0, _TARGET_ZERO)
    codes = mark(codes, t < 0, _TARGET_NEGATIVE)
    ratio = np.divide(a, t, out=np.full(codes.shape, np.nan), where=t > 0)
    return finish(ratio * 100, codes, details)


def schedule_gap_kernel(actual: Any, target: Any, period: Any) -> Computed:
    """超/欠序时进度, percentage points: ``completion − time_progress`` (+ 超, − 欠)."""
    done = completion_kernel(actual, target)
    progress = time_progress_kernel(period)
    (c, p), codes, details = aligned(("完成率", done), ("期别 period", progress))
    return finish(c - p, codes, details)


def gap_to_target_kernel(actual: Any, target: Any, period: Any = None) -> Computed:
    """差距/缺口: ``target − actual`` (+ still short, − exceeded); with a period, the gap to the
    pro-rated target ``target × time_progress / 100 − actual``."""
    args = [
        ("实际完成 actual", _ACTUAL.numbers(actual)),
        ("年度目标 target", _TARGET.numbers(target)),
    ]
    if not is_omitted(period):
        args.append(("期别 period", time_progress_kernel(period)))
    values, codes, details = aligned(*args)
    a, t = values[0], values[1]
    due = t * values[2] / 100 if len(values) == 3 else t
    return finish(due - a, codes, details)


_LEVEL_TARGET = Arg("年度目标值 target")
_ACTUAL_YTD = Arg("本年累计 actual_ytd")
_BASE_FULL = Arg("上年全年 base_full")
_BASE_YTD = Arg("上年同期累计 base_ytd")
_TARGET_RATE = Arg("目标增速 target_rate")
_RATE_YTD = Arg("累计增速 rate_ytd")
_REST_ZERO = rule(ExcelError.DIV0, "上年剩余期为 0（base_full = base_ytd），无法计算还需增长")
_REST_NEGATIVE = rule(
    ExcelError.NUM, "上年全年小于上年同期累计（base_full < base_ytd），请检查基数"
)
_BASE_NOT_POSITIVE = rule(ExcelError.NUM, "上年基数应为正数（参数 base_full / base_ytd）")
_ALREADY_MET = rule(ExcelError.NUM, "累计已超过全年目标，剩余时间无需增长（目标已完成）")


def _rest_of_year(
    b_full: np.ndarray, b_ytd: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Last year's level in the rest of the year, ``B_full − B_ytd``, with its checks."""
    codes = mark(codes, (b_full <= 0) | (b_ytd < 0), _BASE_NOT_POSITIVE)
    rest = b_full - b_ytd
    codes = mark(codes, rest == 0, _REST_ZERO)
    codes = mark(codes, rest < 0, _REST_NEGATIVE)
    return rest, codes


def _required(
    still_due: np.ndarray, rest: np.ndarray, codes: np.ndarray, details: Mapping[int, str]
) -> Computed:
    codes = mark(codes, still_due < 0, _ALREADY_MET)
    ratio = np.divide(still_due, rest, out=np.full(codes.shape, np.nan), where=rest > 0)
    return finish(ratio * 100 - 100, codes, details)


def required_growth_kernel(target: Any, actual_ytd: Any, base_full: Any, base_ytd: Any) -> Computed:
    """还需增长 % to reach a level target: ``(T − A_ytd) / (B_full − B_ytd) × 100 − 100``."""
    (t, a, b_full, b_ytd), codes, details = aligned(
        ("年度目标值 target", _LEVEL_TARGET.numbers(target)),
        ("本年累计 actual_ytd", _ACTUAL_YTD.numbers(actual_ytd)),
        ("上年全年 base_full", _BASE_FULL.numbers(base_full)),
        ("上年同期累计 base_ytd", _BASE_YTD.numbers(base_ytd)),
    )
    rest, codes = _rest_of_year(b_full, b_ytd, codes)
    return _required(t - a, rest, codes, details)


def required_growth_rate_kernel(
    target_rate: Any, rate_ytd: Any, base_full: Any, base_ytd: Any
) -> Computed:
    """还需增长 % to reach a growth-rate target G given growth to date g_ytd:
    ``((1+G/100)·B_full − (1+g_ytd/100)·B_ytd) / (B_full − B_ytd) × 100 − 100``."""
    (g, g_ytd, b_full, b_ytd), codes, details = aligned(
        ("目标增速 target_rate", _TARGET_RATE.numbers(target_rate)),
        ("累计增速 rate_ytd", _RATE_YTD.numbers(rate_ytd)),
        ("上年全年 base_full", _BASE_FULL.numbers(base_full)),
        ("上年同期累计 base_ytd", _BASE_YTD.numbers(base_ytd)),
    )
    rest, codes = _rest_of_year(b_full, b_ytd, codes)
    still_due = (1 + g / 100) * b_full - (1 + g_ytd / 100) * b_ytd
    return _required(still_due, rest, codes, details)


time_progress = public(time_progress_kernel)
completion = public(completion_kernel)
schedule_gap = public(schedule_gap_kernel)
gap_to_target = public(gap_to_target_kernel)
required_growth = public(required_growth_kernel)
required_growth_rate = public(required_growth_rate_kernel)
