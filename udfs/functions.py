"""The ``TJ_`` functions of the add-in: what each computes, its arguments and their help.

This is the one registry (:data:`FUNCTIONS`, built once at import) behind the Excel layer
(:mod:`udfs.excel` registers each with xlwings), the formula engine of ``tongji compute``, the
catalog (``tongji functions``, the README, 函数说明) and the add-in build. It does not import
xlwings. Each function takes cell values as Excel sends them (a value, or rows of values) and
returns a :class:`~udfs.core.Computed`: the values and a reason code per element (see
:mod:`udfs.errors`). The docstrings are the Function Wizard's help (Chinese, at most 255
characters).

Why ``TJ_``: Excel's built-in ``GROWTH`` (exponential trend) always wins over an add-in function
of the same name and would silently return a wrong number, and classic (VBA) names cannot be
namespaced with a dot. Every function of the add-in therefore carries the prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from udfs import phrase_cells, ranking, rates, shares, targets
from udfs.core import Computed, ShapeMismatch, shape_error
from udfs.errors import seal


def _call(kernel: Callable[..., Computed], *args: Any) -> Computed:
    try:
        with np.errstate(all="ignore"):  # overflow and 0/0 become reason codes, not warnings
            return kernel(*args)
    except ShapeMismatch as exc:
        return shape_error(exc)


def tj_function(**arg_docs: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a ``TJ_`` function with the Chinese help of each argument (``__tj_args__``), which
    the Excel registration (:mod:`udfs.excel`), the catalog and the add-in build read."""

    def mark(function: Callable[..., Any]) -> Callable[..., Any]:
        function.__tj_args__ = dict(arg_docs)  # type: ignore[attr-defined]
        return function

    return mark


# --- Growth ------------------------------------------------------------------------------


@tj_function(
    current="本期值（累计增长用本期累计）",
    base="基期值，通常为上年同期",
    price_index="可选：价格指数（上年=100），给出时计算按可比价格的实际增长",
)
def TJ_GROWTH(current, base, price_index=None):
    """同比/累计增长率(%)：(本期÷基期−1)×100；给出价格指数时为实际增长。基期为0得 #DIV/0!，为负得 #NUM!，缺数得 #N/A。"""
    return _call(rates.growth_kernel, current, base, price_index)


@tj_function(end_value="期末值", start_value="期初值（基年）", years="间隔年数 n")
def TJ_AVG_GROWTH(end_value, start_value, years):
    """年均增长率(%)，水平法（几何平均）：((期末÷期初)^(1/n)−1)×100。"""
    return _call(rates.avg_growth_kernel, end_value, start_value, years)


@tj_function(rate="本年增速(%)", rate_last_year="上年同期增速(%)")
def TJ_TWO_YEAR_AVG(rate, rate_last_year):
    """两年平均增长率(%)（几何平均）：(√((1+本年%)(1+上年%))−1)×100。"""
    return _call(rates.two_year_avg_kernel, rate, rate_last_year)


# --- Contribution and share --------------------------------------------------------------


@tj_function(part="分项本期值", part_base="分项基期值", total_base="总量基期值")
def TJ_CONTRIBUTION(part, part_base, total_base):
    """拉动（百分点）：(分项本期−分项基期)÷总量基期×100。各分项拉动之和等于总量增速。"""
    return _call(shares.contribution_kernel, part, part_base, total_base)


@tj_function(part="分项本期值", part_base="分项基期值", total="总量本期值", total_base="总量基期值")
def TJ_CONTRIBUTION_RATE(part, part_base, total, total_base):
    """贡献率(%)：分项增量÷总量增量×100。各分项贡献率之和为100。"""
    return _call(shares.contribution_rate_kernel, part, part_base, total, total_base)


@tj_function(part="部分", total="总体")
def TJ_SHARE(part, total):
    """占比/比重(%)：部分÷总体×100。"""
    return _call(shares.share_kernel, part, total)


