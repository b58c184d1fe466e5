"""县区排名 on every header form of docs/table-grammar.md, checked against the reference ranking.

The tables are built by tests.workbooks.layouts from known figures; the expected ranks are
computed from those figures with tests.workbooks.reference, never read back through the table
reader under test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workbooks.layouts import COUNTIES, LAYOUTS, Built, sample_data, transposed
from tests.workbooks.reference import competition_rank
from workbooks.file_host import FileBook, open_file
from workbooks.rank import RankOptions, rank_sheet
from workbooks.tables import TableError


def numbers(values: list[Any]) -> list[float | None]:
    return [v if isinstance(v, (int, float)) else None for v in values]


def expected_ranks(data: dict[str, list], indicator: str, role: str) -> list[int | None]:
    k = 0 if role == "level_rank" else 1
    return competition_rank(numbers([f[k] for f in data[indicator]]))


def check_ranked(built: Built, data: dict[str, list], before: list[list[Any]]) -> None:
    """Rank cells hold the reference ranks; nothing else of the table changed; no column added."""
    ws = built.wb[built.sheet]
    after = [list(r) for r in ws.iter_rows(values_only=True)]
    rank_cells = set()
    for indicator, where in built.cols.items():
        for role in ("rank", "level_rank"):
            if role not in where:
                continue
            col = where[role]
            got = [ws.cell(built.rows[c], col).value for c in COUNTIES[: len(built.rows)]]
            assert got == expected_ranks(data, indicator, role), (indicator, role)
            rank_cells |= {(r, col) for r in built.rows.values()}
    assert max(len(r) for r in after) == max(len(r) for r in before)  # nothing appended
    for r, line in enumerate(before, start=1):
        for c, value in enumerate(line, start=1):
            if (r, c) not in rank_cells:
                assert after[r - 1][c - 1] == value, (r, c)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_is_ranked_into_its_own_rank_columns(layout: str) -> None:
    data = sample_data()
    built = LAYOUTS[layout](data)
    before = built.snapshot()
    result = rank_sheet(FileBook.from_workbook(built.wb, "t.xlsx"), built.sheet)
    check_ranked(built, data, before)
    assert set(result.ranks) == set(built.cols)


def test_transposed_table_is_refused_and_the_file_unchanged(tmp_path: Path) -> None:
    built = transposed(sample_data())
    path = tmp_path / "transposed.xlsx"
    built.wb.save(path)
    content = path.read_bytes()
    with pytest.raises(TableError, match="转置") as caught:
        rank_sheet(open_file(path), built.sheet)
    assert "C2「全市」" in str(caught.value)
    assert path.read_bytes() == content


_FIGURE = st.one_of(
    st.integers(-30, 30).map(lambda x: x / 2),  # many ties
    st.sampled_from([None, "—", "X"]),
)


@settings(max_examples=30, deadline=None)
@given(
    layout=st.sampled_from(list(LAYOUTS)),
    aggregates=st.sampled_from([(), ("top",), ("bottom",), ("top", "bottom")]),
    figures=st.lists(
        st.tuples(st.integers(1, 500), _FIGURE, st.integers(1, 500), _FIGURE),
        min_size=2,
        max_size=len(COUNTIES),
    ),
)
def test_random_tables_in_every_header_form(layout: str, aggregates: tuple, figures: list) -> None:
    data = {
        "地区生产总值": [(float(a), g) for a, g, _, _ in figures],
        "一般公共预算收入": [(float(b), h) for _, _, b, h in figures],
    }
    built = LAYOUTS[layout](data, aggregates=aggregates)
    before = built.snapshot()
    rank_sheet(
        FileBook.from_workbook(built.wb, "t.xlsx"), built.sheet, RankOptions(highlight=False)
    )
    check_ranked(built, data, before)


# --- rank changes, the tally and the next period ------------------------------------------------


def two_periods(q2: dict, q3: dict) -> tuple[openpyxl.Workbook, Built, Built]:
    first = LAYOUTS["one_row"](q2, sheet="2026Q2")
    second = LAYOUTS["one_row"](q3, sheet="2026Q3", wb=first.wb)
    return first.wb, first, second


def tally_of(changes: list[list[int | None]]) -> list[str]:
    out = []
    for per_county in zip(*changes, strict=True):
        known = [c for c in per_county if c is not None]
        ups, downs = sum(c > 0 for c in known), sum(c < 0 for c in known)
        out.append(f"{ups}升{len(known) - ups - downs}平{downs}降")
    return out


def header_texts(ws: Any, row: int) -> list[Any]:
    return [ws.cell(row, c).value for c in range(1, ws.max_column + 1)]


def q3_figures() -> dict:
    data = sample_data()
    return {
        name: [
            (level + 1, g + 0.5 * ((k % 3) - 1) if isinstance(g, float) else 2.0)
            for k, (level, g) in enumerate(figures)
        ]
        for name, figures in data.items()
    }


def test_tally_counts_every_indicator_after_ranking_some() -> None:
    q2, q3 = sample_data(), q3_figures()
    wb, _, second = two_periods(q2, q3)
    book = FileBook.from_workbook(wb, "t.xlsx")
    rank_sheet(book, "2026Q2")
    rank_sheet(book, "2026Q3")
    ws = wb["2026Q3"]
    gdp = "地区生产总值"
    # a revised GDP growth for two counties, then only GDP is re-ranked
    q3[gdp][0] = (q3[gdp][0][0], -9.0)
    q3[gdp][4] = (q3[gdp][4][0], 20.0)
    sheet = book.sheet("2026Q3")  # writes through the host, as a refresh would
    sheet.write_values(second.rows[COUNTIES[0]], second.cols[gdp]["growth"], [[-9.0]])
    sheet.write_values(second.rows[COUNTIES[4]], second.cols[gdp]["growth"], [[20.0]])
    result = rank_sheet(book, "2026Q3", RankOptions(indicators=[gdp]))
    assert list(result.ranks) == [gdp]
    changes = []
    for name in (gdp, "一般公共预算收入"):
        before = expected_ranks(q2, name, "rank")
        now = expected_ranks(q3, name, "rank")
        changes.append(
            [
                b - a if a is not None and b is not None else None
                for a, b in zip(now, before, strict=True)
            ]
        )
    headers = header_texts(ws, 2)
    assert headers.count("位次升降") == 1
    tally_col = headers.index("位次升降") + 1
    assert [ws.cell(second.rows[c], tally_col).value for c in COUNTIES] == tally_of(changes)
    assert list(result.tallies.values()) == tally_of(changes)


def test_reranking_an_earlier_period_updates_the_next_periods_rank_change() -> None:
    q2, q3 = sample_data(), q3_figures()
    wb, first, second = two_periods(q2, q3)
    book = FileBook.from_workbook(wb, "t.xlsx")
    rank_sheet(book, "2026Q2")
    rank_sheet(book, "2026Q3")
    gdp = "地区生产总值"
    q2[gdp][8] = (q2[gdp][8][0], 30.0)  # a revised 2026Q2 growth: 石门县 now first
    book.sheet("2026Q2").write_values(first.rows[COUNTIES[8]], first.cols[gdp]["growth"], [[30.0]])
    result = rank_sheet(book, "2026Q2")
    assert result.next_sheet == "2026Q3"
    ws = wb["2026Q3"]
    headers = header_texts(ws, 2)
    change_col = headers.index(f"{gdp}位次变化") + 1
    before, now = expected_ranks(q2, gdp, "rank"), expected_ranks(q3, gdp, "rank")
    expected = [b - a for a, b in zip(now, before, strict=True)]
    assert [ws.cell(second.rows[c], change_col).value for c in COUNTIES] == expected
    assert headers.count(f"{gdp}位次变化") == 1  # filled, not appended again
    changes = []
    for name in (gdp, "一般公共预算收入"):
        b, a = expected_ranks(q2, name, "rank"), expected_ranks(q3, name, "rank")
        changes.append(
            [x - y if x is not None and y is not None else None for y, x in zip(a, b, strict=True)]
        )
    tally_col = headers.index("位次升降") + 1
    assert [ws.cell(second.rows[c], tally_col).value for c in COUNTIES] == tally_of(changes)


# --- top and bottom three --------------------------------------------------------------------


def coloured(ranks: list[int | None], rule: str) -> list[bool]:
    """Which cells a bottom-three rule colours, evaluated the way a spreadsheet does for the two
    forms the rule can take (COUNT: the number of ranked counties; MAX: the largest rank)."""
    present = [r for r in ranks if r is not None]
    if "COUNT(" in rule:
        bound = len(present)
    else:
        assert "MAX(" in rule
        bound = max(present)
    n = int(rule.rsplit("-", 1)[1].rstrip(")"))
    return [r is not None and r >= bound - n for r in ranks]


@pytest.mark.parametrize(
    ("growth", "bottom"),
    [
        # ranks 1..6 then 7, 7, 7 (N = 9): the three tied last places, no fourth county
        ([9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 1.0, 1.0, 1.0], {6, 7, 8}),
        # ranks …, 6, 6, 9: only the last (ranks >= 7)
        ([9.0, 8.0, 7.0, 6.0, 5.0, 3.0, 3.0, 3.0, 1.0], {8}),
    ],
)
def test_bottom_three_with_ties(tmp_path: Path, growth: list[float], bottom: set[int]) -> None:
    data = {"地区生产总值": [(10.0, g) for g in growth]}
    built = LAYOUTS["one_row"](data, aggregates=())
    book = FileBook.from_workbook(built.wb, tmp_path / "t.xlsx")
    rank_sheet(book, built.sheet)
    path = book.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)[built.sheet]
    col = built.cols["地区生产总值"]["rank"]
    ranks = [ws.cell(built.rows[c], col).value for c in COUNTIES]
    assert ranks == competition_rank(growth)
    rules = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules]
    assert len(rules) == 2
    low = coloured(ranks, rules[1])
    assert {k for k, flag in enumerate(low) if flag} == bottom
