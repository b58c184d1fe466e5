"""Every ``TJ_`` function computes in LibreOffice Calc, from a workbook written the way Excel
writes it, with the values and error kinds of the Python kernels (skipped without LibreOffice,
its uno Python or NumPy there)."""

from __future__ import annotations

import math

from addin.calc import ADDIN_SERVICE, BASIC_MODULE, sources
from tests.addin.calc.cases import (
    AMBIGUOUS_CASES,
    NAME_CELL,
    NULL_CELL,
    PEERS_REF,
    REF_CELL,
    SINGLE_CASES,
    SKIP,
    Cell,
    ErrorCell,
    functions_used,
)
from tests.addin.calc.libreoffice_calc import cell_result
from udfs.catalog import CATALOG, Entry, Parameter


def same(got, want) -> bool:
    """Equal, floats to 1e-12: LibreOffice's Python computes with the distribution's NumPy,
    whose ``power`` may differ from the project's in the last bit."""
    if isinstance(got, float) and isinstance(want, float):
        return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12)
    return got == want


def test_the_workbook_calls_every_function():
    assert functions_used() == {entry.name for entry in CATALOG}


def test_every_cell_equals_the_kernels(calc_book):
    expected, sheets, _ = calc_book
    compared = 0
    for sheet, cells in expected.items():
        for address, want in cells.items():
            cell = sheets[sheet][address]
            got = cell_result(cell)
            assert same(got, want), (sheet, address, cell["formula"], got, want)
            compared += 1
    assert compared == sum(len(cells) for cells in expected.values()) >= 55 + 39


def test_formulas_keep_the_excel_names(calc_book):
    _, sheets, _ = calc_book
    assert sheets["单元格"]["G1"]["formula"] == "=TJ_GROWTH(B1;C1)"
    assert "=TJ_GROWTH(A1:A6;B1:B6)" in sheets["区域"]["D1"]["formula"]


def test_a_blank_cell_is_no_data_not_zero(calc_book):
    """=TJ_GROWTH(blank, 100) is #N/A in Excel; a zero would give −100 %."""
    _, sheets, _ = calc_book
    assert cell_result(sheets["单元格"]["G4"]) == "#N/A"
    assert cell_result(sheets["单元格"]["G5"]) == "#N/A"


def test_an_error_cell_in_a_range_is_that_elements_error(calc_book):
    _, sheets, _ = calc_book
    column = [cell_result(sheets["区域"][f"D{row}"]) for row in range(1, 7)]
    assert column == [10.0, "#N/A", "#DIV/0!", "#DIV/0!", "#VALUE!", 100.0]


def test_results_follow_their_inputs_live(calc, calc_book):
    """Typing a new figure updates the TJ_ cells that read it, without a full recalculation."""
    _, _, saved = calc_book
    [changed] = calc.run(
        [
            {
                "open": str(saved["ods"]),
                "values": {"单元格!C1": 0, "单元格!B4": 105, "区域!B2": 60},
                "read": True,
            }
        ]
    )
    cells, area = changed["sheets"]["单元格"], changed["sheets"]["区域"]
    assert cell_result(cells["G1"]) == "#DIV/0!"  # =TJ_GROWTH(B1;C1), C1 now 0
    assert cell_result(cells["G4"]) == 5.0  # =TJ_GROWTH(B4;C4), B4 was blank
    assert cell_result(area["D2"]) == 100.0  # {=TJ_GROWTH(A1:A6;B1:B6)}: 120 / 60


def test_each_error_kind_of_an_input_cell_is_passed_on(calc_book):
    """#REF!, #NAME?, #NULL! in an input cell come back as themselves, alone and in a range
    (they once gave 0 and an empty array)."""
    _, sheets, _ = calc_book
    shown = {}
    for row, (name, args) in enumerate(SINGLE_CASES, start=1):
        for cell in (REF_CELL, NAME_CELL, NULL_CELL):
            if cell in args:
                shown[name, cell.literal] = cell_result(sheets["单元格"][f"G{row}"])
    assert shown == {
        ("TJ_GROWTH", "#REF!"): "#REF!",
        ("TJ_GROWTH", "#NAME?"): "#NAME?",
        ("TJ_GROWTH", "#NULL!"): "#NULL!",
        ("TJ_PHRASE_GROWTH", "#REF!"): "#REF!",
        ("TJ_PHRASE_VS", "#REF!"): "#REF!",  # the benchmark's name
    }
    amount = SINGLE_CASES.index(("TJ_PHRASE_AMOUNT", (Cell(5), ErrorCell("=NA()", "#N/A"))))
    assert cell_result(sheets["单元格"][f"G{amount + 1}"]) == "#N/A"  # the unit
    column = [cell_result(sheets["区域"][f"T{row}"]) for row in range(1, 7)]
    assert column == [10.0, "#REF!", "#NAME?", "#NULL!", 20.0, "#N/A"]


