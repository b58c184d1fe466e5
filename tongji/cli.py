"""The ``tongji`` command: the add-in's jobs on .xlsx files, without Excel.

Every sub-command is a plain function in one of the ``*_commands`` modules; all are registered
on :data:`app` here, from :data:`COMMANDS`, each behind the one error boundary
(:func:`tongji.console.guarded`). The command modules import the workbook code inside their
functions, so ``tongji --help`` loads typer and nothing else. Help and command-line mistakes
are printed in Chinese first (:mod:`tongji.usage`); the everyday commands come first in the help.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tongji import (
    addin_commands,
    brief_commands,
    calc_commands,
    compute_commands,
    function_commands,
    proofread_commands,
    workbook_commands,
)
from tongji.console import guarded
from tongji.usage import TongjiCommand, TongjiGroup

COMMANDS = [
    ("functions", function_commands.functions_command),
    ("demo", workbook_commands.demo_command),
    ("rank", workbook_commands.rank_command),
    ("refresh", workbook_commands.refresh_command),
    ("compute", compute_commands.compute),
    ("export-values", compute_commands.export_values),
    ("render", compute_commands.render_command),
    ("brief", brief_commands.brief_command),
    ("build-addin", addin_commands.build_addin_command),
    ("doctor", addin_commands.doctor_command),
    ("wheelhouse", addin_commands.wheelhouse_command),
    ("proofread", proofread_commands.proofread_command),
    ("build-calc", calc_commands.build_calc_command),
]

app = typer.Typer(
    name="tongji",
    cls=TongjiGroup,
    help="统计助手 (tongji) — 县区统计工作簿的命令行工具 / command line for county statistics workbooks.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    # typer validates an option left at None through pydantic, whose import alone takes longer
    # than printing the function list: every --help flag gets an explicit default instead.
    context_settings={
        "default_map": {"help": False, **{name: {"help": False} for name, _ in COMMANDS}}
    },
)


def version_text() -> str:
    """「统计助手 (tongji) 0.1.0 · Python 3.11.9」: the installed version and the interpreter."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("tongji")
    except PackageNotFoundError:  # running from a checkout that was never installed
        number = "（未安装 / not installed）"
    return f"统计助手 (tongji) {number} · Python {sys.version.split()[0]}"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="显示版本并退出 / show the version",
            callback=_show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """统计助手 (tongji)：增速、完成率、序时进度、县区排名、季度表刷新 —— 不开 Excel 也能用。

    Growth, targets, ranking and quarterly refresh for county statistics workbooks, without Excel.
    """


for _name, _function in COMMANDS:
    app.command(_name, cls=TongjiCommand)(guarded(_function))


def main() -> None:
    """Console entry point."""
    app(prog_name="tongji")


if __name__ == "__main__":
    main()
