"""统计助手 一键安装 / one-step installer for a statistician's Windows PC.

Runs on a bare Python (standard library only), started by ``install.bat``:

    python install.py install [--target DIR] [--wheelhouse DIR] [--no-venv]
    python install.py uninstall

install:
  0. checks, before changing anything, that Excel is closed (the add-in in XLSTART and the
     environment's ``pythonw.exe`` cannot be replaced while it runs: :mod:`busy`), and with an
     offline bundle that this PC has a Python the bundle has wheels for (``manifest.json``:
     interpreter tags and platform; ``py -3.X`` is tried for each: :mod:`pythons`);
  1. creates a private Python environment (``--target``, default ``%LOCALAPPDATA%\\tongji``,
     or ``C:\\tongji`` when that path holds Chinese characters: xlwings cannot start Python
     from such a path) — from a full Python bundled next to this script (folder ``python``,
     copied into the install folder first) when there is one;
  2. installs tongji and its pinned dependencies — from the offline wheelhouse next to this
     script (the folder of the chosen Python's tag, e.g. ``wheelhouse\\cp311``, made by
     ``tongji wheelhouse``) with ``pip --no-index --find-links`` when present, otherwise from
     the tongji source folder;
  3. builds the add-in for the xlwings version just installed
     (``tongji build-addin --interpreter <pythonw.exe>``) and copies it into the user's
     XLSTART folder, where Excel opens it at every start;
  4. writes ``%USERPROFILE%\\.tongji\\tongji.conf`` (interpreter, UDF modules);
  5. records every file and folder it created in ``%USERPROFILE%\\.tongji\\install-manifest.json``
     and prints what it did, in Chinese.

uninstall removes exactly what the manifest lists (files it replaced are put back). The shared
add-in ``C:\\tongji\\tongji.xlam`` serves every user of the PC: each user who installed it has a
mark in ``C:\\tongji\\users``, and the add-in goes only with the last mark. A fault of the file
system ends in a Chinese message naming the file and the step; uninstall can be run again after
a partial failure (what is already gone is skipped).
The Windows-only parts (pythonw.exe, Excel running) are guarded so the script's layout and
conf writing can be checked on any OS with temporary HOME/APPDATA.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

UDF_MODULES = "udfs.excel"
WINDOWS = sys.platform.startswith("win")
HERE = Path(__file__).resolve().parent

Runner = Callable[[Sequence[str]], int]


# --- Locations: the same module tongji doctor uses, read from the source folder -----------------


def _load(path: Path, name: str) -> types.ModuleType:
    """A standard-library-only module of the tongji folder this script sits in, loaded by
    path: tongji is not installed yet when the installer starts."""
    spec = importlib.util.spec_from_file_location(name, path) if path.is_file() else None
    if spec is None or spec.loader is None:
        raise SystemExit(f"找不到 {path}：请把整个 tongji 文件夹拷到这台电脑上再安装。")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building the class
    spec.loader.exec_module(module)
    return module


_locations = _load(HERE / "locations.py", "tongji_locations")
_pythons = _load(HERE / "pythons.py", "tongji_pythons")
_busy = _load(HERE / "busy.py", "tongji_busy")
_excel_addins = _load(HERE / "excel_addins.py", "tongji_excel_addins")
_backups = _load(HERE.parent / "workbooks" / "backups.py", "tongji_backups")
Locations = _locations.Locations
excel_interpreter = _locations.excel_interpreter


def default_target(loc: Locations) -> Path:
    """The private environment's folder: under LOCALAPPDATA unless that path is not ASCII."""
    target = loc.default_target
    if str(target).isascii() or not WINDOWS:
        return target
    return Path("C:/tongji")


def venv_python(target: Path, windows: bool = WINDOWS) -> Path:
    env = target / "venv"
    return env / "Scripts" / "python.exe" if windows else env / "bin" / "python"


# --- What was done: the manifest --------------------------------------------------------------


