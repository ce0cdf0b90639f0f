"""Read → score → write, independent of the backend: ``refresh_book(book)``.

``read_inputs`` does one bulk read per sheet and turns the three input sheets into the engine's
project mapping, indicator DataFrame and ``Params``; ``plan`` decides what gets written where
(the computed columns of 指标体系 as ONE contiguous block, 汇总 as a few blocks) and returns a list
of operations that any ``Book`` adapter carries out.  So the openpyxl file route and the live
Excel route (xlwings, issue #4) share every decision and differ only in how a block reaches cells,
and the number of adapter calls does not grow with the number of rows.

The file route (``refresh_file``) adds what only a file needs: the package-safety checks, a
backup, the openpyxl decorate step and the atomic save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..scoring import Evaluation, Params, ParamsError, evaluate
from ..scoring import model as m
from ..scoring.params import PARAM_LABELS
from ..scoring.text import excerpt, hidden_note
from . import layout as L
from . import messages as msg
from . import report_sheet
from . import summary as summary_mod
from .books import EXCEL_ERRORS, Block, Book, Clear, EnsureSheet, OpenpyxlBook, Operation, plain
from .errors import WorkbookInputError
from .limits import Uncached
from .percent_cells import is_number, percent_text

SCORED_SUFFIX = L.SCORED_SUFFIX
BACKUP_INFIX = L.BACKUP_INFIX


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------
@dataclass
class IndicatorTable:
    """Where the indicator table sits in the sheet as found (it may differ from the template)."""

    header_row: int
    columns: dict[str, int]  # engine column id → 1-based column (inputs and computed)
    computed_col: int  # first computed column; the computed block is contiguous from here
    write_headers: bool  # computed headers absent: the plan writes them too
    data_rows: list[int]  # Excel rows that hold an indicator
    last_row: int  # last data row (= header_row when there is none)
    extent_row: int  # last used row of the sheet as read


@dataclass
class Inputs:
    project: dict[str, Any]
    indicators: pd.DataFrame  # engine columns, ``row`` = Excel row number
    params: Params
    table: IndicatorTable
    project_cells: dict[str, tuple[int, int]]  # field id → (row, col) of its value cell
    param_cells: dict[str, tuple[int, int]]  # Params key → (row, col)
    errors: list[tuple[Any, str, str]] = field(default_factory=list)  # (row, field, message) found while reading


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _require_sheet(book: Book, name: str) -> None:
    names = book.sheet_names()
    if name not in names:
        raise WorkbookInputError(msg.MISSING_SHEET.format(sheet=name, present="、".join(names) or msg.NONE))


def _find_header(values: list[list[Any]], wanted: set[str], minimum: int) -> int | None:
    """0-based index of the row among the first few that contains the most wanted headers."""
    best, best_hits = None, 0
    for i, line in enumerate(values[: L.HEADER_SEARCH_ROWS]):
        hits = sum(1 for v in line if L.normalise_header(v) in wanted)
        if hits > best_hits:
            best, best_hits = i, hits
    return best if best_hits >= minimum else None


def _split_legacy_source(frame: pd.DataFrame) -> None:
    """An old "数据来源" column: a project rate name stays the row's 比率来源, other text ("问卷调查
    （有效问卷1200份）") is evidence for people, as in the 数据来源/佐证材料 column of newer workbooks."""
    rates = set(m.SOURCE_RATES)
    source = frame[m.SOURCE]
    is_rate = source.map(lambda v: _blank(v) or (isinstance(v, str) and v.strip() in rates))
    evidence = source.where(~is_rate, None)
    if m.EVIDENCE in frame.columns:
        evidence = frame[m.EVIDENCE].where(~frame[m.EVIDENCE].map(_blank), evidence)
    frame[m.EVIDENCE] = evidence.astype(object)
    frame[m.SOURCE] = source.where(is_rate, None).astype(object)


