"""Session fixtures: one built ``tongji.oxt`` and one LibreOffice with it installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from addin.calc import BASIC_MODULE
from tests.addin.calc.cases import build
from tests.addin.calc.libreoffice_calc import CalcSession, uno_python


@pytest.fixture(scope="session")
def built_oxt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extension as ``tongji build-calc`` writes it (skipped without the SDK compiler)."""
    from addin.calc.build import build_oxt, program_dir, unoidl_write

    if unoidl_write() is None or program_dir() is None:
        pytest.skip("LibreOffice or its SDK (unoidl-write, package libreoffice-dev) is missing")
    out = tmp_path_factory.mktemp("oxt") / "tongji.oxt"
    build_oxt(out)
    return out


@pytest.fixture(scope="session")
def calc(
    soffice: str, built_oxt: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CalcSession]:
    """LibreOffice with the extension installed in a private profile, started a second time
    so that its start-up job has put the Basic wrappers into 我的宏/Standard."""
    python, reason = uno_python()
    if python is None:
        pytest.skip(reason)
    session = CalcSession(soffice, python, tmp_path_factory.mktemp("calc") / "profile")
    session.start()
    try:
        installed = session.driver("install", str(built_oxt))
        assert installed == {"installed": "org.tongji.calc"}
    finally:
        session.stop()
    session.start()
    try:
        assert BASIC_MODULE in session.driver("basic")["modules"]
        yield session
    finally:
        session.stop()


@pytest.fixture(scope="session")
def calc_book(calc: CalcSession, tmp_path_factory: pytest.TempPathFactory):
    """The cases workbook (:mod:`tests.addin.calc.cases`) opened and recalculated in Calc, and
    saved by Calc as .xlsx and .ods: (expected values, the cells Calc shows, saved files)."""
    folder = tmp_path_factory.mktemp("functions")
    source = folder / "函数.xlsx"
    expected = build(source)
    saved = {"xlsx": folder / "calc.xlsx", "ods": folder / "calc.ods"}
    [result] = calc.run(
        [
            {
                "open": str(source),
                "read": True,
                "save": [
                    [str(saved["xlsx"]), "Calc Office Open XML"],
                    [str(saved["ods"]), "calc8"],
                ],
            }
        ]
    )
    return expected, result["sheets"], saved
