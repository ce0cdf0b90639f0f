"""Click plumbing shared by every command group: Chinese help and usage errors, ``--debug``, exit codes.

Click prints its own framework words ("Usage:", "Options", "Missing argument …") in English and
measures text in characters.  Our users read Chinese in a terminal where a Chinese character takes
two columns, so this module gives Click a formatter that speaks Chinese and wraps by display width,
and turns Click's usage errors into Chinese sentences built from the exception's fields (never
from its English text).  Commands are plain Click commands made with :func:`command`.

Exit codes (the contract every command keeps): 0 done, 2 the user's input needs fixing (including a
mistyped command line), 1 an unexpected internal error.
"""

from __future__ import annotations

import sys
import unicodedata
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence, TypeVar

import click

from ..workbook import messages as msg

EXIT_OK, EXIT_BUG, EXIT_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130
HELP_OPTION_NAMES = ["-h", "--help"]
DEBUG_KEY = "jixiao.debug"  # in Context.meta, which Click shares between a group and its subcommand

F = TypeVar("F", bound=Callable[..., Any])


def out(text: str = "") -> None:
    print(text, flush=True)


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def fmt(value: Any) -> str:
    """A number as the user typed it (98.4, not 98.40000000000001); "—" for nothing."""
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------------------------
# Help text: Chinese headings, wrapping by display width
# --------------------------------------------------------------------------------------------
_NO_LINE_START = set("，。、；：？！）》」』”’%…")  # punctuation that must not begin a wrapped line


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> list[str]:
    """Break points of a line: around every wide character and at spaces; never before closing punctuation."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if ch == " " or wide:
            if word:
                tokens.append(word)
                word = ""
            if ch in _NO_LINE_START and tokens:
                tokens[-1] += ch
            else:
                tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns (a long unbreakable word keeps its line)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for token in _tokens(paragraph):
            size = display_width(token)
            if line and used + size > width:
                lines.append(line.rstrip())
                line, used = "", 0
                if token == " ":
                    continue
            line += token
            used += size
        lines.append(line.rstrip())
    return lines


class Formatter(click.HelpFormatter):
    """Click's help layout with Chinese framework words and CJK-aware column widths."""

    HEADINGS = {"Options": msg.CLI_OPTIONS, "Commands": msg.CLI_COMMANDS, "Positional arguments": msg.CLI_ARGUMENTS}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, msg.CLI_USAGE if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{self.HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 20)):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(display_width(first) for first, _ in rows), col_max) + col_spacing
        text_width = max(self.width - self.current_indent - first_col, 20)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            lines = wrap(second, text_width) if second else []
            if not lines:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


class Context(click.Context):
    formatter_class = Formatter


@contextmanager
def _in_context(ctx: click.Context) -> Iterator[None]:
    """Click's option parser raises some usage errors without a context; give them this one."""
    try:
        yield
    except click.UsageError as exc:
        if exc.ctx is None:
            exc.ctx, exc.cmd = ctx, ctx.command
        raise


def _chinese_help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = msg.HELP_HELP
    return option


class Command(click.Command):
    """A subcommand: Chinese help; a stray extra argument is a Chinese usage error."""

    context_class = Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.allow_extra_args = True  # we refuse extra arguments ourselves, in Chinese
        with _in_context(ctx):
            rest = super().parse_args(ctx, args)
        if rest:
            raise click.UsageError(msg.CLI_EXTRA_ARGS.format(args=" ".join(rest)), ctx)
        return rest


class Group(click.Group):
    """The ``jixiao`` command: subcommands listed in the order they were added, not alphabetically."""

    context_class = Context
    command_class = Command

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _in_context(ctx):
            return super().parse_args(ctx, args)


# --------------------------------------------------------------------------------------------
# Parameter types whose complaints are Chinese
# --------------------------------------------------------------------------------------------
class Choice(click.Choice):
    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        return msg.CLI_BAD_CHOICE.format(value=value, choices="、".join(map(str, self.choices)))


class Integer(click.ParamType):
    name = "整数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            self.fail(msg.CLI_NOT_INTEGER.format(value=value), param, ctx)


# --------------------------------------------------------------------------------------------
# Decorators
# --------------------------------------------------------------------------------------------
def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[DEBUG_KEY] = True


def debug_option(func: F) -> F:
    """``--debug`` before or after the subcommand name: show the traceback of an internal error."""
    return click.option("--debug", is_flag=True, expose_value=False, callback=_set_debug, help=msg.HELP_DEBUG)(func)


def command(name: str, help: str) -> Callable[[F], Command]:
    """A subcommand whose function returns its exit code (0, or 2 when the input needs attention)."""

    def wrap_command(func: F) -> Command:
        return click.command(name, cls=Command, help=help, short_help=help,
                             context_settings={"help_option_names": HELP_OPTION_NAMES})(debug_option(func))

    return wrap_command


# --------------------------------------------------------------------------------------------
# Usage errors in Chinese
# --------------------------------------------------------------------------------------------
def _param_name(param: click.Parameter | None, ctx: click.Context | None) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Argument) and ctx is not None:
        return param.make_metavar(ctx)
    return max(param.opts, key=len) if param.opts else str(param.name)  # --jobs rather than -j


def _find_option(ctx: click.Context | None, name: str) -> click.Option | None:
    if ctx is None:
        return None
    for param in ctx.command.get_params(ctx):
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def usage_error_detail(exc: click.UsageError) -> str:
    """One Chinese sentence for a Click usage error, from its fields (Click's English is not shown)."""
    ctx = exc.ctx
    if isinstance(exc, click.exceptions.NoSuchCommand):
        names = ctx.command.list_commands(ctx) if ctx is not None and isinstance(ctx.command, click.Group) else []
        return msg.CLI_NO_COMMAND.format(name=exc.command_name, choices="、".join(names))
    if isinstance(exc, click.NoSuchOption):
        text = msg.CLI_NO_OPTION.format(name=exc.option_name)
        if exc.possibilities:
            text += msg.CLI_DID_YOU_MEAN.format(names="、".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, click.BadOptionUsage):
        option = _find_option(ctx, exc.option_name)
        if option is not None and option.is_flag:
            return msg.CLI_OPTION_NO_VALUE.format(name=exc.option_name)
        return msg.CLI_OPTION_NEEDS_VALUE.format(name=exc.option_name)
    if isinstance(exc, click.MissingParameter):
        return msg.CLI_MISSING.format(name=_param_name(exc.param, ctx))
    if isinstance(exc, click.BadParameter):
        return msg.CLI_BAD_VALUE.format(name=_param_name(exc.param, ctx) or exc.param_hint or "", detail=exc.message)
    return exc.message


def report_usage_error(exc: click.UsageError) -> None:
    """Usage line, the Chinese reason and where to find help, on stderr (as argparse did, exit 2)."""
    ctx = exc.ctx
    if ctx is not None:
        err(ctx.get_usage())
    err(msg.CLI_ERROR.format(detail=usage_error_detail(exc)))
    if ctx is not None:
        err(msg.CLI_TRY_HELP.format(command=ctx.command_path))
