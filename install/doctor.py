"""环境检查 (``tongji doctor`` and the ribbon button): is this PC set up for the add-in?

Each check reports in Chinese what it found and, when something is wrong, how to fix it.
The checks read an explicit :class:`Setup` (interpreter, environment variables, OS), so a
good and a broken installation can both be examined in a temporary home directory. On a
machine without Windows/Excel the checks that need them say so plainly instead of failing.
"""

from __future__ import annotations

import importlib
import os
import platform
import struct
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from install.locations import Locations, excel_interpreter, read_user_conf

OK, WARN, FAIL, INFO = "正常", "警告", "错误", "说明"

MIN_PYTHON = (3, 10)


@dataclass(frozen=True)
class Result:
    name: str
    status: str  # OK, WARN, FAIL or INFO
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Setup:
    """What the checks look at: this interpreter, the environment, the OS."""

    python: Path = field(default_factory=lambda: Path(sys.executable))
    prefix: Path = field(default_factory=lambda: Path(sys.prefix))
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    windows: bool = field(default_factory=lambda: sys.platform.startswith("win"))
    version_info: tuple[int, int, int] = field(
        default_factory=lambda: (sys.version_info[0], sys.version_info[1], sys.version_info[2])
    )
    udf_module: str = "udfs.excel"

    @property
    def locations(self) -> Locations:
        return Locations.from_env(self.env)


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def pinned_xlwings() -> str | None:
    """The xlwings version tongji declares (``xlwings==X`` in its requirements)."""
    for line in metadata.requires("tongji") or []:
        name, _, rest = line.partition("==")
        if name.strip().lower() == "xlwings" and rest:
            return rest.split(";")[0].strip()
    return None


def check_python(setup: Setup) -> Result:
    major, minor, micro = setup.version_info
    bits = struct.calcsize("P") * 8
    detail = f"Python {major}.{minor}.{micro}（{bits} 位），{setup.python}"
    if (major, minor) < MIN_PYTHON:
        return Result(
            "Python 版本",
            FAIL,
            detail,
            f"需要 Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} 或更高版本：请用安装包 install\\install.bat 重新安装。",
        )
    if setup.windows and bits != 64:
        return Result(
            "Python 版本",
            WARN,
            detail,
            "32 位 Python 只能配合 32 位 Excel；一般电脑装的是 64 位 Office，请安装 64 位 Python。",
        )
    return Result("Python 版本", OK, detail)


def check_versions(setup: Setup) -> Result:
    tongji, xlwings = _version("tongji"), _version("xlwings")
    pinned = pinned_xlwings()
    detail = (
        f"tongji {tongji or '未安装'}，xlwings {xlwings or '未安装'}（要求 {pinned or '未声明'}）"
    )
    if tongji is None or xlwings is None:
        return Result("程序版本", FAIL, detail, "请运行 install\\install.bat 重新安装统计助手。")
    if pinned and xlwings != pinned:
        return Result(
            "程序版本",
            FAIL,
            detail,
            f"xlwings 版本与统计助手要求不符：运行 pip install xlwings=={pinned}，再运行 tongji build-addin 重建加载项。",
        )
    return Result("程序版本", OK, detail)


def _xlam_conf(path: Path) -> dict[str, str | bool] | None:
    from addin.xlam.build import read_conf_sheet

    try:
        return read_conf_sheet(path)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None


def declared_dll_version(xlam: Path) -> str | None:
    """The xlwings version whose DLL the add-in's VBA declares (``xlwings64-<version>.dll``
    in its ``xlwings`` module), read from ``xl/vbaProject.bin``."""
    import re

    from addin.xlam.vbaproject import read_vba_project

    try:
        with zipfile.ZipFile(xlam) as package:
            project = read_vba_project(package.read("xl/vbaProject.bin"))
        source = project.module("xlwings").source
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    found = re.search(r'Lib "xlwings(?:32|64)-([0-9][^"]*)\.dll"', source)
    return found.group(1) if found else None