def test_a_failure_inside_a_wrapper_shows_an_error_not_a_blank(calc, tmp_path):
    """A wrapper whose component call fails (here: a method the component does not have)
    shows #VALUE! — an unhandled Basic error would leave an empty cell, read as 0."""
    missing = Entry("TJ_NOT_IN_THE_COMPONENT", "", (Parameter("value", "", False),))
    broken = tmp_path / "broken.bas"
    broken.write_text(sources.basic_module((*CATALOG, missing)), encoding="utf-8")
    original = tmp_path / "original.bas"
    original.write_text(sources.basic_module(), encoding="utf-8")
    calc.driver("basic-set", BASIC_MODULE, str(broken))
    try:
        [result] = calc.run(
            [
                {
                    "formulas": {
                        "Sheet1!A1": "=TJ_NOT_IN_THE_COMPONENT(1)",
                        "Sheet1!A2": "=ERROR.TYPE(A1)",
                        "Sheet1!A3": "=TJ_GROWTH(110;100)",
                    },
                    "read": True,
                }
            ]
        )
    finally:
        calc.driver("basic-set", BASIC_MODULE, str(original))
    cells = result["sheets"]["Sheet1"]
    assert cell_result(cells["A1"]) == "#VALUE!"
    assert cell_result(cells["A2"]) == 3.0
    assert cell_result(cells["A3"]) == 10.0


def test_an_argument_left_empty_between_others_is_omitted_or_refused(calc_book):
    """Calc hands the Basic wrappers an empty argument as 0: a name, unit or rank left empty
    gives the default as in Excel; an empty decimals or order (whose 0 is a value) is refused
    rather than computed as 0 decimals or ascending order."""
    _, sheets, _ = calc_book

    def shown(case):
        row = (SINGLE_CASES + AMBIGUOUS_CASES).index(case) + 1
        return cell_result(sheets["单元格"][f"G{row}"])

    assert shown(("TJ_PHRASE_RANK", (Cell(8), SKIP, SKIP, SKIP, 9))) == "居全市倒数第2位"
    assert shown(("TJ_PHRASE_VS", (Cell(7), Cell(6.5), SKIP, 1))) == "高于全市0.5个百分点"
    assert shown(("TJ_GROWTH", (Cell(110), Cell(100), SKIP))) == 10.0
    # was 3 (ascending) and 2亿元 (0 decimals); FALSE or 0 typed there is refused alike
    assert shown(("TJ_RANK", (7, PEERS_REF, SKIP, 1))) == "#VALUE!"
    assert shown(("TJ_PHRASE_AMOUNT", (17176, "万元", SKIP, "亿元"))) == "#VALUE!"
    assert shown(("TJ_RANK", (Cell(6.2), PEERS_REF, False, 1))) == "#VALUE!"
    # written in a cell, or as the last argument, 0 and FALSE are taken as they are
    assert shown(("TJ_RANK", (Cell(6.2), PEERS_REF, Cell(0), 1))) == 1.0
    assert shown(("TJ_PHRASE_AMOUNT", (Cell(17176), "万元", Cell(0), "亿元"))) == "2亿元"
    assert shown(("TJ_RANK", (Cell(6.2), PEERS_REF, False))) == 1.0
    assert shown(("TJ_PHRASE_GROWTH", (Cell(6.72), 0))) == "增长7%"


