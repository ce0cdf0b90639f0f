"""``jixiao report`` and ``jixiao check-report``: the evaluation result report (Word).

Exit codes follow the CLI's contract: 0 done / all numbers match; 2 the user's files need attention
(input errors, or — for ``check-report`` — numbers in the report that differ from the workbook);
1 only for an unexpected internal error.  So a reviewer's script can treat 2 as "send it back".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..scoring.model import LAYOUT_DEPARTMENT, LAYOUTS
from ..workbook import messages as msg
from ..workbook.errors import WorkbookInputError
from .base import EXIT_INPUT, EXIT_OK, Choice, command, err, out


def _scored(path: str, layout: str) -> Any:
    """Read and score the workbook; refuse (exit 2) when it does not score cleanly."""
    from ..workbook.refresh import score_file
    from ..workbook.report_sheet import report_for_inputs, stale_message, stale_results

    inputs, evaluation, errors = score_file(path)
    if errors or evaluation.total is None:
        raise WorkbookInputError([msg.REPORT_NOT_SCORED, *("  " + e for e in errors)])
    stale = stale_results(path, inputs, evaluation)
    if stale:  # the sheet a reviewer holds shows other numbers than the report will: say so, go on
        err(stale_message(stale))
    return report_for_inputs(inputs, evaluation, errors, layout)


def _check_docx_file(path: Path) -> None:
    import zipfile

    from ..workbook.safe_write import check_input

    check_input(path)  # missing, a folder, a pipe or device, unreadable: said so (a pipe would block)
    if not zipfile.is_zipfile(path):
        raise WorkbookInputError(msg.REPORT_NOT_DOCX.format(name=path.name))
    with zipfile.ZipFile(path) as zf:
        if "word/document.xml" not in zf.namelist():
            raise WorkbookInputError(msg.REPORT_NOT_DOCX.format(name=path.name))


def default_report_path(workbook: Path) -> Path:
    return workbook.with_name(f"{workbook.stem}{msg.REPORT_SUFFIX}.docx")


@command("report", msg.HELP_REPORT)
@click.argument("input", metavar=msg.METAVAR_WORKBOOK, help=msg.HELP_REPORT_IN)
@click.option("-o", "--output", default=None, metavar=msg.METAVAR_DOCX, help=msg.HELP_REPORT_OUT)
@click.option("--layout", type=Choice(LAYOUTS), default=LAYOUT_DEPARTMENT, help=msg.HELP_REPORT_LAYOUT)
@click.option("--force", is_flag=True, help=msg.HELP_FORCE_REPORT)
def report(input: str, output: str | None, layout: str, force: bool) -> int:
    from ..workbook import safe_write
    from ..workbook.docx import write_docx

    source = Path(input)
    safe_write.check_input(source)
    target = Path(output) if output else default_report_path(source)
    safe_write.check_output(target)
    if target.suffix.lower() != ".docx":
        raise WorkbookInputError(msg.REPORT_OUT_SUFFIX)
    # a report someone edited in Word is never replaced silently; one jixiao wrote and nobody saved is
    with safe_write.target(target, force=force, product=True) as written:
        drafted = _scored(input, layout)
        write_docx(drafted, written.path)
    out(msg.REPORT_DONE.format(layout=layout, path=target))
    if written.backup is not None:
        out(msg.BACKUP_DONE.format(path=written.backup))
    f = drafted.findings
    own = len(f.own_problems) + len(f.own_suggestions)
    generated = len(f.to_report("problem")) + len(f.to_report("suggestion"))
    out(msg.REPORT_FINDINGS.format(problems=len(f.own_problems) + len(f.to_report("problem")),
                                   suggestions=len(f.own_suggestions) + len(f.to_report("suggestion")),
                                   own=own, generated=generated))
    for notice in f.notices:
        err(msg.REPORT_NOTICE.format(text=notice.sentence))
    placeholders = sum(1 for s in drafted.walk() for p in s.paras if p.origin == "placeholder")
    if placeholders:
        err(msg.REPORT_PLACEHOLDERS.format(count=placeholders))
    return EXIT_OK


@command("check-report", msg.HELP_CHECK)
@click.argument("input", metavar=msg.METAVAR_WORKBOOK, help=msg.HELP_CHECK_IN)
@click.argument("report_file", metavar=msg.METAVAR_DOCX, help=msg.HELP_CHECK_REPORT)
@click.option("--strict", is_flag=True, help=msg.HELP_CHECK_STRICT)
def check_report(input: str, report_file: str, strict: bool) -> int:
    from ..workbook.report_check import check_docx
    from ..workbook.safe_write import check_input

    check_input(input)
    path = Path(report_file)
    _check_docx_file(path)
    drafted = _scored(input, LAYOUT_DEPARTMENT)
    try:
        result = check_docx(drafted, path)
    except WorkbookInputError:
        raise
    except Exception as exc:  # python-docx raises various errors on damaged files
        raise WorkbookInputError(msg.REPORT_NOT_DOCX.format(name=path.name) + f"（{type(exc).__name__}）") from None
    if result.checked == 0 or (result.checked <= 2 and len(result.missing) >= 10):
        # meeting minutes "checked" with 49 items not found and exit 0: not a report of this workbook
        raise WorkbookInputError(msg.CHECK_NOT_A_REPORT.format(name=path.name, workbook=Path(input).name,
                                                               found=result.checked,
                                                               total=result.checked + len(result.missing)))
    if result.differences:
        out(msg.CHECK_HEADER.format(count=len(result.differences)))
        for d in result.differences:
            out(msg.CHECK_DIFF.format(label=d.label, found=d.found, expected=d.expected, source=d.source,
                                      context=d.context))
    if result.missing:
        out(msg.CHECK_MISSING_HEADER.format(count=len(result.missing)))
        for c in result.missing:
            out(msg.CHECK_MISSING.format(label=c.label, expected=c.expected.text, source=c.expected.source))
    if result.ok and not result.missing:
        out(msg.CHECK_OK.format(checked=result.checked))
        return EXIT_OK
    out(msg.CHECK_SUMMARY.format(checked=result.checked, diffs=len(result.differences), missing=len(result.missing)))
    failed = bool(result.differences) or (strict and bool(result.missing))
    return EXIT_INPUT if failed else EXIT_OK


COMMANDS = (report, check_report)
