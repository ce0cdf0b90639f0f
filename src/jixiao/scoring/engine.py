"""Tree aggregation 明细 → 三级 → 二级 → 一级 → 总分, grade and flags: ``evaluate``.

The engine is pure: a project mapping and an indicator DataFrame in, an ``Evaluation`` out.
Scores are rounded per scored row and every total is a sum of rounded rows, as on paper, so the
workbook, the report and a reviewer's calculator agree to the cent.  When any row has an input
error, subtotals touching it and the total are None: a partial total would look like a result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

import numpy as np
import pandas as pd

from . import model as m
from .model import Flag, InputError, jsonable
from .params import Params
from .rates import Budget, budget_rates
from .rules import P_METHOD, P_WEIGHT, prepare, score_rows
from .text import cat, join_nonempty, nums, pcts, round_half_up, num_text, pct_text

FRAMEWORK_KINDS = ("部门评价", "财政评价")
FLAG_COLUMNS = ("row", "indicator", "kind", "message", "reason_required", "reason_present")


@dataclass
class Evaluation:
    """Everything the adapters write and the report quotes.

    ``rows``     per input row (same index): RESULT_COLUMNS of ``model``
    ``levels``   one row per node: depth (1/2/3), level1, level2, level3, weight, score, score_rate
    ``total``    None when any input error remains; ``grade`` likewise
    ``rates``    project rates keyed by their Chinese names (fractions)
    ``budget``   the budget block as read (万元), with 全年预算 completed from 年初预算 + 调整
    ``flag_table`` one row per flag (FLAG_COLUMNS); ``flags`` the same as Flag objects
    """

    project: dict[str, Any]
    params: Params
    rows: pd.DataFrame
    levels: pd.DataFrame
    total: float | None
    total_before_cap: float | None
    max_total: float
    grade: str | None
    rates: dict[str, float | None]
    budget: Budget
    counts: dict[str, int]
    flag_table: pd.DataFrame
    errors: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @cached_property
    def flags(self) -> list[Flag]:
        return [
            Flag(kind=r.kind, message=r.message, row=r.row, indicator=r.indicator,
                 reason_required=bool(r.reason_required), reason_present=bool(r.reason_present))
            for r in self.flag_table.itertuples(index=False)
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values; the shape is what ``jixiao score --json`` prints."""
        rows = self.rows.copy()
        rows.insert(0, "index", rows.index)
        return jsonable({
            "total": self.total,
            "total_before_cap": self.total_before_cap,
            "max_total": self.max_total,
            "grade": self.grade,
            "rates": self.rates,
            "budget": {k: getattr(self.budget.completed(), k) for k in ("initial", "adjustment", "adjusted", "received", "executed")},
            "counts": self.counts,
            "levels": self.levels.to_dict(orient="records"),
            "rows": rows.to_dict(orient="records"),
            "flags": [f.to_dict() for f in self.flags],
            "errors": [e.to_dict() for e in self.errors],
            "params": self.params.to_mapping(),
        })


# --------------------------------------------------------------------------------------------
def _blank_mask(s: pd.Series) -> np.ndarray:
    obj = s.astype(object)
    return (obj.isna() | obj.map(lambda v: isinstance(v, str) and not v.strip())).to_numpy(bool)


def _clean_name(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    text = (v if isinstance(v, str) else str(v)).strip()
    return text or None


def _clean_names(s: pd.Series) -> pd.Series:
    return pd.Series([_clean_name(v) for v in s.astype(object)], index=s.index, dtype=object)


_NOT_APPLICABLE = {"否", "不适用", "n", "no", "false", "0", "×", "x", "na", "n/a"}


def _applicable(s: pd.Series) -> np.ndarray:
    def one(v: Any) -> bool:
        if v is None or (isinstance(v, float) and v != v):
            return True
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)):
            return v != 0
        return str(v).strip().lower() not in _NOT_APPLICABLE
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=False)
    return np.array([one(u) for u in uniques] + [True], dtype=bool)[codes]