@dataclass
class Manifest:
    """Files and folders install created (and files it replaced, with their backups)."""

    target: str = ""
    created_files: list[str] = field(default_factory=list)
    created_dirs: list[str] = field(default_factory=list)
    replaced: dict[str, str] = field(default_factory=dict)  # original path -> backup path
    registry: list[list[str]] = field(default_factory=list)  # [key, value name] created
    shared: dict[str, str] = field(default_factory=dict)  # "addin", "mark": the shared add-in

    def save(self, path: Path) -> None:
        text = json.dumps(self.__dict__, ensure_ascii=False, indent=2)
        _backups.safe_files.write_bytes(path, text.encode("utf-8"))  # complete or not at all

    @classmethod
    def load(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


class InstallError(RuntimeError):
    pass


def os_problem(exc: OSError) -> str:
    """The cause of a file-system fault, in Chinese."""
    if isinstance(exc, IsADirectoryError):
        return "这个位置是一个文件夹，不是文件"
    if isinstance(exc, NotADirectoryError):
        return "路径中有一部分是文件，不是文件夹"
    if isinstance(exc, FileExistsError):
        return "已有同名的文件或文件夹"
    if isinstance(exc, FileNotFoundError):
        return "找不到该文件或文件夹"
    if isinstance(exc, PermissionError):
        return "没有权限（文件只读、正被 Excel 等程序打开，或被安全软件锁定）"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "磁盘空间不足"
    if exc.errno == errno.EROFS:
        return "所在的磁盘是只读的"
    return exc.strerror or type(exc).__name__


@contextlib.contextmanager
def step(what: str, path: Path | str | None = None) -> Iterator[None]:
    """Turn a fault of the file system during ``what`` into an :class:`InstallError` that
    names the step and the file."""
    try:
        yield
    except OSError as exc:
        name = exc.filename if exc.filename is not None else path
        where = f"{name}：" if name is not None else ""
        raise InstallError(f"{what}时出错：{where}{os_problem(exc)}") from exc


def remove_file(path: Path) -> bool:
    """Delete ``path``; a file already gone is fine (uninstall runs again after a failure)."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


class Installer:
    def __init__(
        self,
        loc: Locations,
        target: Path,
        run: Runner,
        echo: Callable[[str], None] = print,
        windows: bool = WINDOWS,
        registry: object | None = None,
    ) -> None:
        self.loc, self.target, self.run, self.echo, self.windows = loc, target, run, echo, windows
        self.registry = registry  # excel_addins.Registry: None where there is no Excel
        self.manifest = Manifest(target=str(target))
        self.backups = target / "backup"

    # Each helper records what it creates, so uninstall can remove exactly that.
    def make_dir(self, path: Path) -> None:
        missing = []
        for p in [path, *path.parents]:
            if p.exists():
                break
            missing.append(p)
        for p in reversed(missing):
            with step("创建文件夹", p):
                p.mkdir()
            self.manifest.created_dirs.append(str(p))

    def place_file(self, source_bytes: bytes, destination: Path) -> None:
        """A file of this user (never the shared add-in: :meth:`place_shared_addin`)."""
        self.make_dir(destination.parent)
        if destination.exists() and str(destination) not in self.manifest.created_files:
            self.make_dir(self.backups)
            with step("备份原有文件", destination):
                backup = _backups.keep_backup(destination, folder=self.backups)
            self.manifest.replaced[str(destination)] = str(backup)
            self.manifest.created_files.append(str(backup))
            self.echo(f"  已备份原有文件 {destination} → {backup}")
        with step("写入文件", destination):
            _backups.safe_files.write_bytes(destination, source_bytes)  # complete or not at all
        if str(destination) not in self.manifest.created_files:
            self.manifest.created_files.append(str(destination))

    def place_shared_addin(self, data: bytes) -> Path:
        """The add-in at ``C:\\tongji\\tongji.xlam`` for every user of the PC, and this
        user's mark next to it. The file is replaced in one step (a newer version then serves
        everyone); it is not this user's to back up or to remove alone: uninstall removes it
        with the last user's mark (:func:`release_shared_addin`)."""
        shared, mark = self.loc.shared_addin, self.loc.shared_mark
        self.manifest.shared = {"addin": str(shared), "mark": str(mark)}  # before any change
        with step("放置共用的加载项", shared):
            if not (shared.is_file() and shared.read_bytes() == data):
                _backups.safe_files.write_bytes(shared, data)
        with step("登记本用户使用共用加载项", mark):
            _backups.safe_files.write_bytes(mark, f"{self.loc.user_profile}\r\n".encode())
        return shared

    def checked(self, command: Sequence[str], what: str) -> None:
        self.echo(f"  $ {' '.join(str(c) for c in command)}")
        with step(what, command[0]):
            code = self.run([str(c) for c in command])
        if code != 0:
            raise InstallError(f"{what}失败（退出码 {code}）")

    # --- The steps ---------------------------------------------------------------------------

    def copy_bundled_python(self, folder: Path) -> Path:
        """Copy a full Python bundled next to install.bat into the install folder; returns
        its interpreter there (the environment is made from the copy)."""
        problem = _pythons.full_python_problem(folder, self.windows)
        if problem:
            raise InstallError(problem)
        destination = self.target / BUNDLED_PYTHON_DIR
        self.echo(f"[1/5] 复制随附的 Python 到 {destination}")
        self.make_dir(self.target)
        if not destination.exists():
            self.manifest.created_dirs.append(str(destination))  # a partial copy is removed too
            with step("复制随附的 Python", destination):
                _pythons.copy_bundled(folder, destination)
        return _pythons.bundled_interpreter(destination, self.windows)

    def create_environment(self, base_python: Path | Sequence[str]) -> Path:
        """The private environment made with ``base_python`` (a path or a command such as
        ``("py", "-3.11")``)."""
        python = venv_python(self.target, self.windows)
        if python.exists():
            self.echo(f"[1/5] 使用已有的 Python 环境 {python.parent.parent}")
            return python
        self.echo(f"[1/5] 创建独立的 Python 环境：{python.parent.parent}")
        self.make_dir(self.target)
        base = [str(base_python)] if isinstance(base_python, Path) else list(base_python)
        self.checked([*base, "-m", "venv", str(self.target / "venv")], "创建 Python 环境")
        if str(self.target / "venv") not in self.manifest.created_dirs:
            self.manifest.created_dirs.append(str(self.target / "venv"))
        return python

    def install_packages(self, python: Path, wheelhouse: Path | None, source: Path | None) -> None:
        command = pip_install_command(python, wheelhouse, source)
        where = f"离线安装包 {wheelhouse}" if wheelhouse else f"源码 {source}"
        self.echo(f"[2/5] 安装统计助手及依赖（来自{where}）")
        self.checked(command, "安装统计助手")

    def shared_folder_usable(self) -> bool:
        """Whether the add-in can go to the shared path (``C:\\tongji``): there is an Excel
        to register it with, and a file can really be created and removed in the folder and
        the add-in there opened for writing (``os.access`` ignores Windows ACLs). The folder
        is not recorded as this user's: it goes with the last user's mark."""
        if self.registry is None:
            return False
        folder = self.loc.shared_folder
        existed = folder.is_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            descriptor, probe = tempfile.mkstemp(prefix=".probe-", dir=folder)
            os.close(descriptor)
            os.unlink(probe)
            if self.loc.shared_addin.is_file():
                with open(self.loc.shared_addin, "ab"):  # writes nothing
                    pass
        except OSError:
            if not existed:
                with contextlib.suppress(OSError):
                    folder.rmdir()
            return False
        return True

    def build_addin(self, python: Path) -> None:
        shared = self.shared_folder_usable()
        where = self.loc.shared_addin if shared else self.loc.addin
        self.echo(
            "[3/5] 按已安装的 xlwings 版本生成加载项，放在 "
            + (
                "每台电脑都相同的位置，并登记为 Excel 启动时打开"
                if shared
                else "Excel 启动文件夹 XLSTART"
            )
        )
        self.make_dir(self.target)
        built = self.target / _locations.ADDIN_FILENAME
        command = [str(python), "-c", "from tongji.cli import main; main()", "build-addin"]
        command += ["-o", str(built)]
        if not shared:  # a shared add-in serves every user: each one's tongji.conf names his Python
            command += ["--interpreter", str(excel_interpreter(python))]
        earlier = set(_backups.backups_of(built))
        self.checked(command, "生成加载项")
        if str(built) not in self.manifest.created_files:
            self.manifest.created_files.append(str(built))
        for backup in _backups.backups_of(built):  # kept by build-addin over an older add-in
            if backup not in earlier and str(backup) not in self.manifest.created_files:
                self.manifest.created_files.append(str(backup))
        with step("读取生成的加载项", built):
            data = built.read_bytes()
        if shared:
            self.place_shared_addin(data)
            with step("登记 Excel 启动时打开加载项"):
                created = _excel_addins.register(self.registry, where)
            self.manifest.registry += [[key, name] for key, name in created]
            for key, name in created:
                self.echo(f"  已登记：HKCU\\{key} {name}")
        else:
            self.place_file(data, where)
        self.echo(f"  加载项：{where}")

    def write_user_conf(self, python: Path) -> None:
        self.echo(f"[4/5] 写入用户配置 {self.loc.user_conf}")
        text = user_conf_text(excel_interpreter(python))
        encoding = "mbcs" if self.windows else "utf-8"  # VBA reads it in the ANSI code page
        self.place_file(text.encode(encoding), self.loc.user_conf)

    def save_manifest(self) -> None:
        self.make_dir(self.loc.manifest.parent)
        with step("写入安装记录", self.loc.manifest):
            self.manifest.save(self.loc.manifest)
        self.echo(f"[5/5] 安装记录：{self.loc.manifest}（卸载时据此删除）")


