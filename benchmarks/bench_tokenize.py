"""Benchmark: splitting the formulas of the sample workbook into tokens, µs per formula.

Three figures on the same formulas (every formula of 示例市's sample workbook):

- openpyxl's ``Tokenizer`` as shipped (character by character);
- :class:`workbooks.formula.tokens.FormulaTokenizer`, the same consumers with runs of ordinary
  characters taken in one step — the one hand-written part of the grammar, kept because this
  benchmark shows it pays for the reference reading on top;
- :func:`workbooks.formula.tokens.tokenize`, what the evaluator uses (tokens plus references
  made relative to their cell), computed afresh and remembered (a workbook's period sheets
  repeat the same formulas in the same cells, and a workbook is evaluated after each change).

    .venv/bin/python benchmarks/bench_tokenize.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Tokenizer
from openpyxl.worksheet.formula import ArrayFormula

from workbooks.formula.tokens import FormulaTokenizer, tokenize
from workbooks.samples.build import build_all


def sample_formulas() -> list[tuple[str, int, int]]:
    with tempfile.TemporaryDirectory() as temp:
        book = load_workbook(build_all(Path(temp))["workbook"])
        found = []
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if isinstance(value, ArrayFormula):
                        value = value.text
                    if isinstance(value, str) and value.startswith("="):
                        found.append((value, cell.row, cell.column))
        return found


def per_formula(label: str, work: Callable[[], object], count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    micros = best / count * 1e6
    print(f"{label:<52} {micros:7.1f} µs/formula")
    return micros


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    formulas = sample_formulas()
    n = len(formulas)
    print(f"sample workbook: {n} formulas")
    stock = per_formula(
        "openpyxl Tokenizer (as shipped)",
        lambda: [Tokenizer(f) for f, _, _ in formulas],
        n,
        args.repeat,
    )
    ours = per_formula(
        "FormulaTokenizer (runs of characters in one step)",
        lambda: [FormulaTokenizer(f) for f, _, _ in formulas],
        n,
        args.repeat,
    )
    full = per_formula(
        "tokenize: tokens + relative references",
        lambda: [tokenize.__wrapped__(f[1:], r, c) for f, r, c in formulas],  # not remembered
        n,
        args.repeat,
    )
    tokenize.cache_clear()
    per_formula(
        "tokenize, remembered (same text in the same cell again)",
        lambda: [tokenize(f[1:], r, c) for f, r, c in formulas],
        n,
        args.repeat,
    )
    print(f"FormulaTokenizer / openpyxl Tokenizer: {ours / stock:.2f}")
    print(f"reference reading on top of FormulaTokenizer: {full - ours:.1f} µs/formula")


if __name__ == "__main__":
    main()
