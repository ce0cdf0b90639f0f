"""Issue #12, point 3: the scoring practices of real published tables, expressible without code.

Each variant is a rule-pack parameter (评分参数) or a method a user picks per row; each says what it
did in 评分说明, and the engine, the worksheet functions (``score_indicators``), the workbook
refresh and the audit count it the same way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from jixiao import cli
from jixiao.scoring import Params, evaluate, score_indicators
from jixiao.scoring import model as m
from jixiao.workbook import layout as L
from jixiao.workbook.refresh import default_output

from test_workbook_support import indicator_col, write_sample


def table(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {m.LEVEL1: "产出", m.LEVEL2: "产出数量"}
    return pd.DataFrame([{**base, m.LEVEL3: f"指标{i}", **r} for i, r in enumerate(rows)])


def one(row: dict[str, Any], **params: Any) -> tuple[pd.Series, Any]:
    params.setdefault("expected_total_weight", row[m.WEIGHT])
    ev = evaluate({"year": 2021}, table(row), params)
    return ev.rows.iloc[0], ev


# ------------------------------------------------------------------ rounding
@pytest.mark.parametrize("rounding,decimals,score,note", [
    ("截尾", 0, 9, "按规则包截尾取整（9.8→9），计9分"),
    ("四舍五入", 0, 10, "按规则包四舍五入取整（9.8→10），计10分"),
    ("截尾", 1, 9.8, None),  # 9.8 needs no cutting at one decimal
    ("四舍五入", 2, 9.8, None),
])
def test_rounding_mode_and_decimals(rounding: str, decimals: int, score: float, note: str | None) -> None:
    row = {m.WEIGHT: 10, m.TARGET: "=100%", m.ACTUAL: "98%"}
    r, ev = one(row, 得分取舍方式=rounding, 得分保留小数位=decimals)
    assert ev.ok and r[m.SCORE] == score
    assert (note in r[m.EXPLANATION]) if note else ("按规则包" not in r[m.EXPLANATION])
    # the worksheet functions round the same way
    udf = score_indicators(table(row), Params.from_mapping({"得分取舍方式": rounding, "得分保留小数位": decimals}))
    assert udf["score"].iloc[0] == score and udf["explanation"].iloc[0] == r[m.EXPLANATION]


def test_truncation_never_loses_a_whole_score_to_binary_noise() -> None:
    r, _ = one({m.WEIGHT: 20, m.TARGET: "≥100%", m.ACTUAL: "98%"}, rounding="truncate", decimals=1)
    assert r[m.SCORE] == 19.6  # 20 × 0.98 = 19.599999… in binary


def test_decimals_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match="得分保留小数位应为0–4"):
        Params.from_mapping({"decimals": -3})


# ------------------------------------------------------------------ evaluator deduction on a rule row
def test_evaluator_deduction_on_a_met_quantitative_row() -> None:
    row = {m.WEIGHT: 10, m.TARGET: "≥90%", m.ACTUAL: "95%", m.JUDGEMENT: 3}
    r, ev = one(row)
    assert ev.ok and r[m.SCORE] == 7
    assert "达到目标，得满分10分；评价人扣3分（理由见偏差原因），得7分" in r[m.EXPLANATION]
    (flag,) = [f for f in ev.flags if f.kind == "below_full"]
    assert flag.reason_required and not flag.reason_present  # the reason is asked for
    r, ev = one({**row, m.REASON: "资料不完整"})
    assert [f.reason_present for f in ev.flags if f.kind == "below_full"] == [True]


def test_evaluator_deduction_has_a_floor_and_no_negative() -> None:
    r, _ = one({m.WEIGHT: 10, m.TARGET: "≥90%", m.ACTUAL: "45%", m.JUDGEMENT: 8})
    assert r[m.SCORE] == 0  # 5 − 8 floors at 0
    _, ev = one({m.WEIGHT: 10, m.TARGET: "≥90%", m.ACTUAL: "95%", m.JUDGEMENT: -2})
    assert [(e.field, e.message) for e in ev.errors] == [(m.JUDGEMENT, "评价人扣分不能为负数")]


# ------------------------------------------------------------------ 按实际比率计分
def test_score_by_the_actual_rate_whatever_the_target() -> None:
    r, ev = one({m.WEIGHT: 20, m.METHOD: "按实际比率计分", m.TARGET: "≥95%", m.ACTUAL: "98%"})
    assert ev.ok and r[m.SCORE] == 19.6 and r[m.METHOD_USED] == "ratio"
    assert r[m.EXPLANATION] == "按实际比率计分：实际98.00%，得20×98.00%=19.6分"
    r, _ = one({m.WEIGHT: 20, m.METHOD: "按实际比率计分", m.ACTUAL: "105%"})
    assert r[m.SCORE] == 20  # capped at 分值
    _, ev = one({m.WEIGHT: 20, m.METHOD: "按实际比率计分", m.ACTUAL: 98})
    assert "若为98%，请填写“98%”" in ev.errors[0].message  # 98 typed bare is not 9800%


# ------------------------------------------------------------------ 加分项
def _with_bonus(bonus: float, **params: Any):
    rows = table({m.WEIGHT: 100, m.TARGET: "≥90%", m.ACTUAL: "95%"},
                 {m.METHOD: "加分项", m.JUDGEMENT: bonus, m.REASON: "获省级表彰"})
    return evaluate({}, rows, params)


def test_bonus_rows_are_refused_unless_the_pack_allows_them() -> None:
    ev = _with_bonus(2)
    assert ev.total is None
    assert "规则包未允许加分" in ev.errors[0].message and ev.errors[0].field == m.METHOD


def test_bonus_points_within_the_cap_and_the_maximum() -> None:
    ev = _with_bonus(2, 加分上限=3)
    assert ev.ok and ev.max_total == 100 and ev.total == 100  # 100 + 2, held at the maximum
    assert any("加分后总分102分，以满分100分为限" in f.message for f in ev.flags)
    ev = _with_bonus(2, bonus_cap=3, total_may_exceed_max=True)
    assert ev.total == 102 and ev.rows[m.SCORE].tolist() == [100, 2]
    assert ev.rows[m.EXPLANATION].iloc[1] == "加分项：评价人加2分"
    ev = _with_bonus(5, bonus_cap=3, total_may_exceed_max=True)
    assert ev.total == 103
    assert any("加分项合计5分，超过加分上限3分，按3分计入总分" in f.message for f in ev.flags)


# ------------------------------------------------------------------ deadlines late by days
@pytest.mark.parametrize("finished,score,days", [(dt.date(2021, 12, 31), 6, None), (dt.date(2022, 1, 20), 4.8, "20"),
                                                 (dt.date(2022, 2, 15), 3.6, "46"), (dt.date(2022, 4, 1), 0, "91")])
def test_deadline_partial_credit_per_days_late(finished: dt.date, score: float, days: str | None) -> None:
    row = {m.WEIGHT: 6, m.TARGET: "12月31日前", m.ACTUAL: finished, m.CRITERIA: "≤30天:80%; ≤60天:60%; 其他:0"}
    r, ev = one(row)
    assert ev.ok and r[m.METHOD_USED] == "deadline" and r[m.SCORE] == score
    if days:
        assert f"逾期{days}天" in r[m.EXPLANATION]
    _, ev = one({**row, m.CRITERIA: "≤1个月:80%; 其他:0"})
    assert "须按逾期天数分段" in ev.errors[0].message


def test_a_missed_deadline_without_criteria_still_scores_zero() -> None:
    r, _ = one({m.WEIGHT: 6, m.TARGET: "12月31日前", m.ACTUAL: dt.date(2022, 1, 3)})
    assert r[m.SCORE] == 0


# ------------------------------------------------------------------ grade words
def test_grade_words_per_pack() -> None:
    params = {"等级划分（下限含）": "优秀:90; 良好:80; 合格:60", "最低等级": "不合格"}
    for actual, grade in (("95%", "优秀"), ("85%", "良好"), ("65%", "合格"), ("50%", "不合格")):
        ev = evaluate({}, table({m.WEIGHT: 100, m.TARGET: "≥100%", m.ACTUAL: actual}), params)
        assert ev.grade == grade


# ------------------------------------------------------------------ through the workbook
def _param_rows(ws: Any) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def test_variants_set_in_the_workbook(tmp_path: Path, capsys) -> None:
    """评分参数 set as a user would (Chinese words), a deduction typed on a rule row: the refreshed,
    re-read workbook shows the pack's precision, the deduction and the grade words."""
    path = write_sample(tmp_path / "评价.xlsx")
    wb = load_workbook(path)
    ps = wb[L.SHEET_PARAMS]
    rows = _param_rows(ps)
    for label, value in (("得分取舍方式", "截尾"), ("得分保留小数位", 0), ("等级划分（下限含）", "优秀:90; 良好:80; 合格:60"),
                         ("最低等级", "不合格")):
        ps.cell(rows[label], 2).value = value
    ws = wb[L.SHEET_INDICATORS]
    target = next(r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)
                  if ws.cell(r, indicator_col(m.LEVEL3)).value == "融合服务周及融合大学堂满意度")
    ws.cell(target, indicator_col(m.JUDGEMENT)).value = 2.5
    ws.cell(target, indicator_col(m.REASON)).value = "问卷样本量不足"
    wb.save(path)

    assert cli.main(["refresh", str(path)]) == 0
    capsys.readouterr()
    out = load_workbook(default_output(path), data_only=True)
    ws = out[L.SHEET_INDICATORS]
    assert ws.cell(target, indicator_col(m.SCORE)).value == 9  # 12 − 2.5 = 9.5, cut to whole points
    explanation = ws.cell(target, indicator_col(m.EXPLANATION)).value
    assert "评价人扣2.5分（理由见偏差原因），得9.5分；按规则包截尾取整（9.5→9），计9分" in explanation
    summary = [c.value for row in out[L.SHEET_SUMMARY].iter_rows() for c in row if c.value is not None]
    assert "优秀" in summary and "优" not in summary


