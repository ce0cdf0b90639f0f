"""What the 汇总 sheet shows, as positioned blocks of values that any adapter can write.

The blocks carry a ``role`` (title, headline, section, table …) and per-column number formats; the
openpyxl decorate step turns roles into fonts, fills, merges and the native bar chart, a live-Excel
adapter may apply the number formats only.  Positions are computed here once, so both adapters put
the same number in the same cell.  Nothing in this module reads or writes a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from ..scoring import model as m
from ..scoring.findings import total_basis
from . import layout as L
from .books import Block, plain

SHEET = L.SHEET_SUMMARY
DASH = "—"

# Labels of the generated sheet
T_TITLE = "{name}绩效评价汇总表"
T_TITLE_NO_NAME = "项目支出绩效评价汇总表"
T_SUBTITLE_PARTS = ("{year}年度", "{kind}", "主管部门：{department}", "实施单位：{unit}")
H_TOTAL, H_GRADE, H_MAX = "总分", "等级", "满分"
T_COUNTS = "指标体系：一级指标{一级}个、二级指标{二级}个、三级指标{三级}个（明细指标{明细}项，不适用{不适用}项）"
S_FUNDS = "一、资金情况（万元）"
S_LEVEL1 = "二、一级指标得分"
S_LEVEL2 = "三、二级指标得分"
S_FLAGS = "四、预警与需说明事项"
S_ERRORS = "五、输入错误（总分未计算）"
FUNDS_MONEY = (("年初预算", "initial"), ("预算调整", "adjustment"), ("全年预算", "adjusted"),
               ("实际到位", "received"), ("实际支出", "executed"))
FUNDS_RATES = (("预算调整率", m.RATE_ADJUSTMENT), ("资金到位率", m.RATE_FUNDS_RECEIVED), ("预算执行率", m.RATE_EXECUTION))
H_LEVEL1 = ("序号", "一级指标", "分值", "得分", "得分率", "扣分")
H_LEVEL2 = ("一级指标", "二级指标", "分值", "得分", "得分率", "扣分")
H_FLAGS = ("位置", "指标", "说明", None, None, "原因")
T_TOTAL_ROW = "合计"
T_NO_FLAGS = "无预警事项"
T_ROW = "第{row}行"
T_PROJECT = "项目信息"
T_REASON = {(True, True): "已填写", (True, False): "未填写", (False, False): DASH, (False, True): DASH}
T_FOOTER = "本表由 jixiao 根据“项目信息”“指标体系”“评分参数”自动生成，每次刷新时重建，请勿在本表填写内容。"
T_MORE_FLAGS = "另有 {count} 项预警未在此列出，详见“指标体系”工作表的“预警”列"
T_MORE_ERRORS = "另有 {count} 处输入错误未在此列出，详见命令行输出或“指标体系”的“评分说明”列"
# The sheet must stay one printable page: long lists are cut, with a line saying where the rest is.
MAX_FLAGS = 15
MAX_ERRORS = 15
CHART_TITLE = "一级指标得分与分值"
CHART_ROWS = 15  # rows reserved below the 一级 table for the bar chart
NUMERALS = "一二三四五六七八九十"

FMT_SCORE = "0.00"
FMT_HEADLINE = "General"
FMT_RATE = "0.00%"
FMT_MONEY = "#,##0.00"


@dataclass
class SummaryLayout:
    """The blocks plus the anchors the decorate step needs (chart source rows, chart anchor)."""

    blocks: list[Block]
    level1_first_row: int
    level1_last_row: int
    chart_row: int
    last_row: int


def _num(value: Any) -> Any:
    value = plain(value)
    return value if value is not None else None


def _text(value: Any) -> str:
    value = plain(value)
    return "" if value is None else str(value).strip()


def build(project: Mapping[str, Any], evaluation: Any, errors: list[str],
          names_by_row: Mapping[Any, str] | None = None) -> SummaryLayout:
    """All blocks of 汇总 for one evaluation; ``errors`` are the cell-addressed input errors."""
    ev = evaluation
    names_by_row = names_by_row or {}
    blocks: list[Block] = []
    row = 1

    def add(values: list[list[Any]], role: str, formats: list[str | None] | None = None, col: int = 1,
            **meta: Any) -> Block:
        nonlocal row
        block = Block(SHEET, row, col, values, formats, role, dict(meta))
        blocks.append(block)
        row += len(values)
        return block

    name = _text(project.get("name"))
    add([[T_TITLE.format(name=name) if name else T_TITLE_NO_NAME]], "title")
    parts = []
    for template, key in zip(T_SUBTITLE_PARTS, ("year", "kind", "department", "unit")):
        value = _text(project.get(key))
        if value:
            if key == "year":
                value = value.removesuffix("年度").removesuffix("年")
            parts.append(template.format(**{key: value}))
    add([["　·　".join(parts)]], "subtitle")
    row += 1

    # headline: 总分 (B4) and 等级 (D4) are named cells; keep their positions fixed
    assert (row, 2) == L.SUMMARY_TOTAL_CELL
    has_total = ev.total is not None and not errors
    # the total is on the 100-point scale even when rows do not apply (the engine rescales): 满分 says so,
    # the 一级 合计 below is what the rows add up to, and the note says how one became the other
    basis = total_basis(ev) if has_total else None
    add([[H_TOTAL, ev.total if has_total else DASH, H_GRADE, (ev.grade or DASH) if has_total else DASH,
          H_MAX, basis.full if basis else ev.max_total]], "headline", [None, FMT_HEADLINE, None, None, None, FMT_HEADLINE])
    add([[T_COUNTS.format(**{k: ev.counts.get(k, 0) for k in ("一级", "二级", "三级", "明细", "不适用")})]], "note")
    if basis and basis.sentence:  # a line of its own: a merged note row is one line high
        add([[basis.sentence.rstrip("。")]], "note")
    row += 1

    # funds
    add([[S_FUNDS]], "section")
    budget = ev.budget.completed()
    money = [(label, _num(getattr(budget, attr, None))) for label, attr in FUNDS_MONEY]
    money_rows = [[money[0][0], money[0][1], money[1][0], money[1][1], money[2][0], money[2][1]],
                  [money[3][0], money[3][1], money[4][0], money[4][1], None, None]]
    add(money_rows, "kv", [None, FMT_MONEY, None, FMT_MONEY, None, FMT_MONEY])
    rates = [[FUNDS_RATES[0][0], _num(ev.rates.get(FUNDS_RATES[0][1])),
              FUNDS_RATES[1][0], _num(ev.rates.get(FUNDS_RATES[1][1])),
              FUNDS_RATES[2][0], _num(ev.rates.get(FUNDS_RATES[2][1]))]]
    add(rates, "kv", [None, FMT_RATE, None, FMT_RATE, None, FMT_RATE])
    row += 1

    # 一级 table (also the chart's data)
    levels = ev.levels
    lv1 = levels[levels["depth"] == 1]
    lv2 = levels[levels["depth"] == 2]
    add([[S_LEVEL1]], "section")
    add([list(H_LEVEL1)], "table_header")
    body = []
    for i, r in enumerate(lv1.itertuples(index=False)):
        body.append([NUMERALS[i] if i < len(NUMERALS) else str(i + 1), _text(r.level1), _num(r.weight),
                     _num(r.score), _num(r.score_rate), _deduction(r.weight, r.score)])
    first1 = row
    if body:
        add(body, "table", [None, None, FMT_SCORE, FMT_SCORE, FMT_RATE, FMT_SCORE])
    last1 = row - 1
    shown = (basis.raw if basis and (basis.renormalised or basis.capped) else ev.total) if has_total else None
    total_rate = (shown / ev.max_total) if shown is not None and ev.max_total else None
    add([[T_TOTAL_ROW, None, ev.max_total, shown, total_rate, _deduction(ev.max_total, shown)]], "table_total",
        [None, None, FMT_SCORE, FMT_SCORE, FMT_RATE, FMT_SCORE])
    row += 1
    chart_row = row
    row += CHART_ROWS

    # 二级 table
    add([[S_LEVEL2]], "section")
    add([list(H_LEVEL2)], "table_header")
    body = []
    previous = None
    for r in lv2.itertuples(index=False):
        l1 = _text(r.level1)
        body.append([l1 if l1 != previous else None, _text(r.level2), _num(r.weight), _num(r.score),
                     _num(r.score_rate), _deduction(r.weight, r.score)])
        previous = l1
    if body:
        add(body, "table", [None, None, FMT_SCORE, FMT_SCORE, FMT_RATE, FMT_SCORE])
    row += 1

    # flags
    add([[S_FLAGS]], "section")
    add([list(H_FLAGS)], "table_header", merge_message=True)
    body = []
    links = []
    flag_rows = list(ev.flag_table.itertuples(index=False))
    for f in flag_rows[:MAX_FLAGS]:
        where = _flag_row(f.row)
        indicator = _text(f.indicator)
        if (not indicator or indicator.lower() == "nan") and where is not None:
            indicator = names_by_row.get(where, "")
        body.append([T_ROW.format(row=where) if where is not None else T_PROJECT, indicator, _text(f.message),
                     None, None, T_REASON[(bool(f.reason_required), bool(f.reason_present))]])
        links.append(where)
    if not body:
        body = [[T_NO_FLAGS, None, None, None, None, None]]
        links = [None]
    add(body, "flags", links=links)
    if len(flag_rows) > MAX_FLAGS:
        add([[T_MORE_FLAGS.format(count=len(flag_rows) - MAX_FLAGS)]], "note")

    if errors:
        row += 1
        add([[S_ERRORS]], "section")
        add([[e, None, None, None, None, None] for e in errors[:MAX_ERRORS]], "errors")
        if len(errors) > MAX_ERRORS:
            add([[T_MORE_ERRORS.format(count=len(errors) - MAX_ERRORS)]], "note")
    row += 1
    add([[T_FOOTER]], "footer")
    return SummaryLayout(blocks, first1, last1, chart_row, row - 1)


def _deduction(weight: Any, score: Any) -> Any:
    w, s = plain(weight), plain(score)
    if w is None or s is None:
        return None
    return round(float(w) - float(s), 2)


def _flag_row(value: Any) -> int | None:
    value = plain(value)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def level_frame(evaluation: Any, depth: int) -> pd.DataFrame:
    """Subtotals of one depth (1 = 一级): what the tables above show, for callers and tests."""
    levels = evaluation.levels
    return levels[levels["depth"] == depth].reset_index(drop=True)
