"""Quantitative statements read from bureau prose: what each figure of a text says.

A passage is folded (full-width to half-width, no spaces) and cut into sentences (。！？；) and
clauses (，：). Each sentence is scanned once with the patterns below, in priority order, each
place of the text taken by the first pattern that claims it:

=============  ==========================================================================
kind           written
=============  ==========================================================================
rank_fromto    由第5位前移至第3位
schedule       超序时进度1.3个百分点 / 差(欠)序时进度8.1个百分点 / 与序时进度持平
pp             高于全市0.1个百分点 / 比全省（6.1%）高0.5个百分点 / 较一季度提高0.8个百分点 /
               同比回落1.5个百分点 / 与全市持平
completion     完成年度目标(任务)的76.3% / 完成年度任务23个的131% / 占年度投资计划的16.9%
share          占53个的26.0% / 占固定资产投资的35.2% / 占全市的比重为12.5%
rank_change    较上季度前移2位 / 后退1位 / 位次与上季度持平
rank           居全市第3位 / 居首位 / 居倒数第2位 / 总量居第2位
growth         增长6.7% / 下降4.8% / 增速为6.7%
structure      三次产业结构为16.6:43.2:40.2
tally          16项指标 … 4项前移、7项持平、5项后退 / 3升4平9降
list           3项指标…分别是A、B和C / A、B、C等3项指标
portion        53个项目中有14个
amount         44.4亿元 / 28个 — with its role: level, base (上年同期), increase (比上年增加),
               target (年度目标), gap (还差)
=============  ==========================================================================

Indicator names (with synonyms, :mod:`workbooks.proofread.vocabulary`), regions and period
labels (the one period grammar, :func:`udfs.periods.find_labels`) found outside the claimed
places set the *subject* the following figures of the sentence are about. A period holds for the
rest of the paragraph; a region and an indicator for the rest of the sentence (a completion or
schedule gap naming none after a ； takes the indicator of the sentence before). A figure whose
role cannot be told is not read (it is never guessed).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from udfs.periods import Period, find_labels, fold_with_map
from workbooks.proofread.numbers import EXACT_UNITS, Num, cn_int
from workbooks.proofread.reading import Passage
from workbooks.proofread.vocabulary import (
    BENCHMARKS,
    HOME,
    HOME_WORDS,
    INDICATOR_PATTERN,
    SCOPE_WORDS,
    canonical,
    other_measure,
)
from workbooks.tables import is_aggregate

NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
CNN = r"\d+|[一二两三四五六七八九十]{1,3}"
UNITS = (
    "亿美元|万美元|美元|亿元|万元|元|万人次|人次|万人|人|亿千瓦时|万千瓦时|千瓦时|万吨|吨"
    "|万平方米|平方米|万亩|亩|公里|个(?!百分点)|项|家|户|辆|套|座|所"
)
_REF_PERIOD = r"上年同期|去年同期|上年|去年|上季度|上期|上月|一季度|上半年|前三季度|年初|1-\d{1,2}月份?|前\d{1,2}个月"
_REF_REGION = (
    r"全市平均水平|全省平均水平|全国平均水平|全市平均|全省平均|全国平均|全市|全省|全国|全州"
)
_REF = f"{_REF_REGION}|{_REF_PERIOD}|年度目标|预期目标|目标"
_BENCH = rf"\((?:增长|增速|下降|为)?(?P<bsign>-)?(?P<bench>{NUM})%\)"
_UP = "提高|加快|上升|提升|回升|高出|增加|高|快|收窄"
_DOWN = "回落|放缓|下降|降低|减少|低|慢|扩大|下滑"
_RANK_UP = "前移|上升|提升|前进|进位|上移|提高|跃升"
_RANK_DOWN = "后退|下降|下滑|后移|回落|退后|退位|下移"
_TARGET_WORDS = r"(?:目标任务|目标|任务|计划)"
_TARGET_PREFIX = r"(?:年度|全年|今年|年)[^，,;；。%的]{0,8}?" + _TARGET_WORDS

# The patterns, in priority order: (kind, compiled pattern).
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "rank_fromto",
        re.compile(
            rf"由(?P<ref>{_REF_PERIOD})?的?第(?P<a>{CNN})(?:位|名)"
            rf"(?P<dir>{_RANK_UP}|{_RANK_DOWN})(?:至|到|为)第(?P<b>{CNN})(?:位|名)"
        ),
    ),
    (
        "schedule",
        re.compile(
            r"(?P<dir>超过|超出|超|快于|高于|领先|差|欠|落后于?|低于|慢于|滞后于?)"
            rf"(?:序时|时序|时间)进度(?P<n>{NUM})个?百分点"
            r"|与(?:序时|时序|时间)进度持平(?P<zero>)"
        ),
    ),
    # 3项与全市持平: a tally's tie, before 与全市持平 is read as a comparison
    (
        "tally_item",
        re.compile(rf"(?<![\d.])(?P<n>{CNN})项(?:指标)?(?P<cat>与(?:{_REF_REGION})持平)"),
    ),
    (
        "pp",
        re.compile(
            rf"(?P<dir>高于|低于|快于|慢于)(?P<ref>{_REF})(?:{_BENCH})?(?P<n>{NUM})个?百分点"
            rf"|(?P<pre>比|较|同比|与)(?P<ref2>{_REF})?(?:{_BENCH.replace('bsign', 'bsign2').replace('bench', 'bench2')})?"
            rf"(?:相比)?,?(?:增速|增幅)?(?P<dir2>{_UP}|{_DOWN})了?(?P<n2>{NUM})个?百分点"
            rf"|(?<!位次)与(?P<ref3>{_REF_REGION}|{_REF_PERIOD})持平(?P<zero>)"
        ),
    ),
    (
        "completion",
        re.compile(
            rf"(?:完成了?|占|为)(?P<what>{_TARGET_PREFIX}|{_TARGET_WORDS})(?P<tgt>[^，,;；。%的]{{0,20}}?)"
            rf"的(?P<n>{NUM})%"
            rf"|完成率(?:为|达到?)?(?P<n2>{NUM})%"
        ),
    ),
    (
        "share",
        re.compile(
            rf"占(?P<den>[^，,;；。%]{{0,24}}?)的?(?:比重|比例)?(?:为|达到?|是)?(?P<n>{NUM})%"
        ),
    ),
    (
        "rank_change",
        re.compile(
            rf"(?:(?:较|比)(?P<ref>{_REF_PERIOD})?)?(?:位次)?(?P<dir>{_RANK_UP}|{_RANK_DOWN})了?"
            rf"(?P<n>{CNN})(?:个)?(?:位次|位|名)"
            rf"|(?:位次)?(?:与|较)(?P<ref2>{_REF_PERIOD})(?:相比)?(?:位次)?持平(?P<zero>)"
        ),
    ),
    (
        "rank",
        re.compile(
            rf"(?P<lvl>总量|规模)?(?P<gr>增速|增幅)?(?:居|位居|排名|排在|排位|位列|列|位于|名列|处于|排)"
            rf"(?:于)?(?P<ref>{_REF_REGION})?(?:各县区|县区|各县\(市、区\)|县\(市、区\))?(?:中)?的?"
            rf"(?:(?P<bot>倒数)?第(?P<n>{CNN})(?:位|名)|(?P<first>首位|第一))"
        ),
    ),
    (
        "growth",
        re.compile(
            r"(?P<dir>增长|下降|减少|下滑|增速(?:为|达到?|是)?|增幅(?:为|达到?)?|降幅(?:为|达)?"
            rf"|增长率(?:为)?)了?(?P<sign>-)?(?P<n>{NUM})%"
        ),
    ),
    (
        "structure",
        re.compile(
            rf"产业结构(?:比例)?(?:调整为|为|是|比为)?(?P<a>{NUM}):(?P<b>{NUM}):(?P<c>{NUM})"
        ),
    ),
    ("triple", re.compile(r"(?P<a>\d+)(?:项)?升(?P<b>\d+)(?:项)?平(?P<c>\d+)(?:项)?降")),
    (
        "portion",
        re.compile(
            rf"(?P<tot>{CNN})(?P<u>个|项|家)[^，,;；。%]{{0,16}}?中(?:的|有)(?P<n>{CNN})(?P=u)"
        ),
    ),
    ("count", re.compile(rf"(?P<n>{CNN})项(?:主要)?(?:经济)?(?:指标|目标)")),
    (
        "tally_item",
        re.compile(rf"(?<![\d.])(?P<n>{CNN})项(?:指标)?(?P<cat>[\u4e00-\u9fff]{{1,6}})"),
    ),
    ("amount", re.compile(rf"(?<![第\d.])(?P<sign>-)?(?P<n>{NUM})(?P<u>{UNITS})")),
]

#: A category of a tally right after its count (4项指标位次前移, 5项增速高于全市): an item.
_TALLY_CATEGORY = (
    r"(?:的)?(?:位次|增速|增幅|排名|总量)?(?:前移|上升|提升|进位|上移|持平|后退|下降|下滑|退位"
    r"|下移|高于|低于|快于|慢于|正增长|负增长|增长|与全市持平|与全省持平)"
)
_TO_LEVEL = re.compile(r"(增加到|增长到|提高到|增至|提高至|上升到|上升至|达到)$")
_INCREASE_PREFIX = re.compile(r"(增加|增长|多|净增|增收|提高)了?$")
_DECREASE_PREFIX = re.compile(r"(减少|少|下降|减收|降低)了?$")
_BASE_PREFIX = re.compile(
    r"(?:(?:上年同期|去年同期|上年|去年)(?:的|为|是|完成|实现)?|由(?:上年同期|上年|去年同期|去年)?的?)$"
)
_TARGET_PREFIX_RE = re.compile(r"(目标|任务|计划)(任务)?(为|是|数)?$")
_GAP_PREFIX = re.compile(r"(还差|差距|缺口|相差|尚差|还需完成|差)(为|是)?$")
_TARGET_CONTEXT = re.compile(r"(目标|预期|计划|力争|确保|需|要|预计|争取)")
_BASE_GROWTH = re.compile(r"(?<![比较与同])(上年同期|去年同期|上年|去年)(为|是)?$")
_CLAUSE_END = re.compile(r"[，,]|:(?!\d)")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_HOME = "|".join(HOME_WORDS)
_QUOTE_TRIM = " \t\u3000，,。；;：:！？!?"


@dataclass
class Sentence:
    """One sentence of a passage: its folded text and where its characters stand."""

    passage: Passage
    index: int  # sentence number in the document
    paragraph: int  # passage number (0-based) in the document
    text: str  # folded
    where: list[int]  # folded position → position in passage.text (plus the end)
    clauses: list[tuple[int, int]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)  # in the order read

    def clause_of(self, pos: int) -> tuple[int, int]:
        for start, end in self.clauses:
            if start <= pos < end:
                return start, end
        return 0, len(self.text)

    def quote(self, start: int, end: int) -> str:
        """The clauses around folded positions start..end, as written in the passage."""
        a = self.clause_of(start)[0]
        b = self.clause_of(max(start, end - 1))[1]
        original = self.passage.text
        lo = self.where[a]
        hi = self.where[b - 1] + 1 if b > 0 else lo
        return original[lo:hi].strip(_QUOTE_TRIM)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Positions in the passage's own text of the clauses around start..end (the text
        :meth:`quote` gives)."""
        a = self.clause_of(start)[0]
        b = self.clause_of(max(start, end - 1))[1]
        lo, hi = self.where[a], self.where[b - 1] + 1
        original = self.passage.text
        while lo < hi and original[lo] in _QUOTE_TRIM:
            lo += 1
        while hi > lo and original[hi - 1] in _QUOTE_TRIM:
            hi -= 1
        return lo, hi


