"""tongji proofread on texts written in the style of bureau speeches: planted inconsistencies of
every kind among consistent figures; precision and recall measured and reported."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from tests.workbooks.proofread.speeches import SECOND, SPEECH, THIRD, planted, text_of
from tongji.cli import app
from workbooks.file_host import open_file
from workbooks.proofread import proofread
from workbooks.samples.build import FIRST_DATA_ROW, peer_col
from workbooks.samples.figures import indicators, regions

runner = CliRunner()

#: Every planted figure must be found: the texts use the phrasings the reader knows, one or more
#: of each kind of check; a miss means a pattern or a check stopped working. One miss in ten is
#: let through for phrasing the reader declines to read when it cannot read it unambiguously.
RECALL_BAR = 0.9


def _matches(finding, plant) -> bool:
    line, kind, stated, _ = plant
    return finding.line == line and finding.kind == kind and stated in finding.stated


def measure(speech, tmp_path: Path, name: str) -> tuple[float, float, list[str]]:
    path = tmp_path / f"{name}.txt"
    path.write_text(text_of(speech), encoding="utf-8")
    findings = proofread(path).findings
    plants = planted(speech)
    true = [f for f in findings if any(_matches(f, p) for p in plants)]
    found = [p for p in plants if any(_matches(f, p) for f in findings)]
    precision = len(true) / len(findings) if findings else 1.0
    recall = len(found) / len(plants)
    lines = [
        f"{name}: {len(plants)} planted, {len(findings)} flagged, precision {precision:.2f}, recall {recall:.2f}"
    ]
    lines += [f"  missed: {p}" for p in plants if p not in found]
    lines += [f"  wrongly flagged: {f.line} {f.kind} {f.stated}" for f in findings if f not in true]
    return precision, recall, lines


def test_precision_and_recall_over_the_planted_figures(tmp_path: Path) -> None:
    report = []
    totals = [0, 0]
    for name, speech in (("speech", SPEECH), ("second", SECOND), ("third", THIRD)):
        precision, recall, lines = measure(speech, tmp_path, name)
        report += lines
        assert precision == 1.0, "\n".join(lines)
        totals[0] += round(recall * len(planted(speech)))
        totals[1] += len(planted(speech))
    report.append(f"overall recall {totals[0]}/{totals[1]} = {totals[0] / totals[1]:.2f}")
    (tmp_path / "proofread-report.txt").write_text("\n".join(report), encoding="utf-8")
    print("\n".join(report))
    assert totals[0] / totals[1] >= RECALL_BAR, "\n".join(report)


def test_consistent_statements_outnumber_the_planted_ones() -> None:
    for speech in (SPEECH, SECOND, THIRD):
        from workbooks.proofread.reading import Passage
        from workbooks.proofread.statements import read_statements

        passages = [Passage(p, n, f"第{n}行") for n, (p, _) in enumerate(speech, start=1)]
        statements, _ = read_statements(passages)
        assert len(statements) >= 2 * len(planted(speech))


def test_the_issue_examples_are_reported_with_the_implied_figure(tmp_path: Path) -> None:
    path = tmp_path / "例.txt"
    path.write_text(
        "全县53个重点项目中，已开工14个，占53个的26.0%。\n新签约项目28个，完成年度任务23个的131%。",
        encoding="utf-8",
    )
    findings = proofread(path).findings
    assert [(f.line, f.kind, f.stated, f.expected) for f in findings] == [
        (1, "share", "26.0%", "26.4%"),  # 14 / 53 = 26.415
        (2, "completion", "131%", "121.7%"),  # 28 / 23 = 121.74
    ]
    assert findings[0].text == "已开工14个，占53个的26.0%"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("已开工14个，占53个的26.4%。", False),
        ("已开工14个，占53个的26.5%。", True),  # 26.415 rounds to 26.4
        ("税收收入增长6.3%，高于全市（6.1%）0.2个百分点。", False),
        ("税收收入增长6.3%，高于全市（6.1%）0.1个百分点。", False),  # 6.25 − 6.15 = 0.1
        ("税收收入增长6.3%，高于全市（6.1%）0.4个百分点。", True),
        ("税收收入增长6.3%，低于全市（6.1%）0.2个百分点。", True),  # the sign
        ("三次产业结构为16.6:43.2:40.2。", False),
        ("三次产业结构为16.6:43.2:40.3。", False),  # 100.1: within 99.95 … 100.25
        ("三次产业结构为16.6:43.2:40.5。", True),  # 100.3: at least 100.15
    ],
)
def test_rounding_edges(tmp_path: Path, text: str, flagged: bool) -> None:
    path = tmp_path / "边界.txt"
    path.write_text(text, encoding="utf-8")
    findings = proofread(path).findings
    assert bool(findings) == flagged, [(f.kind, f.stated, f.expected) for f in findings]


def test_gb18030_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "讲话.txt"
    path.write_bytes("前三季度\n已开工14个，占53个的26.0%。".encode("gb18030"))
    findings = proofread(path).findings
    assert [(f.line, f.where, f.expected) for f in findings] == [(2, "第2行", "26.4%")]


def _speech_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("2026年前三季度经济运行分析", level=1)
    for text, _ in SPEECH[1:8]:
        paragraph = document.add_paragraph()
        half = len(text) // 2  # two runs: comments must be anchored across them
        paragraph.add_run(text[:half])
        paragraph.add_run(text[half:])
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "说明"
    table.cell(1, 0).text = "重点项目"
    table.cell(1, 1).text = "竣工9个，占53个的18.0%"  # 9 / 53 = 16.98
    document.save(str(path))
    return path


def test_docx_paragraphs_and_table_cells_with_comments_read_back(tmp_path: Path) -> None:
    source = _speech_docx(tmp_path / "讲话.docx")
    out = tmp_path / "校对.docx"
    result = runner.invoke(app, ["proofread", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "表1第2行第2列" in result.output and "第5段" in result.output
    back = docx.Document(str(out))
    comments = list(back.comments)
    texts = [c.text for c in comments]
    assert len(comments) == 4, texts  # pp, 26.0%, 131%, 18.0%
    assert any("26.4%" in t for t in texts) and any("17.0%" in t for t in texts)
    assert all(c.author == "统计助手" for c in comments)
    # the document text is unchanged by the comments
    assert [p.text for p in back.paragraphs] == [
        p.text for p in docx.Document(str(source)).paragraphs
    ]


def test_json_lists_findings_with_their_fields(tmp_path: Path) -> None:
    path = tmp_path / "讲话.txt"
    path.write_text(text_of(SPEECH), encoding="utf-8")
    result = runner.invoke(app, ["proofread", str(path), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)
    plants = planted(SPEECH)
    assert len(findings) == len(plants)  # precision and recall are 1 on this text
    assert [(f["line"], f["kind"]) for f in findings] == [(p[0], p[1]) for p in plants]
    for f in findings:
        assert {"text", "line", "stated", "expected", "kind", "certainty"} <= set(f)
        assert f["text"] in text_of(SPEECH).splitlines()[f["line"] - 1]
        assert f["certainty"] in ("certain", "assumption")


def test_an_unknown_file_type_is_refused_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "讲话.pdf"
    path.write_bytes(b"%PDF")
    result = runner.invoke(app, ["proofread", str(path)])
    assert result.exit_code == 2
    assert "不支持的文件类型" in result.output


# --- against the workbook -----------------------------------------------------------------


def _displayed(path: Path) -> dict[str, dict[str, tuple]]:
    """青川县's and 全市's figures in 2026Q3 as the sheet shows them (openpyxl, independent of
    the code under test): indicator → (本期, 增长, 位次, 位次变化)."""
    ws = openpyxl.load_workbook(path)["2026Q3"]
    rows = {ws.cell(FIRST_DATA_ROW + k, 1).value: FIRST_DATA_ROW + k for k in range(len(regions()))}
    out = {}
    for region in regions():
        out[region] = {
            ind.name: tuple(ws.cell(rows[region], peer_col(i, j)).value for j in (0, 2, 3, 4))
            for i, ind in enumerate(indicators())
        }
    return out


def test_a_speech_written_from_the_workbook_is_checked_against_it(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    figures = _displayed(sample_files["workbook"])
    county, city = figures["青川县"], figures["全市"]
    lines = ["青川县2026年前三季度经济运行情况"]
    altered: dict[str, str] = {}
    for ind in indicators():
        level, growth, rank, change = county[ind.name]
        decimals = ind.decimals
        if ind.name == "一般公共预算收入":
            growth = growth + 0.4  # altered
            altered[ind.name] = "workbook_growth"
        if ind.name == "税收收入":
            rank = rank + 1 if rank < 9 else rank - 1  # altered
            altered[ind.name] = "workbook_rank"
        if ind.name == "招商引资到位资金":
            level = level + 0.5  # altered
            altered[ind.name] = "workbook_amount"
        word = "增长" if growth >= 0 else "下降"
        pp = round(round(growth, 1) - round(city[ind.name][1], 1), 1)
        if ind.name == "社会消费品零售总额":
            pp += 0.3  # altered
            altered[ind.name] = "workbook_pp"
        compare = (
            "与全市持平" if pp == 0 else f"{'高于' if pp > 0 else '低于'}全市{abs(pp):.1f}个百分点"
        )
        moved = (
            "位次与上季度持平"
            if change == 0
            else f"较上季度{'前移' if change > 0 else '后退'}{abs(change)}位"
        )
        if ind.name == "农村居民人均可支配收入":
            moved = f"较上半年前移{abs(change) + 2}位"  # altered (上半年: the quarter before)
            altered[ind.name] = "workbook_rank_change"
        lines.append(
            f"前三季度，全县{ind.name}{level:.{decimals}f}{ind.unit}，{word}{abs(growth):.1f}%，"
            f"{compare}，居全市第{rank}位，{moved}。"
        )
    path = tmp_path / "分析.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = proofread(path, open_file(sample_files["workbook"]))
    assert result.home == "青川县"
    assert result.compared >= 4 * len(indicators())
    names = [ind.name for ind in indicators()]
    flagged = {(names[f.line - 2], f.kind) for f in result.findings}
    expected = set(altered.items())
    # the altered growth also changes its pp against 全市
    expected.add(("一般公共预算收入", "workbook_pp"))
    assert flagged == expected, [(f.line, f.kind, f.stated, f.expected) for f in result.findings]


def test_units_and_bottom_ranks_against_the_workbook(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    county = _displayed(sample_files["workbook"])["青川县"]
    revenue, _, rank, _ = county["一般公共预算收入"]  # 万元 in the table
    tax, _, tax_rank, _ = county["税收收入"]
    counties = len(regions()) - 1
    lines = [
        "青川县2026年前三季度财政运行情况",
        # 万元 written as 亿元 at two decimals: consistent
        f"前三季度，全县一般公共预算收入完成{revenue / 1e4:.2f}亿元，增速居全市倒数第{counties - rank + 1}位。",
        # one 亿元 decimal off, and a bottom rank one place off
        f"税收收入完成{tax / 1e4 + 0.05:.2f}亿元，增速居全市倒数第{counties - tax_rank + 2}位。",
    ]
    path = tmp_path / "财政.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = proofread(path, open_file(sample_files["workbook"]))
    assert [(f.line, f.kind) for f in result.findings] == [
        (3, "workbook_amount"),
        (3, "workbook_rank"),
    ], [(f.line, f.kind, f.stated, f.expected) for f in result.findings]
    assert result.findings[0].expected == f"{tax / 1e4:.2f}亿元"
    assert result.findings[1].expected == f"第{tax_rank}位"


def test_a_text_file_comes_back_as_a_commented_docx(tmp_path: Path) -> None:
    path = tmp_path / "讲话.txt"
    path.write_text(text_of(SECOND), encoding="utf-8")
    out = tmp_path / "讲话_校对.docx"
    result = runner.invoke(app, ["proofread", str(path), "--json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    back = docx.Document(str(out))
    assert [p.text for p in back.paragraphs] == text_of(SECOND).splitlines()
    assert len(list(back.comments)) == len(planted(SECOND))


def test_a_rank_after_a_level_is_not_taken_for_the_growth_rank(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    """The sample tables rank growth only: 「完成X亿元，居全市第N位」 may mean the level's rank,
    which the table does not hold, so it is not compared."""
    level, _, rank, _ = _displayed(sample_files["workbook"])["青川县"]["地区生产总值"]
    wrong = rank % 9 + 1
    path = tmp_path / "总量.txt"
    path.write_text(
        f"青川县2026年前三季度\n前三季度，全县地区生产总值完成{level:.2f}亿元，居全市第{wrong}位。",
        encoding="utf-8",
    )
    assert proofread(path, open_file(sample_files["workbook"])).findings == []


#: Sentences of real bureau texts quoted in docs/definitions.md §3 and the domain notes (spaces
#: as published), all consistent within their rounding.
PUBLISHED = [
    "一季度地区生产总值为 44.4 亿元，按可比价格计算，增长 18.6%，高于全省 0.2 个百分点，"
    "高于全市 0.1 个百分点，增速排名全市第 7 位",
    "一季度，11个省重点项目累计完成投资2.03亿元，占年度投资计划的16.9%，差序时进度8.1个百分点",
    "二产下降 5.7%，比全省高 1.4 个百分点，居第 6 位，前移 5 位",
    "1-4 月份，全县累计完成投资 17.4 亿元，占年度投资计划的 38.6%，超序时进度 5.3 个百分点",
    "GDP 增长 8.5%，两年平均增长 4.5%",
    "一产贡献率为 37.6%、拉动经济增长 1.72 个百分点，三产贡献率为 57.5%、拉动 2.62 个百分点",
    "1-9 月虽然完成上报 14.64 亿元，但距离 17.38 亿元的目标任务还差 2.74 亿元",
    "全社会固定资产完成 14.64 亿元，完成全年任务（173873万元）的84.23%",
    "16项指标中，4项前移、7项持平、5项后退",
    "18项主要经济指标中排名倒数三位的有13项",
]


def test_published_sentences_are_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "公开.txt"
    path.write_text("\n".join(PUBLISHED), encoding="utf-8")
    result = proofread(path)
    assert result.findings == [], [(f.line, f.kind, f.stated, f.expected) for f in result.findings]
    assert len(result.statements) >= 25


def _anchored(path: Path) -> dict[str, str]:
    """Comment id → the document text between its range start and end (read from the XML)."""
    from docx.oxml.ns import qn

    body = docx.Document(str(path)).element.body
    open_ids: set[str] = set()
    text: dict[str, str] = {}
    for element in body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ids.add(element.get(qn("w:id")))
        elif element.tag == qn("w:commentRangeEnd"):
            open_ids.discard(element.get(qn("w:id")))
        elif element.tag == qn("w:t"):
            for i in open_ids:
                text[i] = text.get(i, "") + (element.text or "")
    return text


def test_each_comment_is_anchored_on_its_clause(tmp_path: Path) -> None:
    source = _speech_docx(tmp_path / "讲话.docx")
    result = proofread(source)
    out = result.save_commented(tmp_path / "校对.docx")
    anchored = sorted(_anchored(out).values())
    assert anchored == sorted(f.text for f in result.findings)


def test_region_option_names_the_county_of_a_text_that_does_not(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    level, growth, _, _ = _displayed(sample_files["workbook"])["青川县"]["一般公共预算收入"]
    path = tmp_path / "无县名.txt"
    path.write_text(
        f"2026年前三季度财政收入\n全县一般公共预算收入{level:.0f}万元，增长{growth + 1:.1f}%。",
        encoding="utf-8",
    )
    args = ["proofread", str(path), "--workbook", str(sample_files["workbook"]), "--json"]
    assert json.loads(runner.invoke(app, args).output) == []  # which county: not said, not guessed
    found = json.loads(runner.invoke(app, [*args, "--region", "青川县"]).output)
    assert [(f["line"], f["kind"]) for f in found] == [(2, "workbook_growth")]


def _sentence(name: str, unit: str, decimals: int, figures: tuple, city: tuple) -> str:
    """The standard sentence of one indicator, written from the displayed figures."""
    level, growth, rank, change = figures
    word = "增长" if growth >= 0 else "下降"
    pp = round(round(growth, 1) - round(city[1], 1), 1)
    compare = (
        "与全市持平" if pp == 0 else f"{'高于' if pp > 0 else '低于'}全市{abs(pp):.1f}个百分点"
    )
    moved = (
        "位次与上季度持平"
        if change == 0
        else f"较上季度{'前移' if change > 0 else '后退'}{abs(change)}位"
    )
    return (
        f"{name}{level:.{decimals}f}{unit}，{word}{abs(growth):.1f}%，{compare}，"
        f"居全市第{rank}位，{moved}。"
    )


def test_every_county_written_from_the_workbook_is_consistent_with_it(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    """Precision against the workbook: every county's analysis written from the displayed
    figures (negative growth, 与全市持平, unchanged ranks included) gives no finding."""
    figures = _displayed(sample_files["workbook"])
    book = open_file(sample_files["workbook"])
    compared = 0
    for county in regions()[1:]:
        lines = [f"{county}2026年前三季度经济运行情况"]
        for ind in indicators():
            lines.append(
                "前三季度，全县"
                + _sentence(
                    ind.name,
                    ind.unit,
                    ind.decimals,
                    figures[county][ind.name],
                    figures["全市"][ind.name],
                )
            )
        path = tmp_path / f"{county}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        result = proofread(path, book)
        assert result.home == county
        assert result.findings == [], [
            (f.line, f.kind, f.stated, f.expected) for f in result.findings
        ]
        compared += result.compared
    assert compared == 9 * 16 * 5  # level, growth, pp, rank, rank change of every indicator


def test_a_sheet_whose_table_cannot_be_read_is_named(
    fresh: dict[str, Path], tmp_path: Path
) -> None:
    from workbooks.samples.build import HEADER_ROW

    wb = openpyxl.load_workbook(fresh["workbook"])
    wb["2026Q2"].cell(HEADER_ROW + 1, peer_col(0, 0), "备用栏")
    wb.save(fresh["workbook"])
    path = tmp_path / "讲话.txt"
    path.write_text("青川县2026年前三季度\n全县社零增长5.1%。", encoding="utf-8")
    result = runner.invoke(app, ["proofread", str(path), "--workbook", str(fresh["workbook"])])
    assert result.exit_code == 0, result.output
    assert "未与「2026Q2」核对" in result.output and "备用栏" in result.output
