"""函数说明: the function list and the reason of the selected error cell."""

from __future__ import annotations

from addin.function_help import ActiveCell, help_text
from udfs.catalog import CATALOG


def test_lists_every_function_of_the_catalog() -> None:
    text = help_text(None)
    for entry in CATALOG:
        assert entry.signature in text
    assert text.startswith("统计助手函数")


def test_reason_of_the_selected_error_cell_comes_first() -> None:
    cell = ActiveCell("C5", "=TJ_GROWTH(A5,B5)", "#DIV/0!", "基期值为 0，无法计算增长（参数 base）")
    text = help_text(cell)
    assert text.startswith(
        "所选单元格 C5 显示 #DIV/0!，原因：基期值为 0，无法计算增长（参数 base）"
    )


def test_error_without_a_kept_reason_asks_for_a_recalculation() -> None:
    text = help_text(ActiveCell("C5", "=tj_rank(A5,A$2:A$9)", "#N/A", ""))
    assert "Ctrl+Alt+F9" in text.splitlines()[0]


def test_other_errors_and_plain_cells_are_told_apart() -> None:
    assert "不是统计助手函数" in help_text(ActiveCell("A1", "=1/0", "#DIV/0!", ""))
    assert help_text(ActiveCell("A1", "=TJ_SHARE(A2,A3)", None, "stale")) == help_text(None)
