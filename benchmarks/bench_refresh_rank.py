"""Refresh + rank on a large workbook, next to openpyxl's own load + save of the same file.

Workbook: 100 regions (+ 全市) × 40 indicators (本期累计 | 上年同期 | 增长 | 位次 | 位次变化)
× 12 quarterly peer sheets (2024Q1 … 2026Q4); 增长 = (本期/上年同期−1)×100 is a formula in
every cell (48,480 formulas); drop: the 2027Q1 levels as CSV.
The command includes the recompute step (the workbook evaluated with the formula engine before
ranking and before saving, cached values written for every formula).
Bar: the command costs at most 1.5 × openpyxl's bare load + save; the recompute's share is
printed.

Run: .venv/bin/python benchmarks/bench_refresh_rank.py [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.utils import get_column_letter

import workbooks.file_host as file_host
from workbooks.file_host import open_file
from workbooks.refresh import refresh

REGIONS, INDICATORS, SHEETS = 100, 40, 12
SUBS = ["本期累计", "上年同期", "增长(%)", "位次", "位次变化"]


def build(folder: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(7)
    names = ["全市"] + [f"第{i:03d}县" for i in range(1, REGIONS + 1)]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    year, quarter = 2024, 1
    for _ in range(SHEETS):
        ws = wb.create_sheet(f"{year}Q{quarter}")
        ws.cell(1, 1, f"测试市{year}年1-{quarter * 3}月各县区主要经济指标对比表")
        ws.cell(3, 1, "地区")
        ws.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
        for i in range(INDICATORS):
            col = 2 + i * 5
            ws.cell(3, col, f"指标{i + 1:02d}（亿元）")
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 4)
            for j, sub in enumerate(SUBS):
                ws.cell(4, col + j, sub)
        levels = rng.uniform(10, 500, size=(len(names), INDICATORS)).round(2)
        for k, name in enumerate(names):
            ws.cell(5 + k, 1, name)
            for i in range(INDICATORS):
                col = 2 + i * 5
                ws.cell(5 + k, col, float(levels[k, i])).number_format = "#,##0.00"
                ws.cell(5 + k, col + 1, float(levels[k, i] * 0.95)).number_format = "#,##0.00"
                a, b = get_column_letter(col), get_column_letter(col + 1)
                ws.cell(5 + k, col + 2, f"=({a}{5 + k}/{b}{5 + k}-1)*100").number_format = "0.0"
                ws.cell(5 + k, col + 3, int(rng.integers(1, REGIONS + 1)) if k else "—")
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    workbook = folder / "large.xlsx"
    wb.save(workbook)
    drop = folder / f"{year}年1-{quarter * 3}月.csv"
    with drop.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"测试市{year}年1-{quarter * 3}月"])
        header = ["地区"]
        for i in range(INDICATORS):
            header += [f"指标{i + 1:02d}本期累计(亿元)", f"指标{i + 1:02d}上年同期(亿元)"]
        writer.writerow(header)
        for name in names:
            row = [name]
            for _ in range(INDICATORS):
                level = rng.uniform(10, 500)
                row += [f"{level:.2f}", f"{level / (1 + rng.normal(5, 3) / 100):.2f}"]
            writer.writerow(row)
    return workbook, drop


def bare(workbook: Path, out: Path) -> float:
    start = time.perf_counter()
    wb = openpyxl.load_workbook(workbook)
    wb.save(out)
    return time.perf_counter() - start


_RECOMPUTE = [0.0]


def _timed_recalculate(wb: openpyxl.Workbook):
    start = time.perf_counter()
    try:
        return _recalculate(wb)
    finally:
        _RECOMPUTE[0] += time.perf_counter() - start


_recalculate = file_host.recalculate
file_host.recalculate = _timed_recalculate


def command(workbook: Path, drop: Path, out: Path) -> tuple[float, float]:
    """(seconds of the whole command, seconds of its recompute steps)."""
    _RECOMPUTE[0] = 0.0
    start = time.perf_counter()
    book = open_file(workbook)
    refresh(book, drop)  # copy, fill, recompute, rank (位次, 位次变化, tally, highlight)
    book.save(out)  # cached values for every formula
    return time.perf_counter() - start, _RECOMPUTE[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbook, drop = build(folder)
        cells = REGIONS * INDICATORS * 5 * SHEETS
        print(
            f"workbook: {REGIONS} regions × {INDICATORS} indicators × {SHEETS} sheets (~{cells:,} cells), {workbook.stat().st_size / 1e6:.1f} MB"
        )
        bare_times, command_times, recompute_times = [], [], []
        bare(workbook, folder / "bare.xlsx")  # warm-up, not counted: first imports, disk cache
        command(workbook, drop, folder / "refreshed.xlsx")
        for _ in range(args.repeat):
            bare_times.append(bare(workbook, folder / "bare.xlsx"))
            total, recompute = command(workbook, drop, folder / "refreshed.xlsx")
            command_times.append(total)
            recompute_times.append(recompute)
            print(
                f"  run {len(bare_times)}: openpyxl {bare_times[-1]:5.2f} s, tongji "
                f"{total:5.2f} s (recompute {recompute:4.2f} s), ratio {total / bare_times[-1]:4.2f} ×"
            )
        b, c = statistics.median(bare_times), statistics.median(command_times)
        r = statistics.median(recompute_times)
        ratios = sorted(t / s for t, s in zip(command_times, bare_times, strict=True))
        print(f"openpyxl load + save:        {b:6.2f} s (median of {args.repeat})")
        print(f"tongji refresh + rank:       {c:6.2f} s (median of {args.repeat})")
        print(f"  of which recompute:        {r:6.2f} s ({r / c:.0%} of the command)")
        print(
            f"ratio, run by run:           {statistics.median(ratios):6.2f} × median, "
            f"{ratios[0]:.2f}–{ratios[-1]:.2f} × (bar: ≤ 1.5 ×)"
        )


if __name__ == "__main__":
    main()
