"""The evaluation result report (评价结果报告) as structured sections: text and numbers, no file format.

Why a model and not a document: the same report is written to the 评价报告 sheet and to a .docx,
and read back to check a hand-edited copy, so the sentences are built once here.  Every generated
number is a ``Fact`` that remembers its cell; every number a reviewer would check (total, grade,
rates, amounts, each plan/actual pair, the appendix scores) also gets a ``Check`` that says how the
sentence reads, so ``report_check`` can find it again after people edit the wording around it.

Two layouts: ``部门评价`` follows the published Guangzhou department-evaluation report (一、项目概况 …
六、相关建议; ../shared/reference), ``财政部提纲`` the national outline (财预〔2020〕10号 附件3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import pandas as pd

from . import model as m
from .model import LAYOUT_DEPARTMENT, LAYOUT_NATIONAL, LAYOUTS  # noqa: F401 - re-exported
from .engine import Evaluation
from .findings import (
    NUMERIC_STYLES, STYLE_LOWER, Fact, Findings, Sources, _context, execution_basis, find,
    money_text, plain_text, project_year, rate_text, row_item, score_text, total_basis,
)


NUMERALS = "一二三四五六七八九十"
ANALYSIS_GROUPS = ("产出", "效益", "满意")  # 一级 whose indicators get "计划 X，实际完成 Y" lines
PLACEHOLDER = "（待补充：{what}）"
TITLES = {"部门评价": "部门项目评价结果报告", "财政评价": "项目支出绩效评价报告", "单位自评": "项目支出绩效自评报告"}


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------
@dataclass
class Para:
    """One paragraph: plain strings and Facts; ``lead`` is a bold lead-in ("1. 科学设置绩效指标。").

    ``origin``: generated | evaluator (typed in 项目信息) | boilerplate | placeholder (still to write).
    """

    parts: list[Any]
    lead: str = ""
    origin: str = "generated"

    @property
    def body(self) -> str:
        return "".join(str(p) for p in self.parts)

    @property
    def text(self) -> str:
        return self.lead + self.body

    @property
    def facts(self) -> list[Fact]:
        return [p for p in self.parts if isinstance(p, Fact)]


@dataclass
class Section:
    title: str
    level: int  # 1 一级标题 (黑体), 2 二级 (楷体), 3 三级 (仿宋加粗)
    paras: list[Para] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    key: str = ""


@dataclass
class ScoreTable:
    """The scoring table of the appendix; ``roles`` per body row: level3 | detail | total."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    roles: list[str]
    score_col: int


@dataclass
class Check:
    """How to find one number again in a (hand-edited) report.

    kind ``number``: ``pattern`` has a group ``v``; every match must equal ``expected``.
    kind ``grade``: the same for the grade label.  kind ``pair``: in a paragraph containing
    ``anchor``, the numbers after 计划 and 实际 must equal ``expected`` and ``actual``.
    kind ``table``: the appendix row whose name cell is ``anchor`` must show ``expected`` as 得分.
    """

    key: str
    label: str
    kind: str
    expected: Fact
    pattern: str = ""
    anchor: str = ""
    actual: Fact | None = None
    tolerance: float | None = None


@dataclass
class Report:
    title: str
    layout: str
    intro: list[Para]
    sections: list[Section]
    appendix: ScoreTable | None
    findings: Findings
    checks: list[Check]
    facts: dict[str, Fact]
    sources: Sources | None = None

    def walk(self) -> Iterator[Section]:
        def rec(sections: list[Section]) -> Iterator[Section]:
            for s in sections:
                yield s
                yield from rec(s.children)
        yield from rec(self.sections)

    def section(self, key: str) -> Section:
        for s in self.walk():
            if s.key == key:
                return s
        raise KeyError(key)

    def text(self) -> str:
        lines = [self.title, *(p.text for p in self.intro)]
        for s in self.walk():
            lines.append(s.title)
            lines.extend(p.text for p in s.paras)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Patterns the checker uses (tolerant of the ways people re-word a sentence)
