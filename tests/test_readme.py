"""The README is the front door: its examples run, its function table matches the code."""

import doctest
import re
from pathlib import Path

from udfs.catalog import CATALOG

README = Path(__file__).resolve().parents[1] / "README.md"


def test_python_examples_run():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README[{i}]", str(README), 0))
    assert runner.failures == 0


def test_function_table_lists_every_function_with_its_signature():
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- function-table:start -->")[1].split("<!-- function-table:end -->")[0]
    listed = re.findall(r"^\| `(TJ_\w+\([^`]*\))` \|", table, flags=re.MULTILINE)
    assert sorted(listed) == sorted(entry.signature for entry in CATALOG)


def test_quick_start_has_the_two_commands():
    text = README.read_text(encoding="utf-8")
    quick = text.split("## 快速开始")[1].split("##")[0]
    assert "tongji demo" in quick
    assert "pytest" in quick
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "install/test-setup.sh" in ci and "pytest" in ci
