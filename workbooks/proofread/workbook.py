"""A text's figures against the workbook: each statement whose indicator, region and period are
in a peer table is compared with the table's figure.

The peer tables are found as everywhere else (:mod:`workbooks.period_names` for the period of a
sheet, :func:`workbooks.tables.find_table` for the table); an indicator of the table is matched
to the text through the synonym table. The workbook is read through a
:class:`~workbooks.host.BookHost`, so the same check runs on a file and on the workbook open in
Excel. A table's figure as stored is compared with the stated one allowing for the rounding of
the stated figure (26.0 stands for [25.95, 26.05]); a difference of growth rates is taken both
from the stored and from the published (one-decimal) rates, and only a figure neither gives is
reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from udfs.cleaning import parse_number_text
from udfs.periods import Period
from workbooks.host import BookHost
from workbooks.period_names import book_period_sheets
from workbooks.proofread.checks import finding, reference_period
from workbooks.proofread.numbers import Interval, factor, family, implied_text
from workbooks.proofread.report import ASSUMPTION, CERTAIN, Finding
from workbooks.proofread.statements import Statement
from workbooks.proofread.targets import TargetChecker
from workbooks.proofread.vocabulary import HOME, canonical
from workbooks.tables import (
    CHANGE,
    CURRENT,
    GROWTH,
    LEVEL_RANK,
    RANK,
    NoTable,
    Table,
    TableError,
    find_table,
    is_aggregate,
    norm,
)


@dataclass
class PeerTable:
    """A peer table of one period: the sheet's values and the table read off them."""

    sheet: str
    period: Period
    values: list[list[Any]]
    table: Table
    indicators: dict[str, str]  # canonical name → the table's name

    def number(self, row: int, indicator: str, measure: str) -> tuple[float, str | None] | None:
        column = self.table.column(self.indicators[indicator], measure)
        if column is None:
            return None
        line = self.values[row - 1] if row - 1 < len(self.values) else []
        value = line[column.col - 1] if column.col - 1 < len(line) else None
        if isinstance(value, str):
            value = parse_number_text(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value), column.unit


def peer_tables(book: BookHost, notes: list[str] | None = None) -> list[PeerTable]:
    """Every period sheet of ``book`` holding a peer table; a sheet whose table cannot be read
    is left out and said in ``notes`` (its figures are then not compared)."""
    sheets = book_period_sheets(book)
    out = []
    for period in sheets.periods():
        for name in sheets.names_of(period):
            values = book.sheet(name).read().values
            try:
                table = find_table(values, where=f"工作表「{name}」")
            except TableError as exc:
                if notes is not None:
                    notes.append(f"未与「{name}」核对：{exc}")
                continue
            except NoTable:
                continue  # a main-indicator sheet, a note: not a peer table
            names = {canonical(i) or i: i for i in table.indicators()}
            out.append(PeerTable(name, period, values, table, names))
            break
    return out


def region_names(tables: list[PeerTable]) -> list[str]:
    """The region names of the tables (counties and aggregates)."""
    names: dict[str, None] = {}
    for t in tables:
        for name in t.table.names.values():
            names.setdefault(name, None)
    return list(names)


def home_region(text: str, tables: list[PeerTable]) -> str | None:
    """The county a text is about: the first county of the tables it names."""
    folded = norm(text)
    best: tuple[int, str] | None = None
    for name in region_names(tables):
        if is_aggregate(name):
            continue
        k = folded.find(norm(name))
        if k >= 0 and (best is None or k < best[0]):
            best = (k, name)
    return best[1] if best else None


def _previous_quarter(s: Statement) -> bool:
    """Whether a rank change is against the previous quarter (the table's 位次变化): 较上季度,
    or the period a quarter before (较上半年 in a 前三季度 text), or no reference at all."""
    if s.ref in (None, "上季度"):
        return True
    if s.period is None or s.period.last_month <= 3:
        return False
    ref = reference_period(s.period, s.ref)
    return (
        ref is not None and ref.last_month == s.period.last_month - 3 and ref.kind == s.period.kind
    )


def _after_growth(s: Statement) -> bool:
    """Whether the nearest figure before a rank in its sentence is a growth (the rank is then
    the growth's)."""
    before = [
        t
        for t in s.sentence.statements
        if t.start < s.start and t.kind in ("growth", "amount") and t.role in ("current", "level")
    ]
    return bool(before) and before[-1].kind == "growth"


