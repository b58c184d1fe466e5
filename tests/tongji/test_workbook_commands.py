"""``tongji demo``, ``tongji rank`` and ``tongji refresh`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from tongji.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "160"})


def test_demo_builds_refreshes_ranks_and_summarises(tmp_path: Path) -> None:
    result = invoke("demo", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    out = tmp_path / "demo" / "示例市主要经济指标_2026Q4.xlsx"
    assert out.exists() and str(out) in result.output.replace("\n", "")
    assert "青川县2026年1-12月主要经济指标" in result.output
    assert "地区生产总值" in result.output and "第" in result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-2:] == ["2026Q4", "青川县2026年1-12月"]


def test_rerunning_the_demo_keeps_an_edited_sample_as_a_backup(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    assert invoke("demo", str(folder)).exit_code == 0
    sample = folder / "示例市主要经济指标.xlsx"
    drop = folder / "数据" / "2026年1-12月_联网直报.csv"
    untouched = {p: p.read_bytes() for p in (sample, drop)}
    again = invoke("demo", str(folder))  # nothing edited: nothing backed up, files as they were
    assert again.exit_code == 0, again.output
    assert "备份" not in again.output.replace("原有的结果文件已备份", "")
    assert {p: p.read_bytes() for p in untouched} == untouched
    wb = openpyxl.load_workbook(sample)
    wb.worksheets[0]["A1"] = "我改过的标题"
    wb.save(sample)
    edited = sample.read_bytes()
    third = invoke("demo", str(folder))
    assert third.exit_code == 0, third.output
    (backup,) = [p for p in folder.iterdir() if p.name.startswith("示例市主要经济指标.bak")]
    assert backup.read_bytes() == edited
    assert str(backup) in third.output.replace("\n", "")
    assert openpyxl.load_workbook(sample).worksheets[0]["A1"].value != "我改过的标题"
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary left


def test_refresh_writes_next_to_the_input_and_keeps_it(fresh: dict[str, Path]) -> None:
    source = fresh["workbook"]
    original = source.read_bytes()
    result = invoke("refresh", str(source), "--data", str(fresh["csv"]))
    assert result.exit_code == 0, result.output
    out = source.with_name("示例市主要经济指标_2026Q4.xlsx")
    assert out.exists() and source.read_bytes() == original
    assert "新建 2026Q4：2026Q4、青川县2026年1-12月" in result.output  # as the workbook writes it


def test_in_place_keeps_a_timestamped_backup(fresh: dict[str, Path]) -> None:
    source = fresh["workbook"]
    original = source.read_bytes()
    result = invoke("rank", str(source), "--in-place", "--chart", "地区生产总值")
    assert result.exit_code == 0, result.output
    backups = list(source.parent.glob("示例市主要经济指标.bak-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == original
    assert "排名图" in openpyxl.load_workbook(source).sheetnames
    ranked = source.read_bytes()
    again = invoke("rank", str(source), "--in-place")  # within the same second, most likely
    assert again.exit_code == 0, again.output
    backups = sorted(source.parent.glob("示例市主要经济指标.bak-*.xlsx"))
    assert len(backups) == 2  # the first backup is kept
    assert sorted(b.read_bytes() for b in backups) == sorted([original, ranked])


def test_rank_with_out_and_options(fresh: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "ranked.xlsx"
    result = invoke(
        "rank", str(fresh["workbook"]), "-s", "2026Q2", "-i", "税收收入", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "已排名 1 项指标" in result.output and out.exists()


def test_bad_input_exits_non_zero_with_a_chinese_message(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    cases = [
        (("rank", str(tmp_path / "无此文件.xlsx")), "找不到文件"),
        (("rank", str(fresh["csv"])), "只支持 .xlsx / .xlsm"),
        (("rank", str(fresh["workbook"]), "-s", "无此表"), "找不到工作表"),
        (("rank", str(fresh["workbook"]), "-i", "无此指标"), "没有指标"),
        (("refresh", str(fresh["workbook"]), "--data", str(fresh["duplicate_row"])), "重复"),
        (
            ("refresh", str(fresh["workbook"]), "--data", str(fresh["csv"]), "-p", "第十三季度"),
            "无法识别的期别",
        ),
        (
            (
                "refresh",
                str(fresh["workbook"]),
                "--data",
                str(fresh["csv"]),
                "-o",
                str(fresh["workbook"]),
            ),
            "--in-place",
        ),
    ]
    for args, text in cases:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert text in " ".join(result.output.split()), (args, result.output)


def test_help_is_chinese_and_english() -> None:
    for command in ("demo", "rank", "refresh"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        text = result.output
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
        assert any(word in text for word in ("Rank", "Roll", "Build"))


def test_xlsm_keeps_its_vba_project(tmp_path: Path) -> None:
    import zipfile

    import xlwings

    template = Path(xlwings.__file__).with_name("quickstart.xlsm")
    wb = openpyxl.load_workbook(template, keep_vba=True)
    ws = wb.create_sheet("2026Q3")
    for row in [["县区", "GDP增长(%)"], ["全市", 5.0], ["甲县", 6.0], ["乙县", 4.0]]:
        ws.append(row)
    source = tmp_path / "带宏.xlsm"
    wb.save(source)
    vba = zipfile.ZipFile(source).read("xl/vbaProject.bin")
    refused = invoke("rank", str(source), "-o", str(tmp_path / "结果.xlsx"))
    assert refused.exit_code == 2  # a macro workbook stays one: not renamed behind the user
    assert "扩展名须为 .xlsm" in refused.output and not (tmp_path / "结果.xlsx").exists()
    result = invoke("rank", str(source), "-o", str(tmp_path / "结果.xlsm"))
    assert result.exit_code == 0, result.output
    out = tmp_path / "结果.xlsm"
    assert zipfile.ZipFile(out).read("xl/vbaProject.bin") == vba
    assert openpyxl.load_workbook(out)["2026Q3"]["C3"].value == 1
