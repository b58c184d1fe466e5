"""Reference computations for the tests, written from the definitions in docs/definitions.md."""

from __future__ import annotations


def competition_rank(values: list[float | None], descending: bool = True) -> list[int | None]:
    """位次: 1 + number of peers strictly better; blanks unranked (1, 2, 2, 4 for ties)."""
    peers = [v for v in values if v is not None]
    out: list[int | None] = []
    for v in values:
        if v is None:
            out.append(None)
        else:
            out.append(1 + sum((p > v) if descending else (p < v) for p in peers))
    return out
