"""Period labels inside sheet names, titles and formulas, and rolling them to another period.

Bureau workbooks name their period sheets and titles in a few styles; rolling a workbook forward
(刷新季度表) rewrites every label in the style it was written in:

==================  ===================  ======================
style               2026Q3               next quarter
==================  ===================  ======================
``Q``               2026Q3               2026Q4 (2026Q4 → 2027Q1)
``months``          2026年1-9月 / 1-9月   2026年1-12月 / 1-12月
``quarter``         2026年三季度 / 三季度  2026年四季度 / 四季度
``cumulative``      2026年前三季度         2026年全年 (一季度 → 上半年 → 前三季度 → 全年)
==================  ===================  ======================

Periods are cumulative from January and move a quarter at a time (:func:`shift`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from udfs import Period
from workbooks.formula.tokens import repoint

_CN = "一二三四"
_CUMULATIVE_WORDS = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
_WORD_MONTHS = {"一季度": 3, "上半年": 6, "前三季度": 9, "全年": 12}

_PATTERN = re.compile(
    r"(?P<q>(?P<qy>\d{4})\s*[Qq](?P<qn>[1-4]))"
    r"|(?P<m>(?:(?P<my>\d{4})年)?(?P<mf>1)\s*(?P<md>[-—–~至])\s*(?P<ml>1[0-2]|[1-9])\s*月)"
    r"|(?P<c>(?:(?P<cy>\d{4})年)?(?P<cw>前三季度|上半年|全年))"
    r"|(?P<w>(?:(?P<wy>\d{4})年)?第?(?P<wn>[一二三四])季度)"
)


@dataclass(frozen=True)
class Found:
    """One period label found in a text: where it is, what it means and how it is written."""

    start: int
    end: int
    period: Period
    style: str
    dash: str = "-"
    has_year: bool = True


def find_periods(text: str) -> list[Found]:
    """Every period label in ``text`` (sheet name, title, note), left to right."""
    found: list[Found] = []
    for m in _PATTERN.finditer(text):
        if m["q"]:
            q = int(m["qn"])
            found.append(Found(m.start(), m.end(), Period(int(m["qy"]), 1, q * 3), "Q"))
        elif m["m"]:
            year = int(m["my"]) if m["my"] else None
            period = Period(year, 1, int(m["ml"]))
            found.append(Found(m.start(), m.end(), period, "months", m["md"], year is not None))
        elif m["c"]:
            year = int(m["cy"]) if m["cy"] else None
            period = Period(year, 1, _WORD_MONTHS[m["cw"]])
            found.append(Found(m.start(), m.end(), period, "cumulative", "-", year is not None))
        else:
            year = int(m["wy"]) if m["wy"] else None
            period = Period(year, 1, (_CN.index(m["wn"]) + 1) * 3)
            found.append(Found(m.start(), m.end(), period, "quarter", "-", year is not None))
    return found


def period_of_name(name: str) -> Period | None:
    """The period a sheet is for, from a name such as ``2026Q3`` or ``城关县2026年1-9月``.

    Only labels with a year count (a sheet named ``1-9月`` could be any year)."""
    for found in find_periods(name):
        if found.period.year is not None:
            return found.period
    return None


def shift(period: Period, quarters: int) -> Period:
    """The cumulative period ``quarters`` quarters later (negative: earlier), e.g. 2026Q3 +1 → 2026Q4."""
    index = (period.year or 0) * 4 + period.last_month // 3 - 1 + quarters
    year, quarter = divmod(index, 4)
    return Period(year if period.year is not None else None, 1, (quarter + 1) * 3)


def quarters_between(old: Period, new: Period) -> int:
    """How many quarters ``new`` is after ``old``."""
    return ((new.year or 0) * 4 + new.last_month // 3) - ((old.year or 0) * 4 + old.last_month // 3)


def write_period(found: Found, period: Period) -> str:
    """``period`` written in the style ``found`` was written in."""
    year = f"{period.year}年" if found.has_year and period.year is not None else ""
    quarter = period.last_month // 3
    if found.style == "Q":
        return f"{period.year}Q{quarter}"
    if found.style == "months":
        return f"{year}1{found.dash}{period.last_month}月"
    if found.style == "cumulative":
        return f"{year}{_CUMULATIVE_WORDS[period.last_month]}"
    return f"{year}{_CN[quarter - 1]}季度"


def roll_text(text: str, quarters: int) -> str:
    """``text`` with every period label moved ``quarters`` quarters, each in its own style.

    A label without a year moves too (``1-9月`` → ``1-12月``); across a year end it wraps
    (``1-12月`` → ``1-3月``)."""
    found = find_periods(text)
    if not found:
        return text
    parts: list[str] = []
    last = 0
    for item in found:
        parts.append(text[last : item.start])
        parts.append(write_period(item, shift(item.period, quarters)))
        last = item.end
    parts.append(text[last:])
    return "".join(parts)


def rename_for(name: str, new: Period) -> str:
    """A sheet name rewritten for period ``new`` in the same style (2026Q3 → 2026Q4)."""
    old = period_of_name(name)
    if old is None:
        raise ValueError(f"工作表「{name}」的名称中没有期别")
    return roll_text(name, quarters_between(old, new))


def repoint_formula(formula: str, rename: dict[str, str]) -> str:
    """``formula`` with references to the sheets in ``rename`` pointed at their new names.

    Text inside string literals is left alone (the formula grammar is
    :mod:`workbooks.formula.tokens`)."""
    return repoint(formula, rename)


__all__ = [
    "Found",
    "find_periods",
    "period_of_name",
    "quarters_between",
    "rename_for",
    "repoint_formula",
    "roll_text",
    "shift",
    "write_period",
]
