"""The add-in's own VBA run by an independent Basic interpreter: LibreOffice's, in VBA mode.

The modules are taken as LibreOffice imported them from the built add-in (the .ods read-back
of test_build.py), put into an application library and called through LibreOffice's script
provider. Two adaptations, both declarations only: ``Option Private Module`` (which rightly
hides a module from callers outside the project, as the script provider is) is dropped, and
the relink module's variable of the class type ``TongjiLinkWatch`` is declared ``As Object``
(LibreOffice's application libraries do not resolve that class, and the class's
``WithEvents Application`` has no meaning outside Excel). The code under test runs as built;
where it works on Excel's objects (a workbook's links, the Application's DisplayAlerts) it is
handed stand-ins written here as Basic class modules.
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


#: Stand-ins for Excel's objects, as Basic class modules: a workbook whose ChangeLink can be
#: made to fail at its n-th call (as Excel's does for a file it cannot read), the add-in's
#: workbook, and the Application with its DisplayAlerts setting.
FAKE_BOOK = """Option Compatible
Option ClassModule
Option Explicit
Public Name As String
Public Saved As Boolean
Public Links As Variant
Public FailOn As Long
Public Calls As Long
Public Changed As String

Public Function LinkSources(ByVal kind As Long) As Variant
    LinkSources = Links
End Function

Public Sub ChangeLink(ByVal oldLink As String, ByVal newLink As String, ByVal kind As Long)
    Calls = Calls + 1
    If Calls = FailOn Then Err.Raise 1004, , "ChangeLink refused"
    Saved = False
    Changed = Changed & oldLink & ">" & newLink & "|alerts=" & TheApp.DisplayAlerts & ";"
End Sub
"""
FAKE_ADDIN = """Option Compatible
Option ClassModule
Option Explicit
Public Name As String
Public FullName As String
"""
FAKE_APP = """Option Compatible
Option ClassModule
Option Explicit
Public DisplayAlerts As Boolean
"""
DRIVER = """Option Compatible
Option Explicit
Public TheApp As Object

Public Function Relink(ByVal refuseAt As Variant, ByVal alertsBefore As Boolean, _
                       ByVal savedBefore As Boolean) As String
    ' RelinkTo on a workbook with two links to other copies of the add-in and one to a
    ' workbook; returns the workbook's saved state, the alerts setting and what was changed.
    Dim book As New FakeBook, addin As New FakeAddin, app As New FakeApp
    Set TheApp = app
    addin.Name = "tongji.xlam"
    addin.FullName = "C:\\tongji\\tongji.xlam"
    app.DisplayAlerts = alertsBefore
    book.Name = "2026Q3.xlsx"
    book.Saved = savedBefore
    book.FailOn = CLng(refuseAt)
    book.Links = Array("D:\\old\\tongji.xlam", "C:\\data\\2025Q3.xlsx", "\\\\pc\\s\\tongji.xlam")
    TongjiLinks.RelinkTo book, addin, app
    Relink = "saved=" & book.Saved & " alerts=" & app.DisplayAlerts & " " & book.Changed
End Function
"""


def test_a_relink_refused_halfway_puts_back_the_saved_state_and_alerts(
    imported, tmp_path: Path
) -> None:
    links = imported["TongjiLinks"].replace("As TongjiLinkWatch", "As Object")
    modules = {
        "TongjiLinks": links,
        "FakeBook": FAKE_BOOK,
        "FakeAddin": FAKE_ADDIN,
        "FakeApp": FAKE_APP,
        "Driver": DRIVER,
    }
    scenarios = [
        [0, True, True],  # both links changed
        [2, True, True],  # the second ChangeLink fails: the first is changed, the rest not
        [1, True, True],  # the first fails
        [2, False, True],  # the user had alerts off: they stay off
        [2, True, False],  # a workbook with unsaved changes stays unsaved
    ]
    results = run_basic(modules, [["Driver", "Relink", s] for s in scenarios], tmp_path)
    first = r"D:\old\tongji.xlam>C:\tongji\tongji.xlam|alerts=False;"
    second = r"\\pc\s\tongji.xlam>C:\tongji\tongji.xlam|alerts=False;"
    assert [r for r, _ in results] == [
        f"saved=True alerts=True {first}{second}",
        f"saved=True alerts=True {first}",
        "saved=True alerts=True ",
        f"saved=True alerts=False {first}",
        f"saved=False alerts=True {first}",
    ]
