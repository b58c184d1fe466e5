"""Checks of a text's figures against each other (docs/proofread.md lists them).

Every check recomputes a stated figure from other stated figures with interval arithmetic
(:mod:`workbooks.proofread.numbers`: a figure written with d decimals stands for ±0.5·10^-d,
counts are exact) and reports it only when the stated figure's interval does not meet the
implied one. Formulas are the bureau's (docs/definitions.md §2): share = part / whole × 100,
completion = actual / target × 100, schedule gap = completion − time progress, pp = rate −
benchmark rate, rank change = previous rank − rank, growth = (level / base − 1) × 100.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from udfs.cleaning import fold
from udfs.periods import Period, PeriodError, parse_period
from workbooks.proofread.numbers import Interval, Num, factor, family, image, implied_text
from workbooks.proofread.report import ASSUMPTION, CERTAIN, Finding
from workbooks.proofread.statements import Statement
from workbooks.proofread.vocabulary import DECOMPOSITIONS, is_real_growth

_DAYS_TO_MONTH_END = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]
_UP_CATS = ("前移", "上升", "提升", "进位", "上移")
_DOWN_CATS = ("后退", "下降", "下滑", "退位", "下移")
_FAMILIES_OF_CATS = (
    (("前移", "上升", "提升", "进位", "上移"), ("持平",), ("后退", "下降", "下滑", "退位", "下移")),
    (("高于", "快于"), ("持平", "与全市持平", "与全省持平"), ("低于", "慢于")),
    (("正增长", "增长"), ("持平",), ("负增长", "下降")),
)


def finding(
    s: Statement,
    expected: str,
    kind: str,
    note: str,
    certainty: str = CERTAIN,
    first: Statement | None = None,
) -> Finding:
    """A finding on statement ``s`` (quoting from ``first``'s clause when it is in the same
    sentence)."""
    start = s.start
    if first is not None and first.sentence is s.sentence:
        start = min(first.start, s.start)
    return Finding(
        text=s.sentence.quote(start, s.end),
        line=s.sentence.passage.line,
        where=s.sentence.passage.where,
        stated=f"{s.value.text()}%" if s.kind in ("share", "completion") and s.value else s.written,
        expected=expected,
        kind=kind,
        certainty=certainty,
        note=note,
        span=s.sentence.span(start, s.end),
        passage=s.sentence.passage.paragraph,
    )


def _percent(interval: Interval, stated: Num) -> str:
    return implied_text(interval, max(stated.decimals, 1), "%")


def _money(a: Statement, b_unit: str | None) -> float | None:
    """Factor turning ``a``'s unit into ``b_unit`` (same family), None when they differ."""
    if family(a.unit) != family(b_unit) or family(a.unit) is None:
        return None
    return factor(a.unit) / factor(b_unit)


