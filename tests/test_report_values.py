"""User values in the written report (issue #12, "numbers a finance officer can sign").

Each test fills the built-in sample workbook the way a user would (openpyxl cells: a date typed into
Excel comes back as a datetime, a budget cut is a negative 预算调整), runs the real ``jixiao refresh``
and ``jixiao report``, and re-reads the produced .xlsx/.docx: what a reader sees is what is asserted.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from jixiao import cli
from jixiao.workbook import layout as L
from jixiao.workbook.refresh import score_file
from jixiao.workbook.report_sheet import stale_results
from jixiao.workbook.template import SAMPLE_WORKBOOK, build_demo

COL = {c.id: i for i, c in enumerate(L.INDICATOR_COLUMNS, start=1)}
MACHINE = re.compile(r"nan\b|None|NaT|00:00:00|\d{4}-\d{2}-\d{2}|\d+\.\d{3,}|-\d+(?:\.\d+)?%")


# -------------------------------------------------------------------------------- building
@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("values-demo")
    _, result = build_demo(folder)
    assert result.ok
    return folder / SAMPLE_WORKBOOK


def _project_row(ws: Any, field_id: str) -> int:
    label = L.PROJECT_BY_ID[field_id].label
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, L.PROJECT_LABEL_COL).value == label)


def _indicator_row(ws: Any, name: str) -> int:
    return next(r for r in range(L.HEADER_ROW + 1, ws.max_row + 1)
                if ws.cell(r, COL["level3"]).value == name and ws.cell(r, COL["detail"]).value is None)


def _fill(src: Path, dst: Path, project: dict[str, Any], rows: dict[str, dict[str, Any]]) -> Path:
    """Type values into 项目信息 (by field id) and 指标体系 (by 三级 name, column id → value)."""
    wb = load_workbook(src)
    ws = wb[L.SHEET_PROJECT]
    for field_id, value in project.items():
        ws.cell(_project_row(ws, field_id), L.PROJECT_VALUE_COL).value = value
    ws = wb[L.SHEET_INDICATORS]
    for name, cells in rows.items():
        r = _indicator_row(ws, name)
        for column, value in cells.items():
            ws.cell(r, COL[column]).value = value
    wb.save(dst)
    return dst


def _refresh(path: Path) -> Path:
    out = path.with_name(path.stem + "_已评分.xlsx")
    assert cli.main(["refresh", str(path), "-o", str(out)]) == 0
    return out


def _report(workbook: Path, layout: str = "部门评价") -> tuple[list[str], list[list[list[str]]]]:
    out = workbook.with_name(f"{workbook.stem}-{layout}.docx")
    assert cli.main(["report", str(workbook), "-o", str(out), "--layout", layout]) == 0
    doc = Document(str(out))
    return [p.text for p in doc.paragraphs], [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def _docx(workbook: Path, layout: str = "部门评价") -> Path:
    return workbook.with_name(f"{workbook.stem}-{layout}.docx")


def _between(paras: list[str], start: str, end: str) -> str:
    i = next(k for k, p in enumerate(paras) if p == start)
    j = next(k for k, p in enumerate(paras) if p == end and k > i)
    return "\n".join(paras[i + 1:j])


def _line(paras: list[str], name: str) -> str:
    return next(p for p in paras if p.startswith("（") and f"）{name}：" in p)


def _appendix_row(tables: list[list[list[str]]], name: str) -> list[str]:
    return next(r for r in tables[0] if r[2].strip() == name)


def _sheet_text(workbook: Path, sheet: str) -> str:
    ws = load_workbook(workbook)[sheet]
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def _computed(workbook: Path, name: str, column: str) -> Any:
    ws = load_workbook(workbook)[L.SHEET_INDICATORS]
    return ws.cell(_indicator_row(ws, name), COL[column]).value


NO_OWN_TEXTS = {"texts.problems": None, "texts.suggestions": None}


@pytest.fixture(scope="module")
def met(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Year 2023, budget cut 2400 → −100; a typed date, 是/是, 建立/已建立 and two ≤ rows that beat their caps."""
    src = tmp_path_factory.mktemp("met") / "met.xlsx"
    _fill(sample, src, {"year": 2023, "budget.initial": 2400, "budget.adjustment": -100, "budget.adjusted": None,
                        "budget.received": 2300, "budget.executed": 2300, "reasons.adjustment": "部分子项目取消",
                        **NO_OWN_TEXTS}, {
        "预算编制科学性": {"reason": "年中调减预算100万元，年初预算不够精准"},
        "完成及时性": {"method": "按期完成（时限）", "target": "12月31日前", "actual": dt.datetime(2023, 12, 20),
                  "level": None, "judgement": None, "reason": None},
        "质量达标率": {"method": "是否判断", "target": "是", "actual": "是", "level": None, "judgement": None},
        "成本节约率": {"target": "≤500万元", "actual": "422万元"},
        "积分制入户指标完成率": {"level3": "管理制度建立", "method": "是否判断", "target": "建立", "actual": "已建立"},
        "融合大学堂和融合服务周项目验收通过率": {"level3": "服务对象不满意率", "method": "反向指标（越低越好）",
                                   "target": "≤5%", "actual": "4.22%"},
    })
    refreshed = _refresh(src)
    _report(refreshed)
    _report(refreshed, "财政部提纲")
    return refreshed


