"""The extension's parts, generated from the catalogue, read back by independent readers
(XML parser, zip, LibreOffice's ``unoidl-read``), and the conversion of Calc's values."""

from __future__ import annotations

import math
import re
import struct
import subprocess
import zipfile
from xml.etree import ElementTree as ET

import numpy as np
import pytest
from typer.testing import CliRunner

from addin.calc import ADDIN_SERVICE, WRAPPER_TOKEN, cells, sources
from tongji.cli import app
from udfs.catalog import CATALOG
from udfs.errors import COM_ERRORS, ExcelError
from udfs.functions import FUNCTIONS

OOR = "{http://openoffice.org/2001/registry}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_idl_declares_every_function_with_any_arguments_in_camel_case_then_caller():
    idl = sources.idl_text()
    for entry in CATALOG:
        found = re.search(rf"sequence< sequence< any > > {entry.name}\((.*?)\);", idl)
        assert found, entry.name
        params = re.findall(r"\[in\] (\w+) (\w+)", found[1])
        assert [t for t, _ in params] == ["any"] * (len(entry.parameters) + 1)
        own = [sources.camel(p.name) for p in entry.parameters]
        assert [n for _, n in params] == [*own, "caller"]
        assert all("_" not in n for _, n in params)


def test_function_wizard_help_is_the_catalogues_chinese_help():
    root = ET.fromstring(sources.calc_addins_xcu())
    [addin] = root.findall(f"./node[@{OOR}name='AddInInfo']/node")
    assert addin.get(f"{OOR}name") == ADDIN_SERVICE
    functions = addin.findall(f"./node[@{OOR}name='AddInFunctions']/node")
    assert [f.get(f"{OOR}name") for f in functions] == [e.name for e in CATALOG]
    for node, entry in zip(functions, CATALOG, strict=True):
        description = {
            v.get(XML_LANG): v.text for v in node.findall(f"./prop[@{OOR}name='Description']/value")
        }
        assert description["zh-CN"].startswith(entry.description)
        params = node.findall(f"./node[@{OOR}name='Parameters']/node")
        assert [p.get(f"{OOR}name") for p in params] == [
            *(sources.camel(p.name) for p in entry.parameters),
            "caller",
        ]
        for param_node, param in zip(params, entry.parameters, strict=False):
            help_text = param_node.find(f"./prop[@{OOR}name='Description']/value").text
            assert help_text == param.doc
        caller_help = params[-1].find(f"./prop[@{OOR}name='Description']/value").text
        assert caller_help == f"内部参数，请勿填写；请在单元格中使用 {entry.name}"
        assert f"{sources.wizard_name(entry)} 是其内核，直接使用得 #VALUE!" in description["zh-CN"]


def test_basic_wrappers_one_per_function_with_its_arguments():
    module = sources.basic_module()
    assert "\nOption VBASupport 1\n" in module
    for entry in CATALOG:
        found = re.search(rf"^Function {entry.name}\((.*)\)$", module, re.MULTILINE)
        assert found, entry.name
        params = [p.strip() for p in found[1].split(",")]
        assert params == [f"Optional x_{p.name}" for p in entry.parameters]
        call = re.search(rf"TongjiService\(\)\.{entry.name}\((.*)\)\)$", module, re.MULTILINE)
        own = [f"x_{p.name}" for p in entry.parameters]
        assert call and call[1] == ", ".join([*own, '"TONGJI_BASIC_WRAPPER"'])


def test_every_wrapper_turns_any_failure_into_an_error_value():
    """A Basic runtime error left unhandled shows as an empty cell (read as 0): each wrapper
    handles it and returns TongjiFailed, a three-dimensional array Calc shows as #VALUE!."""
    module = sources.basic_module()
    assert re.search(r"Dim failed\(0, 0, 0\)\n    TongjiFailed = failed", module)
    for entry in CATALOG:
        body = re.search(rf"^Function {entry.name}\(.*?^End Function$", module, re.M | re.S)
        assert body, entry.name
        lines = body[0].splitlines()
        assert lines[1].strip() == "On Error GoTo failed"
        assert lines[-3:-1] == ["failed:", f"    {entry.name} = TongjiFailed()"]


@pytest.mark.parametrize(
    ("kind", "number"), [("#DIV/0!", 532), ("#N/A", 0x7FFF), ("#NUM!", 503), ("#VALUE!", 519)]
)
def test_an_error_leaves_as_a_nan_carrying_calcs_error_number(kind, number):
    result = FUNCTIONS["TJ_GROWTH"](
        {"#DIV/0!": 110.0, "#N/A": None, "#NUM!": 110.0, "#VALUE!": "abc"}[kind],
        {"#DIV/0!": 0.0, "#N/A": 100.0, "#NUM!": -5.0, "#VALUE!": 100.0}[kind],
    )
    [[value]] = cells.call(lambda *a: result)
    assert math.isnan(value)
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    assert bits & 0xFFFFFFFF == number
    assert cells.error_number(value) == number


