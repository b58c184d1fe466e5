"""Proofreading a draft written by a test: the text saved as a .txt and its findings."""

from __future__ import annotations

from operator import attrgetter
from pathlib import Path

from workbooks.proofread import proofread


def findings(tmp_path: Path, text: str, *fields: str) -> list[tuple[str, ...]]:
    """The ``fields`` (kind, stated, expected, certainty …) of each finding of ``text``."""
    path = tmp_path / "稿.txt"
    path.write_text(text, encoding="utf-8")
    return [attrgetter(*fields)(f) for f in proofread(path).findings]
