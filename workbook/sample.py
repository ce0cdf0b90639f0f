"""The built-in sample evaluation (全市来穗人员服务项目, 2021) as plain engine input.

The YAML shipped in ``jixiao/data`` is the single source: the engine tests feed it to
``evaluate`` directly, and the workbook builder writes the same rows into a workbook.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from ..scoring import model as m

SAMPLE_FILE = "sample-2021-laisui.yaml"

# YAML method names → engine method ids; "detail_rows" marks a 三级 row scored from its details
_METHODS = {
    "checklist": "checklist",
    "ratio_higher_better": "higher",
    "ratio_lower_better": "lower",
    "stepped": "stepped",
    "qualitative": "qualitative",
    "detail_rows": None,
}
# "computed from budget" rows take their actual from the project rate of the same name
_RATE_ROWS = {"资金到位率": m.RATE_FUNDS_RECEIVED, "预算执行率": m.RATE_EXECUTION, "预算调整率": m.RATE_ADJUSTMENT}


@lru_cache(maxsize=1)
def sample_data() -> dict[str, Any]:
    text = resources.files("jixiao.workbook").joinpath(SAMPLE_FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def sample_project(data: dict[str, Any] | None = None) -> dict[str, Any]:
    data = data or sample_data()
    p = data["project"]
    b = p["budget_wan"]
    return {
        "name": p["name"], "year": p["year"], "department": p["department"], "unit": p["unit"],
        "kind": p["evaluation_kind"], "project_type": p.get("project_type"),
        "budget": {
            "initial": b["initial"], "adjustment": b["adjustment"],
            "adjusted": b["initial"] + b["adjustment"],
            "received": b["funds_received"], "executed": b["executed"],
        },
        "reasons": {"adjustment": "年中根据工作需要及政策变动调增项目资金"},
        # the report's own paragraphs (top-level ``texts:``) replace the pointers under project.texts
        "texts": {**(p.get("texts") or {}), **{k: str(v).strip() for k, v in (data.get("texts") or {}).items()}},
    }


def sample_indicators(data: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per YAML indicator; 实际完成率 followed by its seven detail rows."""
    data = data or sample_data()
    details = data["detail_rows_of_实际完成率"]
    rows: list[dict[str, Any]] = []
    for l1, l2, l3, method, weight, *rest in data["indicators"]:
        extra = rest[0] if rest else {}
        row: dict[str, Any] = {m.LEVEL1: l1, m.LEVEL2: l2, m.LEVEL3: l3, m.WEIGHT: weight}
        mid = _METHODS[method]
        if mid is None:
            rows.append(row)
            for name, dweight, target, actual in details:
                rows.append({m.LEVEL1: l1, m.LEVEL2: l2, m.LEVEL3: l3, m.DETAIL: name, m.WEIGHT: dweight,
                             m.METHOD: "higher", m.TARGET: target, m.ACTUAL: actual})
            continue
        row[m.METHOD] = mid
        if "deductions" in extra:
            row[m.JUDGEMENT] = extra["deductions"]
        if "score" in extra:
            row[m.JUDGEMENT] = extra["score"]
        if "level" in extra:
            row[m.LEVEL] = extra["level"]
        if "bands" in extra:
            row[m.CRITERIA] = extra["bands"]
        if "target" in extra:
            row[m.TARGET] = extra["target"]
        actual = extra.get("actual")
        if actual == "computed from budget":
            row[m.SOURCE] = _RATE_ROWS[l3]
        elif actual is not None:
            row[m.ACTUAL] = actual
        if "reason" in extra:
            row[m.REASON] = extra["reason"]
        elif "note" in extra:
            row[m.REASON] = extra["note"]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c for c in m.INPUT_COLUMNS if c != m.ROW])
    frame.insert(0, m.ROW, range(1, len(frame) + 1))
    return frame.astype(object).where(frame.notna(), None)


def sample_params(data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The sample's parameters in ``Params.from_mapping`` form."""
    data = data or sample_data()
    p = data.get("parameters") or {}
    out: dict[str, Any] = {}
    if "grade_bands" in p:
        out["grade_bands"] = p["grade_bands"]
    if "over_achievement_flag" in p:
        out["over_achievement_threshold"] = p["over_achievement_flag"]
    return out