# --- Targets and progress ----------------------------------------------------------------


@tj_function(actual="本期累计完成值", target="年度目标值")
def TJ_COMPLETION(actual, target):
    """完成年度目标(%)：累计完成÷年度目标×100，可超过100。目标为0得 #DIV/0!。"""
    return _call(targets.completion_kernel, actual, target)


@tj_function(period="期别：1-9月、前三季度、上半年、2026Q3、2026年1-9月、N月，或日期")
def TJ_TIME_PROGRESS(period):
    """序时进度(%)：已过月数÷12×100（一季度25，1-4月33.33，上半年50）。无法识别的期别得 #VALUE!。"""
    return _call(targets.time_progress_kernel, period)


@tj_function(actual="本期累计完成值", target="年度目标值", period="期别，如 1-9月")
def TJ_SCHEDULE_GAP(actual, target, period):
    """超/欠序时进度（百分点）：完成率−序时进度；正数为超，负数为欠。"""
    return _call(targets.schedule_gap_kernel, actual, target, period)


@tj_function(
    actual="本期累计完成值",
    target="年度目标值",
    period="可选：期别；给出时计算距序时目标（目标×序时进度）的差距",
)
def TJ_GAP_TO_TARGET(actual, target, period=None):
    """差距/缺口：目标−完成（正数为还差，负数为已超）；给出期别时对按序时分解的目标。"""
    return _call(targets.gap_to_target_kernel, actual, target, period)


@tj_function(
    target="年度目标（绝对量）",
    actual_ytd="本年累计完成",
    base_full="上年全年",
    base_ytd="上年同期累计",
)
def TJ_REQUIRED_GROWTH(target, actual_ytd, base_full, base_ytd):
    """完成年度绝对量目标，剩余月份还需增长(%)：(目标−本年累计)÷(上年全年−上年同期累计)×100−100。"""
    return _call(targets.required_growth_kernel, target, actual_ytd, base_full, base_ytd)


@tj_function(
    target_rate="年度目标增速(%)",
    rate_ytd="本年累计增速(%)",
    base_full="上年全年（权数）",
    base_ytd="上年同期累计（权数）",
)
def TJ_REQUIRED_GROWTH_RATE(target_rate, rate_ytd, base_full, base_ytd):
    """完成年度增速目标，剩余时间还需增长(%)：((1+目标%)×上年全年−(1+累计%)×上年同期)÷上年剩余×100−100。"""
    return _call(targets.required_growth_rate_kernel, target_rate, rate_ytd, base_full, base_ytd)


# --- Ranking -----------------------------------------------------------------------------


@tj_function(
    value="要排位的值（单元格或整列，整列时一次返回全部位次）",
    peers="参与排位的区域（不含全市、合计等汇总行）",
    descending="可选：TRUE 降序（默认，越大越靠前），FALSE 升序",
    decimals="可选：按公布的小数位数四舍五入后排位（产生并列）",
)
def TJ_RANK(value, peers, descending=True, decimals=None):
    """位次：竞争排名（1,2,2,4，并列取前位）；空值与占位符不参与排位。"""
    return _call(ranking.rank_kernel, value, peers, descending, decimals)


@tj_function(rank="本期位次", rank_previous="上期位次")
def TJ_RANK_CHANGE(rank, rank_previous):
    """位次变化：上期位次−本期位次；正数为前移，负数为后退，0为持平；无上期位次时为空（无法比较）。"""
    return _call(ranking.rank_change_kernel, rank, rank_previous)


# --- Phrases of analysis text (text results; docs/definitions.md §5) ----------------------


@tj_function(
    rate="增速(%)，如 6.7 或 -4.8",
    decimals="可选：公布的小数位数（默认 1），先按公布数四舍五入",
)
def TJ_PHRASE_GROWTH(rate, decimals=None):
    """增速的写法：增长6.7%、下降4.8%（不写“增长-4.8%”），公布数为0时写“持平”。四舍五入为“四舍五入、远离零”（-0.05→下降0.1%）。"""
    return _call(phrase_cells.growth_kernel, rate, decimals)


