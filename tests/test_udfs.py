"""Worksheet functions ``jixiao.addin.udfs`` (JX_*), through xlwings' own conversion layer.

Two routes are checked:

* **xlwings Server / Office.js** -- ``xlwings.server.custom_functions_call`` with the JSON body
  Excel sends (every argument a 2-D list, empty cells as "", error cells as Office.js error
  objects).  xlwings decides at ``import xlwings`` time whether ``@xw.func`` records metadata
  (``XLWINGS_ON_SERVER``), and other test modules import xlwings first in this process, so those
  calls run in one subprocess (``tests/udfs_server_harness.py``) started with the environment set
  before the import.  No mocks: the real decorators, conversion pipelines and officejs engine.
* **plain Python / desktop** -- the same functions called directly with Excel-shaped arguments
  (desktop xlwings hands them 2-D lists the same way); call-level errors come back as one
  ``"#VALUE! <原因>"`` cell there instead of an exception.
"""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from jixiao.addin import udfs  # noqa: E402

HARNESS = Path(__file__).with_name("udfs_server_harness.py")
ERR = {"#VALUE!": "Value", "#N/A": "NotAvailable", "#DIV/0!": "Div0"}


def xl_error(code: str) -> dict:
    """What Office.js (CustomFunctionsRuntime 1.4) receives for an Excel error value."""
    return {"type": "Error", "errorType": ERR[code]}


def officejs_error_cell(code: str) -> dict:
    """An input cell holding an error, as Office.js sends it with allowErrorForDataTypeAny."""
    return {"type": "Error", "basicValue": code, "errorType": ERR[code]}


def col(*values):
    return [[v] for v in values]


# --------------------------------------------------------------------------------------------
# The column every test refers to: 10 rows as Excel sends them (empty cells are "")
# --------------------------------------------------------------------------------------------
SCORE_ROWS = [
    # weight, target,        actual,   method,     level,          judgement   -> expected
    (10, "≥90场", "117场", "", "", ""),  # 0 met, over-achievement note -> 10
    (10, "≥1500条", "1200条", "", "", ""),  # 1 partial -> 8
    ("", "", "", "", "", ""),  # 2 empty row -> empty
    (10, "≥90%", "约九十", "", "", ""),  # 3 text in a number cell -> #VALUE!
    (10, "≥90场", "100人", "", "", ""),  # 4 unit mismatch -> #VALUE!
    (10, "达成年度指标", "", "定性分档", "达成年度指标", 5),  # 5 score outside its band -> #VALUE!
    (10, "达成年度指标", "", "定性分档", "达成年度指标", 9),  # 6 inside -> 9
    (5, "≤5%", 0.03, "", "", ""),  # 7 lower is better, an Excel number next to a % -> 5
    ("", "≥90%", 0.95, "", "", ""),  # 8 no 分值 -> #N/A
    (10, "≥90%", officejs_error_cell("#N/A"), "", "", ""),  # 9 the actual cell holds #N/A -> #N/A
]
SCORE_ARGS = [[[row[i]] for row in SCORE_ROWS] for i in range(6)]

