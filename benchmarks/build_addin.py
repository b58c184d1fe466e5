"""How long `tongji build-addin` takes (it runs during every install and in CI).

Prints absolute figures: the whole build, and its parts (wrapper generation, vbaProject.bin).
Run: .venv/bin/python benchmarks/build_addin.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from addin.xlam import build, classic_udfs, vba_modules


def best_of(runs: int, job) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "tongji.xlam"
        whole = best_of(5, lambda: build.build_addin(out))
        size = out.stat().st_size
    wrappers = best_of(5, classic_udfs.wrapper_module_source)
    sources = best_of(5, vba_modules.modules)
    vba = best_of(5, lambda: build.vba_project(None))
    print(f"build-addin, whole file : {whole * 1000:8.1f} ms  ({size / 1024:.0f} KiB)")
    print(f"  VBA module texts      : {sources * 1000:8.1f} ms")
    print(f"  TJ_ wrappers (xlwings): {wrappers * 1000:8.1f} ms")
    print(f"  vbaProject.bin        : {vba * 1000:8.1f} ms  ({vba / whole:.0%} of the build)")


if __name__ == "__main__":
    main()
