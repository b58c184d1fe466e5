"""Cold start of the ``tongji`` command: wall time of fresh processes, and what they import.

    python benchmarks/bench_cold_start.py [--runs 9]

Runs ``python -m tongji --help`` and ``python -m tongji functions`` (and a bare interpreter,
for reference) several times, each in a new process from the repository root, and prints the
median and fastest wall-clock seconds, and the median CPU seconds (user + system) of the child,
which other work on a busy machine disturbs less than wall time. Then runs each once more under ``python -X importtime``
and lists the slowest top-level imports (cumulative microseconds) and whether xlwings, pandas,
openpyxl or numpy were imported at all. Target: both commands under 0.25 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "tongji --help": ["-m", "tongji", "--help"],
    "tongji functions": ["-m", "tongji", "functions"],
}
WATCHED = ("xlwings", "pandas", "openpyxl", "numpy", "rich")


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "120", "PYTHONDONTWRITEBYTECODE": "1"}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_times(args: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``runs`` fresh processes."""
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_before = time.perf_counter(), _cpu()
        subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=_env(), check=True, capture_output=True
        )
        wall.append(time.perf_counter() - started)
        cpu.append(_cpu() - cpu_before)
    return wall, cpu


def top_imports(args: list[str], shown: int = 6) -> tuple[list[tuple[int, str]], set[str]]:
    """Slowest top-level imports (cumulative µs) and which watched packages were imported."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=ROOT,
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    top, seen = [], set()
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if not cumulative.strip().isdigit():
            continue  # the header line
        package = name.strip().split(".")[0]
        if package in WATCHED:
            seen.add(package)
        if not name.startswith("  "):  # imported by the program itself, not by another module
            top.append((int(cumulative), name.strip()))
    return sorted(top, reverse=True)[:shown], seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    print(f"{'command':<20} {'median s':>9} {'fastest s':>10} {'CPU s':>7}   ({runs} runs each)")
    for label, args in COMMANDS.items():
        wall, cpu = run_times(args, runs)
        print(
            f"{label:<20} {statistics.median(wall):>9.3f} {min(wall):>10.3f}"
            f" {statistics.median(cpu):>7.3f}"
        )
    for label, args in list(COMMANDS.items())[1:]:
        top, seen = top_imports(args)
        print(f"\n{label}: slowest top-level imports (cumulative ms)")
        for micros, name in top:
            print(f"  {micros / 1000:7.1f}  {name}")
        print(f"  imported: {', '.join(sorted(seen)) or 'none'} of {', '.join(WATCHED)}")


if __name__ == "__main__":
    main()
