"""The ribbon XML generated from BUTTONS, and the one VBA callback every button uses."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from addin.ribbon import BUTTONS, UnknownButton, handler_for
from addin.xlam import customui

NS = {"c": customui.NAMESPACE}


@pytest.fixture(scope="module")
def ribbon() -> ET.Element:
    xml = customui.customui_xml()
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(xml)


def test_one_tab_named_in_chinese_holding_every_button_once(ribbon: ET.Element) -> None:
    tabs = ribbon.findall(".//c:tab", NS)
    assert [t.get("label") for t in tabs] == ["统计助手"]
    ids = [b.get("id") for b in ribbon.iterfind(".//c:button", NS)]
    assert sorted(ids) == sorted(BUTTONS)
    assert len(ids) == len(set(ids))
    assert all(g.get("label") for g in ribbon.iterfind(".//c:group", NS))


@pytest.mark.parametrize("button_id", sorted(BUTTONS))
def test_button_shows_its_registry_label_icon_and_tip(ribbon: ET.Element, button_id: str) -> None:
    element = ribbon.find(f".//c:button[@id='{button_id}']", NS)
    button = BUTTONS[button_id]
    assert element.get("label") == button.label
    assert element.get("imageMso") == button.image
    assert element.get("screentip") == button.label
    assert element.get("supertip") == button.screentip
    assert element.get("onAction") == customui.CALLBACK


@pytest.mark.parametrize("button_id", sorted(BUTTONS))
def test_every_button_has_a_python_entry_that_imports(button_id: str) -> None:
    assert callable(handler_for(button_id))


def test_an_unknown_button_says_to_reinstall() -> None:
    with pytest.raises(UnknownButton, match="重新安装"):
        handler_for("no_such_button")


def test_the_callback_passes_the_button_id_to_python() -> None:
    from addin.xlam.vba_modules import own_module

    module_name, sub = customui.CALLBACK.split(".")
    code = own_module(module_name).text.replace("\r\n", "\n")
    assert f'Attribute VB_Name = "{module_name}"' in code
    body = re.search(rf"Public Sub {sub}\(control As IRibbonControl\)\n(.*?)End Sub", code, re.S)
    assert body is not None
    lines = [line.strip() for line in body.group(1).split("\n")]
    assert 'RunPython "import addin.ribbon; addin.ribbon.run(\'" & control.Id & "\')"' in lines


def test_a_group_naming_an_unknown_button_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        customui, "GROUPS", (*customui.GROUPS, customui.Group("x", "x", ("no_such_button",)))
    )
    with pytest.raises(ValueError, match="no_such_button"):
        customui.customui_xml()
