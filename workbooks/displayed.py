"""The figure a cell displays: its value through its number format, as Excel shows it.

Analysis text quotes the table as published, and what is published is what the cell shows:
``1.3999999999999995`` formatted ``0.0`` is 1.4, ``0.073`` formatted ``0.0%`` is 7.3, ``17176.4``
formatted ``#,##0`` is 17176 (the thousands separator belongs to the table, not to the text).
:func:`shown_figure` gives that figure as an exact :class:`~decimal.Decimal` with the decimals the
format shows; the rounding is Excel's (the value read at 15 significant digits, then half away
from zero: :func:`udfs.phrases.published`).

The number formats read are those of statistical tables: ``General``, ``0``, ``0.0``, ``#,##0.00``,
``0.0%``, ``#,##0,`` (thousands), up to four sections (positive;negative;zero;text) with quoted
literals, colours and padding (``"前移"0"位";"后退"0"位";"持平"``). A date, time, fraction,
scientific or conditional format is not guessed at: :func:`shown_figure` returns None and the
caller names the cell.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from udfs.cleaning import fold
from udfs.phrases import as_shown, published

#: Significant digits Excel's General format shows in a cell of ordinary width.
GENERAL_DIGITS = 10

_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKET = re.compile(r"\[[^\]]*\]")
_COLOUR = re.compile(
    r"\[(?:black|white|red|green|blue|yellow|magenta|cyan|color\s*\d+|黑色|白色|红色|绿色|蓝色|黄色|洋红|青色|颜色\d+)\]",
    re.IGNORECASE,
)
_UNREAD = re.compile(r"[ymdhsae/@]|上午|下午", re.IGNORECASE)


def _sections(fmt: str) -> list[str]:
    """The sections of a format, split at semicolons outside quotes."""
    out, current, quoted = [], [], False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return out


def _section_for(fmt: str, number: float) -> str | None:
    """The section Excel uses for ``number`` (None when conditions choose it)."""
    sections = _sections(fmt)
    if any(_BRACKET.sub("", _COLOUR.sub("", s)) != _COLOUR.sub("", s) for s in sections):
        return None  # a condition such as [>=100] or a locale/currency tag
    sections = [_COLOUR.sub("", s) for s in sections]
    if number > 0 or len(sections) == 1:
        return sections[0]
    if number < 0:
        return sections[1]
    return sections[2] if len(sections) > 2 else sections[0]


def _decimals_and_scale(section: str) -> tuple[int, int] | None:
    """Decimals shown and the power of ten the value is multiplied by (% → +2, each trailing
    comma → −3), or None for a section that is no plain number."""
    body = _QUOTED.sub("", section)
    if _UNREAD.search(body.replace("General", "")) or "General" in body:
        return None
    if not re.search(r"[0#?]", body):
        return (0, 0) if body.strip() == "" else None
    scale = 2 * body.count("%")
    digits = re.findall(r"[0#?,.]+", body)
    number = max(digits, key=lambda d: sum(ch in "0#?" for ch in d))
    trailing = len(number) - len(number.rstrip(","))
    scale -= 3 * trailing
    decimals = 0
    if "." in number:
        decimals = sum(ch in "0#?" for ch in number.split(".", 1)[1])
    return decimals, scale


def _general(number: float) -> Decimal:
    """General: up to :data:`GENERAL_DIGITS` significant digits, trailing zeros dropped."""
    shown = Decimal(format(as_shown(number), f".{GENERAL_DIGITS}g"))
    return shown.normalize() if shown != shown.to_integral_value() else shown.quantize(Decimal(1))


_TEXT_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_SIGN_WORDS = (("下降", -1), ("减少", -1), ("增长", 1), ("增加", 1))


def _text_figure(text: str) -> Decimal | None:
    """A number stored as text shows as written: ``６．７`` is 6.7, ``6.70`` keeps its decimals,
    ``17,176`` is 17176, ``下降4.8`` is −4.8 (the readings of :mod:`udfs.cleaning`)."""
    folded = fold(text)
    sign = 1
    for word, word_sign in _SIGN_WORDS:
        if folded.startswith(word):
            folded, sign = folded[len(word) :], word_sign
            break
    body = folded.removesuffix("%").replace(",", "")
    if not _TEXT_NUMBER.fullmatch(body):
        return None
    return Decimal(body) * sign


def shown_figure(value: Any, fmt: str | None) -> Decimal | None:
    """The figure ``value`` shows through the number format ``fmt``: a Decimal with the shown
    decimals (sign kept even when the format drops it), or None when the value is no number or
    the format is not one of a statistical table (see the module docstring). A number stored as
    text shows as it is written."""
    if isinstance(value, str):
        return _text_figure(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return None
    fmt = (fmt or "General").strip()
    if fmt.lower() == "general":
        return _general(number)
    section = _section_for(fmt, number)
    if section is None:
        return None
    if section.strip().lower() == "general":
        return _general(number)
    shape = _decimals_and_scale(section)
    if shape is None:
        return None
    decimals, scale = shape
    if not re.search(r"[0#?]", _QUOTED.sub("", section)):
        return None  # a section of words only (持平): the figure is not shown
    figure = published(as_shown(number).scaleb(scale), decimals)
    return figure.copy_abs() if figure == 0 else figure  # Excel's −0.0 is the figure 0.0


__all__ = ["GENERAL_DIGITS", "shown_figure"]