def read_indicator_table(values: list[list[Any]]) -> tuple[IndicatorTable, pd.DataFrame, list[tuple[Any, str, str]]]:
    sheet = L.SHEET_INDICATORS
    by_header = {L.normalise_header(c.header): c for c in L.INDICATOR_COLUMNS}
    h = _find_header(values, set(by_header), 3)
    if h is None:
        raise WorkbookInputError(msg.NO_HEADER.format(sheet=sheet, rows=L.HEADER_SEARCH_ROWS,
                                                      expected="”“".join(c.header for c in L.INDICATOR_INPUTS[:4])))
    header_row = h + 1
    header = values[h]
    columns: dict[str, int] = {}
    problems: list[str] = []
    headers_here = {L.normalise_header(v) for v in header}
    legacy_source = (L.normalise_header(L.INDICATOR_BY_ID[m.SOURCE].header) not in headers_here
                     and L.LEGACY_SOURCE_HEADER in headers_here)
    for j, v in enumerate(header):
        col = by_header.get(L.normalise_header(v))
        if col is None and legacy_source and L.normalise_header(v) == L.LEGACY_SOURCE_HEADER:
            col = L.INDICATOR_BY_ID[m.SOURCE]
        if col is None:
            continue
        if col.id in columns:
            problems.append(msg.DUPLICATE_HEADER.format(ref=L.sheet_ref(sheet, header_row, j + 1), header=col.header))
        columns[col.id] = j + 1
    for pos, col in enumerate(L.INDICATOR_INPUTS, start=1):
        if col.id in columns or col.id in L.OPTIONAL_INPUTS:
            continue
        found = header[pos - 1] if pos - 1 < len(header) else None
        if not _blank(found) and L.normalise_header(found) not in by_header:
            problems.append(msg.HEADER_RENAMED.format(ref=L.sheet_ref(sheet, header_row, pos), expected=col.header,
                                                      found=excerpt(str(found).strip()), note=hidden_note(found)))
        else:
            problems.append(msg.HEADER_MISSING.format(ref=L.sheet_ref(sheet, header_row, pos), expected=col.header,
                                                      row=header_row))
    computed = [c.id for c in L.INDICATOR_OUTPUTS]
    present = [cid for cid in computed if cid in columns]
    write_headers = False
    if not present:
        used = [j + 1 for j, v in enumerate(header) if not _blank(v)]
        computed_col = max(used + list(columns.values())) + 1
        write_headers = True
        for k, cid in enumerate(computed):
            columns[cid] = computed_col + k
    else:
        computed_col = columns.get(computed[0], 0)
        names = "、".join(L.INDICATOR_BY_ID[c].header for c in computed)
        missing = [L.INDICATOR_BY_ID[c].header for c in computed if c not in columns]
        moved = [cid for k, cid in enumerate(computed) if cid in columns and columns[cid] != computed_col + k]
        if missing:
            problems.append(msg.COMPUTED_HEADERS_MISSING.format(sheet=sheet, missing="”“".join(missing), headers=names))
        elif moved:
            problems.append(msg.COMPUTED_HEADERS_ORDER.format(ref=L.sheet_ref(sheet, header_row, columns[moved[0]]),
                                                              headers=names, header=L.INDICATOR_BY_ID[moved[0]].header))
    if problems:
        raise WorkbookInputError(problems)

    input_ids = [c.id for c in L.INDICATOR_INPUTS if c.id in columns]
    input_pos = [columns[cid] - 1 for cid in input_ids]
    records: list[list[Any]] = []
    rows: list[int] = []
    errors: list[tuple[Any, str, str]] = []
    for i in range(h + 1, len(values)):
        line = values[i]
        cells = [line[p] if p < len(line) else None for p in input_pos]
        if all(_blank(v) for v in cells):
            continue
        excel_row = i + 1
        for cid, v in zip(input_ids, cells):
            if isinstance(v, Uncached):
                errors.append((excel_row, cid, msg.FORMULA_UNCACHED.format(
                    ref=L.sheet_ref(sheet, excel_row, columns[cid]), header=L.INDICATOR_BY_ID[cid].header)))
            elif isinstance(v, str) and v.strip() in EXCEL_ERRORS:
                ref = L.sheet_ref(sheet, excel_row, columns[cid])
                errors.append((excel_row, cid, msg.FORMULA_ERROR.format(ref=ref, header=L.INDICATOR_BY_ID[cid].header,
                                                                        value=v.strip())))
        rows.append(excel_row)
        records.append([excel_row] + [plain(v) for v in cells])
    frame = pd.DataFrame(records, columns=[m.ROW] + input_ids, dtype=object)
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in [m.ROW] + input_ids})
    if legacy_source:
        _split_legacy_source(frame)
    last_row = rows[-1] if rows else header_row
    table = IndicatorTable(header_row, columns, computed_col, write_headers, rows, last_row, len(values))
    return table, frame, errors


