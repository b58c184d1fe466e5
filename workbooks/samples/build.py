"""Build the sample workbook of 示例市 and its data drops.

``示例市主要经济指标.xlsx`` holds, for every quarter from 2025Q1 to the chosen last period:

- a peer table ``2026Q3`` (各县区主要经济指标对比表): title, one row per county plus 全市,
  per indicator 本期累计 | 上年同期 | 增长(%) | 位次 | 位次变化, and a 位次升降 tally column;
  位次 and 位次变化 are computed by the rank command itself;
- the main-indicator sheet of 青川县 (``青川县2026年1-9月``, 主要经济指标完成情况表): 年度目标
  (constants), 本期累计 / 增长 / 全市增速 / 全市位次 taken from the peer table by formula, and
  the computed columns as ``TJ_`` formulas (TJ_COMPLETION, TJ_TIME_PROGRESS, TJ_SCHEDULE_GAP,
  TJ_RANK_CHANGE).

Drops for the next period (:func:`write_drops`): CSV (UTF-8 with BOM, and GBK), XLSX with
amounts in 万元 where the workbook has 亿元 (two header rows, merged), and broken ones.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from udfs import Period
from workbooks.backups import keep_backup
from workbooks.file_host import FileBook
from workbooks.samples.figures import (
    CITY,
    COUNTY,
    TOTAL,
    annual_target,
    figure,
    indicators,
    quarter_periods,
    regions,
)

FIRST = Period(2025, 1, 3)
LAST = Period(2026, 1, 9)
DROP = Period(2026, 1, 12)
WORKBOOK = f"{CITY}主要经济指标.xlsx"
SUBS = ["本期累计", "上年同期", "增长(%)", "位次", "位次变化"]
HEADER_ROW = 3
FIRST_DATA_ROW = 5
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill(start_color="DDEBF7", end_color="DDEBF7", fill_type="solid")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def peer_name(period: Period) -> str:
    return f"{period.year}Q{period.last_month // 3}"


def main_name(period: Period) -> str:
    return f"{COUNTY}{period.year}年1-{period.last_month}月"


def level_format(decimals: int) -> str:
    return "#,##0.00" if decimals == 2 else "#,##0"


def peer_col(index: int, sub: int) -> int:
    """Column of indicator ``index`` (0-based) and sub-column ``sub`` (0 本期 … 4 位次变化)."""
    return 2 + index * len(SUBS) + sub


def _peer_sheet(wb: openpyxl.Workbook, period: Period) -> None:
    ws = wb.create_sheet(peer_name(period))
    inds = indicators()
    last_col = peer_col(len(inds), 0)
    ws.cell(1, 1, f"{CITY}{period.year}年1-{period.last_month}月各县区主要经济指标对比表")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.cell(
        2,
        1,
        "说明：地区生产总值、各产业和规模以上工业增加值增速按可比价格计算；固定资产投资、社会消费品零售总额增速按可比口径计算；位次为增速在全市9个县（市、区）中的位次。",
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    ws.cell(2, 1).font = Font(size=9, color="666666")
    ws.cell(HEADER_ROW, 1, "地区")
    ws.merge_cells(start_row=HEADER_ROW, start_column=1, end_row=HEADER_ROW + 1, end_column=1)
    for i, ind in enumerate(inds):
        ws.cell(HEADER_ROW, peer_col(i, 0), f"{ind.name}（{ind.unit}）")
        ws.merge_cells(
            start_row=HEADER_ROW,
            start_column=peer_col(i, 0),
            end_row=HEADER_ROW,
            end_column=peer_col(i, 4),
        )
        for j, sub in enumerate(SUBS):
            ws.cell(HEADER_ROW + 1, peer_col(i, j), sub)
    ws.cell(HEADER_ROW, last_col, "位次升降")
    ws.merge_cells(
        start_row=HEADER_ROW, start_column=last_col, end_row=HEADER_ROW + 1, end_column=last_col
    )
    for r in (HEADER_ROW, HEADER_ROW + 1):
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.font, cell.fill, cell.alignment, cell.border = (
                Font(bold=True),
                _HEAD_FILL,
                _CENTER,
                _BORDER,
            )
    names = regions()
    for k, region in enumerate(names):
        row = FIRST_DATA_ROW + k
        ws.cell(row, 1, region).border = _BORDER
        if region == TOTAL:
            ws.cell(row, 1).font = Font(bold=True)
        for i, ind in enumerate(inds):
            fig = figure(period, region, ind.name)
            for j, value in enumerate((fig.current, fig.base, fig.growth)):
                cell = ws.cell(row, peer_col(i, j), value)
                cell.number_format = "0.0" if j == 2 else level_format(ind.decimals)
            for j in range(5):
                ws.cell(row, peer_col(i, j)).border = _BORDER
            ws.cell(row, peer_col(i, 3)).number_format = "0"
            ws.cell(row, peer_col(i, 3)).alignment = Alignment(horizontal="center")
            if region == TOTAL:
                ws.cell(row, peer_col(i, 3), "—").alignment = Alignment(horizontal="center")
                ws.cell(row, peer_col(i, 4), "—").alignment = Alignment(horizontal="center")
        ws.cell(row, last_col).border = _BORDER
    last_row = FIRST_DATA_ROW + len(names) - 1
    ws.cell(last_row + 2, 1, f"数据来源：{CITY}统计局联网直报平台。")
    ws.cell(last_row + 2, 1).font = Font(size=9, color="666666")
    ws.column_dimensions["A"].width = 10
    for c in range(2, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 10
    ws.column_dimensions[get_column_letter(last_col)].width = 12
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 2)
    validation = DataValidation(
        type="whole", operator="between", formula1="1", formula2="99", allow_blank=True
    )
    validation.error, validation.errorTitle = "位次应为 1-99 的整数", "统计助手"
    for i in range(len(inds)):
        letter = get_column_letter(peer_col(i, 3))
        validation.add(f"{letter}{FIRST_DATA_ROW + 1}:{letter}{last_row}")
    ws.add_data_validation(validation)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.print_title_cols = "A:A"


MAIN_HEADERS = [
    "指标名称",
    "计量单位",
    "年度目标",
    "本期累计",
    "增长(%)",
    "全市增速(%)",
    "较全市(±百分点)",
    "完成年度目标(%)",
    "序时进度(%)",
    "超/欠序时进度(百分点)",
    "全市位次",
    "位次变化",
]


def _main_sheet(wb: openpyxl.Workbook, period: Period, has_previous: bool) -> None:
    ws = wb.create_sheet(main_name(period))
    peer = f"'{peer_name(period)}'"
    previous = f"'{main_name(Period(period.year if period.last_month > 3 else period.year - 1, 1, period.last_month - 3 if period.last_month > 3 else 12))}'"
    county_row = FIRST_DATA_ROW + regions().index(COUNTY)
    ws.cell(
        1, 1, f"{COUNTY}{period.year}年1-{period.last_month}月主要经济指标完成情况表"
    ).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MAIN_HEADERS))
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(2, 1, "期别")
    ws.cell(2, 2, f"{period.year}年1-{period.last_month}月")
    ws.cell(2, 4, f"数据取自「{peer_name(period)}」对比表；计算列为统计助手 TJ_ 函数")
    ws.cell(2, 4).font = Font(size=9, color="666666")
    for c, text in enumerate(MAIN_HEADERS, start=1):
        cell = ws.cell(3, c, text)
        cell.font, cell.fill, cell.alignment, cell.border = (
            Font(bold=True),
            _HEAD_FILL,
            _CENTER,
            _BORDER,
        )
    for i, ind in enumerate(indicators()):
        r = 4 + i
        cur = f"{get_column_letter(peer_col(i, 0))}"
        gro = f"{get_column_letter(peer_col(i, 2))}"
        rnk = f"{get_column_letter(peer_col(i, 3))}"
        ws.cell(r, 1, ind.name)
        ws.cell(r, 2, ind.unit)
        ws.cell(r, 3, annual_target(period.year, COUNTY, ind))
        ws.cell(r, 4, f"={peer}!{cur}{county_row}")
        ws.cell(r, 5, f"={peer}!{gro}{county_row}")
        ws.cell(r, 6, f"={peer}!{gro}{FIRST_DATA_ROW}")
        ws.cell(r, 7, f"=E{r}-F{r}")
        if ind.target_growth is not None:
            ws.cell(r, 8, f"=TJ_COMPLETION(D{r},C{r})")
            ws.cell(r, 9, "=TJ_TIME_PROGRESS($B$2)")
            ws.cell(r, 10, f"=TJ_SCHEDULE_GAP(D{r},C{r},$B$2)")
        ws.cell(r, 11, f"={peer}!{rnk}{county_row}")
        if has_previous:
            ws.cell(r, 12, f"=TJ_RANK_CHANGE(K{r},{previous}!K{r})")
        for c in range(1, len(MAIN_HEADERS) + 1):
            ws.cell(r, c).border = _BORDER
        for c in (3, 4):
            ws.cell(r, c).number_format = level_format(ind.decimals)
        for c in (5, 6, 7, 8, 9, 10):
            ws.cell(r, c).number_format = "0.0"
        ws.cell(r, 12).number_format = '"前移"0"位";"后退"0"位";"持平"'
    ws.column_dimensions["A"].width = 24
    for c in range(2, len(MAIN_HEADERS) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.freeze_panes = "B4"
    ws.row_dimensions[3].height = 30
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"


def build_workbook(path: str | Path, last: Period = LAST, rank: bool = True) -> Path:
    """Write the sample workbook with the quarters 2025Q1 … ``last`` to ``path``."""
    from workbooks.rank import rank_sheet

    path = Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    periods = quarter_periods(FIRST, last)
    for k, period in enumerate(periods):
        _peer_sheet(wb, period)
        _main_sheet(wb, period, has_previous=k > 0)
    book = FileBook.from_workbook(wb, path)
    if rank:
        for period in periods:
            rank_sheet(book, peer_name(period))
    wb.active = len(wb.sheetnames) - 2
    return book.save(path)


def drop_rows(period: Period, unit_scale: dict[str, str] | None = None) -> list[list[Any]]:
    """The drop of ``period`` as rows: title, one header row, one row per region (全市 first).

    ``unit_scale`` maps a workbook unit to the unit the drop uses (e.g. {"亿元": "万元"})."""
    unit_scale = unit_scale or {}
    factors = {("亿元", "万元"): 1e4, ("万元", "亿元"): 1e-4}
    header = ["地区"]
    for ind in indicators():
        unit = unit_scale.get(ind.unit, ind.unit)
        header += [
            f"{ind.name}本期累计({unit})",
            f"{ind.name}上年同期({unit})",
            f"{ind.name}增长(%)",
        ]
    rows: list[list[Any]] = [
        [f"{CITY}{period.year}年1-{period.last_month}月各县区主要经济指标（联网直报导出）"],
        header,
    ]
    for region in regions():
        line: list[Any] = [region]
        for ind in indicators():
            fig = figure(period, region, ind.name)
            unit = unit_scale.get(ind.unit, ind.unit)
            f = factors.get((ind.unit, unit), 1.0)
            line += [round(fig.current * f, 6), round(fig.base * f, 6), fig.growth]
        rows.append(line)
    return rows


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(["" if v is None else _text(v) for v in row] for row in rows)
    return path


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def write_xlsx_two_rows(path: Path, rows: list[list[Any]]) -> Path:
    """The drop as the reporting system's XLSX export: title, merged indicator headers over
    本期累计 | 上年同期 | 增长(%), then the data."""
    from workbooks.tables import split_header

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(rows[0])
    header = rows[1]
    top: list[Any] = ["地区"]
    sub: list[Any] = [None]
    for k in range(1, len(header), 3):
        name, _, unit = split_header(header[k])
        top += [f"{name}({unit})", None, None]
        sub += ["本期累计", "上年同期", "增长(%)"]
    ws.append(top)
    ws.append(sub)
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    for k in range(2, len(top) + 1, 3):
        ws.merge_cells(start_row=2, start_column=k, end_row=2, end_column=k + 2)
    for row in rows[2:]:
        ws.append(row)
    wb.save(path)
    return path


def write_drops(folder: str | Path, period: Period = DROP) -> dict[str, Path]:
    """The drops of ``period``: good ones (CSV UTF-8 BOM, CSV GBK, XLSX in 万元) and broken ones."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    label = f"{period.year}年1-{period.last_month}月"
    rows = drop_rows(period)
    out = {
        "csv": write_csv(folder / f"{label}_联网直报.csv", rows),
        "gbk": write_csv(folder / f"{label}_联网直报_GBK.csv", rows, encoding="gbk"),
        "xlsx_wan": write_xlsx_two_rows(
            folder / f"{label}_联网直报_万元.xlsx", drop_rows(period, {"亿元": "万元"})
        ),
    }
    broken = folder / "有问题的数据"
    broken.mkdir(exist_ok=True)
    unknown = [list(r) for r in rows]
    unknown[-2][0] = "云台镇"
    out["unknown_county"] = write_csv(broken / f"{label}_未知县区.csv", unknown)
    duplicate = [list(r) for r in rows] + [list(rows[4])]
    out["duplicate_row"] = write_csv(broken / f"{label}_重复行.csv", duplicate)
    text = [list(r) for r in rows]
    text[5][3] = "待核实"
    text[7][10] = '=HYPERLINK("http://example.invalid","点击")'
    out["text_in_number"] = write_csv(broken / f"{label}_数字列有文字.csv", text)
    missing = [[v for k, v in enumerate(r) if k not in (1, 2, 3) or len(r) == 1] for r in rows]
    out["missing_indicator"] = write_csv(broken / f"{label}_缺少指标.csv", missing)
    return out


