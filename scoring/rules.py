"""One function per scoring method, each vectorised over a prepared DataFrame (DOMAIN.md §4).

``prepare`` turns the user's indicator rows into numbers (parsing targets and actuals once per
distinct value, checking units, resolving the "auto" method); each ``rule_*`` function then scores
all rows of its method at once and returns the score, 完成率, 偏离度 and a one-line Chinese
explanation per row.  ``score_rows`` runs them all; ``engine.evaluate`` adds the tree on top.

Conservative by design ("严禁刻意抬高分数"): a missing actual or judgement scores the lowest value the
rule allows and is flagged; an unreadable or inconsistent value is an error, never a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from . import model as m
from .arrays import factorize, first_positions, object_addresses
from .params import Params
from . import wording as W
from .text import cat, date_text, fill, num_text, nums, pcts, round_half_up, round_score
from .values import parse_series, parse_value

MAX_WEIGHT = 100.0  # one row's 分值: a table is out of 100 (1e300 gave 等级 优)

# Prepared-frame columns (internal to the engine; the rule functions read these)
P_WEIGHT = "p_weight"
P_METHOD = "p_method"
P_T = "p_target"  # target number in base units
P_A = "p_actual"  # actual number in base units
P_TCMP = "p_target_cmp"  # codes into COMPARATORS
P_TTEXT = "p_target_text"  # target as displayed in explanations (TextCodes)
P_ATEXT = "p_actual_text"
P_WTEXT = "p_weight_text"  # 分值 as explanations show it (TextCodes)
P_TDATE = "p_target_date"  # ordinal day numbers for deadline rows, NaN otherwise
P_ADATE = "p_actual_date"
P_ABLANK = "p_actual_blank"
P_LEVEL = "p_level"  # qualitative level id or None
P_TRUTH = "p_truth"  # 1.0 / 0.0 / NaN
P_TTRUTH = "p_target_truth"  # the target's yes/no (1.0 / 0.0 / NaN): "否"/"无" as a target is met by 否/无
P_JUDGE = "p_judgement"  # evaluator's score or deductions, NaN when blank
P_CRIT = "p_criteria"
P_ERR = "p_error"  # error message set during preparation, None when fine
P_ERRF = "p_error_field"
P_HASERR = "p_has_error"  # P_ERR is set: a bool mask, so no pass over the messages is needed

# P_METHOD holds small integer codes into METHODS (-1: not a method we know)
METHODS: tuple[str, ...] = ("auto", "higher", "lower", "lower_inverse", "equal", "deadline", "qualitative",
                            "yesno", "checklist", "stepped", "manual", "budget_execution", "ratio", "bonus")
# Methods whose score follows from a rule: an evaluator's 扣分 in 评价人打分/扣分 comes off it
# (floor 0, reason required).  Where the evaluator's number *is* the score (定性, 直接打分, 扣分制,
# 加分项) the column keeps that meaning.
DEDUCTIBLE = ("higher", "lower", "lower_inverse", "equal", "deadline", "yesno", "stepped", "budget_execution",
              "ratio")
METHOD_CODE: dict[str, int] = {name: i for i, name in enumerate(METHODS)}
COMPARATORS: tuple[str | None, ...] = (None, ">=", "<=", "=", ">", "<")
CMP_CODE: dict[str | None, int] = {c: i for i, c in enumerate(COMPARATORS)}

OUT_COLUMNS = ("score", "completion_rate", "deviation", "explanation", "error", "error_field",
               "missing", "over", "has_error")

QUANTITY_METHODS = ("higher", "lower", "lower_inverse", "equal")

# Everything a row's score, rates, explanation and errors depend on (with the rule pack, the
# project's rates and year): rows equal in these are scored once (``score_distinct``).
RULE_INPUTS = (m.WEIGHT, m.METHOD, m.TARGET, m.ACTUAL, m.SOURCE, m.CRITERIA, m.LEVEL, m.JUDGEMENT)


# --------------------------------------------------------------------------------------------
# Preparation
# --------------------------------------------------------------------------------------------
class Column:
    """One input column factorised once: work is done per distinct value, then taken by codes.

    Real indicator tables repeat their values ("≥90%", "100%", "达成年度指标"), so parsing and
    formatting the distinct values only is what makes a million rows affordable.
    """

    def __init__(self, values: Any, n: int | None = None, coded: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """``coded``: (codes, uniques) already known for these values (see ``score_distinct``).

        Excel's TRUE is kept apart from the number 1 (Python holds True == 1)."""
        if values is None:  # an absent column: all blank
            arr = np.full(n or 0, None, dtype=object)
            codes, uniques = np.full(len(arr), -1, dtype=np.int64), np.zeros(0, dtype=object)
        else:
            arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
            if arr.dtype.kind not in "biuf":
                arr = arr.astype(object, copy=False)
            codes, uniques = coded if coded is not None else factorize(arr, keep_bools=True)
        self.raw = arr
        self.codes = np.where(codes < 0, len(uniques), codes)
        self.uniques = np.append(uniques, None)  # last entry: blank

    def __len__(self) -> int:
        return len(self.raw)

    def map(self, func: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
        return np.array([func(u) for u in self.uniques], dtype=dtype)[self.codes]

    def blank(self) -> np.ndarray:
        return self.map(_is_blank, bool)

    def is_text(self) -> np.ndarray:
        return self.map(lambda v: type(v) is str, bool)

    def text_codes(self) -> "TextCodes":
        """What the user typed, as displayed (see ``_display``), kept as codes into the distinct texts."""
        return TextCodes(self.codes, np.array([_display(u) for u in self.uniques], dtype=object))

    def parsed(self, default_year: int | None = None) -> "ParsedColumn":
        return parse_together([self], default_year)[0]


class TextCodes:
    """A text column as codes into its distinct values, taken out only for the rows an
    explanation needs: building, cutting and re-cutting a million-element object array per
    column cost more than the explanations that read it."""

    def __init__(self, codes: np.ndarray, table: np.ndarray) -> None:
        self.codes, self.table = codes, table

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows: Any) -> np.ndarray:
        return self.table[self.codes[rows]]

    def subset(self, rows: np.ndarray) -> "TextCodes":
        return TextCodes(self.codes[rows], self.table)

    def set(self, rows: np.ndarray, values: np.ndarray) -> None:
        """Show other texts at some rows (e.g. an Excel fraction as a percentage)."""
        rows = np.flatnonzero(rows) if rows.dtype == bool else np.asarray(rows)
        self.codes = self.codes.copy()
        self.codes[rows] = len(self.table) + np.arange(len(rows))
        self.table = np.concatenate([self.table, np.asarray(values, dtype=object)])


def parse_together(columns: list[Column], default_year: int | None = None) -> list["ParsedColumn"]:
    """Parse several columns' distinct values in one pass: targets and actuals share many values
    ("100%", "1200场"), and parse_series reads each distinct value once."""
    sizes = [len(c.uniques) for c in columns]
    values = np.concatenate([c.uniques for c in columns]) if columns else np.zeros(0, dtype=object)
    frame = parse_series(pd.Series(values, dtype=object), default_year)
    out, start = [], 0
    for column, size in zip(columns, sizes):
        out.append(ParsedColumn(frame.iloc[start:start + size].reset_index(drop=True), column.codes))
        start += size
    return out