def user_conf_text(interpreter: Path) -> str:
    """``%USERPROFILE%\\.tongji\\tongji.conf`` in xlwings' format (``"KEY","value"`` lines),
    CRLF line ends as xlwings writes it on Windows (its VBA reads the file with ``Input #``)."""
    return f'"INTERPRETER_WIN","{interpreter}"\r\n"UDF MODULES","{UDF_MODULES}"\r\n'


def pip_install_command(python: Path, wheelhouse: Path | None, source: Path | None) -> list[str]:
    """Offline: only the wheelhouse, exactly the versions of its requirements.txt."""
    if wheelhouse is not None:
        return [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "-r",
            str(wheelhouse / "requirements.txt"),
        ]
    if source is None:
        raise InstallError("既没有离线安装包（wheelhouse），也找不到统计助手源码，无法安装")
    return [str(python), "-m", "pip", "install", str(source)]


#: Folder of a Python bundled next to install.bat, and of its copy in the install folder.
BUNDLED_PYTHON_DIR = "python"


def find_wheelhouse(explicit: Path | None) -> Path | None:
    """The offline bundle: ``--wheelhouse``, else a ``wheelhouse`` folder next to this script
    or next to the tongji folder (recognised by its ``manifest.json``)."""
    for candidate in [explicit, HERE / "wheelhouse", HERE.parent / "wheelhouse"]:
        if candidate is not None and (
            (candidate / _pythons.MANIFEST_FILE).is_file()
            or (candidate / "requirements.txt").is_file()
        ):
            return candidate
    if explicit is not None:
        raise InstallError(f"离线安装包 {explicit} 中没有 {_pythons.MANIFEST_FILE}")
    return None


