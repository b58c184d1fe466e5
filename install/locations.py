"""Where the add-in and its settings live on a Windows PC, from the environment variables.

Shared by ``tongji doctor`` and ``install/install.py``, which loads this file by path (it runs
on a bare Python before tongji is installed), so this module uses the standard library only. Every path is derived from
an environment mapping so the layout can be checked in a temporary home directory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT = "tongji"
ADDIN_FILENAME = f"{PROJECT}.xlam"


@dataclass(frozen=True)
class Locations:
    user_profile: Path
    app_data: Path
    local_app_data: Path
    system_drive: str = "C:"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Locations:
        env = os.environ if env is None else env
        profile = Path(env.get("USERPROFILE") or env.get("HOME") or Path.home())
        return cls(
            user_profile=profile,
            app_data=Path(env.get("APPDATA") or profile / "AppData" / "Roaming"),
            local_app_data=Path(env.get("LOCALAPPDATA") or profile / "AppData" / "Local"),
            system_drive=env.get("SystemDrive") or env.get("SYSTEMDRIVE") or "C:",
        )

    @property
    def xlstart(self) -> Path:
        """The user's XLSTART folder: Excel opens every workbook in it at start."""
        return self.app_data / "Microsoft" / "Excel" / "XLSTART"

    @property
    def addin(self) -> Path:
        return self.xlstart / ADDIN_FILENAME

    @property
    def shared_addin(self) -> Path:
        """``C:\\tongji\\tongji.xlam`` (on the system drive): the same path on every PC, so
        workbooks saved on one PC name the add-in where it is on another
        (:mod:`install.excel_addins`)."""
        return Path(f"{self.system_drive}/{PROJECT}") / ADDIN_FILENAME

    @property
    def shared_folder(self) -> Path:
        """``C:\\tongji``: the shared add-in and the marks of the users who installed it."""
        return self.shared_addin.parent

    @property
    def shared_users(self) -> Path:
        """``C:\\tongji\\users``: one mark per user of the PC whose Excel opens the shared
        add-in; the add-in is removed only when the last mark goes."""
        return self.shared_folder / "users"

    @property
    def shared_mark(self) -> Path:
        """This user's mark in :attr:`shared_users`, named after the profile folder (unique on
        a PC: ``C:\\Users\\zhangsan`` → ``zhangsan``)."""
        return self.shared_users / (self.user_profile.name or PROJECT)

    @property
    def installed_addin(self) -> Path:
        """Where the installer put the add-in: the shared path when this user's mark says he
        uses it (or there is none in XLSTART: an earlier installer left no mark), else XLSTART
        (another user of the PC may have the shared add-in while this one has his own)."""
        if self.shared_addin.is_file() and (self.shared_mark.is_file() or not self.addin.is_file()):
            return self.shared_addin
        return self.addin

    @property
    def user_conf_dir(self) -> Path:
        """``%USERPROFILE%\\.tongji``: xlwings' lookup place for the user conf of PROJECT_NAME tongji."""
        return self.user_profile / f".{PROJECT}"

    @property
    def user_conf(self) -> Path:
        return self.user_conf_dir / f"{PROJECT}.conf"

    @property
    def manifest(self) -> Path:
        """What the installer created, so uninstall removes exactly that."""
        return self.user_conf_dir / "install-manifest.json"

    @property
    def default_target(self) -> Path:
        """Default folder of the private Python environment."""
        return self.local_app_data / PROJECT


def excel_interpreter(python: str | Path = sys.executable) -> Path:
    """The interpreter Excel should start: ``pythonw.exe`` beside ``python.exe`` on Windows
    (no console window), the interpreter itself elsewhere."""
    python = Path(python)
    if python.name.lower() == "python.exe":
        return python.with_name("pythonw.exe")
    return python


def read_user_conf(path: Path) -> dict[str, str]:
    """An xlwings user conf file (lines ``"KEY","value"``) as ``KEY (upper case) → value``.

    VBA reads the file in the PC's ANSI code page (GBK on a Chinese Windows), which is how
    the installer writes it; elsewhere it is UTF-8.
    """
    import re

    encoding = "mbcs" if sys.platform.startswith("win") else "utf-8"
    conf = {}
    for line in path.read_text(encoding=encoding, errors="replace").splitlines():
        values = re.findall(r'"([^"]*)"', line)
        if len(values) >= 2:
            conf[values[0].upper()] = values[1]
    return conf