class ParsedColumn:
    """Parsed fields of a column, taken out to full length only when a rule asks for them."""

    def __init__(self, frame: pd.DataFrame, codes: np.ndarray) -> None:
        self._frame = frame
        self._codes = codes
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, field: str) -> np.ndarray:
        if field not in self._cache:
            self._cache[field] = self._frame[field].to_numpy()[self._codes]
        return self._cache[field]

    def unique_floats(self, field: str) -> np.ndarray:
        """A numeric field per distinct value as float64 (NaN for None)."""
        return np.array([np.nan if v is None else float(v) for v in self._frame[field].to_numpy(dtype=object)],
                        dtype=float)

    def floats(self, field: str) -> np.ndarray:
        """A numeric field as float64 (NaN for None), converted once per distinct value."""
        key = field + ":float"
        if key not in self._cache:
            self._cache[key] = self.unique_floats(field)[self._codes]
        return self._cache[key]

    def codes_of(self, field: str, table: Mapping[Any, int]) -> np.ndarray:
        """A field as int8 codes (``table``: value → code; None → table[None]), per distinct value."""
        values = self._frame[field].to_numpy(dtype=object)
        none = table[None]
        return np.array([none if v is None or v != v else table[v] for v in values], dtype=np.int8)[self._codes]

    def at(self, field: str, rows: np.ndarray) -> np.ndarray:
        """One field at some rows only (messages for the rows that fail)."""
        return self._frame[field].to_numpy()[self._codes[rows]]

    def is_in(self, field: str, *values: Any) -> np.ndarray:
        """Row mask "field is one of values", decided once per distinct value."""
        return np.isin(self._frame[field].to_numpy(dtype=object), values)[self._codes]

    def given(self, field: str) -> np.ndarray:
        """Row mask "field is not None/NaN", decided once per distinct value."""
        return ~_isnone(self._frame[field].to_numpy(dtype=object))[self._codes]

    def unique_values(self, field: str) -> np.ndarray:
        return self._frame[field].to_numpy(dtype=object)

    def codes(self) -> np.ndarray:
        return self._codes


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def _display(v: Any) -> str:
    """What the user typed, for explanations: strings stripped, numbers without trailing .0."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, str):
        v = v.strip()
        return v if len(v) <= 100 else v[:99] + "…"  # an explanation quotes a value, it does not copy a page
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float, np.integer, np.floating)):
        return num_text(float(v), 6)
    if hasattr(v, "strftime"):
        return date_text(v)
    return str(v)


def blank_mask(values: Any) -> np.ndarray:
    """True where a cell is empty or only whitespace."""
    return Column(values).blank()


class Prepared(dict):
    """The prepared rows: column name → numpy array, all of one length.

    A dict of arrays rather than a DataFrame: the rules only do array arithmetic, and pandas'
    per-column bookkeeping (string-dtype inference, index alignment) cost more than the rules.
    """

    @property
    def n(self) -> int:
        return len(self[P_WEIGHT])

    def subset(self, mask: np.ndarray) -> "_Subset":
        return _Subset(self, mask)


class _Subset(dict):
    """Some rows of a Prepared, each column cut out only when a rule reads it."""

    def __init__(self, parent: Prepared, mask: np.ndarray) -> None:
        super().__init__()
        self._parent = parent
        self._mask = mask

    def __missing__(self, key: str) -> np.ndarray:
        whole = self._parent[key]
        value = whole.subset(self._mask) if isinstance(whole, TextCodes) else whole[self._mask]
        self[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._parent


Rows = Mapping[str, Any]  # the rows a rule scores: a Prepared or a cut of it (_Subset)
Result = dict[str, np.ndarray]  # OUT_COLUMNS → arrays aligned with those rows


def _date_ordinals(parsed: "ParsedColumn", n: int, year: int | None) -> np.ndarray:
    """Dates as day numbers for comparison; a date without a year takes the project's year."""
    out = np.full(n, np.nan)
    rows = np.flatnonzero(parsed.is_in("kind", "date"))
    if not len(rows):
        return out
    for i, d, md in zip(rows, parsed.at("date", rows), parsed.at("month_day", rows)):
        if d is not None and d == d:
            out[i] = pd.Timestamp(d).toordinal()
        elif year and md is not None and md == md:
            try:
                out[i] = pd.Timestamp(year=year, month=int(md[0]), day=int(md[1])).toordinal()
            except ValueError:
                pass
    return out


def _isnone(a: np.ndarray) -> np.ndarray:
    return pd.isna(a) | (a == None)  # noqa: E711 - element-wise


def _auto_method(t: "ParsedColumn", level_given: np.ndarray, truth: np.ndarray, judge: np.ndarray,
                 criteria_blank: np.ndarray) -> np.ndarray:
    """The method "auto" stands for, from the target's comparator and kind (see the package doc)."""
    n = len(truth)
    out = np.full(n, -1, dtype=np.int8)
    unset = np.ones(n, dtype=bool)

    def pick(mask: np.ndarray, method: str) -> None:
        mask = mask & unset
        out[mask] = METHOD_CODE[method]
        unset[mask] = False

    quantity = t.is_in("kind", "number", "percent")
    pick(quantity & t.is_in("comparator", "<=", "<"), "lower")
    pick(quantity & t.is_in("comparator", "="), "equal")
    pick(quantity, "higher")
    pick(t.is_in("kind", "date"), "deadline")
    pick(~criteria_blank, "stepped")
    pick(t.given("truth") & ~np.isnan(truth) & np.isnan(judge), "yesno")  # 是 → 是
    pick(level_given, "qualitative")
    pick(~np.isnan(truth), "yesno")
    pick(t.is_in("kind", "qualitative"), "qualitative")
    pick(~np.isnan(judge), "manual")
    return out