def default_registry() -> object | None:
    """Where Excel's add-ins are registered on this PC (none off Windows)."""
    return _excel_addins.WindowsRegistry() if WINDOWS else None


def find_bundled_python() -> Path | None:
    folder = HERE / BUNDLED_PYTHON_DIR
    return folder if folder.is_dir() else None


def check_not_busy(
    loc: Locations,
    targets: Sequence[Path],
    images: Sequence[str] | None,
    locked: Callable[[Path], bool],
    windows: bool,
    shared: bool = True,
) -> list[str]:
    """Excel, the add-in or the environment's Python in use: the Chinese problems (checked
    before any change). ``shared``: the shared add-in is to be replaced or removed. Only
    this user's programs are listed; another signed-in user's Excel holding the shared
    add-in shows in the lock probe of the file."""
    running = _busy.running_images(windows) if images is None else images
    problems = _busy.blockers([loc.addin], targets, running, locked)
    if shared and locked(loc.shared_addin):
        problems.append(
            f"共用的加载项 {loc.shared_addin} 正被占用：这台电脑上的 Excel（也可能是其他已登录"
            "用户的 Excel）打开着它。请关闭所有 Excel（其他用户请关闭 Excel 或注销）后重试。"
        )
    return problems


def read_manifest(loc: Locations) -> Manifest:
    """The install record, or an :class:`InstallError` saying why it cannot be read."""
    try:
        return Manifest.load(loc.manifest)
    except (ValueError, TypeError) as exc:
        raise InstallError(f"安装记录 {loc.manifest} 已损坏，无法据此卸载（{exc}）") from exc
    except OSError as exc:
        raise InstallError(f"读取安装记录时出错：{loc.manifest}：{os_problem(exc)}") from exc


