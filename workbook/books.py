"""Book adapters: the small interface the refresh pipeline talks to, and its openpyxl implementation.

The refresh (``refresh.py``) decides *what* goes *where* as a list of operations; an adapter only
carries values in and out.  The interface is shaped for a live Excel behind xlwings, where every
call is a round trip: one bulk read per sheet, one write per rectangular block, so the number of
calls never grows with the number of rows.  Pattern borrowed from ``pandas.io.excel``: one front,
small per-engine classes behind a base class.

Contract every adapter keeps
----------------------------
* ``read_values(sheet)`` returns the sheet's values as a rectangle starting at A1 (row 1 is index 0),
  cached results of formulas (never the formula text), Excel error values as their text ("#DIV/0!"),
  empty cells as None.  Trailing empty rows may be omitted.
* ``write_values(sheet, row, col, rows)`` writes a 2-D block with its top-left cell at (row, col),
  1-based.  None empties a cell.  A string is always written as text, also when it starts with
  "=" (xlwings: prefix "'"; openpyxl: string type + quotePrefix) - user text never becomes a formula.
* ``set_number_formats(sheet, row, col, formats, nrows)`` one format per column of a block (one call
  per column against live Excel); None leaves a column alone.
* ``clear(sheet, row, col, last_row, last_col)`` empties values in a rectangle (formats stay).
* ``ensure_sheet(name, fresh=False)`` creates the sheet at the end if missing; ``fresh`` empties it
  completely (values, formats, charts) - only ever used on sheets jixiao owns (汇总).
* ``save()`` persists (openpyxl: atomic replace of the target file; live Excel: nothing or
  ``book.save()``).
"""

from __future__ import annotations

import os
import zipfile
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..scoring.model import plain_value
from . import messages as msg
from .errors import WorkbookInputError

EXCEL_ERRORS: frozenset[str] = frozenset({
    "#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
    "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!",
})
SUFFIXES = (".xlsx", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --------------------------------------------------------------------------------------------
# Operations: what the refresh hands to an adapter
# --------------------------------------------------------------------------------------------
@dataclass
class Block:
    """A rectangle of values with its top-left cell (1-based) and optional per-column formats.

    ``role`` tells a decorate step how to style the block (``"title"``, ``"table"`` …); adapters
    that only carry values ignore it.
    """

    sheet: str
    row: int
    col: int
    values: list[list[Any]]
    formats: Sequence[str | None] | None = None
    role: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def nrows(self) -> int:
        return len(self.values)

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.values), default=0)

    @property
    def last_row(self) -> int:
        return self.row + self.nrows - 1

    @property
    def last_col(self) -> int:
        return self.col + self.ncols - 1


@dataclass(frozen=True)
class Clear:
    """Empty the values of a rectangle; ``last_row`` None = to the last used row."""

    sheet: str
    row: int
    col: int
    last_row: int | None
    last_col: int


@dataclass(frozen=True)
class EnsureSheet:
    name: str
    fresh: bool = False


Operation = Block | Clear | EnsureSheet