def _joint_codes(t: "ParsedColumn", a: "ParsedColumn", field: str) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of one field over both columns, so rows compare as integers (-1 = None)."""
    tu, au = t.unique_values(field), a.unique_values(field)
    both = np.concatenate([tu, au])
    codes, _ = pd.factorize(np.where(_isnone(both), None, both), use_na_sentinel=True)
    return codes[: len(tu)][t.codes()], codes[len(tu):][a.codes()]


def _judgement(v: Any) -> tuple[float, str | None]:
    if v is None or (isinstance(v, float) and v != v):
        return np.nan, None
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return float(v), None
    text = str(v).strip()
    if not text or text in ("—", "-", "/"):
        return np.nan, None
    total = _sum_text(text)
    if total is None:
        return np.nan, f"评价人打分/扣分“{text}”无法识别为数值"
    return total, None


@lru_cache(maxsize=4096)
def _sum_text(text: str) -> float | None:
    parts = re.split(r"[+＋;；,，、\s]+", text.replace("分", " "))
    total = 0.0
    seen = False
    for part in parts:
        if not part:
            continue
        parsed = parse_value(part)
        if parsed.kind != "number" or parsed.number is None or parsed.unit or parsed.comparator:
            return None
        total += parsed.number
        seen = True
    return total if seen else None


def prepare(indicators: pd.DataFrame | Mapping[str, Any], params: Params, rates: Mapping[str, float | None],
            year: int | None = None, coded: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None) -> Prepared:
    """Parse and check the inputs of every row; rows with a problem carry it in P_ERR.

    ``indicators``: a DataFrame or a mapping of column arrays, with the engine's column names.
    ``coded``: per column, (codes, uniques) of these values already factorised (TRUE kept apart from 1).
    """
    n = len(indicators[m.WEIGHT])
    coded = coded or {}

    def col(name: str) -> Column:
        values = indicators[name] if name in indicators else None
        return Column(values, n, coded.get(name) if values is not None else None)

    err = np.full(n, None, dtype=object)
    errf = np.full(n, "", dtype=object)
    has_err = np.zeros(n, dtype=bool)

    def fail(mask: np.ndarray, message: Any, field: str) -> None:
        """Record an error where none is recorded yet; ``message`` may be a callable taking the
        row positions, so per-row messages are only built for the rows that fail."""
        mask = mask & ~has_err
        if not mask.any():
            return
        err[mask] = message(np.flatnonzero(mask)) if callable(message) else message
        errf[mask] = field
        has_err[mask] = True

    # weight
    weight_col = col(m.WEIGHT)
    wp = weight_col.parsed()
    weight = wp.floats("number")
    bad_w = ~wp.is_in("kind", "number", "empty") | (wp.given("unit") & ~wp.is_in("unit", "分"))
    fail(bad_w, lambda i: cat("分值“", weight_col.text_codes()[i], "”不是数字"), m.WEIGHT)
    fail(weight < 0, "分值不能为负数", m.WEIGHT)
    fail(weight > MAX_WEIGHT, lambda i: cat("分值", nums(weight[i]), "超过", num_text(MAX_WEIGHT),
                                             "分：一项指标的分值应在0–100分之间"), m.WEIGHT)
    # scores are kept to the pack's decimals: a 分值 finer than that (0.0076) would score 0.01 at full
    # marks, and 1,976 such rows added 4.7 points to a table out of 100
    finer = ~np.isnan(weight) & (np.abs(weight - round_half_up(weight, params.decimals)) > 1e-9)
    fail(finer, lambda i: cat("分值", nums(weight[i], 6), "的小数位多于得分保留的", str(params.decimals),
                              "位小数：得分取舍后各项合计会偏离满分，请把分值写到", str(params.decimals), "位小数"), m.WEIGHT)

    # method
    method_col = col(m.METHOD)
    mapped = method_col.map(lambda v: METHOD_CODE.get(m.method_id(v), -1), np.int8)
    fail(mapped < 0, lambda i: cat("评分方法“", method_col.text_codes()[i], "”不在可选列表中"), m.METHOD)

    # source: an actual taken from the project's rates
    source = col(m.SOURCE)
    actual_raw = (np.array(indicators[m.ACTUAL], dtype=object, copy=True) if m.ACTUAL in indicators
                  else np.full(n, None, dtype=object))
    sourced: dict[int, str] = {}  # row → how its actual reads in explanations
    for code, value in enumerate(source.uniques[:-1]):  # once per distinct source name, not per row
        name = str(value).strip()
        rows = source.codes == code
        if not name:
            continue
        if name not in rates:
            fail(rows, f"比率来源“{name}”不是可用的项目比率（可选：{'、'.join(m.SOURCE_RATES)}；"
                       f"数据来源或佐证材料请填在“数据来源/佐证材料”列）", m.SOURCE)
        elif rates[name] is None:
            fail(rows, f"比率来源“{name}”无法计算：项目信息中的预算数据不全", m.SOURCE)
        else:
            value, shown = source_rate(name, rates[name], params)
            actual_raw[rows] = f"{value * 100:.10g}%"
            sourced.update((int(i), shown) for i in np.flatnonzero(rows))

    target_col = col(m.TARGET)
    actual_col = Column(actual_raw, coded=None if sourced else coded.get(m.ACTUAL))
    t, a = parse_together([target_col, actual_col], year)
    level_col = col(m.LEVEL)
    level_blank = level_col.blank()
    level = np.where(level_blank, a["level"], level_col.map(lambda v: parse_value(v).level))
    level_given = np.where(level_blank, a.given("level"), level_col.map(lambda v: parse_value(v).level is not None, bool))
    truth = np.where(a.is_in("truth", True), 1.0, np.where(a.is_in("truth", False), 0.0, np.nan))
    judge_col = col(m.JUDGEMENT)
    judge = judge_col.map(lambda v: _judgement(v)[0], float)
    bad_judge = judge_col.map(lambda v: _judgement(v)[1] is not None, bool)
    fail(bad_judge, lambda i: judge_col.map(lambda v: _judgement(v)[1])[i], m.JUDGEMENT)
    criteria_col = col(m.CRITERIA)

    auto = mapped == METHOD_CODE["auto"]
    resolved = _auto_method(t, level_given, truth, judge, criteria_col.blank())
    method = np.where(auto, resolved, mapped).astype(np.int8)
    # unreadable targets/actuals come first: they are why a method could not be chosen
    fail(t.is_in("kind", "invalid"), lambda i: cat("目标值", t.at("message", i)), m.TARGET)
    fail(a.is_in("kind", "invalid"), lambda i: cat("实际值", a.at("message", i)), m.ACTUAL)
    fail(auto & (resolved < 0), "无法自动识别评分方法：请填写目标值或选择评分方法", m.METHOD)
    # a target with digits that reads as neither a number nor a date ("═100%" before the look-alike
    # was known, "100%（含）以上" …) must not silently become a qualitative row that scores 0
    digits = target_col.map(lambda v: isinstance(v, str) and _DIGIT(v) is not None, bool)
    unread = auto & (resolved == METHOD_CODE["qualitative"]) & digits & np.isnan(judge) & ~level_given
    fail(unread, lambda i: cat("目标值“", target_col.text_codes()[i], "”含数字，但无法识别为数值、百分比或日期："
                               "请写成“≥100%”“≤5天”“12月31日前”这样的形式，或在“评分方法”中选择定性分档并打分"),
         m.TARGET)
    if params.lower_better_mode == "inverse":
        method[method == METHOD_CODE["lower"]] = METHOD_CODE["lower_inverse"]

    ratio_rule = method_in(method, *QUANTITY_METHODS)
    quantity = ratio_rule | method_in(method, "stepped", "budget_execution", "ratio")
    t_qty = t.is_in("kind", "number", "percent")
    a_qty = a.is_in("kind", "number", "percent")
    a_blank = a.is_in("kind", "empty")
    fail(ratio_rule & ~t_qty, "目标值不是数值，无法按比率计分（定性目标请选“定性分档”）", m.TARGET)
    fail(quantity & ~a_qty & ~a_blank, "实际值不是数值，无法与目标值比较", m.ACTUAL)

    # units: different units are an error (a bare number beside a percentage or a 万 unit: below)
    tu, au = _joint_codes(t, a, "unit")
    t_pct, a_pct = t.is_in("unit", "%"), a.is_in("unit", "%")
    t_num, a_num = t.floats("number"), a.floats("number")
    t_text_in, a_text_in = target_col.is_text(), actual_col.is_text()
    differ = (tu >= 0) & (au >= 0) & (tu != au)
    mismatch = ratio_rule & t_qty & a_qty & differ
    t_text, a_text = target_col.text_codes(), actual_col.text_codes()
    fail(mismatch, lambda i: cat("目标值“", t_text[i], "”与实际值“", a_text[i], "”单位不一致，不能直接相比"), m.ACTUAL)
    # an Excel number beside a percentage is a fraction (a cell formatted as percent holds 0.85 for
    # 85%) only between 0 and 1; 85 or 91.2 there was typed without its "%" — never 8500%
    # typed as text ("95" in a text cell), any bare number beside a percentage is refused
    a_bare = a_qty & ~a_pct & (au < 0) & (a_text_in | (a_num > 1 + 1e-12) | (a_num < 0))
    t_bare = t_qty & ~t_pct & (tu < 0) & (t_text_in | (t_num > 1 + 1e-12) | (t_num < 0))
    a_over = a_qty & ~a_pct & ((a_num > 1 + 1e-12) | (a_num < 0))  # typed or not: 97 is no 执行率
    fail((ratio_rule & t_pct & a_bare) | (method_in(method, "budget_execution", "ratio") & a_over),
         lambda i: cat("实际值“", a_text[i], "”未带百分号，而", np.where(t_pct[i], "目标值", "预算执行率"),
                       "是百分比：若为", a_text[i], "%，请填写“", a_text[i], "%”（或将单元格设为百分比格式后填写）"),
         m.ACTUAL)
    # "≤90万元" beside a bare 90: 90 元 or 90 万元?  Units in 万/亿/千 must be written on both sides
    t_mult = target_col.map(_multiplier, object)
    a_mult = actual_col.map(_multiplier, object)
    t_unitless, a_unitless = (tu < 0) & ~t_pct, (au < 0) & ~a_pct
    fail(ratio_rule & t_qty & a_qty & (t_mult != None) & a_unitless,  # noqa: E711 - element-wise
         lambda i: _unit_hint(t_text[i], a_text[i], cat(t_mult[i], np.array([u or "" for u in t.at("unit", i)],
                                                                            dtype=object))), m.ACTUAL)
    fail(ratio_rule & t_qty & a_qty & (a_mult != None) & t_unitless,  # noqa: E711 - element-wise
         lambda i: cat("实际值“", a_text[i], "”以“", a_mult[i], "”为单位，目标值“", t_text[i],
                       "”未写单位：请在目标值中写明单位"), m.TARGET)
    fail(ratio_rule & a_pct & t_bare,
         lambda i: cat("目标值“", t_text[i], "”未带百分号，而实际值是百分比：若为", t_text[i], "%，请填写“",
                       t_text[i], "%”"), m.TARGET)

    # displayed texts: what the user typed; Excel numbers next to a percentage shown as percentages,
    # an actual taken from the project's rates as "预算调整率4.73%"
    if sourced:
        a_text.set(np.fromiter(sourced, dtype=np.int64, count=len(sourced)), np.array(list(sourced.values()), dtype=object))
    pct_ctx = t_pct & ~a_text_in & a_qty
    if pct_ctx.any():
        a_text.set(pct_ctx, cat(nums(a_num[pct_ctx] * 100, 4), "%"))
    pct_ctx_t = a_pct & ~t_text_in & t_qty
    if pct_ctx_t.any():
        t_text.set(pct_ctx_t, cat(nums(t_num[pct_ctx_t] * 100, 4), "%"))

    t_date = _date_ordinals(t, n, year)
    bad_date = (method == METHOD_CODE["deadline"]) & np.isnan(t_date) & t.is_in("kind", "date")
    fail(bad_date, "目标时限未写年份且项目年度未知，无法比较", m.TARGET)
    return Prepared({
        P_WEIGHT: weight,
        P_METHOD: method,
        P_T: t_num,
        P_A: a_num,
        P_TCMP: t.codes_of("comparator", CMP_CODE),
        P_TTEXT: t_text,
        P_ATEXT: a_text,
        P_WTEXT: TextCodes(weight_col.codes, np.array([num_text(v) for v in wp.unique_floats("number")], dtype=object)),
        P_TDATE: t_date,
        P_ADATE: _date_ordinals(a, n, year),
        P_ABLANK: a_blank,
        P_LEVEL: level,
        P_TRUTH: truth,
        P_TTRUTH: np.where(t.is_in("truth", True), 1.0, np.where(t.is_in("truth", False), 0.0, np.nan)),
        P_JUDGE: judge,
        P_CRIT: criteria_col.raw,
        P_ERR: err,
        P_ERRF: errf,
        P_HASERR: has_err,
    })


_DIGIT = re.compile(r"[0-9０-９]").search
_MULTIPLIED = re.compile(r"[0-9０-９]\s*(万亿|千万|百万|亿|万|千(?!米|克|瓦|帕|伏|卡|焦|赫|升|字节|比特))")


def _unit_hint(targets: np.ndarray, actuals: np.ndarray, units: np.ndarray) -> np.ndarray:
    return cat("目标值“", targets, "”的单位是“", units, "”，实际值“", actuals, "”未写单位：若为", actuals, units,
               "，请填写“", actuals, units, "”")


def _multiplier(value: Any) -> str | None:
    """"万" for "≤90万元", None for "117场" or a number: the scale a written unit carries."""
    if not isinstance(value, str):
        return None
    found = _MULTIPLIED.search(value)
    return found.group(1) if found else None


def source_rate(name: str, value: float, params: Params) -> tuple[float, str]:
    """The value a row sourced from a project rate is scored on, and how its actual reads.

    预算调整率 is scored on its magnitude by default: a budget cut (调减) is as much an adjustment as
    a raise, and a negative rate would pass every "≤" band with full marks."""
    if name == m.RATE_ADJUSTMENT and params.adjustment_rate_magnitude and value != 0:
        verb = "调增" if value > 0 else "调减"
        return abs(value), f"{name}{num_text(abs(value) * 100, 2)}%（{verb}）"
    return value, f"{name}{num_text(value * 100, 2)}%"


def method_in(codes: np.ndarray, *names: str) -> np.ndarray:
    """Row mask "the method is one of names", on the integer codes."""
    return np.isin(codes, [METHOD_CODE[name] for name in names])


def method_names(codes: np.ndarray) -> np.ndarray:
    """The method ids for codes, "" where unknown."""
    return np.append(np.array(METHODS, dtype=object), "")[codes]


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------
def _rows(p: Any) -> int:
    return len(p[P_WEIGHT])


def _out(p: Any) -> dict[str, np.ndarray]:
    n = _rows(p)
    return {
        "score": np.full(n, np.nan),
        "completion_rate": np.full(n, np.nan),
        "deviation": np.full(n, np.nan),
        "explanation": np.full(n, "", dtype=object),
        "error": np.full(n, None, dtype=object),
        "error_field": np.full(n, "", dtype=object),
        "missing": np.full(n, "", dtype=object),
        "over": np.zeros(n, dtype=bool),
        "has_error": np.zeros(n, dtype=bool),
    }


def _fail(out: dict[str, np.ndarray], mask: np.ndarray, message: Any, field: str) -> None:
    """A rule's error for the rows in mask (they are not scored)."""
    out["error"][mask] = message
    out["error_field"][mask] = field
    out["has_error"][mask] = True


