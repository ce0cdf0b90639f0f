"""`jixiao demo` builds the sample; the WRITTEN file holds every expected number in the right cell,
and `jixiao score --json` reports the same."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.workbook.sample import sample_data
from jixiao.scoring import model as m
from jixiao.workbook import decorate as D
from jixiao.workbook import layout as L
from jixiao.workbook import summary as S
from jixiao.workbook.template import SAMPLE_WORKBOOK, TEMPLATE_FILES

from test_workbook_support import find_row, header_index, indicator_col, run_cli, sheet_part, sheet_values


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo") / "示例输出"
    proc = run_cli("demo", str(folder))
    assert proc.returncode == 0, proc.stderr
    return folder, proc.stdout


@pytest.fixture(scope="module")
def sample_file(demo: tuple[Path, str]) -> Path:
    return demo[0] / SAMPLE_WORKBOOK


@pytest.fixture(scope="module")
def expected() -> dict:
    return sample_data()["expected"]


def test_demo_prints_files_and_headline(demo: tuple[Path, str]) -> None:
    folder, out = demo
    assert "总分 98.4" in out and "等级 优" in out
    for name in [SAMPLE_WORKBOOK, *TEMPLATE_FILES.values()]:
        assert (folder / name).is_file()
        assert str((folder / name).resolve()) in out
    assert not list(folder.glob(".~*")), "temporary files left behind"


def test_summary_headline_cells(sample_file: Path, expected: dict) -> None:
    values = sheet_values(sample_file, L.SHEET_SUMMARY)
    r, c = L.SUMMARY_TOTAL_CELL
    assert values[r - 1][c - 1] == pytest.approx(expected["total"])
    r, c = L.SUMMARY_GRADE_CELL
    assert values[r - 1][c - 1] == expected["grade"]
    wb = load_workbook(sample_file)
    assert wb.defined_names[L.NAME_TOTAL].attr_text == f"'{L.SHEET_SUMMARY}'!$B$4"
    assert wb.defined_names[L.NAME_GRADE].attr_text == f"'{L.SHEET_SUMMARY}'!$D$4"


def test_summary_level1_scores(sample_file: Path, expected: dict) -> None:
    values = sheet_values(sample_file, L.SHEET_SUMMARY)
    header = find_row(values, S.S_LEVEL1) + 1
    assert values[header - 1][:6] == list(S.H_LEVEL1)
    rows = {v[1]: v for v in values[header: header + 4]}
    for name, score in expected["scores"].items():
        assert rows[name][3] == pytest.approx(score), name
    weights = sum(rows[n][2] for n in expected["scores"])
    assert weights == pytest.approx(100)
    total_row = values[header + 4]
    assert total_row[0] == S.T_TOTAL_ROW and total_row[3] == pytest.approx(expected["total"])


def test_summary_budget_and_rates(sample_file: Path, expected: dict) -> None:
    values = sheet_values(sample_file, L.SHEET_SUMMARY)
    cells = {}
    for line in values:
        for j in range(0, len(line) - 1, 2):
            if isinstance(line[j], str):
                cells[line[j]] = line[j + 1]
    b = expected["budget"]
    assert cells["全年预算"] == pytest.approx(b["adjusted_budget"])
    assert cells["年初预算"] == pytest.approx(144)
    assert f"{cells['预算调整率']:.2%}" == b["adjustment_rate"]
    assert f"{cells['预算执行率']:.0%}" == b["execution_rate"]
    assert f"{cells['资金到位率']:.0%}" == b["funds_received_rate"]


def test_summary_counts_and_flags(sample_file: Path, expected: dict) -> None:
    values = sheet_values(sample_file, L.SHEET_SUMMARY)
    text = "\n".join(str(v) for line in values for v in line if v is not None)
    c = expected["counts"]
    assert f"一级指标{c['一级']}个、二级指标{c['二级']}个、三级指标{c['三级']}个" in text
    start = find_row(values, S.S_FLAGS) + 2
    flagged = {line[1] for line in values[start - 1:] if line[0] and str(line[0]).startswith("第")}
    for name in expected["over_achievement_flags"]:
        assert name in flagged
    # the chart of 一级 score vs 分值 is a real chart part on 汇总
    with zipfile.ZipFile(sample_file) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        assert "barChart" in zf.read(charts[0]).decode()


def test_indicator_sheet_computed_columns(sample_file: Path, expected: dict) -> None:
    values = sheet_values(sample_file, L.SHEET_INDICATORS)
    idx = header_index(values)
    for col in L.INDICATOR_COLUMNS:
        assert col.header in idx, col.header
    detail = idx["明细指标"]
    rows = [line for line in values[L.HEADER_ROW:] if line[detail]]
    assert len(rows) == 7
    rates = [f"{line[idx['完成率']]:.1%}" for line in rows]
    assert rates == list(expected["completion_rates"].values())
    flagged = [line[detail] for line in rows if line[idx["预警"]] and "超目标" in line[idx["预警"]]]
    assert flagged == expected["over_achievement_flags"]
    parent = next(line for line in values[L.HEADER_ROW:] if line[idx["三级指标"]] == "实际完成率" and not line[detail])
    assert parent[idx["得分"]] == pytest.approx(17)
    # every scored 三级 row (no detail) adds up to the total
    three = [line[idx["得分"]] for line in values[L.HEADER_ROW:] if line[idx["三级指标"]] and not line[detail]]
    assert sum(three) == pytest.approx(expected["total"])
    assert all(line[idx["评分说明"]] for line in values[L.HEADER_ROW:] if line[idx["三级指标"]])


def test_computed_columns_are_formatted(sample_file: Path) -> None:
    wb = load_workbook(sample_file)
    ws = wb[L.SHEET_INDICATORS]
    r = L.FIRST_DATA_ROW
    assert ws.cell(row=r, column=indicator_col(m.SCORE)).number_format == "0.00"
    assert ws.cell(row=r, column=indicator_col(m.COMPLETION)).number_format == "0.00%"
    grey = ws.cell(row=r, column=indicator_col(m.SCORE)).fill.fgColor.rgb
    white = ws.cell(row=r, column=indicator_col(m.TARGET)).fill
    assert grey == L.FILL_COMPUTED and white.fill_type is None
    assert ws.tables[L.TABLE_INDICATORS].ref.startswith(f"A{L.HEADER_ROW}:")
    assert ws.freeze_panes == f"E{L.FIRST_DATA_ROW}"


def test_wrapped_rows_are_tall_enough_for_their_lines(sample_file: Path) -> None:
    """LibreOffice and WPS keep the written row heights: the stepped bands of 预算调整率 wrap onto
    three lines in their column ("≤0%:100%;" / "≤5%:80%;" / "≤10%:60%; 其他:0") and used to be cut."""
    wb = load_workbook(sample_file)
    ws = wb[L.SHEET_INDICATORS]
    col = indicator_col(m.CRITERIA)
    rows = [r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(row=r, column=col).value]
    assert rows, "the sample has a 分段计分 row"
    for r in rows:
        assert ws.cell(row=r, column=col).alignment.wrap_text
        assert ws.row_dimensions[r].height >= 3 * D.LINE_HEIGHT


def test_long_paragraphs_get_the_height_of_all_their_lines(sample_file: Path) -> None:
    """The 主要绩效 paragraph fills eight lines of the report sheet as LibreOffice draws it, 15.35 pt
    apart (measured on the rendered PDF); at 14 pt a line its last line was cut off."""
    wb = load_workbook(sample_file)
    ws = wb[L.SHEET_REPORT]
    rows = [c.row for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and "《中国劳动保障报》" in c.value and len(c.value) > 300]
    assert rows, "the report sheet carries the 主要绩效 paragraph"
    assert ws.row_dimensions[rows[0]].height >= 8 * 15.35


def test_project_texts_from_report(sample_file: Path) -> None:
    values = sheet_values(sample_file, L.SHEET_PROJECT)
    by_label = {line[L.PROJECT_LABEL_COL - 1]: line[L.PROJECT_VALUE_COL - 1] for line in values[L.HEADER_ROW:]}
    assert by_label["项目名称"] == "全市来穗人员服务项目"
    assert by_label["年初预算"] == 144
    assert by_label["项目背景"].startswith("以习近平新时代中国特色社会主义思想为指导")
    assert "预算调整率 4.73%" in by_label["存在问题"]
    assert by_label["相关建议"].startswith("1. 科学设置绩效指标")
    assert not any(isinstance(v, str) and v.startswith("见参考报告") for v in by_label.values())


def test_formula_like_text_stays_text(sample_file: Path) -> None:
    """The sample's targets "=100%" are text in the file: shared/inline strings, no <f> element."""
    wb = load_workbook(sample_file)
    ws = wb[L.SHEET_INDICATORS]
    col = indicator_col(m.TARGET)
    cells = [ws.cell(row=r, column=col) for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)]
    texts = [c for c in cells if c.value == "=100%"]
    assert len(texts) == 2
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)
    with zipfile.ZipFile(sample_file) as zf:
        xml = zf.read(sheet_part(sample_file, L.SHEET_INDICATORS)).decode()
    assert "<f>" not in xml and "<f " not in xml


