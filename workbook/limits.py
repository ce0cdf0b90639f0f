"""Bounds on what a workbook may make us do: memory and time follow the real content of a file.

A 36 KB workbook with one value typed at XFD1048576 asked the readers for a grid of 17 billion
cells (openpyxl padded every row to the last column, calamine panicked allocating 512 GB); a zip
bomb of 1.5 MB unpacked to gigabytes.  Every reader therefore:

* checks the package first (``check_package``): the declared uncompressed size of every part and
  of the whole, and the compression ratio of big parts — zipfile never reads past a part's
  declared size, so these numbers bound what unpacking can cost;
* reads a sheet sparsely (``read_grid``): only the cells the XML holds, never the declared
  ``<dimension>``, never a row padded to a far column; columns beyond the ones we use are not read;
* refuses, with the limit and the cell in Chinese, a sheet whose content goes beyond
  ``MAX_ROWS`` rows or a cell longer than ``MAX_TEXT`` characters (Excel's own limit);
* for the 自评表 reader (python-calamine, which allocates the dense range before we see a cell),
  scans the sheet XML for its real extent first (``sheet_extents``), so calamine is never asked to
  allocate beyond ``MAX_ROWS`` × ``MAX_SELF_COLUMNS``.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any, Iterator
from xml.etree import ElementTree

from . import messages as msg
from .errors import WorkbookInputError
from .layout import column_letter

MAX_ROWS = 100_000  # rows of one sheet we read (a real indicator table has tens to thousands)
MAX_COLUMNS = 64  # columns of our own sheets we read; content further right is not ours to read
MAX_SELF_COLUMNS = 256  # columns of a 自评表 grid handed to calamine
MAX_TEXT = 32_767  # characters in one cell: Excel's own limit
MAX_PART = 200 * 2**20  # declared uncompressed bytes of one part of the package
MAX_PACKAGE = 400 * 2**20  # declared uncompressed bytes of all parts together
MAX_RATIO = 200  # uncompressed / compressed, for parts above RATIO_FLOOR (XML compresses ~10–30×)
RATIO_FLOOR = 1 * 2**20

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _mb(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


def check_package(path: Path) -> None:
    """Refuse a package whose parts would unpack beyond the limits (zip bombs), before any reader."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the readers report it as damaged or of another format
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART:
            raise WorkbookInputError(msg.LIMIT_PART.format(name=path.name, part=info.filename,
                                                           size=_mb(info.file_size), limit=_mb(MAX_PART)))
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookInputError(msg.LIMIT_RATIO.format(name=path.name, part=info.filename,
                                                            ratio=info.file_size // max(info.compress_size, 1),
                                                            limit=MAX_RATIO))
    if total > MAX_PACKAGE:
        raise WorkbookInputError(msg.LIMIT_PACKAGE.format(name=path.name, size=_mb(total), limit=_mb(MAX_PACKAGE)))


def _too_far(sheet: str, row: int, col: int) -> WorkbookInputError:
    return WorkbookInputError(msg.LIMIT_ROWS.format(ref=f"{sheet}!{column_letter(col)}{row}", limit=MAX_ROWS))


def _too_long(sheet: str, row: int, col: int, length: int) -> WorkbookInputError:
    return WorkbookInputError(msg.LIMIT_TEXT.format(ref=f"{sheet}!{column_letter(col)}{row}", length=length,
                                                    limit=MAX_TEXT))


class Uncached(str):
    """A formula cell with no stored result (the file was written by a program that does not compute,
    and never saved by Excel): blank text wherever it goes, but readers can tell the user why the
    cell reads as empty ("分值为空" was the message)."""


UNCACHED = Uncached("")


