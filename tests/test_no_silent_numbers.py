"""Issue #12, point 1: no confident wrong number on real tables.

Every case that once gave a number nobody meant is written into the sample workbook as a user
would type it, refreshed through the command line, and checked on the re-read output (and, where
the self-evaluation audit reads the same thing, on ``audit`` too).  Each ends as exactly one of:
the value read as meant, a documented rule shown in 评分说明, or a Chinese error naming sheet!cell
with a suggestion.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from openpyxl import load_workbook

from jixiao import cli
from jixiao.scoring import model as m
from jixiao.workbook import layout as L
from jixiao.workbook.refresh import default_output
from jixiao.workbook.selfeval import audit_file
from jixiao.workbook.selfeval.samples import Indicator, clean_spec, write_table

from test_workbook_support import indicator_col, write_sample


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "评价.xlsx")


def _col(cid: str) -> str:
    return L.column_letter(indicator_col(cid))


def _row_of(ws: Any, name: str) -> int:
    for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        if name in (ws.cell(r, indicator_col(m.LEVEL3)).value, ws.cell(r, indicator_col(m.DETAIL)).value):
            return r
    raise AssertionError(name)


def _edit(path: Path, edit: Callable[[Any], Any]) -> Any:
    wb = load_workbook(path)
    result = edit(wb)
    wb.save(path)
    return result


def _set(ws: Any, row: int, **values: Any) -> None:
    for cid, value in values.items():
        ws.cell(row, indicator_col(cid)).value = value


def _refresh(sample: Path, capsys: Any, code: int) -> tuple[str, Any]:
    """Run ``jixiao refresh``; return its stderr and the re-read output's 指标体系 (cached values)."""
    assert cli.main(["refresh", str(sample)]) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    wb = load_workbook(default_output(sample), data_only=True)
    return err, wb


def _cell(wb: Any, row: int, cid: str) -> Any:
    return wb[L.SHEET_INDICATORS].cell(row, indicator_col(cid)).value


SATISFACTION = "融合服务周及融合大学堂满意度"  # 12 分, target ≥80%, actual 95% in the sample


# ------------------------------------------------------------------ bare numbers beside a percentage
def test_bare_number_beside_a_percentage_is_an_error_with_a_suggestion(sample: Path, capsys) -> None:
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, SATISFACTION)
        _set(ws, row, **{m.TARGET: "≥90%", m.ACTUAL: 85})  # typed 85 into a General cell
        return row

    row = _edit(sample, edit)
    err, wb = _refresh(sample, capsys, 2)
    assert f"指标体系!{_col(m.ACTUAL)}{row}：实际值“85”未带百分号" in err
    assert "若为85%，请填写“85%”" in err
    assert _cell(wb, row, m.SCORE) is None  # never 8500%, never full marks
    assert "超目标" not in str(_cell(wb, row, m.WARNINGS) or "")
    assert wb[L.SHEET_SUMMARY]["B4"].value == "—"  # no total while an input is wrong


@pytest.mark.parametrize("value,score,shown", [(0.85, 11.33, "完成 85%/目标 ≥90%"),
                                               (1.05, 12, "完成 105%/目标 ≥90%")])
def test_a_percent_formatted_cell_is_read_as_the_percentage_it_shows(sample: Path, capsys, value, score,
                                                                     shown) -> None:
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, SATISFACTION)
        _set(ws, row, **{m.TARGET: "≥90%", m.ACTUAL: value})
        ws.cell(row, indicator_col(m.ACTUAL)).number_format = "0%"
        return row

    row = _edit(sample, edit)
    err, wb = _refresh(sample, capsys, 0)
    assert _cell(wb, row, m.SCORE) == pytest.approx(score)
    assert shown in _cell(wb, row, m.EXPLANATION)


def test_bare_actual_beside_a_target_in_wan_yuan_is_an_error(sample: Path, capsys) -> None:
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, "成本节约率")  # ≤150.81万元 in the sample
        _set(ws, row, **{m.ACTUAL: 160})  # 160 元 would pass "≤150.81万元" with full marks
        return row

    row = _edit(sample, edit)
    err, wb = _refresh(sample, capsys, 2)
    assert f"指标体系!{_col(m.ACTUAL)}{row}：目标值“≤150.81万元”的单位是“万元”，实际值“160”未写单位" in err
    assert "请填写“160万元”" in err
    assert _cell(wb, row, m.SCORE) is None


