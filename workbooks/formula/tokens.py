"""The one formula grammar of the project: openpyxl's ``Tokenizer`` plus what evaluation needs.

openpyxl splits a formula into operands, functions, operators and separators and renders it
back unchanged (:class:`FormulaTokenizer` adds the ``#SPILL!``/``#CALC!`` errors, keeps runs of
spaces whole and reports an unmatched ``)`` as a syntax error). On top of it this module reads
what a reference means:

- :func:`tokenize` gives the tokens the evaluator parses, with every cell reference made
  relative to the formula's own cell: ``=C5/B5*100`` in D5 and ``=C6/B6*100`` in D6 give the
  same tuple, so a column of same-shaped formulas (and every cell of a shared formula) is parsed
  and compiled once;
- :func:`repoint` points references at renamed sheets (next period's sheet, 刷新季度表);
- :func:`function_names` lists the functions a formula calls (is it a ``TJ_`` formula?);
- :func:`row_of_address` reads the row of a typed cell address (``A25``, ``$A$25`` or ``25``).

Moving a formula to another cell is openpyxl's ``Translator`` (see :mod:`workbooks.xlsx_package`);
the relative tokens here make moving unnecessary inside the evaluator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import SHEET_TITLE, column_index_from_string, get_column_letter

from workbooks.formula.values import Unsupported

_SHEET_PREFIX = re.compile(SHEET_TITLE, re.VERBOSE)  # openpyxl's: 'quoted'!  or  plain!
_MAX_COLUMN = 16384
_MAX_ROW = 1048576

Tokens = tuple[tuple[str, Any], ...]


class FormulaTokenizer(Tokenizer):
    """openpyxl's tokenizer, exact on whitespace, strict on parentheses, and faster.

    The consumers and their order are openpyxl's; the loop differs in one point (the one its
    own TODO names): a run of ordinary characters (a function name, a reference, a number) is
    taken in one step instead of character by character. ``benchmarks/bench_tokenize.py``
    measures the difference.
    """

    ERROR_CODES = (*Tokenizer.ERROR_CODES, "#SPILL!", "#CALC!")
    _CONSUMERS: ClassVar[dict[str, Callable[[Tokenizer], int]]] = {
        **dict.fromkeys("\"'", Tokenizer._parse_string),
        "[": Tokenizer._parse_brackets,
        "#": Tokenizer._parse_error,
        **dict.fromkeys(" \n", lambda self: self._parse_whitespace()),
        **dict.fromkeys("+-*/^&=><%", Tokenizer._parse_operator),
        **dict.fromkeys("{(", Tokenizer._parse_opener),
        **dict.fromkeys(")}", lambda self: self._parse_closer()),
        **dict.fromkeys(";,", Tokenizer._parse_separator),
    }
    _PLAIN = re.compile(r"""[^"'\[# \n+\-*/^&=><%{}();,]+""")

    def _parse(self) -> None:
        formula = self.formula
        if self.offset or not formula:
            return
        if formula[0] != "=":
            self.items.append(Token(formula, Token.LITERAL))
            return
        self.offset = 1
        consumers, enders, plain = self._CONSUMERS, self.TOKEN_ENDERS, self._PLAIN
        scientific, token = self.SN_RE.match, self.token
        length = len(formula)
        while self.offset < length:
            char = formula[self.offset]
            if char in "+-" and token and scientific("".join(token)):  # 1.5E+3: one number
                token.append(char)
                self.offset += 1
                continue
            if char in enders:
                self.save_token()
            consumer = consumers.get(char)
            if consumer is not None:
                self.offset += consumer(self)
            else:
                run = plain.match(formula, self.offset)
                assert run is not None  # char is not one the consumers take
                self.token.append(run.group(0))
                self.offset = run.end()
        self.save_token()

    def assert_empty_token(self, can_follow: Any = ()) -> None:
        # self.token holds runs of characters, not single characters: test the last one
        if self.token and self.token[-1][-1] not in can_follow:
            raise TokenizerError(
                f"Unexpected character at position {self.offset} in '{self.formula}'"
            )

    def _parse_whitespace(self) -> int:
        run = self.WSPACE_RE.match(self.formula, self.offset)
        assert run is not None  # the loop calls this on a space or newline
        self.items.append(Token(run.group(0), Token.WSPACE))
        return run.end() - self.offset

    def _parse_closer(self) -> int:
        if not self.token_stack:
            raise TokenizerError(f"Unmatched closing bracket in '{self.formula}'")
        return super()._parse_closer()


