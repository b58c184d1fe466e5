"""Vetting an untrusted .xlsx/.xlsm before any parser sees it.

A workbook or data drop comes from outside (a county, the reporting system, e-mail). Before
openpyxl or our own package reader opens it, :func:`vet_package` checks, reading the package
in bounded chunks and never building more than one chunk in memory:

- that it is a zip package at all — otherwise it says what the file is: empty, an Excel 97-2003
  ``.xls`` under a new name, a workbook encrypted with an opening password (an OLE2 compound
  file holding an ``EncryptionInfo`` stream), a CSV/text file, a web page, a PDF — and that the
  zip is complete (a truncated download has no central directory);
- the number of parts, each part's and the total uncompressed size, and the compression ratio
  of large parts (a "zip bomb" expands a few kilobytes into gigabytes);
- every XML part is well-formed and has no document type declaration: entities (the
  "billion laughs" expansion, external entities reading local files) can only be declared in
  one, and no spreadsheet program writes one (openpyxl parses with ``defusedxml`` when it is
  installed — :data:`openpyxl.xml.DEFUSEDXML` — and this check holds either way);
- every worksheet's declared ``<dimension>`` and the area its cells actually span (rows ×
  columns), and the number of cells (a "grid bomb" is a tiny file declaring a cell at
  XFD1048576, which a reader turns into 17 billion empty cells);
- the shared-strings table: its size and number of strings.

Each refusal is a :class:`PackageError` with one Chinese sentence naming the file (and the sheet
or part). Limits are :class:`Limits`; :data:`WORKBOOK` for the bureau's workbooks,
:data:`DROP` (smaller) for data drops, which are read as full rectangles.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from workbooks.errors import UserError

_MB = 1 << 20
_UNTOUCHED = "未作任何处理"
_CHUNK = _MB


class PackageError(UserError):
    """An untrusted file that is not a workbook we may open; the message (Chinese) says why."""


@dataclass(frozen=True)
class Limits:
    """What a package may hold before it is refused."""

    members: int = 10_000  # parts in the zip
    member_size: int = 200 * _MB  # uncompressed size of one part
    total_size: int = 400 * _MB  # uncompressed size of all parts
    ratio: float = 200.0  # uncompressed / compressed, for parts over ratio_floor
    ratio_floor: int = 2 * _MB
    area: int = 10_000_000  # rows × columns spanned by one sheet's cells (or declared)
    cells: int = 5_000_000  # cells in all sheets together
    strings: int = 1_000_000  # entries of the shared-strings table
    strings_size: int = 64 * _MB  # uncompressed size of the shared-strings part
    styles: int = 200_000  # formats, fonts, fills, borders in the styles part


#: Limits for a workbook of the bureau (tens of sheets, some thousands of rows each).
WORKBOOK = Limits()
#: Limits for a data drop (one peer table; read as a full rectangle of cells).
DROP = Limits(member_size=50 * _MB, total_size=100 * _MB, area=2_000_000, cells=2_000_000)

#: What reading a damaged zip raises (OSError: a seek before the start of the file).
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError)
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_LOCAL = b"PK\x03\x04"
_ZIP_EMPTY = b"PK\x05\x06"
_XML_PARTS = (".xml", ".rels", ".vml")
#: Rows, cells and their references as spreadsheet programs write them (no prefix, attributes
#: separated by spaces: a literal start makes these fast), and in any form XML allows.
_FAST = (
    re.compile(rb" r=[\"'](\d+)[\"']"),  # a row's number (a cell's r has letters)
    re.compile(rb" r=[\"']\$?([A-Za-z]{1,7})\$?\d"),  # a cell's column
    re.compile(rb"<c[\s/>]"),
    re.compile(rb"<row[\s/>]"),
)
_GENERAL = (
    re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=[\"'](\d+)[\"']"),
    re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=[\"']\$?([A-Za-z]{1,7})\$?\d+[\"']"),
    re.compile(rb"<(?:\w+:)?c[\s/>]"),
    re.compile(rb"<(?:\w+:)?row[\s/>]"),
)
_UNUSUAL = (b":c", b":row", b"\tr=", b"\nr=", b"\rr=")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\sref=[\"']([^\"']*)[\"']")
#: Ranges whose every cell a reader creates (openpyxl: merged cells and hyperlinks; the
#: formula engine: the members of an array formula), by what they are called.
_RANGES = [
    (
        "合并单元格",
        b"mergeCell",
        re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\sref=[\"']([^\"']*)[\"']"),
    ),
    ("超链接", b"hyperlink", re.compile(rb"<(?:\w+:)?hyperlink\b[^>]*?\sref=[\"']([^\"']*)[\"']")),
    (
        "数组公式",
        b"array",
        re.compile(rb"<(?:\w+:)?f\b(?=[^>]*\bt=[\"']array[\"'])[^>]*?\sref=[\"']([^\"']*)[\"']"),
    ),
]
_REF = re.compile(r"\$?([A-Za-z]{1,7})\$?(\d{1,10})")
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si[\s/>]")
_STYLE_ITEM = re.compile(rb"<(?:\w+:)?(?:xf|font|fill|border|numFmt|dxf)[\s/>]")
#: The root element of a part (after the XML declaration, comments and processing instructions).
_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    """The letters of column ``number`` (1 → A, 16,384 → XFD; any size, for messages)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _megabytes(size: int) -> str:
    return f"{size / _MB:,.0f} MB" if size >= _MB else f"{size / 1024:,.0f} KB"


