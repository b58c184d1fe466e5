"""Vetting a package in a second process while this one reads it with the formula engine's reader.

:func:`workbooks.package_guard.vet_package` parses every XML part of a package with expat (about
30 ms per MB of XML: 0.4 s for a workbook of 120,000 formulas), on one processor core while the
others idle. :func:`vetting` splits it:

1. here and at once, :func:`~workbooks.package_guard.vet_sizes`: what the file is, its zip
   directory, the parts' sizes, compression ratios and encryption — what makes decompressing
   any part safe;
2. the whole of :func:`~workbooks.package_guard.vet_package` in a child process (``python -c``,
   started the same way on Windows and elsewhere: no fork), which reports "passed" or the
   refusal's message (JSON on its standard output).

Meanwhile the caller reads the package with :mod:`workbooks.formula.package_reader` (regular
expressions, no XML parser: no entity is ever expanded), checks what it read against the
limits' cells and area before building anything from it, and evaluates. It joins the child with
:meth:`Pending.wait` before anything it computed leaves it (nothing is written or returned from
an unvetted package) and before openpyxl, whose XML parser must only see vetted packages, opens
the file. A refusal is the :class:`~workbooks.package_guard.PackageError` ``vet_package`` raises,
word for word, as when the package was vetted before reading.

The package is vetted here, before the caller reads it, when a child does not pay or is not
safe: a small package (starting Python costs about 0.1 s of the other core), a package too
large for the reader to be bounded by its size alone (see :data:`_SMALLEST_CELL`), a machine
with one core, an interpreter that cannot start itself. A child that cannot be started or dies
leaves the vetting to this process: it is never skipped. A caller that fails or is interrupted
kills the child on its way out (the ``with`` block); a child whose parent ended without that
(killed) ends too, when its standard input (never written) reaches its end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from workbooks.package_guard import WORKBOOK, Limits, PackageError, vet_package, vet_sizes

_MB = 1 << 20
#: Packages from this total uncompressed size on are vetted in a child (about 60 ms of vetting
#: here against a process started on the other core; a workbook of 10,000 formulas has 1.2 MB).
CHILD_FROM = 2 * _MB
#: The fewest bytes of worksheet XML the reader makes a cell from (``<c r="A1"><v>1</v></c>``):
#: a package of at most ``limits.cells`` such cells cannot make the reader build more cells than
#: vetting allows, nor a shared-strings table over ``limits.strings_size``; larger ones are
#: vetted before reading.
_SMALLEST_CELL = 22
#: The child: its first argument is the folder holding ``workbooks`` (never the working folder,
#: where a stray ``workbooks`` folder could stand in for this one).
_CHILD = (
    "import sys; sys.path[0] = sys.argv.pop(1); "
    "from workbooks.background_vetting import child_main; child_main()"
)
_ROOT = str(Path(__file__).resolve().parents[1])


class Pending:
    """The vetting of one package: done here already, or running in a child process."""

    def __init__(self, path: Path, limits: Limits, child: subprocess.Popen[bytes] | None):
        self.path, self.limits, self.child = path, limits, child
        self.refusal: str | None = None

    @property
    def done(self) -> bool:
        """Whether the verdict is in (the package passed, or :meth:`wait` raises its refusal)."""
        return self.child is None

    def check(self) -> None:
        """Collect the child's verdict if it is in (raising a refusal); never waits for a
        running child."""
        if self.child is not None and self.child.poll() is not None:
            self.wait()
        if self.refusal is not None:
            raise PackageError(self.refusal)

    def wait(self) -> None:
        """Wait for the verdict; raise the refusal, as often as asked."""
        child = self.child
        if child is not None:
            assert child.stdout is not None and child.stdin is not None
            output = child.stdout.read()  # interrupted: close() still finds the child
            child.wait()
            self.child = None
            child.stdout.close()
            child.stdin.close()
            reported = _reported(output) if child.returncode == 0 else None
            if reported is None:  # the child died (killed, out of memory …): vet here
                try:
                    vet_package(self.path, self.limits)
                except PackageError as exc:
                    reported = (str(exc),)
                else:
                    reported = (None,)
            (self.refusal,) = reported
        if self.refusal is not None:
            raise PackageError(self.refusal)

    def close(self) -> None:
        """Stop the child if it still runs (the caller failed or was interrupted)."""
        child, self.child = self.child, None
        if child is not None:
            child.kill()
            child.communicate()


@contextmanager
def vetting(path: Path, limits: Limits = WORKBOOK) -> Iterator[Pending]:
    """The package at ``path`` being vetted: the cheap checks done (refusals raised here), the
    XML checks done here or running in a child process. Leaving the block stops the child."""
    total = vet_sizes(path, limits)
    pending = Pending(path, limits, None)
    try:
        if _pays(total, limits):
            with _ctrl_c_held():  # an interruption once the child is known: it is stopped
                pending.child = _start(path, limits)
        if pending.child is None:
            vet_package(path, limits)
        yield pending
    finally:
        pending.close()


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) held back until the block's end, where POSIX systems allow it: one
    arriving while the child is being started would leave it unknown, hence running."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _pays(total: int, limits: Limits) -> bool:
    bounded = total <= min(limits.cells * _SMALLEST_CELL, limits.strings_size)
    return total >= CHILD_FROM and bounded and _cores() > 1 and bool(sys.executable)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def child_command(path: Path, limits: Limits) -> list[str]:
    """The command line of the child vetting ``path``."""
    return [sys.executable, "-c", _CHILD, _ROOT, os.fspath(path), json.dumps(asdict(limits))]


def _start(path: Path, limits: Limits) -> subprocess.Popen[bytes] | None:
    """The child vetting ``path``, or None when it cannot be started."""
    try:
        return subprocess.Popen(
            child_command(path, limits),
            stdin=subprocess.PIPE,  # never written: the child ends when this process does
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console on Windows
        )
    except OSError:
        return None


def _reported(output: bytes) -> tuple[str | None] | None:
    """The child's verdict: (its refusal,) or (None,) when the package passed; None when the
    output is no verdict."""
    try:
        verdict = json.loads(output)
    except ValueError:
        return None
    if verdict == {"passed": True}:
        return (None,)
    if isinstance(verdict, dict) and isinstance(verdict.get("refused"), str):
        return (verdict["refused"],)
    return None


def child_main() -> None:
    """The child's work: ``vet_package(path, limits)`` for its arguments (the path, the limits
    as JSON), the verdict as JSON on standard output (ASCII: any console encoding)."""
    threading.Thread(target=_end_with_parent, daemon=True).start()
    path, limits = sys.argv[1:3]
    try:
        vet_package(path, Limits(**json.loads(limits)))
    except PackageError as exc:
        verdict: dict[str, str | bool] = {"refused": str(exc)}
    else:
        verdict = {"passed": True}
    sys.stdout.write(json.dumps(verdict))
    sys.stdout.flush()
    os._exit(0)  # nothing to tidy; no waiting for the thread reading standard input


def _end_with_parent() -> None:
    """End the child when its standard input ends: the parent has ended, however (killed,
    interrupted while starting the child), or has stopped waiting."""
    while os.read(0, 4096):  # the descriptor itself: no buffer's lock held at exit
        pass
    os._exit(3)
