"""Audit a 自评表: recompute every score with the engine and list what does not add up.

JSON shape (``Audit.to_dict``; stable — new keys may be added, none renamed or removed)::

    {
      "schema": 1,
      "file": "xx.xlsx", "sheet": "项目支出绩效自评表",
      "project": {"name", "department", "unit", "year"},
      "rows": [{"row": 14, "cell": "自评表!B14", "level1", "level2", "level3", "target", "actual",
                "weight", "reported_score", "rule_score", "difference", "method", "explanation",
                "reason", "flags": [FLAG, ...]}],
      "budget": {"row", "cell", "initial", "adjusted", "executed", "weight", "reported_rate",
                 "rule_rate", "reported_score", "rule_score", "difference", "reason", "flags": [FLAG, ...]}
                | null when the table has no 项目资金 block,
      "weights": {"indicators", "budget", "total", "expected"},
      "reported_total", "rule_total", "difference", "grade", "reported_grade",
      "counts": {kind: number of flags},
      "flags": [FLAG, ...]            # every flag of the table: rows', budget's and table-level ones
    }
    FLAG = {"kind": id, "label": Chinese, "message": Chinese, "cell": "自评表!H14" | "", "row": 14 | null}

``target``/``actual`` are the texts the engine read (the variant's 指标性质+指标值+度量单位 joined);
``rule_score`` is null when the row cannot be scored (its flags say why); ``rule_total`` is null
when any row has no rule score (no partial totals: "严禁刻意抬高分数").  Scores are in 分, rates
are fractions.  Flag ids are listed in ``messages.FLAG_LABELS``.

Qualitative rows (a 定性 target such as "有效提升"): the 自评表 has no evaluator column, so the
unit's reported score is the evaluator's score and the level is read from the 实际完成值 text
("效果明显" → 达成年度指标).  The rule score is the reported score when it lies inside that level's
band (达成 80–100%, 部分达成 60–80%, 未达成 0–60% of 分值); otherwise it is the nearest score inside
the band and the row is flagged ``qualitative_band``.  When the text names no level ("有所提升"),
the reported score stands and the row is flagged ``qualitative_unchecked``.

Scoring is vectorised: ``audit_tables`` scores the rows of many tables in ONE engine call
(``score_indicators``; the 预算执行率 row gets the computed rate as its actual), which is what
makes a batch of thousands of files fast.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ...scoring import Params, parse_value, score_indicators
from ...scoring import model as m
from ...scoring.text import num_text, pct_text, round_half_up
from . import messages as msg
from .layout import SelfEvalTable, blank, norm

SCHEMA = 1
COST_WORDS = ("成本", "单价", "费用", "造价", "经费", "支出")
GROWTH_WORDS = ("增长", "增幅", "提高", "提升", "同比", "环比", "增加", "增速", "超额")
_PLACEHOLDER = re.compile(r"^[\s≥≤=<>＞＜]*(?:[\*＊]+|[xX]{2,}|×{2,}|[?？]+|待定|待填|待补充)[\s%％]*\S{0,3}$")
_BUDGET_ROW = -1  # engine ``row`` id of the 预算执行率 row (indicator rows use their Excel row)


@dataclass
class Flag:
    kind: str
    message: str
    cell: str = ""
    row: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": msg.FLAG_LABELS.get(self.kind, self.kind), "message": self.message,
                "cell": self.cell, "row": self.row}


@dataclass
class RowResult:
    row: int
    level1: str | None
    level2: str | None
    level3: str | None
    target: Any
    actual: Any
    weight: float | None
    reported: float | None
    rule: float | None
    method: str
    explanation: str
    reason: str | None
    flags: list[Flag] = field(default_factory=list)
    breakdown: bool = False  # a "其中…" row without 分值/得分: a breakdown of the row above, not scored

    @property
    def difference(self) -> float | None:
        if self.reported is None or self.rule is None:
            return None
        return float(round_half_up(self.reported - self.rule, 2))


@dataclass
class BudgetResult:
    row: int
    initial: float | None
    adjusted: float | None
    executed: float | None
    weight: float | None
    reported_rate: float | None
    rule_rate: float | None
    reported: float | None
    rule: float | None
    reason: str | None
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Audit:
    table: SelfEvalTable
    rows: list[RowResult]
    budget: BudgetResult | None
    table_flags: list[Flag]
    reported_total: float | None
    rule_total: float | None
    grade: str | None
    reported_grade: str | None
    weights: dict[str, float | None]

    @property
    def flags(self) -> list[Flag]:
        out: list[Flag] = list(self.budget.flags) if self.budget else []
        for r in self.rows:
            out.extend(r.flags)
        out.extend(self.table_flags)
        return out

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.flags:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        t = self.table
        b = self.budget
        return _json({
            "schema": SCHEMA,
            "file": t.file,
            "sheet": t.sheet,
            "project": {k: t.project.get(k) for k in ("name", "department", "unit", "year")},
            "rows": [{
                "row": r.row, "cell": t.ref(r.row, "level3"), "level1": r.level1, "level2": r.level2,
                "level3": r.level3, "target": _shown(r.target), "actual": _shown(r.actual), "weight": r.weight,
                "reported_score": r.reported, "rule_score": r.rule, "difference": r.difference,
                "method": r.method, "explanation": r.explanation, "reason": r.reason,
                "flags": [f.to_dict() for f in r.flags],
            } for r in self.rows],
            "budget": None if b is None else {
                "row": b.row, "cell": t.ref(b.row, "executed", funds=True), "initial": b.initial,
                "adjusted": b.adjusted, "executed": b.executed, "weight": b.weight,
                "reported_rate": b.reported_rate,
                "rule_rate": None if b.rule_rate is None else round(b.rule_rate, 6), "reported_score": b.reported,
                "rule_score": b.rule,
                "difference": None if b.reported is None or b.rule is None else round_half_up(b.reported - b.rule, 2),
                "reason": b.reason, "flags": [f.to_dict() for f in b.flags],
            },
            "weights": self.weights,
            "reported_total": self.reported_total,
            "rule_total": self.rule_total,
            "difference": None if self.reported_total is None or self.rule_total is None
            else round_half_up(self.reported_total - self.rule_total, 2),
            "grade": self.grade,
            "reported_grade": self.reported_grade,
            "counts": self.counts(),
            "flags": [f.to_dict() for f in self.flags],
        })


def _shown(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _json(value: Any) -> Any:
    return m.jsonable(value)


# --------------------------------------------------------------------------------------------
# Engine input
# --------------------------------------------------------------------------------------------
def execution_rate(table: SelfEvalTable) -> float | None:
    """全年执行数 / 全年预算数 (DOMAIN.md §3: the self-evaluation basis, not 实际到位)."""
    f = table.funds
    if f is None or f.adjusted is None or f.executed is None or f.adjusted <= 0:
        return None
    return f.executed / f.adjusted


def _needs_judgement(target: Any, actual: Any) -> bool:
    """Rows the engine scores from an evaluator's score: qualitative targets (not yes/no ones)."""
    t = parse_value(target)
    if t.kind in ("number", "percent", "date"):
        return False
    if t.truth is not None and parse_value(actual).truth is not None:
        return False  # 是/是: a yes/no indicator, scored by the rule alone
    return t.kind in ("qualitative", "empty", "invalid") or t.level is not None


