"""Help and command-line mistakes of the ``tongji`` command, in Chinese first.

typer (through click) prints English usage errors (``Missing argument 'file'``) and help with
type placeholders (``FILE <path>``, ``{file}``) and with command descriptions cut to the
terminal's width. :class:`TongjiGroup` and :class:`TongjiCommand` replace both:

- help lists every argument and option by an upper-case name (``FILE``, ``--sheet SHEET``),
  each description whole (a narrow terminal wraps the line, nothing is cut), the everyday
  commands (:data:`EVERYDAY`) first;
- a mistake on the command line prints 「错误 / Error: 缺少参数 FILE …」 and the usage line on
  standard error, exit code 2 (nothing was done).
"""

from __future__ import annotations

import difflib
import inspect
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer ≥ 0.20 carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer depends on click
    import click.exceptions as click_errors  # type: ignore[no-redef]

#: The commands a statistician uses every quarter, listed first in ``tongji --help``.
EVERYDAY = ("demo", "rank", "refresh")

_HELP_OPTION = "显示本帮助并退出 / show this help"


def _name(param: Any) -> str:
    """How a parameter is named to the user: ``FILE`` for an argument, ``--data`` for an option."""
    if param.param_type_name == "argument":
        return param.metavar or (param.name or "").upper()
    long = [o for o in param.opts if o.startswith("--")]
    return (long or list(param.opts))[0]


def _metavar(param: Any) -> str:
    """The placeholder after an option that takes a value: its name in upper case."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    return param.metavar or (param.name or "VALUE").upper().replace("_", "-")


def _default(param: Any) -> str:
    default = param.default
    if default is None or isinstance(default, bool) or default == () or param.required:
        return ""
    if callable(default):
        return ""
    return f"  [默认 / default: {default}]"


def _rows(params: Sequence[Any]) -> list[tuple[str, str]]:
    rows = []
    for param in params:
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            label = _name(param)
            text = getattr(param, "help", None) or ""
            text += "  [必填 / required]" if param.required else _default(param)
        else:
            opts = sorted(param.opts, key=lambda o: (o.startswith("--"), o))  # -s, --sheet
            label = ", ".join(opts + list(param.secondary_opts))
            meta = _metavar(param)
            label += f" {meta}" if meta else ""
            text = _HELP_OPTION if param.name == "help" else (param.help or "")
            text += "  [必填 / required]" if param.required else _default(param)
        rows.append((label, text))
    return rows


def _section(title: str, rows: list[tuple[str, str]]) -> list[str]:
    """A help section: names in one column, each description on the same line, whole."""
    if not rows:
        return []
    width = max(len(label) for label, _ in rows) + 2
    return ["", f"{title}:", *(f"  {label.ljust(width)}{text}".rstrip() for label, text in rows)]


def usage_line(command: Any, ctx: Any) -> str:
    pieces = ["[选项 / OPTIONS]"]
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            name = _name(param)
            pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append("命令 / COMMAND [参数 / ARGS]...")
    return f"用法 / Usage: {ctx.command_path} {' '.join(pieces)}"


def _description(command: Any) -> list[str]:
    text = inspect.cleandoc(command.help or "")
    return ["", *(f"  {line}".rstrip() for line in text.splitlines())] if text else []


def _short(command: Any) -> str:
    """A command's first paragraph, on one line, never cut."""
    text = inspect.cleandoc(command.help or "").split("\n\n", 1)[0]
    return " ".join(line.strip() for line in text.splitlines())


class TongjiCommand(TyperCommand):
    """A ``tongji`` sub-command with the help described in the module docstring."""

    def get_usage(self, ctx: Any) -> str:
        return usage_line(self, ctx)

    def get_help(self, ctx: Any) -> str:
        params = self.get_params(ctx)
        lines = [usage_line(self, ctx), *_description(self)]
        lines += _section(
            "参数 / Arguments", _rows([p for p in params if p.param_type_name == "argument"])
        )
        lines += _section(
            "选项 / Options", _rows([p for p in params if p.param_type_name != "argument"])
        )
        return "\n".join(lines)


