"""Every input problem gives one Chinese message naming sheet and cell, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from openpyxl import load_workbook

from jixiao import cli
from jixiao.scoring import model as m
from jixiao.workbook import layout as L
from jixiao.workbook.refresh import default_output

from test_workbook_support import indicator_col, make_cfb, run_cli, sha256, write_sample, zip_replace

# first detail row of the sample (培训场数) and the first row (立项依据充分性)
FIRST = L.FIRST_DATA_ROW


def _col(cid: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(indicator_col(cid))


def _edit(path: Path, edit: Callable) -> Path:
    wb = load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _row_of(wb, name: str) -> int:
    ws = wb[L.SHEET_INDICATORS]
    for r in range(FIRST, ws.max_row + 1):
        if name in (ws.cell(row=r, column=indicator_col(m.LEVEL3)).value,
                    ws.cell(row=r, column=indicator_col(m.DETAIL)).value):
            return r
    raise AssertionError(name)


def _set(name: str, cid: str, value) -> Callable:
    def edit(wb) -> None:
        r = _row_of(wb, name)
        wb[L.SHEET_INDICATORS].cell(row=r, column=indicator_col(cid)).value = value
        edit.row = r  # type: ignore[attr-defined]
    return edit


def _expect(capsys, argv: list[str], *needles: str, code: int = 2) -> str:
    assert cli.main(argv) == code
    err = capsys.readouterr().err
    for needle in needles:
        assert needle in err, (needle, err)
    assert "Traceback" not in err
    return err


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "评价.xlsx")


# ------------------------------------------------------------------ structure
def test_missing_sheet(sample: Path, capsys) -> None:
    _edit(sample, lambda wb: wb.remove(wb[L.SHEET_INDICATORS]))
    _expect(capsys, ["score", str(sample)], f"没有名为“{L.SHEET_INDICATORS}”的工作表")
    _expect(capsys, ["refresh", str(sample)], f"“{L.SHEET_INDICATORS}”")
    assert not default_output(sample).exists()


def test_renamed_header(sample: Path, capsys) -> None:
    _edit(sample, lambda wb: setattr(wb[L.SHEET_INDICATORS][f"{_col(m.WEIGHT)}{L.HEADER_ROW}"], "value", "权重"))
    _expect(capsys, ["refresh", str(sample)], f"指标体系!{_col(m.WEIGHT)}{L.HEADER_ROW}：表头应为“分值”，现为“权重”")
    assert not default_output(sample).exists()


def test_missing_header(sample: Path, capsys) -> None:
    _edit(sample, lambda wb: setattr(wb[L.SHEET_INDICATORS][f"{_col(m.TARGET)}{L.HEADER_ROW}"], "value", None))
    _expect(capsys, ["score", str(sample)], f"指标体系!{_col(m.TARGET)}{L.HEADER_ROW}：缺少表头“目标值”")


def test_missing_project_row(sample: Path, capsys) -> None:
    def edit(wb) -> None:
        ws = wb[L.SHEET_PROJECT]
        for r in range(1, ws.max_row + 1):
            if ws.cell(row=r, column=L.PROJECT_LABEL_COL).value == "年初预算":
                ws.cell(row=r, column=L.PROJECT_LABEL_COL).value = "年初预算数"
    _edit(sample, edit)
    _expect(capsys, ["score", str(sample)], "项目信息：找不到“年初预算”一行")


# ------------------------------------------------------------------ cell values
def test_text_in_number_cells(sample: Path, capsys) -> None:
    weight = _set("培训场数（融合大学堂及融合服务周）", m.WEIGHT, "三分")
    target = _set("门户网站发布信息量", m.TARGET, "约九十")
    _edit(sample, lambda wb: (weight(wb), target(wb)))
    err = _expect(capsys, ["refresh", str(sample)],
                  f"指标体系!{_col(m.WEIGHT)}{weight.row}：", "“三分”",
                  f"指标体系!{_col(m.TARGET)}{target.row}：目标值“约九十”无法识别为数值")
    assert "错误已写入" in err
    # the errors are also in the written workbook: 评分说明 and 汇总
    out = default_output(sample)
    wb = load_workbook(out, data_only=True)
    ws = wb[L.SHEET_INDICATORS]
    assert "约九十" in ws.cell(row=target.row, column=indicator_col(m.EXPLANATION)).value
    assert ws.cell(row=target.row, column=indicator_col(m.SCORE)).value is None
    summary = wb[L.SHEET_SUMMARY]
    assert summary["B4"].value == "—"
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith(f"指标体系!{_col(m.TARGET)}{target.row}") for t in texts)


def test_formula_error_values(sample: Path, capsys) -> None:
    actual = _set("发送政务短信数量", m.ACTUAL, "#DIV/0!")
    weight = _set("年度政务微信发布信息数量", m.WEIGHT, "#N/A")
    _edit(sample, lambda wb: (actual(wb), weight(wb)))
    wb = load_workbook(sample)
    assert wb[L.SHEET_INDICATORS].cell(row=actual.row, column=indicator_col(m.ACTUAL)).data_type == "e"
    _expect(capsys, ["score", str(sample), "--json"],
            f"指标体系!{_col(m.ACTUAL)}{actual.row}：实际值是公式错误值 #DIV/0!",
            f"指标体系!{_col(m.WEIGHT)}{weight.row}：分值是公式错误值 #N/A")


def test_project_number_and_params(sample: Path, capsys) -> None:
    def edit(wb) -> None:
        ws = wb[L.SHEET_PROJECT]
        for r in range(1, ws.max_row + 1):
            if ws.cell(row=r, column=L.PROJECT_LABEL_COL).value == "年初预算":
                ws.cell(row=r, column=L.PROJECT_VALUE_COL).value = "一百四十四"
                edit.row = r  # type: ignore[attr-defined]
        ps = wb[L.SHEET_PARAMS]
        for r in range(1, ps.max_row + 1):
            if ps.cell(row=r, column=1).value == "等级划分（下限含）":
                ps.cell(row=r, column=2).value = "优秀"
                edit.prow = r  # type: ignore[attr-defined]
    _edit(sample, edit)
    _expect(capsys, ["score", str(sample)], f"项目信息!C{edit.row}：", "一百四十四",
            f"评分参数!B{edit.prow}：", "等级划分")


# ------------------------------------------------------------------ files
def test_not_found(tmp_path: Path, capsys) -> None:
    _expect(capsys, ["score", str(tmp_path / "没有.xlsx")], "找不到文件")


def test_not_xlsx(tmp_path: Path, capsys) -> None:
    path = tmp_path / "文本.xlsx"
    path.write_text("这不是工作簿", encoding="utf-8")
    _expect(capsys, ["score", str(path)], "不是 Excel 工作簿")


def test_truncated_file(sample: Path, capsys) -> None:
    data = sample.read_bytes()
    sample.write_bytes(data[: len(data) // 2])
    _expect(capsys, ["refresh", str(sample)], sample.name)


def test_damaged_sheet_xml(sample: Path, capsys) -> None:
    zip_replace(sample, {"xl/worksheets/sheet3.xml": b"<worksheet><sheetData><row><c r='A1'"})
    _expect(capsys, ["score", str(sample)], "已损坏")


def test_encrypted(tmp_path: Path, capsys) -> None:
    path = tmp_path / "加密.xlsx"
    path.write_bytes(make_cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\0" * 200,
                               "EncryptedPackage": b"\x10\x00" + b"\x5a" * 6000}))
    _expect(capsys, ["score", str(path)], "已加密")


def test_legacy_xls(tmp_path: Path, capsys) -> None:
    path = tmp_path / "旧版.xlsx"
    path.write_bytes(make_cfb({"Workbook": b"\x09\x08" + b"\0" * 5000}))
    _expect(capsys, ["score", str(path)], "旧版 .xls")


def test_errors_in_a_real_process(sample: Path) -> None:
    """The same through the console: exit code 2, Chinese on stderr, no traceback."""
    _edit(sample, _set("门户网站发布信息量", m.TARGET, "约九十"))
    proc = run_cli("score", str(sample), "--json")
    assert proc.returncode == 2
    assert "目标值“约九十”无法识别为数值" in proc.stderr and "Traceback" not in proc.stderr
    assert '"errors"' in proc.stdout
    broken = sample.with_name("坏.xlsx")
    broken.write_bytes(b"PK\x03\x04garbage")
    proc = run_cli("refresh", str(broken))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.strip()
    digest = sha256(broken)
    assert sha256(broken) == digest


def test_computed_headers_deleted_are_rebuilt(sample: Path, capsys) -> None:
    """Computed columns are ours: if their headers are gone they are written again, not an error."""
    def edit(wb) -> None:
        ws = wb[L.SHEET_INDICATORS]
        for c in L.INDICATOR_OUTPUTS:
            ws.cell(row=L.HEADER_ROW, column=indicator_col(c.id)).value = None
    _edit(sample, edit)
    assert cli.main(["refresh", str(sample)]) == 0
    ws = load_workbook(default_output(sample), data_only=True)[L.SHEET_INDICATORS]
    assert [ws.cell(row=L.HEADER_ROW, column=indicator_col(c.id)).value for c in L.INDICATOR_OUTPUTS] == \
        [c.header for c in L.INDICATOR_OUTPUTS]
    assert ws.cell(row=FIRST, column=indicator_col(m.SCORE)).value == 3


def test_computed_header_missing_or_moved(sample: Path, capsys) -> None:
    _edit(sample, lambda wb: setattr(wb[L.SHEET_INDICATORS][f"{_col(m.SCORE)}{L.HEADER_ROW}"], "value", None))
    _expect(capsys, ["refresh", str(sample)], "缺少自动计算列的表头“得分”")
    def swap(wb) -> None:
        ws = wb[L.SHEET_INDICATORS]
        ws[f"{_col(m.SCORE)}{L.HEADER_ROW}"] = "得分率"
        ws[f"{_col(m.SCORE_RATE)}{L.HEADER_ROW}"] = "得分"
    _edit(sample, swap)
    _expect(capsys, ["refresh", str(sample)], f"指标体系!{_col(m.SCORE_RATE)}{L.HEADER_ROW}：自动计算列", "请把“得分”移回原位置")