@dataclass
class Statement:
    """One figure of the text and what it says."""

    kind: str
    value: Num | None
    sentence: Sentence
    start: int
    end: int
    unit: str | None = None
    role: str = (
        "level"  # level, base, increase, target, gap (amounts); current, base, target (rates)
    )
    indicator: str | None = None
    region: str | None = None
    region_explicit: bool = False
    period: Period | None = None
    period_explicit: bool = False
    ref: str | None = None  # benchmark or reference period of a comparison
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def quote(self) -> str:
        return self.sentence.quote(self.start, self.end)

    @property
    def written(self) -> str:
        """The figure as written (the matched words)."""
        lo, hi = self.sentence.where[self.start], self.sentence.where[self.end - 1] + 1
        return self.sentence.passage.text[lo:hi]


@dataclass
class _Match:
    kind: str
    start: int
    end: int
    m: re.Match[str]


@dataclass
class _Context:
    period: Period | None = None
    period_explicit: bool = False
    region: str = HOME
    region_explicit: bool = False
    indicator: str | None = None
    after_semicolon: bool = False  # the sentence before ended with ；
    carried: str | None = None  # its indicator, for a completion or schedule naming none


def _subject(context: _Context) -> str | None:
    """The indicator of a completion or schedule: the one named in its sentence, else the one
    of the sentence before when a ；joins them (「…居全市第2位；完成年度目标的72.6%」)."""
    return context.indicator or context.carried


