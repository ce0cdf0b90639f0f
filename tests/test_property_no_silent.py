"""Issue #12, point 6: no silent wrong number, as a property.

Tables are generated from valid rows with the defects real tables carry mixed in at random places.
Every row must end as exactly one of: the score the rule gives for what the person meant (checked
against the plain per-row reference on the meant spelling), or an error naming that row and the
field to fix — and while any error remains there is no total and no grade.  Never another number.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from jixiao.scoring import Params, evaluate
from jixiao.scoring import model as m
from jixiao.scoring.reference import evaluate_one

# (target, actual) typed well: scored by the rule as written
VALID = [("≥90%", "95%"), ("≥90%", "85%"), ("≤5%", "4.73%"), ("≤5%", "7%"), ("117场", "120场"), ("≥6万份", "5.5万份"),
         ("≤150万元", "160万元"), ("=100%", "100%"), ("是", "是"), ("达成年度指标", "达成年度指标")]
# typed as real tables do, but read as meant by a documented rule: (typed, meant)
READ_AS_MEANT = [(("═100%", "98%"), ("=100%", "98%")), (("﹦100%", "100%"), ("=100%", "100%")),
                 (("≧90%", "95%"), ("≥90%", "95%")), (("不得低于90%", "95%"), ("≥90%", "95%")),
                 (("≥90%", 0.85), ("≥90%", "85%")),  # a percent cell's fraction
                 (("建立", "已建立"), ("是", "是")), (("健全", "未健全"), ("是", "否"))]
# typed so that any number would be a guess: an error on this field
REFUSED = [(("≥90%", 85), m.ACTUAL), (("≥90%", 91.2), m.ACTUAL), (("≥90%", "85"), m.ACTUAL),
           (("≤90万元", 90), m.ACTUAL), (("▲100%", "100%"), m.TARGET), (("约九十", "95"), m.TARGET),
           (("≥95%", 1.05), m.ACTUAL)]

kinds = st.sampled_from(["valid", "meant", "refused", "orphan"])
row_st = st.tuples(kinds, st.integers(0, 100), st.integers(1, 20))


def _meaning(kind: str, pick: int) -> tuple[Any, Any, Any]:
    """(typed target, typed actual, what must happen: ("score", meant target, meant actual) or ("error", field))."""
    if kind == "valid":
        t, a = VALID[pick % len(VALID)]
        return t, a, ("score", t, a)
    if kind == "meant":
        (t, a), (mt, ma) = READ_AS_MEANT[pick % len(READ_AS_MEANT)]
        return t, a, ("score", mt, ma)
    (t, a), field = REFUSED[pick % len(REFUSED)]
    return t, a, ("error", field)


@settings(max_examples=120, deadline=None)
@given(st.lists(row_st, min_size=1, max_size=25))
def test_every_row_is_read_as_meant_or_refused_by_name(rows: list[tuple[str, int, int]]) -> None:
    records, expected = [], []
    for i, (kind, pick, weight) in enumerate(rows):
        row_id = i + 3  # as Excel rows
        base = {m.ROW: row_id, m.LEVEL1: "产出", m.LEVEL2: f"二级{i}", m.WEIGHT: weight}
        if kind == "orphan":  # a 明细 row whose 三级 has no row of its own
            t, a = VALID[pick % len(VALID)]
            records.append({**base, m.LEVEL3: f"无此三级{i}", m.DETAIL: f"明细{i}", m.TARGET: t, m.ACTUAL: a})
            expected.append(("error", m.DETAIL))
            continue
        t, a, outcome = _meaning(kind, pick)
        records.append({**base, m.LEVEL3: f"指标{i}", m.TARGET: t, m.ACTUAL: a})
        expected.append(outcome)
    params = Params(expected_total_weight=float(sum(w for _, _, w in rows)))
    ev = evaluate({}, pd.DataFrame(records), params)
    errors = {(e.row, e.field) for e in ev.errors}
    for (kind, _, weight), record, outcome, (_, result) in zip(rows, records, expected, ev.rows.iterrows()):
        context = (kind, record, outcome, result[m.SCORE], result[m.EXPLANATION])
        if outcome[0] == "error":
            assert (record[m.ROW], outcome[1]) in errors, context
            assert result[m.KIND] == "error" and result[m.SCORE] != result[m.SCORE], context  # NaN: no number
        else:
            want = evaluate_one("auto", weight, outcome[1], outcome[2])
            assert want.reason is None, (context, want)
            assert result[m.KIND] == "scored", context
            assert result[m.SCORE] == pytest.approx(want.score, abs=0.006), (context, want)
    if any(o[0] == "error" for o in expected):
        assert ev.total is None and ev.grade is None
    else:
        assert ev.ok and ev.total == pytest.approx(round(sum(ev.rows[m.SCORE]), 2), abs=0.011)
