"""What the guard says a file is, and damaged packages refused as the user's problem (never an
internal error): every input is built here."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from tests.workbooks import attacks
from tests.workbooks import drop_forms as forms
from workbooks.compute import compute_file
from workbooks.drops import read_drop
from workbooks.errors import UserError
from workbooks.file_host import open_file
from workbooks.package_guard import PackageError, vet_package


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页（HTML）"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "Excel 2003 XML",
        ),
        ("地区\t增长\n甲县\t6.5\n".encode("gb18030"), "文本/CSV"),
        (bytes(range(1, 256)) * 4, "无法识别"),
    ],
    ids=["html", "pdf", "xml2003", "gbk-text", "binary"],
)
def test_a_file_that_is_no_zip_is_named_for_what_it_is(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "报表.xlsx"
    path.write_bytes(content)
    with pytest.raises(PackageError, match=words):
        vet_package(path)


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "OpenDocument 表格"),
        ({"word/document.xml": b"<w/>"}, "Word 文档"),
        ({"readme.txt": b"hello"}, "没有工作簿"),
    ],
    ids=["ods", "docx", "zip"],
)
def test_a_zip_that_is_no_workbook_is_named(tmp_path: Path, parts: dict, words: str) -> None:
    with pytest.raises(PackageError, match=words):
        vet_package(_zip(tmp_path / "报表.xlsx", parts))


def test_a_dtd_in_any_part_is_refused_whatever_its_name(tmp_path: Path) -> None:
    path = attacks.package(
        tmp_path / "报表.xlsx",
        **{"xl/media/notes.bin": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'},
    )
    with pytest.raises(PackageError, match=r"notes\.bin.*DTD"):
        vet_package(path)


def test_a_worksheet_in_utf16_is_refused_and_custom_xml_in_utf16_passes(tmp_path: Path) -> None:
    sheet = attacks.sheet_xml(attacks.PLAIN_ROWS).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    wide = attacks.package(tmp_path / "宽.xlsx", sheet=sheet.encode("utf-16"))
    with pytest.raises(PackageError, match=r"sheet1\.xml.*不是 UTF-8"):
        vet_package(wide)
    item = '<?xml version="1.0" encoding="utf-16"?><b:Sources xmlns:b="urn:x"/>'.encode("utf-16")
    vet_package(attacks.package(tmp_path / "自定义.xlsx", **{"customXml/item1.xml": item}))


def test_a_plain_built_workbook_passes(tmp_path: Path) -> None:
    vet_package(attacks.package(tmp_path / "好.xlsx"))
    vet_package(forms.workbook(tmp_path / "对比表.xlsx"))


def test_damaged_packages_are_the_users_problem(tmp_path: Path) -> None:
    """Bytes flipped, cut or zeroed anywhere in a good workbook: every command that opens it
    refuses with a user error (exit 2), never an internal one."""
    good = forms.workbook(tmp_path / "好.xlsx").read_bytes()
    rng = random.Random(2026)
    for case in range(60):
        data = bytearray(good)
        kind = case % 3
        if kind == 0:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:
            data = data[: rng.randrange(len(data))]
        else:
            start = rng.randrange(len(data))
            data[start : start + 200] = bytes(len(data[start : start + 200]))
        path = tmp_path / f"坏{case}.xlsx"
        path.write_bytes(bytes(data))
        for run in (
            lambda p=path: open_file(p),
            lambda p=path: compute_file(p, tmp_path / "out.xlsx"),
            lambda p=path: read_drop(p),
        ):
            try:
                run()
            except UserError as exc:
                assert "Error" not in str(exc) and "error" not in str(exc), str(exc)


def test_a_workbook_part_under_another_name_is_followed(tmp_path: Path) -> None:
    """The package's relationships name the workbook part; its sheets are found from there."""
    rels = attacks.ROOT_RELS.replace('Target="xl/workbook.xml"', 'Target="xl/main.xml"')
    types = attacks.CONTENT_TYPES.replace("/xl/workbook.xml", "/xl/main.xml")
    moved = {
        "_rels/.rels": rels,
        "[Content_Types].xml": types,
        "xl/main.xml": attacks.WORKBOOK,
        "xl/_rels/main.xml.rels": attacks.WORKBOOK_RELS,
        "xl/workbook.xml": attacks.WORKBOOK.replace("2026Q3", "诱饵"),  # not the workbook part
    }
    good = attacks.package(tmp_path / "好.xlsx", **moved)
    with zipfile.ZipFile(good) as package:
        assert "xl/main.xml" in package.namelist()
    vet_package(good)
    bomb = attacks.grid_bomb(tmp_path / "炸弹.xlsx")
    with zipfile.ZipFile(bomb) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
    moved_bomb = attacks.package(tmp_path / "炸弹2.xlsx", sheet=sheet, **moved)
    with pytest.raises(PackageError, match=r"工作表「2026Q3」.*A1:XFD1048576"):
        vet_package(moved_bomb)
