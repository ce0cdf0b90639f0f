"""Audit of national 自评表 files written the way units make them, re-read from disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.scoring import Params
from jixiao.workbook.selfeval import audit_file, read_tables
from jixiao.workbook.selfeval.messages import FLAG_LABELS

from test_selfeval_support import faulty_spec, soffice, to_xls, write_clean, write_table

AUDIT_FLAGS = set(FLAG_LABELS) - {"engine", "funds_total_zero"}  # the last: test_funds_total_of_zero


@pytest.mark.parametrize("variant,text_numbers", [("standard", False), ("standard", True),
                                                  ("nature_unit", False), ("nature_unit", True)])
def test_clean_table_has_no_flags(tmp_path: Path, variant: str, text_numbers: bool) -> None:
    path = write_clean(tmp_path / f"clean-{variant}.xlsx", variant, text_numbers)
    [audit] = audit_file(path)
    data = audit.to_dict()
    assert data["flags"] == [], data["flags"]
    assert data["reported_total"] == data["rule_total"] == 97.7
    assert data["grade"] == "优"
    assert data["project"] == {"name": "2021年社区居家养老服务补助项目", "department": "某市民政局",
                               "unit": "某市养老服务指导中心", "year": 2021}
    assert [r["level3"] for r in data["rows"]][:2] == ["服务老人数", "上门服务次数"]
    assert data["budget"]["rule_rate"] == pytest.approx(0.97)
    assert data["budget"]["rule_score"] == 9.7
    assert data["weights"] == {"indicators": 90.0, "budget": 10.0, "total": 100.0, "expected": 100.0}


def test_layout_found_by_text_merged_cells_and_sub_rows(tmp_path: Path) -> None:
    path = write_clean(tmp_path / "v.xlsx", "nature_unit", text_numbers=True)
    [t] = read_tables(path)
    assert t.variant == "nature_unit"
    assert t.funds is not None and [s["label"] for s in t.funds.sub_rows] == ["当年财政拨款", "上年结转资金", "其他资金"]
    assert t.funds.adjusted == 480.0 and t.funds.executed == 465.6  # "465.60" stored as text
    first, cost = t.rows[0], t.rows[4]
    assert (first.level1, first.level2, first.target, first.actual) == ("产出指标", "数量指标", "≥1200人", "1260人")
    assert t.rows[1].level1 == "产出指标"  # merged 一级 cell filled down
    assert cost.target == "≤3800元"
    assert t.goals["expected"].startswith("为辖区内")
    assert t.total == 97.7 and t.total_weight == 100.0


def test_every_flag_is_triggered(tmp_path: Path) -> None:
    path = write_table(faulty_spec(), tmp_path / "faulty.xlsx")
    [audit] = audit_file(path)
    data = audit.to_dict()
    kinds = {f["kind"] for f in data["flags"]}
    assert kinds == AUDIT_FLAGS, AUDIT_FLAGS - kinds
    by_name = {r["level3"]: r for r in data["rows"]}
    sheet = audit.table.sheet
    mismatch = by_name["培训场数"]
    assert (mismatch["reported_score"], mismatch["rule_score"], mismatch["difference"]) == (7.0, 6.4, 0.6)
    assert mismatch["flags"][0]["cell"].startswith(sheet + "!H")
    band = by_name["群众获得感"]
    assert band["rule_score"] == 7.99  # nearest score inside 部分达成 (60%–80%, upper bound excluded)
    assert {f["kind"] for f in band["flags"]} == {"qualitative_band", "full_score_missed_target"}
    assert by_name["印发材料"]["rule_score"] is None and data["rule_total"] is None
    budget_kinds = {f["kind"] for f in data["budget"]["flags"]}
    assert budget_kinds == {"budget_rate_mismatch", "budget_score_mismatch", "reason_missing"}
    assert data["budget"]["rule_score"] == 8.33
    assert data["weights"]["total"] == 86.0
    # every flag names a cell of the original sheet
    assert all(f["cell"].startswith(sheet + "!") for f in data["flags"])
    json.dumps(data, ensure_ascii=False)  # plain JSON values only


def test_weights_counted_twice_is_named(tmp_path: Path) -> None:
    from test_selfeval_support import clean_spec, replace

    spec = clean_spec()
    spec = replace(spec, indicators=[replace(i, weight=i.weight + (10 if i.level3 == "服务老人数" else 0),
                                             score=i.score + (10 if i.level3 == "服务老人数" else 0))
                                     for i in spec.indicators])
    [audit] = audit_file(write_table(spec, tmp_path / "w.xlsx"))
    flags = [f for f in audit.flags if f.kind == "weights_total"]
    assert len(flags) == 1 and "预算执行率的分值未计入100分" in flags[0].message


def test_rate_rounded_as_shown_is_not_flagged(tmp_path: Path) -> None:
    from test_selfeval_support import clean_spec

    # 465.6/480 = 97% exactly; 466/480 = 97.08% written as "97.1%" and as the number 0.971 are both fine
    spec = clean_spec(executed=466.0, rate="97.1%", budget_score=9.71)
    [a] = audit_file(write_table(spec, tmp_path / "r.xlsx"))
    assert not [f for f in a.flags if f.kind.startswith("budget")], a.flags
    spec = clean_spec(executed=466.0, rate=0.971, budget_score=9.71)
    [a] = audit_file(write_table(spec, tmp_path / "r2.xlsx"))
    assert not [f for f in a.flags if f.kind.startswith("budget")], a.flags


def test_tolerance_comes_from_the_rule_pack(tmp_path: Path) -> None:
    path = write_table(faulty_spec(), tmp_path / "faulty.xlsx")
    [a] = audit_file(path, Params(score_tolerance=1.0))
    assert "培训场数" not in {r.level3 for r in a.rows if any(f.kind == "score_mismatch" for f in r.flags)}


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; CI installs it via .ci/run")
def test_old_xls_from_libreoffice(tmp_path: Path) -> None:
    clean = write_clean(tmp_path / "src" / "自评表-变体.xlsx", "nature_unit", text_numbers=True)
    faulty = write_table(faulty_spec(), tmp_path / "src" / "faulty.xlsx")
    xls_clean = to_xls(clean, tmp_path / "xls", tmp_path / "profile")
    xls_faulty = to_xls(faulty, tmp_path / "xls", tmp_path / "profile")
    [a] = audit_file(xls_clean)
    assert a.to_dict()["flags"] == [] and a.rule_total == 97.7
    [b] = audit_file(xls_faulty)
    assert {f.kind for f in b.flags} == AUDIT_FLAGS


def test_funds_total_of_zero_beside_a_funded_row_is_flagged(tmp_path: Path) -> None:
    """年度资金总额 printed 0 while 其中 当年财政拨款 has the money (seen in published tables)."""
    from test_selfeval_support import clean_spec, replace

    spec = replace(clean_spec(), initial=0.0, adjusted=0.0, executed=0.0)
    [audit] = audit_file(write_table(spec, tmp_path / "zero.xlsx"))
    flags = [f for f in audit.budget.flags if f.kind == "funds_total_zero"]
    assert len(flags) == 1 and "全年预算数480、全年执行数465.6" in flags[0].message


def test_breakdown_rows_are_listed_not_scored(tmp_path: Path) -> None:
    """A "其中…" row with no 分值/得分 itemises the row above: no missing-value flags, no effect on totals."""
    from test_selfeval_support import clean_spec, replace
    from jixiao.workbook.selfeval.samples import Indicator

    spec = clean_spec()
    first = spec.indicators[0]
    item = Indicator(first.level1, first.level2, "其中：城区服务人数", "≥500人", "520人", None, None)
    spec = replace(spec, indicators=[first, item, *spec.indicators[1:]], total=spec.reported_total())
    [audit] = audit_file(write_table(spec, tmp_path / "items.xlsx"))
    row = next(r for r in audit.rows if r.level3 == "其中：城区服务人数")
    assert row.breakdown and row.rule is None and not row.flags
    assert audit.rule_total == 97.7 and not audit.flags
    # imported, the row stays for the reader, marked not applicable: the workbook scores as the table
    from openpyxl import load_workbook

    from jixiao import cli
    from jixiao.scoring import model as m
    from jixiao.workbook import layout as L

    out = tmp_path / "导入.xlsx"
    assert cli.main(["import", str(tmp_path / "items.xlsx"), "-o", str(out)]) == 0
    ws = load_workbook(out, data_only=True)[L.SHEET_INDICATORS]
    headers = [c.value for c in ws[L.HEADER_ROW]]
    row = next(r for r in ws.iter_rows(min_row=L.FIRST_DATA_ROW, values_only=True) if r[2] == "其中：城区服务人数")
    assert row[headers.index("适用")] == "否" and "不单独计分" in row[headers.index("数据来源/佐证材料")]