# ------------------------------------------------------------------ comparators and auto methods
@pytest.mark.parametrize("target", ["═100%", "﹦100%", "≧100%", "不得低于100%", "≥=100%"])
def test_look_alike_comparators_are_read(sample: Path, capsys, target: str) -> None:
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, "积分制入户指标完成率")  # 10 分
        _set(ws, row, **{m.METHOD: None, m.TARGET: target, m.ACTUAL: "96%"})
        return row

    row = _edit(sample, edit)
    _err, wb = _refresh(sample, capsys, 0)
    assert _cell(wb, row, m.SCORE) == pytest.approx(9.6)  # read as a quantity: 10 × 96%, not a 0-point text
    assert _cell(wb, row, m.COMPLETION) == pytest.approx(0.96)


def test_auto_never_turns_a_target_with_digits_into_a_qualitative_zero(sample: Path, capsys) -> None:
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, "积分制入户指标完成率")
        _set(ws, row, **{m.METHOD: None, m.TARGET: "▲100%", m.ACTUAL: "100%"})
        return row

    row = _edit(sample, edit)
    err, wb = _refresh(sample, capsys, 2)
    assert f"指标体系!{_col(m.TARGET)}{row}：目标值“▲100%”含数字，但无法识别为数值、百分比或日期" in err
    assert _cell(wb, row, m.SCORE) is None
    assert wb[L.SHEET_SUMMARY]["B4"].value == "—"


# ------------------------------------------------------------------ the tree and the maximum
def test_an_orphan_detail_row_is_an_error_naming_it(sample: Path, capsys) -> None:
    def edit(wb: Any) -> list[int]:
        ws = wb[L.SHEET_INDICATORS]
        rows = [r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, indicator_col(m.DETAIL)).value]
        for r in rows:  # the details name a 三级 indicator that has no row of its own
            ws.cell(r, indicator_col(m.LEVEL3)).value = "产出数量完成情况"
        return rows

    rows = _edit(sample, edit)
    err, wb = _refresh(sample, capsys, 2)
    assert f"指标体系!{_col(m.DETAIL)}{rows[0]}：明细指标“" in err and "上方没有所属的三级指标行" in err
    assert wb[L.SHEET_SUMMARY]["B4"].value == "—"


@pytest.mark.parametrize("extra", [20, -10])
def test_weights_not_adding_up_to_100_are_not_graded(sample: Path, capsys, extra: int) -> None:
    def edit(wb: Any) -> None:
        ws = wb[L.SHEET_INDICATORS]
        _set(ws, _row_of(ws, SATISFACTION), **{m.WEIGHT: 12 + extra})  # 满分120 or 90

    _edit(sample, edit)
    err, wb = _refresh(sample, capsys, 2)
    total = 100 + extra
    assert f"指标体系!{_col(m.WEIGHT)}列（分值）：适用指标分值合计{total}分，不是100分，总分和等级无法评定" in err
    assert wb[L.SHEET_SUMMARY]["B4"].value == "—"
    texts = [c.value for row in wb[L.SHEET_SUMMARY].iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(t in ("优", "良", "中", "差") for t in texts)


# ------------------------------------------------------------------ budget adjustment, dates, yes/no
def test_a_budget_cut_is_scored_on_its_magnitude(sample: Path, capsys) -> None:
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_PROJECT]
        for r in range(1, ws.max_row + 1):
            label = ws.cell(r, L.PROJECT_LABEL_COL).value
            if label == "预算调整":
                ws.cell(r, L.PROJECT_VALUE_COL).value = -6.81
            elif label == "全年预算":
                ws.cell(r, L.PROJECT_VALUE_COL).value = 137.19
        return _row_of(wb[L.SHEET_INDICATORS], "预算调整率")

    row = _edit(sample, edit)
    _err, wb = _refresh(sample, capsys, 0)
    # −4.73% passes "≤0%" with full marks; a cut is an adjustment too: 4.73% → the ≤5% band, 80%
    assert _cell(wb, row, m.SCORE) == pytest.approx(2.4)
    assert "预算调整率4.73%（调减）" in _cell(wb, row, m.EXPLANATION)
    warnings = [c.value for r in wb[L.SHEET_SUMMARY].iter_rows() for c in r if isinstance(c.value, str)]
    assert any("调减预算6.81万元，预算调整率4.73%" in t for t in warnings)
    assert not any("-4.73%" in t or "−4.73%" in t for t in warnings)


def test_an_excel_date_reads_as_people_write_it(sample: Path, capsys) -> None:
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, "完成及时性")
        _set(ws, row, **{m.METHOD: None, m.TARGET: "12月31日前", m.ACTUAL: dt.datetime(2021, 12, 20),
                         m.LEVEL: None, m.JUDGEMENT: None})
        return row

    row = _edit(sample, edit)
    _err, wb = _refresh(sample, capsys, 0)
    explanation = _cell(wb, row, m.EXPLANATION)
    assert "12月20日" in explanation and "00:00" not in explanation and "2021-12-20" not in explanation
    assert _cell(wb, row, m.SCORE) == 6


