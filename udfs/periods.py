"""Reporting periods: the one grammar of the period labels bureaus write, and time progress.

Periods are cumulative from January (docs/definitions.md §1.6): 1-2月 … 1-12月, 一季度 = 1-3月,
上半年 = 1-6月, 前三季度 = 1-9月, 全年 = 1-12月. A quarter word means the cumulative period
ending with that quarter (三季度 = 2026Q3 = 1-9月), as a month does (2026年8月 = the report of
August, 1-8月). A single month or quarter is written 当月/单月 (8月当月) or 单季/当季
(三季度单季, 7-9月); a point in time (balances) 末/底 (3月末, 截至3月底, 三季度末).
``序时进度 = months_elapsed / 12 × 100`` uses the last month only.

One table is the whole grammar (parse ← → label, :func:`parse_label` / :func:`format_period`):

=========  ===============================================  =========================
form       written                                          period
=========  ===============================================  =========================
``Q``      2026Q3, 2026q3, 2026-Q3, 2026年Q3, Q3            1-9月, step a quarter
``months`` 2026年1-9月, 1—9月份, 1至9月, 1~9月累计, 7-9月      1-9月 (7-9月: single span)
``first``  前9个月, 2026年前三个月                           1-9月
``quarter``2026年三季度, 第三季度, 3季度, 三季度末, 三季度单季  1-9月 / point 9月末 / 7-9月
``words``  一季度, 上半年, 前三季度, 全年 (一至三季度, 下半年)   1-3, 1-6, 1-9, 1-12月
``month``  2026年8月, 8月份, 十二月, 8月当月, 3月末, 截至3月底   1-8月 / 8月 alone / point
``ym``     2026-09, 2026.9                                  1-9月, step a month
=========  ===============================================  =========================

The *step* of a label is the cadence its form implies: a quarter for ``Q``, ``quarter`` and
``words``, a month for ``month`` and ``ym``; ``months`` and ``first`` do not say (1-9月 is
written by quarterly and monthly workbooks alike). :meth:`Period.shift` moves along a series of
that step; the cumulative monthly series skips January (1-12月 → next year's 1-2月, January is
never published alone).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from udfs.cleaning import fold

CUMULATIVE = "cumulative"
SINGLE = "single"
POINT = "point"

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
_CN_WRITE = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]

# Excel's serial 1 is 1900-01-01; the 1900 leap-year bug makes 1899-12-30 serial 0.
_EXCEL_EPOCH = dt.date(1899, 12, 30)


#: The messages of a label we cannot read; ``{}`` takes the label as the user wrote it.
UNREADABLE = "无法识别的期别「{}」（可写 1-9月、前三季度、2026Q3、2026年1-9月 等）"
NOT_A_MONTH = "无法识别的期别：{}（月份应为 1-12，日期应为 Excel 日期）"
NOT_A_LABEL = "无法识别的期别：{}"
BAD_MONTHS = "期别月份无效：{}"
CANNOT_SHIFT = "无法移动期别：{}"
PERIOD_MESSAGES = (UNREADABLE, NOT_A_MONTH, NOT_A_LABEL, BAD_MONTHS, CANNOT_SHIFT)


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
    """A reporting period: ``year`` (None if the label has none), the months it covers
    (``first_month``..``last_month``; the *end month* is ``last_month``), its ``kind``
    (:data:`CUMULATIVE` from January, :data:`SINGLE` month or quarter, :data:`POINT` in time) and
    the ``step`` of the series its label belongs to (3 quarterly, 1 monthly, None: not said).

    ``kind`` defaults to cumulative when ``first_month`` is 1, else single. ``step`` is how the
    period was written, not what it is: it takes no part in comparisons."""

    year: int | None
    first_month: int
    last_month: int
    kind: str = ""
    step: int | None = field(default=None, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not 1 <= self.first_month <= self.last_month <= 12:
            raise PeriodError(BAD_MONTHS, f"{self.first_month}-{self.last_month}月")
        kind = self.kind or (CUMULATIVE if self.first_month == 1 else SINGLE)
        if kind not in (CUMULATIVE, SINGLE, POINT):
            raise ValueError(f"unknown period kind {kind!r}")
        if kind == POINT and self.first_month != self.last_month:
            raise ValueError("a point in time has one month")
        if kind == CUMULATIVE and self.first_month != 1:
            raise ValueError("a cumulative period starts in January")
        object.__setattr__(self, "kind", kind)

    @property
    def month(self) -> int:
        """The end month."""
        return self.last_month

    @property
    def months_elapsed(self) -> int:
        """Months of the year that have passed at the end of the period."""
        return self.last_month

    @property
    def is_cumulative(self) -> bool:
        """True for 1-N月 style periods (累计)."""
        return self.kind == CUMULATIVE

    @property
    def time_progress(self) -> float:
        """序时进度 in percent: ``last_month / 12 × 100``."""
        return self.last_month / 12 * 100

    def with_year(self, year: int | None) -> Period:
        return replace(self, year=year)

    def label(self, style: Style | None = None) -> str:
        """The label in ``style`` (:func:`format_period`); by default the bureau's usual
        ``2026年1-9月`` (``2026年8月当月`` for one month, ``2026年3月末`` for a point)."""
        return format_period(self, style)

    def shift(self, steps: int, step: int | None = None) -> Period:
        """The period ``steps`` steps of ``step`` months later (negative: earlier) in its series.

        Quarterly: 2026年1-9月 +1 → 2026年1-12月 → 2027年1-3月. Monthly cumulative: 1-11月 → 1-12月
        → next year's 1-2月 (January is not published alone). A period without a year wraps
        around and stays without one."""
        step = step or self.step
        if step is None:
            raise ValueError("the step of the series is unknown")
        year = self.year or 0
        if self.kind == CUMULATIVE and step == 1:
            year, index = divmod(year * 11 + self.last_month - 2 + steps, 11)
            last = index + 2
        else:
            year, index = divmod(year * 12 + self.last_month - 1 + steps * step, 12)
            last = index + 1
        span = self.last_month - self.first_month
        first = 1 if self.kind == CUMULATIVE else last - span
        if first < 1:
            raise PeriodError(CANNOT_SHIFT, f"{self.label()} 移动 {steps} 期")
        return Period(
            year if self.year is not None else None, first, last, self.kind, self.step or step
        )

    def steps_to(self, other: Period, step: int) -> int | None:
        """How many steps of ``step`` months ``other`` is after this period (None when it is not
        on the same series). Periods without a year count within one year."""
        a, b = self._position(step), other._position(step)
        if a is None or b is None or self.kind != other.kind:
            return None
        if self.year is None or other.year is None:
            per_year = 11 if self.kind == CUMULATIVE and step == 1 else 12 // step
            return (b - a) % per_year
        return b - a

    def _position(self, step: int) -> int | None:
        year = self.year or 0
        if self.kind == CUMULATIVE and step == 1:
            return year * 11 + self.last_month - 2
        months = year * 12 + self.last_month - 1
        return months // step if (self.last_month % step == 0 or step == 1) else None


@dataclass(frozen=True)
class Style:
    """How a label is written, so that a period can be written the same way again.

    ``form`` is one of the forms of the module table; ``year`` joins the year to the label
    (``"年"``, ``"年度"``; ``""``/``"-"``/``"_"`` for 2026Q3; ``"-"``/``"."`` for 2026-09), None
    when the label is written without its year. The other fields keep the rest as written:
    ``dash`` of 1-9月, Chinese numerals (``cn``: 三季度, 前三个月, 十二月), 第, 份, 个, a
    leading 截至/截止 (``prefix``), the kind word after the label (``tail``: 累计, 末, 底, 当月,
    单月, 单季, 当季), the letter of Q and zero-padding of 2026-09."""

    form: str
    year: str | None = "年"
    dash: str = "-"
    cn: bool = False
    di: bool = False
    fen: bool = False
    ge: bool = True
    prefix: str = ""
    tail: str = ""
    letter: str = "Q"
    pad: bool = False

    def without_year(self) -> Style:
        return replace(self, year=None)


#: Style of the usual label ``2026年1-9月``.
MONTHS = Style("months")

_N = r"1[0-2]|0?[1-9]|十[一二]?|[一二两三四五六七八九]"
_DASH = r"-|—|―|~|至|到"
_Y = r"(?<!\d)\d{4}"
_TAIL_KIND = {
    "": CUMULATIVE,
    "累计": CUMULATIVE,
    "末": POINT,
    "底": POINT,
    "度末": POINT,
    "当月": SINGLE,
    "单月": SINGLE,
    "单季": SINGLE,
    "当季": SINGLE,
}
_WORDS = {
    "一季度": 3,
    "上半年": 6,
    "前三季度": 9,
    "全年": 12,
    "一至二季度": 6,
    "一至三季度": 9,
    "全年累计": 12,
    "年度": 12,
}
_WRITE_WORDS = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
#: Words read as a whole label only, never picked out of running text (年度目标, 下半年工作);
#: the ``ym`` form (2026.9) is also read whole only.
_WHOLE_ONLY = {"年度", "下半年"}

# One pattern for the whole grammar: parse_label full-matches it, find_labels searches with it.
_GRAMMAR = re.compile(
    "(?:"
    # 2026Q3, 2026-Q3, 2026年Q3, Q3
    rf"(?:(?P<qy>{_Y})(?P<qs>年|-|_)?|(?<![A-Za-z\d]))(?P<ql>[Qq])(?P<qn>[1-4])(?![\d])"
    # 2026年1-9月份累计, 1至9月, 7-9月
    rf"|(?:(?P<my>{_Y})(?P<ms>年度|年))?(?<![\d.])(?P<mf>{_N})月?(?P<md>{_DASH})(?P<ml>{_N})月"
    r"(?P<mfen>份)?(?P<mt>累计|末|底)?(?!\d)"
    # 前9个月, 2026年前三个月
    rf"|(?:(?P<fy>{_Y})(?P<fs>年度|年))?前(?P<fn>{_N})(?P<fge>个)?月(?P<ffen>份)?(?P<ft>累计)?"
    # words: 上半年, 2026年前三季度, 全年, 一季度 …
    r"|(?:(?P<cy>" + _Y + r")(?P<cs>年度|年))?(?P<cw>一至三季度|一至二季度|前三季度|上半年"
    r"|下半年|全年累计|全年|年度|一季度(?!末|底|度末|单季|当季))"
    # 2026年三季度, 第三季度, 3季度, 三季度末, 三季度单季
    rf"|(?:(?P<wy>{_Y})(?P<ws>年度|年))?(?P<wd>第)?(?P<wn>[1-4一二三四])季度(?P<wt>度末|末|底|单季|当季)?"
    # 2026-09, 2026.9
    rf"|(?P<ey>{_Y})(?P<es>[-.])(?P<em>1[0-2]|0?[1-9])(?![\d.\-/])"
    # 2026年8月份, 十二月, 8月当月, 3月末, 截至2026年3月底
    rf"|(?P<np>截至|截止)?(?:(?P<ny>{_Y})(?P<ns>年度|年))?(?<![\d.])(?P<nn>{_N})月(?P<nfen>份)?"
    r"(?P<nt>累计|末|底|当月|单月)?(?![\d日号])"
    ")(?!目标|任务|计划)"
)


@dataclass(frozen=True)
class Label:
    """A period label: what it means (``period``), how it is written (``style``), and where it
    stands in the text it was found in (``start``/``end``, positions in that text)."""

    period: Period
    style: Style
    start: int = 0
    end: int = 0

    @property
    def has_year(self) -> bool:
        return self.style.year is not None


def _n(text: str) -> int:
    return int(text) if text.isdigit() else _CN_DIGITS[text]


def _is_cn(text: str) -> bool:
    return not text.isdigit()


def _year(text: str | None) -> int | None:
    return int(text) if text else None


def _build(m: re.Match[str]) -> Label | None:
    """Period and style of one match of the grammar; None when the months are impossible."""
    try:
        return _build_checked(m)
    except PeriodError:
        return None


def _build_checked(m: re.Match[str]) -> Label:
    if m["qn"]:
        q = int(m["qn"])
        style = Style("Q", m["qs"] or "" if m["qy"] else None, letter=m["ql"])
        return Label(Period(_year(m["qy"]), 1, 3 * q, step=3), style)
    if m["md"]:
        first, last = _n(m["mf"]), _n(m["ml"])
        tail = m["mt"] or ""
        style = Style(
            "months",
            m["ms"] if m["my"] else None,
            dash=m["md"],
            cn=_is_cn(m["ml"]),
            fen=bool(m["mfen"]),
            tail=tail,
        )
        if first > last:
            raise PeriodError(BAD_MONTHS, f"{first}-{last}月")
        step = None if first == 1 else last - first + 1
        return Label(Period(_year(m["my"]), first, last, step=step), style)
    if m["fn"]:
        style = Style(
            "first",
            m["fs"] if m["fy"] else None,
            cn=_is_cn(m["fn"]),
            ge=bool(m["fge"]),
            fen=bool(m["ffen"]),
            tail=m["ft"] or "",
        )
        return Label(Period(_year(m["fy"]), 1, _n(m["fn"])), style)
    if m["cw"]:
        word = m["cw"]
        year = _year(m["cy"])
        style = Style("words", m["cs"] if m["cy"] else None)
        if word == "下半年":
            return Label(Period(year, 7, 12, step=6), style)
        return Label(Period(year, 1, _WORDS[word], step=3), style)
    if m["wn"]:
        q = _n(m["wn"])
        tail = m["wt"] or ""
        kind = _TAIL_KIND[tail]
        style = Style(
            "quarter", m["ws"] if m["wy"] else None, cn=_is_cn(m["wn"]), di=bool(m["wd"]), tail=tail
        )
        last = 3 * q
        first = {CUMULATIVE: 1, SINGLE: last - 2, POINT: last}[kind]
        return Label(Period(_year(m["wy"]), first, last, kind, step=3), style)
    if m["em"]:
        style = Style("ym", m["es"], pad=m["em"].startswith("0") or len(m["em"]) == 2)
        return Label(Period(int(m["ey"]), 1, int(m["em"]), step=1), style)
    month = _n(m["nn"])
    tail = m["nt"] or ""
    prefix = m["np"] or ""
    kind = POINT if prefix else _TAIL_KIND[tail]
    style = Style(
        "month",
        m["ns"] if m["ny"] else None,
        cn=_is_cn(m["nn"]),
        fen=bool(m["nfen"]),
        prefix=prefix,
        tail=tail,
        pad=m["nn"].startswith("0"),
    )
    first = 1 if kind == CUMULATIVE else month
    return Label(Period(_year(m["ny"]), first, month, kind, step=1), style)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` folded as :func:`udfs.cleaning.fold` does, with the position in ``text`` of
    every folded character (and of the end)."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        piece = unicodedata.normalize("NFKC", ch).replace("\u2212", "-").replace("\u2013", "-")
        for p in piece:
            if not p.isspace():
                out.append(p)
                where.append(i)
    where.append(len(text))
    return "".join(out), where


def find_labels(text: str) -> list[Label]:
    """Every period label in ``text`` (a sheet name, a title, a note), left to right, with its
    position in ``text``. A date (2026年9月30日) and a label followed by 目标/任务/计划
    (全年目标) are not periods."""
    folded, where = fold_with_map(text)
    found: list[Label] = []
    for m in _GRAMMAR.finditer(folded):
        if m["cw"] in _WHOLE_ONLY or m["em"]:
            continue  # 2026.5 in running text is a number more often than a month
        label = _build(m)
        if label is None:
            continue
        end = where[m.end() - 1] + 1 if m.end() > 0 else 0
        found.append(replace(label, start=where[m.start()], end=end))
    return found


def parse_label(text: str) -> Label:
    """The whole of ``text`` read as one period label (:class:`PeriodError` otherwise)."""
    folded = fold(text)
    match = _GRAMMAR.fullmatch(folded)
    label = _build(match) if match else None
    if label is None:
        raise PeriodError(UNREADABLE, text)
    return replace(label, start=0, end=len(text))


def parse_period(label: Any) -> Period:
    """Read a period label, an Excel date, or a month number.

    Accepts every form of the module table (1-2月 … 1-12月 with any dash and spaces, 1至N月,
    前N个月, 一季度…四季度, 上半年, 前三季度, 全年, 2026Q3, 2026年三季度, 2026年1-9月, N月,
    3月末 …), a ``datetime``/``date`` (the period ends in its month), an Excel date serial
    number (≥ 367), or a whole number 1–12 (1-N月). Raises :class:`PeriodError` otherwise.
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
    if re.fullmatch(r"\d+(\.\d+)?", text) and not re.fullmatch(r"\d{4}\.\d{1,2}", text):
        return _from_number(float(text))
    return parse_label(label).period


