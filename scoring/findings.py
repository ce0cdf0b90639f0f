"""Rule-based 问题 (problems) and 建议 (suggestions), each carrying the numbers and rows behind it.

Why rules as data: the wording of a report belongs to the bureau that signs it, so the sentences
live in ``findings.yaml`` (condition id → templates) and a bureau edits them without touching code.
The code only decides *when* a condition holds and *which* numbers go into the placeholders; every
number is a ``Fact`` that remembers the cell it came from, so the report can be checked against the
workbook later.

The evaluators' own texts (项目信息: 存在问题 / 相关建议) come first; a generated finding whose key
phrase the evaluator already wrote is marked ``covered`` and not repeated in the report body.
Pure: no workbook, no files other than the rule table.
"""

from __future__ import annotations

import datetime as _dt
import re
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd
import yaml

from . import model as m
from .engine import Evaluation, normalise
from .text import date_text, num_text, round_half_up
from .values import ParsedValue, parse_value

RULES_FILE = "findings.yaml"
CATEGORIES = ("problem", "suggestion", "notice")
ITEM_SEPARATOR = "；"
NAME_SEPARATOR = "、"


class FindingsRuleError(ValueError):
    """The rule table cannot be used; the message is Chinese and names the rule."""


# --------------------------------------------------------------------------------------------
# Numbers as people write them, with the cell they came from
# --------------------------------------------------------------------------------------------
def money_text(value: float | None) -> str:
    """144 → "144万元", 150.81 → "150.81万元" (amounts in the workbook are 万元)."""
    return "—" if value is None else f"{num_text(float(value), 2)}万元"


def rate_text(value: float | None, decimals: int = 2) -> str:
    """0.047291 → "4.73%", 1.0 → "100%": trailing zeros dropped, as in published reports."""
    return "—" if value is None or value != value else f"{num_text(float(value) * 100, decimals)}%"


def score_text(value: float | None) -> str:
    return "—" if value is None or value != value else num_text(float(value), 2)


@dataclass(frozen=True)
class Fact:
    """One number (or grade) as it appears in a sentence, and where it came from.

    ``source`` is a cell address people can look up ("项目信息!C9"), or for a computed value the
    cells it was computed from ("项目信息!C10÷项目信息!C9").
    """

    label: str
    value: Any
    text: str
    source: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Sources:
    """Where the workbook keeps each input: filled by the workbook side (the engine has no cells).

    ``project``: field id ("budget.initial") → "项目信息!C9"; ``indicator_columns``: engine column id →
    column letter of 指标体系; ``total`` / ``grade``: the named result cells of 汇总.
    """

    project: Mapping[str, str] = field(default_factory=dict)
    indicator_sheet: str = ""
    indicator_columns: Mapping[str, str] = field(default_factory=dict)
    total: str = ""
    grade: str = ""
    indicator_range: str = ""

    def field(self, field_id: str) -> str:
        if field_id in self.project:
            return self.project[field_id]
        return f"评分参数·{field_id[7:]}" if field_id.startswith("params.") else f"project.{field_id}"

    def cell(self, row: Any, column: str) -> str:
        letter = self.indicator_columns.get(column)
        if letter and self.indicator_sheet:
            return f"{self.indicator_sheet}!{letter}{row}"
        return f"第{row}行·{column}"


def _is_date(value: Any) -> bool:
    """A date or datetime cell (Excel hands a typed date back as a datetime at midnight)."""
    return isinstance(value, (_dt.date, pd.Timestamp)) and not (isinstance(value, pd.Timestamp) and pd.isna(value))


# "2023-12-20", "2023/12/20", "2023-12-20 00:00:00": a date in machine form, pasted from another system
_MACHINE_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:0{2}(?::0{2}(?:\.0+)?)?)?\s*$")


