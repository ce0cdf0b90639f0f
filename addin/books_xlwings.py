"""``XlwingsBook``: the refresh pipeline's ``Book`` interface over the xlwings object model.

One adapter for every xlwings engine that has a workbook object:

* **desktop Excel** (Windows COM / macOS AppleScript) - the ribbon button, ``ribbon.main()``;
* **the remote engine** (``xw.Book(json=...)``: xlwings Server, xlwings Lite, the VBA/Office Scripts
  remote clients) - every call below only appends an *action* to ``book.json()``, which the client
  carries out in Excel after the script returns.

It decides nothing about *what* goes *where*: that is ``workbook.refresh.plan`` (shared with the
openpyxl file route).  It only makes sure that a block reaches the cells in as few Excel round
trips as possible, and that the number of round trips does not depend on the number of rows:

=====================  ==========================================================================
reading a sheet        ``used_range`` → last cell → ONE ``Range.value`` of A1:last cell
                       (``options(ndim=2, err_to_str=True)``: error cells come as "#DIV/0!");
                       not ``cells(1, 1).expand()``, which stops at the first empty row or column
                       (明细指标 and 2-row gaps are empty) - the used range works on every engine
a block                ONE ``Range.value = rows`` at its top-left cell
number formats         one ``Range.number_format`` per run of columns with the same format
clearing               ONE ``Range.clear_contents()``
a fresh sheet (汇总…)   ``Sheet.clear()`` (values + formats) and its charts deleted, or
                       ``sheets.add``; then ALL of its blocks as ONE rectangle (the gaps between
                       blocks are empty cells of an emptied sheet anyway), and its number formats
                       as runs per column
=====================  ==========================================================================

So the sample (26 indicator rows) and a 2,000-row workbook queue exactly the same remote actions
(``tests/test_xlwings_refresh.py``): with an Office.js client, on the first refresh, one
``setValues`` per written sheet (指标体系's computed block, 汇总, 评价报告), 13 ``setNumberFormat``, a
``sheetClear``/``addSheet`` per generated sheet, 2 ``namesAdd``, 4 ``setColumnWidth`` and one
``addChart`` - 25 in all at the time of writing.  On the desktop each of those is one
COM/AppleScript call, plus a handful per sheet read (used range, last cell, values) - none of it
per row.

Text is written as text: a string Excel would turn into something else when it is assigned to
``Range.Value`` (a formula "=...", a number "001", a date "2021年1月1日", a percentage, an error
"#N/A", TRUE/FALSE ...) gets a leading apostrophe, which Excel stores as the cell's prefix
character and not as part of the value - what a user types to keep "001" as text.

What only live Excel can do beyond values (``finish``): the 一级 bar chart of 汇总 (from
``SummaryLayout``), 汇总's column widths, and the defined names ``jx_total``/``jx_grade``.  The
chart and the widths need Excel desktop or the Office.js client (xlwings Server add-in / xlwings
Lite): the VBA (``Remote.bas``) and Office Scripts (``xlwings.ts``) remote clients shipped with
xlwings 0.37.8 have no ``addChart``/``deleteChart``/``setColumnWidth`` callbacks, so for them those
actions are not emitted (the values, formats and names are).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, Iterable, Sequence

import xlwings as xw

from ..workbook import layout as L
from ..workbook import summary as S
from ..workbook.books import Block, Book, Clear, EnsureSheet, Operation, plain

CHART_NAME = "jx_level1_chart"
CHART_TYPE = "column_clustered"
GENERAL = "General"

# Remote clients whose action callbacks include charts and column widths (see module docstring).
FULL_CLIENTS = frozenset({"Office.js"})

# A string Excel would not keep as the same text when assigned to Range.Value: formula/sign
# starters (also full-width, which Chinese IMEs produce), a leading apostrophe (Excel would eat
# it), error-like "#…", anything starting like a number/currency/date (including full-width
# digits, which Excel converts too), and the booleans.
_NEEDS_PREFIX = re.compile(
    r"^\s*(?:[=+\-@'#＝＋－.,(（$¥￥€£%0-9０-９]|(?i:true|false|真|假)\s*$)"
)


def excel_text(value: str) -> str:
    """``value`` as it must be assigned to ``Range.Value`` to stay exactly this text."""
    return "'" + value if _NEEDS_PREFIX.match(value) else value


def cell_value(value: Any) -> Any:
    """What ``Range.value`` is given for one cell of a block (None empties the cell)."""
    value = plain(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return excel_text(value) if value else None
    if isinstance(value, (int, float, datetime, date, time)):
        return value
    return excel_text(str(value))


def _rect(values: Sequence[Sequence[Any]]) -> list[list[Any]]:
    width = max((len(r) for r in values), default=0)
    return [[cell_value(v) for v in r] + [None] * (width - len(r)) for r in values]


def _chars_to_points(chars: float) -> float:
    """Excel column width in characters → points (Calibri/等线 11: 7 px per char + 5 px padding)."""
    return round((chars * 7 + 5) * 0.75, 2)


class XlwingsBook(Book):
    """``workbook.books.Book`` over an ``xw.Book`` (desktop or remote engine)."""

    def __init__(self, book: xw.Book) -> None:
        self.book = book
        self.remote = book.app.engine.name == "remote"
        self.client = book.impl.api.get("client") if self.remote else None
        # charts / column widths: desktop Excel, or a remote client that implements them
        self.full = (not self.remote) or self.client in FULL_CLIENTS
        self._names: list[str] | None = None
        self._extent: dict[str, int] = {}  # rows of a sheet as read (trailing empty rows cut)
        self._fresh: set[str] = set()  # sheets emptied by this adapter (jixiao owns them)

    # ---------------------------------------------------------------- helpers
    def _sheet(self, name: str) -> Any:
        return self.book.sheets[name]

    # ---------------------------------------------------------------- reading
    def sheet_names(self) -> list[str]:
        if self._names is None:
            self._names = [s.name for s in self.book.sheets]
        return list(self._names)

    def read_values(self, sheet: str) -> list[list[Any]]:
        sh = self._sheet(sheet)
        last = sh.used_range.last_cell
        nrows, ncols = last.row, last.column
        rows = sh.range((1, 1), (nrows, ncols)).options(ndim=2, err_to_str=True).value or []
        rows = [list(r) for r in rows]
        while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
            rows.pop()
        self._extent[sheet] = len(rows)
        return rows

    # ---------------------------------------------------------------- writing
    def write_values(self, sheet: str, row: int, col: int, values: list[list[Any]]) -> None:
        grid = _rect(values)
        if not grid or not grid[0]:
            return
        self._sheet(sheet).range((row, col)).value = grid

    def set_number_formats(self, sheet: str, row: int, col: int, formats: Sequence[str | None],
                           nrows: int) -> None:
        """One ``number_format`` per run of adjacent columns that share a format."""
        if nrows <= 0:
            return
        sh = self._sheet(sheet)
        j = 0
        while j < len(formats):
            fmt = formats[j]
            k = j
            while k + 1 < len(formats) and formats[k + 1] == fmt:
                k += 1
            if fmt:
                sh.range((row, col + j), (row + nrows - 1, col + k)).number_format = fmt
            j = k + 1

    def clear(self, sheet: str, row: int, col: int, last_row: int | None, last_col: int) -> None:
        if last_row is None:
            last_row = self._extent.get(sheet)
            if last_row is None:
                last_row = self._sheet(sheet).used_range.last_cell.row
        if last_row < row or last_col < col:
            return
        self._sheet(sheet).range((row, col), (last_row, last_col)).clear_contents()

    def ensure_sheet(self, name: str, fresh: bool = False) -> bool:
        names = self.sheet_names()
        if name in names:
            if not fresh:
                return False
            sh = self._sheet(name)
            sh.clear()  # values and formats; merges go with the formats
            if self.full:
                for chart in reversed(list(sh.charts)):
                    chart.delete()
            self._fresh.add(name)
            self._extent[name] = 0
            return True
        self.book.sheets.add(name=name, after=self.book.sheets[len(names) - 1])
        self._names = names + [name]
        self._fresh.add(name)
        self._extent[name] = 0
        return True

    def save(self) -> None:
        """Desktop: ``Book.save()``.  Remote: nothing - the client applies the actions to the open
        workbook, and saving is the user's (or Excel Online's autosave's) business."""
        if not self.remote:
            self.book.save()

    # ---------------------------------------------------------------- the plan
    def apply(self, operations: Iterable[Operation]) -> None:
        """Carry out a refresh plan; blocks on a sheet emptied here are merged into one write."""
        pending: dict[str, list[Block]] = {}
        for op in operations:
            if isinstance(op, EnsureSheet):
                self._flush(op.name, pending)
                self.ensure_sheet(op.name, op.fresh)
                if op.fresh:
                    pending[op.name] = []
            elif isinstance(op, Clear):
                self._flush(op.sheet, pending)
                self.clear(op.sheet, op.row, op.col, op.last_row, op.last_col)
            elif op.sheet in pending:
                pending[op.sheet].append(op)
            else:
                self.write_values(op.sheet, op.row, op.col, op.values)
                if op.formats and any(op.formats):
                    self.set_number_formats(op.sheet, op.row, op.col, op.formats, op.nrows)
        for sheet in list(pending):
            self._flush(sheet, pending)

    def _flush(self, sheet: str, pending: dict[str, list[Block]]) -> None:
        blocks = pending.pop(sheet, None)
        if not blocks:
            return
        top = min(b.row for b in blocks)
        left = min(b.col for b in blocks)
        bottom = max(b.last_row for b in blocks)
        right = max(b.last_col for b in blocks)
        grid: list[list[Any]] = [[None] * (right - left + 1) for _ in range(bottom - top + 1)]
        wanted: dict[int, dict[int, str]] = {}  # column → row → format
        for b in blocks:
            rect = _rect(b.values)
            for i, line in enumerate(rect):
                grid[b.row - top + i][b.col - left:b.col - left + len(line)] = line
            if b.formats:
                for j, fmt in enumerate(b.formats):
                    if fmt and fmt != GENERAL:  # General is what an emptied sheet has
                        for i in range(b.nrows):
                            wanted.setdefault(b.col + j, {})[b.row + i] = fmt
        self._sheet(sheet).range((top, left)).value = grid
        self._extent[sheet] = bottom
        for col in sorted(wanted):
            for first, last, fmt in _runs(wanted[col], lambda r, c=col: grid[r - top][c - left]):
                self._sheet(sheet).range((first, col), (last, col)).number_format = fmt

    # ---------------------------------------------------------------- after the plan
    def finish(self, summary: S.SummaryLayout) -> None:
        """What only live Excel gets beyond values: names, and (desktop / Office.js) 汇总's column
        widths and the 一级 bar chart - the openpyxl decorate step's counterparts."""
        self._defined_names()
        if not self.full or S.SHEET not in self._fresh:
            return
        sh = self._sheet(S.SHEET)
        widths = L.SUMMARY_WIDTHS
        j = 0
        while j < len(widths):  # one call per run of equal widths: A, B, C:E, F
            k = j
            while k + 1 < len(widths) and widths[k + 1] == widths[j]:
                k += 1
            width = widths[j] if not self.remote else _chars_to_points(widths[j])
            sh.range(f"{_col(j + 1)}:{_col(k + 1)}").column_width = width
            j = k + 1
        self._chart(sh, summary)

    def _chart(self, sh: Any, summary: S.SummaryLayout) -> None:
        if summary.level1_last_row < summary.level1_first_row:
            return
        header = summary.level1_first_row - 1
        # 一级指标 (categories) | 分值 | 得分 with their header row: two series named by the headers
        source = sh.range((header, 2), (summary.level1_last_row, 4))
        total_chars = sum(L.SUMMARY_WIDTHS)
        width = (total_chars * 7 + 5 * L.SUMMARY_COLUMNS) * 0.75
        height = S.CHART_ROWS * 15 - 6
        sh.charts.add(width=width, height=height, chart_type=CHART_TYPE, source=source, plot_by="columns",
                      name=CHART_NAME, anchor=sh.range((summary.chart_row, 1)))

    def _defined_names(self) -> None:
        names = self.book.names
        for name, (row, col) in ((L.NAME_TOTAL, L.SUMMARY_TOTAL_CELL), (L.NAME_GRADE, L.SUMMARY_GRADE_CELL)):
            if not names.contains(name):
                names.add(name, "=" + L.abs_ref(S.SHEET, row, col))


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _runs(by_row: dict[int, str], value_at: Any) -> list[tuple[int, int, str]]:
    """Rows needing a format → (first, last, format) ranges.  A run of one format continues over
    rows in between whose cell is empty or text (a number format does not change either), so a
    table split by a blank line or a chart gap is still one call."""
    rows = sorted(by_row)
    out: list[tuple[int, int, str]] = []
    for r in rows:
        fmt = by_row[r]
        if out and out[-1][2] == fmt:
            first, last, _ = out[-1]
            between = range(last + 1, r)
            if all(_format_neutral(value_at(x)) for x in between):
                out[-1] = (first, r, fmt)
                continue
        out.append((r, r, fmt))
    return out


def _format_neutral(value: Any) -> bool:
    return value is None or isinstance(value, str)
