"""``jixiao batch``: a folder of 自评表 (and one of our workbooks, and broken files) → 汇总.xlsx."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jixiao import cli
from jixiao.workbook.selfeval.batch import run_batch
from jixiao.workbook.selfeval.samples import random_spec
from jixiao.workbook.template import sample_workbook, save_workbook

from test_selfeval_support import faulty_spec, write_clean, write_table


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    write_clean(root / "a-clean.xlsx")
    write_clean(root / "b-clean-variant.xlsx", "nature_unit", text_numbers=True)
    write_table(faulty_spec(), root / "c-faulty.xlsx")
    rng = random.Random(7)
    for i in range(6):
        write_table(random_spec(rng, i), root / "sub" / f"r{i}.xlsx", variant=("standard", "nature_unit")[i % 2])
    save_workbook(sample_workbook(), root / "d-our-workbook.xlsx")
    (root / "e-broken.xlsx").write_bytes(b"garbage")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "会议纪要"
    wb.save(root / "f-not-a-table.xlsx")
    (root / "~$a-clean.xlsx").write_bytes(b"lock file")  # Excel's lock file: skipped
    return root


def _sheet(path: Path, name: str) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_batch_portfolio(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "汇总.xlsx"
    assert cli.main(["batch", str(folder), "-o", str(out), "--jobs", "2"]) == 2  # two files failed
    captured = capsys.readouterr()
    assert "已汇总 12 个文件（10 个项目" in captured.out
    assert "e-broken.xlsx" in captured.err and "f-not-a-table.xlsx" in captured.err
    projects = _sheet(out, "项目汇总")
    assert len(projects) == 10
    clean = next(p for p in projects if p["文件"] == "a-clean.xlsx")
    assert (clean["报告总分"], clean["复核总分"], clean["复核等级"], clean["预警合计"]) == (97.7, 97.7, "优", 0)
    assert clean["执行率"] == pytest.approx(0.97) and clean["实施单位"] == "某市养老服务指导中心"
    faulty = next(p for p in projects if p["文件"] == "c-faulty.xlsx")
    assert faulty["复核总分"] is None and faulty["复核等级"] == "未评出"
    assert faulty["得分与评分规则不符"] >= 1 and faulty["分值合计不为100"] == 1
    ours = next(p for p in projects if p["文件"] == "d-our-workbook.xlsx")
    assert ours["类型"] == "评价工作簿" and ours["复核总分"] is not None
    assert any(p["文件"] == str(Path("sub") / "r0.xlsx") for p in projects)

    flags = _sheet(out, "预警明细")
    mine = [f for f in flags if f["文件"] == "c-faulty.xlsx"]
    assert len(mine) == faulty["预警合计"]
    assert all(f["单元格"].startswith("项目支出绩效自评表!") for f in mine)
    assert {"培训场数", "预算执行率"} <= {f["指标"] for f in mine}

    grades = _sheet(out, "等级分布")
    assert [g["等级"] for g in grades] == ["优", "良", "中", "差", "未评出"]
    assert sum(g["项目数"] for g in grades) == 10
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())

    failed = _sheet(out, "未能读取")
    assert {f["文件"] for f in failed} == {"e-broken.xlsx", "f-not-a-table.xlsx"}
    assert all(f["错误"] for f in failed)


def test_batch_same_result_with_one_or_two_processes(folder: Path, tmp_path: Path) -> None:
    one = run_batch(folder, tmp_path / "1.xlsx", jobs=1)
    two = run_batch(folder, tmp_path / "2.xlsx", jobs=2)
    assert [(f.file, f.error, [(p.rule_total, p.counts) for p in f.lines]) for f in one.files] == \
           [(f.file, f.error, [(p.rule_total, p.counts) for p in f.lines]) for f in two.files]
    assert _sheet(tmp_path / "1.xlsx", "项目汇总") == _sheet(tmp_path / "2.xlsx", "项目汇总")


def test_batch_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["batch", str(tmp_path / "missing")]) == 2
    assert "不是文件夹" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["batch", str(tmp_path / "empty")]) == 2
    assert "没有 .xlsx/.xlsm/.xls 文件" in capsys.readouterr().err
