"""The add-in at the same path on every PC: ``C:\\tongji\\tongji.xlam``, opened by Excel at start.

Excel saves a call of an add-in function as a link to the add-in's full path. In the user's
XLSTART folder that path holds the user name (``C:\\Users\\<name>\\AppData\\Roaming\\…``), so a
workbook saved on one colleague's PC names a file that does not exist on another's. Where it
can, the installer therefore puts the add-in at one fixed path, ``%SystemDrive%\\tongji\\
tongji.xlam`` (``C:\\tongji\\tongji.xlam``: any user may create a folder at the root of the
system drive on a standard Windows), and registers it the way Excel's own Add-ins dialog does:
a value ``OPEN``, ``OPEN1``, … in ``HKCU\\Software\\Microsoft\\Office\\<version>\\Excel\\Options``
holding the quoted path. Where the folder cannot be created (a locked-down PC), the add-in goes
into XLSTART as before; the add-in's relinking on open (``TongjiLinks``) covers both.

The registry is passed in (:class:`Registry`): :class:`WindowsRegistry` on Windows, any object
with the same three methods elsewhere. Standard library only (loaded by path by the installer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

#: Office versions whose Excel reads ``Options\OPEN*`` (2010, 2013, 2016 and later).
OFFICE_VERSIONS = ("14.0", "15.0", "16.0")

#: Used when no Excel has written its options key yet (Excel 2016 and later, Microsoft 365).
DEFAULT_VERSION = "16.0"

_OPEN = re.compile(r"OPEN(\d*)\Z", re.IGNORECASE)


def options_key(version: str) -> str:
    return rf"Software\Microsoft\Office\{version}\Excel\Options"


class Registry(Protocol):
    """The part of ``HKEY_CURRENT_USER`` the installer uses (string values only)."""

    def exists(self, key: str) -> bool: ...

    def values(self, key: str) -> dict[str, str]: ...

    def set(self, key: str, name: str, value: str) -> None: ...

    def delete(self, key: str, name: str) -> None: ...


def _names_path(value: str, path: Path) -> bool:
    text = value.strip()
    if text[:2].upper() == "/R":
        text = text[2:].strip()
    return text.strip('"').lower() == str(path).lower()


def open_value(path: Path) -> str:
    """What Excel's Add-ins dialog writes for an add-in: the quoted full path."""
    return f'"{path}"'


def register(registry: Registry, path: Path) -> list[tuple[str, str]]:
    """Make every installed Excel open ``path`` at start; returns the ``(key, name)`` values
    created (an Excel that already opens it is left as it is)."""
    keys = [options_key(v) for v in OFFICE_VERSIONS if registry.exists(options_key(v))]
    created = []
    for key in keys or [options_key(DEFAULT_VERSION)]:
        values = registry.values(key) if registry.exists(key) else {}
        if any(_OPEN.match(n) and _names_path(v, path) for n, v in values.items()):
            continue
        name = free_open_name(values)
        registry.set(key, name, open_value(path))
        created.append((key, name))
    return created


def free_open_name(values: dict[str, str]) -> str:
    """The first of ``OPEN``, ``OPEN1``, ``OPEN2`` … not in use (Excel reads them in order and
    stops at the first gap)."""
    used = {n.upper() for n in values}
    if "OPEN" not in used:
        return "OPEN"
    n = 1
    while f"OPEN{n}" in used:
        n += 1
    return f"OPEN{n}"


def unregister(registry: Registry, created: Iterable[tuple[str, str]], path: Path) -> None:
    """Remove the values :func:`register` created, where they still name ``path`` (Excel
    renumbers them when the user changes add-ins)."""
    for key, name in created:
        if not registry.exists(key):
            continue
        value = registry.values(key).get(name)
        if value is not None and _names_path(value, path):
            registry.delete(key, name)


class WindowsRegistry:  # pragma: no cover - Windows only
    """:class:`Registry` on ``HKEY_CURRENT_USER`` through ``winreg``."""

    def __init__(self) -> None:
        import winreg

        self._winreg = winreg

    def exists(self, key: str) -> bool:
        try:
            self._winreg.OpenKey(self._winreg.HKEY_CURRENT_USER, key).Close()
        except OSError:
            return False
        return True

    def values(self, key: str) -> dict[str, str]:
        winreg = self._winreg
        found: dict[str, str] = {}
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
            index = 0
            while True:
                try:
                    name, value, kind = winreg.EnumValue(handle, index)
                except OSError:
                    break
                if kind in (winreg.REG_SZ, winreg.REG_EXPAND_SZ):
                    found[name] = value
                index += 1
        return found

    def set(self, key: str, name: str, value: str) -> None:
        winreg = self._winreg
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def delete(self, key: str, name: str) -> None:
        winreg = self._winreg
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
            winreg.DeleteValue(handle, name)