# --------------------------------------------------------------------------------------------
NUM = r"(?P<v>-?\d+(?:,\d{3})*(?:\.\d+)?)"
_IS = r"\s*(?:为|是|：|:|达到|达)?\s*"
PATTERNS = {
    "total": rf"(?:综合得分|总得分|总分|评价得分|得分为){_IS}{NUM}\s*分",
    "rate.adjustment": rf"预算调整率{_IS}{NUM}\s*[%％]",
    "rate.execution": rf"预算执行率{_IS}{NUM}\s*[%％]",
    "rate.received": rf"资金到位率{_IS}{NUM}\s*[%％]",
    "budget.initial": rf"(?:年初预算|财政安排预算资金)(?:资金|数)?{_IS}{NUM}\s*万元",
    "budget.adjustment": rf"(?:调增|调减)(?:项目资金|预算资金|预算|资金)?{_IS}{NUM}\s*万元",
    "budget.adjusted": rf"(?:实际预算|全年预算|调整后预算)(?:资金|数)?{_IS}{NUM}\s*万元",
    "budget.executed": rf"(?:实际使用|实际支出)(?:资金)?{_IS}{NUM}\s*万元",
    "count.一级": rf"{NUM}\s*个一级指标",
    "count.三级": rf"{NUM}\s*个三级指标",
}


def grade_pattern(names: list[str]) -> str:
    alternatives = "|".join(sorted({re.escape(n) for n in names}, key=len, reverse=True))
    return rf"等级\s*(?:为|是)?\s*[：:]?\s*[“\"「]?(?P<v>{alternatives})"


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    return not plain_text(value)


def _s(value: Any, year: int | None = None) -> str:
    """A cell as words: "" for blanks (never "nan"/"None"), 2021.0 → "2021", dates as people write them."""
    return plain_text(value, year)


