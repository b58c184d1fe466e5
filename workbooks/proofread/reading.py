"""The text of a document to proofread, passage by passage, with where each passage stands.

A .docx is read with python-docx: body paragraphs and the paragraphs of table cells, in document
order. A .txt is read as UTF-8 (with or without BOM) or, failing that, GB18030 (the encoding of
Chinese Windows Notepad's 「ANSI」, a superset of GBK); one line is one passage.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbooks.errors import UserError


class DocumentError(UserError):
    """A document that cannot be read (message in Chinese, naming the file)."""


@dataclass(frozen=True)
class Passage:
    """One paragraph (or line, or table-cell paragraph) of the document.

    ``line`` numbers the passages as the user finds them: the line of a .txt, the paragraph of a
    .docx counted over body paragraphs and table-cell paragraphs in document order (empty ones
    included, as Word counts them). ``where`` says it in words (第3段, 表1第2行第3列)."""

    text: str
    line: int
    where: str
    paragraph: Any = None  # the python-docx Paragraph, for comments


@dataclass
class Document:
    """A document's passages; ``docx`` is the python-docx document when it is one."""

    path: Path
    passages: list[Passage]
    docx: Any = None


def decode(data: bytes) -> str:
    """Text of a .txt file: UTF-8 (a BOM is dropped), else GB18030; refuses anything else."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"无法识别文本文件的编码（第{exc.start}字节）：请另存为 UTF-8 或 GB18030/GBK"
        ) from None


def _docx_paragraphs(document: Any) -> Iterator[tuple[Any, str]]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    tables = 0
    body = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            body += 1
            yield block, f"第{body}段"
        elif isinstance(block, Table):
            tables += 1
            for r, row in enumerate(block.rows, start=1):
                seen: set[int] = set()
                for c, cell in enumerate(row.cells, start=1):
                    if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                        continue
                    seen.add(id(cell._tc))
                    for paragraph in cell.paragraphs:
                        yield paragraph, f"表{tables}第{r}行第{c}列"


def read_document(path: str | Path) -> Document:
    """The passages of a .docx or .txt file; :class:`DocumentError` for other files."""
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"找不到文件「{path}」")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text = decode(path.read_bytes())
        passages = [
            Passage(line, n, f"第{n}行") for n, line in enumerate(text.splitlines(), start=1)
        ]
        return Document(path, passages)
    if suffix == ".docx":
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, KeyError, ValueError) as exc:
            raise DocumentError(f"无法打开 Word 文档「{path}」：{exc}") from None
        passages = [
            Passage(p.text, n, where, p)
            for n, (p, where) in enumerate(_docx_paragraphs(document), start=1)
        ]
        return Document(path, passages, document)
    raise DocumentError(
        f"不支持的文件类型「{path.name}」：请提供 .docx 或 .txt（.doc 请先在 Word 中另存为 .docx）"
    )


__all__ = ["Document", "DocumentError", "Passage", "decode", "read_document"]