#: LibreOffice's FormulaError numbers (formula/errorcodes.hxx) of the error values Calc shows.
CALC_SHOWS = {
    "#NULL!": 521,  # NoCode
    "#DIV/0!": 532,
    "#VALUE!": 519,  # NoValue
    "#REF!": 524,  # NoRef
    "#NAME?": 525,  # NoName
    "#NUM!": 503,  # IllegalFPOperation
    "#N/A": 0x7FFF,  # NotAvailable
}


@pytest.mark.parametrize("kind", list(ExcelError))
def test_every_error_kind_leaves_as_an_error_calc_shows(kind):
    """An input cell's #REF!, #NAME?, #NULL! come back as themselves; the kinds Calc has no
    cell value for (#SPILL!, #CALC!, #GETTING_DATA) as #VALUE!, never a silent number."""
    com = {literal: code for code, literal in COM_ERRORS.items()}[kind.literal]
    [[value]] = cells.call(FUNCTIONS["TJ_GROWTH"], com, 100.0)
    assert math.isnan(value)
    assert cells.error_number(value) == CALC_SHOWS.get(kind.literal, 519)


def test_an_error_cell_in_a_range_keeps_its_kind():
    com = {literal: code for code, literal in COM_ERRORS.items()}
    rows = cells.call(
        FUNCTIONS["TJ_GROWTH"], [[110.0], [com["#REF!"]], [com["#NULL!"]], [120.0]], 100.0
    )
    assert [cells.error_number(r[0]) for r in rows] == [None, 524, 521, None]
    assert [rows[0][0], rows[3][0]] == [10.0, 20.0]


def test_results_leave_as_rows_with_their_own_errors():
    rows = cells.call(FUNCTIONS["TJ_GROWTH"], [[110.0], [120.0], [130.0]], [[100.0], [0.0], [""]])
    assert rows[0] == (10.0,)
    assert [cells.error_number(r[0]) for r in rows[1:]] == [532, 0x7FFF]
    assert cells.call(FUNCTIONS["TJ_RANK_CHANGE"], 3.0, None) == (("",),)


def test_a_referenced_range_reads_like_excels():
    """A range's DataArray (blanks "", error cells empty) and its error cells: one cell is its
    value, an error cell is the COM code classic Excel sends (0x800A0000 + Excel's number)."""
    com = -2146828288
    assert cells.range_values(((5.0,),), []) == 5.0
    assert cells.range_values(((None,),), [(0, 0, 532)]) == com + 2007
    grid = cells.range_values(((1.0, ""), (None, "x")), [(1, 0, 0x7FFF)])
    assert grid == [[1.0, ""], [com + 2042, "x"]]
    assert cells.com_error(504) == com + 2015  # any other Calc error is #VALUE!


def test_error_number_of_ordinary_numbers_is_none():
    for value in (0.0, -1.5, float("inf"), np.float64(3)):
        assert cells.error_number(float(value)) is None


def test_cli_refuses_a_name_that_is_no_extension(tmp_path):
    result = CliRunner().invoke(app, ["build-calc", "-o", str(tmp_path / "tongji.zip")])
    assert result.exit_code != 0
    assert ".oxt" in result.output


def test_built_extension_holds_what_its_manifest_names(built_oxt):
    with zipfile.ZipFile(built_oxt) as package:
        names = set(package.namelist())
        manifest = ET.fromstring(package.read("META-INF/manifest.xml"))
        parts = package.read("pythonpath/tongji_calc_parts.py").decode()
        description = package.read("description.xml").decode()
    ns = "{http://openoffice.org/2001/manifest}"
    listed = {e.get(f"{ns}full-path") for e in manifest}
    assert listed <= names
    assert {"tongji.rdb", "tongji_component.py", "CalcAddIns.xcu", "Jobs.xcu"} <= listed
    assert "pythonpath/udfs/functions.py" in names
    assert "pythonpath/udfs/excel.py" not in names  # the xlwings layer stays out
    namespace: dict[str, object] = {}
    exec(parts, namespace)
    assert namespace["NAMES"] == tuple(e.name for e in CATALOG)
    assert namespace["PARAMETERS"]["TJ_RANK"] == (
        ("value", False),
        ("peers", False),
        ("descending", True),
        ("decimals", True),
    )
    assert namespace["BASIC_SOURCE"] == sources.basic_module()
    assert namespace["WRAPPER_TOKEN"] == "TONGJI_BASIC_WRAPPER" == WRAPPER_TOKEN
    assert 'identifier value="org.tongji.calc"' in description