def engine_rows(table: SelfEvalTable, key: int) -> list[dict[str, Any]]:
    """The engine's indicator rows for one table; ``key`` tells the tables of a chunk apart."""
    out = []
    f = table.funds
    if f is not None and f.weight is not None:
        r = execution_rate(table)
        out.append({"table": key, m.ROW: _BUDGET_ROW, m.WEIGHT: f.weight, m.METHOD: "budget_execution",
                    m.TARGET: "100%", m.ACTUAL: None if r is None else f"{r * 100:.12g}%",
                    m.JUDGEMENT: None})
    for r_ in table.rows:
        judge = r_.score if _needs_judgement(r_.target, r_.actual) else None
        out.append({"table": key, m.ROW: r_.row, m.WEIGHT: r_.weight, m.METHOD: None, m.TARGET: r_.target,
                    m.ACTUAL: r_.actual, m.JUDGEMENT: judge})
    return out


_RESULT_FIELDS = (m.ROW, "score", "completion_rate", "explanation", "method_used", "error", "error_field")


def score_chunk(tables: Sequence[SelfEvalTable], params: Params) -> list[dict[int, dict[str, Any]]]:
    """Rule results for the rows of many tables with one engine call per project year.

    Returns, per table, engine ``row`` → plain record (``_RESULT_FIELDS``); the 预算执行率 row has
    row ``_BUDGET_ROW``.  Plain lists, not DataFrame slices: per-table pandas calls would cost more
    than the engine does for the whole chunk.
    """
    per: list[dict[int, dict[str, Any]]] = [{} for _ in tables]
    records: list[dict[str, Any]] = []
    for k, t in enumerate(tables):
        records.extend(engine_rows(t, k))
    if not records:
        return per
    columns = ["table", m.ROW, m.WEIGHT, m.METHOD, m.TARGET, m.ACTUAL, m.JUDGEMENT]
    data = {c: np.empty(len(records), dtype=object) for c in columns}
    for c in columns:
        data[c][:] = [rec.get(c) for rec in records]
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in data.items()})
    years = np.array([tables[int(k)].project.get("year") for k in data["table"]], dtype=object)
    distinct = list(dict.fromkeys(years.tolist()))
    for year in distinct:
        mask = years == year if len(distinct) > 1 else np.ones(len(years), dtype=bool)
        part = frame[mask] if len(distinct) > 1 else frame
        result = score_indicators(part.drop(columns=["table"]), params, {"year": year, "kind": "单位自评"})
        keys = data["table"][mask].tolist()
        rows = data[m.ROW][mask].tolist()
        values = {f: result[f].tolist() for f in _RESULT_FIELDS if f != m.ROW}
        for i, (k, row) in enumerate(zip(keys, rows)):
            per[int(k)][int(row)] = {f: v[i] for f, v in values.items()}
    return per