def _label_table(values: list[list[Any]], sheet: str, headers: tuple[str, ...], label_col: int,
                 value_col: int) -> tuple[int, dict[str, tuple[int, Any]]]:
    """Label → (Excel row, value) of a two-column label/value table; label/value columns by header."""
    wanted = {L.normalise_header(x) for x in headers}
    h = _find_header(values, wanted, 2)
    if h is None:
        raise WorkbookInputError(msg.NO_HEADER.format(sheet=sheet, rows=L.HEADER_SEARCH_ROWS,
                                                      expected="”“".join(headers)))
    header = [L.normalise_header(v) for v in values[h]]
    lc = header.index(headers[label_col - 1]) if headers[label_col - 1] in header else label_col - 1
    vc = header.index(headers[value_col - 1]) if headers[value_col - 1] in header else value_col - 1
    out: dict[str, tuple[int, Any]] = {}
    for i in range(h + 1, len(values)):
        line = values[i]
        label = L.normalise_header(line[lc] if lc < len(line) else None)
        if label and label not in out:
            out[label] = (i + 1, plain(line[vc]) if vc < len(line) else None)
    return vc + 1, out


def read_project(values: list[list[Any]]) -> tuple[dict[str, Any], dict[str, tuple[int, int]], list[tuple[Any, str, str]]]:
    sheet = L.SHEET_PROJECT
    value_col, table = _label_table(values, sheet, L.PROJECT_HEADERS, L.PROJECT_LABEL_COL, L.PROJECT_VALUE_COL)
    missing = [f for f in L.PROJECT_FIELDS if L.normalise_header(f.label) not in table]
    if missing:
        raise WorkbookInputError([msg.PROJECT_LABEL_MISSING.format(sheet=sheet, label=f.label) for f in missing])
    project: dict[str, Any] = {"budget": {}, "reasons": {}, "texts": {}}
    cells: dict[str, tuple[int, int]] = {}
    errors: list[tuple[Any, str, str]] = []
    for f in L.PROJECT_FIELDS:
        row, value = table[L.normalise_header(f.label)]
        cells[f.id] = (row, value_col)
        if isinstance(value, Uncached):
            errors.append((None, f.id, msg.FORMULA_UNCACHED.format(ref=L.sheet_ref(sheet, row, value_col), header=f.label)))
            value = None
        if isinstance(value, str):
            value = value.strip() or None
            if value in EXCEL_ERRORS:
                errors.append((None, f.id, msg.FORMULA_ERROR.format(ref=L.sheet_ref(sheet, row, value_col),
                                                                   header=f.label, value=value)))
                value = None
        if "." in f.id:
            group, key = f.id.split(".", 1)
            project[group][key] = value
        else:
            project[f.id] = value
    return project, cells, errors


def read_params(values: list[list[Any]]) -> tuple[Params, dict[str, tuple[int, int]], list[tuple[Any, str, str]]]:
    sheet = L.SHEET_PARAMS
    value_col, table = _label_table(values, sheet, L.PARAMS_HEADERS, L.PARAMS_LABEL_COL, L.PARAMS_VALUE_COL)
    by_label = {L.normalise_header(label): key for key, label in PARAM_LABELS.items()}
    mapping: dict[str, Any] = {}
    cells: dict[str, tuple[int, int]] = {}
    errors: list[tuple[Any, str, str]] = []
    for label, (row, value) in table.items():
        key = by_label.get(label)
        if key is None:
            continue
        cells[key] = (row, value_col)
        if isinstance(value, Uncached):
            errors.append((None, "params." + key, msg.FORMULA_UNCACHED.format(
                ref=L.sheet_ref(sheet, row, value_col), header=PARAM_LABELS[key])))
            continue
        if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
            errors.append((None, "params." + key, msg.FORMULA_ERROR.format(
                ref=L.sheet_ref(sheet, row, value_col), header=PARAM_LABELS[key], value=value.strip())))
            continue
        mapping[key] = value
    try:
        params = Params.from_mapping(mapping)
    except ParamsError as exc:
        where = cells.get(exc.key)
        ref = L.sheet_ref(sheet, *where) if where else sheet
        errors.append((None, "params." + exc.key, msg.PARAM_ERROR.format(ref=ref, message=exc)))
        params = Params()
    return params, cells, errors