@tj_function(
    rate="本单位增速(%)",
    benchmark_rate="对比对象的增速(%)，如全市、全省增速",
    benchmark="可选：对比对象名称（默认“全市”），如 全省、全国",
    decimals="可选：增速公布的小数位数（默认 1）；差值按两个公布数相减",
)
def TJ_PHRASE_VS(rate, benchmark_rate, benchmark=None, decimals=None):
    """与全市（全省）比较的写法：高于全市0.1个百分点、低于全省1.2个百分点、与全市持平。差值取两个公布数之差，小数位与增速相同。"""
    return _call(phrase_cells.vs_kernel, rate, benchmark_rate, benchmark, decimals)


@tj_function(
    rate="本期增速(%)",
    rate_before="对比期增速(%)，如一季度、上年同期增速",
    reference="可选：对比期名称，如 一季度、上半年、1-8月（省略则不写“较…”）",
    decimals="可选：增速公布的小数位数（默认 1）",
)
def TJ_PHRASE_CHANGE(rate, rate_before, reference=None, decimals=None):
    """增速变化的写法：较一季度提高0.8个百分点、回落1.5个百分点；两期均为负增长时写“降幅收窄/扩大”；不变写“与一季度持平”。"""
    return _call(phrase_cells.change_kernel, rate, rate_before, reference, decimals)


@tj_function(
    rank="本期位次（正整数）",
    rank_previous="可选：上期位次；为空则不写位次变化",
    scope="可选：排位范围（默认“全市”），如 全省；填“无”则写“居第N位”",
    reference="可选：对比期名称（默认“上季度”），如 上半年、上年同期",
    count="可选：参与排位的单位数；给出时后几位写作“倒数第N位”“末位”",
)
def TJ_PHRASE_RANK(rank, rank_previous=None, scope=None, reference=None, count=None):
    """位次的写法：居全市第3位，较上季度前移2位；居全市首位；与上季度持平；给出单位数时后三位（且在后一半）写“倒数第2位”“末位”。无上期位次时不写变化。"""
    return _call(phrase_cells.rank_kernel, rank, rank_previous, scope, reference, count)


@tj_function(
    completion="完成年度目标(%)，如 76.3",
    period="可选：期别，如 1-9月、前三季度；给出时写超/差序时进度",
    decimals="可选：完成率公布的小数位数（默认 1）",
    target="可选：目标的称谓（默认“年度目标”），如 年度任务、年度投资计划",
)
def TJ_PHRASE_COMPLETION(completion, period=None, decimals=None, target=None):
    """完成目标的写法：完成年度目标的76.3%，超序时进度1.3个百分点 / 差序时进度8.1个百分点。序时进度差按公布的完成率计算。"""
    return _call(phrase_cells.completion_kernel, completion, period, decimals, target)


@tj_function(
    value="数值（绝对量）",
    unit="计量单位，如 亿元、万元、元",
    decimals="可选：公布的小数位数（默认保留数值本身的小数，最多2位：1.73万元仍为1.73万元）",
    to_unit="可选：换算为的单位（元、万元、亿元之间），如 万元→亿元",
)
def TJ_PHRASE_AMOUNT(value, unit, decimals=None, to_unit=None):
    """绝对量的写法：63.2亿元、1.73万元、17176万元（不加千位分隔符），按公布的小数位四舍五入（未给小数位时保留数值本身的小数，最多2位），可在元、万元、亿元之间换算。"""
    return _call(phrase_cells.amount_kernel, value, unit, decimals, to_unit)


#: Every Excel function of the add-in, by its Excel name.
FUNCTIONS: dict[str, Callable[..., Computed]] = {
    name: value for name, value in sorted(globals().items()) if name.startswith("TJ_")
}

seal()  # every reason code is registered now; nothing a user types adds one