def test_type_library_read_back_by_libreoffice(built_oxt, tmp_path):
    from addin.calc.build import unoidl_write

    reader = unoidl_write().with_name(unoidl_write().name.replace("write", "read"))
    if not reader.is_file():
        pytest.skip("unoidl-read not installed")
    with zipfile.ZipFile(built_oxt) as package:
        (tmp_path / "tongji.rdb").write_bytes(package.read("tongji.rdb"))
    shown = subprocess.run(
        [str(reader), str(tmp_path / "tongji.rdb")], capture_output=True, text=True, check=True
    ).stdout
    for entry in CATALOG:
        assert f" {entry.name}(" in shown
    assert "[in] any priceIndex" in shown
    assert "[in] any caller" in shown


def test_without_the_sdk_compiler_the_command_says_what_to_install(tmp_path, monkeypatch):
    from addin.calc import build

    monkeypatch.setattr(build, "_SDK_PLACES", ())
    monkeypatch.setenv("PATH", str(tmp_path))  # no unoidl-write anywhere
    out = tmp_path / "tongji.oxt"
    result = CliRunner().invoke(app, ["build-calc", "-o", str(out)])
    assert result.exit_code != 0
    assert "unoidl-write" in result.output and "libreoffice-dev" in result.output
    assert not out.exists()


def test_the_same_sources_give_the_same_file(built_oxt, tmp_path):
    from addin.calc.build import build_oxt

    again = tmp_path / "tongji.oxt"
    build_oxt(again)
    assert again.read_bytes() == built_oxt.read_bytes()
    assert build_oxt(again) is None  # unchanged: nothing replaced, no backup


RANK = (("value", False), ("peers", False), ("descending", True), ("decimals", True))
PHRASE_RANK = tuple(
    (name, name != "rank") for name in ("rank", "rank_previous", "scope", "reference", "count")
)


def test_an_empty_argument_where_0_means_nothing_is_omitted():
    """Calc hands TJ_PHRASE_RANK(8;;;;9) over as (8, 0, 0, 0, 9): a rank, a name, a period
    left empty, as Excel reads them."""
    assert cells.skipped(PHRASE_RANK, (8.0, 0.0, 0, 0.0, 9.0)) == (8.0, None, None, None, 9.0)
    assert cells.skipped(PHRASE_RANK, (0.0, None, None, None, None)) == (0.0,) + (None,) * 4


def test_an_empty_argument_where_0_is_a_value_is_refused_unless_last():
    """TJ_RANK(7;A1:A3;;1) and TJ_RANK(7;A1:A3;FALSE;1) reach the component alike: refused,
    never ranked ascending by guess; FALSE (or 0 decimals) as the last argument is the value."""
    assert cells.skipped(RANK, (7.0, [[5.0]], 0.0, 1.0)) is None
    assert cells.skipped(RANK, (7.0, [[5.0]], 1.0, 0)) == (7.0, [[5.0]], 1.0, 0)
    assert cells.skipped(RANK, (7.0, [[5.0]], 0.0, None)) == (7.0, [[5.0]], 0.0, None)
    assert cells.skipped(RANK, (7.0, [[5.0]], False, 1.0)) == (7.0, [[5.0]], False, 1.0)
    [[refused]] = cells.AMBIGUOUS_ZERO
    assert cells.error_number(refused) == 519


def test_every_optional_parameter_has_its_reading_of_an_empty_argument():
    """A new optional parameter must be placed: is its 0 a value (decimals, order) or not?"""
    zero_means_nothing = {
        "period", "price_index", "to_unit", "reference", "target", "rank_previous", "scope",
        "count", "benchmark",
    }  # fmt: skip
    optional = {p.name for e in CATALOG for p in e.parameters if p.optional}
    assert optional == zero_means_nothing | cells.ZERO_IS_A_VALUE
    assert not zero_means_nothing & cells.ZERO_IS_A_VALUE


def test_only_a_call_carrying_the_wrappers_token_computes():
    """TJ.GROWTH(B2;C2) straight from a cell leaves caller empty (Calc has already read a blank
    B2 as 0): refused with #VALUE!; the wrappers' call hands its own arguments on unchanged."""
    token = "TONGJI_BASIC_WRAPPER"
    assert cells.from_wrapper((110.0, 100.0, None, token), token) == (110.0, 100.0, None)
    assert cells.from_wrapper((0.0, 100.0, None), token) is None  # TJ.GROWTH(blank;C2)
    assert cells.from_wrapper((0.0, 100.0, None, None), token) is None
    assert cells.from_wrapper((0.0, 100.0, None, "other"), token) is None
    assert cells.from_wrapper((0.0, 100.0, None, 1.0), token) is None
    assert cells.from_wrapper((), token) is None
    [[refused]] = cells.NOT_FROM_A_WRAPPER
    assert cells.error_number(refused) == 519
