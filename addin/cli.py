"""The ``tongji`` command: the add-in's jobs on .xlsx files, without Excel.

Each subcommand lives in its own module and registers itself on :data:`app` here.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="tongji",
    help="统计助手 (tongji) — 县区统计工作簿的命令行工具 / command line for county statistics workbooks.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` (Chinese, naming the file, sheet, row or cell) on standard error and
    return the exit to raise. Code 2: bad input, nothing was changed."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[bold red]错误 / Error:[/] {escape(message)}")
    return typer.Exit(code=code)


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


# Subcommands register themselves on `app`: demo, rank, refresh; compute, export-values,
# render; build-addin, doctor, wheelhouse.
from addin import cli_addin, cli_compute, cli_workbooks  # noqa: E402, F401


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
