"""The three commands as a statistician runs them."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.workbooks.compute_fixtures import build
from tongji.cli import app
from udfs import growth

runner = CliRunner()


def test_compute_reports_counts_and_what_it_could_not_evaluate(tmp_path):
    source = build(tmp_path / "对比.xlsx")
    result = runner.invoke(app, ["compute", str(source), "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 0, result.output
    assert "已计算 127 个公式（其中 TJ_ 公式 76 个）" in result.output
    assert "汇总!B12：函数 OFFSET 暂不支持" in result.output
    sheet = load_workbook(tmp_path / "out.xlsx", data_only=True)["对比"]
    assert sheet["D3"].value == growth(152.31, 140.02)


def test_compute_in_place_says_where_the_backup_is(tmp_path):
    source = build(tmp_path / "对比.xlsx")
    original = source.read_bytes()
    result = runner.invoke(app, ["compute", str(source), "--in-place"])
    assert result.exit_code == 0
    (backup,) = tmp_path.glob("对比.bak-*.xlsx")
    assert backup.read_bytes() == original
    assert backup.name in result.output.replace("\n", "")
    assert source.read_bytes() != original


def test_compute_never_touches_the_input_unless_asked(tmp_path):
    source = build(tmp_path / "对比.xlsx")
    original = source.read_bytes()
    result = runner.invoke(app, ["compute", str(source)])
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == original
    computed = load_workbook(tmp_path / "对比_已计算.xlsx", data_only=True)["对比"]
    assert computed["D3"].value == growth(152.31, 140.02)


def test_export_values_command(tmp_path):
    source = build(tmp_path / "对比.xlsx")
    result = runner.invoke(app, ["export-values", str(source)])
    assert result.exit_code == 0, result.output
    assert "已把 76 个公式换成数值" in result.output
    assert (tmp_path / "对比_数值版.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compute", "不存在.xlsx"], "找不到文件"),
        (["export-values", "表.xls"], "另存为 .xlsx"),
    ],
)
def test_bad_input_gives_a_chinese_message_and_exit_2(tmp_path, args, message):
    if args[1].endswith(".xls"):
        (tmp_path / "表.xls").write_bytes(b"old")
    args = [args[0], str(tmp_path / args[1])]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_render_command(tmp_path):
    source = build(tmp_path / "对比.xlsx")
    result = runner.invoke(
        app, ["render", str(source), "--sheet", "对比", "--pdf", str(tmp_path / "o.pdf")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o.pdf").stat().st_size > 1000
