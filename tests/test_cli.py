"""The `jixiao` command line: subcommands, templates it writes, exit codes, Chinese help and usage errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import click
import pytest
from openpyxl import load_workbook

from jixiao import cli
from jixiao.cli.base import command
from jixiao.scoring import model as m
from jixiao.workbook import layout as L
from jixiao.workbook.template import DEPARTMENT_FRAMEWORK

from test_workbook_support import REPO, indicator_col, run_cli, write_sample


def _indicator_rows(path: Path) -> list[dict]:
    wb = load_workbook(path, data_only=True)
    ws = wb[L.SHEET_INDICATORS]
    rows = []
    for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        row = {c.id: ws.cell(row=r, column=j).value for j, c in enumerate(L.INDICATOR_COLUMNS, start=1)}
        if any(row[c.id] is not None for c in L.INDICATOR_INPUTS):
            rows.append(row)
    return rows


def test_help_lists_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for name in ("new", "demo", "refresh", "score"):
        assert name in out


def test_no_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "jixiao" in capsys.readouterr().out


def test_new_department_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "部门评价.xlsx"
    assert cli.main(["new", str(path)]) == 0
    assert str(path) in capsys.readouterr().out
    wb = load_workbook(path)
    assert wb.sheetnames == list(L.SHEET_ORDER)
    ws = wb[L.SHEET_INDICATORS]
    assert set(ws.tables) == {L.TABLE_INDICATORS}
    assert set(wb[L.SHEET_PROJECT].tables) == {L.TABLE_PROJECT} and set(wb[L.SHEET_PARAMS].tables) == {L.TABLE_PARAMS}
    headers = [ws.cell(row=L.HEADER_ROW, column=j).value for j in range(1, len(L.INDICATOR_COLUMNS) + 1)]
    assert headers == [c.header for c in L.INDICATOR_COLUMNS]
    rows = _indicator_rows(path)
    assert len(rows) == 17 == len(DEPARTMENT_FRAMEWORK)
    assert {r[m.LEVEL1] for r in rows} == {"决策", "过程", "产出", "效益"}
    assert len({(r[m.LEVEL1], r[m.LEVEL2]) for r in rows}) == 10
    assert all(r[m.WEIGHT] is None for r in rows)  # 分值 is the user's
    # dropdowns: methods, levels, 适用, 数据来源
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
             for dv in ws.data_validations.dataValidation if dv.type == "list"}
    col = lambda cid: ws.cell(row=1, column=indicator_col(cid)).column_letter  # noqa: E731
    assert m.METHOD_LABELS["checklist"] in lists[col(m.METHOD)]
    assert m.LEVEL_LABELS[m.LEVEL_MET] in lists[col(m.LEVEL)]
    assert lists[col(m.APPLICABLE)] == '"是,否"'
    assert m.RATE_FUNDS_RECEIVED in lists[col(m.SOURCE)]
    assert all(len(f) <= 257 for f in lists.values())  # Excel's 255-character limit for list sources
    assert ws.freeze_panes == f"E{L.FIRST_DATA_ROW}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${L.TITLE_ROW}:${L.HEADER_ROW}"
    score = ws.cell(row=L.FIRST_DATA_ROW, column=indicator_col(m.SCORE))
    assert score.number_format == "0.00" and score.fill.fgColor.rgb == L.FILL_COMPUTED
    assert ws.cell(row=L.FIRST_DATA_ROW, column=indicator_col(m.SCORE_RATE)).number_format == "0.00%"
    assert score.font.name == L.FONT_NAME
    assert "jx_budget_initial" in wb.defined_names and "jx_name" in wb.defined_names
    assert wb[L.SHEET_PROJECT]["C7"].value == "部门评价"


def test_new_self_evaluation_template(tmp_path: Path) -> None:
    path = tmp_path / "自评.xlsx"
    assert cli.main(["new", str(path), "--kind", "单位自评"]) == 0
    rows = _indicator_rows(path)
    first = rows[0]
    assert first[m.WEIGHT] == 10 and first[m.METHOD] == m.METHOD_LABELS["budget_execution"]
    assert first[m.SOURCE] == m.RATE_EXECUTION
    assert [r[m.LEVEL1] for r in rows][-1] == "满意度指标" and rows[-1][m.WEIGHT] == 10
    assert {r[m.LEVEL1] for r in rows} == {"预算执行率", "产出指标", "效益指标", "满意度指标"}
    banner = load_workbook(path)[L.SHEET_INDICATORS]["A1"].value
    assert "产出指标50分" in banner and "效益指标30分" in banner


def test_new_with_rule_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jixiao.scoring import load_pack

    path = tmp_path / "严格.xlsx"
    assert cli.main(["new", str(path), "--pack", "province-strict"]) == 0
    ws = load_workbook(path)[L.SHEET_PARAMS]
    assert ws.cell(row=L.FIRST_DATA_ROW, column=2).value == load_pack("province-strict").name
    assert cli.main(["new", str(tmp_path / "x.xlsx"), "--pack", "没有这个"]) == 2
    assert "规则包" in capsys.readouterr().err


def test_refresh_and_score_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_sample(tmp_path / "样例.xlsx")
    assert cli.main(["refresh", str(src)]) == 0
    out = capsys.readouterr().out
    assert "样例_已评分.xlsx" in out and "总分 98.4" in out
    assert cli.main(["score", str(tmp_path / "样例_已评分.xlsx")]) == 0
    assert "等级 优" in capsys.readouterr().out
    assert cli.main(["refresh", str(src), "-o", str(tmp_path / "x.xlsx"), "--in-place"]) == 2


def test_in_place_reports_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_sample(tmp_path / "样例.xlsx")
    assert cli.main(["refresh", str(src), "--in-place"]) == 0
    out = capsys.readouterr().out
    assert "样例.bak.xlsx" in out and (tmp_path / "样例.bak.xlsx").exists()


def test_adding_a_subcommand_is_one_decorated_function(capsys: pytest.CaptureFixture[str]) -> None:
    calls = []

    @command("hello", "测试用命令")
    @click.argument("name")
    def hello(name: str) -> int:
        calls.append(name)
        return 0

    cli.app.add_command(hello)
    try:
        assert cli.main(["hello", "世界"]) == 0
        assert calls == ["世界"]
    finally:
        del cli.app.commands["hello"]


def test_unexpected_error_is_one_line_exit_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    @command("score", "x")
    @click.argument("input")
    def boom(input: str) -> int:
        raise RuntimeError("测试故障")

    monkeypatch.setitem(cli.app.commands, "score", boom)
    assert cli.main(["score", "a.xlsx"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "测试故障" in err and "--debug" in err and "Traceback" not in err
    assert cli.main(["--debug", "score", "a.xlsx"]) == 1
    assert "Traceback" in capsys.readouterr().err
    assert cli.main(["score", "a.xlsx", "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "says"), [
    (["new"], "缺少参数 工作簿.xlsx"),
    (["new", "x.xlsx", "--kind", "财政"], "--kind 的值无效：“财政”不是可选值（可选：部门评价、单位自评）"),
    (["new", "x.xlsx", "--kind"], "选项 --kind 后面需要跟一个值"),
    (["new", "x.xlsx", "y.xlsx"], "多余的参数：y.xlsx"),
    (["refresh", "x.xlsx", "--in-place=yes"], "选项 --in-place 不需要值"),
    (["refresh", "x.xlsx", "--inplace"], "没有“--inplace”这个选项，是否想用：--in-place"),
    (["batch", "d", "--jobs", "两个"], "--jobs 的值无效：“两个”不是整数"),
    (["bogus"], "没有“bogus”这个命令（可用的命令：new、demo、refresh、score、import、audit、batch、report、check-report）"),
])
def test_usage_errors_are_chinese_exit_2(argv: list[str], says: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0].startswith("用法：jixiao") and lines[1] == f"错误：{says}" and "--help" in lines[2]
    assert not any(c.isascii() and c.isalpha() for c in lines[1].replace(says, "")), lines[1]
    assert not (tmp_path / "x.xlsx").exists()


def test_help_is_chinese_and_fits_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["refresh", "-h"], ["check-report", "--help"]):
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("用法：jixiao") and "选项：" in out and "显示本帮助并退出" in out
        for english in ("Usage", "Options", "Show this message", "Arguments", "Commands"):
            assert english not in out
        assert max(sum(2 if ord(c) > 0x2E7F else 1 for c in line) for line in out.splitlines()) <= 80
    with pytest.raises(SystemExit):
        cli.main(["refresh", "--help"])
    out = capsys.readouterr().out
    assert "参数：" in out and "工作簿.xlsx" in out and "要评分的工作簿（.xlsx/.xlsm）" in out


def test_console_script_and_module(tmp_path: Path) -> None:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["scripts"]["jixiao"] == "jixiao.cli:main"
    proc = run_cli("--help")
    assert proc.returncode == 0 and "refresh" in proc.stdout
    proc = run_cli("new", str(tmp_path / "t.xlsx"), "--kind", "单位自评")
    assert proc.returncode == 0 and (tmp_path / "t.xlsx").exists()