@pytest.fixture(scope="module")
def missed(met: Path) -> Path:
    """The same workbook after the year: late, 否, 未建立, and a ≤ cap lowered below the actual."""
    src = met.with_name("missed.xlsx")
    _fill(met, src, {}, {
        "完成及时性": {"actual": dt.datetime(2024, 1, 5)},
        "质量达标率": {"actual": "否"},
        "成本节约率": {"target": "≤400万元"},
        "管理制度建立": {"actual": "未建立", "reason": "制度文件仍在审批"},
    })
    refreshed = _refresh(src)
    _report(refreshed)
    _report(refreshed, "财政部提纲")
    return refreshed


def _paras(workbook: Path, layout: str = "部门评价") -> list[str]:
    return [p.text for p in Document(str(_docx(workbook, layout))).paragraphs]


def _tables(workbook: Path, layout: str = "部门评价") -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(_docx(workbook, layout))).tables]


# -------------------------------------------------------------------------------- 1. dates
@pytest.mark.parametrize("layout", ["部门评价", "财政部提纲"])
def test_a_typed_date_reads_as_people_write_it(met: Path, layout: str) -> None:
    paras, tables = _paras(met, layout), _tables(met, layout)
    assert _line(paras, "完成及时性") == "（1）完成及时性：计划12月31日前，实际于12月20日完成。"
    assert _appendix_row(tables, "完成及时性")[3:5] == ["12月31日前", "12月20日"]
    for text in paras + [c for row in tables[0] for c in row]:
        assert "00:00:00" not in text and "2023-12-20" not in text, text


def test_a_date_in_another_year_keeps_its_year(missed: Path) -> None:
    paras, tables = _paras(missed), _tables(missed)
    assert _line(paras, "完成及时性") == "（1）完成及时性：计划12月31日前，实际于2024年1月5日完成。"
    assert _appendix_row(tables, "完成及时性")[4] == "2024年1月5日"
    problems = _between(paras, "五、存在问题与不足", "六、相关建议")
    assert "完成及时性计划12月31日前、实际于2024年1月5日完成，未按期完成" in problems


def test_the_report_sheet_shows_dates_as_written(met: Path) -> None:
    text = _sheet_text(met, L.SHEET_REPORT)
    assert "实际于12月20日完成" in text
    assert "00:00:00" not in text and "2023-12-20" not in text


# -------------------------------------------------------------------------------- 2. budget cut
def test_a_budget_cut_reads_调减_with_a_positive_rate(met: Path) -> None:
    paras = _paras(met)
    funds = _between(paras, "1. 资金情况", "2. 项目执行情况")
    assert "年初预算2400万元，年中调减100万元，预算调整率4.17%，实际预算2300万元" in funds
    problems = _between(paras, "五、存在问题与不足", "六、相关建议")
    assert "年初预算不够精准（预算调整率4.17%）" in problems
    assert "项目年初预算资金为2400万元，年中调减100万元，预算调整率4.17%，预算不够精准。调整原因：部分子项目取消。" in problems
    suggestions = _between(paras, "六、相关建议", "附件")
    assert "提高预算编制质量，减少预算调整" in suggestions
    for layout in ("部门评价", "财政部提纲"):
        assert not any("-4.17" in p or "−4.17" in p for p in _paras(met, layout))
    assert "-4.17" not in _sheet_text(met, L.SHEET_REPORT)