def _missing_actual(p: Rows, out: Result) -> np.ndarray:
    blank = np.asarray(p[P_ABLANK], dtype=bool)
    out["score"][blank] = 0.0
    out["missing"][blank] = "实际值未填写"
    out["explanation"][blank] = fill(W.MISSING_ACTUAL, w=p[P_WTEXT][blank])
    return blank


def _rates(out: dict[str, np.ndarray], a: np.ndarray, t: np.ndarray) -> None:
    with np.errstate(divide="ignore", invalid="ignore"):
        out["completion_rate"] = np.where(t != 0, a / np.where(t == 0, 1, t), np.nan)
        out["deviation"] = np.where(t != 0, (a - t) / np.where(t == 0, 1, np.abs(t)), np.nan)


def rule_higher(p: Rows, params: Params) -> Result:
    """Higher is better: met → full 分值; else 分值 × 实际/目标 (0 when the target is ≤ 0)."""
    out = _out(p)
    w, t, a = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_T], dtype=float), np.asarray(p[P_A], dtype=float)
    _rates(out, a, t)
    blank = _missing_actual(p, out)
    strict = p[P_TCMP] == CMP_CODE[">"]
    met = np.where(strict, a > t, a >= t) & ~blank
    partial = ~met & ~blank
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(t > 0, np.clip(a, 0, None) / np.where(t > 0, t, 1), 0.0)
    out["score"][met] = w[met]
    out["score"][partial] = np.minimum(w[partial] * ratio[partial], w[partial])
    at, tt = p[P_ATEXT], p[P_TTEXT]
    rate_txt = pcts(out["completion_rate"])  # "—" where there is no rate
    over = met & (t > 0) & (a >= t * params.over_achievement_threshold - 1e-12)  # actual ≥ target × threshold
    out["over"] = over
    ded = params.over_achievement_deduction
    if ded and over.any():
        out["score"][over] = np.maximum(0.0, w[over] - ded)
    # one join per case: each row's sentence is built in one step
    plain = met & ~over
    out["explanation"][plain] = fill(W.HIGHER_MET, at=at[plain], tt=tt[plain], rate=rate_txt[plain], w=p[P_WTEXT][plain])
    if over.any():
        out["explanation"][over] = fill(W.HIGHER_OVER_DEDUCTED if ded else W.HIGHER_OVER, at=at[over], tt=tt[over],
                                        rate=rate_txt[over], w=p[P_WTEXT][over], dev=pcts(out["deviation"][over]),
                                        ded=f"{ded:g}", score=nums(out["score"][over]))
    pos = partial & (t > 0)
    out["explanation"][pos] = fill(W.HIGHER_PARTIAL, at=at[pos], tt=tt[pos], rate=rate_txt[pos], w=p[P_WTEXT][pos],
                                   score=nums(out["score"][pos]))
    nonpos = partial & ~(t > 0)
    out["explanation"][nonpos] = fill(W.HIGHER_NONPOSITIVE_TARGET, at=at[nonpos], tt=tt[nonpos], rate=rate_txt[nonpos])
    return out


