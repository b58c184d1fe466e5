"""``python -m addin.xlam.vbaproject FILE``: list the VBA project of a ``vbaProject.bin`` or of an
``.xlam``/``.xlsm`` package (name, code page, references, modules), or with ``--module NAME``
print one module's stored source."""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from addin.xlam.vbaproject import read_vba_project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m addin.xlam.vbaproject", description=__doc__)
    parser.add_argument("file", type=Path, help="vbaProject.bin, .xlam or .xlsm")
    parser.add_argument("--module", help="print this module's source")
    args = parser.parse_args(argv)
    data = args.file.read_bytes()
    if zipfile.is_zipfile(args.file):
        with zipfile.ZipFile(args.file) as package:
            data = package.read("xl/vbaProject.bin")
    project = read_vba_project(data)
    if args.module:
        sys.stdout.write(project.module(args.module).source)
        return 0
    print(f"project {project.name}  code page {project.code_page}")
    print(f"references: {', '.join(project.references) or '-'}")
    for module in project.modules:
        lines = module.source.count("\r\n")
        print(
            f"  {module.kind:<9} {module.name:<31} {lines:>6} lines {len(module.source):>8} chars"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