CASES = {
    "score_scalar": {"func_name": "JX_SCORE", "args": [[[10]], [["≥90场"]], [["117场"]]]},
    "score_scalar_error": {"func_name": "JX_SCORE", "args": [[[10]], [["≥90场"]], [["100人"]]]},
    "score_column": {"func_name": "JX_SCORE", "args": SCORE_ARGS},
    "score_column_reason": {"func_name": "JX_SCORE",
                            "args": SCORE_ARGS + [None, None, [[True]]]},
    "score_scalar_weight": {"func_name": "JX_SCORE",
                            "args": [[[10]], col("≥90场", "", ""), col("117场", "", "")]},
    "score_pack": {"func_name": "JX_SCORE",
                   "args": [[[10]], [["≤5%"]], [["6%"]], None, None, None, None, [["province-strict"]]]},
    "explain_column": {"func_name": "JX_EXPLAIN", "args": SCORE_ARGS},
    "score_mismatch": {"func_name": "JX_SCORE", "args": [col(10, 10), col("≥90场", "≥90场", "≥90场"), [["117场"]]]},
    "score_mismatch_desktop": {"func_name": "JX_SCORE", "raise_call_errors": False,
                               "args": [col(10, 10), col("≥90场", "≥90场", "≥90场"), [["117场"]]]},
    "score_bad_pack": {"func_name": "JX_SCORE",
                       "args": [[[10]], [["≥90场"]], [["117场"]], None, None, None, None, [["不存在的规则包"]]]},
    "rate_column": {"func_name": "JX_RATE", "args": [
        col("117场", "", "约九十", "100人", 5, "95%", "达成年度指标"),
        col("≥90场", "", "≥90%", "90场", 0, "≥90%", "达成年度指标"),
        [[True]]]},
    "deviation_scalar": {"func_name": "JX_DEVIATION", "args": [[["1922条"]], [["1500条"]]]},
    "grade_edges": {"func_name": "JX_GRADE", "args": [col(59.99, 60, 89.99, 90, 79.99, 80, "", "九十", 100.5)]},
    "grade_scalar": {"func_name": "JX_GRADE", "args": [[[89.99]]]},
    "grade_bands_text": {"func_name": "JX_GRADE", "args": [col(85, 95), [["优:95; 良:85; 中:60"]]]},
    "grade_row": {"func_name": "JX_GRADE", "args": [[[59.99, 60, 90]]]},
    "parse_column": {"func_name": "JX_PARSE", "args": [col("≥90%", "约九十", "", "6.5万份", "达成年度指标")]},
    "parse_column_reason": {"func_name": "JX_PARSE",
                            "args": [col("≥90%", "约九十", "", "6.5万份", "达成年度指标"), None, [[True]]]},
    "parse_all": {"func_name": "JX_PARSE", "args": [col("≥90%", "117场"), [["全部"]]]},
    "parse_unit": {"func_name": "JX_PARSE", "args": [col("≥90%", "6.5万份", "不超过10万元"), [["单位"]]]},
    "parse_bad_field": {"func_name": "JX_PARSE", "args": [[["≥90%"]], [["颜色"]]]},
    "exec_self": {"func_name": "JX_EXEC_RATE", "args": [[[130]], [[144]]]},
    "exec_framework": {"func_name": "JX_EXEC_RATE", "args": [[[120]], [[150]], [[125]], [["实际到位"]]]},
    "exec_column": {"func_name": "JX_EXEC_RATE",
                    "args": [col(130, "", 10, "一百", "130万元"), col(144, 100, 0, 144, "1440000元"), None, None, [[True]]]},
    "exec_bad_basis": {"func_name": "JX_EXEC_RATE", "args": [[[130]], [[144]], None, [["随便"]]]},
    "adj_reference": {"func_name": "JX_ADJ_RATE", "args": [[[6.81]], [[144]]]},
    "score_runtime_13": {"func_name": "JX_SCORE", "runtime": "1.3",
                         "args": [col(10, 10), col("≥90场", "≥90%"), col("117场", "约九十")]},
}


@pytest.fixture(scope="module")
def server_run() -> dict:
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, str(HARNESS)], input=json.dumps({"cases": CASES}),
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["on_server"] is True
    return out


def result(server_run: dict, name: str):
    r = server_run["results"][name]
    assert "result" in r, r
    return r["result"]


def values(grid) -> list:
    return [row[0] for row in grid]


# --------------------------------------------------------------------------------------------
# Server route
# --------------------------------------------------------------------------------------------
def test_scalar_call(server_run):
    assert result(server_run, "score_scalar") == [[10.0]]
    assert result(server_run, "score_scalar_error") == [[xl_error("#VALUE!")]]
    assert result(server_run, "deviation_scalar") == [[pytest.approx(422 / 1500)]]
    assert result(server_run, "grade_scalar") == [["良"]]
    assert result(server_run, "exec_self") == [[pytest.approx(130 / 144)]]
    assert result(server_run, "exec_framework") == [[pytest.approx(120 / 125)]]
    assert result(server_run, "adj_reference") == [[pytest.approx(0.0473, abs=5e-5)]]


def test_column_call_spills_same_height(server_run):
    grid = result(server_run, "score_column")
    assert len(grid) == len(SCORE_ROWS) and all(len(row) == 1 for row in grid)
    assert values(grid) == [
        10.0, 8.0, "", xl_error("#VALUE!"), xl_error("#VALUE!"), xl_error("#VALUE!"), 9.0, 5.0,
        xl_error("#N/A"), xl_error("#N/A"),
    ]


def test_column_errors_carry_chinese_reasons(server_run):
    grid = result(server_run, "score_column_reason")
    assert len(grid) == len(SCORE_ROWS) and all(len(row) == 2 for row in grid)
    score, reason = zip(*grid)
    assert score[0] == 10.0 and "达到目标" in reason[0] and "超目标" in reason[0]
    assert score[2] == "" and reason[2] == ""
    assert "约九十" in reason[3] and "无法识别" in reason[3]
    assert "单位不一致" in reason[4]
    assert "5分不在" in reason[5] and "8–10分" in reason[5]
    assert reason[8] == "错误：分值为空"
    assert reason[9] == "错误：实际值单元格为错误值#N/A"
    for text in reason:
        assert "Traceback" not in text and "Error" not in text
    explain = values(result(server_run, "explain_column"))
    assert explain[2] == ""
    assert explain[3].startswith("错误：") and "约九十" in explain[3]
    assert list(explain[6:7]) == [r for r in reason[6:7]]