def build_all(
    folder: str | Path, backups: list[tuple[Path, Path]] | None = None
) -> dict[str, Path]:
    """The sample workbook (2025Q1–2026Q3) and the 2026Q4 drops in ``folder``.

    The files are built in a temporary folder and written through the safe writer. A sample
    file already in ``folder`` with other contents (the user edited it) is backed up before it
    is replaced, never overwritten silently: (file, backup) is appended to ``backups``. One
    with the same contents is left as it is."""
    from workbooks.safe_files import temp_folder, write_bytes

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with temp_folder(folder, "demo") as work:
        made = {"workbook": build_workbook(work / WORKBOOK)}
        made.update(write_drops(work / "数据"))
        out = {}
        for kind, built in made.items():
            target = folder / built.relative_to(work)
            out[kind] = target
            if target.exists() and _same_contents(built, target):
                continue
            if target.exists():
                backup = keep_backup(target)
                if backups is not None:
                    backups.append((target, backup))
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(target, built.read_bytes())
    return out


def _same_contents(built: Path, existing: Path) -> bool:
    """``existing`` holds what was just built: the same bytes, or for a workbook the same
    parts apart from the time it was saved (``docProps/core.xml``)."""
    data = existing.read_bytes()
    if data == built.read_bytes():
        return True
    if built.suffix.lower() != ".xlsx":
        return False
    stamp = "docProps/core.xml"
    try:
        with zipfile.ZipFile(built) as new, zipfile.ZipFile(existing) as old:
            names = [n for n in new.namelist() if n != stamp]
            if names != [n for n in old.namelist() if n != stamp]:
                return False
            return all(new.read(n) == old.read(n) for n in names)
    except zipfile.BadZipFile:
        return False


__all__ = [
    "FIRST",
    "LAST",
    "WORKBOOK",
    "build_all",
    "build_workbook",
    "drop_rows",
    "main_name",
    "peer_col",
    "peer_name",
    "write_drops",
]
