"""The add-in as LibreOffice reads it: a copy with the workbook content type, converted to .ods."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.libreoffice import SOFFICE, convert

XLAM_CONTENT_TYPE = b"application/vnd.ms-excel.addin.macroEnabled.main+xml"
XLSM_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def as_xlsm(xlam: Path, out: Path) -> Path:
    """A copy of the add-in LibreOffice accepts: same parts, workbook content type switched."""
    with zipfile.ZipFile(xlam) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                assert XLAM_CONTENT_TYPE in data
                data = data.replace(XLAM_CONTENT_TYPE, XLSM_CONTENT_TYPE)
            copy.writestr(info, data)
    return out


def soffice() -> str | None:
    return SOFFICE


def convert_to_ods(xlsm: Path, outdir: Path) -> Path:
    return convert(xlsm, "ods", outdir, timeout=180)
