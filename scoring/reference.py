"""A plain per-row implementation of the scoring rules, written for clarity, not speed.

Two uses: the engine's tests compare the vectorised rules against it on generated rows (two
independent readings of DOMAIN.md §4 must agree on the score, 完成率, 偏离度 and the explanation),
and ``benchmarks/engine.py`` times it as the "loop over rows" baseline: one row at a time, the same
outputs.  It covers the quantitative, qualitative, checklist, stepped, manual, yes/no and
budget-execution methods for rows whose inputs are given directly (no 比率来源, no dates).
The sentences come from ``wording``, as the vectorised rules' do.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from . import model as m, wording as W
from .model import method_id
from .params import Params
from .rules import DEDUCTIBLE, _display, _multiplier, band_text, parse_bands
from .text import num_text, pct_text, round_half_up, round_score
from .values import parse_value

NAN = math.nan


class RowResult(NamedTuple):
    score: float | None  # rounded to 2 decimals; None when the row is an error
    completion_rate: float
    deviation: float
    explanation: str
    reason: str | None  # why the row is an error (English, for the tests), None when scored


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    parsed = parse_value(value)
    return parsed.number if parsed.kind == "number" and not parsed.unit else None


def _error(reason: str) -> RowResult:
    return RowResult(None, NAN, NAN, "", reason)


def _rates(av: float | None, tv: float) -> tuple[float, float]:
    if av is None or tv == 0:
        return NAN, NAN
    return av / tv, (av - tv) / abs(tv)


def _resolve(method: Any, t: Any, a: Any, s: float | None, level: Any, criteria: Any, target: Any,
             params: Params) -> tuple[str | None, str | None]:
    """(method id, reason it cannot be chosen): the "auto" method as the package doc describes it."""
    mid = method_id(method)
    if mid is None:
        return None, "unknown method"
    if mid == "auto":
        if t.kind in ("number", "percent"):
            mid = {"<=": "lower", "<": "lower", "=": "equal"}.get(t.comparator or "", "higher")
        elif t.kind == "date":
            return None, "deadline rows are not covered here"
        elif criteria:
            mid = "stepped"
        elif t.truth is not None and a.truth is not None and s is None:
            mid = "yesno"
        elif level or a.level:
            mid = "qualitative"
        elif a.truth is not None:
            mid = "yesno"
        elif t.kind == "qualitative":
            if s is None and any(ch.isdigit() for ch in str(target)):
                return None, "target with digits read as neither number nor date"
            mid = "qualitative"
        elif s is not None:
            mid = "manual"
        else:
            return None, "cannot choose a method"
    if params.lower_better_mode == "inverse" and mid == "lower":
        mid = "lower_inverse"
    return mid, None


def evaluate_one(method: Any, weight: float, target: Any = None, actual: Any = None, level: Any = None,
                 judgement: Any = None, criteria: Any = None, params: Params | None = None) -> RowResult:
    """Score, 完成率, 偏离度 and explanation of one indicator row, or the reason it is an error.

    The rule's score, then an evaluator's deduction on a rule-scored row, then the pack's rounding."""
    params = params or Params()
    result = _rule_one(method, weight, target, actual, level, judgement, criteria, params)
    if result.reason is not None or result.score is None:
        return result
    t, a, s = parse_value(target), parse_value(actual), _num(judgement)
    mid, _ = _resolve(method, t, a, s, level, criteria, target, params)
    score, explanation = result.score, result.explanation
    if mid in DEDUCTIBLE and s is not None:
        if s < 0:
            return _error("negative deduction")
        if s > 0:
            score = max(0.0, score - s)
            explanation += W.DEDUCTED.format(d=num_text(s), score=num_text(score))
    final = round_score(score, params.decimals, params.rounding)  # once, from the unrounded score
    if abs(final - round_half_up(score, 2)) > 1e-9:
        mode = "截尾" if params.rounding == "truncate" else "四舍五入"
        template = W.ROUNDED_WHOLE if params.decimals == 0 else W.ROUNDED
        explanation += template.format(mode=mode, decimals=params.decimals, raw=num_text(score, 4),
                                       score=num_text(final, params.decimals))
    return result._replace(score=final, explanation=explanation)


