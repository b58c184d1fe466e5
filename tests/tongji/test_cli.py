"""The `tongji` command's front: help in Chinese and English, the function list."""

import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from tongji.cli import COMMANDS, app
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


# --- help, version and command-line mistakes ---------------------------------------------------

PLACEHOLDER = re.compile(r"<[a-z][\w\[\], |]*>|\{[a-z_]+\}")


def _commands():
    return get_command(app).commands


def test_version_names_the_package_version():
    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    project = {"version": re.search(r'^version = "(.+)"', pyproject.read_text(), re.M).group(1)}
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0
        assert result.stdout.startswith(f"统计助手 (tongji) {project['version']}")


def test_a_missing_argument_is_named_in_chinese():
    result = runner.invoke(app, ["rank"])
    assert result.exit_code == 2
    assert "缺少参数 FILE" in result.stderr
    assert "Missing" not in result.output and "tongji rank --help" in result.stderr
    result = runner.invoke(app, ["refresh", "表.xlsx"])
    assert result.exit_code == 2 and "缺少选项 --data" in result.stderr


def test_other_mistakes_are_explained_in_chinese():
    cases = [
        (["rnak", "表.xlsx"], "没有命令「rnak」。您是不是要用「rank」？"),
        (["rank", "表.xlsx", "--sheat", "2026Q3"], "没有选项 --sheat，您是不是要用 --sheet"),
        (["rank", "表.xlsx", "-d", "两位"], "--decimals 的值无效：须为整数"),
        (["rank", "表.xlsx", "-s"], "选项 -s 后面需要一个值"),
        (["rank", "表 1.xlsx", "多余"], "多余的参数：多余"),
        (["rank", "表.xlsx", "--at", "第25行"], "错误 / Error: 「第25行」不是单元格地址"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert message in result.stderr, result.stderr
        assert result.stdout == ""


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_command_help_has_no_placeholders_and_every_description_whole(name):
    result = runner.invoke(app, [name, "--help"], terminal_width=80)
    assert result.exit_code == 0
    text = result.stdout
    assert text.splitlines()[0].startswith(f"用法 / Usage: tongji {name} ")
    assert not PLACEHOLDER.search(text), PLACEHOLDER.search(text)
    for param in _commands()[name].params:
        if param.help:
            assert param.help in text  # on one line, never cut at the terminal's width
    assert "Show this message" not in text


def test_main_help_lists_the_everyday_commands_first_and_whole():
    result = runner.invoke(app, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("用法 / Usage: tongji")
    listed = [
        line.split()[0]
        for line in lines[lines.index("命令 / Commands:") + 1 :]
        if line.startswith("  ") and line.split()[0] in _commands()
    ]
    assert listed[:3] == ["demo", "rank", "refresh"]
    assert sorted(listed) == sorted(name for name, _ in COMMANDS)
    for name, command in _commands().items():
        first = " ".join(command.help.split("\n\n")[0].split())
        assert first in result.stdout, name  # never cut with "..."
    assert "..." not in result.stdout.replace("[参数 / ARGS]...", "")
    assert "--version" in result.stdout


def test_no_arguments_shows_the_help():
    result = runner.invoke(app, [])
    assert result.exit_code == 0 and "命令 / Commands:" in result.stdout


def test_commands_print_no_blank_first_line(tmp_path):
    result = runner.invoke(app, ["demo", str(tmp_path / "示例")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].strip()


def test_render_writes_the_pdf_next_to_the_workbook_by_default(tmp_path):
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    from tests.workbooks.compute_fixtures import build

    source = build(tmp_path / "对比.xlsx")
    result = runner.invoke(app, ["render", str(source), "-s", "对比"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "对比.pdf").stat().st_size > 1000
    text = " ".join(result.stdout.split())
    assert f"已生成 {tmp_path / '对比.pdf'}" in text and "共 1 页：A4 横向" in text