def audit_tables(tables: Sequence[SelfEvalTable], params: Params | None = None) -> list[Audit]:
    params = params or Params()
    chunks = score_chunk(tables, params)
    return [finish(t, c, params) for t, c in zip(tables, chunks)]


def audit_table(table: SelfEvalTable, params: Params | None = None) -> Audit:
    return audit_tables([table], params)[0]


# --------------------------------------------------------------------------------------------
# Comparing reported and rule scores
# --------------------------------------------------------------------------------------------
def _f(x: Any) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _text_or_none(x: Any) -> str | None:
    return x if isinstance(x, str) and x else None


def _n(x: float | None) -> str:
    return num_text(x) if x is not None else "—"


def finish(table: SelfEvalTable, by_row: dict[int, dict[str, Any]], params: Params) -> Audit:
    tol = score_tolerance(params)
    budget = _budget(table, by_row.get(_BUDGET_ROW), params)
    rows = [_row(table, r, by_row.get(r.row, {}), params, tol) for r in table.rows]
    table_flags: list[Flag] = []

    # 总分 against the sum of the reported rows
    reported_parts = [r.reported for r in rows if r.reported is not None]
    budget_reported = budget.reported if budget and budget.reported is not None else 0.0
    reported_sum = float(round_half_up(sum(reported_parts) + budget_reported, 2))
    total_cell = table.ref(table.total_row, "score") if table.total_row else ""
    if table.total_row is not None and table.total is None:
        table_flags.append(Flag("missing_value", msg.F_MISSING.format(what=msg.WHAT["total"]), total_cell,
                                table.total_row))
    if table.total is not None and abs(table.total - reported_sum) > 0.005 + 1e-9:
        table_flags.append(Flag("total_mismatch", msg.F_TOTAL.format(total=_n(table.total), sum=_n(reported_sum),
                                                                     budget=_n(budget_reported)),
                                total_cell, table.total_row))

    # weights: 100 with the budget row, or 100 without it when the table has no budget 分值
    ind_w = float(round_half_up(sum(r.weight for r in rows if r.weight is not None), 2))
    bud_w = budget.weight if budget and budget.weight is not None else None
    total_w = float(round_half_up(ind_w + (bud_w or 0.0), 2))
    expected = params.expected_total_weight
    weights = {"indicators": ind_w, "budget": bud_w, "total": total_w, "expected": expected}
    weight_cell = table.ref(table.total_row, "weight") if table.total_row else table.ref(table.header_row, "weight")
    if abs(total_w - expected) > 0.005:
        if bud_w and abs(ind_w - expected) <= 0.005:
            text = msg.F_WEIGHTS_BOTH.format(ind=_n(ind_w), budget=_n(bud_w), total=_n(total_w))
        else:
            part = msg.F_WEIGHTS_BUDGET_PART.format(budget=_n(bud_w)) if bud_w else ""
            text = msg.F_WEIGHTS.format(total=_n(total_w), ind=_n(ind_w), budget_part=part, expected=_n(expected))
        table_flags.append(Flag("weights_total", text, weight_cell, table.total_row or table.header_row))

    parts = [r.rule for r in rows if not r.breakdown]
    if budget is not None:
        parts.append(budget.rule)
    rule_total = None if any(p is None for p in parts) else float(round_half_up(sum(parts), 2))
    reported_total = table.total if table.total is not None else (reported_sum if reported_parts else None)
    # a table out of 120 or 30 is not graded on the 100-point bands (as the workbook refuses its total)
    graded = abs(total_w - expected) <= 0.005
    return Audit(table, rows, budget, table_flags, reported_total, rule_total,
                 params.grade(rule_total) if graded else None, params.grade(reported_total) if graded else None,
                 weights)


