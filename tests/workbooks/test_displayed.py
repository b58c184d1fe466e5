"""The figure a cell displays through its number format (what analysis text quotes)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workbooks.displayed import shown_figure

CHANGE_FORMAT = '"前移"0"位";"后退"0"位";"持平"'


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1.3999999999999995, "0.0", "1.4"),  # 7.3 − 5.9 as stored
        (7.25, "0.0", "7.3"),  # half away from zero
        (-7.25, "0.0", "-7.3"),
        (0.05, "0.0", "0.1"),
        (-0.04, "0.0", "0.0"),
        (2.6349999999999998, "0.00", "2.64"),  # 2.635 at 15 significant digits
        (128.23, "#,##0.00", "128.23"),
        (1380.24, "#,##0.00", "1380.24"),  # the separator is the table's, not the figure's
        (39, "#,##0.00", "39.00"),
        (17176.5, "#,##0", "17177"),
        (0.073, "0.0%", "7.3"),  # a fraction shown as percent: the percent figure
        (12345678, "#,##0,", "12346"),  # shown in thousands
        (2, "General", "2"),
        (7.3, "General", "7.3"),
        (1.3999999999999995, "General", "1.4"),
        (2.0, None, "2"),
        (-1, CHANGE_FORMAT, "-1"),  # the negative section drops the sign; the figure keeps it
        (3, CHANGE_FORMAT, "3"),
        (5.25, "[Red]0.0", "5.3"),
        (-1.25, "0.0_);[Red](0.0)", "-1.3"),
        (44.4, '0.00"亿元"', "44.40"),
        ("６．７", "0.0", "6.7"),  # a number stored as text shows as written
        ("6.70", "General", "6.70"),
        ("17,176", "@", "17176"),
        ("下降4.8", "General", "-4.8"),
    ],
)
def test_shown_figure(value, fmt, expected):
    assert shown_figure(value, fmt) == Decimal(expected)
    assert str(shown_figure(value, fmt)) == expected  # with the decimals shown


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        (0, CHANGE_FORMAT),  # 持平: words, no figure shown
        (45000, "yyyy-mm-dd"),
        (5, "[>=100]0;0.0"),  # a condition picks the section
        (1234.5, "0.00E+00"),
        ("待核实", "0.0"),
        ("—", "0.0"),
        ("17176万元", "General"),
        (True, "0"),
        (float("nan"), "0.0"),
        (5, "@"),
    ],
)
def test_what_is_no_figure_of_a_statistical_table_is_not_guessed(value, fmt):
    assert shown_figure(value, fmt) is None