def _claims(text: str) -> list[_Match]:
    """Every pattern match of a sentence, each position taken by the first pattern claiming it."""
    taken = [False] * (len(text) + 1)
    found: list[_Match] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if m.end() == m.start() or any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append(_Match(kind, m.start(), m.end(), m))
    return sorted(found, key=lambda x: x.start)


def _region_words(regions: Iterable[str]) -> re.Pattern[str]:
    words = set(BENCHMARKS) | set(HOME_WORDS) | {r for r in regions if r}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _num(text: str | None, exact: bool = False, sign: float = 1.0) -> Num | None:
    if text is None:
        return None
    if re.fullmatch(r"[一二两三四五六七八九十]+", text):
        value = cn_int(text)
        return None if value is None else Num(float(value), 0, True)
    return Num.parse(text, exact=exact, sign=sign)


def _ref_name(ref: str | None) -> str | None:
    if ref is None:
        return None
    for word in ("全市", "全省", "全国", "全州"):
        if ref.startswith(word):
            return word
    return {"去年同期": "上年同期", "上年": "上年同期", "去年": "上年同期", "上期": "上季度"}.get(
        ref, ref
    )


class Reader:
    """Reads the statements of a document's passages."""

    def __init__(self, regions: Iterable[str] = (), home: str | None = None):
        self.region_names = [r for r in regions if r]
        self.home = home
        self.region_pattern = _region_words(self.region_names)
        self.sentences: list[Sentence] = []
        self.statements: list[Statement] = []
        self.document_period: Period | None = None
        self.document_year: int | None = None
        self.section_region: str | None = None  # the county a title or heading names

    # --- the document --------------------------------------------------------------------

    def read(self, passages: list[Passage]) -> list[Statement]:
        self._document_period(passages)
        for number, passage in enumerate(passages):
            self._passage(number, passage)
        return self.statements

    def _document_period(self, passages: list[Passage]) -> None:
        """The period of the text where a paragraph does not say it: the first period label of
        the document (its title, usually) that is not a comparison; its year, if written."""
        for passage in passages:
            text, _ = fold_with_map(passage.text)
            for label in find_labels(text):
                if _is_reference(text, label.start, label.end) or _single_quarter(
                    text, label.start, label.end
                ):
                    continue
                if self.document_period is None:
                    self.document_period = label.period
                if label.period.year and self.document_year is None:
                    self.document_year = label.period.year
            year = re.search(r"(?<!\d)(20\d{2})年", text)
            if year and self.document_year is None:
                self.document_year = int(year[1])
            if self.document_period is not None and self.document_year is not None:
                return

    def _passage(self, number: int, passage: Passage) -> None:
        text, where = fold_with_map(passage.text)
        period = self.document_period
        if period is not None and period.year is None and self.document_year is not None:
            period = period.with_year(self.document_year)
        heading = self._heading_region(text)
        if heading is not None:
            self.section_region = heading
        context = _Context(period)
        if self.section_region is not None:
            context.region = HOME if self.section_region == self.home else self.section_region
        start = 0
        for m in [*_SENTENCE_END.finditer(text), None]:
            end = m.end() if m else len(text)
            if end > start:
                self._sentence(number, passage, text[start:end], where[start : end + 1], context)
                context.after_semicolon = text[end - 1] in "；;"
            start = end

    def _heading_region(self, text: str) -> str | None:
        """The county a title or heading names (「东山区2026年上半年经济运行情况分析」): the
        region of the passages after it until the next one. A heading is a short passage
        without a sentence or clause mark; it must name exactly one county of the workbook."""
        if len(text) > 40 or re.search(r"[。！？!?；;，,]", text):
            return None
        named = {
            m[0]
            for m in self.region_pattern.finditer(text)
            if m[0] in self.region_names
            and m[0] not in BENCHMARKS
            and m[0] not in HOME_WORDS
            and not is_aggregate(m[0])
        }
        return named.pop() if len(named) == 1 else None

    # --- one sentence --------------------------------------------------------------------

    def _sentence(
        self, number: int, passage: Passage, text: str, where: list[int], context: _Context
    ) -> None:
        sentence = Sentence(passage, len(self.sentences), number, text, where)
        cuts = [0, *[m.end() for m in _CLAUSE_END.finditer(text)], len(text)]
        sentence.clauses = [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
        self.sentences.append(sentence)
        matches = _claims(text)
        taken = [False] * (len(text) + 1)
        for x in matches:
            for i in range(x.start, x.end):
                taken[i] = True
        events: list[tuple[int, str, Any]] = [(x.start, "figure", x) for x in matches]
        for label in find_labels(text):
            if any(taken[label.start : label.end]):
                continue
            if re.search(r"(?:^|[,:])" + _PREVIOUS_YEAR + "$", text[: label.start]):
                events.append((label.start, "period", None))  # 上年全年，…: not this year's
            elif _single_quarter(text, label.start, label.end):
                if not _is_reference(text, label.start, label.end):
                    events.append((label.start, "period", None))  # 二季度: which one is unknown
            elif not _is_reference(text, label.start, label.end):
                events.append((label.start, "period", label.period))
        other_until = -1
        for m in INDICATOR_PATTERN.finditer(text):
            if any(taken[m.start() : m.end()]) or m.start() < other_until:
                continue  # a name inside another measure (规上工业税收) is not the subject
            measure = other_measure(text, m.end()) if m[0] in SCOPE_WORDS else None
            if measure is not None:  # 规上工业实现营业收入: a measure the table does not have
                events.append((m.start(), "unknown", None))
                other_until = m.end() + measure.end()
            else:
                events.append((m.start(), "indicator", canonical(m[0])))
        for m in self.region_pattern.finditer(text):
            if not any(taken[m.start() : m.end()]) and not _compared(text, m.start()):
                events.append((m.start(), "region", m[0]))
        for start, end in sentence.clauses:
            if _unknown_subject(text[start:end]):
                events.append((start, "unknown", None))
        for m in re.finditer(r"[()]", text):
            events.append((m.start(), "open" if m[0] == "(" else "close", None))
        events.sort(key=lambda e: (e[0], e[1] not in ("unknown", "period")))
        context.carried = context.indicator if context.after_semicolon else None
        context.indicator = None
        saved: list[_Context] = []
        for _, what, item in events:
            if what == "period":
                if item is not None and item.year is None and self.document_year is not None:
                    item = item.with_year(self.document_year)
                context.period, context.period_explicit = item, True
            elif what == "open":
                saved.append(replace(context))
            elif what == "close":
                if saved:  # what a bracket names holds inside it only
                    outer = saved.pop()
                    context.period, context.period_explicit = outer.period, outer.period_explicit
                    context.region, context.region_explicit = outer.region, outer.region_explicit
                    context.indicator = outer.indicator
            elif what in ("indicator", "unknown"):
                context.indicator = item
                context.carried = None
            elif what == "region":
                context.region = (
                    HOME if item in HOME_WORDS or item == self.home else BENCHMARKS.get(item, item)
                )
                context.region_explicit = True
            else:
                self._figure(sentence, item, context)

    def _add(
        self,
        sentence: Sentence,
        x: _Match,
        kind: str,
        value: Num | None,
        context: _Context,
        **kw: Any,
    ) -> Statement:
        indicator = kw.pop("indicator", context.indicator)
        statement = Statement(
            kind,
            value,
            sentence,
            x.start,
            x.end,
            indicator=indicator,
            region=context.region,
            region_explicit=context.region_explicit,
            period=context.period,
            period_explicit=context.period_explicit,
            **kw,
        )
        self.statements.append(statement)
        sentence.statements.append(statement)
        return statement

    def _figure(self, sentence: Sentence, x: _Match, context: _Context) -> None:
        m, text = x.m, sentence.text
        clause_start = sentence.clause_of(x.start)[0]
        before = text[clause_start : x.start]
        if "分别" in before and x.kind not in ("count", "tally_item"):
            return  # 「分别增长3.5%、6.2%和5.8%」: which figure is whose is not read
        if x.kind == "rank_fromto":
            a, b = _num(m["a"], exact=True), _num(m["b"], exact=True)
            sign = 1 if re.fullmatch(_RANK_UP, m["dir"]) else -1
            if a and b:
                self._add(
                    sentence,
                    x,
                    "rank_fromto",
                    b,
                    context,
                    ref=_ref_name(m["ref"]),
                    extra={"from": a, "sign": sign},
                )
        elif x.kind == "schedule":
            if m["zero"] is not None:
                value = Num(0.0, 1)
            else:
                sign = 1.0 if m["dir"] in ("超过", "超出", "超", "快于", "高于", "领先") else -1.0
                value = Num.parse(m["n"], sign=sign)
            self._add(sentence, x, "schedule", value, context, indicator=_subject(context))
        elif x.kind == "pp":
            self._pp(sentence, x, context)
        elif x.kind == "completion":
            n = m["n"] or m["n2"]
            target = _bare_amount(m["tgt"]) if m["tgt"] else None
            self._add(
                sentence,
                x,
                "completion",
                Num.parse(n),
                context,
                indicator=_subject(context),
                extra={"target": target},
            )
        elif x.kind == "share":
            self._share(sentence, x, context)
        elif x.kind == "rank_change":
            if m["zero"] is not None:
                self._add(
                    sentence, x, "rank_change", Num(0.0, 0, True), context, ref=_ref_name(m["ref2"])
                )
                return
            sign = 1.0 if re.fullmatch(_RANK_UP, m["dir"]) else -1.0
            n = _num(m["n"], exact=True)
            if n is not None:
                value = Num(sign * n.value, 0, True)
                self._add(sentence, x, "rank_change", value, context, ref=_ref_name(m["ref"]))
        elif x.kind == "rank":
            if m["first"]:
                value: Num | None = Num(1.0, 0, True)
            else:
                value = _num(m["n"], exact=True)
            if value is not None:
                self._add(
                    sentence,
                    x,
                    "rank",
                    value,
                    context,
                    ref=_ref_name(m["ref"]),
                    extra={
                        "bottom": bool(m["bot"]),
                        "level": bool(m["lvl"]),
                        "growth": bool(m["gr"]),
                    },
                )
        elif x.kind == "growth":
            negative = m["dir"] in ("下降", "减少", "下滑") or m["dir"].startswith("降幅")
            sign = -1.0 if negative else 1.0
            if m["sign"]:
                sign = -sign
            value = Num.parse(m["n"], sign=sign)
            role = "current"
            if _TARGET_CONTEXT.search(before):
                role = "target"
            elif _BASE_GROWTH.search(before):
                role = "base"
            elif re.search(r"(年均|平均|环比|当月|单月|当季|单季)$", before):
                role = "other"  # 两年平均增长, 环比增长, 9月当月增长: not the period's growth
            self._add(sentence, x, "growth", value, context, role=role)
        elif x.kind == "structure":
            parts = [Num.parse(m[k]) for k in "abc"]
            self._add(sentence, x, "structure", None, context, extra={"parts": parts})
        elif x.kind == "triple":
            parts = [Num.parse(m[k], exact=True) for k in "abc"]
            self._add(
                sentence,
                x,
                "tally",
                None,
                context,
                extra={"parts": parts, "cats": ["升", "平", "降"]},
            )
        elif x.kind == "portion":
            total, part = _num(m["tot"], exact=True), _num(m["n"], exact=True)
            if total and part:
                self._add(
                    sentence, x, "portion", part, context, unit=m["u"], extra={"total": total}
                )
        elif x.kind == "count":
            n = _num(m["n"], exact=True)
            if n:
                after = text[x.end :]
                cat = re.match(_TALLY_CATEGORY, after)
                total = after.startswith("中") or bool(re.search(r"(共|全部|总计|合计)$", before))
                extra = {"total": total and cat is None, "cat": cat[0] if cat else None}
                self._add(sentence, x, "count", n, context, extra=extra)
        elif x.kind == "tally_item":
            n = _num(m["n"], exact=True)
            if n:
                self._add(sentence, x, "tally_item", n, context, extra={"cat": m["cat"]})
        elif x.kind == "amount":
            self._amount(sentence, x, context, before)

    def _pp(self, sentence: Sentence, x: _Match, context: _Context) -> None:
        m = x.m
        bench = None
        if m["zero"] is not None:
            value = Num(0.0, 1)
            ref = m["ref3"]
        elif m["n"]:
            sign = 1.0 if m["dir"] in ("高于", "快于") else -1.0
            value, ref = Num.parse(m["n"], sign=sign), m["ref"]
            if m["bench"]:
                bench = Num.parse(m["bench"], sign=-1.0 if m["bsign"] else 1.0)
        else:
            sign = 1.0 if re.fullmatch(_UP, m["dir2"]) else -1.0
            value, ref = Num.parse(m["n2"], sign=sign), m["ref2"]
            if ref is None and m["pre"] == "同比":
                ref = "上年同期"
            if m["bench2"]:
                bench = Num.parse(m["bench2"], sign=-1.0 if m["bsign2"] else 1.0)
            if m["dir2"] in ("收窄", "扩大"):
                self._add(
                    sentence,
                    x,
                    "pp",
                    value,
                    context,
                    ref=_ref_name(ref),
                    extra={"bench": bench, "narrow": True},
                )
                return
        if ref is None:
            return  # a change without its reference cannot be checked
        self._add(sentence, x, "pp", value, context, ref=_ref_name(ref), extra={"bench": bench})

    def _share(self, sentence: Sentence, x: _Match, context: _Context) -> None:
        m = x.m
        den = (m["den"] or "").rstrip("的")
        value = Num.parse(m["n"])
        extra: dict[str, Any] = {}
        amount = _bare_amount(den) or _named_amount(den)
        if amount is not None:
            extra["den_amount"] = amount
        elif den in ("", "比"):
            extra["den_before"] = True  # 其中新开工项目14个，占26.4%: of the total before 其中
        else:
            found = INDICATOR_PATTERN.fullmatch(den.removeprefix("全县").removeprefix("全市"))
            region = next((w for w in BENCHMARKS if den.startswith(w)), None)
            if found:
                extra["den_indicator"] = canonical(found[0])
                extra["den_region"] = BENCHMARKS.get(region, HOME) if region else None
            elif region and den == region:
                extra["den_region"] = region
            else:
                extra["den_text"] = den
        self._add(sentence, x, "share", value, context, extra=extra)

    def _amount(self, sentence: Sentence, x: _Match, context: _Context, before: str) -> None:
        m = x.m
        unit = m["u"]
        exact = unit in EXACT_UNITS
        sign = -1.0 if m["sign"] else 1.0
        role = "level"
        tail = before[-10:]
        after = sentence.text[x.end : x.end + 8]
        if _TO_LEVEL.search(tail):
            role = "level"
        elif re.search(r"(年初|上月|上季度|季初|月初|一季度|上半年|上期)", tail) and (
            _DECREASE_PREFIX.search(tail) or _INCREASE_PREFIX.search(tail)
        ):
            role = "change"  # against another date than last year: not the base of a growth
        elif _DECREASE_PREFIX.search(tail):
            role, sign = "increase", -sign
        elif _INCREASE_PREFIX.search(tail):
            role = "increase"
        elif _BASE_PREFIX.search(tail):
            role = "base"
        elif _GAP_PREFIX.search(tail):
            role = "gap"
        elif _TARGET_PREFIX_RE.search(tail) or (
            _TARGET_CONTEXT.search(before) and re.search(_TARGET_WORDS, before)
        ):
            role = "target"
        elif re.match(r"的?(?:年度|全年)?(?:目标|任务|计划)", after):
            role = "target"  # 距离17.38亿元的目标任务
        elif re.search(r"[比较]", before):
            role = "change"  # 比全市平均水平高1200元: a difference, not a level
        self._add(
            sentence,
            x,
            "amount",
            Num.parse(m["n"], exact=exact, sign=sign),
            context,
            unit=unit,
            role=role,
        )


def _target_amount(text: str) -> tuple[Num, str] | None:
    """The one amount written inside a target or denominator phrase (（173873万元）, 23个)."""
    found = list(re.finditer(rf"(?<![第\d.])(?P<n>{NUM})(?P<u>{UNITS})", text))
    if len(found) != 1:
        return None
    unit = found[0]["u"]
    return Num.parse(found[0]["n"], exact=unit in EXACT_UNITS), unit


def _bare_amount(text: str) -> tuple[Num, str] | None:
    """The amount a target or denominator phrase consists of: 「23个」, 「（173873万元）」,
    「17.38亿元」, 「53个项目」 — not a phrase that merely mentions one (「11个项目年度计划」)."""
    text = text.strip("()（）")
    m = re.fullmatch(
        rf"(?:全县|全市|共|总数)?(?P<n>{NUM})(?P<u>{UNITS})[\u4e00-\u9fff]{{0,4}}", text
    )
    if m is None or re.search(r"计划|目标|任务|投资|总额|收入", text[m.end("u") :]):
        return None
    return Num.parse(m["n"], exact=m["u"] in EXACT_UNITS), m["u"]


_PREVIOUS_YEAR = r"(?:上年|去年|上一年|前一年)(?:的|同期)?"


def _named_amount(text: str) -> tuple[Num, str] | None:
    """The amount a denominator names after its indicator: 「一般公共预算收入3.57亿元」."""
    m = re.fullmatch(rf"(?P<name>[\u4e00-\u9fff]{{2,16}}?)(?P<n>{NUM})(?P<u>{UNITS})", text)
    if m is None or not INDICATOR_PATTERN.fullmatch(m["name"].removeprefix("全县")):
        return None
    return Num.parse(m["n"], exact=m["u"] in EXACT_UNITS), m["u"]


def _is_reference(text: str, start: int, end: int) -> bool:
    """A period label used as a comparison (较一季度, 比上半年, 较上年全年, 比去年四季度), a span
    (一季度以来), a target (全年目标) or a period of the year before (上年全年, 去年一季度) — not
    the period the figures are for."""
    before = text[max(0, start - 6) : start]
    after = text[end : end + 2]
    return (
        bool(re.search(r"(较|比|与|同|由|从|和)$", before))
        or _previous_year(text, start)
        or after.startswith(("以来", "目标", "任务", "计划", "要", "需", "将", "力争"))
    )


def _single_quarter(text: str, start: int, end: int) -> bool:
    """二季度, 第三季度, 2026年四季度 written without 前 or 单季: in bureau prose usually the
    quarter alone (其中一季度增长7.6%，二季度增长7.1%), sometimes the year to its end. Which one
    is meant is not guessed: the figures after it are not tied to a period."""
    label = text[start:end]
    return bool(re.fullmatch(r"(?:\d{4}年)?第?[二三四]季度", label)) and not text[:start].endswith(
        "前"
    )


def _previous_year(text: str, start: int) -> bool:
    """A period label of the year before (上年全年, 较去年四季度): never the current period."""
    return bool(re.search(_PREVIOUS_YEAR + "$", text[max(0, start - 6) : start]))


def _compared(text: str, start: int) -> bool:
    """A region named as a benchmark or a rank's field (高于全市, 居全市, 占全市)."""
    return bool(
        re.search(r"(于|比|较|与|居|占|在|列|排名|为|同)$", text[max(0, start - 2) : start])
    )


#: Words a clause about the current subject starts with (verbs, comparisons, measures).
_PREDICATE = re.compile(
    r"^(?:其中|全县|全区|我县|我区|本县|全市|全省|全国|,|:)*"
    r"(?:完成|实现|增长|下降|减少|同比|比|较|高于|低于|快于|慢于|居|位居|排|位列|列|占|增速|增幅"
    r"|降幅|总量|累计|达|共|为|是|按|分别|与|超|差|欠|回落|提高|加快|放缓|前移|后退|上升|提升|持平"
    r"|位次|首位|第|增加|新增|上年|去年|年度|全年|目标|任务|计划|由|从|有|约|近|预计|仍|但|且|并|也"
    r"|已|其|继续|保持|\d|\()"
)


def _unknown_subject(clause: str) -> bool:
    """A clause that starts with a name the synonym table does not know (限额以上零售额12.3亿元,
    签约金额45.6亿元): its figures are not about the indicator named before."""
    clause = re.sub(r"^[,，:：;；。]+", "", clause)
    if not clause or _PREDICATE.match(clause):
        return False
    head = re.split(r"[\d(]|完成|实现|增长|下降|为|达", clause, maxsplit=1)[0]
    for label in find_labels(head):
        head = head.replace(head[label.start : label.end], "")
    if INDICATOR_PATTERN.search(head):
        return False
    return len(re.findall(r"[\u4e00-\u9fff]", head)) >= 2


def read_statements(
    passages: list[Passage], regions: Iterable[str] = (), home: str | None = None
) -> tuple[list[Statement], Reader]:
    """The statements of ``passages`` and the reader (its sentences, the document's period)."""
    reader = Reader(regions, home)
    return reader.read(passages), reader


__all__ = ["PATTERNS", "Reader", "Sentence", "Statement", "fold_with_map", "read_statements"]
