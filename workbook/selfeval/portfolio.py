"""The portfolio workbook of ``jixiao batch``: 项目汇总, 预警明细, 等级分布 (with a chart), 未能读取.

One row per project with reported vs rule total and the number of flags of each kind, so a
reviewer can sort and filter in Excel; every flag with its file and cell; the grade distribution
of the rule totals as a table and a bar chart.  Headers sit in row 1 (filters and frozen panes),
so the sheets also read back cleanly with pandas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ...scoring import Params
from ..books import atomic_save
from . import messages as msg

HEADER_FILL = PatternFill("solid", fgColor="FF1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFFFF")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _sheet(wb: Workbook, title: str, headers: Sequence[str], widths: Sequence[float]) -> Any:
    """A streamed (write-only) sheet with its styled header row, frozen below the header."""
    ws = wb.create_sheet(title)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    row = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.fill, c.font, c.alignment = HEADER_FILL, HEADER_FONT, HEADER_ALIGN
        row.append(c)
    ws.append(row)
    return ws


def _filter(ws: Any, ncols: int, nrows: int) -> None:
    if nrows:
        ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{nrows + 1}"


def _fmt(ws: Any, value: Any, number_format: str) -> Any:
    if value is None:
        return None
    c = WriteOnlyCell(ws, value=value)
    c.number_format = number_format
    return c


def grade_order(params: Params | None = None) -> list[str]:
    params = params or Params()
    return [g for g, _ in params.grade_bands] + [params.lowest_grade]


def write_portfolio(results: Sequence[Any], path: str | Path, params: Params | None = None) -> Path:
    """Write the portfolio for ``batch.FileResult`` records (atomic replace of ``path``).

    Write-only (streamed) openpyxl: a province's portfolio has tens of thousands of flag rows.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    lines = [line for r in results for line in r.lines]
    kinds = [k for k in msg.FLAG_KINDS if any(line.counts.get(k) for line in lines)]
    headers = list(msg.PROJECT_HEADERS) + [msg.FLAG_LABELS[k] for k in kinds]
    ws = _sheet(wb, msg.SHEET_PROJECTS, headers, [6, 28, 16, 10, 14, 18, 30, 7, 12, 12, 9, 9, 9, 8, 8, 8] + [10] * len(kinds))
    for i, line in enumerate(lines, start=1):
        diff = (None if line.reported_total is None or line.rule_total is None
                else round(line.reported_total - line.rule_total, 2))
        ws.append([i, line.file, line.sheet, line.kind, line.department, line.unit, line.name, line.year,
                   _fmt(ws, line.budget, "#,##0.00"), _fmt(ws, line.executed, "#,##0.00"), _fmt(ws, line.rate, "0.00%"),
                   line.reported_total, line.rule_total, diff, line.grade or msg.NO_GRADE, sum(line.counts.values())]
                  + [line.counts.get(k, 0) for k in kinds])
    _filter(ws, len(headers), len(lines))

    fs = _sheet(wb, msg.SHEET_FLAGS, msg.FLAG_HEADERS, [28, 16, 22, 30, 22, 18, 80])
    n = 0
    for line in lines:
        for f in line.flags:
            fs.append([line.file, f.sheet, f.cell, line.name, f.indicator, msg.FLAG_LABELS.get(f.kind, f.kind), f.message])
            n += 1
    _filter(fs, len(msg.FLAG_HEADERS), n)

    gs = _sheet(wb, msg.SHEET_GRADES, msg.GRADE_HEADERS, [10, 10, 10])
    order = grade_order(params) + [msg.NO_GRADE]
    counts = {g: 0 for g in order}
    for line in lines:
        counts[line.grade if line.grade in counts else msg.NO_GRADE] += 1
    total = max(1, len(lines))
    for g in order:
        gs.append([g, counts[g], _fmt(gs, counts[g] / total, "0.0%")])
    chart = BarChart()
    chart.type = "col"
    chart.title = msg.GRADE_CHART_TITLE
    chart.y_axis.title = msg.GRADE_CHART_Y
    chart.legend = None
    chart.add_data(Reference(gs, min_col=2, min_row=1, max_row=len(order) + 1), titles_from_data=True)
    chart.set_categories(Reference(gs, min_col=1, min_row=2, max_row=len(order) + 1))
    chart.height, chart.width = 7.5, 14
    gs.add_chart(chart, "E2")

    xs = _sheet(wb, msg.SHEET_FAILED, msg.FAILED_HEADERS, [36, 100])
    failed = [r for r in results if r.error]
    for r in failed:
        xs.append([r.file, r.error])
    _filter(xs, len(msg.FAILED_HEADERS), len(failed))
    atomic_save(wb.save, path)
    return path
