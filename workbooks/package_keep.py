"""What openpyxl does not write back, put back: a saved workbook keeps the parts it had.

openpyxl models cells, styles, charts and (with Pillow) pictures, and rewrites the whole
package on saving. What it does not model is dropped with at most an English warning: the
ribbon of an .xlsm (``customUI/customUI.xml`` stays in the file but loses the relationship
that makes Excel load it), shapes, text boxes and pictures of a drawing, sparklines and other
Excel 2010 extensions of a worksheet (``<extLst>``), custom XML parts, the thumbnail.

When a workbook is loaded, :func:`plan_keep` reads its package and notes what can be put back
and what cannot. :meth:`KeepPlan.restore` then takes openpyxl's saved package (in memory, before
it is written anywhere) and copies back, with their relationships and content types:

- every package-level and workbook-level part whose relationship type openpyxl did not write
  (the ribbon, custom XML, the thumbnail …), unless the workbook XML refers to it by id;
- each worksheet's drawing, as the file had it (it replaces openpyxl's copy of the drawing,
  which holds only charts and pictures), on every sheet the command did not create;
- each worksheet extension (``<ext uri>`` of its ``<extLst>``: sparklines, Excel 2010
  conditional formats and data validations) that openpyxl's output lacks;
- each worksheet's threaded comments (Excel 365's 批注) beside the legacy comments openpyxl
  writes, and its header/footer pictures (``<legacyDrawingHF>`` and its VML drawing).

What cannot be put back safely (form controls, embedded objects, slicers, timelines, a
background picture, any part the workbook XML refers to by id) is listed in
:attr:`KeepPlan.losses`; the file host refuses to open such a workbook unless the user
accepts the loss (``--allow-loss``).
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree

from workbooks.errors import UserError
from workbooks.sheet_xml import children_after

_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_DOCUMENT = f"{_DOC_REL}/officeDocument"
_WORKSHEET = f"{_DOC_REL}/worksheet"
_DRAWING = f"{_DOC_REL}/drawing"

#: Worksheet relationships openpyxl writes itself (or that only hold printer driver settings).
_SHEET_KEPT = {
    f"{_DOC_REL}/{kind}"
    for kind in ("drawing", "comments", "hyperlink", "table", "pivotTable", "printerSettings")
}
_VML = f"{_DOC_REL}/vmlDrawing"
#: Excel 365's comments (a conversation per cell); the legacy comment Excel writes beside each
#: (author ``tc={id}``) is the one openpyxl keeps, the threaded part is put back next to it.
_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
_HF_DRAWING = re.compile(r"""<(?:\w+:)?legacyDrawingHF\b[^>]*?\br:id=["']([^"']+)["'][^>]*/>""")
#: Parts never put back: a VBA project openpyxl left out of an .xlsx (Excel refuses an .xlsx
#: with macros), a calculation chain (stale once cells change).
_NEVER_RESTORED = {
    "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
    f"{_DOC_REL}/calcChain",
}
#: Package relationships openpyxl writes.
_PACKAGE_WRITTEN = {
    _OFFICE_DOCUMENT,
    f"{_DOC_REL}/extended-properties",
    f"{_DOC_REL}/custom-properties",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
}
#: What a lost worksheet relationship holds, in the user's words.
_SHEET_LOST_WORDS = {
    "ctrlProp": "表单控件",
    "control": "ActiveX 控件",
    "oleObject": "嵌入对象",
    "package": "嵌入对象",
    "image": "工作表背景图片",
    "slicer": "切片器",
    "timeline": "日程表",
    "queryTable": "外部数据查询",
}
#: Names of extensions (``<ext uri>``) for messages.
_EXT_WORDS = {
    "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}": "迷你图",
    "{78C0D931-6437-407d-A8EE-F1E6D4A61C29}": "条件格式（Excel 2010 扩展）",
    "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}": "数据验证（Excel 2010 扩展）",
    "{A8765BA9-456A-4dab-B4F3-ACF838C121DE}": "切片器",
    "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}": "切片器",
    "{7E03D99C-DC04-49d9-9315-930204A7B6E9}": "日程表",
}

_EXTLST = re.compile(
    r"<(?:\w+:)?extLst\b[^>]*>(.*?)</(?:\w+:)?extLst>\s*</(?:\w+:)?worksheet>", re.S
)
_EXT = re.compile(r"<((?:\w+:)?ext)\b[^>]*\buri=[\"']([^\"']+)[\"'][^>]*>.*?</\1>", re.S)
_ROOT_TAG = re.compile(r"<(?:\w+:)?worksheet\b[^>]*>", re.S)
_XMLNS = re.compile(r"""\sxmlns:(\w+)=["']([^"']*)["']""")
_PREFIX_USE = re.compile(r"(?:</?|\s)([A-Za-z_][\w.-]*):[A-Za-z_]")  # elements, attributes
_RID = re.compile(r"""\br:id=["']([^"']+)["']""")
_ANY_RID = re.compile(r""":id=["']""")
#: Elements that follow <drawing> in a worksheet (CT_Worksheet's sequence).
_AFTER_DRAWING = children_after("drawing")