def _budget(table: SelfEvalTable, rec: dict[str, Any] | None, params: Params) -> BudgetResult | None:
    f = table.funds
    if f is None:
        return None
    rate_rule = execution_rate(table)
    flags: list[Flag] = []
    ref = lambda field_: table.ref(f.row, field_, funds=True)  # noqa: E731
    if not f.adjusted and not f.executed:  # 0 or blank: a total of nothing, while a 其中 row has money
        funded = next((s for s in f.sub_rows if (s.get("adjusted") or 0) > 0 or (s.get("executed") or 0) > 0), None)
        if funded is not None:
            flags.append(Flag("funds_total_zero", msg.F_FUNDS_TOTAL_ZERO.format(
                label=funded.get("label") or "其中", adjusted=_n(funded.get("adjusted")),
                executed=_n(funded.get("executed"))), ref("adjusted"), f.row))
    for key, value in (("adjusted", f.adjusted), ("executed", f.executed), ("weight", f.weight)):
        if value is None:
            flags.append(Flag("missing_value", msg.F_MISSING.format(what=msg.WHAT["budget." + key]), ref(key), f.row))
    reported_rate = f.rate
    if reported_rate is not None and rate_rule is not None:
        if f.rate_decimals is None and reported_rate > 1.5 and abs(reported_rate / 100 - rate_rule) < abs(reported_rate - rate_rule):
            reported_rate = reported_rate / 100  # 91.67 typed for 91.67%
        # tolerance: half a unit of the last digit shown ("92%" vs 91.67% is rounding, not an error)
        shown = f.rate_decimals if f.rate_decimals is not None else _decimals(f.raw.get("rate"))
        tol = max(0.5 * 10 ** -shown, 1e-4) if shown is not None else 1e-4
        if abs(reported_rate - rate_rule) > tol + 1e-12:
            flags.append(Flag("budget_rate_mismatch", msg.F_RATE.format(
                reported=pct_text(reported_rate, 2), executed=_n(f.executed), budget=_n(f.adjusted),
                rule=pct_text(rate_rule, 2)), ref("rate"), f.row))
    rule = _f(rec.get("score")) if rec else None
    if f.weight is not None and f.score is not None and f.score > f.weight + 0.005:
        flags.append(Flag("score_above_weight", msg.F_SCORE_ABOVE.format(score=_n(f.score), weight=_n(f.weight)),
                          ref("score"), f.row))
    if f.score is None and f.weight:
        flags.append(Flag("missing_value", msg.F_MISSING.format(what=msg.WHAT["budget.score"]), ref("score"), f.row))
    if rule is not None and f.score is not None and abs(f.score - rule) > score_tolerance(params) + 1e-9:
        flags.append(Flag("budget_score_mismatch", msg.F_RATE_SCORE.format(
            score=_n(f.score), weight=_n(f.weight), rate=pct_text(rate_rule, 2), rule=_n(rule)), ref("score"), f.row))
    if rate_rule is not None and rate_rule < params.execution_reason_threshold - 1e-12 and not f.reason:
        flags.append(Flag("reason_missing", msg.F_EXEC_NO_REASON.format(
            rate=pct_text(rate_rule, 2), thr=pct_text(params.execution_reason_threshold, 0)),
            ref("reason") if "reason" in table.funds_cols else ref("rate"), f.row))
    return BudgetResult(f.row, f.initial, f.adjusted, f.executed, f.weight, reported_rate, rate_rule, f.score,
                        rule, f.reason, flags)


