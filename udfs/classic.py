"""The classic (Windows, COM) registration of the ``TJ_`` functions, on any OS.

On Windows, ``xw.func``/``xw.arg``/``xw.ret`` are bound to ``xlwings.udfs.xlfunc``/``xlarg``/
``xlret``, and "Import Functions" writes the VBA wrappers with
``xlwings.udfs.generate_vba_wrapper``. Elsewhere those decorators are no-ops, and
``xlwings.udfs`` imports pywin32. This module binds the decorators the way Windows does (with
four tiny stand-in modules for pywin32, used only for importing), loads a private copy of
:mod:`udfs.excel` under them, and asks xlwings' own generator for the VBA. The result is exactly
what Excel's "Import Functions" would write, so the add-in build and the tests rely on xlwings
itself rather than on our reading of it.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import types
from pathlib import Path
from typing import Any

_PYWIN32 = ("pythoncom", "pywintypes", "win32com", "win32com.client")


def _importable(name: str) -> bool:
    if name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _classic_xlwings_udfs() -> types.ModuleType:
    """``xlwings.udfs`` (the classic COM implementation), importable without pywin32."""
    missing = [name for name in _PYWIN32 if not _importable(name)]
    for name in missing:
        sys.modules.setdefault(name, types.ModuleType(name))
    if "pythoncom" in missing:
        sys.modules["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
    if "win32com.client" in missing:
        client = sys.modules["win32com.client"]
        client.Dispatch = lambda *args, **kwargs: None  # type: ignore[attr-defined]
        sys.modules["win32com"].client = client  # type: ignore[attr-defined]
    import xlwings.udfs

    return xlwings.udfs


def classic_module() -> types.ModuleType:
    """A private copy of :mod:`udfs.excel` decorated with the classic xlwings decorators.

    Its ``TJ_`` functions carry the ``__xlfunc__`` metadata classic Excel reads (names,
    arguments, optional defaults, docs, category).
    """
    import xlwings as xw

    classic = _classic_xlwings_udfs()
    source = Path(__file__).with_name("excel.py")
    spec = importlib.util.spec_from_file_location("udfs._excel_classic", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "udfs"
    saved = (xw.func, xw.arg, xw.ret)
    xw.func, xw.arg, xw.ret = classic.xlfunc, classic.xlarg, classic.xlret
    try:
        spec.loader.exec_module(module)
    finally:
        xw.func, xw.arg, xw.ret = saved
    return module


class _Workbook:
    """What ``generate_vba_wrapper`` asks of the target workbook: its name."""

    def __init__(self, name: str):
        self.Name = name


def vba_wrappers(module_name: str = "udfs.excel", workbook_name: str = "tongji.xlam") -> str:
    """The VBA module text that "Import Functions" writes for the ``TJ_`` functions.

    ``module_name`` is the Python module Excel will import (the add-in conf's ``UDF Modules``);
    an ``.xlam`` workbook name makes the wrappers call ``ActiveWorkbook`` as add-ins must.
    """
    classic = _classic_xlwings_udfs()
    out = io.StringIO()
    classic.generate_vba_wrapper(module_name, classic_module(), out, _Workbook(workbook_name))
    return out.getvalue()


def function_metadata() -> dict[str, dict[str, Any]]:
    """``__xlfunc__`` of every ``TJ_`` function as classic xlwings registers it."""
    module = classic_module()
    return {
        name: getattr(module, name).__xlfunc__ for name in dir(module) if name.startswith("TJ_")
    }


__all__ = ["classic_module", "function_metadata", "vba_wrappers"]