def test_error_type_of_a_passed_on_error_is_the_input_cells(calc):
    """ERROR.TYPE of what TJ_GROWTH gives for an input cell showing #NULL!, #REF!, #NAME? is
    ERROR.TYPE of that cell (Excel's 4 and 5 for #REF! and #NAME?; LibreOffice 7.4 itself
    gives #N/A for #NULL!): the error is the real one, not text or another kind."""
    inputs = {"A1": "=#NULL!", "A2": "=#REF!", "A3": "=TONGJI_UNDEFINED_NAME"}
    formulas = {f"Sheet1!{cell}": formula for cell, formula in inputs.items()}
    for row in (1, 2, 3):
        formulas[f"Sheet1!B{row}"] = f"=TJ_GROWTH(A{row};100)"
        formulas[f"Sheet1!C{row}"] = f"=ERROR.TYPE(B{row})"
        formulas[f"Sheet1!D{row}"] = f"=ERROR.TYPE(A{row})"
    [result] = calc.run([{"formulas": formulas, "read": True}])
    cells = result["sheets"]["Sheet1"]
    assert [cell_result(cells[f"B{row}"]) for row in (1, 2, 3)] == ["#NULL!", "#REF!", "#NAME?"]
    types = [cell_result(cells[f"C{row}"]) for row in (1, 2, 3)]
    assert types == [cell_result(cells[f"D{row}"]) for row in (1, 2, 3)]
    assert types[1:] == [4.0, 5.0]


def test_the_add_in_function_called_directly_is_an_error_never_a_number(calc):
    """TJ.GROWTH (the component's own method, listed in the Function Wizard) gets a blank single
    cell from Calc as 0: =TJ.GROWTH(B1;C1) with B1 blank would be a silent −100. Without the
    wrappers' mark in its last argument it is #VALUE!, with blanks and with numbers alike, while
    TJ_GROWTH on the same cells computes."""
    mark = '"TONGJI_BASIC_WRAPPER"'
    formulas = {
        "Sheet1!A1": "=110",
        "Sheet1!C1": "=100",
        "Sheet1!D1": "=TJ.GROWTH(B1;C1)",  # B1 blank
        "Sheet1!D2": "=TJ.GROWTH(A1;C1)",
        "Sheet1!D3": "=TJ.GROWTH(110;100)",
        "Sheet1!D4": "=TJ.PHRASE_GROWTH(A1)",
        "Sheet1!D5": "=ERROR.TYPE(D1)",
        "Sheet1!D6": "=D1+1",
        "Sheet1!E1": "=TJ_GROWTH(B1;C1)",
        "Sheet1!E2": "=TJ_GROWTH(A1;C1)",
        # the refusal is the component's own: with the wrappers' mark the method computes
        "Sheet1!F2": f"=TJ.GROWTH(A1;C1;;{mark})",
    }
    [result] = calc.run([{"formulas": formulas, "read": True}])
    cells = result["sheets"]["Sheet1"]
    assert cells["D1"]["formula"] == f"={ADDIN_SERVICE.upper()}.TJ_GROWTH(B1;C1)"
    direct = [cell_result(cells[f"D{row}"]) for row in range(1, 7)]
    assert direct == ["#VALUE!", "#VALUE!", "#VALUE!", "#VALUE!", 3.0, "#VALUE!"]
    assert cell_result(cells["E1"]) == "#N/A"
    assert cell_result(cells["E2"]) == 10.0
    assert cell_result(cells["F2"]) == 10.0


def test_an_array_of_the_add_in_function_called_directly_holds_no_number(calc):
    """{=TJ.GROWTH(A1:A3;B1:B3)} over a blank cell: no cell of the array shows a number."""
    [result] = calc.run(
        [
            {
                "formulas": {"Sheet1!A1": "=110", "Sheet1!A3": "=130", "Sheet1!B1": "=100"},
                "array_formulas": {
                    "Sheet1!D1:D3": "=TJ.GROWTH(A1:A3;B1:B3)",
                    "Sheet1!E1:E3": "=TJ_GROWTH(A1:A3;B1:B3)",
                },
                "read": True,
            }
        ]
    )
    cells = result["sheets"]["Sheet1"]
    direct = [cell_result(cells[f"D{row}"]) for row in (1, 2, 3)]
    assert all(isinstance(shown, str) and shown.startswith("#") for shown in direct), direct
    assert [cell_result(cells[f"E{row}"]) for row in (1, 2, 3)] == [10.0, "#N/A", "#N/A"]
