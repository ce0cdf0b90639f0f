"""The ``jixiao`` command line, built on Click: one small module per command group.

- ``workbook``  new, demo, refresh, score (the evaluation workbook);
- ``selfeval``  import, audit, batch (the national 自评表);
- ``report``    report, check-report (the Word report);
- ``base``      Chinese help and usage errors, ``--debug``, exit codes.

Adding a command is one decorated function in one of those modules (``@command(name, help)`` plus
Click's ``@click.argument``/``@click.option``), listed in that module's ``COMMANDS``.

:func:`main` is the console script (``jixiao = "jixiao.cli:main"``).  It returns the exit code:
0 success, 2 the user's input needs fixing (Chinese messages on stderr, naming sheet and cell),
1 anything unexpected (one Chinese line; ``--debug`` shows the traceback).  An OS error (disk full,
no permission, a folder where a file was expected …) is the environment, not a bug: exit 2 with a
Chinese message naming the file (``workbook.safe_write.os_error_message``); the commands that write
wrap their OS errors there already, this is the net for the rest.  The reader of our output
closing the pipe (``jixiao score x.xlsx | head``) ends with 2 and one Chinese line on stderr, no
traceback: the brief counts a broken pipe among the environment faults, which are all exit 2.  Start-up imports only
Click and our message modules; each command imports pandas/openpyxl/docx when it runs.
"""

from __future__ import annotations

import os
import sys
from typing import Sequence

import click

from ..workbook import messages as msg
from ..workbook.errors import WorkbookInputError
from . import report, selfeval, workbook
from .base import (DEBUG_KEY, EXIT_BUG, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, HELP_OPTION_NAMES, Group, debug_option,
                   err, out, report_usage_error)

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_BUG", "EXIT_INPUT", "EXIT_OK", "app", "main"]

EXIT_BROKEN_PIPE = 2  # an environment fault like disk full: exit 2, said in one line on stderr


@click.group("jixiao", cls=Group, help=msg.HELP_PROG, invoke_without_command=True,
             options_metavar=msg.METAVAR_OPTIONS, subcommand_metavar=msg.METAVAR_SUBCOMMAND,
             context_settings={"help_option_names": HELP_OPTION_NAMES})
@debug_option
@click.pass_context
def app(ctx: click.Context) -> int | None:
    if ctx.invoked_subcommand is None:  # `jixiao` alone: show what it can do, as a usage error
        out(ctx.get_help())
        return EXIT_INPUT
    return None


for _module in (workbook, selfeval, report):
    for _command in _module.COMMANDS:
        _command.options_metavar = msg.METAVAR_OPTIONS
        app.add_command(_command)


def _silence_stdout() -> None:
    """The reader of our output went away (``jixiao score … | head``): send what is still buffered
    to the null device, so that neither we nor the interpreter's final flush print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # also when a message to stderr meets the closed pipe
        _silence_stdout()
        try:
            from ..workbook import messages as wmsg

            sys.stderr.write(wmsg.BROKEN_PIPE + "\n")
            sys.stderr.flush()
        except (OSError, ValueError):  # stderr is the closed pipe too: nothing left to tell
            pass
        return EXIT_BROKEN_PIPE


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    meta: dict = {}
    try:
        with app.make_context("jixiao", args) as ctx:
            meta = ctx.meta
            return int(app.invoke(ctx) or 0)
    except click.exceptions.Exit as exc:  # --help: exit at once, as argparse did
        raise SystemExit(exc.exit_code) from None
    except click.UsageError as exc:
        report_usage_error(exc)
        return EXIT_INPUT
    except WorkbookInputError as exc:
        for line in exc.messages:
            err(line)
        return EXIT_INPUT
    except KeyboardInterrupt:
        err(msg.INTERRUPTED)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except OSError as exc:  # the environment, not a bug: disk full, no permission … (see safe_write)
        from ..workbook.safe_write import drop_half_written, os_error_message

        if meta.get(DEBUG_KEY):
            import traceback

            traceback.print_exc()
        drop_half_written(exc)
        err(os_error_message(exc))
        return EXIT_INPUT
    except Exception as exc:  # the one place a bug becomes a message instead of a traceback
        from ..workbook.safe_write import as_os_error, drop_half_written, os_error_message

        os_error = as_os_error(exc)  # lxml's "IO_ENOSPC" when openpyxl's own temporary file fails
        if os_error is not None:
            drop_half_written(exc)
            err(os_error_message(os_error))
            return EXIT_INPUT
        if meta.get(DEBUG_KEY):
            import traceback

            traceback.print_exc()
        err(msg.UNEXPECTED.format(detail=f"{type(exc).__name__}: {exc}"))
        return EXIT_BUG
