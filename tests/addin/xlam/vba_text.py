"""Reading VBA source in tests: procedures by name, and the value of string expressions."""

from __future__ import annotations

import re

_PROCEDURE = re.compile(
    r"^(?:Public |Private |Friend )?(?:Static )?(Sub|Function) (\w+)\(.*?\)(?: As \w+)?\n"
    r"(.*?)^End \1$",
    re.MULTILINE | re.DOTALL,
)


def procedures(code: str) -> dict[str, str]:
    """Procedure name → body (the lines between its header and ``End Sub``/``End Function``)
    of VBA code with LF line ends."""
    return {m.group(2): m.group(3) for m in _PROCEDURE.finditer(code.replace("\r\n", "\n"))}


def vba_string_value(expression: str) -> str:
    """Evaluate a VBA string expression of quoted literals, ``ChrW(n)`` and the ``vbCrLf``
    family joined by ``&``."""
    tokens = re.findall(r'"(?:[^"]|"")*"|ChrW\(\d+\)|vbCrLf|vbCr|vbLf|vbTab|&|\S+', expression)
    out = []
    for token in tokens:
        if token == "&":
            continue
        if token.startswith('"'):
            out.append(token[1:-1].replace('""', '"'))
        elif token.startswith("ChrW("):
            out.append(chr(int(token[5:-1])))
        elif token in ("vbCrLf", "vbCr", "vbLf", "vbTab"):
            out.append({"vbCrLf": "\r\n", "vbCr": "\r", "vbLf": "\n", "vbTab": "\t"}[token])
        else:
            raise ValueError(f"not a string expression part: {token!r}")
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16")
