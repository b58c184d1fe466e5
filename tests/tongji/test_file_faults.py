"""Faults of the file system as a user meets them: one Chinese sentence, exit code 2, the
input byte-identical, the folder holding what it held — and nothing lost to a second run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.child_process import run_tongji
from tests.workbooks.file_faults import (
    ROOT,
    excel_owner_file,
    listing,
    make_read_only,
    refused_replacement,
    sha256,
    small_disk,
)
from tongji.cli import app
from workbooks.safe_files import is_temp


def tongji(*args: str, umask: int | None = None, env: dict[str, str] | None = None):
    """``tongji …`` as a user runs it: in this process, or in a fresh one when it needs its own
    umask or environment."""
    if umask is None and env is None:
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return subprocess.CompletedProcess(args, result.exit_code, result.output, "")
    return run_tongji(*args, env=env, umask=umask)


def said(run: subprocess.CompletedProcess[str]) -> str:
    return "".join((run.stderr + run.stdout).split())


def small_book(path: Path) -> Path:
    """A peer table of three regions on sheet 2026Q3 (甲县 first)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026Q3"
    for row in [["县区", "GDP增长(%)"], ["全市", 5.0], ["甲县", 6.0], ["乙县", 4.0]]:
        ws.append(row)
    wb.save(path)
    return path


def ranked(path: Path) -> bool:
    return openpyxl.load_workbook(path)["2026Q3"]["C3"].value == 1


def refused(run, *words: str) -> None:
    assert run.returncode == 2, run.stderr + run.stdout
    message = said(run)
    assert "Traceback" not in message and "内部错误" not in message
    for word in words:
        assert "".join(word.split()) in message, message


# --- -o naming a folder, -o of another kind -------------------------------------------------


@pytest.mark.parametrize("command", [["rank"], ["compute"], ["export-values"]])
def test_o_naming_a_folder_is_refused(tmp_path: Path, command: list[str]) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    (tmp_path / "输出").mkdir()
    before, digest = listing(tmp_path), sha256(source)
    run = tongji(*command, str(source), "-o", str(tmp_path / "输出"))
    refused(run, f"「{tmp_path / '输出'}」是一个文件夹", "请给出文件名")
    assert sha256(source) == digest and listing(tmp_path) == before
    assert listing(tmp_path / "输出") == []


@pytest.mark.parametrize(
    ("command", "out"),
    [
        (["rank"], "结果.xlsm"),
        (["rank"], "结果.csv"),
        (["compute"], "结果.csv"),
        (["export-values"], "结果.xlsm"),
        (["export-values"], "结果.xls"),
    ],
)
def test_o_of_another_kind_is_refused(tmp_path: Path, command: list[str], out: str) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    before, digest = listing(tmp_path), sha256(source)
    run = tongji(*command, str(source), "-o", str(tmp_path / out))
    refused(run, f"「{out}」的扩展名须为 .xlsx", "Excel 不会打开")
    assert sha256(source) == digest and listing(tmp_path) == before


def test_render_refuses_an_output_of_another_kind(tmp_path: Path) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    run = tongji("render", str(source), "-s", "2026Q3", "--pdf", str(tmp_path / "打印.png"))
    refused(run, "「打印.png」的扩展名须为 .pdf")
    assert listing(tmp_path) == ["报表.xlsx"]


def test_in_place_and_o_together_are_refused(tmp_path: Path) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    run = tongji("rank", str(source), "--in-place", "-o", str(tmp_path / "结果.xlsx"))
    refused(run, "--in-place 与 -o 不能同时使用")
    assert listing(tmp_path) == ["报表.xlsx"]


# --- the default output never overwrites -----------------------------------------------------


def test_the_default_output_takes_the_next_free_name(tmp_path: Path) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    edited = small_book(tmp_path / "报表_2026Q3排名.xlsx")  # last quarter's, with the user's edits
    digest = sha256(edited)
    first = tongji("rank", str(source))
    assert first.returncode == 0, first.stderr
    assert "报表_2026Q3排名(2).xlsx" in said(first) and sha256(edited) == digest
    second = tongji("rank", str(source))
    assert "报表_2026Q3排名(3).xlsx" in said(second)
    assert listing(tmp_path) == [
        "报表.xlsx",
        "报表_2026Q3排名(2).xlsx",
        "报表_2026Q3排名(3).xlsx",
        "报表_2026Q3排名.xlsx",
    ]
    assert ranked(tmp_path / "报表_2026Q3排名(2).xlsx") and not ranked(edited)


