"""The standard phrases of analysis text, built from published figures (docs/definitions.md §5).

Pure functions of plain Python values (no NumPy): the ``TJ_PHRASE_…`` cell functions
(:mod:`udfs.phrase_cells`), the ``tongji brief`` document and the proofreader all phrase a
figure here, so a figure is written the same way everywhere.

**Published figures.** Every phrase speaks of the figure as published, not of the full-precision
value: a number is first read the way Excel shows it (15 significant digits, which removes
binary noise such as 1.3999999999999995), then rounded *half away from zero* to the published
decimals (1.45 → 1.5, −1.45 → −1.5, 0.05 → 0.1). A :class:`~decimal.Decimal` passed in is taken
as already published when ``decimals`` is ``None`` (what ``tongji brief`` does with the figures
a cell displays).

**Differences** (个百分点) are taken between the *published* figures, so they carry the decimals
of their operands: 6.74 and 6.66 published to one decimal are 6.7 and 6.7, 与全市持平 — not 高于
全市0.1个百分点. A figure that rounds to zero is 持平; a phrase never says 增长0.0% or 下降0.0%.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Figure = float | int | Decimal

#: Units an amount can be converted between, as multiples of one yuan.
AMOUNT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": Decimal(10) ** 4,
    "亿元": Decimal(10) ** 8,
}

#: Most decimals an amount is written with when no ``decimals`` is given: the figure keeps its
#: own decimals (as Excel shows it) up to this many — 1.73万元 stays 1.73万元, 44.4亿元 stays
#: 44.4亿元, 1.7346万元 is written 1.73万元. A published decimal is never dropped silently.
DEFAULT_AMOUNT_MAX_DECIMALS = 2

#: Ranks written from the bottom (倒数第k位) when in the lower half: the last ``BOTTOM_PLACES``.
BOTTOM_PLACES = 3


class PhraseError(ValueError):
    """A figure that cannot be phrased (not finite, a rank that is no positive whole number)."""


def published(value: Figure, decimals: int | None) -> Decimal:
    """``value`` as published with ``decimals`` decimals (half away from zero, after reading
    it at Excel's 15 significant digits). With ``decimals`` None a :class:`Decimal` is kept as
    it is (it is already a published figure)."""
    number = as_shown(value)
    if decimals is None:
        if not isinstance(value, Decimal):
            raise PhraseError("未给出小数位数")
        return number
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def as_shown(value: Figure) -> Decimal:
    """``value`` as an exact decimal: a :class:`Decimal` as it is, a float read at Excel's 15
    significant digits (1.3999999999999995 → 1.4, 2.4499999999999997 → 2.45)."""
    if isinstance(value, bool):
        raise PhraseError(f"不是数值：{value!r}")
    number = value if isinstance(value, Decimal) else Decimal(format(float(value), ".15g"))
    if not number.is_finite():
        raise PhraseError(f"不是有限数：{value!r}")
    return number


def text_of(number: Decimal) -> str:
    """A published figure as written in text: plain digits, its decimals kept (6.70 stays
    6.70), no thousands separator, no exponent, never ``-0``."""
    if number == 0:
        number = abs(number)
    return format(number, "f")


def _magnitude(number: Decimal) -> str:
    return text_of(abs(number))


def growth_phrase(rate: Figure, decimals: int | None = 1) -> str:
    """增长6.7% / 下降4.8% / 持平 (a rate that is 0 at the published decimals)."""
    g = published(rate, decimals)
    if g == 0:
        return "持平"
    return f"{'增长' if g > 0 else '下降'}{_magnitude(g)}%"


def difference(a: Figure, b: Figure, decimals: int | None = 1) -> Decimal:
    """``a − b`` in percentage points, between the published figures (exact decimal arithmetic,
    so the result has the decimals of its operands)."""
    return published(a, decimals) - published(b, decimals)


def vs_phrase(rate: Figure, benchmark: Figure, name: str = "全市", decimals: int | None = 1) -> str:
    """高于全市0.1个百分点 / 低于全省1.2个百分点 / 与全市持平: ``rate − benchmark`` between the
    published rates; ``name`` the benchmark (全市, 全省, 全国 …)."""
    d = difference(rate, benchmark, decimals)
    if d == 0:
        return f"与{name}持平"
    return f"{'高于' if d > 0 else '低于'}{name}{_magnitude(d)}个百分点"


def change_phrase(
    rate: Figure, before: Figure, reference: str = "", decimals: int | None = 1
) -> str:
    """The change of a rate since ``reference`` (一季度, 上半年, 上年同期 …), in percentage points:
    较一季度提高0.8个百分点 / 较一季度回落1.5个百分点 / 与一季度持平; when both published rates
    are negative, 降幅较一季度收窄0.8个百分点 / 降幅较一季度扩大…. Without ``reference`` the
    较… part is left out (提高0.8个百分点, 持平)."""
    now, then = published(rate, decimals), published(before, decimals)
    d = now - then
    since = f"较{reference}" if reference else ""
    if d == 0:
        return f"与{reference}持平" if reference else "持平"
    if now < 0 and then < 0:
        return f"降幅{since}{'收窄' if d > 0 else '扩大'}{_magnitude(d)}个百分点"
    return f"{since}{'提高' if d > 0 else '回落'}{_magnitude(d)}个百分点"


def _whole(value: Figure, what: str) -> int:
    number = as_shown(value)
    if number != number.to_integral_value() or number < 1:
        raise PhraseError(f"{what}应为正整数：{value!r}")
    return int(number)


def place_phrase(rank: Figure, scope: str = "全市", count: int | None = None) -> str:
    """居全市第3位 / 居全市首位 (1) / 居全市倒数第2位 / 居全市末位.

    From the bottom only when ``count`` (the number of units ranked) is given and the rank is
    in the lower half and among the last :data:`BOTTOM_PLACES`: of 9, rank 8 is 倒数第2位 and
    rank 9 末位, rank 7 倒数第3位, rank 6 stays 第6位. ``scope`` "" gives 居第7位."""
    place = _whole(rank, "位次")
    if place == 1:
        return f"居{scope}首位"
    if count is not None:
        if place > count:
            raise PhraseError(f"位次 {place} 大于参与排位的单位数 {count}")
        from_bottom = count - place + 1
        if 2 * place > count and from_bottom <= BOTTOM_PLACES:
            return f"居{scope}末位" if from_bottom == 1 else f"居{scope}倒数第{from_bottom}位"
    return f"居{scope}第{place}位"


def move_phrase(rank: Figure, previous: Figure | None, reference: str = "上季度") -> str:
    """The change of a rank since ``reference``: 较上季度前移2位 / 较上季度后退1位 / 与上季度持平
    (without ``reference``: 前移2位 / 后退1位 / 位次持平). No previous rank: "" (nothing is said
    about a change that cannot be compared — never 持平)."""
    if previous is None:
        return ""
    moved = _whole(previous, "上期位次") - _whole(rank, "位次")
    if moved == 0:
        return f"与{reference}持平" if reference else "位次持平"
    since = f"较{reference}" if reference else ""
    return f"{since}{'前移' if moved > 0 else '后退'}{abs(moved)}位"


def rank_phrase(
    rank: Figure,
    previous: Figure | None = None,
    scope: str = "全市",
    reference: str = "上季度",
    count: int | None = None,
) -> str:
    """居全市第3位，较上季度前移2位 / 居第7位，与上季度持平 / 居全市倒数第2位 (no previous rank:
    the place alone). With ``count`` both ranks must lie in 1..count: a previous rank of 9 among
    9 units cannot have been 12, and 「前移9位」 from it would be a wrong figure."""
    if count is not None and previous is not None and _whole(previous, "上期位次") > count:
        raise PhraseError(f"上期位次 {previous} 大于参与排位的单位数 {count}")
    move = move_phrase(rank, previous, reference)
    place = place_phrase(rank, scope, count)
    return f"{place}，{move}" if move else place


def schedule_phrase(gap: Figure, decimals: int | None = 1) -> str:
    """超序时进度1.3个百分点 / 差序时进度8.1个百分点 / 与序时进度持平, from the schedule gap in
    percentage points (completion − time progress; + ahead)."""
    g = published(gap, decimals)
    if g == 0:
        return "与序时进度持平"
    return f"{'超' if g > 0 else '差'}序时进度{_magnitude(g)}个百分点"


def completion_phrase(
    completion: Figure,
    progress: Figure | None = None,
    decimals: int | None = 1,
    target: str = "年度目标",
) -> str:
    """完成年度目标的76.3%[，超序时进度1.3个百分点]: the completion (%) and, with the time
    progress (%), the schedule gap between the published completion and the time progress at
    the same decimals (76.3 − 75.0 = 1.3; 38.6 − 33.3 = 5.3 for 1-4月)."""
    done = published(completion, decimals)
    text = f"完成{target}的{text_of(done)}%"
    if progress is None:
        return text
    places = -done.as_tuple().exponent if decimals is None else decimals  # type: ignore[operator]
    gap = done - published(progress, places)
    return f"{text}，{schedule_phrase(gap, None)}"


def amount_phrase(
    value: Figure, unit: str, decimals: int | None = None, to_unit: str | None = None
) -> str:
    """63.2亿元 / 1.73万元 / 17176万元: the amount with its unit at the published decimals.

    Without ``decimals`` the figure keeps its own decimals as Excel shows it, up to
    :data:`DEFAULT_AMOUNT_MAX_DECIMALS` (1.73万元 → 1.73万元, 26921元 → 26921元, 1.7346万元 →
    1.73万元); a :class:`Decimal` is a published figure and is kept as it is. ``to_unit``
    converts between 元, 万元 and 亿元 first (17176 万元 → 1.7176 → 1.72亿元)."""
    number = as_shown(value)
    converted = bool(to_unit and to_unit != unit)
    if converted:
        if unit not in AMOUNT_FACTORS or to_unit not in AMOUNT_FACTORS:
            raise PhraseError(f"无法把「{unit}」换算为「{to_unit}」")
        number = number * AMOUNT_FACTORS[unit] / AMOUNT_FACTORS[to_unit]
        unit = to_unit  # type: ignore[assignment]
    if decimals is None and (converted or not isinstance(value, Decimal)):
        own = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
        decimals = min(own, DEFAULT_AMOUNT_MAX_DECIMALS)
    if decimals is not None:
        number = published(number, decimals)
    return f"{text_of(number)}{unit}"


__all__ = [
    "AMOUNT_FACTORS",
    "BOTTOM_PLACES",
    "DEFAULT_AMOUNT_MAX_DECIMALS",
    "PhraseError",
    "amount_phrase",
    "as_shown",
    "change_phrase",
    "completion_phrase",
    "difference",
    "growth_phrase",
    "move_phrase",
    "place_phrase",
    "published",
    "rank_phrase",
    "schedule_phrase",
    "text_of",
    "vs_phrase",
]
