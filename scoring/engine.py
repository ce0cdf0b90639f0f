"""Tree aggregation 明细 → 三级 → 二级 → 一级 → 总分, grade and flags: ``evaluate``.

The engine is pure: a project mapping and an indicator DataFrame in, an ``Evaluation`` out.
Scores are rounded per scored row and every total is a sum of rounded rows, as on paper, so the
workbook, the report and a reviewer's calculator agree to the cent.  When any row has an input
error, subtotals touching it and the total are None: a partial total would look like a result.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from . import blocks, model as m
from .model import Flag, InputError, jsonable, plain_value
from .arrays import cyclic_gc_paused, factorize, first_positions, frame
from .params import PARAM_LABELS, Params
from .rates import Budget, budget_rates
from .rules import (METHOD_CODE, P_METHOD, P_WEIGHT, Column, blank_mask as _blank_mask, finish_scores,
                    method_names, score_distinct)
from .text import cat_distinct, nums, pcts, round_half_up, num_text, pct_text

FRAMEWORK_KINDS = ("部门评价", "财政评价")
FLAG_COLUMNS = ("row", "indicator", "kind", "message", "reason_required", "reason_present")
_KINDS = ("scored", "parent", "na", "error", "blank")  # the rows' m.KIND values
_KIND = {name: i for i, name in enumerate(_KINDS)}


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
def _clean_name(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    text = (v if isinstance(v, str) else str(v)).strip()
    return text or None


_NOT_APPLICABLE = {"否", "不适用", "n", "no", "false", "0", "×", "x", "na", "n/a"}


def _applicable_one(v: Any) -> bool:
    if v is None or (isinstance(v, float) and v != v):
        return True
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    return str(v).strip().lower() not in _NOT_APPLICABLE


def _all_clean_strings(uniques: np.ndarray) -> bool:
    """True when every value is a non-empty str without surrounding whitespace.

    ``str.strip`` hands back the very same object when there is nothing to strip, so one chain
    of C-level maps answers it for a million names without building a stripped copy.
    """
    if len(uniques) == 0:
        return True
    try:  # str.strip refuses anything but str: a number or a date among the names answers "no"
        return all(uniques) and not any(map(operator.is_not, map(str.strip, uniques), uniques))
    except (TypeError, ValueError):  # ValueError: an array in a cell has no single truth value
        return False


_DISTINCT_MIN = 20_000  # rows from which a column of all-different names is looked for
_CHUNK = 8192  # names hashed and checked together, while they are in the CPU cache


def _distinct_clean_names(values: np.ndarray) -> bool:
    """True when every value is a different non-empty str without surrounding whitespace.

    A province-wide batch can name every 三级 indicator differently; then each row is its own
    group and the names need no hash table.  Each chunk of names is hashed and checked for
    spaces while it is in the cache: factorising a million scattered names and then checking them
    in a second pass cost half as much again.  Any two equal hashes (equal names, or a collision
    of different ones) answer "no" and leave the column to ``factorize``; so do repeats within the
    first chunk, which is how the usual table, with names that repeat, gets out early.
    """
    n = len(values)
    if n < _DISTINCT_MIN or values.dtype != object:
        return False
    hashes = np.empty(n, dtype=np.int64)
    for start in range(0, n, _CHUNK):
        part = values[start:start + _CHUNK]
        if not _all_clean_strings(part):  # also "no" for a number, a date or a blank
            return False
        hashes[start:start + len(part)] = np.fromiter(map(hash, part), dtype=np.int64, count=len(part))
        if start == 0 and len(np.unique(hashes[:len(part)])) < len(part):
            return False
    hashes.sort()
    return not (hashes[1:] == hashes[:-1]).any()


def _name_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, names): names stripped, blanks coded -1, codes in first-appearance order.

    Factorising once gives both the cleaned names and the grouping codes the tree needs.
    """
    if _distinct_clean_names(values):  # every row its own name: the codes are the row numbers
        return np.arange(len(values), dtype=np.int64), values
    codes, uniques = factorize(values)
    if _all_clean_strings(uniques):  # the usual case: nothing to strip, the codes stand as they are
        return codes.astype(np.int64), uniques
    cleaned = np.array([_clean_name(u) for u in uniques] + [None], dtype=object)
    c2, names = pd.factorize(cleaned, use_na_sentinel=True)
    return c2[np.where(codes < 0, len(uniques), codes)].astype(np.int64), np.asarray(names, dtype=object)


