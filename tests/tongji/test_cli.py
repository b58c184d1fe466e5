"""The `tongji` command's front: help in Chinese and English, the function list."""

from typer.testing import CliRunner

from tongji.cli import app
from udfs.catalog import CATALOG

runner = CliRunner()


def test_help_is_bilingual():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "统计助手" in result.output and "statistics" in result.output


def test_functions_lists_every_tj_function_with_its_whole_help():
    result = runner.invoke(app, ["functions"])
    assert result.exit_code == 0
    for entry in CATALOG:
        assert entry.signature in result.output
        assert entry.description in result.output  # never cut to a column's width
        for parameter in entry.parameters:
            if parameter.doc:
                assert f"{parameter.name}：{parameter.doc}" in result.output