def other_users(loc: Locations) -> list[str]:
    """The users of this PC other than the current one whose mark says they use the shared
    add-in."""
    try:
        marks = list(loc.shared_users.iterdir()) if loc.shared_users.is_dir() else []
    except NotADirectoryError:
        marks = []
    return sorted(
        p.name for p in marks if p != loc.shared_mark and not _backups.safe_files.is_temp(p)
    )


def is_shared(loc: Locations, name: str | Path) -> bool:
    """``name`` is in the shared folder (an earlier installer recorded the shared add-in
    like a file of the user)."""
    path = Path(name)
    return path == loc.shared_folder or loc.shared_folder in path.parents


def release_shared_addin(loc: Locations, echo: Callable[[str], None]) -> None:
    """Remove this user's mark; the shared add-in and its folder go with the last mark."""
    with step("删除本用户的共用加载项登记", loc.shared_mark):
        remove_file(loc.shared_mark)
    others = other_users(loc)
    if others:
        echo(f"  保留共用的加载项 {loc.shared_addin}：本机用户 {'、'.join(others)} 仍在使用")
        return
    with step("删除共用的加载项", loc.shared_addin):
        if remove_file(loc.shared_addin):
            echo(f"  已删除 {loc.shared_addin}")
    for folder in (loc.shared_users, loc.shared_folder):
        if folder.is_dir():
            try:
                folder.rmdir()  # only if empty
                echo(f"  已删除文件夹 {folder}")
            except OSError:
                echo(f"  保留文件夹 {folder}（其中有其他文件）")


def choose_python(
    wheelhouse: Path,
    bundled: Path | None,
    windows: bool,
    echo: Callable[[str], None],
    commands: Sequence[Sequence[str]] | None = None,
) -> tuple[tuple[str, ...], Path]:
    """The interpreter to make the environment with and the wheel folder for it, from the
    bundle's ``manifest.json``; raises :class:`InstallError` (which Python is needed)."""
    try:
        bundle = _pythons.Bundle.read(wheelhouse)
        if commands is None:
            if bundled is not None:
                commands = [(str(_pythons.bundled_interpreter(bundled, windows)),)]
            else:
                commands = _pythons.candidates(bundle, shutil.which("py") if windows else None)
        found, folder = _pythons.choose(bundle, commands)
    except _pythons.PythonProblem as exc:
        raise InstallError(str(exc)) from None
    echo(f"  使用 {found.describe()}，离线安装包 {folder.name}")
    return found.command, folder


def find_source() -> Path | None:
    root = HERE.parent
    return root if (root / "pyproject.toml").is_file() else None


