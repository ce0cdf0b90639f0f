"""Each scoring rule at its boundaries, the tree, grades, flags and rule packs."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from jixiao.scoring import Params, evaluate, load_pack, model as m, parse_value


def one(method="auto", weight=10, target=None, actual=None, *, project=None, params=None, **extra):
    """Score a single indicator; returns (row result, evaluation).

    One row is a whole table here: its 分值 is the table's maximum (a table whose weights do not add
    up to the expected total is refused, see ``test_weights_not_adding_up_are_refused``)."""
    row = {m.LEVEL1: "产出", m.LEVEL2: "产出数量", m.LEVEL3: "指标", m.WEIGHT: weight,
           m.METHOD: method, m.TARGET: target, m.ACTUAL: actual, **extra}
    params = params if isinstance(params, Params) else Params.from_mapping(params)
    try:
        params = replace(params, expected_total_weight=float(weight))
    except (TypeError, ValueError):
        pass  # an unreadable 分值 is the point of the test
    ev = evaluate(project or {}, pd.DataFrame([row]), params)
    return ev.rows.iloc[0], ev


def score(*args, **kwargs):
    r, ev = one(*args, **kwargs)
    assert ev.ok, [e.message for e in ev.errors]
    return r[m.SCORE]


def error_of(*args, **kwargs):
    r, ev = one(*args, **kwargs)
    assert not ev.ok, f"expected an error, got score {r[m.SCORE]}"
    assert ev.total is None and ev.grade is None
    return ev.errors[0]


# ----------------------------------------------------------------------------- higher is better
def test_higher_exactly_at_target_is_full():
    assert score("higher", 3, "90场", "90场") == 3


def test_higher_just_under_target_is_proportional():
    assert score("higher", 3, "90场", "89场") == pytest.approx(round(3 * 89 / 90, 2))


def test_higher_percent_target_with_excel_fraction_actual():
    assert score("auto", 10, "≥90%", 0.855) == pytest.approx(9.5)


def test_higher_explanation_partial():
    r, _ = one("higher", 3, "90场", "80场")
    assert r[m.EXPLANATION] == "完成 80场/目标 90场，完成率88.9%，未达目标，得3×88.9%=2.67分"
    assert r[m.SCORE] == 2.67
    assert r[m.COMPLETION] == pytest.approx(80 / 90)
    assert r[m.DEVIATION] == pytest.approx(-10 / 90)


def test_higher_zero_target():
    assert score("higher", 5, "0", "0") == 5
    assert score("higher", 5, "0", "3") == 5


def test_higher_negative_target_missed_scores_zero_not_ratio():
    # -10% / -5% = 2 would give "200%": the rule must not reward missing a negative target
    assert score("higher", 5, "≥-5%", "-10%") == 0
    assert score("higher", 5, "≥-5%", "-2%") == 5


def test_higher_never_exceeds_weight():
    assert score("higher", 4, "100", "250") == 4


# ----------------------------------------------------------------------------- lower is better
def test_lower_at_target_full_and_zero_at_double():
    assert score("auto", 6, "≤150.81万元", "150.81万元") == 6
    assert score("lower", 6, "≤10%", "20%") == 0
    assert score("lower", 6, "≤10%", "25%") == 0
    assert score("lower", 6, "≤10%", "15%") == pytest.approx(3)


def test_lower_inverse_option():
    assert score("lower_inverse", 6, "≤10%", "15%") == pytest.approx(4)
    assert score("lower", 6, "≤10%", "15%", params={"lower_better_mode": "inverse"}) == pytest.approx(4)


def test_lower_zero_target():
    assert score("lower", 4, "≤0", "0") == 4
    assert score("lower", 4, "≤0", "1") == 0


def test_equal_zero_target():
    assert score("equal", 2, "=0", "0") == 2
    assert score("equal", 2, "=0", "1") == 0
    assert score("auto", 2, "=100%", "100%") == 2


# ----------------------------------------------------------------------------- units
def test_unit_mismatch_is_an_error():
    err = error_of("higher", 3, "90场", "90人")
    assert "单位不一致" in err.message and err.field == m.ACTUAL


def test_percent_target_with_bare_text_actual_is_ambiguous():
    err = error_of("higher", 3, "≥90%", "95")
    assert err.field == m.ACTUAL and "若为95%，请填写“95%”" in err.message


def test_multipliers_make_units_agree():
    assert score("higher", 2, "6万份", "6.5万份") == 2
    assert score("higher", 2, "60000份", "6万份") == 2


def test_unreadable_target_is_an_error_naming_the_text():
    err = error_of("higher", 3, "约九十", "95")
    assert "约九十" in err.message and err.field == m.TARGET


# ----------------------------------------------------------------------------- qualitative
@pytest.mark.parametrize("level,points,ok", [
    ("达成年度指标", 10, True), ("达成年度指标", 8, True), ("达成年度指标", 7.99, False),
    ("部分达成年度指标并具有一定效果", 6, True), ("部分达成年度指标并具有一定效果", 7.99, True),
    ("部分达成年度指标并具有一定效果", 8, False), ("部分达成年度指标并具有一定效果", 5.99, False),
    ("未达成年度指标且效果较差", 5.99, True), ("未达成年度指标且效果较差", 6, False),
    ("未达成年度指标且效果较差", 0, True),
])
def test_qualitative_band_edges(level, points, ok):
    r, ev = one("qualitative", 10, level=level, judgement=points)
    if ok:
        assert ev.ok and r[m.SCORE] == pytest.approx(points)
    else:
        assert not ev.ok and ev.errors[0].field == m.JUDGEMENT


def test_qualitative_missing_score_takes_band_floor_and_flags():
    r, ev = one("qualitative", 10, level="达成年度指标")
    assert r[m.SCORE] == 8
    assert "missing_input" in set(ev.flag_table["kind"])


def test_qualitative_level_read_from_actual_text():
    assert score("auto", 5, "达成年度指标", "效果明显", judgement=4.5) == 4.5


# ----------------------------------------------------------------------------- other methods
def test_checklist():
    assert score("checklist", 3, judgement=0) == 3
    assert score("扣分制", 3, judgement="1+0.5") == 1.5
    assert score("checklist", 3, judgement=5) == 0
    assert error_of("checklist", 3, judgement=-1).field == m.JUDGEMENT


def test_checklist_blank_is_not_full_marks():
    r, ev = one("checklist", 3)
    assert r[m.SCORE] == 0 and "missing_input" in set(ev.flag_table["kind"])


def test_yesno():
    assert score("yesno", 2, actual="是") == 2
    assert score("yesno", 2, actual="否") == 0


def test_manual_range():
    assert score("manual", 5, judgement=3.5) == 3.5
    assert error_of("manual", 5, judgement=6).field == m.JUDGEMENT


@pytest.mark.parametrize("actual,expected", [("0%", 3), ("4.73%", 2.4), ("5%", 2.4), ("5.01%", 1.8),
                                             ("10%", 1.8), ("12%", 0)])
def test_stepped_bands(actual, expected):
    assert score("stepped", 3, actual=actual, criteria="≤0%:100%; ≤5%:80%; ≤10%:60%; 其他:0") == pytest.approx(expected)


def test_stepped_bad_criteria_is_an_error():
    assert error_of("stepped", 3, actual="3%", criteria="五以下满分").field == m.CRITERIA


def test_budget_execution_capped():
    project = {"budget": {"initial": 100, "adjusted": 100, "received": 100, "executed": 95}}
    assert score("budget_execution", 10, source="预算执行率", project=project) == 9.5
    assert score("budget_execution", 10, actual="120%") == 10
    assert score("budget_execution", 10, actual="120%", params={"budget_execution_cap": False}) == 12


def test_deadline():
    assert score("auto", 2, "2021年12月31日前", "2021年12月20日") == 2
    assert score("auto", 2, "2021年12月31日前", "2022年1月5日") == 0


def test_missing_actual_flags_and_scores_zero():
    r, ev = one("higher", 3, "90场", None)
    assert r[m.SCORE] == 0
    assert "missing_input" in set(ev.flag_table["kind"])


def test_unknown_method_is_an_error():
    assert error_of("瞎打分", 3, "90", "90").field == m.METHOD


# ----------------------------------------------------------------------------- grades
@pytest.mark.parametrize("total,grade", [(59.99, "差"), (60, "中"), (79.99, "中"), (80, "良"),
                                         (89.99, "良"), (90, "优"), (100, "优"), (0, "差")])
def test_grade_edges(total, grade):
    assert Params().grade(total) == grade


def test_grade_bands_configurable():
    p = Params.from_mapping({"等级划分（下限含）": "优:85; 良:75; 中:60"})
    assert p.grade(85) == "优" and p.grade(84.99) == "良"


# ----------------------------------------------------------------------------- tree
def frame(rows):
    cols = [m.LEVEL1, m.LEVEL2, m.LEVEL3, m.DETAIL, m.WEIGHT, m.METHOD, m.TARGET, m.ACTUAL, m.APPLICABLE]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def test_tree_rounds_rows_then_sums():
    rows = [("产出", "数量", "A", None, 1, "higher", "3", "2", None)] * 3  # 0.666.. each → 0.67
    ev = evaluate({}, frame([(r[0], r[1], f"A{i}", *r[3:]) for i, r in enumerate(rows)]),
                  {"expected_total_weight": 3})
    assert ev.total == pytest.approx(2.01)


def test_detail_rows_and_deep_tree():
    rows = [
        ("产出", "数量", "完成率", None, None, None, None, None, None),
        (None, None, None, "甲", 2, "higher", "10", "5", None),
        (None, None, None, "乙", 3, "higher", "10", "10", None),
        ("效益", "社会效益", "满意度", None, 5, "higher", "≥80%", "90%", None),
    ]
    ev = evaluate({}, frame(rows), {"expected_total_weight": 10})
    assert ev.ok
    assert ev.rows[m.KIND].tolist() == ["parent", "scored", "scored", "scored"]
    assert ev.rows[m.SCORE].tolist() == [4, 1, 3, 5]
    assert ev.total == 9
    assert ev.counts == {"一级": 2, "二级": 2, "三级": 2, "明细": 2, "不适用": 0}
    lv = ev.levels.set_index(["depth", "level1"])
    assert lv.loc[(1, "产出"), "weight"] == 5


def test_parent_weight_disagreeing_with_details_is_reported():
    rows = [("产出", "数量", "完成率", None, 6, None, None, None, None),
            (None, None, None, "甲", 2, "higher", "10", "10", None)]
    ev = evaluate({}, frame(rows), {"expected_total_weight": 2})
    assert "weights" in set(ev.flag_table["kind"])


def test_not_applicable_rows_and_renormalisation():
    rows = [("产出", "数量", "A", None, 50, "higher", "10", "5", None),
            ("产出", "数量", "B", None, 50, "higher", "10", "10", "不适用")]
    ev = evaluate({}, frame(rows))
    assert ev.rows[m.KIND].tolist() == ["scored", "na"]
    assert ev.max_total == 50
    assert ev.total == 50  # 25 / 50 × 100
    # without renormalising, 25 of 50 would be graded on the 100-point bands: refused, not graded raw
    ev_never = evaluate({}, frame(rows), {"renormalise": "never"})
    assert ev_never.total is None and ev_never.grade is None
    assert [e.field for e in ev_never.errors] == [m.WEIGHT]
    assert "适用指标分值合计50分，不是100分" in ev_never.errors[0].message


@pytest.mark.parametrize("weights", [(60, 60), (20, 10)])
def test_weights_not_adding_up_are_refused(weights):
    """A table out of 120 or 30 gets no total and no grade ("满分120…优" was a wrong result)."""
    rows = frame([("产出", "数量", "A", None, weights[0], "higher", "10", "10", None),
                  ("产出", "数量", "B", None, weights[1], "higher", "10", "10", None)])
    ev = evaluate({}, rows)
    assert ev.total is None and ev.grade is None
    (error,) = ev.errors
    assert error.field == m.WEIGHT and error.row is None
    assert f"适用指标分值合计{sum(weights)}分，不是100分" in error.message and "always" in error.message
    assert ev.rows[m.SCORE].tolist() == list(map(float, weights))  # the rows are still scored
    # asked for, the total is rescaled to 100 and the factor is stated
    ev = evaluate({}, rows, {"renormalise": "always"})
    assert ev.ok and ev.total == 100 and ev.grade == "优"
    assert any(f"{sum(weights)}×100" in msg for msg in ev.flag_table["message"])


def test_reason_flags():
    rows = frame([("产出", "数量", "A", None, 50, "higher", "10", "5", None),
                  ("产出", "数量", "B", None, 50, "higher", "10", "13", None)])
    rows[m.REASON] = [None, "目标设置偏低"]
    ev = evaluate({}, rows)
    ft = ev.flag_table.set_index("kind")
    assert ft.loc["below_full", "reason_present"] == False  # noqa: E712
    assert ft.loc["over_achievement", "reason_present"] == True  # noqa: E712
    assert "未填写原因" in ev.rows[m.WARNINGS].iloc[0]


def test_low_execution_flag():
    project = {"budget": {"initial": 100, "received": 100, "executed": 85}}
    _, ev = one("higher", 100, "1", "1", project=project)
    assert "low_execution" in set(ev.flag_table["kind"])
    assert ev.rates[m.RATE_EXECUTION_SELF] == pytest.approx(0.85)


def test_budget_text_is_an_error_naming_the_field():
    _, ev = one("higher", 100, "1", "1", project={"budget": {"initial": "一百四十四"}})
    assert ev.errors[0].field == "budget.initial"


# ----------------------------------------------------------------------------- rule packs
def test_strict_pack_deducts_for_over_achievement_and_caps_total():
    pack = load_pack("province-strict")
    r, ev = one("higher", 100, "100", "131", params=pack,
                project={"budget": {"initial": 100, "adjusted": 100, "received": 100, "executed": 75}})
    assert r[m.SCORE] == 98
    assert ev.total == 89
    assert ev.total_before_cap == 98
    assert ev.grade == "良"
    r2, _ = one("higher", 100, "100", "129", params=pack)
    assert r2[m.SCORE] == 100


def test_pack_round_trips_through_workbook_text():
    pack = load_pack("province-strict")
    assert Params.from_mapping(pack.to_text()) == pack


# ----------------------------------------------------------------------------- properties
values = st.one_of(st.integers(-1000, 10**6).map(str), st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:.2f}"),
                   st.floats(0, 200, allow_nan=False).map(lambda x: f"{x:.1f}%"))
methods = st.sampled_from(["auto", "higher", "lower", "lower_inverse", "equal", "budget_execution"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(methods, st.floats(0, 20, allow_nan=False), values, values), min_size=1, max_size=8))
def test_score_between_zero_and_weight_and_total_at_most_100(rows):
    total_w = sum(w for _, w, _, _ in rows)
    scale = 100 / total_w if total_w > 100 else 1
    df = pd.DataFrame([{m.LEVEL1: "产出", m.LEVEL2: "数量", m.LEVEL3: f"指标{i}", m.WEIGHT: round(w * scale, 2),
                        m.METHOD: meth, m.TARGET: t, m.ACTUAL: a} for i, (meth, w, t, a) in enumerate(rows)])
    ev = evaluate({}, df, {"renormalise": "never"})
    scored = ev.rows[ev.rows[m.KIND] == "scored"]
    weights = df[m.WEIGHT].astype(float)
    for i, r in scored.iterrows():
        assert 0 <= r[m.SCORE] <= weights[i] + 1e-9
    if ev.total is not None:
        assert ev.total <= 100 + 1e-9


@settings(max_examples=150, deadline=None)
@given(st.floats(0.01, 1e5), st.floats(0, 1e5), st.floats(0, 1e5), st.floats(0.1, 20))
def test_higher_is_monotonic_in_actual(target, a1, a2, weight):
    lo, hi = sorted((a1, a2))
    s_lo = score("higher", round(weight, 2), f"{target:.4f}", f"{lo:.4f}")
    s_hi = score("higher", round(weight, 2), f"{target:.4f}", f"{hi:.4f}")
    assert s_hi >= s_lo


def test_to_dict_has_no_nan():
    _, ev = one("higher", 3, "90场", "0场")
    import json
    text = json.dumps(ev.to_dict(), allow_nan=False, ensure_ascii=False)
    assert "NaN" not in text and not math.isnan(ev.total)


def test_unreadable_target_with_auto_method_names_the_target():
    err = error_of("auto", 3, "约九十", "95")
    assert err.field == m.TARGET and "约九十" in err.message


def test_yes_no_target_is_scored_as_yes_no():
    assert score("auto", 2, "是", "是") == 2
    assert score("auto", 2, "是", "否") == 0


def test_excel_true_is_not_the_number_one():
    rows = pd.DataFrame([
        {m.LEVEL1: "产出", m.LEVEL2: "数量", m.LEVEL3: "A", m.WEIGHT: 2, m.METHOD: "yesno", m.ACTUAL: True},
        {m.LEVEL1: "产出", m.LEVEL2: "数量", m.LEVEL3: "B", m.WEIGHT: 2, m.METHOD: "higher", m.TARGET: "3场", m.ACTUAL: 1},
    ])
    ev = evaluate({}, rows, {"expected_total_weight": 4})
    assert ev.ok, ev.errors
    assert ev.rows[m.SCORE].tolist() == [2, 0.67]


def test_placeholder_rows_are_skipped_but_half_filled_rows_are_errors():
    rows = frame([("产出", "数量", "A", None, 100, "higher", "10", "10", None),
                  ("产出", "数量", None, None, None, None, None, None, None),   # a spare template line
                  ("效益", "满意度", None, None, 5, None, "≥90%", None, None)])  # filled but unnamed
    ev = evaluate({}, rows)
    assert ev.rows[m.KIND].tolist() == ["scored", "blank", "error"]
    assert [e.row for e in ev.errors] == [2]


def test_a_level_with_no_indicators_under_it_is_an_error():
    """A 二级 (or 一级) written on a line of its own with no 三级 under it anywhere was ignored; the
    table then silently lacked a part of the framework."""
    rows = frame([("产出", "数量", "A", None, 100, "higher", "10", "10", None),
                  ("产出", "质量", None, None, None, None, None, None, None)])
    ev = evaluate({}, rows, {"expected_total_weight": 100})
    assert ev.total is None
    assert [(e.row, e.field) for e in ev.errors] == [(1, m.LEVEL3)]
    assert ev.errors[0].message.startswith("二级指标“质量”下没有三级指标")


def test_duplicate_sibling_names_are_an_error():
    rows = frame([("产出", "数量", "培训场数", None, 50, "higher", "10", "10", None),
                  ("产出", "数量", "培训场数", None, 50, "higher", "10", "8", None)])
    ev = evaluate({}, rows)
    assert ev.total is None
    assert [(e.row, e.field) for e in ev.errors] == [(1, m.LEVEL3)]
    assert "三级指标“培训场数”在同一二级指标下重复出现（另见第0行）" in ev.errors[0].message


@pytest.mark.parametrize("applicable", [None, "否"])
def test_an_empty_or_all_not_applicable_table_is_an_error(applicable):
    rows = frame([("产出", "数量", "A", None, 100, "higher", "10", "10", applicable)]) if applicable else \
        pd.DataFrame({c: pd.Series([], dtype=object) for c in (m.LEVEL1, m.LEVEL2, m.LEVEL3, m.WEIGHT)})
    ev = evaluate({}, rows)
    assert ev.total is None and ev.grade is None
    assert any("没有可计分的指标" in e.message for e in ev.errors)


@pytest.mark.parametrize("field,value,needle", [
    ("initial", 1e308, "超出合理范围"), ("initial", -100, "不能为负数"), ("executed", "9" * 400, "超出"),
    ("adjustment", -1e16, "超出合理范围"),
])
def test_absurd_budget_amounts_are_errors(field, value, needle):
    project = {"budget": {"initial": 100, "adjustment": 0, "adjusted": 100, "received": 100, "executed": 90,
                          field: value}}
    ev = evaluate(project, frame([("产出", "数量", "A", None, 100, "higher", "10", "10", None)]))
    assert any(e.field == f"budget.{field}" and needle in e.message for e in ev.errors), ev.errors
    assert ev.total is None


def test_a_weight_above_100_or_not_finite_is_an_error():
    for weight in (1e300, 101):
        r, ev = one("higher", weight, "10", "10")
        assert not ev.ok and ev.errors[0].field == m.WEIGHT, (weight, ev.errors)
    assert parse_value("9" * 400).kind == "invalid"


# ----------------------------------------------------------------------------- differential
from jixiao.scoring import score_indicators  # noqa: E402
from jixiao.scoring.reference import evaluate_one  # noqa: E402

quantities = st.one_of(
    st.integers(0, 5000).map(lambda x: f"{x}场"),
    st.floats(0, 150, allow_nan=False).map(lambda x: f"{x:.1f}%"),
    st.floats(0, 2, allow_nan=False).map(lambda x: round(x, 4)),  # Excel numbers
    st.sampled_from(["", None, "约九十", "90人", "6.5万场"]),
)
targets = st.one_of(
    st.integers(0, 5000).map(lambda x: f"{x}场"),
    st.integers(0, 5000).map(lambda x: f"≥{x}场"),
    st.floats(0, 120, allow_nan=False).map(lambda x: f"≥{x:.1f}%"),
    st.floats(0, 50, allow_nan=False).map(lambda x: f"≤{x:.1f}%"),
    st.sampled_from(["=0", "=100%", "达成年度指标", "是"]),
)
row_strategy = st.tuples(
    st.sampled_from(["auto", "higher", "lower", "lower_inverse", "equal", "checklist", "manual", "qualitative",
                     "stepped", "budget_execution", "yesno", "ratio"]),
    st.integers(1, 20), targets, quantities,
    st.sampled_from([None, "达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"]),
    st.one_of(st.none(), st.floats(0, 20, allow_nan=False).map(lambda x: round(x, 1))),
)


precisions = st.tuples(st.sampled_from(["half_up", "truncate"]), st.integers(0, 2))


@settings(max_examples=int(__import__("os").environ.get("JX_DIFF_EXAMPLES", 60)), deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=30), precisions)
def test_vectorised_rules_agree_with_the_plain_reference(rows, precision):
    """Two independent readings of DOMAIN.md §4, the vectorised rules and a per-row loop: the same
    errors, and otherwise the same score, 完成率, 偏离度 and explanation (evaluator deductions on
    rule-scored rows and the pack's rounding included)."""
    criteria = "≤0%:100%; ≤5%:80%; ≤10%:60%; 其他:0"
    params = Params(rounding=precision[0], decimals=precision[1])
    frame_in = pd.DataFrame([{m.WEIGHT: w, m.METHOD: meth, m.TARGET: t, m.ACTUAL: a, m.LEVEL: lv,
                              m.JUDGEMENT: j, m.CRITERIA: criteria if meth == "stepped" else None}
                             for meth, w, t, a, lv, j in rows])
    out = score_indicators(frame_in, params)
    for i, (meth, w, t, a, lv, j) in enumerate(rows):
        want = evaluate_one(meth, w, t, a, lv, j, criteria if meth == "stepped" else None, params)
        got = out.iloc[i]
        if want.reason is None and got["error"] is None:
            context = (rows[i], got.to_dict(), want)
            assert got["score"] == pytest.approx(want.score, abs=0.006), context
            assert got["completion_rate"] == pytest.approx(want.completion_rate, nan_ok=True), context
            assert got["deviation"] == pytest.approx(want.deviation, nan_ok=True), context
            assert got["explanation"] == want.explanation, context
        else:
            assert (want.reason is None) == (got["error"] is None), (rows[i], want.reason, got["error"])


def test_method_codes_cover_every_rule_and_label():
    from jixiao.scoring import model as m, rules

    assert set(rules.METHODS) == {"auto"} | set(rules.RULES) == set(m.METHOD_LABELS)
    assert len(rules.METHODS) < 128  # they are stored as int8


@settings(max_examples=60, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=12), st.lists(st.integers(0, 11), min_size=1, max_size=60))
def test_scoring_each_distinct_row_once_changes_nothing(rows, picks):
    """Rows repeated in any order (and Excel's TRUE next to the number 1) score as when scored one by one."""
    import numpy as np

    from jixiao.scoring import rules as r
    from jixiao.scoring.params import Params

    chosen = [rows[i % len(rows)] for i in picks] + [("auto", 3, True, True, None, None), ("auto", 3, 1, 1, None, None)]
    columns = {
        m.METHOD: np.array([c[0] for c in chosen], dtype=object), m.WEIGHT: np.array([c[1] for c in chosen], dtype=float),
        m.TARGET: np.array([c[2] for c in chosen], dtype=object), m.ACTUAL: np.array([c[3] for c in chosen], dtype=object),
        m.LEVEL: np.array([c[4] for c in chosen], dtype=object), m.JUDGEMENT: np.array([c[5] for c in chosen], dtype=object),
    }
    once = r.score_distinct(columns, Params(), {}, None, min_rows=0)
    each = r.score_distinct(columns, Params(), {}, None, min_rows=10**9)
    assert set(once) == set(each)
    for key in each:
        assert pd.Series(once[key]).equals(pd.Series(each[key])), key