def _rule_one(method: Any, weight: float, target: Any, actual: Any, level: Any, judgement: Any, criteria: Any,
              params: Params) -> RowResult:
    w = float(weight)
    wt = num_text(w)
    t = parse_value(target)
    a = parse_value(actual)
    s = _num(judgement)
    if method_id(method) is None:
        return _error("unknown method")
    if t.kind == "invalid" or a.kind == "invalid":
        return _error("unreadable")  # whatever the method: a number nobody can read is never guessed
    mid, why = _resolve(method, t, a, s, level, criteria, target, params)
    if mid is None:
        return _error(why or "cannot choose a method")

    # as explanations show them: an Excel number next to a percentage reads as a percentage
    at, tt = _display(actual), _display(target)
    if t.unit == "%" and not isinstance(actual, str) and a.kind in ("number", "percent") and a.number is not None:
        at = num_text(a.number * 100, 4) + "%"
    if a.unit == "%" and not isinstance(target, str) and t.kind in ("number", "percent") and t.number is not None:
        tt = num_text(t.number * 100, 4) + "%"

    if mid in ("higher", "lower", "lower_inverse", "equal", "budget_execution", "ratio", "stepped"):
        quantity = mid in ("higher", "lower", "lower_inverse", "equal")
        if quantity and (t.kind not in ("number", "percent") or t.number is None):
            return _error("target not a number")
        if a.kind == "empty":
            return RowResult(0.0, NAN, NAN, W.MISSING_ACTUAL.format(w=wt), None)
        if a.number is None:
            return _error("actual not a number")
        av = a.number
        bare_actual = a.unit is None and (isinstance(actual, str) or av > 1 or av < 0)
        if mid in ("budget_execution", "ratio") and a.unit != "%" and (av > 1 or av < 0):
            return _error("execution rate without %")
        if quantity and _multiplier(target) and a.unit is None:
            return _error("万 target beside a unitless actual")
        if quantity and _multiplier(actual) and t.unit is None:
            return _error("万 actual beside a unitless target")
        if quantity and t.unit == "%" and bare_actual:
            return _error("bare number beside a percentage")
        if quantity and a.unit == "%" and t.unit is None and t.number is not None and \
                (isinstance(target, str) or t.number > 1 or t.number < 0):
            return _error("bare target beside a percentage")
        if mid in ("budget_execution", "ratio"):
            cap = params.budget_execution_cap if mid == "budget_execution" else True
            raw = w * max(av, 0.0)
            capped = cap and raw > w
            score = min(raw, w) if cap else raw
            if mid == "ratio":
                template = W.RATIO_CAPPED if capped else W.RATIO
            else:
                template = W.BUDGET_EXECUTION_CAPPED if capped else W.BUDGET_EXECUTION
            return RowResult(score, av, NAN,
                             template.format(rate=pct_text(av, 2), w=wt, score=num_text(score)), None)
        if mid == "stepped":
            try:
                bands = parse_bands(str(criteria or "").strip())
            except ValueError:
                return _error("bad criteria")
            ops = {"<=": lambda x, y: x <= y + 1e-12, "<": lambda x, y: x < y, ">=": lambda x, y: x >= y - 1e-12,
                   ">": lambda x, y: x > y, "=": lambda x, y: abs(x - y) <= 1e-12}
            frac, step = 0.0, W.STEPPED_NO_BAND
            for cmp_, threshold, unit, share in bands:
                if cmp_ is None or ops[cmp_](av, threshold):
                    frac = share
                    step = W.STEPPED_OTHERWISE if cmp_ is None else band_text(cmp_, threshold, unit)
                    break
            score = w * frac
            return RowResult(score, NAN, NAN,
                             W.STEPPED.format(at=at, step=step, share=num_text(frac * 100) + "%", w=wt,
                                              score=num_text(score)), None)
        if t.unit and a.unit and t.unit != a.unit:
            return _error("unit mismatch")
        if (t.unit == "%" and a.unit is None and isinstance(actual, str)) or \
                (a.unit == "%" and t.unit is None and isinstance(target, str)):
            return _error("unit mismatch")
        tv = t.number
        rate, dev = _rates(av, tv)
        rate_text = pct_text(rate)
        if mid == "equal" and tv == 0:
            if av <= 0:
                return RowResult(w, rate, dev, W.EQUAL_ZERO_MET.format(at=at, w=wt), None)
            return RowResult(0.0, rate, dev, W.EQUAL_ZERO_MISSED.format(at=at), None)
        if mid in ("higher", "equal"):
            met = av > tv if t.comparator == ">" else av >= tv
            if met:
                over = tv > 0 and av >= tv * params.over_achievement_threshold - 1e-12
                if not over:
                    return RowResult(w, rate, dev, W.HIGHER_MET.format(at=at, tt=tt, rate=rate_text, w=wt), None)
                ded = params.over_achievement_deduction
                score = max(0.0, w - ded) if ded else w
                template = W.HIGHER_OVER_DEDUCTED if ded else W.HIGHER_OVER
                return RowResult(score, rate, dev,
                                 template.format(at=at, tt=tt, rate=rate_text, w=wt, dev=pct_text(dev),
                                                 ded=f"{ded:g}", score=num_text(score)), None)
            if tv <= 0:
                return RowResult(0.0, rate, dev,
                                 W.HIGHER_NONPOSITIVE_TARGET.format(at=at, tt=tt, rate=rate_text), None)
            score = min(w, w * max(av, 0.0) / tv)
            return RowResult(score, rate, dev,
                             W.HIGHER_PARTIAL.format(at=at, tt=tt, rate=rate_text, w=wt, score=num_text(score)),
                             None)
        met = av < tv if t.comparator == "<" else av <= tv
        if met:
            return RowResult(w, rate, dev, W.LOWER_MET.format(at=at, tt=tt, w=wt), None)
        if mid == "lower_inverse":
            score = w * min(1.0, tv / av) if tv > 0 and av > 0 else 0.0
            return RowResult(score, rate, dev,
                             W.LOWER_INVERSE.format(at=at, tt=tt, w=wt, score=num_text(score)), None)
        excess = (av - tv) / abs(tv) if tv != 0 else math.inf
        score = w * min(1.0, max(0.0, 1 - excess))
        return RowResult(score, rate, dev,
                         W.LOWER_LINEAR.format(at=at, tt=tt, excess="—" if math.isinf(excess) else pct_text(excess),
                                               score=num_text(score)), None)

    if mid == "qualitative":
        lvl = parse_value(level).level if level not in (None, "") else a.level
        if lvl is None:
            if s is None:
                return RowResult(0.0, NAN, NAN, W.QUALITATIVE_NOTHING, None)
            if not 0 <= s <= w + 1e-9:
                return _error("out of range")
            return RowResult(s, NAN, NAN, W.QUALITATIVE_NO_LEVEL.format(s=num_text(s)), None)
        band = params.band(lvl)
        if band is None:
            return _error("unknown level")
        lo, hi = band
        label, band_txt = m.LEVEL_LABELS.get(lvl, lvl), f"（{lo * 100:g}%–{hi * 100:g}%）"
        if s is None:
            return RowResult(w * lo, NAN, NAN,
                             W.QUALITATIVE_UNSCORED.format(label=label, band=band_txt, lo=num_text(w * lo)), None)
        inside = s >= w * lo - 1e-9 and (s <= w * hi + 1e-9 if hi >= 1 else s < w * hi - 1e-9)
        if not inside:
            return _error("out of band")
        return RowResult(s, NAN, NAN, W.QUALITATIVE_SCORED.format(label=label, band=band_txt, s=num_text(s)), None)
    if mid == "yesno":
        if a.kind == "empty":
            return RowResult(0.0, NAN, NAN, W.MISSING_ACTUAL.format(w=wt), None)
        if a.truth is None:
            return _error("not yes/no")
        if t.truth is False:  # the target asks for 否/无
            if not a.truth:
                return RowResult(w, NAN, NAN, W.YESNO_TARGET_MET.format(at=at, tt=tt, w=wt), None)
            return RowResult(0.0, NAN, NAN, W.YESNO_TARGET_MISSED.format(at=at, tt=tt, w=wt), None)
        if a.truth:
            return RowResult(w, NAN, NAN, W.YESNO_YES.format(at=at, w=wt), None)
        return RowResult(0.0, NAN, NAN, W.YESNO_NO.format(at=at), None)
    if mid == "checklist":
        if s is None:
            return RowResult(0.0, NAN, NAN, W.CHECKLIST_MISSING, None)
        if s < 0:
            return _error("negative deduction")
        if s == 0:
            return RowResult(w, NAN, NAN, W.CHECKLIST_NONE.format(w=wt), None)
        score = max(0.0, w - s)
        return RowResult(score, NAN, NAN,
                         W.CHECKLIST_SOME.format(w=wt, d=num_text(s), score=num_text(score)), None)
    if mid == "manual":
        if s is None:
            return RowResult(0.0, NAN, NAN, W.MANUAL_MISSING, None)
        if not 0 <= s <= w + 1e-9:
            return _error("out of range")
        return RowResult(s, NAN, NAN, W.MANUAL_SCORED.format(s=num_text(s), w=wt), None)
    return _error(f"method {mid} not covered")
