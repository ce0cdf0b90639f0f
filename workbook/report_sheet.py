"""What the 评价报告 sheet shows, as blocks for the adapters; plus the workbook-side report helpers.

Why a sheet: evaluators live in the workbook.  After each refresh they see the generated 问题/建议
with the numbers and cells behind them, the notices (reasons still to write), and the whole draft
report paragraph by paragraph with the source cell of every number, so they can fix the workbook
before anyone opens Word.  Blocks are few and rectangular (one adapter call each, also against a
live Excel); ``draw`` dresses them for the file route only.

``sources_from_inputs`` tells the engine-side report where each input sits in this workbook, so
every number in the report cites a real cell.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ..scoring import Evaluation
from ..scoring import model as m
from ..scoring.findings import Finding, Findings, Sources, find
from ..scoring.report import LAYOUT_DEPARTMENT, Report, build_report
from . import layout as L
from . import summary as summary_mod
from .books import Block

SHEET = L.SHEET_REPORT
WIDTHS = (16, 88, 44)
T_TITLE = "评价报告（草稿）"
T_NOTE = ("本表由 jixiao 根据“项目信息”“指标体系”“评分参数”自动生成，每次刷新时重建，请勿在本表填写内容。"
          "生成 Word 报告：jixiao report 本工作簿.xlsx；核对改过的报告：jixiao check-report 本工作簿.xlsx 报告.docx")
T_NOT_SCORED = "工作簿有输入错误，总分未计算，暂不生成报告草稿。请先按“汇总”工作表列出的错误修正后再刷新。"
S_FINDINGS = "一、问题与建议（按规则生成，规则见 jixiao/scoring/findings.yaml）"
S_DRAFT = "二、报告草稿（{layout}格式，与 Word 报告正文相同）"
H_FINDINGS = ("类别", "内容", "依据（数字的来源单元格）")
H_DRAFT = ("章节", "内容", "数字来源")
CATEGORY = {"problem": "问题", "suggestion": "建议", "notice": "提示"}
T_COVERED = "（评价人已写，报告中不重复）"
T_OWN = "评价人所写"
T_NO_FINDINGS = "未触发任何规则"


# --------------------------------------------------------------------------------------------
# Where things sit in this workbook
# --------------------------------------------------------------------------------------------
def sources_from_inputs(inputs: Any, evaluation: Evaluation | None = None, errors: list[str] | None = None) -> Sources:
    """Cell addresses of the inputs as read (rows may have moved since the template was made)."""
    project = {fid: L.sheet_ref(L.SHEET_PROJECT, r, c) for fid, (r, c) in inputs.project_cells.items()}
    project.update({f"params.{k}": L.sheet_ref(L.SHEET_PARAMS, r, c) for k, (r, c) in inputs.param_cells.items()})
    columns = {cid: get_column_letter(col) for cid, col in inputs.table.columns.items()}
    rows = inputs.table.data_rows
    level3 = columns.get(m.LEVEL3, "C")
    span = f"{L.SHEET_INDICATORS}!A{rows[0]}:{level3}{rows[-1]}" if rows else L.SHEET_INDICATORS
    if evaluation is not None:  # 一级 subtotals live in the 汇总 table; ask its layout where
        layout = summary_mod.build(inputs.project, evaluation, errors or [], {})
        tables = [b for b in layout.blocks if b.role == "table"]
        if tables:
            for k, line in enumerate(tables[0].values):
                project[f"level1.{line[1]}"] = L.sheet_ref(L.SHEET_SUMMARY, tables[0].row + k, tables[0].col + 3)
    return Sources(project=project, indicator_sheet=L.SHEET_INDICATORS, indicator_columns=columns,
                   total=L.sheet_ref(L.SHEET_SUMMARY, *L.SUMMARY_TOTAL_CELL),
                   grade=L.sheet_ref(L.SHEET_SUMMARY, *L.SUMMARY_GRADE_CELL), indicator_range=span)


def report_for_inputs(inputs: Any, evaluation: Evaluation, errors: list[str] | None = None,
                      layout: str = LAYOUT_DEPARTMENT) -> Report:
    sources = sources_from_inputs(inputs, evaluation, errors)
    findings = find(evaluation, inputs.indicators, sources)
    return build_report(evaluation, inputs.indicators, layout, sources, findings)


T_STALE = ("工作簿在上次刷新后改过输入：{cells}中的得分与按当前输入计算的不一致（共{count}处），"
           "报告按当前输入起草。请先刷新工作簿（jixiao refresh），使工作簿中的完成率、得分与报告一致。")
MAX_STALE_CELLS = 5


def stale_results(path: Any, inputs: Any, evaluation: Evaluation) -> list[str]:
    """The 得分 cells (and 汇总's 总分) whose stored value no longer matches the inputs.

    ``jixiao report`` scores the inputs afresh; a workbook edited after its last refresh still
    shows the old 完成率/得分 beside them, and the report then disagrees with the sheet a reviewer
    holds (a ≤ target lowered to 400 after refresh: 完成率 84.4% in the sheet, 105.5% in the report).
    Returns the cell addresses that differ; empty when the workbook is current.
    """
    from openpyxl import load_workbook

    column = inputs.table.columns.get(m.SCORE)
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        stale: list[str] = []
        fresh = evaluation.rows[m.SCORE].to_numpy()
        if column and L.SHEET_INDICATORS in wb.sheetnames:
            ws = wb[L.SHEET_INDICATORS]
            rows = [int(r) for r in inputs.indicators[m.ROW]]
            if rows:
                # by position: a read-only sheet hands back EmptyCell (no .row) for cells it does not hold
                first = min(rows)
                cells = {first + k: line[0] for k, line in enumerate(
                    ws.iter_rows(min_row=first, max_row=max(rows), min_col=column, max_col=column, values_only=True))}
                if all(_blank_cell(v) for v in cells.values()):
                    return []  # never refreshed (the user's source beside its _已评分 copy): nothing shown is stale
                for row, value in zip(rows, fresh):
                    if not _same_number(cells.get(row), value):
                        stale.append(L.sheet_ref(L.SHEET_INDICATORS, row, column))
        if L.SHEET_SUMMARY in wb.sheetnames and evaluation.total is not None:
            r, c = L.SUMMARY_TOTAL_CELL
            shown = wb[L.SHEET_SUMMARY].cell(r, c).value
            if shown is not None and not _same_number(shown, evaluation.total):
                stale.append(L.sheet_ref(L.SHEET_SUMMARY, r, c))
        return stale
    finally:
        wb.close()


def stale_message(cells: list[str]) -> str:
    shown = "、".join(cells[:MAX_STALE_CELLS]) + ("等" if len(cells) > MAX_STALE_CELLS else "")
    return T_STALE.format(cells=shown, count=len(cells))


def _blank_cell(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _same_number(stored: Any, value: Any) -> bool:
    """A stored cell against a fresh result: both blank, or equal within the written rounding."""
    try:
        v = None if value is None or value != value else float(value)
    except (TypeError, ValueError):
        v = None
    if isinstance(stored, str) and not stored.strip():
        stored = None
    if stored is None or v is None:
        return stored is None and v is None
    try:
        return abs(float(stored) - v) <= 0.005
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------------------------
def _finding_row(f: Finding) -> list[Any]:
    label = CATEGORY[f.category] + (T_COVERED if f.covered else "")
    return [label, f.sentence, "；".join(f.cells)]


def _findings_rows(findings: Findings, sources: Sources) -> tuple[list[list[Any]], list[str]]:
    rows: list[list[Any]] = [list(H_FINDINGS)]
    roles = ["header"]
    for category, own in (("problem", findings.own_problems), ("suggestion", findings.own_suggestions)):
        for text in own:
            rows.append([f"{CATEGORY[category]}（{T_OWN}）", text, sources.field(f"texts.{category}s")])
            roles.append("own")
    for category in ("problem", "suggestion", "notice"):
        for f in findings.of(category):
            rows.append(_finding_row(f))
            roles.append("notice" if category == "notice" else ("covered" if f.covered else "finding"))
    if len(rows) == 1:
        rows.append(["", T_NO_FINDINGS, ""])
        roles.append("finding")
    return rows, roles


def _draft_rows(report: Report) -> tuple[list[list[Any]], list[str]]:
    rows: list[list[Any]] = [list(H_DRAFT), ["标题", report.title.replace("\n", ""), ""]]
    roles = ["header", "heading1"]

    def para_rows(paras: list[Any]) -> None:
        for p in paras:
            rows.append(["", p.text, "；".join(f"{f.text}←{f.source}" for f in p.facts)])
            roles.append("placeholder" if p.origin == "placeholder" else "text")

    para_rows(report.intro)
    for section in report.walk():
        rows.append([section.title, "", ""])
        roles.append(f"heading{min(section.level, 3)}")
        para_rows(section.paras)
    return rows, roles


def build(report: Report | None) -> list[Block]:
    """The blocks of 评价报告; ``report`` None = the workbook could not be scored."""
    blocks = [Block(SHEET, 1, 1, [[T_TITLE if report is None else f"{T_TITLE}：{report.title.replace(chr(10), '')}"]],
                    role="title"),
              Block(SHEET, 2, 1, [[T_NOTE]], role="note")]
    if report is None:
        blocks.append(Block(SHEET, 4, 1, [[T_NOT_SCORED]], role="error"))
        return blocks
    row = 4
    blocks.append(Block(SHEET, row, 1, [[S_FINDINGS]], role="section"))
    values, roles = _findings_rows(report.findings, report.sources or Sources())
    blocks.append(Block(SHEET, row + 1, 1, values, role="rows", meta={"roles": roles}))
    row += 1 + len(values) + 1
    blocks.append(Block(SHEET, row, 1, [[S_DRAFT.format(layout=report.layout)]], role="section"))
    values, roles = _draft_rows(report)
    blocks.append(Block(SHEET, row + 1, 1, values, role="rows", meta={"roles": roles}))
    return blocks


def plan_blocks(inputs: Any, evaluation: Evaluation, errors: list[str]) -> list[Block]:
    """What refresh writes: the draft when the workbook scored cleanly, a note otherwise."""
    if errors or evaluation.total is None:
        return build(None)
    return build(report_for_inputs(inputs, evaluation, errors))


# --------------------------------------------------------------------------------------------
# openpyxl-only dressing (the xlwings route writes values only)
# --------------------------------------------------------------------------------------------
_THIN = Side(style="thin", color="FFBFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILLS = {
    "header": PatternFill("solid", fgColor=L.FILL_HEADER_INPUT),
    "section": PatternFill("solid", fgColor=L.FILL_SECTION),
    "notice": PatternFill("solid", fgColor=L.FILL_WARNING),
    "placeholder": PatternFill("solid", fgColor="FFFFF2CC"),
    "covered": PatternFill("solid", fgColor=L.FILL_COMPUTED),
}


def _font(size: float = L.FONT_SIZE, bold: bool = False, color: str | None = None) -> Font:
    return Font(name=L.FONT_NAME, sz=size, b=bold, color=color, charset=134)


def draw(wb: Any, blocks: list[Block]) -> None:
    """Fonts, fills, wrapping, widths, row heights and print setup; the sheet goes right after 汇总."""
    from .decorate import fit_row_heights

    if SHEET not in wb.sheetnames:
        return
    ws = wb[SHEET]
    if L.SHEET_SUMMARY in wb.sheetnames:
        offset = wb.index(wb[L.SHEET_SUMMARY]) + 1 - wb.index(ws)
        if offset:
            wb.move_sheet(ws, offset=offset)
    for j, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    last = 1
    for block in blocks:
        last = max(last, block.last_row)
        if block.role in ("title", "note", "section", "error"):
            ws.merge_cells(start_row=block.row, start_column=1, end_row=block.row, end_column=len(WIDTHS))
            cell = ws.cell(block.row, 1)
            cell.font = _font(16 if block.role == "title" else (L.FONT_SIZE + 1 if block.role == "section" else 9),
                              bold=block.role in ("title", "section"), color="FFC00000" if block.role == "error" else None)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if block.role == "section":
                cell.fill = _FILLS["section"]
            if block.role in ("note", "error"):
                ws.row_dimensions[block.row].height = 30
            continue
        for k, role in enumerate(block.meta.get("roles", [])):
            r = block.row + k
            for j in range(1, len(WIDTHS) + 1):
                cell = ws.cell(r, j)
                cell.border = _BORDER
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                heading = role.startswith("heading")
                cell.font = _font(bold=heading or role == "header" or (j == 1 and role == "finding"),
                                  color=L.FONT_HEADER_COLOR if role == "header" else None,
                                  size=9 if j == 3 and role != "header" else L.FONT_SIZE)
                if role in _FILLS:
                    cell.fill = _FILLS[role]
    fit_row_heights(ws, 1, last)
    ws.freeze_panes = None
    ws.print_options.gridLines = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
