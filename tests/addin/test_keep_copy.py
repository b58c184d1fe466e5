"""Before a ribbon button changes a saved workbook it keeps a backup made from Excel's own copy
(``SaveCopyAs``), placed like every other backup: complete under its final name or not at all,
with nothing left next to the workbook. Excel's COM object is stood in for by a small class
that writes the file as ``SaveCopyAs`` would; the backup logic is the real one."""

from __future__ import annotations

from pathlib import Path

from addin.ribbon import _keep_copy
from workbooks.backups import backups_of


class _Api:
    def __init__(self, contents: bytes | None, cut: bool = False):
        self.contents, self.cut = contents, cut

    def SaveCopyAs(self, path: str) -> None:  # Excel's name
        if self.contents is None:
            raise RuntimeError("(-2147352567, '发生意外。')")  # what a COM failure reads like
        if self.cut:  # Excel stopped half way (a full disk): its file is left truncated
            Path(path).write_bytes(self.contents[: len(self.contents) // 2])
            raise RuntimeError("(-2147352567, '磁盘已满。')")
        Path(path).write_bytes(self.contents)


class _Book:
    def __init__(self, fullname: Path, contents: bytes | None, cut: bool = False):
        self.fullname = str(fullname)
        self.api = _Api(contents, cut)


def test_the_backup_holds_excels_copy_and_nothing_else_is_left(tmp_path: Path) -> None:
    workbook = tmp_path / "报表.xlsx"
    workbook.write_bytes(b"saved on disk")
    assert _keep_copy(_Book(workbook, b"as open in Excel, unsaved edits included")) is None
    (backup,) = backups_of(workbook)
    assert backup.read_bytes() == b"as open in Excel, unsaved edits included"
    assert workbook.read_bytes() == b"saved on disk"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([workbook.name, backup.name])


def test_two_backups_in_one_second_both_kept(tmp_path: Path) -> None:
    workbook = tmp_path / "报表.xlsx"
    workbook.write_bytes(b"x")
    assert _keep_copy(_Book(workbook, b"first")) is None
    assert _keep_copy(_Book(workbook, b"second")) is None
    assert sorted(p.read_bytes() for p in backups_of(workbook)) == [b"first", b"second"]


def test_a_failed_copy_refuses_and_leaves_no_debris(tmp_path: Path) -> None:
    workbook = tmp_path / "报表.xlsx"
    workbook.write_bytes(b"saved on disk")
    message = _keep_copy(_Book(workbook, None))
    assert message is not None and "备份副本" in message and "未作任何修改" in message
    assert [p.name for p in tmp_path.iterdir()] == [workbook.name]


def test_a_copy_cut_short_never_stands_as_a_backup(tmp_path: Path) -> None:
    workbook = tmp_path / "报表.xlsx"
    workbook.write_bytes(b"saved on disk")
    assert _keep_copy(_Book(workbook, b"0123456789" * 100, cut=True)) is not None
    assert backups_of(workbook) == []
    assert [p.name for p in tmp_path.iterdir()] == [workbook.name]


def test_a_never_saved_workbook_needs_no_backup(tmp_path: Path) -> None:
    assert _keep_copy(_Book(tmp_path / "工作簿1", b"x")) is None
    assert list(tmp_path.iterdir()) == []