def vet_package(path: str | Path, limits: Limits = WORKBOOK) -> None:
    """Refuse (with :class:`PackageError`) a file that is not a safe .xlsx/.xlsm package."""
    path = Path(path)
    with _opened(path) as package:
        vetting = _Vetting(path.name, package, limits)
        vetting.check_sizes(package.infolist())
        vetting.run()


def vet_sizes(path: str | Path, limits: Limits = WORKBOOK) -> int:
    """The first, cheap checks of :func:`vet_package` (what the file is, its zip directory, the
    parts' number, sizes, compression ratios and encryption: what makes decompressing any part
    safe, in bounded memory); the total uncompressed size of the parts. The XML is not read."""
    path = Path(path)
    with _opened(path) as package:
        infos = package.infolist()
        _Vetting(path.name, package, limits).check_sizes(infos)
    return sum(info.file_size for info in infos)


def _opened(path: Path) -> zipfile.ZipFile:
    """The zip package at ``path``; refused when it is none or its directory is missing."""
    name = path.name
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head.startswith((_ZIP_LOCAL, _ZIP_EMPTY)):
        raise PackageError(f"「{name}」不是 .xlsx/.xlsm 工作簿：{what_file(path)}。{_UNTOUCHED}")
    try:
        return zipfile.ZipFile(path)
    except _CORRUPT:
        raise PackageError(
            f"「{name}」不完整或已损坏：压缩包缺少目录（常见于下载或复制时被截断），"
            f"请重新获取该文件。{_UNTOUCHED}"
        ) from None


