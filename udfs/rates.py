"""Growth rates: 同比/累计增长, 年均增长, 两年平均增长 (docs/definitions.md §2).

All rates are percent numbers: 6.7 means 6.7 %.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from udfs.cleaning import Arg, is_omitted
from udfs.core import Computed, aligned, finish, public, rule
from udfs.errors import ExcelError, mark

_CURRENT = Arg("本期值 current")
_BASE = Arg("基期值 base")
_PRICE = Arg("价格指数 price_index")
_BASE_ZERO = rule(ExcelError.DIV0, "基期值为 0，无法计算增长（参数 base）")
_BASE_NEGATIVE = rule(ExcelError.NUM, "基期值为负，增长率无意义（参数 base）")
_PRICE_NOT_POSITIVE = rule(ExcelError.NUM, "价格指数应为正数（上年=100）（参数 price_index）")


def growth_kernel(current: Any, base: Any, price_index: Any = None) -> Computed:
    """同比增长 ``(X_t / X_b − 1) × 100``; with a price index P (上年=100) the real growth
    ``(X_t / X_b / (P/100) − 1) × 100``. For 累计增长 pass the cumulative levels (ΣX_t, ΣX_b)."""
    args = [("本期值 current", _CURRENT.numbers(current)), ("基期值 base", _BASE.numbers(base))]
    deflate = not is_omitted(price_index)
    if deflate:
        args.append(("价格指数 price_index", _PRICE.numbers(price_index)))
    values, codes, details = aligned(*args)
    x_t, x_b = values[0], values[1]
    codes = mark(codes, x_b == 0, _BASE_ZERO)
    codes = mark(codes, x_b < 0, _BASE_NEGATIVE)
    # (X_t − X_b·P/100) / (X_b·P/100) × 100 is the same rate written so that exact inputs give
    # exact outputs: growth(110, 100) is 10.0, not 10.000000000000009.
    if deflate:
        price = values[2]
        codes = mark(codes, price <= 0, _PRICE_NOT_POSITIVE)
        base = x_b * price
        current = x_t * 100
    else:
        base, current = x_b, x_t
    ok = (x_b > 0) & (base > 0)
    rate = np.divide(current - base, base, out=np.full(codes.shape, np.nan), where=ok)
    return finish(rate * 100, codes, details)


_END = Arg("期末值 end_value")
_START = Arg("期初值 start_value")
_YEARS = Arg("年数 years")
_START_ZERO = rule(ExcelError.DIV0, "期初值为 0，无法计算年均增长（参数 start_value）")
_START_NEGATIVE = rule(ExcelError.NUM, "期初值为负，年均增长无意义（参数 start_value）")
_END_NEGATIVE = rule(ExcelError.NUM, "期末值为负，年均增长无意义（参数 end_value）")
_YEARS_NOT_POSITIVE = rule(ExcelError.NUM, "年数应大于 0（参数 years）")


def avg_growth_kernel(end_value: Any, start_value: Any, years: Any) -> Computed:
    """年均增长 (水平法, geometric): ``((X_T / X_0)^(1/n) − 1) × 100``."""
    (x_end, x_start, n), codes, details = aligned(
        ("期末值 end_value", _END.numbers(end_value)),
        ("期初值 start_value", _START.numbers(start_value)),
        ("年数 years", _YEARS.numbers(years)),
    )
    codes = mark(codes, x_start == 0, _START_ZERO)
    codes = mark(codes, x_start < 0, _START_NEGATIVE)
    codes = mark(codes, x_end < 0, _END_NEGATIVE)
    codes = mark(codes, ~(n > 0), _YEARS_NOT_POSITIVE)
    ok = (x_start > 0) & (x_end >= 0) & (n > 0)
    ratio = np.divide(x_end, x_start, out=np.ones(codes.shape), where=ok)
    exponent = np.divide(1.0, n, out=np.ones(codes.shape), where=ok)
    return finish((np.power(ratio, exponent) - 1) * 100, codes, details)


_RATE = Arg("本年增速 rate")
_RATE_LAST = Arg("上年增速 rate_last_year")
_BELOW_MINUS_100 = rule(ExcelError.NUM, "增速低于 -100%，两年平均无意义")


def two_year_avg_kernel(rate: Any, rate_last_year: Any) -> Computed:
    """两年平均增长 (geometric): ``(sqrt((1+g1/100)(1+g2/100)) − 1) × 100``."""
    (g1, g2), codes, details = aligned(
        ("本年增速 rate", _RATE.numbers(rate)),
        ("上年增速 rate_last_year", _RATE_LAST.numbers(rate_last_year)),
    )
    product = (1 + g1 / 100) * (1 + g2 / 100)
    codes = mark(codes, (g1 < -100) | (g2 < -100), _BELOW_MINUS_100)
    root = np.sqrt(np.where(product >= 0, product, np.nan))
    return finish((root - 1) * 100, codes, details)


growth = public(growth_kernel)
avg_growth = public(avg_growth_kernel)
two_year_avg = public(two_year_avg_kernel)
