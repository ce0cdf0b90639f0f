"""The built-in sample, fed to the engine as plain data, reproduces every number under `expected`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jixiao.workbook.sample import sample_data, sample_indicators, sample_params, sample_project
from jixiao.scoring import evaluate, model as m
from jixiao.scoring.text import pct_text

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference" / "sample-2021-laisui.yaml"


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(sample_project(), sample_indicators(), sample_params())


@pytest.fixture(scope="module")
def expected():
    return sample_data()["expected"]


def test_packaged_sample_is_the_shared_reference():
    if not SHARED.exists():
        pytest.skip("shared/reference not beside this checkout")
    shared = yaml.safe_load(SHARED.read_text(encoding="utf-8"))
    packaged = sample_data()
    for key in ("project", "indicators", "detail_rows_of_实际完成率", "parameters", "expected"):
        assert packaged[key] == shared[key], key


def test_total_and_grade(evaluation, expected):
    assert evaluation.ok, evaluation.errors
    assert evaluation.total == pytest.approx(expected["total"])
    assert evaluation.grade == expected["grade"]


def test_counts(evaluation, expected):
    for level, count in expected["counts"].items():
        assert evaluation.counts[level] == count


def test_level1_subtotals(evaluation, expected):
    lv1 = evaluation.levels[evaluation.levels["depth"] == 1].set_index("level1")
    for name, score in expected["scores"].items():
        assert lv1.loc[name, "score"] == pytest.approx(score)
    assert lv1["weight"].sum() == pytest.approx(100)


def test_budget_rates(evaluation, expected):
    b = expected["budget"]
    assert evaluation.budget.completed().adjusted == pytest.approx(b["adjusted_budget"])
    assert pct_text(evaluation.rates[m.RATE_ADJUSTMENT], 2) == b["adjustment_rate"]
    assert f"{evaluation.rates[m.RATE_EXECUTION]:.0%}" == b["execution_rate"]
    assert f"{evaluation.rates[m.RATE_FUNDS_RECEIVED]:.0%}" == b["funds_received_rate"]


def test_completion_rates_of_the_seven_outputs(evaluation, expected):
    ind = sample_indicators()
    details = ind[ind[m.DETAIL].notna()]
    rates = [pct_text(evaluation.rows.loc[i, m.COMPLETION]) for i in details.index]
    assert rates == list(expected["completion_rates"].values())


def test_over_achievement_flags(evaluation, expected):
    over = evaluation.flag_table[evaluation.flag_table["kind"] == "over_achievement"]
    assert list(over["indicator"]) == expected["over_achievement_flags"]
    assert over["reason_required"].all()


def test_explanation_reads_like_a_person_wrote_it(evaluation):
    ind = sample_indicators()
    row = ind.index[ind[m.DETAIL] == "培训场数（融合大学堂及融合服务周）"][0]
    text = evaluation.rows.loc[row, m.EXPLANATION]
    assert text == "完成 117场/目标 90场，完成率130.0%，达到目标，得满分3分；超目标30.0%，需说明原因"


def test_parent_row_is_sum_of_details(evaluation):
    ind = sample_indicators()
    parent = ind.index[(ind[m.LEVEL3] == "实际完成率") & ind[m.DETAIL].isna()][0]
    assert evaluation.rows.loc[parent, m.KIND] == "parent"
    assert evaluation.rows.loc[parent, m.SCORE] == pytest.approx(17)


def test_budget_adjustment_is_flagged(evaluation):
    kinds = set(evaluation.flag_table["kind"])
    assert "budget_adjusted" in kinds
    assert "low_execution" not in kinds


def test_to_dict_is_plain_json(evaluation):
    import json

    data = json.loads(json.dumps(evaluation.to_dict(), ensure_ascii=False))
    assert data["total"] == pytest.approx(98.4)
    assert data["grade"] == "优"
    assert len(data["rows"]) == len(sample_indicators())
