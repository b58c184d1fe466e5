"""位次 and 位次变化: competition ranking among peers, and the change since last period.

``rank`` is the standard competition ranking (1, 2, 2, 4 — 并列 share the better place):
``rank(v) = 1 + #{peers strictly better than v}``, better meaning higher by default
(growth, completion) or lower with ``descending=False`` (不良贷款率, 能耗). With ``decimals``
the published (rounded) figures are ranked, which is what creates ties in bureau tables.
Blanks and placeholders among the peers are left out; aggregate rows (全市, 合计 …) are the
caller's to leave out of the range.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from udfs.cleaning import Arg, Parsed, fold, is_omitted, map_cells
from udfs.core import Computed, aligned, error_everywhere, finish, public, rule
from udfs.errors import BLANK, OK, ExcelError, mark

_VALUE = Arg("排位值 value")
_PEERS = Arg("参与排位区域 peers")
_NO_DATA = rule(ExcelError.NA, "本单位无数据，不参与排位（参数 value）")
_NO_PEERS = rule(ExcelError.NA, "参与排位的区域没有数值（参数 peers）")
_BAD_ORDER = rule(ExcelError.VALUE, "排序方式「{}」无法识别：TRUE=降序（默认），FALSE=升序")
_BAD_DECIMALS = rule(ExcelError.VALUE, "小数位数「{}」应为 0-10 的整数（参数 decimals）")


def round_published(values: np.ndarray, decimals: int) -> np.ndarray:
    """Round half away from zero, as Excel's ROUND and published tables do (2.675 → 2.68).

    Binary noise is removed first (2.675 is stored as 2.67499999…), so the result is what a
    person rounding the shown 15 significant digits would write.
    """
    scale = 10.0**decimals
    scaled = np.abs(values) * scale
    scaled = np.round(scaled, 9)
    return np.sign(values) * np.floor(scaled + 0.5) / scale


def _order(descending: Any) -> bool | None:
    """True for descending, False for ascending, None when unreadable."""
    if is_omitted(descending):
        return True
    if isinstance(descending, (bool, np.bool_)):
        return bool(descending)
    if isinstance(descending, (int, float)):
        return bool(descending)
    if isinstance(descending, str):
        text = fold(descending).lower()
        if text in {"true", "1", "降序", "desc", "descending", "从高到低", "是"}:
            return True
        if text in {"false", "0", "升序", "asc", "ascending", "从低到高", "否"}:
            return False
    return None


def _decimals(decimals: Any) -> int | str | None:
    if is_omitted(decimals):
        return None
    try:
        number = float(fold(decimals)) if isinstance(decimals, str) else float(decimals)
    except (TypeError, ValueError):
        return "bad"
    if not number.is_integer() or not 0 <= number <= 10:
        return "bad"
    return int(number)


def rank_kernel(value: Any, peers: Any, descending: Any = True, decimals: Any = None) -> Computed:
    """位次 of ``value`` (a cell or a range: all ranks at once) among ``peers``."""
    order = _order(descending)
    if order is None:
        return error_everywhere(_BAD_ORDER, str(descending))
    places = _decimals(decimals)
    if places == "bad":
        return error_everywhere(_BAD_DECIMALS, str(decimals))
    values, codes, _ = _VALUE.numbers(value)
    peer_values = _PEERS.numbers(peers).values
    pool = peer_values[np.isfinite(peer_values)].ravel()
    codes = np.where(codes == _VALUE.missing, np.int16(_NO_DATA), codes).astype(np.int16)
    if pool.size == 0:
        return finish(values, mark(codes, np.ones(codes.shape, bool), _NO_PEERS))
    if places is not None:
        pool, values = round_published(pool, places), round_published(values, places)
    pool.sort()
    if order:
        better = pool.size - np.searchsorted(pool, values, side="right")
    else:
        better = np.searchsorted(pool, values, side="left")
    return finish((better + 1).astype(np.float64), codes)


_RANK_TEXT = re.compile(r"^(?:全[市省国])?(?:第|居)?(\d+)(?:位|名)?$")
_RANK_BAD = rule(ExcelError.VALUE, "位次应为正整数（如 3 或 第3位）")


def _rank_cell(cell: Any) -> Parsed:
    if cell is None:
        return np.nan, BLANK
    if isinstance(cell, str):
        text = fold(cell)
        if text == "" or text in {"-", "—", "/", "无法比较"}:
            return np.nan, BLANK
        match = _RANK_TEXT.match(text)
        return (float(match[1]), OK) if match else (np.nan, _RANK_BAD)
    if isinstance(cell, bool) or not isinstance(cell, (int, float, np.number)):
        return np.nan, _RANK_BAD
    number = float(cell)
    if np.isnan(number):
        return np.nan, BLANK
    if not number.is_integer() or number < 1:
        return np.nan, _RANK_BAD
    return number, OK


def rank_change_kernel(rank: Any, rank_previous: Any) -> Computed:
    """位次变化 ``rank_previous − rank`` (+ 前移, − 后退, 0 持平); blank when either is missing
    (无法比较 — never 0)."""
    (now, before), codes, details = aligned(
        ("本期位次 rank", map_cells(rank, _rank_cell)),
        ("上期位次 rank_previous", map_cells(rank_previous, _rank_cell)),
    )
    return finish(before - now, codes, details)


rank = public(rank_kernel)
rank_change = public(rank_change_kernel)
