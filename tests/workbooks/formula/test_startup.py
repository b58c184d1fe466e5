"""``tongji compute`` starts without the Excel layer: computing a workbook full of ``TJ_``
formulas imports neither xlwings nor pandas (0.4 s of start-up that compute never uses)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

from udfs import growth

ROOT = Path(__file__).resolve().parents[3]

_CHILD = """
import sys
from pathlib import Path
from tongji.cli import main
sys.argv = ["tongji", "compute", sys.argv[1], "-o", sys.argv[2]]
try:
    main()
except SystemExit as exit:
    assert not exit.code, exit.code
print(sorted(m for m in ("xlwings", "pandas") if m in sys.modules))
"""


def test_compute_imports_neither_xlwings_nor_pandas(tmp_path):
    book = Workbook()
    ws = book.active
    ws.append(["县区", "本期", "上年"])
    ws.append(["东川县", 110.0, 100.0])
    ws["D2"] = "=TJ_GROWTH(B2,C2)"
    ws["E2"] = "=ROUND(D2,1)"
    source, target = tmp_path / "book.xlsx", tmp_path / "out.xlsx"
    book.save(source)
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, str(source), str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"
    values = load_workbook(target, data_only=True).active
    assert values["D2"].value == growth(110.0, 100.0)
    assert values["E2"].value == round(growth(110.0, 100.0), 1)
