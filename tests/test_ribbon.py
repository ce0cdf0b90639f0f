"""``jixiao.addin.ribbon``: what the 刷新评分 button and xlwings Server / Lite run, on the remote engine.

Errors must reach the user in Chinese and name the cell, never as a traceback; the workbook is
left unchanged when the remote route refuses.  ``main()`` is run through xlwings' own
``Book.set_mock_caller`` (its documented way to run a RunPython entry point outside Excel) on a
remote book, so everything but the COM/AppleScript calls inside Excel is exercised.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402
import xlwings as xw  # noqa: E402

import jixiao  # noqa: E402
from jixiao.addin import ribbon  # noqa: E402
from jixiao.workbook import layout as L  # noqa: E402

from test_xlwings_refresh import apply_actions, book_json, remote_book, write_sample  # noqa: E402

SERVER_HARNESS = textwrap.dedent("""
    import os
    os.environ["XLWINGS_ON_SERVER"] = "true"
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import asyncio, copy, json, sys
    import xlwings as xw
    from xlwings import server
    from jixiao.addin import ribbon

    payload = json.loads(open(sys.argv[1], encoding="utf-8").read())
    out = {"meta": server.custom_scripts_meta(ribbon), "is_wrapped": ribbon.refresh is not ribbon.refresh_workbook}
    book = xw.Book(json=copy.deepcopy(payload))  # the engine updates its JSON in place
    returned = asyncio.run(server.custom_scripts_call(ribbon, "refresh", None, {xw.Book: book}))
    out["returned_same_book"] = returned == book
    out["actions"] = book.json()["actions"]
    direct = xw.Book(json=copy.deepcopy(payload))
    ribbon.refresh_workbook(direct)
    out["direct_actions"] = direct.json()["actions"]
    bad = dict(payload, sheets=[s for s in payload["sheets"] if s["name"] != "指标体系"])
    try:
        asyncio.run(server.custom_scripts_call(ribbon, "refresh", None, {xw.Book: xw.Book(json=copy.deepcopy(bad))}))
        out["error"] = None
    except xw.XlwingsError as exc:
        out["error"] = str(exc)
    print(json.dumps(out, ensure_ascii=False, default=str))