def items(formula: str) -> list[Token]:
    """openpyxl's tokens of ``formula`` (with or without its leading ``=``).

    Raises :class:`Unsupported` when the text is not a formula Excel could have written."""
    text = formula if formula.startswith("=") else f"={formula}"
    try:
        return FormulaTokenizer(text).items
    except TokenizerError as exc:
        raise Unsupported(f"公式语法有误：{formula}") from exc


def render(tokens: list[Token]) -> str:
    """The formula text (with ``=``) of openpyxl tokens: the exact inverse of :func:`items`."""
    return "=" + "".join(token.value for token in tokens)


# --- references ------------------------------------------------------------------------------


class Bound(NamedTuple):
    """One coordinate of a reference: absolute, or an offset from the formula's cell."""

    value: int
    absolute: bool

    def resolve(self, origin: int) -> int:
        return self.value if self.absolute else origin + self.value


class RefToken(NamedTuple):
    """A reference; ``last_row``/``last_col`` None mean "to the end of the used area"."""

    sheet: str | None
    first_row: Bound
    first_col: Bound
    last_row: Bound | None
    last_col: Bound | None
    single: bool

    def text(self, row: int, col: int) -> str:
        """The reference as written in cell (row, col), the way a user reads it:
        ``B11``, ``$B$5:C9``, ``A:C``, ``3:5``, ``2025Q4!B11``, ``'上 期'!A1``."""
        prefix = ""
        if self.sheet is not None:
            plain = re.fullmatch(r"[^\s'!:\[\]*?/\\()\-+,;&=<>^%{}\"]+", self.sheet)
            prefix = (self.sheet if plain else _quoted(self.sheet)) + "!"

        def row_text(bound: Bound) -> str:
            return ("$" if bound.absolute else "") + str(bound.resolve(row))

        def col_text(bound: Bound) -> str:
            return ("$" if bound.absolute else "") + get_column_letter(
                min(max(bound.resolve(col), 1), _MAX_COLUMN)
            )

        first = col_text(self.first_col) + row_text(self.first_row)
        if self.single:
            return prefix + first
        if self.last_col is None:  # whole rows
            assert self.last_row is not None
            return f"{prefix}{row_text(self.first_row)}:{row_text(self.last_row)}"
        if self.last_row is None:  # whole columns
            return f"{prefix}{col_text(self.first_col)}:{col_text(self.last_col)}"
        return f"{prefix}{first}:{col_text(self.last_col)}{row_text(self.last_row)}"


def split_sheet(operand: str) -> tuple[str | None, str]:
    """(sheet name or None, the rest) of a reference operand such as ``'上期'!$B$5``.

    A reference into another workbook (``[1]Sheet1!A1``) is :class:`Unsupported`."""
    if "!" not in operand:
        if operand.startswith("["):
            raise Unsupported("引用了其他工作簿（外部链接）")
        return None, operand
    match = _SHEET_PREFIX.match(operand)
    if match is None:
        raise Unsupported(f"无法识别的引用 {operand}")
    quoted = match.group("quoted")
    sheet = quoted.replace("''", "'") if quoted is not None else match.group("notquoted")
    body = operand[match.end() :]
    if sheet.startswith("[") or "]" in sheet:
        raise Unsupported("引用了其他工作簿（外部链接）")
    if "!" in body:
        raise Unsupported(f"无法识别的引用 {operand}")
    return sheet, body


def _row(text: str, origin: int) -> Bound:
    if text[0] == "$":
        row = int(text[1:])
        bound = Bound(row, True)
    else:
        row = int(text)
        bound = Bound(row - origin, False)
    if row > _MAX_ROW:
        raise Unsupported(f"引用 {text} 超出工作表范围")
    return bound


def _col(text: str, origin: int) -> Bound:
    if text[0] == "$":
        col = column_index_from_string(text[1:].upper())
        bound = Bound(col, True)
    else:
        col = column_index_from_string(text.upper())
        bound = Bound(col - origin, False)
    if col > _MAX_COLUMN:
        raise Unsupported(f"引用 {text} 超出工作表范围")
    return bound


_CELL_REF = Translator.CELL_REF_RE.fullmatch  # openpyxl's: ($)column($)row


def _cell(text: str, row: int, col: int) -> tuple[Bound, Bound] | None:
    match = _CELL_REF(text)
    if match is None:
        return None
    col_text, row_text = match.groups()
    return _row(row_text, row), _col(col_text, col)


