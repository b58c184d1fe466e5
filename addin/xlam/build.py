"""Build ``tongji.xlam`` from text on any OS.

Starts from the ribbon add-in template of the *installed* xlwings package
(``quickstart_addin_ribbon.xlam``, so the add-in's VBA declares the DLL of that same version)
and replaces the ribbon (``customUI/customUI.xml``, from :mod:`addin.xlam.customui`, related with
the 2006 relationship type), the conf sheet (``tongji.conf``: interpreter, UDF modules, …),
``xl/vbaProject.bin`` (written by :mod:`addin.xlam.vbaproject` from :mod:`addin.xlam.vba_modules`,
without the unused MSForms reference) and the author in ``docProps/core.xml``. Every other part of the
template is copied unchanged. The file is written atomically: a reader never sees half an
add-in, and an existing different file of the same name is first backed up
(:mod:`workbooks.backups`: ``tongji.bak-<date>-<time>.xlam``).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from addin.xlam import classic_udfs, customui, vba_modules
from workbooks.backups import keep_backup
from workbooks.safe_files import write_bytes

TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
CONF_SHEET = f"{vba_modules.PROJECT_NAME}.conf"
BUILT_WITH_XLWINGS = "Built With xlwings"
BUILT_WITH_TONGJI = "Built With tongji"

VBA_PART = "xl/vbaProject.bin"
CUSTOMUI_PART = "customUI/customUI.xml"
WORKBOOK_PART = "xl/workbook.xml"
CONF_SHEET_PART = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_PART = "xl/sharedStrings.xml"
ROOT_RELS_PART = "_rels/.rels"
CORE_PART = "docProps/core.xml"

#: The ribbon relationship Office 2007 and every later version read (with the 2006/01 customUI
#: namespace of :mod:`addin.xlam.customui`); xlwings' template carries the 2010 "2007" type,
#: which Excel 2007 ignores and strict Open XML readers reject next to a 2006/01 part.
CUSTOMUI_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"

#: Author and last editor written into ``docProps/core.xml`` (the template names its own author).
AUTHOR = "统计助手"


@dataclass(frozen=True)
class ConfEntry:
    key: str
    value: str | bool


def conf_entries(interpreter: str | None = None) -> list[ConfEntry]:
    """The add-in's conf sheet, read by xlwings' ``GetConfig`` (key in column A, value in B).

    Keys without a value are left out, so the lookup falls through to the user's
    ``%USERPROFILE%\\.tongji\\tongji.conf`` written by the installer. The workbook's folder is
    not put on ``sys.path``: a stray ``udfs.py`` or ``addin.py`` next to a bureau workbook
    must not replace the add-in's own modules.
    """
    entries = []
    if interpreter:
        entries.append(ConfEntry("Interpreter_Win", interpreter))
    entries += [
        ConfEntry("UDF Modules", classic_udfs.UDF_MODULE),
        ConfEntry("ADD_WORKBOOK_TO_PYTHONPATH", False),
        ConfEntry("Use UDF Server", False),
        ConfEntry("Debug UDFs", False),
        ConfEntry("Show Console", False),
        # Not read by xlwings: which versions built this add-in (for support).
        ConfEntry(BUILT_WITH_XLWINGS, _version("xlwings")),
        ConfEntry(BUILT_WITH_TONGJI, _version("tongji")),
    ]
    return entries


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def read_conf_sheet(xlam: Path) -> dict[str, str | bool]:
    """The conf sheet of a built add-in as ``KEY (upper case) → value`` (what ``GetConfig``
    sees; shared strings and inline strings both read)."""
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(xlam) as package:
        sheet = ET.fromstring(package.read(CONF_SHEET_PART))
        shared: list[str] = []
        if SHARED_STRINGS_PART in package.namelist():
            sst = ET.fromstring(package.read(SHARED_STRINGS_PART))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")) for si in sst]
    values: dict[str, dict[str, str | bool]] = {}
    for cell in sheet.iter(f"{{{ns['m']}}}c"):
        ref = cell.get("r", "")
        column, row = ref[:1], ref[1:]
        kind = cell.get("t")
        if kind == "inlineStr":
            value: str | bool = "".join(t.text or "" for t in cell.iter(f"{{{ns['m']}}}t"))
        else:
            v = cell.find("m:v", ns)
            if v is None or v.text is None:
                continue
            value = (
                shared[int(v.text)] if kind == "s" else (v.text == "1" if kind == "b" else v.text)
            )
        values.setdefault(row, {})[column] = value
    return {
        str(row["A"]).upper(): row.get("B", "")
        for row in values.values()
        if "A" in row and str(row["A"]).strip()
    }


def template_path() -> Path:
    return vba_modules.xlwings_package_dir() / TEMPLATE_NAME


def conf_sheet_xml(entries: Sequence[ConfEntry]) -> bytes:
    """``xl/worksheets/sheet1.xml`` holding the entries (inline strings, code name Sheet2)."""
    rows = []
    for n, entry in enumerate(entries, start=1):
        cells = [f'<c r="A{n}" t="inlineStr"><is><t>{escape(entry.key)}</t></is></c>']
        if isinstance(entry.value, bool):
            cells.append(f'<c r="B{n}" t="b"><v>{int(entry.value)}</v></c>')
        else:
            cells.append(
                f'<c r="B{n}" t="inlineStr"><is><t xml:space="preserve">{escape(entry.value)}</t></is></c>'
            )
        rows.append(f'<row r="{n}">{"".join(cells)}</row>')
    last = max(len(entries), 1)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr codeName="Sheet2"/>'
        f'<dimension ref="A1:B{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="30" customWidth="1"/>'
        '<col min="2" max="2" width="60" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    ).encode()


def _workbook_xml(template: bytes) -> bytes:
    """The template's workbook part with the conf sheet renamed to ``tongji.conf`` and the
    template author's absolute path dropped."""
    text = template.decode("utf-8")
    text, count = re.subn(r'<sheet name="_?[^"]*\.conf"', f'<sheet name="{CONF_SHEET}"', text)
    if count != 1:
        raise vba_modules.TemplateError(
            "xlwings 模板的 workbook.xml 中找不到配置工作表（xlwings 版本不受支持）"
        )
    text = re.sub(r"<mc:AlternateContent\b.*?</mc:AlternateContent>", "", text, flags=re.DOTALL)
    return text.encode("utf-8")


