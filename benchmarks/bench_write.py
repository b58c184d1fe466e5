"""Benchmark: what ``tongji compute`` does after evaluating, seconds and µs per formula.

On the ordinary workbooks of ``bench_compute.py`` (many 20-row tables of growth arithmetic,
ROUND, IF, SUM, a reference to the 上期 sheet and RANK), evaluated once, then best of
``--repeat``, wall and CPU time:

- ``cached``: the report and the cached values of every sheet (``compute._cached_values``);
- ``write``: the package copied with the values written into its sheets
  (``xlsx_package.write_package``: sheet XML patched, compressed, written through a synced
  temporary file).

    .venv/bin/python -m benchmarks.bench_write [--formulas 60000 120000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks.bench_compute import build_ordinary
from workbooks.compute import _cached_values
from workbooks.formula.engine import Engine, paused_gc
from workbooks.formula.workbook import read_sheets
from workbooks.xlsx_package import write_package


def best_of(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The shortest wall and CPU time of ``repeat`` runs (each after a collection)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu


def measure(source: Path, target: Path, repeat: int) -> None:
    """Print the two phases' figures for one workbook."""
    with paused_gc():
        sheets, names = read_sheets(source)
        engine = Engine(sheets, names)
        engine.run()
        report, updates = _cached_values(engine)
        cached = best_of(partial(_cached_values, engine), repeat)
        del engine
        write = best_of(partial(write_package, source, target, updates), repeat)
    for label, (wall, cpu) in (("cached", cached), ("write", write)):
        print(
            f"{report.formulas:>7} formulas  {label:<7} wall {wall:6.3f} s"
            f" ({wall / report.formulas * 1e6:4.2f} µs/formula)  cpu {cpu:6.3f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formulas", type=int, nargs="+", default=[60000, 120000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        for count in args.formulas:
            source = Path(temp) / f"ordinary-{count}.xlsx"
            build_ordinary(source, count)
            measure(source, Path(temp) / "out.xlsx", args.repeat)


if __name__ == "__main__":
    main()
