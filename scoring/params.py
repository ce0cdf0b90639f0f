"""Scoring parameters as one object: a "rule pack".

National rules leave several numbers to practice (over-achievement threshold, how reverse indicators
score, whether a low execution rate caps the total). Provinces differ, so every such number lives
here, can be written as plain text in the workbook's 评分参数 sheet or in a YAML file, and a new
pack needs no code change.  ``Params.from_mapping`` accepts English keys or the Chinese labels the
workbook shows, and text forms such as "优:90; 良:80; 中:60".
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping

from .model import LEVEL_MET, LEVEL_MISSED, LEVEL_PARTIAL


class ParamsError(ValueError):
    """A parameter value that cannot be used; the message is Chinese and names the parameter."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Params:
    """Every tunable number of the scoring rules, with the national defaults (DOMAIN.md §4–5)."""

    name: str = "全国默认（财预〔2020〕10号）"
    # (grade, lower bound inclusive), highest first; a total below the last bound gets lowest_grade
    grade_bands: tuple[tuple[str, float], ...] = (("优", 90.0), ("良", 80.0), ("中", 60.0))
    lowest_grade: str = "差"
    # actual ≥ target × threshold on a higher-is-better indicator → reason required
    over_achievement_threshold: float = 1.20
    # fixed points deducted from such a row (0 = the evaluator decides, as the national text says)
    over_achievement_deduction: float = 0.0
    # 执行率 below this → reason required
    execution_reason_threshold: float = 0.90
    # reverse indicators: "linear" (full at target, zero at 2× target) or "inverse" (分值 × 目标/实际)
    lower_better_mode: str = "linear"
    # the budget-execution method scores 分值 × 执行率; capped at 分值 unless False
    budget_execution_cap: bool = True
    # which 执行率 the budget rows and caps use: "self" 全年执行数/全年预算数,
    # "framework" 实际支出/实际到位, "auto" = framework for 部门/财政评价, self otherwise
    execution_rate_basis: str = "auto"
    # (执行率 below which, highest total allowed), e.g. ((0.8, 89), (0.7, 79), (0.6, 69))
    execution_total_caps: tuple[tuple[float, float], ...] = ()
    # 预算调整率 rows score |调整率| (a cut is an adjustment too); False scores the signed rate
    adjustment_rate_magnitude: bool = True
    # rescale to 100 over applicable weights: "never", "auto" (only when rows are not applicable), "always"
    renormalise: str = "auto"
    expected_total_weight: float = 100.0
    decimals: int = 2
    # how a row's score is cut to ``decimals``: "half_up" (四舍五入) or "truncate" (截尾, as some
    # published tables do: 9.78 → 9 at 0 decimals)
    rounding: str = "half_up"
    # 加分项 rows: the most bonus points a table may add (0 = no bonus, the national rule), and
    # whether the total may then exceed 分值合计 (expected_total_weight)
    bonus_cap: float = 0.0
    total_may_exceed_max: bool = False
    # qualitative levels → (lower share inclusive, upper share); the top band includes its upper bound
    qualitative_bands: tuple[tuple[str, float, float], ...] = (
        (LEVEL_MET, 0.8, 1.0),
        (LEVEL_PARTIAL, 0.6, 0.8),
        (LEVEL_MISSED, 0.0, 0.6),
    )
    # audit: a reported score further than this from the rule score is flagged
    score_tolerance: float = 0.1
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    # ----------------------------------------------------------------------------------------
    def grade(self, total: float | None) -> str | None:
        if total is None or total != total:
            return None
        for label, lower in self.grade_bands:
            if total >= lower - 1e-9:
                return label
        return self.lowest_grade

    def band(self, level: str) -> tuple[float, float] | None:
        for name, lo, hi in self.qualitative_bands:
            if name == level:
                return lo, hi
        return None

    def total_cap(self, execution_rate: float | None) -> float | None:
        """The highest total allowed at this execution rate, None when no cap applies."""
        if execution_rate is None or execution_rate != execution_rate:
            return None
        caps = [cap for below, cap in self.execution_total_caps if execution_rate < below - 1e-12]
        return min(caps) if caps else None

    # ----------------------------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> "Params":
        """Build from English keys or Chinese labels; unknown keys are kept in ``extra``."""
        if not data:
            return cls()
        by_label = {label: key for key, label in PARAM_LABELS.items()}
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for raw_key, raw_value in data.items():
            key = str(raw_key).strip()
            key = by_label.get(key, key)
            if key not in known or key == "extra":
                extra[key] = raw_value
                continue
            if raw_value is None or (isinstance(raw_value, str) and not raw_value.strip()):
                continue
            values[key] = _coerce(key, raw_value)
        params = replace(cls(), **values, extra=extra)
        params.validate()
        return params

    def to_mapping(self) -> dict[str, Any]:
        """Plain values (lists, numbers, strings) that ``from_mapping`` reads back."""
        data = asdict(self)
        data.pop("extra")
        return {k: _plain(v) for k, v in data.items()}

    def to_text(self) -> dict[str, str]:
        """Each parameter as the text the workbook's 评分参数 sheet shows (Chinese label → text)."""
        out: dict[str, str] = {}
        for key, label in PARAM_LABELS.items():
            value = getattr(self, key)
            out[label] = _as_text(key, value)
        return out

    def validate(self) -> None:
        for f in fields(self):  # inf or nan typed in 评分参数 would pass every comparison below
            value = getattr(self, f.name)
            if isinstance(value, float) and not math.isfinite(value):
                raise ParamsError(f.name, f"参数“{PARAM_LABELS.get(f.name, f.name)}”的值不是有限的数")
        if not 0 < self.expected_total_weight <= 1000:
            raise ParamsError("expected_total_weight", f"参数“{PARAM_LABELS['expected_total_weight']}”应大于0且不超过1000")
        if not 0 <= self.execution_reason_threshold <= 2:
            raise ParamsError("execution_reason_threshold", f"参数“{PARAM_LABELS['execution_reason_threshold']}”应在0–200%之间")
        if self.score_tolerance < 0 or self.over_achievement_deduction < 0:
            key = "score_tolerance" if self.score_tolerance < 0 else "over_achievement_deduction"
            raise ParamsError(key, f"参数“{PARAM_LABELS[key]}”不能为负数")
        if any(not math.isfinite(b) for _, b in self.grade_bands) or any(
                not (math.isfinite(r) and math.isfinite(c)) for r, c in self.execution_total_caps):
            raise ParamsError("grade_bands", f"参数“{PARAM_LABELS['grade_bands']}”中有不是有限的数")
        if self.lower_better_mode not in ("linear", "inverse"):
            raise ParamsError("lower_better_mode", f"{PARAM_LABELS['lower_better_mode']}只能是 linear 或 inverse，而不是“{self.lower_better_mode}”")
        if self.execution_rate_basis not in ("auto", "self", "framework"):
            raise ParamsError("execution_rate_basis", f"{PARAM_LABELS['execution_rate_basis']}只能是 auto、self 或 framework")
        if self.renormalise not in ("never", "auto", "always"):
            raise ParamsError("renormalise", f"{PARAM_LABELS['renormalise']}只能是 never、auto 或 always")
        if self.rounding not in ("half_up", "truncate"):
            raise ParamsError("rounding", f"{PARAM_LABELS['rounding']}只能是“四舍五入”或“截尾”")
        if not 0 <= self.decimals <= 4:
            raise ParamsError("decimals", f"{PARAM_LABELS['decimals']}应为0–4之间的整数，而不是{self.decimals}")
        if self.bonus_cap < 0:
            raise ParamsError("bonus_cap", f"{PARAM_LABELS['bonus_cap']}不能为负数")
        if self.over_achievement_threshold <= 1:
            raise ParamsError("over_achievement_threshold", f"{PARAM_LABELS['over_achievement_threshold']}应大于1（如1.2表示超目标20%）")
        bounds = [b for _, b in self.grade_bands]
        if bounds != sorted(bounds, reverse=True):
            raise ParamsError("grade_bands", f"{PARAM_LABELS['grade_bands']}须按分数从高到低排列")
        for name, lo, hi in self.qualitative_bands:
            if not 0 <= lo <= hi <= 1:
                raise ParamsError("qualitative_bands", f"定性档次“{name}”的区间{lo}–{hi}不在0–1之间")