class _Vetting:
    """One package's checks (see :func:`vet_package`)."""

    def __init__(self, name: str, package: zipfile.ZipFile, limits: Limits):
        self.name, self.package, self.limits = name, package, limits
        self.cells = 0

    def refuse(self, message: str) -> PackageError:
        return PackageError(f"「{self.name}」{message}。{_UNTOUCHED}")

    def run(self) -> None:
        """Every XML part (after :meth:`check_sizes`)."""
        infos = self.package.infolist()
        names = {info.filename for info in infos}
        if "_rels/.rels" in names:
            self.check_xml(self.package.getinfo("_rels/.rels"), None)
        book = self.workbook_part(names)
        if book not in names:
            raise self.refuse(f"不是 Excel 工作簿：{_zip_kind(names, self.package)}")
        folder, base = posixpath.split(book)
        first = ["_rels/.rels", book, posixpath.join(folder, "_rels", f"{base}.rels")]
        for part in first[1:]:
            if part in names:
                self.check_xml(self.package.getinfo(part), None)
        sheets = self.sheet_parts(book, first[2])
        for info in infos:
            if info.is_dir() or info.filename in first:
                continue
            sheet = sheets.get(info.filename)
            if sheet is not None or self.looks_like_xml(info):
                self.check_xml(info, sheet)

    def check_sizes(self, infos: list[zipfile.ZipInfo]) -> None:
        limits = self.limits
        if len(infos) > limits.members:
            raise self.refuse(f"包含 {len(infos):,} 个部件，超过上限 {limits.members:,}")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise self.refuse(f"的部件「{info.filename}」被加密，无法读取")
            size = info.file_size
            total += size
            if size > limits.member_size:
                raise self.refuse(
                    f"的部件「{info.filename}」解压后有 {_megabytes(size)}，"
                    f"超过上限 {_megabytes(limits.member_size)}（可能是恶意的“压缩炸弹”）"
                )
            ratio = size / max(info.compress_size, 1)
            if size > limits.ratio_floor and ratio > limits.ratio:
                raise self.refuse(
                    f"的部件「{info.filename}」压缩比异常（{ratio:,.0f} 倍，{_megabytes(size)}），"
                    "可能是恶意的“压缩炸弹”"
                )
        if total > limits.total_size:
            raise self.refuse(
                f"解压后共 {_megabytes(total)}，超过上限 {_megabytes(limits.total_size)}"
                "（可能是恶意的“压缩炸弹”）"
            )

    def workbook_part(self, names: set[str]) -> str:
        """The workbook part the package's relationships name (``xl/workbook.xml`` as a rule)."""
        from defusedxml import ElementTree

        if "_rels/.rels" in names:
            for rel in ElementTree.fromstring(self.package.read("_rels/.rels")):
                if rel.get("Type", "").endswith("/officeDocument"):
                    target = rel.get("Target", "").lstrip("/")
                    return "/".join(_normalise(PurePosixPath(target).parts))
        return "xl/workbook.xml"

    def sheet_parts(self, book_part: str, rels_part: str) -> dict[str, str]:
        """Worksheet part → sheet name, from the workbook and its relationships (both already
        checked as XML)."""
        from defusedxml import ElementTree

        try:
            book = ElementTree.fromstring(self.package.read(book_part))
            rels = ElementTree.fromstring(self.package.read(rels_part))
        except KeyError:
            raise self.refuse(f"缺少工作簿的关系部件（{rels_part}），文件已损坏") from None
        targets = {
            r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("}Relationship")
        }
        parts = {}
        for sheet in book.iter():
            if not sheet.tag.endswith("}sheet"):
                continue
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            if target:
                folder = posixpath.dirname(book_part)
                path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
                parts["/".join(_normalise(PurePosixPath(path).parts))] = sheet.get("name", "")
        return parts

    def looks_like_xml(self, info: zipfile.ZipInfo) -> bool:
        """A part whose first characters are markup (any XML a reader could be pointed at,
        whatever its name), or one named as XML."""
        if info.filename.lower().endswith(_XML_PARTS):
            return True
        try:
            with self.package.open(info) as stream:
                head = stream.read(64)
        except _CORRUPT:
            raise self.refuse(f"的部件「{info.filename}」无法解压，文件已损坏或不完整") from None
        for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            if head.startswith(bom):
                return True
        return head.lstrip(b" \t\r\n\x00").startswith(b"<")

    def check_xml(self, info: zipfile.ZipInfo, sheet: str | None) -> None:
        """The part is well-formed UTF-8 XML without a DTD; a worksheet's cells, the shared
        strings and the styles within the limits. What a part is comes from its root element
        (a reader finds parts by content type, so a name proves nothing)."""
        where = f"的部件「{info.filename}」"
        parser = expat.ParserCreate()

        def no_dtd(*_: object) -> None:
            raise _Refused(f"{where}含有 DTD/实体声明（可能是 XML 实体炸弹或外部实体攻击）")

        parser.StartDoctypeDeclHandler = no_dtd
        parser.EntityDeclHandler = no_dtd
        parser.ExternalEntityRefHandler = no_dtd
        scan = _Scan()
        kind = ""
        rest = b""
        try:
            with self.package.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    if not kind:
                        kind = self.part_kind(chunk, info)
                    parser.Parse(chunk, False)
                    if kind in ("worksheet", "sst", "styleSheet"):
                        rest = scan.feed(rest + chunk, kind)
                        self.check_counts(scan, kind, sheet or info.filename)
                parser.Parse(b"", True)
        except _Refused as exc:
            raise self.refuse(str(exc)) from None
        except expat.ExpatError as exc:
            raise self.refuse(
                f"{where}不是有效的 XML（第 {exc.lineno} 行第 {exc.offset + 1} 列："
                f"{_EXPAT_WORDS.get(exc.code, '格式错误')}），文件已损坏"
            ) from None
        except _CORRUPT:
            raise self.refuse(f"{where}无法解压，文件已损坏或不完整") from None
        scan.scan(rest, kind)
        self.check_counts(scan, kind, sheet or info.filename)
        if kind == "worksheet":
            self.cells += scan.cells

    def part_kind(self, head: bytes, info: zipfile.ZipInfo) -> str:
        """The local name of a part's root element ("worksheet", "sst" …), from its first
        chunk; refuses XML that is not UTF-8 (what every spreadsheet program writes; the
        scans read bytes as ASCII-compatible text)."""
        wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4]
        if wide:  # UTF-16 (custom XML items may be): expat checks it, our scans cannot
            text = head[:4096]
            encoding = (
                "utf-16"
                if text[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                else ("utf-16-le" if text[1:2] == b"\x00" else "utf-16-be")
            )
            head = text.decode(encoding, "ignore").encode("ascii", "replace")
        found = _ROOT.search(head)
        kind = found.group(1).decode("ascii") if found else "?"
        if wide and kind in ("worksheet", "sst", "styleSheet"):
            raise _Refused(f"的部件「{info.filename}」不是 UTF-8 编码，无法安全检查")
        if kind == "sst" and info.file_size > self.limits.strings_size:
            raise _Refused(
                f"的共享字符串表有 {_megabytes(info.file_size)}，超过上限"
                f" {_megabytes(self.limits.strings_size)}"
            )
        return kind

    def check_counts(self, scan: _Scan, kind: str, sheet: str) -> None:
        if kind == "worksheet":
            self.check_grid(scan, sheet)
        elif kind == "sst":
            self.check_strings(scan, sheet)
        elif kind == "styleSheet" and scan.styles > self.limits.styles:
            raise self.refuse(
                f"的样式表有 {scan.styles:,} 个以上的格式定义，超过上限 {self.limits.styles:,}"
                "（Excel 本身最多约 64,000 种单元格格式）"
            )

    def check_strings(self, scan: _Scan, part: str) -> None:
        if scan.strings > self.limits.strings:
            raise self.refuse(
                f"的共享字符串表（{part}）有 {scan.strings:,} 条以上，超过上限 {self.limits.strings:,}"
            )

    def check_grid(self, scan: _Scan, sheet: str) -> None:
        limits = self.limits
        if scan.declared is not None and scan.declared[1] > limits.area:
            ref, area = scan.declared
            raise self.refuse(
                f"的工作表「{sheet}」声明的已用区域 {ref} 有 {area:,} 个单元格，"
                f"超过上限 {limits.area:,}（请删除多余的行列后另存）"
            )
        if scan.widest is not None and scan.widest[2] > limits.area:
            kind, ref, area = scan.widest
            raise self.refuse(
                f"的工作表「{sheet}」的{kind} {ref} 有 {area:,} 个单元格，超过上限 {limits.area:,}"
            )
        area = scan.max_row * scan.max_col
        if area > limits.area:
            ref = f"A1:{column_letters(scan.max_col)}{scan.max_row}"
            raise self.refuse(
                f"的工作表「{sheet}」的单元格分布在 {ref}（{area:,} 个单元格），"
                f"超过上限 {limits.area:,}（请删除远处多余的单元格后另存）"
            )
        if self.cells + scan.cells > limits.cells:
            raise self.refuse(
                f"的单元格超过 {limits.cells:,} 个（到工作表「{sheet}」为止），超过上限"
            )


class _Refused(Exception):
    """Raised inside the XML parser's handlers: the part is refused."""


def _normalise(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            if out:
                out.pop()
        elif part not in (".", ""):
            out.append(part)
    return out


class _Scan:
    """Rows, columns and cells of a worksheet's XML (or the entries of the shared-strings
    table), fed in chunks."""

    def __init__(self) -> None:
        self.max_row = self.max_col = self.cells = self.strings = self.styles = 0
        self.rows = 0  # <row> elements (a row without r="" follows the previous one)
        self.declared: tuple[str, int] | None = None
        self.widest: tuple[str, str, int] | None = None  # the largest range readers expand

    def feed(self, data: bytes, kind: str) -> bytes:
        """Scan ``data`` up to its last tag start; return the rest (carried to the next chunk)."""
        cut = data.rfind(b"<")
        if cut < 0 or len(data) - cut > _CHUNK:  # no tag, or one longer than a chunk
            cut = len(data)
        self.scan(data[:cut], kind)
        return data[cut:]

    def scan(self, body: bytes, kind: str) -> None:
        if kind == "sst":
            self.strings += len(_STRING_ITEM.findall(body))
            return
        if kind == "styleSheet":
            self.styles += len(_STYLE_ITEM.findall(body))
            return
        if kind != "worksheet":
            return
        if self.declared is None and (found := _DIMENSION.search(body)):
            self.declared = _declared(found.group(1).decode("ascii", "replace"))
        unusual = any(mark in body for mark in _UNUSUAL)  # prefixes, tabs between attributes
        row_number, cell_column, cell, row = _GENERAL if unusual else _FAST
        rows = row_number.findall(body)
        if rows:
            self.max_row = max(self.max_row, *map(int, rows))
        self.rows += len(row.findall(body))
        self.max_row = max(self.max_row, self.rows)
        named = cell_column.findall(body)
        if named:
            widest = max(_column_number(c.decode("ascii")) for c in set(named))
            self.max_col = max(self.max_col, widest)
        cells = len(cell.findall(body))
        self.cells += cells
        if cells > len(named):  # cells without r="": at most this many columns wide
            self.max_col = max(self.max_col, min(cells - len(named), 16_384))
        for kind, word, pattern in _RANGES:
            if word not in body:
                continue
            for refs in pattern.findall(body):
                for ref in refs.decode("ascii", "replace").split():
                    found = _declared(ref)
                    if found is None:
                        continue
                    self.cells += found[1]  # a reader makes a cell of each
                    if self.widest is None or found[1] > self.widest[2]:
                        self.widest = (kind, ref, found[1])


def _declared(ref: str) -> tuple[str, int] | None:
    """A ``<dimension ref>`` and the number of cells it spans."""
    corners = [_REF.fullmatch(p.strip()) for p in ref.split(":")]
    if not corners or any(c is None for c in corners):
        return None
    rows = [int(c.group(2)) for c in corners if c]
    cols = [_column_number(c.group(1)) for c in corners if c]
    return ref, (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)


_EXPAT_WORDS = {  # expat's error codes (XML_ERROR_*)
    2: "语法错误",
    3: "没有任何元素",
    4: "无效的字符或标记",
    5: "标记未结束，文件可能被截断",
    6: "字符不完整",
    7: "开始与结束标签不匹配",
    8: "属性重复",
    9: "根元素之后还有内容",
    11: "引用了未定义的实体",
}


def _zip_kind(names: set[str], package: zipfile.ZipFile) -> str:
    if "mimetype" in names:
        kind = package.read("mimetype")[:100].decode("ascii", "replace")
        if "opendocument.spreadsheet" in kind:
            return "这是 OpenDocument 表格（.ods），请在 WPS/LibreOffice/Excel 中另存为 .xlsx"
        return "这是 OpenDocument 文件（.odt/.odp 等），不是表格"
    if "word/document.xml" in names:
        return "这是 Word 文档（.docx）"
    if "ppt/presentation.xml" in names:
        return "这是 PowerPoint 演示文稿（.pptx）"
    return "这是普通的 zip 压缩包，里面没有工作簿（xl/workbook.xml）"


def what_file(path: Path) -> str:
    """What a file that is not a zip package is, in the user's words."""
    size = path.stat().st_size
    suffix = path.suffix or "（无）"
    if size == 0:
        return "文件是空的（0 字节）"
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(_OLE2):
        return _ole_kind(path)
    if head.startswith(b"%PDF"):
        return "这是 PDF 文件"
    text = _as_text(head)
    if text is None:
        return "无法识别的文件格式（不是 Excel 工作簿）"
    start = text.lstrip().lower()
    if start.startswith(("<html", "<!doctype html", "<table", "<meta", "<head")):
        return (
            f"这是网页（HTML）文件，只是扩展名为 {suffix}（有些系统导出的“Excel”其实是网页）；"
            "请在 Excel/WPS 中打开后另存为 .xlsx"
        )
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return "这是 Excel 2003 XML 表格，请在 Excel/WPS 中另存为 .xlsx"
    return f"这是文本/CSV 文件，只是扩展名为 {suffix}；若是数据文件，请把扩展名改为 .csv"


def foreign_workbook(path: Path) -> str | None:
    """A Chinese sentence naming what ``path`` really is when it is not an .xlsx/.xlsm package
    (an .xls, an encrypted workbook, a PDF, a web page …), or is one under an .xls name; None
    when it is a zip package under a workbook's name (:func:`vet_package` checks the rest) or
    a file under another name (the caller names the extensions it reads)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    is_zip = head.startswith((_ZIP_LOCAL, _ZIP_EMPTY))
    if head.startswith(_OLE2) or (not is_zip and suffix in (".xlsx", ".xlsm")):
        return f"「{path.name}」不是 .xlsx/.xlsm 工作簿：{what_file(path)}。{_UNTOUCHED}"
    if is_zip and suffix == ".xls":
        return (
            f"「{path.name}」其实是 .xlsx 工作簿，只是扩展名写成了 .xls。"
            f"请把文件名改为「{path.stem}.xlsx」后再用。"
        )
    return None


def not_text(path: Path) -> str | None:
    """What a file given as text (a CSV drop) is when it is no text: empty, a zip package
    (an .xlsx under another name), an OLE2 file, a PDF; None for anything else."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        return "文件是空的（0 字节）"
    if head.startswith((_ZIP_LOCAL, _ZIP_EMPTY)):
        return (
            f"这是 Excel 工作簿或其他压缩包，不是文本，只是扩展名为 {path.suffix}；"
            "若是 .xlsx 工作簿，请把扩展名改回 .xlsx 再导入"
        )
    if head.startswith(_OLE2):
        return _ole_kind(path)
    if head.startswith(b"%PDF"):
        return "这是 PDF 文件"
    return None


def _as_text(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", "ignore")
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the sample
                return head[: exc.start].decode(encoding)
    return None


def _ole_kind(path: Path) -> str:
    """An OLE2 compound file: an encrypted OOXML workbook, a legacy .xls, or something else."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir()}
    except OSError:
        return "这是已损坏的 OLE 复合文档（旧版 Office 格式），无法识别"
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        return (
            "这是设置了打开密码的加密工作簿；请在 Excel 中打开，"
            "于「文件 → 信息 → 保护工作簿 → 用密码进行加密」中清除密码后另存，再处理"
        )
    if "workbook" in streams or "book" in streams:
        renamed = "" if path.suffix.lower() == ".xls" else f"，只是扩展名被改成了 {path.suffix}"
        return f"这是旧版 Excel 97-2003 工作簿（.xls）{renamed}；请在 Excel/WPS 中另存为 .xlsx"
    if "worddocument" in streams:
        return "这是 Word 97-2003 文档（.doc）"
    return "这是旧版 Office/WPS 格式的文件（OLE 复合文档，如 .et/.xls），请另存为 .xlsx"


__all__ = [
    "DROP",
    "WORKBOOK",
    "Limits",
    "PackageError",
    "column_letters",
    "foreign_workbook",
    "not_text",
    "vet_package",
    "vet_sizes",
    "what_file",
]