def test_scalar_weight_does_not_turn_empty_rows_into_errors(server_run):
    assert values(result(server_run, "score_scalar_weight")) == [10.0, "", ""]


def test_rule_pack_argument(server_run):
    # province-strict scores reverse indicators by inverse ratio: 10 × 5%/6%
    assert result(server_run, "score_pack") == [[pytest.approx(8.33)]]


def test_call_level_errors_are_chinese_xlwings_errors(server_run):
    for name, words in [("score_mismatch", ["参数区域大小不一致", "2行×1列", "3行×1列"]),
                        ("score_bad_pack", ["不存在的规则包", "national"]),
                        ("parse_bad_field", ["颜色", "数值"]),
                        ("exec_bad_basis", ["随便", "自评", "实际到位"])]:
        r = server_run["results"][name]
        assert r.get("error") == "XlwingsError", (name, r)  # xlwings Server answers 400 with the text
        assert all(w in r["message"] for w in words), (name, r["message"])
        assert "Traceback" not in r["message"]


def test_call_level_error_on_desktop_is_one_value_cell(server_run):
    grid = result(server_run, "score_mismatch_desktop")
    assert len(grid) == 1 and len(grid[0]) == 1
    assert grid[0][0].startswith("#VALUE! 参数区域大小不一致")


def test_rates_per_element(server_run):
    grid = result(server_run, "rate_column")
    rate, reason = zip(*grid)
    assert rate[0] == pytest.approx(1.3) and reason[0] == ""
    assert rate[1] == "" and reason[1] == ""
    assert rate[2] == xl_error("#VALUE!") and "约九十" in reason[2]
    assert rate[3] == xl_error("#VALUE!") and "单位不一致" in reason[3]
    assert rate[4] == xl_error("#DIV/0!") and "目标值为0" in reason[4]
    assert rate[5] == pytest.approx(0.95 / 0.9)
    assert rate[6] == xl_error("#N/A") and "没有完成率" in reason[6]


def test_grade_edges(server_run):
    assert values(result(server_run, "grade_edges")) == [
        "差", "中", "良", "优", "中", "良", "", xl_error("#VALUE!"), xl_error("#VALUE!")]
    assert values(result(server_run, "grade_bands_text")) == ["良", "优"]
    assert result(server_run, "grade_row") == [["差", "中", "优"]]


def test_parse(server_run):
    assert values(result(server_run, "parse_column")) == [
        pytest.approx(0.9), xl_error("#VALUE!"), "", 65000.0, xl_error("#N/A")]
    reasons = [row[1] for row in result(server_run, "parse_column_reason")]
    assert reasons[0] == "" and "约九十" in reasons[1] and "没有数值" in reasons[4]
    assert result(server_run, "parse_all") == [
        ["百分比", "≥", pytest.approx(0.9), "%", "", "", xl_error("#N/A"), "百分比：≥ 90%"],
        ["数值", "", 117.0, "场", "", "", xl_error("#N/A"), "数值：117 场"],
    ]
    assert values(result(server_run, "parse_unit")) == ["%", "份", "元"]


def test_execution_rate_column(server_run):
    rate, reason = zip(*result(server_run, "exec_column"))
    assert rate[0] == pytest.approx(130 / 144)
    assert rate[1] == xl_error("#N/A") and reason[1] == "全年执行数未填写"
    assert rate[2] == xl_error("#DIV/0!") and "全年预算数为0" in reason[2]
    assert rate[3] == xl_error("#VALUE!") and "不是金额" in reason[3]
    assert rate[4] == pytest.approx(130 / 144)  # "130万元" / "1440000元"


def test_old_runtime_gets_error_text(server_run):
    # CustomFunctionsRuntime < 1.4 has no error objects; xlwings keeps the code as text
    assert values(result(server_run, "score_runtime_13")) == [10.0, "#VALUE!"]


def test_metadata_served_to_officejs(server_run):
    meta = server_run["meta"]
    assert meta["allowErrorForDataTypeAny"] is True
    functions = {f["id"]: f for f in meta["functions"]}
    assert set(udfs.UDF_NAMES) <= set(functions)
    score = functions["JX_SCORE"]
    assert score["name"] == "JX_SCORE"
    assert "得分" in score["description"]
    params = [(p["name"], p.get("optional", False)) for p in score["parameters"]]
    assert params == [("weight", False), ("target", False), ("actual", False), ("method", True),
                      ("level", True), ("judgement", True), ("criteria", True), ("pack", True),
                      ("with_reason", True)]
    assert all(p["dimensionality"] == "matrix" for p in score["parameters"])
    for f in functions.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f["description"])  # Chinese help text
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p["description"]) for p in f["parameters"])
    code = server_run["code"]
    for name in udfs.UDF_NAMES:
        assert f'CustomFunctions.associate("{name}", {name});' in code


