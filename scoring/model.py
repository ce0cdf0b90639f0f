"""Names and result types shared by the engine and everything that calls it.

One place spells the indicator-table columns, the scoring methods and the qualitative levels, so
that the workbook layout, the worksheet functions and the report all agree with the engine.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


# --------------------------------------------------------------------------------------------
# Indicator table columns (the DataFrame handed to ``evaluate``)
# --------------------------------------------------------------------------------------------
ROW = "row"  # where the row came from (e.g. the Excel row number); used in messages and flags
LEVEL1 = "level1"  # 一级指标
LEVEL2 = "level2"  # 二级指标
LEVEL3 = "level3"  # 三级指标
DETAIL = "detail"  # 明细指标 (a concrete 绩效目标 item under a 三级 indicator), blank otherwise
WEIGHT = "weight"  # 分值
METHOD = "method"  # 评分方法: a method id or its Chinese label, blank = auto
TARGET = "target"  # 目标值 (text or number, as typed)
ACTUAL = "actual"  # 实际值 (text or number, as typed)
SOURCE = "source"  # 比率来源: blank, or a project rate name whose value replaces ``actual``
CRITERIA = "criteria"  # 评分标准: bands for the stepped method ("≤0%:100%; ≤5%:80%; 其他:0")
LEVEL = "level"  # 定性档次 (qualitative level label)
JUDGEMENT = "judgement"  # 评价人打分/扣分: the evaluator's score (定性/直接打分) or Σ扣分 (扣分制)
APPLICABLE = "applicable"  # 适用: False/"否"/"不适用" drops the row from scoring
REASON = "reason"  # 偏差原因: the evaluator's explanation
EVIDENCE = "evidence"  # 数据来源/佐证材料: free text for people ("问卷调查（有效问卷1200份）"), never parsed

INPUT_COLUMNS: tuple[str, ...] = (
    ROW, LEVEL1, LEVEL2, LEVEL3, DETAIL, WEIGHT, METHOD, TARGET, ACTUAL, SOURCE, CRITERIA,
    LEVEL, JUDGEMENT, APPLICABLE, REASON,
)
REQUIRED_COLUMNS: tuple[str, ...] = (LEVEL1, LEVEL2, LEVEL3, WEIGHT)

# Result columns (``Evaluation.rows``)
COMPLETION = "completion_rate"  # 完成率 = 实际/目标
DEVIATION = "deviation"  # 偏离度 = (实际 − 目标)/目标
SCORE = "score"  # 得分, rounded to 2 decimals
SCORE_RATE = "score_rate"  # 得分率 = 得分/分值
EXPLANATION = "explanation"  # 评分说明: one Chinese line
WARNINGS = "warnings"  # 预警: Chinese, "；"-joined, blank when none
METHOD_USED = "method_used"  # the method id actually applied
KIND = "kind"  # "scored" (a leaf), "parent" (sum of its details), "na" (not applicable), "error",
#                "blank" (a placeholder row with no 三级 name and no inputs: skipped)
RESULT_COLUMNS: tuple[str, ...] = (
    COMPLETION, DEVIATION, SCORE, SCORE_RATE, EXPLANATION, WARNINGS, METHOD_USED, KIND,
)

# --------------------------------------------------------------------------------------------
# Scoring methods: id -> Chinese label (the label is what a user picks in a dropdown)
# --------------------------------------------------------------------------------------------
METHOD_LABELS: dict[str, str] = {
    "auto": "自动识别",
    "higher": "正向指标（越高越好）",
    "lower": "反向指标（越低越好）",
    "lower_inverse": "反向指标（反比计分）",
    "equal": "等于目标",
    "qualitative": "定性分档",
    "yesno": "是否判断",
    "checklist": "扣分制",
    "stepped": "分段计分",
    "manual": "直接打分",
    "budget_execution": "预算执行率计分",
    "deadline": "按期完成（时限）",
    "ratio": "按实际比率计分",
    "bonus": "加分项",
}
# Extra spellings people type; matched after stripping spaces, case-insensitive.
METHOD_ALIASES: dict[str, str] = {
    "": "auto", "自动": "auto",
    "正向": "higher", "正向指标": "higher", "越高越好": "higher", "ratio_higher_better": "higher",
    "反向": "lower", "反向指标": "lower", "越低越好": "lower", "ratio_lower_better": "lower",
    "反比": "lower_inverse", "反向反比": "lower_inverse",
    "等于": "equal", "相等": "equal",
    "定性": "qualitative",
    "是否": "yesno", "是/否": "yesno",
    "扣分": "checklist", "清单扣分": "checklist",
    "分段": "stepped", "阶梯": "stepped", "分档": "stepped",
    "打分": "manual", "人工打分": "manual", "直接评分": "manual",
    "预算执行率": "budget_execution", "执行率计分": "budget_execution",
    "时限": "deadline", "按期完成": "deadline", "时效": "deadline",
    "比率计分": "ratio", "按比率计分": "ratio", "按实际比率": "ratio", "实际比率": "ratio",
    "加分": "bonus", "附加分": "bonus",
}

# Qualitative levels: short id -> (label, lower share of 分值 inclusive, upper share)
LEVEL_MET = "达成"
LEVEL_PARTIAL = "部分达成"
LEVEL_MISSED = "未达成"
LEVEL_LABELS: dict[str, str] = {
    LEVEL_MET: "达成年度指标",
    LEVEL_PARTIAL: "部分达成年度指标并具有一定效果",
    LEVEL_MISSED: "未达成年度指标且效果较差",
}

# Names of the project rates an indicator row may take its actual value from (``SOURCE``).
RATE_FUNDS_RECEIVED = "资金到位率"
RATE_EXECUTION = "预算执行率"  # per ``Params.execution_rate_basis``
RATE_EXECUTION_SELF = "预算执行率（自评口径）"  # 全年执行数/全年预算数
RATE_EXECUTION_FRAMEWORK = "预算执行率（实际到位口径）"  # 实际支出/实际到位
RATE_ADJUSTMENT = "预算调整率"
SOURCE_RATES: tuple[str, ...] = (
    RATE_FUNDS_RECEIVED, RATE_EXECUTION, RATE_EXECUTION_SELF, RATE_EXECUTION_FRAMEWORK,
    RATE_ADJUSTMENT,
)

# Report layouts (``jixiao report --layout``): the Guangzhou department-evaluation report, or the
# national outline of 财预〔2020〕10号 附件3.
LAYOUT_DEPARTMENT = "部门评价"
LAYOUT_NATIONAL = "财政部提纲"
LAYOUTS: tuple[str, ...] = (LAYOUT_DEPARTMENT, LAYOUT_NATIONAL)


def method_id(value: Any) -> str | None:
    """Map what a user typed or picked to a method id; None when it is not a method we know."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "auto"
    text = str(value).strip().replace(" ", "").replace("　", "")
    if text in METHOD_LABELS:
        return text
    for mid, label in METHOD_LABELS.items():
        if text == label.replace(" ", ""):
            return mid
    lowered = text.lower()
    for alias, mid in METHOD_ALIASES.items():
        if lowered == alias.lower():
            return mid
    return None


