"""The refresh through xlwings (``XlwingsBook`` + ``ribbon.refresh``) on xlwings' real remote engine.

``xw.Book(json=...)`` is the engine behind xlwings Server and xlwings Lite: reads come from the
JSON the Excel client sent, writes become *actions* in ``book.json()`` that the client carries out.
No mocks: the books below are built from the sample workbook's sheets the way the clients build
them (``xlwings/js/xlwings.ts``: values of A1:last used cell, "" for empty cells, names, tables),
and ``apply_actions`` plays the returned actions back the way Excel would (a leading apostrophe
keeps text as text; an unprotected "=..." or "001" would NOT stay text, so the emulation turns
it into a formula/number and the comparison fails).  The result is compared cell by cell with
``jixiao refresh`` on the same file.

Helpers here are imported by ``test_ribbon.py`` and ``test_server.py``.
"""

from __future__ import annotations

import copy
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402
import xlwings as xw  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from openpyxl.utils.cell import range_boundaries  # noqa: E402

from jixiao import cli  # noqa: E402
from jixiao.addin import ribbon  # noqa: E402
from jixiao.scoring import model as m  # noqa: E402
from jixiao.addin.books_xlwings import XlwingsBook, cell_value, excel_text  # noqa: E402
from jixiao.workbook import layout as L  # noqa: E402
from jixiao.workbook import summary as S  # noqa: E402
from jixiao.workbook.refresh import refresh_book  # noqa: E402
from jixiao.workbook.template import sample_workbook, save_workbook  # noqa: E402

XW_DIR = Path(xw.__file__).parent
MAX_ACTIONS = 60


# ============================================================================================
# Workbooks
# ============================================================================================
def write_sample(path: Path) -> Path:
    """The unscored sample workbook (what ``jixiao demo`` scores), 26 indicator rows."""
    return save_workbook(sample_workbook(), path)


def write_big(path: Path, rows: int = 2000) -> Path:
    """The sample grown to ``rows`` indicator rows, 分值 still adding up to 100 (error-free, like the
    sample): the generator the limits benchmark uses too."""
    from hostile_files import big_table

    return big_table(rows)(path)


def jixiao_refresh(path: Path, out: Path) -> Path:
    """``jixiao refresh IN -o OUT`` (the command line's own entry point)."""
    assert cli.main(["refresh", str(path), "-o", str(out)]) == 0
    return out


# ============================================================================================
# The JSON an Excel client sends (xlwings.ts / Office.js add-in): book, names, sheets
# ============================================================================================
def _json_cell(value: Any, floats: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%dT00:00:00.000Z")
    if floats and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # what COM (desktop) delivers for every number
    return value


def _address(min_col: int, min_row: int, max_col: int, max_row: int) -> str:
    from openpyxl.utils import get_column_letter as col

    return f"{col(min_col)}{min_row}:{col(max_col)}{max_row}"


def book_json(path: Path, client: str = "Office.js", floats: bool = False, active: int = 2) -> dict[str, Any]:
    """The request body a client sends for the workbook at ``path`` (cached values)."""
    wb = load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        values = [[_json_cell(v, floats) for v in row]
                  for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)]
        tables = []
        for t in ws.tables.values():
            c1, r1, c2, r2 = range_boundaries(t.ref)
            tables.append({
                "name": t.name, "range_address": t.ref,
                "header_row_range_address": _address(c1, r1, c2, r1),
                "data_body_range_address": _address(c1, r1 + 1, c2, r2),
                "total_row_range_address": None, "show_headers": True, "show_totals": False,
                "table_style": t.tableStyleInfo.name if t.tableStyleInfo else None, "show_autofilter": True,
            })
        charts = [{"name": f"Chart {k + 1}", "chart_type": "ColumnClustered", "left": 0, "top": 0,
                   "width": 400, "height": 200} for k in range(len(ws._charts))]
        sheets.append({
            "name": ws.title, "values": values or [[]], "pictures": [], "shapes": [], "charts": charts,
            "tables": tables, "notes": [], "visibility": "Visible", "show_gridlines": True, "pivot_tables": [],
            "used_range_address": _address(1, 1, ws.max_column, ws.max_row),
        })
    names = []
    for name, dn in wb.defined_names.items():
        dests = list(dn.destinations)
        if len(dests) != 1:
            continue
        sheet_name, ref = dests[0]
        names.append({"name": name, "refers_to": "=" + dn.attr_text, "sheet_index": wb.sheetnames.index(sheet_name),
                      "address": ref.replace("$", ""), "book_scope": True, "scope_sheet_name": None,
                      "scope_sheet_index": None})
    return {
        "client": client,
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": active, "selection": "A1", "calculation": "Automatic"},
        "names": names,
        "sheets": sheets,
    }


