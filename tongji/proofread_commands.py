"""``tongji proofread``: the figures of a speech or an analysis checked against each other and
against the workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def proofread_command(
    text: Annotated[Path, typer.Argument(help="要校对的文稿（.docx 或 .txt）/ document to check")],
    workbook: Annotated[
        Path | None,
        typer.Option(
            "--workbook", "-w", help="与该工作簿的县区对比表核对 / check against workbook"
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="文稿所说的县区（默认取文中出现的第一个县区）/ the county"),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="以 JSON 输出发现的问题 / findings as JSON")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="另存带批注的 Word 文档 / save the document with comments"
        ),
    ] = None,
) -> None:
    """校对文稿中的数字：占比、完成率、序时进度、百分点差、位次变化、增速、分项与总数、指标项数，
    有工作簿时再与县区对比表核对。 / Check the figures of a text against each other and the workbook."""
    from workbooks.file_host import open_file
    from workbooks.proofread import proofread
    from workbooks.proofread.report import text_report

    book = open_file(workbook) if workbook is not None else None
    result = proofread(text, book, region)
    if as_json:
        typer.echo(json.dumps([f.as_json() for f in result.findings], ensure_ascii=False, indent=2))
    else:
        report = text_report(result.findings, text.name, len(result.statements))
        if workbook is not None:
            report += f"\n\n与工作簿「{workbook.name}」核对了 {result.compared} 处"
            report += (
                f"（县区：{result.home}）。" if result.home else "（文中未出现工作簿中的县区名）。"
            )
            report += "".join(f"\n{note}" for note in result.notes)
        typer.echo(report)
    if out is not None:
        saved = result.save_commented(out)
        if not as_json:
            typer.echo(f"已另存带批注的文稿：{saved}")