def install(
    loc: Locations,
    target: Path,
    wheelhouse: Path | None,
    use_venv: bool = True,
    run: Runner = subprocess.call,
    echo: Callable[[str], None] = print,
    windows: bool = WINDOWS,
    *,
    bundled: Path | None = None,
    pythons: Sequence[Sequence[str]] | None = None,
    images: Sequence[str] | None = None,
    locked: Callable[[Path], bool] = _busy.file_locked,
    registry: object | None = None,
) -> Manifest:
    """Install into ``target``. ``bundled``: a full Python folder to copy and use;
    ``pythons``: interpreter commands to try (default: ``py -3.X`` per version of the bundle);
    ``images``/``locked``: the running programs and the lock probe (default: this PC's);
    ``registry``: where Excel's add-ins are registered (default: this PC's on Windows, none
    elsewhere, where the add-in goes to XLSTART)."""
    registry = default_registry() if registry is None else registry
    previous = read_manifest(loc) if loc.manifest.exists() else None
    targets = [target] + ([Path(previous.target)] if previous and previous.target else [])
    problems = check_not_busy(loc, targets, images, locked, windows)
    if problems:
        raise InstallError("\n".join([*problems, "未做任何改动。"]))
    if use_venv and bundled is not None:
        problem = _pythons.full_python_problem(bundled, windows)
        if problem:
            raise InstallError(problem + "\n未做任何改动。")
    python_command: Sequence[str] | Path = Path(sys.executable)
    wheels = wheelhouse
    if use_venv and wheelhouse is not None:  # before any change: the right Python exists
        python_command, wheels = choose_python(wheelhouse, bundled, windows, echo, pythons)
    if previous is not None:
        echo(f"发现以前的安装（{previous.target}），先卸载……")
        uninstall(loc, echo=echo, images=images, locked=locked, windows=windows, registry=registry)
    installer = Installer(loc, target, run, echo, windows, registry)
    echo("统计助手 安装 / installing tongji")
    try:
        if use_venv:
            if bundled is not None:
                python_command = installer.copy_bundled_python(bundled)
            python = installer.create_environment(python_command)
            installer.install_packages(python, wheels, None if wheels else find_source())
        else:
            python = Path(sys.executable)
            echo(f"[1/5] 使用当前 Python：{python}")
            echo("[2/5] 跳过安装（--no-venv：统计助手须已安装在当前 Python 中）")
        installer.build_addin(python)
        installer.write_user_conf(python)
    except BaseException:
        with contextlib.suppress(InstallError):  # the first fault is the one to report
            installer.save_manifest()  # whatever was created can still be removed by uninstall
        raise
    installer.save_manifest()
    echo("")
    echo(
        "安装完成。请重新打开 Excel：功能区会出现「统计助手」选项卡，单元格中输入 =TJ_ 可看到全部函数。"
    )
    echo(
        "如有问题，点「统计助手 → 环境检查」，或在命令行运行：" + f'"{python}" -m tongji.cli doctor'
    )
    return installer.manifest