# Chinese labels shown in the workbook (评分参数). The order is the order of the sheet.
PARAM_LABELS: dict[str, str] = {
    "name": "规则包名称",
    "grade_bands": "等级划分（下限含）",
    "lowest_grade": "最低等级",
    "over_achievement_threshold": "超目标预警阈值（实际/目标）",
    "over_achievement_deduction": "超目标固定扣分",
    "execution_reason_threshold": "执行率预警阈值",
    "lower_better_mode": "反向指标计分方式",
    "budget_execution_cap": "预算执行率得分封顶",
    "execution_rate_basis": "预算执行率口径",
    "execution_total_caps": "执行率对总分封顶",
    "adjustment_rate_magnitude": "预算调整率按绝对值计分",
    "renormalise": "不适用指标折算为百分制",
    "expected_total_weight": "分值合计应为",
    "decimals": "得分保留小数位",
    "rounding": "得分取舍方式",
    "bonus_cap": "加分上限",
    "total_may_exceed_max": "加分后总分可超过满分",
    "qualitative_bands": "定性档次区间",
    "score_tolerance": "复核容差（分）",
}

_BOOL_TEXT = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False,
              "yes": True, "no": False, "on": True, "off": False}


# Parameters whose values are words: what the workbook shows (Chinese) → the stored id.
WORD_VALUES: dict[str, dict[str, str]] = {
    "rounding": {"四舍五入": "half_up", "截尾": "truncate", "截尾取整": "truncate", "去尾": "truncate"},
}


