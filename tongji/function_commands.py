"""``tongji functions``: the list of ``TJ_`` Excel functions, read from :mod:`udfs.catalog`.

Plain text (no table): every description is printed whole, whatever the terminal's width,
and the command starts without loading a terminal-rendering library.
"""

from __future__ import annotations

import typer


def functions_command() -> None:
    """列出全部 TJ_ 函数 / list the TJ_ Excel functions."""
    from udfs.catalog import CATALOG

    lines = [f"统计助手 TJ_ 函数（{len(CATALOG)} 个）/ the TJ_ Excel functions", ""]
    for entry in CATALOG:
        lines += [entry.signature, f"    {entry.description}"]
        lines += [f"    · {p.name}：{p.doc}" for p in entry.parameters if p.doc]
        lines.append("")
    typer.echo("\n".join(lines).rstrip("\n"))
