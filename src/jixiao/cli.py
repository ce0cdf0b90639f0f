"""The ``jixiao`` command line: ``new``, ``demo``, ``refresh``, ``score`` (more register themselves).

Adding a subcommand is one decorated function::

    @subcommand("report", "生成评价报告", Arg("input", help="…"), Arg("--docx", action="store_true"))
    def _report(args: argparse.Namespace) -> int: ...

or, from another module, ``register("report", help, run, *args)`` plus its module path in
``PLUGINS``.  Exit codes: 0 success, 2 the user's input needs fixing (Chinese messages on stderr),
1 anything unexpected (one Chinese line; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .workbook import messages as msg
from .workbook.errors import WorkbookInputError
from .workbook.layout import KIND_DEPARTMENT, KIND_SELF

EXIT_OK, EXIT_BUG, EXIT_INPUT = 0, 1, 2

# Modules imported at start-up that may call ``register`` (issues #4–#6 append theirs here).
PLUGINS: tuple[str, ...] = ("jixiao.selfeval.commands", "jixiao.report_commands")


@dataclass(frozen=True)
class Arg:
    """One ``add_argument`` call, kept as data."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)

    def __init__(self, *flags: str, **options: Any) -> None:
        object.__setattr__(self, "flags", flags)
        object.__setattr__(self, "options", options)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    args: tuple[Arg, ...] = ()


COMMANDS: dict[str, Command] = {}


def register(name: str, help: str, run: Callable[[argparse.Namespace], int], *args: Arg) -> None:
    COMMANDS[name] = Command(name, help, run, tuple(args))


def subcommand(name: str, help: str, *args: Arg) -> Callable[[Callable[[argparse.Namespace], int]], Callable]:
    def wrap(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        register(name, help, func, *args)
        return func
    return wrap


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------------------------
# Subcommands
# --------------------------------------------------------------------------------------------
def _kind_choices() -> tuple[str, ...]:
    return (KIND_DEPARTMENT, KIND_SELF)


@subcommand(
    "new", msg.HELP_NEW,
    Arg("path", help=msg.HELP_NEW_PATH),
    Arg("--kind", default=KIND_DEPARTMENT, choices=(KIND_DEPARTMENT, KIND_SELF), help=msg.HELP_NEW_KIND),
    Arg("--pack", default=None, help=msg.HELP_NEW_PACK),
)
def _new(args: argparse.Namespace) -> int:
    from .scoring import ParamsError
    from .workbook.template import write_template

    try:
        path = write_template(args.path, args.kind, args.pack)
    except ParamsError as exc:
        raise WorkbookInputError(str(exc)) from None
    _out(msg.NEW_DONE.format(kind=args.kind, path=path))
    return EXIT_OK


@subcommand("demo", msg.HELP_DEMO, Arg("dir", nargs="?", default=msg.DEMO_DEFAULT_DIR, help=msg.HELP_DEMO_DIR))
def _demo(args: argparse.Namespace) -> int:
    from .workbook.template import build_demo

    files, result = build_demo(args.dir)
    _out(msg.DEMO_DONE_HEADER)
    _out(msg.DEMO_FILE_SAMPLE.format(path=files["sample"].resolve()))
    for kind in _kind_choices():
        _out(msg.DEMO_FILE_TEMPLATE.format(kind=kind, path=files[kind].resolve()))
    _print_headline(result.evaluation, result.errors)
    return EXIT_OK if result.ok else EXIT_INPUT


def _print_headline(evaluation: Any, errors: list[str]) -> None:
    if evaluation.total is None or errors:
        _out(msg.RESULT_NO_TOTAL)
    else:
        _out(msg.RESULT_LINE.format(total=_fmt(evaluation.total), max_total=_fmt(evaluation.max_total),
                                    grade=evaluation.grade))
    if len(evaluation.flag_table):
        _out(msg.FLAGS_LINE.format(count=len(evaluation.flag_table)))


def _print_errors(errors: list[str], written: bool = False) -> None:
    _err(msg.ERRORS_HEADER.format(count=len(errors)))
    for line in errors:
        _err("  " + line)
    if written:
        _err(msg.ERRORS_WRITTEN)


@subcommand(
    "refresh", msg.HELP_REFRESH,
    Arg("input", help=msg.HELP_REFRESH_IN),
    Arg("-o", "--output", default=None, help=msg.HELP_REFRESH_OUT),
    Arg("--in-place", action="store_true", help=msg.HELP_REFRESH_IN_PLACE),
    Arg("--force", action="store_true", help=msg.HELP_REFRESH_FORCE),
)
def _refresh(args: argparse.Namespace) -> int:
    from .workbook.refresh import refresh_file

    if args.in_place and args.output:
        raise WorkbookInputError(msg.OUTPUT_IS_INPUT.format(path=args.input))
    result = refresh_file(args.input, output=args.output, in_place=args.in_place, force=args.force)
    _out(msg.REFRESH_DONE.format(path=result.output))
    if result.backup is not None:
        _out(msg.BACKUP_DONE.format(path=result.backup))
    if result.dropped:
        _err(msg.FORCED_LOSS.format(items="、".join(result.dropped)))
    _print_headline(result.evaluation, result.errors)
    if result.errors:
        _print_errors(result.errors, written=True)
        return EXIT_INPUT
    return EXIT_OK


@subcommand(
    "score", msg.HELP_SCORE,
    Arg("input", help=msg.HELP_SCORE_IN),
    Arg("--json", action="store_true", help=msg.HELP_SCORE_JSON),
)
def _score(args: argparse.Namespace) -> int:
    from .workbook.refresh import score_file

    inputs, evaluation, errors = score_file(args.input)
    if args.json:
        data = evaluation.to_dict()
        excel_rows = inputs.indicators["row"].tolist()
        for record in data.get("rows", []):  # which 指标体系 row each result belongs to
            index = record.get("index")
            if isinstance(index, int) and 0 <= index < len(excel_rows):
                record.setdefault("row", excel_rows[index])
        data["project_name"] = inputs.project.get("name")
        data["file"] = Path(args.input).name
        data["messages"] = errors
        _out(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        name = inputs.project.get("name")
        if name:
            _out(str(name))
        _print_headline(evaluation, errors)
    if errors:
        _print_errors(errors)
        return EXIT_INPUT
    return EXIT_OK


# --------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    for module in PLUGINS:
        importlib.import_module(module)
    parser = argparse.ArgumentParser(prog="jixiao", description=msg.HELP_PROG)
    parser.add_argument("--debug", action="store_true", help=msg.HELP_DEBUG)
    subs = parser.add_subparsers(dest="command", metavar=msg.HELP_COMMANDS)
    for cmd in COMMANDS.values():
        p = subs.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=msg.HELP_DEBUG)
        for arg in cmd.args:
            p.add_argument(*arg.flags, **arg.options)
        p.set_defaults(_run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_INPUT
    try:
        return int(args._run(args) or 0)
    except WorkbookInputError as exc:
        for line in exc.messages:
            _err(line)
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err(msg.INTERRUPTED)
        return 130
    except Exception as exc:  # the one place a bug becomes a message instead of a traceback
        if getattr(args, "debug", False):
            traceback.print_exc()
        _err(msg.UNEXPECTED.format(detail=f"{type(exc).__name__}: {exc}"))
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
