"""``tongji demo``, ``tongji rank`` and ``tongji refresh``: the ribbon commands on workbook files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table as RichTable

    from workbooks.file_host import FileBook
    from workbooks.rank import RankResult
    from workbooks.refresh import RefreshResult

#: Options shared by the commands that change a workbook (rank, refresh).
OutFile = Annotated[
    Path | None, typer.Option("--out", "-o", help="输出文件（默认在原文件旁另存）/ output file")
]
InPlace = Annotated[
    bool,
    typer.Option(
        "--in-place", help="覆盖原文件（先自动备份）/ overwrite input, keeping a timestamped backup"
    ),
]
AllowLoss = Annotated[
    bool,
    typer.Option(
        "--allow-loss",
        help="工作簿中有无法原样保存的内容（如表单控件）时仍继续 / go on though such parts are lost",
    ),
]


def _console() -> Console:
    from rich.console import Console

    return Console()


@contextmanager
def _steps(console: Console) -> Iterator[Progress]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # no blank line on a redirected standard output
    )
    with progress:
        yield progress


def _latest_table_sheet(book: FileBook) -> str:
    from workbooks.period_names import book_period_sheets
    from workbooks.tables import NoTable, TableError, find_table

    sheets = book_period_sheets(book)
    latest_first = [n for p in reversed(sheets.periods()) for n in sheets.names_of(p)]
    for name in latest_first:
        try:
            find_table(book.sheet(name).read().values, where=f"工作表「{name}」")
            return name
        except TableError:
            raise  # the latest table cannot be read: say so, never rank an older period instead
        except NoTable:
            continue
    return book.active_sheet_name()


def _print_rank(console: Console, result: RankResult) -> None:
    from rich.markup import escape
    from rich.table import Table as RichTable

    if result.tallies:
        table = RichTable(
            title=f"「{escape(result.sheet)}」位次升降（较「{escape(result.previous_sheet or '')}」）"
        )
        table.add_column("地区")
        table.add_column("升降")
        for region, tally in result.tallies.items():
            table.add_row(escape(region), tally or "无法比较")
        console.print(table)
    for note in result.notes:
        console.print(f"[yellow]提示:[/] {escape(note)}")


def rank_command(
    file: Annotated[Path, typer.Argument(help="工作簿 .xlsx/.xlsm / workbook file")],
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet", "-s", help="工作表（默认最新一期）/ sheet (default: latest period)"
        ),
    ] = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", "-i", help="只排这些指标（可多次）/ only these indicators"),
    ] = None,
    ascending: Annotated[
        list[str] | None,
        typer.Option("--ascending", "-a", help="越低越好的指标（升序，可多次）/ lower is better"),
    ] = None,
    decimals: Annotated[
        int | None,
        typer.Option(
            "--decimals", "-d", help="按四舍五入到 N 位小数的公布数排位 / rank published figures"
        ),
    ] = None,
    chart: Annotated[
        str | None,
        typer.Option(
            "--chart",
            help="为该指标新建「排名图」工作表和条形图 / add a ranking sheet with a bar chart",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="表格中任一单元格（一张表上有多个表格时），如 A25 / a cell of the table to rank",
        ),
    ] = None,
    out: OutFile = None,
    in_place: InPlace = False,
    allow_loss: AllowLoss = False,
) -> None:
    """县区排名 / rank counties：写入位次、位次变化和升降汇总，标出前三后三。

    Rank the counties of a peer table (aggregate rows such as 全市 left out), write 位次,
    位次变化 against the previous period's sheet and the 「3升4平2降」 tally, highlight the top
    and bottom three.
    """
    from rich.markup import escape

    from workbooks.file_host import open_file, save_result
    from workbooks.outputs import Output
    from workbooks.rank import RankOptions, rank_sheet

    near_row = _row_of(at)
    console = _console()
    with Output(file, out, in_place) as output, _steps(console) as progress:
        progress.add_task("读取工作簿 / loading…")
        book = open_file(file, allow_loss)
        name = sheet or _latest_table_sheet(book)
        progress.add_task(f"排名「{name}」/ ranking…")
        options = RankOptions(indicator or None, set(ascending or ()), decimals, chart)
        options.near_row = near_row
        result = rank_sheet(book, name, options)
        progress.add_task("保存 / saving…")
        saved, backup = save_result(book, output, _default_name(file, f"{name}排名"))
    _print_rank(console, result)
    skipped = sum("未排位" in n for n in result.notes)
    rest = f"，{skipped} 项未排位（见上方提示）" if skipped else ""
    console.print(f"已排名 {len(result.ranks)} 项指标{rest} → [bold]{escape(str(saved))}[/]")
    _print_unevaluated(console, book.recompute())
    if backup:
        console.print(f"原文件已备份为 {escape(str(backup))}")


def _default_name(source: Path, suffix: str) -> str:
    """The output next to the input: ``报表.xlsx`` → ``报表_2026Q4.xlsx`` (the next free
    ``报表_2026Q4(2).xlsx`` … when taken, see :class:`workbooks.outputs.Output`)."""
    return f"{source.stem}_{suffix}{source.suffix}"


def _row_of(cell: str | None) -> int | None:
    """Row number of a cell address such as ``A25`` (or a bare row number)."""
    from workbooks.formula.tokens import row_of_address

    if cell is None:
        return None
    row = row_of_address(cell)
    if row is None:
        raise typer.BadParameter(f"「{cell}」不是单元格地址（如 A25）/ not a cell address")
    return row


def _print_refresh(console: Console, result: RefreshResult) -> None:
    from rich.markup import escape

    what = "新建" if result.mode == "new" else "数据修订"
    ranked = sum(len(r.ranks) for r in result.ranks)
    skipped = sum("未排位" in n for r in result.ranks for n in r.notes)
    rest = f"，{skipped} 项未排位（见下方提示）" if skipped else ""
    console.print(
        f"{what} {escape(result.label or result.period.label())}：{'、'.join(escape(s) for s in result.sheets)}，"
        f"填入 {result.cells_filled} 个数据单元格，重新排名 {ranked} 项指标{rest}"
    )
    for name in result.cleared:
        console.print(f"[yellow]提示:[/] 数据文件不含「{escape(name)}」的指标，该表数据已清空待填")
    for title, notes in (("已清空", result.cleared_cells), ("未修改", result.kept_cells)):
        for line in _grouped(notes):
            console.print(f"[yellow]{title}:[/] {escape(line)}")
    for rank in result.ranks:
        for note in rank.notes:
            console.print(f"[yellow]提示:[/] 「{escape(rank.sheet)}」{escape(note)}")
    _print_unevaluated(console, result.unevaluated)


def _grouped(notes: list) -> list[str]:
    """Cell notes one line per column: 「2026Q4 C列 一般公共预算收入·上年同期（理由）：C5 甲县、…」."""
    groups: dict[tuple[str, int, str, str], list] = {}
    for note in notes:
        groups.setdefault((note.sheet, note.col, note.what, note.reason), []).append(note)
    lines = []
    for (sheet, _, what, reason), cells in groups.items():
        where = "、".join(f"{n.address.split('!')[-1]} {n.region}" for n in cells)
        lines.append(f"「{sheet}」{what}（{reason}）：{where}")
    return lines


def _print_unevaluated(console: Console, failures: dict[tuple[str, int, int], str]) -> None:
    """Formula cells saved without a value because they could not be computed."""
    if not failures:
        return
    from rich.markup import escape

    from workbooks.tables import col_letter

    console.print(
        f"[yellow]提示:[/] {len(failures)} 个公式单元格无法计算，保存时没有数值"
        "（在 Excel 中打开会重新计算）："
    )
    for (sheet, row, col), reason in list(failures.items())[:20]:
        console.print(f"  {escape(sheet)}!{col_letter(col)}{row}：{escape(reason)}")
    if len(failures) > 20:
        console.print(f"  …… 另有 {len(failures) - 20} 个")


def refresh_command(
    file: Annotated[Path, typer.Argument(help="工作簿 .xlsx/.xlsm / workbook file")],
    data: Annotated[
        Path, typer.Option("--data", "-d", help="新一期数据（CSV/XLSX，联网直报导出）/ data drop")
    ],
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            help="数据期别，数据文件中没有写明时必填（默认取自数据文件的文件名、标题或期别单元格）"
            " / period, required when the drop names none, e.g. 2026Q4, 2026年1-8月, 三季度",
        ),
    ] = None,
    out: OutFile = None,
    in_place: InPlace = False,
    allow_loss: AllowLoss = False,
) -> None:
    """刷新季度表 / refresh quarterly sheets：按新一期数据生成下一期工作表（或修订已有一期）并重新排名。

    Roll the workbook forward to the drop's period (copy the latest period's sheets, rename,
    re-point formulas, fill the inputs, rank) or re-import revised data into an existing
    period. A drop with any problem changes nothing.
    """
    from rich.markup import escape

    from udfs import parse_period
    from workbooks.file_host import open_file, save_result
    from workbooks.outputs import Output
    from workbooks.refresh import refresh

    wanted = parse_period(period) if period else None
    console = _console()
    with Output(file, out, in_place) as output, _steps(console) as progress:
        progress.add_task("读取工作簿 / loading…")
        book = open_file(file, allow_loss)
        progress.add_task("核对并填入数据 / checking and filling…")
        result = refresh(book, data, wanted)
        progress.add_task("保存 / saving…")
        saved, backup = save_result(book, output, _default_name(file, result.data_sheet))
    _print_refresh(console, result)
    console.print(f"结果 / result → [bold]{escape(str(saved))}[/]")
    if backup:
        console.print(f"原文件已备份为 {escape(str(backup))}")


def demo_command(
    folder: Annotated[Path, typer.Argument(help="示例文件夹 / folder for the sample files")] = Path(
        "tongji-demo"
    ),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="结果工作簿 / result workbook")
    ] = None,
) -> None:
    """示例 / demo：生成示例市工作簿，用 2026 年 1-12 月数据刷新到 2026Q4 并排名，显示青川县各指标。

    Build the sample workbook of 示例市, refresh it to 2026Q4 from the bundled drop, rank, and
    show 青川县's growth, completion, schedule gap and rank per indicator.
    """
    from rich.markup import escape

    from workbooks.file_host import open_file, save_result
    from workbooks.outputs import Output
    from workbooks.refresh import refresh
    from workbooks.samples.build import WORKBOOK, build_all

    console = _console()
    with _steps(console) as progress:
        progress.add_task("生成示例工作簿 / building the sample workbook…")
        backups: list[tuple[Path, Path]] = []
        files = build_all(folder, backups)
        progress.add_task("刷新到 2026Q4 并排名 / refreshing and ranking…")
        book = open_file(files["workbook"])
        result = refresh(book, files["xlsx_wan"])
        progress.add_task("保存 / saving…")
        target = out or folder / WORKBOOK.replace(".xlsx", f"_{result.data_sheet}.xlsx")
        with Output(files["workbook"], target) as output:
            saved, replaced = save_result(book, output, target.name)
    _print_refresh(console, result)
    console.print(_county_summary(book, result))
    for sample, backup in backups:
        console.print(
            f"「{escape(str(sample))}」与示例不同（已修改过），已先备份为 / edited sample backed "
            f"up as: {escape(str(backup))}"
        )
    console.print(f"示例工作簿 / sample workbook: {escape(str(files['workbook']))}")
    console.print(f"新一期数据 / data drop: {escape(str(files['xlsx_wan']))}")
    console.print(f"结果 / result → [bold]{escape(str(saved))}[/]")
    if replaced is not None:
        console.print(
            f"原有的结果文件已备份为 / previous result backed up as: {escape(str(replaced))}"
        )


def _county_summary(book: FileBook, result: RefreshResult) -> RichTable:
    """The county's row of every indicator, computed with the udfs functions."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    from udfs import completion, schedule_gap
    from workbooks.samples.figures import COUNTY
    from workbooks.tables import CURRENT, GROWTH, RANK, find_table, norm

    peer = book.sheet(result.data_sheet).read()
    table = find_table(peer.values)
    row = table.regions[norm(COUNTY)]
    main_name = next(s for s in result.sheets if s != result.data_sheet)
    main = book.sheet(main_name).read()
    targets = {norm(main.get(r, 1)): main.get(r, 3) for r in range(4, len(main.values) + 1)}
    rank_result = result.ranks[0]
    label = result.period.label()
    out = RichTable(
        title=f"{COUNTY}{label}主要经济指标（全市 {len(table.ranked_rows())} 个县市区）"
    )
    out.add_column("指标")  # the only column allowed to wrap on a narrow terminal
    for head in ("本期累计", "增长%", "完成%", "超欠序时", "位次", "变化"):
        out.add_column(head, justify="right", no_wrap=True)
    out.caption = "完成% = 完成年度目标；超欠序时 = 超(+)/欠(−)序时进度，百分点"
    for indicator in table.indicators():
        current = peer.get(row, table.column(indicator, CURRENT).col)
        growth = peer.get(row, table.column(indicator, GROWTH).col)
        target = targets.get(indicator)
        done = completion(current, target) if target else None
        gap = schedule_gap(current, target, label) if target else None
        rank = peer.get(row, table.column(indicator, RANK).col)
        change = rank_result.changes.get(indicator, {}).get(norm(COUNTY))
        moved = (
            "—"
            if change is None
            else "持平"
            if change == 0
            else f"前移{change:.0f}位"
            if change > 0
            else f"后退{-change:.0f}位"
        )
        out.add_row(
            escape(indicator),
            f"{current:,.2f}" if isinstance(current, float) and current % 1 else f"{current:,.0f}",
            f"{growth:.1f}",
            f"{done:.1f}" if isinstance(done, float) else "—",
            f"{gap:+.1f}" if isinstance(gap, float) else "—",
            f"第{rank}位" if rank is not None else "—",
            moved,
        )
    return out
