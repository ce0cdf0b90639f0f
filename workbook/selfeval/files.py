"""From a file to audits: find every 自评表 sheet, parse and audit them (``audit_file``)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ...scoring import Params
from ..errors import WorkbookInputError
from . import messages as msg
from .audit import Audit, audit_tables
from ..percent_cells import percent_formatted, percent_text, suspects
from .layout import IndicatorRow, SelfEvalTable, parse_sheet
from .reader import Workbook

OUR_SHEETS = ("项目信息", "指标体系")  # an evaluation workbook of our own (scored, not audited)


def read_tables(path: str | Path, sheet: str | None = None, book: Workbook | None = None) -> list[SelfEvalTable]:
    """Every 自评表 in a file (one per sheet), in sheet order; WorkbookInputError when there is none."""
    path = Path(path)
    own = book is None
    book = book or Workbook(path)
    try:
        if is_own_workbook(book.sheet_names):  # scored as a 自评表 it gave bogus totals and 36 problems
            raise WorkbookInputError(msg.OWN_WORKBOOK.format(name=path.name))
        tables = [t for t in (parse_sheet(path.name, name, book.grid(name)) for name in book.sheet_names)
                  if t is not None]
    finally:
        if own:
            book.close()
    if not tables:
        raise WorkbookInputError(msg.NO_TABLE.format(name=path.name))
    for table in tables:
        _percent_cells_as_text(path, table)
    if sheet is not None:
        chosen = [t for t in tables if t.sheet == sheet]
        if not chosen:
            raise WorkbookInputError(msg.NO_SUCH_SHEET.format(name=path.name, sheet=sheet,
                                                              present="、".join(t.sheet for t in tables)))
        return chosen
    return tables


def audit_file(path: str | Path, params: Params | None = None, sheet: str | None = None) -> list[Audit]:
    return audit_tables(read_tables(path, sheet), params)


def is_own_workbook(sheet_names: Sequence[str]) -> bool:
    return all(s in sheet_names for s in OUR_SHEETS)


def _percent_cells_as_text(path: Path, table: SelfEvalTable) -> None:
    """Numbers above 1 beside a percentage that sit in percent-formatted cells ("105%" shown, 1.05
    stored) become that text; the rest stay numbers for the engine to refuse (see ``percent_cells``)."""
    if "actual" not in table.cols and "target" not in table.cols:
        return
    wanted: dict[tuple[int, int], tuple[IndicatorRow, str]] = {}
    for r in table.rows:
        bad_target, bad_actual = suspects(r.target, r.actual)
        if bad_actual and "actual" in table.cols:
            wanted[(r.row, table.cols["actual"])] = (r, "actual")
        if bad_target and "target" in table.cols:
            wanted[(r.row, table.cols["target"])] = (r, "target")
    if not wanted:
        return
    for cell in percent_formatted(path, table.sheet, set(wanted)):
        r, name = wanted[cell]
        setattr(r, name, percent_text(getattr(r, name)))
