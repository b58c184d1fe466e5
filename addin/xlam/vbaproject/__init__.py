"""Writing the add-in's ``xl/vbaProject.bin`` from VBA sources kept as text, on any system.

Public API::

    VbaModule(name, kind, source)            kind: "standard" | "class" | "document"
    build_vba_project(modules, project_name, template=None, code_page=None) -> bytes
    read_vba_project(data) -> VbaProject(name, code_page, references, modules)
    module_stream_text(module) -> str        the exact text stored (and read back)
    vba_string_literal(text) -> str          ASCII-only VBA expression for any text
    vba_string_assignment(var, text) -> list[str]
    default_template() -> bytes              xlwings' template vbaProject.bin
    compress(data) / decompress(data)        MS-OVBA 2.4.1
    write_compound_file({path: bytes})       MS-CFB writer

Errors: :class:`VbaSourceError` (bad names, non-ASCII source, over-long lines),
:class:`CompressionError`, :class:`CompoundFileError` — all ``ValueError``.
"""

from addin.xlam.vbaproject.cfb import CompoundFileError, write_compound_file
from addin.xlam.vbaproject.compression import CompressionError, compress, decompress
from addin.xlam.vbaproject.project import (
    VbaProject,
    build_vba_project,
    default_template,
    read_vba_project,
)
from addin.xlam.vbaproject.source import (
    MAX_LINE,
    ModuleKind,
    VbaModule,
    VbaSourceError,
    module_stream_text,
    vba_string_assignment,
    vba_string_literal,
)

__all__ = [
    "MAX_LINE",
    "CompoundFileError",
    "CompressionError",
    "ModuleKind",
    "VbaModule",
    "VbaProject",
    "VbaSourceError",
    "build_vba_project",
    "compress",
    "decompress",
    "default_template",
    "module_stream_text",
    "read_vba_project",
    "vba_string_assignment",
    "vba_string_literal",
    "write_compound_file",
]
