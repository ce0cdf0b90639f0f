"""``jixiao import``: a national 自评表 → our evaluation workbook (单位自评), scored.

What goes where
---------------
* 项目信息: name, year, 主管部门, 实施单位, kind 单位自评, 年初预算/全年预算/实际支出 (万元), the
  execution reason if the table gives one, 年度总体目标 → 项目目标, 实际完成情况 → 项目执行情况.
* 指标体系: the 预算执行率 row (method 预算执行率计分, source 预算执行率（自评口径）) and one row per
  三级 indicator with 目标值/实际值 as the engine reads them (the variant's 指标性质+指标值+度量单位
  joined).  Qualitative rows get 定性档次 from the 实际完成值 text and the unit's reported score as
  评价人打分 — the only evaluator score a 自评表 has; the refresh then checks it against the band.
* 自评原表复核 (a new sheet, the user's after import): every row with its original cell, the
  reported score beside the rule score, the difference and the audit's findings, plus the
  预算执行率 and 总分 rows.  The reported scores live here rather than in 指标体系 so that our
  layout (layout.py) stays the single source of truth and the refresh never overwrites them.

The workbook is built with ``workbook.template.new_workbook`` + ``save_workbook`` (through
``_build_workbook``, the one adapter to switch if the template API changes) and then refreshed
with ``workbook.refresh.refresh_file``, so its computed columns and 汇总 are filled as after
``jixiao refresh``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Mapping, Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ...scoring import Params, parse_value
from ...scoring import model as m
from ..errors import WorkbookInputError
from . import messages as msg
from .audit import Audit, _needs_judgement, is_breakdown
from .layout import SelfEvalTable

KIND_SELF = "单位自评"


def project_of(table: SelfEvalTable) -> dict[str, Any]:
    f = table.funds
    project: dict[str, Any] = {
        "name": table.project.get("name"), "year": table.project.get("year"),
        "department": table.project.get("department"), "unit": table.project.get("unit"), "kind": KIND_SELF,
        "budget": {}, "reasons": {}, "texts": {},
    }
    if f is not None:
        adjustment = None
        if f.initial is not None and f.adjusted is not None:
            adjustment = round(f.adjusted - f.initial, 6)
        project["budget"] = {"initial": f.initial, "adjustment": adjustment, "adjusted": f.adjusted,
                             "executed": f.executed}
        if f.reason:
            project["reasons"]["execution"] = f.reason
    if table.goals.get("expected"):
        project["texts"]["objective"] = table.goals["expected"]
    if table.goals.get("actual"):
        project["texts"]["execution"] = table.goals["actual"]
    return project


def indicator_rows(table: SelfEvalTable) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    f = table.funds
    if f is not None and f.weight is not None:
        rows.append({m.LEVEL1: msg.BUDGET_LABEL, m.LEVEL2: msg.BUDGET_LABEL, m.LEVEL3: msg.BUDGET_LABEL,
                     m.WEIGHT: f.weight, m.METHOD: m.METHOD_LABELS["budget_execution"], m.TARGET: "100%",
                     m.SOURCE: m.RATE_EXECUTION_SELF})
    for r in table.rows:
        row: dict[str, Any] = {m.LEVEL1: r.level1, m.LEVEL2: r.level2, m.LEVEL3: r.level3, m.WEIGHT: r.weight,
                               m.TARGET: r.target, m.ACTUAL: r.actual, m.REASON: r.reason}
        if is_breakdown(r):  # itemises the row above: kept for the reader, not scored
            rows.append({**row, m.APPLICABLE: "否", m.EVIDENCE: msg.BREAKDOWN})
            continue
        if _needs_judgement(r.target, r.actual):
            level = parse_value(r.actual).level
            if level:
                row[m.LEVEL] = m.LEVEL_LABELS[level]
            row[m.JUDGEMENT] = r.score
        rows.append(row)
    return rows


def _build_workbook(project: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], params: Params, banner: str) -> Any:
    """Adapter over the workbook package's builder (an openpyxl Workbook in memory)."""
    from ..template import new_workbook

    return new_workbook(KIND_SELF, params, project, rows, banner)


def _save(wb: Any, path: Path, shown: Path | None = None) -> Path:
    """Save the draft atomically; a failure (disk full …) names the file the user asked for."""
    from ..template import save_workbook

    try:
        return save_workbook(wb, path)
    except WorkbookInputError as exc:
        if shown is None:
            raise
        raise WorkbookInputError([line.replace(str(path), str(shown)) for line in exc.messages]) from None


