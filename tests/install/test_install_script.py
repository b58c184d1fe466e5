"""install/install.py: file layout, conf writing and exact uninstall, in a temporary home."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from addin.xlam import build
from install import doctor, locations

ROOT = Path(__file__).resolve().parents[2]


def load_installer():
    spec = importlib.util.spec_from_file_location("tongji_install", ROOT / "install" / "install.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["tongji_install"] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


installer = load_installer()


def home_env(root: Path, user: str = "tongji") -> dict[str, str]:
    profile = root / "Users" / user
    return {
        "USERPROFILE": str(profile),
        "APPDATA": str(profile / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(profile / "AppData" / "Local"),
        "USERNAME": user,
    }


def snapshot(root: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize(
    "env",
    [
        {"USERPROFILE": "/u/a", "APPDATA": "/x/roaming", "LOCALAPPDATA": "/x/local"},
        {"USERPROFILE": "/u/b"},
        {"HOME": "/home/c"},
    ],
)
def test_the_layout_follows_the_environment(env: dict[str, str]) -> None:
    loc = installer.Locations.from_env(env)
    profile = Path(env.get("USERPROFILE") or env["HOME"])
    roaming = Path(env.get("APPDATA") or profile / "AppData" / "Roaming")
    assert loc.addin == roaming / "Microsoft" / "Excel" / "XLSTART" / "tongji.xlam"
    assert loc.user_conf == profile / ".tongji" / "tongji.conf"
    assert (
        loc.default_target
        == Path(env.get("LOCALAPPDATA") or profile / "AppData" / "Local") / "tongji"
    )
    assert installer.excel_interpreter(Path("C:/t/venv/Scripts/python.exe")).name == "pythonw.exe"
    assert installer.excel_interpreter(Path("/t/venv/bin/python")).name == "python"


def test_offline_install_uses_only_the_wheelhouse(tmp_path: Path) -> None:
    python = Path("C:/tongji/venv/Scripts/python.exe")
    command = installer.pip_install_command(python, tmp_path / "wheelhouse", None)
    assert command[:4] == [str(python), "-m", "pip", "install"]
    assert "--no-index" in command
    assert command[command.index("--find-links") + 1] == str(tmp_path / "wheelhouse")
    assert command[command.index("-r") + 1] == str(tmp_path / "wheelhouse" / "requirements.txt")
    online = installer.pip_install_command(python, None, ROOT)
    assert online == [str(python), "-m", "pip", "install", str(ROOT)]


def test_environment_step_creates_a_venv_and_records_it(tmp_path: Path) -> None:
    commands: list[list[str]] = []
    loc = installer.Locations.from_env(home_env(tmp_path))
    steps = installer.Installer(
        loc, tmp_path / "tj", lambda c: commands.append(list(c)) or 0, windows=True
    )
    python = steps.create_environment(Path("C:/Python311/python.exe"))
    assert python == tmp_path / "tj" / "venv" / "Scripts" / "python.exe"
    assert commands == [["C:/Python311/python.exe", "-m", "venv", str(tmp_path / "tj" / "venv")]]
    assert str(tmp_path / "tj" / "venv") in steps.manifest.created_dirs


def test_install_then_uninstall_leaves_the_home_as_it_was(tmp_path: Path) -> None:
    env = home_env(tmp_path)
    loc = installer.Locations.from_env(env)
    # The user's own files must survive: a personal macro workbook and an earlier conf.
    loc.xlstart.mkdir(parents=True)
    (loc.xlstart / "PERSONAL.XLSB").write_bytes(b"personal macros")
    loc.user_conf_dir.mkdir(parents=True)
    loc.user_conf.write_text('"INTERPRETER_WIN","C:\\old\\pythonw.exe"\n')
    before = snapshot(tmp_path)
    messages: list[str] = []

    manifest = installer.install(
        loc, tmp_path / "target", None, use_venv=False, echo=messages.append, windows=False
    )

    assert loc.addin.is_file()
    conf = build.read_conf_sheet(loc.addin)
    assert conf["INTERPRETER_WIN"] == sys.executable
    assert conf["UDF MODULES"] == "udfs.excel"
    user_conf = locations.read_user_conf(loc.user_conf)
    assert user_conf == {"INTERPRETER_WIN": sys.executable, "UDF MODULES": "udfs.excel"}
    written = loc.user_conf.read_bytes()  # CRLF, as xlwings writes it for VBA's Input #
    assert written.count(b"\r\n") == 2 and written.count(b"\n") == 2
    assert loc.manifest.is_file()
    assert str(loc.user_conf) in manifest.replaced
    text = "\n".join(messages)
    assert "安装完成" in text and str(loc.addin) in text
    # What doctor sees after install (Linux: no DLL, no Excel, but the add-in is right).
    results = doctor.run_checks(doctor.Setup(env=env, windows=False))
    assert [r.name for r in results if r.status in (doctor.FAIL, doctor.WARN)] == []

    assert installer.uninstall(loc, echo=messages.append)
    assert snapshot(tmp_path) == before


def test_uninstall_without_manifest_changes_nothing(tmp_path: Path) -> None:
    loc = installer.Locations.from_env(home_env(tmp_path))
    loc.xlstart.mkdir(parents=True)
    (loc.addin).write_bytes(b"someone else's add-in")
    before = snapshot(tmp_path)
    messages: list[str] = []
    assert installer.uninstall(loc, echo=messages.append) is False
    assert snapshot(tmp_path) == before
    assert "未做任何改动" in messages[0]


def test_script_runs_on_a_bare_python_with_the_standard_library_only(tmp_path: Path) -> None:
    # -I -S: no site-packages, no user site, no PYTHONPATH: only the standard library.
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(ROOT / "install" / "install.py"), "uninstall"],
        capture_output=True,
        text=True,
        env={**os.environ, **home_env(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "没有找到安装记录" in result.stdout


def test_fallback_script_refuses_politely_without_windows() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "install" / "fallback_xlwings.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    if sys.platform.startswith("win"):
        pytest.skip("needs Excel")
    assert result.returncode == 2 and "Windows" in result.stdout


@pytest.mark.skipif(
    not os.environ.get("TONGJI_SLOW_TESTS"), reason="slow: set TONGJI_SLOW_TESTS=1 (creates a venv)"
)
def test_full_install_into_a_private_environment(tmp_path: Path) -> None:
    loc = installer.Locations.from_env(home_env(tmp_path))
    installer.install(loc, tmp_path / "target", None, use_venv=True, windows=False)
    python = tmp_path / "target" / "venv" / "bin" / "python"
    assert python.is_file()
    assert build.read_conf_sheet(loc.addin)["INTERPRETER_WIN"] == str(python)
    installer.uninstall(loc)
    assert not (tmp_path / "target" / "venv").exists()


def test_the_installer_and_the_add_in_agree_on_the_add_in_file_name() -> None:
    """install/locations.py runs before tongji is installed and repeats the add-in's name."""
    import addin
    from install import locations as install_locations

    assert install_locations.PROJECT == addin.PROJECT
    assert install_locations.ADDIN_FILENAME == addin.ADDIN_FILENAME