def remote_book(payload: dict[str, Any]) -> xw.Book:
    return xw.Book(json=copy.deepcopy(payload))


# ============================================================================================
# Playing the actions back, the way Excel does
# ============================================================================================
@dataclass
class Formula:
    text: str


@dataclass
class SheetModel:
    name: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)  # (row, col) 1-based
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    charts: list[dict[str, Any]] = field(default_factory=list)

    def value(self, row: int, col: int) -> Any:
        return self.cells.get((row, col))

    def format(self, row: int, col: int) -> str:
        return self.formats.get((row, col), "General")

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)


@dataclass
class BookModel:
    sheets: list[SheetModel]
    names: dict[str, str]

    def __getitem__(self, name: str) -> SheetModel:
        return next(s for s in self.sheets if s.name == name)

    @property
    def sheetnames(self) -> list[str]:
        return [s.name for s in self.sheets]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def typed(value: Any) -> Any:
    """What a cell holds after Excel was given ``value`` through Range.Value / range.values."""
    if value == "" or value is None:
        return None
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]  # the prefix character: the rest is text, exactly
    text = value.strip()
    if text.startswith(("=", "+", "-", "@")) and len(text) > 1 and not _NUMBER.match(text):
        return Formula(value)
    if _NUMBER.match(text):
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if re.match(r"^\d{4}[-/年]\d{1,2}([-/月]\d{1,2}日?)?$", text):
        return Formula("date:" + value)  # Excel would store a date serial: not the text
    return value


def model_from_json(payload: dict[str, Any]) -> BookModel:
    sheets = []
    for s in payload["sheets"]:
        model = SheetModel(s["name"])
        for i, row in enumerate(s["values"], start=1):
            for j, v in enumerate(row, start=1):
                if v != "" and v is not None:
                    model.cells[(i, j)] = v
        model.charts = [dict(c) for c in s.get("charts", [])]
        sheets.append(model)
    return BookModel(sheets, {n["name"]: n.get("refers_to") for n in payload["names"]})


def _cells(action: dict[str, Any]):
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    for i in range(action["row_count"]):
        for j in range(action["column_count"]):
            yield r0 + i, c0 + j


