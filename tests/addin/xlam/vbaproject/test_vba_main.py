"""``python -m addin.xlam.vbaproject``: what a developer sees when inspecting an add-in."""

from __future__ import annotations

from pathlib import Path

import xlwings

from addin.xlam.vbaproject import VbaModule, build_vba_project
from addin.xlam.vbaproject.__main__ import main

XLWINGS_DIR = Path(xlwings.__file__).parent


def test_lists_the_project_of_an_xlam(capsys) -> None:
    assert main([str(XLWINGS_DIR / "addin" / "xlwings.xlam")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "project xlwings  code page 1252"
    assert "references: stdole, Office" in out
    assert sum(1 for line in out.splitlines() if line.startswith("  ")) == 15


def test_prints_one_module_of_a_built_bin(tmp_path, capsys) -> None:
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(
        build_vba_project([VbaModule("Hello", "standard", "Sub Hi()\nEnd Sub\n")], "P")
    )
    assert main([str(path), "--module", "hello"]) == 0
    assert capsys.readouterr().out == 'Attribute VB_Name = "Hello"\r\nSub Hi()\r\nEnd Sub\r\n'