# --------------------------------------------------------------------------------------------
# Result records
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Flag:
    """Something a reviewer must look at. Flags never change a score by themselves."""

    kind: str  # below_full | over_achievement | low_execution | budget_adjusted | missing_input | weights | info
    message: str  # Chinese, one line
    row: Any = None  # the ROW value of the indicator row, None for project-level flags
    indicator: str = ""  # the indicator's display name (detail name if any, else 三级 name)
    reason_required: bool = False
    reason_present: bool = False
    values: dict[str, Any] = field(default_factory=dict)  # the numbers that triggered it

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class InputError:
    """A value the engine could not use. ``row``/``field`` let an adapter name the sheet cell."""

    message: str  # Chinese, one line, without the cell address
    row: Any = None
    field: str = ""  # one of the column names above, or a project field such as "budget.initial"

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def plain_value(value: Any) -> Any:
    """A scalar as plain Python: NaN/inf/NA/NaT become None, numpy scalars Python numbers.

    What a worksheet cell or a JSON document can hold; shared by the writers and ``to_dict``.
    """
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return None
    return value


def _jsonable(value: Any) -> Any:
    """Plain JSON values: NaN becomes None, numpy scalars become Python numbers, dates ISO text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    value = plain_value(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def jsonable(value: Any) -> Any:
    """Public alias used by ``Evaluation.to_dict`` and the command line."""
    return _jsonable(value)
