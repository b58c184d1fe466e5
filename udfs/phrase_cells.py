"""The ``TJ_PHRASE_…`` cell functions: the phrases of :mod:`udfs.phrases`, vectorised.

Each kernel cleans its arguments the way every ``TJ_`` function does (:mod:`udfs.cleaning`:
numbers stored as text, full-width digits, placeholders meaning no data), lines them up
(:func:`udfs.core.aligned`: same-shaped ranges, or a range against one cell) and returns a
:class:`~udfs.core.Computed` whose values are the phrases (an object array of text) and whose
codes say why an element has none (``#N/A`` missing figure, ``#VALUE!`` text that is no number,
``#NUM!`` a rank that is no positive whole number …). An error is never text that looks like a
phrase, and a phrase never starts with ``#`` (the classic add-in's error markers).

Options that shape the phrase (decimals) are single values; texts (the benchmark's name, the
unit, the period compared with) may be a range lined up with the figures, like the 计量单位
column of a main-indicator sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from udfs import phrases
from udfs.cleaning import Arg, fold, is_omitted
from udfs.core import NO_DETAILS, Computed, aligned, error_everywhere, rule
from udfs.errors import (
    COM_ERRORS,
    ERROR_LITERALS,
    OFFICEJS_ERRORS,
    OK,
    ExcelError,
    error_kind,
    mark,
    reason,
)
from udfs.targets import time_progress_kernel

_BAD_DECIMALS = rule(ExcelError.VALUE, "小数位数「{}」应为 0-10 的整数（参数 decimals）")
_NOT_WHOLE_RANK = rule(ExcelError.NUM, "位次应为正整数（参数 rank / rank_previous）")
_RANK_OVER_COUNT = rule(ExcelError.NUM, "位次或上期位次大于参与排位的单位数（参数 count）")
_BAD_COUNT = rule(ExcelError.NUM, "参与排位的单位数应为正整数（参数 count）")
_NO_CONVERSION = rule(
    ExcelError.VALUE, "无法换算单位：只能在元、万元、亿元之间换算（参数 unit / to_unit）"
)


class TextArg:
    """A text argument (a name, a unit, a period word): omitted or blank gives the default,
    a number is refused (``#VALUE!``), an error value coming in is passed on."""

    def __init__(self, label: str):
        self.label = label
        self.not_text = reason(ExcelError.VALUE, f"参数「{label}」应为文字")
        self.passed_on = {
            literal: reason(
                error_kind(literal), f"参数「{label}」引用的单元格本身是错误值 {literal}"
            )
            for literal in sorted(ERROR_LITERALS)
        }

    def texts(self, value: Any, default: str) -> Computed:
        """Cleaned texts (object array) and reason codes of the same shape."""
        arr = np.asarray(value, dtype=object) if not isinstance(value, str) else None
        if arr is None or arr.ndim == 0:
            text, code = self._one(value, default)
            return Computed(np.array(text, dtype=object), np.array(code, dtype=np.int16))
        texts = np.empty(arr.shape, dtype=object)
        codes = np.zeros(arr.shape, dtype=np.int16)
        for index, cell in np.ndenumerate(arr):
            texts[index], codes[index] = self._one(cell, default)
        return Computed(texts, codes)

    def _one(self, cell: Any, default: str) -> tuple[str, int]:
        if cell is None or (isinstance(cell, str) and fold(cell) == ""):
            return default, OK
        if isinstance(cell, str):
            folded = fold(cell)
            if folded.upper() in ERROR_LITERALS:
                return "", self.passed_on[folded.upper()]
            return cell.strip(), OK
        if isinstance(cell, dict) and cell.get("type") == "Error":
            return "", self.passed_on[OFFICEJS_ERRORS.get(cell.get("errorType", ""), "#VALUE!")]
        if isinstance(cell, int) and not isinstance(cell, bool) and cell in COM_ERRORS:
            # an error cell as classic Excel (and the Calc extension) hands it over
            return "", self.passed_on[COM_ERRORS[cell]]
        return "", self.not_text


def _decimals(decimals: Any, default: int) -> int | None:
    """The published decimals: ``default`` when omitted, None when unreadable."""
    if is_omitted(decimals):
        return default
    try:
        number = float(fold(decimals)) if isinstance(decimals, str) else float(decimals)
    except (TypeError, ValueError):
        return None
    if isinstance(decimals, bool) or not number.is_integer() or not 0 <= number <= 10:
        return None
    return int(number)


def _phrases(
    build: Callable[..., str],
    values: list[np.ndarray],
    codes: np.ndarray,
    details: Mapping[int, str] = NO_DETAILS,
) -> Computed:
    """``build(*element values)`` for every element without a problem; the rest stay None."""
    out = np.full(codes.shape, None, dtype=object)
    for index in np.ndindex(codes.shape):
        if codes[index] == OK:
            out[index] = build(*(v[index] for v in values))
    return Computed(out, codes.astype(np.int16), details)


def _number(value: Any) -> float:
    return float(value)


_RATE = Arg("增速 rate")


def growth_kernel(rate: Any, decimals: Any = None) -> Computed:
    """增长6.7% / 下降4.8% / 持平 of a rate (%), at the published decimals (default 1)."""
    places = _decimals(decimals, 1)
    if places is None:
        return error_everywhere(_BAD_DECIMALS, str(decimals))
    (g,), codes, details = aligned(("增速 rate", _RATE.numbers(rate)))
    return _phrases(lambda x: phrases.growth_phrase(_number(x), places), [g], codes, details)


_BENCHMARK_RATE = Arg("对比增速 benchmark_rate")
_BENCHMARK_NAME = TextArg("对比对象 benchmark")


def vs_kernel(
    rate: Any, benchmark_rate: Any, benchmark: Any = None, decimals: Any = None
) -> Computed:
    """高于全市0.1个百分点 / 低于全省1.2个百分点 / 与全市持平: the difference of the published
    rates (default 1 decimal); ``benchmark`` names what is compared with (default 全市)."""
    places = _decimals(decimals, 1)
    if places is None:
        return error_everywhere(_BAD_DECIMALS, str(decimals))
    (g, b, name), codes, details = aligned(
        ("增速 rate", _RATE.numbers(rate)),
        ("对比增速 benchmark_rate", _BENCHMARK_RATE.numbers(benchmark_rate)),
        ("对比对象 benchmark", _BENCHMARK_NAME.texts(benchmark, "全市")),
    )
    return _phrases(
        lambda x, y, n: phrases.vs_phrase(_number(x), _number(y), n, places),
        [g, b, name],
        codes,
        details,
    )


_RATE_BEFORE = Arg("对比期增速 rate_before")
_REFERENCE = TextArg("对比期 reference")


def change_kernel(
    rate: Any, rate_before: Any, reference: Any = None, decimals: Any = None
) -> Computed:
    """较一季度提高0.8个百分点 / 回落 / 降幅收窄 / 降幅扩大 / 与一季度持平."""
    places = _decimals(decimals, 1)
    if places is None:
        return error_everywhere(_BAD_DECIMALS, str(decimals))
    (g, b, ref), codes, details = aligned(
        ("增速 rate", _RATE.numbers(rate)),
        ("对比期增速 rate_before", _RATE_BEFORE.numbers(rate_before)),
        ("对比期 reference", _REFERENCE.texts(reference, "")),
    )
    return _phrases(
        lambda x, y, r: phrases.change_phrase(_number(x), _number(y), r, places),
        [g, b, ref],
        codes,
        details,
    )


_RANK = Arg("位次 rank")
_RANK_PREVIOUS = Arg("上期位次 rank_previous")
_SCOPE = TextArg("排位范围 scope")
_RANK_REFERENCE = TextArg("对比期 reference")
_COUNT = Arg("参与排位单位数 count")
#: A scope written as one of these gives 居第7位 (no 全市).
_NO_SCOPE = frozenset({"无", "-", "—", "/"})


def _whole(values: np.ndarray) -> np.ndarray:
    return np.isfinite(values) & (values >= 1) & (np.floor(values) == values)


def rank_kernel(
    rank: Any,
    rank_previous: Any = None,
    scope: Any = None,
    reference: Any = None,
    count: Any = None,
) -> Computed:
    """居全市第3位，较上季度前移2位 / 居全市首位 / 居全市倒数第2位 (with ``count``); no previous
    rank: the place alone (nothing said about the change)."""
    previous = (
        Computed(np.array(np.nan), np.array(OK, dtype=np.int16))
        if is_omitted(rank_previous)
        else _RANK_PREVIOUS.numbers(rank_previous)
    )
    # A blank previous rank means "no previous period": the change is left out, not an error.
    previous = Computed(
        previous.values,
        np.where(previous.codes == _RANK_PREVIOUS.missing, np.int16(OK), previous.codes).astype(
            np.int16
        ),
        previous.details,
    )
    counted = (
        Computed(np.array(np.nan), np.array(OK, dtype=np.int16))
        if is_omitted(count)
        else _COUNT.numbers(count)
    )
    (r, p, where, since, n), codes, details = aligned(
        ("位次 rank", _RANK.numbers(rank)),
        ("上期位次 rank_previous", previous),
        ("排位范围 scope", _SCOPE.texts(scope, "全市")),
        ("对比期 reference", _RANK_REFERENCE.texts(reference, "上季度")),
        ("参与排位单位数 count", counted),
    )
    codes = mark(codes, ~_whole(r) | (np.isfinite(p) & ~_whole(p)), _NOT_WHOLE_RANK)
    codes = mark(codes, np.isfinite(n) & ~_whole(n), _BAD_COUNT)
    codes = mark(codes, np.isfinite(n) & ((r > n) | (np.isfinite(p) & (p > n))), _RANK_OVER_COUNT)

    def build(x: Any, y: Any, s: str, ref: str, k: Any) -> str:
        before = None if np.isnan(y) else int(y)
        units = None if np.isnan(k) else int(k)
        return phrases.rank_phrase(int(x), before, "" if s in _NO_SCOPE else s, ref, units)

    return _phrases(build, [r, p, where, since, n], codes, details)


_COMPLETION = Arg("完成率 completion")
_TARGET_WORD = TextArg("目标称谓 target")


def completion_kernel(
    completion: Any, period: Any = None, decimals: Any = None, target: Any = None
) -> Computed:
    """完成年度目标的76.3%，超序时进度1.3个百分点 / 差序时进度8.1个百分点: the completion (%)
    and, with a period, the schedule gap of the published completion against the time
    progress at the same decimals."""
    places = _decimals(decimals, 1)
    if places is None:
        return error_everywhere(_BAD_DECIMALS, str(decimals))
    args = [
        ("完成率 completion", _COMPLETION.numbers(completion)),
        ("目标称谓 target", _TARGET_WORD.texts(target, "年度目标")),
    ]
    with_period = not is_omitted(period)
    if with_period:
        args.append(("期别 period", time_progress_kernel(period)))
    values, codes, details = aligned(*args)

    def build(c: Any, word: str, progress: Any = None) -> str:
        p = None if progress is None else _number(progress)
        return phrases.completion_phrase(_number(c), p, places, word)

    return _phrases(build, values, codes, details)


_AMOUNT = Arg("数值 value")
_UNIT = TextArg("计量单位 unit")
_TO_UNIT = TextArg("换算为 to_unit")


def amount_kernel(value: Any, unit: Any, decimals: Any = None, to_unit: Any = None) -> Computed:
    """63.2亿元 / 1.73万元 / 17176万元: the amount at the published decimals with its unit,
    converted between 元/万元/亿元 when ``to_unit`` is given."""
    places: int | None = None
    if not is_omitted(decimals):
        places = _decimals(decimals, 0)
        if places is None:
            return error_everywhere(_BAD_DECIMALS, str(decimals))
    (x, u, to), codes, details = aligned(
        ("数值 value", _AMOUNT.numbers(value)),
        ("计量单位 unit", _UNIT.texts(unit, "")),
        ("换算为 to_unit", _TO_UNIT.texts(to_unit, "")),
    )
    factors = phrases.AMOUNT_FACTORS
    convertible = np.asarray(
        np.frompyfunc(lambda a, b: not b or a == b or (a in factors and b in factors), 2, 1)(u, to),
        dtype=bool,
    )
    codes = mark(codes, ~convertible, _NO_CONVERSION)
    return _phrases(
        lambda a, b, c: phrases.amount_phrase(_number(a), b, places, c or None),
        [x, u, to],
        codes,
        details,
    )


__all__ = [
    "TextArg",
    "amount_kernel",
    "change_kernel",
    "completion_kernel",
    "growth_kernel",
    "rank_kernel",
    "vs_kernel",
]