def _machine_date(text: str) -> _dt.date | None:
    match = _MACHINE_DATE.match(text)
    if match is None:
        return None
    try:
        return _dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def project_year(project: Mapping[str, Any] | None) -> int | None:
    """The evaluation year as a number ("2023", 2023, "2023年度" → 2023); None when not given."""
    raw = (project or {}).get("year")
    if _blank(raw):
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return int(raw) if float(raw).is_integer() else None
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", str(raw))
    return int(match.group(1)) if match else None


def plain_text(value: Any, year: int | None = None) -> str:
    """Any cell value as words in a sentence: "" for a blank, a date as people write it ("12月20日"
    in the project's year), 2.0 → "2", 0.8500000001 → "0.85", TRUE → "是"; text as typed."""
    if _blank(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if _is_date(value):
        return date_text(value, year)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return num_text(float(value), 2)
    text = str(value).strip()
    day = _machine_date(text)
    return date_text(day, year) if day is not None else text


def value_text(raw: Any, percent: bool = False, target: bool = False, year: int | None = None) -> str:
    """A target or actual as the report writes it: "≥80%" → "不低于80%", "=100%" → "100%",
    0.95 next to a % target → "95%", a date cell → "12月20日" (``year`` = the project's year) or
    "2023年12月20日"; text otherwise as typed (units and 万 kept)."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return "—"
    if isinstance(raw, (bool, np.bool_)):
        return "是" if raw else "否"
    if _is_date(raw):
        return date_text(raw, year)
    if isinstance(raw, (int, float, np.integer, np.floating)):
        return rate_text(float(raw)) if percent else num_text(float(raw), 2)
    text = str(raw).strip()
    day = _machine_date(text)
    if day is not None:
        return date_text(day, year)
    parsed = parse_value(text)
    words = {">=": "不低于", "<=": "不超过", ">": "高于", "<": "低于", "=": ""}
    match = _COMPARATOR.match(text)
    if match:
        text = text[match.end():].strip()
        if target and parsed.comparator:
            text = words.get(parsed.comparator, "") + text
    return text


_COMPARATOR = re.compile(r"^\s*(?:≥|≤|>=|<=|＞=|＜=|≧|≦|＞|＜|>|<|=|＝|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|高于|低于)")


@dataclass(frozen=True)
class TotalBasis:
    """How the total relates to the indicator scores a reader adds up.

    Usually total = Σ得分 out of Σ分值 = 100.  When indicators do not apply the engine rescales the
    sum to 100 (``renormalised``), and a rule pack may cap the total at a low execution rate
    (``capped``); a table whose rows add up to 67.48 under a 合计 of 73.35 cannot be signed, so the
    report and the 汇总 sheet show the sum and then say how the total was reached.
    """

    raw: float | None  # Σ得分 of the applicable indicators (the 一级 subtotals)
    weight: float  # Σ分值 of the applicable indicators
    full: float  # the scale of the total (100 when renormalised)
    before_cap: float | None
    total: float | None
    not_applicable: int
    renormalised: bool
    capped: bool
    cap_message: str = ""

    @property
    def scale(self) -> str:
        return "百分制" if abs(self.full - 100) < 1e-9 else f"{score_text(self.full)}分制"

    @property
    def sentence(self) -> str:
        """"因1项指标不适用，适用指标分值合计92分、得分67.48分，按百分制折算为73.35分。" (or "")."""
        parts = []
        if self.renormalised:
            why = f"因{self.not_applicable}项指标不适用，" if self.not_applicable else ""
            parts.append(f"{why}适用指标分值合计{score_text(self.weight)}分、得分{score_text(self.raw)}分，"
                         f"按{self.scale}折算为{score_text(self.before_cap)}分")
        if self.capped:
            parts.append(self.cap_message or f"按评分规则总分最高{score_text(self.total)}分（原{score_text(self.before_cap)}分）")
        return "；".join(parts) + "。" if parts else ""


def total_basis(evaluation: Evaluation) -> TotalBasis:
    ev = evaluation
    lv1 = ev.levels[ev.levels["depth"] == 1]
    scores = pd.to_numeric(lv1["score"], errors="coerce")
    raw = None if scores.isna().any() or lv1.empty else float(round_half_up(scores.sum(), 2))
    full = float(ev.params.expected_total_weight)
    before = ev.total_before_cap
    # the engine gives a total on another maximum only by rescaling it (otherwise it refuses the total)
    renorm = before is not None and abs(ev.max_total - full) > 1e-9
    capped = ev.total is not None and before is not None and ev.total < before - 0.005
    cap_message = ""
    if capped:
        info = ev.flag_table.loc[ev.flag_table["kind"] == "info", "message"].astype(str)
        cap_message = next((x for x in info if "总分最高" in x), "")
    return TotalBasis(raw, float(ev.max_total), full if renorm else float(ev.max_total), before, ev.total,
                      int(ev.counts.get("不适用", 0) or 0), renorm, capped, cap_message)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
@dataclass
class Finding:
    """One problem, suggestion or notice; ``facts`` are the numbers in it, ``rows`` the Excel rows."""

    rule: str
    category: str
    title: str
    text: str = ""
    facts: list[Fact] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    covered: bool = False

    @property
    def scale(self) -> str:
        return "百分制" if abs(self.full - 100) < 1e-9 else f"{score_text(self.full)}分制"

    @property
    def sentence(self) -> str:
        return f"{self.title}。{self.text}" if self.text else f"{self.title}。"


@dataclass
class Findings:
    """Generated findings per category, plus the evaluators' own paragraphs (placed first)."""

    problems: list[Finding] = field(default_factory=list)
    suggestions: list[Finding] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)
    own_problems: list[str] = field(default_factory=list)
    own_suggestions: list[str] = field(default_factory=list)

    def of(self, category: str) -> list[Finding]:
        return {"problem": self.problems, "suggestion": self.suggestions, "notice": self.notices}[category]

    def titles(self, category: str) -> list[str]:
        return [f.title for f in self.of(category)]

    def to_report(self, category: str) -> list[Finding]:
        """The generated findings the report body shows: those the evaluator did not already write."""
        return [f for f in self.of(category) if not f.covered]


