"""校对文稿 on a live workbook: xlwings' remote engine holds the sample workbook, the button's
handler reads its peer tables through the xlwings host."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from addin.ribbon import BUTTONS, handler_for
from tests.addin.test_xlwings_remote import run
from workbooks.samples.build import FIRST_DATA_ROW, peer_col
from workbooks.samples.figures import indicators, regions


def test_the_button_is_on_the_ribbon() -> None:
    assert BUTTONS["proofread_document"].label == "校对文稿"
    assert callable(handler_for("proofread_document"))


def test_proofread_against_the_open_workbook(fresh: dict[str, Path], tmp_path: Path) -> None:
    path = fresh["workbook"]
    ws = openpyxl.load_workbook(path)["2026Q3"]
    row = FIRST_DATA_ROW + regions().index("青川县")
    k = [i.name for i in indicators()].index("一般公共预算收入")
    growth = ws.cell(row, peer_col(k, 2)).value
    rank = ws.cell(row, peer_col(k, 3)).value
    wrong = rank + 1 if rank < 9 else rank - 1
    document = docx.Document()
    document.add_paragraph("青川县2026年前三季度财政收入情况")
    document.add_paragraph(f"前三季度，全县一般公共预算收入增长{growth:.1f}%，居全市第{wrong}位。")
    source = tmp_path / "财政.docx"
    document.save(str(source))
    result = run(str(path), "2026Q3", "proofread", str(source))
    assert "发现 1 处不一致" in result["message"], result["message"]
    assert f"应为第{rank}位" in result["message"]
    assert {a["func"] for a in result["actions"]} == {"alert"}  # the workbook is not changed
    copy = tmp_path / "财政_校对.docx"
    comments = list(docx.Document(str(copy)).comments)
    assert len(comments) == 1 and f"第{rank}位" in comments[0].text