def apply_actions(payload: dict[str, Any], actions: list[dict[str, Any]]) -> BookModel:
    """The workbook after the client ran ``actions`` (unknown actions fail the test)."""
    book = model_from_json(payload)
    for a in actions:
        func = a["func"]
        sheet = book.sheets[a["sheet_position"]] if a["sheet_position"] is not None else None
        if func == "setValues":
            values = a["values"]
            assert len(values) == a["row_count"] and all(len(r) == a["column_count"] for r in values), a
            r0, c0 = a["start_row"] + 1, a["start_column"] + 1
            for i, row in enumerate(values):
                for j, v in enumerate(row):
                    v = typed(v)
                    if v is None:
                        sheet.cells.pop((r0 + i, c0 + j), None)
                    else:
                        sheet.cells[(r0 + i, c0 + j)] = v
        elif func == "rangeClearContents":
            for rc in _cells(a):
                sheet.cells.pop(rc, None)
        elif func == "setNumberFormat":
            assert a["row_count"] <= 1_048_576
            for rc in _cells(a) if a["row_count"] * a["column_count"] < 2_000_000 else ():
                sheet.formats[rc] = a["args"][0]
        elif func == "sheetClear":  # values and formats; charts are shapes, they stay
            sheet.cells.clear()
            sheet.formats.clear()
        elif func == "addSheet":
            index, name = a["args"]
            book.sheets.insert(index, SheetModel(name))
        elif func == "setColumnWidth":
            for j in range(a["column_count"]):
                sheet.widths[a["start_column"] + 1 + j] = a["args"][0]
        elif func == "addChart":
            name, ctype, src_sheet, address, left, top, width, height, plot_by, anchor, style = a["args"]
            sheet.charts.append({"name": name, "chart_type": ctype, "source_sheet": src_sheet, "source": address,
                                 "plot_by": plot_by, "anchor": anchor, "width": width, "height": height})
        elif func == "deleteChart":
            del sheet.charts[a["args"][0]]
        elif func == "namesAdd":
            name, refers_to = a["args"]
            assert name not in book.names, f"duplicate name {name}"
            book.names[name] = refers_to
        else:
            raise AssertionError(f"action not interpreted by this test: {func}")
    return book


def run_remote(payload: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    """``ribbon.refresh`` on a remote book built from ``payload``: (result, actions)."""
    book = remote_book(payload)
    try:
        result = ribbon.refresh(book)
        return result, book.json()["actions"]
    finally:
        book.close()


# ============================================================================================
# Comparing with the file jixiao refresh wrote
# ============================================================================================
def computed_columns(ws_values_header: list[Any]) -> list[int]:
    headers = {c.header for c in L.INDICATOR_OUTPUTS}
    return [j for j, h in enumerate(ws_values_header, start=1) if h in headers]


def same(mine: Any, theirs: Any) -> bool:
    """Equal cell values; numbers to 15 significant digits (what a file stores, and Excel shows)."""
    numbers = (int, float)
    if isinstance(mine, numbers) and isinstance(theirs, numbers) and not isinstance(mine, bool) \
            and not isinstance(theirs, bool):
        return mine == pytest.approx(theirs, rel=1e-14, abs=1e-300)
    return mine == theirs and isinstance(mine, bool) == isinstance(theirs, bool)


def assert_same_as_file(model: BookModel, out: Path, original: dict[str, Any]) -> None:
    wb = load_workbook(out)  # jixiao refresh writes values, never formulas
    # 1. 指标体系: computed columns, every row of either side, values and (for numbers) formats
    ws = wb[L.SHEET_INDICATORS]
    mine = model[L.SHEET_INDICATORS]
    header = [ws.cell(L.HEADER_ROW, j).value for j in range(1, ws.max_column + 1)]
    cols = computed_columns(header)
    assert len(cols) == len(L.INDICATOR_OUTPUTS)
    last = max(ws.max_row, mine.max_row)
    checked = 0
    for r in range(L.HEADER_ROW, last + 1):
        for c in cols:
            theirs = ws.cell(r, c).value
            assert same(mine.value(r, c), theirs), f"指标体系!{L.cell_ref(r, c)}: {mine.value(r, c)!r} != {theirs!r}"
            if isinstance(theirs, (int, float)) and not isinstance(theirs, bool):
                assert mine.format(r, c) == ws.cell(r, c).number_format, f"format of 指标体系!{L.cell_ref(r, c)}"
            checked += theirs is not None
    assert checked > 0
    # 2. the sheets jixiao generates (汇总, and whatever else the plan owns): every cell, numbers
    #    with their formats
    generated = [n for n in wb.sheetnames if n in L.OWNED_SHEETS or n not in [x["name"] for x in original["sheets"]]]
    assert L.SHEET_SUMMARY in generated
    for name in generated:
        ws = wb[name]
        mine = model[name]
        file_cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None}
        assert set(mine.cells) == set(file_cells), (name, sorted(set(mine.cells) ^ set(file_cells))[:10])
        for (r, c), cell in file_cells.items():
            assert same(mine.value(r, c), cell.value), f"{name}!{L.cell_ref(r, c)}: {mine.value(r, c)!r} != {cell.value!r}"
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                assert mine.format(r, c) == cell.number_format, f"format of {name}!{L.cell_ref(r, c)}"
    ws = wb[L.SHEET_SUMMARY]
    mine = model[L.SHEET_SUMMARY]
    # 3. the chart: same data and place as the file's (openpyxl) chart
    (chart,) = ws._charts
    refs = [s.val.numRef.f for s in chart.series]
    c1, r1, _, _ = range_boundaries(refs[0].split("!")[1])
    _, _, c2, r2 = range_boundaries(refs[-1].split("!")[1])
    anchor_row = chart.anchor._from.row + 1
    if any(s.charts for s in model.sheets if s.name == L.SHEET_SUMMARY):
        (mine_chart,) = mine.charts
        assert mine_chart["source"] == f"$B${r1 - 1}:$D${r2}" and (c1, c2) == (3, 4)
        assert mine_chart["anchor"] == f"$A${anchor_row}" and mine_chart["plot_by"] == "Columns"
        assert mine_chart["source_sheet"] == L.SHEET_SUMMARY
    # 4. names
    for name in (L.NAME_TOTAL, L.NAME_GRADE):
        assert model.names[name].replace("=", "") == wb.defined_names[name].attr_text
    # 5. nothing else changed; the sheets are those of the file, in its order
    for s in original["sheets"]:
        if s["name"] in generated or s["name"] == L.SHEET_INDICATORS:
            continue
        assert model[s["name"]].cells == model_from_json(original)[s["name"]].cells
    before = model_from_json(original)[L.SHEET_INDICATORS].cells
    after = model[L.SHEET_INDICATORS].cells
    assert {k: v for k, v in after.items() if k[1] not in cols} == {k: v for k, v in before.items() if k[1] not in cols}
    assert model.sheetnames == wb.sheetnames