class WorkbookChecker:
    """Compares statements with the peer tables of one workbook."""

    def __init__(
        self, tables: list[PeerTable], home: str | None, targets: TargetChecker | None = None
    ):
        self.tables = tables
        self.home = home
        self.targets = targets
        self.findings: list[Finding] = []
        self.compared = 0

    def table_for(self, period: Period | None) -> PeerTable | None:
        if period is None or period.kind != "cumulative":
            return None
        same = [
            t
            for t in self.tables
            if t.period.last_month == period.last_month and t.period.kind == period.kind
        ]
        if period.year is not None:
            same = [t for t in same if t.period.year in (None, period.year)]
        return same[0] if len(same) == 1 else None

    def run(self, statements: list[Statement]) -> list[Finding]:
        for s in statements:
            if s.indicator is None or s.value is None:
                continue
            if self.targets is not None and s.kind in ("completion", "schedule"):
                region = self.home if s.region == HOME else s.region
                if region:
                    certainty = CERTAIN if s.period_explicit and s.region_explicit else ASSUMPTION
                    self.targets.check(s, region, certainty)
                continue
            peer = self.table_for(s.period)
            if peer is None or s.indicator not in peer.indicators:
                continue
            region = self.home if s.region == HOME else s.region
            row = peer.table.regions.get(norm(region)) if region else None
            if row is None:
                continue
            certainty = CERTAIN if s.period_explicit and s.region_explicit else ASSUMPTION
            where = f"「{peer.sheet}」{region}"
            if s.kind == "amount" and s.role == "level":
                self.amount(s, peer, row, where, certainty)
            elif s.kind == "growth" and s.role == "current":
                self.growth(s, peer, row, where, certainty)
            elif s.kind == "pp" and s.ref in ("全市", "全省", "全国", "全州"):
                self.pp(s, peer, row, where, certainty)
            elif s.kind == "rank":
                self.rank(s, peer, row, where, certainty)
            elif s.kind == "rank_change" and _previous_quarter(s):
                self.rank_change(s, peer, row, where, certainty)
        if self.targets is not None:
            self.findings += self.targets.findings
            self.compared += self.targets.compared
        return self.findings

    def amount(self, s: Statement, peer: PeerTable, row: int, where: str, certainty: str) -> None:
        found = peer.number(row, s.indicator, CURRENT)
        if found is None or family(found[1]) is None or family(found[1]) != family(s.unit):
            return
        value = found[0] * factor(found[1]) / factor(s.unit)
        self.compared += 1
        if Interval(value, value).meets(s.value.interval()):
            return
        expected = implied_text(Interval(value, value), s.value.decimals, s.unit or "")
        note = f"{where}{s.indicator}本期为{found[0]:g}{found[1]}"
        self.findings.append(finding(s, expected, "workbook_amount", note, certainty))

    def growth(self, s: Statement, peer: PeerTable, row: int, where: str, certainty: str) -> None:
        found = peer.number(row, s.indicator, GROWTH)
        if found is None:
            return
        self.compared += 1
        if Interval(found[0], found[0]).meets(s.value.interval()):
            return
        d = max(s.value.decimals, 1)
        expected = f"增长{found[0]:.{d}f}%" if found[0] >= 0 else f"下降{-found[0]:.{d}f}%"
        note = f"{where}{s.indicator}增长(%)为{found[0]:g}"
        self.findings.append(finding(s, expected, "workbook_growth", note, certainty))

    def pp(self, s: Statement, peer: PeerTable, row: int, where: str, certainty: str) -> None:
        bench_row = peer.table.regions.get(norm(s.ref or ""))
        if bench_row is None:
            return
        own = peer.number(row, s.indicator, GROWTH)
        bench = peer.number(bench_row, s.indicator, GROWTH)
        if own is None or bench is None:
            return
        raw = own[0] - bench[0]
        published = round(own[0], 1) - round(bench[0], 1)
        implied = Interval(min(raw, published), max(raw, published))
        self.compared += 1
        if implied.meets(s.value.interval()):
            return
        d = max(s.value.decimals, 1)
        value = round(published, d)
        if value == 0:
            expected = f"与{s.ref}持平"
        else:
            expected = f"{'高于' if value > 0 else '低于'}{s.ref}{abs(value):.{d}f}个百分点"
        note = f"{where}增长{own[0]:g}%，{s.ref}增长{bench[0]:g}%"
        self.findings.append(finding(s, expected, "workbook_pp", note, certainty))

    def rank(self, s: Statement, peer: PeerTable, row: int, where: str, certainty: str) -> None:
        """位次 after a growth (or 增速居), 总量位次 after 总量; a rank right after a level may
        be either: it is reported only when it is neither."""
        if s.extra.get("level"):
            measures = [LEVEL_RANK]
        elif s.extra.get("growth") or _after_growth(s):
            measures = [RANK]
        else:
            measures = [LEVEL_RANK, RANK]
            certainty = ASSUMPTION
        ranks = {}
        for measure in measures:
            found = peer.number(row, s.indicator, measure)
            if found is not None:
                ranks[measure] = int(found[0])
        if not ranks or (len(measures) == 2 and LEVEL_RANK not in ranks):
            return  # a table without a level rank cannot tell which rank is meant
        measure = measures[-1] if measures[-1] in ranks else measures[0]
        rank = ranks[measure]
        stated = int(s.value.value)
        if s.extra.get("bottom"):
            count = len(peer.table.ranked_rows())
            stated_from_top = count - stated + 1
        else:
            stated_from_top = stated
        self.compared += 1
        if stated_from_top in ranks.values():
            return
        note = f"{where}{s.indicator}{'总量' if measure == LEVEL_RANK else ''}位次为第{rank}位"
        if s.extra.get("bottom"):
            count = len(peer.table.ranked_rows())
            note += f"（共{count}个县区，倒数第{count - rank + 1}位）"
        self.findings.append(finding(s, f"第{rank}位", "workbook_rank", note, certainty))

    def rank_change(
        self, s: Statement, peer: PeerTable, row: int, where: str, certainty: str
    ) -> None:
        found = peer.number(row, s.indicator, CHANGE)
        if found is None:
            return
        change = int(found[0])
        self.compared += 1
        if change == int(s.value.value):
            return
        expected = "持平" if change == 0 else f"{'前移' if change > 0 else '后退'}{abs(change)}位"
        note = f"{where}{s.indicator}位次变化为{change:+d}（正为前移）"
        self.findings.append(finding(s, expected, "workbook_rank_change", note, certainty))


__all__ = ["PeerTable", "WorkbookChecker", "home_region", "peer_tables", "region_names"]
