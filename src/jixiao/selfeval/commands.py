"""``jixiao import | audit | batch``: registered with the command line (``cli.PLUGINS``).

Exit codes as everywhere: 0 done (an audit that finds problems is still done: the findings are
its output), 2 the input needs fixing (Chinese messages naming file, sheet and cell on stderr;
for ``batch`` also when some files could not be read — they are listed, the rest is written).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..cli import EXIT_INPUT, EXIT_OK, Arg, register
from ..scoring import Params, ParamsError, load_pack
from ..workbook.errors import WorkbookInputError
from . import messages as msg


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _params(pack: str | None) -> Params:
    if not pack:
        return Params()
    try:
        return load_pack(pack)
    except ParamsError as exc:
        raise WorkbookInputError(str(exc)) from None


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    return f"{v:g}" if isinstance(v, float) else str(v)


# --------------------------------------------------------------------------------------------
def _audit(args: argparse.Namespace) -> int:
    from .files import audit_file

    audits = audit_file(args.input, _params(args.pack), args.sheet)
    audit = audits[0]
    if len(audits) > 1:
        _err(msg.OTHER_SHEETS.format(name=Path(args.input).name, sheets="、".join(a.table.sheet for a in audits[1:])))
    if args.json:
        _out(json.dumps(audit.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    t = audit.table
    _out(msg.AUDIT_HEAD.format(file=t.file, sheet=t.sheet, name=t.project.get("name") or ""))
    _out(msg.AUDIT_TOTALS.format(reported=_fmt(audit.reported_total), rule=_fmt(audit.rule_total),
                                 grade=audit.grade or "—"))
    flags = audit.flags
    if not flags:
        _out(msg.AUDIT_CLEAN)
        return EXIT_OK
    _out(msg.AUDIT_FLAGS.format(count=len(flags)))
    for f in flags:
        _out(msg.AUDIT_FLAG_LINE.format(label=msg.FLAG_LABELS.get(f.kind, f.kind),
                                        where=f"{f.cell}：" if f.cell else "", message=f.message))
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from .convert import default_output, import_table
    from .files import audit_file

    params = _params(args.pack)
    audits = audit_file(args.input, params, args.sheet)
    if len(audits) > 1:
        _err(msg.OTHER_SHEETS.format(name=Path(args.input).name, sheets="、".join(a.table.sheet for a in audits[1:])))
    output = Path(args.output) if args.output else default_output(Path(args.input))
    result = import_table(audits[0], output, params)
    _out(msg.IMPORT_DONE.format(path=result.output, sheet=msg.SHEET_REVIEW))
    if result.errors:
        for line in result.errors:
            _err("  " + line)
        return EXIT_INPUT
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    params = _params(args.pack)
    show = not args.quiet and sys.stderr.isatty()
    if show:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn(msg.BATCH_PROGRESS), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=Console(stderr=True), transient=True)
        task = bar.add_task(msg.BATCH_PROGRESS, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        with bar:
            result = run_batch(args.dir, args.output, args.jobs, params, progress)
    else:
        result = run_batch(args.dir, args.output, args.jobs, params)
    flags = sum(len(p.flags) for p in result.projects)
    _out(msg.BATCH_DONE.format(files=len(result.files), projects=len(result.projects), flags=flags,
                               seconds=result.seconds, path=result.output))
    if result.failed:
        _err(msg.BATCH_FAILED.format(count=len(result.failed), sheet=msg.SHEET_FAILED))
        for f in result.failed:
            _err(msg.BATCH_FAILED_LINE.format(file=f.file, error=f.error))
        return EXIT_INPUT
    return EXIT_OK


_PACK = Arg("--pack", default=None, help=msg.HELP_PACK)
register("import", msg.HELP_IMPORT, _import, Arg("input", help=msg.HELP_IMPORT_IN),
         Arg("-o", "--output", default=None, help=msg.HELP_IMPORT_OUT), Arg("--sheet", default=None, help=msg.HELP_SHEET),
         _PACK)
register("audit", msg.HELP_AUDIT, _audit, Arg("input", help=msg.HELP_AUDIT_IN),
         Arg("--json", action="store_true", help=msg.HELP_AUDIT_JSON), Arg("--sheet", default=None, help=msg.HELP_SHEET),
         _PACK)
register("batch", msg.HELP_BATCH, _batch, Arg("dir", help=msg.HELP_BATCH_DIR),
         Arg("-o", "--output", default=None, help=msg.HELP_BATCH_OUT),
         Arg("--jobs", "-j", type=int, default=None, help=msg.HELP_BATCH_JOBS),
         Arg("--quiet", "-q", action="store_true", help=msg.HELP_BATCH_QUIET), _PACK)
