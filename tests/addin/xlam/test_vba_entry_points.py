"""The add-in's own VBA, parsed: every entry point Excel calls (ribbon button, workbook and
application events) handles its errors with a Chinese message or silently, never with the
VBA debugger; the ribbon checks first that a workbook is open; workbooks saved with another
copy of the add-in are relinked to this one."""

from __future__ import annotations

import re

import pytest

from addin.xlam import customui, vba_modules
from tests.addin.xlam.vba_text import procedures, vba_string_value


@pytest.fixture(scope="module")
def code() -> dict[str, str]:
    """Module name → code (LF line ends) of every module of the add-in, as built."""
    return {m.name: m.code.replace("\r\n", "\n") for m in vba_modules.modules()}


def _entry_points(code: dict[str, str]) -> list[tuple[str, str]]:
    """(module, procedure) Excel itself calls: ribbon onAction callbacks, Workbook_Open,
    event handlers of WithEvents objects, and the subs those start from outside a cell."""
    module, sub = customui.CALLBACK.split(".")
    points = [(module, sub), ("ThisWorkbook", "Workbook_Open")]
    for name, text in code.items():
        for variable in re.findall(r"^Private WithEvents (\w+) As", text, re.MULTILINE):
            points += [(name, p) for p in procedures(text) if p.startswith(f"{variable}_")]
    points += [("TongjiLinks", "StartWatching"), ("TongjiLinks", "RelinkBook")]
    points += [("TongjiLinks", "RelinkTo")]
    return points


def _first_statement(body: str) -> str:
    for line in body.split("\n"):
        line = line.strip()
        if line and not line.startswith(("'", "Dim ")):
            return line
    return ""


def test_every_entry_point_handles_its_errors(code: dict[str, str]) -> None:
    points = _entry_points(code)
    assert ("TongjiLinkWatch", "App_WorkbookOpen") in points
    for module, name in points:
        body = procedures(code[module])[name]
        first = _first_statement(body)
        assert first == "On Error Resume Next" or first.startswith("On Error GoTo "), (module, name)
        if first.startswith("On Error GoTo "):
            label = first.removeprefix("On Error GoTo ")
            assert re.search(rf"^{label}:$", body, re.MULTILINE), (module, name, label)


def test_the_button_says_in_chinese_to_open_a_workbook_first(code: dict[str, str]) -> None:
    module, sub = customui.CALLBACK.split(".")
    body = procedures(code[module])[sub]
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    check = lines.index("If Not WorkbookIsOpen() Then")
    run = next(i for i, line in enumerate(lines) if line.startswith("RunPython "))
    assert check < run  # RunPython walks ActiveWorkbook: error 91 without a workbook
    message = re.match(r"MsgBox (.*), vbInformation, (.*)$", lines[check + 1])
    assert (
        vba_string_value(message.group(1)) == "请先打开或新建一个工作簿，再点「统计助手」的按钮。"
    )
    assert vba_string_value(message.group(2)) == "统计助手"
    assert lines[check + 2] == "Exit Sub"
    handler = procedures(code[module])["ShowFailure"]
    shown = re.search(r"MsgBox (.*?), vbExclamation", handler.replace(" _\n", " "), re.S)
    text = vba_string_value(shown.group(1).replace("number", '"7"').replace("description", '"x"'))
    assert text.startswith("统计助手未能完成这个操作（错误 7）") and "环境检查" in text
    is_open = procedures(code[module])["WorkbookIsOpen"]
    assert (
        "Set book = ActiveWorkbook" in is_open and "WorkbookIsOpen = Not book Is Nothing" in is_open
    )


def test_the_add_in_watches_every_workbook_excel_opens(code: dict[str, str]) -> None:
    watch = code["TongjiLinkWatch"]
    assert re.search(r"^Private WithEvents App As Application$", watch, re.MULTILINE)
    assert "Set App = Application" in procedures(watch)["Attach"]
    assert "TongjiLinks.RelinkBook Wb" in procedures(watch)["App_WorkbookOpen"]
    start = procedures(code["TongjiLinks"])["StartWatching"]
    assert "Set Watch = New TongjiLinkWatch" in start and "Watch.Attach" in start
    assert "TongjiLinks.StartWatching" in procedures(code["ThisWorkbook"])["Workbook_Open"]


def test_relinking_changes_only_links_to_another_copy_of_the_add_in(code: dict[str, str]) -> None:
    book = procedures(code["TongjiLinks"])["RelinkBook"]
    assert "RelinkTo book, ThisWorkbook, Application" in book  # Excel's own objects
    relink = procedures(code["TongjiLinks"])["RelinkTo"]
    assert "links = book.LinkSources(XL_EXCEL_LINKS)" in relink
    assert "book.ChangeLink CStr(links(i)), mine, XL_EXCEL_LINKS" in relink
    assert "mine = addin.FullName" in relink
    # silently: the workbook's saved state is what it was before
    assert relink.index("wasSaved = book.Saved") < relink.index("book.ChangeLink")
    # no dialog while relinking, and the user's setting is restored on every way out: the
    # restore is the handler's, after the label the error path jumps to
    assert relink.index("app.DisplayAlerts = False") < relink.index("book.ChangeLink")
    assert relink.index("alerts = app.DisplayAlerts") < relink.index("= False")
    handler = relink[relink.index("\ndone:\n") :]
    assert "app.DisplayAlerts = alerts" in handler and "book.Saved = wasSaved" in handler
    assert relink.count("book.Saved = wasSaved") == 1  # not skipped by a jump to done:
    assert re.search(r"Private Const XL_EXCEL_LINKS As Long = 1\b", code["TongjiLinks"])


def test_function_help_shows_a_failed_call_without_python(code: dict[str, str]) -> None:
    """Python may not start at all: 函数说明 on a cell whose call failed is answered by VBA."""
    from addin.ribbon import BUTTONS

    module, sub = customui.CALLBACK.split(".")
    body = procedures(code[module])[sub]
    assert 'If control.Id = "function_help" Then' in body and "function_help" in BUTTONS
    assert body.index("ShowCallFailure()") < body.index("RunPython ")
    show = procedures(code[module])["ShowCallFailure"]
    assert _first_statement(show) == "On Error GoTo none"
    assert "TongjiCells.IsCallFailure(reason)" in show
    message = re.search(r"MsgBox (.*?), vbExclamation", show.replace(" _\n", " "), re.S)
    text = vba_string_value(message.group(1).replace("address", '"B7"').replace("reason", '"R"'))
    assert text.startswith("所选单元格 B7 显示 #VALUE!，原因：R") and "环境检查" in text
