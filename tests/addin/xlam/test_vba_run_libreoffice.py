"""The add-in's own VBA run by an independent Basic interpreter: LibreOffice's, in VBA mode.

The modules are taken as LibreOffice imported them from the built add-in (the .ods read-back
of test_build.py), put into an application library and called through LibreOffice's script
provider. Two adaptations, both declarations only: ``Option Private Module`` (which rightly
hides a module from callers outside the project, as the script provider is) is dropped, and
the relink module's variable of the class type ``TongjiLinkWatch`` is declared ``As Object``
(LibreOffice's application libraries do not resolve that class, and the class's
``WithEvents Application`` has no meaning outside Excel). The code under test runs as built.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from html import unescape
from pathlib import Path

import pytest

from tests.addin.xlam.libreoffice_xlam import as_xlsm, convert_to_ods
from tests.libreoffice import needs_libreoffice

RUNNER = Path(__file__).with_name("lo_basic_run.py")


def _uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).is_file():
            done = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, check=False, timeout=60
            )
            if done.returncode == 0:
                return candidate
    return None


UNO_PYTHON = _uno_python() if shutil.which("soffice") else None

pytestmark = [
    needs_libreoffice,
    pytest.mark.skipif(UNO_PYTHON is None, reason="no Python with LibreOffice's uno module"),
]

#: Excel's error numbers, written out independently of the module under test.
NUMBERS = {
    "#NULL!": 2000,
    "#DIV/0!": 2007,
    "#VALUE!": 2015,
    "#REF!": 2023,
    "#NAME?": 2029,
    "#NUM!": 2036,
    "#N/A": 2042,
    "#GETTING_DATA": 2043,
    "#SPILL!": 2045,
    "#CALC!": 2050,
}


@pytest.fixture(scope="module")
def imported(built_addin: Path, tmp_path_factory) -> dict[str, str]:
    """Module name → source as LibreOffice imported it from the built add-in."""
    work = tmp_path_factory.mktemp("lo-run")
    ods = convert_to_ods(as_xlsm(built_addin, work / "tongji.xlsm"), work)
    modules = {}
    with zipfile.ZipFile(ods) as package:
        for name in package.namelist():
            if name.startswith("Basic/tongji/") and not name.endswith("script-lb.xml"):
                xml = package.read(name).decode("utf-8")
                body = re.search(r"<script:module[^>]*>(.*)</script:module>", xml, re.S)
                modules[Path(name).stem] = unescape(body.group(1))
    return modules


def run_basic(modules: dict[str, str], calls: list, work: Path) -> list:
    (work / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    (work / "calls.json").write_text(json.dumps(calls), encoding="utf-8")
    done = subprocess.run(
        [
            UNO_PYTHON,
            str(RUNNER),
            str(work / "modules.json"),
            (work / "profile").resolve().as_uri(),
            str(work / "calls.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_error_marker_becomes_its_excel_error_number(imported, tmp_path: Path) -> None:
    cells = imported["TongjiCells"].replace("Option Private Module\n", "")
    assert "Option VBASupport 1" in cells
    markers = [f"{literal} 参数「基期值」引用的单元格本身是错误值 {literal}" for literal in NUMBERS]
    calls = [["TongjiCells", "ErrorCode", [marker, ""]] for marker in markers]
    calls += [["TongjiCells", "ErrorCode", [literal, ""]] for literal in NUMBERS]
    not_markers = ["#REFERENCE", "12.5", "#", "10%", "#N/A!x"]
    calls += [["TongjiCells", "ErrorCode", [text, ""]] for text in not_markers]
    calls += [["TongjiCells", "ErrorCode", [3.5, ""]]]
    failure = [
        "调用 Python 失败：Could not activate Python COM server",
        "参数「基期值」为空或无数据",
    ]
    calls += [["TongjiCells", "IsCallFailure", [reason]] for reason in failure]
    results = run_basic({"TongjiCells": cells}, calls, tmp_path)
    assert [r for r, _ in results[-2:]] == [True, False]  # what 函数说明 shows without Python
    results = results[:-2]
    n = len(NUMBERS)
    for (literal, number), (code, (reason,)) in zip(NUMBERS.items(), results[:n], strict=True):
        assert code == number, literal
        assert reason == f"参数「基期值」引用的单元格本身是错误值 {literal}"
    for literal, (code, (reason,)) in zip(NUMBERS, results[n : 2 * n], strict=True):
        assert (code, reason) == (NUMBERS[literal], ""), literal
    assert [code for code, _ in results[2 * n :]] == [0] * (len(not_markers) + 1)


def test_only_links_to_another_copy_of_the_add_in_are_changed(imported, tmp_path: Path) -> None:
    links = imported["TongjiLinks"].replace("As TongjiLinkWatch", "As Object")
    mine = r"C:\tongji\tongji.xlam"
    colleague = r"C:\Users\Zhang San\AppData\Roaming\Microsoft\Excel\XLSTART\tongji.xlam"
    cases = {
        colleague: True,
        r"\\server\share\addins\TONGJI.XLAM": True,
        "https://pan.example.cn/d/tongji.xlam": True,
        mine: False,  # already this add-in
        r"C:\TONGJI\Tongji.xlam": False,  # the same path, other case
        r"C:\data\2026Q3.xlsx": False,  # a link to a workbook, not to the add-in
        r"C:\old\tongji_v1.xlam": False,
    }
    calls = [["TongjiLinks", "NeedsRelink", [link, mine]] for link in cases]
    calls.append(["TongjiLinks", "FileNameOf", [colleague]])
    results = run_basic({"TongjiLinks": links}, calls, tmp_path)
    assert [r for r, _ in results[:-1]] == list(cases.values())
    assert results[-1][0] == "tongji.xlam"
