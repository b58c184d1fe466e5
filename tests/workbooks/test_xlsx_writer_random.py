"""Cached values written into random sheets read back as asked, cell by cell.

Each sheet mixes constants, formula cells (with and without a stale cached value or type, the
address first or not, a style, an ``extLst``), shared formulas and missing cells and rows; the
updates mix numbers at the edges of their text form, text needing escaping or holding control
characters, booleans, errors, cleared cells and values replacing their formula. The written XML
is parsed and every cell compared with what was asked; the one-scan writer also gives the bytes
the row-by-row writer gives.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.cell import get_column_letter

from workbooks.formula.values import XLError
from workbooks.xlsx_package import (
    NO_VALUE,
    NoValue,
    Update,
    _keep_shared_children,
    _patch_rows,
    patch_sheet,
)

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TAG = f"{{{NS}}}"

NUMBERS = [
    0.0,
    -0.0,
    3.0,
    -7.0,
    1e15,
    -1e15,
    1e15 - 1,
    999999999999999.9,
    1e-7,
    -2.5e-300,
    1e300,
    0.1 + 0.2,
    12.345,
    2.0**70,
]
ERRORS = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"),
    max_size=12,
)
VALUES = st.one_of(
    st.sampled_from(NUMBERS),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.none(),
    TEXT,
    st.sampled_from(ERRORS).map(XLError),
    st.just(NO_VALUE),
)


@dataclass
class Cell:
    """One cell of the generated sheet, as its XML element."""

    row: int
    col: int
    xml: str
    formula: str | None = None  # the formula's text, for a plain or shared-master formula
    shared: tuple[int, int] | None = None  # a shared child: (its group's si, master's row)


@st.composite
def sheets(draw: st.DrawFn) -> tuple[str, dict[tuple[int, int], Cell], int, int]:
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    cells: dict[tuple[int, int], Cell] = {}
    group = 0
    for col in range(1, cols + 1):
        letter = get_column_letter(col)
        shared_rows = (
            draw(st.integers(1, rows)) if rows > 1 and draw(st.booleans()) else None
        )  # a shared formula filled down from this row
        for row in range(1, rows + 1):
            ref = f"{letter}{row}"
            if shared_rows is not None and row >= shared_rows:
                cached = draw(st.sampled_from(["", "<v>1</v>", "<v></v>"]))
                if row == shared_rows:
                    text = f"A{row}*2+1"
                    formula = f'<f t="shared" ref="{ref}:{letter}{rows}" si="{group}">{text}</f>'
                    cells[(row, col)] = Cell(row, col, f'<c r="{ref}">{formula}{cached}</c>', text)
                else:
                    formula = f'<f t="shared" si="{group}"/>'
                    cells[(row, col)] = Cell(
                        row, col, f'<c r="{ref}">{formula}{cached}</c>', shared=(group, shared_rows)
                    )
                continue
            kind = draw(st.sampled_from(["none", "number", "text", "formula", "formula"]))
            style = draw(st.sampled_from(["", ' s="3"']))
            if kind == "number":
                cells[(row, col)] = Cell(row, col, f'<c r="{ref}"{style}><v>1.5</v></c>')
            elif kind == "text":
                cells[(row, col)] = Cell(
                    row, col, f'<c r="{ref}"{style} t="inlineStr"><is><t>字</t></is></c>'
                )
            elif kind == "formula":
                text = draw(st.sampled_from(["A1+1", 'IF(A1>2,"<x>&amp;",1)', "SUM(A1:A3)"]))
                kept_type = draw(st.sampled_from(["", "", ' t="str"', ' t="n"', ' t="e"']))
                cm = draw(st.sampled_from(["", ' cm="1"']))
                attrs = draw(
                    st.sampled_from(
                        [
                            f' r="{ref}"{style}{kept_type}{cm}',
                            f'{style}{kept_type} r="{ref}"{cm}',
                            f' r="{ref}"{style}{kept_type}{cm} ',
                        ]
                    )
                )
                cached = draw(st.sampled_from(["", "<v>7</v>", "<v></v>", "<v/>", "<v>x</v>"]))
                ext = draw(st.sampled_from(["", "", "<extLst><ext/></extLst>"]))
                escaped = text.replace("&amp;", "&").replace("&", "&amp;").replace("<", "&lt;")
                escaped = escaped.replace(">", "&gt;")
                xml = f"<c{attrs}><f>{escaped}</f>{cached}{ext}</c>"
                cells[(row, col)] = Cell(row, col, xml, text.replace("&amp;", "&"))
        if shared_rows is not None:
            group += 1
    body = []
    for row in range(1, rows + 1):
        in_row = [cells[(row, col)].xml for col in range(1, cols + 1) if (row, col) in cells]
        if in_row or draw(st.booleans()):
            spans = draw(st.sampled_from(["", f' spans="1:{cols}"']))
            body.append(f'<row r="{row}"{spans}>{"".join(in_row)}</row>')
    xml = (
        f'<worksheet xmlns="{NS}"><dimension ref="A1:D6"/><sheetData>{"".join(body)}</sheetData>'
        '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>'
    )
    return xml, cells, rows, cols


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, dict[tuple[int, int], Cell], dict[tuple[int, int], Any]]:
    xml, cells, rows, cols = draw(sheets())
    places = [(r, c) for r in range(1, rows + 2) for c in range(1, cols + 2)]
    chosen = draw(
        st.lists(
            st.sampled_from(places), unique=True, min_size=len(places) // 2, max_size=len(places)
        )
    )
    updates: dict[tuple[int, int], Any] = {}
    for place in chosen:
        value = draw(VALUES)
        how = draw(st.sampled_from(["plain", "update", "drop"]))
        if how == "plain":
            updates[place] = value
        else:
            updates[place] = Update(value, drop_formula=how == "drop")
    return xml, cells, updates


def _drops(update: Any) -> bool:
    """A value replacing the formula (a cell cleared keeps its formula)."""
    return type(update) is Update and update.drop_formula and not isinstance(update.value, NoValue)


def _children(element: ET.Element) -> list[tuple[str, dict[str, str], str | None]]:
    return [(child.tag, dict(child.attrib), child.text) for child in element.iter()]


def _expected_text(value: Any) -> tuple[str | None, str]:
    """The ``t`` attribute and the text read back for a value, from the file format's rules:
    numbers as integers when they are whole and below 10^15, else with every digit needed;
    control characters are not XML, and a reader sees a line break for a carriage return."""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, XLError):
        return "e", value.literal
    if isinstance(value, str):
        text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
        return "str", text.replace("\r\n", "\n").replace("\r", "\n")
    if value is None:
        return None, "0"
    number = float(value)
    if number == int(number) and abs(number) < 1e15:
        return None, f"{int(number)}"
    return None, repr(number)


def _check_cell(found: ET.Element, original: Cell | None, update: Any, masters: dict) -> None:
    value, drop = (update.value, update.drop_formula) if type(update) is Update else (update, False)
    old = ET.fromstring(f'<r xmlns="{NS}">{original.xml}</r>')[0] if original else None
    attrs = {k: v for k, v in (old.attrib if old is not None else {}).items() if k != "t"}
    attrs.setdefault("r", found.get("r"))
    formula = old.find(f"{TAG}f") if old is not None else None
    ext = old.find(f"{TAG}extLst") if old is not None else None
    if original is not None and original.shared is not None and original.shared[0] in masters:
        master_row = original.shared[1]
        if not (drop and not isinstance(value, NoValue)):
            text = masters[original.shared[0]].replace(f"A{master_row}", f"A{original.row}")
            formula = ET.fromstring(f"<f>{text}</f>")  # written out in full
            assert found.find(f"{TAG}f").text == text
            assert found.find(f"{TAG}f").attrib == {}
    kids = [child.tag for child in found]
    if isinstance(value, NoValue):
        assert found.attrib == attrs
        assert kids == [
            t for t, e in [(f"{TAG}f", formula), (f"{TAG}extLst", ext)] if e is not None
        ]
        return
    kind, text = _expected_text(value)
    if drop:
        attrs = {k: v for k, v in attrs.items() if k not in ("cm", "vm")}
        formula = None
        kind = "inlineStr" if kind == "str" else kind
    if kind is not None:
        attrs["t"] = kind
    assert found.attrib == attrs
    if formula is not None:
        assert found.find(f"{TAG}f").text == formula.text
    held = f"{TAG}is" if kind == "inlineStr" else f"{TAG}v"
    expected_kids = [f"{TAG}f"] if formula is not None else []
    expected_kids += [held] + ([f"{TAG}extLst"] if ext is not None else [])
    assert kids == expected_kids
    shown = found.find(f"{TAG}is/{TAG}t") if kind == "inlineStr" else found.find(f"{TAG}v")
    assert (shown.text or "") == text


@settings(max_examples=300, deadline=None)
@given(cases())
def test_random_sheets_read_back_as_asked(case):
    xml, cells, updates = case
    written = patch_sheet(xml, updates)
    root = ET.fromstring(written)
    assert written.endswith(
        '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>'
    )
    masters = {
        cell.xml.split('si="')[1].split('"')[0]: cell.formula
        for place, cell in cells.items()
        if cell.formula and "shared" in cell.xml and _drops(updates.get(place))
    }
    masters = {int(si): text for si, text in masters.items()}
    found: dict[tuple[int, int], ET.Element] = {}
    row_numbers = []
    for row in root.iter(f"{TAG}row"):
        number = int(row.get("r"))
        row_numbers.append(number)
        columns = []
        for cell in row.iter(f"{TAG}c"):
            letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", cell.get("r")).groups()
            assert int(digits) == number
            col = next(c for c in range(1, 10) if get_column_letter(c) == letters)
            columns.append(col)
            found[(number, col)] = cell
        assert columns == sorted(columns)
    assert row_numbers == sorted(row_numbers) and len(set(row_numbers)) == len(row_numbers)
    assert set(found) == set(cells) | set(updates)
    for place, cell in found.items():
        original = cells.get(place)
        if place in updates:
            _check_cell(cell, original, updates[place], masters)
            continue
        if original.shared is not None and original.shared[0] in masters:
            master_row = original.shared[1]
            text = masters[original.shared[0]].replace(f"A{master_row}", f"A{original.row}")
            assert cell.find(f"{TAG}f").text == text and cell.find(f"{TAG}f").attrib == {}
            continue
        before = ET.fromstring(f'<r xmlns="{NS}">{original.xml}</r>')[0]
        assert _children(cell) == _children(before)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_one_scan_writer_gives_the_row_by_row_bytes(case):
    xml, _cells, updates = case
    reference = _patch_rows(_keep_shared_children(xml, updates), updates) if updates else xml
    assert patch_sheet(xml, updates) == reference


@pytest.mark.parametrize(
    "attrs", [' r="A1"', ' r="A1" s="3" ', ' s="3" r="A1" cm="1"', ' r="A1" t="n"']
)
@pytest.mark.parametrize("value", [2.5, 7, "文<本>", True, XLError("#N/A"), None, NO_VALUE])
@pytest.mark.parametrize("how", ["plain", "keep", "drop"])
def test_each_kind_of_formula_cell_gives_the_row_by_row_bytes(attrs, value, how):
    """Every value kind, kept or replacing the formula, in a cell whose attributes end with a
    space, carry ``cm`` or a stale type."""
    xml = f'<worksheet><sheetData><row r="1"><c{attrs}><f>B1</f><v>1</v></c></row></sheetData></worksheet>'
    update = value if how == "plain" else Update(value, drop_formula=how == "drop")
    assert patch_sheet(xml, {(1, 1): update}) == _patch_rows(xml, {(1, 1): update})
