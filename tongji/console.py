"""What the ``tongji`` command prints for the user: Chinese messages on standard error."""

from __future__ import annotations

import typer


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` (Chinese, naming the file, sheet, row or cell) on standard error and
    return the exit to raise. Code 2: bad input, nothing was changed."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[bold red]错误 / Error:[/] {escape(message)}")
    return typer.Exit(code=code)
