"""``jixiao audit`` and ``jixiao import`` through the command line, on files written and re-read."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from jixiao import cli
from jixiao.workbook.refresh import score_file

from test_selfeval_support import faulty_spec, write_clean, write_table

ROW_KEYS = {"row", "cell", "level1", "level2", "level3", "target", "actual", "weight", "reported_score", "rule_score",
            "difference", "method", "explanation", "reason", "flags"}
TOP_KEYS = {"schema", "file", "sheet", "project", "rows", "budget", "weights", "reported_total", "rule_total",
            "difference", "grade", "reported_grade", "counts", "flags"}


def test_audit_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_table(faulty_spec(), tmp_path / "faulty.xlsx")
    assert cli.main(["audit", str(path), "--json"]) == 2  # problems listed: 2, as check-report
    data = json.loads(capsys.readouterr().out)
    assert set(data) == TOP_KEYS
    assert all(set(r) == ROW_KEYS for r in data["rows"])
    assert set(data["flags"][0]) == {"kind", "label", "message", "cell", "row"}
    assert data["file"] == "faulty.xlsx" and data["reported_total"] == 99.0
    assert sum(data["counts"].values()) == len(data["flags"])


def test_audit_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_clean(tmp_path / "clean.xlsx")
    assert cli.main(["audit", str(path)]) == 0
    out = capsys.readouterr().out
    assert "报告总分 97.7，复核总分 97.7（等级 优）" in out and "未发现问题" in out
    path = write_table(faulty_spec(), tmp_path / "faulty.xlsx")
    assert cli.main(["audit", str(path)]) == 2  # problems listed: 2, as check-report
    out = capsys.readouterr().out
    assert "[得分与评分规则不符] 项目支出绩效自评表!H12：报告得分7分，按规则应为6.4分" in out


@pytest.mark.parametrize("content,expected", [
    (None, "找不到项目支出绩效自评表"),
    (b"not a workbook", "已损坏或不是有效的 Excel 文件"),
])
def test_audit_input_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None,
                                   expected: str) -> None:
    path = tmp_path / "other.xlsx"
    if content is None:
        wb = openpyxl.Workbook()
        wb.active["A1"] = "这不是自评表"
        wb.save(path)
    else:
        path.write_bytes(content)
    assert cli.main(["audit", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "other.xlsx" in err and "Traceback" not in err


def test_audit_missing_file_and_wrong_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["audit", str(tmp_path / "nope.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    path = write_clean(tmp_path / "clean.xlsx")
    assert cli.main(["audit", str(path), "--sheet", "Sheet9"]) == 2
    assert "没有名为“Sheet9”的自评表工作表" in capsys.readouterr().err


def test_import_to_our_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_clean(tmp_path / "自评表.xlsx", "nature_unit", text_numbers=True)
    out = tmp_path / "导入.xlsx"
    assert cli.main(["import", str(src), "-o", str(out)]) == 0
    assert "自评原表复核" in capsys.readouterr().out
    inputs, evaluation, errors = score_file(out)  # our own reader on the re-read file
    assert errors == []
    assert evaluation.total == 97.7 and evaluation.grade == "优"
    assert inputs.project["name"] == "2021年社区居家养老服务补助项目" and inputs.project["kind"] == "单位自评"
    assert float(inputs.project["budget"]["adjusted"]) == 480.0
    wb = openpyxl.load_workbook(out)
    assert "自评原表复核" in wb.sheetnames and "汇总" in wb.sheetnames
    review = list(wb["自评原表复核"].iter_rows(min_row=2, values_only=True))
    header, rows = review[0], review[1:]
    by = {r[3] or r[1]: dict(zip(header, r)) for r in rows}
    assert by["困难老人生活质量"]["报告得分"] == 19 and by["困难老人生活质量"]["复核得分"] == 19
    assert by["总分"]["报告得分"] == 97.7 and by["总分"]["复核得分"] == 97.7
    assert by["预算执行率"]["原表单元格"] == "项目支出绩效自评表!K7"


def test_import_keeps_flagged_rows_and_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_table(faulty_spec(), tmp_path / "faulty.xlsx")
    out = tmp_path / "faulty_导入.xlsx"
    assert cli.main(["import", str(src)]) == 2  # written, but the table has values the engine cannot use
    err = capsys.readouterr().err
    assert "指标体系!" in err and "Traceback" not in err
    wb = openpyxl.load_workbook(out)
    opinions = [r[-1] for r in wb["自评原表复核"].iter_rows(min_row=3, values_only=True)]
    assert any(o and "不在档内" in o for o in opinions)
