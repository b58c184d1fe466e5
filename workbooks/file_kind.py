"""What a file that is not an .xlsx/.xlsm package is, so the message can say so.

A workbook from a county is often an Excel 97-2003 ``.xls`` renamed to ``.xlsx`` (or an
``.xlsx`` renamed to ``.xls``), or one saved with an opening password: openpyxl then says only
"File is not a zip file". :func:`foreign_workbook` reads the first bytes and names the case in
Chinese: an OLE2 compound file (signature ``D0 CF 11 E0 A1 B1 1A E1``, MS-CFB §2.2) holding an
``EncryptionInfo`` stream is an encrypted workbook (MS-OFFCRYPTO §2.3.4); one holding a
``Workbook`` or ``Book`` stream is an Excel 97-2003 workbook (MS-XLS §2.1.2); a zip package
named ``.xls`` is an .xlsx whose extension was changed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_SCAN = 4 << 20  # directory entries of a small compound file sit in its first megabytes


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def foreign_workbook(path: Path) -> str | None:
    """A Chinese sentence naming what ``path`` really is when it is not an .xlsx/.xlsm
    package (or is one under an .xls name); None when it looks like what its name says or is
    none of the known cases."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(_SCAN)
    except OSError:
        return None  # the caller reports a file it cannot read
    name = path.name
    if head.startswith(_OLE2):
        if _utf16("EncryptionInfo") in head:
            return (
                f"「{name}」是设置了打开密码的加密工作簿，无法直接读取。"
                "请在 Excel/WPS 中打开，去掉密码（文件→信息→保护工作簿→用密码进行加密，清空）后另存为 .xlsx。"
            )
        if _utf16("Workbook") in head or _utf16("Book") in head:
            return (
                f"「{name}」是 Excel 97-2003 格式（.xls）的工作簿"
                f"{'，只是扩展名被改成了 ' + path.suffix if path.suffix.lower() != '.xls' else ''}。"
                "请在 Excel/WPS 中打开，另存为「Excel 工作簿 (*.xlsx)」后再用。"
            )
        return f"「{name}」是旧版 Office 复合文档，不是 .xlsx/.xlsm 工作簿。"
    if path.suffix.lower() == ".xls" and zipfile.is_zipfile(path):
        return (
            f"「{name}」其实是 .xlsx 工作簿，只是扩展名写成了 .xls。"
            f"请把文件名改为「{path.stem}.xlsx」后再用。"
        )
    return None


__all__ = ["foreign_workbook"]
