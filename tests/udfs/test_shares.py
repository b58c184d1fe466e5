"""拉动, 贡献率, 占比."""

import pytest

from udfs import contribution, contribution_rate, share


def test_contribution_in_percentage_points():
    # 一产 10 → 11, total 100: pulls total growth up by 1 pp.
    assert contribution(11, 10, 100) == pytest.approx(1.0, abs=1e-12)
    assert contribution(9, 10, 100) == pytest.approx(-1.0, abs=1e-12)


def test_contribution_rate_in_percent():
    assert contribution_rate(11, 10, 104, 100) == pytest.approx(25.0, abs=1e-12)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: contribution(11, 10, 0), "#DIV/0!"),
        (lambda: contribution(11, 10, -5), "#NUM!"),
        (lambda: contribution_rate(11, 10, 100, 100), "#DIV/0!"),
        (lambda: contribution(None, 10, 100), "#N/A"),
        (lambda: share(5, 0), "#DIV/0!"),
        (lambda: share(5, -10), "#NUM!"),
        (lambda: share("abc", 10), "#VALUE!"),
    ],
)
def test_errors(call, error):
    assert call() == error


def test_share_and_structure():
    parts = [16.6, 43.2, 40.2]
    shares = share(parts, sum(parts))
    assert sum(shares) == pytest.approx(100.0, abs=1e-12)
    assert share(6, 56) == pytest.approx(6 / 56 * 100, rel=1e-15)
