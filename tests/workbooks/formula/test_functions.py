"""The evaluator's ordinary Excel functions and operators, formula by formula.

Expected values follow Excel's documented behaviour (support.microsoft.com function pages) and
are worked out by hand from the cells below.
"""

from __future__ import annotations

import pytest

from workbooks.formula.engine import Engine, Formula, Sheet
from workbooks.formula.values import XLError

CELLS = {
    (1, 1): 1.5,  # A1
    (2, 1): "3",  # A2 text number
    (3, 1): True,  # A3
    (5, 1): "县",  # A5
    (6, 1): XLError("#DIV/0!"),  # A6
    (1, 2): 10.0,  # B1..B4 peers
    (2, 2): 20.0,
    (3, 2): 20.0,
    (4, 2): 5.0,
    (1, 3): "城关区",  # C1..C3 names
    (2, 3): "东川县",
    (3, 3): "西岭县",
}


def evaluate(formula: str, extra: dict | None = None):
    sheet = Sheet("表", constants=dict(CELLS), max_row=10, max_col=5)
    other = Sheet("上期", constants={(1, 1): 7.0}, max_row=1, max_col=1)
    sheet.formulas[(10, 5)] = Formula(formula.lstrip("="))
    for key, text in (extra or {}).items():
        sheet.formulas[key] = Formula(text)
    engine = Engine([sheet, other])
    engine.run()
    if (("表", 10, 5)) in engine.failures:
        return ("failed", engine.failures[("表", 10, 5)])
    return engine.results[("表", 10, 5)]


E = XLError


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        # arithmetic, precedence, coercion
        ("=1+2*3", 7.0),
        ("=-2^2", 4.0),  # negation before ^
        ("=2^3^2", 64.0),  # left to right
        ("=50%", 0.5),
        ("=A1*2", 3.0),
        ("=A2+1", 4.0),  # text number converts in arithmetic
        ("=A3+1", 2.0),
        ("=A4+1", 1.0),  # blank is 0
        ("=A4", 0.0),
        ("=A5+1", E("#VALUE!")),
        ("=A6+1", E("#DIV/0!")),
        # numbers equal to within the last bits compare equal (Excel, LibreOffice)
        ("=(0.1+0.2)=0.3", True),
        ('=IF(168.52*0.75<=126.39,"达标","未达")', "达标"),  # 168.52*0.75 = 126.39000000000001
        ("=(0.1+0.2)>0.3", False),
        ("=1=1.000001", False),
        ("=2^53=2^53+1", True),  # the same float
        ("=1/0", E("#DIV/0!")),
        ("=(B1+B2)/B4", 6.0),
        ('="增长"&A1&"%"', "增长1.5%"),
        ('=0.1+0.2&""', "0.3"),  # 15 significant digits when shown as text
        ('=A3&""', "TRUE"),
        # comparisons
        ("=B1>B4", True),
        ('=C1="城关区"', True),
        ('="a"="A"', True),  # case-insensitive
        ('=1<"a"', True),  # numbers sort before text
        ("=A4=0", True),
        ('=A4=""', True),
        # references across sheets, absolute refs, ranges
        ("=上期!A1*2", 14.0),
        ("='上期'!$A$1+$B$1", 17.0),
        ("=SUM(B1:B4)", 55.0),
        ("=SUM(A1:A3)", 1.5),  # text and logicals in a range are ignored
        ('=SUM(A1,"3",TRUE)', 5.5),  # but converted when typed as arguments
        ("=SUM(A1:A6)", E("#DIV/0!")),
        ("=AVERAGE(B1:B4)", 13.75),
        ("=AVERAGE(C1:C3)", E("#DIV/0!")),
        ("=MIN(B1:B4)", 5.0),
        ("=MAX(B1:B4,30)", 30.0),
        ("=COUNT(A1:A6,B1:B4)", 5.0),
        ("=COUNTA(A1:A6)", 5.0),
        ("=COUNTBLANK(A1:A6)", 1.0),
        ("=LARGE(B1:B4,2)", 20.0),
        ("=SMALL(B1:B4,1)", 5.0),
        # rounding: half away from zero on the shown decimal digits
        ("=ROUND(2.675,2)", 2.68),
        ("=ROUND(-2.5,0)", -3.0),
        ("=ROUND(1234.5,-2)", 1200.0),
        ("=ROUNDUP(3.21,1)", 3.3),
        ("=ROUNDDOWN(-3.29,1)", -3.2),
        ("=INT(-2.5)", -3.0),
        ("=MOD(-7,3)", 2.0),
        ("=ABS(-4.8)", 4.8),
        ("=SQRT(-1)", E("#NUM!")),
        # logical
        ('=IF(B1>B4,"高","低")', "高"),
        ("=IF(FALSE,1)", False),
        ("=IF(A5,1,2)", E("#VALUE!")),
        ("=IF(TRUE,1/0,2)", E("#DIV/0!")),
        ("=IF(FALSE,1/0,2)", 2.0),  # the branch not taken is not evaluated
        ('=IFERROR(1/0,"—")', "—"),
        ("=IFERROR(5,0)", 5.0),
        ("=IFNA(MATCH(9,B1:B4,0),-1)", -1.0),
        ("=IFNA(1/0,-1)", E("#DIV/0!")),
        ("=ISERROR(A6)", True),
        ("=ISNUMBER(A2)", False),
        ("=ISBLANK(A4)", True),
        ("=AND(B1>0,B4>0)", True),
        ("=OR(B1>100,A3)", True),
        ("=NOT(A3)", False),
        # criteria
        ('=COUNTIF(B1:B4,">=10")', 3.0),
        ("=COUNTIF(B1:B4,20)", 2.0),
        ('=COUNTIF(C1:C3,"*县")', 2.0),
        ('=COUNTIF(C1:C3,"<>城关区")', 2.0),
        ('=SUMIF(B1:B4,">10")', 40.0),
        ('=SUMIF(C1:C3,"东川县",B1:B3)', 20.0),
        ('=COUNTIFS(B1:B3,">10",C1:C3,"西岭县")', 1.0),
        ('=SUMIFS(B1:B3,C1:C3,"*县")', 40.0),
        ('=AVERAGEIF(B1:B4,"<20")', 7.5),
        # ranking: competition ranking, ties share the better place
        ("=RANK(B2,B1:B4)", 1.0),
        ("=RANK.EQ(B1,B1:B4)", 3.0),
        ("=_xlfn.RANK.EQ(B4,B1:B4,1)", 1.0),
        ("=RANK(99,B1:B4)", E("#N/A")),
        ("=RANK.AVG(B2,B1:B4)", 1.5),
        # lookup
        ('=VLOOKUP("东川县",C1:C3,1,FALSE)', "东川县"),
        ('=INDEX(B1:B4,MATCH("西岭县",C1:C3,0))', 20.0),
        ("=MATCH(20,B1:B4,0)", 2.0),
        ('=MATCH("x",C1:C3,0)', E("#N/A")),
        ("=MATCH(12,{5,10,20},1)", 2.0),
        ('=VLOOKUP(15,{5,"低";10,"中";20,"高"},2)', "中"),
        ("=INDEX({1,2;3,4},2,1)", 3.0),
        ('=CHOOSE(2,"一","二")', "二"),
        ("=SUMPRODUCT((B1:B4>10)*B1:B4)", 40.0),
        ("=SUMPRODUCT(B1:B2,B3:B4)", 300.0),
        # text
        ('=TEXT(0.1234,"0.0%")', "12.3%"),
        ('=TEXT(1234.567,"#,##0.00")', "1,234.57"),
        ('=TEXT(-4.75,"0.0")', "-4.8"),
        ('=LEN("统计局")', 3.0),
        ('=LEFT("2026年1-9月",4)', "2026"),
        ('=MID("2026年1-9月",6,3)', "1-9"),
        ('=VALUE("6.7")', 6.7),
        ('=CONCATENATE("第",3,"位")', "第3位"),
        ("=ROW()", 10.0),
        ("=_xlfn.SINGLE(B1:B12)*2", 0.0),  # @B1:B12 in row 10: B10 is empty
        ("=_xlfn.SINGLE(B1:B4)", E("#VALUE!")),  # no cell of B1:B4 in row 10
        ("=@B1:B12*2", 0.0),  # the same typed with the @ operator
        ("=@B1:B4", E("#VALUE!")),
        ("=COLUMN(C1)", 3.0),
        # dates: serial numbers of the 1900 system (46022 is 2025-12-31)
        ("=DATE(2026,9,30)", 46295.0),
        ("=DATE(2026,13,1)", 46388.0),  # month 13 rolls into the next year
        ("=DATE(2026,3,0)", 46081.0),  # day 0 is the last day of the month before
        ("=YEAR(46295)", 2026.0),
        ("=MONTH(46295)", 9.0),
        ("=DAY(46295)", 30.0),
        ("=MONTH(DATE(2026,9,30))/12*100", 75.0),
        # never a silent zero
        ("=OFFSET(A1,1,0)", ("failed", "函数 OFFSET 暂不支持")),
        ("=[1]Sheet1!A1", ("failed", "引用了其他工作簿（外部链接）")),
        ("=不存在!A1", E("#REF!")),
    ],
)
def test_formula(formula, expected):
    assert evaluate(formula) == expected


