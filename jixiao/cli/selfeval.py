"""``jixiao import | audit | batch``: the national self-evaluation table (项目支出绩效自评表).

Exit codes as everywhere: 0 done (an audit that finds problems is still done: the findings are
its output), 2 the input needs fixing (Chinese messages naming file, sheet and cell on stderr;
for ``batch`` also when some files could not be read — they are listed, the rest is written).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..workbook import messages as words
from ..workbook.errors import WorkbookInputError
from ..workbook.selfeval import messages as msg
from .base import EXIT_INPUT, EXIT_OK, Integer, command, err, fmt, out


def _params(pack: str | None) -> Any:
    from ..scoring import Params, ParamsError, load_pack

    if not pack:
        return Params()
    try:
        return load_pack(pack)
    except ParamsError as exc:
        raise WorkbookInputError(str(exc)) from None


def _pack_option(func: Any) -> Any:
    return click.option("--pack", default=None, metavar=words.METAVAR_PACK, help=msg.HELP_PACK)(func)


def _sheet_option(func: Any) -> Any:
    return click.option("--sheet", default=None, metavar=words.METAVAR_SHEET, help=msg.HELP_SHEET)(func)


@command("import", msg.HELP_IMPORT)
@click.argument("input", metavar=words.METAVAR_TABLE, help=msg.HELP_IMPORT_IN)
@click.option("-o", "--output", default=None, metavar=words.METAVAR_WORKBOOK, help=msg.HELP_IMPORT_OUT)
@_sheet_option
@_pack_option
@click.option("--force", is_flag=True, help=words.HELP_FORCE_OUTPUT)
def import_(input: str, output: str | None, sheet: str | None, pack: str | None, force: bool) -> int:
    from ..workbook.safe_write import check_input, check_output
    from ..workbook.selfeval.convert import default_output, import_table
    from ..workbook.selfeval.files import audit_file

    check_input(input)
    target = Path(output) if output else default_output(Path(input))
    check_output(target)  # a missing folder or a folder named like the output: said before the work
    params = _params(pack)
    audits = audit_file(input, params, sheet)
    if len(audits) > 1:
        err(msg.OTHER_SHEETS.format(name=Path(input).name, sheets="、".join(a.table.sheet for a in audits[1:])))
    result = import_table(audits[0], target, params, force=force)
    out(msg.IMPORT_DONE.format(path=result.output, sheet=msg.SHEET_REVIEW))
    if result.backup is not None:
        out(words.BACKUP_DONE.format(path=result.backup))
    if result.errors:
        for line in result.errors:
            err("  " + line)
        return EXIT_INPUT
    return EXIT_OK


@command("audit", msg.HELP_AUDIT)
@click.argument("input", metavar=words.METAVAR_TABLE, help=msg.HELP_AUDIT_IN)
@click.option("--json", "as_json", is_flag=True, help=msg.HELP_AUDIT_JSON)
@_sheet_option
@_pack_option
def audit(input: str, as_json: bool, sheet: str | None, pack: str | None) -> int:
    from ..workbook.safe_write import check_input
    from ..workbook.selfeval.files import audit_file

    check_input(input)
    audits = audit_file(input, _params(pack), sheet)
    first = audits[0]
    if len(audits) > 1:
        err(msg.OTHER_SHEETS.format(name=Path(input).name, sheets="、".join(a.table.sheet for a in audits[1:])))
    if as_json:
        import json

        out(json.dumps(first.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_INPUT if first.flags else EXIT_OK  # as check-report: 2 when problems are listed
    t = first.table
    out(msg.AUDIT_HEAD.format(file=t.file, sheet=t.sheet, name=t.project.get("name") or ""))
    out(msg.AUDIT_TOTALS.format(reported=fmt(first.reported_total), rule=fmt(first.rule_total),
                                grade=first.grade or "—"))
    flags = first.flags
    if not flags:
        out(msg.AUDIT_CLEAN)
        return EXIT_OK
    out(msg.AUDIT_FLAGS.format(count=len(flags)))
    for f in flags:
        out(msg.AUDIT_FLAG_LINE.format(label=msg.FLAG_LABELS.get(f.kind, f.kind),
                                       where=f"{f.cell}：" if f.cell else "", message=f.message))
    return EXIT_INPUT


@command("batch", msg.HELP_BATCH)
@click.argument("directory", metavar=words.METAVAR_DIR, help=msg.HELP_BATCH_DIR)
@click.option("-o", "--output", default=None, metavar=words.METAVAR_WORKBOOK, help=msg.HELP_BATCH_OUT)
@click.option("--jobs", "-j", type=Integer(), default=None, metavar="N", help=msg.HELP_BATCH_JOBS)
@click.option("--quiet", "-q", is_flag=True, help=msg.HELP_BATCH_QUIET)
@_pack_option
@click.option("--force", is_flag=True, help=words.HELP_FORCE_OUTPUT)
def batch(directory: str, output: str | None, jobs: int | None, quiet: bool, pack: str | None, force: bool) -> int:
    from ..workbook.selfeval.batch import run_batch

    params = _params(pack)
    if not quiet and sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn(msg.BATCH_PROGRESS), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=Console(stderr=True), transient=True)
        task = bar.add_task(msg.BATCH_PROGRESS, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        with bar:
            result = run_batch(directory, output, jobs, params, progress, force=force)
    else:
        result = run_batch(directory, output, jobs, params, force=force)
    flags = sum(len(p.flags) for p in result.projects)
    out(msg.BATCH_DONE.format(files=len(result.files), projects=len(result.projects), flags=flags,
                              seconds=result.seconds, path=result.output))
    if result.backup is not None:
        out(words.BACKUP_DONE.format(path=result.backup))
    if result.failed:
        err(msg.BATCH_FAILED.format(count=len(result.failed), sheet=msg.SHEET_FAILED))
        for f in result.failed:
            err(msg.BATCH_FAILED_LINE.format(file=f.file, error=f.error))
        return EXIT_INPUT
    return EXIT_OK


COMMANDS = (import_, audit, batch)
