"""Workbook hosts: one command implementation runs on a file (openpyxl) or a live workbook (xlwings).

See :mod:`addin.hosts.base` for the protocol. ``open_file(path)`` gives a
:class:`~addin.hosts.openpyxl_host.FileBook`; ``XlBook(xw_book)`` wraps a live workbook
(``xw.Book.caller()`` in a ribbon handler, or any ``xw.Book``).

>>> from addin.hosts import open_file  # doctest: +SKIP
>>> book = open_file("示例市主要经济指标.xlsx")  # doctest: +SKIP
>>> grid = book.sheet("2026Q3").read()  # doctest: +SKIP
>>> grid.get(5, 1), grid.is_formula(5, 2)  # doctest: +SKIP
('全市', False)
"""

from .base import BookHost, Grid, SheetHost
from .openpyxl_host import FileBook, WorkbookError, open_file, save_result
from .xlwings_host import XlBook

__all__ = [
    "BookHost",
    "FileBook",
    "Grid",
    "SheetHost",
    "WorkbookError",
    "XlBook",
    "open_file",
    "save_result",
]
