"""Formulas from an untrusted workbook cost bounded time and memory, and failures read in the
bureau's words.

Limits are checked on a child process (``tongji compute``) under ``resource.setrlimit`` —
CPU seconds and address space — never with timed assertions: a regular-expression wildcard
that backtracks, or a range of a million rows held cell by cell, makes the child die of its
limit instead of finishing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.child_process import run_tongji
from workbooks.formula import engine as engine_module
from workbooks.formula.engine import Engine
from workbooks.formula.functions import wildcard
from workbooks.formula.model import Formula, Sheet

CPU_SECONDS = 60
MEMORY = 1536 * 1024 * 1024


def compute_limited(source: Path, target: Path) -> subprocess.CompletedProcess[str]:
    """``tongji compute`` in a child process limited in CPU time and memory."""
    return run_tongji(
        "compute",
        str(source),
        "-o",
        str(target),
        env={"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
        memory=MEMORY,
        cpu_seconds=CPU_SECONDS,
        timeout=600,
    )


def test_a_backtracking_wildcard_pattern_is_matched_in_bounded_time(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "名单"
    for r in range(1, 201):
        ws.cell(r, 1, "a" * 3000)
    evil = "*a" * 15 + "*b"  # a regular expression .*a.*a…b backtracks for ages on "aaa…"
    ws["B1"] = f'=COUNTIF(A1:A200,"{evil}")'
    ws["B2"] = f'=COUNTIF(A1:A200,"{"*a" * 15}*")'
    ws["B3"] = f'=MATCH("{evil}",A1:A200,0)'
    ws["B4"] = '=COUNTIF(A1:A200,"a?a*~*")'  # ~* is a literal star: none end with one
    source, target = tmp_path / "名单.xlsx", tmp_path / "out.xlsx"
    book.save(source)
    run = compute_limited(source, target)
    assert run.returncode == 0, run.stderr[-2000:]
    values = load_workbook(target, data_only=True)["名单"]
    assert values["B1"].value == 0
    assert values["B2"].value == 200
    assert values["B3"].value == "#N/A"
    assert values["B4"].value == 0


def test_sumproduct_over_whole_columns_stays_within_memory(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "2025Q4"
    for r in range(1, 41):
        ws.cell(r, 1, float(r))
        ws.cell(r, 2, 2.0 if r % 2 else "文字")
    for r in range(1, 301):  # 300 formulas over a million rows each
        ws.cell(r, 4, f"=SUMPRODUCT($A$1:$A$1048576,$B$1:$B$1048576)+{r}")
        ws.cell(r, 5, f'=SUMPRODUCT(($A$1:$A$1048576>{r % 40})*1)+COUNTIF($B$1:$B$1048576,"")')
        ws.cell(r, 6, f"=SUMPRODUCT(A:A,B:B)-{r}")
    source, target = tmp_path / "整列.xlsx", tmp_path / "out.xlsx"
    book.save(source)
    run = compute_limited(source, target)
    assert run.returncode == 0, run.stderr[-2000:]
    values = load_workbook(target, data_only=True)["2025Q4"]
    odd = sum(float(r) * 2 for r in range(1, 41, 2))  # text counts as 0 in SUMPRODUCT
    blanks = 1048576 - 40
    for r in (1, 7, 300):
        assert values.cell(r, 4).value == odd + r
        assert values.cell(r, 5).value == (40 - r % 40) + blanks
        assert values.cell(r, 6).value == odd - r


FORMULAS = [
    "SUMPRODUCT($A$1:$A$2000,$B$1:$B$2000)",
    'SUMPRODUCT(-($A$1:$A$2000=""))',
    "SUMPRODUCT(($A$1:$A$2000>3)*$B$1:$B$2000)",
    "SUMPRODUCT($A$1:$B$2000+1)",
    "SUMPRODUCT($A$1:$A$2000/$B$1:$B$2000)",
    'COUNTIF($A$1:$A$2000,"")',
    'COUNTIF($A$1:$A$2000,"<>")',
    'COUNTIF($A$1:$C$2000,"<>3")',
    "COUNTBLANK($A$1:$C$2000)",
    'SUMIF($A$1:$A$2000,"",$B$1:$B$2000)',
    'SUMIF($A$1:$A$2000,">2",$B$1:$B$2000)',
    'SUMIF($A$1:$A$2000,">2",$B$1:$B$900)',
    'COUNTIFS($A$1:$A$2000,"",$C$1:$C$2000,"")',
    'COUNTIFS($A$1:$A$2000,"",$C$1:$C$1500,"")',
    'AVERAGEIF($A$1:$A$2000,"<5")',
    "SUM($A$1:$XFD$2000)",
    "COUNTA($A$1:$C$2000)",
    "COUNT($A$1:$C$2000)",
    "MAX($A$1:$A$2000)+MIN($B$1:$B$2000)",
    "RANK(A3,$A$1:$A$2000)",
    "MATCH(5,$A$1:$A$2000,0)",
    "VLOOKUP(7,$A$1:$B$2000,2,FALSE)",
    "INDEX($A$1:$B$2000,1500,1)",
    "AND($A$1:$A$2000)",
    "LARGE($A$1:$A$2000,2)",
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_range_past_the_used_area_gives_what_every_cell_gives(formula, monkeypatch):
    """The same formula over a range held in full and over one held only within the used area
    (the blank rows after it shared): the same value."""
    constants = {(r, 1): float(r) for r in range(1, 11)}
    constants |= {(r, 2): (2.0 if r % 3 else "文字") for r in range(1, 13)}
    constants |= {(4, 3): "", (5, 3): True, (6, 3): 3.0}

    def value(threshold: int) -> object:
        monkeypatch.setattr(engine_module, "_PADDED_ROWS", threshold)
        sheet = Sheet("表", constants=dict(constants), max_row=12, max_col=3)
        sheet.formulas[(20, 5)] = Formula(formula)
        found = Engine([sheet])
        found.run()
        return found.results.get(("表", 20, 5)), found.failures.get(("表", 20, 5))

    assert value(1) == value(10**9)


def test_wildcards_match_as_excel_describes():
    assert wildcard("县*")("东川县") is False
    assert wildcard("*县")("东川县")
    assert wildcard("?川?")("东川县")
    assert not wildcard("?川")("东川县")
    assert wildcard("a*b*c")("AxxBxxC")
    assert not wildcard("a*b*c")("axxcxxb")
    assert wildcard("~*")("*") and not wildcard("~*")("x")
    assert wildcard("~?a")("?A")
    assert wildcard("*")("") and not wildcard("?")("")
    assert wildcard("a**b")("ab")


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("A1 B1", "「A1 B1」：两个引用之间的空格是交叉运算符，暂不支持"),
        ("SUM(A1) 2025Q4!B11", "公式语法有误：多余的引用「2025Q4!B11」"),
        ("2025Q4!B11 $C$3:D4", "「2025Q4!B11 $C$3:D4」：两个引用之间的空格是交叉运算符，暂不支持"),
        ("1 2", "公式语法有误：多余的「2」"),
        ('"县" 2025Q4!B11', "公式语法有误：多余的引用「2025Q4!B11」"),
    ],
)
def test_messages_name_references_as_the_user_wrote_them(formula, message):
    sheet = Sheet("表", constants={(1, 1): 1.0}, max_row=20, max_col=3)
    quarter = Sheet("2025Q4", constants={(11, 2): 5.0}, max_row=20, max_col=3)
    sheet.formulas[(5, 3)] = Formula(formula)
    found = Engine([sheet, quarter])
    found.run()
    reason = found.failures[("表", 5, 3)]
    assert "RefToken" not in reason and "Bound" not in reason
    assert reason == message
