"""The refresh on files: idempotent, never touches the input by default, keeps what is not ours
(charts, pictures, comments, VBA …) and refuses rather than lose what openpyxl cannot keep."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from jixiao import cli
from jixiao.scoring import model as m
from jixiao.workbook import books, layout as L, package
from jixiao.workbook.errors import WorkbookInputError
from jixiao.workbook.refresh import backup_path, default_output, refresh_file

from test_workbook_support import (
    add_content_type, add_textbox, all_values, indicator_col, sha256, write_sample, zip_replace,
)

USER_SHEET = "我的分析"


def _png_bytes() -> bytes:
    PIL = pytest.importorskip("PIL.Image")
    buf = io.BytesIO()
    PIL.new("RGB", (40, 20), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def user_workbook(path: Path) -> Path:
    """The sample plus a user sheet with a chart, a picture and a comment, and a user-defined name."""
    from openpyxl.drawing.image import Image

    write_sample(path)
    wb = load_workbook(path)
    ws = wb.create_sheet(USER_SHEET)
    ws.append(["项目", "金额"])
    for i in range(4):
        ws.append([f"子项目{i + 1}", (i + 1) * 10])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=5), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=5))
    ws.add_chart(chart, "D2")
    ws.add_image(Image(io.BytesIO(_png_bytes())), "D20")
    ws["A1"].comment = Comment("用户的批注", "张三")
    wb.defined_names["我的合计"] = DefinedName("我的合计", attr_text=f"'{USER_SHEET}'!$B$2:$B$5")
    wb.save(path)
    return path


def cell_values(path: Path) -> dict:
    return all_values(path)


# --------------------------------------------------------------------------------------------
def test_default_output_leaves_input_untouched(tmp_path: Path) -> None:
    src = write_sample(tmp_path / "评价.xlsx")
    digest = sha256(src)
    mtime = src.stat().st_mtime_ns
    result = refresh_file(src)
    assert result.output == tmp_path / "评价_已评分.xlsx" == default_output(src)
    assert sha256(src) == digest and src.stat().st_mtime_ns == mtime
    assert result.backup is None and not backup_path(src).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["评价.xlsx", "评价_已评分.xlsx"]


def test_refresh_twice_same_content(tmp_path: Path) -> None:
    src = write_sample(tmp_path / "a.xlsx")
    first = refresh_file(src).output
    second = refresh_file(first, output=tmp_path / "b.xlsx").output
    assert cell_values(first) == cell_values(second)
    refresh_file(second, in_place=True)
    assert cell_values(second) == cell_values(first)
    # the summary is regenerated, not appended to; one chart, same merges
    wb1, wb2 = load_workbook(first), load_workbook(second)
    s1, s2 = wb1[L.SHEET_SUMMARY], wb2[L.SHEET_SUMMARY]
    assert sorted(map(str, s1.merged_cells.ranges)) == sorted(map(str, s2.merged_cells.ranges))
    assert len(s2._charts) == 1 and wb2.sheetnames == wb1.sheetnames


def test_stale_results_are_cleared_when_rows_go(tmp_path: Path) -> None:
    out = refresh_file(write_sample(tmp_path / "a.xlsx")).output
    wb = load_workbook(out)
    ws = wb[L.SHEET_INDICATORS]
    last = max(r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value)
    for col in L.INDICATOR_INPUTS:
        ws.cell(row=last, column=indicator_col(col.id)).value = None
    wb.save(out)
    assert ws.cell(row=last, column=indicator_col(m.SCORE)).value is not None  # stale result before
    refresh_file(out, in_place=True)
    ws = load_workbook(out, data_only=True)[L.SHEET_INDICATORS]
    assert [ws.cell(row=last, column=indicator_col(c.id)).value for c in L.INDICATOR_COLUMNS] == [None] * len(L.INDICATOR_COLUMNS)
    assert ws.cell(row=last - 1, column=indicator_col(m.SCORE)).value is not None


def test_in_place_keeps_chart_picture_comment_names(tmp_path: Path) -> None:
    src = user_workbook(tmp_path / "带图表.xlsx")
    original = src.read_bytes()
    before = package.inventory(src)
    code = cli.main(["refresh", str(src), "--in-place"])
    assert code == 0
    assert backup_path(src).read_bytes() == original
    after = package.inventory(src)
    for kind in ("chart", "image", "drawing", "comments", "table"):
        assert after[kind] >= before[kind], kind
    assert after["chart"] == before["chart"] + 1  # plus the 汇总 chart
    wb = load_workbook(src)
    ws = wb[USER_SHEET]
    assert ws["A1"].comment is not None and ws["A1"].comment.text == "用户的批注"
    assert len(ws._charts) == 1 and len(ws._images) == 1
    assert "我的合计" in wb.defined_names
    assert L.NAME_TOTAL in wb.defined_names and "jx_budget_initial" in wb.defined_names
    assert len(wb[L.SHEET_INDICATORS].data_validations.dataValidation) >= 4
    assert wb.sheetnames[-1] == USER_SHEET and wb.sheetnames[:5] == list(L.SHEET_ORDER)
    assert wb[L.SHEET_SUMMARY]["B4"].value == pytest.approx(98.4)


def test_in_place_xlsm_keeps_vba(tmp_path: Path) -> None:
    xlwings = pytest.importorskip("xlwings")
    quickstart = Path(xlwings.__file__).parent / "quickstart.xlsm"
    with zipfile.ZipFile(quickstart) as zf:
        vba = zf.read("xl/vbaProject.bin")
    src = write_sample(tmp_path / "宏.xlsx")
    with zipfile.ZipFile(src) as zf:
        ct = zf.read("[Content_Types].xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    ct = ct.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    ct = add_content_type(ct, "xl/vbaProject.bin", "application/vnd.ms-office.vbaProject")
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/'
                        b'2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    xlsm = zip_replace(src, {"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels,
                             "xl/vbaProject.bin": vba}, tmp_path / "宏.xlsm")
    before = package.inventory(xlsm)
    assert before["vba"] == 1
    result = refresh_file(xlsm, in_place=True)
    assert result.ok and result.output == xlsm
    with zipfile.ZipFile(xlsm) as zf:
        assert zf.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled.main+xml" in zf.read("[Content_Types].xml")
        assert b"vbaProject" in zf.read("xl/_rels/workbook.xml.rels")
    assert package.lost_parts(before, package.inventory(xlsm)) == []
    # and the default output of an .xlsm is an .xlsm with the VBA too
    out = refresh_file(xlsm, output=tmp_path / "另存.xlsm").output
    with zipfile.ZipFile(out) as zf:
        assert zf.read("xl/vbaProject.bin") == vba


def test_refuses_textbox_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = add_textbox(write_sample(tmp_path / "文本框.xlsx"), L.SHEET_GUIDE)
    digest = sha256(src)
    assert cli.main(["refresh", str(src), "--in-place"]) == 2
    err = capsys.readouterr().err
    assert "形状/文本框" in err and "未写入任何文件" in err and "Traceback" not in err
    assert sha256(src) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["文本框.xlsx"]
    assert cli.main(["refresh", str(src)]) == 2
    assert not default_output(src).exists()
    # --force accepts the loss for a NEW file only
    assert cli.main(["refresh", str(src), "--force"]) == 0
    assert default_output(src).exists() and sha256(src) == digest
    assert cli.main(["refresh", str(src), "--in-place", "--force"]) == 2


def test_refuses_slicer_parts(tmp_path: Path) -> None:
    src = write_sample(tmp_path / "切片器.xlsx")
    with zipfile.ZipFile(src) as zf:
        ct = zf.read("[Content_Types].xml")
    ct = add_content_type(ct, "xl/slicers/slicer1.xml", "application/vnd.ms-excel.slicer+xml")
    zip_replace(src, {"[Content_Types].xml": ct, "xl/slicers/slicer1.xml": b'<?xml version="1.0"?><slicers/>'})
    with pytest.raises(WorkbookInputError, match="切片器"):
        refresh_file(src, in_place=True)
    assert not backup_path(src).exists()


def test_refuses_when_a_part_is_lost_after_saving(tmp_path: Path) -> None:
    """A kind the early check does not know (customXml) is still caught by the part comparison."""
    src = write_sample(tmp_path / "自定义.xlsx")
    with zipfile.ZipFile(src) as zf:
        ct = zf.read("[Content_Types].xml")
    ct = add_content_type(ct, "customXml/item1.xml", "application/xml")
    zip_replace(src, {"[Content_Types].xml": ct, "customXml/item1.xml": b'<?xml version="1.0"?><data>1</data>'})
    digest = sha256(src)
    with pytest.raises(WorkbookInputError, match="自定义 XML") as info:
        refresh_file(src, in_place=True)
    assert "未作任何改动" in str(info.value)
    assert sha256(src) == digest and not backup_path(src).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["自定义.xlsx"]  # no temp file left


def test_pictures_without_pillow_are_refused_not_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl silently drops pictures when Pillow is missing; the part check must catch it."""
    src = user_workbook(tmp_path / "图片.xlsx")
    import openpyxl.reader.drawings as drawings

    monkeypatch.setattr(drawings, "PILImage", False)
    with pytest.raises(WorkbookInputError, match="图片"):
        refresh_file(src, in_place=True)


