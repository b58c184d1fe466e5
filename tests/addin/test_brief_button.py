"""生成分析 on a workbook open in Excel: the handler behind the ribbon button.

The book stands in for desktop Excel's ``xw.Book`` with what the handler asks of it (its file,
the active sheet, ``SaveCopyAs`` and the message box); the analysis itself is the real one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import docx

from addin.brief_button import write_brief
from addin.ribbon import BUTTONS, handler_for


class DesktopBook:
    """The parts of an ``xw.Book`` the handler uses: Excel saves a copy of the open workbook."""

    def __init__(self, path: Path, active: str):
        self.fullname = str(path)
        self.sheets = SimpleNamespace(active=SimpleNamespace(name=active))
        self.messages: list[str] = []
        self.app = SimpleNamespace(alert=lambda text, title: self.messages.append(text))
        self.api = SimpleNamespace(SaveCopyAs=lambda target: shutil.copy2(path, target))


def titles(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Title"]


def test_the_button_is_registered_with_its_handler():
    assert BUTTONS["write_brief"].label == "生成分析"
    assert handler_for("write_brief") is write_brief


def test_on_a_main_indicator_sheet_the_analysis_is_of_that_county_and_period(fresh):
    book = DesktopBook(fresh["workbook"], "青川县2026年1-6月")
    target = write_brief(book)
    assert target is not None and target.parent == fresh["workbook"].parent
    assert target.name == f"{fresh['workbook'].stem}_青川县2026年1-6月分析.docx"
    assert titles(target) == ["青川县2026年上半年经济运行情况分析"]
    assert str(target) in book.messages[-1]
    again = write_brief(book)  # never replaces the first document
    assert again is not None and again != target and target.exists()


def test_on_a_peer_table_every_county_is_written(fresh):
    book = DesktopBook(fresh["workbook"], "2026Q3")
    target = write_brief(book)
    assert target is not None
    assert len(titles(target)) == 9
    assert "城关区" in book.messages[-1]


def test_a_workbook_never_saved_is_refused(tmp_path):
    book = DesktopBook(tmp_path / "工作簿1", "Sheet1")
    assert write_brief(book) is None
    assert "请先把工作簿保存" in book.messages[-1]
    assert not list(tmp_path.iterdir())