def _decimals(value: Any) -> int | None:
    """Decimals of a rate typed as a fraction (0.92 → 2), so 92% compares at its precision."""
    if isinstance(value, float):
        text = repr(value)
        if "e" in text:
            return None
        return len(text.split(".")[1]) if "." in text else 0
    return None


def score_tolerance(params: Params) -> float:
    """How far a reported score may lie from the rule's: the pack's tolerance, but below one unit of
    the last place the pack scores to (a table scored to whole points that prints 8 for 9 is wrong,
    not rounded)."""
    if params.decimals >= 2:
        return params.score_tolerance
    return min(params.score_tolerance, 10.0 ** -params.decimals - 1e-6)


def is_breakdown(r: Any) -> bool:
    """A "其中…" row with no 分值 and no 得分: it itemises the indicator above (其中桃树种植面积 under
    ★补助瓜果蔬菜种植面积) and is not an indicator of its own."""
    name = (r.level3 or "").strip()
    return name.startswith("其中") and blank(r.raw.get("weight")) and blank(r.raw.get("score"))


def _row(table: SelfEvalTable, r: Any, rec: dict[str, Any], params: Params, tol: float) -> RowResult:
    ref = lambda field_: table.ref(r.row, field_)  # noqa: E731
    if is_breakdown(r):
        return RowResult(r.row, r.level1, r.level2, r.level3, r.target, r.actual, None, None, None, "breakdown",
                         msg.BREAKDOWN, r.reason, [], breakdown=True)
    flags: list[Flag] = []
    rule = _f(rec.get("score"))
    method = _text_or_none(rec.get("method_used")) or ""
    explanation = _text_or_none(rec.get("explanation")) or ""
    error = _text_or_none(rec.get("error"))  # pandas 3 may hand back NaN for "no error"
    error_field = _text_or_none(rec.get("error_field")) or ""
    name = r.level3 or ""
    w, s = r.weight, r.score
    t_parsed, a_parsed = parse_value(r.target), parse_value(r.actual)

    # what was left blank or as a placeholder
    for field_, value, parsed in (("target", r.target, t_parsed), ("actual", r.actual, a_parsed)):
        text = value.strip() if isinstance(value, str) else None
        if text and not any(ch.isdigit() for ch in text) and _PLACEHOLDER.match(text):
            flags.append(Flag("placeholder", msg.F_PLACEHOLDER.format(what=msg.WHAT[field_], text=text), ref(field_), r.row))
        elif parsed.kind == "empty":
            flags.append(Flag("missing_value", msg.F_MISSING.format(what=msg.WHAT[field_]), ref(field_), r.row))
    for field_, value in (("weight", w), ("score", s)):
        if value is None:
            raw = r.raw.get(field_)
            if blank(raw):
                flags.append(Flag("missing_value", msg.F_MISSING.format(what=msg.WHAT[field_]), ref(field_), r.row))
            else:
                flags.append(Flag("unreadable_value", msg.F_UNREADABLE.format(
                    what=msg.WHAT[field_], message=f"“{raw}”不是数字"), ref(field_), r.row))

    # the engine could not score the row
    qualitative = method in ("qualitative", "manual")
    level = a_parsed.level
    if error and not (qualitative and error_field == m.JUDGEMENT):
        if error_field in ("target", "actual", "method", "weight"):
            where = error_field if error_field in ("target", "actual", "weight") else "target"
            if not any(f.row == r.row and f.kind in ("placeholder", "unreadable_value", "missing_value")
                       and f.cell == ref(where) for f in flags):
                flags.append(Flag("unreadable_value", msg.F_UNREADABLE.format(what=msg.WHAT[where], message=error),
                                  ref(where), r.row))
        rule = None
    elif qualitative and w is not None and s is not None:
        band = params.band(level) if level else None
        if band is None:
            rule = s if 0 <= s <= w + 1e-9 else None
            if not any(f.cell == ref("actual") for f in flags):  # a placeholder/blank is flagged already
                flags.append(Flag("qualitative_unchecked", msg.F_UNCHECKED.format(actual=_shown(r.actual) or "", score=_n(s)),
                                  ref("actual"), r.row))
            explanation = f"完成情况无法判断定性档次，按报告得分{_n(s)}分计"
        else:
            lo, hi = band
            lo_pts, hi_pts = w * lo, w * hi
            top = hi >= 1.0
            inside = s >= lo_pts - 1e-9 and (s <= hi_pts + 1e-9 if top else s < hi_pts - 1e-9)
            if inside:
                rule = s
            else:
                rule = float(round_half_up(lo_pts, 2)) if s < lo_pts else float(round_half_up(hi_pts if top else hi_pts - 0.01, 2))
                flags.append(Flag("qualitative_band", msg.F_BAND.format(
                    actual=_shown(r.actual), level=m.LEVEL_LABELS.get(level, level), lo=_n(lo_pts),
                    hi=_n(hi_pts), score=_n(s), rule=_n(rule)), ref("score"), r.row))
            explanation = (f"定性：{m.LEVEL_LABELS.get(level, level)}（{num_text(lo * 100)}%–{num_text(hi * 100)}%），"
                           f"报告得分{_n(s)}分" + ("在档内" if inside else f"不在档内，按{_n(rule)}分复核"))
    elif qualitative:
        rule = None

    # reported vs rule
    if w is not None and s is not None and s > w + 0.005:
        flags.append(Flag("score_above_weight", msg.F_SCORE_ABOVE.format(score=_n(s), weight=_n(w)), ref("score"), r.row))
    if rule is not None and s is not None and abs(s - rule) > tol + 1e-9 and not any(f.kind == "qualitative_band" for f in flags):
        flags.append(Flag("score_mismatch", msg.F_MISMATCH.format(
            score=_n(s), rule=_n(rule), diff=_n(abs(s - rule)), tol=_n(tol), why=explanation), ref("score"), r.row))
    missed = _missed(method, rule, w, level, rec)
    if missed and w is not None and s is not None and s >= w - 0.005:
        flags.append(Flag("full_score_missed_target", msg.F_FULL_MISSED.format(why=missed, score=_n(s)), ref("score"), r.row))
    if w is not None and s is not None and s < w - 0.005 and not r.reason:
        flags.append(Flag("partial_without_reason", msg.F_PARTIAL_NO_REASON.format(score=_n(s), weight=_n(w)),
                          ref("reason"), r.row))
    comp = _f(rec.get("completion_rate"))
    t_num = t_parsed.number
    if (method in ("higher", "equal") and comp is not None and t_num is not None and t_num > 0
            and comp >= params.over_achievement_threshold - 1e-12 and not r.reason):
        flags.append(Flag("reason_missing", msg.F_OVER_NO_REASON.format(
            dev=pct_text(comp - 1, 1), thr=pct_text(params.over_achievement_threshold - 1, 0)), ref("reason"), r.row))

    # how the targets are written
    is_cost = "成本" in norm(r.level2) or any(wd in name for wd in COST_WORDS)
    if is_cost and t_parsed.comparator in (">=", ">"):
        flags.append(Flag("cost_with_ge", msg.F_COST_GE.format(name=name, text=_shown(r.target)), ref("target"), r.row))
    if not any(wd in name for wd in GROWTH_WORDS):
        for field_, parsed, value in (("target", t_parsed, r.target), ("actual", a_parsed, r.actual)):
            if parsed.kind == "percent" and parsed.number is not None and parsed.number > 1.0 + 1e-9:
                flags.append(Flag("percent_over_100", msg.F_PERCENT.format(what=msg.WHAT[field_], text=_shown(value)),
                                  ref(field_), r.row))
    return RowResult(r.row, r.level1, r.level2, r.level3, r.target, r.actual, w, s, rule, method, explanation,
                     r.reason, flags)


def _missed(method: str, rule: float | None, weight: float | None, level: str | None, rec: dict[str, Any]) -> str:
    """Why the target counts as missed ("" when met or unknown)."""
    if method in ("qualitative", "manual"):
        if level in (m.LEVEL_PARTIAL, m.LEVEL_MISSED):
            return f"完成情况为“{m.LEVEL_LABELS[level]}”"
        return ""
    if rule is None or weight is None:
        return ""
    if rule < weight - 0.005:
        comp = _f(rec.get("completion_rate"))
        return f"完成率{pct_text(comp, 1)}" if comp is not None and method in ("higher", "equal") else f"按规则得{_n(rule)}分"
    return ""


def flags_of(audits: Iterable[Audit]) -> list[Flag]:
    out: list[Flag] = []
    for a in audits:
        out.extend(a.flags)
    return out
