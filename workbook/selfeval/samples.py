"""Write 项目支出绩效自评表 files the way spending units make them (tests and the benchmark).

The layout follows the national template: title, （年度）, 项目名称 / 主管部门 / 实施单位 in merged
cells, the 项目资金 block with its "其中" sub-rows, 年度总体目标, the indicator block with merged
一级/二级 cells and 偏差原因 over two columns, and 总分.  ``variant="nature_unit"`` writes the
指标性质 | 指标值 | 度量单位 form and moves the funds columns; ``text_numbers`` stores every number
as text, as a copy-paste from a web form does.  The reader must not depend on any of these choices.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    target: str  # standard form, e.g. "≥90%", "6.5万份", "达成年度指标"
    actual: Any
    weight: float
    score: float
    reason: str = ""
    nature: str = ""  # variant columns; derived from target when blank
    value: Any = None
    unit: str = ""


@dataclass
class TableSpec:
    name: str = "2021年社区居家养老服务补助项目"
    department: str = "某市民政局"
    unit: str = "某市养老服务指导中心"
    year: int = 2021
    initial: float = 500.0
    adjusted: float = 480.0
    executed: float = 465.6
    sub_rows: tuple[tuple[str, float, float, float], ...] = (
        ("其中：当年财政拨款", 500.0, 480.0, 465.6), ("上年结转资金", 0.0, 0.0, 0.0), ("其他资金", 0.0, 0.0, 0.0))
    budget_weight: float = 10.0
    rate: Any = "97.00%"
    budget_score: float = 9.7
    budget_reason: str = ""
    expected: str = "为辖区内1200名困难老人提供居家养老服务，服务满意度不低于90%。"
    achieved: str = "全年为1260名困难老人提供居家养老服务，满意度96%。"
    indicators: list[Indicator] = field(default_factory=list)
    total: Any = None  # None = sum of reported scores
    total_weight: float = 100.0

    def reported_total(self) -> float:
        if self.total is not None:
            return self.total
        return round(self.budget_score + sum(i.score for i in self.indicators), 2)


def clean_indicators() -> list[Indicator]:
    """A table whose every score follows the rules and that needs no explanation."""
    return [
        Indicator("产出指标", "数量指标", "服务老人数", "≥1200人", "1260人", 15, 15),
        Indicator("产出指标", "数量指标", "上门服务次数", "≥2.4万次", "2.5万次", 10, 10),
        Indicator("产出指标", "质量指标", "服务质量抽查合格率", "≥95%", "98%", 10, 10),
        Indicator("产出指标", "时效指标", "补助资金发放及时性", "12月底前", "12月20日", 5, 5),
        Indicator("产出指标", "成本指标", "人均服务成本", "≤3800元", "3695元", 10, 10),
        Indicator("效益指标", "社会效益指标", "困难老人生活质量", "有效提升", "效果明显", 20, 19,
                  "部分老人居住分散，上门频次偏低；下年度增设服务站点"),
        Indicator("效益指标", "可持续影响指标", "居家养老服务长效机制", "逐步建立", "达成年度指标", 10, 9,
                  "考核办法尚在修订"),
        Indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "96%", 10, 10),
    ]


def clean_spec(**changes: Any) -> TableSpec:
    return replace(TableSpec(indicators=clean_indicators()), **changes)


_NATURE = (("≥", "≥"), ("≤", "≤"), ("＞", ">"), ("＜", "<"), ("=", "="))


def _split_target(ind: Indicator) -> tuple[str, Any, str]:
    """"≥1200人" → ("≥", "1200", "人"); qualitative → ("定性", text, "")."""
    if ind.nature:
        return ind.nature, ind.value, ind.unit
    import re

    text = ind.target
    cmp_ = ""
    for sym, _ in _NATURE:
        if text.startswith(sym):
            cmp_, text = sym, text[len(sym):]
            break
    found = re.fullmatch(r"([\d.]+)\s*(.*)", text)
    if not found or found.group(2).startswith("月"):
        return "定性", ind.target, ""
    return cmp_ or "=", found.group(1), found.group(2)


def _actual_value(actual: Any, unit: str) -> Any:
    if isinstance(actual, str) and unit and actual.endswith(unit):
        core = actual[: -len(unit)]
        try:
            float(core)
            return core
        except ValueError:
            return actual
    return actual


def write_table(spec: TableSpec, path: str | Path, variant: str = "standard", text_numbers: bool = False,
                sheet: str = "项目支出绩效自评表", extra_title_row: bool = False) -> Path:
    """Write one 自评表 (.xlsx) as a unit would; see the module docstring."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    write_sheet(ws, spec, variant, text_numbers, extra_title_row)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_sheet(ws: Any, spec: TableSpec, variant: str = "standard", text_numbers: bool = False,
                extra_title_row: bool = False) -> None:
    nu = variant == "nature_unit"
    last_col = 12 if nu else 10
    num = (lambda v: v if v is None or isinstance(v, str) else (f"{v:.2f}" if isinstance(v, float) and not float(v).is_integer() else str(int(v)) if float(v).is_integer() else str(v))) if text_numbers else (lambda v: v)  # noqa: E731
    r = 1

    def put(row: int, col: int, value: Any, to_col: int | None = None, to_row: int | None = None) -> None:
        cell = ws.cell(row=row, column=col, value=value)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if to_col or to_row:
            ws.merge_cells(start_row=row, start_column=col, end_row=to_row or row, end_column=to_col or col)

    put(r, 1, "项目支出绩效自评表", last_col)
    ws.cell(row=r, column=1).font = Font(size=16, bold=True)
    r += 1
    put(r, 1, f"（{spec.year}年度）", last_col)
    r += 1
    if extra_title_row:
        put(r, 1, "填报单位（盖章）：" + spec.unit, last_col // 2)
        put(r, last_col // 2 + 1, "单位：万元", last_col)
        r += 1
    put(r, 1, "项目名称", 2)
    put(r, 3, spec.name, last_col)
    r += 1
    put(r, 1, "主管部门", 2)
    put(r, 3, spec.department, 6)
    put(r, 7, "实施单位", 8)
    put(r, 9, spec.unit, last_col)
    r += 1
    # funds block: variant moves the columns right by one and leaves a gap before 分值
    fr = r
    c0 = 4 if not nu else 5
    heads = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    positions = (c0, c0 + 1, c0 + 2, c0 + 3, c0 + 4, c0 + 5) if not nu else (c0, c0 + 1, c0 + 2, c0 + 4, c0 + 5, c0 + 6)
    put(fr, 1, "项目资金（万元）", 2, fr + 1 + len(spec.sub_rows))
    put(fr, 3, None, c0 - 1)
    for head, col in zip(heads, positions):
        put(fr, col, head)
    r += 1
    put(r, 3, "年度资金总额", c0 - 1)
    values = (spec.initial, spec.adjusted, spec.executed, spec.budget_weight, spec.rate, spec.budget_score)
    for value, col in zip(values, positions):
        v = value if isinstance(value, str) else num(value)
        put(r, col, v)
        if col == positions[4] and isinstance(value, float):
            ws.cell(row=r, column=col).number_format = "0.00%"
    if spec.budget_reason:
        put(r, positions[-1] + 1, spec.budget_reason)
    r += 1
    for label, a, b, c in spec.sub_rows:
        put(r, 3, label, c0 - 1)
        for value, col in zip((a, b, c, "—", None, "—"), positions):
            put(r, col, num(value) if not isinstance(value, str) else value)
        r += 1
    put(r, 1, "年度总体目标", 1, r + 1)
    put(r, 2, "预期目标", 6)
    put(r, 7, "实际完成情况", last_col)
    put(r + 1, 2, spec.expected, 6)
    put(r + 1, 7, spec.achieved, last_col)
    ws.row_dimensions[r + 1].height = 48
    r += 2
    # indicator block
    if nu:
        headers = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分",
                   "偏差原因分析\n及改进措施")
    else:
        headers = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    h = r
    n = len(spec.indicators)
    put(h, 1, "绩效指标", 1, h + n)
    for j, head in enumerate(headers, start=2):
        put(h, j, head, last_col if j == len(headers) + 1 else None)
    r += 1
    for k, ind in enumerate(spec.indicators):
        row = r + k
        if nu:
            nature, value, unit = _split_target(ind)
            cells = (ind.level1, ind.level2, ind.level3, nature, num(_maybe_float(value)) if text_numbers is False else value,
                     unit, _actual_value(ind.actual, unit), num(ind.weight), num(ind.score), ind.reason or None)
        else:
            cells = (ind.level1, ind.level2, ind.level3, ind.target, ind.actual, num(ind.weight), num(ind.score),
                     ind.reason or None)
        for j, value in enumerate(cells, start=2):
            if j in (2, 3) and k > 0 and value == (spec.indicators[k - 1].level1 if j == 2 else spec.indicators[k - 1].level2) \
                    and (j == 3 or True):
                continue  # merged below
            put(row, j, value, last_col if j == len(cells) + 1 else None)
    # merge runs of equal 一级 / 二级 names (what units do)
    for j, attr in ((2, "level1"), (3, "level2")):
        start = 0
        for k in range(1, n + 1):
            if k == n or getattr(spec.indicators[k], attr) != getattr(spec.indicators[start], attr) or (
                    j == 3 and spec.indicators[k].level1 != spec.indicators[start].level1):
                if k - start > 1:
                    ws.merge_cells(start_row=r + start, start_column=j, end_row=r + k - 1, end_column=j)
                start = k
    r += n
    put(r, 1, "总分", len(headers) - 2 if not nu else len(headers) - 2)
    wcol = headers.index("分值") + 2
    put(r, wcol, num(spec.total_weight))
    put(r, wcol + 1, num(spec.reported_total()) if not isinstance(spec.total, str) else spec.total)
    put(r, wcol + 2, None, last_col)
    for row in ws.iter_rows(min_row=3, max_row=r, max_col=last_col):
        for cell in row:
            cell.border = _BORDER
    r += 2
    ws.cell(row=r, column=1, value="填报人：张三　　联系电话：12345678　　填报日期：" + f"{spec.year + 1}年3月15日")
    for j, width in enumerate((8, 12, 14, 22, 14, 14, 8, 8, 14, 14, 10, 10), start=1):
        ws.column_dimensions[chr(64 + j)].width = width


def _maybe_float(value: Any) -> Any:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return value
    return int(f) if f.is_integer() else f


# ------------------------------------------------------------------ random tables (benchmark)
_QUANT = (
    ("产出指标", "数量指标", "培训场数", "场", 90, 130),
    ("产出指标", "数量指标", "发放宣传资料", "万份", 6.5, 8),
    ("产出指标", "数量指标", "服务人次", "人次", 1500, 2000),
    ("产出指标", "质量指标", "验收合格率", "%", 95, 100),
    ("产出指标", "质量指标", "培训覆盖率", "%", 90, 100),
    ("产出指标", "成本指标", "人均培训成本", "元", 800, 900),
    ("效益指标", "社会效益指标", "政策知晓率", "%", 85, 100),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "%", 90, 100),
)
_QUAL = (
    ("效益指标", "社会效益指标", "群众获得感", "有效提升"),
    ("效益指标", "可持续影响指标", "长效机制建设", "逐步完善"),
    ("效益指标", "经济效益指标", "带动相关产业发展", "效果明显"),
)


