"""函数说明 button: the list of ``TJ_`` functions, and why the selected cell shows an error.

The reason of an error cell is kept by the add-in's VBA (``TongjiCells.ToCells`` stores the
Chinese message of each error marker by cell) and read back here with ``Application.Run``.
A reason is shown only while the cell still holds an error, so a stale one never misleads.
"""

from __future__ import annotations

from dataclasses import dataclass

from addin import ADDIN_FILENAME
from udfs.catalog import CATALOG

REASON_MACRO = f"'{ADDIN_FILENAME}'!TongjiCells.ReasonFor"


@dataclass(frozen=True)
class ActiveCell:
    """What the help needs to know about the selected cell."""

    address: str  # e.g. "B2"
    formula: str
    error: str | None  # "#DIV/0!" etc. when the cell shows an error
    reason: str  # kept by the VBA, "" when unknown


def catalog_text() -> str:
    lines = ["统计助手函数（在单元格中输入 =TJ_ 可看到全部）："]
    for entry in CATALOG:
        summary = entry.description.split("。")[0]
        lines.append(f"• {entry.signature}  {summary}")
    lines.append("方括号中的参数可省略。")
    return "\n".join(lines)


def cell_text(cell: ActiveCell | None) -> str:
    if cell is None or cell.error is None:
        return ""
    if cell.reason:
        return f"所选单元格 {cell.address} 显示 {cell.error}，原因：{cell.reason}"
    if "TJ_" in cell.formula.upper():
        return (
            f"所选单元格 {cell.address} 显示 {cell.error}，原因未记录："
            "按 Ctrl+Alt+F9 重新计算后再点「函数说明」。"
        )
    return f"所选单元格 {cell.address} 显示 {cell.error}（不是统计助手函数的结果）。"


def help_text(cell: ActiveCell | None) -> str:
    """The message box text: the selected cell's error reason first (when there is one)."""
    about_cell = cell_text(cell)
    return f"{about_cell}\n\n{catalog_text()}" if about_cell else catalog_text()


def _active_cell(book: object) -> ActiveCell | None:  # pragma: no cover - needs Excel
    app = book.app  # type: ignore[attr-defined]
    try:
        cell = app.selection  # None, or not a Range when a chart or shape is selected
        cell = cell[0, 0] if cell is not None else None
    except Exception:
        cell = None
    if cell is None:
        return None
    value = cell.options(err_to_str=True).value
    error = value if isinstance(value, str) and value.startswith("#") else None
    reason = ""
    if error is not None:
        try:
            reason = app.api.Run(REASON_MACRO, cell.sheet.book.name, cell.sheet.name, cell.address)
        except Exception:
            reason = ""
    return ActiveCell(cell.address.replace("$", ""), cell.formula or "", error, reason or "")


def show(book: object) -> None:  # pragma: no cover - needs Excel
    """Ribbon handler of 函数说明."""
    book.app.alert(help_text(_active_cell(book)), title="统计助手 函数说明")  # type: ignore[attr-defined]