def reference(sheet: str | None, body: str, row: int, col: int) -> RefToken | None:
    """The reference ``body`` (``B5``, ``$B$5:C9``, ``A:C``, ``3:5``) written in cell
    (row, col), or None when ``body`` is not a reference (a defined name)."""
    if ":" not in body:
        found = _cell(body, row, col)
        if found is None:
            return None
        return RefToken(sheet, found[0], found[1], found[0], found[1], True)
    rows = Translator.ROW_RANGE_RE.fullmatch(body)
    if rows is not None:  # whole rows 3:5
        first, last = _row(rows.group(1), row), _row(rows.group(2), row)
        return RefToken(sheet, first, Bound(1, True), last, None, False)
    cols = Translator.COL_RANGE_RE.fullmatch(body)
    if cols is not None:  # whole columns A:C
        first, last = _col(cols.group(1), col), _col(cols.group(2), col)
        return RefToken(sheet, Bound(1, True), first, None, last, False)
    first_text, _, last_text = body.partition(":")
    first, last = _cell(first_text, row, col), _cell(last_text, row, col)
    if first is None or last is None:
        raise Unsupported(f"无法识别的引用 {body}")
    return RefToken(sheet, first[0], first[1], last[0], last[1], False)


# --- evaluator tokens ------------------------------------------------------------------------

_SEPARATORS = {",": ("punct", ","), ";": ("punct", ";")}


@lru_cache(maxsize=1 << 16)
def tokenize(formula: str, row: int, col: int) -> Tokens:
    """Tokens of ``formula`` (without the leading ``=``) written in cell (row, col).

    Remembered for the most recent texts and cells: a workbook's period sheets repeat the same
    formulas in the same cells, and a workbook is evaluated again after each change.

    Kinds: ``ref`` (a :class:`RefToken`), ``name``, ``number``, ``string``, ``bool``,
    ``error``, ``func`` (upper-case name; the ``(`` follows as ``punct``), ``op`` (including
    the prefix ``@`` of implicit intersection) and ``punct`` (``( ) { } , ;``)."""
    out: list[tuple[str, Any]] = []
    append = out.append
    for token in items(formula):
        kind, value = token.type, token.value
        if kind == Token.OPERAND:
            _operand(token, row, col, append)
        elif kind == Token.FUNC:
            if token.subtype == Token.OPEN:
                if value.startswith("@"):
                    append(("op", "@"))
                    value = value[1:]
                append(("func", value[:-1].upper()))
                append(("punct", "("))
            else:
                append(("punct", ")"))
        elif kind in (Token.OP_PRE, Token.OP_IN, Token.OP_POST):
            append(("op", value))
        elif kind == Token.SEP:
            append(_SEPARATORS[value])
        elif kind in (Token.PAREN, Token.ARRAY):
            append(("punct", value))
        elif kind != Token.WSPACE:  # pragma: no cover - LITERAL only without a leading "="
            raise Unsupported(f"公式中「{value}」无法识别")
    return tuple(out)


# --- one tokenisation per formula shape -------------------------------------------------------

# A quoted text or sheet name (kept as written), or a cell reference as the tokenizer reads it:
# an operand of its own (``@`` allowed in front), after a sheet's ``!`` or in a range's ``:``.
# Before it the start of the formula or a character that ends the previous token (an operator,
# a separator, a bracket, a space, ``"`` of a text); after it the end, such a character or
# ``:``. Anything the tokenizer takes into the same operand (a word, a number, a name such as
# B05, x.A1 or A1$A$1, a function name such as LOG10(, a sheet name Q4!) is not a reference.
_SHAPE_PART = re.compile(
    r"""("[^"]*"|'[^']*')"""
    r"""|(?<![^ \n+\-*/^&=><%,;(){}"!:])(@?)(\$?)([A-Za-z]{1,3})(\$?)([1-9][0-9]{0,6})"""
    r"""(?=[ \n+\-*/^&=><%,;)}:]|$)"""
)
# Where the tokenizer takes characters into an operand that the pattern above would read as a
# token boundary: a bracketed part (``x[a+A1]``), an error constant (``#NAME?A1`` is an error
# and a reference) and a number's exponent (``1E+A1`` is one operand). Such a formula is its own
# shape, in its own cell.
_UNSURE = re.compile(r"[\[\]#]|[0-9][Ee][+-]")
_QUOTED = re.compile(r"""("[^"]*"|'[^']*')""")
_ROW_RANGE = re.compile(r":\$?[0-9]")  # 3:5, $3:$5 (a cell range has a letter after ":")
_SHAPES: dict[tuple[str, int, int], Tokens] = {}
_SHAPES_KEPT = 1 << 16


