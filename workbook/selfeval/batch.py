"""``jixiao batch``: every 自评表 and evaluation workbook in a folder → one portfolio workbook.

Speed is the point (a finance bureau reviews thousands of tables), so:

* files are read with python-calamine, never openpyxl (our own evaluation workbooks excepted:
  they go through the workbook package's reader, as ``jixiao score`` does);
* the rows of a whole chunk of files are scored in ONE engine call (``audit.score_chunk``): the
  engine's fixed cost per call is larger than the cost of a 15-row table;
* chunks run in worker processes (``--jobs``), forked on Linux so workers start with pandas and
  the engine already imported; results come back as small plain records.

A file that cannot be read becomes a line of the 未能读取 sheet with its Chinese error; it never
stops the batch.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ...scoring import Params
from ..errors import WorkbookInputError
from ..safe_write import is_backup
from . import messages as msg
from .audit import Audit, audit_tables
from .files import is_own_workbook
from .layout import SelfEvalTable, parse_sheet
from .reader import SUFFIXES, Workbook

MAX_CHUNK = 40


@dataclass
class FlagLine:
    sheet: str
    cell: str
    indicator: str
    kind: str
    message: str


@dataclass
class ProjectLine:
    """One project of the portfolio (a 自评表 sheet or one of our evaluation workbooks)."""

    file: str
    sheet: str
    kind: str  # messages.KIND_SELF_TABLE | KIND_WORKBOOK
    department: str | None
    unit: str | None
    name: str | None
    year: Any
    budget: float | None
    executed: float | None
    rate: float | None
    reported_total: float | None
    rule_total: float | None
    grade: str | None
    counts: dict[str, int] = field(default_factory=dict)
    flags: list[FlagLine] = field(default_factory=list)


@dataclass
class FileResult:
    file: str  # relative to the batch folder
    lines: list[ProjectLine] = field(default_factory=list)
    error: str | None = None


@dataclass
class BatchResult:
    output: Path
    files: list[FileResult]
    seconds: float
    backup: Path | None = None  # the earlier output, when --force replaced it

    @property
    def projects(self) -> list[ProjectLine]:
        return [line for f in self.files for line in f.lines]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error]


# --------------------------------------------------------------------------------------------
def discover(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Spreadsheets under ``folder`` (recursive), skipping Excel/WPS lock files and our temp files."""
    skip = {p.resolve() for p in exclude if p.exists()}
    found = []
    for path in folder.rglob("*"):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith(("~$", ".~")) or not path.is_file():
            continue
        if is_backup(path):  # name.bak.xlsx, name.bak2.xlsx: jixiao's copies of a file already in the folder
            continue
        if path.resolve() in skip:
            continue
        found.append(path)
    return sorted(found, key=lambda p: str(p.relative_to(folder)))


def _line_from_audit(rel: str, a: Audit) -> ProjectLine:
    t = a.table
    names = {r.row: r.level3 or "" for r in a.rows}
    flags = [FlagLine(t.sheet, f.cell, msg.BUDGET_LABEL if a.budget and f.row == a.budget.row and f.kind not in
                      ("total_mismatch", "weights_total") else names.get(f.row, ""), f.kind, f.message)
             for f in a.flags]
    b = a.budget
    return ProjectLine(rel, t.sheet, msg.KIND_SELF_TABLE, t.project.get("department"), t.project.get("unit"),
                       t.project.get("name"), t.project.get("year"), b.adjusted if b else None,
                       b.executed if b else None, b.rule_rate if b else None, a.reported_total, a.rule_total,
                       a.grade, a.counts(), flags)


def _own_workbook(path: Path, rel: str) -> ProjectLine:
    """One of our evaluation workbooks: scored like ``jixiao score`` (no reported total)."""
    from ...scoring import model as m
    from ..refresh import score_file

    inputs, ev, errors = score_file(path)
    flags = [FlagLine("指标体系", f"指标体系!{_row_ref(f.row)}" if f.row is not None else "", f.indicator or "",
                      "engine", f"{f.message}" + ("（未填写原因）" if f.reason_required and not f.reason_present else ""))
             for f in ev.flags]
    flags += [FlagLine("指标体系", "", "", "unreadable_value", e) for e in errors]
    counts: dict[str, int] = {}
    for f in flags:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    b = ev.budget.completed()
    p = inputs.project
    return ProjectLine(rel, "指标体系", msg.KIND_WORKBOOK, p.get("department"), p.get("unit"), p.get("name"),
                       p.get("year"), b.adjusted, b.executed, ev.rates.get(m.RATE_EXECUTION), None, ev.total,
                       ev.grade, counts, flags)


