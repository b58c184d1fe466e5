"""The one family of user errors: problems with the user's files or input, not with the code.

Every command that reads or changes a workbook refuses bad input by raising a subclass of
:class:`UserError` whose message (Chinese first) names the file, sheet, row or cell concerned.
The ``tongji`` command prints that message and exits with code 2 (nothing was changed); any
other exception is a programming error and is reported as one (「内部错误」, exit 1).

The subclasses stay where they are raised (``RankError`` in :mod:`workbooks.rank`, …); this
module only holds their common base so that one ``except UserError`` finds them all.
"""

from __future__ import annotations


class UserError(ValueError):
    """Bad input or an unusable file; ``str(error)`` is the Chinese message for the user.

    A ``ValueError`` so that callers written before the family existed keep working.
    """


#: Problems shown in one message; the rest are counted (「另有 N 处」).
SHOWN_PROBLEMS = 50


def listed(problems: list[str], limit: int = SHOWN_PROBLEMS) -> str:
    """Numbered lines of the first ``limit`` problems and 「另有 N 处」 for the rest: a message
    stays readable when a file has 200,000 bad rows."""
    lines = [f"  {i}. {p}" for i, p in enumerate(problems[:limit], start=1)]
    if len(problems) > limit:
        lines.append(f"  …… 另有 {len(problems) - limit} 处问题未列出")
    return "\n".join(lines)


def joined(items: list[str], sep: str = "；", limit: int = SHOWN_PROBLEMS) -> str:
    """The first ``limit`` items on one line and 「另有 N 处」 for the rest."""
    text = sep.join(items[:limit])
    return text + (f"{sep}另有 {len(items) - limit} 处" if len(items) > limit else "")


#: Characters a reader cannot see, by name (others of their kinds are shown by code only).
_INVISIBLE_NAMES = {
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\u200d": "零宽连接符",
    "\u2060": "字连接符",
    "\ufeff": "字节顺序标记 BOM",
    "\u00a0": "不换行空格",
    "\u3000": "全角空格",
    "\u00ad": "软连字符",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
}


def _invisible(ch: str) -> bool:
    import unicodedata

    if ch in _INVISIBLE_NAMES:
        return True
    kind = unicodedata.category(ch)
    return kind in ("Cf", "Cc", "Zl", "Zp", "Co") or (kind == "Zs" and ch != " ")


def visible(text: str) -> str:
    """``text`` with every invisible character written out: 「青川县\\u200b」 → 「青川县<U+200B>」."""
    return "".join(f"<U+{ord(ch):04X}>" if _invisible(ch) else ch for ch in text)


def invisible_names(text: str) -> str:
    """The invisible characters of ``text`` by code and name (「U+200B 零宽空格」), or ``""``."""
    found = dict.fromkeys(ch for ch in text if _invisible(ch))
    return "、".join(f"U+{ord(ch):04X} {_INVISIBLE_NAMES.get(ch, '')}".rstrip() for ch in found)


def invisible_note(text: str) -> str:
    """「（含不可见字符 U+200B 零宽空格）」 for a text holding any, else ``""``."""
    names = invisible_names(text)
    return f"（含不可见字符 {names}）" if names else ""


def without_invisible(text: str) -> str:
    return "".join(ch for ch in text if not _invisible(ch))


__all__ = [
    "UserError",
    "invisible_names",
    "invisible_note",
    "joined",
    "listed",
    "visible",
    "without_invisible",
]