def shape_key(formula: str, row: int, col: int) -> tuple[str, int, int]:
    """A key equal for formulas of the same shape in one column — ``C5/B5*100`` in D5 and
    ``C6/B6*100`` in D6 — and different for formulas whose tokens differ.

    Every row of a cell reference outside quotes is written as its offset from ``row``
    (absolute rows as themselves); the rest of the text stays as written and the column is
    part of the key. References are only what openpyxl reads as cell references (a function
    name such as ``LOG10(``, a sheet name ``Q4!``, a name ``B05`` or ``x.A1`` is left alone),
    so two texts with the same key differ only in rows that mean the same cells from their own
    formula's cell. Whole rows (``3:5``) keep the row in the key; a formula whose references
    the pattern cannot be sure of (``_UNSURE``) is a shape of its own cell."""
    return _shape(formula, row, col)[0]


def _shape(
    formula: str, row: int, col: int
) -> tuple[tuple[str, int, int], list[tuple[int, int, int]] | None]:
    """:func:`shape_key` and, when the key holds no row of its own, the relative rows of the
    formula's references: (start, end, row) of each in the text."""
    whole = (formula, row, col)
    if "\x00" in formula or _UNSURE.search(formula):
        return whole, None
    pieces: list[str] = []
    relative: list[tuple[int, int, int]] = []
    at = 0
    for match in _SHAPE_PART.finditer(formula):
        quoted, at_sign, col_abs, letters, row_abs, digits = match.groups()
        if quoted is not None:
            continue  # kept as written
        if len(letters) == 3 and letters.upper() > "XFD":
            return whole, None
        if row_abs:
            piece = f"\x00{at_sign}{col_abs}{letters}${digits}\x00"
        else:
            number = int(digits)
            if number > _MAX_ROW:
                return whole, None
            piece = f"\x00{at_sign}{col_abs}{letters}{number - row}\x00"
            relative.append((match.start(6), match.end(6), number))
        pieces.append(formula[at : match.start()])
        pieces.append(piece)
        at = match.end()
    pieces.append(formula[at:])
    key = "".join(pieces)
    if ":" in formula:
        bare = _QUOTED.sub("", formula) if ('"' in formula or "'" in formula) else formula
        if _ROW_RANGE.search(bare):
            return (key, row, col), None
    return (key, 0, col), relative


class _FilledDown(NamedTuple):
    """The last formula shape seen in a column, as a pattern of its text: the text with each
    relative row of a reference as a field ``{i}``, the row's offset ``offsets[i]`` from the
    formula's own row (refs to one row share a field)."""

    pattern: str
    offsets: tuple[int, ...]
    low: int  # the smallest and largest offset: every row moved stays in the sheet
    high: int
    key: tuple[str, int, int]
    tokens: Tokens


_LAST_IN_COLUMN: dict[int, _FilledDown] = {}


def _filled_down(formula: str, row: int, col: int) -> _FilledDown | None:
    """The last shape seen in ``col`` when ``formula`` in (row, col) is that shape's formula
    filled down (or up): its text with every relative row moved by the same number of rows
    and nothing else changed. Such a text has the same :func:`shape_key` (the references are
    the same runs of characters between the same text, so the same parts of it are references)."""
    last = _LAST_IN_COLUMN.get(col)
    if last is None:
        return None
    pattern, offsets, low, high, _, _ = last
    if row + low < 1 or row + high > _MAX_ROW:
        return None
    if len(offsets) == 1:
        text = pattern.format(row + low)
    else:
        text = pattern.format(*[row + offset for offset in offsets])
    return last if text == formula else None


def _remember(
    formula: str,
    row: int,
    col: int,
    key: tuple[str, int, int],
    relative: list[tuple[int, int, int]],
    tokens: Tokens,
) -> None:
    pieces: list[str] = []
    offsets: dict[int, int] = {}  # offset -> field
    at = 0
    for start, end, number in relative:
        pieces.append(formula[at:start].replace("{", "{{").replace("}", "}}"))
        pieces.append(f"{{{offsets.setdefault(number - row, len(offsets))}}}")
        at = end
    pieces.append(formula[at:].replace("{", "{{").replace("}", "}}"))
    fields = tuple(offsets)
    _LAST_IN_COLUMN[col] = _FilledDown(
        "".join(pieces), fields, min(fields, default=0), max(fields, default=0), key, tokens
    )


