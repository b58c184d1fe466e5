"""The command's error boundary: the user's mistakes are named in Chinese (exit 2, nothing
changed); a fault of the program is called one (「内部错误」, exit 1) with its traceback logged."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.child_process import run_tongji
from tongji.cli import app
from tongji.console import guarded, log_folder

runner = CliRunner()


def tongji(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """``python -m tongji …`` in a fresh process, as a user runs it."""
    return run_tongji(*args, env={"XDG_CACHE_HOME": str(cache)})


def test_an_unknown_sheet_is_named_and_the_file_is_untouched(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    source = fresh["workbook"]
    original = source.read_bytes()
    before = sorted(source.parent.iterdir())
    run = tongji("rank", str(source), "-s", "2025Q9", "--in-place", cache=tmp_path / "cache")
    assert run.returncode == 2, run.stderr
    message = " ".join(run.stderr.split())
    assert "找不到工作表「2025Q9」" in message and "2026Q3" in message  # and lists those it has
    assert "内部错误" not in message and "Traceback" not in message
    assert source.read_bytes() == original
    assert sorted(source.parent.iterdir()) == before  # no backup, no temporary file
    assert not (tmp_path / "cache").exists()  # a user error writes no log


def _explode(path: Path) -> None:
    raise RuntimeError(f"unexpected state while reading {path}")


def _lookup(name: str) -> None:
    {"2026Q3": 1}[name]  # a bug that once read as 「找不到工作表」


def _boundary_app() -> typer.Typer:
    probe = typer.Typer()

    @probe.callback()
    def root() -> None:
        """Two commands with a bug."""

    probe.command("explode")(guarded(_explode))
    probe.command("lookup")(guarded(_lookup))
    return probe


@pytest.mark.parametrize(
    ("args", "kind", "where"),
    [
        (["explode", "表.xlsx"], "RuntimeError", "_explode"),
        (["lookup", "2025Q9"], "KeyError", "_lookup"),
    ],
)
def test_a_program_fault_is_an_internal_error_with_its_traceback_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], kind: str, where: str
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    result = runner.invoke(_boundary_app(), args, env={"COLUMNS": "300"})
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "内部错误" in output and "internal error" in output and kind in output
    assert "找不到工作表" not in output
    (log,) = log_folder().iterdir()
    assert log.parent == tmp_path / "tongji" / "logs"
    assert str(log) in result.output.replace("\n", "")
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert f"in {where}" in text and kind in text


def test_the_boundary_leaves_typer_exits_and_usage_errors_alone(fresh: dict[str, Path]) -> None:
    result = runner.invoke(app, ["rank", str(fresh["workbook"]), "--at", "第25行"])
    assert result.exit_code == 2
    assert "不是单元格地址" in result.output and "内部错误" not in result.output


def test_a_bad_period_is_a_user_error(fresh: dict[str, Path]) -> None:
    result = runner.invoke(
        app, ["refresh", str(fresh["workbook"]), "--data", str(fresh["csv"]), "-p", "2026Q5"]
    )
    assert result.exit_code == 2
    assert "内部错误" not in result.output