class Book(ABC):
    """The interface of ``refresh.py``; see the module docstring for the contract."""

    @abstractmethod
    def sheet_names(self) -> list[str]: ...

    @abstractmethod
    def read_values(self, sheet: str) -> list[list[Any]]: ...

    @abstractmethod
    def write_values(self, sheet: str, row: int, col: int, values: list[list[Any]]) -> None: ...

    def set_number_formats(self, sheet: str, row: int, col: int, formats: Sequence[str | None],
                           nrows: int) -> None:
        """Optional: adapters whose sheets are pre-formatted may ignore it."""

    def percent_cells(self, sheet: str, cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
        """Which of these (row, column) cells are formatted as percent; empty when the adapter cannot
        see formats (the engine then asks the user to type the "%", see ``percent_cells`` module)."""
        return set()

    @abstractmethod
    def clear(self, sheet: str, row: int, col: int, last_row: int | None, last_col: int) -> None: ...

    @abstractmethod
    def ensure_sheet(self, name: str, fresh: bool = False) -> bool: ...

    @abstractmethod
    def save(self) -> None: ...

    def apply(self, operations: Iterable[Operation]) -> None:
        """Carry out a refresh plan: one adapter call per operation (plus formats per block)."""
        for op in operations:
            if isinstance(op, EnsureSheet):
                self.ensure_sheet(op.name, op.fresh)
            elif isinstance(op, Clear):
                self.clear(op.sheet, op.row, op.col, op.last_row, op.last_col)
            else:
                self.write_values(op.sheet, op.row, op.col, op.values)
                if op.formats and any(op.formats):
                    self.set_number_formats(op.sheet, op.row, op.col, op.formats, op.nrows)


plain = plain_value  # what a cell may hold: NaN/NA → None, numpy scalars → Python numbers


# --------------------------------------------------------------------------------------------
# In memory: the reference adapter (tests, and a model for new adapters)
# --------------------------------------------------------------------------------------------
class MemoryBook(Book):
    """Sheets as lists of rows. Counts adapter calls, so tests can show that the number of round
    trips a live-Excel adapter would make does not depend on the number of indicator rows."""

    def __init__(self, sheets: dict[str, list[list[Any]]] | None = None) -> None:
        self.sheets: dict[str, list[list[Any]]] = {k: [list(r) for r in v] for k, v in (sheets or {}).items()}
        self.formats: dict[tuple[str, int, int], str] = {}
        self.calls: list[str] = []
        self.saved = 0

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def read_values(self, sheet: str) -> list[list[Any]]:
        self.calls.append("read")
        rows = self.sheets[sheet]
        width = max((len(r) for r in rows), default=0)
        return [list(r) + [None] * (width - len(r)) for r in rows]

    def _grow(self, sheet: str, rows: int, cols: int) -> list[list[Any]]:
        grid = self.sheets[sheet]
        while len(grid) < rows:
            grid.append([])
        for line in grid[:rows]:
            if len(line) < cols:
                line.extend([None] * (cols - len(line)))
        return grid

    def write_values(self, sheet: str, row: int, col: int, values: list[list[Any]]) -> None:
        self.calls.append("write")
        width = max((len(r) for r in values), default=0)
        grid = self._grow(sheet, row + len(values) - 1, col + width - 1)
        for i, line in enumerate(values):
            for j, value in enumerate(line):
                grid[row - 1 + i][col - 1 + j] = plain(value)

    def set_number_formats(self, sheet: str, row: int, col: int, formats: Sequence[str | None], nrows: int) -> None:
        for j, fmt in enumerate(formats):
            if fmt:
                self.calls.append("format")
                self.formats[(sheet, row, col + j)] = fmt

    def clear(self, sheet: str, row: int, col: int, last_row: int | None, last_col: int) -> None:
        self.calls.append("clear")
        grid = self.sheets[sheet]
        last = len(grid) if last_row is None else min(last_row, len(grid))
        for r in range(row - 1, last):
            line = grid[r]
            for c in range(col - 1, min(last_col, len(line))):
                line[c] = None

    def ensure_sheet(self, name: str, fresh: bool = False) -> bool:
        self.calls.append("sheet")
        if name in self.sheets and not fresh:
            return False
        self.sheets[name] = []
        return True

    def save(self) -> None:
        self.saved += 1


# --------------------------------------------------------------------------------------------
# Opening files: the checks that give a Chinese message instead of a stack trace
# --------------------------------------------------------------------------------------------
def check_workbook_file(path: Path) -> None:
    """Raise WorkbookInputError unless ``path`` looks like an .xlsx/.xlsm package we can open."""
    if not path.exists():
        raise WorkbookInputError(msg.FILE_NOT_FOUND.format(path=path))
    if not path.is_file():
        raise WorkbookInputError(msg.NOT_A_FILE.format(path=path))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookInputError(msg.ENCRYPTED.format(name=path.name))
        raise WorkbookInputError(msg.LEGACY_XLS.format(name=path.name))
    if not zipfile.is_zipfile(path):
        raise WorkbookInputError(msg.NOT_XLSX.format(name=path.name))
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookInputError(msg.CORRUPT.format(name=path.name, detail=exc)) from None
    if bad is not None:
        raise WorkbookInputError(msg.CORRUPT.format(name=path.name, detail=bad))
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
        raise WorkbookInputError(msg.NOT_XLSX.format(name=path.name))
    if path.suffix.lower() not in SUFFIXES:
        raise WorkbookInputError(msg.UNSUPPORTED_SUFFIX.format(suffix=path.suffix))
    from .limits import check_package

    check_package(path)  # before any reader unpacks a part: zip bombs are refused here


def _load(path: Path, **kwargs: Any):
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns in English about what it drops; package.py turns that into a refusal
            # with a Chinese message instead, so the warnings would only be noise for users.
            warnings.simplefilter("ignore")
            return load_workbook(path, **kwargs)
    except WorkbookInputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged XML
        raise WorkbookInputError(msg.CORRUPT.format(name=path.name, detail=f"{type(exc).__name__}: {exc}")) from None


def atomic_save(save: Callable[[Path], None], target: Path,
                verify: Callable[[Path], None] | None = None, mode_from: Path | None = None) -> None:
    """Write through a synced temporary file in the target's folder, verify it, then os.replace.

    A crash or a refused verification leaves the target exactly as it was.  The discipline
    (overwrite rules, lock, backups, Chinese messages for OS errors) lives in ``safe_write``.
    """
    from .safe_write import atomic_write

    atomic_write(save, target, verify=verify, mode_from=mode_from)


# --------------------------------------------------------------------------------------------
# openpyxl: a file on disk
# --------------------------------------------------------------------------------------------
class OpenpyxlBook(Book):
    """An .xlsx/.xlsm file. Values are read from a fast read-only, cached-values view; writes go to
    a full workbook (formulas, styles, charts, and for .xlsm the VBA project kept), loaded only
    when something is written."""

    def __init__(self, path: str | os.PathLike[str], target: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path)
        check_workbook_file(self.path)
        self.target = Path(target) if target is not None else self.path
        self.keep_vba = self.path.suffix.lower() == ".xlsm"
        self._values_wb = None
        self._wb = None
        self._cache: dict[str, list[list[Any]]] = {}
        self._percent: dict[str, set[tuple[int, int]]] = {}  # numbers in percent-formatted cells, per sheet
        self.verify: Callable[[Path], None] | None = None

    # ---------------------------------------------------------------- reading
    @property
    def values_workbook(self):
        if self._values_wb is None:
            self._values_wb = _load(self.path, read_only=True, data_only=True)
        return self._values_wb

    @property
    def workbook(self):
        """The full workbook that writes go to (loaded on first use)."""
        if self._wb is None:
            self._wb = _load(self.path, keep_vba=self.keep_vba, data_only=False, rich_text=True)
        return self._wb

    def sheet_names(self) -> list[str]:
        if self._wb is not None:
            return list(self._wb.sheetnames)
        return list(self.values_workbook.sheetnames)

    def read_values(self, sheet: str) -> list[list[Any]]:
        if sheet in self._cache:
            return self._cache[sheet]
        from .limits import read_grid

        ws = self.values_workbook[sheet]
        try:
            # the cells the sheet holds, never its declared <dimension> nor rows padded to a far column
            percent: set[tuple[int, int]] = set()
            rows = read_grid(ws, sheet, percent=percent)
            self._percent[sheet] = percent
        except WorkbookInputError:
            raise
        except Exception as exc:
            raise WorkbookInputError(msg.CORRUPT.format(name=self.path.name, detail=f"{sheet}: {exc}")) from None
        self._cache[sheet] = rows
        return rows

    def percent_cells(self, sheet: str, cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
        """Answered from the formats noted while the sheet was read: no second pass over the file."""
        self.read_values(sheet)
        return cells & self._percent.get(sheet, set())

    def close(self) -> None:
        if self._values_wb is not None:
            self._values_wb.close()
            self._values_wb = None

    # ---------------------------------------------------------------- writing
    def write_values(self, sheet: str, row: int, col: int, values: list[list[Any]]) -> None:
        ws = self.workbook[sheet]
        for i, line in enumerate(values):
            for j, value in enumerate(line):
                set_cell(ws.cell(row=row + i, column=col + j), value)

    def set_number_formats(self, sheet: str, row: int, col: int, formats: Sequence[str | None],
                           nrows: int) -> None:
        ws = self.workbook[sheet]
        for j, fmt in enumerate(formats):
            if not fmt:
                continue
            for i in range(nrows):
                ws.cell(row=row + i, column=col + j).number_format = fmt

    def clear(self, sheet: str, row: int, col: int, last_row: int | None, last_col: int) -> None:
        ws = self.workbook[sheet]
        last = ws.max_row if last_row is None else min(last_row, ws.max_row)
        cells = ws._cells  # only touch cells that exist: clearing must not create empty cells
        for r in range(row, last + 1):
            for c in range(col, last_col + 1):
                cell = cells.get((r, c))
                if cell is not None and cell.value is not None:
                    cell.value = None

    def ensure_sheet(self, name: str, fresh: bool = False) -> bool:
        wb = self.workbook
        if name in wb.sheetnames:
            if not fresh:
                return False
            ws = wb[name]
            index = wb.index(ws)
            was_active = wb.active is ws
            wb.remove(ws)
            wb.create_sheet(name, index)
            if was_active:
                wb.active = index
            return True
        wb.create_sheet(name)
        return True

    def save(self) -> None:
        if self._wb is None:
            return
        self.close()
        atomic_save(self._wb.save, self.target, verify=self.verify,
                    mode_from=self.path if self.target == self.path else None)


def set_cell(cell: Any, value: Any) -> None:
    """Assign a value; strings stay text even when they start with "=" (never a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if cell.__class__.__name__ == "MergedCell":
        return  # covered by a merge the user made: only its top-left cell holds a value
    value = plain(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    elif value is not None and not isinstance(value, (int, float, bool, datetime, date, time)):
        value = str(value)
    cell.value = value
    formula_like = isinstance(value, str) and value.startswith("=")
    if formula_like:
        cell.data_type = "s"
    if formula_like or cell.quotePrefix:
        cell.quotePrefix = formula_like
