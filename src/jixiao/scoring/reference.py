"""A plain per-row implementation of the scoring rules, written for clarity, not speed.

Two uses: the engine's tests compare the vectorised rules against it on generated rows (two
independent readings of DOMAIN.md §4 must agree), and ``benchmarks/engine.py`` times it as the
"loop over rows" baseline.  It covers the quantitative, qualitative, checklist, stepped, manual,
yes/no and budget-execution methods for rows whose inputs are given directly (no 数据来源).
"""

from __future__ import annotations

from typing import Any

from .model import method_id
from .params import Params
from .rules import parse_bands
from .text import round_half_up
from .values import parse_value


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    parsed = parse_value(value)
    return parsed.number if parsed.kind == "number" and not parsed.unit else None


def score_one(method: Any, weight: float, target: Any = None, actual: Any = None, level: Any = None,
              judgement: Any = None, criteria: Any = None, params: Params | None = None) -> tuple[float | None, str | None]:
    """(score rounded to 2 decimals, None) or (None, reason) for one indicator row."""
    params = params or Params()
    w = float(weight)
    mid = method_id(method)
    if mid is None:
        return None, "unknown method"
    t = parse_value(target)
    a = parse_value(actual)
    s = _num(judgement)
    if t.kind == "invalid" or a.kind == "invalid":
        return None, "unreadable"  # whatever the method: a number nobody can read is never guessed
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
            mid = "qualitative"
        elif s is not None:
            mid = "manual"
        else:
            return None, "cannot choose a method"
    if params.lower_better_mode == "inverse" and mid == "lower":
        mid = "lower_inverse"

    if mid in ("higher", "lower", "lower_inverse", "equal", "budget_execution", "stepped"):
        if mid in ("higher", "lower", "lower_inverse", "equal") and (t.kind not in ("number", "percent")
                                                                    or t.number is None):
            return None, "target not a number"
        if a.kind == "empty":
            return 0.0, None
        if a.number is None:
            return None, "actual not a number"
        av = a.number
        if mid == "budget_execution":
            raw = w * max(av, 0.0)
            return round_half_up(min(raw, w) if params.budget_execution_cap else raw), None
        if mid == "stepped":
            try:
                bands = parse_bands(str(criteria or "").strip())
            except ValueError:
                return None, "bad criteria"
            ops = {"<=": lambda x, y: x <= y + 1e-12, "<": lambda x, y: x < y, ">=": lambda x, y: x >= y - 1e-12,
                   ">": lambda x, y: x > y, "=": lambda x, y: abs(x - y) <= 1e-12}
            for cmp_, threshold, _unit, frac in bands:
                if cmp_ is None or ops[cmp_](av, threshold):
                    return round_half_up(w * frac), None
            return 0.0, None
        if t.number is None:
            return None, "target not a number"
        if t.unit and a.unit and t.unit != a.unit:
            return None, "unit mismatch"
        if (t.unit == "%" and a.unit is None and isinstance(actual, str)) or \
                (a.unit == "%" and t.unit is None and isinstance(target, str)):
            return None, "unit mismatch"
        tv = t.number
        if mid == "equal" and tv == 0:
            return (w if av <= 0 else 0.0), None
        if mid in ("higher", "equal"):
            met = av > tv if t.comparator == ">" else av >= tv
            if met:
                score = w
                if tv > 0 and av >= tv * params.over_achievement_threshold - 1e-12 and params.over_achievement_deduction:
                    score = max(0.0, w - params.over_achievement_deduction)
                return round_half_up(score), None
            return (round_half_up(min(w, w * max(av, 0.0) / tv)) if tv > 0 else 0.0), None
        met = av < tv if t.comparator == "<" else av <= tv
        if met:
            return w, None
        if mid == "lower_inverse":
            return (round_half_up(w * min(1.0, tv / av)) if tv > 0 and av > 0 else 0.0), None
        if tv == 0:
            return 0.0, None
        share = min(1.0, max(0.0, 1 - (av - tv) / abs(tv)))
        return round_half_up(w * share), None

    if mid == "qualitative":
        lvl = parse_value(level).level if level not in (None, "") else a.level
        if lvl is None:
            if s is None:
                return 0.0, None
            return (s, None) if 0 <= s <= w + 1e-9 else (None, "out of range")
        band = params.band(lvl)
        if band is None:
            return None, "unknown level"
        lo, hi = band
        if s is None:
            return round_half_up(w * lo), None
        inside = s >= w * lo - 1e-9 and (s <= w * hi + 1e-9 if hi >= 1 else s < w * hi - 1e-9)
        return (s, None) if inside else (None, "out of band")
    if mid == "yesno":
        if a.kind == "empty":
            return 0.0, None
        if a.truth is None:
            return None, "not yes/no"
        return (w if a.truth else 0.0), None
    if mid == "checklist":
        if s is None:
            return 0.0, None
        if s < 0:
            return None, "negative deduction"
        return round_half_up(max(0.0, w - s)), None
    if mid == "manual":
        if s is None:
            return 0.0, None
        return (s, None) if 0 <= s <= w + 1e-9 else (None, "out of range")
    return None, f"method {mid} not covered"
