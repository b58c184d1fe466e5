"""Tallies of indicators (16项指标中，5项前移、7项持平、5项后退): the items are checked against an
explicit total only; a count followed by its category is an item, never the total."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbooks.proofread.drafts import findings


def _findings(tmp_path: Path, text: str) -> list[tuple[str, ...]]:
    return findings(tmp_path, text, "kind", "stated", "expected")


@pytest.mark.parametrize(
    "text",
    [
        "全市9个县区中，我县有4项指标位次前移，7项持平，5项后退。",
        "我县有4项指标位次前移，7项持平，5项后退。",
        "有3项指标增速高于全市，13项低于全市。",
        "16项指标中，我县有4项指标位次前移，7项持平，5项后退。",  # 4 + 7 + 5 = 16
        "与全市对比的16项指标中，5项增速高于全市、11项低于全市。",
        "18项指标中，10项高于全市、5项低于全市、3项与全市持平。",
        "共16项指标，4项位次前移，7项持平，5项后退。",
        "16项指标中，增速高于全市的有10项，位次前移的有8项。",
    ],
)
def test_a_consistent_tally_is_not_flagged(tmp_path: Path, text: str) -> None:
    assert _findings(tmp_path, text) == []


@pytest.mark.parametrize(
    ("text", "stated", "expected"),
    [
        ("16项指标中，我县有4项指标位次前移，7项持平，4项后退。", "4项后退", "合计16项"),
        ("18项指标中，11项高于全市、5项低于全市、3项与全市持平。", "3项与全市持平", "合计18项"),
        ("与全市对比的16项指标中，5项增速高于全市、12项低于全市。", "12项低于全市", "合计16项"),
    ],
)
def test_items_that_do_not_add_up_to_the_total_are_flagged(
    tmp_path: Path, text: str, stated: str, expected: str
) -> None:
    assert _findings(tmp_path, text) == [("count", stated, expected)]
