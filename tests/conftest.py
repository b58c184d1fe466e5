"""Test-wide setup.

xlwings' Office.js layer (``xlwings.server``) and its remote engine only load when these are set
before the first ``import xlwings`` (see shared/excel-notes.md). Government institutions are a
permitted use of the noncommercial license.
"""

import os
import shutil

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ.setdefault("XLWINGS_ON_SERVER", "true")


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's ``soffice``; tests that need it are skipped where it is missing."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return path
