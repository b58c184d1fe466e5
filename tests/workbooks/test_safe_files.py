"""The one safe writer: a file is written completely or not at all, keeps its mode and its
symbolic link, and a run killed while writing leaves nothing the next run does not clear."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.workbooks.file_faults import ROOT, listing, small_disk
from workbooks.backups import keep_backup
from workbooks.safe_files import (
    copy_file,
    host_name,
    is_temp,
    remove_stale,
    temp_folder,
    temp_name,
    write_bytes,
    write_file,
)


@pytest.fixture
def umask_002():
    old = os.umask(0o002)
    yield
    os.umask(old)


def test_a_new_file_gets_the_folders_usual_mode(tmp_path: Path, umask_002: None) -> None:
    target = write_bytes(tmp_path / "报表_2026Q4.xlsx", b"new")
    assert target.stat().st_mode & 0o777 == 0o664  # 0o666 & ~umask, not a temporary 0600
    assert listing(tmp_path) == ["报表_2026Q4.xlsx"]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "报表.xlsx"
    target.write_bytes(b"old")
    for mode in (0o664, 0o640, 0o600):
        target.chmod(mode)
        write_bytes(target, b"new")
        assert target.stat().st_mode & 0o777 == mode
    assert target.read_bytes() == b"new" and listing(tmp_path) == ["报表.xlsx"]


def test_a_symbolic_link_stays_and_its_file_is_written(tmp_path: Path) -> None:
    (tmp_path / "共享").mkdir()
    real = tmp_path / "共享" / "报表.xlsx"
    real.write_bytes(b"old")
    real.chmod(0o664)
    link = tmp_path / "报表.xlsx"
    link.symlink_to(real)
    write_bytes(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new" and real.stat().st_mode & 0o777 == 0o664
    assert listing(tmp_path) == ["共享", "报表.xlsx"] and listing(real.parent) == ["报表.xlsx"]


def test_a_failed_write_leaves_the_target_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "报表.xlsx"
    target.write_bytes(b"the user's workbook")

    def half(handle) -> None:
        handle.write(b"half a workbook")
        raise RuntimeError("the computation broke off")

    with pytest.raises(RuntimeError):
        write_file(target, half)
    assert target.read_bytes() == b"the user's workbook"
    assert listing(tmp_path) == ["报表.xlsx"]


def test_a_folder_as_target_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError) as caught:
        write_bytes(tmp_path, b"x")
    assert caught.value.filename == str(tmp_path) and listing(tmp_path) == []


def test_an_exclusive_write_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "报表.bak-20261122-034015.xlsx"
    target.write_bytes(b"last week's only copy")
    with pytest.raises(FileExistsError) as caught:
        write_bytes(target, b"other", exclusive=True)
    assert caught.value.filename == str(target)
    assert target.read_bytes() == b"last week's only copy" and listing(tmp_path) == [target.name]


def test_a_copy_keeps_mode_and_time(tmp_path: Path) -> None:
    source = tmp_path / "报表.xlsx"
    source.write_bytes(b"x" * 10_000)
    source.chmod(0o640)
    os.utime(source, (1_700_000_000, 1_700_000_000))
    copy = copy_file(source, tmp_path / "副本.xlsx", exclusive=True)
    assert copy.read_bytes() == source.read_bytes()
    assert copy.stat().st_mode & 0o777 == 0o640 and copy.stat().st_mtime == 1_700_000_000


def test_a_full_disk_leaves_no_truncated_backup(tmp_path: Path) -> None:
    with small_disk(tmp_path / "盘", 64 * 1024) as disk:
        source = disk / "报表.xlsx"
        source.write_bytes(os.urandom(40_000))  # fits once, not twice
        before = source.read_bytes()
        with pytest.raises(OSError) as caught:
            keep_backup(source)
        assert caught.value.errno == errno.ENOSPC
        assert ".bak-" in caught.value.filename  # the backup named, not a temporary file
        assert source.read_bytes() == before and listing(disk) == ["报表.xlsx"]


def test_a_full_disk_fails_before_the_target_is_touched(tmp_path: Path) -> None:
    with small_disk(tmp_path / "盘", 64 * 1024) as disk:
        target = disk / "报表.xlsx"
        target.write_bytes(b"the user's workbook")
        with pytest.raises(OSError) as caught:
            write_bytes(target, os.urandom(100_000))
        assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
        assert target.read_bytes() == b"the user's workbook" and listing(disk) == ["报表.xlsx"]


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from workbooks.safe_files import write_file

def write(handle):
    handle.write(b"half a workbook")
    handle.flush()
    Path(sys.argv[2]).touch()
    time.sleep(120)

write_file(Path(sys.argv[1]), write)
"""


