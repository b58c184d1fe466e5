"""Fixtures of the refresh and recompute tests: a small bureau workbook whose 增长 columns are
formulas, and data drops in each form a bureau receives — valid ones (UTF-8 and GB18030, comma,
semicolon, tab, quoted thousands separators, XLSX) and broken ones (an unquoted thousands
separator, 1e309, a 增长 that does not match the levels, a header without its unit, an XLSX
whose cells are formulas without saved results, blank cells).

Every figure is made here, so the tests compute the expected cells from these tables, not from
the code under test.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

COUNTIES = ["甲县", "乙县", "丙县", "丁县", "戊县"]
REGIONS = ["全市", *COUNTIES]
#: (indicator, unit): both nominal, growth reproducible from the levels.
INDICATORS = [("一般公共预算收入", "万元"), ("城镇居民人均可支配收入", "元")]
SUBS = ["本期累计", "上年同期", "增长(%)", "位次", "位次变化"]
HEADER_ROW, FIRST_ROW = 3, 5
SHEETS = {"2026Q2": (1, 6), "2026Q3": (1, 9)}


def col(indicator: int, sub: int) -> int:
    """Column of indicator ``indicator`` (0-based) and sub-column ``sub`` (0 本期 … 4 位次变化)."""
    return 2 + indicator * len(SUBS) + sub


def levels(sheet: str) -> dict[tuple[str, int], tuple[int, int]]:
    """(本期, 上年同期) of each region and indicator in a period sheet (whole numbers)."""
    seed = {"2026Q2": 1, "2026Q3": 2, "2026Q4": 3}[sheet]
    out = {}
    for k, region in enumerate(REGIONS):
        for i, _ in enumerate(INDICATORS):
            base = 1000 * (i + 1) * (k + 2) + 37 * seed
            now = base + (k * 53 + i * 29 + seed * 17) % 211 - 60
            out[(region, i)] = (now, base)
    return out


def growth(now: float, base: float, decimals: int = 1) -> float:
    """增长(%) as published: (本期 / 上年同期 − 1) × 100, rounded."""
    return round((now / base - 1) * 100, decimals)


def workbook(path: Path) -> Path:
    """Two quarterly peer sheets; 增长 = (本期/上年同期−1)×100 as formulas, 位次 as numbers, a
    备注 column with text and a 年度目标 column (kept when the period rolls)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (first, last) in SHEETS.items():
        ws = wb.create_sheet(name)
        ws.cell(1, 1, f"示例市2026年{first}-{last}月各县区主要指标对比表")
        ws.cell(HEADER_ROW, 1, "县区")
        ws.merge_cells(start_row=HEADER_ROW, start_column=1, end_row=HEADER_ROW + 1, end_column=1)
        figures = levels(name)
        for i, (indicator, unit) in enumerate(INDICATORS):
            ws.cell(HEADER_ROW, col(i, 0), f"{indicator}({unit})")
            ws.merge_cells(
                start_row=HEADER_ROW,
                start_column=col(i, 0),
                end_row=HEADER_ROW,
                end_column=col(i, 4),
            )
            for j, sub in enumerate(SUBS):
                ws.cell(HEADER_ROW + 1, col(i, j), sub)
        target = col(len(INDICATORS), 0)
        ws.cell(HEADER_ROW, target, "年度目标增速(%)")
        for k, region in enumerate(REGIONS):
            row = FIRST_ROW + k
            ws.cell(row, 1, region)
            for i, _ in enumerate(INDICATORS):
                now, base = figures[(region, i)]
                c0 = col(i, 0)
                ws.cell(row, c0, now)
                ws.cell(row, c0 + 1, base)
                a, b = (openpyxl.utils.get_column_letter(c0 + d) for d in (0, 1))
                ws.cell(row, c0 + 2, f"=({a}{row}/{b}{row}-1)*100")
                if k:
                    ws.cell(row, c0 + 3, k)  # stale ranks: the commands rewrite them
            ws.cell(row, target, 6.5)
    wb.save(path)
    return path


def drop_rows(sheet: str = "2026Q4", with_growth: bool = False) -> list[list[str]]:
    """A one-row-header drop of ``sheet``'s figures (as text, the way a CSV holds them)."""
    header = ["县区"]
    for indicator, unit in INDICATORS:
        header += [f"{indicator}本期累计({unit})", f"{indicator}上年同期({unit})"]
        header += [f"{indicator}增长(%)"] if with_growth else []
    rows = [["示例市2026年1-12月各县区主要指标"], header]
    figures = levels(sheet)
    for region in REGIONS:
        line = [region]
        for i, _ in enumerate(INDICATORS):
            now, base = figures[(region, i)]
            line += [str(now), str(base)]
            line += [f"{growth(now, base):.1f}"] if with_growth else []
        rows.append(line)
    return rows


def write_text(path: Path, rows: list[list[str]], sep: str = ",", encoding: str = "utf-8") -> Path:
    """Rows joined as they are (no quoting added: the broken forms need exact text)."""
    path.write_bytes(("\n".join(sep.join(r) for r in rows) + "\n").encode(encoding))
    return path


def _quoted(rows: list[list[str]], sep: str) -> list[list[str]]:
    """Levels written with thousands separators, quoted (valid CSV)."""
    out = [rows[0], rows[1]]
    for line in rows[2:]:
        out.append(
            [line[0]] + [f'"{int(v):,}"' if v.isdigit() and sep == "," else v for v in line[1:]]
        )
    return out