def check_dll(setup: Setup) -> Result:
    """The add-in's VBA declares ``xlwings64-<version>.dll``: it must be the version installed
    here, and on Windows the DLL must sit in the environment."""
    xlwings = _version("xlwings")
    addin = setup.locations.installed_addin
    declared = declared_dll_version(addin) if addin.is_file() else None
    fix_rebuild = (
        f'运行 tongji build-addin -o "{addin}" 重建加载项（或重新运行 install\\install.bat）。'
    )
    if addin.is_file() and declared != xlwings:
        return Result(
            "xlwings DLL",
            FAIL,
            f"加载项的 VBA 声明 xlwings {declared or '（无法读取）'} 的 DLL，本机安装的是 xlwings {xlwings}",
            fix_rebuild,
        )
    if not setup.windows:
        detail = "非 Windows 系统，没有 xlwings DLL（只在 Windows 上需要）"
        if declared is not None:
            detail += f"；加载项声明的 DLL 版本 {declared} 与已安装的 xlwings 一致"
        return Result("xlwings DLL", INFO, detail)
    bits = "64" if struct.calcsize("P") == 8 else "32"
    name = f"xlwings{bits}-{xlwings}.dll"
    places = [setup.prefix / name, setup.python.parent / name]
    if not any(p.is_file() for p in places):
        return Result(
            "xlwings DLL",
            FAIL,
            f"找不到 {name}（查找了 {places[0].parent}）",
            f"重新安装 xlwings：pip install --force-reinstall xlwings=={xlwings}",
        )
    return Result("xlwings DLL", OK, f"{name} 已安装，与加载项声明的版本一致")


def _same_file(a: str | Path, b: str | Path, windows: bool) -> bool:
    a, b = os.path.normpath(str(a)), os.path.normpath(str(b))
    return a.lower() == b.lower() if windows else a == b


def check_addin(setup: Setup) -> Result:
    """The add-in is in XLSTART and its configuration starts this interpreter."""
    loc = setup.locations
    addin = loc.installed_addin
    reinstall = f'运行 install\\install.bat 重新安装；或手动：tongji build-addin -o "{addin}"。'
    if not addin.is_file():
        if not setup.windows:
            return Result("加载项", INFO, f"没有找到 {addin}（本机没有 Excel，不需要加载项）")
        return Result("加载项", FAIL, f"没有找到 {addin}", reinstall)
    conf = _xlam_conf(addin)
    if conf is None:
        return Result("加载项", FAIL, f"{addin} 已损坏，无法读取其配置表", reinstall)
    user_conf = read_user_conf(loc.user_conf) if loc.user_conf.is_file() else {}
    interpreter = str(conf.get("INTERPRETER_WIN") or user_conf.get("INTERPRETER_WIN") or "")
    source = "加载项配置表" if conf.get("INTERPRETER_WIN") else str(loc.user_conf)
    expected = excel_interpreter(setup.python)
    if not interpreter:
        return Result(
            "加载项",
            FAIL,
            f"加载项和 {loc.user_conf} 都没有设置 Interpreter_Win，Excel 会去找系统里的 python",
            f'在 {loc.user_conf} 中写一行 "INTERPRETER_WIN","{expected}"，或重新运行安装。',
        )
    expanded = os.path.expandvars(interpreter)
    if not _same_file(expanded, expected, setup.windows):
        problem = "该文件不存在" if not Path(expanded).is_file() else "不是当前这个 Python"
        return Result(
            "加载项",
            FAIL,
            f"Excel 将启动 {interpreter}（来自{source}），{problem}；当前 Python 为 {expected}",
            f"重新运行安装，或把 {source} 中的 Interpreter_Win 改为 {expected}。",
        )
    udf = str(conf.get("UDF MODULES") or user_conf.get("UDF MODULES") or "")
    if udf != setup.udf_module:
        return Result(
            "加载项",
            FAIL,
            f"加载项的 UDF Modules 为「{udf}」，应为「{setup.udf_module}」",
            reinstall,
        )
    return Result("加载项", OK, f"{addin}，解释器 {interpreter}")


def check_udf_module(setup: Setup) -> Result:
    try:
        module = importlib.import_module(setup.udf_module)
    except Exception as exc:  # any import failure is what the user must see
        return Result(
            "函数模块",
            FAIL,
            f"无法导入 {setup.udf_module}：{type(exc).__name__}: {exc}",
            "请重新安装统计助手（install\\install.bat），安装时勿中断。",
        )
    names = [n for n in dir(module) if n.startswith("TJ_")]
    return Result("函数模块", OK, f"{setup.udf_module} 可导入，含 {len(names)} 个 TJ_ 函数")