def _ffill_codes(codes: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
    """Fill blank (-1) codes from the row above (merged cells), optionally only at ``where``."""
    n = len(codes)
    last = np.maximum.accumulate(np.where(codes >= 0, np.arange(n), -1)) if n else np.zeros(0, dtype=np.int64)
    filled = np.where(last >= 0, codes[np.maximum(last, 0)], -1)
    return filled if where is None else np.where(where, filled, codes)


def _combine(*codes: np.ndarray) -> np.ndarray:
    """Codes of the tuple of code columns, first-appearance order; -1 where any part is blank."""
    last = codes[-1]
    if len(last) and last[0] == 0 and (np.diff(last) == 1).all():
        out = last  # the last column is 0, 1, 2, … (every 三级 name distinct): so are the tuples
    else:
        out = codes[0]
        for c in codes[1:]:
            out = pd.factorize(out * (int(c.max(initial=0)) + 2) + (c + 1))[0].astype(np.int64)
    blank = np.zeros(len(out), dtype=bool)
    for c in codes:
        blank |= c < 0
    return np.where(blank, -1, out)


@dataclass
class _Table:
    """The indicator table as arrays, with the tree's group codes computed once."""

    columns: dict[str, np.ndarray]
    name_codes: dict[str, np.ndarray]  # level1/2/3 and detail: codes into name_tables, -1 for blank
    name_tables: dict[str, np.ndarray]  # the cleaned names, with None last (so code -1 reads None)
    c1: np.ndarray  # group codes of 一级, (一级, 二级), (一级, 二级, 三级); -1 where unnamed
    c2: np.ndarray
    c3: np.ndarray
    is_detail: np.ndarray  # the row names a 明细指标
    index: Any

    def __len__(self) -> int:
        return len(self.c1)

    def names(self, column: str, rows: np.ndarray | None = None) -> np.ndarray:
        """The cleaned names of a level column (None for blank), at some rows or all."""
        codes = self.name_codes[column]
        return self.name_tables[column][codes if rows is None else codes[rows]]


def _table(indicators: pd.DataFrame) -> _Table:
    missing = [c for c in m.REQUIRED_COLUMNS if c not in indicators.columns]
    if missing:
        raise ValueError(f"指标表缺少必需的列：{', '.join(missing)}")
    n = len(indicators)
    columns: dict[str, np.ndarray] = {}
    for column in m.INPUT_COLUMNS:
        if column in indicators.columns:
            series = indicators[column]
            numeric = series.dtype.kind in "biuf"  # a numeric column stays numeric: cheaper to factorise
            columns[column] = series.to_numpy() if numeric else series.to_numpy(dtype=object)
        else:
            columns[column] = np.full(n, None, dtype=object)
    if pd.isna(columns[m.ROW]).all():
        columns[m.ROW] = np.asarray(indicators.index, dtype=object)
    codes: dict[str, np.ndarray] = {}
    names: dict[str, np.ndarray] = {}
    for column in (m.LEVEL1, m.LEVEL2, m.LEVEL3, m.DETAIL):
        c, uniq = _name_codes(columns[column])
        codes[column] = c
        names[column] = uniq
    is_detail = codes[m.DETAIL] >= 0
    codes[m.LEVEL1] = _ffill_codes(codes[m.LEVEL1])
    codes[m.LEVEL2] = _ffill_codes(codes[m.LEVEL2])
    codes[m.LEVEL3] = _ffill_codes(codes[m.LEVEL3], where=is_detail)
    tables = {k: np.append(names[k], None) for k in names}
    c1 = codes[m.LEVEL1]
    c2 = _combine(c1, codes[m.LEVEL2])
    c3 = _combine(c2, codes[m.LEVEL3])
    return _Table(columns, codes, tables, c1, c2, c3, is_detail, indicators.index)


def normalise(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicator table as the engine reads it: every column present, names stripped, blank
    一级/二级 (merged cells) filled from the row above, a detail row's blank 三级 likewise."""
    table = _table(indicators)
    data = dict(table.columns)
    data.update({k: table.names(k) for k in table.name_codes})
    return pd.DataFrame({k: pd.Series(v, index=table.index, dtype=object) for k, v in data.items()})


@dataclass
class _Context:
    """What both entry points derive from the project before scoring rows."""

    params: Params
    project: dict[str, Any]
    kind: str
    budget: Budget
    budget_errors: list[InputError]
    rates: dict[str, float | None]
    year: int | None


def _context(project: Mapping[str, Any] | None, params: Params | Mapping[str, Any] | None) -> _Context:
    params = params if isinstance(params, Params) else Params.from_mapping(params)
    project = dict(project or {})
    kind = str(project.get("kind") or project.get("evaluation_kind") or "")
    basis = params.execution_rate_basis
    if basis == "auto":
        basis = "framework" if kind in FRAMEWORK_KINDS else "self"
    budget, errors = Budget.read(project.get("budget"))
    return _Context(params, project, kind, budget, errors, budget_rates(budget, basis), _year(project.get("year")))


def evaluate(project: Mapping[str, Any] | None, indicators: pd.DataFrame,
             params: Params | Mapping[str, Any] | None = None) -> Evaluation:
    """Score one evaluation. See ``jixiao.scoring`` for the column names and the project mapping."""
    with cyclic_gc_paused():
        return _evaluate(project, indicators, params)


def _evaluate(project: Mapping[str, Any] | None, indicators: pd.DataFrame,
              params: Params | Mapping[str, Any] | None) -> Evaluation:
    ctx = _context(project, params)
    params, project, kind, budget, rates = ctx.params, ctx.project, ctx.kind, ctx.budget, ctx.rates
    errors = ctx.budget_errors

    allocated = blocks.allocate(indicators, ctx.params.decimals) if blocks.find(indicators) else None  # "产出指标(50分)" & co.
    if allocated is not None:
        indicators = allocated.indicators
        errors = errors + allocated.errors
    table = _table(indicators)
    n = len(table)
    cols = table.columns
    is_detail = table.is_detail
    c3 = table.c3
    is_parent = ~is_detail & np.isin(c3, c3[is_detail]) & (c3 >= 0)
    applicable = Column(cols[m.APPLICABLE]).map(_applicable_one, bool)
    row_ids = cols[m.ROW]

    row_err = np.full(n, None, dtype=object)
    row_errf = np.full(n, "", dtype=object)
    unnamed = c3 < 0
    # a template's placeholder row (only 一级/二级 filled in, nothing to score) is not data: skip it
    placeholder = np.zeros(n, dtype=bool)
    if unnamed.any():
        blank = np.ones(int(unnamed.sum()), dtype=bool)
        for column in (m.DETAIL, m.WEIGHT, m.TARGET, m.ACTUAL, m.SOURCE, m.CRITERIA, m.LEVEL, m.JUDGEMENT, m.REASON):
            blank &= _blank_mask(cols[column][unnamed])
        placeholder[unnamed] = blank
    unnamed_err = unnamed & ~placeholder
    row_err[unnamed_err] = "一级、二级、三级指标名称不能为空"
    row_errf[unnamed_err] = m.LEVEL3
    # a 明细 row is summed into the 三级 row above it; without one (its 三级 filled on the detail rows
    # only, or carried over from another 二级) it would fall out of the total without a word
    orphan = is_detail & ~unnamed & ~np.isin(c3, c3[~is_detail & ~unnamed])
    if orphan.any():
        row_err[orphan] = cat_distinct("明细指标“", table.names(m.DETAIL, np.flatnonzero(orphan)),
                                       "”上方没有所属的三级指标行（一级、二级、三级同名的一行，明细指标列留空）："
                                       "请在这些明细行上方插入该行，否则明细无法计入总分")
        row_errf[orphan] = m.DETAIL
        unnamed_err = unnamed_err | orphan

    # a 一级/二级 named on a row of its own with no 三级 under it anywhere (a template line never filled)
    if placeholder.any():
        level2_typed = ~_blank_mask(cols[m.LEVEL2])  # a row with only 一级 speaks for the 一级 (its 二级 is carried down)
        has2 = np.isin(table.c2, table.c2[~unnamed])
        has1 = np.isin(table.c1, table.c1[~unnamed])
        lonely = placeholder & (table.c1 >= 0) & np.where(level2_typed, ~has2, ~has1)
        for i in np.flatnonzero(lonely):
            l1, l2 = table.names(m.LEVEL1, np.array([i]))[0], table.names(m.LEVEL2, np.array([i]))[0]
            row_err[i] = (f"二级指标“{l2}”下没有三级指标" if level2_typed[i] and l2 else f"一级指标“{l1}”下没有三级指标") + \
                "：请在其下填写三级指标，或删除这一行"
            row_errf[i] = m.LEVEL3
        unnamed_err = unnamed_err | lonely
        placeholder = placeholder & ~lonely
    # the same 三级 name twice under one 二级 would be summed as one indicator: say which rows
    nodes = np.flatnonzero(~is_detail & ~unnamed)
    if len(nodes):
        groups, first_at = np.unique(c3[nodes], return_index=True)
        repeated = np.ones(len(nodes), dtype=bool)
        repeated[first_at] = False
        first_of = dict(zip(groups.tolist(), nodes[first_at].tolist()))  # group → its first row, once
        for i in nodes[repeated]:
            first = first_of[int(c3[i])]
            row_err[i] = (f"三级指标“{table.names(m.LEVEL3, np.array([i]))[0]}”在同一二级指标下重复出现"
                          f"（另见第{plain_value(row_ids[first])}行）：同一指标请只写一行，多个具体指标请写在“明细指标”列")
            row_errf[i] = m.LEVEL3
            unnamed_err[i] = True
    scoring = (~is_parent) & applicable & ~unnamed
    result = score_distinct(cols if scoring.all() else {k: v[scoring] for k, v in cols.items()}, params, rates,
                            ctx.year)

    # ------------------------------------------------------------------ per-row results
    pos = np.flatnonzero(scoring)

    def spread(values: np.ndarray, blank: Any) -> np.ndarray:
        """Scored rows' values at their places; when every row is scored (the usual table), the
        arrays themselves, saving eight million-element copies."""
        if len(pos) == n:
            return values
        out = np.full(n, blank, dtype=values.dtype)
        out[pos] = values
        return out

    rounded, explained = finish_scores(result, params)
    score = spread(rounded, np.nan)
    comp = spread(result["completion_rate"], np.nan)
    dev = spread(result["deviation"], np.nan)
    expl = spread(explained, "")
    deducted = spread(result["deducted"], np.nan)
    bonus = spread(result[P_METHOD] == METHOD_CODE["bonus"], False)
    method_used = spread(method_names(result[P_METHOD]), "")
    over = spread(result["over"], False)
    missing = spread(result["missing"], "")
    weight = spread(np.array(result[P_WEIGHT], dtype=float, copy=True), np.nan)
    has_r_err = result["has_error"]
    row_err[pos[has_r_err]] = result["error"][has_r_err]
    row_errf[pos[has_r_err]] = result["error_field"][has_r_err]
    has_err = unnamed_err.copy()
    has_err[pos[has_r_err]] = True
    no_weight = scoring & np.isnan(weight) & ~has_err & ~bonus  # a 加分项 needs no 分值
    row_err[no_weight] = "分值为空"
    row_errf[no_weight] = m.WEIGHT
    has_err |= no_weight
    weight[bonus] = 0.0  # a 加分项 adds points above the maximum: it carries no 分值 in the tree

    # weights of rows we do not score (parents, not applicable) still matter for the checks
    other = ~scoring & ~unnamed
    if other.any():
        weight[other] = Column(cols[m.WEIGHT][other]).parsed()["number"].astype(float)

    score[has_err] = np.nan
    expl[has_err] = row_err[has_err]
    if allocated is not None and allocated.notes:
        expl = expl.astype(object, copy=True)
        for i, note in allocated.notes.items():
            if not has_err[i]:
                expl[i] = f"{expl[i]}{note}"

    # ------------------------------------------------------------------ parents (sum of details)
    flag_rows: list[tuple] = []  # project-level flags
    if allocated is not None:
        flag_rows.extend((None, "", "info", notice, False, False) for notice in allocated.notices)
    parent_flags: dict[int, str] = {}  # position → message for 三级 rows whose 分值 disagrees with details
    kind_col = np.where(applicable, _KIND["scored"], _KIND["na"]).astype(np.int8)  # codes into _KINDS
    kind_col[has_err] = _KIND["error"]
    kind_col[placeholder] = _KIND["blank"]
    na_rows = ~applicable & ~unnamed
    expl[na_rows & ~has_err] = "不适用，不计分"
    if is_parent.any():
        groups = c3.max() + 1
        dc = c3[is_detail]
        d_w = np.bincount(dc, weights=np.where(applicable, np.nan_to_num(weight), 0.0)[is_detail], minlength=groups)
        d_s = np.bincount(dc, weights=np.nan_to_num(score)[is_detail], minlength=groups)
        d_err = np.bincount(dc, weights=(has_err | (np.isnan(score) & applicable))[is_detail], minlength=groups) > 0
        d_app = np.bincount(dc, weights=applicable[is_detail], minlength=groups) > 0
        d_cnt = np.bincount(dc, minlength=groups)
        for i in np.flatnonzero(is_parent):
            k = c3[i]
            kind_col[i] = _KIND["parent"]
            given_w = weight[i]
            if not d_app[k] or not applicable[i]:
                kind_col[i] = _KIND["na"]
                weight[i] = 0.0 if np.isnan(given_w) else given_w
                expl[i] = "不适用，不计分"
                continue
            if not np.isnan(given_w) and abs(given_w - d_w[k]) > 1e-9:
                parent_flags[i] = f"三级指标分值{num_text(given_w)}与其明细分值合计{num_text(d_w[k])}不一致，按明细合计计算"
            weight[i] = d_w[k]
            if d_err[k]:
                score[i] = np.nan
                expl[i] = "明细指标有错误，无法合计"
            else:
                score[i] = round_half_up(d_s[k], params.decimals)
                expl[i] = f"由{int(d_cnt[k])}项明细指标合计：得分{num_text(score[i])}/分值{num_text(d_w[k])}"

    with np.errstate(divide="ignore", invalid="ignore"):
        score_rate = np.where(weight > 0, score / np.where(weight > 0, weight, 1), np.nan)

    # ------------------------------------------------------------------ row flags
    reason_present = ~_blank_mask(cols[m.REASON])
    leaf_ok = scoring & ~has_err
    lacks = missing != ""
    flags = _RowFlags(n)
    if parent_flags:
        flags.add(np.array(list(parent_flags), dtype=np.int64), "weights",
                  np.array(list(parent_flags.values()), dtype=object), False)
    below = np.flatnonzero(leaf_ok & (score < weight - 0.005) & ~lacks)
    flags.add(below, "below_full",
              cat_distinct("得分", nums(score[below]), "低于分值", nums(weight[below]), "，需说明偏差原因"), True)
    high = np.flatnonzero(leaf_ok & over)
    threshold = pct_text(params.over_achievement_threshold - 1, 0)
    flags.add(high, "over_achievement",
              cat_distinct("实际值超目标", pcts(dev[high]), f"（≥{threshold}），需说明原因，目标可能设置偏低"), True)
    lacking = np.flatnonzero(leaf_ok & lacks)
    flags.add(lacking, "missing_input", cat_distinct(missing[lacking], "，得分为暂计数"), False)
    row_flags = flags.table(reason_present, row_ids, lambda pos: np.where(  # the detail's name if any
        is_detail[pos], table.names(m.DETAIL, pos), table.names(m.LEVEL3, pos)) if is_detail.any()
        else table.names(m.LEVEL3, pos))
    warn = row_flags.pop("warnings")

    rows = frame({
        m.COMPLETION: comp, m.DEVIATION: dev, m.SCORE: score, m.SCORE_RATE: score_rate,
        m.EXPLANATION: expl, m.WARNINGS: warn, m.METHOD_USED: method_used,
        m.KIND: np.array(_KINDS, dtype=object)[kind_col],
    }, index=table.index)

    # ------------------------------------------------------------------ tree
    node3 = ~is_detail & ~unnamed  # leaves and parents are the 三级 nodes
    at3 = (lambda a: a) if node3.all() else (lambda a: a[node3])  # noqa: E731 - usually every row is one
    na3 = at3(kind_col) == _KIND["na"]
    w3 = np.where(na3, 0.0, at3(weight))
    s3 = np.where(na3, 0.0, at3(score))
    bad3 = (at3(kind_col) == _KIND["error"]) | (np.isnan(s3) & ~na3)
    names3 = tuple((table.name_tables[c], at3(table.name_codes[c])) for c in (m.LEVEL1, m.LEVEL2, m.LEVEL3))
    levels, counts = _levels(names3, (at3(table.c1), at3(table.c2), at3(c3)),
                             w3, s3, bad3)
    counts.update({"明细": int(is_detail.sum()), "不适用": int((kind_col == _KIND["na"]).sum())})
    max_total = float(round_half_up(np.nansum(w3), params.decimals))
    total_weight_all = float(np.nansum(at3(weight)))

    errors.extend(InputError(str(row_err[i]), row=row_ids[i], field=str(row_errf[i])) for i in np.flatnonzero(has_err))
    if not ((at3(kind_col) == _KIND["scored"]) | (at3(kind_col) == _KIND["parent"])).any() and not errors and \
            not has_err.any():
        # nothing to score (an empty table, or every row 不适用): no "总分 0（满分 0）等级 差"
        errors.append(InputError("指标体系中没有可计分的指标（没有填写指标，或全部为“不适用”）：请填写指标，"
                                 "或把至少一项的“适用”改为“是”", row=None, field=m.LEVEL3))
    any_bad = bool(bad3.any()) or bool(errors)
    bonus3 = at3(bonus)
    bonus_sum = float(np.nansum(np.where(bonus3, s3, 0.0))) if bonus3.any() else 0.0
    total: float | None = None if any_bad else float(round_half_up(np.nansum(np.where(bonus3, 0.0, s3)),
                                                                   params.decimals))

    weights_refused = False
    renorm = params.renormalise == "always" or (params.renormalise == "auto" and counts["不适用"] > 0)
    if total is not None and renorm and max_total > 0 and abs(max_total - params.expected_total_weight) > 1e-9:
        flag_rows.append((None, "", "info",
                          f"适用指标分值合计{num_text(max_total)}分，总分按{num_text(total)}/{num_text(max_total)}×{num_text(params.expected_total_weight)}折算",
                          False, False))
        total = float(round_half_up(total / max_total * params.expected_total_weight, params.decimals))
    elif total is not None and abs(max_total - params.expected_total_weight) > 0.005:
        # a total out of 120 or 30 graded on the 100-point bands would be a wrong grade, never a result
        errors.append(InputError(
            f"适用指标分值合计{num_text(max_total)}分，不是{num_text(params.expected_total_weight)}分，总分和等级无法评定："
            f"请核对各指标分值；如确需按{num_text(params.expected_total_weight)}分折算，"
            f"请在“评分参数”中将“{PARAM_LABELS['renormalise']}”设为 always", row=None, field=m.WEIGHT))
        total = None
        weights_refused = True

    if total is not None and bonus3.any():
        added = min(bonus_sum, params.bonus_cap)
        if bonus_sum > params.bonus_cap + 1e-9:
            flag_rows.append((None, "", "info", f"加分项合计{num_text(bonus_sum)}分，超过加分上限{num_text(params.bonus_cap)}分，"
                              f"按{num_text(added)}分计入总分", False, False))
        total = float(round_half_up(total + added, params.decimals))
        ceiling = params.expected_total_weight
        if total > ceiling + 1e-9 and not params.total_may_exceed_max:
            flag_rows.append((None, "", "info", f"加分后总分{num_text(total)}分，以满分{num_text(ceiling)}分为限", False,
                              False))
            total = float(ceiling)
    total_before_cap = total
    exec_rate = rates[m.RATE_EXECUTION]
    cap = params.total_cap(exec_rate)
    if total is not None and cap is not None and total > cap:
        flag_rows.append((None, "", "info",
                          f"预算执行率{pct_text(exec_rate, 2)}，按规则包“{params.name}”总分最高{num_text(cap)}分（原{num_text(total)}分）",
                          False, False))
        total = float(cap)

    # ------------------------------------------------------------------ project-level flags
    if abs(total_weight_all - params.expected_total_weight) > 0.005 and not weights_refused:
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
                          f"年中{verb}预算{num_text(abs(b.adjustment))}万元，预算调整率{pct_text(abs(rate), 2) if rate is not None else '—'}，需说明调整原因",
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

    for i, column in enumerate(FLAG_COLUMNS):  # the project's flags after the rows'
        tail = np.empty(len(flag_rows), dtype=row_flags[column].dtype)
        tail[:] = [r[i] for r in flag_rows]
        row_flags[column] = np.concatenate([row_flags[column], tail])
    flag_table = frame(row_flags)
    return Evaluation(
        project=project, params=params, rows=rows, levels=levels, total=total,
        total_before_cap=total_before_cap, max_total=max_total, grade=params.grade(total),
        rates=rates, budget=budget, counts=counts, flag_table=flag_table, errors=errors,
    )


def _join_per_position(pos: np.ndarray, text: np.ndarray, n: int) -> np.ndarray:
    """"；"-join the texts that share a position (``pos`` sorted); most rows have one flag, so
    only the rest loop."""
    out = np.full(n, "", dtype=object)
    if not len(pos):
        return out
    start = np.flatnonzero(np.concatenate([[True], pos[1:] != pos[:-1]]))
    counts = np.diff(np.append(start, len(pos)))
    single = counts == 1
    out[pos[start[single]]] = text[start[single]]
    for f, c in zip(start[~single], counts[~single]):
        out[pos[f]] = "；".join(text[f:f + c])
    return out


class _RowFlags:
    """Flags of indicator rows, gathered as arrays and put in row order once."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.parts: list[tuple[np.ndarray, str, np.ndarray, bool]] = []

    def add(self, pos: np.ndarray, kind: str, message: np.ndarray, required: bool) -> None:
        self.parts.append((pos, kind, np.asarray(message, dtype=object), required))

    def table(self, reason_present: np.ndarray, row_ids: np.ndarray,
              names: Callable[[np.ndarray], np.ndarray]) -> dict[str, np.ndarray]:
        """FLAG_COLUMNS in row order (stable: a row's flags in the order added), plus "warnings":
        per input row, its flags in one line, "（未填写原因）" where a required reason is blank."""
        pos = np.concatenate([p[0] for p in self.parts] + [np.zeros(0, dtype=np.int64)])
        kinds = np.array([p[1] for p in self.parts] + [""], dtype=object)
        kind = np.repeat(np.arange(len(self.parts), dtype=np.int8), [len(p[0]) for p in self.parts])
        message = np.concatenate([p[2] for p in self.parts] + [np.zeros(0, dtype=object)])
        required = np.concatenate([np.full(len(p[0]), p[3]) for p in self.parts] + [np.zeros(0, dtype=bool)])
        present = required & reason_present[pos]
        order = np.argsort(pos, kind="stable")
        pos, kind, message, required, present = pos[order], kind[order], message[order], required[order], present[order]
        shown = message.copy()
        unmet = required & ~present
        if unmet.any():
            shown[unmet] = cat_distinct(message[unmet], "（未填写原因）")
        row = row_ids[pos].astype(object)  # numpy integers become Python ints
        return {"row": row, "indicator": names(pos), "kind": kinds[kind], "message": message,
                "reason_required": required, "reason_present": present,
                "warnings": _join_per_position(pos, shown, self.n)}


def _levels(names: tuple[tuple[np.ndarray, np.ndarray], ...], codes: tuple[np.ndarray, ...], weight: np.ndarray,
            score: np.ndarray, bad: np.ndarray) -> tuple[pd.DataFrame, dict[str, int]]:
    """Subtotals per 一级, 二级 and 三级 in input order; a node with an error has score None.

    ``names``: per level, (name table with None last, each row's code into it).

    Group sums with integer codes and bincount; each node's place in the output (a 一级, then each
    of its 二级 followed by its 三级) is computed from group sizes, so no row-level sort or name
    is touched: a province-wide batch has a million nodes.
    """
    n = len(weight)
    c1, c2, c3 = (_dense(c) for c in codes)
    k1, k2, k3 = (int(c.max()) + 1 if n else 0 for c in (c1, c2, c3))
    f1, f2, f3 = (first_positions(c) for c in (c1, c2, c3))
    parent2, parent3 = c1[f2], c2[f3]  # the 一级 of each 二级 group, the 二级 of each 三级 group
    size2 = 1 + np.bincount(parent3, minlength=k2)
    size1 = 1 + np.bincount(parent2, weights=size2, minlength=k1).astype(np.int64)
    start1 = np.cumsum(size1) - size1
    # 二级 groups in (parent, code) order; before one sit its parent's row, the parent's earlier
    # children with their 三级 rows, and everything of the earlier parents: 1 + cum + parent
    order2 = np.argsort(parent2, kind="stable")
    start2 = np.empty(k2, dtype=np.int64)
    start2[order2] = 1 + np.cumsum(size2[order2]) - size2[order2] + parent2[order2]
    # a 三级 group comes after its parent's row and its earlier siblings (a running count, no sort)
    total = k1 + k2 + k3
    siblings_before = pd.Series(parent3).groupby(parent3, sort=False).cumcount().to_numpy()
    start3 = start2[parent3] + 1 + siblings_before

    rep = np.empty(total, dtype=np.int64)
    depth = np.empty(total, dtype=np.int64)
    w = np.empty(total)
    sc = np.empty(total)
    for d, c, k, first, start in ((1, c1, k1, f1, start1), (2, c2, k2, f2, start2), (3, c3, k3, f3, start3)):
        rep[start] = first
        depth[start] = d
        if k == n:  # every node its own group (distinct 三级 names): the sums are the values
            sums_w, sums_s, b = np.nan_to_num(weight)[first], np.nan_to_num(score)[first], bad[first]
        else:
            sums_w = np.bincount(c, weights=np.nan_to_num(weight), minlength=k)
            sums_s = np.bincount(c, weights=np.nan_to_num(score), minlength=k)
            b = np.bincount(c, weights=bad, minlength=k) > 0
        w[start] = round_half_up(sums_w, 2)
        sc[start] = np.where(b, np.nan, round_half_up(sums_s, 2))
    rate = np.full(total, np.nan)
    np.divide(sc, w, out=rate, where=w > 0)
    out = frame({
        "depth": depth,
        "level1": names[0][0][names[0][1][rep]],
        "level2": names[1][0][np.where(depth >= 2, names[1][1][rep], -1)],
        "level3": names[2][0][np.where(depth >= 3, names[2][1][rep], -1)],
        "weight": w, "score": sc, "score_rate": rate,
    })
    return out, {"一级": k1, "二级": k2, "三级": k3}


def _dense(codes: np.ndarray) -> np.ndarray:
    """Codes renumbered 0, 1, … in order of first appearance (already so in the usual table)."""
    if len(codes) == 0:
        return np.zeros(0, dtype=np.int64)
    running = np.maximum.accumulate(codes)
    if codes[0] == 0 and (codes[1:] <= running[:-1] + 1).all() and codes.min() >= 0:
        return codes.astype(np.int64, copy=False)
    return pd.factorize(codes)[0].astype(np.int64)


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
    ctx = _context(project, params)
    params = ctx.params
    columns = {c: indicators[c].to_numpy() for c in indicators.columns}  # absent optional columns read as blank
    with cyclic_gc_paused():
        raw = score_distinct(columns, params, ctx.rates, ctx.year)
    bad = raw["has_error"]
    no_weight = ~bad & np.isnan(raw[P_WEIGHT]) & (raw[P_METHOD] != METHOD_CODE["bonus"])
    rounded, explained = finish_scores(raw, params)
    error = np.where(no_weight, "分值为空", raw["error"]).astype(object)
    error_field = np.where(no_weight, m.WEIGHT, raw["error_field"]).astype(object)
    text = lambda values: pd.Series(values, index=indicators.index, dtype=object)  # noqa: E731 - keep None as None
    return pd.DataFrame({
        "score": np.where(bad | no_weight, np.nan, rounded),
        "completion_rate": raw["completion_rate"],
        "deviation": raw["deviation"],
        "explanation": text(explained),
        "method_used": text(np.where(raw[P_METHOD] < 0, None, method_names(raw[P_METHOD]))),
        "error": text(error),
        "error_field": text(error_field),
        "missing": text(raw["missing"]),
    }, index=indicators.index)
