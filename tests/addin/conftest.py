from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def built_addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The add-in as ``tongji build-addin`` writes it (interpreter set in its conf sheet)."""
    from addin.build import build_addin

    out = tmp_path_factory.mktemp("addin") / "tongji.xlam"
    build_addin(out, interpreter=r"C:\tongji\venv\Scripts\pythonw.exe")
    return out
