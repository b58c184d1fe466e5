"""Shared inputs for the vbaProject.bin tests: files of the installed xlwings package."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlwings

XLWINGS_DIR = Path(xlwings.__file__).parent


@pytest.fixture(scope="session")
def xlwings_bas() -> str:
    """xlwings' own runtime module for custom add-ins (~46 KB of VBA, CRLF)."""
    return (XLWINGS_DIR / "xlwings_custom_addin.bas").read_bytes().decode("ascii")


@pytest.fixture(scope="session")
def dictionary_cls() -> str:
    """xlwings' Dictionary class as exported by the VBA editor (VERSION/BEGIN block)."""
    return (XLWINGS_DIR / "addin" / "Dictionary.cls").read_bytes().decode("ascii")
