"""Hostile and oversized inputs, generated small and fast (tests and ``benchmarks/limits.py``).

Each writer makes a real file the way a careless user, a broken program or an attacker would: one
value typed at the last cell of a sheet, a zip bomb, a 40,000-character cell, absurd numbers, and
large real tables.  Nothing here is a mock: the files are what the commands are given.
"""

from __future__ import annotations

import sys
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from jixiao.scoring import model as m  # noqa: E402
from jixiao.workbook import layout as L  # noqa: E402
from jixiao.workbook.template import sample_workbook, save_workbook  # noqa: E402


def sample(path: Path) -> Path:
    return save_workbook(sample_workbook(), path)


def self_table(path: Path) -> Path:
    from test_selfeval_support import write_clean

    return write_clean(path)


def with_cell(make: Callable[[Path], Path], sheet: str | None, cell: str, value: object) -> Callable[[Path], Path]:
    """A writer: the file ``make`` writes, with one more value at ``cell`` (the last cell of a sheet…)."""
    def write(path: Path) -> Path:
        make(path)
        wb = load_workbook(path)
        ws = wb[sheet] if sheet else wb.active
        ws[cell] = value
        wb.save(path)
        return path
    return write


def _indicator_cell(row_name: str, column: str) -> Callable[[object], Callable[[Path], Path]]:
    def value(v: object) -> Callable[[Path], Path]:
        def write(path: Path) -> Path:
            sample(path)
            wb = load_workbook(path)
            ws = wb[L.SHEET_INDICATORS]
            headers = [c.value for c in ws[L.HEADER_ROW]]
            col = headers.index(L.INDICATOR_BY_ID[column].header) + 1
            row = next(r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)
                       if row_name in (ws.cell(r, headers.index("三级指标") + 1).value,
                                       ws.cell(r, headers.index("明细指标") + 1).value))
            ws.cell(row, col).value = v
            wb.save(path)
            return path
        return write
    return value


def _label_value(sheet: str, label_col: int, value_col: int) -> Callable[[str, object], Callable[[Path], Path]]:
    """Writers of the sample with the value beside a label changed (项目信息, 评分参数)."""
    def at(label: str, value: object) -> Callable[[Path], Path]:
        def write(path: Path) -> Path:
            sample(path)
            wb = load_workbook(path)
            ws = wb[sheet]
            row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, label_col).value == label)
            ws.cell(row, value_col).value = value
            wb.save(path)
            return path
        return write
    return at


project_value = _label_value(L.SHEET_PROJECT, L.PROJECT_LABEL_COL, L.PROJECT_VALUE_COL)
param_value = _label_value(L.SHEET_PARAMS, 1, 2)


def zip_bomb(path: Path, megabytes: int = 150) -> Path:
    """The sample with one part padded by ``megabytes`` of whitespace: a few hundred KB on disk."""
    sample(path)
    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info.filename)) for info in zf.infolist()]
    out = path.with_suffix(".tmp")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet3.xml":
                with zf.open(info.filename, "w", force_zip64=True) as fh:
                    head, _, rest = data.partition(b"<sheetData>")
                    fh.write(head + b"<sheetData>")
                    block = b" " * 2**20
                    for _ in range(megabytes):
                        fh.write(block)
                    fh.write(rest)
            else:
                zf.writestr(info, data)
    out.replace(path)
    return path


def lying_size_bomb(path: Path) -> Path:
    """A part whose deflate stream is 40 MB of zeros but whose header declares 1 KB: readers must
    stop at the declared size (zipfile does: it raises on the CRC) instead of inflating it all."""
    sample(path)
    payload = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = payload.compress(b"\0" * (40 * 2**20)) + payload.flush()
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo("xl/media/blob.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, b"\0" * 1024)
    # swap in the big stream behind the small declared size
    raw = path.read_bytes()
    small = zlib.compressobj(9, zlib.DEFLATED, -15)
    small_data = small.compress(b"\0" * 1024) + small.flush()
    at = raw.rfind(small_data)
    if at < 0:
        return path
    path.write_bytes(raw[:at] + data + raw[at + len(small_data):])
    return path


def big_table(rows: int) -> Callable[[Path], Path]:
    """The sample with its 效益 indicators grown to ``rows`` indicator rows in all (distinct names,
    分值 that still add up to 100): a large real table, error-free like the sample."""
    def write(path: Path) -> Path:
        from jixiao.workbook.books import set_cell

        wb = sample_workbook()
        ws = wb[L.SHEET_INDICATORS]
        width = len(L.INDICATOR_INPUTS)
        weight_at = [c.id for c in L.INDICATOR_INPUTS].index(m.WEIGHT)
        level3_at = [c.id for c in L.INDICATOR_INPUTS].index(m.LEVEL3)
        data = []
        for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
            line = [ws.cell(r, j).value for j in range(1, width + 1)]
            if any(v is not None for v in line):
                data.append(line)
        keep = data[:-3]
        first = list(data[-3])
        extra = max(rows - len(keep) - 1, 0)
        weighted = min(extra, 1500)  # 0.01 each (scores are kept to 0.01); further rows weigh 0
        first[weight_at] = round(30 - 0.01 * weighted, 2)
        template = data[-1]
        grown = [first]
        for i in range(extra):
            line = list(template)
            line[level3_at] = f"满意度抽样点{i + 1:05d}"
            line[weight_at] = 0.01 if i < weighted else 0
            grown.append(line)
        for i, line in enumerate(grown):
            for j, value in enumerate(line, start=1):
                set_cell(ws.cell(L.FIRST_DATA_ROW + len(keep) + i, j), value)
        return save_workbook(wb, path)
    return write


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "指标体系!XFD1048576": with_cell(sample, L.SHEET_INDICATORS, "XFD1048576", "x"),
    "指标体系!A1048576": with_cell(sample, L.SHEET_INDICATORS, "A1048576", "x"),
    "自评表!XFD5000": with_cell(self_table, None, "XFD5000", "x"),
    "zip bomb 150 MB": zip_bomb,
    "40,000-character target": _indicator_cell("融合服务周及融合大学堂满意度", m.TARGET)("≥" + "9" * 40_000),
    "budget 1e308": project_value("年初预算", 1e308),
    "分值 1e300": _indicator_cell("融合服务周及融合大学堂满意度", m.WEIGHT)(1e300),
    "得分保留小数位 −3": param_value("得分保留小数位", -3),
    "目标 9×400": _indicator_cell("融合服务周及融合大学堂满意度", m.TARGET)("9" * 400),
}
