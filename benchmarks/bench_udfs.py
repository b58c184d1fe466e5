"""How fast the TJ_ functions are through the path Excel uses.

For TJ_GROWTH and TJ_RANK over 1,000 / 100,000 / 1,000,000 values this prints:
- the full xlwings call (``tests.udfs.officejs.recalculate``: ``xlwings.server.custom_functions_call``, what xlwings Server / Lite runs
  for one recalculation of a spilled formula: argument conversion, our cleaning, the math, the
  return conversion with error values);
- the NumPy arithmetic alone;
- the floor of that path: turning the incoming 2-D lists into arrays and the result back into
  2-D lists, with no cleaning and no math;
and the ratio of the call to its floor. Bar (issue): 100,000 values under 0.15 s.

Run: ``python benchmarks/bench_udfs.py [--sizes 1000 100000 1000000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ.setdefault("XLWINGS_ON_SERVER", "true")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' Office.js helper

from tests.udfs.officejs import recalculate
from udfs.cleaning import as_floats


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Best wall time of ``repeat`` runs, the garbage collector paused (it otherwise lands on
    whichever run happens to allocate the 100,000th list)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def measure(n: int, repeat: int) -> list[tuple[str, int, float, float, float, int]]:
    rng = np.random.default_rng(2026)
    current = rng.uniform(1, 1000, n)
    base = rng.uniform(1, 1000, n)
    base[::1000] = 0.0  # every 1,000th base is 0: #DIV/0! must survive the trip
    cur_rows, base_rows = current.reshape(-1, 1).tolist(), base.reshape(-1, 1).tolist()
    cases = {
        "TJ_GROWTH": (
            [cur_rows, base_rows],
            lambda: np.where(
                base != 0, (current - base) / np.where(base != 0, base, 1) * 100, np.nan
            ),
        ),
        "TJ_RANK": (
            [cur_rows, cur_rows],
            lambda: current.size - np.searchsorted(np.sort(current), current, side="right") + 1,
        ),
    }
    rows = []
    for name, (args, numpy_only) in cases.items():
        result = recalculate(name, *args)
        errors = sum(1 for r in result if isinstance(r[0], dict))
        call = best_of(repeat, lambda name=name, args=args: recalculate(name, *args))
        with np.errstate(all="ignore"):
            arithmetic = best_of(repeat, numpy_only)

        def floor(args=args):
            # The fastest conversion we know each way: rows → array, array → rows.
            arrays = [as_floats(a) for a in args]
            return arrays[0].tolist()

        rows.append((name, n, call, arithmetic, best_of(repeat, floor), errors))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    print(
        f"{'function':<10} {'values':>9} {'xlwings call':>13} {'numpy only':>11} {'floor':>9} {'call/floor':>10} {'errors':>7}"
    )
    for n in options.sizes:
        for name, size, call, arithmetic, floor, errors in measure(
            n, options.repeat if n < 1_000_000 else 2
        ):
            print(
                f"{name:<10} {size:>9,} {call:>12.4f}s {arithmetic:>10.4f}s {floor:>8.4f}s {call / floor:>9.2f}x {errors:>7,}"
            )
    print("bar: 100,000 values through the xlwings call in < 0.15 s")


if __name__ == "__main__":
    main()
