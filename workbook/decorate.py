"""The openpyxl-only drawing: fonts, fills, borders, merges, print setup and the 汇总 bar chart.

Values reach cells through the backend-agnostic plan (``refresh.py``); this module only dresses
them, and only for files.  A live Excel workbook was formatted by the template already, so the
xlwings adapter needs none of this.  Everything here is idempotent: refreshing twice draws the same.
"""

from __future__ import annotations

import re
import unicodedata
from copy import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.hyperlink import Hyperlink

from . import layout as L
from . import messages as msg
from . import summary as S
from .books import Block

THIN = Side(style="thin", color="FFBFBFBF")
MEDIUM = Side(style="medium", color="FF1F4E79")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL_COMPUTED = PatternFill("solid", fgColor=L.FILL_COMPUTED)
FILL_HEADER = PatternFill("solid", fgColor=L.FILL_HEADER_INPUT)
FILL_HEADER_COMPUTED = PatternFill("solid", fgColor=L.FILL_HEADER_COMPUTED)
FILL_SECTION = PatternFill("solid", fgColor=L.FILL_SECTION)
FILL_LABEL = PatternFill("solid", fgColor="FFF2F2F2")
NO_FILL = PatternFill(fill_type=None)


def font(size: float = L.FONT_SIZE, bold: bool = False, color: str | None = None, italic: bool = False) -> Font:
    # charset 134 = GB2312: tells Excel/WPS the font is for Simplified Chinese
    return Font(name=L.FONT_NAME, sz=size, b=bold, i=italic, color=color, charset=134)


def set_default_font(wb: Any) -> None:
    """Make 等线 the workbook's Normal font, so cells users fill later look like ours.

    openpyxl has no public setter; its bootstrap (``Workbook._setup_styles``) is repeated with a
    different font.  Only called on a fresh workbook, before any cell has a style.
    """
    base = font()
    wb._fonts = IndexedList()
    wb._fonts.add(base)
    from openpyxl.styles.named_styles import NamedStyleList

    wb._named_styles = NamedStyleList()
    wb.add_named_style(NamedStyle(name="Normal", font=copy(base), border=Border(), builtinId=0))


# --------------------------------------------------------------------------------------------
# 指标体系
# --------------------------------------------------------------------------------------------
def style_indicator_rows(ws: Any, first: int, last: int, columns: dict[str, int] | None = None,
                         computed_only: bool = False, stamp: "Stamper | None" = None) -> None:
    """Input cells white, computed cells grey with their number formats; borders and wrapping."""
    columns = columns or {c.id: i for i, c in enumerate(L.INDICATOR_COLUMNS, start=1)}
    stamp = stamp or Stamper()
    for col in L.INDICATOR_COLUMNS:
        if col.id not in columns or (computed_only and not col.computed):
            continue
        j = columns[col.id]
        look = Look(fill=L.FILL_COMPUTED if col.computed else None, border="thin", wrap=col.wrap,
                    horizontal=None if col.wrap else ("center" if col.number_format or col.choices else None),
                    fmt=col.number_format)
        for r in range(first, last + 1):
            stamp(ws.cell(row=r, column=j), look)


# Line pitch over font size: LibreOffice draws the body text (10.5 pt, CJK font) 15.35 pt apart,
# measured on the rendered report sheet; 14 pt per line cut the last line of long paragraphs.
LINE_SPACING = 1.46
LINE_HEIGHT = L.FONT_SIZE * LINE_SPACING  # points per text line at the body font size


def lines_height(lines: int, size: float = L.FONT_SIZE) -> float:
    """Row height (points) that shows ``lines`` lines of ``size``-pt text, with the cell's padding."""
    return lines * size * LINE_SPACING + 4


