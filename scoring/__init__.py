"""The scoring engine: pure Python (pandas/numpy in, dataclasses/DataFrames out), no workbook, no files.

Public API
----------
``parse_value(value) -> ParsedValue`` and ``parse_series(series) -> DataFrame``
    Read a target or actual as people type it ("≥90%", "6.5万份", "12月底前", "达成年度指标").
``evaluate(project, indicators, params=None) -> Evaluation``
    Score one evaluation: per-row results, subtotals per level, total, grade, rates, flags.
``Params`` / ``load_pack(name)``
    The rule pack (grade bands, thresholds, options); ``Params.from_mapping`` reads a dict/YAML.

The indicator DataFrame (column names are constants in ``jixiao.scoring.model``)
--------------------------------------------------------------------------------
==============  ======================================================================================
``row``         where the row came from (the Excel row number); quoted back in flags and errors
``level1``      一级指标 (blank = same as the row above, as with merged cells)
``level2``      二级指标 (blank = same as the row above)
``level3``      三级指标
``detail``      明细指标 name under a 三级 indicator, blank otherwise. A 三级 indicator that has detail
                rows scores the sum of their scores, and its 分值 is the sum of theirs; its own row
                (blank ``detail``) is optional and carries no inputs.
``weight``      分值 (number)
``method``      评分方法: a method id or its Chinese label (``model.METHOD_LABELS``); blank = auto:
                ≥/> or no comparator → higher, ≤/< → lower, = → equal, a date → deadline,
                评分标准 given → stepped, a qualitative level → qualitative, 是/否 → yesno,
                only an evaluator's score → manual
``target``      目标值, text or number as typed
``actual``      实际值, text or number as typed (an Excel number next to a % target is a fraction)
``source``      比率来源: blank, or a project rate name (``model.SOURCE_RATES``) that replaces actual
``criteria``    评分标准 for the stepped method: "≤0%:100%; ≤5%:80%; ≤10%:60%; 其他:0"
``level``       定性档次: 达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差
``judgement``   评价人打分 (qualitative, manual) or 扣分 (checklist; "1+0.5" is summed)
``applicable``  适用: blank/是 = scored; 否/不适用/False = not scored
``reason``      偏差原因: required (flagged when blank) for partial scores and over-achievement
==============  ======================================================================================
Only ``level1``, ``level2``, ``level3`` and ``weight`` are required; missing optional columns are blank.

The project mapping
-------------------
``{"name", "year", "department", "unit", "kind": "部门评价"|"单位自评"|"财政评价",
"budget": {"initial", "adjustment", "adjusted", "received", "executed"}  (万元; numbers or numeric text),
"reasons": {"adjustment": str, "execution": str}}`` — all keys optional.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao._lazy import lazy_exports

if TYPE_CHECKING:
    from .engine import Evaluation, evaluate, score_indicators
    from .model import Flag, InputError
    from .params import Params, ParamsError, available_packs, load_pack
    from .values import ParsedValue, parse_series, parse_value

# Public name → the module that defines it.  Resolved on first use (PEP 562), so that importing a
# light module such as ``jixiao.scoring.model`` does not pull in pandas and numpy.
_EXPORTS = {
    "Evaluation": "engine", "evaluate": "engine", "score_indicators": "engine",
    "Flag": "model", "InputError": "model",
    "Params": "params", "ParamsError": "params", "available_packs": "params", "load_pack": "params",
    "ParsedValue": "values", "parse_series": "values", "parse_value": "values",
}
__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
