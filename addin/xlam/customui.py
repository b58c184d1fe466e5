"""The ribbon tab 统计助手 as Office ``customUI`` XML, generated from :data:`addin.ribbon.BUTTONS`.

The XML is never written by hand, so button ids and labels cannot drift from the Python
registry. Every button calls the same VBA callback (``TongjiRibbon.OnButton`` in
``addin/xlam/vba/TongjiRibbon.bas``), which passes the button id to :func:`addin.ribbon.run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

from addin.ribbon import BUTTONS

#: The 2006 customUI schema the xlwings template uses (callbacks take ``IRibbonControl``).
NAMESPACE = "http://schemas.microsoft.com/office/2006/01/customui"

#: ``Module.Sub`` of the single VBA callback every button names in ``onAction``.
CALLBACK = "TongjiRibbon.OnButton"

TAB_ID = "tongjiTab"
TAB_LABEL = "统计助手"


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    buttons: tuple[str, ...]  # button ids from BUTTONS, in display order


#: How the buttons are grouped on the tab; every button of BUTTONS appears exactly once.
GROUPS: tuple[Group, ...] = (
    Group(
        "tongjiTables",
        "表格处理",
        ("rank_counties", "refresh_quarter", "export_values", "export_pdf"),
    ),
    Group("tongjiText", "分析材料", ("write_brief", "proofread_document")),
    Group("tongjiHelp", "帮助", ("function_help", "doctor")),
)


def customui_xml() -> bytes:
    """The ``customUI/customUI.xml`` part (UTF-8, with declaration)."""
    placed = [button_id for group in GROUPS for button_id in group.buttons]
    missing = sorted(set(BUTTONS) - set(placed))
    unknown = sorted(set(placed) - set(BUTTONS))
    if missing or unknown or len(placed) != len(set(placed)):
        raise ValueError(
            f"功能区分组与按钮登记不一致：未分组 {missing}，未登记 {unknown}，或有重复"
        )
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}customUI")
    tabs = ET.SubElement(ET.SubElement(root, f"{{{NAMESPACE}}}ribbon"), f"{{{NAMESPACE}}}tabs")
    tab = ET.SubElement(tabs, f"{{{NAMESPACE}}}tab", id=TAB_ID, label=TAB_LABEL)
    for group in GROUPS:
        element = ET.SubElement(tab, f"{{{NAMESPACE}}}group", id=group.id, label=group.label)
        for button_id in group.buttons:
            button = BUTTONS[button_id]
            ET.SubElement(
                element,
                f"{{{NAMESPACE}}}button",
                id=button.id,
                label=button.label,
                size="large",
                imageMso=button.image,
                screentip=button.label,
                supertip=button.screentip,
                onAction=CALLBACK,
            )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