class PartsLost(UserError):
    """Saving would lose parts of the workbook that cannot be put back (message in Chinese)."""


@dataclass
class Relationship:
    id: str
    type: str
    target: str
    external: bool


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


class _Parts:
    """The parts of a zip package by name, read when first asked for; written ones kept."""

    def __init__(self, data: bytes):
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self._names = [i.filename for i in self._zip.infolist()]
        self._known = set(self._names)
        self._data: dict[str, bytes] = {}

    def __contains__(self, name: object) -> bool:
        return name in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __getitem__(self, name: str) -> bytes:
        if name not in self._data:
            if name not in self._known:
                raise KeyError(name)
            self._data[name] = self._zip.read(name)
        return self._data[name]

    def __setitem__(self, name: str, data: bytes) -> None:
        if name not in self._known:
            self._known.add(name)
            self._names.append(name)
        self._data[name] = data

    def get(self, name: str, default: bytes | None = None) -> bytes | None:
        return self[name] if name in self._known else default

    def items(self) -> Iterator[tuple[str, bytes]]:
        for name in list(self._names):
            yield name, self[name]


class _Package:
    """A zip package's parts, relationships and content types."""

    def __init__(self, data: bytes):
        self.parts = _Parts(data)

    def rels(self, part: str) -> list[Relationship]:
        data = self.parts.get(_rels_name(part) if part else "_rels/.rels")
        if data is None:
            return []
        out = []
        for node in ElementTree.fromstring(data):
            if node.tag == f"{{{_PKG_REL}}}Relationship":
                external = node.get("TargetMode") == "External"
                target = node.get("Target", "")
                out.append(
                    Relationship(
                        node.get("Id", ""),
                        node.get("Type", ""),
                        target if external else _resolve(part, target),
                        external,
                    )
                )
        return out

    def workbook(self) -> str:
        return next(
            (r.target for r in self.rels("") if r.type == _OFFICE_DOCUMENT), "xl/workbook.xml"
        )

    def sheets(self) -> dict[str, str]:
        """Worksheet name → part."""
        book = self.workbook()
        targets = {r.id: r.target for r in self.rels(book) if r.type == _WORKSHEET}
        out = {}
        for node in ElementTree.fromstring(self.parts[book]).iter():
            if node.tag.endswith("}sheet"):
                rid = node.get(f"{{{_DOC_REL}}}id")
                if rid in targets:
                    out[node.get("name", "")] = targets[rid]
        return out

    def content_type(self, part: str) -> tuple[str, str] | None:
        """("Override" | "Default", type) of a part."""
        types = ElementTree.fromstring(self.parts["[Content_Types].xml"])
        extension = posixpath.splitext(part)[1].lstrip(".").lower()
        default = None
        for node in types:
            if node.tag == f"{{{_CT}}}Override" and node.get("PartName", "").lstrip("/") == part:
                return "Override", node.get("ContentType", "")
            if node.tag == f"{{{_CT}}}Default" and node.get("Extension", "").lower() == extension:
                default = ("Default", node.get("ContentType", ""))
        return default


