"""Choosing the Python the offline bundle was built for, with real interpreters answering the
probe: the system python3, this test run's venv, and a stand-in ``py`` launcher script that
starts python3 for ``-3.11`` and fails like the real launcher for any other version."""

from __future__ import annotations

import json
import platform
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.install.test_install_script import home_env, installer, snapshot

pythons = installer._pythons

SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/usr/local/bin")
needs_system_python = pytest.mark.skipif(
    sys.platform.startswith("win") or SYSTEM_PYTHON is None, reason="needs a POSIX python3"
)

#: The wheel platform tag of this machine, written out independently of the code under test.
HERE_PLATFORM = f"{sys.platform}_{platform.machine()}" if sys.platform == "linux" else None


def version_of(python: str) -> str:
    out = subprocess.run(
        [python, "-c", "import sys; print(*sys.version_info[:2], sep='.')"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def write_bundle(root: Path, versions: list[str], platform_tag: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for version in versions:
        tag = "cp" + version.replace(".", "")
        (root / tag).mkdir()
        (root / tag / "requirements.txt").write_text("tongji==0\n")
        entries.append({"version": version, "tag": tag, "folder": tag})
    manifest = {"platform": platform_tag, "implementation": "cp", "pythons": entries}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def fake_launcher(folder: Path, serves: str, python: str) -> Path:
    """A ``py`` that starts ``python`` for ``-<serves>`` and otherwise exits 103 with the
    real launcher's message."""
    folder.mkdir(parents=True, exist_ok=True)
    launcher = folder / "py"
    launcher.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "-{serves}" ]; then shift; exec "{python}" "$@"; fi\n'
        'echo "No suitable Python runtime found" >&2\nexit 103\n'
    )
    launcher.chmod(launcher.stat().st_mode | stat.S_IEXEC)
    return launcher


@needs_system_python
def test_the_launcher_is_asked_for_each_version_of_the_bundle_and_the_match_is_taken(
    tmp_path: Path,
) -> None:
    served = version_of(SYSTEM_PYTHON)
    other = "3.99"
    bundle = pythons.Bundle.read(write_bundle(tmp_path / "wh", [other, served], HERE_PLATFORM))
    launcher = fake_launcher(tmp_path / "bin", served, SYSTEM_PYTHON)
    commands = pythons.candidates(bundle, str(launcher))
    assert commands[:2] == [(str(launcher), f"-{other}"), (str(launcher), f"-{served}")]
    found, folder = pythons.choose(bundle, commands)
    assert found.command == (str(launcher), f"-{served}")
    assert found.version == served and found.platform == HERE_PLATFORM
    assert Path(found.executable).resolve() == Path(SYSTEM_PYTHON).resolve()
    assert folder == tmp_path / "wh" / ("cp" + served.replace(".", ""))


@needs_system_python
def test_with_two_pythons_of_another_version_the_message_says_which_python_is_needed(
    tmp_path: Path,
) -> None:
    bundle = pythons.Bundle.read(write_bundle(tmp_path / "wh", ["3.98", "3.99"], HERE_PLATFORM))
    with pytest.raises(pythons.PythonProblem) as raised:
        pythons.choose(bundle, [(SYSTEM_PYTHON,), (sys.executable,)])
    message = str(raised.value)
    assert "离线安装包只适用于 64 位 Python 3.98 或 3.99" in message
    assert message.count(f"Python {version_of(SYSTEM_PYTHON)}（{HERE_PLATFORM}）") == 2
    assert sys.executable in message  # both interpreters found are named
    assert "py launcher" in message and "install.bat" in message


@needs_system_python
def test_a_python_of_the_right_version_but_another_platform_does_not_match(
    tmp_path: Path,
) -> None:
    served = version_of(SYSTEM_PYTHON)
    bundle = pythons.Bundle.read(write_bundle(tmp_path / "wh", [served], "win_amd64"))
    with pytest.raises(pythons.PythonProblem, match="win_amd64"):
        pythons.choose(bundle, [(SYSTEM_PYTHON,)])


def test_a_bundle_without_manifest_is_refused_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("tongji==0\n")
    with pytest.raises(pythons.PythonProblem, match="tongji wheelhouse 重新生成"):
        pythons.Bundle.read(tmp_path)


@needs_system_python
def test_install_without_a_matching_python_changes_nothing(tmp_path: Path) -> None:
    env = home_env(tmp_path / "home")
    loc = installer.Locations.from_env(env)
    wheelhouse = write_bundle(tmp_path / "wh", ["3.99"], HERE_PLATFORM)
    before = snapshot(tmp_path)
    commands: list[list[str]] = []
    with pytest.raises(installer.InstallError, match=r"Python 3\.99"):
        installer.install(
            loc,
            tmp_path / "home" / "target",
            wheelhouse,
            run=lambda c: commands.append(list(c)) or 0,
            echo=lambda _: None,
            windows=False,
            pythons=[(SYSTEM_PYTHON,)],
        )
    assert commands == []
    assert snapshot(tmp_path) == before


@needs_system_python
def test_the_environment_is_made_with_the_chosen_python_and_its_wheels(tmp_path: Path) -> None:
    served = version_of(SYSTEM_PYTHON)
    wheelhouse = write_bundle(tmp_path / "wh", ["3.99", served], HERE_PLATFORM)
    launcher = fake_launcher(tmp_path / "bin", served, SYSTEM_PYTHON)
    bundle = pythons.Bundle.read(wheelhouse)
    messages: list[str] = []
    command, folder = installer.choose_python(
        wheelhouse, None, False, messages.append, pythons.candidates(bundle, str(launcher))
    )
    commands: list[list[str]] = []
    loc = installer.Locations.from_env(home_env(tmp_path / "home"))
    steps = installer.Installer(loc, tmp_path / "tj", lambda c: commands.append(list(c)) or 0)
    python = steps.create_environment(command)
    assert commands == [[str(launcher), f"-{served}", "-m", "venv", str(tmp_path / "tj" / "venv")]]
    pip = installer.pip_install_command(python, folder, None)
    tag = "cp" + served.replace(".", "")
    assert pip[pip.index("-r") + 1] == str(wheelhouse / tag / "requirements.txt")
    assert pip[pip.index("--find-links") + 1] == str(wheelhouse / tag)
    assert any(f"Python {served}" in m and tag in m for m in messages)


# --- A Python bundled next to install.bat ------------------------------------------------------


def embeddable(folder: Path) -> Path:
    """The layout of python.org's embeddable package: no Lib\\venv, no Lib\\ensurepip."""
    folder.mkdir(parents=True)
    for name in ("python.exe", "pythonw.exe", "python311._pth", "python311.zip", "python311.dll"):
        (folder / name).write_bytes(b"")
    return folder


def full(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "python.exe").write_bytes(b"")
    for package in ("venv", "ensurepip", "json"):
        (folder / "Lib" / package).mkdir(parents=True)
        (folder / "Lib" / package / "__init__.py").write_text("")
    return folder


def test_an_embeddable_python_is_refused_and_a_full_one_accepted(tmp_path: Path) -> None:
    problem = pythons.full_python_problem(embeddable(tmp_path / "emb"), windows=True)
    assert problem is not None and "嵌入式" in problem and "venv、ensurepip" in problem
    assert pythons.full_python_problem(full(tmp_path / "full"), windows=True) is None
    missing = pythons.full_python_problem(tmp_path / "nothing", windows=True)
    assert missing is not None and "python.exe" in missing


def test_install_with_an_embeddable_python_changes_nothing(tmp_path: Path) -> None:
    loc = installer.Locations.from_env(home_env(tmp_path / "home"))
    bundled = embeddable(tmp_path / "usb" / "python")
    before = snapshot(tmp_path)
    with pytest.raises(installer.InstallError, match="嵌入式"):
        installer.install(
            loc, tmp_path / "home" / "tj", None, echo=lambda _: None, windows=True, bundled=bundled
        )
    assert snapshot(tmp_path) == before


def test_a_bundled_python_is_copied_into_the_install_folder_and_removed_on_uninstall(
    tmp_path: Path,
) -> None:
    loc = installer.Locations.from_env(home_env(tmp_path / "home"))
    bundled = full(tmp_path / "Zhang San" / "usb" / "python")
    commands: list[list[str]] = []
    target = tmp_path / "home" / "tj"
    steps = installer.Installer(loc, target, lambda c: commands.append(list(c)) or 0, windows=True)
    base = steps.copy_bundled_python(bundled)
    assert base == target / "python" / "python.exe" and base.is_file()
    assert (target / "python" / "Lib" / "venv" / "__init__.py").is_file()
    steps.create_environment(base)
    assert commands == [[str(base), "-m", "venv", str(target / "venv")]]  # the copy, not the USB
    steps.save_manifest()
    assert installer.uninstall(loc, echo=lambda _: None, images=[])
    assert not target.exists()
    assert (bundled / "python.exe").is_file()  # the source folder is left alone


def test_install_bat_quotes_every_path() -> None:
    """A user folder with a space (C:\\Users\\Zhang San): every use of the script's folder and
    of the interpreter found is inside quotes."""
    text = (installer.HERE / "install.bat").read_bytes().decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        if line.lstrip().lower().startswith(("rem", "echo")):
            continue
        for match in ("%HERE%", "%PYEXE%"):
            start = line.find(match)
            while start != -1:
                before = line[:start]
                assert before.count('"') % 2 == 1, line  # opened quote before the variable
                start = line.find(match, start + 1)
    run = [line for line in text.split("\r\n") if "install.py" in line and "%PYEXE%" in line]
    assert run == ['"%PYEXE%" %PYARG% "%HERE%install.py" %ARGS%']
