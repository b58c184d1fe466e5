"""The ``tongji`` command: the add-in's jobs on .xlsx files, without Excel.

Every sub-command is a plain function in one of the ``*_commands`` modules; all are registered
on :data:`app` here, in :data:`COMMANDS`.
"""

from __future__ import annotations

import typer

from tongji import addin_commands, compute_commands, workbook_commands

app = typer.Typer(
    name="tongji",
    help="统计助手 (tongji) — 县区统计工作簿的命令行工具 / command line for county statistics workbooks.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.callback()
def root() -> None:
    """统计助手 (tongji)：增速、完成率、序时进度、县区排名、季度表刷新 —— 不开 Excel 也能用。

    Growth, targets, ranking and quarterly refresh for county statistics workbooks, without Excel.
    """


@app.command("functions")
def functions() -> None:
    """列出全部 TJ_ 函数 / list the TJ_ Excel functions."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from udfs.catalog import CATALOG

    table = Table(title="统计助手 TJ_ 函数")
    table.add_column("函数 Function")
    table.add_column("说明 Description")
    for entry in CATALOG:
        table.add_row(escape(entry.signature), escape(entry.description))
    Console().print(table)


COMMANDS = [
    ("demo", workbook_commands.demo_command),
    ("rank", workbook_commands.rank_command),
    ("refresh", workbook_commands.refresh_command),
    ("compute", compute_commands.compute),
    ("export-values", compute_commands.export_values),
    ("render", compute_commands.render_command),
    ("build-addin", addin_commands.build_addin_command),
    ("doctor", addin_commands.doctor_command),
    ("wheelhouse", addin_commands.wheelhouse_command),
]
for _name, _function in COMMANDS:
    app.command(_name)(_function)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
