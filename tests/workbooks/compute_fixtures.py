"""Bureau-style workbooks built with openpyxl for the compute/export/render tests.

The peer table (各县区对比) carries TJ_ formulas and the ordinary formulas bureaus put around
them; the summary sheet reads it across sheets. ``COUNTIES`` holds the raw inputs so tests can
compute every expected value independently (udfs directly, plain Python).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.formula import ArrayFormula

PERIOD = "1-9月"
# county, current (亿元), same period last year, annual target, previous rank
COUNTIES = [
    ("城关区", 152.31, 140.02, 200.0, 2),
    ("东川县", 88.46, 80.1, 120.0, 5),
    ("西岭县", 61.2, 63.85, 90.0, 9),
    ("南湖县", 97.5, 88.2, 130.0, 3),
    ("北塬县", 45.05, 41.3, 60.0, None),
    ("青山县", 73.4, 66.72, 95.0, 6),
    ("白水县", 30.81, 0, 40.0, 11),  # base 0 → #DIV/0!
    ("红河县", 55.9, 51.0, 70.0, 7),
    ("金川县", "—", 47.2, 65.0, 10),  # placeholder → #N/A
    ("玉泉县", 120.44, 109.6, 160.0, 1),
    ("石门县", 39.7, 36.3, 55.0, 12),
    ("新安县", 66.1, 60.09, 85.0, 8),
]
FIRST, LAST = 3, 3 + len(COUNTIES) - 1  # data rows 3..14
TOTAL = LAST + 1  # 全市 row 15


def build(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "对比"
    sheet["A1"] = "2026年1-9月各县区地区生产总值对比表"
    sheet.merge_cells("A1:I1")
    sheet["A1"].font = Font(name="宋体", size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["K1"] = PERIOD
    headers = [
        "县区",
        "本期(亿元)",
        "上年同期",
        "增长%",
        "位次",
        "年度目标",
        "完成%",
        "序时进度",
        "超欠序时",
        "上期位次",
        "位次变化",
        "增长(1位)",
        "说明",
        "RANK.EQ",
    ]
    for col, text in enumerate(headers, 1):
        sheet.cell(2, col, text).font = Font(name="宋体", bold=True)
    for i, (name, current, base, target, previous) in enumerate(COUNTIES):
        r = FIRST + i
        sheet.cell(r, 1, name)
        sheet.cell(r, 2, current)
        sheet.cell(r, 3, base)
        sheet.cell(r, 4, f"=TJ_GROWTH(B{r},C{r})").number_format = "0.0"
        sheet.cell(r, 5, f"=TJ_RANK(D{r},$D${FIRST}:$D${LAST},TRUE,1)")
        sheet.cell(r, 6, target)
        sheet.cell(r, 7, f"=TJ_COMPLETION(B{r},F{r})").number_format = "0.00"
        sheet.cell(r, 8, "=TJ_TIME_PROGRESS($K$1)").number_format = "0.00"
        sheet.cell(r, 9, f"=TJ_SCHEDULE_GAP(B{r},F{r},$K$1)").number_format = "0.0"
        sheet.cell(r, 10, previous)
        sheet.cell(r, 11, f"=TJ_RANK_CHANGE(E{r},J{r})")
        sheet.cell(r, 12, f"=ROUND(D{r},1)")
        sheet.cell(r, 13, f'=IFERROR(IF(I{r}>=0,"超","欠")&TEXT(ABS(I{r}),"0.0"),"无数据")')
        # Excel stores the 2010 functions with their _xlfn. prefix in the file
        sheet.cell(r, 14, f'=IFERROR(_xlfn.RANK.EQ(B{r},$B${FIRST}:$B${LAST}),"")')
    sheet.cell(TOTAL, 1, "全市")
    sheet.cell(TOTAL, 2, f"=SUM(B{FIRST}:B{LAST})")
    sheet.cell(TOTAL, 3, f"=SUM(C{FIRST}:C{LAST})")
    sheet.cell(TOTAL, 4, f"=TJ_GROWTH(B{TOTAL},C{TOTAL})").number_format = "0.0"
    sheet.cell(TOTAL, 6, f"=SUM(F{FIRST}:F{LAST})")
    sheet.cell(TOTAL, 7, f"=TJ_COMPLETION(B{TOTAL},F{TOTAL})").number_format = "0.00"
    sheet.cell(TOTAL, 12, f"=ROUND(AVERAGE(B{FIRST}:B{LAST}),2)")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["M"].width = 14
    sheet.row_dimensions[2].height = 24
    for r in range(FIRST, TOTAL + 1):
        sheet.cell(r, 1).fill = PatternFill("solid", fgColor="FFF2CC")
    sheet.conditional_formatting.add(
        f"D{FIRST}:D{LAST}",
        CellIsRule(operator="lessThan", formula=["0"], font=Font(color="FF0000")),
    )

    summary = book.create_sheet("汇总")
    summary["A1"] = "指标"
    summary["B1"] = "数值"
    rows = [
        ("全市本期", "=对比!B15"),
        ("南湖县增长", '=VLOOKUP("南湖县",对比!A3:D14,4,FALSE)'),
        ("第一位", "=INDEX(对比!A3:A14,MATCH(1,对比!E3:E14,0))"),
        ("增长超10%县数", '=COUNTIF(对比!D3:D14,">10")'),
        ("超10%县本期合计", '=SUMIF(对比!D3:D14,">10",对比!B3:B14)'),
        ("最高增长", "=MAX(对比!D3:D14)"),
        ("白水县增长", '=IFERROR(对比!D9,"—")'),
        ("城关区占比", "=TJ_SHARE(对比!B3,对比!B15)"),
        ("城关区占比(1位)", '=ROUND(B9,1)&"%"'),
        ("前两名平均", "=AVERAGE(LARGE(对比!D3:D14,1),LARGE(对比!D3:D14,2))"),
        ("前三县合计", "=SUM(OFFSET(对比!B3,0,0,3,1))"),
        ("未知函数的依赖", "=B12*2"),
    ]
    for r, (label, formula) in enumerate(rows, 2):
        summary.cell(r, 1, label)
        summary.cell(r, 2, formula)
    summary["D1"] = "位次(数组)"
    summary["D2"] = ArrayFormula("D2:D13", "=TJ_RANK(对比!D3:D14,对比!D3:D14)")
    book.save(path)
    return path
