"""``jixiao report`` and ``jixiao check-report``: registered with the CLI (module path in ``cli.PLUGINS``).

Exit codes follow the CLI's contract: 0 done / all numbers match; 2 the user's files need attention
(input errors, or — for ``check-report`` — numbers in the report that differ from the workbook);
1 only for an unexpected internal error.  So a reviewer's script can treat 2 as "send it back".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import EXIT_INPUT, EXIT_OK, Arg, register
from .scoring.report import LAYOUT_DEPARTMENT, LAYOUTS
from .workbook import messages as msg
from .workbook.errors import WorkbookInputError


def _out(text: str) -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _scored(path: str, layout: str):
    """Read and score the workbook; refuse (exit 2) when it does not score cleanly."""
    from .workbook.refresh import score_file
    from .workbook.report_sheet import report_for_inputs

    inputs, evaluation, errors = score_file(path)
    if errors or evaluation.total is None:
        raise WorkbookInputError([msg.REPORT_NOT_SCORED, *("  " + e for e in errors)])
    return report_for_inputs(inputs, evaluation, errors, layout)


def _check_docx_file(path: Path) -> None:
    import zipfile

    if not path.exists():
        raise WorkbookInputError(msg.FILE_NOT_FOUND.format(path=path))
    if not zipfile.is_zipfile(path):
        raise WorkbookInputError(msg.REPORT_NOT_DOCX.format(name=path.name))
    with zipfile.ZipFile(path) as zf:
        if "word/document.xml" not in zf.namelist():
            raise WorkbookInputError(msg.REPORT_NOT_DOCX.format(name=path.name))


def default_report_path(workbook: Path) -> Path:
    return workbook.with_name(f"{workbook.stem}{msg.REPORT_SUFFIX}.docx")


def run_report(args: argparse.Namespace) -> int:
    from .workbook.docx import write_docx

    source = Path(args.input)
    target = Path(args.output) if args.output else default_report_path(source)
    if target.suffix.lower() != ".docx":
        raise WorkbookInputError(msg.REPORT_OUT_SUFFIX)
    report = _scored(args.input, args.layout)
    write_docx(report, target)
    _out(msg.REPORT_DONE.format(layout=args.layout, path=target))
    f = report.findings
    own = len(f.own_problems) + len(f.own_suggestions)
    generated = len(f.to_report("problem")) + len(f.to_report("suggestion"))
    _out(msg.REPORT_FINDINGS.format(problems=len(f.own_problems) + len(f.to_report("problem")),
                                    suggestions=len(f.own_suggestions) + len(f.to_report("suggestion")),
                                    own=own, generated=generated))
    for notice in f.notices:
        _err(msg.REPORT_NOTICE.format(text=notice.sentence))
    placeholders = sum(1 for s in report.walk() for p in s.paras if p.origin == "placeholder")
    if placeholders:
        _err(msg.REPORT_PLACEHOLDERS.format(count=placeholders))
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    from .report_check import check_docx

    path = Path(args.report)
    _check_docx_file(path)
    report = _scored(args.input, LAYOUT_DEPARTMENT)
    try:
        result = check_docx(report, path)
    except WorkbookInputError:
        raise
    except Exception as exc:  # python-docx raises various errors on damaged files
        raise WorkbookInputError(msg.REPORT_NOT_DOCX.format(name=path.name) + f"（{type(exc).__name__}）") from None
    if result.differences:
        _out(msg.CHECK_HEADER.format(count=len(result.differences)))
        for d in result.differences:
            _out(msg.CHECK_DIFF.format(label=d.label, found=d.found, expected=d.expected, source=d.source,
                                       context=d.context))
    if result.missing:
        _out(msg.CHECK_MISSING_HEADER.format(count=len(result.missing)))
        for c in result.missing:
            _out(msg.CHECK_MISSING.format(label=c.label, expected=c.expected.text, source=c.expected.source))
    if result.ok and not result.missing:
        _out(msg.CHECK_OK.format(checked=result.checked))
        return EXIT_OK
    _out(msg.CHECK_SUMMARY.format(checked=result.checked, diffs=len(result.differences), missing=len(result.missing)))
    failed = bool(result.differences) or (args.strict and bool(result.missing))
    return EXIT_INPUT if failed else EXIT_OK


register("report", msg.HELP_REPORT, run_report,
         Arg("input", help=msg.HELP_REPORT_IN),
         Arg("-o", "--output", default=None, help=msg.HELP_REPORT_OUT),
         Arg("--layout", default=LAYOUT_DEPARTMENT, choices=LAYOUTS, help=msg.HELP_REPORT_LAYOUT))
register("check-report", msg.HELP_CHECK, run_check,
         Arg("input", help=msg.HELP_CHECK_IN),
         Arg("report", help=msg.HELP_CHECK_REPORT),
         Arg("--strict", action="store_true", help=msg.HELP_CHECK_STRICT))