def test_check_report_agrees_with_the_new_wordings(met: Path, missed: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    for workbook in (met, missed):
        for layout in ("部门评价", "财政部提纲"):
            capsys.readouterr()
            assert cli.main(["check-report", str(workbook), str(_docx(workbook, layout))]) == 0
            out = capsys.readouterr().out
            assert "全部相符" in out and "未找到" not in out, (workbook.name, layout, out)
    # a hand-written minus sign is a difference, not a wording
    doc = Document(str(_docx(met)))
    for p in doc.paragraphs:
        for run in p.runs:
            if "预算调整率4.17%" in run.text:
                run.text = run.text.replace("预算调整率4.17%", "预算调整率-4.17%")
    edited = tmp_path / "负号.docx"
    doc.save(str(edited))
    assert cli.main(["check-report", str(met), str(edited)]) == 2
    assert "预算调整率：报告为“-4.17%”，工作簿为“4.17%”" in capsys.readouterr().out


def test_no_adjustment_no_budget_problem(sample: Path, tmp_path: Path) -> None:
    wb = _refresh(_fill(sample, tmp_path / "flat.xlsx",
                        {"budget.adjustment": 0, "budget.adjusted": 144, "budget.received": 144,
                         "budget.executed": 144, "reasons.adjustment": None, **NO_OWN_TEXTS}, {}))
    paras, _ = _report(wb)
    assert "年初预算144万元，年中未调整预算" in _between(paras, "1. 资金情况", "2. 项目执行情况")
    assert "年初预算不够精准" not in "\n".join(paras)
    assert "减少预算调整" not in _between(paras, "六、相关建议", "附件")


# -------------------------------------------------------------------------------- 3. 是/否 and words
@pytest.mark.parametrize("layout", ["部门评价", "财政部提纲"])
def test_yes_no_and_words_repeat_what_people_wrote(met: Path, layout: str) -> None:
    paras = _paras(met, layout)
    assert _line(paras, "质量达标率") == "（1）质量达标率：目标为“是”，实际为“是”。"
    assert _line(paras, "管理制度建立").startswith("（1）管理制度建立：计划建立，实际已建立")
    text = "\n".join(paras)
    assert "计划是" not in text and "实际完成是" not in text and "实际完成已" not in text


def test_yes_no_misses_are_listed_in_words(missed: Path) -> None:
    paras = _paras(missed)
    assert _line(paras, "质量达标率") == "（1）质量达标率：目标为“是”，实际为“否”。"
    problems = _between(paras, "五、存在问题与不足", "六、相关建议")
    assert "质量达标率目标为“是”、实际为“否”，未达到目标，未说明偏差原因" in problems
    assert "管理制度建立计划建立、实际未建立，未达到目标，原因：制度文件仍在审批" in problems


# -------------------------------------------------------------------------------- 4. ≤ indicators
def test_a_reverse_indicator_that_beat_its_cap(met: Path) -> None:
    # the workbook: 完成率 = 实际/目标 = 84.4%, full marks
    assert _computed(met, "成本节约率", "completion_rate") == pytest.approx(0.844)
    assert _computed(met, "成本节约率", "score") == 6
    assert _computed(met, "服务对象不满意率", "completion_rate") == pytest.approx(0.844)
    paras = _paras(met)
    assert _line(paras, "成本节约率") == "（1）成本节约率：计划不超过500万元，实际422万元，低于目标上限。"
    assert _line(paras, "服务对象不满意率").startswith("（2）服务对象不满意率：计划不超过5%，实际4.22%，低于目标上限")
    problems = _between(paras, "五、存在问题与不足", "六、相关建议")
    assert "未完成" not in problems and "成本节约率" not in problems
    assert "满意度未达到预期" not in problems  # 不满意率 4.22% under a 5% cap is good news
    assert "105.5%" not in "\n".join(paras) and "完成率84.4%" not in "\n".join(paras)


def test_a_reverse_indicator_over_its_cap_agrees_with_the_workbook(missed: Path) -> None:
    assert _computed(missed, "成本节约率", "completion_rate") == pytest.approx(1.055)
    assert _computed(missed, "成本节约率", "deviation") == pytest.approx(0.055)
    score = _computed(missed, "成本节约率", "score")
    assert score < 6
    paras = _paras(missed)
    assert _line(paras, "成本节约率") == "（1）成本节约率：计划不超过400万元，实际422万元，超过目标上限，偏离度5.5%。"
    problems = _between(paras, "五、存在问题与不足", "六、相关建议")
    assert "成本节约率计划不超过400万元、实际422万元，超过目标上限，偏离度5.5%" in problems
    assert "完成率105.5%" not in problems
    row = _appendix_row(_tables(missed), "成本节约率")
    assert row[3:5] == ["不超过400万元", "422万元"] and float(row[6]) == pytest.approx(score)


def test_a_stale_workbook_is_detected(met: Path, tmp_path: Path) -> None:
    """The 105.5%-beside-84% report: the cap lowered after the last refresh; report re-scores, the sheet does not."""
    edited = _fill(met, tmp_path / "改后未刷新.xlsx", {}, {"成本节约率": {"target": "≤400万元"}})
    inputs, evaluation, _ = score_file(edited)
    stale = stale_results(edited, inputs, evaluation)
    row = _indicator_row(load_workbook(edited)[L.SHEET_INDICATORS], "成本节约率")
    assert f"{L.SHEET_INDICATORS}!{L.column_letter(COL['score'])}{row}" in stale
    assert f"{L.SHEET_SUMMARY}!B4" in stale
    inputs, evaluation, _ = score_file(met)
    assert stale_results(met, inputs, evaluation) == []


# -------------------------------------------------------------------------------- 5. other machine text
def test_not_applicable_rows_and_a_rescaled_total(met: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    wb = _refresh(_fill(met, tmp_path / "不适用.xlsx", {}, {
        "服务对象不满意率": {"applicable": "否"},
        "融合服务周及融合大学堂满意度": {"actual": 0.8500000001, "reason": dt.datetime(2023, 11, 3)},
        "资金分配合理性": {"judgement": 0.5, "reason": 12345.0},
    }))
    paras, tables = _report(wb)
    row = _appendix_row(tables, "服务对象不满意率")
    assert row[5:] == ["8", "不适用"]
    assert _line(paras, "融合服务周及融合大学堂满意度").endswith("计划不低于80%，实际完成85%。")
    total_rows = [r for r in tables[0] if r[0] in ("合计", "总分（折算后）")]
    assert [r[5:] for r in total_rows] == [["92", "89.9"], ["100", "97.72"]]
    conclusion = _between(paras, "（一）总体结论", "（二）项目绩效分析")
    assert "综合得分97.72分" in conclusion
    assert "因1项指标不适用，适用指标分值合计92分、得分89.9分，按百分制折算为97.72分。" in conclusion
    assert "评分满分为100分（1项指标不适用，按适用指标分值合计92分折算为百分制）" in "\n".join(paras)
    for text in paras + [c for r in tables[0] for c in r]:
        assert not MACHINE.search(text), text
    capsys.readouterr()
    assert cli.main(["check-report", str(wb), str(_docx(wb))]) == 0
    assert "全部相符" in capsys.readouterr().out
    summary = load_workbook(wb)[L.SHEET_SUMMARY]
    cells = list(summary.iter_rows(values_only=True))
    assert cells[3][:6] == ("总分", 97.72, "等级", "优", "满分", 100)
    assert cells[5][0] == "因1项指标不适用，适用指标分值合计92分、得分89.9分，按百分制折算为97.72分"
    total = next(r for r in cells if r[0] == "合计")
    assert total[2:4] == (92, 89.9)


def test_no_machine_text_anywhere(met: Path, missed: Path) -> None:
    for workbook in (met, missed):
        for layout in ("部门评价", "财政部提纲"):
            paras, tables = _paras(workbook, layout), _tables(workbook, layout)
            for text in paras + [c for t in tables for r in t for c in r]:
                assert not MACHINE.search(text), (workbook.name, layout, text)
        for line in _sheet_text(workbook, L.SHEET_REPORT).splitlines():
            if "jixiao" not in line:  # the sheet's own note names the commands
                assert not MACHINE.search(line), line
