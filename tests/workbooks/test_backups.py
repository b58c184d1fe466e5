"""The one backup naming scheme: every backup is kept, none is ever overwritten."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from workbooks.backups import backup_path, backups_of, keep_backup

NOON = datetime(2026, 11, 22, 3, 40, 15)


def test_the_name_carries_the_date_and_time_to_the_second(tmp_path: Path) -> None:
    source = tmp_path / "报表.xlsx"
    assert backup_path(source, NOON) == tmp_path / "报表.bak-20261122-034015.xlsx"
    assert backup_path(source, NOON, folder=tmp_path / "backup") == (
        tmp_path / "backup" / "报表.bak-20261122-034015.xlsx"
    )


def test_a_taken_name_gets_the_next_number(tmp_path: Path) -> None:
    source = tmp_path / "报表.xlsx"
    (tmp_path / "报表.bak-20261122-034015.xlsx").write_bytes(b"earlier")
    (tmp_path / "报表.bak-20261122-034015-2.xlsx").write_bytes(b"earlier still")
    assert backup_path(source, NOON).name == "报表.bak-20261122-034015-3.xlsx"


def test_two_backups_in_a_row_keep_both(tmp_path: Path) -> None:
    source = tmp_path / "报表.xlsx"
    source.write_bytes(b"version 1")
    first = keep_backup(source)
    source.write_bytes(b"version 2")
    second = keep_backup(source)
    assert first != second
    assert first.read_bytes() == b"version 1" and second.read_bytes() == b"version 2"
    assert backups_of(source) == [first, second]


def test_an_existing_backup_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "报表.xlsx"
    source.write_bytes(b"new")
    taken = backup_path(source)  # as another process might have just written it
    taken.write_bytes(b"the only copy of last week's file")
    kept = keep_backup(source)
    assert taken.read_bytes() == b"the only copy of last week's file"
    assert kept != taken and kept.read_bytes() == b"new"


def test_backups_of_lists_only_this_files_backups(tmp_path: Path) -> None:
    source = tmp_path / "报表.xlsx"
    source.write_bytes(b"x")
    ours = [keep_backup(source) for _ in range(3)]
    for other in ("报表2.bak-20261122-034015.xlsx", "报表.bak-notes.xlsx", "报表.bak.xlsx"):
        (tmp_path / other).write_bytes(b"not ours")
    assert backups_of(source) == ours
    assert backups_of(tmp_path / "missing" / "报表.xlsx") == []
