"""The ``TJ_`` VBA wrappers of the add-in, written by xlwings' own generator on any OS.

On Windows, xlwings' "Import Functions" decorates :mod:`udfs.excel` with the classic
``xlwings.udfs`` decorators and writes one VBA function per ``TJ_`` function. Elsewhere
``xw.func``/``xw.arg``/``xw.ret`` are no-ops, so this module does what ``xlwings/__init__.py``
does on Windows: it imports ``xlwings.udfs`` (with tiny stand-ins for the pywin32 modules it
imports, which the generator never calls), executes a private copy of :mod:`udfs.excel` with
the classic decorators in place of ``xw.func``/``xw.arg``/``xw.ret``, and hands that copy to
``xlwings.udfs.generate_vba_wrapper``. Nothing of this leaks: the stand-ins and
``xlwings.udfs`` are removed from ``sys.modules`` afterwards and the real :mod:`udfs.excel`
is untouched.

The generated wrappers are then post-processed: every result goes through
``TongjiCells.ToCells`` (``addin/xlam/vba/TongjiCells.bas``), which turns the error markers of
:mod:`udfs.errors` (``"#DIV/0! <中文说明>"``) into real Excel errors (``CVErr``), element by
element for arrays, and keeps each message for the 函数说明 button. A call that fails before
Python answers (Python cannot start) returns ``TongjiCells.Failed``: ``#VALUE!`` in the cell,
never xlwings' ``Err.Description`` as text, with the text kept for 函数说明.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import re
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from addin import ADDIN_FILENAME

#: The Python module the add-in imports its functions from (the conf sheet's "UDF Modules").
UDF_MODULE = "udfs.excel"

#: Name of the VBA module holding the generated wrappers.
WRAPPER_MODULE = "TongjiFunctions"

#: Name of the VBA module registering the Function Wizard help. Kept apart from the wrappers:
#: VBA compiles module by module, so nothing in it can ever stop a TJ_ function from running.
HELP_MODULE = "TongjiHelp"

#: Words VBA reserves (MS-VBAL 3.3.5.2 and the built-in type and conversion names): a
#: wrapper parameter with one of these names would stop the whole module from compiling.
#: ``Base`` is not among them: like ``Compare`` and ``Explicit`` it is a keyword only after
#: ``Option`` and stays a legal identifier (``TJ_GROWTH(current, base, ...)``).
VBA_RESERVED = frozenset(
    word.lower()
    for word in """
    Abs AddressOf And Any Array As Attribute Boolean ByRef Byte ByVal Call Case CBool
    CByte CCur CDate CDbl CDec CInt Circle CLng CLngLng CLngPtr Close Const CSng CStr Currency
    CVar CVErr Date Debug Decimal Declare DefBool DefByte DefCur DefDate DefDbl DefDec DefInt
    DefLng DefLngLng DefLngPtr DefObj DefSng DefStr DefVar Dim Do DoEvents Double Each Else
    ElseIf Empty End EndIf Enum Eqv Erase Error Event Exit False Fix For Friend Function Get
    Global GoSub GoTo If Imp Implements In Input InputB Int Integer Is LBound Len LenB Let Like
    Lock Long LongLong LongPtr Loop LSet Me Mod New Next Not Nothing Null Object On Open Option
    Optional Or ParamArray Preserve Print Private PSet Public Put RaiseEvent ReDim Rem Resume
    Return RSet Scale Seek Select Set Sgn Shared Single Spc Static Step Stop String Sub Tab Then
    To True Type TypeOf UBound Unlock Until Variant Wend While With WithEvents Write Xor
    """.split()  # noqa: SIM905
)

_PYWIN32_STAND_INS = ("pythoncom", "pywintypes", "win32com", "win32com.client")


@dataclass(frozen=True)
class Wrapper:
    """One generated VBA function: its Excel name and its VBA parameters."""

    name: str
    parameters: tuple[str, ...]  # VBA names, in order
    optional: tuple[bool, ...]


#: Names the generated wrapper body uses: a parameter named like one would shadow the call.
WRAPPER_BODY_NAMES = frozenset(
    {"application", "activeworkbook", "thisworkbook", "xlpy", "err", "failed", "tongjicells"}
)


class ReservedParameterName(ValueError):
    """A ``TJ_`` parameter whose name VBA reserves or the wrapper body uses."""


@contextlib.contextmanager
def classic_xlwings() -> Iterator[types.ModuleType]:
    """``xlwings.udfs`` importable on any OS, for the duration of the block."""
    saved = {name: sys.modules.get(name) for name in (*_PYWIN32_STAND_INS, "xlwings.udfs")}
    if sys.platform.startswith("win"):
        import xlwings.udfs as classic  # the real thing, with the real pywin32

        yield classic
        return
    stand_ins = {name: types.ModuleType(name) for name in _PYWIN32_STAND_INS}
    stand_ins["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
    stand_ins["pywintypes"].com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
    stand_ins["win32com.client"].Dispatch = lambda *a, **k: None  # type: ignore[attr-defined]
    stand_ins["win32com"].client = stand_ins["win32com.client"]  # type: ignore[attr-defined]
    import xlwings

    had_attribute = hasattr(xlwings, "udfs")
    try:
        sys.modules.update(stand_ins)
        sys.modules.pop("xlwings.udfs", None)
        yield importlib.import_module("xlwings.udfs")
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        if not had_attribute and hasattr(xlwings, "udfs"):
            delattr(xlwings, "udfs")


def classic_module(classic: types.ModuleType, module_name: str = UDF_MODULE) -> types.ModuleType:
    """A private copy of ``module_name`` executed with the classic xlwings decorators, so its
    functions carry the ``__xlfunc__`` metadata "Import Functions" reads on Windows."""
    import xlwings as xw

    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.loader is None:
        raise ImportError(f"找不到函数模块 {module_name}")
    module = importlib.util.module_from_spec(spec)
    saved = (xw.func, xw.arg, xw.ret)
    xw.func, xw.arg, xw.ret = classic.xlfunc, classic.xlarg, classic.xlret
    try:
        spec.loader.exec_module(module)
    finally:
        xw.func, xw.arg, xw.ret = saved
    return module


class _AddinWorkbook:
    """What ``generate_vba_wrapper`` asks of the workbook: its name (an add-in calls the
    functions with ``ActiveWorkbook``)."""

    Name = ADDIN_FILENAME


def _generate(module_name: str) -> tuple[str, dict[str, dict[str, Any]]]:
    buffer = io.StringIO()
    with classic_xlwings() as classic:
        module = classic_module(classic, module_name)
        classic.generate_vba_wrapper(module_name, module, buffer, _AddinWorkbook())
    metadata = {
        name: value.__xlfunc__
        for name, value in sorted(vars(module).items())
        if hasattr(value, "__xlfunc__")
    }
    return buffer.getvalue(), metadata


def xlwings_wrappers(module_name: str = UDF_MODULE) -> str:
    """The VBA xlwings' "Import Functions" would write for ``module_name``, unmodified."""
    return _generate(module_name)[0]


