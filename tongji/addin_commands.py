"""``tongji build-addin``, ``tongji doctor`` and ``tongji wheelhouse``: the add-in and its setup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tongji.console import fail


def build_addin_command(
    out: Annotated[
        Path, typer.Option("-o", "--out", help="输出的加载项文件 / output .xlam file")
    ] = Path("tongji.xlam"),
    interpreter: Annotated[
        str,
        typer.Option(
            "--interpreter",
            help="写入加载项配置的 Python 解释器（pythonw.exe）；留空则读取用户配置 "
            "%USERPROFILE%\\.tongji\\tongji.conf / interpreter for the add-in's conf sheet",
        ),
    ] = "",
    export_vba: Annotated[
        Path | None,
        typer.Option(
            "--export-vba",
            help="另把全部 VBA 模块导出为 .bas/.cls 文本到此文件夹 / also export the VBA modules as text",
        ),
    ] = None,
) -> None:
    """生成统计助手 Excel 加载项（tongji.xlam）/ build the 统计助手 Excel add-in from text sources.

    以已安装的 xlwings 自带的模板为基础（保证 DLL 版本一致），写入功能区、配置表和 VBA 工程。
    """
    if out.suffix.lower() != ".xlam":
        raise fail(f"输出文件须以 .xlam 结尾（Excel 加载项），收到：{out}")
    from addin.xlam import build, vba_modules

    try:
        backup = build.build_addin(out, interpreter or None)
    except vba_modules.TemplateError as exc:  # the installed xlwings is not supported
        raise fail(f"无法生成加载项：{exc}") from None
    typer.echo(f"已生成加载项 / add-in written: {out.resolve()}")
    if backup is not None:
        typer.echo(f"原有文件已备份为 / previous file kept as: {backup}")
    if export_vba is not None:
        written = vba_modules.export(export_vba)
        typer.echo(f"已导出 {len(written)} 个 VBA 模块到 / VBA modules exported to: {export_vba}")


def doctor_command() -> None:
    """环境检查：Python、xlwings、加载项及其配置，逐项给出修复办法 / check the setup."""
    from install import doctor

    results = doctor.run_checks()
    typer.echo(doctor.format_report(results))
    if any(r.status == doctor.FAIL for r in results):
        raise typer.Exit(1)


def wheelhouse_command(
    out: Annotated[
        Path, typer.Option("-o", "--out", help="离线安装包文件夹 / folder for the wheels")
    ] = Path("wheelhouse"),
    python_version: Annotated[
        list[str] | None,
        typer.Option(
            help="目标电脑的 Python 版本，可重复；默认 3.10–3.13 / target Python (repeatable)"
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只显示将执行的命令 / only print the pip command")
    ] = False,
) -> None:
    """下载 Windows 离线安装所需的全部 wheel（供内网电脑安装）/ fetch Windows wheels for offline install."""
    from install import wheelhouse

    versions = tuple(python_version or wheelhouse.PYTHON_VERSIONS)
    code = wheelhouse.build(out, python_versions=versions, dry_run=dry_run, echo=typer.echo)
    raise typer.Exit(code)
