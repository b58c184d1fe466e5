"""The text parts of the Calc extension, generated from the catalogue (:mod:`udfs.catalog`):
the same names, parameters and Chinese help as the Excel add-in.

- ``idl_text``: the UNO interface of the add-in (one method per ``TJ_`` function; every
  argument ``any``, every result ``sequence<sequence<any>>``; parameter names camelCase as
  the IDL compiler demands), plus a last ``caller`` argument the Basic wrappers fill with
  :data:`~addin.calc.WRAPPER_TOKEN` (a direct call leaves it empty and is refused);
- ``calc_addins_xcu``: the Function Wizard entries (Chinese descriptions and parameter help);
- ``basic_module``: the Basic ``TJ_`` wrappers users type (see :mod:`addin.calc`);
- ``jobs_xcu``: the start-up job that puts the wrappers into 我的宏/Standard;
- ``manifest_xml`` and ``description_xml``.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from addin.calc import (
    ADDIN_SERVICE,
    CALLER_PARAMETER,
    EXTENSION_ID,
    INTERFACE,
    MODULE,
    SETUP_SERVICE,
    WRAPPER_TOKEN,
)
from udfs.catalog import CATALOG, Entry

CATEGORY = "Add-In"
LANGS = ("zh-CN", "en-US")
TYPELIB = "tongji.rdb"
COMPONENT = "tongji_component.py"
ADDIN_XCU = "CalcAddIns.xcu"
JOBS_XCU = "Jobs.xcu"


def camel(name: str) -> str:
    """``price_index`` → ``priceIndex`` (IDL parameter names may not hold ``_``)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def wizard_name(entry: Entry) -> str:
    """The add-in function's own name in Calc (``TJ.GROWTH``), kept apart from the Basic
    wrapper ``TJ_GROWTH`` users type: Calc resolves an add-in name before a macro name."""
    return "TJ." + entry.name.removeprefix("TJ_")


def idl_text(catalog: tuple[Entry, ...] = CATALOG) -> str:
    methods = []
    for entry in catalog:
        names = [camel(p.name) for p in entry.parameters] + [CALLER_PARAMETER]
        params = ", ".join(f"[in] any {name}" for name in names)
        methods.append(f"        sequence< sequence< any > > {entry.name}({params});")
    *outer, inner = MODULE.split(".")
    opening = " ".join(f"module {m} {{" for m in (*outer, inner))
    closing = " ".join("};" for _ in (*outer, inner))
    return (
        "// Generated from the catalogue of TJ_ functions; do not edit.\n"
        "#include <com/sun/star/uno/XInterface.idl>\n"
        f"{opening}\n"
        f"    interface {INTERFACE.rsplit('.', 1)[1]} : com::sun::star::uno::XInterface {{\n"
        + "\n".join(methods)
        + f"\n    }};\n{closing}\n"
    )


def _localized(prop: str, text: str) -> str:
    values = "".join(f"<value xml:lang={quoteattr(lang)}>{escape(text)}</value>" for lang in LANGS)
    return f'<prop oor:name="{prop}">{values}</prop>'


def caller_help(entry: Entry) -> str:
    """The wizard's help on the ``caller`` parameter: not for users."""
    return f"内部参数，请勿填写；请在单元格中使用 {entry.name}"


def _function_xcu(entry: Entry) -> str:
    params = []
    for p in entry.parameters:
        label = f"{p.name}（可选）" if p.optional else p.name
        params.append(
            f'<node oor:name="{camel(p.name)}" oor:op="replace">'
            f"{_localized('DisplayName', label)}{_localized('Description', p.doc)}</node>"
        )
    params.append(
        f'<node oor:name="{CALLER_PARAMETER}" oor:op="replace">'
        f"{_localized('DisplayName', f'{CALLER_PARAMETER}（内部参数）')}"
        f"{_localized('Description', caller_help(entry))}</node>"
    )
    description = (
        f"{entry.description} 在单元格中请输入 {entry.name}（空单元格按无数据处理）。"
        f"{wizard_name(entry)} 是其内核，直接使用得 #VALUE!：Calc 会把单个空单元格当作 0 传给它。"
    )
    return (
        f'<node oor:name="{entry.name}" oor:op="replace">'
        f"{_localized('DisplayName', wizard_name(entry))}"
        f"{_localized('Description', description)}"
        f'<prop oor:name="Category"><value>{CATEGORY}</value></prop>'
        f'<node oor:name="Parameters">{"".join(params)}</node></node>'
    )


def calc_addins_xcu(catalog: tuple[Entry, ...] = CATALOG) -> str:
    functions = "\n".join(_function_xcu(e) for e in catalog)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'oor:name="CalcAddIns" oor:package="org.openoffice.Office">\n'
        f'<node oor:name="AddInInfo"><node oor:name="{ADDIN_SERVICE}" oor:op="replace">'
        f'<node oor:name="AddInFunctions">\n{functions}\n</node></node></node>\n'
        "</oor:component-data>\n"
    )


_BASIC_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def basic_parameter(name: str) -> str:
    """A Basic parameter name that no Basic keyword can shadow (``base`` → ``x_base``)."""
    if not _BASIC_WORD.match(name):
        raise ValueError(f"parameter name not usable in Basic: {name!r}")
    return f"x_{name}"