_SIGNATURE = re.compile(r"^Function (\w+)\((.*)\)$", re.MULTILINE)
_CALL = re.compile(
    r"^(?P<indent>\s*)(?P<name>\w+) = XLPy\.CallUDF\((?P<args>.*?)(?P<caller>, Application\.Caller)?\)$",
    re.MULTILINE,
)


#: The wrapper's error branch as xlwings writes it: the error text would land in the cell.
_FAILED = re.compile(r"^(?P<indent>\s*)(?P<name>\w+) = Err\.Description$", re.MULTILINE)


def _check_parameter_names(vba: str) -> str:
    """Refuse wrappers whose parameter names VBA reserves (the whole module would not compile)
    or that shadow a name the wrapper body calls. Names are fixed in ``udfs/excel.py`` so that
    Excel's tooltip, the catalog and the README say the same."""
    for wrapper in parse_wrappers(vba).values():
        for name in wrapper.parameters:
            if name.lower() in VBA_RESERVED | WRAPPER_BODY_NAMES:
                raise ReservedParameterName(
                    f"{wrapper.name} 的参数名 {name} 在 VBA 中是保留字，请在 udfs/excel.py 中改名"
                )
    return vba


def _route_through_cells(vba: str) -> str:
    def replace(match: re.Match[str]) -> str:
        caller = "Application.Caller" if match.group("caller") else "Nothing"
        call = f"XLPy.CallUDF({match.group('args')}{match.group('caller') or ''})"
        return (
            f"{match.group('indent')}{match.group('name')} = TongjiCells.ToCells({call}, {caller})"
        )

    vba = _CALL.sub(replace, vba)
    vba, count = _FAILED.subn(
        r"\g<indent>\g<name> = TongjiCells.Failed(Err.Description, Application.Caller)", vba
    )
    if count != len(parse_wrappers(vba)):
        raise ValueError("xlwings 生成的 VBA 函数中找不到出错分支 failed:（xlwings 版本不受支持）")
    return vba