@pytest.mark.parametrize("target,actual,score", [("建立", "已建立", 3), ("是", "是", 3), ("健全", "未健全", 0),
                                                 ("建立", "基本建立", None)])
def test_yes_no_words(sample: Path, capsys, target: str, actual: str, score: Any) -> None:
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, "管理制度健全性")  # 3 分
        _set(ws, row, **{m.METHOD: None, m.TARGET: target, m.ACTUAL: actual, m.JUDGEMENT: None})
        return row

    row = _edit(sample, edit)
    _err, wb = _refresh(sample, capsys, 0)
    explanation = _cell(wb, row, m.EXPLANATION)
    if score is None:  # "基本建立" is a partial level, never a yes: the evaluator scores it in the band
        assert _cell(wb, row, m.SCORE) == pytest.approx(3 * 0.6)
        assert "部分达成" in explanation
    else:
        assert _cell(wb, row, m.SCORE) == score
        assert actual in explanation  # the words people wrote


# ------------------------------------------------------------------ the same readings in the audit
def _audit_row(tmp_path: Path, target: str, actual: Any) -> dict[str, Any]:
    spec = clean_spec()
    spec.indicators[1] = Indicator(spec.indicators[1].level1, spec.indicators[1].level2, spec.indicators[1].level3,
                                   target, actual, spec.indicators[1].weight, spec.indicators[1].weight)
    path = write_table(spec, tmp_path / "自评表.xlsx")
    (audit,) = audit_file(path)
    data = json.loads(json.dumps(audit.to_dict(), ensure_ascii=False))
    return data["rows"][1]


def test_audit_refuses_a_bare_number_beside_a_percentage(tmp_path: Path) -> None:
    row = _audit_row(tmp_path, "≥90%", 85)
    assert row["rule_score"] is None
    assert any("若为85%，请填写“85%”" in f["message"] for f in row["flags"]), row["flags"]


@pytest.mark.parametrize("target,actual", [("═100%", "100%"), ("建立", "已建立")])
def test_audit_reads_look_alikes_and_yes_no_words(tmp_path: Path, target: str, actual: str) -> None:
    row = _audit_row(tmp_path, target, actual)
    assert row["rule_score"] == row["weight"], row


def test_percent_cells_on_both_sides_print_as_percentages(sample: Path, capsys) -> None:
    """80% and 85% typed into cells Excel formats as percent are stored as 0.8 and 0.85: 评分说明 and
    the report print them as the user saw them."""
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, SATISFACTION)
        _set(ws, row, **{m.TARGET: 0.8, m.ACTUAL: 0.85})
        for cid in (m.TARGET, m.ACTUAL):
            ws.cell(row, indicator_col(cid)).number_format = "0%"
        return row

    row = _edit(sample, edit)
    _err, wb = _refresh(sample, capsys, 0)
    assert _cell(wb, row, m.SCORE) == 12
    assert "完成 85%/目标 80%" in _cell(wb, row, m.EXPLANATION)
    report = [c.value for r in wb[L.SHEET_REPORT].iter_rows() for c in r if isinstance(c.value, str)]
    assert any("满意度：计划80%，实际完成85%" in t for t in report), [t for t in report if "满意度" in t]


@pytest.mark.parametrize("target,actual,score", [("有", "无", 0), ("无", "无", 3), ("否", "否", 3), ("否", "是", 0)])
def test_yes_no_against_a_target_of_no(sample: Path, capsys, target: str, actual: str, score: int) -> None:
    """A target of 否/无 ("无安全事故" written as 无) is met by 否/无; "无" is an answer, not a blank."""
    def edit(wb: Any) -> int:
        ws = wb[L.SHEET_INDICATORS]
        row = _row_of(ws, "管理制度健全性")
        _set(ws, row, **{m.METHOD: "是否判断", m.TARGET: target, m.ACTUAL: actual, m.JUDGEMENT: None})
        return row

    row = _edit(sample, edit)
    _err, wb = _refresh(sample, capsys, 0)
    assert _cell(wb, row, m.SCORE) == score


def test_audit_does_not_grade_a_table_out_of_120(tmp_path: Path, capsys) -> None:
    spec = clean_spec()
    spec.indicators[0] = Indicator(spec.indicators[0].level1, spec.indicators[0].level2, spec.indicators[0].level3,
                                   spec.indicators[0].target, spec.indicators[0].actual,
                                   spec.indicators[0].weight + 20, spec.indicators[0].score + 20)
    path = write_table(spec, tmp_path / "自评表.xlsx")
    (audit,) = audit_file(path)
    assert audit.grade is None and "weights_total" in {f.kind for f in audit.flags}
    assert cli.main(["audit", str(path)]) == 2
    out = capsys.readouterr().out
    assert "（等级 —）" in out and "分值合计120分" in out
