"""生成分析 / ``tongji brief`` on the sample workbook, the .docx read back with python-docx.

Every number in the text is traced to a figure the workbook displays for that county and period
(read here with openpyxl and the sample's own layout, formatted the way Excel shows the cell)
or to a figure derived from displayed figures (a difference in percentage points, places moved,
a count of indicators), recomputed here independently.
"""

from __future__ import annotations

import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree
from typer.testing import CliRunner

from tongji.cli import app
from workbooks.samples.build import FIRST_DATA_ROW, main_name, peer_col, peer_name
from workbooks.samples.figures import COUNTY, TOTAL, indicators, regions

runner = CliRunner()
NUMBER = re.compile(r"\d+(?:\.\d+)?")
PLACES = {"0.0": 1, "#,##0.00": 2, "#,##0": 0, "0": 0, "General": 0}


class Run:
    """A finished command: exit code and its output with rich's line wrapping undone."""

    def __init__(self, result):
        self.exit_code = result.exit_code
        self.output = result.output.replace("\n", "")


def invoke(*args: str) -> Run:
    return Run(runner.invoke(app, ["brief", *args], env={"COLUMNS": "200"}))


def shown(cell) -> str | None:
    """What Excel shows for a number cell of the sample (its formats only), without thousands
    separators: the value at 15 significant digits, rounded half away from zero."""
    if not isinstance(cell.value, (int, float)):
        return None
    places = PLACES[cell.number_format]
    number = Decimal(format(float(cell.value), ".15g"))
    return str(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def magnitude(a: str, b: str) -> str:
    return str(abs(Decimal(a) - Decimal(b)))


class Published:
    """The sample's displayed figures of one county and period, and what follows from them."""

    def __init__(self, book: openpyxl.Workbook, region: str, period):
        from udfs import Period

        sheet = book[peer_name(period)]
        row = FIRST_DATA_ROW + regions().index(region)
        city = FIRST_DATA_ROW + regions().index(TOTAL)
        earlier = Period(period.year, 1, period.last_month - 3) if period.last_month > 3 else None
        before = book[peer_name(earlier)] if earlier else None
        main = book[main_name(period)] if region == COUNTY else None
        self.allowed: set[str] = {str(period.year)}
        self.levels: dict[str, str] = {}
        self.growth: dict[str, str] = {}
        vs, moves, gaps = [], [], []
        ranked = len(regions()) - 1
        for i, ind in enumerate(indicators()):
            level = shown(sheet.cell(row, peer_col(i, 0)))
            growth = shown(sheet.cell(row, peer_col(i, 2)))
            benchmark = shown(sheet.cell(city, peer_col(i, 2)))
            rank = sheet.cell(row, peer_col(i, 3)).value
            change = sheet.cell(row, peer_col(i, 4)).value
            self.levels[ind.name], self.growth[ind.name] = level, growth
            self.allowed |= {level, growth.lstrip("-"), magnitude(growth, benchmark)}
            vs.append(Decimal(growth) - Decimal(benchmark))
            self.allowed |= {str(rank), str(ranked - rank + 1)}
            if isinstance(change, (int, float)):
                self.allowed.add(str(abs(int(change))))
                moves.append(int(change))
            if before is not None:
                previous = shown(before.cell(row, peer_col(i, 2)))
                self.allowed.add(magnitude(growth, previous))
            if main is not None and ind.target_growth is not None:
                self.allowed.add(shown(main.cell(4 + i, 8)))
                gap = shown(main.cell(4 + i, 10))
                self.allowed.add(gap.lstrip("-"))
                gaps.append(Decimal(gap))
        tallies = [
            len(vs),
            sum(d > 0 for d in vs),
            sum(d == 0 for d in vs),
            sum(d < 0 for d in vs),
            len(moves),
            sum(m > 0 for m in moves),
            sum(m == 0 for m in moves),
            sum(m < 0 for m in moves),
            len(gaps),
            sum(g > 0 for g in gaps),
            sum(g < 0 for g in gaps),
        ]
        self.allowed |= {str(n) for n in tallies}


def analyses(path: Path) -> dict[str, list[str]]:
    """The paragraphs of each county's analysis, by county (from its title)."""
    out: dict[str, list[str]] = {}
    current = None
    for paragraph in docx.Document(str(path)).paragraphs:
        if paragraph.style.name == "Title":
            current = re.match(r"^(.+?)\d{4}年", paragraph.text)[1]
            out[current] = []
        if current is not None:
            out[current].append(paragraph.text)
    return out


@pytest.fixture(scope="module")
def every_county(sample_files, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("brief")
    source = Path(shutil.copy(sample_files["workbook"], folder / sample_files["workbook"].name))
    target = folder / "分析.docx"
    result = invoke(str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def test_every_number_in_the_text_is_a_published_figure_or_follows_from_them(
    every_county, sample_files
):
    from udfs import Period

    book = openpyxl.load_workbook(sample_files["workbook"], data_only=True)
    found = analyses(every_county)
    assert list(found) == [r for r in regions() if r != TOTAL]
    for region, paragraphs in found.items():
        published = Published(book, region, Period(2026, 1, 9))
        numbers = [n for text in paragraphs for n in NUMBER.findall(text)]
        assert len(numbers) > 80
        stray = [n for n in numbers if n not in published.allowed]
        assert stray == [], f"{region}: {stray}"
        text = "".join(paragraphs)
        for ind in indicators():  # every indicator's level and growth is written
            assert f"{ind.name}{'为' if ind.stock or ind.per_capita else '完成'}" in text
            assert published.levels[ind.name] + ind.unit in text
            growth = published.growth[ind.name]
            assert (f"下降{growth[1:]}%" if growth.startswith("-") else f"增长{growth}%") in text


def test_the_opening_sentence_reads_the_county_row_as_published(sample_files, tmp_path):
    source = Path(shutil.copy(sample_files["workbook"], tmp_path / "示例.xlsx"))
    book = openpyxl.load_workbook(source, data_only=True)
    sheet, main = book["2026Q3"], book[main_name_of(2026, 9)]
    row = FIRST_DATA_ROW + regions().index(COUNTY)
    city = FIRST_DATA_ROW + regions().index(TOTAL)
    before = book["2026Q2"]
    level, growth = shown(sheet.cell(row, peer_col(0, 0))), shown(sheet.cell(row, peer_col(0, 2)))
    benchmark, earlier = (
        shown(sheet.cell(city, peer_col(0, 2))),
        shown(before.cell(row, peer_col(0, 2))),
    )
    rank, change = sheet.cell(row, peer_col(0, 3)).value, sheet.cell(row, peer_col(0, 4)).value
    completion, gap = shown(main.cell(4, 8)), shown(main.cell(4, 10))
    moved = {0: "与上半年持平"}.get(change) or (
        f"较上半年前移{change}位" if change > 0 else f"较上半年后退{-change}位"
    )
    d, p = Decimal(growth) - Decimal(benchmark), Decimal(growth) - Decimal(earlier)
    expected = (
        f"前三季度，青川县地区生产总值完成{level}亿元，按可比价格计算，增长{growth}%，"
        f"增速较上半年{'提高' if p > 0 else '回落'}{abs(p)}个百分点，"
        f"{'高于' if d > 0 else '低于'}全市{abs(d)}个百分点，居全市第{rank}位，{moved}；"
        f"完成年度目标的{completion}%，{'超' if Decimal(gap) > 0 else '差'}序时进度{gap.lstrip('-')}个百分点。"
    )
    result = invoke(str(source), "--region", "青川县", "--period", "2026Q3")
    assert result.exit_code == 0, result.output
    written = tmp_path / "示例_青川县2026年1-9月分析.docx"
    paragraphs = analyses(written)["青川县"]
    assert paragraphs[0] == "青川县2026年前三季度经济运行情况分析"
    assert paragraphs[2].startswith(expected)
    assert [p for p in paragraphs if p.startswith(("一、", "二、", "三、", "（"))] == [
        "一、总体情况",
        "二、分领域情况",
        "（一）生产",
        "（二）投资",
        "（三）消费",
        "（四）财政",
        "（五）收入",
        "（六）其他指标",
        "三、需要关注的指标",
    ]


def main_name_of(year: int, month: int) -> str:
    from udfs import Period

    return main_name(Period(year, 1, month))


def test_fonts_and_page_are_those_of_an_official_document(every_county):
    document = docx.Document(str(every_county))
    section = document.sections[0]
    size = (section.page_width.mm, section.page_height.mm)
    margins = (section.top_margin.mm, section.bottom_margin.mm)
    margins += (section.left_margin.mm, section.right_margin.mm)
    assert size == pytest.approx((210, 297), abs=0.1)
    assert margins == pytest.approx((37, 35, 28, 26), abs=0.1)

    def east_asian(style) -> str:
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsiaTheme")) is None
        return fonts.get(qn("w:eastAsia"))

    assert east_asian(document.styles["Normal"]) in {
        "仿宋_GB2312",
        "方正仿宋_GBK",
        "方正仿宋简体",
        "仿宋",
        "FangSong",
    }
    assert east_asian(document.styles["Heading 1"]) == "黑体"
    assert east_asian(document.styles["Heading 2"]) == "黑体"
    assert document.styles["Normal"].font.size.pt == 16
    kinds = {p.style.name for p in document.paragraphs}
    assert kinds == {"Title", "Heading 1", "Heading 2", "Normal"}
    titles = [p for p in document.paragraphs if p.style.name == "Title"]
    assert all(p.style.paragraph_format.alignment == 1 for p in titles)  # centred
    assert all(p.paragraph_format.page_break_before for p in titles[1:])
    table = etree.fromstring(
        next(
            p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml")
        ).blob
    )
    fallback = {
        font.get(qn("w:name")): font.find(qn("w:altName")).get(qn("w:val"))
        for font in table.findall(qn("w:font"))
        if font.find(qn("w:altName")) is not None
    }
    body = east_asian(document.styles["Normal"])
    assert body in {"仿宋", "FangSong"} or fallback[body] == "仿宋"  # Windows' own 仿宋
    assert east_asian(document.styles["Title"]) == "方正小标宋简体"
    assert fallback["方正小标宋简体"] == "黑体"


def test_a_county_or_period_not_in_the_workbook_is_refused_with_what_is_there(fresh, tmp_path):
    result = invoke(str(fresh["workbook"]), "--region", "云台镇")
    assert result.exit_code == 2
    assert "「云台镇」不在「2026Q3」" in result.output and "青川县" in result.output
    result = invoke(str(fresh["workbook"]), "--period", "2026Q4")
    assert result.exit_code == 2
    assert "没有「2026年1-12月」的县区对比表" in result.output and "2026Q3" in result.output
    assert not list(tmp_path.glob("*.docx"))


def test_an_existing_file_is_never_overwritten_silently(fresh, tmp_path):
    taken = tmp_path / "已有.docx"
    taken.write_bytes(b"keep")
    result = invoke(str(fresh["workbook"]), "--region", "青川县", "-o", str(taken))
    assert result.exit_code == 2 and "已存在" in result.output
    assert taken.read_bytes() == b"keep"
    first = invoke(str(fresh["workbook"]), "--region", "青川县")
    second = invoke(str(fresh["workbook"]), "--region", "青川县")
    assert first.exit_code == second.exit_code == 0
    stem = f"{fresh['workbook'].stem}_青川县2026年1-9月分析"
    assert (tmp_path / f"{stem}.docx").exists() and (tmp_path / f"{stem}(2).docx").exists()


def test_the_text_quotes_the_figure_the_cell_displays_not_the_stored_float(fresh, tmp_path):
    book = openpyxl.load_workbook(fresh["workbook"])
    sheet = book["2026Q3"]
    row = FIRST_DATA_ROW + regions().index(COUNTY)
    city = FIRST_DATA_ROW + regions().index(TOTAL)
    sheet.cell(row, peer_col(0, 2)).value = 7.25
    sheet.cell(row, peer_col(0, 2)).number_format = "0.0"
    sheet.cell(row, peer_col(1, 2)).value = 2.6349999999999998  # stored noise of 2.635
    sheet.cell(row, peer_col(1, 2)).number_format = "0.00"
    book.save(fresh["workbook"])  # openpyxl keeps no formula results: the main sheet is blank now
    benchmark = shown(sheet.cell(city, peer_col(0, 2)))
    first = shown(sheet.cell(city, peer_col(1, 2)))
    result = invoke(str(fresh["workbook"]), "--region", "青川县", "-o", str(tmp_path / "a.docx"))
    assert result.exit_code == 0, result.output
    text = "".join(analyses(tmp_path / "a.docx")["青川县"])
    assert "增长7.3%" in text  # 7.25 shown as 7.3 (half away from zero)
    assert f"高于全市{Decimal('7.3') - Decimal(benchmark)}个百分点" in text
    assert "第一产业增加值完成" in text and "增长2.64%" in text
    assert (
        f"{'高于' if Decimal('2.64') > Decimal(first) else '低于'}全市{abs(Decimal('2.64') - Decimal(first))}个百分点"
        in text
    )
    # the main-indicator sheet's formulas lost their saved results: listed, not written
    assert "完成年度目标" not in text
    assert "是公式但文件中没有保存计算结果" in result.output
    assert "「青川县2026年1-9月」H4" in result.output


def test_groups_of_indicators_by_name():
    from workbooks.brief import group_of

    assert [
        group_of(name)
        for name in (
            "地区生产总值",
            "规模以上工业增加值",
            "工业投资",
            "民间投资",
            "招商引资到位资金",
            "社会消费品零售总额",
            "一般公共预算收入",
            "税收收入",
            "城镇居民人均可支配收入",
            "进出口总额",
        )
    ] == ["生产", "生产", "投资", "投资", "投资", "消费", "财政", "财政", "收入", "其他指标"]


def test_a_province_row_is_a_second_benchmark_and_never_a_county(fresh, tmp_path):
    book = openpyxl.load_workbook(fresh["workbook"])
    sheet = book["2026Q3"]
    province = FIRST_DATA_ROW + len(regions())  # right under the last county
    sheet.cell(province, 1).value = "全省"
    for i in range(len(indicators())):
        sheet.cell(province, peer_col(i, 2)).value = 6.35
        sheet.cell(province, peer_col(i, 2)).number_format = "0.0"
    book.save(fresh["workbook"])
    row = FIRST_DATA_ROW + regions().index(COUNTY)
    growth = shown(sheet.cell(row, peer_col(0, 2)))
    d = Decimal(growth) - Decimal("6.4")  # 6.35 published as 6.4
    result = invoke(str(fresh["workbook"]), "--region", "青川县", "-o", str(tmp_path / "p.docx"))
    assert result.exit_code == 0, result.output
    opening = analyses(tmp_path / "p.docx")["青川县"][2]
    versus = f"{'高于' if d > 0 else '低于'}全省{abs(d)}个百分点"
    assert "全市" in opening and versus in opening
    assert opening.index("全市") < opening.index("全省")
    assert "居全市" in opening  # the province row is a benchmark, not a peer
    refused = invoke(str(fresh["workbook"]), "--region", "全省")
    assert refused.exit_code == 2 and "「全省」不在「2026Q3」" in refused.output


def test_the_schedule_gap_follows_from_the_published_completion_without_a_gap_column(
    fresh, tmp_path
):
    book = openpyxl.load_workbook(fresh["workbook"])
    main = book[main_name_of(2026, 9)]
    main.cell(4, 8).value = 76.25  # 地区生产总值's completion as a figure, shown 76.3
    main.cell(4, 8).number_format = "0.0"
    for r in range(3, 4 + len(indicators())):  # no 超/欠序时进度 column
        main.cell(r, 10).value = None
    book.save(fresh["workbook"])
    result = invoke(str(fresh["workbook"]), "--region", "青川县", "-o", str(tmp_path / "g.docx"))
    assert result.exit_code == 0, result.output
    opening = analyses(tmp_path / "g.docx")["青川县"][2]
    assert "；完成年度目标的76.3%，超序时进度1.3个百分点。" in opening  # 76.3 − 75.0
    assert "「青川县2026年1-9月」H5 是公式但文件中没有保存计算结果" in result.output


def test_a_rank_that_cannot_be_right_is_listed_not_written(fresh, tmp_path):
    book = openpyxl.load_workbook(fresh["workbook"])
    sheet = book["2026Q3"]
    row = FIRST_DATA_ROW + regions().index(COUNTY)
    sheet.cell(row, peer_col(0, 3)).value = 12  # of 9 counties
    sheet.cell(row, peer_col(1, 3)).value = 1
    sheet.cell(row, peer_col(1, 4)).value = -3  # 后退3位 from place −2?
    sheet.cell(row, peer_col(2, 3)).value = 3
    sheet.cell(row, peer_col(2, 4)).value = 9  # 前移9位 from place 12 of 9?
    book.save(fresh["workbook"])
    result = invoke(str(fresh["workbook"]), "--region", "青川县", "-o", str(tmp_path / "r.docx"))
    assert result.exit_code == 0, result.output
    paragraphs = analyses(tmp_path / "r.docx")["青川县"]
    opening = paragraphs[2]
    assert (
        opening.startswith("前三季度，青川县地区生产总值")
        and "居全市" not in opening.split("。")[0]
    )
    first = next(p for p in paragraphs if p.startswith("第一产业增加值"))
    assert "居全市首位。" in first or "居全市首位；" in first  # the place, without the change
    assert "位次 12 不在 1–9 之间" in result.output
    assert "位次变化 -3 与位次 1 不符（上期位次将为 -2，不在 1–9 之间）" in result.output
    assert "位次变化 9 与位次 3 不符（上期位次将为 12，不在 1–9 之间）" in result.output
    third = re.search(rf"{indicators()[2].name}完成[^。]*。", "".join(paragraphs))[0]
    assert "居全市第3位" in third and "前移" not in third  # the place, without the change


def test_at_the_end_of_the_year_completion_is_said_without_a_schedule(sample_files, tmp_path):
    from udfs import Period

    source = Path(shutil.copy(sample_files["workbook"], tmp_path / "示例.xlsx"))
    result = invoke(str(source), "--region", "青川县", "--period", "2025年1-12月")
    assert result.exit_code == 0, result.output
    paragraphs = analyses(tmp_path / "示例_青川县2025年1-12月分析.docx")["青川县"]
    text = "".join(paragraphs)
    assert paragraphs[0] == "青川县2025年全年经济运行情况分析"
    assert "序时进度" not in text
    book = openpyxl.load_workbook(sample_files["workbook"], data_only=True)
    main = book[main_name_of(2025, 12)]
    done = [
        Decimal(shown(main.cell(4 + i, 8)))
        for i, ind in enumerate(indicators())
        if ind.target_growth is not None
    ]
    met, short = sum(c >= 100 for c in done), sum(c < 100 for c in done)
    assert f"有年度目标的{len(done)}项指标中，{met}项完成年度目标、{short}项未完成。" in text
    lowest = min(done)
    assert f"（完成年度目标的{lowest}%）" in text
    published = Published(book, "青川县", Period(2025, 1, 12))
    allowed = published.allowed | {str(len(done)), str(met), str(short)}
    stray = [n for p in paragraphs for n in NUMBER.findall(p) if n not in allowed]
    assert stray == []


def _prefecture_peer_table(path: Path, benchmarks: dict[str, tuple[float, float]]) -> None:
    """A province's table of its cities for 2026年1-9月 (two indicators, 本期 / 增长 / 位次 /
    位次变化), with the benchmark rows given (name → growth of each indicator) and no 全市 row."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2026Q3"
    ws["A1"] = "2026年1-9月各市（州）主要经济指标对比表"
    ws["A3"] = "地区"
    subs = ["本期累计", "增长(%)", "位次", "位次变化"]
    names = ["地区生产总值（亿元）", "社会消费品零售总额（亿元）"]
    for i, name in enumerate(names):
        ws.cell(3, 2 + 4 * i, name)
        for j, sub in enumerate(subs):
            ws.cell(4, 2 + 4 * i + j, sub)
    cities = {  # city: (level, growth, rank, change) per indicator
        "绵阳市": [(3012.1, 6.8, 1, 1), (1201.5, 7.2, 2, 0)],
        "广元市": [(1001.4, 6.1, 3, -1), (455.2, 7.9, 1, 2)],
        "德阳市": [(2401.7, 6.5, 2, 0), (802.3, 5.0, 3, -2)],
    }
    rows = [(city, figures) for city, figures in cities.items()]
    rows += [
        (name, [(None, g, None, None) for g in growths]) for name, growths in benchmarks.items()
    ]
    for r, (region, figures) in enumerate(rows, start=5):
        ws.cell(r, 1, region)
        for i, (level, growth, rank, change) in enumerate(figures):
            for j, (value, fmt) in enumerate(
                [(level, "0.0"), (growth, "0.0"), (rank, "0"), (change, "0")]
            ):
                if value is not None:
                    ws.cell(r, 2 + 4 * i + j, value).number_format = fmt
    book.save(path)


def test_a_table_of_cities_with_only_a_province_row_ranks_within_the_province(tmp_path):
    source = tmp_path / "各市对比.xlsx"
    _prefecture_peer_table(source, {"全省": (6.4, 7.9)})
    target = tmp_path / "广元.docx"
    result = invoke(str(source), "--region", "广元市", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = "".join(analyses(target)["广元市"])
    assert (
        "全市" not in text
    )  # the table has no 全市 row: neither a rank in nor a comparison with it
    # 6.1 − 6.4 = −0.3; rank 3 of 3 cities, one place down from 2
    assert "增长6.1%，低于全省0.3个百分点，居全省末位，较上期后退1位" in text
    assert "增长7.9%，与全省持平，居全省首位，较上期前移2位" in text
    assert "与全省对比的2项指标中，1项与全省持平、1项低于全省。" in text


def test_a_table_with_a_province_and_a_country_row_ranks_within_the_province(tmp_path):
    source = tmp_path / "各市对比.xlsx"
    _prefecture_peer_table(source, {"全省": (6.4, 7.9), "全国": (5.2, 4.5)})
    target = tmp_path / "绵阳.docx"
    result = invoke(str(source), "--region", "绵阳市", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = "".join(analyses(target)["绵阳市"])
    assert "全市" not in text
    # 6.8 − 6.4 = 0.4 and 6.8 − 5.2 = 1.6, each against the row the table has
    assert "增长6.8%，高于全省0.4个百分点，高于全国1.6个百分点，居全省首位，较上期前移1位" in text


def test_a_table_without_any_benchmark_row_names_no_scope(tmp_path):
    source = tmp_path / "各市对比.xlsx"
    _prefecture_peer_table(source, {})
    target = tmp_path / "德阳.docx"
    result = invoke(str(source), "--region", "德阳市", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = "".join(analyses(target)["德阳市"])
    assert "全市" not in text and "全省" not in text and "百分点" not in text
    assert "增长6.5%，居倒数第2位，与上期持平" in text  # 2 of 3: no scope named
