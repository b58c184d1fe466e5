"""Calling a ``TJ_`` function the way xlwings Server / Lite (Office.js) calls it, for the tests
and the benchmark."""

from __future__ import annotations

from typing import Any

import xlwings as xw

import udfs.excel


def recalculate(name: str, *args: Any, runtime: str = "1.4") -> Any:
    """One Office.js recalculation of ``=name(args)`` exactly as xlwings Server / Lite runs it
    (``xlwings.server.custom_functions_call``): each argument a 2-D list of rows (a single value
    is sent as one cell), the result as the cell values Excel receives. Needs
    ``XLWINGS_ON_SERVER=true`` and a license key set before xlwings is first imported."""
    import asyncio

    from xlwings.server import custom_functions_call

    payload = {
        "func_name": name,
        "args": [a if isinstance(a, list) else [[a]] for a in args],
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": runtime,
        "caller_address": "Sheet1!B2",
        "culture_info_name": "zh-CN",
        "date_format": "yyyy/m/d",
    }
    return asyncio.run(custom_functions_call(payload, udfs.excel))