class TongjiGroup(TyperGroup):
    """The ``tongji`` command: Chinese help and usage errors (see the module docstring)."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return [n for n in EVERYDAY if n in names] + [n for n in names if n not in EVERYDAY]

    def get_usage(self, ctx: Any) -> str:
        return usage_line(self, ctx)

    def get_help(self, ctx: Any) -> str:
        lines = [usage_line(self, ctx), *_description(self)]
        lines += _section("选项 / Options", _rows(self.get_params(ctx)))
        commands = [(n, self.get_command(ctx, n)) for n in self.list_commands(ctx)]
        rows = [(name, _short(cmd)) for name, cmd in commands if cmd is not None and not cmd.hidden]
        lines += _section("命令 / Commands", rows)
        lines += ["", f"  每个命令的用法 / help of a command: {ctx.command_path} 命令 --help"]
        return "\n".join(lines)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help())
            sys.exit(0)
        except click_errors.UsageError as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except click_errors.ClickException as exc:
            typer.echo(f"错误 / Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("已取消 / aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) and not isinstance(result, bool) else 0)


def show_usage_error(exc: Any) -> None:
    """Print a command-line mistake in Chinese (English after the slash), with the usage line
    and where to find help, on standard error."""
    ctx = exc.ctx
    lines = []
    if ctx is not None:
        lines += [usage_line(ctx.command, ctx), f"查看帮助 / help: {ctx.command_path} --help", ""]
    lines.append(f"错误 / Error: {usage_message(exc)}")
    typer.echo("\n".join(lines), err=True)


def usage_message(exc: Any) -> str:
    """The Chinese message of a click usage error."""
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    named = _name(param) if param is not None else _hint(hint)
    if isinstance(exc, click_errors.MissingParameter):
        what = "参数" if param is None or param.param_type_name == "argument" else "选项"
        doc = getattr(param, "help", None) if param is not None else None
        about = f"（{doc}）" if doc else ""
        return f"缺少{what} {named}{about} / missing {named}"
    if isinstance(exc, click_errors.NoSuchOption):
        known = list(getattr(exc, "possibilities", None) or ())
        if exc.ctx is not None:
            known += [o for p in exc.ctx.command.get_params(exc.ctx) for o in p.opts]
        known = difflib.get_close_matches(exc.option_name, set(known), n=2)
        guess = f"，您是不是要用 {'、'.join(known)}？" if known else ""
        return f"没有选项 {exc.option_name}{guess} / no such option: {exc.option_name}"
    if isinstance(exc, click_errors.BadParameter):
        if not named:  # raised by a command with its own Chinese message
            return _chinese(exc.message)
        return f"{named} 的值无效：{_chinese(exc.message)} / invalid value for {named}"
    message = str(exc.message)
    unknown = re.match(r"No such command '(.+?)'", message)
    if unknown is not None:
        name = unknown.group(1)
        names = exc.ctx.command.list_commands(exc.ctx) if exc.ctx is not None else []
        close = difflib.get_close_matches(name, names, n=1)
        guess = f"您是不是要用「{close[0]}」？" if close else ""
        return f"没有命令「{name}」。{guess}可用命令：{'、'.join(names)} / no such command: {name}"
    needs = re.match(r"Option '(.+?)' requires (an argument|(\d+) arguments)", message)
    if needs is not None:
        count = needs.group(3) or "一"
        return f"选项 {needs.group(1)} 后面需要{count}个值 / {needs.group(1)} needs a value"
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra is not None:
        return (
            f"多余的参数：{extra.group(1)}（文件名含空格时请加引号）/ unexpected: {extra.group(1)}"
        )
    return f"命令行有误：{_chinese(message)}"


def _hint(hint: Any) -> str:
    if hint is None:
        return ""
    if isinstance(hint, str):
        return hint.strip("'")
    return "/".join(str(h).strip("'") for h in hint)


_TYPES = {"integer": "整数", "int": "整数", "float": "数字", "number": "数字", "boolean": "是/否"}


def _chinese(message: str) -> str:
    """The value messages of click and typer (``'x' is not a valid integer.``, ``Input should
    be a valid integer``) in Chinese; others as they are."""
    found = re.search(r"(?:('.*') is not|should be) a valid (\w+)", message)
    if found is not None and found.group(2).lower() in _TYPES:
        what = _TYPES[found.group(2).lower()]
        return f"{found.group(1)} 不是{what}" if found.group(1) else f"须为{what}"
    return message


__all__ = ["EVERYDAY", "TongjiCommand", "TongjiGroup", "show_usage_error", "usage_message"]
