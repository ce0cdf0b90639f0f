"""``jixiao new | demo | refresh | score``: the evaluation workbook itself.

Heavy libraries (pandas, openpyxl) are imported inside each command, so ``jixiao --help`` stays fast.
"""

from __future__ import annotations

from typing import Any

import click

from ..workbook import messages as msg
from ..workbook.errors import WorkbookInputError
from ..workbook.layout import KIND_DEPARTMENT, KIND_SELF
from .base import EXIT_INPUT, EXIT_OK, Choice, command, err, fmt, out

KINDS = (KIND_DEPARTMENT, KIND_SELF)


def print_headline(evaluation: Any, errors: list[str]) -> None:
    if evaluation.total is None or errors:
        out(msg.RESULT_NO_TOTAL)
    else:
        from ..scoring.findings import total_basis  # the maximum the total is on (100 after rescaling)

        out(msg.RESULT_LINE.format(total=fmt(evaluation.total), max_total=fmt(total_basis(evaluation).full),
                                   grade=evaluation.grade))
    if len(evaluation.flag_table):
        out(msg.FLAGS_LINE.format(count=len(evaluation.flag_table)))


def print_errors(errors: list[str], written: bool = False) -> None:
    err(msg.ERRORS_HEADER.format(count=len(errors)))
    for line in errors:
        err("  " + line)
    if written:
        err(msg.ERRORS_WRITTEN)


@command("new", msg.HELP_NEW)
@click.argument("path", metavar=msg.METAVAR_WORKBOOK, help=msg.HELP_NEW_PATH)
@click.option("--kind", type=Choice(KINDS), default=KIND_DEPARTMENT, help=msg.HELP_NEW_KIND)
@click.option("--pack", default=None, metavar=msg.METAVAR_PACK, help=msg.HELP_NEW_PACK)
@click.option("--force", is_flag=True, help=msg.HELP_FORCE_NEW)
def new(path: str, kind: str, pack: str | None, force: bool) -> int:
    from ..scoring import ParamsError
    from ..workbook.template import write_new

    try:
        written = write_new(path, kind, pack, force)
    except ParamsError as exc:
        raise WorkbookInputError(str(exc)) from None
    out(msg.NEW_DONE.format(kind=kind, path=written.path))
    if written.backup is not None:
        out(msg.BACKUP_DONE.format(path=written.backup))
    return EXIT_OK


@command("demo", msg.HELP_DEMO)
@click.argument("directory", metavar=msg.METAVAR_DIR, required=False, default=msg.DEMO_DEFAULT_DIR,
                help=msg.HELP_DEMO_DIR)
@click.option("--force", is_flag=True, help=msg.HELP_FORCE_DEMO)
def demo(directory: str, force: bool) -> int:
    from ..workbook.template import build_demo

    files, result = build_demo(directory, force)
    out(msg.DEMO_DONE_HEADER)
    out(msg.DEMO_FILE_SAMPLE.format(path=files["sample"].resolve()))
    for kind in KINDS:
        out(msg.DEMO_FILE_TEMPLATE.format(kind=kind, path=files[kind].resolve()))
    for backup in result.backups:
        out(msg.BACKUP_DONE.format(path=backup))
    print_headline(result.evaluation, result.errors)
    return EXIT_OK if result.ok else EXIT_INPUT


@command("refresh", msg.HELP_REFRESH)
@click.argument("input", metavar=msg.METAVAR_WORKBOOK, help=msg.HELP_REFRESH_IN)
@click.option("-o", "--output", default=None, metavar=msg.METAVAR_WORKBOOK, help=msg.HELP_REFRESH_OUT)
@click.option("--in-place", is_flag=True, help=msg.HELP_REFRESH_IN_PLACE)
@click.option("--force", is_flag=True, help=msg.HELP_REFRESH_FORCE)
def refresh(input: str, output: str | None, in_place: bool, force: bool) -> int:
    from ..workbook.refresh import refresh_file

    if in_place and output:
        raise WorkbookInputError(msg.OUTPUT_IS_INPUT.format(path=input))
    result = refresh_file(input, output=output, in_place=in_place, force=force)
    out(msg.REFRESH_DONE.format(path=result.output))
    if result.backup is not None:
        out(msg.BACKUP_DONE.format(path=result.backup))
    if result.dropped:
        err(msg.FORCED_LOSS.format(items="、".join(result.dropped)))
    print_headline(result.evaluation, result.errors)
    if result.errors:
        print_errors(result.errors, written=True)
        return EXIT_INPUT
    return EXIT_OK


@command("score", msg.HELP_SCORE)
@click.argument("input", metavar=msg.METAVAR_WORKBOOK, help=msg.HELP_SCORE_IN)
@click.option("--json", "as_json", is_flag=True, help=msg.HELP_SCORE_JSON)
def score(input: str, as_json: bool) -> int:
    import json
    from pathlib import Path

    from ..workbook.refresh import score_file
    from ..workbook.safe_write import check_input

    check_input(input)
    inputs, evaluation, errors = score_file(input)
    if as_json:
        data = evaluation.to_dict()
        excel_rows = inputs.indicators["row"].tolist()
        for record in data.get("rows", []):  # which 指标体系 row each result belongs to
            index = record.get("index")
            if isinstance(index, int) and 0 <= index < len(excel_rows):
                record.setdefault("row", excel_rows[index])
        data["project_name"] = inputs.project.get("name")
        data["file"] = Path(input).name
        data["messages"] = errors
        out(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        name = inputs.project.get("name")
        if name:
            out(str(name))
        print_headline(evaluation, errors)
    if errors:
        print_errors(errors)
        return EXIT_INPUT
    return EXIT_OK


COMMANDS = (new, demo, refresh, score)
