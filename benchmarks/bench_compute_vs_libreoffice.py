"""Benchmark: ``tongji compute`` against LibreOffice headless on the same workbooks, whole process.

    python benchmarks/bench_compute_vs_libreoffice.py [--quick] [--repeat 3] [--sizes 6000 ...]

For each size a workbook is built (:func:`benchmarks.bench_compute.build_ordinary`: many small
tables of counties with growth, ROUND, IF, SUM, a reference to the previous period's sheet and
RANK filled down; the 12k workbook is :func:`benchmarks.bench_compute.build`: 6,000 ``TJ_``
cells + 6,000 ordinary formulas). Then, in fresh processes, best of ``--repeat``:

- ``python -m tongji compute book.xlsx -o out.xlsx`` (read, evaluate, write cached values);
- ``soffice --headless --convert-to xlsx`` with a private profile set to recalculate every
  formula on load (``OOXMLRecalcMode`` = 0, "always"), so LibreOffice computes what we compute
  and saves it.

Peak memory is each child's maximum resident set (``os.wait4``; LibreOffice's launcher waits
for ``soffice.bin``, whose peak it reports). LibreOffice's values are compared with ours on
every ordinary formula cell (it cannot run ``TJ_``: ``#NAME?``). The ``formulas`` and
``pycel`` libraries are timed at the smallest size when installed (``pip install formulas
pycel``; they are not dependencies of the project). The machine's other load disturbs
timings: compare the ratio measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_compute import build, build_ordinary

ROOT = Path(__file__).resolve().parent.parent
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FULL = (6000, 12000, 60000, 120000)
QUICK = (1200, 2400, 6000)

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def run(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, peak resident MB, CPU seconds) of one child process; fails on a non-zero
    exit. CPU seconds (user + system) are disturbed less than wall time by other work on the
    machine."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace")
            raise SystemExit(f"{command[:4]} failed ({child.returncode}): {text[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def best(command: list[str], cwd: Path, repeat: int) -> tuple[float, float, float]:
    """Best wall time, highest peak memory and best CPU time of ``repeat`` runs."""
    found = [run(command, cwd) for _ in range(repeat)]
    return min(f[0] for f in found), max(f[1] for f in found), min(f[2] for f in found)


def libreoffice_profile(folder: Path) -> Path:
    """A private LibreOffice profile that recalculates every formula of a file on load."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
    return folder


def libreoffice_command(profile: Path, source: Path, outdir: Path) -> list[str]:
    assert SOFFICE is not None
    return [
        SOFFICE,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(outdir),
        str(source),
    ]


def tongji_command(source: Path, target: Path) -> list[str]:
    return [sys.executable, "-m", "tongji", "compute", str(source), "-o", str(target)]


def disagreements(source: Path, ours: Path, theirs: Path) -> tuple[int, int]:
    """(ordinary formula cells compared, cells whose values differ) between our computed file
    and LibreOffice's; ``TJ_`` cells and the cells reading them are left out (LibreOffice
    cannot run ``TJ_``: ``#NAME?`` there)."""
    formulas = load_workbook(source, read_only=True)
    mine = load_workbook(ours, read_only=True, data_only=True)
    lo = load_workbook(theirs, read_only=True, data_only=True)
    compared = differ = 0
    for ws in formulas.worksheets:
        for f_row, m_row, l_row in zip(
            ws.iter_rows(), mine[ws.title].iter_rows(), lo[ws.title].iter_rows(), strict=False
        ):
            for f, m, t in zip(f_row, m_row, l_row, strict=False):
                if f.data_type != "f" or "TJ_" in str(f.value):
                    continue
                a, b = m.value, t.value
                if b == "#NAME?" and a != b:
                    continue
                compared += 1
                if isinstance(a, (int, float)) and isinstance(b, (int, float)):
                    same = abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
                else:
                    same = a == b
                differ += not same
    for book in (formulas, mine, lo):
        book.close()
    return compared, differ