def rule_equal(p: Rows, params: Params) -> Result:
    """Equality: a zero target is met only by an actual ≤ 0; otherwise scored as higher-is-better."""
    zero = np.asarray(p[P_T], dtype=float) == 0
    res = rule_higher(p, params)
    if zero.any():
        out = {c: np.array(res[c], copy=True) for c in OUT_COLUMNS}
        w, a = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_A], dtype=float)
        blank = np.asarray(p[P_ABLANK], dtype=bool)
        z = zero & ~blank
        ok = z & (a <= 0)
        out["score"][ok] = w[ok]
        out["score"][z & ~ok] = 0.0
        out["over"][z] = False
        at = p[P_ATEXT]
        out["explanation"][ok] = fill(W.EQUAL_ZERO_MET, at=at[ok], w=p[P_WTEXT][ok])
        bad = z & ~ok
        out["explanation"][bad] = fill(W.EQUAL_ZERO_MISSED, at=at[bad])
        res = out
    return res


def rule_lower(p: Rows, params: Params, mode: str | None = None) -> Result:
    """Lower is better: linear to zero at 2× target (default) or inverse ratio 分值 × 目标/实际."""
    mode = mode or params.lower_better_mode
    out = _out(p)
    w, t, a = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_T], dtype=float), np.asarray(p[P_A], dtype=float)
    _rates(out, a, t)
    blank = _missing_actual(p, out)
    strict = p[P_TCMP] == CMP_CODE["<"]
    met = np.where(strict, a < t, a <= t) & ~blank
    over = ~met & ~blank
    at, tt = p[P_ATEXT], p[P_TTEXT]
    out["score"][met] = w[met]
    out["explanation"][met] = fill(W.LOWER_MET, at=at[met], tt=tt[met], w=p[P_WTEXT][met])
    with np.errstate(divide="ignore", invalid="ignore"):
        if mode == "inverse":
            share = np.where((t > 0) & (a > 0), t / np.where(a > 0, a, 1), 0.0)
            share = np.clip(share, 0, 1)
            out["score"][over] = w[over] * share[over]
            out["explanation"][over] = fill(W.LOWER_INVERSE, at=at[over], tt=tt[over], w=p[P_WTEXT][over],
                                            score=nums(out["score"][over]))
        else:
            excess = np.where(t != 0, (a - t) / np.where(t == 0, 1, np.abs(t)), np.inf)
            share = np.clip(1 - excess, 0, 1)
            out["score"][over] = w[over] * share[over]
            ex_txt = np.where(np.isinf(excess), "—", pcts(np.where(np.isinf(excess), 0, excess)))
            out["explanation"][over] = fill(W.LOWER_LINEAR, at=at[over], tt=tt[over], excess=ex_txt[over],
                                            score=nums(out["score"][over]))
    return out


def rule_lower_inverse(p: Rows, params: Params) -> Result:
    return rule_lower(p, params, mode="inverse")


def _deadline_stepped(p: Rows, out: Result, late_days: np.ndarray, late: np.ndarray) -> np.ndarray:
    """Partial credit for lateness from 评分标准 in days ("≤0天:100%; ≤30天:80%; 其他:0"), for the
    ``late`` rows; criteria that cannot be read fail their rows, late or not (a wrong rule should not
    wait for the first late project to show).  Returns the rows handled here."""
    rows = np.ones(len(late), dtype=bool)
    crit = np.array(["" if v is None or v != v else str(v).strip() for v in np.asarray(p[P_CRIT], dtype=object)],
                    dtype=object)
    done = np.zeros(len(crit), dtype=bool)
    w = np.asarray(p[P_WEIGHT], dtype=float)
    at, tt = p[P_ATEXT], p[P_TTEXT]
    codes, uniques = pd.factorize(crit)
    for code, text in enumerate(uniques):
        mask = (codes == code) & rows
        if not text or not mask.any():
            continue
        try:
            bands = parse_bands(text)
        except ValueError as exc:
            _fail(out, mask, str(exc), m.CRITERIA)
            done |= mask
            continue
        if any(cmp_ is not None and unit not in ("天", "日") for cmp_, _, unit, _ in bands):
            _fail(out, mask, f"时限指标的评分标准“{text}”须按逾期天数分段，如“≤0天:100%; ≤30天:80%; 其他:0”",
                  m.CRITERIA)
            done |= mask
            continue
        mask &= late
        if not mask.any():
            continue
        share, used = _in_bands(bands, late_days, mask)
        out["score"][mask] = w[mask] * share[mask]
        out["explanation"][mask] = fill(W.DEADLINE_STEPPED, at=at[mask], tt=tt[mask],
                                        days=nums(late_days[mask], 0), step=used[mask],
                                        share=cat(nums(share[mask] * 100), "%"), w=p[P_WTEXT][mask],
                                        score=nums(out["score"][mask]))
        done |= mask
    return done


