"""The offline bundle for bureau PCs on an isolated intranet: every Windows wheel tongji needs,
for each Python version bureaus have.

Built on any OS with ``pip download --platform win_amd64 --only-binary=:all:
--python-version 3.X``, once per version, each into its own folder named by the interpreter
tag (``cp310``, ``cp311`` …) with its own pinned ``requirements.txt``. ``manifest.json`` at the
top says which tags and which platform the bundle holds; ``install/install.py`` reads it,
looks for a matching 64-bit Python (``py -3.X``), and installs from that folder with
``pip install --no-index --find-links``. The versions are the ones this environment runs
(the tested set).
pip evaluates environment markers for the machine it runs on, not for the target, so the
Windows-only dependencies (pywin32 for xlwings, colorama for the command line, tzdata for
pandas) are listed explicitly and every download is ``--no-deps``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "tongji"

#: Needed on Windows only, so absent from a Linux environment's dependency closure.
WINDOWS_ONLY = ("pywin32", "colorama", "tzdata")

REQUIREMENTS_FILE = "requirements.txt"
MANIFEST_FILE = "manifest.json"

#: The Windows platform the wheels are for (64-bit Office needs a 64-bit Python).
PLATFORM = "win_amd64"

#: The Python versions the bundle is built for by default (bureau PCs have any of these).
PYTHON_VERSIONS = ("3.10", "3.11", "3.12", "3.13")

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_dependencies(distribution: str = DISTRIBUTION) -> dict[str, str]:
    """``name → version`` of the installed runtime dependency closure of ``distribution``
    (extras left out), the distribution itself excluded."""
    found: dict[str, str] = {}

    def walk(name: str) -> None:
        key = _key(name)
        if key in found:
            return
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return  # a dependency of another platform (e.g. appscript on macOS)
        found[key] = dist.version
        for line in dist.requires or []:
            name_match = _NAME.match(line)
            marker = line.partition(";")[2]
            if name_match is None or re.search(r"\bextra\s*==", marker):
                continue
            walk(name_match.group(0))

    walk(distribution)
    found.pop(_key(distribution), None)
    return dict(sorted(found.items()))


def requirement_lines(pins: dict[str, str]) -> list[str]:
    """Pinned requirements for the target; Windows-only packages not installed here are
    listed by name (pip picks the newest Windows wheel, recorded after download)."""
    lines = [f"{name}=={version}" for name, version in pins.items()]
    lines += [name for name in WINDOWS_ONLY if name not in pins]
    return lines


def download_command(
    out: Path, requirements: Path, python_version: str = "3.11", python: str = sys.executable
) -> list[str]:
    """The ``pip download`` command fetching Windows (64-bit CPython) wheels only."""
    return [
        python,
        "-m",
        "pip",
        "download",
        "--dest",
        str(out),
        "--platform",
        PLATFORM,
        "--only-binary=:all:",
        "--python-version",
        python_version,
        "--implementation",
        "cp",
        "--no-deps",
        "-r",
        str(requirements),
    ]


def project_root() -> Path | None:
    """The source tree of tongji (the folder holding pyproject.toml), when installed from one."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def wheel_command(out: Path, root: Path, python: str = sys.executable) -> list[str]:
    """``pip wheel`` building tongji's own (pure-Python, any-platform) wheel."""
    return [python, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(root)]


def recorded_versions(out: Path) -> dict[str, str]:
    """``name → version`` of the wheels in ``out`` (from their file names)."""
    versions = {}
    for wheel in out.glob("*.whl"):
        name, version = wheel.name.split("-")[:2]
        versions[_key(name)] = version
    return versions


def interpreter_tag(python_version: str) -> str:
    """``"3.11"`` → ``"cp311"``: the CPython tag of wheels and of the bundle's folders."""
    major, minor = python_version.split(".")[:2]
    return f"cp{int(major)}{int(minor)}"


def manifest(python_versions: Sequence[str], tongji_version: str) -> dict[str, object]:
    """What ``manifest.json`` says: the platform, and one entry per Python version with the
    folder (named by its interpreter tag) holding its wheels and ``requirements.txt``."""
    return {
        "tongji": tongji_version,
        "platform": PLATFORM,
        "implementation": "cp",
        "pythons": [
            {"version": v, "tag": interpreter_tag(v), "folder": interpreter_tag(v)}
            for v in python_versions
        ],
    }


def build(
    out: Path,
    python_versions: Sequence[str] = PYTHON_VERSIONS,
    dry_run: bool = False,
    echo: Callable[[str], None] = print,
) -> int:
    """Fill ``out`` with one folder per Python version (``cp311`` …: tongji's wheel, its pinned
    Windows dependencies for that version and a ``requirements.txt`` naming exactly those
    versions) and ``manifest.json`` listing the versions whose wheels could all be fetched
    (a version the tested dependency set has no wheels for is left out and said so). Returns
    0 when at least one version is in the bundle, else pip's exit code."""
    version = metadata.version(DISTRIBUTION)
    built: list[str] = []
    failed = 0
    for python_version in python_versions:
        folder = out / interpreter_tag(python_version)
        code = build_one(folder, python_version, dry_run, echo)
        if code == 0:
            built.append(python_version)
            continue
        failed = code
        echo(
            f"Python {python_version}：下载失败（pip 退出码 {code}）：网络不通，或已测试的依赖版本"
            f"没有该 Python 的 Windows wheel；离线安装包不含 Python {python_version}"
        )
        if not dry_run and folder.is_dir():
            shutil.rmtree(folder)
    if not built:
        return failed
    if not dry_run:
        (out / MANIFEST_FILE).write_text(
            json.dumps(manifest(built, version), indent=2) + "\n", encoding="utf-8"
        )
    echo(f"离线安装包已就绪：{out}（Python {'、'.join(built)}，64 位 Windows）/ wheelhouse ready")
    return 0


def build_one(
    out: Path,
    python_version: str,
    dry_run: bool = False,
    echo: Callable[[str], None] = print,
) -> int:
    """Fill ``out`` with the wheels of one Python version and their ``requirements.txt``."""
    version = metadata.version(DISTRIBUTION)
    dependencies = out / "requirements-dependencies.txt"
    if not dry_run:
        out.mkdir(parents=True, exist_ok=True)
        dependencies.write_text("\n".join(requirement_lines(pinned_dependencies())) + "\n")
    commands = [download_command(out, dependencies, python_version)]
    root = project_root()
    if root is not None:
        commands.insert(0, wheel_command(out, root))
    else:
        echo(
            "找不到 tongji 源码目录，离线包中不含 tongji 本身的 wheel / tongji's own wheel not built"
        )
    for command in commands:
        echo("$ " + " ".join(command))
        if dry_run:
            continue
        code = subprocess.call(command)
        if code != 0:
            echo(f"下载失败（pip 退出码 {code}），请检查网络或代理设置 / pip failed")
            return code
    if dry_run:
        return 0
    versions = recorded_versions(out)
    lines = [f"{DISTRIBUTION}=={version}"] + [
        f"{name}=={versions[name]}" for name in sorted(versions) if name != DISTRIBUTION
    ]
    (out / REQUIREMENTS_FILE).write_text("\n".join(lines) + "\n")
    echo(f"Python {python_version}：{out}（{len(versions)} 个 wheel）")
    return 0