_BASIC_HEAD = f"""REM 统计助手 TJ_ functions for LibreOffice Calc. Generated from the catalogue of TJ_
REM functions; written into My Macros/Standard by the 统计助手 extension when LibreOffice
REM starts. Each function hands its arguments to the extension's Python component
REM ({ADDIN_SERVICE}), which computes with the same kernels as the Excel add-in.

REM VBA support makes Calc hand a cell reference over as a range object instead of its values:
REM the component then reads blank cells as blank (not 0) and an error cell as that element's
REM error, where plain Basic would fail the whole call.
Option VBASupport 1

REM Global: a module-level variable is reset before every call from a cell, and creating the
REM service costs about a millisecond.
Global oTongjiService As Object

Private Function TongjiService() As Object
    If oTongjiService Is Nothing Then Set oTongjiService = createUnoService("{ADDIN_SERVICE}")
    Set TongjiService = oTongjiService
End Function

REM Rows of values from the component as a cell value (1x1) or a 2-D array.
Private Function TongjiCells(rows)
    Dim nRows As Long, nCols As Long, i As Long, j As Long
    nRows = UBound(rows)
    nCols = UBound(rows(0))
    If nRows = 0 And nCols = 0 Then
        TongjiCells = rows(0)(0)
        Exit Function
    End If
    Dim cells(0 To nRows, 0 To nCols)
    For i = 0 To nRows
        For j = 0 To nCols
            cells(i, j) = rows(i)(j)
        Next j
    Next i
    TongjiCells = cells
End Function

REM What a wrapper returns when anything fails (the component cannot be created, raises, or
REM hands back something unexpected): Calc shows #VALUE! for a three-dimensional array. A
REM runtime error left unhandled would show as an empty cell, read as 0 by what refers to it.
Private Function TongjiFailed()
    Dim failed(0, 0, 0)
    TongjiFailed = failed
End Function
"""


def basic_function(entry: Entry) -> str:
    """One ``TJ_`` wrapper: an argument left off at the end arrives missing and goes to the
    component as ``None``, followed by the token that marks the call as a wrapper's
    (:data:`~addin.calc.WRAPPER_TOKEN`); any failure gives ``#VALUE!`` (``TongjiFailed``),
    never a blank."""
    names = [basic_parameter(p.name) for p in entry.parameters]
    head = ", ".join(f"Optional {n}" for n in names)
    missing = "\n".join(f"    If IsMissing({n}) Then {n} = Empty" for n in names)
    arguments = [*names, f'"{WRAPPER_TOKEN}"']
    return (
        f"Function {entry.name}({head})\n"
        "    On Error GoTo failed\n"
        f"{missing}\n"
        f"    {entry.name} = TongjiCells(TongjiService().{entry.name}({', '.join(arguments)}))\n"
        "    Exit Function\n"
        "failed:\n"
        f"    {entry.name} = TongjiFailed()\n"
        "End Function\n"
    )


def basic_module(catalog: tuple[Entry, ...] = CATALOG) -> str:
    """The Basic module ``TongjiFunctions``: one wrapper per ``TJ_`` function."""
    return _BASIC_HEAD + "\n" + "\n".join(basic_function(e) for e in catalog)


def jobs_xcu() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" oor:name="Jobs" '
        'oor:package="org.openoffice.Office">\n'
        '<node oor:name="Jobs"><node oor:name="TongjiSetup" oor:op="replace">'
        f'<prop oor:name="Service"><value>{SETUP_SERVICE}</value></prop></node></node>\n'
        '<node oor:name="Events"><node oor:name="OnStartApp" oor:op="fuse">'
        '<node oor:name="JobList"><node oor:name="TongjiSetup" oor:op="replace"/></node>'
        "</node></node>\n"
        "</oor:component-data>\n"
    )


def manifest_xml() -> str:
    entries = [
        ("application/vnd.sun.star.uno-typelibrary;type=RDB", TYPELIB),
        ("application/vnd.sun.star.uno-component;type=Python", COMPONENT),
        ("application/vnd.sun.star.configuration-data", ADDIN_XCU),
        ("application/vnd.sun.star.configuration-data", JOBS_XCU),
    ]
    lines = "".join(
        f' <manifest:file-entry manifest:media-type="{kind}" manifest:full-path="{path}"/>\n'
        for kind, path in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="http://openoffice.org/2001/manifest">\n'
        f"{lines}</manifest:manifest>\n"
    )


def description_xml(version: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<description xmlns="http://openoffice.org/extensions/description/2006" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        f' <identifier value="{EXTENSION_ID}"/>\n'
        f' <version value="{escape(version)}"/>\n'
        ' <dependencies><OpenOffice.org-minimal-version value="4.1" '
        'xmlns:d="http://openoffice.org/extensions/description/2006" '
        'd:name="OpenOffice.org 4.1"/></dependencies>\n'
        " <display-name>\n"
        '  <name lang="zh-CN">统计助手</name>\n'
        '  <name lang="en-US">统计助手 (tongji) TJ_ functions</name>\n'
        " </display-name>\n"
        "</description>\n"
    )


__all__ = [
    "ADDIN_XCU",
    "COMPONENT",
    "JOBS_XCU",
    "TYPELIB",
    "basic_function",
    "basic_module",
    "calc_addins_xcu",
    "caller_help",
    "camel",
    "description_xml",
    "idl_text",
    "jobs_xcu",
    "manifest_xml",
    "wizard_name",
]
