"""Find the parts of a national 项目支出绩效自评表 in a sheet grid, by their text.

Units make these tables by hand from the 财政部 template, so nothing sits at a fixed address:
title rows are added or dropped, header cells are merged across two columns, the 资金 block has
"其中" sub-rows, numbers are stored as text, and a common variant splits the target into
指标性质 (≥/≤/=/定性) | 指标值 | 度量单位.  Every part is therefore located by its header text
(spaces and line breaks ignored, several spellings accepted) and every value keeps its Excel row
and column, so a reviewer is pointed at the cell.

Numbers are read leniently here only where the form is unambiguous ("120.00", "1,200", "91.67%");
the targets and actuals are passed to the engine as typed (see ``target_text``/``actual_value``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime
from typing import Any

from openpyxl.utils import get_column_letter

from .reader import Grid

# ------------------------------------------------------------------ header spellings (normalised)
# field → (exact spellings, prefixes); the first column matching wins.
INDICATOR_HEADERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "level1": (("一级指标",), ()),
    "level2": (("二级指标",), ()),
    "level3": (("三级指标", "指标名称", "绩效指标名称"), ()),
    "nature": (("指标性质", "指标方向", "运算符号", "计算符号", "指标属性"), ()),
    "target": (("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "年度绩效指标值", "全年指标值"),
               ("年度指标值",)),
    "unit": (("度量单位", "计量单位", "单位"), ()),
    "actual": (("实际完成值", "全年实际值", "实际值", "实际完成情况", "年度实际完成值", "完成值"), ("实际完成值",)),
    "weight": (("分值", "权重", "指标分值"), ()),
    "score": (("得分", "自评得分", "指标得分"), ()),
    "reason": ((), ("偏差原因", "未完成原因", "原因分析")),
}
FUNDS_HEADERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "initial": (("年初预算数", "年初预算", "年初预算数（A）"), ("年初预算",)),
    "adjusted": (("全年预算数", "全年预算", "调整后预算数", "全年预算数（A）"), ("全年预算",)),
    "executed": (("全年执行数", "全年执行", "执行数", "实际支出数", "全年执行数（B）"), ("全年执行",)),
    "weight": (("分值",), ()),
    "rate": (("执行率", "预算执行率", "执行率（B/A）"), ("执行率",)),
    "score": (("得分",), ()),
    "reason": ((), ("偏差原因", "原因说明", "执行率偏低原因")),
}
PROJECT_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称",),
    "department": ("主管部门", "主管单位", "主管部门（单位）"),
    "unit": ("实施单位", "项目实施单位", "预算单位", "实施单位（盖章）"),
}
TOTAL_LABELS = ("总分", "合计", "总计", "合计得分", "总得分")
FUNDS_TOTAL_LABELS = ("年度资金总额", "资金总额", "合计", "总计", "年度资金合计")
NATURE_COMPARATOR = {"≥": "≥", ">=": "≥", "＞": "＞", ">": ">", "≤": "≤", "<=": "≤", "＜": "＜", "<": "<",
                     "=": "=", "＝": "=", "正向": "≥", "正向指标": "≥", "反向": "≤", "反向指标": "≤",
                     "大于等于": "≥", "小于等于": "≤", "等于": "=", "不低于": "≥", "不高于": "≤", "不超过": "≤",
                     # look-alikes printed in published tables (a PDF turned into Word keeps odd signs)
                     "≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "═": "=", "﹦": "=", "꞊": "=", "﹥": ">", "﹤": "<"}
QUALITATIVE_NATURE = ("定性", "定性指标")
_WS = re.compile(r"[\s\u3000]+")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年度?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def norm(value: Any) -> str:
    """Header text as compared: no spaces or line breaks, ASCII brackets as full-width, "：" as ":"."""
    if type(value) is not str or not value:
        return ""
    return _norm_text(value)


_NORM_TABLE = str.maketrans({" ": None, "\u3000": None, "\n": None, "\r": None, "\t": None, "\xa0": None,
                             "\x0b": None, "\x0c": None, "(": "（", ")": "）", "：": ":"})


@lru_cache(maxsize=65536)
def _norm_text(value: str) -> str:
    """Cached: a batch sees the same few hundred header and label texts in every file."""
    return value.translate(_NORM_TABLE)


def blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def number(value: Any) -> float | None:
    """A plain amount or score as units type it: 12.5, "12.50", "1,200", "１２", "10分"; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if not isinstance(value, str):
        return None
    text = value.strip().translate(_FULLWIDTH).replace(",", "").removesuffix("分").removesuffix("万元").strip()
    if _NUMBER.fullmatch(text):
        return float(text)
    return None


