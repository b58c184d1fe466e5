"""tongji wheelhouse: the pip commands that fetch the offline bundle for Windows."""

from __future__ import annotations

import json
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
    # by default every Python version bureaus have, each into the folder of its tag
    for version, tag in (
        ("3.10", "cp310"),
        ("3.11", "cp311"),
        ("3.12", "cp312"),
        ("3.13", "cp313"),
    ):
        assert f"--dest {out / tag} " in result.output
        assert f"--python-version {version} " in result.output
    assert not out.exists()


def test_one_version_can_be_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "wh"
    result = CliRunner().invoke(
        app, ["wheelhouse", "-o", str(out), "--dry-run", "--python-version", "3.12"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("pip download") == 1 and f"--dest {out / 'cp312'} " in result.output


def test_the_installer_reads_the_manifest_the_wheelhouse_writes(tmp_path: Path) -> None:
    """Writer (tongji wheelhouse) and reader (install.py, standard library only) agree."""
    from tests.install.test_install_script import installer

    data = wheelhouse.manifest(["3.11", "3.12"], "1.2.3")
    (tmp_path / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    bundle = installer._pythons.Bundle.read(tmp_path)
    assert bundle.platform == "win_amd64"
    assert bundle.versions == ["3.11", "3.12"]
    assert [(p.tag, p.folder) for p in bundle.pythons] == [("cp311", "cp311"), ("cp312", "cp312")]
    assert bundle.needed() == "64 位 Python 3.11 或 3.12（win_amd64）"


@pytest.mark.skipif(
    not os.environ.get("TONGJI_SLOW_TESTS"), reason="slow: set TONGJI_SLOW_TESTS=1 (downloads)"
)
def test_real_download(tmp_path: Path) -> None:
    assert wheelhouse.build(tmp_path, python_versions=["3.11", "3.12"], echo=print) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [p["tag"] for p in manifest["pythons"]] == ["cp311", "cp312"]
    folder = tmp_path / "cp312"
    names = {p.name.split("-")[0].lower() for p in folder.glob("*.whl")}
    assert {"tongji", "xlwings", "pywin32", "numpy"} <= names
    assert any("cp312-win_amd64" in p.name for p in folder.glob("numpy-*.whl"))
    requirements = (folder / "requirements.txt").read_text()
    assert f"xlwings=={metadata.version('xlwings')}" in requirements
