"""``tongji brief``: the analysis of a county (or of every county) as a Word document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def brief_command(
    file: Annotated[Path, typer.Argument(help="工作簿 .xlsx/.xlsm / workbook file")],
    region: Annotated[
        str | None,
        typer.Option(
            "--region", "-r", help="县区名称（默认全部县区）/ county (default: every county)"
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", "-p", help="期别，如 2026Q3、2026年1-9月（默认最新一期）/ period"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", "--output", help="输出 .docx（默认在工作簿旁另存）/ output .docx"
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已有的输出文件 / overwrite an existing output")
    ] = False,
) -> None:
    """生成分析：按县区对比表和主要指标表写出经济运行分析（Word 文档），文中数字与表中公布数一致。

    Write the analysis of a county (or every county) from the peer table and the main-indicator
    sheet as a .docx; every figure is the table's published figure.
    """
    from rich.console import Console
    from rich.markup import escape

    from tongji.console import fail
    from workbooks.brief import build_brief, default_output
    from workbooks.brief_docx import write_docx

    if output is not None and output.suffix.lower() != ".docx":
        raise fail(f"输出文件应为 .docx：{output}")
    if output is not None and output.exists() and not force:
        raise fail(f"输出文件已存在：{output}（加 --force 覆盖，或用 -o 指定另一个文件名）")
    brief = build_brief(file, region, period)
    target = output or default_output(file, brief, region)
    write_docx(brief, target)
    console = Console()
    counties = "、".join(a.region for a in brief.analyses)
    console.print(
        f"已生成 {escape(brief.label)} {escape(counties)} 的经济运行分析 → {escape(str(target))}"
    )
    sources = [f"县区对比表「{brief.peer_sheet}」"]
    sources += [f"{county}主要指标表「{sheet}」" for county, sheet in brief.main_sheets.items()]
    console.print("数据来自 " + escape("、".join(sources)))
    if brief.notes:
        console.print(
            f"[yellow]以下 {len(brief.notes)} 个单元格无法读成公布数，文中未写：[/yellow]"
        )
        for note in brief.notes:
            console.print(f"  {escape(note)}")