class Checker:
    """Runs every check over the statements of one document."""

    def __init__(self, statements: list[Statement]):
        self.statements = statements
        self.by_sentence: dict[int, list[Statement]] = defaultdict(list)
        for s in statements:
            self.by_sentence[s.sentence.index].append(s)
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        checks: list[Callable[[Statement], None]] = [
            self.share,
            self.completion,
            self.schedule,
            self.pp,
            self.rank_change,
            self.growth,
            self.structure,
            self.portion,
            self.gap,
        ]
        for s in self.statements:
            for check in checks:
                check(s)
        for sentence in self.by_sentence.values():
            self.tally(sentence)
            self.listed(sentence)
            self.parts_of(sentence)
        self.decompositions()
        return self.findings

    # --- helpers ---------------------------------------------------------------------------

    def before(
        self, s: Statement, kinds: tuple[str, ...], roles: tuple[str, ...] = ()
    ) -> list[Statement]:
        """Statements of ``kinds`` before ``s`` in its sentence, nearest last."""
        return [
            t
            for t in self.by_sentence[s.sentence.index]
            if t.start < s.start and t.kind in kinds and (not roles or t.role in roles)
        ]

    def stated(
        self,
        kind: str,
        indicator: str | None,
        region: str | None,
        period: Period | None,
        roles: tuple[str, ...],
        explicit_region: bool = False,
    ) -> list[Statement]:
        """Statements anywhere in the text of one kind, indicator, region and period."""
        if indicator is None or period is None:
            return []
        return [
            t
            for t in self.statements
            if t.kind == kind
            and t.role in roles
            and t.indicator == indicator
            and t.region == region
            and (t.region_explicit or not explicit_region)
            and _same_period(t.period, period)
        ]

    def flag(self, f: Finding) -> None:
        self.findings.append(f)

    # --- shares and completion -------------------------------------------------------------

    def _ratio(
        self,
        s: Statement,
        part: Statement,
        whole: Num,
        whole_unit: str | None,
        kind: str,
        certainty: str,
        what: str,
    ) -> None:
        scale = _money(part, whole_unit) if whole_unit not in (None, part.unit) else 1.0
        if whole_unit is not None and part.unit != whole_unit and scale is None:
            return
        scale = scale or 1.0
        implied = image(lambda p, w: p * scale / w * 100, [part.value.interval(), whole.interval()])
        assert s.value is not None
        if implied is None or implied.meets(s.value.interval()):
            return
        note = f"{part.written} ÷ {what}{whole.text()}{whole_unit or ''} × 100 = {_percent(implied, s.value)}"
        self.flag(finding(s, _percent(implied, s.value), kind, note, certainty, first=part))

    def share(self, s: Statement) -> None:
        if s.kind != "share":
            return
        amount = s.extra.get("den_amount")
        if amount is not None:
            whole, unit = amount
            parts = [
                t for t in self.before(s, ("amount",), ("level",)) if family(t.unit) == family(unit)
            ]
            if parts:
                self._ratio(s, parts[-1], whole, unit, "share", CERTAIN, "")
            return
        if s.extra.get("den_before"):
            self._share_of_total(s)
            return
        den = s.extra.get("den_indicator")
        region = s.extra.get("den_region") or s.region
        if den is None and s.extra.get("den_region") and s.extra["den_region"] != s.region:
            den = s.indicator  # 占全市的比重: the same indicator's 全市 level
        if den is None:
            return
        parts = [t for t in self.before(s, ("amount",), ("level",)) if t.indicator == s.indicator]
        if not parts or s.indicator is None or family(parts[-1].unit) is None:
            return
        wholes = self.stated("amount", den, region, s.period, ("level",), region != s.region)
        wholes = [
            w for w in wholes if w is not parts[-1] and family(w.unit) == family(parts[-1].unit)
        ]
        if len({(w.value.value, w.unit) for w in wholes if w.value}) != 1:
            return
        whole = wholes[0]
        same = whole.sentence.paragraph == s.sentence.paragraph
        assert whole.value is not None
        self._ratio(
            s,
            parts[-1],
            whole.value,
            whole.unit,
            "share",
            CERTAIN if same else ASSUMPTION,
            f"{den}",
        )

    def _share_of_total(self, s: Statement) -> None:
        """「共实施项目53个，其中新开工项目14个，占26.4%」: a share without its denominator is
        of the one total written before 其中 in the sentence (same unit), the part being the
        amount right before the share."""
        text = s.sentence.text
        k = text.rfind("其中", 0, s.start)
        if k < 0:
            return
        parts = [t for t in self.before(s, ("amount",), ("level",)) if t.start > k]
        if not parts or family(parts[-1].unit) is None:
            return
        part = parts[-1]
        wholes = [
            t
            for t in self.before(s, ("amount",), ("level",))
            if t.start < k and family(t.unit) == family(part.unit)
        ]
        if len(wholes) != 1:
            return
        whole = wholes[0]
        assert whole.value is not None
        self._ratio(s, part, whole.value, whole.unit, "share", ASSUMPTION, "")

    def completion(self, s: Statement) -> None:
        if s.kind != "completion":
            return
        target = s.extra.get("target")
        targets: list[tuple[Num, str | None]] = []
        if target is not None:
            targets.append(target)
        else:
            near = [
                t
                for t in self.by_sentence[s.sentence.index]
                if t.kind == "amount" and t.role == "target" and t.indicator == s.indicator
            ]
            targets += [(t.value, t.unit) for t in near if t.value]
        if len({(v.value, u) for v, u in targets}) != 1:
            return
        whole, unit = targets[0]
        actual = [
            t for t in self.before(s, ("amount",), ("level",)) if family(t.unit) == family(unit)
        ]
        if actual:
            self._ratio(s, actual[-1], whole, unit, "completion", CERTAIN, "目标")

    def schedule(self, s: Statement) -> None:
        if s.kind != "schedule" or s.period is None or s.period.kind == "single":
            return
        if re.search(r"\d{1,2}月\d{1,2}[日号]", fold(s.sentence.passage.text)):
            return  # progress to a day of the month: the bureau's day count is not known
        completions = self.before(s, ("completion",))
        if not completions:
            return
        done = completions[-1]
        assert done.value is not None and s.value is not None
        month = s.period.last_month
        progress = (
            Interval(month / 12 * 100, month / 12 * 100)
            .hull(Interval(round(month / 12 * 100, 1), round(month / 12 * 100, 1)))
            .hull(
                Interval(
                    _DAYS_TO_MONTH_END[month] / 365 * 100, _DAYS_TO_MONTH_END[month] / 365 * 100
                )
            )
        )
        implied = image(lambda c, p: c - p, [done.value.interval(), progress])
        if implied is None or implied.meets(s.value.interval()):
            return
        label = f"1-{month}月" if month < 12 else "全年"
        note = (
            f"完成率{done.value.text()}% − {label}序时进度{month / 12 * 100:.1f}%"
            f" = {done.value.value - month / 12 * 100:+.1f}个百分点（正为超、负为差）"
        )
        certainty = CERTAIN if s.period_explicit else ASSUMPTION
        if certainty == ASSUMPTION:
            note += f"；期别按全文的{label}计"
        self.flag(
            finding(
                s,
                _schedule_text(done.value.value - month / 12 * 100, s.value),
                "schedule",
                note,
                certainty,
                first=done,
            )
        )

    # --- comparisons -----------------------------------------------------------------------

    def pp(self, s: Statement) -> None:
        if s.kind != "pp" or s.ref is None:
            return
        rates = self.before(s, ("growth",), ("current",))
        if not rates:
            return
        own = rates[-1]
        assert own.value is not None and s.value is not None
        bench: Num | None = s.extra.get("bench")
        certainty = CERTAIN
        source = "括注"
        if bench is None:
            found = self._benchmark(own, s.ref)
            if found is None:
                return
            bench = found.value
            source = f"{found.sentence.passage.where}「{found.written}」"
            if found.sentence.paragraph != s.sentence.paragraph or not (
                own.period_explicit or s.ref in ("全市", "全省", "全国", "全州", "上年同期")
            ):
                certainty = ASSUMPTION  # the period of the rate is inherited, not written
        assert bench is not None
        implied = image(lambda a, b: a - b, [own.value.interval(), bench.interval()])
        if implied is None:
            return
        if s.extra.get("narrow"):
            self._narrow(s, own, bench, implied, certainty, source)
            return
        if implied.meets(s.value.interval()):
            return
        note = f"{own.value.text()}% − {s.ref}{bench.text()}%（{source}）= {implied.mid:+.{max(s.value.decimals, 1)}f}个百分点"
        self.flag(
            finding(
                s,
                _signed_pp(implied, s.value, s.ref, "高于", "低于"),
                "pp",
                note,
                certainty,
                first=own,
            )
        )

    def _narrow(
        self,
        s: Statement,
        own: Statement,
        bench: Num,
        implied: Interval,
        certainty: str,
        source: str,
    ) -> None:
        """降幅收窄/扩大 (two declines) and 增幅收窄/扩大 (two growths): the change of the size
        of the rate, |rate| − |benchmark rate|; a growth against a decline is not read."""
        assert own.value is not None and s.value is not None
        if own.value.interval().hi < 0 and bench.interval().hi < 0:
            size = Interval(-implied.hi, -implied.lo)  # a smaller decline: the rate went up
        elif own.value.interval().lo > 0 and bench.interval().lo > 0:
            size = implied
        else:
            return
        stated = abs(s.value.value)
        lo, hi = stated - s.value.half, stated + s.value.half
        # 收窄 x: the size fell by x (a change of −x); 扩大 x: it grew by x.
        written = Interval(-hi, -lo) if "收窄" in s.written else Interval(lo, hi)
        if written.meets(size):
            return
        d = max(s.value.decimals, 1)
        value = round(size.mid, d)
        about = "约" if abs(size.hi - size.lo) >= 10.0**-d else ""
        word = "持平" if value == 0 else ("扩大" if value > 0 else "收窄")
        expected = (
            f"与{s.ref}持平" if value == 0 else f"较{s.ref}{word}{about}{abs(value):.{d}f}个百分点"
        )
        note = (
            f"{own.value.text()}% 与 {s.ref}{bench.text()}%（{source}）："
            f"幅度变化 {size.mid:+.{d}f}个百分点（正为扩大、负为收窄）"
        )
        self.flag(finding(s, expected, "pp", note, certainty, first=own))

    def _benchmark(self, own: Statement, ref: str) -> Statement | None:
        """The stated rate a comparison is made with: the benchmark region's growth for the
        same indicator and period, or the same region's growth in the reference period."""
        if own.indicator is None or own.period is None:
            return None
        if ref in ("全市", "全省", "全国", "全州"):
            found = self.stated("growth", own.indicator, ref, own.period, ("current",), True)
        elif ref == "上年同期":
            found = [
                t
                for t in self.by_sentence[own.sentence.index]
                if t.kind == "growth" and t.role == "base" and t.indicator == own.indicator
            ]
        else:
            period = reference_period(own.period, ref)
            if period is None or _same_period(period, own.period):
                return None  # 一季度…较一季度: the statement's period is not the one compared with
            found = self.stated("growth", own.indicator, own.region, period, ("current",))
        found = [t for t in found if t is not own]
        values = {t.value.value for t in found if t.value}
        return found[0] if len(values) == 1 else None

    def rank_change(self, s: Statement) -> None:
        if s.kind == "rank_fromto":
            a, b = s.extra["from"], s.value
            assert b is not None
            if (a.value - b.value) * s.extra["sign"] < 0:
                word = "前移" if a.value > b.value else "后退"
                self.flag(
                    finding(
                        s,
                        f"{word}{abs(int(a.value - b.value))}位",
                        "rank_change",
                        f"由第{int(a.value)}位到第{int(b.value)}位",
                    )
                )
            return
        if s.kind != "rank_change":
            return
        assert s.value is not None
        fromto = self.before(s, ("rank_fromto",))
        if fromto:
            a, b = fromto[-1].extra["from"].value, fromto[-1].value.value
            source = f"由第{int(a)}位到第{int(b)}位"
            certainty = CERTAIN
        else:
            ranks = [r for r in self.before(s, ("rank",)) if not r.extra["bottom"]]
            if not ranks or s.ref is None or ranks[-1].indicator is None:
                return
            now = ranks[-1]
            period = reference_period(now.period, s.ref) if now.period else None
            if period is None or _same_period(period, now.period):
                return  # the rank's own period named as the earlier one: nothing to compare
            previous = [
                t
                for t in self.stated("rank", now.indicator, now.region, period, ("level",))
                if not t.extra["bottom"] and t.extra["level"] == now.extra["level"] and t is not now
            ]
            if len({t.value.value for t in previous if t.value}) != 1:
                return
            a, b = previous[0].value.value, now.value.value
            source = (
                f"{previous[0].sentence.passage.where}「{previous[0].written}」、本句第{int(b)}位"
            )
            certainty = (
                CERTAIN
                if previous[0].sentence.paragraph == s.sentence.paragraph and now.period_explicit
                else ASSUMPTION
            )
        change = a - b
        if change == s.value.value:
            return
        expected = (
            "持平" if change == 0 else ("前移" if change > 0 else "后退") + f"{abs(int(change))}位"
        )
        self.flag(
            finding(
                s, expected, "rank_change", f"{source}：位次变化 = 上期位次 − 本期位次", certainty
            )
        )

    # --- growth against levels -------------------------------------------------------------

    def growth(self, s: Statement) -> None:
        if (
            s.kind != "growth"
            or s.role != "current"
            or is_real_growth(s.indicator, s.sentence.text)
        ):
            return
        sentence = self.by_sentence[s.sentence.index]
        earlier = [t for t in sentence if t.start < s.start]
        previous = [i for i, t in enumerate(earlier) if t.kind == "growth"]
        segment = earlier[previous[-1] + 1 :] if previous else earlier
        levels = [t for t in segment if t.kind == "amount" and t.role == "level"]
        if not levels or levels[-1].indicator != s.indicator:
            return
        level = levels[-1]
        if family(level.unit) is None:
            return
        bases = [
            t
            for t in segment
            if t.kind == "amount" and t.role == "base" and family(t.unit) == family(level.unit)
        ]
        increases = [
            t
            for t in segment
            if t.kind == "amount" and t.role == "increase" and family(t.unit) == family(level.unit)
        ]
        assert s.value is not None and level.value is not None
        lf = factor(level.unit)
        if bases:
            base = bases[-1]
            bf = factor(base.unit)
            implied = image(
                lambda c, b: (c * lf / (b * bf) - 1) * 100,
                [level.value.interval(), base.value.interval()],
            )
            how = f"{level.written} ÷ {base.written}"
            first = base if base.start < level.start else level
            if increases:
                self.difference(level, base, increases[-1])
        elif increases:
            inc = increases[-1]
            df = factor(inc.unit)
            implied = image(
                lambda c, d: d * df / (c * lf - d * df) * 100,
                [level.value.interval(), inc.value.interval()],
            )
            how = f"{inc.written} ÷（{level.written} − {inc.written}）"
            first = level
        else:
            return
        if implied is None or implied.meets(s.value.interval()):
            return
        note = (
            f"{how}：增长{implied.mid:.{max(s.value.decimals, 1)}f}%（名义指标，可由两期数值复算）"
        )
        self.flag(finding(s, _growth_text(implied, s.value), "growth", note, CERTAIN, first=first))

    def difference(self, level: Statement, base: Statement, inc: Statement) -> None:
        lf, bf, df = factor(level.unit), factor(base.unit), factor(inc.unit)
        implied = image(
            lambda c, b: (c * lf - b * bf) / df, [level.value.interval(), base.value.interval()]
        )
        if implied is None or implied.meets(inc.value.interval()):
            return
        expected = implied_text(implied, inc.value.decimals, inc.unit or "")
        note = f"{level.written} − {base.written}"
        self.flag(
            finding(
                inc,
                expected,
                "difference",
                note,
                CERTAIN,
                first=min(level, base, key=lambda t: t.start),
            )
        )

    def gap(self, s: Statement) -> None:
        """还差 = target − actual (to the annual target), all three stated in the sentence."""
        if s.kind != "amount" or s.role != "gap":
            return
        sentence = self.by_sentence[s.sentence.index]
        targets = [t for t in sentence if t.kind == "amount" and t.role == "target"]
        levels = [t for t in self.before(s, ("amount",), ("level",))]
        targets = [t for t in targets if family(t.unit) == family(s.unit)]
        levels = [t for t in levels if family(t.unit) == family(s.unit)]
        if len(targets) != 1 or not levels or family(s.unit) is None:
            return
        target, level = targets[0], levels[-1]
        tf, lf, gf = factor(target.unit), factor(level.unit), factor(s.unit)
        implied = image(
            lambda t, a: (t * tf - a * lf) / gf, [target.value.interval(), level.value.interval()]
        )
        if implied is None or implied.meets(s.value.interval()):
            return
        expected = implied_text(implied, s.value.decimals, s.unit or "")
        note = f"{target.written} − {level.written}"
        self.flag(
            finding(
                s, expected, "gap", note, CERTAIN, first=min(target, level, key=lambda t: t.start)
            )
        )

    # --- structure, counts and parts -------------------------------------------------------

    def structure(self, s: Statement) -> None:
        if s.kind != "structure":
            return
        parts: list[Num] = s.extra["parts"]
        total = Interval(sum(p.lo for p in parts), sum(p.hi for p in parts))
        if total.meets(Interval(100.0, 100.0)):
            return
        shown = ":".join(p.text() for p in parts)
        self.flag(
            finding(
                s,
                "三项之和为100",
                "structure",
                f"{shown} 之和为{sum(p.value for p in parts):.{parts[0].decimals}f}",
            )
        )

    def portion(self, s: Statement) -> None:
        if s.kind == "portion" and s.value and s.value.value > s.extra["total"].value:
            total = int(s.extra["total"].value)
            self.flag(
                finding(
                    s, f"不超过{total}{s.unit}", "portion", f"共{total}{s.unit}，部分不能多于总数"
                )
            )

    def tally(self, sentence: list[Statement]) -> None:
        """Items of a tally against its explicit total (16项指标中 / 共16项): a count followed
        by its category (4项指标位次前移) is an item, never the total."""
        counts = [t for t in sentence if t.kind == "count" and t.extra.get("total")]
        if not counts:
            return
        total = counts[0]
        assert total.value is not None
        for t in sentence:
            if t.kind == "tally" and t.start > total.start:
                parts = t.extra["parts"]
                found = sum(p.value for p in parts)
                if found != total.value.value:
                    self.flag(
                        finding(
                            t,
                            f"合计{int(total.value.value)}项",
                            "count",
                            f"{'+'.join(str(int(p.value)) for p in parts)} = {int(found)}，与「{total.written}」不符",
                            first=total,
                        )
                    )
        items = [
            t
            for t in sentence
            if t.start > total.start
            and (t.kind == "tally_item" or (t.kind == "count" and t.extra.get("cat")))
        ]
        if not items:
            return
        families = set(range(len(_FAMILIES_OF_CATS)))
        seen: set[int] = set()
        for t in items:
            cat = re.sub(r"^的?(位次|增速|增幅|排名|总量)", "", t.extra["cat"])
            # a tie (持平, 与全市持平) belongs to whichever kind the other categories are
            found_families = {
                (k, g)
                for k, group in enumerate(_FAMILIES_OF_CATS)
                for g, words in enumerate(group)
                if any(cat.startswith(w) or cat.endswith(w) for w in words)
            }
            if not found_families:
                return
            families &= {k for k, _ in found_families}
            if not families:
                return  # categories of different kinds (位次 and 增速) may overlap
            seen |= {g for _, g in found_families}
        found = sum(t.value.value for t in items if t.value)
        whole = total.value.value
        complete = seen == {0, 1, 2}
        if found > whole or (complete and found != whole):
            listed = "+".join(str(int(t.value.value)) for t in items if t.value)
            self.flag(
                finding(
                    items[-1],
                    f"合计{int(whole)}项",
                    "count",
                    f"{listed} = {int(found)}，与「{total.written}」不符",
                    first=total,
                )
            )

    def listed(self, sentence: list[Statement]) -> None:
        counts = [t for t in sentence if t.kind == "count"]
        if not counts:
            return
        text = sentence[0].sentence.text
        for count in counts:
            assert count.value is not None
            after = text[count.end :]
            m = re.search(r"(?:分别是|分别为|分别有|包括)[:：]?(?P<items>[^。；;]+)", after)
            if m and not re.search(r"\d+项", after[: m.start()]):
                counts = _item_counts(m["items"])
                n = int(count.value.value)
                if counts is not None and n not in counts:
                    items = _items(m["items"])
                    self.flag(
                        finding(count, f"{max(counts)}项", "count", f"所列为：{'、'.join(items)}")
                    )
                continue
            before = text[sentence[0].sentence.clause_of(count.start)[0] : count.start]
            if before.endswith("等"):
                counts = _item_counts(before[:-1])
                if counts is not None and min(counts) > count.value.value:
                    items = _items(before[:-1])
                    self.flag(
                        finding(count, f"{min(counts)}项", "count", f"所列为：{'、'.join(items)}")
                    )

    def parts_of(self, sentence: list[Statement]) -> None:
        """A part written after 其中 cannot exceed the total written before it."""
        text = sentence[0].sentence.text
        k = text.find("其中")
        if k < 0:
            return
        totals = [t for t in sentence if t.kind == "amount" and t.role == "level" and t.start < k]
        if not totals:
            return
        total = totals[-1]
        for part in sentence:
            if part.kind != "amount" or part.role != "level" or part.start < k:
                continue
            scale = _money(part, total.unit) if part.unit != total.unit else 1.0
            if scale is None:
                continue
            if part.value.lo * scale > total.value.hi:
                self.flag(
                    finding(
                        part,
                        f"不超过{total.written}",
                        "parts",
                        f"其中的一项不能多于总数{total.written}",
                        first=total,
                    )
                )

    def decompositions(self) -> None:
        """一产 + 二产 + 三产 = 地区生产总值; 税收 + 非税 = 一般公共预算收入 (same region, period)."""
        for total in self.statements:
            if (
                total.kind != "amount"
                or total.role != "level"
                or total.indicator not in DECOMPOSITIONS
            ):
                continue
            parts = []
            for name in DECOMPOSITIONS[total.indicator]:
                found = [
                    t
                    for t in self.stated("amount", name, total.region, total.period, ("level",))
                    if family(t.unit) == family(total.unit)
                    and t.sentence.paragraph == total.sentence.paragraph
                ]
                if len({(t.value.value, t.unit) for t in found}) != 1:
                    break
                parts.append(found[0])
            if len(parts) != len(DECOMPOSITIONS[total.indicator]):
                continue
            tf = factor(total.unit)
            lo = sum(p.value.lo * factor(p.unit) for p in parts) / tf
            hi = sum(p.value.hi * factor(p.unit) for p in parts) / tf
            implied = Interval(lo, hi)
            if implied.meets(total.value.interval()):
                continue
            note = " + ".join(p.written for p in parts)
            self.flag(
                finding(
                    total,
                    implied_text(implied, total.value.decimals, total.unit or ""),
                    "parts",
                    f"{note}（各分项之和）",
                )
            )