def read_inputs(book: Book) -> Inputs:
    """One bulk read per sheet; structural problems raise WorkbookInputError (nothing to score)."""
    _require_sheet(book, L.SHEET_PROJECT)
    _require_sheet(book, L.SHEET_INDICATORS)
    problems: list[str] = []
    try:
        project, project_cells, errors = read_project(book.read_values(L.SHEET_PROJECT))
    except WorkbookInputError as exc:
        problems += exc.messages
        project, project_cells, errors = {}, {}, []
    try:
        table, frame, ind_errors = read_indicator_table(book.read_values(L.SHEET_INDICATORS))
    except WorkbookInputError as exc:
        raise WorkbookInputError(problems + exc.messages) from None
    _percent_cells_as_text(book, table, frame)
    if problems:
        raise WorkbookInputError(problems)
    if L.SHEET_PARAMS in book.sheet_names():
        params, param_cells, par_errors = read_params(book.read_values(L.SHEET_PARAMS))
    else:
        params, param_cells, par_errors = Params(), {}, []
    return Inputs(project, frame, params, table, project_cells, param_cells, errors + ind_errors + par_errors)


def _percent_cells_as_text(book: Book, table: IndicatorTable, frame: pd.DataFrame) -> None:
    """A number in a percent-formatted target/actual cell becomes the text the user saw ("80%",
    "105%"; see ``percent_cells``): 1.05 is then not refused, and the report and 评分说明 print 80%,
    not 0.8.  Only numeric cells are looked up, and only when there are any (one pass over the sheet)."""
    if frame.empty or m.TARGET not in table.columns or m.ACTUAL not in table.columns:
        return
    wanted: dict[tuple[int, int], tuple[int, str]] = {}
    for i, (row, target, actual) in enumerate(zip(frame[m.ROW], frame[m.TARGET], frame[m.ACTUAL])):
        if is_number(target):
            wanted[(int(row), table.columns[m.TARGET])] = (i, m.TARGET)
        if is_number(actual):
            wanted[(int(row), table.columns[m.ACTUAL])] = (i, m.ACTUAL)
    if not wanted:
        return
    for cell in book.percent_cells(L.SHEET_INDICATORS, set(wanted)):
        i, column = wanted[cell]
        frame.iat[i, frame.columns.get_loc(column)] = percent_text(frame.iat[i, frame.columns.get_loc(column)])


# --------------------------------------------------------------------------------------------
# Scoring and messages
# --------------------------------------------------------------------------------------------
def evaluate_inputs(inputs: Inputs) -> Evaluation:
    return evaluate(inputs.project, inputs.indicators, inputs.params)


def error_messages(inputs: Inputs, evaluation: Evaluation) -> list[str]:
    """Reading errors plus the engine's errors, each prefixed with its sheet!cell."""
    out: list[str] = []
    seen: set[tuple[Any, str]] = set()
    for row, fid, text in inputs.errors:
        seen.add((row, fid))
        out.append(text)
    for err in evaluation.errors:
        row = plain(err.row)
        fid = err.field or ""
        if (row, fid) in seen:
            continue
        seen.add((row, fid))
        out.append(locate(inputs, row, fid, err.message))
    return out