def _text(data: bytes) -> str:
    """An XML part as text (UTF-16 when it starts with that byte-order mark)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8-sig", "replace")


def _sheet_exts(xml: str) -> list[tuple[str, str]]:
    """(uri, element) of each extension of a worksheet's ``<extLst>``."""
    found = _EXTLST.search(xml)
    if found is None:
        return []
    return [(m.group(2), m.group(0)) for m in _EXT.finditer(found.group(1))]


@dataclass
class KeepPlan:
    """The input package, and what of it openpyxl's output cannot be given back."""

    source: bytes
    losses: list[str] = field(default_factory=list)
    restorable: bool = False  # anything openpyxl may drop: else saving skips the comparison

    def restore(self, saved: io.BytesIO, created: set[str]) -> io.BytesIO:
        """openpyxl's package ``saved`` with the parts it dropped put back (see the module
        docstring); ``created``: sheets the command made or replaced (left as written)."""
        if not self.restorable:
            return saved
        restored = _Restore(_Package(self.source), _Package(saved.getvalue()), created).run()
        if restored is None:
            saved.seek(0)
            return saved
        return restored


def plan_keep(path: Path) -> KeepPlan:
    """Read a workbook's package and note what openpyxl would lose for good."""
    data = path.read_bytes()
    package = _Package(data)
    plan = KeepPlan(data)
    book = package.workbook()
    book_xml = _text(package.parts.get(book, b"") or b"")
    referenced = set(_RID.findall(book_xml))
    written = {
        f"{_DOC_REL}/{kind}"
        for kind in (
            "worksheet",
            "chartsheet",
            "sharedStrings",
            "styles",
            "theme",
            "externalLink",
            "pivotCacheDefinition",
            "calcChain",
        )
    } | {"http://schemas.microsoft.com/office/2006/relationships/vbaProject"}
    for rel in package.rels(book):
        if rel.type not in written:
            plan.restorable = True
        if rel.id in referenced and rel.type not in written:
            plan.losses.append(f"工作簿部件「{rel.target}」（{rel.type.rsplit('/', 1)[-1]}）")
    plan.restorable |= any(r.type not in _PACKAGE_WRITTEN for r in package.rels(""))
    for name, part in package.sheets().items():
        for rel in package.rels(part):
            kind = rel.type.rsplit("/", 1)[-1]
            if rel.type == _THREADED:
                plan.restorable = True
            elif rel.type == _VML and not rel.external:
                vml = _text(package.parts.get(rel.target, b"") or b"")
                kinds = set(re.findall(r"""ObjectType=["'](\w+)["']""", vml)) - {"Note"}
                if kinds:
                    plan.losses.append(f"工作表「{name}」的表单控件（{'、'.join(sorted(kinds))}）")
            elif rel.type not in _SHEET_KEPT and rel.type != _VML:
                plan.losses.append(f"工作表「{name}」的{_SHEET_LOST_WORDS.get(kind, kind)}")
        data = package.parts.get(part, b"") or b""
        plan.restorable |= any(r.type == _DRAWING for r in package.rels(part))
        plan.restorable |= b"legacyDrawingHF" in data or b"l\x00e\x00g\x00a\x00c\x00y" in data
        if b"extLst" not in data and b"e\x00x\x00t\x00L\x00s\x00t" not in data:
            continue  # no extension (in UTF-8 or UTF-16): nothing more to look for
        plan.restorable = True
        for uri, ext in _sheet_exts(_text(data)):
            if _ANY_RID.search(ext):
                plan.losses.append(f"工作表「{name}」的{_EXT_WORDS.get(uri, f'扩展 {uri}')}")
    plan.losses = list(dict.fromkeys(plan.losses))
    return plan


def refuse_losses(plan: KeepPlan, name: str) -> None:
    """Refuse a workbook whose saving would lose parts (unless the user accepts it)."""
    if plan.losses:
        shown = "；".join(plan.losses[:10]) + (
            f" 等 {len(plan.losses)} 项" if len(plan.losses) > 10 else ""
        )
        raise PartsLost(
            f"「{name}」中有本程序无法原样保存的内容：{shown}。保存后这些内容会丢失，"
            "文件未作任何处理；确认可以舍弃时请加选项 --allow-loss 再运行"
        )


