"""Test-wide setup.

xlwings' Office.js layer (``xlwings.server``) and its remote engine only load when these are set
before the first ``import xlwings`` (see docs/excel-notes.md). Government institutions are a
permitted use of the noncommercial license.
"""

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ.setdefault("XLWINGS_ON_SERVER", "true")

from workbooks.samples.build import build_all


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's ``soffice``; tests that need it are skipped where it is missing."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return path


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pristine sample folder (do not modify: copy with ``fresh``)."""
    return build_all(tmp_path_factory.mktemp("sample"))


@pytest.fixture
def fresh(sample_files: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """A private copy of the sample workbook (drops are shared, read-only)."""
    out = dict(sample_files)
    out["workbook"] = Path(
        shutil.copy(sample_files["workbook"], tmp_path / sample_files["workbook"].name)
    )
    return out


def cells(path: Path, sheet: str) -> dict[str, object]:
    """Every non-empty cell of a sheet (formulas as text), by coordinate."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.fixture(scope="session")
def built_addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The add-in as ``tongji build-addin`` writes it (interpreter set in its conf sheet)."""
    from addin.xlam.build import build_addin

    out = tmp_path_factory.mktemp("addin") / "tongji.xlam"
    build_addin(out, interpreter=r"C:\tongji\venv\Scripts\pythonw.exe")
    return out