def random_spec(rng: random.Random, index: int = 0) -> TableSpec:
    """A realistic table: 6–12 indicators, about one in four with a reviewer-visible problem."""
    quant = rng.sample(_QUANT, rng.randint(4, len(_QUANT)))
    qual = rng.sample(_QUAL, rng.randint(1, len(_QUAL)))
    chosen = sorted(quant + qual, key=lambda t: ("产出指标", "效益指标", "满意度指标").index(t[0]))
    weights = [rng.choice((5, 10, 10, 15)) for _ in chosen]
    scale = 90 / sum(weights)
    weights = [round(w * scale, 1) for w in weights]
    weights[-1] = round(90 - sum(weights[:-1]), 1)
    inds: list[Indicator] = []
    for (l1, l2, l3, *rest), w in zip(chosen, weights):
        if len(rest) == 1:
            actual = rng.choice(("达成年度指标", "效果明显", "部分达成", "有所提升"))
            score = round(w * rng.uniform(0.8, 1.0), 1) if actual != "部分达成" else round(w * 0.7, 1)
            inds.append(Indicator(l1, l2, l3, rest[0], actual, w, score, "" if score >= w else "宣传覆盖面不足"))
            continue
        unit, lo, hi = rest
        lower = l2 == "成本指标"
        target_num = lo
        actual_num = round(rng.uniform(lo * 0.85, hi) if not lower else rng.uniform(lo * 0.9, hi * 1.1), 1)
        if unit == "%":
            actual_num = min(actual_num, 100)
        met = actual_num <= target_num if lower else actual_num >= target_num
        if met:
            score = w
        elif lower:
            score = round(w * max(0.0, 1 - (actual_num - target_num) / target_num), 2)
        else:
            score = round(w * actual_num / target_num, 2)
        if rng.random() < 0.1:
            score = w  # full score on a missed target
        reason = "" if score >= w or rng.random() < 0.3 else "受疫情影响，部分活动延期"
        cmp_ = "≤" if lower else "≥"
        inds.append(Indicator(l1, l2, l3, f"{cmp_}{_n(target_num)}{unit}", f"{_n(actual_num)}{unit}", w, score, reason))
    adjusted = round(rng.uniform(50, 2000), 2)
    initial = adjusted if rng.random() < 0.7 else round(adjusted * rng.uniform(0.8, 1.1), 2)
    executed = round(adjusted * rng.uniform(0.75, 1.0), 2)
    rate = executed / adjusted
    spec = TableSpec(
        name=f"{2021}年第{index + 1}号专项资金项目", department=f"某市第{index % 37 + 1}局",
        unit=f"某市第{index % 211 + 1}中心", initial=initial, adjusted=adjusted, executed=executed,
        sub_rows=(("其中：当年财政拨款", initial, adjusted, executed), ("上年结转资金", 0.0, 0.0, 0.0),
                  ("其他资金", 0.0, 0.0, 0.0)),
        rate=f"{rate * 100:.2f}%", budget_score=round(10 * min(rate, 1.0), 2),
        budget_reason="" if rate >= 0.9 or rng.random() < 0.5 else "部分项目按进度结算",
        indicators=inds)
    return spec


def _n(x: float) -> str:
    return f"{x:g}"
