"""A text's completion and schedule figures against the county's main-indicator sheet
(主要经济指标完成情况表): 完成年度目标的x% with the sheet's 完成年度目标(%), 超/差序时进度x个百分点
with its 超/欠序时进度 (or, without that column, the published completion − the time progress of
the period, as :mod:`workbooks.brief` writes it).

The sheet and its columns are found as :mod:`workbooks.brief` finds them, and a figure is the
one the cell displays through its number format (:mod:`workbooks.displayed`): a completion shown
``22.5`` stands for [22.45, 22.55], and a stated figure is reported only when its own interval
does not meet the sheet's. A workbook file is read as it was saved (the results stored with its
formulas); a host that gives no number formats (the workbook open in Excel) at its values. A period, county or indicator that matches more than one sheet or row
is not compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from udfs.cleaning import fold
from udfs.periods import Period
from udfs.phrases import published
from workbooks.brief import DisplayedBook, DisplayedSheet, FigureReader, main_rows, main_sheet
from workbooks.file_host import FileBook
from workbooks.host import BookHost
from workbooks.period_names import PeriodSheets, book_period_sheets
from workbooks.proofread.checks import finding
from workbooks.proofread.numbers import Interval, Num
from workbooks.proofread.report import Finding
from workbooks.proofread.statements import Statement
from workbooks.proofread.vocabulary import canonical
from workbooks.tables import norm


@dataclass
class MainSheet:
    """One county's main-indicator sheet of one period: the sheet as displayed, its columns
    (completion, gap) and its indicator rows by canonical name (None: two rows of one name)."""

    sheet: DisplayedSheet
    period: Period
    columns: dict[str, int]
    rows: dict[str, int | None]


def _displayed(book: BookHost, name: str) -> DisplayedSheet:
    """A sheet of a host without number formats (the workbook open in Excel): its values as
    the host gives them (formula results included), read as stored."""
    grid = book.sheet(name).read()
    return DisplayedSheet(name, grid.values, {}, set(grid.formulas or {}))


def _view(book: BookHost) -> DisplayedBook | _Book:
    """The workbook as published: a file not changed since it was opened is read as it was
    saved (the results stored with its formulas and its number formats, as
    :class:`workbooks.brief.DisplayedBook` reads it); another host through its values."""
    names = book.sheet_names()
    if (
        isinstance(book, FileBook)
        and book.path.is_file()
        and names
        and not book.sheet(names[0]).changed()  # the clock of writes is the workbook's
    ):
        return DisplayedBook(book.path)
    return _Book(book)


class _Book:
    """The sheets of a host as :func:`workbooks.brief.main_sheet` reads them, loaded when
    first asked for."""

    def __init__(self, book: BookHost):
        self.book = book
        self.sheets: dict[str, DisplayedSheet] = _Loaded(book)


class _Loaded(dict):
    def __init__(self, book: BookHost):
        super().__init__()
        self.book = book

    def __missing__(self, name: str) -> DisplayedSheet:
        sheet = _displayed(self.book, name)
        self[name] = sheet
        return sheet


@dataclass
class _One:
    """The period sheets narrowed to one name (to try each sheet of a period on its own)."""

    name: str

    def names_of(self, period: Period) -> list[str]:
        return [self.name]


class MainSheets:
    """The main-indicator sheets of a workbook, found per period and county when asked."""

    def __init__(self, book: BookHost):
        self.book = book
        self._view: DisplayedBook | _Book | None = None
        self.sheets: PeriodSheets = book_period_sheets(book)
        self._found: dict[tuple[str, str], MainSheet | None] = {}

    def period_of(self, period: Period | None) -> Period | None:
        if period is None or period.kind != "cumulative":
            return None
        same = [
            p
            for p in self.sheets.periods()
            if p.last_month == period.last_month
            and p.kind == period.kind
            and (period.year is None or p.year in (None, period.year))
        ]
        return same[0] if len(same) == 1 else None

    def find(self, period: Period | None, region: str | None) -> MainSheet | None:
        """The one main-indicator sheet of ``region`` for ``period`` (None when there is none,
        or more than one)."""
        found = self.period_of(period)
        if found is None or not region:
            return None
        key = (found.label(), norm(region))
        if key not in self._found:
            hits = []
            for name in self.sheets.names_of(found):
                if self._view is None:
                    self._view = _view(self.book)
                hit = main_sheet(self._view, _One(name), found, "", region)  # type: ignore[arg-type]
                if hit is not None and ("completion" in hit[2] or "gap" in hit[2]):
                    hits.append(hit)
            main = None
            if len(hits) == 1:
                sheet, header, columns = hits[0]
                rows: dict[str, int | None] = {}
                for name, row in main_rows(sheet, header, columns["name"]).items():
                    key_name = canonical(name) or name
                    rows[key_name] = None if key_name in rows else row
                main = MainSheet(sheet, found, columns, rows)
            self._found[key] = main
        return self._found[key]


def _interval(number: Decimal) -> Interval:
    """The values a figure shown with d decimals stands for: ±0.5·10^-d."""
    half = 0.5 * 10.0 ** int(number.as_tuple().exponent)
    return Interval(float(number) - half, float(number) + half)


def _as_stated(figure: Decimal, stated: Num) -> Decimal:
    """The sheet's figure for the report: at its displayed decimals, or at the stated figure's
    (at least one) when the sheet shows more (a value read without its number format)."""
    places = -int(figure.as_tuple().exponent)
    return published(figure, min(places, max(stated.decimals, 1)))


def _schedule_words(gap: Decimal, written: str) -> str:
    if gap == 0:
        return "与序时进度持平"
    behind = "欠" if "欠" in written else "差"
    return f"{'超' if gap > 0 else behind}序时进度{format(abs(gap), 'f')}个百分点"


class TargetChecker:
    """Compares completion and schedule statements with the main-indicator sheets."""

    def __init__(self, sheets: MainSheets):
        self.sheets = sheets
        self.reader = FigureReader()
        self.findings: list[Finding] = []
        self.compared = 0

    def check(self, s: Statement, region: str, certainty: str) -> None:
        if s.indicator is None or s.value is None or s.kind not in ("completion", "schedule"):
            return
        if s.kind == "completion" and s.extra.get("target") is not None:
            return  # a target stated in the text (完成年度任务23个的…) may be another one
        main = self.sheets.find(s.period, region)
        if main is None:
            return
        row = main.rows.get(s.indicator)
        if row is None:
            return
        where = s.indicator
        if s.kind == "completion":
            self.completion(s, main, row, where, certainty)
        else:
            self.schedule(s, main, row, where, certainty)

    def _figure(self, main: MainSheet, row: int, column: str) -> Any:
        return self.reader.figure(main.sheet, row, main.columns.get(column))

    def completion(
        self, s: Statement, main: MainSheet, row: int, where: str, certainty: str
    ) -> None:
        shown = self._figure(main, row, "completion")
        if shown is None:
            return
        self.compared += 1
        if _interval(shown.number).meets(s.value.interval()):
            return
        expected = f"{format(_as_stated(shown.number, s.value), 'f')}%"
        note = f"{where}完成年度目标(%)为{format(shown.number, 'f')}（{shown.cell}）"
        self.findings.append(finding(s, expected, "workbook_completion", note, certainty))

    def schedule(self, s: Statement, main: MainSheet, row: int, where: str, certainty: str) -> None:
        if re.search(r"\d{1,2}月\d{1,2}[日号]", fold(s.sentence.passage.text)):
            return  # progress to a day of the month, not the sheet's month-based progress
        gap = self._figure(main, row, "gap")
        if gap is not None:
            implied, figure, cell = _interval(gap.number), gap.number, gap.cell
        else:
            done = self._figure(main, row, "completion")
            if done is None:
                return
            progress = main.period.time_progress
            places = -int(done.number.as_tuple().exponent)
            shown_progress = published(progress, places)
            c = _interval(done.number)
            implied = Interval(
                c.lo - max(progress, float(shown_progress)),
                c.hi - min(progress, float(shown_progress)),
            )
            figure = done.number - shown_progress
            cell = f"{done.cell}减序时进度"
        self.compared += 1
        if implied.meets(s.value.interval()):
            return
        note = f"{where}超/欠序时进度为{format(figure, 'f')}个百分点（{cell}，负为欠）"
        expected = _schedule_words(_as_stated(figure, s.value), s.written)
        self.findings.append(finding(s, expected, "workbook_schedule", note, certainty))


__all__ = ["MainSheet", "MainSheets", "TargetChecker"]
