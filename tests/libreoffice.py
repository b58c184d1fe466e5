"""LibreOffice headless as the tests' independent spreadsheet application."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

#: Mark for tests that need LibreOffice: they are skipped where it is not installed.
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) not installed"
)


def convert(source: Path, fmt: str, outdir: Path, timeout: int = 300) -> Path:
    """Convert ``source`` to ``fmt`` (``pdf``, ``ods``, ``xlsx`` …) into ``outdir`` with a private
    LibreOffice profile, and return the converted file; fails with LibreOffice's own output
    when it produced nothing (it exits 0 even when it cannot load a file)."""
    assert SOFFICE is not None, "LibreOffice (soffice) not installed"
    outdir.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(outdir / 'lo-profile').resolve().as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    converted = outdir / f"{source.stem}.{fmt}"
    assert run.returncode == 0 and converted.is_file(), (
        f"LibreOffice could not convert {source.name}: {run.stdout} {run.stderr}"
    )
    return converted
