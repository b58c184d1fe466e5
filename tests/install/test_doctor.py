"""tongji doctor on a good and on deliberately broken setups, in temporary home folders."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
import xlwings
from typer.testing import CliRunner

from addin.xlam import build
from install import doctor
from install.locations import Locations
from tongji.cli import app


def home_env(root: Path, user: str = "tongji") -> dict[str, str]:
    profile = root / "Users" / user
    return {
        "USERPROFILE": str(profile),
        "HOME": str(profile),
        "APPDATA": str(profile / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(profile / "AppData" / "Local"),
        "USERNAME": user,
    }


@pytest.fixture
def good_env(tmp_path: Path, built_addin: Path) -> dict[str, str]:
    """The layout the installer leaves: the add-in in XLSTART pointing at this Python, and the
    user conf."""
    env = home_env(tmp_path)
    loc = Locations.from_env(env)
    loc.xlstart.mkdir(parents=True)
    build.build_addin(loc.addin, interpreter=sys.executable)
    loc.user_conf_dir.mkdir(parents=True)
    loc.user_conf.write_text(f'"INTERPRETER_WIN","{sys.executable}"\n"UDF MODULES","udfs.excel"\n')
    return env


def by_name(results: list[doctor.Result]) -> dict[str, doctor.Result]:
    return {r.name: r for r in results}


def test_good_setup_has_no_errors_or_warnings(good_env: dict[str, str]) -> None:
    results = doctor.run_checks(doctor.Setup(env=good_env, windows=False))
    assert [r for r in results if r.status in (doctor.FAIL, doctor.WARN)] == []
    found = by_name(results)
    assert found["加载项"].status == doctor.OK
    assert sys.executable in found["加载项"].detail
    assert found["xlwings DLL"].status == doctor.INFO
    assert "一致" in found["xlwings DLL"].detail
    assert "没有 Excel" in found["Excel"].detail
    assert "全部正常" in doctor.format_report(results)


def test_conf_pointing_at_another_python_is_an_error_with_a_fix(good_env: dict[str, str]) -> None:
    loc = Locations.from_env(good_env)
    build.build_addin(loc.addin, interpreter=r"C:\Python39\pythonw.exe")
    result = doctor.check_addin(doctor.Setup(env=good_env, windows=False))
    assert result.status == doctor.FAIL
    assert r"C:\Python39\pythonw.exe" in result.detail and "不存在" in result.detail
    assert "Interpreter_Win" in result.fix


def test_interpreter_from_user_conf_when_the_addin_has_none(good_env: dict[str, str]) -> None:
    loc = Locations.from_env(good_env)
    build.build_addin(loc.addin)  # no interpreter in the conf sheet
    setup = doctor.Setup(env=good_env, windows=False)
    assert doctor.check_addin(setup).status == doctor.OK
    loc.user_conf.unlink()
    result = doctor.check_addin(setup)
    assert result.status == doctor.FAIL
    assert "INTERPRETER_WIN" in result.fix


def test_addin_built_by_another_xlwings_version_fails_the_dll_check(
    good_env: dict[str, str],
) -> None:
    from addin.xlam import vba_modules
    from addin.xlam.vbaproject import VbaModule, build_vba_project

    loc = Locations.from_env(good_env)
    parts = build.build_parts(sys.executable)
    modules = [
        VbaModule(m.name, m.kind, m.text.replace(xlwings.__version__, "0.30.0"))
        for m in vba_modules.modules()
    ]
    parts[build.VBA_PART] = build_vba_project(modules, "tongji")
    build.write_atomically(loc.addin, parts)
    assert doctor.declared_dll_version(loc.addin) == "0.30.0"
    result = doctor.check_dll(doctor.Setup(env=good_env, windows=False))
    assert result.status == doctor.FAIL
    assert "0.30.0" in result.detail and xlwings.__version__ in result.detail
    assert "build-addin" in result.fix


def test_corrupt_addin_is_reported(good_env: dict[str, str]) -> None:
    Locations.from_env(good_env).addin.write_bytes(b"not a zip")
    result = doctor.check_addin(doctor.Setup(env=good_env, windows=False))
    assert result.status == doctor.FAIL and "损坏" in result.detail


def test_missing_addin_is_an_error_on_windows_only(tmp_path: Path) -> None:
    env = home_env(tmp_path)
    on_windows = doctor.check_addin(doctor.Setup(env=env, windows=True))
    assert on_windows.status == doctor.FAIL and "install.bat" in on_windows.fix
    elsewhere = doctor.check_addin(doctor.Setup(env=env, windows=False))
    assert elsewhere.status == doctor.INFO


def test_chinese_user_name_is_warned_about(tmp_path: Path) -> None:
    env = home_env(tmp_path, user="张三")
    result = doctor.check_paths(doctor.Setup(env=env, windows=False))
    assert result.status == doctor.WARN
    assert "张三" in result.detail and "--target C:\\tongji" in result.fix


@pytest.mark.parametrize(
    ("version", "status"),
    [((3, 9, 18), doctor.FAIL), ((3, 10, 0), doctor.OK), ((3, 12, 1), doctor.OK)],
)
def test_python_version(version: tuple[int, int, int], status: str) -> None:
    assert doctor.check_python(doctor.Setup(version_info=version, windows=False)).status == status


def test_unimportable_udf_module_is_an_error() -> None:
    result = doctor.check_udf_module(doctor.Setup(udf_module="udfs.no_such_module", windows=False))
    assert result.status == doctor.FAIL and "udfs.no_such_module" in result.detail
    ok = doctor.check_udf_module(doctor.Setup(windows=False))
    from udfs.catalog import CATALOG

    assert ok.status == doctor.OK and f"含 {len(CATALOG)} 个 TJ_ 函数" in ok.detail


def test_every_failure_in_the_report_comes_with_a_fix(tmp_path: Path) -> None:
    env = home_env(tmp_path, user="张三")
    results = doctor.run_checks(
        doctor.Setup(env=env, windows=True, version_info=(3, 9, 0), udf_module="nope")
    )
    report = doctor.format_report(results)
    assert all(r.fix for r in results if r.status in (doctor.FAIL, doctor.WARN))
    assert report.count("\n       解决办法：") == sum(bool(r.fix) for r in results)
    summary = doctor.ribbon_summary(results)
    assert len(summary) < 1100 and "解决办法" in summary


def test_cli_exit_code_follows_the_checks(good_env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(app, ["doctor"], env=good_env)
    assert good.exit_code == 0, good.output
    loc = Locations.from_env(good_env)
    build.build_addin(loc.addin, interpreter=str(tmp_path / "missing" / "pythonw.exe"))
    broken = runner.invoke(app, ["doctor"], env=good_env)
    assert broken.exit_code == 1
    assert "[错误] 加载项" in broken.output


def test_conf_sheet_reader_reads_xlwings_template_shared_strings() -> None:
    conf = build.read_conf_sheet(build.template_path())
    assert {"INTERPRETER_WIN", "UDF MODULES", "SHOW CONSOLE"} <= set(conf)
    with zipfile.ZipFile(build.template_path()) as template:
        assert b"Show Console" in template.read("xl/sharedStrings.xml")