# ============================================================================================
# Tests
# ============================================================================================
@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("sample")
    path = write_sample(folder / "sample.xlsx")
    out = jixiao_refresh(path, folder / "sample_cli.xlsx")
    return {"path": path, "out": out}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("big")
    path = write_big(folder / "big.xlsx")
    out = jixiao_refresh(path, folder / "big_cli.xlsx")
    return {"path": path, "out": out}


@pytest.mark.parametrize("floats", [False, True], ids=["officejs-numbers", "com-floats"])
def test_remote_refresh_equals_jixiao_refresh(sample: dict[str, Any], floats: bool) -> None:
    payload = book_json(sample["path"], floats=floats)
    result, actions = run_remote(payload)
    assert result is not None and result.ok and result.evaluation.total is not None
    model = apply_actions(payload, actions)
    assert_same_as_file(model, sample["out"], payload)


def test_second_refresh_replaces_summary_and_chart(sample: dict[str, Any], tmp_path: Path) -> None:
    """Refreshing the already refreshed file (its 汇总 has a chart) gives the same cells, one chart."""
    payload = book_json(sample["out"])
    assert next(s for s in payload["sheets"] if s["name"] == L.SHEET_SUMMARY)["charts"]
    result, actions = run_remote(payload)
    funcs = [a["func"] for a in actions]
    assert "sheetClear" in funcs and "deleteChart" in funcs and "addSheet" not in funcs
    assert "namesAdd" not in funcs  # jx_total / jx_grade exist already
    model = apply_actions(payload, actions)
    again = jixiao_refresh(sample["out"], tmp_path / "again.xlsx")
    assert_same_as_file(model, again, payload)
    assert len(model[L.SHEET_SUMMARY].charts) == 1