def check_ribbon_handlers(setup: Setup) -> Result:
    from addin.ribbon import BUTTONS, UnknownButton, handler_for

    broken, ready = [], 0
    for button in BUTTONS.values():
        try:
            handler_for(button.id)
            ready += 1
        except (ImportError, AttributeError, UnknownButton) as exc:
            broken.append(f"{button.label}（{button.handler}）：{exc}")
    if broken:
        return Result("功能区按钮", FAIL, "；".join(broken), "请重新安装统计助手。")
    return Result("功能区按钮", OK, f"全部 {ready} 个按钮的命令可用")


def check_vba_trust(setup: Setup) -> Result:
    """The built add-in needs no access to the VBA project; only the fallback installer does."""
    detail = "统计助手加载项不需要「信任对 VBA 工程对象模型的访问」"
    if not setup.windows:
        return Result("VBA 工程访问", INFO, detail + "（仅 Windows 备用安装方式需要）")
    value = _registry_access_vbom()
    if value is None:
        return Result("VBA 工程访问", OK, detail)
    state = "已开启" if value else "未开启"
    return Result(
        "VBA 工程访问",
        OK,
        f"{detail}；当前{state}（仅备用安装脚本 install\\fallback_xlwings.py 需要开启）",
    )


def _registry_access_vbom() -> bool | None:  # pragma: no cover - Windows only
    try:
        import winreg
    except ImportError:
        return None
    for version in ("16.0", "15.0", "14.0"):
        try:
            key = winreg.OpenKey(
                winreg.HKEY_CURRENT_USER, rf"Software\Microsoft\Office\{version}\Excel\Security"
            )
            value, _ = winreg.QueryValueEx(key, "AccessVBOM")
            return bool(value)
        except OSError:
            continue
    return None


def check_paths(setup: Setup) -> Result:
    """Chinese characters in the user name or the install paths break xlwings' start of Python
    (a known xlwings failure on Chinese Windows)."""
    loc = setup.locations
    user = setup.env.get("USERNAME") or setup.env.get("USER") or ""
    suspects = {
        "用户名": user,
        "Python 路径": str(setup.python),
        "加载项路径": str(loc.installed_addin),
    }
    bad = [f"{what}「{value}」" for what, value in suspects.items() if not value.isascii()]
    if bad:
        return Result(
            "中文路径",
            WARN,
            "含中文（非 ASCII）字符：" + "，".join(bad),
            "xlwings 在含中文的用户名或路径下可能无法启动 Python："
            "安装时用 install.bat --target C:\\tongji 把 Python 装到纯英文路径；"
            "若用户名为中文，可新建一个英文用户名的 Windows 账户。",
        )
    return Result("中文路径", OK, "用户名和安装路径均为英文字符")


def check_excel(setup: Setup) -> Result:
    if not setup.windows:
        return Result(
            "Excel",
            INFO,
            f"本机是 {platform.system()}，没有 Excel：以上只检查了文件和 Python；"
            "加载项只能在 Windows 版 Excel 中使用（WPS 不支持），命令行 tongji 可直接处理 .xlsx 文件。",
        )
    installed = _registry_has_excel()
    if installed is False:
        return Result(
            "Excel",
            FAIL,
            "注册表中找不到 Excel.Application",
            "请安装桌面版 Microsoft Excel（2010 及以上）；WPS 不支持 xlwings 加载项。",
        )
    if installed is None:
        return Result("Excel", INFO, "无法读取注册表，未能确认是否安装了 Excel")
    return Result("Excel", OK, "已安装桌面版 Excel")


def _registry_has_excel() -> bool | None:  # pragma: no cover - Windows only
    try:
        import winreg
    except ImportError:
        return None
    try:
        winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Excel.Application\CLSID")
        return True
    except OSError:
        return False


# --- LibreOffice Calc (the 统计助手 extension, tongji.oxt) ---------------------------------
# Self-contained: where LibreOffice is, whether its Python can run the TJ_ kernels (NumPy),
# and whether this user's profile holds the extension and its Basic TJ_ wrappers.

CALC_EXTENSION_MARKER = "tongji_calc_parts.py"


def libreoffice_program(setup: Setup) -> Path | None:
    """LibreOffice's ``program`` folder: from ``soffice`` on PATH, else the usual places."""
    import shutil

    found = shutil.which("soffice", path=setup.env.get("PATH")) or shutil.which(
        "libreoffice", path=setup.env.get("PATH")
    )
    places = []
    if found:
        resolved = Path(found).resolve()
        places.append(resolved.parent)
    if setup.windows:
        for base in (setup.env.get("ProgramFiles"), setup.env.get("ProgramFiles(x86)")):
            if base:
                places.append(Path(base) / "LibreOffice" / "program")
    places += [Path("/usr/lib/libreoffice/program"), Path("/opt/libreoffice/program")]
    for place in places:
        if (place / "versionrc").is_file() or (place / "version.ini").is_file():
            return place
    return None