def locate(inputs: Inputs, row: Any, field_id: str, message: str) -> str:
    """Prefix an engine message with the cell it is about (指标体系!H12：…)."""
    if field_id in inputs.project_cells:
        r, c = inputs.project_cells[field_id]
        return msg.CELL_PREFIX.format(ref=L.sheet_ref(L.SHEET_PROJECT, r, c), message=message)
    if field_id.startswith("params.") and field_id[7:] in inputs.param_cells:
        r, c = inputs.param_cells[field_id[7:]]
        return msg.CELL_PREFIX.format(ref=L.sheet_ref(L.SHEET_PARAMS, r, c), message=message)
    if row is not None:
        try:
            excel_row = int(row)
        except (TypeError, ValueError):
            excel_row = None
        if excel_row is not None:
            col = inputs.table.columns.get(field_id) or inputs.table.columns.get(m.LEVEL3, 1)
            return msg.CELL_PREFIX.format(ref=L.sheet_ref(L.SHEET_INDICATORS, excel_row, col), message=message)
    if row is None and field_id in inputs.table.columns:  # about a whole column (e.g. Σ分值)
        ref = msg.COLUMN_REF.format(sheet=L.SHEET_INDICATORS, column=L.column_letter(inputs.table.columns[field_id]),
                                    header=L.INDICATOR_BY_ID[field_id].header)
        return msg.CELL_PREFIX.format(ref=ref, message=message)
    return message


# --------------------------------------------------------------------------------------------
# Planning: what gets written where
# --------------------------------------------------------------------------------------------
@dataclass
class Plan:
    operations: list[Operation]
    summary: summary_mod.SummaryLayout
    computed_block: Block | None
    report_blocks: list[Block] = field(default_factory=list)


def plan(inputs: Inputs, evaluation: Evaluation, errors: list[str]) -> Plan:
    table = inputs.table
    sheet = L.SHEET_INDICATORS
    ops: list[Operation] = []
    out_cols = L.INDICATOR_OUTPUTS
    width = len(out_cols)
    if table.write_headers:
        ops.append(Block(sheet, table.header_row, table.computed_col, [[c.header for c in out_cols]], role="headers"))
    computed: Block | None = None
    if table.data_rows:
        first = table.header_row + 1
        grid: list[list[Any]] = [[None] * width for _ in range(table.last_row - first + 1)]
        results = evaluation.rows
        result_cols = [results[c.id].tolist() for c in out_cols]
        for k, excel_row in enumerate(inputs.indicators[m.ROW].tolist()):
            line = grid[int(excel_row) - first]
            for j in range(width):
                value = plain(result_cols[j][k])
                line[j] = None if isinstance(value, str) and not value else value
        computed = Block(sheet, first, table.computed_col, grid, [c.number_format for c in out_cols], "computed")
        ops.append(computed)
    if table.extent_row > table.last_row:
        ops.append(Clear(sheet, table.last_row + 1, table.computed_col, None, table.computed_col + width - 1))

    names = {}
    frame = inputs.indicators
    if not frame.empty:
        detail = frame[m.DETAIL].tolist()
        level3 = frame[m.LEVEL3].tolist()
        for r, d, n in zip(frame[m.ROW].tolist(), detail, level3):
            names[int(r)] = str(d if not _blank(d) else (n if not _blank(n) else ""))
    layout = summary_mod.build(inputs.project, evaluation, errors, names)
    ops.append(EnsureSheet(L.SHEET_SUMMARY, fresh=True))
    ops.extend(layout.blocks)
    report_blocks = report_sheet.plan_blocks(inputs, evaluation, errors)
    ops.append(EnsureSheet(L.SHEET_REPORT, fresh=True))
    ops.extend(report_blocks)
    return Plan(ops, layout, computed, report_blocks)


@dataclass
class RefreshResult:
    inputs: Inputs
    evaluation: Evaluation
    errors: list[str]
    plan: Plan
    output: Path | None = None
    backup: Path | None = None
    dropped: list[str] = field(default_factory=list)  # what --force let go (new file only)

    @property
    def ok(self) -> bool:
        return not self.errors


def refresh_book(book: Book) -> RefreshResult:
    """Read, score and write through any adapter (the caller saves)."""
    inputs = read_inputs(book)
    evaluation = evaluate_inputs(inputs)
    errors = error_messages(inputs, evaluation)
    the_plan = plan(inputs, evaluation, errors)
    book.apply(the_plan.operations)
    return RefreshResult(inputs, evaluation, errors, the_plan)


def score_file(path: str | Path) -> tuple[Inputs, Evaluation, list[str]]:
    """Read and score a file without writing anything (``jixiao score``)."""
    book = OpenpyxlBook(path)
    try:
        inputs = read_inputs(book)
    finally:
        book.close()
    evaluation = evaluate_inputs(inputs)
    return inputs, evaluation, error_messages(inputs, evaluation)