def fit_row_heights(ws: Any, first: int, last: int, min_height: float = 18.0) -> None:
    """Give rows with wrapped text the height their longest cell needs.

    LibreOffice (and WPS) do not auto-fit row heights of an .xlsx on opening, so a file written
    headless sets them; Excel users can still auto-fit by double-clicking the row border.
    """
    widths: dict[int, float] = {}

    def column_width(c: int) -> float:
        if c not in widths:
            widths[c] = ws.column_dimensions[get_column_letter(c)].width or 8.43
        return widths[c]

    # a merged cell wraps over the width of all its columns, not of its first one
    merged_width = {(rng.min_row, rng.min_col): sum(column_width(c) for c in range(rng.min_col, rng.max_col + 1))
                    for rng in ws.merged_cells.ranges if rng.min_row <= last and rng.max_row >= first}
    row_cells = ws._cells
    max_col = ws.max_column
    for r in range(first, last + 1):
        lines, height = 1, min_height
        for c in range(1, max_col + 1):
            cell = row_cells.get((r, c))
            if cell is None or cell.value is None or not cell.alignment.wrap_text:
                continue
            text = str(cell.value)
            size = float(cell.font.sz or L.FONT_SIZE) if cell.font is not None else L.FONT_SIZE
            chars = merged_width.get((r, c)) or column_width(c)
            width = chars * 11.0 / size  # column widths are in characters of the 11-pt default font
            cell_lines = sum(_text_lines(part, width) for part in text.split("\n"))
            lines = max(lines, cell_lines)
            height = max(height, lines_height(cell_lines, size))
        if lines > 1 or ws.row_dimensions[r].height is not None:
            ws.row_dimensions[r].height = height


def sync_table(ws: Any, name: str, header_row: int, first_col: int, last_col: int, last_row: int) -> None:
    """Stretch an Excel table over the rows in use; rebuild its columns if the header changed."""
    table = ws.tables.get(name)
    if table is None:
        return
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    max_row = max(max_row, last_row, header_row + 1)
    max_col = max(max_col, last_col)
    ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
    table.ref = ref
    if table.autoFilter is not None:
        table.autoFilter.ref = ref
    headers = [ws.cell(row=min_row, column=c).value for c in range(min_col, max_col + 1)]
    if [tc.name for tc in table.tableColumns] != [str(h) for h in headers]:
        table.tableColumns = [TableColumn(id=i, name=str(h)) for i, h in enumerate(headers, start=1)]


def after_refresh(wb: Any, the_plan: Any, table: Any) -> None:
    """Dress what the refresh wrote: computed cells of new rows, the table range, 汇总."""
    ws = wb[L.SHEET_INDICATORS]
    block: Block | None = the_plan.computed_block
    if table.write_headers:
        for k, col in enumerate(L.INDICATOR_OUTPUTS):
            _header_cell(ws.cell(row=table.header_row, column=table.computed_col + k), computed=True)
    if block is not None:
        style_indicator_rows(ws, block.row, block.last_row, table.columns, computed_only=True)
        fit_row_heights(ws, block.row, block.last_row)
        last_col = get_column_letter(table.computed_col + len(L.INDICATOR_OUTPUTS) - 1)
        ws.print_area = f"A1:{last_col}{block.last_row}"
        sync_table(ws, L.TABLE_INDICATORS, table.header_row, 1, table.computed_col + len(L.INDICATOR_OUTPUTS) - 1,
                   block.last_row)
    draw_summary(wb, the_plan.summary)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    summary_ws = wb[L.SHEET_SUMMARY]
    summary_ws.sheet_view.tabSelected = True
    wb.active = wb.index(summary_ws)


def _header_cell(cell: Any, computed: bool) -> None:
    cell.font = font(bold=True, color=L.FONT_HEADER_COLOR)
    cell.fill = FILL_HEADER_COMPUTED if computed else FILL_HEADER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = BORDER


# --------------------------------------------------------------------------------------------
# 汇总
# --------------------------------------------------------------------------------------------
def _merge_row(ws: Any, row: int, first: int = 1, last: int = L.SUMMARY_COLUMNS) -> None:
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


@lru_cache(maxsize=None)
def _char_units(ch: str) -> int:
    """Width of a character in units of a Latin digit: CJK, the symbols a CJK font draws full
    width (East Asian "ambiguous": ≤ ≥ × “ ” …) and "%" (about two digits wide) count double."""
    return 2 if ch == "%" or unicodedata.east_asian_width(ch) in "WFA" else 1


@lru_cache(maxsize=8192)
def _text_lines(text: str, width_units: float) -> int:
    """Lines a wrapped text needs in a cell ``width_units`` characters wide.

    Wraps the way spreadsheet programs do: at spaces and beside CJK characters, never inside a
    run of Latin letters, digits and symbols ("≤10%:60%;" moves to the next line whole), so a
    cell of short stepped bands needs more lines than its character count suggests.  Too many
    lines leave white space; too few hide text.  The factor 1.1 (digit units per character of
    column width) is measured: it reproduces the line breaks LibreOffice draws in the sample's
    指标体系 sheet (CJK font at 10.5 pt; 汇总, 项目信息 and the report sheet checked by eye).
    Excel users can still auto-fit a row.  Cached: a table repeats its texts.
    """
    width = max(width_units * 1.1, 1.0)
    lines, used = 1, 0.0
    for token in _WRAP_TOKENS.findall(text):
        if token.isspace():
            used += len(token) if used else 0  # a space at a line's start is not drawn
            continue
        size = sum(map(_char_units, token))
        if used and used + size > width:
            lines, used = lines + 1, 0.0
        while size > width:  # a run longer than the line breaks inside
            lines, size = lines + 1, size - width
        used += size
    return lines


