"""The README and docs/ are the front door: their examples run, their tables match the code,
their links lead somewhere."""

import doctest
import re
from pathlib import Path

import pytest

from udfs.catalog import CATALOG

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]


def _run_examples(page: Path) -> int:
    """Run every ```pycon block of ``page`` as a doctest, each in a fresh namespace; returns
    the number of examples run."""
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    examples = 0
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, {}, f"{page.name}[{i}]", str(page), 0)
        examples += len(test.examples)
        runner.run(test)
    assert runner.failures == 0, f"{page.name}: {runner.failures} example(s) failed"
    return examples


def test_readme_python_examples_run():
    assert _run_examples(README) > 0


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_docs_python_examples_run(page: Path):
    _run_examples(page)


def test_docs_with_examples_exist():
    """The pages that show the functions at work carry runnable examples."""
    for name in ("definitions.md", "addin-build.md"):
        assert _run_examples(ROOT / "docs" / name) > 0


def test_function_table_lists_every_function_with_its_signature():
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- function-table:start -->")[1].split("<!-- function-table:end -->")[0]
    listed = re.findall(r"^\| `(TJ_\w+\([^`]*\))` \|", table, flags=re.MULTILINE)
    assert sorted(listed) == sorted(entry.signature for entry in CATALOG)


def test_definitions_name_the_function_of_every_computation():
    """Every TJ_ function appears in the definitions' table of computations, with its arguments."""
    text = (ROOT / "docs" / "definitions.md").read_text(encoding="utf-8")
    computations = text.split("## 2.")[1].split("## 3.")[0]
    named = set(re.findall(r"`(TJ_\w+)\(", computations))
    assert named == {entry.name for entry in CATALOG}
    for entry in CATALOG:
        arguments = [p.name for p in entry.parameters if not p.optional]
        pattern = rf"`{entry.name}\({re.escape(', '.join(arguments))}"
        assert re.search(pattern, computations), entry.signature


def test_quick_start_has_the_two_commands():
    text = README.read_text(encoding="utf-8")
    quick = text.split("## 快速开始")[1].split("##")[0]
    assert "tongji demo" in quick
    assert "pytest" in quick
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "install/test-setup.sh" in ci and "pytest" in ci


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_and_images_lead_to_files(page: Path):
    text = page.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    missing = [t for t in targets if "://" not in t and not (page.parent / t).resolve().exists()]
    assert not missing, f"{page.name} links to missing files: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_do_not_point_outside_the_repository(page: Path):
    text = page.read_text(encoding="utf-8")
    assert "../shared" not in text and "shared/domain" not in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_named_source_files_exist(page: Path):
    """Paths such as `workbooks/tables.py` or `addin/xlam/vba/TongjiCells.bas` name real files."""
    text = page.read_text(encoding="utf-8")
    named = set(
        re.findall(
            r"`((?:udfs|workbooks|addin|install|tongji|tests|benchmarks)/[\w/.-]+\.(?:py|bas|md|sh|bat|csv))",
            text,
        )
    )
    missing = sorted(n for n in named if not (ROOT / n).exists())
    assert not missing, f"{page.name} names missing files: {missing}"