def rule_deadline(p: Rows, params: Params) -> Result:
    """Timeliness: finished on or before the deadline → full; later → 0, or the share 评分标准 gives
    for the days late ("≤30天:80%")."""
    out = _out(p)
    w = np.asarray(p[P_WEIGHT], dtype=float)
    td, ad = np.asarray(p[P_TDATE], dtype=float), np.asarray(p[P_ADATE], dtype=float)
    blank = _missing_actual(p, out)
    truth = np.asarray(p[P_TRUTH], dtype=float)
    has_date = ~np.isnan(ad)
    met = np.where(p[P_TCMP] == CMP_CODE[">="], ad >= td, ad <= td) & has_date
    met |= ~has_date & (truth == 1)  # "按时完成" against a date target
    late = ~met & ~blank & (has_date | (truth == 0))
    unknown = ~met & ~late & ~blank
    at, tt = p[P_ATEXT], p[P_TTEXT]
    out["score"][met] = w[met]
    out["explanation"][met] = fill(W.DEADLINE_MET, at=at[met], tt=tt[met], w=p[P_WTEXT][met])
    # lateness in days only when both are dates and the deadline is an upper bound ("12月31日前")
    dated_late = late & has_date & ~np.isnan(td) & (p[P_TCMP] != CMP_CODE[">="])
    stepped = _deadline_stepped(p, out, np.where(dated_late, ad - td, np.nan), dated_late)
    zero = late & ~stepped & ~out["has_error"]
    out["score"][zero] = 0.0
    out["explanation"][zero] = fill(W.DEADLINE_LATE, at=at[zero], tt=tt[zero])
    _fail(out, unknown, "实际值无法识别为完成日期（如“2021年12月20日”或“按时完成”）", m.ACTUAL)
    return out


def rule_qualitative(p: Rows, params: Params) -> Result:
    """Three bands; the evaluator's score must lie inside the chosen band (top band includes 100%)."""
    out = _out(p)
    w, s = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_JUDGE], dtype=float)
    level = np.asarray(p[P_LEVEL], dtype=object)
    has_s = ~np.isnan(s)
    no_level = pd.isna(level) | (level == None)  # noqa: E711
    for name, lo, hi in params.qualitative_bands:
        in_level = level == name
        if not in_level.any():
            continue
        label = m.LEVEL_LABELS.get(name, name)
        band_txt = f"（{lo * 100:g}%–{hi * 100:g}%）"
        lo_pts, hi_pts = w * lo, w * hi
        top = hi >= 1.0
        inside = (s >= lo_pts - 1e-9) & (np.where(top, s <= hi_pts + 1e-9, s < hi_pts - 1e-9))
        good = in_level & has_s & inside
        out["score"][good] = s[good]
        out["explanation"][good] = fill(W.QUALITATIVE_SCORED, label=label, band=band_txt, s=nums(s[good]))
        bad = in_level & has_s & ~inside
        _fail(out, bad, cat("评价人打分", nums(s[bad]), f"分不在“{label}”档次的分值区间",
                            nums(lo_pts[bad]), "–", nums(hi_pts[bad]), "分内"), m.JUDGEMENT)
        miss = in_level & ~has_s
        out["score"][miss] = lo_pts[miss]
        out["missing"][miss] = "评价人打分未填写"
        out["explanation"][miss] = fill(W.QUALITATIVE_UNSCORED, label=label, band=band_txt, lo=nums(lo_pts[miss]))
    only_s = no_level & has_s
    ok = only_s & (s >= 0) & (s <= w + 1e-9)
    out["score"][ok] = s[ok]
    out["missing"][ok] = "未选择定性档次"
    out["explanation"][ok] = fill(W.QUALITATIVE_NO_LEVEL, s=nums(s[ok]))
    _fail(out, only_s & ~ok, "评价人打分超出0–分值范围", m.JUDGEMENT)
    neither = no_level & ~has_s
    out["score"][neither] = 0.0
    out["missing"][neither] = "定性档次与评价人打分均未填写"
    out["explanation"][neither] = W.QUALITATIVE_NOTHING
    return out


def rule_yesno(p: Rows, params: Params) -> Result:
    """Yes/no: the answer the target asks for → full, the other → 0.  The target is usually 是 (or
    建立, 有 …); a target of 否/无 ("无安全事故" written as 无) is met by 否/无."""
    out = _out(p)
    w, truth = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_TRUTH], dtype=float)
    wanted_no = np.asarray(p[P_TTRUTH], dtype=float) == 0
    blank = _missing_actual(p, out)
    at, tt = p[P_ATEXT], p[P_TTEXT]
    yes, no = truth == 1, truth == 0
    met, missed = np.where(wanted_no, no, yes), np.where(wanted_no, yes, no)
    out["score"][met] = w[met]
    out["score"][missed] = 0.0
    for rows, template in ((met & ~wanted_no, W.YESNO_YES), (missed & ~wanted_no, W.YESNO_NO)):
        out["explanation"][rows] = fill(template, at=at[rows], w=p[P_WTEXT][rows])
    for rows, template in ((met & wanted_no, W.YESNO_TARGET_MET), (missed & wanted_no, W.YESNO_TARGET_MISSED)):
        out["explanation"][rows] = fill(template, at=at[rows], tt=tt[rows], w=p[P_WTEXT][rows])
    unknown = ~yes & ~no & ~blank
    _fail(out, unknown, cat("实际值“", at[unknown], "”无法判断是或否"), m.ACTUAL)
    return out


def rule_checklist(p: Rows, params: Params) -> Result:
    """Deductions: 分值 − Σ扣分, floor 0. A blank deduction is not read as "nothing deducted"."""
    out = _out(p)
    w, d = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_JUDGE], dtype=float)
    has = ~np.isnan(d)
    neg = has & (d < 0)
    _fail(out, neg, "扣分不能为负数", m.JUDGEMENT)
    ok = has & ~neg
    out["score"][ok] = np.maximum(0.0, w[ok] - d[ok])
    none = ok & (d == 0)
    some = ok & (d > 0)
    out["explanation"][none] = fill(W.CHECKLIST_NONE, w=p[P_WTEXT][none])
    out["explanation"][some] = fill(W.CHECKLIST_SOME, w=p[P_WTEXT][some], d=nums(d[some]), score=nums(out["score"][some]))
    miss = ~has
    out["score"][miss] = 0.0
    out["missing"][miss] = "扣分未填写"
    out["explanation"][miss] = W.CHECKLIST_MISSING
    return out


