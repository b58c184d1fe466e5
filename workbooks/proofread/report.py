"""Findings of the proofreader and the three ways they are handed back: a Chinese report, JSON
(a list of findings), and the document itself with each finding as a Word comment at its
sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CERTAIN, ASSUMPTION = "certain", "assumption"

#: Kinds of finding and how the report names them.
KINDS: dict[str, str] = {
    "share": "占比与分子分母不符",
    "completion": "完成率与完成数、目标不符",
    "schedule": "超/差序时进度与完成率、期别不符",
    "parts": "分项与总数不符",
    "structure": "结构比例之和不为100",
    "pp": "百分点差与两个增速不符",
    "rank_change": "位次变化与前后位次不符",
    "growth": "增速与前后两期数值不符",
    "difference": "增减量与前后两期数值不符",
    "gap": "距目标差额与目标、完成数不符",
    "count": "指标项数与所列不符",
    "portion": "部分多于总数",
    "workbook_amount": "与工作簿中的数值不符",
    "workbook_growth": "与工作簿中的增速不符",
    "workbook_pp": "与工作簿中比全市（全省）的百分点差不符",
    "workbook_rank": "与工作簿中的位次不符",
    "workbook_rank_change": "与工作簿中的位次变化不符",
    "workbook_completion": "与主要经济指标表中的完成年度目标不符",
    "workbook_schedule": "与主要经济指标表中的超欠序时进度不符",
}
CERTAINTY = {CERTAIN: "确定（算术）", ASSUMPTION: "有前提"}
AUTHOR = "统计助手"


@dataclass
class Finding:
    """One figure of the text that the other figures (or the workbook) contradict."""

    text: str  # the clause as written
    line: int  # line of a .txt, paragraph of a .docx (table-cell paragraphs counted in order)
    where: str  # the same in words: 第3段, 第3行, 表1第2行第3列
    stated: str  # the figure as written
    expected: str  # what the other figures imply
    kind: str
    certainty: str = CERTAIN
    note: str = ""  # how the expected figure was found (Chinese)
    span: tuple[int, int] = (0, 0)  # the clause's characters in its passage
    passage: Any = field(default=None, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "line": self.line,
            "where": self.where,
            "stated": self.stated,
            "expected": self.expected,
            "kind": self.kind,
            "certainty": self.certainty,
            "note": self.note,
        }

    def comment(self) -> str:
        """The finding as a Word comment."""
        text = f"{KINDS.get(self.kind, self.kind)}：文中为{self.stated}，应为{self.expected}。"
        if self.note:
            text += self.note
        if self.certainty == ASSUMPTION:
            text += "（此判断有前提，请核实）"
        return text


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """In document order; one finding per clause, figure and kind."""
    seen: set[tuple[int, int, str, str]] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.line, f.span[0], f.kind)):
        key = (f.line, f.span[0], f.stated, f.kind)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def text_report(findings: list[Finding], source: str, statements: int) -> str:
    """A readable Chinese report."""
    lines = [f"校对「{source}」：读出 {statements} 处数字表述，发现 {len(findings)} 处不一致。"]
    for n, f in enumerate(findings, start=1):
        lines.append("")
        lines.append(f"{n}. {f.where}：「{f.text}」")
        lines.append(f"   {KINDS.get(f.kind, f.kind)}：文中为 {f.stated}，应为 {f.expected}")
        if f.note:
            lines.append(f"   依据：{f.note}")
        lines.append(f"   可信度：{CERTAINTY.get(f.certainty, f.certainty)}")
    if not findings:
        lines.append("未发现相互矛盾的数字（只核对能够明确读出的表述）。")
    return "\n".join(lines)


def _runs_of(paragraph: Any, span: tuple[int, int]) -> list[Any]:
    """The runs of ``paragraph`` covering the characters ``span`` of its text (all runs when
    the runs do not spell the paragraph's text, e.g. around fields or hyperlinks)."""
    runs = list(paragraph.runs)
    if "".join(r.text for r in runs) != paragraph.text:
        return runs
    out, pos = [], 0
    for run in runs:
        end = pos + len(run.text)
        if end > span[0] and pos < span[1]:
            out.append(run)
        pos = end
    return out or runs


def _split_run_at(paragraph: Any, offset: int) -> None:
    """Split the run holding character ``offset`` so that a run starts there (comments anchor
    on whole runs)."""
    import copy

    pos = 0
    for run in paragraph.runs:
        end = pos + len(run.text)
        if pos < offset < end:
            text = run.text
            clone = copy.deepcopy(run._r)
            run._r.addnext(clone)
            run.text = text[: offset - pos]
            from docx.text.run import Run

            Run(clone, paragraph).text = text[offset - pos :]
            return
        pos = end


def write_commented(document: Any, findings: list[Finding], out: Path) -> Path:
    """Save ``document`` (python-docx) with each finding as a comment on its clause."""
    for f in findings:
        paragraph = f.passage
        if paragraph is None:
            continue
        if "".join(r.text for r in paragraph.runs) == paragraph.text:
            _split_run_at(paragraph, f.span[1])
            _split_run_at(paragraph, f.span[0])
        runs = _runs_of(paragraph, f.span)
        if not runs:
            runs = [paragraph.add_run("")]
        document.add_comment(runs, text=f.comment(), author=AUTHOR, initials="TJ")
    document.save(str(out))
    return out


def text_as_docx(passages: list[Any]) -> Any:
    """A new Word document holding the passages of a text file, one paragraph each; returns
    the document and the passages pointing at its paragraphs."""
    import docx

    from workbooks.proofread.reading import Passage

    document = docx.Document()
    out = []
    for p in passages:
        paragraph = document.add_paragraph(p.text)
        out.append(Passage(p.text, p.line, p.where, paragraph))
    return document, out


__all__ = [
    "ASSUMPTION",
    "CERTAIN",
    "KINDS",
    "Finding",
    "sort_findings",
    "text_as_docx",
    "text_report",
    "write_commented",
]
