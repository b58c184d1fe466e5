"""One command at a time on a workbook; a workbook open in Excel is left alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.workbooks.file_faults import excel_owner_file, listing
from workbooks.locks import Locked, excel_user, lock_path, lock_workbook
from workbooks.safe_files import host_name


@pytest.mark.parametrize("user", ["张三", "Bob", "王小明-统计局", "李 四", "o'Brien"])
@pytest.mark.parametrize("length_prefix", [True, False])
def test_the_user_is_read_from_excels_owner_file(user: str, length_prefix: bool) -> None:
    assert excel_user(excel_owner_file(user, length_prefix)) == user


def test_an_owner_file_without_its_unicode_copy_gives_the_ansi_name() -> None:
    assert excel_user(bytes([4]) + "张三".encode("gbk") + b" " * 10) == "张三"
    assert excel_user(b"") is None and excel_user(b"\x00" * 165) is None


def test_a_workbook_open_in_excel_is_refused_naming_the_user(tmp_path: Path) -> None:
    book = tmp_path / "报表.xlsx"
    book.write_bytes(b"x")
    (tmp_path / "~$报表.xlsx").write_bytes(excel_owner_file("张三"))
    with pytest.raises(Locked) as refused:
        lock_workbook(book)
    assert "张三" in str(refused.value) and "~$报表.xlsx" in str(refused.value)
    assert listing(tmp_path) == ["~$报表.xlsx", "报表.xlsx"]  # no lock file left


def test_a_second_lock_is_refused_naming_the_holder(tmp_path: Path) -> None:
    book = tmp_path / "报表.xlsx"
    book.write_bytes(b"x")
    with lock_workbook(book):
        assert listing(tmp_path) == [".~tongji-报表.xlsx.lock", "报表.xlsx"]
        with pytest.raises(Locked) as refused:
            lock_workbook(book)
        message = str(refused.value)
        assert f"进程 {os.getpid()}" in message and host_name() in message
    assert listing(tmp_path) == ["报表.xlsx"]
    with lock_workbook(book):  # free again
        pass


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    return int(done.stdout)


def _holder(pid: int, host: str) -> bytes:
    fields = {"pid": pid, "user": "李四", "host": host, "since": "2026-11-22 03:40:15"}
    return json.dumps(fields, ensure_ascii=False).encode("utf-8")


def test_the_lock_of_a_dead_run_on_this_computer_is_taken_over(tmp_path: Path) -> None:
    book = tmp_path / "报表.xlsx"
    book.write_bytes(b"x")
    lock_path(book).write_bytes(_holder(_dead_pid(), host_name()))
    with lock_workbook(book):
        holder = json.loads(lock_path(book).read_text(encoding="utf-8"))
        assert holder["pid"] == os.getpid()
    assert listing(tmp_path) == ["报表.xlsx"]


def test_the_lock_of_another_computer_is_respected(tmp_path: Path) -> None:
    book = tmp_path / "报表.xlsx"
    book.write_bytes(b"x")
    theirs = _holder(_dead_pid(), "统计局-PC07")  # their process number means nothing here
    lock_path(book).write_bytes(theirs)
    with pytest.raises(Locked) as refused:
        lock_workbook(book)
    assert "李四" in str(refused.value) and "统计局-PC07" in str(refused.value)
    assert lock_path(book).read_bytes() == theirs
    assert listing(tmp_path) == [".~tongji-报表.xlsx.lock", "报表.xlsx"]


def test_an_empty_lock_is_respected_while_fresh_and_taken_when_old(tmp_path: Path) -> None:
    book = tmp_path / "报表.xlsx"
    book.write_bytes(b"x")
    lock_path(book).write_bytes(b"")  # its owner is still writing it
    with pytest.raises(Locked):
        lock_workbook(book)
    old = time.time() - 3600
    os.utime(lock_path(book), (old, old))
    with lock_workbook(book):
        pass
    assert listing(tmp_path) == ["报表.xlsx"]


def test_a_symbolic_link_is_locked_at_its_file(tmp_path: Path) -> None:
    (tmp_path / "共享").mkdir()
    real = tmp_path / "共享" / "报表.xlsx"
    real.write_bytes(b"x")
    link = tmp_path / "链接.xlsx"
    link.symlink_to(real)
    with lock_workbook(link):
        with pytest.raises(Locked):
            lock_workbook(real)
        assert listing(real.parent) == [".~tongji-报表.xlsx.lock", "报表.xlsx"]


def test_a_lock_another_run_took_over_is_neither_removed_nor_written_under(
    tmp_path: Path,
) -> None:
    """This run was taken for dead and its lock taken over: its release leaves the new
    holder's lock in place, and it refuses to write (the other run's update would be lost)."""
    from workbooks.outputs import Output

    book = tmp_path / "报表.xlsx"
    book.write_bytes(b"x")
    out = tmp_path / "结果.xlsx"
    theirs = _holder(12345, "统计局-PC07")
    with Output(book, out) as output:
        lock = output.locks[0]
        assert lock.path == lock_path(out)
        lock.path.unlink()  # taken over: moved aside, and the next run's lock created
        lock.path.write_bytes(theirs)
        with pytest.raises(Locked) as refused:
            output.write("结果.xlsx", lambda target: target.write_bytes(b"mine"))
        assert "李四" in str(refused.value) and "统计局-PC07" in str(refused.value)
    assert lock_path(out).read_bytes() == theirs  # still theirs after our release
    assert listing(tmp_path) == [".~tongji-结果.xlsx.lock", "报表.xlsx"]


def test_two_locks_of_the_same_run_have_different_contents(tmp_path: Path) -> None:
    book = tmp_path / "报表.xlsx"
    book.write_bytes(b"x")
    with lock_workbook(book):
        first = lock_path(book).read_bytes()
    with lock_workbook(book):
        assert lock_path(book).read_bytes() != first  # so an old holder never takes it for its own
