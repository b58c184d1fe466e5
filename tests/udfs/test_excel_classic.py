"""The TJ_ functions as classic xlwings (Windows desktop Excel) registers and calls them.

The registration runs xlwings' own classic decorators and VBA generator (addin.xlam.classic_udfs); the call
runs xlwings' classic argument and return conversion on values shaped the way pywin32 delivers
them (tuples of rows, COM error codes, None for blanks). Only the COM hop itself is not run.
"""

import re

import pytest
from xlwings import conversion

from addin.xlam import classic_udfs
from udfs.catalog import CATALOG
from udfs.errors import COM_ERRORS


@pytest.fixture(scope="module")
def vba():
    """The wrappers exactly as xlwings' "Import Functions" writes them (before our CVErr step)."""
    return classic_udfs.xlwings_wrappers()


@pytest.fixture(scope="module")
def meta():
    return classic_udfs.classic_metadata()


def test_every_function_has_a_wrapper_with_its_arguments(vba):
    declared = dict(re.findall(r"^Function (TJ_\w+)\(([^)]*)\)", vba, flags=re.MULTILINE))
    assert set(declared) == {entry.name for entry in CATALOG}
    for entry in CATALOG:
        expected = ", ".join(("Optional " if p.optional else "") + p.name for p in entry.parameters)
        assert declared[entry.name] == expected
        assert (
            f'XLPy.CallUDF("udfs.excel", "{entry.name}", Array({", ".join(p.name for p in entry.parameters)}), ActiveWorkbook'
            in vba
        )


def test_argument_names_are_legal_in_vba():
    for entry in CATALOG:
        for p in entry.parameters:
            assert p.name.lower() not in classic_udfs.VBA_RESERVED | classic_udfs.WRAPPER_BODY_NAMES
            assert p.name.lower() not in {"array", "range"}, (entry.name, p.name)
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", p.name)


def test_function_wizard_help_fits_excel(meta):
    # Application.MacroOptions takes at most 255 characters per description.
    for name, info in meta.items():
        assert info["category"] == "统计助手"
        assert 0 < len(info["ret"]["doc"]) <= 255, name
        for arg in info["args"]:
            assert 0 < len(arg["doc"]) <= 255 and not arg["doc"].startswith("Positional"), (
                name,
                arg,
            )


# The classic conversion context looks up the "excel" engine, which exists only where Excel
# runs; the raw pipelines used here never touch the engine, so any loaded engine stands in.
ENGINE = "remote"


def classic_call(meta, module, name, *args):
    """What xlwings.udfs.call_udf does with non-Range arguments, minus the COM hop."""
    info = meta[name]
    missing = -2147352572  # what COM passes for an omitted Optional argument
    converted = []
    for i, arg in enumerate(args):
        arg_info = info["args"][min(i, len(info["args"]) - 1)]
        if isinstance(arg, int) and arg == missing:
            converted.append(arg_info.get("optional", None))
        else:
            converted.append(conversion.read(None, arg, arg_info["options"], engine_name=ENGINE))
    function = getattr(module, name)
    return conversion.write(function(*converted), None, info["ret"]["options"], engine_name=ENGINE)


@pytest.fixture(scope="module")
def module():
    """A private copy of udfs.excel decorated the way Windows decorates it."""
    with classic_udfs.classic_xlwings() as classic:
        yield classic_udfs.classic_module(classic)


def test_classic_results_carry_error_markers(meta, module):
    div0 = next(k for k, v in COM_ERRORS.items() if v == "#DIV/0!")
    rows = ((110.0,), (None,), (5.0,), (div0,), ("６．７",))
    bases = ((100.0,), (100.0,), (0.0,), (100.0,), (5.0,))
    out = classic_call(meta, module, "TJ_GROWTH", rows, bases, -2147352572)
    assert out[0] == [10.0]
    assert out[1][0].startswith("#N/A ") and "本期值" in out[1][0]
    assert out[2][0].startswith("#DIV/0! ") and "基期值为 0" in out[2][0]
    assert out[3][0].startswith("#DIV/0! ") and "错误值" in out[3][0]
    assert out[4][0] == pytest.approx(34.0)
    assert classic_call(meta, module, "TJ_GROWTH", 110.0, 100.0, -2147352572) == 10.0


def test_classic_blank_rank_change_is_empty_text(meta, module):
    assert classic_call(meta, module, "TJ_RANK_CHANGE", ((3.0,), (2.0,)), ((None,), (4.0,))) == [
        [""],
        [2.0],
    ]