def _row_ref(row: Any) -> str:
    try:
        return f"A{int(row)}"
    except (TypeError, ValueError):
        return ""


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, WorkbookInputError):
        return "；".join(exc.messages)
    return f"程序内部错误：{type(exc).__name__}: {exc}"


def process_chunk(paths: Sequence[str], root: str, params: Params) -> list[FileResult]:
    """Read, parse and audit a chunk of files; runs in a worker process."""
    results: list[FileResult] = []
    pending: list[tuple[FileResult, list[SelfEvalTable]]] = []
    base = Path(root)
    for p in paths:
        path = Path(p)
        rel = str(path.relative_to(base)) if path.is_relative_to(base) else path.name
        result = FileResult(rel)
        results.append(result)
        try:
            with Workbook(path) as book:
                if is_own_workbook(book.sheet_names):
                    book.close()
                    result.lines.append(_own_workbook(path, rel))
                    continue
                tables = [t for t in (parse_sheet(path.name, s, book.grid(s)) for s in book.sheet_names) if t]
            if not tables:
                result.error = msg.NO_TABLE.format(name=path.name)
                continue
            pending.append((result, tables))
        except Exception as exc:  # one bad file never stops the batch
            result.error = _error_text(exc)
    flat = [t for _, tables in pending for t in tables]
    try:
        audits = audit_tables(flat, params)
    except Exception:  # isolate the file that breaks the shared engine call
        audits = []
        for result, tables in pending:
            try:
                audits.extend(audit_tables(tables, params))
            except Exception as exc:
                result.error = _error_text(exc)
                audits.extend([None] * len(tables))  # type: ignore[list-item]
    k = 0
    for result, tables in pending:
        for _ in tables:
            a = audits[k]
            k += 1
            if a is not None and not result.error:
                result.lines.append(_line_from_audit(result.file, a))
    return results


def _chunks(items: list[str], jobs: int) -> list[list[str]]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(items) / max(1, jobs * 4))))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork") if "fork" in methods and sys.platform != "darwin" else mp.get_context()


def run_batch(folder: str | Path, output: str | Path | None = None, jobs: int | None = None,
              params: Params | None = None, progress: Callable[[int, int], None] | None = None,
              force: bool = False) -> BatchResult:
    """Audit/score every file under ``folder`` and write the portfolio workbook to ``output``.

    ``progress(done, total)`` is called as files complete (the command line draws a bar with it).
    The output follows ``safe_write`` (checked and locked before any file is read): an existing
    file is replaced only when it is an unedited jixiao product, or with ``force`` (backed up first).
    """
    from .. import safe_write

    root = Path(folder)
    if not root.is_dir():
        raise WorkbookInputError(msg.NOT_A_DIR.format(path=root))
    out = Path(output) if output else root / "汇总.xlsx"
    safe_write.check_output(out)
    if out.suffix.lower() != ".xlsx":
        raise WorkbookInputError(msg.OUTPUT_SUFFIX.format(path=out))
    with safe_write.target(out, force=force, product=True) as target:
        result = _run_batch(root, out, target.path, jobs, params, progress)
    result.backup = target.backup
    return result


def _run_batch(root: Path, out: Path, real_out: Path, jobs: int | None, params: Params | None,
               progress: Callable[[int, int], None] | None) -> BatchResult:
    from .portfolio import write_portfolio

    start = time.perf_counter()
    files = [str(p) for p in discover(root, exclude=[out, real_out])]
    if not files:
        raise WorkbookInputError(msg.NO_FILES.format(path=root))
    params = params or Params()
    jobs = max(1, jobs or os.cpu_count() or 1)
    chunks = _chunks(files, jobs)
    results: list[FileResult] = []
    done = 0
    if progress:
        progress(0, len(files))
    if jobs == 1 or len(chunks) == 1:
        for chunk in chunks:
            results.extend(process_chunk(chunk, str(root), params))
            done += len(chunk)
            if progress:
                progress(done, len(files))
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=_context()) as pool:
            futures = {pool.submit(process_chunk, chunk, str(root), params): chunk for chunk in chunks}
            waiting = set(futures)
            while waiting:
                finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for fut in finished:
                    chunk = futures[fut]
                    try:
                        results.extend(fut.result())
                    except Exception as exc:  # a worker died: its files fail, the batch goes on
                        base = Path(root)
                        results.extend(FileResult(str(Path(p).relative_to(base)), error=_error_text(exc)) for p in chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, len(files))
    results.sort(key=lambda r: r.file)
    write_portfolio(results, real_out, params)
    return BatchResult(out, results, time.perf_counter() - start)
