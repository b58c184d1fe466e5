"""Hostile and broken .xlsx files, each built from scratch (no binary blobs in the repository).

Every builder writes one file and returns its path. The packages are written part by part with
:mod:`zipfile` so that a part can be anything an attacker likes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from addin.xlam.vbaproject.cfb import write_compound_file

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="2026Q3" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHARED_STRINGS = (
    f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1">'
    "<si><t>地区</t></si></sst>"
)


def sheet_xml(rows: str, dimension: str = "A1:B2", prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


PLAIN_ROWS = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>'


def package(path: Path, **replace: str | bytes) -> Path:
    """A minimal workbook (one sheet 「2026Q3」, a shared-strings table) with parts replaced or
    added: keyword ``sheet`` / ``strings`` for the worksheet and shared strings, any other part
    by its path (``**{"xl/x.xml": ...}``)."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": replace.pop("sheet", sheet_xml(PLAIN_ROWS)),
        "xl/sharedStrings.xml": replace.pop("strings", SHARED_STRINGS),
    }
    parts.update(replace)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def malformed_xml(path: Path) -> Path:
    """A worksheet whose XML stops in the middle of a row (a tag never closed)."""
    broken = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></row>'
    return package(path, sheet=broken)


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def entity_bomb(path: Path) -> Path:
    """Billion laughs: nine levels of ten entities each (10^9 × "lol") in a shared string."""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>{BILLION_LAUGHS}<sst xmlns="{MAIN}" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    return package(path, strings=strings)


def external_entity(path: Path, secret: Path) -> Path:
    """XXE: a shared string that is an external entity reading a local file."""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM '
        f'"file://{secret}">]><sst xmlns="{MAIN}" count="1" uniqueCount="1">'
        "<si><t>&xxe;</t></si></sst>"
    )
    return package(path, strings=strings)


def truncated(path: Path, source: Path) -> Path:
    """The first half of a good workbook (an interrupted download)."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted(path: Path) -> Path:
    """What Excel writes for a workbook with an opening password: an OLE2 compound file with
    an ``EncryptionInfo`` stream (agile encryption, version 4.4) and the ``EncryptedPackage``."""
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + b'<?xml version="1.0"?><encryption/>'
    path.write_bytes(write_compound_file({"EncryptionInfo": info, "EncryptedPackage": bytes(4200)}))
    return path


def renamed_xls(path: Path) -> Path:
    """An Excel 97-2003 workbook (a ``Workbook`` stream in an OLE2 file) named .xlsx."""
    bof = b"\x09\x08\x10\x00\x00\x06\x05\x00" + bytes(12)  # BIFF8 BOF record
    path.write_bytes(write_compound_file({"Workbook": bof + bytes(5000)}))
    return path


def grid_bomb(path: Path, declared: bool = True) -> Path:
    """A few hundred bytes declaring (and using) the whole grid: A1 and XFD1048576."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    return package(path, sheet=sheet_xml(rows, "A1:XFD1048576" if declared else "A1"))


def strings_bomb(path: Path, count: int = 1_500_000, part: str = "") -> Path:
    """A shared-strings table of ``count`` distinct entries (over the limit); ``part``: under
    another name than the usual one (readers follow the relationship, not the name)."""
    items = "".join(f"<si><t>{i}</t></si>" for i in range(count))
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}" '
        f'uniqueCount="{count}">{items}</sst>'
    )
    if not part:
        return package(path, strings=strings)
    rels = WORKBOOK_RELS.replace('Target="sharedStrings.xml"', f'Target="/{part}"')
    types = CONTENT_TYPES.replace("/xl/sharedStrings.xml", f"/{part}")
    return package(
        path,
        strings=SHARED_STRINGS,
        **{part: strings, "xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types},
    )


def styles_bomb(path: Path, count: int = 250_000) -> Path:
    """A styles part with ``count`` cell formats (Excel itself stops near 64,000)."""
    import random

    rng = random.Random(11)
    formats = "".join(
        f'<xf numFmtId="{rng.randrange(200)}" fontId="{rng.randrange(900)}" '
        f'fillId="{rng.randrange(900)}" borderId="{rng.randrange(900)}"/>'
        for _ in range(count)
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
        f'<cellXfs count="{count}">{formats}</cellXfs></styleSheet>'
    )
    rels = WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>',
    )
    return package(path, **{"xl/styles.xml": styles, "xl/_rels/workbook.xml.rels": rels})


def zip_bomb(path: Path, megabytes: int = 64) -> Path:
    """A worksheet padded with ``megabytes`` MB of blanks: a kilobyte-sized file that expands
    a thousandfold."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/sharedStrings.xml", SHARED_STRINGS),
        ):
            out.writestr(name, data)
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'.encode())
            blank = b" " * (1 << 20)
            for _ in range(megabytes):
                sheet.write(blank)
            sheet.write(b"<sheetData/></worksheet>")
    return path


def text_file(path: Path) -> Path:
    """A CSV export saved under an .xlsx name."""
    path.write_text("地区,地区生产总值增长(%)\n甲县,6.5\n", encoding="utf-8")
    return path


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def merged_bomb(path: Path) -> Path:
    """One merged range over the whole grid: a reader creates a cell for each of its members."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>'
    sheet = sheet_xml(rows, "A1").replace(
        "</sheetData>",
        '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
    )
    return package(path, sheet=sheet)


def hyperlink_bomb(path: Path) -> Path:
    """A hyperlink over the whole grid (a reader links every cell of it)."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>'
    sheet = sheet_xml(rows, "A1").replace(
        "</sheetData>",
        '</sheetData><hyperlinks><hyperlink ref="A1:XFD1048576" location="\'2026Q3\'!A1"/></hyperlinks>',
    )
    return package(path, sheet=sheet)


def array_bomb(path: Path) -> Path:
    """An array formula whose range is the whole grid."""
    rows = '<row r="1"><c r="A1"><f t="array" ref="A1:XFD1048576">1+1</f><v>2</v></c></row>'
    return package(path, sheet=sheet_xml(rows, "A1"))