def test_compute_and_export_values_never_overwrite_their_default_output(tmp_path: Path) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    for command, name in (("compute", "报表_已计算"), ("export-values", "报表_数值版")):
        (tmp_path / f"{name}.xlsx").write_bytes(b"the user's own file")
        run = tongji(command, str(source))
        assert run.returncode == 0, run.stderr
        assert (tmp_path / f"{name}.xlsx").read_bytes() == b"the user's own file"
        assert (tmp_path / f"{name}(2).xlsx").exists()


def test_an_existing_o_file_is_backed_up_before_it_is_replaced(tmp_path: Path) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    earlier = small_book(tmp_path / "结果.xlsx")
    digest = sha256(earlier)
    run = tongji("rank", str(source), "-o", str(earlier))
    assert run.returncode == 0, run.stderr
    (backup,) = tmp_path.glob("结果.bak-*.xlsx")
    assert sha256(backup) == digest and ranked(earlier) and backup.name in said(run)


# --- modes and symbolic links ----------------------------------------------------------------


def test_in_place_keeps_the_mode_and_outputs_get_the_folders_usual_mode(tmp_path: Path) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    source.chmod(0o664)
    run = tongji("rank", str(source), "--in-place", umask=0o022)
    assert run.returncode == 0, run.stderr
    assert ranked(source) and source.stat().st_mode & 0o777 == 0o664
    (backup,) = tmp_path.glob("报表.bak-*.xlsx")
    assert backup.stat().st_mode & 0o777 == 0o664
    for umask, mode in ((0o002, 0o664), (0o022, 0o644)):
        out = tmp_path / f"umask{umask:o}.xlsx"
        assert tongji("rank", str(source), "-o", str(out), umask=umask).returncode == 0
        assert out.stat().st_mode & 0o777 == mode


def test_in_place_through_a_symbolic_link_writes_its_file(tmp_path: Path) -> None:
    (tmp_path / "共享").mkdir()
    real = small_book(tmp_path / "共享" / "报表.xlsx")
    link = tmp_path / "报表.xlsx"
    link.symlink_to(real)
    run = tongji("rank", str(link), "--in-place")
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and os.readlink(link) == str(real) and ranked(real)
    assert listing(tmp_path) == ["共享", "报表.xlsx"]
    assert len(list((tmp_path / "共享").glob("报表.bak-*.xlsx"))) == 1


