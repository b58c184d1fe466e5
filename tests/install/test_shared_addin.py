"""The shared add-in ``C:\\tongji\\tongji.xlam``: two users of one PC, each in a temporary
home, sharing one system drive. The add-in stays while any user who installed it remains;
faults of the file system end in a Chinese message, and uninstall can be run again."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from install import doctor
from tests.install.test_install_script import (
    OPTIONS_16,
    ROOT,
    MemoryRegistry,
    home_env,
    installer,
    snapshot,
)

_BUILT: dict[tuple[str, ...], bytes] = {}


def build_once(command: list[str]) -> int:
    """The installer's commands run for real; the add-in of a ``build-addin`` command with
    the same options is built once and copied (each build starts a Python)."""
    if "build-addin" not in command:
        return subprocess.call(command)
    out = command[command.index("-o") + 1]
    key = tuple(c for c in command if c != out)
    if key not in _BUILT:
        code = subprocess.call(command, cwd=ROOT)
        if code != 0:
            return code
        _BUILT[key] = Path(out).read_bytes()
    else:
        Path(out).write_bytes(_BUILT[key])
    return 0


@dataclass
class User:
    name: str
    root: Path
    env: dict[str, str]
    loc: object
    registry: MemoryRegistry
    before: tuple[dict[str, bytes | None], dict[str, dict[str, str]]]

    def install(self, **kwargs: object) -> None:
        installer.install(
            self.loc,
            self.root / "target",
            None,
            use_venv=False,
            run=build_once,
            echo=lambda _: None,
            windows=False,
            registry=self.registry,
            images=[],
            **kwargs,
        )

    def uninstall(self, messages: list[str] | None = None, **kwargs: object) -> bool:
        echo = (lambda _: None) if messages is None else messages.append
        return installer.uninstall(self.loc, echo=echo, images=[], registry=self.registry, **kwargs)

    def as_before(self) -> bool:
        return (snapshot(self.root), self.registry.keys) == self.before

    def opens(self) -> list[str]:
        """The add-ins this user's Excel opens at start (the quoted paths of OPEN*)."""
        values = self.registry.keys.get(OPTIONS_16, {})
        return [v.strip('"') for n, v in values.items() if n.upper().startswith("OPEN")]


def make_user(tmp_path: Path, drive: Path, name: str) -> User:
    root = tmp_path / name
    env = {**home_env(root, name), "SystemDrive": str(drive)}
    loc = installer.Locations.from_env(env)
    loc.user_profile.mkdir(parents=True)
    registry = MemoryRegistry({OPTIONS_16: {"Maximized": "2"}})
    before = (snapshot(root), {k: dict(v) for k, v in registry.keys.items()})
    return User(name, root, env, loc, registry, before)


@pytest.fixture
def drive(tmp_path: Path) -> Path:
    drive = tmp_path / "C"
    drive.mkdir()
    return drive


@pytest.fixture
def users(tmp_path: Path, drive: Path) -> tuple[User, User]:
    return make_user(tmp_path, drive, "zhangsan"), make_user(tmp_path, drive, "lisi")