def _percent_styles(wb: Any) -> set[int]:
    """Indexes of the workbook's cell styles whose number format shows a percentage."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    custom = list(getattr(wb, "_number_formats", []) or [])
    out = set()
    for idx, style in enumerate(getattr(wb, "_cell_styles", []) or []):
        fid = style.numFmtId
        code = BUILTIN_FORMATS.get(fid) if fid < BUILTIN_FORMATS_MAX_SIZE else (
            custom[fid - BUILTIN_FORMATS_MAX_SIZE] if fid - BUILTIN_FORMATS_MAX_SIZE < len(custom) else None)
        if code and "%" in code:
            out.add(idx)
    return out


def read_grid(ws: Any, sheet: str, max_col: int = MAX_COLUMNS,
              percent: set[tuple[int, int]] | None = None) -> list[list[Any]]:
    """A read-only openpyxl worksheet as rows of values from A1, built from the cells present only.

    The grid ends at the last row holding a value in the first ``max_col`` columns and is as wide
    as the widest such row; empty rows and cells cost nothing.  Limits: ``MAX_ROWS``, ``MAX_TEXT``.
    ``percent``, when given, receives the (row, column) of every number in a percent-formatted cell,
    read in the same pass (see ``percent_cells``).
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    parent = ws.parent
    percent_styles = _percent_styles(parent) if percent is not None else set()
    cells: dict[int, dict[int, Any]] = {}
    last_col = 0
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=parent.data_only, epoch=parent.epoch,
                                 date_formats=parent._date_formats, timedelta_formats=parent._timedelta_formats)
        parse_cell = parser.parse_cell

        def mark_uncached(element: Any) -> dict[str, Any]:
            cell = parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = UNCACHED
            return cell

        parser.parse_cell = mark_uncached  # parse_row looks it up on the instance
        for row_idx, row in parser.parse():
            kept = None
            for cell in row:
                value = cell["value"]
                col = cell["column"]
                if value is None or col > max_col:
                    continue
                if isinstance(value, str):
                    if not value.strip() and value is not UNCACHED:
                        continue
                    if len(value) > MAX_TEXT:
                        raise _too_long(sheet, row_idx, col, len(value))
                if row_idx > MAX_ROWS:
                    raise _too_far(sheet, row_idx, col)
                if kept is None:
                    kept = cells.setdefault(row_idx, {})
                kept[col] = value
                last_col = max(last_col, col)
                if percent_styles and cell.get("style_id") in percent_styles and isinstance(value, (int, float)) \
                        and not isinstance(value, bool):
                    percent.add((row_idx, col))
    if not cells:
        return []
    last_row = max(cells)
    grid = []
    for r in range(1, last_row + 1):
        line = [None] * last_col
        for c, v in cells.get(r, {}).items():
            line[c - 1] = v
        grid.append(line)
    return grid


# --------------------------------------------------------------------------------------------
# The real extent of each sheet, for readers that allocate the dense range (python-calamine)
# --------------------------------------------------------------------------------------------
_CELL_TAG = re.compile(rb'<(?:\w+:)?c\b([^>]*)>')
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb'<(?:\w+:)?v>([^<]{1,20})</(?:\w+:)?v>')
_CHUNK = 1 << 20

Cell = tuple[int, int]


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _scan(stream: Any) -> tuple[str, dict[Cell, str]]:
    """(address of the first cell beyond the limits or "", error cells) of a sheet part.

    Error cells ("#N/A" cached for a formula): python-calamine hands them back as empty strings, and
    an audit then says 未填写 where the table shows #N/A; the reader puts the error text back."""
    far = ""
    errors: dict[Cell, str] = {}
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)
        data = tail + chunk
        if not data:
            break
        end = data.rfind(b"<c") if chunk else len(data)  # a cell cut by the chunk edge waits for the next
        if end <= 0:
            end = len(data)
        for m in _CELL_TAG.finditer(data, 0, end):
            ref = _REF.search(m.group(1))
            if ref is None:
                continue
            row, col = int(ref.group(2)), _column_number(ref.group(1))
            if not far and (row > MAX_ROWS or col > MAX_SELF_COLUMNS):
                far = (ref.group(1) + ref.group(2)).decode()
            if _ERROR_TYPE.search(m.group(1)):
                value = _VALUE.search(data, m.end(), min(len(data), m.end() + 200))
                if value is not None:
                    errors[(row, col)] = value.group(1).decode("utf-8", "replace")
        tail = data[end:]
        if not chunk:
            break
    return far, errors


def _sheet_parts(zf: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """(sheet name, part name) from workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return
    targets = {r.get("Id"): r.get("Target") or "" for r in rels.findall("rel:Relationship", _NS)}
    for sheet in book.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id") or "", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        yield sheet.get("name") or "", part


def scan_sheets(path: Path) -> dict[str, dict[Cell, str]]:
    """Check every sheet of an .xlsx/.xlsm for a cell beyond ``MAX_ROWS`` × ``MAX_SELF_COLUMNS`` (refused,
    naming it) before python-calamine is asked to allocate the dense range (it aborts the process when
    the allocation fails), and return each sheet's error cells ((row, column) → "#N/A").  One pass
    over the sheets' XML, which check_package has bounded."""
    out: dict[str, dict[Cell, str]] = {}
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return out
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return out
    with zf:
        names = set(zf.namelist())
        for sheet, part in _sheet_parts(zf):
            if part not in names:
                continue
            with zf.open(part) as stream:
                far, errors = _scan(stream)
            if far:
                raise WorkbookInputError(msg.LIMIT_EXTENT.format(ref=f"{sheet}!{far}", rows=MAX_ROWS,
                                                                 cols=MAX_SELF_COLUMNS))
            if errors:
                out[sheet] = errors
    return out