# ------------------------------------------------------------------ block weights
def _blocks_table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame([{m.ROW: i + 3, m.LEVEL1: a, m.LEVEL2: b, m.LEVEL3: c, m.WEIGHT: w, m.TARGET: t, m.ACTUAL: x}
                         for i, (a, b, c, w, t, x) in enumerate(rows)])


def test_block_weights_in_names_and_block_rows_are_shared_out() -> None:
    ev = evaluate({}, _blocks_table([
        ("产出指标(50分)", "数量指标", "A", None, "≥10场", "10场"),
        (None, None, "B", None, "≥10场", "8场"),
        (None, "质量指标", "C", None, "≥90%", "95%"),
        ("效益指标（40分）", "社会效益", "D", 25, "≥90%", "95%"),  # a weight given: the rest is shared
        (None, None, "E", None, "≥90%", "95%"),
        ("满意度", None, None, 10, None, None),  # a block row: 一级, a 分值, nothing else
        (None, "满意度", "F", None, "≥90%", "95%"),
    ]))
    assert ev.ok and ev.max_total == 100
    rows = ev.rows
    assert rows[m.KIND].tolist() == ["scored"] * 5 + ["blank", "scored"]
    # 50 in three equal parts to 0.01, the remainder on the last: they add up exactly
    assert rows[m.SCORE].tolist()[:5] == [16.67, 13.34, 16.66, 25, 15]
    assert "分值由“产出指标(50分)”在3项未填分值的指标间平均分配，本项16.66分（尾差计入本项）" in rows[m.EXPLANATION][2]
    assert "分值由“效益指标（40分）”在1项未填分值的指标间平均分配，本项15分" in rows[m.EXPLANATION][4]
    assert rows[m.SCORE][6] == 10
    assert ev.total == 96.67 and ev.grade == "优"
    assert list(ev.levels[ev.levels["depth"] == 1]["level1"]) == ["产出指标", "效益指标", "满意度"]
    assert "一级指标“产出指标(50分)”读作“产出指标”，分值50分" in set(ev.flag_table["message"])


