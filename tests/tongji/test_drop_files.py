"""Drops saved as text, as ``tongji refresh`` reads them: Excel's 「Unicode 文本」 export (UTF-16,
tab-separated) like its CSV, and a file of no known encoding refused with a Chinese message."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import cells
from tongji.cli import app

runner = CliRunner()


def _as_unicode_text(csv_path: Path, out: Path) -> Path:
    """The drop as Excel's 「Unicode 文本 (*.txt)」 writes it: UTF-16 with a BOM, tab-separated."""
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(rows)
    out.write_bytes(buffer.getvalue().encode("utf-16"))
    return out


def test_a_unicode_text_export_refreshes_like_the_csv(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    drops = tmp_path / "drops"
    drops.mkdir()
    text = _as_unicode_text(fresh["csv"], drops / "2026年1-12月.txt")
    assert text.read_bytes()[:2] == b"\xff\xfe"
    from_csv, from_text = tmp_path / "from_csv.xlsx", tmp_path / "from_text.xlsx"
    for drop, out in ((fresh["csv"], from_csv), (text, from_text)):
        result = runner.invoke(
            app, ["refresh", str(fresh["workbook"]), "-d", str(drop), "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
    assert cells(from_text, "2026Q4") == cells(from_csv, "2026Q4")


def test_a_drop_of_unknown_encoding_is_refused(fresh: dict[str, Path], tmp_path: Path) -> None:
    drop = tmp_path / "drops" / "2026年1-12月.csv"
    drop.parent.mkdir()
    drop.write_bytes(b"\x80\xff\x80\xff")  # neither UTF-8, GBK nor UTF-16
    source = fresh["workbook"]
    original = source.read_bytes()
    result = runner.invoke(app, ["refresh", str(source), "-d", str(drop), "--in-place"])
    assert result.exit_code == 2
    assert "文件编码无法识别" in result.output
    assert source.read_bytes() == original