def test_summary_sheet_missing_is_added_at_the_end(sample: dict[str, Any]) -> None:
    payload = book_json(sample["path"])
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] != L.SHEET_SUMMARY]
    result, actions = run_remote(payload)
    add = [a for a in actions if a["func"] == "addSheet"]
    assert add[0]["args"] == [len(payload["sheets"]), L.SHEET_SUMMARY]
    model = apply_actions(payload, actions)
    wb = load_workbook(sample["out"])
    assert {k: v for k, v in model[L.SHEET_SUMMARY].cells.items()} == {
        (c.row, c.column): c.value for row in wb[L.SHEET_SUMMARY].iter_rows() for c in row if c.value is not None}
    assert model.sheetnames.index(L.SHEET_SUMMARY) == wb.sheetnames.index(L.SHEET_SUMMARY)


def test_stale_computed_values_below_the_table_are_cleared(sample: dict[str, Any], tmp_path: Path) -> None:
    """Rows deleted by the user after a refresh leave computed values below the table: cleared."""
    wb = load_workbook(sample["out"])
    ws = wb[L.SHEET_INDICATORS]
    last = max(r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value is not None)
    weight_col = [c.id for c in L.INDICATOR_INPUTS].index(m.WEIGHT) + 1
    ws.cell(last - 1, weight_col).value += ws.cell(last, weight_col).value  # the table still adds up to 100
    for j in range(1, len(L.INDICATOR_INPUTS) + 1):
        ws.cell(last, j).value = None  # inputs of the last row deleted, its computed cells kept
    path = tmp_path / "shorter.xlsx"
    wb.save(path)
    payload = book_json(path)
    result, actions = run_remote(payload)
    clears = [a for a in actions if a["func"] == "rangeClearContents"]
    assert len(clears) == 1 and clears[0]["start_row"] + 1 == last
    model = apply_actions(payload, actions)
    assert_same_as_file(model, jixiao_refresh(path, tmp_path / "shorter_cli.xlsx"), payload)
    assert all(model[L.SHEET_INDICATORS].value(last, c) is None
               for c in range(len(L.INDICATOR_INPUTS) + 1, len(L.INDICATOR_COLUMNS) + 1))


def action_counts(payload: dict[str, Any]) -> Counter:
    result, actions = run_remote(payload)
    assert result is not None and result.ok
    return Counter(a["func"] for a in actions)


def test_action_count_does_not_grow_with_rows(sample: dict[str, Any], big: dict[str, Any]) -> None:
    small = action_counts(book_json(sample["path"]))
    large_payload = book_json(big["path"])
    rows = sum(1 for r in large_payload["sheets"][2]["values"][L.HEADER_ROW:] if any(v != "" for v in r[:5]))
    assert rows == 2000
    large = action_counts(large_payload)
    print(f"\nactions: sample {sum(small.values())} {dict(small)}; 2,000 rows {sum(large.values())} {dict(large)}")
    assert small == large
    assert sum(small.values()) <= MAX_ACTIONS
    # one write per sheet: the computed block of 指标体系, and all of 汇总 (+ any other generated sheet)
    assert small["setValues"] == small["sheetClear"] + small["addSheet"] + 1


def test_big_workbook_equals_jixiao_refresh(big: dict[str, Any]) -> None:
    payload = book_json(big["path"])
    result, actions = run_remote(payload)
    assert_same_as_file(apply_actions(payload, actions), big["out"], payload)


# --------------------------------------------------------------------------------------------
# Clients: only actions each shipped client implements
# --------------------------------------------------------------------------------------------
def client_callbacks(client: str) -> set[str]:
    if client == "VBA":  # RunRemotePython: Application.Run "<func>" for each action
        text = (XW_DIR / "addin" / "Remote.bas").read_text(encoding="utf-8", errors="replace")
        return set(re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)", text, re.M))
    text = (XW_DIR / "js" / "xlwings.ts").read_text(encoding="utf-8")
    return set(re.findall(r"^registerCallback\((\w+)\);", text, re.M))


