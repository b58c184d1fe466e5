"""Hostile and broken workbooks and drops, given to the command as a user (or an attacker) would.

Each file is built by the test (:mod:`tests.workbooks.attacks`). Every one is refused with exit
code 2 and a Chinese sentence saying what the file is, the input unchanged byte for byte and
nothing new in its folder. The command runs in a child process limited to 1 GB of address space
and 30 s of processor time: a reader that expanded a bomb would be killed or fail with
``MemoryError`` (an internal error, exit 1), never pass.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.child_process import run_tongji
from tests.workbooks import attacks

MEMORY = 1 << 30  # bytes of address space
CPU_SECONDS = 30


def tongji_limited(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """``python -m tongji …`` in a child process with bounded memory and processor time."""
    return run_tongji(
        *args, env={"XDG_CACHE_HOME": str(cache)}, memory=MEMORY, cpu_seconds=CPU_SECONDS
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _good(folder: Path) -> Path:
    return attacks.package(folder / "好.xlsx")


#: name → (builder, words the message must hold)
ATTACKS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "malformed XML": (attacks.malformed_xml, ("sheet1.xml", "不是有效的 XML", "已损坏")),
    "billion laughs": (attacks.entity_bomb, ("sharedStrings.xml", "实体")),
    "truncated zip": (
        lambda p: attacks.truncated(p, _good(p.parent.parent)),
        ("不完整", "截断"),
    ),
    "encrypted": (attacks.encrypted, ("加密", "密码")),
    "renamed xls": (attacks.renamed_xls, ("97-2003", ".xls")),
    "grid bomb": (attacks.grid_bomb, ("2026Q3", "A1:XFD1048576", "上限")),
    "grid bomb, dimension A1": (
        lambda p: attacks.grid_bomb(p, declared=False),
        ("2026Q3", "A1:XFD1048576", "上限"),
    ),
    "merged-cells bomb": (attacks.merged_bomb, ("2026Q3", "合并单元格", "A1:XFD1048576")),
    "hyperlink bomb": (attacks.hyperlink_bomb, ("2026Q3", "超链接", "A1:XFD1048576")),
    "array-formula bomb": (attacks.array_bomb, ("2026Q3", "数组公式", "A1:XFD1048576")),
    "shared-strings bomb": (attacks.strings_bomb, ("共享字符串", "上限")),
    "shared-strings bomb, renamed": (
        lambda p: attacks.strings_bomb(p, part="xl/data/s.xml"),
        ("s.xml", "共享字符串", "上限"),
    ),
    "styles bomb": (attacks.styles_bomb, ("样式表", "上限")),
    "zip bomb": (attacks.zip_bomb, ("sheet1.xml", "压缩")),
    "CSV named .xlsx": (attacks.text_file, ("文本/CSV",)),
    "empty file": (attacks.empty_file, ("空的",)),
}


def _assert_refused(run: subprocess.CompletedProcess[str], words: tuple[str, ...]) -> str:
    message = "".join(run.stderr.split())
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "错误" in message and "Traceback" not in run.stderr and "内部错误" not in message
    for word in words:
        assert word.replace(" ", "") in message, (word, run.stderr)
    return message


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_hostile_workbook_is_refused_in_chinese_and_left_alone(
    tmp_path: Path, attack: str
) -> None:
    build, words = ATTACKS[attack]
    folder = tmp_path / "in"
    folder.mkdir()
    (tmp_path / "spare").mkdir()
    source = build(folder / "报表.xlsx")
    digest = sha256(source)
    command = (
        "compute" if attack in ("billion laughs", "zip bomb", "array-formula bomb") else "rank"
    )
    run = tongji_limited(command, str(source), cache=tmp_path / "cache")
    _assert_refused(run, words)
    assert sha256(source) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["报表.xlsx"]


def test_an_external_entity_never_reads_the_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密-XXE-7f3a9c", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    source = attacks.external_entity(folder / "报表.xlsx", secret)
    digest = sha256(source)
    for command in ("rank", "compute"):
        run = tongji_limited(command, str(source), cache=tmp_path / "cache")
        _assert_refused(run, ("sharedStrings.xml", "外部实体"))
        assert "7f3a9c" not in run.stdout + run.stderr
    assert sha256(source) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["报表.xlsx"]


@pytest.mark.parametrize("attack", ["grid bomb", "billion laughs", "encrypted", "zip bomb"])
def test_a_hostile_drop_is_refused_and_the_workbook_is_untouched(
    fresh: dict[str, Path], tmp_path: Path, attack: str
) -> None:
    build, words = ATTACKS[attack]
    workbook = fresh["workbook"]
    digest = sha256(workbook)
    drops = tmp_path / "drops"
    drops.mkdir()
    drop = build(drops / "2026年1-12月.xlsx")
    before = sorted(p.name for p in workbook.parent.iterdir())
    run = tongji_limited("refresh", str(workbook), "-d", str(drop), cache=tmp_path / "cache")
    message = _assert_refused(run, words)
    assert "数据文件「2026年1-12月.xlsx」" in message and "工作簿未作任何修改" in message
    assert sha256(workbook) == digest
    assert sorted(p.name for p in workbook.parent.iterdir()) == before


@pytest.mark.parametrize(
    ("command", "attack"),
    [("export-values", "grid bomb"), ("render", "encrypted"), ("refresh", "renamed xls")],
)
def test_every_command_vets_its_workbook(tmp_path: Path, command: str, attack: str) -> None:
    build, words = ATTACKS[attack]
    folder = tmp_path / "in"
    folder.mkdir()
    source = build(folder / "报表.xlsx")
    digest = sha256(source)
    extra = {"render": ["-s", "2026Q3", "--pdf", str(folder / "报表.pdf")]}.get(command, [])
    if command == "refresh":
        extra = ["-d", str(attacks.text_file(tmp_path / "2026年1-12月.csv"))]
    run = tongji_limited(command, str(source), *extra, cache=tmp_path / "cache")
    _assert_refused(run, words)
    assert sha256(source) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["报表.xlsx"]