# --------------------------------------------------------------------------------------------
# The rule table
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Wording:
    title: str
    text: str = ""
    item: str = ""
    with_reason: str = ""
    without_reason: str = ""
    match: tuple[str, ...] = ()

    def key_phrases(self) -> tuple[str, ...]:
        if self.match:
            return self.match
        stem = re.split(r"[（(]", self.title, maxsplit=1)[0].strip()
        return (stem,) if stem and "{" not in stem else ()


@dataclass(frozen=True)
class Rule:
    when: str
    wordings: dict[str, Wording]
    options: dict[str, Any]


def load_rules(path: str | Path | None = None) -> list[Rule]:
    """Read and check the rule table (default: the packaged ``findings.yaml``)."""
    if path is None:
        text = resources.files("jixiao.scoring").joinpath(RULES_FILE).read_text(encoding="utf-8")
        where = RULES_FILE
    else:
        text = Path(path).read_text(encoding="utf-8")
        where = str(path)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise FindingsRuleError(f"问题与建议规则文件“{where}”格式有误：{exc}") from None
    rules: list[Rule] = []
    for i, raw in enumerate(data.get("rules") or [], start=1):
        when = str((raw or {}).get("when") or "")
        if when not in CONDITIONS:
            raise FindingsRuleError(f"“{where}”第{i}条规则：未知的条件“{when}”（可用：{'、'.join(CONDITIONS)}）")
        wordings: dict[str, Wording] = {}
        for category in CATEGORIES:
            spec = raw.get(category)
            if not spec:
                continue
            if not isinstance(spec, Mapping) or not spec.get("title"):
                raise FindingsRuleError(f"“{where}”规则“{when}”的 {category} 缺少 title")
            unknown = set(spec) - set(Wording.__dataclass_fields__)
            if unknown:
                raise FindingsRuleError(f"“{where}”规则“{when}”的 {category} 有未知的键：{'、'.join(sorted(unknown))}")
            match = spec.get("match") or ()
            wordings[category] = Wording(**{**{k: str(v) for k, v in spec.items() if k != "match"},
                                            "match": tuple(str(x) for x in ([match] if isinstance(match, str) else match))})
        rules.append(Rule(when, wordings, dict(raw.get("options") or {})))
    return rules


