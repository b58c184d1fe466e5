"""Excel formula tokens → a small syntax tree (nested tuples).

Nodes: ``("number", x)``, ``("string", s)``, ``("bool", b)``, ``("error", literal)``,
``("omitted",)`` (an empty argument), ``("ref", RefToken)``, ``("name", text)``,
``("array", rows)``, ``("neg", node)``, ``("percent", node)``, ``("binary", op, left, right)``,
``("call", NAME, args)``. Operator precedence is Excel's: negation binds tighter than ``^``
(``-2^2`` is 4), then ``%``… see :data:`_BINARY`. The prefix ``@`` (implicit intersection) is
the call ``("call", "SINGLE", (operand,))``, as Excel stores it (``_xlfn.SINGLE``).
"""

from __future__ import annotations

from typing import Any

from workbooks.formula.tokens import Tokens
from workbooks.formula.values import REF_MARK, Unsupported, number_text

Node = tuple[Any, ...]

# Binding powers (higher binds tighter); all binary operators are left-associative in Excel.
_BINARY = {
    "=": 10,
    "<>": 10,
    "<": 10,
    ">": 10,
    "<=": 10,
    ">=": 10,
    "&": 20,
    "+": 30,
    "-": 30,
    "*": 40,
    "/": 40,
    "^": 50,
}
_PERCENT = 60
_PREFIX = 55  # a sign applies before ^ (Excel: -2^2 = 4) but after %


class _Parser:
    def __init__(self, tokens: Tokens):
        self.tokens = tokens
        self.position = 0

    def peek(self) -> tuple[str, Any]:
        if self.position < len(self.tokens):
            return self.tokens[self.position]
        return ("end", None)

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        _kind, value = self.take()
        if value != text:
            raise Unsupported(f"公式语法有误：应为「{text}」")

    def expression(self, min_power: int = 0) -> Node:
        left = self.prefix()
        while True:
            kind, value = self.peek()
            if kind == "op" and value == "%":
                self.take()
                left = ("percent", left)
                continue
            if kind != "op" or value not in _BINARY:
                return left
            power = _BINARY[value]
            if power <= min_power:
                return left
            self.take()
            right = self.expression(power)
            left = ("binary", value, left, right)

    def prefix(self) -> Node:
        kind, value = self.take()
        if kind == "op" and value == "@":
            return ("call", "SINGLE", (self.expression(_PREFIX),))
        if kind == "op" and value in ("-", "+"):
            operand = self.expression(_PREFIX)
            return ("neg", operand) if value == "-" else ("plus", operand)
        if kind in ("number", "string", "bool", "error"):
            return (kind, value)
        if kind == "ref":
            return ("ref", value)
        if kind == "name":
            return ("name", value)
        if kind == "func":
            return self.call(value)
        if kind == "punct" and value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind == "punct" and value == "{":
            return self.array()
        if kind == "end":
            raise Unsupported("公式不完整")
        raise _unexpected(kind, value, "")

    def call(self, name: str) -> Node:
        self.expect("(")
        args: list[Node] = []
        if self.peek() == ("punct", ")"):
            self.take()
            return ("call", name, ())
        while True:
            if self.peek() in (("punct", ","), ("punct", ")")):
                args.append(("omitted",))
            else:
                args.append(self.expression())
            _kind, value = self.take()
            if value == ")":
                return ("call", name, tuple(args))
            if value != ",":
                raise Unsupported(f"函数 {name} 的参数有误")

    def array(self) -> Node:
        rows: list[list[Any]] = [[]]
        while True:
            sign = 1.0
            kind, value = self.take()
            if kind == "op" and value == "-":
                sign = -1.0
                kind, value = self.take()
            if kind == "number":
                rows[-1].append(sign * value)
            elif kind in ("string", "bool") and sign > 0:
                rows[-1].append(value)
            elif kind == "error":
                rows[-1].append(("error", value))
            else:
                raise Unsupported("数组常量有误")
            kind, value = self.take()
            if value == "}":
                break
            if value == ";":
                rows.append([])
            elif value != ",":
                raise Unsupported("数组常量有误")
        if len({len(r) for r in rows}) != 1:
            raise Unsupported("数组常量各行长度不一致")
        return ("array", tuple(tuple(r) for r in rows))


#: Brackets nested deeper than this are not computed (Excel itself nests functions 64 deep);
#: the parser and the compiled formula recurse once per level.
MAX_NESTING = 100


def parse(tokens: Tokens) -> Node:
    """The syntax tree of a whole formula."""
    depth = deepest = 0
    for kind, value in tokens:
        if kind == "punct":
            if value == "(":
                depth += 1
                deepest = max(deepest, depth)
            elif value == ")":
                depth -= 1
    if deepest > MAX_NESTING:
        raise Unsupported(f"公式的括号嵌套有 {deepest} 层，超过 {MAX_NESTING} 层，无法计算")
    parser = _Parser(tokens)
    node = parser.expression()
    if parser.peek()[0] != "end":
        kind, value = parser.peek()
        before = parser.tokens[parser.position - 1] if parser.position else ("", None)
        if kind == "ref" and before[0] == "ref":
            raise Unsupported(
                f"「{REF_MARK} {REF_MARK}」：两个引用之间的空格是交叉运算符，暂不支持",
                (before[1], value),
            )
        raise _unexpected(kind, value, "多余的")
    return node


def _unexpected(kind: str, value: Any, what: str) -> Unsupported:
    """A syntax error at a token, naming the token as the user wrote it."""
    if kind == "ref":
        return Unsupported(f"公式语法有误：{what}引用「{REF_MARK}」", (value,))
    if kind == "number":
        shown = number_text(value)
    elif kind == "bool":
        shown = "TRUE" if value else "FALSE"
    elif kind == "string":
        shown = '"' + value.replace('"', '""') + '"'
    else:
        shown = str(value)
    return Unsupported(f"公式语法有误：{what}「{shown}」")