def valid_drops(folder: Path) -> dict[str, Path]:
    """Valid drops of 2026Q4, each holding exactly :func:`levels` ("2026Q4")."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = drop_rows()
    out = {
        "utf8": write_text(folder / "2026年1-12月.csv", rows, encoding="utf-8-sig"),
        "gb18030_semicolon": write_text(
            folder / "2026年1-12月_gbk.csv", rows, sep=";", encoding="gb18030"
        ),
        "tab": write_text(folder / "2026年1-12月_tab.csv", rows, sep="\t"),
        "quoted_thousands": write_text(folder / "2026年1-12月_千位.csv", _quoted(rows, ",")),
        "with_growth": write_text(folder / "2026年1-12月_增长.csv", drop_rows(with_growth=True)),
    }
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in rows:
        ws.append([float(v) if v.lstrip("-").isdigit() else v for v in line])
    wb.save(folder / "2026年1-12月.xlsx")
    out["xlsx"] = folder / "2026年1-12月.xlsx"
    return out


#: The broken forms :func:`broken_drops` writes.
BROKEN = (
    "unquoted_thousands",
    "unquoted_thousands_utf-8",
    "unquoted_thousands_gb18030",
    "non_finite",
    "nan_text",
    "growth_mismatch",
    "unit_missing_wrong_magnitude",
    "xlsx_formulas_without_results",
)


def broken_drops(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """Drops that must be refused: path and the fragments the message must hold."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[Path, list[str]]] = {}
    rows = drop_rows()
    bad = [list(r) for r in rows]
    bad[4][1] = f"{int(bad[4][1]) // 1000},{int(bad[4][1]) % 1000:03d}"  # 乙县, unquoted
    out["unquoted_thousands"] = (
        write_text(folder / "2026年1-12月_千位.csv", bad),
        ["第5行", "字段", "千位分隔符"],
    )
    for encoding in ("utf-8", "gb18030"):
        out[f"unquoted_thousands_{encoding}"] = (
            write_text(folder / f"2026年1-12月_千位_{encoding}.csv", bad, encoding=encoding),
            ["第5行", "千位分隔符"],
        )
    huge = [list(r) for r in rows]
    huge[5][2] = "1e309"
    out["non_finite"] = (write_text(folder / "2026年1-12月_1e309.csv", huge), ["第6行C列", "1e309"])
    nan = [list(r) for r in rows]
    nan[6][3] = "NaN"
    out["nan_text"] = (write_text(folder / "2026年1-12月_nan.csv", nan), ["第7行D列", "NaN"])
    wrong = drop_rows(with_growth=True)
    wrong[3][3] = f"{float(wrong[3][3]) + 0.3:.1f}"  # 甲县 一般公共预算收入增长
    out["growth_mismatch"] = (
        write_text(folder / "2026年1-12月_增长不符.csv", wrong),
        ["第4行", "甲县", "一般公共预算收入增长", "不符"],
    )
    yuan = [list(r) for r in rows]
    yuan[1][1] = "一般公共预算收入本期累计"  # no unit, and the figures are in 元
    yuan[1][2] = "一般公共预算收入上年同期"
    for line in yuan[2:]:
        line[1], line[2] = str(int(line[1]) * 10000), str(int(line[2]) * 10000)
    out["unit_missing_wrong_magnitude"] = (
        write_text(folder / "2026年1-12月_无单位.csv", yuan),
        ["B列", "没有单位", "万元"],
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in rows:
        ws.append(line[:1] + [None] * (len(line) - 1))
    for r in range(3, len(rows) + 1):
        for c in range(2, len(rows[1]) + 1):
            ws.cell(r, c, f"={float(rows[r - 1][c - 1])}+0")
    ws.cell(1, 1, rows[0][0])
    for c, text in enumerate(rows[1], start=1):
        ws.cell(2, c, text)
    wb.save(folder / "2026年1-12月_公式.xlsx")
    out["xlsx_formulas_without_results"] = (
        folder / "2026年1-12月_公式.xlsx",
        ["B3", "公式", "没有保存计算结果"],
    )
    return out


def blank_column_drop(folder: Path, sheet: str, blank_rows: list[str] | None = None) -> Path:
    """A drop for ``sheet``'s period holding the figures of :func:`levels` ("2026Q4"), whose
    城镇居民人均可支配收入 本期 column is blank for ``blank_rows`` (every region when None)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = drop_rows("2026Q4")
    first, last = SHEETS.get(sheet, (1, 12))
    rows[0] = [f"示例市2026年{first}-{last}月各县区主要指标"]
    for line in rows[2:]:
        if blank_rows is None or line[0] in blank_rows:
            line[3] = ""
    return write_text(folder / f"2026年{first}-{last}月_空列.csv", rows)


def bare_base_drop(folder: Path) -> Path:
    """``县区,一般公共预算收入(万元),上年同期,城镇居民人均可支配收入(元),上年同期``."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [["示例市2026年1-12月各县区主要指标"], ["县区"]]
    for indicator, unit in INDICATORS:
        rows[1] += [f"{indicator}({unit})", "上年同期"]
    figures = levels("2026Q4")
    for region in REGIONS:
        line = [region]
        for i, _ in enumerate(INDICATORS):
            line += [str(v) for v in figures[(region, i)]]
        rows.append(line)
    return write_text(folder / "2026年1-12月_简表.csv", rows, encoding="gb18030")