def _from_number(number: float) -> Period:
    if number.is_integer() and 1 <= number <= 12:
        return Period(None, 1, int(number))
    if number >= 367:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(number))
        return Period(day.year, 1, day.month)
    raise PeriodError(NOT_A_MONTH, f"{number:g}")


def _canonical(period: Period, year: str | None) -> Style:
    """The usual style for a period a style cannot write: 1-9月, 7-9月, 8月当月, 3月末."""
    year = year if year in ("年", "年度") else ("年" if year is not None else None)
    if period.kind == CUMULATIVE or period.first_month != period.last_month:
        return Style("months", year)
    return Style("month", year, tail="当月" if period.kind == SINGLE else "末")


def _tail(style: Style, kind: str, default: str) -> str:
    return style.tail if _TAIL_KIND.get(style.tail) == kind else default


def format_period(period: Period, style: Style | None = None) -> str:
    """``period`` written in ``style`` (default ``2026年1-9月``): the inverse of
    :func:`parse_label` — ``format_period(l.period, l.style)`` gives back the label as written
    (up to spaces and full-width characters). A style that cannot write the period (2026Q3 for
    1-8月) gives the usual form with the same year. The year is written when both the style and
    the period have one."""
    style = style or MONTHS
    y = period.year if style.year is not None else None
    year = "" if y is None else f"{y}{style.year}"
    kind, last = period.kind, period.last_month
    num = (lambda n: _CN_WRITE[n]) if style.cn else str
    quarter_end = last % 3 == 0
    form = style.form
    if form == "Q" and kind == CUMULATIVE and quarter_end:
        return f"{year}{style.letter}{last // 3}"
    if form == "months" and (kind == CUMULATIVE or (kind == SINGLE and period.first_month < last)):
        tail = style.tail if kind == CUMULATIVE else ""
        fen = "份" if style.fen else ""
        return f"{year}{num(period.first_month)}{style.dash}{num(last)}月{fen}{tail}"
    if form == "first" and kind == CUMULATIVE:
        ge, fen = "个" if style.ge else "", "份" if style.fen else ""
        return f"{year}前{num(last)}{ge}月{fen}{style.tail}"
    if form == "words" and kind == CUMULATIVE and quarter_end:
        return f"{year}{_WRITE_WORDS[last]}"
    if form == "words" and kind == SINGLE and (period.first_month, last) == (7, 12):
        return f"{year}下半年"
    if (
        form in ("quarter", "words", "Q")
        and quarter_end
        and (kind != SINGLE or last - period.first_month == 2)
    ):
        cn = style.cn or form != "quarter"
        q = _CN_WRITE[last // 3] if cn else str(last // 3)
        di = "第" if style.di else ""
        tail = {
            CUMULATIVE: "",
            POINT: _tail(style, POINT, "末"),
            SINGLE: _tail(style, SINGLE, "单季"),
        }[kind]
        year = year if form != "Q" or y is None else f"{y}年"
        return f"{year}{di}{q}季度{tail}"
    if form == "ym" and kind == CUMULATIVE and y is not None:
        return f"{y}{style.year}{last:02d}" if style.pad else f"{y}{style.year}{last}"
    if form == "month" and (kind != SINGLE or period.first_month == last):
        fen = "份" if style.fen else ""
        month = f"{last:02d}" if style.pad and not style.cn else num(last)
        if kind == CUMULATIVE:
            tail = _tail(style, CUMULATIVE, "")
            prefix = ""
        elif kind == SINGLE:
            tail, prefix = _tail(style, SINGLE, "当月"), ""
        else:
            prefix = style.prefix
            tail = _tail(style, POINT, "" if prefix else "末")
        return f"{prefix}{year}{month}月{fen}{tail}"
    return format_period(period, _canonical(period, style.year))


__all__ = [
    "CUMULATIVE",
    "MONTHS",
    "POINT",
    "SINGLE",
    "Label",
    "Period",
    "PeriodError",
    "Style",
    "find_labels",
    "fold_with_map",
    "format_period",
    "parse_label",
    "parse_period",
]