def uninstall(
    loc: Locations,
    echo: Callable[[str], None] = print,
    *,
    images: Sequence[str] | None = None,
    locked: Callable[[Path], bool] = _busy.file_locked,
    windows: bool = WINDOWS,
    registry: object | None = None,
) -> bool:
    """Remove exactly what the manifest lists; put back files install replaced. Nothing is
    changed while Excel or the environment's Python runs (``images``/``locked`` as in
    :func:`install`)."""
    if not loc.manifest.exists():
        echo(f"没有找到安装记录 {loc.manifest}：统计助手未通过本程序安装，未做任何改动。")
        return False
    manifest = read_manifest(loc)
    uses_shared = bool(manifest.shared) or any(
        is_shared(loc, name) for name in [*manifest.created_files, *manifest.replaced]
    )
    last_user = uses_shared and not other_users(loc)
    problems = check_not_busy(loc, [Path(manifest.target)], images, locked, windows, last_user)
    if problems:
        for problem in problems:
            echo(problem)
        echo("未做任何改动：请关闭 Excel 后重新运行卸载。")
        return False
    echo("统计助手 卸载 / uninstalling tongji")
    registry = default_registry() if registry is None else registry
    if manifest.registry and registry is not None:
        pairs = [(key, name) for key, name in manifest.registry]
        with step("取消 Excel 启动时打开加载项的登记"):
            _excel_addins.unregister(registry, pairs, loc.shared_addin)
        echo("  已取消 Excel 启动时打开加载项的登记")
    for original, backup in manifest.replaced.items():
        if is_shared(loc, original) or not Path(backup).is_file():
            continue  # restored by an earlier run (its backup then deleted), or not ours
        with step("恢复原有文件", original):  # folders made again, written complete or not at all
            _backups.safe_files.copy_file(Path(backup), Path(original))
        echo(f"  已恢复原有文件 {original}")
    for name in manifest.created_files:
        if name in manifest.replaced or is_shared(loc, name):
            continue  # the user's own file, put back above; the shared add-in: below
        with step("删除文件", name):
            if remove_file(Path(name)):
                echo(f"  已删除 {name}")
    if uses_shared:
        release_shared_addin(loc, echo)
    for name in sorted(manifest.created_dirs, key=len, reverse=True):
        path = Path(name)
        if is_shared(loc, path):
            continue
        if path.name in ("venv", BUNDLED_PYTHON_DIR) and path.is_dir():
            with step("删除 Python 环境", path):
                shutil.rmtree(path)  # the private environment or the copied Python: entirely ours
            echo(f"  已删除 Python 环境 {path}")
        elif path.is_dir() and path != loc.manifest.parent:
            try:
                path.rmdir()  # only if empty: never delete what the user put there
                echo(f"  已删除文件夹 {path}")
            except OSError:
                echo(f"  保留文件夹 {path}（其中有其他文件）")
    with step("删除安装记录", loc.manifest):
        remove_file(loc.manifest)
    if str(loc.manifest.parent) in manifest.created_dirs:
        with contextlib.suppress(OSError):
            loc.manifest.parent.rmdir()
    echo("卸载完成。")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a console without Chinese glyphs must not crash
    parser = argparse.ArgumentParser(description="统计助手 安装/卸载")
    sub = parser.add_subparsers(dest="action", required=True)
    p_install = sub.add_parser("install", help="安装")
    p_install.add_argument("--target", type=Path, help="Python 环境所在文件夹（须为英文路径）")
    p_install.add_argument("--wheelhouse", type=Path, help="离线安装包文件夹")
    p_install.add_argument("--no-venv", action="store_true", help="不建独立环境，用当前 Python")
    sub.add_parser("uninstall", help="卸载")
    args = parser.parse_args(argv)
    loc = Locations.from_env()
    action = "卸载" if args.action == "uninstall" else "安装"
    try:
        if args.action == "uninstall":
            return 0 if uninstall(loc) or not loc.manifest.exists() else 1
        target = (args.target or default_target(loc)).resolve()
        if not str(target).isascii():
            print(
                f"警告：安装路径 {target} 含中文字符，xlwings 可能无法启动 Python；建议用 --target C:\\tongji"
            )
        install(
            loc,
            target,
            find_wheelhouse(args.wheelhouse),
            use_venv=not args.no_venv,
            bundled=find_bundled_python(),
        )
    except (InstallError, OSError) as exc:
        if isinstance(exc, OSError):  # a step not named above: still the file and the cause
            where = f"{exc.filename}：" if exc.filename is not None else ""
            exc = InstallError(f"{action}时出错：{where}{os_problem(exc)}")
        print(f"{action}失败：{exc}")
        if args.action == "uninstall":
            print("请处理上述问题后重新运行 install.bat uninstall：已完成的步骤会跳过。")
        else:
            print("已创建的文件可用 install.bat uninstall 删除。")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