def review_sheet(wb: Any, audit: Audit) -> None:
    """自评原表复核: reported beside rule scores, with the findings per row."""
    t = audit.table
    ws = wb.create_sheet(msg.SHEET_REVIEW)
    ws.cell(row=1, column=1, value=msg.REVIEW_TITLE.format(file=t.file, sheet=t.sheet)).font = Font(bold=True, size=12)
    for j, h in enumerate(msg.REVIEW_HEADERS, start=1):
        c = ws.cell(row=2, column=j, value=h)
        c.font = Font(bold=True, color="FFFFFFFF")
        c.fill = PatternFill("solid", fgColor="FF1F4E79")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lines: list[list[Any]] = []
    b = audit.budget
    if b is not None:
        lines.append([t.ref(b.row, "score", funds=True), msg.BUDGET_LABEL, None, None, "100%",
                      None if b.rule_rate is None else f"{b.rule_rate * 100:.2f}%", b.weight, b.reported, b.rule,
                      _diff(b.reported, b.rule), b.reason, "；".join(f.message for f in b.flags) or None])
    for r in audit.rows:
        lines.append([t.ref(r.row, "score"), r.level1, r.level2, r.level3, _cell(r.target), _cell(r.actual), r.weight,
                      r.reported, r.rule, _diff(r.reported, r.rule), r.reason,
                      "；".join(f.message for f in r.flags) or None])
    lines.append([t.ref(t.total_row, "score") if t.total_row else None, msg.TOTAL_LABEL, None, None, None, None,
                  audit.weights.get("total"), audit.reported_total, audit.rule_total,
                  _diff(audit.reported_total, audit.rule_total), None,
                  "；".join(f.message for f in audit.table_flags) or None])
    for i, line in enumerate(lines, start=3):
        for j, v in enumerate(line, start=1):
            c = ws.cell(row=i, column=j, value=v)
            c.alignment = Alignment(vertical="center", wrap_text=j in (4, 11, 12))
            if j in (7, 8, 9, 10):
                c.number_format = "0.00"
    for j, width in enumerate((16, 10, 14, 22, 12, 12, 7, 9, 9, 7, 24, 48), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A3"


def _cell(v: Any) -> Any:
    return v if v is None or isinstance(v, (str, int, float)) else str(v)


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}_导入.xlsx")


def import_table(audit: Audit, output: str | Path, params: Params | None = None, force: bool = False) -> Any:
    """Write our workbook for one audited table and refresh it; returns the RefreshResult.

    The output follows ``safe_write``: an existing file is replaced only when it is an unedited
    jixiao product, or with ``force`` (backed up first); the draft lives beside it only while the
    lock is held."""
    from .. import safe_write
    from ..refresh import refresh_file

    params = params or Params()
    target = Path(output)
    safe_write.check_output(target)
    if target.suffix.lower() != ".xlsx":
        raise WorkbookInputError(msg.OUTPUT_SUFFIX.format(path=target))
    table = audit.table
    banner = f"指标体系（由自评表导入：{table.file}｜{table.sheet}；报告得分见“{msg.SHEET_REVIEW}”工作表）"
    with safe_write.target(target, force=force, product=True) as out:
        wb = _build_workbook(project_of(table), indicator_rows(table), params, banner)
        review_sheet(wb, audit)
        draft = out.path.with_name(f".~import-{os.getpid()}-{out.path.name}")
        try:
            _save(wb, draft, target)
            result = refresh_file(draft, output=out.path)
        finally:
            if draft.exists():
                draft.unlink()
    result.output = target
    result.errors = [source_cell(line, table) for line in result.errors]
    return result


# the 自评表 field each input column of our 指标体系 came from (see indicator_rows)
_SOURCE_FIELD = {m.LEVEL1: "level1", m.LEVEL2: "level2", m.LEVEL3: "level3", m.WEIGHT: "weight", m.TARGET: "target",
                 m.ACTUAL: "actual", m.REASON: "reason", m.JUDGEMENT: "score", m.LEVEL: "actual"}
_REF = re.compile(r"^(\s*)指标体系!([A-Z]{1,3})([0-9]+)：")


def source_cell(line: str, table: SelfEvalTable) -> str:
    """An error about the imported workbook's cell, told as the cell of the 自评表 the user gave us
    (项目支出绩效自评表!F20), with the imported workbook's cell after it for reference."""
    from .. import layout as L

    hit = _REF.match(line)
    if hit is None:
        return line
    indent, letters, row = hit.group(1), hit.group(2), int(hit.group(3))
    ids = [c.id for c in L.INDICATOR_INPUTS]
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    field_id = ids[col - 1] if 0 < col <= len(ids) else None
    k = row - L.FIRST_DATA_ROW - (1 if table.funds is not None and table.funds.weight is not None else 0)
    if k == -1 and table.funds is not None:  # the 预算执行率 row built from the funds block
        where = table.ref(table.funds.row, "rate", funds=True)
    elif 0 <= k < len(table.rows) and field_id in _SOURCE_FIELD:
        where = table.ref(table.rows[k].row, _SOURCE_FIELD[field_id])
    else:
        return line
    return f"{indent}{where}（导入后为指标体系!{letters}{row}）：{line[hit.end():]}"