# --------------------------------------------------------------------------------------------
# Conditions: when a rule holds, and the values its placeholders take
# --------------------------------------------------------------------------------------------
@dataclass
class Trigger:
    """What a condition found: values for the placeholders and, for row conditions, one dict per row."""

    values: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    reason: str = ""
    reason_cell: str = ""


@dataclass
class Context:
    evaluation: Evaluation
    table: pd.DataFrame  # normalised indicator table + result columns, one row per input row
    sources: Sources

    @property
    def params(self) -> Any:
        return self.evaluation.params


def _context(evaluation: Evaluation, indicators: pd.DataFrame, sources: Sources) -> Context:
    table = normalise(indicators)
    for column in (m.COMPLETION, m.DEVIATION, m.SCORE, m.SCORE_RATE, m.KIND, m.METHOD_USED):
        table[column] = evaluation.rows[column].to_numpy()
    return Context(evaluation, table, sources)


def _blank(value: Any) -> bool:
    """None, NaN/NaT/pd.NA, or only spaces: nothing a reader should ever see as "nan" or "None"."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _name(r: Mapping[str, Any]) -> str:
    return plain_text(r[m.DETAIL] if not _blank(r[m.DETAIL]) else r[m.LEVEL3])


# How a target/actual pair is put into words; the report's 绩效分析 and the findings share it, so a
# row reads the same in both places and in both report layouts.
STYLE_NUMBER = "number"  # 计划90场，实际完成117场 (完成率 = 实际/目标, as in the 完成率 column)
STYLE_LOWER = "lower"  # ≤ targets: 计划不超过500万元，实际422万元，低于目标上限
STYLE_DATE = "date"  # 计划12月31日前，实际于12月20日完成
STYLE_YESNO = "yesno"  # 目标为“是”，实际为“是”
STYLE_WORDS = "words"  # 计划建立，实际已建立
NUMERIC_STYLES = (STYLE_NUMBER, STYLE_LOWER)
_YES_NO = frozenset({"是", "否"})
_LOWER_METHODS = frozenset({"lower", "lower_inverse"})


def _parsed(raw: Any) -> ParsedValue | None:
    return None if _blank(raw) else parse_value(raw)


def _yes_no(raw: Any) -> bool:
    return isinstance(raw, (bool, np.bool_)) or (isinstance(raw, str) and raw.strip() in _YES_NO)


def pair_style(target_raw: Any, actual_raw: Any, method: Any = "") -> str:
    """Which of the STYLE_* wordings fits a row (its values as typed and the method that scored it)."""
    t, a = _parsed(target_raw), _parsed(actual_raw)
    numeric_t = t is not None and t.kind in ("number", "percent")
    if method == "deadline" or (t is not None and t.kind == "date") or (
            not numeric_t and a is not None and a.kind == "date"):
        return STYLE_DATE
    if _yes_no(target_raw) or _yes_no(actual_raw):
        return STYLE_YESNO
    if numeric_t and (method in _LOWER_METHODS or t.comparator in ("<=", "<")):
        return STYLE_LOWER
    if numeric_t and (a is None or a.kind in ("number", "percent")):
        return STYLE_NUMBER
    return STYLE_WORDS


def _full(r: Mapping[str, Any]) -> bool:
    rate = pd.to_numeric(r.get(m.SCORE_RATE), errors="coerce")
    return bool(pd.notna(rate) and rate >= 1 - 1e-9)


def _outcome(style: str, r: Mapping[str, Any], target_raw: Any, completion: Any, deviation: Any) -> str:
    """How the row came out, in words that fit its direction (the findings' {outcome})."""
    comp = pd.to_numeric(completion, errors="coerce")
    if style == STYLE_NUMBER:
        return f"完成率{rate_text(comp, 1)}" if pd.notna(comp) else ("达到目标值" if _full(r) else "未达到目标值")
    if style == STYLE_LOWER:
        if pd.isna(comp):
            return "未超过目标上限" if _full(r) else "超过目标上限"
        if comp > 1 + 1e-9:
            dev = pd.to_numeric(deviation, errors="coerce")
            return "超过目标上限" + (f"，偏离度{rate_text(dev, 1)}" if pd.notna(dev) else "")
        if comp < 1 - 1e-9:
            return "低于目标上限"
        strict = getattr(_parsed(target_raw), "comparator", None) == "<"
        return "等于目标上限" if strict else "未超过目标上限"
    if style == STYLE_DATE:
        return "按期完成" if _full(r) else "未按期完成"
    return "达到目标" if _full(r) else "未达到目标"


def row_item(ctx: Context, r: Mapping[str, Any]) -> dict[str, Any]:
    """Placeholders of one indicator row: name, target, actual (with cells), rates, reason, and the
    pair in words (``plan``, ``done``, ``outcome``); keys with "_" are for the report, not the rules."""
    row = r[m.ROW]
    year = project_year(ctx.evaluation.project)
    target_raw, actual_raw = r[m.TARGET], r[m.ACTUAL]
    percent = any(isinstance(v, str) and parse_value(v).kind == "percent" for v in (target_raw, actual_raw))
    src = ctx.sources
    target_cell, actual_cell = src.cell(row, m.TARGET), src.cell(row, m.ACTUAL)
    source = plain_text(r[m.SOURCE])
    if source in ctx.evaluation.rates:
        actual_raw = ctx.evaluation.rates[source]
        if (source == m.RATE_ADJUSTMENT and actual_raw is not None
                and getattr(ctx.params, "adjustment_rate_magnitude", True)):
            actual_raw = abs(actual_raw)  # scored on its magnitude: a cut (调减) reads as a positive rate
        percent = True
        actual_cell = f"{src.cell(row, m.SOURCE)}→{source}"
    name = _name(r)
    completion, deviation = r[m.COMPLETION], r[m.DEVIATION]
    reason = plain_text(r[m.REASON], year)
    target = Fact(f"{name}·目标值", target_raw, value_text(target_raw, percent, target=True, year=year), target_cell)
    actual = Fact(f"{name}·实际值", actual_raw, value_text(actual_raw, percent, year=year), actual_cell)
    style = pair_style(target_raw, actual_raw, r.get(m.METHOD_USED, ""))
    if style == STYLE_YESNO:
        plan_parts: list[Any] = ["目标为“", target, "”"]
        done_parts: list[Any] = ["实际为“", actual, "”"]
    else:
        plan_parts = ["计划", target]
        if style == STYLE_NUMBER:
            done_parts = ["实际完成", actual]
        elif style == STYLE_DATE and getattr(_parsed(actual_raw), "kind", None) == "date" and "完成" not in actual.text:
            done_parts = ["实际于", actual, "完成"]
        else:
            done_parts = ["实际", actual]
    return {
        "name": name,
        "level1": r[m.LEVEL1],
        "row": row,
        "target": target,
        "actual": actual,
        "completion": Fact(f"{name}·完成率", completion, rate_text(completion, 1), f"{actual_cell}÷{target_cell}"),
        "deviation": Fact(f"{name}·偏离度", deviation, rate_text(deviation, 1), f"{actual_cell}÷{target_cell}−1"),
        "plan": Fact(f"{name}·目标值", target_raw, "".join(str(p) for p in plan_parts), target_cell),
        "done": Fact(f"{name}·实际值", actual_raw, "".join(str(p) for p in done_parts), actual_cell),
        "outcome": Fact(f"{name}·完成情况", completion, _outcome(style, r, target_raw, completion, deviation),
                        f"{actual_cell}÷{target_cell}"),
        "_style": style,
        "_plan_parts": plan_parts,
        "_done_parts": done_parts,
        "reason": reason,
        "reason_cell": src.cell(row, m.REASON),
    }


def _rows_trigger(ctx: Context, mask: pd.Series) -> Trigger | None:
    picked = ctx.table[mask]
    if picked.empty:
        return None
    items = [row_item(ctx, r) for r in picked.to_dict("records")]
    groups = {str(i["level1"] or "").removesuffix("指标") for i in items}
    threshold = ctx.params.over_achievement_threshold - 1
    values = {
        "count": len(items),
        "group": groups.pop() if len(groups) == 1 else "绩效",
        "threshold": Fact("超目标预警阈值", threshold, rate_text(threshold, 0),
                          ctx.sources.field("params.over_achievement_threshold")),
        "names": NAME_SEPARATOR.join(i["name"] for i in items),
    }
    return Trigger(values, items, [int(i["row"]) for i in items])


def _flag_rows(ctx: Context, kind: str) -> set[Any]:
    flags = ctx.evaluation.flag_table
    return set(flags.loc[flags["kind"] == kind, "row"].dropna().tolist())


def _is_satisfaction(ctx: Context) -> pd.Series:
    names = ctx.table[m.DETAIL].where(ctx.table[m.DETAIL].notna(), ctx.table[m.LEVEL3]).astype(str)
    return names.str.contains("满意", regex=False)


def cond_over_achievement(ctx: Context, options: Mapping[str, Any]) -> Trigger | None:
    return _rows_trigger(ctx, ctx.table[m.ROW].isin(_flag_rows(ctx, "over_achievement")))


def cond_targets_missed(ctx: Context, options: Mapping[str, Any]) -> Trigger | None:
    t = ctx.table
    has_target = ~t[m.TARGET].map(_blank) & t[m.SOURCE].map(_blank)
    mask = t[m.ROW].isin(_flag_rows(ctx, "below_full")) & has_target & ~_is_satisfaction(ctx)
    return _rows_trigger(ctx, mask)


def _short_of_target(t: pd.DataFrame) -> pd.Series:
    """实际 on the wrong side of 目标 for the row's direction: below a ≥ target, above a ≤ one.

    完成率 = 实际/目标 under 100% is a shortfall only when higher is better; for a ≤ target
    ("不满意率≤5%", 实际4.22% → 84.4%) it means the target was beaten."""
    completion = pd.to_numeric(t[m.COMPLETION], errors="coerce")
    lower = pd.Series([pair_style(tv, av, mv) == STYLE_LOWER
                       for tv, av, mv in zip(t[m.TARGET], t[m.ACTUAL], t[m.METHOD_USED])], index=t.index, dtype=bool)
    return (~lower & (completion < 1 - 1e-9)) | (lower & (completion > 1 + 1e-9))


def cond_satisfaction_below(ctx: Context, options: Mapping[str, Any]) -> Trigger | None:
    t = ctx.table
    candidates = _is_satisfaction(ctx) & ~t[m.TARGET].map(_blank) & (t[m.KIND] == "scored")
    below = t[m.ROW].isin(_flag_rows(ctx, "below_full"))
    if candidates.any():  # the direction is read per row: only for the few rows named 满意
        below = below | _short_of_target(t[candidates]).reindex(t.index, fill_value=False)
    return _rows_trigger(ctx, candidates & below)


def cond_budget_adjusted(ctx: Context, options: Mapping[str, Any]) -> Trigger | None:
    ev, src = ctx.evaluation, ctx.sources
    b = ev.budget.completed()
    rate = ev.rates.get(m.RATE_ADJUSTMENT)
    # a real adjustment (调增 or 调减 alike) whose rate against 年初预算 can be stated and reaches
    # min_rate; the rate is written as a magnitude with the verb, never "-4.17%"
    if b.adjustment is None or abs(b.adjustment) < 1e-9 or rate is None:
        return None
    rate = abs(rate)
    if rate < float(options.get("min_rate", 0) or 0):
        return None
    reason = str((ev.project.get("reasons") or {}).get("adjustment") or "").strip()
    c_init, c_adj = src.field("budget.initial"), src.field("budget.adjustment")
    values = {
        "verb": "调增" if b.adjustment > 0 else "调减",
        "initial": Fact("年初预算", b.initial, money_text(b.initial), c_init),
        "adjustment": Fact("预算调整", abs(b.adjustment), money_text(abs(b.adjustment)), c_adj),
        "adjusted": Fact("全年预算", b.adjusted, money_text(b.adjusted), src.field("budget.adjusted")),
        "rate": Fact("预算调整率", rate, rate_text(rate), f"{c_adj}÷{c_init}"),
    }
    return Trigger(values, reason=reason, reason_cell=src.field("reasons.adjustment"))


def execution_basis(evaluation: Evaluation) -> tuple[str, float | None, str]:
    """The denominator the scored 预算执行率 used: (label, amount, field id)."""
    b = evaluation.budget.completed()
    rates = evaluation.rates
    framework = rates.get(m.RATE_EXECUTION_FRAMEWORK)
    if framework is not None and rates.get(m.RATE_EXECUTION) == framework:
        return "实际到位资金", b.received, "budget.received"
    return "全年预算", b.adjusted, "budget.adjusted"


def cond_low_execution(ctx: Context, options: Mapping[str, Any]) -> Trigger | None:
    ev, src = ctx.evaluation, ctx.sources
    rate = ev.rates.get(m.RATE_EXECUTION)
    threshold = ctx.params.execution_reason_threshold
    if rate is None or rate >= threshold - 1e-12:
        return None
    b = ev.budget.completed()
    label, base, base_id = execution_basis(ev)
    c_exec, c_base = src.field("budget.executed"), src.field(base_id)
    values = {
        "rate": Fact("预算执行率", rate, rate_text(rate), f"{c_exec}÷{c_base}"),
        "threshold": Fact("执行率预警阈值", threshold, rate_text(threshold, 0),
                          src.field("params.execution_reason_threshold")),
        "budget": Fact(label, base, money_text(base), c_base),
        "executed": Fact("实际支出", b.executed, money_text(b.executed), c_exec),
    }
    reason = str((ev.project.get("reasons") or {}).get("execution") or "").strip()
    return Trigger(values, reason=reason, reason_cell=src.field("reasons.execution"))


_PROJECT_REASON_FIELD = {"budget_adjusted": "reasons.adjustment", "low_execution": "reasons.execution"}


def cond_reasons_missing(ctx: Context, options: Mapping[str, Any]) -> Trigger | None:
    flags = ctx.evaluation.flag_table
    lacking = flags[flags["reason_required"].astype(bool) & ~flags["reason_present"].astype(bool)]
    if lacking.empty:
        return None
    by_row = {r[m.ROW]: r for r in ctx.table.to_dict("records")}
    items, rows = [], []
    for f in lacking.itertuples(index=False):
        if f.row is not None and f.row == f.row and f.row in by_row:
            name = _name(by_row[f.row])
            where = ctx.sources.cell(f.row, m.REASON)
            rows.append(int(f.row))
        else:
            name = plain_text(f.indicator) or "项目预算"
            where = ctx.sources.field(_PROJECT_REASON_FIELD.get(f.kind, "reasons.adjustment"))
        items.append({"name": name, "where": where, "message": plain_text(f.message).split("，需说明", 1)[0]})
    return Trigger({"count": len(items)}, items, rows)


CONDITIONS: dict[str, Callable[[Context, Mapping[str, Any]], Trigger | None]] = {
    "over_achievement": cond_over_achievement,
    "targets_missed": cond_targets_missed,
    "satisfaction_below": cond_satisfaction_below,
    "budget_adjusted": cond_budget_adjusted,
    "low_execution": cond_low_execution,
    "reasons_missing": cond_reasons_missing,
}


# --------------------------------------------------------------------------------------------
# Filling templates
# --------------------------------------------------------------------------------------------
def _fill(template: str, values: Mapping[str, Any], rule: str, used: list[Fact]) -> str:
    """str.format with the rule named in the error, collecting the Facts the text quotes."""
    if not template:
        return ""
    out = []
    for literal, name, spec, conv in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        if name not in values:
            raise FindingsRuleError(f"问题与建议规则“{rule}”的措辞中有未知的占位符 {{{name}}}"
                                    f"（可用：{'、'.join(sorted(k for k in values if not k.startswith('_')))}）")
        value = values[name]
        if isinstance(value, Fact):
            used.append(value)
        out.append(str(value))
    return "".join(out)


def _render(rule: Rule, category: str, trigger: Trigger) -> Finding:
    wording = rule.wordings[category]
    used: list[Fact] = []
    values = dict(trigger.values)
    cells: list[str] = []
    if trigger.items:
        parts = []
        for item in trigger.items:
            text = _fill(wording.item or "{name}", item, rule.when, used)
            if wording.with_reason or wording.without_reason:
                reason = item.get("reason", "")
                text += "，" + _fill(wording.with_reason if reason else wording.without_reason,
                                    {**item, "reason": reason.rstrip("。")}, rule.when, used).rstrip("。")
                cells.append(item.get("reason_cell", ""))
            parts.append(text)
        values["items"] = ITEM_SEPARATOR.join(parts)
    else:
        values.setdefault("items", "")
    title = _fill(wording.title, values, rule.when, used)
    text = _fill(wording.text, values, rule.when, used)
    if not trigger.items and (wording.with_reason or wording.without_reason):
        if trigger.reason:
            text += _fill(wording.with_reason, {**values, "reason": trigger.reason.rstrip("。")}, rule.when, used)
        else:
            text += _fill(wording.without_reason, values, rule.when, used)
        cells.append(trigger.reason_cell)
    cells = list(dict.fromkeys([f.source for f in used] + [c for c in cells if c]))
    return Finding(rule.when, category, title, text, used, trigger.rows, cells)


def own_paragraphs(text: Any) -> list[str]:
    """An evaluator's text as paragraphs (one per non-empty line)."""
    if _blank(text):
        return []
    return [line.strip() for line in plain_text(text).replace("\r", "\n").split("\n") if line.strip()]


def find(evaluation: Evaluation, indicators: pd.DataFrame, sources: Sources | None = None,
         rules: Iterable[Rule] | None = None) -> Findings:
    """Apply every rule; findings come out in rule order, the evaluators' texts are kept apart."""
    rules = list(load_rules() if rules is None else rules)
    ctx = _context(evaluation, indicators, sources or Sources())
    texts = evaluation.project.get("texts") or {}
    out = Findings(own_problems=own_paragraphs(texts.get("problems")),
                   own_suggestions=own_paragraphs(texts.get("suggestions")))
    own = {"problem": "\n".join(out.own_problems), "suggestion": "\n".join(out.own_suggestions), "notice": ""}
    for rule in rules:
        trigger = CONDITIONS[rule.when](ctx, rule.options)
        if trigger is None:
            continue
        for category, wording in rule.wordings.items():
            finding = _render(rule, category, trigger)
            finding.covered = any(p and p in own[category] for p in wording.key_phrases())
            out.of(category).append(finding)
    return out


__all__ = [
    "Fact", "Finding", "Findings", "FindingsRuleError", "Rule", "Sources", "Wording", "find", "load_rules",
    "money_text", "own_paragraphs", "pair_style", "plain_text", "project_year", "rate_text", "row_item",
    "score_text", "total_basis", "TotalBasis", "value_text", "round_half_up",
]