# --------------------------------------------------------------------------------------------
# Direct calls (desktop behaviour: no exceptions leave a function)
# --------------------------------------------------------------------------------------------
@pytest.fixture
def desktop(monkeypatch):
    monkeypatch.setattr(udfs, "RAISE_CALL_ERRORS", False)
    return udfs


def test_direct_scalar_and_column(desktop):
    assert desktop.JX_SCORE(10, "≥90场", "117场") == [[10.0]]
    # desktop xlwings hands an error cell over as its text when err_to_str=True
    args = [[[v["basicValue"] if isinstance(v, dict) else v] for [v] in arg] for arg in SCORE_ARGS]
    grid = desktop.JX_SCORE(*args)
    assert [row[0] for row in grid] == [10.0, 8.0, None, "#VALUE!", "#VALUE!", "#VALUE!", 9.0, 5.0,
                                        "#N/A", "#N/A"]


def test_direct_flat_sequences(desktop):
    # a flat list is a row (as xlwings' Ensure2DStage has it); a Series or 1-D array a column
    import numpy as np
    import pandas as pd

    assert desktop.JX_GRADE([59.99, 60, 89.99, 90]) == [["差", "中", "良", "优"]]
    assert desktop.JX_GRADE((59.99, 90)) == [["差", "优"]]
    assert desktop.JX_GRADE(pd.Series([59.99, 90])) == [["差"], ["优"]]
    assert desktop.JX_GRADE(np.array([59.99, 90])) == [["差"], ["优"]]


def test_two_dimensional_block_broadcasts_like_excel(desktop):
    # a column of actuals against a row of targets gives a 2×2 block
    grid = desktop.JX_RATE([[90], [45]], [[90, 45]])
    assert grid == [[1.0, 2.0], [0.5, 1.0]]
    assert desktop.JX_RATE([[90], [45]], [[90, 45]], True)[0][0].startswith("#VALUE! ")


def test_desktop_call_errors_are_a_value_cell(desktop):
    out = desktop.JX_EXEC_RATE(130, 144, None, "实际到位")
    assert out == [["#VALUE! 实际到位口径须提供第3个参数“实际到位资金”"]]


def test_unexpected_exception_never_shows_a_traceback(desktop, caplog):
    @udfs._guard
    def JX_BROKEN(x):  # noqa: N802
        raise ZeroDivisionError("boom")

    out = JX_BROKEN(1)
    assert out[0][0].startswith("#VALUE! JX_BROKEN内部错误（ZeroDivisionError：boom）")
    assert "Traceback" not in out[0][0]


def test_server_mode_raises_xlwings_error(monkeypatch):
    import xlwings as xw

    monkeypatch.setattr(udfs, "RAISE_CALL_ERRORS", True)
    with pytest.raises(xw.XlwingsError, match="参数区域大小不一致"):
        udfs.JX_SCORE([[10], [10]], [[1], [2], [3]], 1)


def test_vectorised_engine_call_once(desktop, monkeypatch):
    """A column is one engine call, not one per cell."""
    calls = []
    real = udfs.score_indicators

    def counting(df, *args, **kwargs):
        calls.append(len(df))
        return real(df, *args, **kwargs)

    monkeypatch.setattr(udfs, "score_indicators", counting)
    n = 500
    grid = desktop.JX_SCORE([[10]] * n, [["≥90场"]] * n, [[f"{i}场"] for i in range(n)])
    assert len(grid) == n and calls == [n]


def test_desktop_shapes_from_pywin32(desktop):
    """What classic xlwings hands over with the raw converter: tuples of rows, errors as ints."""
    import datetime as dt

    na = -2146826246  # pywin32's #N/A
    grid = desktop.JX_SCORE(((10.0,), (10.0,), (10.0,)), (("≥90场",), ("≥90%",), ("2021年12月31日前",)),
                            (("117场",), (na,), (dt.datetime(2021, 12, 20, tzinfo=dt.timezone.utc),)),
                            None, None, None, None, None, True)
    assert grid[0][0] == 10.0
    assert grid[1] == ["#N/A", "错误：实际值单元格为错误值#N/A"]
    assert grid[2][0] == 10.0 and "按期完成" in grid[2][1]
    # an omitted optional argument arrives as its default; an empty cell as None
    assert desktop.JX_SCORE(10.0, "≥90场", None) == [[0.0]]
    assert desktop.JX_EXPLAIN(10.0, "≥90场", None)[0][0].startswith("实际值未填写")
