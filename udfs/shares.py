"""Contribution and structure: 拉动 (pp), 贡献率 (%), 占比 (%) (docs/definitions.md §2)."""

from __future__ import annotations

from typing import Any

import numpy as np

from udfs.cleaning import Arg
from udfs.core import Computed, aligned, finish, public, rule
from udfs.errors import ExcelError, mark

_PART = Arg("分项本期 part")
_PART_BASE = Arg("分项基期 part_base")
_TOTAL = Arg("总量本期 total")
_TOTAL_BASE = Arg("总量基期 total_base")
_TOTAL_BASE_ZERO = rule(ExcelError.DIV0, "总量基期为 0，无法计算拉动（参数 total_base）")
_TOTAL_BASE_NEGATIVE = rule(ExcelError.NUM, "总量基期为负，拉动无意义（参数 total_base）")
_NO_TOTAL_CHANGE = rule(ExcelError.DIV0, "总量增量为 0，无法计算贡献率（total − total_base）")


def contribution_kernel(part: Any, part_base: Any, total_base: Any) -> Computed:
    """拉动 X 个百分点: ``(P_t − P_b) / T_b × 100``; Σ拉动 over the parts = total growth."""
    (p_t, p_b, t_b), codes, details = aligned(
        ("分项本期 part", _PART.numbers(part)),
        ("分项基期 part_base", _PART_BASE.numbers(part_base)),
        ("总量基期 total_base", _TOTAL_BASE.numbers(total_base)),
    )
    codes = mark(codes, t_b == 0, _TOTAL_BASE_ZERO)
    codes = mark(codes, t_b < 0, _TOTAL_BASE_NEGATIVE)
    pull = np.divide(p_t - p_b, t_b, out=np.full(codes.shape, np.nan), where=t_b > 0)
    return finish(pull * 100, codes, details)


def contribution_rate_kernel(part: Any, part_base: Any, total: Any, total_base: Any) -> Computed:
    """贡献率 %: ``(P_t − P_b) / (T_t − T_b) × 100``; Σ贡献率 over the parts = 100."""
    (p_t, p_b, t_t, t_b), codes, details = aligned(
        ("分项本期 part", _PART.numbers(part)),
        ("分项基期 part_base", _PART_BASE.numbers(part_base)),
        ("总量本期 total", _TOTAL.numbers(total)),
        ("总量基期 total_base", _TOTAL_BASE.numbers(total_base)),
    )
    delta = t_t - t_b
    codes = mark(codes, delta == 0, _NO_TOTAL_CHANGE)
    rate = np.divide(p_t - p_b, delta, out=np.full(codes.shape, np.nan), where=delta != 0)
    return finish(rate * 100, codes, details)


_SHARE_PART = Arg("部分 part")
_WHOLE = Arg("总体 total")
_WHOLE_ZERO = rule(ExcelError.DIV0, "总体为 0，无法计算占比（参数 total）")
_WHOLE_NEGATIVE = rule(ExcelError.NUM, "总体为负，占比无意义（参数 total）")


def share_kernel(part: Any, total: Any) -> Computed:
    """占比 / 比重 %: ``part / total × 100``."""
    (p, t), codes, details = aligned(
        ("部分 part", _SHARE_PART.numbers(part)), ("总体 total", _WHOLE.numbers(total))
    )
    codes = mark(codes, t == 0, _WHOLE_ZERO)
    codes = mark(codes, t < 0, _WHOLE_NEGATIVE)
    return finish(
        np.divide(p, t, out=np.full(codes.shape, np.nan), where=t > 0) * 100, codes, details
    )


contribution = public(contribution_kernel)
contribution_rate = public(contribution_rate_kernel)
share = public(share_kernel)
