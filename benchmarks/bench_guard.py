"""What vetting an untrusted workbook and planning what to keep cost, next to openpyxl's load.

Workbook: the refresh benchmark's (100 regions × 40 indicators × 12 quarterly sheets, 48,480
formula cells). Prints the median seconds of :func:`workbooks.package_guard.vet_package`
(every XML part parsed with expat, cells and ranges scanned), of
:func:`workbooks.package_keep.plan_keep`, and of ``openpyxl.load_workbook``, and their ratios;
and what ``compute`` waits for vetting when it runs in a child
(:func:`workbooks.background_vetting.vetting`): the cheap checks and the child's start, then,
after reading the package (:func:`~workbooks.formula.package_reader.read_package`), the verdict.

Run: .venv/bin/python benchmarks/bench_guard.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
from bench_refresh_rank import build

from workbooks.background_vetting import vetting
from workbooks.formula.package_reader import read_package
from workbooks.package_guard import vet_package
from workbooks.package_keep import plan_keep


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        book, _ = build(Path(temp))
        print(f"workbook: {book.stat().st_size / 1e6:.1f} MB")
        vet = median_seconds(lambda: vet_package(book), args.repeat)
        keep = median_seconds(lambda: plan_keep(book), args.repeat)
        load = median_seconds(lambda: openpyxl.load_workbook(book), args.repeat)
        print(f"vet_package      {vet:6.2f} s  ({vet / load:.2f} × openpyxl's load)")
        print(f"plan_keep        {keep:6.2f} s  ({keep / load:.2f} ×)")
        print(f"openpyxl load    {load:6.2f} s")
        waited = statistics.median(waited_for_vetting(book) for _ in range(args.repeat))
        print(f"vetting in a child, waited for while reading: {waited:6.3f} s  (vs {vet:.2f} s)")


def waited_for_vetting(book: Path) -> float:
    """Seconds the caller is held by :func:`vetting` around reading ``book``."""
    started = time.perf_counter()
    with vetting(book) as pending:
        entered = time.perf_counter()
        read_package(book)
        read = time.perf_counter()
        pending.wait()
        return entered - started + time.perf_counter() - read


if __name__ == "__main__":
    main()
