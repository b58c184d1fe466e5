"""Benchmark: ``tongji brief`` for every county of the sample workbook (9 counties, 16
indicators, 14 period sheets), next to one bare openpyxl load of the same file.

Prints absolute times (reading the displayed figures and writing the text; the .docx) and the
ratio of the whole run to the bare load.

    .venv/bin/python benchmarks/bench_brief.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from workbooks.brief import build_brief
from workbooks.brief_docx import write_docx
from workbooks.samples.build import build_workbook


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        source = build_workbook(Path(temp) / "示例市主要经济指标.xlsx")
        load = best(lambda: load_workbook(source), args.repeat)
        brief = build_brief(source)
        read = best(lambda: build_brief(source), args.repeat)
        docx = best(lambda: write_docx(brief, Path(temp) / "分析.docx"), args.repeat)
    print(f"openpyxl load:         {load:.2f} s")
    print(f"figures and text:      {read:.2f} s ({len(brief.analyses)} counties)")
    print(f"docx:                  {docx:.2f} s")
    print(f"brief / bare load:     {(read + docx) / load:.2f} ×")


if __name__ == "__main__":
    main()
