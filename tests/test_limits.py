"""Issue #13: hostile and absurd inputs are refused or handled within bounded memory, in Chinese.

Each hostile file (``hostile_files.HOSTILE``) goes to every command as a real process whose address
space is capped at 2 GB: a reader that allocates from a declared size or a far cell address (one
value at XFD1048576 once took 24 GB; calamine aborted the process) fails here with MemoryError or
a signal instead of taking the machine down.  What is asserted is the outcome — exit code, the
Chinese message naming the cell, no traceback — not the time (benchmarks/limits.py prints that).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import hostile_files as H
from jixiao.workbook import limits

ADDRESS_SPACE = 2 * 2**30
JIXIAO = [sys.executable, "-m", "jixiao"]


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*JIXIAO, *args], capture_output=True, text=True, encoding="utf-8", timeout=120,
                          preexec_fn=_capped, env=env)


# what each hostile file must produce: command → (exit code, a needle of the message or None)
EXPECTED: dict[str, dict[str, tuple[int, str | None]]] = {
    # far right of our columns: not ours to read; the workbook scores as the sample
    "指标体系!XFD1048576": {"score": (0, None), "refresh": (0, None), "audit": (2, "指标体系!XFD1048576：此单元格有内容")},
    "指标体系!A1048576": {c: (2, "指标体系!A1048576：此单元格有内容，超过可处理的 100000 行") for c in ("score", "refresh", "report")}
    | {"audit": (2, "指标体系!A1048576"), "import": (2, "指标体系!A1048576")},
    "自评表!XFD5000": {"audit": (2, "项目支出绩效自评表!XFD5000：此单元格有内容，超出可处理的范围"),
                    "import": (2, "项目支出绩效自评表!XFD5000")},
    "zip bomb 150 MB": {c: (2, "压缩比为") for c in ("score", "refresh", "report", "audit", "import")},
    "40,000-character target": {"score": (2, "超出可计算的数值范围")},
    "budget 1e308": {"score": (2, "年初预算：“1e+308”超出合理范围"), "report": (2, "不能生成报告")},
    "分值 1e300": {"score": (2, "分值1e+300超过100分") , "refresh": (2, "超过100分")},
    "得分保留小数位 −3": {"score": (2, "得分保留小数位应为0–4之间的整数")},
    "目标 9×400": {"score": (2, "超出可计算的数值范围")},
}


def _argv(command: str, path: Path, out: Path) -> list[str]:
    extra = {"refresh": ["-o", str(out / "o.xlsx")], "report": ["-o", str(out / "r.docx")],
             "import": ["-o", str(out / "i.xlsx")]}.get(command, [])
    return [command, str(path), *extra]


@pytest.mark.parametrize("name,command", [(n, c) for n, cases in EXPECTED.items() for c in cases])
def test_hostile_file(tmp_path: Path, name: str, command: str) -> None:
    path = H.HOSTILE[name](tmp_path / "hostile.xlsx")
    before = path.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    proc = run(*_argv(command, path, out))
    code, needle = EXPECTED[name][command]
    assert proc.returncode == code, (proc.returncode, proc.stdout[-500:], proc.stderr[-1500:])
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr
    if needle:
        assert needle in proc.stderr, proc.stderr[-1500:]
    assert path.read_bytes() == before  # the input is never touched


def test_a_lying_zip_header_is_not_inflated(tmp_path: Path) -> None:
    """A part that declares 1 KB but holds a 40 MB deflate stream: readers stop at the declared size."""
    path = H.lying_size_bomb(tmp_path / "lying.xlsx")
    proc = run("score", str(path))
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr, proc.stderr[-1000:]


def test_the_extent_scan_reads_across_chunk_edges() -> None:
    """The sheet scan reads XML in 1 MB chunks; a cell cut by a chunk edge is read whole."""
    import io

    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>1</v></c></row>' for i in range(1, 60_000))
    xml = (f'<worksheet><sheetData>{rows}<row r="60000"><c r="B60000" t="e"><v>#N/A</v></c></row>'
           f'<row r="70000"><c r="XFD70000"><v>1</v></c></row></sheetData></worksheet>').encode()
    assert len(xml) > 3 * limits._CHUNK
    far, errors = limits._scan(io.BytesIO(xml))
    assert far == "XFD70000" and errors == {(60000, 2): "#N/A"}


def test_a_formula_without_a_stored_result_is_named(tmp_path: Path) -> None:
    """A workbook written by a program that does not compute (openpyxl) and never saved by Excel: the
    formula's cell reads as empty; the message says why instead of "分值为空"."""
    from openpyxl import load_workbook

    from jixiao import cli
    from jixiao.workbook import layout as L

    path = H.sample(tmp_path / "f.xlsx")
    wb = load_workbook(path)
    ws = wb[L.SHEET_INDICATORS]
    headers = [c.value for c in ws[L.HEADER_ROW]]
    col = headers.index("分值") + 1
    row = next(r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 3).value == "立项依据充分性")
    ws.cell(row, col).value = "=1+2"
    wb.save(path)
    proc = run("score", str(path))
    assert proc.returncode == 2
    assert f"指标体系!{L.column_letter(col)}{row}：分值是公式，但文件中没有它的计算结果" in proc.stderr
    assert cli  # the in-process entry point is the same code; the process run shows the real exit code


