"""Findings: rule-based 问题/建议 from the engine's results; the wording comes from a data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.workbook.sample import sample_data, sample_indicators, sample_params, sample_project
from jixiao.scoring import evaluate
from jixiao.scoring import model as m
from jixiao.scoring.findings import FindingsRuleError, Sources, find, load_rules, rate_text, money_text, value_text


def _evaluate(project=None, indicators=None):
    project = project or sample_project()
    indicators = sample_indicators() if indicators is None else indicators
    return evaluate(project, indicators, sample_params()), indicators


def test_sample_findings_match_expected_exactly() -> None:
    ev, ind = _evaluate()
    found = find(ev, ind)
    expected = sample_data()["expected"]["findings"]
    assert found.titles("problem") == expected["problems"]
    assert found.titles("suggestion") == expected["suggestions"]


def test_findings_carry_numbers_rows_and_cells() -> None:
    ev, ind = _evaluate()
    sources = Sources(project={"budget.initial": "项目信息!C9", "budget.adjustment": "项目信息!C10"},
                      indicator_sheet="指标体系", indicator_columns={m.TARGET: "G", m.ACTUAL: "H", m.REASON: "N"})
    found = find(ev, ind, sources)
    budget = found.problems[0]
    assert "项目年初预算资金为144万元，年中调增6.81万元，预算调整率4.73%" in budget.text
    assert {f.source for f in budget.facts} >= {"项目信息!C9", "项目信息!C10", "项目信息!C10÷项目信息!C9"}
    over = found.suggestions[0]
    rows = ind.set_index(m.DETAIL)[m.ROW]
    assert over.rows == [rows["培训场数（融合大学堂及融合服务周）"], rows["门户网站发布信息量"]]
    assert "培训场数（融合大学堂及融合服务周）计划90场、实际完成117场，超目标30%" in over.text
    assert "门户网站发布信息量计划1500条、实际完成1922条" in over.text
    assert f"指标体系!H{rows['门户网站发布信息量']}" in over.cells


def test_evaluator_texts_first_and_not_repeated() -> None:
    ev, ind = _evaluate()
    found = find(ev, ind)
    assert found.own_problems[0].startswith("年初预算不够精准。")
    assert len(found.own_suggestions) == 2
    assert all(f.covered for f in found.problems + found.suggestions)  # the sample's evaluators wrote them all
    project = sample_project()
    project["texts"] = {**project["texts"], "problems": None, "suggestions": None}
    ev2, _ = _evaluate(project)
    fresh = find(ev2, ind)
    assert not any(f.covered for f in fresh.problems + fresh.suggestions)
    assert fresh.own_problems == [] and fresh.own_suggestions == []


def test_reasons_missing_is_a_notice_not_a_problem() -> None:
    ev, ind = _evaluate()
    notices = find(ev, ind).notices
    assert len(notices) == 1 and notices[0].title == "3项需说明原因的事项尚未填写原因"
    assert "门户网站发布信息量" in notices[0].text


def test_low_execution_missed_target_and_satisfaction() -> None:
    project = sample_project()
    project["budget"] = {**project["budget"], "executed": 120.0}
    project["reasons"] = {"adjustment": None, "execution": None}
    ind = sample_indicators()
    ind.loc[ind[m.DETAIL] == "发送政务短信数量", m.ACTUAL] = "300万条"
    ind.loc[ind[m.DETAIL] == "发送政务短信数量", m.REASON] = "疫情期间暂停发送"
    ind.loc[ind[m.LEVEL3] == "融合服务周及融合大学堂满意度", m.ACTUAL] = "75%"
    ev, _ = _evaluate(project, ind)
    found = find(ev, ind)
    titles = found.titles("problem")
    assert "部分绩效目标未完成（1项指标未达到目标值）" in titles
    assert "服务对象满意度未达到预期（融合服务周及融合大学堂满意度）" in titles
    assert "预算执行率偏低（预算执行率79.57%）" in titles
    missed = next(f for f in found.problems if f.rule == "targets_missed")
    assert "发送政务短信数量计划380万条、实际完成300万条，完成率78.9%，原因：疫情期间暂停发送" in missed.text
    low = next(f for f in found.problems if f.rule == "low_execution")
    assert "未说明执行率偏低的原因" in low.text
    assert "加快预算执行进度，提高资金使用效益" in found.titles("suggestion")


def test_wording_is_data(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - when: over_achievement\n"
        "    problem: {title: '绩效目标设置偏低（{names}）'}\n"
        "  - when: budget_adjusted\n"
        "    options: {min_rate: 0.05}\n"
        "    problem: {title: '预算调整较大（{rate}）'}\n", encoding="utf-8")
    ev, ind = _evaluate()
    found = find(ev, ind, rules=load_rules(rules))
    assert found.titles("problem") == ["绩效目标设置偏低（培训场数（融合大学堂及融合服务周）、门户网站发布信息量）"]
    assert found.suggestions == []


def test_bad_rules_speak_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - when: budget_adjusted\n    problem: {title: '调整{nonsense}'}\n", encoding="utf-8")
    ev, ind = _evaluate()
    with pytest.raises(FindingsRuleError, match="未知的占位符"):
        find(ev, ind, rules=load_rules(bad))
    bad.write_text("rules:\n  - when: no_such_thing\n", encoding="utf-8")
    with pytest.raises(FindingsRuleError, match="未知的条件"):
        load_rules(bad)


@pytest.mark.parametrize("value, text", [(0.0472916, "4.73%"), (1.0, "100%"), (0.955, "95.5%")])
def test_rates_as_people_write_them(value: float, text: str) -> None:
    assert rate_text(value) == text


def test_money_and_values_as_people_write_them() -> None:
    assert money_text(150.81) == "150.81万元" and money_text(144) == "144万元"
    assert value_text("≥80%", target=True) == "不低于80%"
    assert value_text("=100%", target=True) == "100%"
    assert value_text(0.95, percent=True) == "95%"
    assert value_text("6.5万份") == "6.5万份"


def test_dates_and_yes_no_as_people_write_them() -> None:
    import datetime as dt

    import pandas as pd

    from jixiao.scoring.findings import pair_style, plain_text, project_year

    assert value_text(dt.datetime(2023, 12, 20), year=2023) == "12月20日"
    assert value_text(dt.datetime(2023, 12, 20), year=2021) == "2023年12月20日"
    assert value_text(pd.Timestamp("2023-12-20"), year=2023) == "12月20日"
    assert value_text("2023-12-20 00:00:00", year=2023) == "12月20日"
    assert value_text(dt.date(2024, 1, 5)) == "2024年1月5日"
    assert value_text(True) == "是" and value_text("是") == "是"
    assert value_text(0.8500000001) == "0.85" and value_text(0.8500000001, percent=True) == "85%"
    assert plain_text(float("nan")) == "" and plain_text(None) == "" and plain_text(pd.NaT) == ""
    assert plain_text(2021.0) == "2021" and plain_text(" 已建立 ") == "已建立"
    assert project_year({"year": "2023年度"}) == 2023 and project_year({"year": 2021.0}) == 2021
    assert project_year({}) is None
    assert pair_style("12月31日前", dt.datetime(2023, 12, 20), "deadline") == "date"
    assert pair_style("是", "是", "yesno") == "yesno"
    assert pair_style("建立", "已建立", "yesno") == "words"
    assert pair_style("≤500万元", "422万元", "lower") == "lower"
    assert pair_style("≤5%", "4.22%", "auto") == "lower"
    assert pair_style("90场", "117场", "higher") == "number"


def test_a_budget_cut_is_an_adjustment_with_a_positive_rate() -> None:
    project = sample_project()
    project["budget"] = {**project["budget"], "initial": 2400.0, "adjustment": -100.0, "adjusted": None}
    ev, ind = _evaluate(project)
    budget = next(f for f in find(ev, ind).problems if f.rule == "budget_adjusted")
    assert budget.title == "年初预算不够精准（预算调整率4.17%）"
    assert "年中调减100万元，预算调整率4.17%" in budget.text and "-" not in budget.text


def test_a_reverse_satisfaction_row_that_beat_its_cap_is_not_a_problem() -> None:
    ind = sample_indicators()
    row = ind[m.LEVEL3] == "融合服务周及融合大学堂满意度"
    ind.loc[row, m.LEVEL3] = "服务对象不满意率"
    ind.loc[row, m.METHOD] = "反向指标（越低越好）"
    ind.loc[row, m.TARGET] = "≤5%"
    ind.loc[row, m.ACTUAL] = "4.22%"
    ev, _ = _evaluate(indicators=ind)
    assert ev.rows.loc[row.to_numpy(), m.COMPLETION].iloc[0] == pytest.approx(0.844)
    assert not any(f.rule == "satisfaction_below" for f in find(ev, ind).problems)
    ind.loc[row, m.ACTUAL] = "6%"  # over the cap: a shortfall, in words that fit a ≤ target
    ev, _ = _evaluate(indicators=ind)
    below = next(f for f in find(ev, ind).problems if f.rule == "satisfaction_below")
    assert "服务对象不满意率计划不超过5%、实际6%" in below.text