def doctor_problems(user: User) -> list[str]:
    results = doctor.run_checks(doctor.Setup(env=user.env, windows=False))
    return [r.name for r in results if r.status in (doctor.FAIL, doctor.WARN)]


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``chattr +i``: not even root may change or delete ``path`` (skips where unsupported)."""
    if shutil.which("chattr") is None:
        pytest.skip("no chattr")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("file system without the immutable attribute")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("first", [0, 1], ids=["zhangsan-first", "lisi-first"])
def test_the_add_in_stays_until_the_last_user_uninstalls(
    users: tuple[User, User], drive: Path, first: int
) -> None:
    for user in users:
        user.install()
    shared = drive / "tongji" / "tongji.xlam"
    content = shared.read_bytes()
    leaving, staying = users[first], users[1 - first]

    messages: list[str] = []
    assert leaving.uninstall(messages)
    assert leaving.as_before()
    assert shared.read_bytes() == content  # the other user's Excel still opens it
    assert staying.opens() == [str(shared)]
    assert doctor_problems(staying) == []
    assert any("仍在使用" in m and staying.name in m for m in messages)

    assert staying.uninstall()
    assert staying.as_before()
    assert list(drive.iterdir()) == []  # add-in, marks and folder gone


def test_uninstall_twice_changes_nothing_the_second_time(users: tuple[User, User]) -> None:
    user = users[0]
    user.install()
    assert user.uninstall()
    messages: list[str] = []
    assert user.uninstall(messages) is False
    assert "没有找到安装记录" in messages[0]
    assert user.as_before()


def test_uninstall_after_the_add_in_was_deleted_by_hand(
    users: tuple[User, User], drive: Path
) -> None:
    for user in users:
        user.install()
    (drive / "tongji" / "tongji.xlam").unlink()
    assert users[0].uninstall()
    assert users[1].uninstall()
    assert users[0].as_before() and users[1].as_before()
    assert list(drive.iterdir()) == []


def test_a_newer_add_in_of_one_user_serves_everyone_and_is_never_restored(
    users: tuple[User, User], drive: Path
) -> None:
    shared = drive / "tongji" / "tongji.xlam"
    zhangsan, lisi = users
    zhangsan.install()
    shared.write_bytes(b"an older add-in")  # what an earlier version left there
    lisi.install()
    assert shared.read_bytes() != b"an older add-in"
    assert zhangsan.opens() == lisi.opens() == [str(shared)]
    for user in users:
        manifest = installer.Manifest.load(user.loc.manifest)
        assert str(shared) not in manifest.replaced and str(shared) not in manifest.created_files
    assert lisi.uninstall() and zhangsan.uninstall()
    assert list(drive.iterdir()) == []  # the older add-in is not put back


def test_a_shared_add_in_held_open_stops_only_what_would_replace_or_remove_it(
    users: tuple[User, User], drive: Path
) -> None:
    shared = drive / "tongji" / "tongji.xlam"
    zhangsan, lisi = users
    zhangsan.install()
    lisi.install()
    held = {shared}  # another signed-in user's Excel has it open

    with pytest.raises(installer.InstallError, match="其他已登录用户"):
        lisi.install(locked=lambda p: p in held)
    # zhangsan leaves: the add-in stays for lisi, so its being open is no obstacle.
    assert zhangsan.uninstall(locked=lambda p: p in held)
    messages: list[str] = []
    assert lisi.uninstall(messages, locked=lambda p: p in held) is False  # last user: waits
    assert any("其他已登录用户" in m for m in messages) and shared.is_file()
    assert lisi.uninstall()
    assert list(drive.iterdir()) == []


def test_a_fault_during_uninstall_is_reported_in_chinese_and_a_second_run_finishes(
    users: tuple[User, User], drive: Path
) -> None:
    zhangsan, lisi = users
    zhangsan.install()
    lisi.install()
    mark = drive / "tongji" / "users" / "zhangsan"
    mark.unlink()
    (mark / "something").mkdir(parents=True)  # a folder where the mark file should be

    with pytest.raises(installer.InstallError) as failure:
        zhangsan.uninstall()
    text = str(failure.value)
    assert "删除本用户的共用加载项登记时出错" in text and str(mark) in text
    assert "文件夹，不是文件" in text
    assert zhangsan.loc.manifest.is_file()  # the record stays for the second run

    shutil.rmtree(mark)
    assert zhangsan.uninstall()
    assert zhangsan.as_before()
    assert (drive / "tongji" / "tongji.xlam").is_file() and doctor_problems(lisi) == []


def test_an_undeletable_file_is_named_and_uninstall_resumes(users: tuple[User, User]) -> None:
    user = users[0]
    user.install()
    conf = user.loc.user_conf
    with immutable(conf):
        with pytest.raises(installer.InstallError) as failure:
            user.uninstall()
        assert str(failure.value).startswith("删除文件时出错")
        assert str(conf) in str(failure.value) and "没有权限" in str(failure.value)
        assert user.registry.keys == user.before[1]  # done before the fault, not undone
    assert user.uninstall()
    assert user.as_before()


def test_a_shared_folder_that_cannot_be_written_sends_the_add_in_to_xlstart(
    users: tuple[User, User], drive: Path
) -> None:
    """The folder is tried by creating a file in it (on Windows the permission bits that
    ``os.access`` reads say nothing of the folder's ACL)."""
    user = users[0]
    folder = drive / "tongji"
    folder.mkdir()
    with immutable(folder):
        user.install()
        assert user.loc.addin.is_file() and user.opens() == []
    assert list(folder.iterdir()) == []
    assert user.uninstall() and user.as_before()


def test_a_user_with_the_add_in_in_xlstart_is_not_told_of_anothers_shared_one(
    users: tuple[User, User], drive: Path
) -> None:
    zhangsan, lisi = users
    zhangsan.install()
    lisi.registry = None  # no Excel registered for lisi: his add-in goes to XLSTART
    lisi.install()
    assert lisi.loc.addin.is_file() and lisi.loc.installed_addin == lisi.loc.addin
    assert zhangsan.loc.installed_addin == drive / "tongji" / "tongji.xlam"
    assert doctor_problems(lisi) == [] and doctor_problems(zhangsan) == []


def test_a_private_backup_is_put_back_into_a_folder_deleted_meanwhile(tmp_path: Path) -> None:
    """Without Excel (no registry) the add-in goes to XLSTART, over the user's own file."""
    loc = installer.Locations.from_env(home_env(tmp_path))
    loc.xlstart.mkdir(parents=True)
    loc.addin.write_bytes(b"the user's own add-in")
    installer.install(
        loc,
        tmp_path / "target",
        None,
        use_venv=False,
        run=build_once,
        echo=lambda _: None,
        windows=False,
    )
    shutil.rmtree(loc.xlstart)
    assert installer.uninstall(loc, echo=lambda _: None)
    assert loc.addin.read_bytes() == b"the user's own add-in"


def run_script(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "install" / "install.py"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        check=False,
    )


def test_the_script_reports_a_fault_in_chinese_without_a_traceback(tmp_path: Path) -> None:
    env = home_env(tmp_path)
    loc = installer.Locations.from_env(env)
    (loc.user_conf / "notes").mkdir(parents=True)  # a folder where tongji.conf goes

    result = run_script(env, "install", "--no-venv", "--target", str(tmp_path / "target"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "安装失败：" in result.stdout and str(loc.user_conf) in result.stdout
    assert "文件夹，不是文件" in result.stdout

    (loc.user_conf / "notes").rmdir()
    loc.user_conf.rmdir()
    loc.addin.unlink()
    (loc.addin / "notes").mkdir(parents=True)  # a folder where the add-in was put
    result = run_script(env, "uninstall")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "卸载失败：删除文件时出错" in result.stdout and str(loc.addin) in result.stdout
    assert "重新运行" in result.stdout

    shutil.rmtree(loc.addin)
    result = run_script(env, "uninstall")
    assert result.returncode == 0 and "卸载完成" in result.stdout
    assert not loc.manifest.exists()