def rule_manual(p: Rows, params: Params) -> Result:
    """The evaluator's own score, checked to lie in 0..分值."""
    out = _out(p)
    w, s = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_JUDGE], dtype=float)
    has = ~np.isnan(s)
    ok = has & (s >= 0) & (s <= w + 1e-9)
    out["score"][ok] = s[ok]
    out["explanation"][ok] = fill(W.MANUAL_SCORED, s=nums(s[ok]), w=p[P_WTEXT][ok])
    bad = has & ~ok
    _fail(out, bad, cat("评价人打分", nums(s[bad]), "分超出0–", p[P_WTEXT][bad], "分的范围"), m.JUDGEMENT)
    miss = ~has
    out["score"][miss] = 0.0
    out["missing"][miss] = "评价人打分未填写"
    out["explanation"][miss] = W.MANUAL_MISSING
    return out


def _proportional(p: Rows, cap: bool, templates: tuple[str, str]) -> Result:
    """分值 × the actual rate (a percentage), capped at 分值 when ``cap``."""
    out = _out(p)
    w, rate = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_A], dtype=float)
    blank = _missing_actual(p, out)
    ok = ~blank & ~np.isnan(rate)
    raw = w * np.clip(rate, 0, None)
    out["score"][ok] = np.minimum(raw[ok], w[ok]) if cap else raw[ok]
    out["completion_rate"][ok] = rate[ok]
    capped = ok & (raw > w) & cap
    for rows, template in ((ok & ~capped, templates[0]), (capped, templates[1])):
        out["explanation"][rows] = fill(template, rate=pcts(rate[rows], 2), w=p[P_WTEXT][rows],
                                        score=nums(out["score"][rows]))
    return out


def rule_budget_execution(p: Rows, params: Params) -> Result:
    """分值 × 执行率, capped at 分值 unless the rule pack says otherwise."""
    return _proportional(p, params.budget_execution_cap, (W.BUDGET_EXECUTION, W.BUDGET_EXECUTION_CAPPED))


def rule_ratio(p: Rows, params: Params) -> Result:
    """按实际比率计分: 分值 × the actual rate whatever the target (98% → 19.6 of 20), capped at 分值."""
    return _proportional(p, True, (W.RATIO, W.RATIO_CAPPED))


def rule_bonus(p: Rows, params: Params) -> Result:
    """加分项: the evaluator's bonus points; the table's total bonus is capped by the pack (engine)."""
    out = _out(p)
    s = np.asarray(p[P_JUDGE], dtype=float)
    n = _rows(p)
    if params.bonus_cap <= 0:
        _fail(out, np.ones(n, dtype=bool), "规则包未允许加分（加分上限为0）：如本地规定有加分项，请在“评分参数”中设置"
              "“加分上限”", m.METHOD)
        return out
    has = ~np.isnan(s)
    neg = has & (s < 0)
    _fail(out, neg, "加分不能为负数（扣分请在所属指标的“评价人打分/扣分”中填写）", m.JUDGEMENT)
    ok = has & ~neg
    out["score"][ok] = s[ok]
    out["explanation"][ok] = fill(W.BONUS, s=nums(s[ok]))
    miss = ~has
    out["score"][miss] = 0.0
    out["explanation"][miss] = W.BONUS_MISSING
    return out


@lru_cache(maxsize=1024)
def parse_bands(text: str) -> tuple[tuple[str | None, float | None, str | None, float], ...]:
    """"≤0%:100%; ≤5%:80%; 其他:0" → ((cmp, threshold, unit, share), …); (None, None, None, s) = 其他."""
    norm = (text.replace("；", ";").replace("：", ":").replace("，", ";").replace("\n", ";"))
    bands = []
    for part in [x.strip() for x in norm.split(";") if x.strip()]:
        if ":" not in part:
            raise ValueError(f"评分标准“{part}”缺少“:”，应写作“≤5%:80%”")
        cond, share_text = part.rsplit(":", 1)
        share = parse_value(share_text.strip())
        if share.kind not in ("percent", "number") or share.number is None or share.comparator:
            raise ValueError(f"评分标准“{part}”的得分比例“{share_text}”无法识别")
        frac = share.number if share.kind == "percent" else (share.number / 100 if share.number > 1 else share.number)
        cond = cond.strip()
        if cond in ("其他", "其它", "否则", "else"):
            bands.append((None, None, None, frac))
            continue
        cv = parse_value(cond)
        if cv.comparator is None or cv.number is None:
            raise ValueError(f"评分标准“{part}”的条件“{cond}”应以≤、≥、<、>开头")
        bands.append((cv.comparator, cv.number, cv.unit, frac))
    if not bands:
        raise ValueError("评分标准为空")
    return tuple(bands)


_CMP: dict[str, Callable[[Any, float], Any]] = {
    "<=": lambda a, b: a <= b + 1e-12, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b - 1e-12,
    ">": lambda a, b: a > b, "=": lambda a, b: np.abs(a - b) <= 1e-12,
}
_CMP_TEXT = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "=": "="}


def rule_stepped(p: Rows, params: Params) -> Result:
    """Stepped bands: the first band whose condition holds gives the share of 分值."""
    out = _out(p)
    w, a = np.asarray(p[P_WEIGHT], dtype=float), np.asarray(p[P_A], dtype=float)
    blank = _missing_actual(p, out)
    crit = np.array(["" if v is None or v != v else str(v).strip() for v in np.asarray(p[P_CRIT], dtype=object)],
                    dtype=object)
    at = p[P_ATEXT]
    codes, uniques = pd.factorize(crit)
    for code, text in enumerate(uniques):
        rows = (codes == code) & ~blank
        if not rows.any():
            continue
        if not text:
            _fail(out, rows, "分段计分须在“评分标准”中写明分段，如“≤0%:100%; ≤5%:80%; 其他:0”", m.CRITERIA)
            continue
        try:
            bands = parse_bands(text)
        except ValueError as exc:
            _fail(out, rows, str(exc), m.CRITERIA)
            continue
        share, used = _in_bands(bands, a, rows)
        out["score"][rows] = w[rows] * share[rows]
        out["explanation"][rows] = fill(W.STEPPED, at=at[rows], step=used[rows], share=cat(nums(share[rows] * 100), "%"),
                                        w=p[P_WTEXT][rows], score=nums(out["score"][rows]))
    return out


