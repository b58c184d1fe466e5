"""Workbook hosts: one command implementation runs on a file (openpyxl) or a live workbook (xlwings).

See :mod:`addin.hosts.base` for the protocol. ``open_file(path)`` gives a
:class:`~addin.hosts.openpyxl_host.FileBook`; ``XlBook(xw_book)`` wraps a live workbook.
"""

from .base import BookHost, Grid, SheetHost

__all__ = ["BookHost", "Grid", "SheetHost"]