def test_user_text_starting_with_equals_is_text(tmp_path: Path) -> None:
    src = write_sample(tmp_path / "等号.xlsx")
    wb = load_workbook(src)
    ws = wb[L.SHEET_INDICATORS]
    reason = ws.cell(row=L.FIRST_DATA_ROW, column=indicator_col(m.REASON))
    reason.value = "=SUM(1,2)"
    reason.data_type = "s"
    ws.cell(row=L.FIRST_DATA_ROW, column=indicator_col(m.LEVEL3)).value = "=立项依据"
    ws.cell(row=L.FIRST_DATA_ROW, column=indicator_col(m.LEVEL3)).data_type = "s"
    wb.save(src)
    out = refresh_file(src).output
    again = load_workbook(out)
    cell = again[L.SHEET_INDICATORS].cell(row=L.FIRST_DATA_ROW, column=indicator_col(m.REASON))
    assert cell.value == "=SUM(1,2)" and cell.data_type == "s"
    # the indicator name travels to 汇总 (flags) as text as well
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in zf.read(name), name


def test_set_cell_never_makes_formulas() -> None:
    from openpyxl import Workbook

    ws = Workbook().active
    books.set_cell(ws["A1"], "=1+1")
    books.set_cell(ws["A2"], "=")
    books.set_cell(ws["A3"], float("nan"))
    books.set_cell(ws["A4"], "普通\x01文字")
    assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert ws["A2"].data_type == "s"
    assert ws["A3"].value is None
    assert ws["A4"].value == "普通文字"
    books.set_cell(ws["A1"], "plain")
    assert not ws["A1"].quotePrefix


