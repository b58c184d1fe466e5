"""Vetting in a second process while the workbook is read and evaluated.

Every package here is large enough to be vetted in a child (its uncompressed size is over
:data:`CHILD_FROM`), so the formula engine's reader reads it before the verdict is in. A hostile
package is refused with the very message :func:`vet_package` gives when it runs first, nothing
is written and the input is left byte for byte; a good one computes; the child never outlives
the command.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from subprocess import PIPE

import pytest
from openpyxl import load_workbook

from tests.child_process import ROOT, run_tongji
from tests.workbooks import attacks
from workbooks.background_vetting import CHILD_FROM, child_command, vetting
from workbooks.compute import compute_file, export_values_file
from workbooks.package_guard import WORKBOOK, PackageError, vet_package, vet_sizes

CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
#: Tests of the child itself (a machine with one core vets every package before reading).
needs_two_cores = pytest.mark.skipif((CORES or 1) < 2, reason="no child on one core")
ROWS = 36_000  # a value and a formula per row: 2.3 MB of worksheet XML


def formula_rows(count: int) -> str:
    """Row r: A = r, B = A*2+1 (so B is 2r+1)."""
    return "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><f>A{r}*2+1</f></c></row>'
        for r in range(1, count + 1)
    )


def large_book(path: Path, rows: str = "", after: str = "", prolog: str = "") -> Path:
    """A workbook of :data:`ROWS` formulas, ``rows`` after them and ``after`` after the cells
    (merged ranges …); ``prolog`` before the worksheet's root element."""
    sheet = attacks.sheet_xml(formula_rows(ROWS) + rows, f"A1:B{ROWS}", prolog)
    return attacks.package(path, sheet=sheet.replace("</sheetData>", "</sheetData>" + after))


def padded(build: Callable[[Path], Path], megabytes: int = 4) -> Callable[[Path], Path]:
    """``build``'s package with ``megabytes`` MB of well-formed XML added as its first part
    (vetting reads it first: the reader is done long before the verdict is in)."""

    def padded_build(path: Path) -> Path:
        build(path)
        with zipfile.ZipFile(path) as package:
            parts = [(info.filename, package.read(info)) for info in package.infolist()]
        text = random.Random(7).randbytes(megabytes << 19).hex()  # incompressible: no "zip bomb"
        padding = f'<?xml version="1.0"?><items><item>{text}</item></items>'
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("customXml/item1.xml", padding)
            for name, data in parts:
                out.writestr(name, data)
        return path

    return padded_build


def broken_last_row(path: Path) -> Path:
    """The last row's cell is never closed (a file cut or damaged near its end)."""
    return large_book(path, f'<row r="{ROWS + 1}"><c r="A{ROWS + 1}"><v>1</v></row>')


def entities_in_sheet(path: Path) -> Path:
    """A worksheet with a DTD declaring the billion-laughs entities, used in one cell."""
    cell = f'<row r="{ROWS + 1}"><c r="A{ROWS + 1}" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return large_book(path, cell, prolog=attacks.BILLION_LAUGHS)


def too_many_cells(path: Path) -> Path:
    """Cells over the limit: a merged range of 5,000,000 cells (within the area limit) besides
    the formulas."""
    merged = '<mergeCells count="1"><mergeCell ref="C1:G1000000"/></mergeCells>'
    return large_book(path, after=merged)


UNCLOSED = 40_000