def _root_rels_xml(template: bytes) -> bytes:
    """The package relationships with the ribbon's relationship of the 2006 type."""
    text = template.decode("utf-8")
    text, count = re.subn(
        r'Type="[^"]*/ui/extensibility"(\s+Target="customUI/customUI\.xml")',
        rf'Type="{CUSTOMUI_RELATIONSHIP}"\1',
        text,
    )
    if count != 1:
        raise vba_modules.TemplateError(
            "xlwings 模板的 _rels/.rels 中找不到功能区（customUI）关系（xlwings 版本不受支持）"
        )
    return text.encode("utf-8")


def _core_xml(template: bytes) -> bytes:
    """``docProps/core.xml`` with creator and last editor 统计助手 instead of the template's author."""
    text = template.decode("utf-8")
    for tag in ("dc:creator", "cp:lastModifiedBy"):
        text = re.sub(rf"<{tag}\s*/>|<{tag}>[^<]*</{tag}>", f"<{tag}>{AUTHOR}</{tag}>", text)
    return text.encode("utf-8")


#: References of the template's VBA project our modules do not use. MSForms (Microsoft Forms
#: 2.0) names the template author's temporary ``...\Temp\VBE\MSForms.exd``; a PC where that
#: library is not registered would show every module as failing to compile ("MISSING").
UNUSED_REFERENCES = ("MSForms",)


def vba_project(template_vba: bytes | None, project_name: str = vba_modules.PROJECT_NAME) -> bytes:
    """A new ``vbaProject.bin`` holding every module of :func:`addin.xlam.vba_modules.modules`."""
    from addin.xlam.vbaproject import VbaModule, build_vba_project

    modules = [VbaModule(m.name, m.kind, m.text) for m in vba_modules.modules(project_name)]
    return build_vba_project(
        modules,
        project_name=project_name,
        template=template_vba,
        drop_references=UNUSED_REFERENCES,
    )


def build_parts(interpreter: str | None = None) -> dict[str, bytes]:
    """Every zip part of the add-in, in the template's order."""
    with zipfile.ZipFile(template_path()) as template:
        parts = {info.filename: template.read(info) for info in template.infolist()}
    for required in (
        VBA_PART,
        CUSTOMUI_PART,
        WORKBOOK_PART,
        CONF_SHEET_PART,
        ROOT_RELS_PART,
        CORE_PART,
    ):
        if required not in parts:
            raise vba_modules.TemplateError(
                f"xlwings 模板中缺少 {required}（xlwings 版本不受支持）"
            )
    parts[CUSTOMUI_PART] = customui.customui_xml()
    parts[WORKBOOK_PART] = _workbook_xml(parts[WORKBOOK_PART])
    parts[CONF_SHEET_PART] = conf_sheet_xml(conf_entries(interpreter))
    parts[ROOT_RELS_PART] = _root_rels_xml(parts[ROOT_RELS_PART])
    parts[CORE_PART] = _core_xml(parts[CORE_PART])
    parts[VBA_PART] = vba_project(parts[VBA_PART])
    return parts


def write_atomically(path: Path, parts: dict[str, bytes]) -> Path | None:
    """Write the zip to ``path`` through :func:`workbooks.safe_files.write_file` (a temporary
    file in the same folder, synced, renamed); an existing different file is first backed up
    (:func:`workbooks.backups.keep_backup`). Returns the backup, if any."""
    path = path.resolve()
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            # Fixed timestamps: the same sources give the same file.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    if path.is_file() and path.read_bytes() == package.getvalue():
        return None
    backup = keep_backup(path) if path.is_file() else None
    try:
        write_bytes(path, package.getvalue())
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    return backup


def build_addin(out: Path, interpreter: str | None = None) -> Path | None:
    """Build the add-in into ``out``; returns the backup of a file it replaced, if any."""
    return write_atomically(out, build_parts(interpreter))
