"""Proofreading of bureau texts: the figures of a speech or an analysis checked against each
other and against the workbook (``tongji proofread``, the ribbon button 校对文稿).

- :mod:`~workbooks.proofread.reading`: the passages of a .docx or .txt (UTF-8 / GB18030);
- :mod:`~workbooks.proofread.vocabulary`: indicator synonyms, real-growth indicators, totals;
- :mod:`~workbooks.proofread.numbers`: figures as written and the intervals they stand for;
- :mod:`~workbooks.proofread.statements`: the quantitative statements of the prose;
- :mod:`~workbooks.proofread.checks`: checks inside the text;
- :mod:`~workbooks.proofread.workbook`: checks against the peer tables of a workbook;
- :mod:`~workbooks.proofread.targets`: completion and schedule against the main-indicator sheets;
- :mod:`~workbooks.proofread.report`: findings as a Chinese report, JSON, Word comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbooks.host import BookHost
from workbooks.proofread.checks import check_text
from workbooks.proofread.reading import Document, DocumentError, read_document
from workbooks.proofread.report import Finding, sort_findings, text_as_docx, write_commented
from workbooks.proofread.statements import Statement, read_statements
from workbooks.proofread.targets import MainSheets, TargetChecker
from workbooks.proofread.workbook import WorkbookChecker, home_region, peer_tables, region_names


@dataclass
class Proofread:
    """What a proofreading found: the document, its statements, the findings in document
    order, the county the text is about (when a workbook told) and how many statements were
    compared with the workbook."""

    document: Document
    statements: list[Statement]
    findings: list[Finding]
    home: str | None = None
    compared: int = 0
    workbook: bool = False
    notes: list[str] = field(default_factory=list)  # sheets that could not be compared

    def save_commented(self, out: str | Path) -> Path:
        """The document with each finding as a Word comment at its clause (a .txt becomes a
        new .docx, one paragraph a line)."""
        document = self.document.docx
        findings = self.findings
        if document is None:
            document, passages = text_as_docx(self.document.passages)
            by_line = {p.line: p.paragraph for p in passages}
            for f in findings:
                f.passage = by_line.get(f.line)
        return write_commented(document, findings, Path(out))


def proofread(path: str | Path, book: BookHost | None = None, home: str | None = None) -> Proofread:
    """Proofread the document at ``path``, against ``book`` when given; ``home`` is the county
    the text is about (default: the first county of the workbook the text names)."""
    document = read_document(path)
    return proofread_document(document, book, home)


def proofread_document(
    document: Document, book: BookHost | None = None, home: str | None = None
) -> Proofread:
    notes: list[str] = []
    tables = peer_tables(book, notes) if book is not None else []
    text = "\n".join(p.text for p in document.passages)
    home = home or home_region(text, tables)
    statements, _ = read_statements(document.passages, region_names(tables), home)
    findings = check_text(statements)
    targets = TargetChecker(MainSheets(book)) if book is not None else None
    checker = WorkbookChecker(tables, home, targets)
    findings += checker.run(statements)
    return Proofread(
        document,
        statements,
        sort_findings(findings),
        home,
        checker.compared,
        book is not None,
        notes,
    )


__all__ = ["DocumentError", "Finding", "Proofread", "proofread", "proofread_document"]
