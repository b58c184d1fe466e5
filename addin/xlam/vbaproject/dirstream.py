"""The ``VBA/dir`` stream (MS-OVBA 2.3.4.2): project information, references and the module
table, as a sequence of records ``Id (2 bytes) · Size (4 bytes) · Data``.

We read a template's stream to reuse what Excel wrote there (system kind, LCIDs, version,
references to stdole/Office/MSForms …) and write a new one whose project name, code page and
module table describe exactly the modules we store.
"""

from __future__ import annotations

import struct
from collections.abc import Collection
from dataclasses import dataclass

__all__ = [
    "DirModule",
    "DirStream",
    "build_dir_stream",
    "parse_dir_stream",
    "reference_groups",
    "without_references",
]

# Record ids (MS-OVBA 2.3.4.2).
PROJECTCODEPAGE = 0x0003
PROJECTNAME = 0x0004
PROJECTVERSION = 0x0009
PROJECTMODULES = 0x000F
TERMINATOR = 0x0010
PROJECTCOOKIE = 0x0013
REFERENCENAME = 0x0016
REFERENCECONTROL = 0x002F
REFERENCE_IDS = {REFERENCENAME, 0x0033, REFERENCECONTROL, 0x000D, 0x000E}
MODULENAME = 0x0019
MODULESTREAMNAME = 0x001A
MODULESTREAMNAMEUNICODE = 0x0032
MODULEDOCSTRING = 0x001C
MODULEDOCSTRINGUNICODE = 0x0048
MODULEHELPCONTEXT = 0x001E
MODULETYPE_PROCEDURAL = 0x0021
MODULETYPE_OTHER = 0x0022  # document, class or designer module
MODULEREADONLY = 0x0025
MODULEPRIVATE = 0x0028
MODULETERMINATOR = 0x002B
MODULECOOKIE = 0x002C
MODULEOFFSET = 0x0031
MODULENAMEUNICODE = 0x0047


class DirStreamError(ValueError):
    """A ``dir`` stream that does not follow MS-OVBA 2.3.4.2."""


@dataclass(frozen=True)
class DirModule:
    """One entry of the module table."""

    name: str
    stream_name: str
    text_offset: int  # where the compressed source starts in the module stream
    procedural: bool  # MODULETYPE 0x0021 (standard module) rather than 0x0022


@dataclass(frozen=True)
class DirStream:
    """A parsed ``dir`` stream. ``information`` and ``references`` keep the raw records
    (id, data) in order, so they can be written back unchanged."""

    information: list[tuple[int, bytes]]
    references: list[tuple[int, bytes]]
    modules: list[DirModule]
    code_page: int
    project_name: bytes


def _records(data: bytes):
    """Yield (offset, id, data) for every record; PROJECTVERSION is the one whose Size field is
    a fixed ``Reserved`` (4) followed by six bytes of data."""
    pos = 0
    while pos < len(data):
        if pos + 6 > len(data):
            raise DirStreamError(f"truncated record header at byte {pos}")
        rid, size = struct.unpack_from("<HI", data, pos)
        if rid == PROJECTVERSION:
            size = 6
        end = pos + 6 + size
        if end > len(data):
            raise DirStreamError(f"record 0x{rid:04X} at byte {pos} runs past the stream")
        yield pos, rid, data[pos + 6 : end]
        pos = end
        if rid == TERMINATOR:
            return
    raise DirStreamError("dir stream has no terminator record")


def _codec(code_page: int) -> str:
    """Python codec of a Windows code page (1252 → cp1252, 936 → cp936 …)."""
    return f"cp{code_page}"


def _record(rid: int, payload: bytes) -> bytes:
    if rid == PROJECTVERSION:
        return struct.pack("<HI", rid, 4) + payload
    return struct.pack("<HI", rid, len(payload)) + payload


