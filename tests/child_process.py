"""``python -m tongji …`` in a fresh child process, as a user runs it: for tests that need the
whole process (its exit code, its stderr), its own umask or environment, or resource limits on
memory and processor time (bounded work is checked with limits, never with timed assertions)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_tongji(
    *args: str,
    env: dict[str, str] | None = None,
    memory: int | None = None,
    cpu_seconds: int | None = None,
    umask: int | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``tongji *args`` from this checkout; ``env`` is added to the current environment,
    ``memory`` (bytes of address space) and ``cpu_seconds`` limit the child."""

    def prepare() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
        if umask is not None:
            os.umask(umask)

    limited = memory is not None or cpu_seconds is not None or umask is not None
    return subprocess.run(
        [sys.executable, "-m", "tongji", *args],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "400", **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        preexec_fn=prepare if limited else None,
        timeout=timeout,
        check=False,
    )
