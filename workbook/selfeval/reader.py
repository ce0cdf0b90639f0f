"""Open a spreadsheet fast and return its sheets as plain grids (python-calamine).

A finance bureau reviews thousands of 自评表 a year, so reading is the hot path: calamine (Rust)
reads .xlsx, .xlsm and the old .xls a unit saved years ago, with no per-cell Python objects, about
ten times faster than openpyxl.  A grid is a list of rows starting at A1 (so positions are cell
addresses), empty cells are "" and every failure becomes one Chinese message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import python_calamine as pc

from ..errors import WorkbookInputError
from ..limits import check_package, scan_sheets
from . import messages as msg

SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm", ".xls")
Grid = list[list[Any]]


def check_path(path: Path) -> None:
    if not path.is_file():
        raise WorkbookInputError(msg.FILE_NOT_FOUND.format(path=path))
    if path.suffix.lower() not in SUFFIXES:
        raise WorkbookInputError(msg.UNSUPPORTED.format(suffix=path.suffix or "（无）"))


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_kind(path: Path) -> str | None:
    """"encrypted" (an OLE container holding an "EncryptedPackage" stream: an .xlsx with a password),
    "xls" (any other OLE container: an old .xls, whatever its name), or None (not OLE)."""
    with path.open("rb") as fh:
        head = fh.read(8)
        if head != _OLE:
            return None
        data = head + fh.read(4 * 2**20)  # the stream directory sits near the start of small files
    return "encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "xls"


def _encrypted(path: Path) -> bool:
    return path.suffix.lower() != ".xls" and _ole_kind(path) == "encrypted"


class Workbook:
    """One open spreadsheet; ``grid(name)`` reads a sheet once (cached)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        check_path(self.path)
        # calamine allocates a sheet's whole range before we see a cell, and aborts the process when
        # that fails: the package and the sheets' real extent are checked first (see ..limits)
        check_package(self.path)
        self._errors = scan_sheets(self.path)  # also: cells holding #N/A & co., which calamine reads as ""
        try:
            self._book = pc.CalamineWorkbook.from_path(str(self.path))
        except pc.PasswordError:
            raise WorkbookInputError(msg.ENCRYPTED.format(name=self.path.name)) from None
        except Exception as exc:  # calamine raises several types for broken packages
            if _encrypted(self.path):
                raise WorkbookInputError(msg.ENCRYPTED.format(name=self.path.name)) from None
            if self.path.suffix.lower() != ".xls" and _ole_kind(self.path) == "xls":
                raise WorkbookInputError(msg.XLS_RENAMED.format(name=self.path.name)) from None
            raise WorkbookInputError(msg.CORRUPT.format(name=self.path.name, detail=_short(exc))) from None
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._grids: dict[str, Grid] = {}

    def grid(self, name: str) -> Grid:
        if name not in self._grids:
            try:
                grid = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for (r, c), text in self._errors.get(name, {}).items():
                    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) and grid[r - 1][c - 1] in ("", None):
                        grid[r - 1][c - 1] = text
                self._grids[name] = grid
            except Exception as exc:
                raise WorkbookInputError(msg.CORRUPT.format(name=self.path.name, detail=_short(exc))) from None
        return self._grids[name]

    def close(self) -> None:
        try:
            self._book.close()
        except Exception:  # closing twice or a reader that has nothing to close
            pass

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _short(exc: BaseException, limit: int = 120) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
