"""The words a proofreader must know: indicator names and their synonyms, which indicators grow
in real terms, which ones add up to which total, and the benchmark words of bureau prose.

One table (:data:`SYNONYMS`) maps every way an indicator is written in speeches to the name the
sample and most bureau tables use. Growth of an indicator in :data:`REAL_GROWTH` is at comparable
prices (地区生产总值, 增加值: 按可比价格计算) or on a revised comparable scope (固定资产投资,
社会消费品零售总额: 按可比口径计算) and cannot be rebuilt from the two stated levels
(docs/definitions.md §2, growth).
"""

from __future__ import annotations

import re

from udfs.cleaning import fold

#: Canonical indicator name → the ways speeches write it (the name itself included).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "地区生产总值": ("地区生产总值", "生产总值", "GDP", "经济总量"),
    "第一产业增加值": ("第一产业增加值", "一产增加值", "第一产业", "一产"),
    "第二产业增加值": ("第二产业增加值", "二产增加值", "第二产业", "二产"),
    "第三产业增加值": ("第三产业增加值", "三产增加值", "第三产业", "三产"),
    "规模以上工业增加值": (
        "规模以上工业增加值",
        "规上工业增加值",
        "规模以上工业",
        "规上工业",
    ),
    "建筑业增加值": ("建筑业增加值",),
    "农林牧渔业总产值": ("农林牧渔业总产值", "农业总产值"),
    "固定资产投资": ("全社会固定资产投资", "固定资产投资", "全社会固定资产", "固投"),
    "工业投资": ("工业投资",),
    "民间投资": ("民间投资",),
    "房地产开发投资": ("房地产开发投资",),
    "社会消费品零售总额": ("社会消费品零售总额", "社零总额", "社零额", "社消零", "社零"),
    "一般公共预算收入": (
        "地方一般公共预算收入",
        "一般公共预算收入",
        "公共财政预算收入",
    ),
    "税收收入": ("税收收入", "税收"),
    "非税收入": ("非税收入",),
    "一般公共预算支出": ("一般公共预算支出", "公共财政预算支出"),
    "城镇居民人均可支配收入": (
        "城镇常住居民人均可支配收入",
        "城镇居民人均可支配收入",
        "城镇居民收入",
    ),
    "农村居民人均可支配收入": (
        "农村常住居民人均可支配收入",
        "农村居民人均可支配收入",
        "农民人均可支配收入",
        "农村居民收入",
    ),
    "进出口总额": ("外贸进出口总额", "进出口总额", "外贸进出口", "进出口"),
    "金融机构人民币存款余额": (
        "金融机构人民币存款余额",
        "金融机构各项存款余额",
        "各项存款余额",
        "存款余额",
    ),
    "金融机构人民币贷款余额": (
        "金融机构人民币贷款余额",
        "金融机构各项贷款余额",
        "各项贷款余额",
        "贷款余额",
    ),
    "招商引资到位资金": ("招商引资到位资金", "招商引资到位", "到位资金"),
}

#: Synonyms naming a sector or a scope, not a measure: 「规上工业」 is 规上工业增加值 only when no
#: other measure of the sector follows (规上工业实现营业收入…, 规上工业企业…, 二产投资…).
SCOPE_WORDS = frozenset(
    {
        "规模以上工业",
        "规上工业",
        "第一产业",
        "一产",
        "第二产业",
        "二产",
        "第三产业",
        "三产",
        "全社会固定资产",
        "外贸进出口",
        "进出口",
        "招商引资到位",
    }
)
#: Measures of a sector other than its value added (or of a scope other than its total).
OTHER_MEASURE = re.compile(
    r"营业收入|主营业务收入|营收|利润|利税|税收|税金|总产值|产值|企业|用电量|用电|能耗|产量|产销"
    r"|出口交货值|投资|从业人员|工资|亏损|资产|负债|单位|项目|订单|销售|库存|贷款|存款|入库|个数"
    r"|户数|家数"
)


def other_measure(text: str, end: int) -> re.Match[str] | None:
    """The other measure named after a scope word ending at ``end`` and before its figure
    (「规上工业实现营业收入256.3亿元」 → 营业收入); None when the scope word is the subject."""
    m = re.match(r"[^\d,，:：;；。()（）%]{0,12}", text[end:])
    return OTHER_MEASURE.search(m[0]) if m else None


#: Indicators whose growth is real or on a comparable scope: never rebuilt from two levels.
REAL_GROWTH = frozenset(
    {
        "地区生产总值",
        "第一产业增加值",
        "第二产业增加值",
        "第三产业增加值",
        "规模以上工业增加值",
        "建筑业增加值",
        "农林牧渔业总产值",
        "固定资产投资",
        "工业投资",
        "民间投资",
        "房地产开发投资",
        "社会消费品零售总额",
    }
)

#: Totals and the parts that add up to them exactly (at full precision).
DECOMPOSITIONS: dict[str, tuple[str, ...]] = {
    "地区生产总值": ("第一产业增加值", "第二产业增加值", "第三产业增加值"),
    "一般公共预算收入": ("税收收入", "非税收入"),
}

#: Words of a benchmark region in prose, and the table row they mean.
BENCHMARKS: dict[str, str] = {
    "全市": "全市",
    "全州": "全州",
    "全省": "全省",
    "全国": "全国",
}
#: Words meaning the county the text is about.
HOME_WORDS = ("全县", "全区", "我县", "我区", "本县", "本区", "全县区")
HOME = "本县"

_BY_WORD = {fold(word): name for name, words in SYNONYMS.items() for word in words}
_BY_WORD.update({fold(name): name for name in SYNONYMS})
#: One pattern finding any synonym (longest first, so 规上工业增加值 beats 规上工业).
INDICATOR_PATTERN = re.compile(
    "|".join(re.escape(w) for w in sorted(_BY_WORD, key=len, reverse=True))
)


def canonical(word: str) -> str | None:
    """The canonical indicator a word or table header names; None when unknown.

    >>> canonical("规上工业增加值"), canonical("固投"), canonical("旅游收入")
    ('规模以上工业增加值', '固定资产投资', None)
    """
    text = fold(word)
    if text in _BY_WORD:
        return _BY_WORD[text]
    return None


def is_real_growth(indicator: str | None, sentence: str = "") -> bool:
    """Whether a growth may not be rebuilt from levels: a real or comparable-scope indicator, any
    增加值 or 总产值, or a sentence naming one or saying 可比价/同口径."""
    if any(word in sentence for word in ("可比", "口径", "增加值", "总产值", "生产总值", "GDP")):
        return True
    if indicator is None:
        return False
    return indicator in REAL_GROWTH or indicator.endswith(("增加值", "总产值", "生产总值"))


__all__ = [
    "BENCHMARKS",
    "DECOMPOSITIONS",
    "HOME",
    "HOME_WORDS",
    "INDICATOR_PATTERN",
    "OTHER_MEASURE",
    "REAL_GROWTH",
    "SCOPE_WORDS",
    "SYNONYMS",
    "canonical",
    "is_real_growth",
    "other_measure",
]