def normalise(indicators: pd.DataFrame) -> pd.DataFrame:
    """Missing optional columns added; blank 一级/二级 (merged cells) filled from the row above."""
    missing = [c for c in m.REQUIRED_COLUMNS if c not in indicators.columns]
    if missing:
        raise ValueError(f"指标表缺少必需的列：{', '.join(missing)}")
    df = indicators.copy()
    n = len(df)
    for column in m.INPUT_COLUMNS:
        if column not in df.columns:
            df[column] = pd.Series([None] * n, index=df.index, dtype=object)
    if df[m.ROW].isna().all():
        df[m.ROW] = df.index
    for column in (m.LEVEL1, m.LEVEL2, m.LEVEL3, m.DETAIL):
        df[column] = _clean_names(df[column])
    df[m.LEVEL1] = df[m.LEVEL1].ffill()
    df[m.LEVEL2] = df[m.LEVEL2].ffill()
    has_detail = df[m.DETAIL].notna().to_numpy()
    df.loc[has_detail, m.LEVEL3] = df[m.LEVEL3].ffill()[has_detail]
    return df


def evaluate(project: Mapping[str, Any] | None, indicators: pd.DataFrame,
             params: Params | Mapping[str, Any] | None = None) -> Evaluation:
    """Score one evaluation. See ``jixiao.scoring`` for the column names and the project mapping."""
    params = params if isinstance(params, Params) else Params.from_mapping(params)
    project = dict(project or {})
    kind = str(project.get("kind") or project.get("evaluation_kind") or "")
    basis = params.execution_rate_basis
    if basis == "auto":
        basis = "framework" if kind in FRAMEWORK_KINDS else "self"
    budget, errors = Budget.read(project.get("budget"))
    rates = budget_rates(budget, basis)
    year = _year(project.get("year"))

    df = normalise(indicators)
    n = len(df)
    l1, l2, l3 = (df[c].to_numpy(object) for c in (m.LEVEL1, m.LEVEL2, m.LEVEL3))
    detail_names = df[m.DETAIL].to_numpy(object)
    is_detail = pd.notna(detail_names) & (detail_names != None)  # noqa: E711
    key3 = pd.Series(list(zip(l1, l2, l3)), index=df.index)
    detail_keys = set(key3[is_detail])
    is_parent = ~is_detail & key3.isin(detail_keys).to_numpy()
    applicable = _applicable(df[m.APPLICABLE])
    row_ids = df[m.ROW].to_numpy(object)

    row_err = np.full(n, None, dtype=object)
    row_errf = np.full(n, "", dtype=object)
    unnamed = pd.isna(l1) | pd.isna(l2) | pd.isna(l3)
    row_err[unnamed] = "一级、二级、三级指标名称不能为空"
    row_errf[unnamed] = m.LEVEL3

    scoring = (~is_parent) & applicable & ~unnamed
    prepared = prepare(df[scoring], params, rates, year)
    result = score_rows(prepared, params)

    # ------------------------------------------------------------------ per-row results
    score = np.full(n, np.nan)
    comp = np.full(n, np.nan)
    dev = np.full(n, np.nan)
    expl = np.full(n, "", dtype=object)
    warn = np.full(n, "", dtype=object)
    method_used = np.full(n, "", dtype=object)
    over = np.zeros(n, dtype=bool)
    missing = np.full(n, "", dtype=object)
    weight = np.full(n, np.nan)
    pos = np.flatnonzero(scoring)
    score[pos] = round_half_up(result["score"].to_numpy(float), params.decimals)
    comp[pos] = result["completion_rate"].to_numpy(float)
    dev[pos] = result["deviation"].to_numpy(float)
    expl[pos] = result["explanation"].to_numpy(object)
    method_used[pos] = prepared[P_METHOD].fillna("").to_numpy(object)
    over[pos] = result["over"].to_numpy(bool)
    missing[pos] = result["missing"].to_numpy(object)
    weight[pos] = prepared[P_WEIGHT].to_numpy(float)
    r_err = result["error"].to_numpy(object)
    has_r_err = pd.notna(r_err) & (r_err != None)  # noqa: E711
    row_err[pos[has_r_err]] = r_err[has_r_err]
    row_errf[pos[has_r_err]] = result["error_field"].to_numpy(object)[has_r_err]
    no_weight = scoring & np.isnan(weight) & pd.isna(row_err)
    row_err[no_weight] = "分值为空"
    row_errf[no_weight] = m.WEIGHT

    # weights of rows we do not score (parents, not applicable) still matter for the checks
    other = ~scoring & ~unnamed
    if other.any():
        from .values import parse_series
        wp = parse_series(df.loc[other, m.WEIGHT])
        weight[np.flatnonzero(other)] = wp["number"].to_numpy(float)

    has_err = pd.notna(row_err) & (row_err != None)  # noqa: E711
    score[has_err] = np.nan
    expl[has_err] = row_err[has_err]

    # ------------------------------------------------------------------ parents (sum of details)
    flag_rows: list[tuple] = []
    kind_col = np.where(applicable, "scored", "na").astype(object)
    kind_col[is_detail & applicable] = "scored"
    kind_col[has_err] = "error"
    na_rows = ~applicable & ~unnamed
    expl[na_rows & ~has_err] = "不适用，不计分"
    detail_frame = pd.DataFrame({"key": key3[is_detail].to_numpy(), "w": np.where(applicable, weight, 0.0)[is_detail],
                                 "s": score[is_detail], "err": has_err[is_detail], "app": applicable[is_detail]})
    sums = detail_frame.groupby("key", sort=False).agg(w=("w", "sum"), s=("s", "sum"), err=("err", "any"),
                                                       app=("app", "any"), cnt=("app", "size"))
    for i in np.flatnonzero(is_parent):
        k = key3.iat[i]
        agg = sums.loc[[k]].iloc[0]
        kind_col[i] = "parent"
        given_w = weight[i]
        if not agg["app"] or not applicable[i]:
            kind_col[i] = "na"
            weight[i] = 0.0 if np.isnan(given_w) else given_w
            expl[i] = "不适用，不计分"
            continue
        if not np.isnan(given_w) and abs(given_w - agg["w"]) > 1e-9:
            flag_rows.append((row_ids[i], str(k[2]), "weights",
                              f"三级指标分值{num_text(given_w)}与其明细分值合计{num_text(agg['w'])}不一致，按明细合计计算",
                              False, False))
        weight[i] = agg["w"]
        if agg["err"]:
            score[i] = np.nan
            expl[i] = "明细指标有错误，无法合计"
        else:
            score[i] = round_half_up(agg["s"], params.decimals)
            expl[i] = f"由{int(agg['cnt'])}项明细指标合计：得分{num_text(score[i])}/分值{num_text(agg['w'])}"

    with np.errstate(divide="ignore", invalid="ignore"):
        score_rate = np.where(weight > 0, score / np.where(weight > 0, weight, 1), np.nan)

    # ------------------------------------------------------------------ row flags
    reasons = df[m.REASON]
    reason_present = ~_blank_mask(reasons)
    names = np.where(is_detail, detail_names, l3).astype(object)
    leaf_ok = scoring & ~has_err
    below = leaf_ok & (score < weight - 0.005) & (missing == "")
    for i in np.flatnonzero(below):
        flag_rows.append((row_ids[i], names[i], "below_full",
                          f"得分{num_text(score[i])}低于分值{num_text(weight[i])}，需说明偏差原因",
                          True, bool(reason_present[i])))
    for i in np.flatnonzero(leaf_ok & over):
        flag_rows.append((row_ids[i], names[i], "over_achievement",
                          f"实际值超目标{pct_text(dev[i])}（≥{pct_text(params.over_achievement_threshold - 1, 0)}），需说明原因，目标可能设置偏低",
                          True, bool(reason_present[i])))
    for i in np.flatnonzero(leaf_ok & (missing != "")):
        flag_rows.append((row_ids[i], names[i], "missing_input", f"{missing[i]}，得分为暂计数", False, False))

    # warnings column: the row's flags in one line
    row_msgs: dict[int, list[str]] = {}
    index_of = {rid: i for i, rid in enumerate(row_ids)} if flag_rows else {}
    for fr in flag_rows:
        i = index_of.get(fr[0])
        if i is None:
            continue
        text = fr[3]
        if fr[4] and not fr[5]:
            text += "（未填写原因）"
        row_msgs.setdefault(i, []).append(text)
    for i, msgs in row_msgs.items():
        warn[i] = "；".join(msgs)

    rows = pd.DataFrame({
        m.COMPLETION: comp, m.DEVIATION: dev, m.SCORE: score, m.SCORE_RATE: score_rate,
        m.EXPLANATION: expl, m.WARNINGS: warn, m.METHOD_USED: method_used, m.KIND: kind_col,
    }, index=df.index)

    # ------------------------------------------------------------------ tree
    node3 = ~is_detail & ~unnamed  # leaves and parents are the 三级 nodes
    nodes = pd.DataFrame({
        "level1": l1[node3], "level2": l2[node3], "level3": l3[node3],
        "weight": np.where(kind_col[node3] == "na", 0.0, weight[node3]),
        "score": np.where(kind_col[node3] == "na", 0.0, score[node3]),
        "bad": (kind_col[node3] == "error") | (np.isnan(score[node3]) & (kind_col[node3] != "na")),
        "all_weight": np.nan_to_num(weight[node3]),
    })
    levels = _levels(nodes)
    counts = {
        "一级": int(nodes["level1"].nunique()),
        "二级": int(nodes[["level1", "level2"]].drop_duplicates().shape[0]),
        "三级": int(nodes[["level1", "level2", "level3"]].drop_duplicates().shape[0]),
        "明细": int(is_detail.sum()),
        "不适用": int((kind_col == "na").sum()),
    }
    max_total = float(round_half_up(nodes["weight"].sum(), params.decimals))
    total_weight_all = float(nodes["all_weight"].sum())

    errors.extend(InputError(str(row_err[i]), row=row_ids[i], field=str(row_errf[i])) for i in np.flatnonzero(has_err))
    any_bad = bool(nodes["bad"].any()) or bool(errors)
    total: float | None = None if any_bad else float(round_half_up(nodes["score"].sum(), params.decimals))

    renorm = params.renormalise == "always" or (params.renormalise == "auto" and counts["不适用"] > 0)
    if total is not None and renorm and max_total > 0 and abs(max_total - params.expected_total_weight) > 1e-9:
        flag_rows.append((None, "", "info",
                          f"适用指标分值合计{num_text(max_total)}分，总分按{num_text(total)}/{num_text(max_total)}×{num_text(params.expected_total_weight)}折算",
                          False, False))
        total = float(round_half_up(total / max_total * params.expected_total_weight, params.decimals))

    total_before_cap = total
    exec_rate = rates[m.RATE_EXECUTION]
    cap = params.total_cap(exec_rate)
    if total is not None and cap is not None and total > cap:
        flag_rows.append((None, "", "info",
                          f"预算执行率{pct_text(exec_rate, 2)}，按规则包“{params.name}”总分最高{num_text(cap)}分（原{num_text(total)}分）",
                          False, False))
        total = float(cap)

    # ------------------------------------------------------------------ project-level flags
    if abs(total_weight_all - params.expected_total_weight) > 0.005:
        flag_rows.append((None, "", "weights",
                          f"各指标分值合计{num_text(total_weight_all)}分，应为{num_text(params.expected_total_weight)}分",
                          False, False))
    if kind in FRAMEWORK_KINDS:
        out_benefit = levels[(levels["depth"] == 1) & levels["level1"].astype(str).str.contains("产出|效益")]["weight"].sum()
        if 0 < out_benefit < 60 - 1e-9:
            flag_rows.append((None, "", "weights",
                              f"产出和效益指标分值合计{num_text(out_benefit)}分，按规定应不低于60分", False, False))
    reasons_given = project.get("reasons") or {}
    b = budget.completed()
    if b.adjustment is not None and abs(b.adjustment) > 1e-9:
        rate = rates[m.RATE_ADJUSTMENT]
        verb = "调增" if b.adjustment > 0 else "调减"
        flag_rows.append((None, "项目预算", "budget_adjusted",
                          f"年中{verb}预算{num_text(abs(b.adjustment))}万元，预算调整率{pct_text(rate, 2) if rate is not None else '—'}，需说明调整原因",
                          True, bool(str(reasons_given.get("adjustment") or "").strip())))
    if exec_rate is not None and exec_rate < params.execution_reason_threshold - 1e-12:
        flag_rows.append((None, "项目预算", "low_execution",
                          f"预算执行率{pct_text(exec_rate, 2)}低于{pct_text(params.execution_reason_threshold, 0)}，需说明原因",
                          True, bool(str(reasons_given.get("execution") or "").strip())))
    if (budget.adjusted is not None and budget.initial is not None and budget.adjustment is not None
            and abs(budget.initial + budget.adjustment - budget.adjusted) > 0.005):
        flag_rows.append((None, "项目预算", "info",
                          f"全年预算{num_text(budget.adjusted)}万元≠年初预算{num_text(budget.initial)}+调整{num_text(budget.adjustment)}万元",
                          False, False))

    flag_table = pd.DataFrame(flag_rows, columns=list(FLAG_COLUMNS))
    return Evaluation(
        project=project, params=params, rows=rows, levels=levels, total=total,
        total_before_cap=total_before_cap, max_total=max_total, grade=params.grade(total),
        rates=rates, budget=budget, counts=counts, flag_table=flag_table, errors=errors,
    )


