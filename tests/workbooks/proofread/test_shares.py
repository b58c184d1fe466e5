"""Shares whose denominator is written before them in the sentence: 「共…53个，其中…14个，占26.4%」
and 「占一般公共预算收入3.57亿元的73.1%」."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbooks.proofread.drafts import findings


def _findings(tmp_path: Path, text: str) -> list[tuple[str, ...]]:
    return findings(tmp_path, text, "kind", "stated", "expected")


@pytest.mark.parametrize(
    "text",
    [
        "全县共实施重点项目53个，其中新开工项目14个，占26.4%。",  # 14 / 53 = 26.42
        "全县共实施重点项目53个，其中新开工项目14个，占比26.4%。",
        "一般公共预算支出18.9亿元，增长5.6%，其中民生支出15.3亿元，占比81.0%。",  # 80.95
        "税收收入2.61亿元，占一般公共预算收入3.57亿元的73.1%。",  # 73.11
        # two totals before 其中 (53 or 48): which one is meant is not guessed
        "全县共实施重点项目53个，已开工48个，其中新开工项目14个，占29.2%。",
    ],
)
def test_a_consistent_share_is_not_flagged(tmp_path: Path, text: str) -> None:
    assert _findings(tmp_path, text) == []


@pytest.mark.parametrize(
    ("text", "stated", "expected"),
    [
        ("全县共实施重点项目53个，其中新开工项目14个，占26.0%。", "26.0%", "26.4%"),
        ("全县共实施重点项目53个，其中新开工项目14个，占比26.0%。", "26.0%", "26.4%"),
        (
            "一般公共预算收入完成3.57亿元，其中税收收入2.61亿元，占一般公共预算收入3.57亿元的70.1%。",
            "70.1%",
            "72.9%～73.4%",
        ),
    ],
)
def test_a_share_its_stated_figures_cannot_give_is_flagged(
    tmp_path: Path, text: str, stated: str, expected: str
) -> None:
    assert _findings(tmp_path, text) == [("share", stated, expected)]