def _libreoffice_version(program: Path) -> str:
    for name in ("versionrc", "version.ini"):
        path = program / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found = {
                k.strip(): v.strip() for k, _, v in (ln.partition("=") for ln in text.splitlines())
            }
            update_id = found.get("UpdateID", "")
            major = update_id.split("_")[1] if update_id.count("_") >= 1 else "?"
            return f"LibreOffice {major}（{found.get('buildid', '')}）"
    return "LibreOffice"


def libreoffice_python(setup: Setup, program: Path) -> Path | None:
    """The Python LibreOffice runs extensions with: its own ``python.exe`` on Windows, the
    system ``python3`` (package python3-uno) on Linux."""
    if setup.windows:
        bundled = program / "python.exe"
        return bundled if bundled.is_file() else None
    if not (program / "pythonloader.py").is_file():
        return None
    for candidate in (Path("/usr/bin/python3"), Path("/usr/local/bin/python3")):
        if candidate.is_file():
            return candidate
    return None


#: The TJ_ kernels need this Python (``zip(strict=...)``, ``ParamSpec``) and NumPy.
KERNEL_PYTHON = (3, 10)


def _probe(python: Path, modules: str) -> tuple[tuple[int, int] | None, str | None]:
    """The version of ``python`` and ``None`` when it imports ``modules``, else the error."""
    import subprocess

    code = f"import sys\nprint('%d.%d' % sys.version_info[:2])\nimport {modules}"
    run = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    first = run.stdout.strip().splitlines()[:1]
    version = tuple(int(n) for n in first[0].split(".")) if first else None
    problem = None if run.returncode == 0 else (run.stderr.strip().splitlines() or ["?"])[-1]
    return version, problem  # type: ignore[return-value]


def check_libreoffice(setup: Setup) -> Result:
    """LibreOffice is installed and its Python can run the TJ_ kernels (version, NumPy)."""
    name = "LibreOffice"
    program = libreoffice_program(setup)
    if program is None:
        return Result(name, INFO, "没有找到 LibreOffice（只在 Calc 中使用 TJ_ 函数时需要）")
    version = _libreoffice_version(program)
    python = libreoffice_python(setup, program)
    if python is None:
        fix = (
            "重新安装 LibreOffice 并勾选 Python 脚本支持。"
            if setup.windows
            else "安装 Python 支持：sudo apt install python3-uno libreoffice-script-provider-python"
        )
        return Result(name, FAIL, f"{version}，{program}：没有 Python 支持", fix)
    python_version, problem = _probe(python, "numpy" if setup.windows else "uno, numpy")
    # Windows: LibreOffice's own Python; a problem there only matters to Calc users.
    status = WARN if setup.windows else FAIL
    instead = (
        "Calc 中的 TJ_ 函数无法计算；请用 tongji 命令计算工作簿（tongji compute）或 Excel 加载项。"
    )
    if python_version is not None and python_version < KERNEL_PYTHON:
        need = ".".join(map(str, KERNEL_PYTHON))
        have = ".".join(map(str, python_version))
        return Result(
            name,
            status,
            f"{version}：它使用的 Python（{python}）为 {have}，统计助手的计算内核需要 {need} 或更高版本",
            instead,
        )
    if problem is not None:
        if setup.windows:
            return Result(
                name,
                status,
                f"{version}：自带的 Python（{python}）没有 NumPy（{problem}）",
                instead,
            )
        return Result(
            name,
            status,
            f"{version}：{python} 不能导入 uno/NumPy（{problem}）",
            "安装：sudo apt install python3-uno python3-numpy",
        )
    have = ".".join(map(str, python_version or ()))
    return Result(name, OK, f"{version}，{program}；Python {have}（{python}）可导入 uno 和 NumPy")


def libreoffice_profile(setup: Setup) -> Path:
    """This user's LibreOffice profile (``user`` folder)."""
    if setup.windows:
        return Path(setup.env.get("APPDATA", "")) / "LibreOffice" / "4" / "user"
    home = setup.env.get("HOME", "")
    return (
        Path(setup.env.get("XDG_CONFIG_HOME") or Path(home) / ".config")
        / "libreoffice"
        / "4"
        / "user"
    )


