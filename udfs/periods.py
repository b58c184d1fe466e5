"""Reporting periods: reading the labels bureaus write, and time progress (序时进度).

Periods are cumulative from January (domain.md §1.6): 1-2月 … 1-12月, 一季度 = 1-3月,
上半年 = 1-6月, 前三季度 = 1-9月, 全年 = 1-12月. A single quarter (二季度, 2026Q2) or a single
month (3月, 当月) is also understood. For time progress only the last month counts:
``序时进度 = months_elapsed / 12 × 100``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from udfs.cleaning import fold

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_NUM = r"(\d{1,2}|十一|十二|十|[一二两三四五六七八九])"
_DASH = r"(?:-|—|–|―|~|～|至|到)"
_YEAR = r"(?:(\d{4})年?(?:度)?)?"

# Excel's serial 1 is 1900-01-01; the 1900 leap-year bug makes 1899-12-30 serial 0.
_EXCEL_EPOCH = dt.date(1899, 12, 30)


#: The messages of a label we cannot read; ``{}`` takes the label as the user wrote it.
UNREADABLE = "无法识别的期别「{}」（可写 1-9月、前三季度、2026Q3、2026年1-9月 等）"
NOT_A_MONTH = "无法识别的期别：{}（月份应为 1-12，日期应为 Excel 日期）"
NOT_A_LABEL = "无法识别的期别：{}"
PERIOD_MESSAGES = (UNREADABLE, NOT_A_MONTH, NOT_A_LABEL)


class PeriodError(ValueError):
    """A label that is not a period we can read; the message is in Chinese.

    ``template`` (one of :data:`PERIOD_MESSAGES`) says what is wrong, ``detail`` is the label as
    the user wrote it.
    """

    def __init__(self, template: str, detail: str):
        super().__init__(template.replace("{}", detail, 1))
        self.template = template
        self.detail = detail


@dataclass(frozen=True)
class Period:
    """A reporting period: ``year`` (None if the label has none), ``first_month``, ``last_month``."""

    year: int | None
    first_month: int
    last_month: int

    @property
    def months_elapsed(self) -> int:
        """Months of the year that have passed at the end of the period."""
        return self.last_month

    @property
    def is_cumulative(self) -> bool:
        """True for 1-N月 style periods (累计), False for a single month or quarter."""
        return self.first_month == 1

    @property
    def time_progress(self) -> float:
        """序时进度 in percent: ``last_month / 12 × 100``."""
        return self.last_month / 12 * 100

    def label(self) -> str:
        """The label in the bureau's usual form: ``2026年1-9月`` (or ``3月`` for one month)."""
        year = f"{self.year}年" if self.year else ""
        if self.first_month == self.last_month:
            return f"{year}{self.last_month}月"
        return f"{year}{self.first_month}-{self.last_month}月"


def _n(text: str) -> int:
    return int(text) if text.isdigit() else _CN_DIGITS[text]


def _year(text: str | None) -> int | None:
    return int(text) if text else None


_QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_NAMED = {
    "上半年": (1, 6),
    "下半年": (7, 12),
    "前三季度": (1, 9),
    "全年": (1, 12),
    "全年累计": (1, 12),
    "一至三季度": (1, 9),
    "一季度": (1, 3),
    "第一季度": (1, 3),
    "一至二季度": (1, 6),
    "年度": (1, 12),
}

_PATTERNS: list[tuple[re.Pattern[str], Any]] = [
    # 2026年1-9月, 1-9月, 1—9 月份, 1至9月, 2026年1~9月末
    (
        re.compile(rf"^{_YEAR}{_NUM}月?{_DASH}{_NUM}月(?:份)?(?:累计|末|底)?$"),
        lambda m: (_year(m[1]), _n(m[2]), _n(m[3])),
    ),
    # 前9个月, 2026年前三个月
    (re.compile(rf"^{_YEAR}前{_NUM}个?月(?:累计)?$"), lambda m: (_year(m[1]), 1, _n(m[2]))),
    # 2026Q3, 2026-Q3, Q3, 2026年Q3
    (
        re.compile(r"^(?:(\d{4})(?:年|-|_)?)?Q([1-4])$", re.IGNORECASE),
        lambda m: (_year(m[1]), *_QUARTERS[int(m[2])]),
    ),
    # 2026年三季度, 第三季度, 3季度, 三季度末
    (
        re.compile(rf"^{_YEAR}第?([1-4一二三四])季度(?:末|度末)?$"),
        lambda m: (_year(m[1]), *_QUARTERS[_n(m[2])]),
    ),
    # 2026年上半年, 2026年前三季度, 全年
    (
        re.compile(r"^(?:(\d{4})年?)?(" + "|".join(sorted(_NAMED, key=len, reverse=True)) + ")$"),
        lambda m: (_year(m[1]), *_NAMED[m[2]]),
    ),
    # 2026年9月, 9月, 9月份, 截至9月底, 9月末, 2026-09, 2026.9
    (
        re.compile(rf"^(?:截至|截止)?{_YEAR}{_NUM}月(?:份)?(?:末|底)?$"),
        lambda m: (_year(m[1]), _n(m[2]), _n(m[2])),
    ),
    (re.compile(r"^(\d{4})[-./](\d{1,2})$"), lambda m: (int(m[1]), int(m[2]), int(m[2]))),
]


def parse_period(label: Any) -> Period:
    """Read a period label, an Excel date, or a month number.

    Accepts 1-2月 … 1-12月 with any dash (- — － ~ 至) and spaces, 1至N月, 前N个月,
    一季度…四季度, 上半年, 前三季度, 全年, 2026Q3, 2026年三季度, 2026年1-9月, N月,
    a ``datetime``/``date`` (the period ends in its month), an Excel date serial number
    (≥ 367), or a whole number 1–12 (that month). Raises :class:`PeriodError` otherwise.
    """
    if isinstance(label, bool):
        raise PeriodError(NOT_A_LABEL, repr(label))
    if isinstance(label, (dt.date, dt.datetime)):
        return Period(label.year, 1, label.month)
    if isinstance(label, (int, float)):
        return _from_number(float(label))
    if not isinstance(label, str):
        raise PeriodError(NOT_A_LABEL, repr(label))
    text = fold(label)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _from_number(float(text))
    for pattern, build in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, first, last = build(match)
            if not (1 <= first <= last <= 12):
                break
            return Period(year, first, last)
    raise PeriodError(UNREADABLE, label)


def _from_number(number: float) -> Period:
    if number.is_integer() and 1 <= number <= 12:
        return Period(None, 1, int(number))
    if number >= 367:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(number))
        return Period(day.year, 1, day.month)
    raise PeriodError(NOT_A_MONTH, f"{number:g}")


__all__ = ["Period", "PeriodError", "parse_period"]