""")


@pytest.fixture(scope="module")
def payload(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return book_json(write_sample(tmp_path_factory.mktemp("ribbon") / "sample.xlsx"))


def indicator_row(payload: dict[str, Any], name: str) -> int:
    """1-based row of the indicator whose 三级/明细 name is ``name``."""
    values = next(s for s in payload["sheets"] if s["name"] == L.SHEET_INDICATORS)["values"]
    return next(i for i, r in enumerate(values, start=1) if name in (r[2], r[3]))


def with_cell(payload: dict[str, Any], sheet: str, row: int, col: int, value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(payload))
    values = next(s for s in data["sheets"] if s["name"] == sheet)["values"]
    values[row - 1][col - 1] = value
    return data


def refresh_error(data: dict[str, Any]) -> tuple[str, list[Any]]:
    """Run ``ribbon.refresh``; it must raise XlwingsError: (message, actions queued)."""
    book = remote_book(data)
    try:
        with pytest.raises(xw.XlwingsError) as info:
            ribbon.refresh(book)
        return str(info.value), book.json()["actions"]
    finally:
        book.close()


def assert_user_message(message: str) -> None:
    assert "Traceback" not in message and 'File "' not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


# --------------------------------------------------------------------------------------------
# refresh(book) on the remote engine
# --------------------------------------------------------------------------------------------
def test_refresh_returns_result_and_queues_actions(payload: dict[str, Any]) -> None:
    book = remote_book(payload)
    try:
        result = ribbon.refresh(book)
        assert result is not None and result.ok and result.evaluation.grade
        assert book.json()["actions"]
    finally:
        book.close()


def test_missing_sheet_is_reported_in_chinese_and_nothing_is_written(payload: dict[str, Any]) -> None:
    data = json.loads(json.dumps(payload))
    data["sheets"] = [s for s in data["sheets"] if s["name"] != L.SHEET_INDICATORS]
    message, actions = refresh_error(data)
    assert_user_message(message)
    assert f"“{L.SHEET_INDICATORS}”" in message and "未作任何修改" in message
    assert actions == []


def test_bad_target_names_the_cell(payload: dict[str, Any]) -> None:
    row = indicator_row(payload, "门户网站发布信息量")
    target_col = 1 + [c.id for c in L.INDICATOR_INPUTS].index("target")
    message, actions = refresh_error(with_cell(payload, L.SHEET_INDICATORS, row, target_col, "约一千五"))
    assert_user_message(message)
    assert f"{L.SHEET_INDICATORS}!{L.cell_ref(row, target_col)}：" in message
    assert "1 处输入错误" in message
    assert actions == []


def test_error_value_in_a_cell_names_the_cell(payload: dict[str, Any]) -> None:
    row = indicator_row(payload, "发送政务短信数量")
    actual_col = 1 + [c.id for c in L.INDICATOR_INPUTS].index("actual")
    message, actions = refresh_error(with_cell(payload, L.SHEET_INDICATORS, row, actual_col, "#DIV/0!"))
    assert f"{L.SHEET_INDICATORS}!{L.cell_ref(row, actual_col)}" in message and "#DIV/0!" in message
    assert actions == []


def test_many_errors_are_cut_to_a_readable_message(payload: dict[str, Any]) -> None:
    data = json.loads(json.dumps(payload))
    values = next(s for s in data["sheets"] if s["name"] == L.SHEET_INDICATORS)["values"]
    weight_col = [c.id for c in L.INDICATOR_INPUTS].index("weight")
    rows = [i for i, r in enumerate(values) if i >= L.HEADER_ROW and r[weight_col] not in ("", None)]
    for i in rows:
        values[i][weight_col] = "很多"
    message, _ = refresh_error(data)
    assert message.count("\n· ") == ribbon.MAX_LINES
    assert "另有" in message


def test_unexpected_failure_is_an_internal_error_with_a_log(payload: dict[str, Any]) -> None:
    """A client payload the engine cannot use (an Office.js client that sends no chart list, so
    the old 汇总 chart cannot be found) → 内部错误, no traceback."""
    data = json.loads(json.dumps(payload))
    del next(s for s in data["sheets"] if s["name"] == L.SHEET_SUMMARY)["charts"]
    message, _ = refresh_error(data)
    assert_user_message(message)
    assert message.startswith("内部错误") and "KeyError" in message
    log = Path(message.split("详细信息已写入 ")[1].split("，")[0])
    assert log.exists() and "Traceback" in log.read_text(encoding="utf-8")


def test_refresh_is_an_xlwings_script_and_callable_with_a_book() -> None:
    # in this process (no XLWINGS_ON_SERVER) the decorator hands back the function itself
    assert ribbon.refresh.__name__ == "refresh"
    assert ribbon.refresh.__annotations__["book"] in ("xw.Book", xw.Book)


def test_xlwings_server_runs_the_script(payload: dict[str, Any], tmp_path: Path) -> None:
    """With XLWINGS_ON_SERVER=true (set before importing xlwings, hence a fresh interpreter):
    xlwings Server lists 刷新评分 and runs it through its own ``custom_scripts_call``."""
    body = tmp_path / "book.json"
    body.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-c", SERVER_HARNESS, str(body)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    (meta,) = out["meta"]
    assert meta["function_name"] == "refresh" and meta["name"] == ribbon.SCRIPT_NAME
    assert out["is_wrapped"] and out["returned_same_book"]
    assert out["actions"] == out["direct_actions"] and len(out["actions"]) > 5
    assert out["error"] and L.SHEET_INDICATORS in out["error"]
    model = apply_actions(payload, out["actions"])
    assert model[L.SHEET_SUMMARY].value(*L.SUMMARY_TOTAL_CELL) == 98.4


# --------------------------------------------------------------------------------------------
# main(): what the button runs (jixiao.main → ribbon.main on Book.caller())
# --------------------------------------------------------------------------------------------
@pytest.fixture
def caller():
    books = []

    def set_caller(data: dict[str, Any]) -> xw.Book:
        book = remote_book(data)
        book.set_mock_caller()
        books.append(book)
        return book

    yield set_caller
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller
    for book in books:
        book.close()


def test_main_refreshes_the_calling_book(payload: dict[str, Any], caller) -> None:
    book = caller(payload)
    assert jixiao.main() is None  # the entry point RunPython imports: jixiao.main → ribbon.main
    actions = book.json()["actions"]
    model = apply_actions(payload, actions)
    assert model[L.SHEET_SUMMARY].value(*L.SUMMARY_TOTAL_CELL) == 98.4


def test_main_ends_with_the_chinese_message_not_a_traceback(payload: dict[str, Any], caller) -> None:
    data = json.loads(json.dumps(payload))
    data["sheets"] = [s for s in data["sheets"] if s["name"] != L.SHEET_PROJECT]
    book = caller(data)
    with pytest.raises(SystemExit) as info:
        ribbon.main()
    message = info.value.code
    assert isinstance(message, str)  # printed to stderr as is, exit status 1: RunPython's popup
    assert_user_message(message)
    assert f"“{L.SHEET_PROJECT}”" in message
    assert book.json()["actions"] == []


def test_main_outside_excel_says_how_to_run_it() -> None:
    assert not hasattr(xw.Book, "_mock_caller")
    with pytest.raises(SystemExit) as info:
        ribbon.main()
    assert info.value.code == ribbon.M_NO_CALLER