def _in_bands(bands: tuple, values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the share of 分值 from the first band whose condition its value meets, and that
    band as explanations show it (stepped rules and days late alike)."""
    share = np.zeros(len(rows))
    used = np.full(len(rows), W.STEPPED_NO_BAND, dtype=object)
    todo = rows.copy()
    for cmp_, threshold, unit, frac in bands:
        hit = todo if cmp_ is None else todo & _CMP[cmp_](values, threshold)
        share[hit] = frac
        used[hit] = W.STEPPED_OTHERWISE if cmp_ is None else band_text(cmp_, threshold, unit)
        todo &= ~hit
    return share, used


def band_text(cmp_: str, threshold: float, unit: str | None) -> str:
    """A stepped band's condition as explanations show it: "≤5%"."""
    value = num_text(threshold * 100) + "%" if unit == "%" else num_text(threshold) + (unit or "")
    return _CMP_TEXT[cmp_] + value


RULES: dict[str, Callable[[Rows, Params], Result]] = {
    "higher": rule_higher,
    "lower": rule_lower,
    "lower_inverse": rule_lower_inverse,
    "equal": rule_equal,
    "deadline": rule_deadline,
    "qualitative": rule_qualitative,
    "yesno": rule_yesno,
    "checklist": rule_checklist,
    "stepped": rule_stepped,
    "manual": rule_manual,
    "budget_execution": rule_budget_execution,
    "ratio": rule_ratio,
    "bonus": rule_bonus,
}


def score_rows(prepared: Prepared, params: Params) -> dict[str, np.ndarray]:
    """Run each row through its method's rule; rows with preparation errors are not scored.

    Returns OUT_COLUMNS as arrays aligned with ``prepared``.
    """
    n = prepared.n
    result = {
        "score": np.full(n, np.nan), "completion_rate": np.full(n, np.nan),
        "deviation": np.full(n, np.nan), "explanation": np.full(n, "", dtype=object),
        "error": np.array(prepared[P_ERR], dtype=object, copy=True),
        "error_field": np.array(prepared[P_ERRF], dtype=object, copy=True),
        "missing": np.full(n, "", dtype=object), "over": np.zeros(n, dtype=bool),
        "has_error": np.array(prepared[P_HASERR], dtype=bool, copy=True),
    }
    methods = prepared[P_METHOD]
    todo = ~result["has_error"] & (~np.isnan(prepared[P_WEIGHT]) | (methods == METHOD_CODE["bonus"]))
    for method, rule in RULES.items():
        mask = todo & (methods == METHOD_CODE[method])
        if not mask.any():
            continue
        sub = rule(prepared.subset(mask), params)
        pos = np.flatnonzero(mask)
        new = pos[sub["has_error"]]
        for column in OUT_COLUMNS:
            if column in ("error", "error_field"):
                result[column][new] = sub[column][sub["has_error"]]
            elif column == "has_error":
                result[column][new] = True
            else:
                result[column][pos] = sub[column]
    _evaluator_deductions(prepared, result)
    return result


def _evaluator_deductions(prepared: Prepared, result: dict[str, np.ndarray]) -> None:
    """评价人扣分 on a rule-scored row (e.g. a target met, 10 → 7 for a stated reason): the rule's score
    minus the deduction, floor 0.  The engine asks for the reason (偏差原因) as for any lost point."""
    judge = np.asarray(prepared[P_JUDGE], dtype=float)
    rows = method_in(prepared[P_METHOD], *DEDUCTIBLE) & ~np.isnan(judge) & ~result["has_error"]
    result["deducted"] = np.full(len(judge), np.nan)
    if not rows.any():
        return
    neg = rows & (judge < 0)
    result["error"][neg] = "评价人扣分不能为负数"
    result["error_field"][neg] = m.JUDGEMENT
    result["has_error"][neg] = True
    result["score"][neg] = np.nan
    rows &= ~neg & ~np.isnan(result["score"])
    some = rows & (judge > 0)
    if some.any():
        result["score"][some] = np.maximum(0.0, result["score"][some] - judge[some])
        result["explanation"][some] = cat(result["explanation"][some],
                                          fill(W.DEDUCTED, d=nums(judge[some]), score=nums(result["score"][some])))
    result["deducted"][rows] = judge[rows]


def finish_scores(result: Mapping[str, np.ndarray], params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Scores at the pack's precision and explanations saying so where that changed the number.

    (scores, explanations); both entry points (``evaluate``, ``score_indicators``) use this, so a
    worksheet function, the workbook and the audit round alike."""
    raw = np.asarray(result["score"], dtype=float)
    score = round_score(raw, params.decimals, params.rounding)
    explanation = np.asarray(result["explanation"], dtype=object)
    # the rules' sentences show 2 decimals; say so only where the pack's precision changed that figure
    shown = round_half_up(raw, 2)
    changed = ~np.isnan(raw) & (np.abs(score - shown) > 1e-9)
    if changed.any():
        mode = "截尾" if params.rounding == "truncate" else "四舍五入"
        template = W.ROUNDED_WHOLE if params.decimals == 0 else W.ROUNDED
        explanation = explanation.copy()
        explanation[changed] = cat(explanation[changed], fill(template, mode=mode, decimals=str(params.decimals),
                                                              raw=nums(raw[changed], 4),
                                                              score=nums(score[changed], params.decimals)))
    return score, explanation


def score_distinct(columns: Mapping[str, Any], params: Params, rates: Mapping[str, float | None],
                   year: int | None = None, min_rows: int = 20_000) -> dict[str, np.ndarray]:
    """``score_rows(prepare(...))`` with P_METHOD and P_WEIGHT added, each distinct row scored once.

    A province's tables repeat whole rows (the same 分值, 定性档次 and score; the same deduction):
    on the benchmark half the million rows are repeats. Rows are grouped on RULE_INPUTS, the
    groups' first rows scored, and the results taken back out to every row. Small tables, and
    tables with few repeats, are scored row by row.
    """
    n = len(columns[m.WEIGHT])
    inputs = {c: columns[c] for c in RULE_INPUTS if c in columns}
    first = inverse = None
    coded: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if n >= min_rows:
        key, span = np.zeros(n, dtype=np.int64), 1
        for name, values in inputs.items():
            codes, uniques = coded[name] = factorize(values, keep_bools=True)
            size = len(uniques) + 1
            if span * size >= 2**62:  # renumber before the combined key could overflow
                key = pd.factorize(key)[0].astype(np.int64)
                span = int(key.max()) + 1
            key = key * size + (codes + 1)
            span *= size
        inverse = pd.factorize(key)[0].astype(np.int64)
        if inverse.max() + 1 <= 0.7 * n:
            first = first_positions(inverse)
    if first is None:  # few repeats: every row is scored, still with the codes already known
        prepared = prepare(inputs, params, rates, year, coded)
        result = score_rows(prepared, params)
    else:
        # the columns' codes are known already: prepare reuses them instead of factorising again
        prepared = prepare({c: np.asarray(v)[first] for c, v in inputs.items()}, params, rates, year,
                           {c: (codes[first], uniques) for c, (codes, uniques) in coded.items()})
        result = {k: _spread(v, inverse) for k, v in score_rows(prepared, params).items()}
    result[P_METHOD] = prepared[P_METHOD] if first is None else prepared[P_METHOD][inverse]
    result[P_WEIGHT] = prepared[P_WEIGHT] if first is None else prepared[P_WEIGHT][inverse]
    return result


def _spread(values: np.ndarray, inverse: np.ndarray) -> np.ndarray:
    """Each distinct row's value out to every row; a column holding one value (no errors, no
    missing inputs: the usual case) is filled rather than taken."""
    if values.dtype == object and len(values) and values.flags.c_contiguous:
        addresses = object_addresses(values)
        if (addresses == addresses[0]).all():  # the very same object in every row
            return np.full(len(inverse), values[0], dtype=object)
    return values[inverse]
