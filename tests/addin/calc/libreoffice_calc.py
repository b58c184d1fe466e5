"""A headless LibreOffice with the 统计助手 extension installed in a private profile.

The extension runs inside LibreOffice's Python; the tests drive LibreOffice from the Python
that has ``uno`` (``/usr/bin/python3`` on Debian, not the project's virtual environment)
through ``lo_driver.py``. ``unopkg add`` refuses to run as root without ``--shared``, so the
extension is installed through LibreOffice's own extension manager into the private profile,
and LibreOffice is started again so that the start-up job puts the Basic ``TJ_`` wrappers into
that profile's 我的宏/Standard.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

DRIVER = Path(__file__).with_name("lo_driver.py")

#: Calc's error numbers of the errors the TJ_ functions return, as Excel's literals.
CALC_ERROR_LITERALS = {
    532: "#DIV/0!",
    0x7FFF: "#N/A",
    503: "#NUM!",
    519: "#VALUE!",
    521: "#NULL!",
    524: "#REF!",
    525: "#NAME?",
}

#: ``FormulaResultType2`` of a formula cell holding text (com.sun.star.sheet.FormulaResult).
TEXT_RESULT = 2


def uno_python() -> tuple[str | None, str]:
    """A Python that imports ``uno`` (and the reason when there is none, or it lacks NumPy,
    which the extension needs inside LibreOffice on Linux: package python3-numpy)."""
    candidates = [os.environ.get("TONGJI_UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")]
    for candidate in filter(None, candidates):
        if not Path(candidate).is_file():
            continue
        probe = subprocess.run(
            [
                candidate,
                "-c",
                "import uno\ntry:\n import numpy\nexcept ImportError:\n print('no-numpy')",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode != 0:
            continue
        if "no-numpy" in probe.stdout:
            return None, f"{candidate} has uno but no NumPy (install python3-numpy)"
        return candidate, ""
    return None, "no Python with the uno module (install python3-uno)"


class CalcSession:
    """One LibreOffice process listening on a private pipe, with its own profile."""

    def __init__(self, soffice: str, python: str, profile: Path):
        self.soffice, self.python, self.profile = soffice, python, profile
        self.pipe = f"tongji-{uuid.uuid4().hex[:12]}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.soffice,
                f"-env:UserInstallation={self.profile.resolve().as_uri()}",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                f"--accept=pipe,name={self.pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def driver(self, *args: str, timeout: int = 300) -> Any:
        run = subprocess.run(
            [self.python, str(DRIVER), self.pipe, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert run.returncode == 0, f"LibreOffice driver failed: {run.stderr[-3000:]}"
        return json.loads(run.stdout)

    def run(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(jobs, handle, ensure_ascii=False)
        try:
            return self.driver("run", handle.name)
        finally:
            os.unlink(handle.name)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            self.driver("terminate", timeout=60)
            self.process.wait(timeout=60)
        except (AssertionError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this session started
            self.process.wait(timeout=30)
        self.process = None


def cell_result(cell: dict[str, Any]) -> Any:
    """A cell read by the driver as the tests compare it: a float, an error literal or
    ``None`` for an empty text result."""
    if cell["error"]:
        return CALC_ERROR_LITERALS.get(cell["error"], f"Err:{cell['error']}")
    if cell.get("result") == TEXT_RESULT:
        return None if cell["text"] == "" else cell["text"]
    return cell["value"]
