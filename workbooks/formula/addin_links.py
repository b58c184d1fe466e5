"""Calls of the add-in's functions as Excel saves them: ``[1]!TJ_GROWTH(B2,C2)``.

Excel stores a call of an add-in function as an external reference to the add-in file: the
formula reads ``[n]!TJ_GROWTH(...)`` and the workbook's external link ``n`` (ECMA-376 Part 1,
§18.14: ``<externalReferences>`` in ``xl/workbook.xml``, the externalLink part, and its
relationship of type ``externalLinkPath`` with ``TargetMode="External"``) names the add-in's
full path on the PC that saved it, e.g. ``file:///C:\\Users\\张三\\AppData\\Roaming\\Microsoft\\
AddIns\\tongji.xlam`` (Microsoft KB 817578).

When link ``n`` names a file called ``tongji.xlam`` (any folder, any letter case), the call is
our ``TJ_`` function wherever the add-in lives: :func:`local_addin_calls` gives the formula text
the evaluator reads (``TJ_GROWTH(B2,C2)``). The workbook itself is never rewritten: the link
stays in the file (openpyxl's ``keep_links``; the package writer patches cached values only).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import Any
from urllib.parse import unquote

from openpyxl.formula.tokenizer import Token, TokenizerError

from workbooks.formula.tokens import FormulaTokenizer

ADDIN_FILE = "tongji.xlam"

_ADDIN_CALL = re.compile(r"(@?)\[(\d+)\]!(TJ_\w*\()", re.IGNORECASE)
_EXTERNAL_REFERENCE = re.compile(r"<(?:\w+:)?externalReference\b[^>]*?\bid=[\"']([^\"']+)[\"']")
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(r"""([\w:]+)=["']([^"']*)["']""")
_EXTERNAL_BOOK = re.compile(r"<(?:\w+:)?externalBook\b[^>]*?\bid=[\"']([^\"']+)[\"']")


def names_addin(target: str | None) -> bool:
    """Whether a link target (a path or ``file:///`` URL, Windows or POSIX) is a file called
    ``tongji.xlam``."""
    if not target:
        return False
    name = unquote(target).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name.lower() == ADDIN_FILE


def _relationships(package: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → target of ``part`` (empty when the part has no relationships)."""
    folder, name = posixpath.split(part)
    try:
        xml = package.read(posixpath.join(folder, "_rels", f"{name}.rels")).decode("utf-8")
    except KeyError:
        return {}
    out = {}
    for match in _RELATIONSHIP.finditer(xml):
        attrs = dict(_ATTR.findall(match.group(1)))
        if "Id" in attrs and "Target" in attrs:
            out[attrs["Id"]] = attrs["Target"]
    return out


def package_addin_links(
    package: zipfile.ZipFile, workbook_part: str = "xl/workbook.xml"
) -> set[int]:
    """The numbers ``n`` of the workbook's external links that name ``tongji.xlam``."""
    from html import unescape

    book = package.read(workbook_part).decode("utf-8")
    if "externalReference" not in book:
        return set()
    parts = _relationships(package, workbook_part)
    folder = posixpath.dirname(workbook_part)
    found = set()
    for n, rid in enumerate(_EXTERNAL_REFERENCE.findall(book), 1):
        target = parts.get(rid)
        if target is None:
            continue
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        try:
            xml = package.read(part).decode("utf-8")
        except KeyError:
            continue
        book_id = _EXTERNAL_BOOK.search(xml)
        if book_id is not None and names_addin(
            unescape(_relationships(package, part).get(book_id.group(1), ""))
        ):
            found.add(n)
    return found


def book_addin_links(book: Any) -> set[int]:
    """:func:`package_addin_links` of an openpyxl workbook loaded with ``keep_links``."""
    found = set()
    for n, link in enumerate(getattr(book, "_external_links", ()), 1):
        file_link = getattr(link, "file_link", None)
        if names_addin(getattr(file_link, "Target", None)):
            found.add(n)
    return found


def local_addin_calls(text: str, links: set[int] | frozenset[int]) -> str:
    """``text`` (a formula without ``=``) with ``[n]!TJ_X(`` read as ``TJ_X(`` for every link
    ``n`` in ``links``; string literals and everything else stay as written."""
    if not links or "]!" not in text:
        return text
    try:
        tokens = FormulaTokenizer(f"={text}").items
    except TokenizerError:
        return text
    changed = False
    for token in tokens:
        if token.type != Token.FUNC or token.subtype != Token.OPEN:
            continue
        match = _ADDIN_CALL.fullmatch(token.value)
        if match is not None and int(match.group(2)) in links:
            token.value = match.group(1) + match.group(3)
            changed = True
    return "".join(token.value for token in tokens) if changed else text


__all__ = [
    "ADDIN_FILE",
    "book_addin_links",
    "local_addin_calls",
    "names_addin",
    "package_addin_links",
]