# --- faults of the disk ----------------------------------------------------------------------


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` until only ``leave`` bytes are free."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    (disk / "占位.bin").write_bytes(b"\0" * max(free - leave, 0))


@pytest.mark.parametrize(
    "command", [["rank", "--in-place"], ["rank"], ["compute", "--in-place"], ["export-values"]]
)
def test_a_full_disk_is_named_and_leaves_the_folder_as_it_was(
    tmp_path: Path, command: list[str]
) -> None:
    with small_disk(tmp_path / "盘", 128 * 1024) as disk:
        source = small_book(disk / "报表.xlsx")
        _fill(disk, 4096)  # room for a lock file, not for a workbook
        before, digest = listing(disk), sha256(source)
        run = tongji(command[0], str(source), *command[1:], env={})  # its own stderr
        refused(run, "磁盘空间不足", "原文件未改动")
        assert sha256(source) == digest and listing(disk) == before  # no backup, no temporary
        # one Chinese sentence: no English words of a half-written sheet after it
        for english in ("Exception ignored", "Traceback", "SerialisationError", "ENOSPC"):
            assert english not in run.stderr, run.stderr


@pytest.mark.parametrize("leave", [20_000, 30_000, 45_000])
def test_a_disk_filling_up_while_a_sheet_is_written_says_only_the_chinese_sentence(
    sample_files: dict[str, Path], tmp_path: Path, leave: int
) -> None:
    """The sample workbook's sheets are written to temporary files first: with room for some
    of them the disk fills up in the middle of a sheet."""
    with small_disk(tmp_path / "盘", 1024 * 1024) as disk:
        source = disk / "报表.xlsx"
        source.write_bytes(sample_files["workbook"].read_bytes())
        _fill(disk, leave)
        before, digest = listing(disk), sha256(source)
        run = tongji("rank", str(source), "-s", "2026Q3", "-o", str(disk / "排名.xlsx"), env={})
        refused(run, "磁盘空间不足", "原文件未改动")
        assert sha256(source) == digest and listing(disk) == before
        for english in ("Exception ignored", "Traceback", "SerialisationError", "I/O operation"):
            assert english not in run.stderr, run.stderr


@pytest.mark.parametrize("command", [["rank", "--in-place"], ["rank"], ["export-values"]])
def test_a_read_only_disk_is_named(tmp_path: Path, command: list[str]) -> None:
    with small_disk(tmp_path / "盘", 256 * 1024) as disk:
        source = small_book(disk / "报表.xlsx")
        make_read_only(disk)
        digest = sha256(source)
        run = tongji(command[0], str(source), *command[1:])
        refused(run, "只读", "请用 -o 另存到可写的文件夹")
        assert sha256(source) == digest and listing(disk) == ["报表.xlsx"]


def test_a_file_the_system_will_not_replace_is_named_as_open_in_excel(tmp_path: Path) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    out = small_book(tmp_path / "结果.xlsx")
    digest, out_digest = sha256(source), sha256(out)
    with refused_replacement(source), refused_replacement(out):
        for args in (["--in-place"], ["-o", str(out)]):
            run = tongji("rank", str(source), *args)
            refused(run, "文件可能正在 Excel 中打开，请关闭后重试")
            assert sha256(source) == digest and sha256(out) == out_digest
            assert listing(tmp_path) == ["报表.xlsx", "结果.xlsx"]  # the backup taken back


# --- Excel's owner file, two runs at once -----------------------------------------------------


def test_a_workbook_open_in_excel_is_not_changed(tmp_path: Path) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    (tmp_path / "~$报表.xlsx").write_bytes(excel_owner_file("张三"))
    digest = sha256(source)
    run = tongji("rank", str(source), "--in-place")
    refused(run, "「报表.xlsx」正在由 张三 在 Excel 中打开", "~$报表.xlsx")
    assert sha256(source) == digest and listing(tmp_path) == ["~$报表.xlsx", "报表.xlsx"]
    out = small_book(tmp_path / "结果.xlsx")
    (tmp_path / "~$结果.xlsx").write_bytes(excel_owner_file("李四", length_prefix=False))
    refused(tongji("rank", str(source), "-o", str(out)), "「结果.xlsx」正在由 李四 在 Excel 中打开")
    saved = tongji("rank", str(source))  # reading a workbook open in Excel is fine
    assert saved.returncode == 0 and ranked(tmp_path / "报表_2026Q3排名.xlsx")


_PAUSED = """
import sys, time
from pathlib import Path
import workbooks.file_host as host

ready, go = Path(sys.argv[1]), Path(sys.argv[2])
save = host.FileBook.save

def paused(self, out):
    ready.touch()
    while not go.exists():
        time.sleep(0.05)
    return save(self, out)

host.FileBook.save = paused
sys.argv = ["tongji", *sys.argv[3:]]
from tongji.cli import main
main()
"""


def start_until(script: str, ready: Path, *args: str, env: dict[str, str] | None = None):
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(ready), *args],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "400", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    deadline = time.monotonic() + 120
    while not ready.exists():
        if child.poll() is not None:
            pytest.fail(f"the first run ended early: {child.communicate()}")
        assert time.monotonic() < deadline, "the first run never got ready"
        time.sleep(0.05)
    return child


def test_two_in_place_runs_at_once_lose_no_update(fresh: dict[str, Path], tmp_path: Path) -> None:
    source = fresh["workbook"]
    ready, go = tmp_path / "ready", tmp_path / "go"
    first = start_until(  # refreshes in place, paused just before it saves
        _PAUSED, ready, str(go), "refresh", str(source), "-d", str(fresh["csv"]), "--in-place"
    )
    second = tongji("rank", str(source), "-s", "2026Q3", "--in-place")
    refused(second, "正在被另一个统计助手命令修改", f"进程{first.pid}")
    go.touch()
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert "2026Q4" in openpyxl.load_workbook(source).sheetnames  # the first run's update
    again = tongji("rank", str(source), "-s", "2026Q3", "--in-place")
    assert again.returncode == 0, again.stderr
    assert "2026Q4" in openpyxl.load_workbook(source).sheetnames  # still there
    names = listing(source.parent)
    assert not [n for n in names if n.startswith(".~tongji-")]
    assert len([n for n in names if ".bak-" in n]) == 2


# --- kill -9 while saving ---------------------------------------------------------------------

_KILLED = """
import io, os, signal, sys, zipfile
stage = sys.argv[1]
if stage == "package":  # while the output's zip is being written next to it
    writestr = zipfile.ZipFile.writestr
    def dying(self, *args, **kwargs):
        if not isinstance(self.fp, io.BytesIO):
            os.kill(os.getpid(), signal.SIGKILL)
        return writestr(self, *args, **kwargs)
    zipfile.ZipFile.writestr = dying
else:  # while openpyxl writes a sheet to its temporary file
    from openpyxl.worksheet import _writer
    _writer.WorksheetWriter.write = lambda self: os.kill(os.getpid(), signal.SIGKILL)
sys.argv = ["tongji", *sys.argv[2:]]
from tongji.cli import main
main()
"""


@pytest.mark.parametrize("stage", ["package", "sheet"])
def test_kill_9_while_saving_leaves_nothing_the_next_run_does_not_clear(
    tmp_path: Path, stage: str
) -> None:
    folder, temp = tmp_path / "报表", tmp_path / "系统临时文件夹"
    folder.mkdir()
    temp.mkdir()
    source = small_book(folder / "报表.xlsx")
    digest = sha256(source)
    killed = subprocess.Popen(
        [sys.executable, "-c", _KILLED, stage, "rank", str(source)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert killed.wait() == -signal.SIGKILL
    debris = [n for n in listing(folder) if n.startswith(".~tongji-")]
    assert any(is_temp(folder / n) and f"-{killed.pid}@" in n for n in debris), debris
    assert listing(temp) == []  # nothing in the system's temporary folder
    run = tongji("rank", str(source), env={"TMPDIR": str(temp)})
    assert run.returncode == 0, run.stderr
    assert listing(folder) == ["报表.xlsx", "报表_2026Q3排名.xlsx"]
    assert sha256(source) == digest and ranked(folder / "报表_2026Q3排名.xlsx")
    assert listing(temp) == []


@pytest.mark.parametrize("command", [["rank"], ["compute"], ["export-values"]])
def test_a_refused_run_leaves_no_new_folder_behind(tmp_path: Path, command: list[str]) -> None:
    bad = tmp_path / "报表.xlsx"
    bad.write_bytes(b"not a workbook at all")
    run = tongji(command[0], str(bad), "-o", str(tmp_path / "新目录" / "子目录" / "结果.xlsx"))
    assert run.returncode == 2, run.stdout
    assert listing(tmp_path) == ["报表.xlsx"]
    # an accepted run makes the folders it was asked for
    good = small_book(tmp_path / "好.xlsx")
    done = tongji(command[0], str(good), "-o", str(tmp_path / "新目录" / "子目录" / "结果.xlsx"))
    assert done.returncode == 0, done.stdout
    assert (tmp_path / "新目录" / "子目录" / "结果.xlsx").is_file()


LOOP_WORDS = ("循环的符号链接", "请改用实际文件的路径")


@pytest.mark.parametrize(
    "command",
    [
        ["rank", "-s", "2026Q3"],
        ["rank", "-s", "2026Q3", "--in-place"],
        ["refresh", "-d", "无此数据.csv"],
        ["compute"],
        ["compute", "--in-place"],
        ["export-values"],
        ["render", "-s", "2026Q3"],
    ],
)
def test_an_input_that_is_a_symbolic_link_loop_is_named(tmp_path: Path, command: list[str]) -> None:
    loop = tmp_path / "报表.xlsx"
    loop.symlink_to("报表.xlsx")
    run = tongji(command[0], str(loop), *command[1:])
    refused(run, *LOOP_WORDS)
    assert listing(tmp_path) == ["报表.xlsx"] and loop.is_symlink()


@pytest.mark.parametrize("command", [["rank", "-s", "2026Q3"], ["compute"], ["export-values"]])
def test_an_output_that_is_a_symbolic_link_loop_is_named(
    tmp_path: Path, command: list[str]
) -> None:
    source = small_book(tmp_path / "报表.xlsx")
    loop = tmp_path / "结果.xlsx"
    loop.symlink_to("结果.xlsx")
    digest = sha256(source)
    run = tongji(command[0], str(source), *command[1:], "-o", str(loop))
    refused(run, *LOOP_WORDS)
    assert sha256(source) == digest and listing(tmp_path) == ["报表.xlsx", "结果.xlsx"]


def test_an_input_that_is_a_dangling_link_names_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "报表.xlsx"
    link.symlink_to("已删除.xlsx")
    refused(tongji("rank", str(link), "-s", "2026Q3"), "找不到文件", "已删除.xlsx")