def formula_cells(source: Path) -> list[str]:
    book = load_workbook(source, read_only=True)
    out = [
        f"{ws.title}!{cell.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    book.close()
    return out


_FORMULAS = """
import sys, formulas
model = formulas.ExcelModel().loads(sys.argv[1]).finish()
model.calculate()
"""

_PYCEL = """
import sys, types
from openpyxl import load_workbook
from pycel import ExcelCompiler
# pycel has no RANK: a plugin module with Excel's (descending) RANK
plugin = types.ModuleType("rank_plugin")
def rank(value, area, order=0):
    pool = [v for row in area for v in row if isinstance(v, (int, float))]
    return 1 + sum(1 for v in pool if (v < value if order else v > value))
plugin.rank = rank
sys.modules["rank_plugin"] = plugin
book = load_workbook(sys.argv[1], read_only=True)
cells = [f"{ws.title}!{c.coordinate}" for ws in book.worksheets for row in ws.iter_rows()
         for c in row if c.data_type == "f"]
book.close()
compiler = ExcelCompiler(filename=sys.argv[1], plugins=["rank_plugin"])
for address in cells:
    compiler.evaluate(address)
"""


def other_library(name: str, script: str, source: Path, cwd: Path) -> str:
    """The whole-process time of another Python engine, or why it was not run."""
    check = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True)
    if check.returncode != 0:
        return f"{name}: not installed (pip install {name}), skipped"
    try:
        seconds, peak, cpu = run([sys.executable, "-c", script, str(source)], cwd)
    except SystemExit as exc:
        return f"{name}: failed: {str(exc)[:200]}"
    return f"{seconds:.2f} s ({cpu:.2f} s CPU), {peak:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK} instead of {FULL}")
    parser.add_argument("--sizes", type=int, nargs="*", help="formula counts (12000: with TJ_)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-others", action="store_true", help="skip formulas and pycel")
    args = parser.parse_args()
    if SOFFICE is None:
        raise SystemExit("LibreOffice (soffice) not installed")
    sizes = args.sizes or (QUICK if args.quick else FULL)
    rows = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        profile = libreoffice_profile(folder / "lo-profile")
        for size in sizes:
            source = folder / f"book{size}.xlsx"
            if size == 12000:
                build(source, 6000)
                label = "12k (6k TJ_ + 6k ordinary)"
            else:
                build_ordinary(source, size)
                label = f"{size / 1000:g}k ordinary"
            ours = folder / f"ours{size}.xlsx"
            outdir = folder / f"lo{size}"
            lo = libreoffice_command(profile, source, outdir)
            run(lo, ROOT)  # warm the profile and the file cache, untimed
            t_s, t_mb, t_cpu = best(tongji_command(source, ours), ROOT, args.repeat)
            l_s, l_mb, l_cpu = best(lo, ROOT, args.repeat)
            compared, differ = disagreements(source, ours, outdir / source.name)
            rows.append((label, t_s, l_s, t_mb, l_mb, t_cpu, l_cpu, compared, differ))
            print(
                f"{label}: tongji {t_s:.2f} s ({t_cpu:.2f} s CPU) {t_mb:.0f} MB, LibreOffice "
                f"{l_s:.2f} s ({l_cpu:.2f} s CPU) {l_mb:.0f} MB, "
                f"{differ} of {compared} ordinary cells differ",
                flush=True,
            )
        others = []
        if not args.no_others:
            small = folder / "others.xlsx"
            build_ordinary(small, min(sizes))
            for name, script in (("formulas", _FORMULAS), ("pycel", _PYCEL)):
                others.append((name, other_library(name, script, small, ROOT)))
    print()
    print(
        "| formulas | tongji compute | LibreOffice headless | ratio | CPU s tongji / LibreOffice "
        "| peak memory tongji / LibreOffice | cells differing |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, t_s, l_s, t_mb, l_mb, t_cpu, l_cpu, compared, differ in rows:
        checked = f"{differ} of {compared}" if compared else "— (read TJ_ cells)"
        print(
            f"| {label} | {t_s:.2f} s | {l_s:.2f} s | {t_s / l_s:.2f}× | "
            f"{t_cpu:.2f} / {l_cpu:.2f} ({t_cpu / l_cpu:.2f}×) | "
            f"{t_mb:.0f} / {l_mb:.0f} MB | {checked} |"
        )
    if others:
        print()
        print(f"Other Python engines on the {min(sizes) / 1000:g}k workbook, whole process:")
        for name, found in others:
            print(f"- {name}: {found}")


if __name__ == "__main__":
    main()