class _Restore:
    """One restoration of openpyxl's output ``out`` from the input ``src``."""

    def __init__(self, src: _Package, out: _Package, created: set[str]):
        self.src, self.out, self.created = src, out, created
        self.copied: dict[str, str] = {}  # source part → output part
        self.types: list[tuple[str, str, str]] = []  # (kind, key, type) to declare
        self.removed: set[str] = set()
        self.changed = False  # a worksheet's XML got an extension back

    def run(self) -> io.BytesIO | None:
        self.restore_rels("", "")
        self.restore_rels(self.src.workbook(), self.out.workbook())
        out_sheets = self.out.sheets()
        for name, part in self.src.sheets().items():
            if name in out_sheets and name not in self.created:
                self.restore_sheet(part, out_sheets[name])
        if not self.copied and not self.removed and not self.changed:
            return None
        self.write_content_types()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            for name, data in self.out.parts.items():
                if name not in self.removed:
                    package.writestr(name, data)
        buffer.seek(0)
        return buffer

    # relationships -------------------------------------------------------------------------

    def restore_rels(self, src_part: str, out_part: str) -> None:
        """Relationships of ``src_part`` of a type ``out_part`` lacks, with their parts (not
        those the source part's XML refers to by id: they cannot stand alone)."""
        have = {r.type for r in self.out.rels(out_part)}
        xml = _text(self.src.parts.get(src_part, b"") or b"") if src_part else ""
        referenced = set(_RID.findall(xml))
        for rel in self.src.rels(src_part):
            if rel.type in have or rel.id in referenced or rel.type in _NEVER_RESTORED:
                continue
            if rel.external:
                self.add_rel(out_part, rel.type, rel.target, external=True)
            elif rel.target in self.src.parts:
                self.add_rel(out_part, rel.type, self.copy_tree(rel.target))

    def add_rel(self, part: str, kind: str, target: str, external: bool = False) -> str:
        name = _rels_name(part) if part else "_rels/.rels"
        xml = (self.out.parts.get(name, b"") or b"").decode("utf-8")
        if not xml:
            xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}"></Relationships>'
            self.types.append(
                ("Default", "rels", "application/vnd.openxmlformats-package.relationships+xml")
            )
        ids = set(re.findall(r"""\bId=["']([^"']+)["']""", xml))
        n = 1
        while f"rIdK{n}" in ids:
            n += 1
        rid = f"rIdK{n}"
        where = target if external else (_relative(part, target) if part else target)
        mode = ' TargetMode="External"' if external else ""
        element = f"<Relationship Id={quoteattr(rid)} Type={quoteattr(kind)} Target={quoteattr(where)}{mode}/>"
        xml = (
            re.sub(r"(</Relationships>\s*)$", element + r"\1", xml)
            if "</Relationships>" in xml
            else xml.replace("/>", f">{element}</Relationships>", 1)
        )
        self.out.parts[name] = xml.encode("utf-8")
        return rid

    def copy_tree(self, part: str) -> str:
        """Copy a source part and what its relationships point to; returns its output name."""
        if part in self.copied:
            return self.copied[part]
        data = self.src.parts[part]
        name = part
        if name in self.out.parts and self.out.parts[name] != data:
            stem, ext = posixpath.splitext(part)
            n = 1
            while f"{stem}_kept{n}{ext}" in self.out.parts:
                n += 1
            name = f"{stem}_kept{n}{ext}"
        self.copied[part] = name
        self.out.parts[name] = data
        self.removed.discard(name)
        declared = self.src.content_type(part)
        if declared is not None:
            kind, value = declared
            key = name if kind == "Override" else posixpath.splitext(name)[1].lstrip(".")
            self.types.append((kind, key, value))
        rels = self.src.rels(part)
        if rels:
            lines = []
            for rel in rels:
                if rel.external:
                    target, mode = rel.target, ' TargetMode="External"'
                elif rel.target in self.src.parts:
                    target, mode = _relative(name, self.copy_tree(rel.target)), ""
                else:
                    continue
                lines.append(
                    f"<Relationship Id={quoteattr(rel.id)} Type={quoteattr(rel.type)} "
                    f"Target={quoteattr(target)}{mode}/>"
                )
            self.out.parts[_rels_name(name)] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{_PKG_REL}">{"".join(lines)}</Relationships>'
            ).encode()
        return name

    # worksheets ------------------------------------------------------------------------------

    def restore_sheet(self, src_part: str, out_part: str) -> None:
        src_xml = _text(self.src.parts[src_part])
        out_xml = self.out.parts[out_part].decode("utf-8")
        drawing = next((r for r in self.src.rels(src_part) if r.type == _DRAWING), None)
        if drawing is not None and drawing.target in self.src.parts:
            out_xml = self.restore_drawing(drawing.target, out_part, out_xml)
        out_xml = self.restore_exts(src_xml, out_xml)
        self.restore_threaded(src_part, out_part)
        out_xml = self.restore_header_pictures(src_part, src_xml, out_part, out_xml)
        data = out_xml.encode("utf-8")
        ElementTree.fromstring(data)  # what we wrote is XML (a fault here is ours: it surfaces)
        self.out.parts[out_part] = data

    def restore_threaded(self, src_part: str, out_part: str) -> None:
        """The sheet's threaded comments part, when openpyxl's output has none. They refer to
        their cells by address (``ref``) and the commands keep the cells of a sheet they do not
        create in place, so the legacy comments openpyxl writes still sit beside them."""
        if any(r.type == _THREADED for r in self.out.rels(out_part)):
            return
        for rel in self.src.rels(src_part):
            if rel.type == _THREADED and not rel.external and rel.target in self.src.parts:
                self.add_rel(out_part, _THREADED, self.copy_tree(rel.target))

    def restore_header_pictures(
        self, src_part: str, src_xml: str, out_part: str, out_xml: str
    ) -> str:
        """The header/footer pictures (``<legacyDrawingHF r:id>`` and its VML part with the
        pictures it points to), which openpyxl drops."""
        found = _HF_DRAWING.search(src_xml)
        if found is None or _HF_DRAWING.search(out_xml) is not None:
            return out_xml
        rel = next((r for r in self.src.rels(src_part) if r.id == found.group(1)), None)
        if rel is None or rel.external or rel.target not in self.src.parts:
            return out_xml
        rid = self.add_rel(out_part, _VML, self.copy_tree(rel.target))
        self.changed = True
        return _insert_before(
            out_xml,
            children_after("legacyDrawingHF"),
            f'<legacyDrawingHF r:id="{rid}"/>',
            rid_ns=True,
        )

    def restore_drawing(self, src_drawing: str, out_part: str, out_xml: str) -> str:
        """The sheet's drawing as the input had it, in place of openpyxl's copy."""
        current = next((r for r in self.out.rels(out_part) if r.type == _DRAWING), None)
        if current is not None:
            if self.out.parts.get(current.target) == self.src.parts[src_drawing]:
                return out_xml  # written back unchanged
            self.remove_tree(current.target)
        new = self.copy_tree(src_drawing)
        if current is not None:
            name = _rels_name(out_part)
            rels = self.out.parts[name].decode("utf-8")
            pattern = re.compile(
                rf"""(<Relationship\b[^>]*\bId=["']{re.escape(current.id)}["'][^>]*\bTarget=)["'][^"']*["']"""
            )
            if pattern.search(rels) is None:  # attributes in another order
                pattern = re.compile(
                    rf"""(<Relationship\b[^>]*?\bTarget=)["'][^"']*["'](?=[^>]*\bId=["']{re.escape(current.id)}["'])"""
                )
            rels = pattern.sub(lambda m: f"{m.group(1)}{quoteattr(_relative(out_part, new))}", rels)
            self.out.parts[name] = rels.encode("utf-8")
            return out_xml
        rid = self.add_rel(out_part, _DRAWING, new)
        return _insert_before(out_xml, _AFTER_DRAWING, f'<drawing r:id="{rid}"/>', rid_ns=True)

    def remove_tree(self, part: str) -> None:
        """Drop openpyxl's drawing and the charts and pictures only it points to."""
        targets = [r.target for r in self.out.rels(part) if not r.external]
        self.removed.add(part)
        self.removed.add(_rels_name(part))
        for target in targets:
            if target.startswith("xl/charts/"):
                self.removed.update({target, _rels_name(target)})
            elif target.startswith("xl/media/") and not self.referenced_elsewhere(target, part):
                self.removed.add(target)

    def referenced_elsewhere(self, target: str, besides: str) -> bool:
        for name in self.out.parts:
            if name.endswith(".rels") and name != _rels_name(besides) and name not in self.removed:
                owner = posixpath.join(
                    posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[:-5]
                )
                if any(r.target == target for r in self.out.rels(owner)):
                    return True
        return False

    def restore_exts(self, src_xml: str, out_xml: str) -> str:
        have = {uri for uri, _ in _sheet_exts(out_xml)}
        missing = [
            (uri, ext)
            for uri, ext in _sheet_exts(src_xml)
            if uri not in have and not _ANY_RID.search(ext)
        ]
        if not missing:
            return out_xml
        root = _ROOT_TAG.search(src_xml)
        declared = dict(_XMLNS.findall(root.group(0))) if root else {}
        elements = "".join(_with_namespaces(ext, declared) for _, ext in missing)
        self.changed = True
        found = re.search(r"</(?:\w+:)?extLst>\s*</(?:\w+:)?worksheet>\s*$", out_xml)
        if found:
            return out_xml[: found.start()] + elements + out_xml[found.start() :]
        end = re.search(r"</(?:\w+:)?worksheet>\s*$", out_xml)
        assert end is not None
        return f"{out_xml[: end.start()]}<extLst>{elements}</extLst>{out_xml[end.start() :]}"

    # content types ---------------------------------------------------------------------------

    def write_content_types(self) -> None:
        xml = self.out.parts["[Content_Types].xml"].decode("utf-8")
        for part in self.removed:
            xml = re.sub(
                rf"""<Override\b[^>]*PartName=["']/{re.escape(part)}["'][^>]*/>""", "", xml
            )
        defaults = {
            e.lower() for e in re.findall(r"""<Default\b[^>]*Extension=["']([^"']+)["']""", xml)
        }
        overrides = set(re.findall(r"""<Override\b[^>]*PartName=["']/([^"']+)["']""", xml))
        added = []
        for kind, key, value in self.types:
            if kind == "Override" and key not in overrides:
                overrides.add(key)
                added.append(
                    f"<Override PartName={quoteattr('/' + key)} ContentType={quoteattr(value)}/>"
                )
            elif kind == "Default" and key.lower() not in defaults:
                defaults.add(key.lower())
                added.insert(
                    0, f"<Default Extension={quoteattr(key)} ContentType={quoteattr(value)}/>"
                )
        xml = xml.replace("</Types>", "".join(added) + "</Types>")
        self.out.parts["[Content_Types].xml"] = xml.encode("utf-8")