@pytest.mark.parametrize("client", ["VBA", "Microsoft Office Scripts"])
def test_other_clients_get_only_actions_they_implement(sample: dict[str, Any], client: str) -> None:
    callbacks = client_callbacks(client)
    assert {"setValues", "rangeClearContents", "setNumberFormat", "sheetClear", "addSheet", "namesAdd"} <= callbacks
    payload = book_json(sample["path"], client=client)
    result, actions = run_remote(payload)
    assert {a["func"] for a in actions} <= callbacks
    model = apply_actions(payload, actions)
    assert not model[L.SHEET_SUMMARY].charts  # no chart for these clients: values only
    assert_same_as_file(model, sample["out"], payload)


def test_officejs_gets_chart_and_column_widths(sample: dict[str, Any]) -> None:
    payload = book_json(sample["path"])
    _, actions = run_remote(payload)
    model = apply_actions(payload, actions)
    summary = model[L.SHEET_SUMMARY]
    assert len(summary.charts) == 1 and summary.charts[0]["chart_type"] == "ColumnClustered"
    assert sorted(summary.widths) == list(range(1, L.SUMMARY_COLUMNS + 1))
    assert summary.widths[2] > summary.widths[1] > 0  # points: 32 characters wider than 12


# --------------------------------------------------------------------------------------------
# Details of the adapter
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["=100%", "=SUM(A1)", "+86", "-", "-1", "001", "1.5", "50%", "2021年12月31日",
                                  "2021-12-31", "TRUE", "false", "#N/A", "'quoted", "１２３", "＝１", "(100)",
                                  "¥5", "@x"])
def test_text_that_excel_would_convert_keeps_its_prefix(text: str) -> None:
    written = excel_text(text)
    assert written == "'" + text
    assert typed(written) == text


@pytest.mark.parametrize("text", ["得分", "第12行", "指标体系!G7：目标值不是数值", "—", "优", "满意度≥80%"])
def test_plain_text_is_written_as_is(text: str) -> None:
    assert excel_text(text) == text and typed(text) == text


def test_cell_value_normalises_numpy_and_blanks() -> None:
    import numpy as np

    assert cell_value(np.float64(1.5)) == 1.5 and type(cell_value(np.int64(2))) is int
    assert cell_value(float("nan")) is None and cell_value("") is None and cell_value(None) is None
    assert cell_value(True) is True


def test_reads_error_values_as_text_and_trims_empty_rows(sample: dict[str, Any]) -> None:
    payload = book_json(sample["path"])
    ind = payload["sheets"][2]["values"]
    row = next(i for i, r in enumerate(ind) if r[3] == "门户网站发布信息量")
    ind[row][7] = "#DIV/0!"
    book = remote_book(payload)
    try:
        xl = XlwingsBook(book)
        values = xl.read_values(L.SHEET_INDICATORS)
        assert values[row][7] == "#DIV/0!"
        assert values[L.HEADER_ROW - 1][0] == "一级指标"
        assert any(v not in (None, "") for v in values[-1])  # trailing empty rows cut
        assert len(values) < len(ind)
        assert book.json()["actions"] == []  # reading queues nothing
    finally:
        book.close()


def test_plan_blocks_merge_into_one_summary_write(sample: dict[str, Any]) -> None:
    """Every 汇总 block lands in ONE setValues whose rectangle holds them all at their places."""
    payload = book_json(sample["path"])
    book = remote_book(payload)
    try:
        result = refresh_book(XlwingsBook(book))
        actions = book.json()["actions"]
    finally:
        book.close()
    summary_index = [s["name"] for s in payload["sheets"]].index(S.SHEET)
    writes = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == summary_index]
    assert len(writes) == 1
    (w,) = writes
    blocks = [b for b in result.plan.operations if getattr(b, "sheet", None) == S.SHEET and hasattr(b, "values")]
    assert len(blocks) > 10
    for b in blocks:
        for i, line in enumerate(b.values):
            for j, v in enumerate(line):
                got = typed(w["values"][b.row - 1 + i - w["start_row"]][b.col - 1 + j - w["start_column"]])
                assert got == (v if v != "" else None)
