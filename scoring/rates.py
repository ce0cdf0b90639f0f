"""The budget and completion rates of DOMAIN.md §2, §3 and §6.

Two 预算执行率 definitions coexist: the self-evaluation table divides by 全年预算数 (the adjusted
budget), the 部门评价 framework divides by 实际到位资金.  Both are computed and kept apart; which
one scores is a parameter.  A rate whose denominator is missing or zero is None (NaN in arrays),
never a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from .model import (
    InputError,
    RATE_ADJUSTMENT,
    RATE_EXECUTION,
    RATE_EXECUTION_FRAMEWORK,
    RATE_EXECUTION_SELF,
    RATE_FUNDS_RECEIVED,
)

FloatLike = float | int | np.ndarray


def _div(num: Any, den: Any) -> Any:
    """num/den with None/NaN for a missing or zero denominator; works on scalars and arrays."""
    if isinstance(num, np.ndarray) or isinstance(den, np.ndarray):
        n = np.asarray(num, dtype=float)
        d = np.asarray(den, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where((d != 0) & np.isfinite(d), n / np.where(d == 0, 1, d), np.nan)
        return out
    if num is None or den is None:
        return None
    num, den = float(num), float(den)
    if math.isnan(num) or math.isnan(den) or den == 0:
        return None
    return num / den


def completion_rate(actual: Any, target: Any) -> Any:
    """完成率 = 实际/目标 (None when the target is 0 or missing)."""
    return _div(actual, target)


def deviation(actual: Any, target: Any) -> Any:
    """偏离度 = (实际 − 目标)/|目标|; the absolute value keeps the sign meaning "above target"."""
    if isinstance(actual, np.ndarray) or isinstance(target, np.ndarray):
        a = np.asarray(actual, dtype=float)
        t = np.asarray(target, dtype=float)
        return _div(a - t, np.abs(t))
    if actual is None or target is None:
        return None
    return _div(float(actual) - float(target), abs(float(target)))


def adjustment_rate(adjustment: Any, initial: Any) -> Any:
    """预算调整率 = 预算调整数/年初预算数 (reference report: 6.81/144 = 4.73%)."""
    return _div(adjustment, initial)


def execution_rate_self(executed: Any, adjusted_budget: Any) -> Any:
    """预算执行率（自评口径）= 全年执行数/全年预算数."""
    return _div(executed, adjusted_budget)


def execution_rate_framework(spent: Any, received: Any) -> Any:
    """预算执行率（评价框架口径）= 实际支出资金/实际到位资金."""
    return _div(spent, received)


def funds_received_rate(received: Any, budget: Any) -> Any:
    """资金到位率 = 实际到位资金/预算资金."""
    return _div(received, budget)


# --------------------------------------------------------------------------------------------
# The project's budget block
# --------------------------------------------------------------------------------------------
BUDGET_FIELDS: dict[str, str] = {
    "initial": "年初预算",
    "adjustment": "预算调整",
    "adjusted": "全年预算",
    "received": "实际到位",
    "executed": "实际支出",
}


MAX_AMOUNT = 1e11  # 万元, i.e. 10¹⁵ 元: no project budget comes near it; beyond is a typing slip


def _implausible(key: str, number: float) -> str | None:
    """Why an amount cannot be a budget figure (a negative budget gave 资金到位率 −100%), or None."""
    if not math.isfinite(number) or abs(number) >= MAX_AMOUNT:
        return "超出合理范围（金额应小于10¹⁵元，即1000亿万元）"
    if number < 0 and key != "adjustment":  # only the adjustment is signed (调减 is negative)
        return "不能为负数（预算调减请在“预算调整”中填负数）"
    return None


@dataclass(frozen=True)
class Budget:
    """The budget block in one unit (万元 in our workbooks); None where the user left it blank."""

    initial: float | None = None
    adjustment: float | None = None
    adjusted: float | None = None
    received: float | None = None
    executed: float | None = None

    @classmethod
    def read(cls, data: Mapping[str, Any] | None) -> tuple["Budget", list[InputError]]:
        """Read numbers (or numeric text) from a mapping; unreadable values become errors."""
        from .text import excerpt
        from .values import parse_value  # local: values is heavier and rates stays importable alone

        values: dict[str, float | None] = {}
        errors: list[InputError] = []
        for key, label in BUDGET_FIELDS.items():
            raw = (data or {}).get(key)
            parsed = parse_value(raw)
            if parsed.kind == "empty":
                values[key] = None
            elif (parsed.kind == "number" and parsed.number is not None and parsed.comparator is None
                  and parsed.unit in (None, "元")):
                number = parsed.number
                if parsed.unit == "元":
                    number = number / 10000  # "144万元" or "1440000元" typed into a 万元 cell
                problem = _implausible(key, number)
                if problem:
                    errors.append(InputError(f"{label}：“{excerpt(raw)}”{problem}", field=f"budget.{key}"))
                    number = None
                values[key] = number
            else:
                detail = parsed.message or f"“{excerpt(raw)}”不是金额"
                errors.append(InputError(f"{label}：{detail}（请填写以万元为单位的数字）", field=f"budget.{key}"))
                values[key] = None
        return cls(**values), errors

    def completed(self) -> "Budget":
        """Fill 全年预算 from 年初预算 + 调整 (or 调整 from the difference) when one is blank."""
        initial, adjustment, adjusted = self.initial, self.adjustment, self.adjusted
        if adjusted is None and initial is not None:
            adjusted = initial + (adjustment or 0.0)
        if adjustment is None and initial is not None and adjusted is not None:
            adjustment = adjusted - initial
        return Budget(initial, adjustment, adjusted, self.received, self.executed)


def budget_rates(budget: Budget, basis: str) -> dict[str, float | None]:
    """All project rates, keyed by the Chinese names indicator rows can take as 比率来源."""
    b = budget.completed()
    self_rate = execution_rate_self(b.executed, b.adjusted)
    framework_rate = execution_rate_framework(b.executed, b.received)
    rates = {
        RATE_FUNDS_RECEIVED: funds_received_rate(b.received, b.adjusted),
        RATE_EXECUTION_SELF: self_rate,
        RATE_EXECUTION_FRAMEWORK: framework_rate,
        RATE_EXECUTION: framework_rate if basis == "framework" else self_rate,
        RATE_ADJUSTMENT: adjustment_rate(b.adjustment, b.initial),
    }
    return rates