def _with_namespaces(ext: str, declared: dict[str, str]) -> str:
    """An extension element carrying the declarations of the prefixes it uses that were
    declared on the source worksheet's root."""
    own = dict(_XMLNS.findall(ext))
    needed = {p for p in _PREFIX_USE.findall(ext) if p not in own and p in declared}
    if not needed:
        return ext
    extra = "".join(f" xmlns:{p}={quoteattr(declared[p])}" for p in sorted(needed))
    head = re.match(r"<(?:\w+:)?ext\b", ext)
    assert head is not None
    return ext[: head.end()] + extra + ext[head.end() :]


def _insert_before(xml: str, followers: tuple[str, ...], element: str, rid_ns: bool) -> str:
    """``element`` inserted before the first of ``followers`` (else before the end tag)."""
    positions = [
        m.start() for tag in followers if (m := re.search(rf"<(?:\w+:)?{tag}\b", xml)) is not None
    ]
    end = re.search(r"</(?:\w+:)?worksheet>\s*$", xml)
    assert end is not None
    at = min(positions) if positions else end.start()
    if rid_ns and f'xmlns:r="{_DOC_REL}"' not in xml:
        root = _ROOT_TAG.search(xml)
        assert root is not None
        element = re.sub(r"^<(\w+) ", rf'<\1 xmlns:r="{_DOC_REL}" ', element)
    return xml[:at] + element + xml[at:]


__all__ = ["KeepPlan", "PartsLost", "plan_keep", "refuse_losses"]