def help_registration(metadata: dict[str, dict[str, Any]]) -> str:
    """VBA ``Sub RegisterHelp``: the Function Wizard help (description, category, argument
    help, 255 characters each) that xlwings' "Import Functions" registers with
    ``Application.MacroOptions`` on Windows — written out, since a file built without Excel
    cannot carry it. Chinese text is spelled with ``ChrW`` so the module stays ASCII."""
    from addin.xlam.vbaproject import vba_string_assignment

    lines = [
        "' Generated by `tongji build-addin` from the classic xlwings metadata of udfs.excel.",
        "Option Explicit",
        "",
        "Public Sub RegisterHelp()",
        "    ' Called by ThisWorkbook's Workbook_Open: help for the Insert Function dialog.",
        "    ' Late bound (Object): an Excel without a MacroOptions argument fails at run time",
        "    ' here, never at compile time.",
        "    Dim xl As Object",
        "    Dim argText As String, description As String, category As String",
        "    Dim arguments() As Variant",
        "    On Error Resume Next",
        "    Set xl = Application",
    ]
    for name, info in metadata.items():
        docs = [a["doc"][:255] for a in info["args"] if not a["vba"]]
        lines += [
            "    " + line for line in vba_string_assignment("category", str(info["category"]))
        ]
        lines += [
            "    " + line
            for line in vba_string_assignment("description", info["ret"]["doc"].strip()[:255])
        ]
        lines.append(f"    ReDim arguments(0 To {max(len(docs), 1) - 1})")
        for i, doc in enumerate(docs):
            lines += ["    " + line for line in vba_string_assignment("argText", doc)]
            lines.append(f"    arguments({i}) = argText")
        lines.append(
            f'    xl.MacroOptions Macro:="\'" & ThisWorkbook.Name & "\'!{name}", '
            "Description:=description, Category:=category, ArgumentDescriptions:=arguments"
        )
    lines += ["    ThisWorkbook.Saved = True", "End Sub", ""]
    return "\r\n".join(lines)


def help_module_source(module_name: str = UDF_MODULE) -> str:
    """Body of the ``TongjiHelp`` VBA module (CRLF line ends, no ``Attribute`` line)."""
    return help_registration(_generate(module_name)[1])


def wrapper_module_source(module_name: str = UDF_MODULE) -> str:
    """Body of the ``TongjiFunctions`` VBA module (CRLF line ends, no ``Attribute`` line).

    xlwings' wrappers, parameter names checked against VBA keywords, every result routed through
    ``TongjiCells.ToCells`` (real Excel errors instead of marker text).
    """
    generated = _generate(module_name)[0]
    body = _route_through_cells(_check_parameter_names(generated.replace("\r\n", "\n")))
    header = (
        "' Generated by `tongji build-addin` from the udfs package with xlwings'\n"
        "' generate_vba_wrapper; results pass through TongjiCells.ToCells.\n"
        "Option Explicit\n"
        '#Const App = "Microsoft Excel"\n\n'
    )
    return (header + body).replace("\n", "\r\n")


def parse_wrappers(vba: str) -> dict[str, Wrapper]:
    """The VBA functions of a module, by name, with their parameters (for the build checks)."""
    found: dict[str, Wrapper] = {}
    for match in _SIGNATURE.finditer(vba.replace("\r\n", "\n")):
        names: list[str] = []
        optional: list[bool] = []
        for raw in (p.strip() for p in match.group(2).split(",") if p.strip()):
            optional.append(raw.startswith("Optional "))
            names.append(raw.removeprefix("Optional ").removeprefix("ParamArray ").rstrip("()"))
        found[match.group(1)] = Wrapper(match.group(1), tuple(names), tuple(optional))
    return found


def classic_metadata(module_name: str = UDF_MODULE) -> dict[str, dict[str, Any]]:
    """The classic ``__xlfunc__`` metadata of every function (name → dict): what "Import
    Functions" registers with ``Application.MacroOptions`` (description, category, argument
    help)."""
    return _generate(module_name)[1]
