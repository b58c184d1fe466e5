"""Period labels in a workbook: which sheets are for which period, and rolling them forward.

The grammar of the labels themselves (2026Q3, 2026年1-9月, 三季度, 上半年, 8月 …) is
:mod:`udfs.periods`; this module applies it to workbooks:

- **period sheets** (:func:`read_period_sheets`): every sheet whose name carries a period label.
  A name without a year (三季度, 8月, 1-8月) takes it from, in this order, the sheet's title (its
  first rows), the workbook's file name, the neighbouring period sheets (the nearest one before,
  then after, whose year is known: same year unless the months go back, which means a new
  year); when none gives it, the period stays without a year and the tab order of the sheets
  is their order in time;
- **the workbook's step**: a quarter when its names are written 2026Q3 / 三季度 / 上半年 or its
  periods are quarter ends a quarter apart, a month when they are written 2026年8月 / 8月 or are a
  month apart (1-7月, 1-8月), unknown with one 1-N月 sheet;
- **rolling** (刷新): a label is rewritten in the style it was written in, moved by the
  workbook's step: 2026Q3 → 2026Q4, 2026年1-7月 → 2026年1-8月, 一季度 → 上半年 → 前三季度 → 全年
  (or 一季度 → 二季度 in a workbook that writes 二季度/三季度), 1-12月 → next year's 1-3月
  (quarterly) or 1-2月 (monthly);
- **references** between period sheets in formulas (:func:`repoint_formula`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from udfs.periods import CUMULATIVE, Label, Period, Style, find_labels, format_period
from workbooks.formula.tokens import repoint

#: A period label found in a text (kept under its former name).
Found = Label


def find_periods(text: str) -> list[Found]:
    """Every period label in ``text`` (sheet name, title, note), left to right."""
    return find_labels(text)


def period_of_name(name: str) -> Period | None:
    """The period a sheet is for, from its name: ``2026Q3``, ``城关县2026年1-9月``, ``三季度``
    (no year: see :func:`read_period_sheets` for where the year then comes from)."""
    found = find_labels(name)
    return found[0].period if found else None


def shift(period: Period, steps: int, step: int = 3) -> Period:
    """The period ``steps`` steps of ``step`` months later (negative: earlier); by default a
    quarter: 2026Q3 +1 → 2026Q4."""
    return period.shift(steps, step)


def _quarter_family(label: Found, family: str | None) -> Found:
    """一季度 rolls to 上半年 in a workbook of 上半年/前三季度, to 二季度 in one of 二季度/三季度."""
    if family == "quarter" and label.style.form == "words" and label.period.last_month == 3:
        return replace(label, style=Style("quarter", label.style.year, cn=True))
    return label


def roll_text(text: str, steps: int, step: int = 3, family: str | None = None) -> str:
    """``text`` with every period label moved ``steps`` steps of ``step`` months (a quarter by
    default), each written in its own style. A label without a year moves too (``1-9月`` →
    ``1-12月``) and wraps at the year end (``1-12月`` → ``1-3月``). ``family`` ("quarter" or
    "words") says how the workbook continues 一季度."""
    found = find_labels(text)
    if not found or steps == 0:
        return text
    parts: list[str] = []
    last = 0
    for item in found:
        item = _quarter_family(item, family)
        parts.append(text[last : item.start])
        parts.append(format_period(item.period.shift(steps, step), item.style))
        last = item.end
    parts.append(text[last:])
    return "".join(parts)


def rename_for(name: str, new: Period, family: str | None = None) -> str:
    """A sheet name rewritten for period ``new`` in the same style (2026Q3 → 2026Q4, 上半年 →
    前三季度): the first period label of the name is replaced."""
    found = find_labels(name)
    if not found:
        raise ValueError(f"工作表「{name}」的名称中没有期别")
    first = _quarter_family(found[0], family)
    return name[: first.start] + format_period(new, first.style) + name[first.end :]


@dataclass(frozen=True)
class PeriodSheet:
    """A sheet whose name carries a period: the label in the name, the period with the year
    filled in where it could be found, and where the year came from (名称, 标题, 文件名,
    相邻工作表, or "" when nothing gave it)."""

    name: str
    label: Found
    period: Period
    year_from: str


def _key(period: Period) -> tuple[int, int, str]:
    return (period.year or 0, period.last_month, period.kind)


def same_period(a: Period, b: Period) -> bool:
    """The same report: same end month and kind, and the same year where both have one
    (a point 3月末 and a plain 3月 are the same report)."""
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    if a.last_month != b.last_month:
        return False
    single = {a.kind == "single", b.kind == "single"}
    return len(single) == 1 and (a.kind != "single" or a.first_month == b.first_month)


@dataclass
class PeriodSheets:
    """The period sheets of a workbook (tab order) and how the workbook moves from period to
    period (see the module docstring)."""

    sheets: list[PeriodSheet]
    step: int | None
    family: str  # how 一季度 continues: "words" (上半年) or "quarter" (二季度)

    def periods(self) -> list[Period]:
        """The distinct periods, earliest first."""
        seen: list[Period] = []
        for sheet in self._ordered():
            if not any(_key(p) == _key(sheet.period) for p in seen):
                seen.append(sheet.period)
        return seen

    def _ordered(self) -> list[PeriodSheet]:
        if all(s.period.year is not None for s in self.sheets):
            return sorted(self.sheets, key=lambda s: (s.period.year, s.period.last_month))
        return list(self.sheets)  # no year: tab order is time order

    def latest(self) -> Period:
        return self.periods()[-1]

    def names_of(self, period: Period) -> list[str]:
        """Sheets of ``period`` in tab order."""
        return [s.name for s in self.sheets if _key(s.period) == _key(period)]

    def by_name(self) -> dict[str, Period]:
        return {s.name: s.period for s in self.sheets}

    def sheet(self, name: str) -> PeriodSheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    def previous(self, name: str) -> str | None:
        """The sheet of the period before ``name``'s that has the same name apart from the
        period (2026Q3 → 2026Q2, 青川县2026年1-8月 → 青川县2026年1-7月, 上半年 → 一季度), else
        the only sheet of the previous period."""
        sheet = self.sheet(name)
        if sheet is None:
            return None
        periods = self.periods()
        index = next(i for i, p in enumerate(periods) if _key(p) == _key(sheet.period))
        if index == 0:
            return None
        before = periods[index - 1]
        if self.step is not None and before != self._expected_before(sheet.period):
            return None  # a gap: the period right before has no sheet
        shape = _shape(name, sheet.label)
        names = self.names_of(before)
        same = [n for n in names if _shape(n, self.sheet(n).label) == shape]  # type: ignore[union-attr]
        if same:
            return same[0]
        return names[0] if len(names) == 1 else None

    def following(self, name: str) -> str | None:
        """The sheet of the period after ``name``'s whose previous sheet is ``name`` (the
        inverse of :meth:`previous`), when the workbook has one."""
        sheet = self.sheet(name)
        if sheet is None:
            return None
        periods = self.periods()
        index = next(i for i, p in enumerate(periods) if _key(p) == _key(sheet.period))
        if index + 1 == len(periods):
            return None
        return next(
            (n for n in self.names_of(periods[index + 1]) if self.previous(n) == name), None
        )

    def _expected_before(self, period: Period) -> Period | None:
        assert self.step is not None
        try:
            return period.shift(-1, self.step)
        except ValueError:
            return None

    def steps(self) -> list[int]:
        """The steps (months) by which this workbook may move: its own, or a month and a
        quarter while it is unknown (a single 1-N月 sheet)."""
        return [self.step] if self.step else [1, 3]

    def label(self, period: Period, name: str | None = None) -> str:
        """``period`` written as sheet ``name`` (default: the latest period's first sheet)
        writes it, with the year when the period has one: 2026Q4, 2026年1-12月, 2026年前三季度."""
        sheet = self.sheet(name) if name else None
        if sheet is None:
            sheet = self.sheet(self.names_of(self.latest())[0])
        assert sheet is not None
        style = _quarter_family(sheet.label, self.family).style
        if style.year is None and period.year is not None:
            style = replace(style, year="年")
        return format_period(period, style)


def _shape(name: str, label: Found) -> tuple[str, str, str]:
    return (name[: label.start], label.style.form, name[label.end :])


_BARE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\d)")


def year_in(text: str, month: int | None = None) -> int | None:
    """The year ``text`` (a title, a file name) gives: of a period label with a year (one
    ending in ``month`` first), else a bare 2026年."""
    labels = [f for f in find_labels(text) if f.period.year is not None]
    for f in labels:
        if month is None or f.period.last_month == month:
            return f.period.year
    if labels:
        return labels[0].period.year
    bare = _BARE_YEAR.search(text)
    return int(bare[1]) if bare else None


def title_of(values: list[list[Any]], rows: int = 3) -> str:
    """The title of a sheet: the text of its first ``rows`` rows."""
    texts = [v for line in values[:rows] for v in line if isinstance(v, str) and v.strip()]
    return " ".join(texts)


def read_period_sheets(
    names: list[str],
    title: Callable[[str], str] | None = None,
    file_name: str | None = None,
) -> PeriodSheets:
    """The period sheets among ``names`` (tab order). ``title(name)`` gives a sheet's title
    text (asked only for names without a year); ``file_name`` the workbook's file name.

    The year of a name without one comes from, in this order: the sheet's title, the file
    name, the neighbouring period sheets (see the module docstring)."""
    labelled = [(n, find_labels(n)) for n in names]
    found = [(n, f[0]) for n, f in labelled if f]
    sheets: list[PeriodSheet] = []
    file_year = year_in(Path(file_name).stem) if file_name else None
    for name, label in found:
        period, year_from = label.period, "名称"
        if period.year is None:
            year_from = ""
            text = title(name) if title else ""
            year = year_in(text, period.last_month) if text else None
            if year is not None:
                year_from = "标题"
            elif file_year is not None:
                year, year_from = file_year, "文件名"
            if year is not None:
                period = period.with_year(year)
        sheets.append(PeriodSheet(name, label, period, year_from))
    sheets = _years_from_neighbours(sheets)
    return PeriodSheets(sheets, _step(sheets), _family(sheets))


def _years_from_neighbours(sheets: list[PeriodSheet]) -> list[PeriodSheet]:
    if all(s.period.year is not None for s in sheets) or all(s.period.year is None for s in sheets):
        return sheets
    out = list(sheets)
    for i, sheet in enumerate(out):
        if sheet.period.year is not None:
            continue
        month = sheet.period.last_month
        before = next((s for s in reversed(out[:i]) if s.period.year is not None), None)
        after = next((s for s in out[i + 1 :] if s.period.year is not None), None)
        if before is not None:
            year = before.period.year + (1 if before.period.last_month > month else 0)  # type: ignore[operator]
        else:
            assert after is not None
            year = after.period.year - (1 if after.period.last_month < month else 0)  # type: ignore[operator]
        out[i] = replace(sheet, period=sheet.period.with_year(year), year_from="相邻工作表")
    return out


_QUARTER_FORMS = {"Q", "quarter", "words"}
_MONTH_FORMS = {"month", "ym"}


def _step(sheets: list[PeriodSheet]) -> int | None:
    forms = {s.label.style.form for s in sheets}
    if forms & _QUARTER_FORMS:
        return 3
    if forms & _MONTH_FORMS:
        return 1
    ends = sorted({(s.period.year or 0, s.period.last_month) for s in sheets})
    months = [y * 12 + m for y, m in ends]
    gaps = {b - a for a, b in pairwise(months)}
    if any(m % 3 for _, m in ends) or 1 in gaps:
        return 1
    return 3 if gaps == {3} else None


def _family(sheets: list[PeriodSheet]) -> str:
    for s in sheets:
        if s.label.style.form == "quarter" and s.period.last_month > 3:
            return "quarter"
    return "words"


def book_period_sheets(book: Any) -> PeriodSheets:
    """:func:`read_period_sheets` of a workbook host: titles read from the sheets whose name has
    no year, the file name from a file host (``path``) or an Excel book (``book.name``)."""
    path = getattr(book, "path", None)
    if path is None:
        path = getattr(getattr(book, "book", None), "name", None)

    def title(name: str) -> str:
        return title_of(book.sheet(name).read().values)

    return read_period_sheets(book.sheet_names(), title, str(path) if path else None)


def kind_agrees(a: Period, b: Period) -> bool:
    """A single-month/quarter period never stands in for a cumulative one, nor the reverse."""
    return (a.kind == "single") == (b.kind == "single")


def repoint_formula(formula: str, rename: dict[str, str]) -> str:
    """``formula`` with references to the sheets in ``rename`` pointed at their new names.

    Text inside string literals is left alone (the formula grammar is
    :mod:`workbooks.formula.tokens`)."""
    return repoint(formula, rename)


__all__ = [
    "CUMULATIVE",
    "Found",
    "PeriodSheet",
    "PeriodSheets",
    "book_period_sheets",
    "find_periods",
    "kind_agrees",
    "period_of_name",
    "read_period_sheets",
    "rename_for",
    "repoint_formula",
    "roll_text",
    "same_period",
    "shift",
    "title_of",
    "year_in",
]
