"""``tongji compute`` / ``export-values`` / ``render``: computed workbooks without Excel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from workbooks.compute import Report

_SHOWN = 50


def _print_failures(console: Console, report: Report, what: str) -> None:
    from rich.markup import escape

    if not report.failures:
        return
    console.print(f"[yellow]以下 {len(report.failures)} 个公式{what}（未写入数值）：[/yellow]")
    for k, (cell, reason) in enumerate(report.failures.items()):
        if k == _SHOWN:
            console.print(f"  …另有 {len(report.failures) - _SHOWN} 个")
            break
        console.print(f"  {escape(cell)}：{escape(reason)}")


def compute(
    file: Annotated[Path, typer.Argument(help="工作簿 .xlsx/.xlsm / workbook file")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", "--output", help="输出文件（默认「原名_已计算」）/ output file"
        ),
    ] = None,
    in_place: Annotated[
        bool,
        typer.Option(
            "--in-place", help="写回原文件（先自动备份）/ overwrite input, keeping a backup"
        ),
    ] = False,
) -> None:
    """计算全部公式（含 TJ_ 函数），把结果作为缓存值写在公式旁 —— WPS、LibreOffice、手机预览都能看到数值。

    Evaluate every formula and store the results as cached values next to the unchanged formulas.
    """
    from rich.console import Console
    from rich.markup import escape

    from workbooks.compute import compute_file
    from workbooks.outputs import Output

    console = Console()
    done: list[Report] = []
    with Output(file, output, in_place) as plan:
        target, backup = plan.write(
            f"{file.stem}_已计算{file.suffix}",
            lambda to: done.append(compute_file(file, to, backup=False)),
        )
    (report,) = done
    console.print(
        f"已计算 {report.formulas} 个公式（其中 TJ_ 公式 {report.tj_formulas} 个），"
        f"写入 {report.written} 个单元格的数值，其中错误值 {report.errors} 个；"
        f"用时 {report.seconds:.2f} 秒 → {escape(str(target))}"
    )
    if backup is not None:
        what = "原文件" if in_place else "原有的输出文件"
        console.print(f"{what}已备份为 / backed up as: {escape(str(backup))}")
    _print_failures(console, report, "无法计算")


def export_values(
    file: Annotated[Path, typer.Argument(help="工作簿 .xlsx/.xlsm / workbook file")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", "--output", help="输出文件（默认「原名_数值版」）/ output file"
        ),
    ] = None,
    all_formulas: Annotated[
        bool,
        typer.Option(
            "--all", help="把所有公式（不只是 TJ_ 公式）都换成数值 / replace every formula"
        ),
    ] = False,
) -> None:
    """导出数值版：TJ_ 公式（或 --all 全部公式）换成数值，其余公式带上计算结果；格式、合并单元格、列宽、条件格式不变。

    A copy with TJ_ formulas (or all formulas) replaced by their values; every other formula
    keeps its computed value, so phone previews show no blanks. Formatting kept.
    """
    from rich.console import Console
    from rich.markup import escape

    from workbooks.compute import export_values_file, values_copy_name
    from workbooks.outputs import Output

    console = Console()
    done: list[Report] = []
    with Output(file, output) as plan:
        target, backup = plan.write(
            values_copy_name(file).name,
            lambda to: done.append(export_values_file(file, to, all_formulas=all_formulas)[1]),
        )
    (report,) = done
    rest = "" if all_formulas else "，其余公式保留并带上计算结果"
    console.print(
        f"已把 {report.replaced} 个公式换成数值{rest}（错误值 {report.errors} 个），"
        f"用时 {report.seconds:.2f} 秒 → {escape(str(target))}"
    )
    if backup is not None:
        console.print(f"原有的输出文件已备份为 / backed up as: {escape(str(backup))}")
    _print_failures(console, report, "无法计算，仍保留为公式")


def render_command(
    file: Annotated[Path, typer.Argument(help="工作簿 .xlsx/.xlsm / workbook file")],
    sheet: Annotated[
        str, typer.Option("--sheet", "-s", help="要打印的工作表名称 / sheet to render")
    ],
    pdf: Annotated[
        Path | None,
        typer.Option(
            "--pdf",
            help="输出 PDF 文件（默认：工作簿旁的「原名.pdf」，已有同名文件时自动编号）"
            " / PDF file (default: NAME.pdf next to the workbook, never overwritten)",
        ),
    ] = None,
    png: Annotated[
        Path | None,
        typer.Option("--png", help="输出 PNG 文件（多页时自动编号）/ PNG file, numbered per page"),
    ] = None,
) -> None:
    """生成打印版：把一张工作表输出为 PDF/PNG（A4/A3，按页宽缩放，字号不小于 8 磅；过宽的表格分页并重复地区列和表头），供经济运行分析会材料使用。

    Render one sheet to PDF/PNG through LibreOffice headless with Noto CJK fonts, laid out on
    A4 or A3 for the meeting.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from workbooks.render import render

    console = Console()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with progress:
        task = progress.add_task("生成打印版 / rendering…")
        result = render(
            file, sheet, pdf=pdf, png=png, step=lambda text: progress.update(task, description=text)
        )
    for path in result.files:
        console.print(f"已生成 {escape(str(path))}", soft_wrap=True)
    console.print(f"共 {result.pages} 页：{escape(result.layout.describe())}", soft_wrap=True)
    for note in result.notes:
        console.print(f"[yellow]提示:[/] {escape(note)}", soft_wrap=True)
