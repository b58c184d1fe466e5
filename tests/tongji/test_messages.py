"""Messages that point at the fix: the nearest region or sheet name, and what a file that is
not an .xlsx really is (an Excel 97-2003 workbook renamed, an encrypted one, an .xlsx renamed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.xlam.vbaproject.cfb import write_compound_file
from tongji.cli import app

runner = CliRunner()


def _message(result) -> str:
    return "".join(result.stderr.split())


def test_a_mistyped_region_of_the_drop_is_answered_with_the_nearest_name(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    drop = tmp_path / fresh["csv"].name
    text = fresh["csv"].read_text(encoding="utf-8-sig")
    assert text.count("青川县") >= 1
    drop.write_text(text.replace("青川县", "青川"), encoding="utf-8-sig")
    result = runner.invoke(app, ["refresh", str(fresh["workbook"]), "--data", str(drop)])
    assert result.exit_code == 2
    assert "地区「青川」不在工作表" in _message(result)
    assert "是不是「青川县」？" in _message(result)


def test_an_unknown_sheet_gets_the_nearest_name_and_the_list(fresh: dict[str, Path]) -> None:
    result = runner.invoke(app, ["rank", str(fresh["workbook"]), "-s", "2026Q5"])
    assert result.exit_code == 2
    message = _message(result)
    assert "找不到工作表「2026Q5」，是不是「2026Q3」？" in message
    assert "现有：2025Q1、" in message and "2026Q2" in message


OLD_XLS = write_compound_file({"Workbook": b"\x09\x08\x10\x00" + bytes(2048)})
ENCRYPTED = write_compound_file(
    {"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(256), "EncryptedPackage": bytes(4096)}
)
COMMANDS = [["rank"], ["refresh", "--data", "x.csv"], ["compute"], ["export-values"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (
            OLD_XLS,
            "报表.xlsx",
            "这是旧版Excel97-2003工作簿（.xls），只是扩展名被改成了.xlsx；请在Excel/WPS中另存为.xlsx",
        ),
        (OLD_XLS, "报表.xls", "这是旧版Excel97-2003工作簿（.xls）；请在Excel/WPS中另存为.xlsx"),
        (ENCRYPTED, "报表.xlsx", "是设置了打开密码的加密工作簿"),
    ],
    ids=["xls-renamed", "xls", "encrypted"],
)
def test_a_file_that_is_not_an_xlsx_says_what_it_is(tmp_path, command, content, name, expected):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, [command[0], str(path), *command[1:]])
    assert result.exit_code == 2, result.output
    assert expected in _message(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


def test_an_xlsx_named_xls_is_named_as_such(sample_files: dict[str, Path], tmp_path: Path) -> None:
    renamed = Path(shutil.copy(sample_files["workbook"], tmp_path / "报表.xls"))
    for command in (["rank"], ["compute"]):
        result = runner.invoke(app, [command[0], str(renamed)])
        assert result.exit_code == 2
        assert "其实是.xlsx工作簿，只是扩展名写成了.xls" in _message(result)
        assert "「报表.xlsx」" in _message(result)


def test_a_long_message_starts_on_the_error_line(fresh: dict[str, Path]) -> None:
    result = runner.invoke(
        app, ["rank", str(fresh["workbook"]), "-s", "2026Q5"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("错误 / Error: 「") and "找不到工作表「2026Q5」" in first
