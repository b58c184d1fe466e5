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


__all__ = ["UserError"]