def rate(value: Any) -> tuple[float | None, int | None]:
    """A rate cell: (fraction or raw number, decimals shown when it was text with "%").

    "91.67%" → (0.9167, 4); 0.9167 → (0.9167, None); "91.67" → (91.67, None): a bare number above
    1.5 is resolved against the computed rate by the audit, not here.
    """
    if isinstance(value, str):
        text = value.strip().translate(_FULLWIDTH).replace(",", "")
        if text.endswith("%"):
            core = text[:-1].strip()
            if _NUMBER.fullmatch(core):
                decimals = len(core.split(".")[1]) if "." in core else 0
                return float(core) / 100, decimals + 2
            return None, None
    return number(value), None


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")


def cell_ref(sheet: str, row: int, col: int) -> str:
    """1-based (row, col) → 自评表!H12 (for people, not formulas)."""
    return f"{sheet}!{get_column_letter(col)}{row}"


def _match(text: str, spellings: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    exact, prefixes = spellings
    return text in exact or any(text.startswith(p) for p in prefixes)


def _columns(row: list[Any], headers: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
             start: int = 0) -> dict[str, int]:
    """field → 0-based column for the header cells of one row (first match per field)."""
    out: dict[str, int] = {}
    for j in range(start, len(row)):
        text = norm(row[j])
        if not text:
            continue
        for key, spellings in headers.items():
            if key not in out and _match(text, spellings):
                out[key] = j
                break
    return out


# ------------------------------------------------------------------ parsed table
@dataclass
class IndicatorRow:
    row: int  # Excel row (1-based)
    level1: str | None
    level2: str | None
    level3: str | None
    target: Any  # as the engine receives it (composed from 指标性质/指标值/度量单位 in the variant)
    actual: Any
    weight: float | None
    score: float | None
    reason: str | None
    raw: dict[str, Any] = field(default_factory=dict)  # the cells as read, by field


@dataclass
class Funds:
    row: int
    initial: float | None
    adjusted: float | None
    executed: float | None
    weight: float | None
    rate: float | None
    rate_decimals: int | None
    score: float | None
    reason: str | None
    raw: dict[str, Any] = field(default_factory=dict)
    sub_rows: list[dict[str, Any]] = field(default_factory=list)  # 其中 rows: label + amounts (not scored)


@dataclass
class SelfEvalTable:
    """One 自评表 as found in one sheet; ``cols`` are 1-based columns for cell references."""

    file: str
    sheet: str
    project: dict[str, Any]
    project_cells: dict[str, tuple[int, int]]
    funds: Funds | None
    funds_cols: dict[str, int]
    goals: dict[str, str]
    rows: list[IndicatorRow]
    cols: dict[str, int]
    header_row: int
    total: float | None
    total_raw: Any
    total_weight: float | None
    total_row: int | None
    variant: str  # "standard" or "nature_unit"

    def ref(self, row: int | None, field_: str, funds: bool = False) -> str:
        """The cell of a field in a row, e.g. 自评表!H14; the row's first column when unknown."""
        if row is None:
            return self.sheet
        cols = self.funds_cols if funds else self.cols
        col = cols.get(field_) or cols.get("level3") or min(cols.values(), default=1)
        return cell_ref(self.sheet, row, col)


def is_self_eval(grid: Grid) -> bool:
    return find_indicator_header(grid) is not None


def find_indicator_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """(0-based row, columns) of the indicator header: it names 一级/三级指标 and 分值 or a target."""
    for i, line in enumerate(grid):
        texts = [norm(v) for v in line]
        if "三级指标" not in texts and "指标名称" not in texts:
            continue
        cols = _columns(line, INDICATOR_HEADERS)
        if "level3" in cols and ("weight" in cols or "target" in cols) and ("level1" in cols or "level2" in cols):
            return i, cols
    return None


def parse_sheet(file: str, sheet: str, grid: Grid) -> SelfEvalTable | None:
    """The 自评表 in a sheet, or None when the sheet holds none."""
    found = find_indicator_header(grid)
    if found is None:
        return None
    h, cols = found
    project, project_cells = _project(grid, h)
    year = _year(grid, h, file)
    if year:
        project["year"] = year
    funds, funds_cols = _funds(grid, h)
    goals = _goals(grid, h)
    rows, total_i = _indicator_rows(grid, h, cols)
    total = total_raw = total_weight = None
    if total_i is not None:
        line = grid[total_i]
        score_col = cols.get("score")
        if score_col is not None and score_col < len(line):
            total_raw = line[score_col]
            total = number(total_raw)
        weight_col = cols.get("weight")
        if weight_col is not None and weight_col < len(line):
            total_weight = number(line[weight_col])
    variant = "nature_unit" if ("nature" in cols or "unit" in cols) else "standard"
    return SelfEvalTable(
        file=file, sheet=sheet, project=project, project_cells=project_cells, funds=funds,
        funds_cols={k: v + 1 for k, v in funds_cols.items()}, goals=goals, rows=rows,
        cols={k: v + 1 for k, v in cols.items()}, header_row=h + 1, total=total, total_raw=total_raw,
        total_weight=total_weight, total_row=None if total_i is None else total_i + 1, variant=variant,
    )


def _text(value: Any) -> str | None:
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y年%m月%d日")
    return str(value).strip()


def _project(grid: Grid, stop: int) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """项目名称/主管部门/实施单位: the first non-blank, non-label cell right of each label."""
    out: dict[str, Any] = {}
    cells: dict[str, tuple[int, int]] = {}
    labels = {s: k for k, spellings in PROJECT_LABELS.items() for s in spellings}
    all_labels = set(labels) | {"主管部门", "实施单位", "项目名称", "项目负责人", "联系电话"}
    for i in range(min(stop, len(grid))):
        line = grid[i]
        for j, v in enumerate(line):
            key = labels.get(norm(v).rstrip(":"))
            if key is None or key in out:
                continue
            for k in range(j + 1, len(line)):
                if blank(line[k]):
                    continue
                if norm(line[k]).rstrip(":") in all_labels:
                    break
                out[key] = _text(line[k])
                cells[key] = (i + 1, k + 1)
                break
    return out, cells


def _year(grid: Grid, stop: int, file: str) -> int | None:
    for i in range(min(stop, len(grid))):
        for v in grid[i]:
            if isinstance(v, str) and "年" in v:
                found = _YEAR.search(v)
                if found:
                    return int(found.group(1))
    found = _YEAR.search(file)
    return int(found.group(1)) if found else None


def _funds(grid: Grid, stop: int) -> tuple[Funds | None, dict[str, int]]:
    header_i = None
    cols: dict[str, int] = {}
    for i in range(min(stop, len(grid))):
        c = _columns(grid[i], FUNDS_HEADERS)
        if "executed" in c and ("adjusted" in c or "initial" in c):
            header_i, cols = i, c
            break
    if header_i is None:
        return None, {}
    first_amount = min(cols[k] for k in ("initial", "adjusted", "executed") if k in cols)
    total: Funds | None = None
    subs: list[dict[str, Any]] = []
    for i in range(header_i + 1, min(stop, len(grid))):
        line = grid[i]
        label = next((norm(v) for v in line[:first_amount] if not blank(v) and norm(v) != "项目资金（万元）"
                      and not norm(v).startswith("项目资金")), "")
        if label.startswith("年度总体目标") or label in ("预期目标",) or label.startswith("绩效指标"):
            break
        values = {k: (line[j] if j < len(line) else None) for k, j in cols.items()}
        amounts = [number(values.get(k)) for k in ("initial", "adjusted", "executed")]
        if not label and all(a is None for a in amounts):
            continue
        if total is None and (any(label.startswith(t) for t in FUNDS_TOTAL_LABELS) or
                              (not label.startswith("其中") and any(a is not None for a in amounts))):
            r, decimals = rate(values.get("rate"))
            total = Funds(
                row=i + 1, initial=amounts[0], adjusted=amounts[1], executed=amounts[2],
                weight=number(values.get("weight")), rate=r, rate_decimals=decimals,
                score=number(values.get("score")), reason=_text(values.get("reason")), raw=values)
            continue
        subs.append({"label": label.removeprefix("其中:").removeprefix("其中") or None, "row": i + 1,
                     "initial": amounts[0], "adjusted": amounts[1], "executed": amounts[2]})
    if total is not None:
        total.sub_rows = subs
        if total.reason is None:  # a 偏差原因/说明 row or cell elsewhere in the block
            total.reason = _funds_reason(grid, header_i, stop)
    return total, cols


def _funds_reason(grid: Grid, header_i: int, stop: int) -> str | None:
    for i in range(header_i, min(stop, len(grid))):
        line = grid[i]
        for j, v in enumerate(line):
            text = norm(v)
            if text and ("原因" in text or text.startswith("说明")) and len(text) <= 16:
                for k in range(j + 1, len(line)):
                    if not blank(line[k]):
                        return _text(line[k])
    return None


def _goals(grid: Grid, stop: int) -> dict[str, str]:
    for i in range(min(stop, len(grid)) - 1):
        texts = [norm(v) for v in grid[i]]
        if "预期目标" in texts:
            below = grid[i + 1]
            j_exp = texts.index("预期目标")
            j_act = next((j for j, t in enumerate(texts) if t.startswith("实际完成情况")), None)
            out = {}
            exp = _text(below[j_exp]) if j_exp < len(below) else None
            if exp:
                out["expected"] = exp
            if j_act is not None and j_act < len(below) and _text(below[j_act]):
                out["actual"] = _text(below[j_act]) or ""
            return out
    return {}


def _indicator_rows(grid: Grid, h: int, cols: dict[str, int]) -> tuple[list[IndicatorRow], int | None]:
    rows: list[IndicatorRow] = []
    total_i = None
    level1 = level2 = None
    keys = list(cols)
    name_cols = [cols[k] for k in ("level1", "level2", "level3") if k in cols]
    left = min(cols.values())
    for i in range(h + 1, len(grid)):
        line = grid[i]
        get = {k: (line[j] if j < len(line) else "") for k, j in cols.items()}
        texts_left = [norm(v) for v in line[: max(name_cols) + 1]] if name_cols else []
        if any(t in TOTAL_LABELS or t.startswith("总分") for t in texts_left):
            total_i = i
            break
        if norm(get.get("level3")) in ("三级指标", "指标名称"):
            continue  # a repeated or second header row
        if all(blank(get.get(k)) for k in keys if k not in ("level1", "level2")):
            continue  # blank rows and rows holding only merged 一级/二级 names
        if not blank(get.get("level1")):
            level1 = _text(get["level1"])
        if not blank(get.get("level2")):
            level2 = _text(get["level2"])
        if any(norm(v).startswith(("填报人", "单位负责人", "联系电话", "备注")) for v in line[:left + 2]):
            break
        target, actual = compose(get)
        rows.append(IndicatorRow(
            row=i + 1, level1=level1, level2=level2, level3=_text(get.get("level3")), target=target,
            actual=actual, weight=number(get.get("weight")), score=number(get.get("score")),
            reason=_text(get.get("reason")), raw=get))
    return rows, total_i


def compose(cells: dict[str, Any]) -> tuple[Any, Any]:
    """Target and actual as the engine reads them.

    Variant columns: 指标性质 "≥" + 指标值 90 + 度量单位 "%" → "≥90%"; an actual that is a bare
    number gets the unit ("95" + "%" → "95%").  定性 rows keep their texts.  A bare actual number
    next to a percentage target is left to the engine: a fraction between 0 and 1 (what a
    percent-formatted cell holds), refused above 1 ("95" typed without its "%" is not guessed to be
    95%); ``files.read_tables`` first turns numbers in percent-formatted cells into "105%" text.
    Only a 度量单位 column that says "%" adds the sign.
    """
    target, actual = cells.get("target"), cells.get("actual")
    nature = norm(cells.get("nature"))
    unit = _text(cells.get("unit")) or ""
    if unit in ("/", "—", "-", "无"):
        unit = ""
    if "nature" in cells or "unit" in cells:
        if nature not in QUALITATIVE_NATURE:
            value = _value_text(target)
            if value is not None and number(value) is not None:
                target = NATURE_COMPARATOR.get(nature, "") + value + unit
            elif value is not None and nature in NATURE_COMPARATOR and not value.startswith(tuple("≥≤=<>＞＜")):
                target = NATURE_COMPARATOR[nature] + value
        a_value = _value_text(actual)
        if a_value is not None and number(a_value) is not None and unit:
            if unit == "%" and isinstance(actual, float) and abs(actual) <= 1.5 and (number(_value_text(target)) or 0) > 1.5:
                a_value = _num(actual * 100)
            actual = a_value + unit
    target_text = target if isinstance(target, str) else None
    if target_text and target_text.strip().endswith(("%", "％")):
        a = number(actual) if not (isinstance(actual, str) and actual.strip().endswith(("%", "％"))) else None
        if a is not None and 0 <= a <= 1:
            actual = a  # "0.95" copied as text from a percent cell: the same fraction as the number
    return target, actual


def _value_text(value: Any) -> str | None:
    if blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _num(float(value))
    return str(value).strip()


def _num(x: float) -> str:
    text = f"{x:.10f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
