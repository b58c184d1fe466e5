"""``tongji build-calc``: the LibreOffice Calc extension (``tongji.oxt``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tongji.console import fail


def build_calc_command(
    out: Annotated[
        Path, typer.Option("-o", "--out", help="输出的扩展文件 / output .oxt file")
    ] = Path("tongji.oxt"),
) -> None:
    """生成统计助手 LibreOffice Calc 扩展（tongji.oxt）/ build the LibreOffice Calc extension.

    与 Excel 加载项使用同一份函数目录和同一套计算内核；需要 LibreOffice SDK 的 unoidl-write。
    """
    if out.suffix.lower() != ".oxt":
        raise fail(f"输出文件须以 .oxt 结尾（LibreOffice 扩展），收到：{out}")
    from addin.calc.build import build_oxt

    backup = build_oxt(out)
    typer.echo(f"已生成 Calc 扩展 / extension written: {out.resolve()}")
    typer.echo("安装：unopkg add tongji.oxt（或 工具 → 扩展管理器 → 添加），然后重启 LibreOffice。")
    if backup is not None:
        typer.echo(f"原有文件已备份为 / previous file kept as: {backup}")
