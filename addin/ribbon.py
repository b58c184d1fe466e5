"""Ribbon buttons (tab 统计助手) → Python.

The add-in's VBA has one generic callback: every button calls
``RunPython "import addin.ribbon; addin.ribbon.run('<button id>')"``, so a new button is ribbon
XML plus an entry in :data:`BUTTONS`, never new VBA. Handlers are named as ``"module:function"``
and imported only when pressed; each takes the calling ``xw.Book``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Button:
    """One ribbon button: its id in the ribbon XML, Chinese label, help, and handler."""

    id: str
    label: str
    screentip: str
    image: str
    handler: str | None  # "module:function", None while the command is not available


BUTTONS: dict[str, Button] = {
    b.id: b
    for b in [
        Button(
            "rank_counties",
            "县区排名",
            "为所选表格的各县区计算位次、位次变化并标出前三后三",
            "SortDescendingExcel",
            "addin.commands.live:rank_counties",
        ),
        Button(
            "refresh_quarter",
            "刷新季度表",
            "按新一期数据生成下一期工作表并填入数据",
            "Refresh",
            "addin.commands.live:refresh_quarter",
        ),
        Button(
            "export_values",
            "导出数值版",
            "另存一份把 TJ_ 公式换成数值的副本，发给未装插件的同事",
            "FileSaveAs",
            "addin.export_live:export_values",
        ),
        Button(
            "function_help",
            "函数说明",
            "列出全部 TJ_ 函数及用法；显示所选单元格出错的原因",
            "FunctionWizard",
            "addin.function_help:show",
        ),
        Button(
            "doctor",
            "环境检查",
            "检查 Python、xlwings、加载项配置是否正常，并给出修复办法",
            "Info",
            "addin.doctor:ribbon_doctor",
        ),
    ]
}


class NotAvailable(RuntimeError):
    """A button whose command is not part of this version."""


def handler_for(button_id: str) -> Callable[[Any], Any]:
    """The Python function behind a button; raises :class:`NotAvailable` (Chinese message)."""
    button = BUTTONS.get(button_id)
    if button is None:
        raise NotAvailable(f"未知的按钮「{button_id}」，请重新安装统计助手加载项。")
    if button.handler is None:
        raise NotAvailable(f"「{button.label}」功能在此版本中尚未提供。")
    module_name, function_name = button.handler.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def run(button_id: str) -> None:
    """Entry point of the ribbon callback: run the button's command on the calling workbook."""
    import xlwings as xw

    book = xw.Book.caller()
    try:
        handler = handler_for(button_id)
    except NotAvailable as exc:
        book.app.alert(str(exc), title="统计助手")
        return
    handler(book)