def shape_tokens(formula: str, row: int, col: int) -> Tokens:
    """:func:`tokenize`, once per formula shape (:func:`shape_key`): a column of
    ``=C5/B5*100`` is tokenised once and every cell holds the same tuple.

    A formula that is the last one seen in its column filled down (how openpyxl and
    LibreOffice write a filled-down column: each cell's own text) is recognised from its text
    alone, without reading its references."""
    last = _filled_down(formula, row, col)
    if last is not None:
        return last.tokens
    key, relative = _shape(formula, row, col)
    found = _SHAPES.get(key)
    if found is None:
        found = tokenize.__wrapped__(formula, row, col)
        if len(_SHAPES) >= _SHAPES_KEPT:
            _SHAPES.clear()
        _SHAPES[key] = found
    if relative is not None:
        _remember(formula, row, col, key, relative, found)
    return found


def _operand(token: Token, row: int, col: int, append: Any) -> None:
    value, subtype = token.value, token.subtype
    if subtype == Token.TEXT:
        append(("string", value[1:-1].replace('""', '"')))
    elif subtype == Token.NUMBER and value[0] in "0123456789.":
        append(("number", float(value)))
    elif subtype == Token.ERROR:
        if "!" in value[:-1]:  # Sheet1!#REF!
            append(("error", "#REF!"))
        else:
            append(("error", value.upper()))
    elif subtype == Token.LOGICAL or value.upper() in ("TRUE", "FALSE"):
        append(("bool", value.upper() == "TRUE"))
    else:
        if value.startswith("@"):
            append(("op", "@"))
            value = value[1:]
        sheet, body = split_sheet(value)
        found = reference(sheet, body, row, col)
        if found is not None:
            append(("ref", found))
        elif sheet is not None:
            raise Unsupported(f"工作表级名称 {value} 暂不支持")
        else:
            append(("name", body))


# --- rewriting and inspecting formula text ---------------------------------------------------


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def repoint(formula: str, rename: dict[str, str]) -> str:
    """``formula`` (with ``=``) with references to the sheets in ``rename`` pointed at their new
    names (always quoted); text in string literals and everything else stays as written.

    A text that is not a formula, or not one openpyxl can split, is returned unchanged."""
    if "!" not in formula or not formula.startswith("="):
        return formula
    try:
        tokens = FormulaTokenizer(formula).items
    except TokenizerError:
        return formula
    changed = False
    for token in tokens:
        if token.type != Token.OPERAND or token.subtype not in (Token.RANGE, Token.ERROR):
            continue
        parts = token.value.split(":")
        for i, part in enumerate(parts):
            at = "@" if part.startswith("@") else ""
            match = _SHEET_PREFIX.match(part, len(at)) if "!" in part else None
            if match is None:
                continue
            quoted = match.group("quoted")
            new = rename.get(
                quoted.replace("''", "'") if quoted is not None else match["notquoted"]
            )
            if new is not None:
                parts[i] = f"{at}{_quoted(new)}!{part[match.end() :]}"
                changed = True
        token.value = ":".join(parts)
    return render(tokens) if changed else formula


def bare_name(name: str) -> str:
    """A function's name in upper case without the ``_xlfn.``/``_xlws.`` prefixes files store
    newer functions with (``_xlfn.RANK.EQ`` → ``RANK.EQ``)."""
    name = name.upper()
    for prefix in ("_XLFN._XLWS.", "_XLFN.", "_XLWS."):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def function_names(tokens: Tokens) -> set[str]:
    """The functions called in evaluator ``tokens`` (upper case, ``_xlfn.`` prefixes kept)."""
    return {value for kind, value in tokens if kind == "func"}


def text_function_names(formula: str) -> set[str]:
    """The functions called in a formula text; none when it is not a formula at all."""
    try:
        found = items(formula)
    except Unsupported:
        return set()
    return {
        t.value.lstrip("@")[:-1].upper()
        for t in found
        if t.type == Token.FUNC and t.subtype == Token.OPEN
    }


def row_of_address(text: str) -> int | None:
    """The row of a cell address typed by a user (``A25``, ``$A$25``) or a bare row number;
    None when the text is neither."""
    text = text.strip()
    if text.lstrip("$").isdigit():
        row = int(text.lstrip("$"))
    else:
        match = Translator.CELL_REF_RE.fullmatch(text)
        if match is None:
            return None
        row = int(match.group(2).lstrip("$"))
    return row if 1 <= row <= _MAX_ROW else None


__all__ = [
    "Bound",
    "FormulaTokenizer",
    "RefToken",
    "Tokens",
    "bare_name",
    "function_names",
    "items",
    "reference",
    "render",
    "repoint",
    "row_of_address",
    "shape_key",
    "shape_tokens",
    "split_sheet",
    "text_function_names",
    "tokenize",
]
