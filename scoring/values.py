"""Read targets and actuals the way finance staff type them into Excel (DOMAIN.md §8).

A published 绩效目标 table holds "≥90%", "6.5万份", "不超过10万元", "12月底前完成", "达成年度指标",
full-width forms typed with a Chinese input method, and plain Excel numbers and dates.  The engine
needs one structured reading of each cell: a comparator (the direction of the target), a number in
base units (万/亿/千 applied, a percentage as a fraction), the unit left over (so that 份 is never
compared with 人), a date, a qualitative level or a yes/no answer.

Two principles decide every corner case here:

* Never guess.  "约九十" or "1，50" is reported as unreadable with a Chinese message naming the text;
  Chinese numerals are not read as values (dates and quarters excepted, where they are unambiguous);
  a bare Excel number 0.95 stays 0.95 without a unit — whether it means 95% is the engine's call.
* Never raise.  A workbook can contain anything; ``parse_value`` turns whatever it is given into a
  ``ParsedValue`` (kind "invalid" at worst) so that one bad cell becomes one error, not a traceback.

``parse_series`` is the vectorised companion used by the engine on whole columns.  Real indicator
tables repeat the same few thousand spellings, so it parses each distinct value once (numbers in
bulk with numpy, text through a cached parser whose common shapes — "≥90%", "117场" — take one
small regex) and spreads the results with the factorize codes.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import decimal
import math
import numbers
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .model import LEVEL_MET, LEVEL_MISSED, LEVEL_PARTIAL

__all__ = ["ParsedValue", "parse_value", "parse_series", "FIELDS", "LEVEL_WORDS"]

# ============================================================================================
# Vocabulary — every word this module recognises lives in these tables.
# ============================================================================================
# Qualitative words: word -> (level, truth).  Matched as substrings, longest first and left to
# right ("未完成" wins over "完成", "部分达成…" over "达成"); one-character words ("是", "否", "差",
# "有") only when they are the whole text, because inside a sentence they mean nothing on their own.
# A match directly preceded by a negation (不/未/没/非/无) that the table does not list makes the
# reading ambiguous (level and truth None), and a match followed by 率/度/数/量/值/情况 is a noun
# ("完成率", "满意度"), not a judgement, and is ignored.  Words of different levels in one text also
# give None: the evaluator has to decide, we do not.
LEVEL_WORDS: dict[str, tuple[str | None, bool | None]] = {
    # ---- 达成年度指标
    "达成年度指标": (LEVEL_MET, None),
    "达成": (LEVEL_MET, None),
    "达到预期": (LEVEL_MET, None),
    "达到目标": (LEVEL_MET, None),
    "达到要求": (LEVEL_MET, None),
    "达标": (LEVEL_MET, None),
    "效果明显": (LEVEL_MET, None),
    "效果显著": (LEVEL_MET, None),
    "成效明显": (LEVEL_MET, None),
    "成效显著": (LEVEL_MET, None),
    "良好": (LEVEL_MET, None),
    "优秀": (LEVEL_MET, None),
    "满意": (LEVEL_MET, None),
    "显著提升": (LEVEL_MET, None), "明显提升": (LEVEL_MET, None), "显著提高": (LEVEL_MET, None),
    "明显提高": (LEVEL_MET, None), "显著改善": (LEVEL_MET, None), "明显改善": (LEVEL_MET, None),
    "有效提升": (LEVEL_MET, None), "有效改善": (LEVEL_MET, None),
    "有效": (LEVEL_MET, None),
    "是": (LEVEL_MET, True),
    "按时完成": (LEVEL_MET, True),
    "按期完成": (LEVEL_MET, True),
    "如期完成": (LEVEL_MET, True),
    "已完成": (LEVEL_MET, True),
    "完成": (LEVEL_MET, True),
    "合格": (LEVEL_MET, True),
    "通过": (None, True),
    # yes/no targets as people word them ("建立" → "已建立"); the negated and partial forms are listed
    # so that "未建立" is no and "基本建立" a partial level, never a yes
    "建立": (None, True), "已建立": (None, True), "建成": (None, True), "已建成": (None, True),
    "健全": (None, True), "已健全": (None, True), "实现": (None, True), "已实现": (None, True),
    "落实": (None, True), "已落实": (None, True), "制定": (None, True), "已制定": (None, True),
    "开展": (None, True), "已开展": (None, True), "出台": (None, True), "已出台": (None, True),
    "按时": (None, True), "按期": (None, True), "及时": (None, True), "准时": (None, True),
    "具备": (None, True), "符合": (None, True), "规范": (None, True),
    "基本建立": (LEVEL_PARTIAL, None), "初步建立": (LEVEL_PARTIAL, None), "基本建成": (LEVEL_PARTIAL, None),
    "基本健全": (LEVEL_PARTIAL, None), "较为健全": (LEVEL_PARTIAL, None), "比较健全": (LEVEL_PARTIAL, None),
    "基本实现": (LEVEL_PARTIAL, None), "部分实现": (LEVEL_PARTIAL, None), "初步实现": (LEVEL_PARTIAL, None),
    "基本落实": (LEVEL_PARTIAL, None), "部分落实": (LEVEL_PARTIAL, None), "基本按时": (LEVEL_PARTIAL, None),
    "基本及时": (LEVEL_PARTIAL, None), "基本符合": (LEVEL_PARTIAL, None), "基本规范": (LEVEL_PARTIAL, None),
    "未建立": (None, False), "没有建立": (None, False), "未建成": (None, False), "不健全": (None, False),
    "未健全": (None, False), "未实现": (None, False), "没有实现": (None, False), "未落实": (None, False),
    "未制定": (None, False), "未开展": (None, False), "未出台": (None, False), "未按时": (None, False),
    "未按期": (None, False), "不及时": (None, False), "不准时": (None, False), "不具备": (None, False),
    "不符合": (None, False), "不规范": (None, False),
    "有": (None, True),
    "√": (None, True),
    "✓": (None, True),
    "✔": (None, True),
    # ---- 部分达成年度指标并具有一定效果
    "部分达成年度指标并具有一定效果": (LEVEL_PARTIAL, None),
    "部分达成": (LEVEL_PARTIAL, None),
    "基本达成": (LEVEL_PARTIAL, None),
    "基本达到": (LEVEL_PARTIAL, None),
    "基本完成": (LEVEL_PARTIAL, None),
    "部分完成": (LEVEL_PARTIAL, None),
    "基本满意": (LEVEL_PARTIAL, None),
    "效果一般": (LEVEL_PARTIAL, None),
    "一般": (LEVEL_PARTIAL, None),
    "一定效果": (LEVEL_PARTIAL, None),
    # ---- 未达成年度指标且效果较差
    "未达成年度指标且效果较差": (LEVEL_MISSED, None),
    "未达成": (LEVEL_MISSED, None),
    "未达到": (LEVEL_MISSED, None),
    "没有达成": (LEVEL_MISSED, None),
    "没有达到": (LEVEL_MISSED, None),
    "未达标": (LEVEL_MISSED, None),
    "不达标": (LEVEL_MISSED, None),
    "未完成": (LEVEL_MISSED, False),
    "没有完成": (LEVEL_MISSED, False),
    "未按时完成": (LEVEL_MISSED, False),
    "未按期完成": (LEVEL_MISSED, False),
    "效果较差": (LEVEL_MISSED, None),
    "较差": (LEVEL_MISSED, None),
    "差": (LEVEL_MISSED, None),
    "不满意": (LEVEL_MISSED, None),
    "不太满意": (LEVEL_MISSED, None),
    "无效": (LEVEL_MISSED, None),
    "不合格": (LEVEL_MISSED, False),
    "否": (LEVEL_MISSED, False),
    "没有": (None, False),
    "无": (None, False),
    "未通过": (None, False),
    "不通过": (None, False),
    "×": (None, False),
    "✗": (None, False),
    "✘": (None, False),
}
_NEGATIONS = "不未没非无"
_NOUN_TAILS = ("率", "度", "数", "量", "值", "情况", "性")

# Comparators written before the value (after full-width forms and ≥/≤/≧/≦ are normalised).
PREFIX_COMPARATORS: dict[str, tuple[str, ...]] = {
    ">=": ("大于或等于", "大于等于", "高于或等于", "多于或等于", "不低于", "不少于", "不小于", "不得低于", "不得少于",
           "至少", "最少", "最低", "达到", "达", ">=", "=>", ">==", "≥="),
    "<=": ("小于或等于", "小于等于", "低于或等于", "少于或等于", "不高于", "不超过", "不多于", "不大于", "不得高于",
           "不得超过", "不得多于", "至多", "最多", "最高", "控制在", "<=", "=<", "<==", "≤="),
    ">": ("大于", "高于", "多于", "超过", ">"),
    "<": ("小于", "低于", "少于", "不足", "<"),
    "=": ("等于", "==", "="),
}
# Comparators written after the value ("90%以上", "5天以内").
SUFFIX_COMPARATORS: dict[str, tuple[str, ...]] = {
    ">=": ("及以上", "或以上", "以上"),
    "<=": ("及以下", "或以下", "以下", "以内", "之内", "内"),
}
APPROX_PREFIXES = ("大约", "约为", "大概", "约")
APPROX_SUFFIXES = ("左右", "上下")
# Words before an actual that add nothing ("实际完成117场", "累计6.5万份").
NEUTRAL_PREFIXES = ("实际完成", "已完成", "完成", "累计", "共计", "合计", "总计", "共")
# 万/亿/千 multiply the number; 千 does not when it is part of a unit (千米, 千克, 千瓦时 …).
MULTIPLIERS: dict[str, int] = {"万亿": 12, "千万": 7, "百万": 6, "亿": 8, "万": 4, "千": 3}
_KILO_UNIT_STARTS = ("米", "克", "瓦", "帕", "伏", "卡", "焦", "赫", "升", "字节", "比特")
# Texts that mean "nothing here" ("无" is not among them: beside a target of "有" it is the answer
# no, and as an actual beside a number it is refused rather than read as a blank).  "不适用" is read as empty too: the row has no value to score,
# and whether the indicator applies at all is the 适用 column's business, not this cell's.
EMPTY_TEXTS = frozenset({"", "-", "--", "—", "——", "/", "\\", "n/a", "不适用"})
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
# Date words.
DATE_PREFIXES: dict[str, str | None] = {
    "截至": "<=", "截止到": "<=", "截止于": "<=", "截止": "<=", "不晚于": "<=", "不迟于": "<=",
    "最迟于": "<=", "最迟": "<=", "最晚": "<=", "不早于": ">=", "早于": "<", "晚于": ">",
    "完成于": None, "于": None, "在": None,
    "<=": "<=", ">=": ">=", "<": "<", ">": ">", "==": "=", "=": "=",
}
DATE_SUFFIXES: dict[str, str] = {
    "之前": "<=", "以前": "<=", "前": "<=", "以内": "<=", "之内": "<=", "内": "<=", "为止": "<=", "止": "<=",
    "之后": ">=", "以后": ">=", "后": ">=",
}
DATE_VERBS = ("投入使用", "执行完毕", "实施完毕", "完成", "完工", "竣工", "结束", "完毕", "办结", "到位", "实施",
              "验收", "交付", "上线", "开工", "启动", "支付", "拨付")

FIELDS: tuple[str, ...] = ("kind", "comparator", "number", "unit", "level", "truth", "date", "month_day",
                           "approx", "message")
# Internally a reading is a plain tuple in FIELDS order: building a frozen dataclass costs more than
# the regex match, and ``parse_series`` only needs the columns.
_Reading = tuple
_EMPTY: _Reading = ("empty", None, None, None, None, None, None, None, False, None)


# ============================================================================================
# The result
# ============================================================================================
@dataclass(frozen=True, slots=True)
class ParsedValue:
    """One cell as the engine understands it.

    ``number`` is in base units (万/亿/千 applied, percentages as fractions) so that "6万份" and
    "60000份" compare directly; ``unit`` is what is left to check that both sides count the same
    thing.  ``month_day`` keeps a deadline typed without a year ("12月底前") until the project
    year is known; ``date`` is filled only when the year was typed or ``default_year`` given.
    """

    raw: Any
    kind: str  # "number" | "percent" | "date" | "qualitative" | "empty" | "invalid"
    comparator: str | None = None  # ">=", "<=", "=", ">", "<" or None
    number: float | None = None
    unit: str | None = None
    level: str | None = None  # "达成" | "部分达成" | "未达成" | None
    truth: bool | None = None
    date: _dt.date | None = None
    month_day: tuple[int, int] | None = None
    approx: bool = False
    message: str | None = None  # Chinese, only when kind == "invalid"

    @property
    def is_quantity(self) -> bool:
        """A number the quantity rules can compare (a plain number or a percentage)."""
        return self.kind in ("number", "percent") and self.number is not None


# ============================================================================================
# Text normalisation
# ============================================================================================
def _build_translation() -> dict[int, str]:
    table: dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}  # full width
    table.update({
        0x3000: " ", 0x00A0: " ", 0x2009: " ", 0x202F: " ", 0x200B: "", 0xFEFF: "",
        ord("≥"): ">=", ord("≧"): ">=", ord("⩾"): ">=", ord("≮"): ">=", ord("≽"): ">=", ord("⪰"): ">=",
        ord("≤"): "<=", ord("≦"): "<=", ord("⩽"): "<=", ord("≯"): "<=", ord("≼"): "<=", ord("⪯"): "<=",
        # look-alikes of "=" seen in published tables (a box-drawing "═" from a PDF-to-Word copy)
        ord("═"): "=", ord("꞊"): "=", ord("⩵"): "=", ord("⹀"): "=", ord("〓"): "=", ord("﹦"): "=",
        ord("﹥"): ">", ord("﹤"): "<",
        ord("﹪"): "%", ord("﹢"): "+", ord("﹣"): "-", ord("−"): "-", ord("‐"): "-", ord("‑"): "-",
        ord("〔"): "(", ord("〕"): ")",
    })
    return table


_TRANSLATION = _build_translation()
_HAS_SPACE = re.compile(r"\s").search
_SPACES = re.compile(r"(?<![0-9])\s+|\s+(?![0-9])")  # keep "1 500" together: it stays unreadable
_TRAILING = "。.，,；;！!、"  # sentence punctuation after a value ("117场。")
_DASH_CHARS = "-—–―─"
_DASHES = re.compile(f"[{_DASH_CHARS}]+")
_EXCEL_ERROR = re.compile("|".join(re.escape(e) for e in EXCEL_ERRORS), re.IGNORECASE)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"  # as text.excerpt (no import: hot path)


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# ============================================================================================
# Numbers
# ============================================================================================
_PREFIX_CMP = {w: op for op, words in PREFIX_COMPARATORS.items() for w in words}
_SUFFIX_CMP = {w: op for op, words in SUFFIX_COMPARATORS.items() for w in words}
_SYMBOL_CMP = {w for w in _PREFIX_CMP if not re.search(r"[\u4e00-\u9fff]", w)}
_KILO = "|".join(re.escape(u) for u in _KILO_UNIT_STARTS)
_MULT_ALT = "|".join(re.escape(m) if m != "千" else f"千(?!{_KILO})"
                     for m in sorted(MULTIPLIERS, key=len, reverse=True))
# A unit starts with a letter (CJK or Latin) and goes on with letters, "/", "·"; a digit only right
# after a Latin letter ("m2").  It is matched lazily so that "以上"/"以内"/"左右" stay suffixes.
_UNIT = r"(?:[^\W\d_]|[°℃㎡㎞])(?:[^\W\d_]|[°℃㎡㎞/·]|(?<=[A-Za-z])[0-9])*?"
_QTY = re.compile(
    rf"(?P<neu>{_alt(NEUTRAL_PREFIXES)})?"
    rf"(?P<cmp>{_alt(list(_PREFIX_CMP))})?"
    rf"(?P<ap1>{_alt(APPROX_PREFIXES)})?"
    r"(?P<sign>[+-])?"
    r"(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)"
    r"(?:[eE](?P<exp>[+-]?[0-9]{1,6}))?"
    rf"(?:(?P<pct>%|‰)|(?P<pp>个?百分点)|(?P<mult>{_MULT_ALT})?(?P<unit>{_UNIT})?)"
    r"(?P<incl1>\((?:不含|含)\))?"
    rf"(?P<suf>{_alt(list(_SUFFIX_CMP))})?"
    r"(?P<incl2>\((?:不含|含)\))?"
    rf"(?P<ap2>{_alt(APPROX_SUFFIXES)})?"
)
_PREFIXES_ONLY = re.compile(
    rf"(?P<neu>{_alt(NEUTRAL_PREFIXES)})?(?P<cmp>{_alt(list(_PREFIX_CMP))})?(?P<ap>{_alt(APPROX_PREFIXES)})?"
)
_HAS_DIGIT = re.compile(r"[0-9]").search
_CN_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")
_CN_FRACTION = re.compile(r"[百千万]分之")
_DIRECTION = {">=": 1, ">": 1, "<=": -1, "<": -1, "=": 0}


def _quantity(raw: str, t: str) -> _Reading | None:
    """Number with optional comparator, multiplier and unit; None when ``t`` is not that shape."""
    m = _QTY.fullmatch(t)
    if m is None:
        return None
    _neu, cmp_, ap1, sign, num, exp, pct, pp, mult, unit, incl1, suf, incl2, ap2 = m.groups()
    cmp_pre = _PREFIX_CMP[cmp_] if cmp_ else None
    cmp_suf = _SUFFIX_CMP[suf] if suf else None
    if cmp_pre and cmp_suf and _DIRECTION[cmp_pre] != _DIRECTION[cmp_suf]:
        return _invalid(f"“{_short(raw)}”的比较方向前后矛盾")
    comparator = cmp_pre or cmp_suf
    if cmp_suf and not cmp_pre and (incl1 == "(不含)" or incl2 == "(不含)"):
        comparator = ">" if cmp_suf == ">=" else "<"
    shift = 0
    kind = "number"
    if pct:
        kind, unit = "percent", "%"
        shift = -2 if pct == "%" else -3
    elif pp:
        unit = "百分点"
    elif mult:
        shift = MULTIPLIERS[mult]
    if "," in num:
        num = num.replace(",", "")
    if exp or shift:
        num = f"{num}e{int(exp or 0) + shift}"  # shift the decimal point in text: one correct rounding
    number = float(num)
    if sign == "-":
        number = -number
    if math.isinf(number):
        return _invalid(f"“{_short(raw)}”超出可计算的数值范围")
    return (kind, comparator, number, unit, None, None, None, None, bool(ap1 or ap2), None)


# ============================================================================================
# Dates
# ============================================================================================
_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_SMALL = r"(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})"
_YEAR = r"(?:(?P<y>[0-9]{4})年度?)?"
_DATE_HINT = re.compile(r"[年月日号季旬底末]|^[^0-9]*[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]").search
_DATE_PREFIX = re.compile(_alt(list(DATE_PREFIXES)))
_DATE_SUFFIX = re.compile(rf"(?:{_alt(list(DATE_SUFFIXES))})$")
_DATE_VERB = re.compile(rf"(?:全部|全面|按时|按期|如期)?(?:{_alt(DATE_VERBS)})$")
_ISO_DATE = re.compile(r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})"
                       r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?")
_MONTH_DATE = re.compile(_YEAR + rf"(?P<m>{_SMALL})月份?(?:(?P<d>{_SMALL})[日号]?|(?P<part>底|末|上旬|中旬|下旬))?")
_HALF_YEAR = re.compile(_YEAR + r"(?P<half>上半年|下半年)")
_QUARTER = re.compile(_YEAR + r"第?(?P<q>[1-4一二三四])季度?(?:末|底)?")
_YEAR_END = re.compile(_YEAR + r"(?P<ye>年底|年末|年终|年内|年度内|本年度内|本年度|本年内|本年|当年)")
_YEAR_END_SHORT = re.compile(r"(?P<y>[0-9]{4})年度?(?P<ye>底|末|内)")
_YEAR_ONLY = re.compile(r"(?P<y>[0-9]{4})年度?(?P<ye>)")
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def _small_int(text: str) -> int | None:
    """"12" → 12, "十二" → 12, "三十一" → 31; month and day numbers only."""
    if text.isascii():
        return int(text) if text.isdigit() else None
    if "十" in text:
        tens_text, _, ones_text = text.partition("十")
        tens = _CN_DIGIT.get(tens_text) if tens_text else 1
        ones = _CN_DIGIT.get(ones_text) if ones_text else 0
        return None if tens is None or ones is None else tens * 10 + ones
    return _CN_DIGIT.get(text) if len(text) == 1 else None


def _month_end(month: int, year: int | None) -> int:
    # Without a year, 2月底 is the 28th: the earlier deadline, never a lenient guess.
    return calendar.monthrange(year if year else 2001, month)[1]


def _date(raw: str, t: str) -> _Reading | None:
    """Deadlines and dates; None when ``t`` is not a date (then it may still be a quantity)."""
    core = t
    verb = _DATE_VERB.search(core)
    if verb and verb.start() > 0:
        core = core[: verb.start()]
    suffix = _DATE_SUFFIX.search(core)
    if suffix and suffix.start() > 0:
        # "年内" ends in a suffix too: try without the suffix first, then with it as part of the date
        parsed = _date_core(raw, core[: suffix.start()], suffix.group(), verb is not None)
        if parsed is not None:
            return parsed
    return _date_core(raw, core, None, verb is not None)


def _date_core(raw: str, core: str, suffix: str | None, has_verb: bool) -> _Reading | None:
    comparator = DATE_SUFFIXES[suffix] if suffix else None
    prefix = _DATE_PREFIX.match(core)
    if prefix and prefix.end() < len(core):
        pre = DATE_PREFIXES[prefix.group()]
        if pre and comparator and _DIRECTION[pre] != _DIRECTION[comparator]:
            return _invalid(f"“{_short(raw)}”的时间方向前后矛盾")
        comparator = pre or comparator
        core = core[prefix.end():]
    marked = comparator is not None or has_verb

    year = month = day = None
    implied: str | None = None
    if m := _ISO_DATE.fullmatch(core):
        year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    elif m := _MONTH_DATE.fullmatch(core):
        if not (m["y"] or m["d"] or m["part"] or marked):
            return None  # "6月" alone is a duration (number + unit 月), not a date
        year = int(m["y"]) if m["y"] else None
        month = _small_int(m["m"])
        if month is None or not 1 <= month <= 12:
            return _invalid(f"“{_short(raw)}”不是有效日期")
        if m["d"]:
            day = _small_int(m["d"])
            if day is None:
                return _invalid(f"“{_short(raw)}”不是有效日期")
        elif m["part"] in ("上旬", "中旬"):
            day = 10 if m["part"] == "上旬" else 20
        else:
            day = _month_end(month, year)
    elif m := _HALF_YEAR.fullmatch(core):
        year = int(m["y"]) if m["y"] else None
        month, day = (6, 30) if m["half"] == "上半年" else (12, 31)
    elif m := _QUARTER.fullmatch(core):
        year = int(m["y"]) if m["y"] else None
        month, day = _QUARTER_END[_small_int(m["q"]) or 4]
    elif (m := _YEAR_END.fullmatch(core)) or (m := _YEAR_END_SHORT.fullmatch(core)) or (
            suffix in ("内", "以内", "之内") and (m := _YEAR_ONLY.fullmatch(core))):
        year = int(m["y"]) if m["y"] else None
        month, day = 12, 31
        if m["ye"] is None or m["ye"].endswith("内") or m["ye"].startswith("本") or m["ye"] == "当年":
            implied = "<="
    else:
        return None

    comparator = comparator or implied or "="
    if year is None:
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
            return _invalid(f"“{_short(raw)}”不是有效日期")
        return ("date", comparator, None, None, None, None, None, (month, day), False, None)
    try:
        value = _dt.date(year, month, day)
    except ValueError:
        return _invalid(f"“{_short(raw)}”不是有效日期")
    return ("date", comparator, None, None, None, None, value, None, False, None)


# ============================================================================================
# Qualitative words
# ============================================================================================
_LONG_WORDS = [w for w in LEVEL_WORDS if len(w) > 1]
_WORD_RE = re.compile(_alt(_LONG_WORDS))


def _words(t: str) -> tuple[str | None, bool | None]:
    """Level and yes/no reading of a text; (None, None) when absent, negated or contradictory."""
    if len(t) == 1:
        return LEVEL_WORDS.get(t, (None, None))
    levels: set[str] = set()
    truths: set[bool] = set()
    ambiguous = False
    for m in _WORD_RE.finditer(t):
        word, start, end = m.group(), m.start(), m.end()
        if t.startswith(_NOUN_TAILS, end):
            continue
        if start > 0 and t[start - 1] in _NEGATIONS and word[0] not in _NEGATIONS:
            ambiguous = True
            continue
        level, truth = LEVEL_WORDS[word]
        if level is not None:
            levels.add(level)
        if truth is not None:
            truths.add(truth)
    if ambiguous:
        return None, None
    return (levels.pop() if len(levels) == 1 else None), (truths.pop() if len(truths) == 1 else None)


# ============================================================================================
# One value
# ============================================================================================
def _invalid(message: str) -> _Reading:
    return ("invalid", None, None, None, None, None, None, None, False, message)


def _unreadable(text: str) -> _Reading:
    return _invalid(f"“{_short(text)}”无法识别为数值")


# The shape of most cells — "≥90%", "117场", "45.5" — read by one small regex.  It excludes every
# character that could make the full parser read the text differently (multipliers, suffix words,
# date words, separators, spaces), so both paths agree; tests compare them on generated text.
_SIMPLE = re.compile(
    r"(>=|<=|>|<|=)?([+-]?[0-9]+(?:\.[0-9]+)?)"
    r"(?:(%|‰)|((?:(?![万亿千百以及或之内上下左右年月日号季旬底末前后])[\u4e00-\u9fff]){1,4}))?"
)


def _parse_text_uncached(raw: str) -> _Reading:
    t = raw.translate(_TRANSLATION).strip()
    simple = _SIMPLE.fullmatch(t)
    if simple is not None:
        cmp_, num, pct, unit = simple.groups()
        if len(num) > 300:  # "9" × 400 is no number anyone typed: float() would give inf silently
            return _invalid(f"“{_short(raw)}”超出可计算的数值范围")
        if pct:
            return ("percent", cmp_, float(f"{num}e{-2 if pct == '%' else -3}"), "%", None, None, None, None,
                    False, None)
        return ("number", cmp_, float(num), unit, None, None, None, None, False, None)
    return _parse_general(raw, t)


def _parse_general(raw: str, t: str) -> _Reading:
    """Everything the fast path leaves: spaces, punctuation, blanks, dates, words, multipliers."""
    if _HAS_SPACE(t):
        t = _SPACES.sub("", t)
    if t[:1] == "#" and _EXCEL_ERROR.fullmatch(t):
        return _invalid(f"单元格为错误值{t.upper()}")
    if t and t[-1] in _TRAILING:
        t = t.rstrip(_TRAILING)
    if not t or (len(t) <= 3 and t.lower() in EMPTY_TEXTS) or (t[0] in _DASH_CHARS and _DASHES.fullmatch(t)):
        return _EMPTY
    stripped = raw.strip()
    if _DATE_HINT(t):
        parsed = _date(stripped, t)
        if parsed is not None:
            return parsed
    has_digit = _HAS_DIGIT(t) is not None
    if has_digit:
        parsed = _quantity(stripped, t)
        if parsed is not None:
            return parsed
    # Neither a number nor a date: unreadable when it looks like one, else a description.
    pre = _PREFIXES_ONLY.match(t)
    core = t[pre.end():]
    symbol = pre["cmp"] in _SYMBOL_CMP if pre["cmp"] else False
    if has_digit:
        if not core or core[0] in "0123456789+-.," or symbol or pre["ap"]:
            return _unreadable(stripped)
    else:
        run = _CN_NUMERAL_RUN.match(core)
        if _CN_FRACTION.match(core) or (
                run and (run.end() >= 2 or pre["cmp"] or pre["ap"]) and len(core) - run.end() <= 4):
            return _unreadable(stripped)  # "约九十", "百分之九十": Chinese numerals are not read
    level, truth = _words(t)
    return ("qualitative", None, None, None, level, truth, None, None, False, None)


@lru_cache(maxsize=1 << 16)
def _parse_text(raw: str) -> _Reading:
    """Cached: real tables repeat the same spellings in every row and every workbook."""
    return _parse_text_uncached(raw)


_NUMBER_TYPES = (numbers.Real, decimal.Decimal, np.integer, np.floating)
_TOO_LARGE = _invalid("单元格数值超出可计算的范围（无穷大或过大）")


def _is_missing(value: Any) -> bool:
    """pandas' own notion of a missing scalar (None, NaN of any float or complex type, NaT, NA,
    Decimal NaN): ``parse_series`` gets these from factorize as missing, so both must agree."""
    try:
        missing = pd.isna(value)
    except Exception:  # noqa: BLE001
        return False
    return isinstance(missing, (bool, np.bool_)) and bool(missing)


def _parse_any(value: Any) -> _Reading:
    """Any cell value.  Messages for non-text values never quote the value: equal values of other
    types (2 and Decimal("2"), inf and Decimal("Infinity")) must read the same in both parsers."""
    if isinstance(value, str):
        return _parse_text(value if type(value) is str else str(value))
    if _is_missing(value):
        return _EMPTY
    if isinstance(value, (bool, np.bool_)):
        # A ticked box is a yes/no answer, not a judgement of quality: truth only, no level.
        return ("qualitative", None, None, None, None, bool(value), None, None, False, None)
    if isinstance(value, _dt.datetime):  # also pandas.Timestamp
        return ("date", None, None, None, None, None, value.date(), None, False, None)
    if isinstance(value, _dt.date):
        return ("date", None, None, None, None, None, value, None, False, None)
    if isinstance(value, np.datetime64):
        day = value.astype("datetime64[D]").item()
        if isinstance(day, _dt.date):
            return ("date", None, None, None, None, None, day, None, False, None)
        return _invalid("单元格日期超出可识别的范围（1–9999年）")
    if isinstance(value, (_dt.timedelta, np.timedelta64)):
        return _invalid("单元格是一段时长，不能作为目标值或实际值")
    if isinstance(value, (complex, np.complexfloating)):
        if value.imag != 0:
            return _invalid("单元格是复数，不能作为目标值或实际值")
        value = value.real  # 2+0j equals 2 (and factorize treats them as one value)
    if isinstance(value, _NUMBER_TYPES):
        try:
            number = float(value)
        except (OverflowError, ValueError, TypeError):
            return _TOO_LARGE
        if math.isinf(number):
            return _TOO_LARGE
        if number != number:
            return _EMPTY
        return ("number", None, number, None, None, None, None, None, False, None)
    try:
        text = _short(str(value))
    except Exception:  # noqa: BLE001 - an object whose str() fails is still just an unreadable cell
        text = type(value).__name__
    return _invalid(f"“{text}”无法识别（不支持的数据类型{type(value).__name__}）")


def _with_year(reading: _Reading, year: Any) -> _Reading:
    """Give a year-less deadline its date in ``year``; a day that year lacks stays without a date."""
    if year is None or reading[0] != "date" or reading[6] is not None or reading[7] is None:
        return reading
    try:
        day = _dt.date(int(year), *reading[7])
    except (ValueError, TypeError, OverflowError):
        return reading
    return reading[:6] + (day,) + reading[7:]


def _read(value: Any, default_year: Any) -> _Reading:
    """``parse_value`` without the dataclass; never raises."""
    try:
        reading = _parse_any(value)
        return reading if default_year is None else _with_year(reading, default_year)
    except Exception as exc:  # noqa: BLE001 - last resort, see the module docstring
        try:
            text = _short(str(value))
        except Exception:  # noqa: BLE001
            text = type(value).__name__
        return _invalid(f"“{text}”无法识别（{type(exc).__name__}）")


def parse_value(value: Any, default_year: int | None = None) -> ParsedValue:
    """Read one cell.  Never raises: anything unreadable comes back as kind "invalid" with a message.

    ``default_year`` turns a year-less deadline ("12月底前") into a date; without it only
    ``month_day`` is set, so the engine can tell "no year typed" from a typed date.
    """
    return ParsedValue(value, *_read(value, default_year))


# ============================================================================================
# A whole column
# ============================================================================================
_PLAIN_NUMBER_TYPES = frozenset({int, float, np.float64, np.float32, np.float16, np.int64, np.int32, np.int16,
                                 np.int8, np.uint64, np.uint32, np.uint16, np.uint8})
_OBJECT_FIELDS = ("kind", "comparator", "unit", "level", "truth", "date", "month_day", "message")


class _Columns:
    """The result fields for ``size`` values (distinct values, or rows), defaulting to "empty".

    Object fields other than ``kind`` are allocated only when some value needs them, so that a
    column of plain numbers does not pay for seven arrays of None twice (before and after the take).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.kind = np.full(size, "empty", dtype=object)
        self.number = np.full(size, np.nan)
        self.approx = np.zeros(size, dtype=bool)
        self.fields: dict[str, np.ndarray] = {}

    def field(self, name: str) -> np.ndarray:
        arr = self.fields.get(name)
        if arr is None:
            arr = self.fields[name] = np.full(self.size, None, dtype=object)
        return arr

    def put(self, positions: Sequence[int], readings: Sequence[_Reading]) -> None:
        if not len(positions):
            return
        pos = np.asarray(positions, dtype=np.intp)
        columns = dict(zip(FIELDS, zip(*readings)))
        self.kind[pos] = columns["kind"]
        self.number[pos] = np.array(columns["number"], dtype=float)  # None becomes NaN
        self.approx[pos] = columns["approx"]
        for name in ("comparator", "unit", "level", "truth", "date", "message"):
            values = columns[name]
            if values.count(None) != len(values):
                self.field(name)[pos] = values
        month_day = columns["month_day"]
        if month_day.count(None) != len(month_day):
            for i, v in zip(pos, month_day):
                if v is not None:
                    self.field("month_day")[i] = v  # one by one: numpy would spread the tuple over two cells

    def frame(self, codes: np.ndarray | None, index: pd.Index) -> pd.DataFrame:
        """Spread over the rows by ``codes`` (code -1, a missing value, takes the last slot)."""
        n = self.size if codes is None else len(codes)
        data = {}
        for name in FIELDS:
            arr = self.fields.get(name) if name in _OBJECT_FIELDS[1:] else getattr(self, name)
            if arr is None:
                arr = np.full(n, None, dtype=object)  # cheaper than a take; never shared between columns
            elif codes is not None:
                arr = arr[codes]
            dtype = float if name == "number" else bool if name == "approx" else object
            # explicit dtype: pandas would otherwise turn object columns of text into "str"
            data[name] = pd.Series(arr, dtype=dtype, copy=False)
        out = pd.DataFrame(data, copy=False)  # no block consolidation: that copy costs more than the parse
        out.index = index
        return out