def _levels(nodes: pd.DataFrame) -> pd.DataFrame:
    """Subtotals per 一级, 二级 and 三级 in input order; a node with an error has score None."""
    frames = []
    for depth, keys in ((1, ["level1"]), (2, ["level1", "level2"]), (3, ["level1", "level2", "level3"])):
        g = nodes.groupby(keys, sort=False).agg(weight=("weight", "sum"), score=("score", "sum"), bad=("bad", "any"))
        g = g.reset_index()
        g["depth"] = depth
        frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    for column in ("level2", "level3"):
        if column not in out:
            out[column] = None
    out["score"] = np.where(out["bad"], np.nan, round_half_up(out["score"].to_numpy(float), 2))
    out["weight"] = round_half_up(out["weight"].to_numpy(float), 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["score_rate"] = np.where(out["weight"] > 0, out["score"] / out["weight"].where(out["weight"] > 0, 1), np.nan)
    # order: each 一级 followed by its 二级 and their 三级, as in the input
    order1 = {k: i for i, k in enumerate(nodes["level1"].drop_duplicates())}
    order2 = {k: i for i, k in enumerate(map(tuple, nodes[["level1", "level2"]].drop_duplicates().to_numpy()))}
    order3 = {k: i for i, k in enumerate(map(tuple, nodes[["level1", "level2", "level3"]].drop_duplicates().to_numpy()))}
    out["_o1"] = out["level1"].map(order1)
    out["_o2"] = [order2.get((a, b), -1) if d >= 2 else -1 for a, b, d in zip(out["level1"], out["level2"], out["depth"])]
    out["_o3"] = [order3.get((a, b, c), -1) if d >= 3 else -1 for a, b, c, d in zip(out["level1"], out["level2"], out["level3"], out["depth"])]
    out = out.sort_values(["_o1", "_o2", "_o3"], kind="stable").reset_index(drop=True)
    out.loc[out["depth"] < 2, "level2"] = None
    out.loc[out["depth"] < 3, "level3"] = None
    return out[["depth", "level1", "level2", "level3", "weight", "score", "score_rate"]]


def _year(value: Any) -> int | None:
    try:
        year = int(float(str(value).strip().removesuffix("年")))
    except (TypeError, ValueError):
        return None
    return year if 1900 < year < 2200 else None


def score_indicators(indicators: pd.DataFrame, params: Params | Mapping[str, Any] | None = None,
                     project: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Row-level scores without the tree, for worksheet functions that score a column of rows.

    Takes the same columns as ``evaluate`` (level names not needed). Returns, per row:
    score (rounded), completion_rate, deviation, explanation, method_used, error (Chinese or None),
    error_field, missing (Chinese or "").
    """
    params = params if isinstance(params, Params) else Params.from_mapping(params)
    project = dict(project or {})
    kind = str(project.get("kind") or "")
    basis = params.execution_rate_basis
    if basis == "auto":
        basis = "framework" if kind in FRAMEWORK_KINDS else "self"
    budget, _ = Budget.read(project.get("budget"))
    df = indicators.copy()
    for column in m.INPUT_COLUMNS:
        if column not in df.columns:
            df[column] = pd.Series([None] * len(df), index=df.index, dtype=object)
    prepared = prepare(df, params, budget_rates(budget, basis), _year(project.get("year")))
    result = score_rows(prepared, params)
    result["score"] = round_half_up(result["score"].to_numpy(float), params.decimals)
    result["method_used"] = prepared[P_METHOD].to_numpy(object)
    bad = result["error"].notna().to_numpy()
    result.loc[bad, "score"] = np.nan
    no_weight = ~bad & np.isnan(prepared[P_WEIGHT].to_numpy(float))
    result.loc[no_weight, "score"] = np.nan
    result.loc[no_weight, "error"] = "分值为空"
    result.loc[no_weight, "error_field"] = m.WEIGHT
    return result[["score", "completion_rate", "deviation", "explanation", "method_used", "error",
                   "error_field", "missing"]]