def check_calc_extension(setup: Setup) -> Result:
    """The extension is installed in this user's profile, its functions match this version's
    catalogue, and the Basic TJ_ wrappers are in 我的宏/Standard."""
    import ast

    from udfs.catalog import CATALOG

    name = "Calc 扩展"
    profile = libreoffice_profile(setup)
    install = (
        "运行 tongji build-calc -o tongji.oxt，再 unopkg add tongji.oxt，然后重启 LibreOffice。"
    )
    found = sorted(
        (profile / "uno_packages").glob(
            f"cache/uno_packages/*/*/pythonpath/{CALC_EXTENSION_MARKER}"
        )
    )
    if not found:
        return Result(
            name,
            INFO,
            f"{profile} 中没有安装统计助手 Calc 扩展（只在 Calc 中使用时需要）",
            install,
        )
    parts = found[-1]
    names: tuple[str, ...] = ()
    for node in ast.parse(parts.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "NAMES" for t in node.targets
        ):
            names = ast.literal_eval(node.value)
    extension = parts.parent.parent
    wanted = tuple(e.name for e in CATALOG)
    if names != wanted:
        missing = sorted(set(wanted) - set(names))
        return Result(
            name,
            WARN,
            f"已安装的扩展（{extension.name}）与本版统计助手的函数不一致"
            + (f"，缺少 {'、'.join(missing)}" if missing else ""),
            "重新生成并安装：tongji build-calc -o tongji.oxt；unopkg add --force tongji.oxt；重启 LibreOffice。",
        )
    basic = profile / "basic" / "Standard" / "TongjiFunctions.xba"
    if not basic.is_file():
        return Result(
            name,
            WARN,
            f"扩展已安装，但我的宏/Standard 中还没有 TJ_ 函数（{basic}）",
            "关闭并重新启动 LibreOffice 一次：扩展在启动时写入这些函数。",
        )
    return Result(
        name,
        OK,
        f"已安装（{extension}），{len(names)} 个 TJ_ 函数，我的宏/Standard 中有 TongjiFunctions",
    )


CHECKS: tuple[Callable[[Setup], Result], ...] = (
    check_python,
    check_versions,
    check_dll,
    check_addin,
    check_udf_module,
    check_ribbon_handlers,
    check_vba_trust,
    check_paths,
    check_excel,
    check_libreoffice,
    check_calc_extension,
)


def run_checks(setup: Setup | None = None) -> list[Result]:
    setup = setup or Setup()
    results = []
    for check in CHECKS:
        try:
            results.append(check(setup))
        except Exception as exc:  # a check must never hide the others
            results.append(
                Result(check.__name__, FAIL, f"检查本身出错：{exc}", "请把本报告发给维护人员。")
            )
    return results


def format_report(results: list[Result]) -> str:
    lines = ["统计助手 环境检查 / tongji doctor", ""]
    for r in results:
        lines.append(f"[{r.status}] {r.name}：{r.detail}")
        if r.fix:
            lines.append(f"       解决办法：{r.fix}")
    failed = sum(r.status == FAIL for r in results)
    warned = sum(r.status == WARN for r in results)
    lines.append("")
    lines.append(
        "全部正常。"
        if not failed and not warned
        else f"发现 {failed} 个错误、{warned} 个警告，请按上面的解决办法处理。"
    )
    return "\n".join(lines)


def ribbon_summary(results: list[Result], limit: int = 900) -> str:
    """The report for a message box (Excel's MsgBox shows about 1,000 characters): problems
    with their fixes first, then the count of checks that passed."""
    problems = [r for r in results if r.status in (FAIL, WARN)]
    if not problems:
        return f"全部 {len(results)} 项检查正常。"
    lines = [f"[{r.status}] {r.name}：{r.detail}\n  解决办法：{r.fix}" for r in problems]
    text = "\n".join(lines)
    if len(text) > limit:
        text = text[: limit - 30] + "…\n（完整报告：命令行运行 tongji doctor）"
    passed = len(results) - len(problems)
    return f"{text}\n\n其余 {passed} 项正常。"


def ribbon_doctor(book: object) -> None:
    """Ribbon handler of 环境检查: the problems found and how to fix them, in a message box."""
    text = ribbon_summary(run_checks())
    book.app.alert(text, title="统计助手 环境检查")  # type: ignore[attr-defined]