def _parse_uniques(uniques: Sequence[Any], default_year: Any) -> _Columns:
    """Results for distinct values plus one trailing "empty" slot (factorize code -1 lands there)."""
    n = len(uniques)
    cols = _Columns(n + 1)
    fast: list[int] = []
    slow: list[int] = []
    for i, u in enumerate(uniques):
        (fast if type(u) in _PLAIN_NUMBER_TYPES else slow).append(i)
    if fast:
        try:
            numbers_ = np.array([uniques[i] for i in fast], dtype=float)
        except (OverflowError, ValueError, TypeError):  # an int too large for a float
            slow, fast = list(range(n)), []
        else:
            finite = np.isfinite(numbers_)
            pos = np.asarray(fast, dtype=np.intp)
            cols.kind[pos[finite]] = "number"
            cols.number[pos[finite]] = numbers_[finite]
            if not finite.all():
                slow = sorted(slow + pos[~finite].tolist())
    if default_year is None:
        readings = [_parse_text(u) if type(u) is str else _read(u, None) for u in (uniques[i] for i in slow)]
    else:
        readings = [_read(uniques[i], default_year) for i in slow]
    cols.put(slow, readings)
    return cols


def _size_hint(arr: np.ndarray) -> int | None:
    """Guess the number of distinct values from a sample, to size factorize's hash table.

    factorize sizes its table for every row being distinct; for a column of a million cells with
    twenty thousand spellings a table sized near the truth is about 40% faster (it stays in
    cache).  Estimate from the repeats in a strided sample (birthday estimate s²/2·repeats).
    """
    n = len(arr)
    if n < 50_000:
        return None
    sample = arr[:: n // 4096]
    try:
        sample = sample[~pd.isna(sample)]  # blanks are not in the table: they would look like repeats
        distinct = len(pd.unique(sample))
    except TypeError:
        return None
    repeats = len(sample) - distinct
    if repeats <= 0:
        return None
    # skewed columns (a few very common values) make the estimate low; a larger table is cheap
    estimate = len(sample) ** 2 / (2 * repeats)
    return int(min(n, max(1024, 4 * estimate)))


def _object_frame(arr: np.ndarray, index: pd.Index, default_year: Any) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # hashing huge numbers warns "overflow in cast"
            codes, uniques = pd.factorize(arr, use_na_sentinel=True, size_hint=_size_hint(arr))
    except TypeError:  # unhashable cells (lists, dicts): rare enough to read one by one
        cols = _Columns(len(arr))
        cols.put(range(len(arr)), [_read(v, default_year) for v in arr])
        return cols.frame(None, index)
    uniques = list(uniques)
    # factorize merges values that are equal across types — True with 1, 2+0j with 2.0, a numpy
    # float32 with the Python float it rounds to — but they do not all read the same.  So the rows
    # behind non-text values are told apart by type as well (text is never equal to anything else).
    not_text = np.fromiter((type(u) is not str for u in uniques), dtype=bool, count=len(uniques))
    if not_text.any():
        rows = np.flatnonzero(np.append(not_text, False)[codes])  # code -1 (missing) takes the False
        types = np.fromiter((type(v) for v in arr[rows]), dtype=object, count=len(rows))
        type_codes, type_uniques = pd.factorize(types)
        if len(type_uniques) > 1:
            key_codes, _ = pd.factorize(codes[rows].astype(np.int64) * len(type_uniques) + type_codes)
            _, first = np.unique(key_codes, return_index=True)
            codes = codes.copy()
            codes[rows] = len(uniques) + key_codes
            uniques.extend(arr[rows[j]] for j in first)
    return _parse_uniques(uniques, default_year).frame(codes, index)


def _numeric_frame(arr: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Excel numbers: no Python per row."""
    numbers_ = arr.astype(float, copy=False)
    cols = _Columns(len(numbers_))
    finite = np.isfinite(numbers_)
    cols.kind[finite] = "number"
    cols.number[finite] = numbers_[finite]
    inf = np.isinf(numbers_)
    if inf.any():
        for sign in (1.0, -1.0):
            mask = inf & (np.sign(numbers_) == sign)
            if mask.any():
                reading = _read(sign * math.inf, None)
                cols.kind[mask] = reading[0]
                cols.field("message")[mask] = reading[-1]
    return cols.frame(None, index)


def parse_series(values: pd.Series | Sequence[Any], default_year: int | None = None) -> pd.DataFrame:
    """Read a whole column; row by row the same as ``parse_value``.

    Returns one row per input row (same index) with the ``ParsedValue`` fields except ``raw``:
    ``number`` is float64 (NaN where None), ``approx`` bool, the others object with None.
    """
    if isinstance(values, pd.Series):
        series = values
    elif isinstance(values, np.ndarray) and values.ndim == 1:
        series = pd.Series(values, dtype=values.dtype, copy=False)
    else:
        items = list(values)
        arr = np.empty(len(items), dtype=object)
        for i, v in enumerate(items):  # one by one: numpy would unpack tuples and lists
            arr[i] = v
        series = pd.Series(arr, dtype=object, copy=False)
    index = series.index
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "fiu":
            return _numeric_frame(series.to_numpy(), index)
        if dtype.kind == "b":
            cols = _Columns(len(series))
            cols.kind[:] = "qualitative"
            cols.fields["truth"] = series.to_numpy().astype(object)
            return cols.frame(None, index)
        if dtype == object:
            return _object_frame(series.to_numpy(), index, default_year)
    if isinstance(dtype, pd.StringDtype):
        # text columns (pandas' default for text): the object hashtable is the fastest way through
        return _object_frame(series.to_numpy(dtype=object), index, default_year)
    # category, datetime64, nullable and other extension dtypes: factorize them as they are.
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        uniques_list = list(uniques)
    except TypeError:
        return _object_frame(series.to_numpy(dtype=object), index, default_year)
    return _parse_uniques(uniques_list, default_year).frame(codes, index)