def test_output_must_differ_and_keep_suffix(tmp_path: Path) -> None:
    src = write_sample(tmp_path / "a.xlsx")
    with pytest.raises(WorkbookInputError):
        refresh_file(src, output=src)
    with pytest.raises(WorkbookInputError):
        refresh_file(src, output=tmp_path / "a.xlsm")
    out = refresh_file(src).output
    with pytest.raises(WorkbookInputError, match="--in-place"):
        refresh_file(out)


# --------------------------------------------------------------------------------------------
# the backend-agnostic pipeline (what the xlwings adapter of issue #4 reuses)
# --------------------------------------------------------------------------------------------
def _memory_copy(path: Path) -> books.MemoryBook:
    source = books.OpenpyxlBook(path)
    try:
        return books.MemoryBook({name: source.read_values(name) for name in source.sheet_names()})
    finally:
        source.close()


def test_round_trips_do_not_grow_with_rows(tmp_path: Path) -> None:
    import importlib.util

    from jixiao.workbook.refresh import refresh_book
    from jixiao.workbook.template import save_workbook

    spec = importlib.util.spec_from_file_location("bench_refresh", Path(__file__).parents[1] / "benchmarks" / "refresh.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    small = _memory_copy(write_sample(tmp_path / "small.xlsx"))
    big = _memory_copy(save_workbook(bench.large_workbook(600), tmp_path / "big.xlsx"))
    r_small, r_big = refresh_book(small), refresh_book(big)
    assert r_small.ok and r_big.ok
    assert small.calls.count("read") == big.calls.count("read") == 3  # one bulk read per input sheet
    # the same blocks; the big one may add the "另有 N 项预警" line under its capped flag list
    assert len(small.calls) <= len(big.calls) <= len(small.calls) + 2 < 120
    computed = [op for op in r_big.plan.operations if isinstance(op, books.Block) and op.role == "computed"]
    assert len(computed) == 1 and computed[0].nrows == 600  # ONE block for the whole 指标体系


def test_memory_and_file_adapters_write_the_same(tmp_path: Path) -> None:
    from jixiao.workbook.refresh import refresh_book

    src = write_sample(tmp_path / "s.xlsx")
    memory = _memory_copy(src)
    refresh_book(memory)
    out = refresh_file(src).output
    on_disk = cell_values(out)
    for sheet in (L.SHEET_INDICATORS, L.SHEET_SUMMARY):
        mine = [[v for v in row] for row in memory.sheets[sheet]]
        theirs = on_disk[sheet]
        for i, line in enumerate(mine):
            for j, value in enumerate(line):
                other = theirs[i][j] if i < len(theirs) and j < len(theirs[i]) else None
                if isinstance(value, float):
                    assert other == pytest.approx(value, rel=1e-12), (sheet, i + 1, j + 1, value, other)
                else:
                    assert value == other, (sheet, i + 1, j + 1, value, other)