def cells_never_closed(path: Path) -> Path:
    """A damaged sheet whose last :data:`UNCLOSED` cells are never closed: a pattern that looked
    for each one's end tag would scan to the end of the part every time (hours, not seconds)."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>1</v></row>' for r in range(ROWS + 1, ROWS + UNCLOSED + 1)
    )
    return large_book(path, rows)


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "malformed XML in the last row": broken_last_row,
    "cells never closed": cells_never_closed,
    "DTD and entities in the worksheet": entities_in_sheet,
    "cells over the limit": too_many_cells,
    "grid bomb": padded(attacks.grid_bomb),
    "array-formula bomb": padded(attacks.array_bomb),
    "billion laughs in the shared strings": padded(attacks.entity_bomb),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refusal(path: Path) -> str:
    """The message of vetting the package before anything reads it."""
    with pytest.raises(PackageError) as refused:
        vet_package(path)
    return str(refused.value)


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_a_hostile_package_read_while_vetted_is_refused_as_when_vetted_first(
    tmp_path: Path, attack: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    source = HOSTILE[attack](folder / "报表.xlsx")
    assert vet_sizes(source) >= CHILD_FROM  # vetted in a child while read
    expected, digest = refusal(source), sha256(source)
    for run in (
        lambda: compute_file(source, tmp_path / "算好.xlsx"),
        lambda: compute_file(source),  # into the input itself (after a backup)
        lambda: export_values_file(source, tmp_path / "数值版.xlsx"),
    ):
        with pytest.raises(PackageError) as refused:
            run()
        assert str(refused.value) == expected
    assert sha256(source) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["报表.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_the_messages_name_what_was_refused(tmp_path: Path) -> None:
    words = {
        "malformed XML in the last row": ("sheet1.xml", "不是有效的 XML"),
        "cells never closed": ("sheet1.xml", "不是有效的 XML"),
        "DTD and entities in the worksheet": ("sheet1.xml", "DTD/实体声明"),
        "cells over the limit": ("单元格超过 5,000,000 个", "2026Q3"),
        "grid bomb": ("2026Q3", "A1:XFD1048576", "上限"),
        "array-formula bomb": ("数组公式", "A1:XFD1048576"),
        "billion laughs in the shared strings": ("sharedStrings.xml", "实体"),
    }
    for number, (attack, build) in enumerate(HOSTILE.items()):
        message = refusal(build(tmp_path / f"{number}.xlsx"))
        assert all(word in message for word in words[attack]), (attack, message)


@needs_two_cores
def test_a_large_workbook_vetted_in_a_child_is_computed(tmp_path: Path) -> None:
    source = large_book(tmp_path / "报表.xlsx")
    assert vet_sizes(source) >= CHILD_FROM
    with vetting(source) as pending:
        child = pending.child
        assert child is not None
        pending.wait()
    assert child.returncode == 0  # its verdict taken, not vetted again here
    report = compute_file(source, tmp_path / "算好.xlsx")
    assert report.formulas == report.written == ROWS and not report.failures
    book = load_workbook(tmp_path / "算好.xlsx", data_only=True, read_only=True)
    values = [row[1] for row in book["2026Q3"].iter_rows(values_only=True)]
    book.close()
    assert values == [2 * r + 1 for r in range(1, ROWS + 1)]
    target, report = export_values_file(source, tmp_path / "数值版.xlsx", all_formulas=True)
    assert report.replaced == ROWS and target.exists()


@needs_two_cores
def test_a_package_vetting_passes_is_computed_whatever_the_reader_counted(tmp_path: Path) -> None:
    """An array formula reaching far right of the cells (309 columns): vetting measures the
    sheet's area by its cells and the array range on its own, and passes it; read before the
    verdict, the workbook is computed, not refused."""
    row = ROWS + 1
    array = f'<row r="{row}"><c r="D{row}"><f t="array" ref="D{row}:KZ{row}">1</f></c></row>'
    source = large_book(tmp_path / "报表.xlsx", array)
    assert vet_sizes(source) >= CHILD_FROM
    vet_package(source)  # passes
    report = compute_file(source, tmp_path / "算好.xlsx")
    assert report.formulas == ROWS + 1 and not report.failures
    assert report.written == ROWS + 309  # every cell of the array's range
    sheet = load_workbook(tmp_path / "算好.xlsx", data_only=True)["2026Q3"]
    assert sheet[f"D{row}"].value == sheet[f"KZ{row}"].value == 1


def test_a_hostile_package_is_refused_by_the_command_within_bounded_memory(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    source = padded(attacks.array_bomb)(folder / "报表.xlsx")
    digest = sha256(source)
    run = run_tongji(
        "compute",
        str(source),
        env={"XDG_CACHE_HOME": str(tmp_path / "cache")},
        memory=1 << 30,
        cpu_seconds=30,
    )
    assert run.returncode == 2, run.stderr[-2000:]
    message = "".join(run.stderr.split())
    assert "数组公式" in message and "A1:XFD1048576" in message and "Traceback" not in run.stderr
    assert sha256(source) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["报表.xlsx"]


def test_a_damaged_sheet_read_before_its_verdict_is_refused_in_bounded_time(
    tmp_path: Path,
) -> None:
    """Reading is linear in the part's size however the XML is damaged: the command refuses
    the sheet of unclosed cells well within a CPU limit (it used to scan on for minutes)."""
    source = cells_never_closed(tmp_path / "报表.xlsx")
    run = run_tongji("compute", str(source), "-o", str(tmp_path / "算好.xlsx"), cpu_seconds=60)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "不是有效的XML" in "".join(run.stderr.split()) and "Traceback" not in run.stderr
    assert not (tmp_path / "算好.xlsx").exists()


@needs_two_cores
def test_a_child_that_dies_leaves_the_vetting_to_the_command(tmp_path: Path) -> None:
    good = padded(attacks.package)(tmp_path / "好.xlsx")
    bad = entities_in_sheet(tmp_path / "坏.xlsx")
    for path, expected in ((good, None), (bad, refusal(bad))):
        with vetting(path) as pending:
            assert pending.child is not None
            pending.child.kill()  # e.g. ended by the system for want of memory
            if expected is None:
                pending.wait()
            else:
                with pytest.raises(PackageError) as refused:
                    pending.wait()
                assert str(refused.value) == expected


def test_a_child_that_cannot_start_leaves_the_vetting_to_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = entities_in_sheet(tmp_path / "坏.xlsx")
    expected = refusal(bad)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "没有这个程序"))
    with pytest.raises(PackageError) as refused, vetting(bad):
        pass
    assert str(refused.value) == expected
    with pytest.raises(PackageError) as refused:
        compute_file(bad, tmp_path / "算好.xlsx")
    assert str(refused.value) == expected
    assert not (tmp_path / "算好.xlsx").exists()


@needs_two_cores
def test_an_interrupted_caller_leaves_no_child_behind(tmp_path: Path) -> None:
    source = padded(attacks.package, megabytes=16)(tmp_path / "好.xlsx")
    with pytest.raises(KeyboardInterrupt), vetting(source) as pending:
        child = pending.child
        assert child is not None and child.poll() is None
        raise KeyboardInterrupt
    assert child.returncode not in (None, 0)  # stopped (not awaited) and reaped: no orphan
    if os.name == "posix":
        with pytest.raises(ProcessLookupError):
            os.kill(child.pid, 0)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


@needs_two_cores
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_an_interrupted_command_leaves_no_child_behind(tmp_path: Path) -> None:
    source = padded(large_book, megabytes=16)(tmp_path / "报表.xlsx")  # vetted for a second
    digest = sha256(source)
    command = subprocess.Popen(
        [sys.executable, "-m", "tongji", "compute", str(source), "-o", str(tmp_path / "o.xlsx")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    children: list[int] = []
    while not children and command.poll() is None and time.monotonic() < deadline:
        children = _children(command.pid)
        time.sleep(0.005)
    assert children, "the command started no child to vet the package"
    assert all("zombie" not in Path(f"/proc/{child}/status").read_text() for child in children)
    os.kill(command.pid, signal.SIGINT)  # Ctrl-C, to the command alone
    command.wait(timeout=60)
    for child in children:
        status = Path(f"/proc/{child}/status")
        assert not status.exists() or "zombie" in status.read_text()
    assert sha256(source) == digest
    assert not (tmp_path / "o.xlsx").exists()


def _run_child(path: Path, parent_gone: bool) -> tuple[int, bytes]:
    """The child vetting ``path`` as the command starts it; ``parent_gone``: its input closed
    at once, as when its parent ends."""
    child = subprocess.Popen(child_command(path, WORKBOOK), stdin=PIPE, stdout=PIPE)
    assert child.stdin is not None and child.stdout is not None
    if parent_gone:
        child.stdin.close()
    output = child.stdout.read()
    child.wait()
    child.stdout.close()
    if not parent_gone:
        child.stdin.close()
    return child.returncode, output


def test_the_child_reports_its_verdict_and_ends_with_its_parent(tmp_path: Path) -> None:
    source = padded(large_book, megabytes=32)(tmp_path / "报表.xlsx")
    bad = entities_in_sheet(tmp_path / "坏.xlsx")
    assert _run_child(source, parent_gone=False) == (0, b'{"passed": true}')
    code, output = _run_child(bad, parent_gone=False)
    assert code == 0 and json.loads(output) == {"refused": refusal(bad)}
    # Its parent gone (killed, …): it ends long before the vetting would (no verdict).
    assert _run_child(source, parent_gone=True) == (3, b"")