def test_score_json_matches(sample_file: Path, expected: dict) -> None:
    proc = run_cli("score", str(sample_file), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["project_name"] == "全市来穗人员服务项目"
    assert data["file"] == sample_file.name
    assert data["total"] == pytest.approx(expected["total"]) and data["grade"] == expected["grade"]
    for level, count in expected["counts"].items():
        assert data["counts"][level] == count
    lv1 = {r["level1"]: r["score"] for r in data["levels"] if r["depth"] == 1}
    assert lv1 == pytest.approx(expected["scores"])
    flagged = [f["indicator"] for f in data["flags"] if f["kind"] == "over_achievement"]
    assert flagged == expected["over_achievement_flags"]
    assert f"{data['rates'][m.RATE_ADJUSTMENT]:.2%}" == expected["budget"]["adjustment_rate"]
    assert data["budget"]["adjusted"] == pytest.approx(expected["budget"]["adjusted_budget"])
    rates = [f"{r['completion_rate']:.1%}" for r in data["rows"] if r["completion_rate"] is not None]
    for rate in expected["completion_rates"].values():
        assert rate in rates
    assert data["errors"] == []
    # each result names its 指标体系 row
    first_detail = expected["over_achievement_flags"][0]
    row = find_row(sheet_values(sample_file, L.SHEET_INDICATORS), first_detail)
    assert next(r for r in data["rows"] if r["row"] == row)["completion_rate"] == pytest.approx(1.3)