def parse_dir_stream(data: bytes) -> DirStream:
    """Split a decompressed ``dir`` stream into its information, references and modules."""
    information: list[tuple[int, bytes]] = []
    references: list[tuple[int, bytes]] = []
    modules: list[DirModule] = []
    section = "information"
    current: dict[int, bytes] = {}
    procedural = False
    codec = "cp1252"
    for _, rid, payload in _records(bytes(data)):
        if section == "information" and rid in REFERENCE_IDS:
            section = "references"
        if rid == PROJECTMODULES:
            section = "modules"
            continue
        if rid == PROJECTCODEPAGE and section == "information":
            codec = _codec(struct.unpack("<H", payload)[0])
        if section == "information":
            information.append((rid, payload))
        elif section == "references":
            references.append((rid, payload))
        elif rid == MODULETERMINATOR:
            name = current.get(MODULENAMEUNICODE, b"").decode("utf-16-le") or current.get(
                MODULENAME, b""
            ).decode(codec, errors="replace")
            modules.append(
                DirModule(
                    name=name,
                    stream_name=current.get(MODULESTREAMNAMEUNICODE, b"").decode("utf-16-le")
                    or current.get(MODULESTREAMNAME, b"").decode(codec, errors="replace")
                    or name,
                    text_offset=struct.unpack("<I", current.get(MODULEOFFSET, bytes(4)))[0],
                    procedural=procedural,
                )
            )
            current = {}
        elif rid in (MODULETYPE_PROCEDURAL, MODULETYPE_OTHER):
            procedural = rid == MODULETYPE_PROCEDURAL
        else:
            current.setdefault(rid, payload)
    info = dict(information)
    if PROJECTCODEPAGE not in info or PROJECTNAME not in info:
        raise DirStreamError("dir stream lacks PROJECTCODEPAGE or PROJECTNAME")
    return DirStream(
        information=information,
        references=references,
        modules=modules,
        code_page=struct.unpack("<H", info[PROJECTCODEPAGE])[0],
        project_name=info[PROJECTNAME],
    )


def reference_groups(references: list[tuple[int, bytes]]) -> list[list[tuple[int, bytes]]]:
    """The reference records split into one list per reference (MS-OVBA 2.3.4.2.2): each
    starts with its REFERENCENAME; the name record right after a REFERENCECONTROL is that
    control's extended name and stays in its group."""
    groups: list[list[tuple[int, bytes]]] = []
    previous = None
    for rid, payload in references:
        if (rid == REFERENCENAME and previous != REFERENCECONTROL) or not groups:
            groups.append([])
        groups[-1].append((rid, payload))
        previous = rid
    return groups


def without_references(
    references: list[tuple[int, bytes]], names: Collection[str]
) -> list[tuple[int, bytes]]:
    """The reference records minus the references called one of ``names`` (compared without
    regard to case, as VBA does)."""
    dropped = {name.lower() for name in names}
    kept = []
    for group in reference_groups(references):
        rid, payload = group[0]
        name = payload.decode("latin-1").lower() if rid == REFERENCENAME else None
        if name not in dropped:
            kept.extend(group)
    return kept


def build_dir_stream(
    template: DirStream,
    project_name: str,
    code_page: int,
    modules: list[tuple[str, bool]],
) -> bytes:
    """A decompressed ``dir`` stream: the template's information records with our project name
    and code page, the template's references unchanged, and one module record per
    ``(name, procedural)`` — stream named like the module, source at offset 0 (no p-code),
    cookies 0xFFFF as the specification asks of writers."""
    out = bytearray()
    for rid, payload in template.information:
        if rid == PROJECTNAME:
            payload = project_name.encode("ascii")
        elif rid == PROJECTCODEPAGE:
            payload = struct.pack("<H", code_page)
        out += _record(rid, payload)
    for rid, payload in template.references:
        out += _record(rid, payload)
    out += _record(PROJECTMODULES, struct.pack("<H", len(modules)))
    out += _record(PROJECTCOOKIE, struct.pack("<H", 0xFFFF))
    for name, procedural in modules:
        mbcs, utf16 = name.encode("ascii"), name.encode("utf-16-le")
        out += _record(MODULENAME, mbcs)
        out += _record(MODULENAMEUNICODE, utf16)
        out += _record(MODULESTREAMNAME, mbcs) + _record(MODULESTREAMNAMEUNICODE, utf16)
        out += _record(MODULEDOCSTRING, b"") + _record(MODULEDOCSTRINGUNICODE, b"")
        out += _record(MODULEOFFSET, struct.pack("<I", 0))
        out += _record(MODULEHELPCONTEXT, struct.pack("<I", 0))
        out += _record(MODULECOOKIE, struct.pack("<H", 0xFFFF))
        out += _record(MODULETYPE_PROCEDURAL if procedural else MODULETYPE_OTHER, b"")
        out += _record(MODULETERMINATOR, b"")
    out += _record(TERMINATOR, b"")
    return bytes(out)
