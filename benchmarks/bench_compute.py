"""Benchmark: ``tongji compute`` on 6,000 TJ_ formula cells + 6,000 ordinary formulas.

Target: computed and written in under 2 s on a 2-core machine. Prints absolute times and the
ratio to a bare openpyxl load+save of the same file; ``--formulas`` also times the
``formulas`` library (PyPI) on a small slice, when it is installed.

    .venv/bin/python benchmarks/bench_compute.py [--rows 6000] [--formulas]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

from workbooks.compute import compute_file


def build(path: Path, rows: int) -> None:
    """Rows of county figures: TJ_GROWTH and TJ_COMPLETION (2 TJ_ cells per 2 rows… see
    below), plus ordinary ROUND/IF/arithmetic formulas around them; 2 × rows/2 of each kind."""
    random.seed(7)
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(
        ["县区", "本期", "上年同期", "年度目标", "增长%", "完成%", "增长(1位)", "差额", "标记"]
    )
    for r in range(2, rows // 2 + 2):
        current = round(random.uniform(50, 500), 2)
        sheet.append(
            [
                f"县{r - 1}",
                current,
                round(current / random.uniform(0.9, 1.2), 2),
                round(current * random.uniform(1.1, 1.6), 2),
                f"=TJ_GROWTH(B{r},C{r})",
                f"=TJ_COMPLETION(B{r},D{r})",
                f"=ROUND(E{r},1)",
                f'=IF(F{r}>=75,"达标",D{r}-B{r})',
            ]
        )
    book.save(path)


#: Counties per table of :func:`build_ordinary` (a bureau table ranks a few dozen regions).
TABLE_ROWS = 20
#: Formula cells per county row of :func:`build_ordinary`.
ORDINARY_PER_ROW = 6


def build_ordinary(path: Path, formulas: int) -> None:
    """About ``formulas`` ordinary formula cells laid out like a bureau workbook: many small
    tables of :data:`TABLE_ROWS` counties on a 本期 sheet, each row with six formulas filled
    down its table — growth (arithmetic), ROUND, IF with a comparison, SUM over the row, a
    reference to the 上期 sheet, RANK among the table's counties."""
    random.seed(11)
    rows = max(TABLE_ROWS, formulas // ORDINARY_PER_ROW)
    tables = max(1, rows // TABLE_ROWS)
    book = Workbook()
    current = book.active
    current.title = "本期"
    previous = book.create_sheet("上期")
    r = 1
    for t in range(tables):
        header = ["县区", "本期", "上年同期", "年度目标", "增长%", "增长(1位)", "标记"]
        current.append([f"表{t + 1}", *header[1:], "合计", "比上期", "位次"])
        previous.append([f"表{t + 1}", "上期"])
        r += 1
        first, last = r, r + TABLE_ROWS - 1
        for k in range(TABLE_ROWS):
            value = round(random.uniform(50, 500), 2)
            base = round(value / random.uniform(0.9, 1.2), 2) if k % 17 else 0  # a #DIV/0!
            current.append(
                [
                    f"县{k + 1}",
                    value,
                    base,
                    round(value * random.uniform(1.1, 1.6), 2),
                    f"=(B{r}/C{r}-1)*100",
                    f"=ROUND(E{r},1)",
                    f'=IF(B{r}>=D{r}*0.75,"达标",D{r}-B{r})',
                    f"=SUM(B{r}:D{r})",
                    f"=B{r}-上期!B{r}",
                    f"=RANK(B{r},$B${first}:$B${last})",
                ]
            )
            previous.append([f"县{k + 1}", round(value * random.uniform(0.8, 1.0), 2)])
            r += 1
    book.save(path)


def timed(label: str, function, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<46} {best:8.3f} s")
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=6000, help="TJ_ formula cells (and ordinary)")
    parser.add_argument("--formulas", action="store_true", help="also time the formulas library")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        source = Path(temp) / "bench.xlsx"
        build(source, args.rows)
        print(f"workbook: {args.rows} TJ_ formula cells + {args.rows} ordinary formulas")
        ours = timed(
            "tongji compute (read, evaluate, write)",
            lambda: compute_file(source, Path(temp) / "out.xlsx"),
        )
        bare = timed(
            "openpyxl load_workbook + save (no evaluation)",
            lambda: load_workbook(source).save(Path(temp) / "bare.xlsx"),
        )
        print(f"ratio compute / openpyxl load+save: {ours / bare:.2f}")
        print(f"target < 2 s: {'met' if ours < 2 else 'NOT met'}")
        if args.formulas:
            _formulas_library(Path(temp), min(args.rows, 500))


def _formulas_library(temp: Path, rows: int) -> None:
    try:
        import formulas
    except ImportError:
        print("formulas library not installed: skipped")
        return
    from udfs import completion, growth

    small = temp / "small.xlsx"
    build(small, rows)
    functions = formulas.get_functions()
    functions["TJ_GROWTH"] = formulas.functions.wrap_func(lambda a, b: growth(a, b))
    functions["TJ_COMPLETION"] = formulas.functions.wrap_func(lambda a, b: completion(a, b))

    def run() -> None:
        model = formulas.ExcelModel().loads(str(small)).finish()
        model.calculate()

    seconds = timed(f"formulas library, {rows}+{rows} formulas", run, repeat=1)
    print(f"  extrapolated to the full size: ~{seconds * 6000 / rows:.1f} s")


if __name__ == "__main__":
    main()
