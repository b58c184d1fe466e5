"""Which Python the private environment is made from: the one the offline bundle was built for.

The offline bundle (``tongji wheelhouse``) holds wheels for a few Python versions, one folder
per interpreter tag (``cp311`` …), and says so in ``manifest.json`` together with the platform
(``win_amd64``). Wheels of another tag do not install: with only ``cp311`` wheels and
Python 3.12 on the PC, pip fails offline. So the installer runs each candidate interpreter
(the Python bundled next to ``install.bat``, or ``py -3.X`` for each version of the bundle,
then the Python running the installer) and asks it for its version and platform, and takes the
first that matches. When none does, it says in Chinese which Python to install.

A bundled Python (a folder ``python`` next to ``install.bat``) must be a full Python: the
"embeddable" package from python.org has neither ``venv`` nor ``ensurepip`` and cannot make
the private environment. It is copied into the install folder, so the environment (whose
``pyvenv.cfg`` points at its base interpreter) never depends on the folder the installer was
started from.

Standard library only: ``install/install.py`` loads this file by path before tongji is
installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

MANIFEST_FILE = "manifest.json"

#: Printed by a candidate interpreter: major, minor, sysconfig platform, its executable.
PROBE = (
    "import sys, sysconfig; "
    "print(sys.version_info[0], sys.version_info[1], sysconfig.get_platform(), sys.executable, "
    "sep='|')"
)


class PythonProblem(RuntimeError):
    """No suitable Python, or an unusable bundle or bundled Python (Chinese message)."""


@dataclass(frozen=True)
class FoundPython:
    """An interpreter that answered the probe."""

    command: tuple[str, ...]  # how to start it, e.g. ("py", "-3.11")
    version: str  # "3.11"
    platform: str  # wheel platform tag: "win_amd64", "linux_x86_64" …
    executable: str

    @property
    def tag(self) -> str:
        major, minor = self.version.split(".")
        return f"cp{major}{minor}"

    def describe(self) -> str:
        return f"Python {self.version}（{self.platform}）{self.executable}"


@dataclass(frozen=True)
class BundledPython:
    """One entry of ``manifest.json``: a Python version and the folder of its wheels."""

    version: str
    tag: str
    folder: str


@dataclass(frozen=True)
class Bundle:
    """An offline bundle: its folder, the platform of its wheels and its Python versions."""

    root: Path
    platform: str
    pythons: tuple[BundledPython, ...]

    @classmethod
    def read(cls, root: Path) -> Bundle:
        path = root / MANIFEST_FILE
        if not path.is_file():
            raise PythonProblem(
                f"离线安装包 {root} 中没有 {MANIFEST_FILE}（由旧版本生成）：请用 "
                "tongji wheelhouse 重新生成离线安装包。"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            pythons = tuple(
                BundledPython(str(p["version"]), str(p["tag"]), str(p["folder"]))
                for p in data["pythons"]
            )
            platform = str(data["platform"])
        except (ValueError, KeyError, TypeError) as exc:
            raise PythonProblem(f"离线安装包的 {path} 已损坏（{exc}）：请重新生成。") from None
        if not pythons:
            raise PythonProblem(f"离线安装包的 {path} 未列出任何 Python 版本：请重新生成。")
        return cls(root, platform, pythons)

    @property
    def versions(self) -> list[str]:
        return [p.version for p in self.pythons]

    def folder_for(self, found: FoundPython) -> Path | None:
        """The wheel folder for ``found``, or None when the bundle has no wheels for it."""
        if found.platform != self.platform:
            return None
        for python in self.pythons:
            if python.tag == found.tag:
                return self.root / python.folder
        return None

    def needed(self) -> str:
        """The Python this bundle needs, in words: 「64 位 Python 3.11、3.12 或 3.13」."""
        bits = "64 位 " if self.platform.endswith(("amd64", "x86_64")) else ""
        versions = self.versions
        joined = (
            versions[0] if len(versions) == 1 else "、".join(versions[:-1]) + " 或 " + versions[-1]
        )
        return f"{bits}Python {joined}（{self.platform}）"


def wheel_platform(sysconfig_platform: str) -> str:
    """``sysconfig.get_platform()`` as a wheel platform tag: ``win-amd64`` → ``win_amd64``."""
    return sysconfig_platform.replace("-", "_").replace(".", "_")


def probe(command: Sequence[str], timeout: float = 60) -> FoundPython | None:
    """Run ``command -c PROBE``: the interpreter's version and platform, or None when it does
    not start (``py -3.12`` without Python 3.12 exits with an error)."""
    try:
        done = subprocess.run(
            [*command, "-c", PROBE], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return None
    parts = lines[-1].split("|")
    if len(parts) != 4 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    return FoundPython(tuple(command), f"{parts[0]}.{parts[1]}", wheel_platform(parts[2]), parts[3])


def candidates(bundle: Bundle, launcher: str | None) -> list[tuple[str, ...]]:
    """Interpreters to try, in order: ``py -3.X`` for each version of the bundle (when the
    Python launcher is installed), then the Python running the installer."""
    commands: list[tuple[str, ...]] = []
    if launcher:
        commands += [(launcher, f"-{version}") for version in bundle.versions]
    commands.append((sys.executable,))
    return commands


def choose(
    bundle: Bundle,
    commands: Sequence[Sequence[str]],
    run_probe: Callable[[Sequence[str]], FoundPython | None] = probe,
) -> tuple[FoundPython, Path]:
    """The first interpreter the bundle has wheels for, with the folder of those wheels;
    raises :class:`PythonProblem` saying which Python is needed and what was found."""
    found: list[FoundPython] = []
    for command in commands:
        python = run_probe(command)
        if python is None:
            continue
        folder = bundle.folder_for(python)
        if folder is not None:
            return python, folder
        if all(python.executable != f.executable for f in found):
            found.append(python)
    seen = "；".join(f.describe() for f in found) if found else "没有找到任何 Python"
    raise PythonProblem(
        f"离线安装包只适用于 {bundle.needed()}，本机没有合适的 Python（找到：{seen}）。\n"
        f"请安装 {bundle.needed()}（python.org 的 Windows installer (64-bit)，安装时勾选"
        "「py launcher」），然后重新运行 install.bat；或使用附带完整 Python 的安装包。"
    )


# --- A Python bundled next to install.bat ------------------------------------------------------


def bundled_interpreter(folder: Path, windows: bool) -> Path:
    return folder / "python.exe" if windows else folder / "bin" / "python3"


def full_python_problem(folder: Path, windows: bool) -> str | None:
    """Why the Python in ``folder`` cannot make the private environment (Chinese), or None.

    The embeddable package has ``python3XX._pth`` and its library zipped, without ``venv`` and
    ``ensurepip``; a full Python has ``Lib\\venv`` and ``Lib\\ensurepip``."""
    interpreter = bundled_interpreter(folder, windows)
    if not interpreter.is_file():
        return f"随附的 Python 文件夹 {folder} 中没有 {interpreter.name}"
    if windows:
        lib = folder / "Lib"
    else:
        found = sorted((folder / "lib").glob("python3*"))
        lib = found[0] if found else folder / "lib"
    missing = [name for name in ("venv", "ensurepip") if not (lib / name / "__init__.py").is_file()]
    if any(folder.glob("python*._pth")) or missing:
        return (
            f"随附的 {folder} 是「嵌入式」(embeddable) Python，缺少 {'、'.join(missing) or 'venv'}，"
            "无法建立独立的 Python 环境。请换成完整安装的 Python 文件夹"
            "（python.org 的 Windows installer 安装后的整个文件夹，含 Lib\\venv 和 Lib\\ensurepip）。"
        )
    return None


def copy_bundled(folder: Path, destination: Path) -> None:
    """Copy the bundled Python into the install folder (the environment points at the copy)."""
    shutil.copytree(folder, destination, symlinks=True)