class MemoryRegistry:
    """HKEY_CURRENT_USER as a dict of keys → values (the installer's registry interface)."""

    def __init__(self, keys: dict[str, dict[str, str]] | None = None) -> None:
        self.keys = {key: dict(values) for key, values in (keys or {}).items()}

    def exists(self, key: str) -> bool:
        return key in self.keys

    def values(self, key: str) -> dict[str, str]:
        return dict(self.keys[key])

    def set(self, key: str, name: str, value: str) -> None:
        self.keys.setdefault(key, {})[name] = value

    def delete(self, key: str, name: str) -> None:
        del self.keys[key][name]


OPTIONS_16 = r"Software\Microsoft\Office\16.0\Excel\Options"
OPTIONS_15 = r"Software\Microsoft\Office\15.0\Excel\Options"


def test_the_add_in_goes_to_the_same_path_on_every_pc_and_excel_opens_it(tmp_path: Path) -> None:
    """Two colleagues (different user names) get the add-in at the same path, registered
    the way Excel's Add-ins dialog registers one; uninstall puts the registry back."""
    drive = tmp_path / "C"
    drive.mkdir()
    paths = []
    for user in ("zhangsan", "lisi"):
        root = tmp_path / user
        env = {**home_env(root, user), "SystemDrive": str(drive)}
        loc = installer.Locations.from_env(env)
        loc.user_profile.mkdir(parents=True)
        other_addin = {"OPEN": r'/R "C:\Program Files\Vendor\tool.xlam"', "Maximized": "2"}
        registry = MemoryRegistry({OPTIONS_16: other_addin, OPTIONS_15: {}})
        before = (snapshot(root), {k: dict(v) for k, v in registry.keys.items()})
        installer.install(
            loc,
            root / "target",
            None,
            use_venv=False,
            echo=lambda _: None,
            windows=False,
            registry=registry,
            images=[],
        )
        shared = drive / "tongji" / "tongji.xlam"
        paths.append(loc.installed_addin)
        assert loc.installed_addin == shared and shared.is_file()
        assert not loc.addin.exists()  # nothing in XLSTART
        assert registry.keys[OPTIONS_16] == {**other_addin, "OPEN1": f'"{shared}"'}
        assert registry.keys[OPTIONS_15] == {"OPEN": f'"{shared}"'}
        # One add-in for every user of the PC: each user's tongji.conf names his Python.
        assert "INTERPRETER_WIN" not in build.read_conf_sheet(shared)
        assert locations.read_user_conf(loc.user_conf)["INTERPRETER_WIN"] == sys.executable
        results = doctor.run_checks(doctor.Setup(env=env, windows=False))
        assert [r.name for r in results if r.status in (doctor.FAIL, doctor.WARN)] == []
        assert installer.uninstall(loc, echo=lambda _: None, images=[], registry=registry)
        assert (snapshot(root), registry.keys) == before
        assert not (drive / "tongji").exists()
    assert paths[0] == paths[1]


def test_an_add_in_excel_already_opens_is_not_registered_twice(tmp_path: Path) -> None:
    loc = installer.Locations.from_env({**home_env(tmp_path), "SystemDrive": str(tmp_path)})
    shared = tmp_path / "tongji" / "tongji.xlam"
    registry = MemoryRegistry({OPTIONS_16: {"OPEN": f'/R "{str(shared).upper()}"'}})
    installer.install(
        loc,
        tmp_path / "target",
        None,
        use_venv=False,
        echo=lambda _: None,
        windows=False,
        registry=registry,
        images=[],
    )
    assert registry.keys[OPTIONS_16] == {"OPEN": f'/R "{str(shared).upper()}"'}
    assert installer.Manifest.load(loc.manifest).registry == []