def _coerce(key: str, value: Any) -> Any:
    """Read one parameter from YAML/JSON values or from the text of a workbook cell."""
    label = PARAM_LABELS.get(key, key)
    default = getattr(Params(), key)
    if key in WORD_VALUES and isinstance(value, str):
        value = WORD_VALUES[key].get(value.strip(), value.strip())
    try:
        if key == "grade_bands":
            pairs = _pairs(value)
            return tuple((str(a), float(b)) for a, b in pairs)
        if key == "execution_total_caps":
            pairs = _pairs(value)
            return tuple((_rate(a), float(b)) for a, b in pairs)
        if key == "qualitative_bands":
            if isinstance(value, str):
                items = []
                for part in _split(value):
                    name, rng = part.split(":", 1)
                    lo, hi = re.split(r"[-–~～]", rng.strip(), maxsplit=1)
                    items.append((name.strip(), _rate(lo), _rate(hi)))
                return tuple(items)
            return tuple((str(n), float(lo), float(hi)) for n, lo, hi in value)
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _BOOL_TEXT:
                return _BOOL_TEXT[text]
            raise ValueError(text)
        if isinstance(default, int):
            return int(float(value))
        if isinstance(default, float):
            return _rate(value) if isinstance(value, str) else float(value)
        return str(value).strip()
    except (TypeError, ValueError) as exc:
        text = str(value) if len(str(value)) <= 40 else str(value)[:39] + "…"
        raise ParamsError(key, f"参数“{label}”的值“{text}”无法识别") from exc


def _split(text: str) -> list[str]:
    text = text.replace("；", ";").replace("：", ":").replace("，", ";").replace(",", ";")
    return [p.strip() for p in text.split(";") if p.strip()]


def _pairs(value: Any) -> list[tuple[Any, Any]]:
    if isinstance(value, str):
        return [tuple(p.split(":", 1)) for p in _split(value)]  # type: ignore[misc]
    if isinstance(value, Mapping):
        return list(value.items())
    return [tuple(v) for v in value]


def _rate(value: Any) -> float:
    """"80%" → 0.8, "0.8" → 0.8, 0.8 → 0.8."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("％", "%")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _num(x: float) -> str:
    return f"{x:g}"


def _as_text(key: str, value: Any) -> str:
    if key == "grade_bands":
        return "; ".join(f"{g}:{_num(b)}" for g, b in value)
    if key == "execution_total_caps":
        return "; ".join(f"{_num(r * 100)}%:{_num(c)}" for r, c in value)
    if key == "qualitative_bands":
        return "; ".join(f"{n}:{_num(lo * 100)}%-{_num(hi * 100)}%" for n, lo, hi in value)
    if key in WORD_VALUES:
        return next((word for word, v in WORD_VALUES[key].items() if v == value), str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return _num(value)
    return str(value)


# --------------------------------------------------------------------------------------------
# Packs shipped as data
# --------------------------------------------------------------------------------------------
def available_packs() -> list[str]:
    from importlib import resources  # not at import: the command line starts without it

    folder = resources.files("jixiao.scoring").joinpath("packs")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_pack(name: str) -> Params:
    """A rule pack shipped with jixiao (``packs/NAME.yaml``)."""
    from importlib import resources

    path = resources.files("jixiao.scoring").joinpath("packs", f"{name}.yaml")
    if not path.is_file():
        raise ParamsError("name", f"没有名为“{name}”的规则包，可选：{'、'.join(available_packs())}")
    import yaml  # only here: importing jixiao.scoring.params stays cheap for the command line

    return Params.from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")))