# --------------------------------------------------------------------------------------------
# The file route
# --------------------------------------------------------------------------------------------
def default_output(path: Path) -> Path:
    if path.stem.endswith(SCORED_SUFFIX):
        raise WorkbookInputError(msg.ALREADY_SCORED.format(name=path.name))
    return path.with_name(f"{path.stem}{SCORED_SUFFIX}{path.suffix}")


def backup_path(path: Path) -> Path:
    """The first backup of ``path``; later ``--in-place`` runs keep it and number theirs
    (``….bak2.xlsx`` …, see ``safe_write.make_backup``)."""
    return path.with_name(f"{path.stem}{BACKUP_INFIX}{path.suffix}")


def _package_checks(source: Path) -> tuple[Any, list[str]]:
    """What the package holds before the refresh, and what openpyxl would drop; a damaged package
    (unreadable XML in a part) is "已损坏", as for every other command."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from . import package

    try:
        before = package.inventory(source, owned=L.OWNED_SHEETS)
        dropped = package.unsupported_features(source, owned=L.OWNED_SHEETS)
    except (ParseError, zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, EOFError) as exc:
        raise WorkbookInputError(msg.CORRUPT.format(name=source.name, detail=f"{type(exc).__name__}: {exc}")) from None
    return before, dropped


def refresh_file(path: str | Path, output: str | Path | None = None, in_place: bool = False,
                 force: bool = False) -> RefreshResult:
    """Refresh a workbook file.

    Default: write ``<name>_已评分.xlsx`` beside the input, which is never opened for writing.
    ``in_place``: replace the file atomically after backing it up to ``<name>.bak.xlsx`` (or the
    next free ``<name>.bakN.xlsx``: earlier backups are never overwritten).  Either way the package
    is checked first and after saving: anything openpyxl would drop (text boxes, slicers,
    sparklines …) makes us refuse rather than lose it (``force`` accepts the loss for a new output
    file only).  Writing follows ``safe_write``: a lock beside the file written, an existing output
    replaced only when it is jixiao's own unedited product or with ``force`` (backed up first), a
    read-only file refused, symbolic links resolved.
    """
    from . import decorate, safe_write

    source = Path(path)
    if in_place and force:
        raise WorkbookInputError(msg.FORCE_IN_PLACE)
    safe_write.check_input(source)
    if in_place:
        target = source
    elif output is not None:
        target = Path(output)
        safe_write.check_output(target)  # a folder, pipe or device said as such, before the suffix
        if target.suffix.lower() != source.suffix.lower():
            raise WorkbookInputError(msg.OUT_SUFFIX.format(suffix=source.suffix))
    else:
        target = default_output(source)
    if not in_place and safe_write.real_path(target) == safe_write.real_path(source):
        raise WorkbookInputError(msg.OUTPUT_IS_INPUT.format(path=source))

    with safe_write.target(target, force=force, in_place=in_place, product=not in_place) as out:
        read_from = safe_write.identity(source)
        book = OpenpyxlBook(source, out.path)
        try:
            before, dropped = _package_checks(source)
            if dropped and not force:
                raise WorkbookInputError(msg.WOULD_LOSE.format(name=source.name, items="、".join(dropped)))

            def verify(saved: Path) -> None:
                from . import package

                if not in_place and safe_write.identity(source) != read_from:  # saved meanwhile (Excel …)
                    raise WorkbookInputError(msg.FAULT_SOURCE_CHANGED.format(path=source))
                lost = package.lost_parts(before, package.inventory(saved, owned=L.OWNED_SHEETS))
                if lost and not force:
                    raise WorkbookInputError(msg.LOST_AFTER_SAVE.format(name=source.name, items="、".join(lost)))
                dropped.extend(lost)

            book.verify = verify
            result = refresh_book(book)
            decorate.after_refresh(book.workbook, result.plan, result.inputs.table)
            report_sheet.draw(book.workbook, result.plan.report_blocks)
            book.save()
        finally:
            book.close()
    result.output = target
    result.backup = out.backup
    result.dropped = dropped
    return result