# break opportunities: whitespace; each CJK character on its own (closing punctuation such as
# "，。；：）" stays with the character before it); runs of everything else
_WRAP_TOKENS = re.compile(r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef][，。；：、）》」』”’！？,.;:)]*|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def draw_summary(wb: Any, layout: S.SummaryLayout) -> None:
    ws = wb[L.SHEET_SUMMARY]
    ws.sheet_view.showGridLines = False
    for i, width in enumerate(L.SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    total_width = sum(L.SUMMARY_WIDTHS)
    message_width = sum(L.SUMMARY_WIDTHS[2:5])
    stamp = Stamper()
    for block in layout.blocks:
        _draw_block(ws, block, total_width, message_width, stamp)
    _chart(ws, layout)
    _names(wb)

    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = "portrait"
    ps.fitToWidth = 1
    ps.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_area = f"A1:{get_column_letter(L.SUMMARY_COLUMNS)}{layout.last_row}"
    ws.oddFooter.center.text = msg.PAGE_FOOTER


@dataclass(frozen=True)
class Look:
    """A cell's whole style as a hashable value, so equal looks are built once and copied."""

    size: float = L.FONT_SIZE
    bold: bool = False
    color: str | None = None
    italic: bool = False
    fill: str | None = None
    border: str | None = None  # "thin" | "bottom" | None
    horizontal: str | None = None
    wrap: bool = False
    fmt: str | None = None


class Stamper:
    """Applies Looks; openpyxl hashes every style object on assignment, so after the first cell of a
    Look the style array is copied instead (the 2,000-row refresh spends 10× less time here)."""

    def __init__(self) -> None:
        self._arrays: dict[Look, Any] = {}

    def __call__(self, cell: Any, look: Look) -> None:
        quoted = bool(cell.has_style and cell.quotePrefix)  # "=…" text keeps its text marker
        array = self._arrays.get(look)
        if array is not None:
            cell._style = copy(array)
        else:
            cell.font = font(look.size, look.bold, look.color, look.italic)
            cell.fill = PatternFill("solid", fgColor=look.fill) if look.fill else NO_FILL
            cell.border = BORDER if look.border == "thin" else (Border(bottom=MEDIUM) if look.border == "bottom" else Border())
            cell.alignment = Alignment(horizontal=look.horizontal, vertical="center", wrap_text=look.wrap or None)
            cell.number_format = look.fmt or "General"
            cell.quotePrefix = False
            self._arrays[look] = copy(cell._style)
        if quoted:
            cell.quotePrefix = True


BLUE, GREY_TEXT, DARK, RED, LINK = "FF1F4E79", "FF7F7F7F", "FF404040", "FFC00000", "FF0563C1"
LABEL_FILL = "FFF2F2F2"


def _draw_block(ws: Any, block: Block, total_width: float, message_width: float, stamp: Stamper) -> None:
    role = block.role
    r0 = block.row
    ncols = L.SUMMARY_COLUMNS
    formats = list(block.formats or []) + [None] * ncols
    links = block.meta.get("links") or []
    for i in range(block.nrows):
        r = r0 + i
        line = [ws.cell(row=r, column=j + 1) for j in range(ncols)]
        looks: list[Look] = []
        for j in range(ncols):
            fmt = formats[j]
            if role == "title":
                look = Look(16, True, BLUE, horizontal="center")
            elif role == "subtitle":
                look = Look(10, color="FF595959", horizontal="center")
            elif role == "headline":
                big = j in (1, 3)
                look = Look(26 if big else (14 if j == 5 else 12), True, BLUE if big else DARK, border="bottom",
                            horizontal="left" if big or j == 5 else "right", fmt=fmt)
            elif role in ("note", "footer"):
                look = Look(9, color=GREY_TEXT, italic=role == "footer", wrap=True)
            elif role == "section":
                look = Look(12, True, BLUE, fill=L.FILL_SECTION, border="bottom")
            elif role == "kv":
                look = Look(fill=LABEL_FILL if j % 2 == 0 else None, border="thin",
                            horizontal="left" if j % 2 == 0 else "right", fmt=fmt)
            elif role == "table_header":
                look = Look(bold=True, color=L.FONT_HEADER_COLOR, fill=L.FILL_HEADER_INPUT, border="thin",
                            horizontal="center", wrap=True)
            elif role == "table":
                look = Look(border="thin", horizontal="center" if j == 0 else ("left" if j == 1 else "right"),
                            wrap=j == 1, fmt=fmt)
            elif role == "table_total":
                look = Look(bold=True, fill=LABEL_FILL, border="thin", horizontal="left" if j < 2 else "right", fmt=fmt)
            elif role == "flags":
                target = links[i] if i < len(links) else None
                missing = j == 5 and line[5].value == S.T_REASON[(True, False)]
                look = Look(bold=missing, color=RED if missing else (LINK if j == 0 and target is not None else None),
                            border="thin", horizontal="center" if j in (0, 5) else "left", wrap=True)
            elif role == "errors":
                look = Look(color=RED, wrap=True)
            else:
                look = Look(fmt=fmt)
            looks.append(look)
        for cell, look in zip(line, looks):
            stamp(cell, look)
        if role in ("title", "subtitle", "note", "footer", "section", "errors"):
            _merge_row(ws, r)
        if role in ("flags",) or (role == "table_header" and block.meta.get("merge_message")):
            _merge_row(ws, r, 3, 5)
        if role == "title":
            ws.row_dimensions[r].height = 30
        elif role == "headline":
            ws.row_dimensions[r].height = 42
        elif role == "section":
            ws.row_dimensions[r].height = 20
        elif role == "flags":
            lines = max(_text_lines(str(line[2].value or ""), message_width),
                        _text_lines(str(line[1].value or ""), L.SUMMARY_WIDTHS[1]))
            ws.row_dimensions[r].height = max(18, lines_height(lines))
            target = links[i] if i < len(links) else None
            if target is not None:
                line[0].hyperlink = Hyperlink(ref=line[0].coordinate, location=f"'{L.SHEET_INDICATORS}'!A{target}")
        elif role == "errors":
            ws.row_dimensions[r].height = lines_height(_text_lines(str(line[0].value or ""), total_width))


def _chart(ws: Any, layout: S.SummaryLayout) -> None:
    ws._charts = []
    if layout.level1_last_row < layout.level1_first_row:
        return
    header = layout.level1_first_row - 1
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = None  # the section heading above names it; the plot gets the room
    chart.style = 10
    chart.y_axis.majorGridlines = None
    chart.y_axis.numFmt = NumFmt(formatCode="0", sourceLinked=False)
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend.position = "b"
    data = Reference(ws, min_col=3, max_col=4, min_row=header, max_row=layout.level1_last_row)
    cats = Reference(ws, min_col=2, min_row=layout.level1_first_row, max_row=layout.level1_last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    colours = ("BFBFBF", "1F4E79")
    for series, colour in zip(chart.series, colours):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        series.dLbls = DataLabelList()
        series.dLbls.numFmt = "0.##"
        series.dLbls.showVal = True
        series.dLbls.showSerName = False
        series.dLbls.showCatName = False
        series.dLbls.showLegendKey = False
    chart.gapWidth = 80
    # column widths are in characters (~7 px each at 96 dpi); fill the table's width
    chart.width = (sum(L.SUMMARY_WIDTHS) * 7 + 5 * L.SUMMARY_COLUMNS) / 96 * 2.54 - 0.2
    chart.height = S.CHART_ROWS * 20 / 96 * 2.54 - 0.3
    ws.add_chart(chart, f"A{layout.chart_row}")


def _names(wb: Any) -> None:
    for name, (row, col) in ((L.NAME_TOTAL, L.SUMMARY_TOTAL_CELL), (L.NAME_GRADE, L.SUMMARY_GRADE_CELL)):
        text = L.abs_ref(L.SHEET_SUMMARY, row, col)
        existing = wb.defined_names.get(name)
        if existing is None or existing.attr_text != text:
            wb.defined_names[name] = DefinedName(name, attr_text=text)


# --------------------------------------------------------------------------------------------
# Tables of the template
# --------------------------------------------------------------------------------------------
def add_table(ws: Any, name: str, ref: str, style: str = "TableStyleLight1") -> Table:
    table = Table(displayName=name, name=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=False, showColumnStripes=False,
                                          showFirstColumn=False, showLastColumn=False)
    ws.add_table(table)
    return table


def header_row(ws: Any, row: int, headers: list[tuple[str, bool]]) -> None:
    for j, (text, computed) in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=j)
        cell.value = text
        _header_cell(cell, computed)
