"""The nearest valid name for a mistyped one: 「青川」 → 「青川县」, 「2026Q5」 → 「2026Q3」.

Used where a message names something that does not exist (a region of a data drop, a sheet):
the message then ends 「是不是「青川县」？」. :func:`difflib.get_close_matches` ranks by the
share of characters in common, which suits short Chinese names: 「青川」 and 「青川县」 share
four of five characters (0.8), 「青川」 and 「青山县」 two (0.4).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: Least similarity (0–1) for a name to be suggested.
CUTOFF = 0.6


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word`` (at least :data:`CUTOFF` alike), or None."""
    found = difflib.get_close_matches(
        word.strip(), list(dict.fromkeys(choices)), n=1, cutoff=CUTOFF
    )
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """「，是不是「青川县」？」 for the nearest choice, or "" when none is near."""
    found = nearest(word, choices)
    return f"，是不是「{found}」？" if found is not None else ""


__all__ = ["CUTOFF", "did_you_mean", "nearest"]