@pytest.mark.parametrize("weights", [[1, True], [True, 1]])
def test_excel_true_is_not_read_as_the_number_one_in_any_order(weights):
    rows = pd.DataFrame({m.LEVEL1: ["产出", "产出"], m.LEVEL2: ["数量", "数量"], m.LEVEL3: ["A", "B"],
                         m.WEIGHT: pd.Series(weights, dtype=object), m.TARGET: ["10场", "10场"],
                         m.ACTUAL: ["10场", "10场"]})
    ev = evaluate({}, rows)
    number_row = 0 if type(weights[0]) is int else 1
    assert ev.rows[m.SCORE].tolist()[number_row] == 1.0
    assert [e.message for e in ev.errors] == ["分值“是”不是数字"]


def test_actuals_taken_from_the_project_rates_and_bad_sources():
    budget = {"initial": 100, "adjustment": 0, "adjusted": 100, "received": 100, "executed": 85}
    rows = pd.DataFrame({
        m.LEVEL1: ["过程"] * 4, m.LEVEL2: ["资金管理"] * 4, m.LEVEL3: ["执行率", "执行率二", "未知来源", "空白来源"],
        m.WEIGHT: [5, 5, 5, 5], m.TARGET: ["≥90%", "≥80%", "≥90%", "≥90%"],
        m.ACTUAL: [None, "1%", None, "95%"],
        m.SOURCE: [m.RATE_EXECUTION, f" {m.RATE_EXECUTION} ", "执行进度", "  "],
    })
    ev = evaluate({"budget": budget}, rows)
    assert ev.rows[m.EXPLANATION].tolist()[:2] == [
        "完成 预算执行率85%/目标 ≥90%，完成率94.4%，未达目标，得5×94.4%=4.72分",
        "完成 预算执行率85%/目标 ≥80%，完成率106.3%，达到目标，得满分5分"]
    assert [(e.row, e.field) for e in ev.errors] == [(ev.rows.index[2], m.SOURCE)]
    assert "不是可用的项目比率" in ev.errors[0].message
    assert ev.rows[m.SCORE].tolist()[3] == 5.0  # a blank source leaves the typed actual
    no_budget = evaluate({}, rows.iloc[:1])
    assert "预算数据不全" in no_budget.errors[0].message


def test_a_weight_finer_than_the_score_precision_is_refused():
    """0.0076 at full marks scores 0.01 (scores are kept to 2 decimals): 1,976 such rows added 4.7
    points to a table out of 100.  Such a 分值 is refused; at 0 decimals so is 2.5."""
    r, ev = one("higher", 0.0076, "10", "10")
    assert not ev.ok and ev.errors[0].field == m.WEIGHT and "小数位多于得分保留的2位" in ev.errors[0].message
    r, ev = one("higher", 2.5, "10", "10", params={"decimals": 0})
    assert not ev.ok and "保留的0位" in ev.errors[0].message
    assert score("higher", 2.55, "10", "10") == 2.55