def _item_counts(text: str) -> set[int] | None:
    """How many names a list (A、B和C) may hold: a name may itself hold 和/及 (批发和零售业), so
    both readings of the last connector are counted; None when the list cannot be read."""
    text = re.sub(r"\([^)]*\)", "", text.split("，")[0].split(",")[0]).strip(":： ")
    if not text or text.endswith("等") or re.search(r"\d", text):
        return None
    names = [n for n in text.split("、") if n]
    whole = len(names)
    last = re.split(r"以及|和|及|与", names[-1], maxsplit=1)
    split = whole - 1 + len([n for n in last if n])
    if any(len(n) > 16 for n in names):
        return None
    return {whole, split}


def _items(text: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", "", text.split("，")[0].split(",")[0]).strip(":： ")
    return [i for i in re.split(r"、|以及|和|及|与", text) if i]


def _same_period(a: Period | None, b: Period | None) -> bool:
    if a is None or b is None:
        return False
    if (a.first_month, a.last_month, a.kind) != (b.first_month, b.last_month, b.kind):
        return False
    return a.year is None or b.year is None or a.year == b.year


def reference_period(period: Period | None, ref: str) -> Period | None:
    """The period a comparison names: 一季度, 上半年, 1-8月, 上季度 (a quarter before), 上月."""
    if period is None:
        return None
    if ref == "上季度":
        return period.shift(-1, 3) if period.last_month % 3 == 0 else None
    if ref == "上月":
        return period.shift(-1, 1)
    if ref in ("上年同期", "年初") or ref.startswith(("全", "目标", "年度", "预期")):
        return None
    try:
        found = parse_period(ref)
    except PeriodError:
        return None
    return found.with_year(period.year) if found.year is None else found


def _signed_pp(implied: Interval, stated: Num, ref: str, up: str, down: str) -> str:
    d = max(stated.decimals, 1)
    value = round(implied.mid, d)
    if value == 0:
        return f"与{ref}持平"
    about = "约" if abs(implied.hi - implied.lo) >= 10.0**-d else ""
    return f"{up if value > 0 else down}{ref}{about}{abs(value):.{d}f}个百分点"


def _schedule_text(gap: float, stated: Num) -> str:
    """The schedule gap as the bureau writes it: completion − months / 12 × 100 (the month-based
    time progress), with the stated figure's decimals."""
    d = max(stated.decimals, 1)
    value = round(gap, d)
    if value == 0:
        return "与序时进度持平"
    return f"{'超' if value > 0 else '差'}序时进度{abs(value):.{d}f}个百分点"


def _growth_text(implied: Interval, stated: Num) -> str:
    d = max(stated.decimals, 1)
    if abs(implied.hi - implied.lo) >= 10.0**-d:
        return f"{implied.lo:.{d}f}%～{implied.hi:.{d}f}%"
    value = round(implied.mid, d)
    return f"增长{value:.{d}f}%" if value >= 0 else f"下降{-value:.{d}f}%"


def check_text(statements: list[Statement]) -> list[Finding]:
    """Every finding of the checks inside the text."""
    return Checker(statements).run()


__all__ = ["Checker", "check_text", "finding", "reference_period"]
