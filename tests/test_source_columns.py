"""Issue #12, point 2: 比率来源 (a rate selector) and 数据来源/佐证材料 (free text) are two columns.

Typing evidence where the rate selector was ("问卷调查（有效问卷1200份）") was a hard error.  New
workbooks have both columns; workbooks made before the split keep working: their one "数据来源"
column is read as 比率来源 when it holds a rate name and as evidence otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao import cli
from jixiao.scoring import model as m
from jixiao.workbook import layout as L
from jixiao.workbook.refresh import default_output

from test_workbook_support import indicator_col, write_sample

EVIDENCE = "问卷调查（有效问卷1200份）"


def _row_of(ws: Any, name: str) -> int:
    for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        if name in (ws.cell(r, indicator_col(m.LEVEL3)).value, ws.cell(r, indicator_col(m.DETAIL)).value):
            return r
    raise AssertionError(name)


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "评价.xlsx")


def _refresh(path: Path, capsys: Any, code: int = 0) -> tuple[str, Any]:
    assert cli.main(["refresh", str(path)]) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err, load_workbook(default_output(path), data_only=True)


def test_new_workbooks_have_both_columns(sample: Path) -> None:
    ws = load_workbook(sample)[L.SHEET_INDICATORS]
    headers = [c.value for c in ws[L.HEADER_ROW]]
    assert "比率来源" in headers and "数据来源/佐证材料" in headers and "数据来源" not in headers
    # the rate selector keeps its dropdown; the evidence column has none
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
             for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert L.column_letter(indicator_col(m.SOURCE)) in lists
    assert L.column_letter(indicator_col(m.EVIDENCE)) not in lists


def test_evidence_is_free_text_and_kept(sample: Path, capsys) -> None:
    wb = load_workbook(sample)
    ws = wb[L.SHEET_INDICATORS]
    row = _row_of(ws, "融合服务周及融合大学堂满意度")
    ws.cell(row, indicator_col(m.EVIDENCE)).value = EVIDENCE
    wb.save(sample)
    _err, out = _refresh(sample, capsys)
    ws = out[L.SHEET_INDICATORS]
    assert ws.cell(row, indicator_col(m.EVIDENCE)).value == EVIDENCE
    assert ws.cell(row, indicator_col(m.SCORE)).value == 12


def test_text_in_the_rate_selector_points_to_the_evidence_column(sample: Path, capsys) -> None:
    wb = load_workbook(sample)
    ws = wb[L.SHEET_INDICATORS]
    row = _row_of(ws, "融合服务周及融合大学堂满意度")
    ws.cell(row, indicator_col(m.SOURCE)).value = EVIDENCE
    wb.save(sample)
    err, _out = _refresh(sample, capsys, 2)
    ref = f"指标体系!{L.column_letter(indicator_col(m.SOURCE))}{row}"
    assert f"{ref}：比率来源“{EVIDENCE}”不是可用的项目比率" in err and "“数据来源/佐证材料”列" in err


def _legacy(path: Path) -> Path:
    """The sample as a workbook made before the split: one "数据来源" column, no evidence column."""
    wb = load_workbook(path)
    ws = wb[L.SHEET_INDICATORS]
    ws.cell(L.HEADER_ROW, indicator_col(m.SOURCE)).value = "数据来源"
    ws.delete_cols(indicator_col(m.EVIDENCE))
    wb.save(path)
    return path


def test_a_workbook_from_before_the_split_still_refreshes(sample: Path, capsys) -> None:
    _legacy(sample)
    wb = load_workbook(sample)
    ws = wb[L.SHEET_INDICATORS]
    source_col = indicator_col(m.SOURCE)
    rate_rows = {r: ws.cell(r, source_col).value for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)
                 if ws.cell(r, source_col).value}
    assert set(rate_rows.values()) >= {"资金到位率", "预算执行率", "预算调整率"}  # the sample's rate rows
    row = _row_of(ws, "融合服务周及融合大学堂满意度")
    ws.cell(row, source_col).value = EVIDENCE  # evidence typed into the old column: no longer an error
    wb.save(sample)

    _err, out = _refresh(sample, capsys)
    ws = out[L.SHEET_INDICATORS]
    headers = [c.value for c in ws[L.HEADER_ROW]]
    assert "数据来源" in headers and "数据来源/佐证材料" not in headers  # the user's layout is kept
    score_col = headers.index("得分") + 1
    explanation_col = headers.index("评分说明") + 1
    assert ws.cell(row, score_col).value == 12
    assert ws.cell(row, source_col).value == EVIDENCE
    for r, name in rate_rows.items():  # the rate rows still take their actual from 项目信息
        assert name in ws.cell(r, explanation_col).value
    assert out[L.SHEET_SUMMARY]["B4"].value == pytest.approx(98.4)