def test_tj_function_inside_ordinary_formulas():
    from udfs import growth

    assert evaluate("=ROUND(TJ_GROWTH(B2,B1),1)") == round(growth(20, 10), 1)
    assert evaluate('=IFERROR(TJ_GROWTH(B1,0),"基期为0")') == "基期为0"
    assert evaluate("=TJ_GROWTH(B1)")[0] == "failed"
    assert evaluate("=TJ_NOPE(1)")[0] == "failed"


def test_a_long_chain_of_references_is_followed():
    # A cell at the top depends on the one below it, 3,000 deep: evaluated on demand.
    n = 3000
    extra = {(r, 4): f"D{r + 1}+1" for r in range(11, 11 + n)}
    assert evaluate("=D11", {**extra, (11 + n, 4): "0"}) == float(n)


def test_a_circular_reference_is_reported():
    result = evaluate("=D1+1", {(1, 4): "E10*2"})
    assert result[0] == "failed"


def test_a_sum_overflowing_on_the_way_is_num_not_a_crash():
    """8.99E+307 + 8.99E+307 is past the largest number: #NUM!, as Excel shows, in SUM,
    AVERAGE, SUMIF and SUMPRODUCT alike (also when the last number brings it back)."""
    big = 8.98846567431158e307
    sheet = Sheet("表", constants={(1, 1): big, (2, 1): big, (3, 1): -big}, max_row=3, max_col=2)
    texts = [
        "SUM(A1:A2)",
        "SUM(A1:A3)",
        "AVERAGE(A1:A2)",
        'SUMIF(A1:A3,"<>0")',
        "SUMPRODUCT(A1:A2)",
    ]
    for row, text in enumerate(texts, start=1):
        sheet.formulas[(row, 2)] = Formula(text)
    engine = Engine([sheet])
    engine.run()
    assert engine.failures == {}
    assert [engine.results[("表", r, 2)] for r in range(1, 6)] == [XLError("#NUM!")] * 5
