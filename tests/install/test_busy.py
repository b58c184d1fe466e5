"""Reinstall and uninstall while Excel is open: checked first, nothing changed, a Chinese
request to close Excel. The running programs are given as data (what ``tasklist`` prints);
the lock probe is exercised for real against a file another process holds locked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.install.test_install_script import home_env, installer, snapshot

busy = installer._busy

#: What ``tasklist /FO CSV /NH`` prints on a Chinese Windows with Excel open.
TASKLIST = (
    '"System Idle Process","0","Services","0","8 K"\r\n'
    '"explorer.exe","4321","Console","1","98,304 K"\r\n'
    '"EXCEL.EXE","8812","Console","1","212,992 K"\r\n'
    '"pythonw.exe","9120","Console","1","61,440 K"\r\n'
)


@pytest.fixture
def held(tmp_path: Path) -> Iterator[callable]:
    """``hold(path)``: another process opens ``path`` and keeps an exclusive lock on it."""
    holders: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> None:
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import fcntl, sys\n"
                "f = open(sys.argv[1], 'r+b')\n"
                "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                "print('held', flush=True)\n"
                "sys.stdin.read()\n",
                str(path),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout.readline().strip() == "held"
        holders.append(holder)

    yield hold
    for holder in holders:
        holder.communicate("", timeout=30)


def test_tasklist_output_is_read_as_image_names() -> None:
    assert busy.parse_tasklist(TASKLIST) == [
        "System Idle Process",
        "explorer.exe",
        "EXCEL.EXE",
        "pythonw.exe",
    ]


def test_excel_among_the_running_programs_blocks(tmp_path: Path) -> None:
    problems = busy.blockers([tmp_path / "a.xlam"], [tmp_path], busy.parse_tasklist(TASKLIST))
    assert problems == [
        "Excel 正在运行：请先保存并关闭所有 Excel 窗口（任务管理器中也不应再有 EXCEL.EXE）。"
    ]
    assert busy.blockers([tmp_path / "a.xlam"], [tmp_path], ["explorer.exe", "excel.exe "])
    assert busy.blockers([tmp_path / "a.xlam"], [tmp_path], ["explorer.exe"]) == []


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX record locks")
def test_the_lock_probe_sees_a_file_another_process_holds(tmp_path: Path, held) -> None:
    addin = tmp_path / "tongji.xlam"
    addin.write_bytes(b"add-in")
    assert not busy.file_locked(addin)
    held(addin)
    assert busy.file_locked(addin)
    assert addin.read_bytes() == b"add-in"  # probing changed nothing
    assert not busy.file_locked(tmp_path / "missing.xlam")


def _installed(tmp_path: Path):
    loc = installer.Locations.from_env(home_env(tmp_path))
    installer.install(
        loc, tmp_path / "target", None, use_venv=False, echo=lambda _: None, windows=False
    )
    return loc


def test_reinstall_while_excel_runs_changes_nothing(tmp_path: Path) -> None:
    loc = _installed(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(installer.InstallError) as raised:
        installer.install(
            loc,
            tmp_path / "target",
            None,
            use_venv=False,
            echo=lambda _: None,
            windows=False,
            images=busy.parse_tasklist(TASKLIST),
        )
    assert "Excel 正在运行" in str(raised.value) and "未做任何改动" in str(raised.value)
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX record locks")
def test_uninstall_while_the_add_in_is_held_open_changes_nothing(tmp_path: Path, held) -> None:
    loc = _installed(tmp_path)
    held(loc.addin)
    before = snapshot(tmp_path)
    messages: list[str] = []
    assert installer.uninstall(loc, echo=messages.append, images=[]) is False
    assert snapshot(tmp_path) == before
    assert messages[0] == f"加载项 {loc.addin} 正被占用（通常是 Excel 打开着它）：请关闭 Excel。"
    assert "请关闭 Excel 后重新运行卸载" in messages[-1]


def test_the_environments_python_running_blocks(tmp_path: Path) -> None:
    """On Windows a running pythonw.exe cannot be opened for writing; the probe is passed in
    here as the set of files that are in use."""
    target = tmp_path / "tj"
    pythonw = target / "venv" / "Scripts" / "pythonw.exe"
    problems = busy.blockers([tmp_path / "x.xlam"], [target], [], locked=lambda p: p == pythonw)
    assert problems == [f"统计助手的 Python {pythonw} 正在运行：请关闭 Excel，等几秒钟后再试。"]
