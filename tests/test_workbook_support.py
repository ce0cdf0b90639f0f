"""Helpers shared by the workbook and command-line tests (imported as a module), plus the tests of
the package inventory they rely on.

Files are always checked after they were written and re-opened, never through the object that
wrote them.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.workbook import layout as L
from jixiao.workbook import package
from jixiao.workbook.template import sample_workbook, save_workbook

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process (what a user runs)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "jixiao.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_sample(path: Path) -> Path:
    """The unscored sample workbook as a file."""
    return save_workbook(sample_workbook(), path)


def sheet_values(path: Path, sheet: str) -> list[list[Any]]:
    wb = load_workbook(path, data_only=True, read_only=True)
    try:
        return [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def all_values(path: Path) -> dict[str, list[list[Any]]]:
    wb = load_workbook(path, data_only=True, read_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def header_index(values: list[list[Any]], header_row: int = L.HEADER_ROW) -> dict[str, int]:
    """Header text → 0-based column index of the indicator sheet as read."""
    return {str(v): j for j, v in enumerate(values[header_row - 1]) if v is not None}


def indicator_col(column_id: str) -> int:
    """1-based template column of an engine column id."""
    return next(j for j, c in enumerate(L.INDICATOR_COLUMNS, start=1) if c.id == column_id)


def find_row(values: list[list[Any]], text: str) -> int:
    """1-based row of the first row containing ``text`` in any cell."""
    for i, line in enumerate(values, start=1):
        if any(isinstance(v, str) and v == text for v in line):
            return i
    raise AssertionError(f"{text!r} not found")


def zip_replace(path: Path, changes: dict[str, bytes | None], out: Path | None = None) -> Path:
    """Rewrite a package with some parts replaced/added (bytes) or removed (None)."""
    out = out or path
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zw:
        done = set()
        for info, data in items:
            if info.filename in changes:
                done.add(info.filename)
                if changes[info.filename] is None:
                    continue
                data = changes[info.filename]
            zw.writestr(info.filename, data)
        for name, data in changes.items():
            if name not in done and data is not None:
                zw.writestr(name, data)
    Path(out).write_bytes(buf.getvalue())
    return Path(out)


def add_content_type(ct_xml: bytes, part: str, content_type: str) -> bytes:
    tag = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
    return ct_xml.replace(b"</Types>", tag + b"</Types>")


def sheet_part(path: Path, sheet: str) -> str:
    pkg = package.Package(path)
    try:
        return pkg.sheet_parts()[sheet]
    finally:
        pkg.close()


def add_textbox(path: Path, sheet: str) -> Path:
    """Give ``sheet`` a drawing holding a text box (an <xdr:sp>), as Excel saves it."""
    part = sheet_part(path, sheet)
    folder, base = part.rsplit("/", 1)
    with zipfile.ZipFile(path) as zf:
        sheet_xml = zf.read(part)
        ct = zf.read("[Content_Types].xml")
        rels_name = f"{folder}/_rels/{base}.rels"
        rels = zf.read(rels_name) if rels_name in zf.namelist() else None
    drawing = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        b'<xdr:twoCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
        b'<xdr:to><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
        b'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>'
        b'<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="100" cy="100"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
        b'<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>note</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
        b'<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>'
    )
    rel = b'<Relationship Id="rIdTb1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawingTb1.xml"/>'
    if rels is None:
        rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rel + b"</Relationships>")
    else:
        rels = rels.replace(b"</Relationships>", rel + b"</Relationships>")
    assert b"<drawing " not in sheet_xml
    marker = b"<tableParts" if b"<tableParts" in sheet_xml else b"</worksheet>"
    sheet_xml = sheet_xml.replace(marker, b'<drawing r:id="rIdTb1"/>' + marker, 1)
    if b'xmlns:r="' not in sheet_xml[:500]:
        sheet_xml = sheet_xml.replace(
            b"<worksheet ", b'<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
    ct = add_content_type(ct, "xl/drawings/drawingTb1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml")
    return zip_replace(path, {part: sheet_xml, rels_name: rels, "xl/drawings/drawingTb1.xml": drawing,
                              "[Content_Types].xml": ct})


def make_cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (what an encrypted .xlsx is): header, FAT, directory, streams.

    Streams are padded to ≥ 4096 bytes so no mini stream is needed.
    """
    sector = 512
    datas = []
    for name, data in streams.items():
        data = data + b"\0" * max(0, 4096 - len(data))
        data += b"\0" * (-len(data) % sector)
        datas.append((name, data))
    n_data = sum(len(d) // sector for _, d in datas)
    # sector 0 = FAT, sector 1 = directory, sectors 2.. = streams
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    starts = []
    nxt = 2
    for _, d in datas:
        count = len(d) // sector
        starts.append(nxt)
        fat += [nxt + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]
        nxt += count
    assert len(fat) <= sector // 4
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))

    entries = []
    # root entry: child = 1, siblings chained to the right
    root = _dir_entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    entries.append(root)
    for k, ((name, d), start) in enumerate(zip(datas, starts)):
        right = k + 2 if k + 1 < len(datas) else 0xFFFFFFFF
        entries.append(_dir_entry(name, 2, start, max(len(streams[name]), 4096), right=right))
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0))
    difat = [0] + [0xFFFFFFFF] * 108
    header += struct.pack("<109I", *difat)
    assert len(header) == 512
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(d for _, d in datas)


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    out = raw.ljust(64, b"\0")
    out += struct.pack("<HBB", len(raw), kind, 1)  # name length, object type, colour black
    out += struct.pack("<III", 0xFFFFFFFF, right, child)  # left, right, child
    out += b"\0" * 16 + b"\0" * 4 + b"\0" * 16  # clsid, state bits, times
    out += struct.pack("<IQ", start, size)
    assert len(out) == 128
    return out


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# --------------------------------------------------------------------------------------------
# tests of the package inventory itself
# --------------------------------------------------------------------------------------------
def test_inventory_ignores_owned_sheet(tmp_path: Path) -> None:
    from jixiao.workbook.refresh import refresh_file

    src = write_sample(tmp_path / "s.xlsx")
    out = refresh_file(src).output
    before = package.inventory(src, owned=L.OWNED_SHEETS)
    after = package.inventory(out, owned=L.OWNED_SHEETS)
    assert package.inventory(out)["chart"] == 1  # the 汇总 chart exists …
    assert after["chart"] == 0  # … but is ours, not counted
    assert package.lost_parts(before, after) == []
    assert after["table"] == before["table"] == 3


def test_textbox_is_detected(tmp_path: Path) -> None:
    src = add_textbox(write_sample(tmp_path / "s.xlsx"), L.SHEET_GUIDE)
    found = package.unsupported_features(src, owned=L.OWNED_SHEETS)
    assert any("文本框" in f for f in found), found
    wb = load_workbook(src)  # the helper builds a valid package
    assert L.SHEET_GUIDE in wb.sheetnames


def test_handmade_cfb_is_ole() -> None:
    data = make_cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 100, "EncryptedPackage": b"x" * 5000})
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    olefile = pytest.importorskip("olefile")
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert ole.exists("EncryptedPackage") and ole.exists("EncryptionInfo")
