"""Module text as stored in a module stream, and ASCII-only VBA string expressions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.xlam.vbaproject import (
    VbaModule,
    VbaSourceError,
    module_stream_text,
    vba_string_assignment,
    vba_string_literal,
)

CLASS_HEADER = (
    'Attribute VB_Name = "C"\r\n'
    'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\r\n'
    "Attribute VB_GlobalNameSpace = False\r\n"
    "Attribute VB_Creatable = False\r\n"
    "Attribute VB_PredeclaredId = False\r\n"
    "Attribute VB_Exposed = False\r\n"
    "Attribute VB_TemplateDerived = False\r\n"
    "Attribute VB_Customizable = False\r\n"
)


def _document_header(name: str, base: str) -> str:
    return (
        f'Attribute VB_Name = "{name}"\r\n'
        f'Attribute VB_Base = "0{{{base}-0000-0000-C000-000000000046}}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\n"
        "Attribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = True\r\n"
        "Attribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\n"
        "Attribute VB_Customizable = True\r\n"
    )


STREAM_TEXT_CASES = [
    # (kind, name, given source, stored text)
    ("standard", "M", 'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n', None),
    ("standard", "M", "Sub A()\nEnd Sub", 'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n'),
    ("standard", "New", 'Attribute VB_Name = "Old"\nX\n', 'Attribute VB_Name = "New"\r\nX\r\n'),
    ("standard", "M", "\ufeffSub A()\r\n\r\n", 'Attribute VB_Name = "M"\r\nSub A()\r\n\r\n'),
    ("standard", "M", 'attribute vb_name = "m"\nX\n', 'Attribute VB_Name = "M"\r\nX\r\n'),
    (
        "class",
        "C",
        "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
        'Attribute VB_Name = "C"\nAttribute VB_Exposed = False\nOption Explicit\n',
        CLASS_HEADER + "Option Explicit\r\n",
    ),
    ("class", "C", "Option Explicit\r\n", CLASS_HEADER + "Option Explicit\r\n"),
    ("document", "ThisWorkbook", "", _document_header("ThisWorkbook", "00020819")),
    (
        "document",
        "Sheet1",
        "Private Sub X()\nEnd Sub\n",
        _document_header("Sheet1", "00020820") + "Private Sub X()\r\nEnd Sub\r\n",
    ),
]


@pytest.mark.parametrize(("kind", "name", "source", "stored"), STREAM_TEXT_CASES)
def test_module_stream_text(kind: str, name: str, source: str, stored: str | None) -> None:
    module = VbaModule(name, kind, source)  # type: ignore[arg-type]
    text = module_stream_text(module)
    assert text == (source if stored is None else stored)
    # already-stored text is left as it is
    assert module_stream_text(VbaModule(name, kind, text)) == text  # type: ignore[arg-type]


def test_exported_class_keeps_its_own_attributes(dictionary_cls: str) -> None:
    text = module_stream_text(VbaModule("Dictionary", "class", dictionary_cls))
    lines = text.split("\r\n")
    assert lines[0] == 'Attribute VB_Name = "Dictionary"'
    assert lines[1] == 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
    assert "Attribute VB_Exposed = True" in lines[:10]  # the file's value, not the default
    assert not any(line.startswith(("VERSION", "BEGIN", "  MultiUse")) for line in lines)
    # the code after the header is the file's, line for line
    body = dictionary_cls.split("\r\n")[10:]
    assert lines[-len(body) :] == body


def test_xlwings_module_is_stored_as_the_file_is(xlwings_bas: str) -> None:
    assert module_stream_text(VbaModule("xlwings", "standard", xlwings_bas)) == xlwings_bas


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("1abc", "standard"),
        ("a b", "standard"),
        ("名称", "standard"),
        ("x" * 32, "standard"),
        ("dir", "standard"),
        ("_VBA_PROJECT", "standard"),
        ("ok", "form"),
    ],
)
def test_bad_module_names_and_kinds_are_refused(name: str, kind: str) -> None:
    with pytest.raises(VbaSourceError):
        VbaModule(name, kind, "")  # type: ignore[arg-type]


# ---- VBA string expressions -------------------------------------------------------------

_VBA_PIECE = re.compile(r'"((?:[^"]|"")*)"|ChrW\((\d+)\)|(vbCrLf|vbCr|vbLf|vbTab)')
_NAMED = {"vbCrLf": "\r\n", "vbCr": "\r", "vbLf": "\n", "vbTab": "\t"}


def _evaluate(expression: str) -> str:
    """Evaluate a VBA expression made of string literals, ChrW(n) and vb constants joined with
    &, the way VBA does (UTF-16 code units, "" inside a literal is one quote)."""
    units = bytearray()
    for i, part in enumerate(expression.split(" & ")):
        match = _VBA_PIECE.fullmatch(part)
        assert match, f"piece {i} is not a literal: {part!r}"
        literal, code, named = match.groups()
        if literal is not None:
            units += literal.replace('""', '"').encode("utf-16-le")
        elif code is not None:
            assert 0 <= int(code) <= 0xFFFF
            units += int(code).to_bytes(2, "little")
        else:
            units += _NAMED[named].encode("utf-16-le")
    return units.decode("utf-16-le", errors="surrogatepass")


LITERAL_CASES = [
    ("", '""'),
    ("abc", '"abc"'),
    ('say "hi"', '"say ""hi"""'),
    ("统计", "ChrW(32479) & ChrW(35745)"),
    ("第1名\r\n", 'ChrW(31532) & "1" & ChrW(21517) & vbCrLf'),
    ("a\tb\nc\rd", '"a" & vbTab & "b" & vbLf & "c" & vbCr & "d"'),
    ("😀", "ChrW(55357) & ChrW(56832)"),
]


@pytest.mark.parametrize(("text", "expression"), LITERAL_CASES)
def test_vba_string_literal(text: str, expression: str) -> None:
    assert vba_string_literal(text) == expression


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_vba_string_literal_is_ascii_and_evaluates_to_the_text(text: str) -> None:
    expression = vba_string_literal(text)
    assert expression.isascii()
    assert _evaluate(expression) == text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_vba_string_assignment_lines_fit_and_add_up(text: str) -> None:
    lines = vba_string_assignment("msg", text, max_line=400)
    assert all(len(line) <= 400 and line.isascii() for line in lines)
    assert lines[0].startswith("msg = ")
    value = _evaluate(lines[0].removeprefix("msg = "))
    for line in lines[1:]:
        value += _evaluate(line.removeprefix("msg = msg & "))
    assert value == text
