"""tongji wheelhouse: the pip commands that fetch the offline bundle for Windows."""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from install import wheelhouse
from tongji.cli import app


def test_download_command_fetches_64_bit_windows_wheels_only(tmp_path: Path) -> None:
    command = wheelhouse.download_command(tmp_path, tmp_path / "req.txt", "3.11", python="py")
    assert command[:4] == ["py", "-m", "pip", "download"]

    def value(flag: str) -> str:
        return command[command.index(flag) + 1]

    assert value("--platform") == "win_amd64"
    assert value("--python-version") == "3.11"
    assert value("--implementation") == "cp"
    assert value("--dest") == str(tmp_path)
    assert value("-r") == str(tmp_path / "req.txt")
    assert "--only-binary=:all:" in command and "--no-deps" in command


def test_pins_are_the_tested_versions_plus_windows_only_packages() -> None:
    lines = wheelhouse.requirement_lines(wheelhouse.pinned_dependencies())
    assert f"xlwings=={metadata.version('xlwings')}" in lines
    assert f"numpy=={metadata.version('numpy')}" in lines
    assert "pywin32" in lines and "colorama" in lines
    assert not any(line.startswith("tongji") for line in lines)
    assert not any(line.startswith(("pytest", "ruff", "oletools")) for line in lines)  # extras


def test_dry_run_prints_the_commands_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "wh"
    result = CliRunner().invoke(app, ["wheelhouse", "-o", str(out), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "--platform win_amd64" in result.output
    assert "pip wheel --no-deps" in result.output
    assert not out.exists()


@pytest.mark.skipif(
    not os.environ.get("TONGJI_SLOW_TESTS"), reason="slow: set TONGJI_SLOW_TESTS=1 (downloads)"
)
def test_real_download(tmp_path: Path) -> None:
    assert wheelhouse.build(tmp_path, echo=print) == 0
    names = {p.name.split("-")[0].lower() for p in tmp_path.glob("*.whl")}
    assert {"tongji", "xlwings", "pywin32", "numpy"} <= names
    assert any("win_amd64" in p.name for p in tmp_path.glob("xlwings-*.whl"))
    requirements = (tmp_path / "requirements.txt").read_text()
    assert f"xlwings=={metadata.version('xlwings')}" in requirements
