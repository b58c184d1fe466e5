"""Build ``tongji.oxt``, the LibreOffice Calc extension, from the catalogue of ``TJ_`` functions.

The parts (:mod:`addin.calc.sources`) are generated from :mod:`udfs.catalog`; the type
library is compiled from the generated IDL with the LibreOffice SDK's ``unoidl-write``
against LibreOffice's own ``types.rdb`` and ``offapi.rdb``; the kernels are copied from this
checkout's :mod:`udfs` (every module but :mod:`udfs.excel`, the xlwings layer) into the
extension's ``pythonpath/``. The file is written atomically, an existing different file
being backed up first (:func:`addin.xlam.build.write_atomically`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from importlib import metadata, resources
from pathlib import Path

from addin.calc import ADDIN_SERVICE, BASIC_MODULE, SETUP_SERVICE, WRAPPER_TOKEN, sources
from addin.xlam.build import write_atomically
from udfs.catalog import CATALOG
from workbooks.errors import UserError

#: Modules of :mod:`udfs` the extension does not carry (the xlwings layer).
NOT_VENDORED = frozenset({"excel.py"})

_SDK_PLACES = (
    Path("/usr/lib/libreoffice/sdk/bin"),
    Path("/opt/libreoffice/sdk/bin"),
    Path(r"C:\Program Files\LibreOffice\sdk\bin"),
)


class BuildError(UserError):
    """The extension cannot be built on this computer (the message says why, in Chinese)."""


def program_dir(soffice: str | None = None) -> Path | None:
    """LibreOffice's ``program`` folder (where ``types.rdb`` lives), from ``soffice``."""
    found = soffice or shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        return None
    path = Path(found).resolve()
    if path.suffix == "" and path.read_bytes()[:2] == b"#!":  # a shell wrapper
        for candidate in (Path("/usr/lib/libreoffice/program"), Path("/opt/libreoffice/program")):
            if (candidate / "types.rdb").is_file():
                return candidate
    return path.parent if (path.parent / "types.rdb").is_file() else None


def unoidl_write() -> Path | None:
    """The SDK's IDL compiler, on PATH or in the usual SDK folders."""
    name = "unoidl-write.exe" if sys.platform.startswith("win") else "unoidl-write"
    found = shutil.which(name)
    if found:
        return Path(found)
    for folder in _SDK_PLACES:
        if (folder / name).is_file():
            return folder / name
    return None


def compile_idl(idl: str, work: Path) -> bytes:
    """The type library (``.rdb``) of ``idl``, compiled against LibreOffice's own types."""
    compiler = unoidl_write()
    if compiler is None:
        raise BuildError(
            "找不到 LibreOffice SDK 的 unoidl-write：请安装 libreoffice-dev"
            "（Debian/麒麟/统信：sudo apt install libreoffice-dev），Windows 上安装 LibreOffice SDK。"
        )
    program = program_dir()
    if program is None:
        raise BuildError("找不到 LibreOffice（soffice）及其 types.rdb：请先安装 LibreOffice。")
    registries = [program / "types.rdb", program / "types" / "offapi.rdb"]
    source = work / "XTongji.idl"
    source.write_text(idl, encoding="utf-8")
    out = work / sources.TYPELIB
    run = subprocess.run(
        [str(compiler), *map(str, (r for r in registries if r.is_file())), str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0 or not out.is_file():
        raise BuildError(f"unoidl-write 编译 IDL 失败：{run.stderr.strip() or run.stdout.strip()}")
    return out.read_bytes()


def calc_parts_module() -> str:
    """``pythonpath/tongji_calc_parts.py``: what the component needs without NumPy."""
    names = tuple(e.name for e in CATALOG)
    parameters = {e.name: tuple((p.name, p.optional) for p in e.parameters) for e in CATALOG}
    return (
        '"""Generated from the catalogue of TJ_ functions; do not edit."""\n\n'
        f"ADDIN_SERVICE = {ADDIN_SERVICE!r}\n"
        f"SETUP_SERVICE = {SETUP_SERVICE!r}\n"
        f"BASIC_MODULE = {BASIC_MODULE!r}\n"
        f"WRAPPER_TOKEN = {WRAPPER_TOKEN!r}\n"
        f"NAMES = {names!r}\n"
        f"PARAMETERS = {parameters!r}\n"
        f"BASIC_SOURCE = {sources.basic_module()!r}\n"
    )


def vendored_udfs() -> dict[str, bytes]:
    """``pythonpath/udfs/*.py`` of the extension, from this checkout's :mod:`udfs`."""
    package = resources.files("udfs")
    return {
        f"pythonpath/udfs/{item.name}": item.read_bytes()
        for item in sorted(package.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".py") and item.name not in NOT_VENDORED
    }


def _version() -> str:
    try:
        return metadata.version("tongji")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def build_parts() -> dict[str, bytes]:
    """Every file of the extension, by its path inside the ``.oxt``."""
    here = resources.files("addin.calc")
    with tempfile.TemporaryDirectory(prefix="tongji-oxt-") as work:
        typelib = compile_idl(sources.idl_text(), Path(work))
    parts = {
        "META-INF/manifest.xml": sources.manifest_xml().encode(),
        "description.xml": sources.description_xml(_version()).encode(),
        sources.TYPELIB: typelib,
        sources.COMPONENT: here.joinpath("component.py").read_bytes(),
        sources.ADDIN_XCU: sources.calc_addins_xcu().encode(),
        sources.JOBS_XCU: sources.jobs_xcu().encode(),
        "pythonpath/tongji_cells.py": here.joinpath("cells.py").read_bytes(),
        "pythonpath/tongji_calc_parts.py": calc_parts_module().encode(),
        "TongjiFunctions.bas": sources.basic_module().encode(),
    }
    parts.update(vendored_udfs())
    return parts


def build_oxt(out: Path) -> Path | None:
    """Build the extension into ``out``; returns the backup of a file it replaced, if any."""
    return write_atomically(out, build_parts())


__all__ = ["BuildError", "build_oxt", "build_parts", "program_dir", "unoidl_write"]