def run_until(script: str, ready: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``script`` in a child process and return it once it has created ``ready``."""
    child = subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert child.poll() is None, "the child ended before it was ready"
        assert time.monotonic() < deadline, "the child never got ready"
        time.sleep(0.05)
    return child


def test_kill_9_during_a_write_is_cleared_by_the_next_write(tmp_path: Path) -> None:
    folder = tmp_path / "报表"
    folder.mkdir()
    target = folder / "报表.xlsx"
    target.write_bytes(b"the user's workbook")
    ready = tmp_path / "ready"
    child = run_until(_KILLED_WRITER, ready, str(target), str(ready))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    debris = temp_name(target)
    debris = debris.with_name(debris.name.replace(f"-{os.getpid()}@", f"-{child.pid}@"))
    assert listing(folder) == sorted(["报表.xlsx", debris.name])  # killed mid-write
    assert target.read_bytes() == b"the user's workbook"
    write_bytes(folder / "报表_2026Q4.xlsx", b"next run")
    assert listing(folder) == ["报表.xlsx", "报表_2026Q4.xlsx"]


def test_only_temporaries_of_dead_runs_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    dead_pid = int(dead.stdout)
    mine = temp_name(tmp_path / "报表.xlsx")
    of_dead = mine.with_name(mine.name.replace(f"-{os.getpid()}@", f"-{dead_pid}@"))
    elsewhere = tmp_path / f".~tongji-报表.xlsx-{dead_pid}@another-pc.tmp"
    old_elsewhere = tmp_path / f".~tongji-汇总.xlsx-{dead_pid}@another-pc.tmp"
    user_files = ["~$报表.xlsx", "报表.xlsx", ".~tongji-notes.txt", ".~lock.报表.xlsx#"]
    for path in [mine, of_dead, elsewhere, old_elsewhere, *(tmp_path / n for n in user_files)]:
        path.write_bytes(b"x")
    a_day_ago = time.time() - 2 * 24 * 3600
    os.utime(old_elsewhere, (a_day_ago, a_day_ago))
    assert all(is_temp(p) for p in (mine, of_dead, elsewhere, old_elsewhere))
    assert sorted(remove_stale(tmp_path)) == sorted([of_dead, old_elsewhere])
    assert listing(tmp_path) == sorted([mine.name, elsewhere.name, *user_files])


def test_locks_of_dead_runs_on_this_computer_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )

    def lock(name: str, pid: int, host: str) -> Path:
        path = tmp_path / f".~tongji-{name}.lock"
        fields = {"pid": pid, "user": "李四", "host": host, "since": "2026-11-22 03:40:15"}
        path.write_text(json.dumps(fields, ensure_ascii=False), encoding="utf-8")
        return path

    killed = lock("报表.xlsx", int(dead.stdout), host_name())
    live = lock("汇总.xlsx", os.getpid(), host_name())
    other = lock("月报.xlsx", int(dead.stdout), "统计局-PC07")
    assert remove_stale(tmp_path) == [killed]
    assert listing(tmp_path) == sorted([live.name, other.name])


def test_a_working_folder_is_removed_afterwards(tmp_path: Path) -> None:
    with temp_folder(tmp_path, "render") as work:
        (work / "values.xlsx").write_bytes(b"x")
        assert is_temp(work) and work.parent == tmp_path
    assert listing(tmp_path) == []