def test_block_weights_that_disagree_with_their_rows_are_an_error() -> None:
    ev = evaluate({}, _blocks_table([
        ("产出指标(50分)", "数量指标", "A", 30, "≥10场", "10场"),
        (None, None, "B", 30, "≥10场", "10场"),
        ("效益指标", "社会效益", "C", 40, "≥90%", "95%"),
    ]))
    assert ev.total is None
    assert any(e.field == m.WEIGHT and "“产出指标”的分值50分与其下各指标分值合计60分不一致" in e.message for e in ev.errors)


def test_block_weights_in_the_workbook(tmp_path: Path, capsys) -> None:
    """效益 written "效益（30分）" with its rows' 分值 left blank: shared out equally, the same total."""
    path = write_sample(tmp_path / "评价.xlsx")
    wb = load_workbook(path)
    ws = wb[L.SHEET_INDICATORS]
    rows = [r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, indicator_col(m.LEVEL1)).value == "效益"]
    first = rows[0]
    ws.cell(first, indicator_col(m.LEVEL1)).value = "效益（30分）"
    block = [r for r in range(first, ws.max_row + 1) if ws.cell(r, indicator_col(m.LEVEL3)).value]
    for r in block:
        ws.cell(r, indicator_col(m.WEIGHT)).value = None
    wb.save(path)
    assert cli.main(["refresh", str(path)]) == 0
    capsys.readouterr()
    out = load_workbook(default_output(path), data_only=True)
    ws = out[L.SHEET_INDICATORS]
    assert [ws.cell(r, indicator_col(m.SCORE)).value for r in block] == [10, 10, 10]
    assert all("分值由“效益（30分）”在3项未填分值的指标间平均分配" in ws.cell(r, indicator_col(m.EXPLANATION)).value
               for r in block)
    assert out[L.SHEET_SUMMARY]["B4"].value == pytest.approx(98.4)
    notes = [c.value for row in out[L.SHEET_SUMMARY].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("一级指标“效益（30分）”读作“效益”" in t for t in notes), notes
