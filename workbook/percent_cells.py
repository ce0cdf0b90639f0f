"""Excel numbers beside a percentage: which of them sit in cells formatted as percent.

A cell formatted as percent holds 0.85 for 85% and 1.05 for 105%; a number typed into a General
cell beside a target of "≥90%" (85, 91.2) means 85% but was typed without its "%".  The engine
cannot tell 1.05 (105% in a percent cell) from 1.05 typed bare: it reads numbers between 0 and 1
as fractions and refuses the rest with a message.  Adapters that can see number formats look up
only the few cells the engine would refuse, and hand a percent-formatted one over as "105%" text:
the value the person saw.  Reading formats costs a pass over the sheet, so it is done only when
such cells exist, for their bounding box: the workbook refresh looks up every numeric target and
actual (80% typed into a cell is stored as 0.8 and should print as 80%); the 自评表 audit, which
reads thousands of files with calamine, only the numbers it would otherwise refuse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

Cell = tuple[int, int]  # (row, column), 1-based


def is_number(v: Any) -> bool:
    """An Excel number (not TRUE/FALSE, not NaN)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v


def _is_percent_text(v: Any) -> bool:
    return isinstance(v, str) and ("%" in v or "％" in v)


def _outside_fraction(v: Any) -> bool:
    return is_number(v) and (v > 1 or v < 0)


def suspects(target: Any, actual: Any) -> tuple[bool, bool]:
    """(the target, the actual) is a number the engine would refuse beside a percentage."""
    return (_outside_fraction(target) and _is_percent_text(actual),
            _outside_fraction(actual) and _is_percent_text(target))


def percent_text(value: float) -> str:
    """1.05 → "105%": the text Excel shows in a percent cell, read back by the engine as 1.05."""
    return f"{value * 100:.10g}%"


def percent_formatted(path: str | Path, sheet: str, cells: Iterable[Cell]) -> set[Cell]:
    """The cells among ``cells`` whose number format shows a percentage (.xlsx/.xlsm only)."""
    wanted = set(cells)
    path = Path(path)
    if not wanted or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    from openpyxl import load_workbook

    rows = [r for r, _ in wanted]
    cols = [c for _, c in wanted]
    found: set[Cell] = set()
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet not in wb.sheetnames:
            return set()
        ws = wb[sheet]
        for line in ws.iter_rows(min_row=min(rows), max_row=max(rows), min_col=min(cols), max_col=max(cols)):
            for cell in line:
                position = (getattr(cell, "row", None), getattr(cell, "column", None))
                if position in wanted and "%" in str(getattr(cell, "number_format", "") or ""):
                    found.add(position)
    finally:
        wb.close()
    return found