def test_an_invisible_character_in_a_header_is_named(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from jixiao.workbook import layout as L

    path = H.sample(tmp_path / "zw.xlsx")
    wb = load_workbook(path)
    ws = wb[L.SHEET_INDICATORS]
    headers = [c.value for c in ws[L.HEADER_ROW]]
    col = headers.index("目标值") + 1
    ws.cell(L.HEADER_ROW, col).value = "目标\u200b值"
    wb.save(path)
    proc = run("score", str(path))
    assert proc.returncode == 2
    assert "表头应为“目标值”，现为“目标\u200b值”（含不可见字符 U+200B）" in proc.stderr


def test_a_cached_error_in_a_self_evaluation_table_is_not_read_as_blank(tmp_path: Path) -> None:
    """python-calamine reads a cell holding #N/A as an empty string: the audit said 未填写."""
    import re
    import zipfile

    path = H.self_table(tmp_path / "na.xlsx")
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    xml = parts[sheet].decode()
    xml, n = re.subn(r'<c r="F20"[^>]*?(/>|>.*?</c>)', '<c r="F20" t="e"><f>NA()</f><v>#N/A</v></c>', xml, count=1)
    assert n == 1
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    proc = run("audit", str(path))
    assert proc.returncode == 2
    assert "项目支出绩效自评表!F20：实际完成值：实际值单元格为错误值#N/A" in proc.stdout
    assert "未填写" not in proc.stdout


def test_an_xls_renamed_xlsx_is_not_called_encrypted(tmp_path: Path) -> None:
    from test_workbook_support import soffice_path

    if soffice_path() is None:
        pytest.skip("LibreOffice is needed to write a real .xls")
    src = H.self_table(tmp_path / "t.xlsx")
    subprocess.run([soffice_path(), "--headless", "--convert-to", "xls", "--outdir", str(tmp_path / "x"), str(src)],
                   capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes((tmp_path / "x" / "t.xls").read_bytes())
    proc = run("audit", str(renamed))
    assert proc.returncode == 2
    assert "其实是旧版 .xls 格式" in proc.stderr and "加密" not in proc.stderr


def test_audit_and_import_recognise_our_own_workbook(tmp_path: Path) -> None:
    path = H.sample(tmp_path / "ours.xlsx")
    for command in ("audit", "import"):
        proc = run(command, str(path))
        assert proc.returncode == 2
        assert "是 jixiao 评价工作簿，不是项目支出绩效自评表" in proc.stderr


def test_batch_skips_jixiao_backups(tmp_path: Path) -> None:
    """name.bak.xlsx / name.bak2.xlsx are jixiao's copies of a file already in the folder: counting
    them would report every project twice."""
    import shutil

    from jixiao.workbook.selfeval.batch import discover

    folder = tmp_path / "tables"
    folder.mkdir()
    table = H.self_table(folder / "项目A.xlsx")
    shutil.copy(table, folder / "项目A.bak.xlsx")
    shutil.copy(table, folder / "项目A.bak2.xlsx")
    assert [p.name for p in discover(folder)] == ["项目A.xlsx"]


def test_import_names_the_cell_of_the_table_the_user_gave(tmp_path: Path) -> None:
    """An error found while refreshing the imported workbook is told as the 自评表's own cell."""
    import re
    import zipfile

    path = H.self_table(tmp_path / "na.xlsx")
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[sheet] = re.sub(r'<c r="F20"[^>]*?(/>|>.*?</c>)', '<c r="F20" t="e"><v>#N/A</v></c>',
                          parts[sheet].decode(), count=1).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    proc = run("import", str(path), "-o", str(tmp_path / "导入.xlsx"))
    assert proc.returncode == 2
    assert re.search(r"项目支出绩效自评表!F20（导入后为指标体系![A-Z]+[0-9]+）：实际值是公式错误值 #N/A", proc.stderr), proc.stderr


def test_check_report_refuses_a_document_that_is_not_the_report(tmp_path: Path) -> None:
    """Meeting minutes were "checked" with 49 items not found and exit 0."""
    from docx import Document

    workbook = H.sample(tmp_path / "评价.xlsx")
    minutes = tmp_path / "会议纪要.docx"
    doc = Document()
    doc.add_heading("专题会议纪要", 1)
    doc.add_paragraph("2021年12月20日，局党组召开专题会议，研究部署年度重点工作。会议要求各处室抓好落实。")
    doc.save(minutes)
    proc = run("check-report", str(workbook), str(minutes))
    assert proc.returncode == 2
    assert "“会议纪要.docx”看来不是“评价.xlsx”的评价报告" in proc.stderr and "只找到 0 个" in proc.stderr
