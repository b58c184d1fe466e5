"""The `tongji` command's front: help in Chinese and English, the function list."""

from typer.testing import CliRunner

from tongji.cli import app
from udfs.catalog import CATALOG

runner = CliRunner()


def test_help_is_bilingual():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "统计助手" in result.output and "statistics" in result.output


def test_functions_lists_every_tj_function():
    result = runner.invoke(app, ["functions"], terminal_width=200)
    assert result.exit_code == 0
    for entry in CATALOG:
        assert entry.name in result.output