def _numeral(i: int) -> str:
    if i <= 10:
        return NUMERALS[i - 1]
    return ("十" if i < 20 else NUMERALS[i // 10 - 1] + "十") + (NUMERALS[i % 10 - 1] if i % 10 else "")


class _Builder:
    """Sentence by sentence; each method returns paragraphs and records the checks they carry."""

    def __init__(self, evaluation: Evaluation, indicators: pd.DataFrame, sources: Sources, findings: Findings) -> None:
        self.ev = evaluation
        self.src = sources
        self.findings = findings
        self.ctx = _context(evaluation, indicators, sources)
        self.p = evaluation.project
        self.texts = self.p.get("texts") or {}
        self.checks: list[Check] = []
        self.facts: dict[str, Fact] = {}
        self.name = _s(self.p.get("name")) or "本项目"
        self.year = _s(self.p.get("year")).removesuffix("年度").removesuffix("年")
        self.year_number = project_year(self.p)
        self.unit = _s(self.p.get("unit"))
        self.department = _s(self.p.get("department"))
        self.kind = _s(self.p.get("kind")) or LAYOUT_DEPARTMENT
        self.subject = f"{self.unit}{self.year}年度“{self.name}”" if self.year else f"{self.unit}“{self.name}”"

    # ---------------------------------------------------------------- facts and checks
    def fact(self, key: str, label: str, value: Any, text: str, source: str, check: str | None = None,
             tolerance: float | None = None) -> Fact:
        f = Fact(label, value, text, source)
        self.facts[key] = f
        if check:
            kind = "grade" if key == "grade" else "number"
            self.checks.append(Check(key, label, kind, f, check, tolerance=tolerance))
        return f

    def evaluator(self, key: str, what: str) -> list[Para]:
        text = _s(self.texts.get(key), self.year_number)
        if not text:
            return [Para([PLACEHOLDER.format(what=what)], origin="placeholder")]
        return [Para([line.strip()], origin="evaluator") for line in text.splitlines() if line.strip()]

    # ---------------------------------------------------------------- sentences
    def title(self, layout: str) -> str:
        year = f"{self.year}年度" if self.year else ""
        if layout == LAYOUT_NATIONAL or not self.department:
            return f"{year}“{self.name}”绩效评价报告"
        # two lines as published: the department, then the kind of report (a line break, not a wrap)
        return f"{year}{self.department}\n{TITLES.get(self.kind, TITLES['部门评价'])}"

    def intro(self) -> list[Para]:
        who = self.department or "本部门"
        unit = self.unit or "项目实施单位"
        return [
            Para([f"根据预算绩效管理有关规定，{who}设立绩效评价工作组对{self.subject}进行绩效评价。"], origin="boilerplate"),
            Para([f"绩效评价意见是在审阅{unit}报送的项目执行材料和现场考察的基础上形成的，"
                  f"{unit}应对所报送材料的真实性、合法性负责。"], origin="boilerplate"),
        ]

    def budget(self) -> list[Para]:
        b = self.ev.budget.completed()
        f = self.src.field
        rates = self.ev.rates
        parts: list[Any] = [f"该项目{self.year}年" if self.year else "该项目"]
        if b.initial is not None:
            parts += ["年初预算", self.fact("budget.initial", "年初预算", b.initial, money_text(b.initial),
                                          f("budget.initial"), PATTERNS["budget.initial"], 0.005)]
        if b.adjustment is not None and abs(b.adjustment) > 1e-9:
            verb = "调增" if b.adjustment > 0 else "调减"
            rate = rates.get(m.RATE_ADJUSTMENT)
            parts += [f"，年中{verb}", self.fact("budget.adjustment", "预算调整", abs(b.adjustment),
                                              money_text(abs(b.adjustment)), f("budget.adjustment"),
                                              PATTERNS["budget.adjustment"], 0.005)]
            if rate is not None:  # the verb carries the direction: "调减100万元，预算调整率4.17%"
                rate = abs(rate)
                parts += ["，预算调整率", self.fact("rate.adjustment", "预算调整率", rate, rate_text(rate),
                                                f"{f('budget.adjustment')}÷{f('budget.initial')}",
                                                PATTERNS["rate.adjustment"])]
        elif b.initial is not None:
            parts += ["，年中未调整预算"]
        if b.adjusted is not None:
            parts += ["，实际预算", self.fact("budget.adjusted", "全年预算", b.adjusted, money_text(b.adjusted),
                                          f("budget.adjusted"), PATTERNS["budget.adjusted"], 0.005)]
        parts.append("。")
        if b.received is not None:
            parts += ["资金实际到位", money_text(b.received)]
            received = rates.get(m.RATE_FUNDS_RECEIVED)
            if received is not None:
                parts += ["，资金到位率", self.fact("rate.received", "资金到位率", received, rate_text(received),
                                                f"{f('budget.received')}÷{f('budget.adjusted')}", PATTERNS["rate.received"])]
            parts.append("；")
        if b.executed is not None:
            parts += ["资金实际使用", self.fact("budget.executed", "实际支出", b.executed, money_text(b.executed),
                                            f("budget.executed"), PATTERNS["budget.executed"], 0.005)]
            execution = rates.get(m.RATE_EXECUTION)
            if execution is not None:
                _, _, base_id = execution_basis(self.ev)
                parts += ["，预算执行率", self.fact("rate.execution", "预算执行率", execution, rate_text(execution),
                                                f"{f('budget.executed')}÷{f(base_id)}", PATTERNS["rate.execution"])]
            parts.append("。")
        if parts[-1] == "；":
            parts[-1] = "。"
        paras = [Para(parts)]
        reason = _s((self.p.get("reasons") or {}).get("adjustment"), self.year_number)
        if reason and b.adjustment:
            paras.append(Para([f"预算调整原因：{reason.rstrip('。')}。"], origin="evaluator"))
        low = _s((self.p.get("reasons") or {}).get("execution"), self.year_number)
        if low:
            paras.append(Para([f"执行率偏低原因：{low.rstrip('。')}。"], origin="evaluator"))
        return paras

    def counts(self) -> list[Para]:
        c = self.ev.counts
        where = self.src.indicator_range or "指标体系"
        names = self.ev.levels.loc[self.ev.levels["depth"] == 1, "level1"].astype(str).tolist()
        n1 = self.fact("count.一级", "一级指标个数", c.get("一级", 0), f"{c.get('一级', 0)}个一级指标", where,
                       PATTERNS["count.一级"])
        n3 = self.fact("count.三级", "三级指标个数", c.get("三级", 0), f"{c.get('三级', 0)}个三级指标", where,
                       PATTERNS["count.三级"])
        kinds = f"（分为{'、'.join(names)}{_numeral(len(names))}大类）" if 0 < len(names) <= 20 else ""
        details = f"，部分三级指标由{c.get('明细', 0)}项具体绩效目标（明细指标）合计计分" if c.get("明细") else ""
        bands = self.ev.params.grade_bands
        grade_rule = "、".join(
            f"{score_text(lo)}分（含）以上为{name}" if i == 0 else f"{score_text(lo)}分（含）至{score_text(bands[i - 1][1])}分为{name}"
            for i, (name, lo) in enumerate(bands))
        lowest = f"、{score_text(bands[-1][1])}分以下为{self.ev.params.lowest_grade}" if bands else ""
        basis = total_basis(self.ev)
        scale = (f"（{basis.not_applicable}项指标不适用，按适用指标分值合计{score_text(basis.weight)}分折算为"
                 f"{basis.scale}）" if basis.renormalised else "")
        return [
            Para(["该项目评价方法采用书面评价、现场评价等综合评价方法。整个绩效评价体系包含", n1, kinds,
                  f"，每个一级指标又设置若干个二级指标（共{c.get('二级', 0)}个）从不同方面反映一级指标的完成情况，"
                  "每个二级指标又设置若干个三级指标，指标体系共设置", n3, details,
                  "。每个指标都设置了分值及具体评分标准，依据项目管理、支出、绩效等实际情况进行评价打分，"
                  "然后对各级评分指标进行加总，得到绩效评价总分。"]),
            Para([f"评分满分为{score_text(basis.full)}分{scale}，评价等级分为：{grade_rule}{lowest}。"]),
        ]

    def level1_parts(self) -> list[Any]:
        """"决策指标得分14分（分值15分）、……" with the 汇总 cells as sources."""
        lv1 = self.ev.levels[self.ev.levels["depth"] == 1]
        parts: list[Any] = []
        for i, r in enumerate(lv1.itertuples(index=False)):
            name = _s(r.level1)
            label = name if name.endswith("指标") else f"{name}指标"
            cell = self.src.project.get(f"level1.{name}", "") or f"{self.src.indicator_sheet or '指标体系'}·{name}小计"
            parts += ["、" if i else "", f"{label}得分",
                      self.fact(f"level1.{name}", f"{label}得分", r.score, f"{score_text(r.score)}分", cell),
                      f"（分值{score_text(r.weight)}分）"]
        return parts

    def conclusion(self) -> list[Para]:
        ev = self.ev
        total = self.fact("total", "总分", ev.total, f"{score_text(ev.total)}分", self.src.total or "总分",
                          PATTERNS["total"], ev.params.score_tolerance)
        names = [n for n, _ in ev.params.grade_bands] + [ev.params.lowest_grade]
        grade = self.fact("grade", "等级", ev.grade, ev.grade or "—", self.src.grade or "等级", grade_pattern(names))
        basis = f"根据{self.unit}提供的资料和现场核查，" if self.unit else "根据项目单位提供的资料和现场核查，"
        paras = [
            Para([basis, "围绕绩效目标设置情况、财务情况、业务管理、产出、效益、满意度等方面实施绩效评价，",
                  self.subject, "绩效评价综合得分", total, "，评定等级为：", grade, "。"]),
            Para(["其中，", *self.level1_parts(), "。"]),
        ]
        how = total_basis(ev).sentence  # the 一级 scores above do not add up to the total: say why
        if how:
            paras.append(Para([how]))
        return paras

    def analysis_rows(self, group_filter: tuple[str, ...] = ANALYSIS_GROUPS) -> list[tuple[str, list[dict]]]:
        """(二级, rows) of the indicators that have a target and an actual, or a qualitative level."""
        t = self.ctx.table
        out: dict[str, list[dict]] = {}
        for r in t.to_dict("records"):
            level1 = _s(r[m.LEVEL1])
            if r[m.KIND] != "scored" or not any(g in level1 for g in group_filter):
                continue
            has_pair = not _blank(r[m.TARGET]) and (not _blank(r[m.ACTUAL]) or not _blank(r[m.SOURCE]))
            if not has_pair and _blank(r[m.LEVEL]):
                continue
            out.setdefault(_s(r[m.LEVEL2]) or level1, []).append(r)
        return list(out.items())

    def pair_paras(self, rows: list[dict]) -> list[Para]:
        paras = []
        for k, r in enumerate(rows, start=1):
            end = "。" if k == len(rows) else "；"
            item = row_item(self.ctx, r)
            name = item["name"]
            if _blank(r[m.TARGET]) or (_blank(r[m.ACTUAL]) and _blank(r[m.SOURCE])):
                reason = _s(r[m.REASON], self.year_number)
                note = f"（{reason.rstrip('。')}）" if reason else ""
                paras.append(Para([f"（{k}）{name}：评价为“{_s(r[m.LEVEL])}”{note}{end}"]))
                continue
            target, actual = item["target"], item["actual"]
            self.facts[f"pair.{r[m.ROW]}.target"] = target
            self.facts[f"pair.{r[m.ROW]}.actual"] = actual
            style = item["_style"]
            if style in NUMERIC_STYLES:  # only numbers can be found again after 计划/实际 in an edited copy
                self.checks.append(Check(f"pair.{r[m.ROW]}", name, "pair", target, anchor=name, actual=actual))
            # a ≥ row reads as before ("计划90场，实际完成117场"); a ≤ row says which side of its cap it
            # ended on, since its 完成率 under 100% is good news; dates, 是/否 and words as people write them
            tail = [f"，{item['outcome']}"] if style == STYLE_LOWER else []
            paras.append(Para([f"（{k}）{name}：", *item["_plan_parts"], "，", *item["_done_parts"], *tail, end]))
        return paras

    def performance(self) -> list[Section]:
        out = []
        for i, (group, rows) in enumerate(self.analysis_rows(), start=1):
            title = group if group.endswith("指标") else f"{group}指标"
            out.append(Section(f"{i}、{title}", 3, self.pair_paras(rows), key=f"analysis.{group}"))
        return out

    def finding_paras(self, category: str) -> list[Para]:
        own = self.findings.own_problems if category == "problem" else self.findings.own_suggestions
        paras = [Para([text], origin="evaluator") for text in own]
        generated = self.findings.to_report(category)
        number = len(own)
        for f in generated:
            number += 1
            lead = f"{number}. {f.title}。" if category == "suggestion" or len(own) + len(generated) > 1 else f"{f.title}。"
            paras.append(Para([f.text], lead=lead))
        if not paras:
            paras.append(Para(["经评价，未发现需要指出的主要问题。" if category == "problem" else "无。"]))
        return paras

    def level1_analysis(self, key: str, word: str) -> list[Para]:
        """National outline, 四: one paragraph per 一级 (score, deductions and their reasons)."""
        ev = self.ev
        lv1 = ev.levels[(ev.levels["depth"] == 1) & ev.levels["level1"].astype(str).str.contains(word)]
        if lv1.empty:
            return [Para([PLACEHOLDER.format(what=f"{word}情况分析")], origin="placeholder")]
        paras = []
        for r in lv1.itertuples(index=False):
            name = _s(r.level1)
            fact = self.facts.get(f"level1.{name}")
            parts: list[Any] = [f"{name}类指标分值{score_text(r.weight)}分，得分", fact or f"{score_text(r.score)}分",
                                f"，得分率{rate_text(r.score_rate)}。"]
            t = self.ctx.table
            lost = []
            for idx, row in t[(t[m.LEVEL1] == r.level1) & (t[m.KIND] == "scored")].iterrows():
                w, s = pd.to_numeric(row[m.WEIGHT], errors="coerce"), row[m.SCORE]
                if pd.notna(w) and pd.notna(s) and s < w - 0.005:
                    why = _s(row[m.REASON], self.year_number) or _s(ev.rows.at[idx, m.EXPLANATION])
                    lost.append(f"{row_item(self.ctx, row)['name']}扣{score_text(w - s)}分"
                                + (f"（{why.rstrip('。')}）" if why else ""))
            if lost:
                parts.append("其中，" + "；".join(lost) + "。")
            paras.append(Para(parts))
        return paras


def build_report(evaluation: Evaluation, indicators: pd.DataFrame, layout: str = LAYOUT_DEPARTMENT,
                 sources: Sources | None = None, findings: Findings | None = None) -> Report:
    """The report for one evaluation; ``indicators`` is the table given to ``evaluate``."""
    if layout not in LAYOUTS:
        raise ValueError(f"未知的报告格式“{layout}”（可用：{'、'.join(LAYOUTS)}）")
    sources = sources or Sources()
    findings = findings if findings is not None else find(evaluation, indicators, sources)
    b = _Builder(evaluation, indicators, sources, findings)
    intro = b.intro()
    budget = b.budget()
    counts = b.counts()
    conclusion = b.conclusion()
    S = Section
    if layout == LAYOUT_DEPARTMENT:
        sections = [
            S("一、项目概况", 1, children=[
                S("（一）项目背景", 2, b.evaluator("background", "项目背景")),
                S("（二）项目目标", 2, b.evaluator("objective", "项目目标")),
                S("（三）项目内容", 2, b.evaluator("content", "项目内容")),
                S("（四）项目实施情况", 2, children=[
                    S("1. 资金情况", 3, budget, key="budget"),
                    S("2. 项目执行情况", 3, b.evaluator("execution", "项目执行情况")),
                ]),
            ], key="overview"),
            S("二、绩效评价概述", 1, children=[
                S("（一）评价目的", 2, [Para(["通过实施绩效评价，提高财政资金使用效益，综合分析项目履职用财的具体效果，"
                                           "并为以后的资金安排和预算调整提供依据。"], origin="boilerplate")]),
                S("（二）评价设计与实施", 2, [Para(["本次绩效评价工作主要采取资料收集、书面复核、现场核查以及综合评价等方式，"
                                              "对项目绩效自评工作及其绩效进行核实验证。"], origin="boilerplate")]),
                S("（三）绩效评价指标体系及评分标准方法", 2, counts, key="indicators"),
            ]),
            S("三、评价结论与绩效分析", 1, children=[
                S("（一）总体结论", 2, conclusion, key="conclusion"),
                S("（二）项目绩效分析", 2, children=b.performance(), key="analysis"),
            ], key="results"),
            S("四、项目主要绩效或成功经验", 1, b.evaluator("achievements", "主要绩效或成功经验"), key="achievements"),
            S("五、存在问题与不足", 1, b.finding_paras("problem"), key="problems"),
            S("六、相关建议", 1, b.finding_paras("suggestion"), key="suggestions"),
        ]
    else:
        info = [str(x) for x in evaluation.flag_table.loc[evaluation.flag_table["kind"] == "info", "message"]]
        sections = [
            S("一、基本情况", 1, children=[
                S("（一）项目概况", 2, b.evaluator("background", "项目背景") + b.evaluator("content", "项目内容")
                  + b.evaluator("execution", "项目执行情况")),
                S("（二）项目绩效目标", 2, b.evaluator("objective", "项目绩效目标")),
                S("（三）项目资金情况", 2, budget, key="budget"),
            ], key="overview"),
            S("二、绩效评价工作开展情况", 1, children=[
                S("（一）绩效评价目的、对象和范围", 2, [Para([f"评价对象为{b.subject}，评价范围为项目资金的使用和管理情况及项目绩效目标的实现情况。"
                                                     "通过绩效评价，提高财政资金使用效益，为以后年度的资金安排和预算调整提供依据。"],
                                                    origin="boilerplate")]),
                S("（二）绩效评价原则、评价指标体系、评价方法、评价标准等", 2,
                  [Para(["绩效评价坚持科学公正、统筹兼顾、激励约束、公开透明的原则。"], origin="boilerplate"), *counts],
                  key="indicators"),
                S("（三）绩效评价工作过程", 2, [Para(["绩效评价工作主要采取资料收集、书面复核、现场核查以及综合评价等方式进行，"
                                               "经前期准备、组织实施、分析评价和撰写报告等阶段完成。"], origin="boilerplate")]),
            ]),
            S("三、综合评价情况及评价结论", 1, conclusion, key="conclusion"),
            S("四、绩效评价指标分析", 1, children=[
                S("（一）项目决策情况", 2, b.level1_analysis("decision", "决策")),
                S("（二）项目过程情况", 2, b.level1_analysis("process", "过程")),
                S("（三）项目产出情况", 2, b.level1_analysis("output", "产出"),
                  children=[s for s in b.performance() if "产出" in s.key]),
                S("（四）项目效益情况", 2, b.level1_analysis("benefit", "效益"),
                  children=[s for s in b.performance() if "产出" not in s.key]),
            ], key="analysis"),
            S("五、主要经验及做法、存在的问题及原因分析", 1, children=[
                S("（一）主要经验及做法", 2, b.evaluator("achievements", "主要经验及做法"), key="achievements"),
                S("（二）存在的问题及原因分析", 2, b.finding_paras("problem"), key="problems"),
            ]),
            S("六、有关建议", 1, b.finding_paras("suggestion"), key="suggestions"),
            S("七、其他需要说明的问题", 1, [Para([x]) for x in info] or [Para(["无。"])], key="other"),
        ]
        _renumber(sections)
    appendix = score_table(b)
    return Report(b.title(layout), layout, intro, sections, appendix, findings, _dedupe(b.checks), b.facts, sources)


def _renumber(sections: list[Section]) -> None:
    """Sub-sections built by shared code start at 1 inside each parent."""
    for s in sections:
        k = 0
        for c in s.children:
            if c.level == 3:
                k += 1
                c.title = re.sub(r"^\d+[、.]\s*", f"{k}、", c.title)
        _renumber(s.children)


def _dedupe(checks: list[Check]) -> list[Check]:
    seen: dict[str, Check] = {}
    for c in checks:
        seen.setdefault(c.key, c)
    return list(seen.values())


def _level3_weights(levels: pd.DataFrame) -> Any:
    """``(level1, level3) → levels.loc[(depth == 3) & (level3 == …) & (level1 == …), "weight"].sum()``,
    the rows of each name found once rather than by a comparison over all rows per parent row (the
    same weights in the same order, so the same sum; a blank name, which ``==`` never matches, sums
    nothing)."""
    level3 = levels[levels["depth"] == 3]
    weights = level3["weight"]
    where: dict[tuple[Any, Any], list[int]] = {}
    for k, key in enumerate(zip(level3["level1"], level3["level3"])):
        if not any(_null(x) for x in key):
            where.setdefault(key, []).append(k)

    def weight(level1: Any, name: Any) -> Any:
        found = [] if _null(level1) or _null(name) else where.get((level1, name), [])
        return weights.iloc[found].sum()

    return weight


def _null(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def score_table(b: _Builder) -> ScoreTable:
    """附件：评分表 — one line per 三级 indicator and per detail row, then 合计."""
    t = b.ctx.table
    header = ["一级指标", "二级指标", "三级指标", "目标值", "实际值", "分值", "得分"]
    rows: list[list[Any]] = []
    roles: list[str] = []
    parent_weight = _level3_weights(b.ev.levels)
    for r in t.to_dict("records"):
        if r[m.KIND] in ("error", "blank"):  # unusable rows and empty template placeholders
            continue
        is_detail = not _blank(r[m.DETAIL])
        item = row_item(b.ctx, r)
        name = item["name"]
        weight = pd.to_numeric(r[m.WEIGHT], errors="coerce")
        if r[m.KIND] == "parent":
            weight = parent_weight(r[m.LEVEL1], r[m.LEVEL3])
        if r[m.KIND] == "na" or pd.isna(pd.to_numeric(r[m.SCORE], errors="coerce")):
            score: Any = "不适用" if r[m.KIND] == "na" else "—"  # nothing scored: nothing to check
        else:
            score = b.fact(f"score.{r[m.ROW]}", f"{name}·得分", r[m.SCORE], score_text(r[m.SCORE]),
                           b.src.cell(r[m.ROW], m.SCORE))
            b.checks.append(Check(f"score.{r[m.ROW]}", f"附表·{name}得分", "table", score, anchor=name,
                                  tolerance=b.ev.params.score_tolerance))
        has_target = not _blank(r[m.TARGET])
        actual = item["actual"].text if has_target and (not _blank(r[m.ACTUAL]) or not _blank(r[m.SOURCE])) else (
            _s(r[m.LEVEL]) or "")
        rows.append([_s(r[m.LEVEL1]), _s(r[m.LEVEL2]), ("　" + name) if is_detail else name,
                     item["target"].text if has_target else "", actual, score_text(weight), score])
        roles.append("detail" if is_detail else "level3")
    total = b.facts.get("total")
    if total is not None:
        total = Fact(total.label, total.value, score_text(total.value), total.source)
    basis = total_basis(b.ev)
    if basis.renormalised or basis.capped:
        # 合计 is what the rows add up to; the total reached from it (折算/封顶) gets its own line
        raw = Fact("得分合计", basis.raw, score_text(basis.raw), b.src.indicator_range or "指标体系")
        rows.append(["合计", "", "", "", "", score_text(basis.weight), raw])
        roles.append("total")
        b.checks.append(Check("score.sum", "附表·合计得分", "table", raw, anchor="合计",
                              tolerance=b.ev.params.score_tolerance))
        label = "总分（折算后）" if basis.renormalised else "总分"
        rows.append([label, "", "", "", "", score_text(basis.full), total or score_text(b.ev.total)])
        roles.append("total")
        if total is not None:
            b.checks.append(Check("score.total", f"附表·{label}", "table", total, anchor=label,
                                  tolerance=b.ev.params.score_tolerance))
        return ScoreTable("附件：绩效评价评分表", header, rows, roles, score_col=6)
    rows.append(["合计", "", "", "", "", score_text(b.ev.max_total), total or score_text(b.ev.total)])
    roles.append("total")
    if total is not None:
        b.checks.append(Check("score.total", "附表·合计得分", "table", total, anchor="合计",
                              tolerance=b.ev.params.score_tolerance))
    return ScoreTable("附件：绩效评价评分表", header, rows, roles, score_col=6)


__all__ = [
    "Check", "LAYOUTS", "LAYOUT_DEPARTMENT", "LAYOUT_NATIONAL", "PATTERNS", "Para", "Report", "ScoreTable", "Section",
    "build_report", "grade_pattern",
]
