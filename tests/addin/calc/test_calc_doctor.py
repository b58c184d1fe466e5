"""tongji doctor's LibreOffice section on this machine's LibreOffice and on profiles with the
extension installed, out of date, or without its Basic wrappers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from install import doctor
from udfs.catalog import CATALOG


def setup_for(home: Path, path: str | None = None) -> doctor.Setup:
    env = {"HOME": str(home), "PATH": path if path is not None else os.environ.get("PATH", "")}
    return doctor.Setup(env=env, windows=False)


def fake_extension(home: Path, names: tuple[str, ...], basic: bool) -> Path:
    user = home / ".config" / "libreoffice" / "4" / "user"
    pythonpath = user / "uno_packages/cache/uno_packages/lu1.tmp_/tongji.oxt/pythonpath"
    pythonpath.mkdir(parents=True)
    (pythonpath / "tongji_calc_parts.py").write_text(f"NAMES = {names!r}\n", encoding="utf-8")
    if basic:
        (user / "basic" / "Standard").mkdir(parents=True)
        (user / "basic" / "Standard" / "TongjiFunctions.xba").write_text("<module/>")
    return user


def test_a_user_without_the_extension_is_told_how_to_install_it(tmp_path):
    result = doctor.check_calc_extension(setup_for(tmp_path))
    assert result.status == doctor.INFO
    assert "tongji build-calc" in result.fix and "unopkg add" in result.fix


def test_an_extension_of_another_version_is_a_warning_naming_the_missing_function(tmp_path):
    names = tuple(e.name for e in CATALOG if e.name != "TJ_SHARE")
    fake_extension(tmp_path, names, basic=True)
    result = doctor.check_calc_extension(setup_for(tmp_path))
    assert result.status == doctor.WARN
    assert "TJ_SHARE" in result.detail and "build-calc" in result.fix


def test_an_extension_before_the_first_restart_asks_for_one(tmp_path):
    fake_extension(tmp_path, tuple(e.name for e in CATALOG), basic=False)
    result = doctor.check_calc_extension(setup_for(tmp_path))
    assert result.status == doctor.WARN and "重新启动" in result.fix


def test_libreoffice_without_python_support_is_an_error_with_the_apt_packages(tmp_path):
    program = tmp_path / "program"
    program.mkdir()
    (program / "versionrc").write_text("[Version]\nUpdateID=LibreOffice_7_zh-CN\nbuildid=1\n")
    soffice = program / "soffice"
    soffice.write_text("#!/bin/sh\n")
    soffice.chmod(0o755)
    result = doctor.check_libreoffice(setup_for(tmp_path, path=str(program)))
    assert result.status == doctor.FAIL
    assert "python3-uno" in result.fix


def test_this_machines_libreoffice(soffice):
    result = doctor.check_libreoffice(doctor.Setup(windows=sys.platform.startswith("win")))
    assert result.status in (doctor.OK, doctor.FAIL, doctor.WARN)
    assert "LibreOffice" in result.detail


def test_the_installed_extension_in_a_real_profile(calc, tmp_path):
    """The profile of the test LibreOffice, after install and a restart: everything in place."""
    config = tmp_path / ".config" / "libreoffice"
    config.mkdir(parents=True)
    (config / "4").symlink_to(calc.profile.resolve())
    result = doctor.check_calc_extension(setup_for(tmp_path))
    assert result.status == doctor.OK, result
    assert f"{len(CATALOG)} 个 TJ_ 函数" in result.detail


def fake_windows_libreoffice(root: Path, python_script: str) -> dict[str, str]:
    """A LibreOffice folder as the Windows installer lays it out, its ``python.exe`` a script
    answering like LibreOffice's own Python does."""
    program = root / "Program Files" / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "version.ini").write_text("[Version]\nUpdateID=LibreOffice_7_zh-CN\nbuildid=2\n")
    python = program / "python.exe"
    python.write_text("#!/bin/sh\n" + python_script)
    python.chmod(0o755)
    return {"ProgramFiles": str(root / "Program Files"), "PATH": "", "APPDATA": str(root)}


def test_windows_libreoffice_python_too_old_for_the_kernels(tmp_path):
    env = fake_windows_libreoffice(tmp_path, "echo 3.8\n")
    result = doctor.check_libreoffice(doctor.Setup(env=env, windows=True))
    assert result.status == doctor.WARN
    assert "3.8" in result.detail and "3.10" in result.detail
    assert "tongji compute" in result.fix


def test_windows_libreoffice_python_without_numpy(tmp_path):
    script = "echo 3.11\necho \"ModuleNotFoundError: No module named 'numpy'\" >&2\nexit 1\n"
    env = fake_windows_libreoffice(tmp_path, script)
    result = doctor.check_libreoffice(doctor.Setup(env=env, windows=True))
    assert result.status == doctor.WARN
    assert "NumPy" in result.detail and "numpy" in result.detail
