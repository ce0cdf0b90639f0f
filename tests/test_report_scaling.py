"""``jixiao report`` and ``check-report`` grow linearly with the indicator rows (issue #13), and the
fast routes write and read exactly what python-docx's own API would.

Linear: the work is counted, not timed — Python function calls (``sys.setprofile``, builtins
included), which do not depend on the machine or its load.  Four times the rows must cost less than
eight times the calls in each phase (linear: about 4×, less with the fixed costs; the quadratic code
this replaced: 14–18×).  A phase that overshoots is stopped as soon as it does, not run to the end.

Same output: python-docx's straightforward route (``table.cell``, ``cell.merge``, ``row.cells``,
``add_paragraph(style=…)`` — quadratic on a long table) is kept here as the reference, and the
document, the text read back and the checker's findings must be identical to it.
"""

from __future__ import annotations

import copy
import importlib.util
import random
import re
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from jixiao.scoring.report import LAYOUTS, Report, ScoreTable
from jixiao.workbook import docx as D
from jixiao.workbook import report_check as RC
from jixiao.workbook.refresh import score_file
from jixiao.workbook.report_sheet import report_for_inputs
from jixiao.workbook.template import sample_workbook, save_workbook

SMALL, LARGE = 100, 400  # indicator rows; LARGE = 4 × SMALL
MERGED = 40  # rows of the big sample whose document is compared with python-docx's (long merged runs)
MAX_GROWTH = 8.0  # calls(LARGE) / calls(SMALL): linear ≈ 4 (or less), quadratic ≈ 16


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location(
        "bench_report_scaling", Path(__file__).parents[1] / "benchmarks" / "report_scaling.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _scored(path: Path, layout: str = LAYOUTS[0]) -> Report:
    inputs, evaluation, errors = score_file(path)
    assert not errors and evaluation.total is not None
    return report_for_inputs(inputs, evaluation, errors, layout)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[int | str, Path]:
    folder = tmp_path_factory.mktemp("scaling")
    bench = _bench()
    out: dict[int | str, Path] = {n: bench.write_big_sample(n, folder / f"big-{n}.xlsx") for n in (SMALL, LARGE, MERGED)}
    out["sample"] = save_workbook(sample_workbook(), folder / "sample.xlsx")
    return out


# ============================================================================================
# Linear: calls counted per phase
# ============================================================================================
class TooManyCalls(Exception):
    pass


def _calls(fn: Callable[[], Any], limit: float | None = None) -> tuple[int, Any]:
    """(Python and builtin function calls made by ``fn()``, its result); stops past ``limit``."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call" or event == "c_call":
            count += 1
            if limit is not None and count > limit:
                raise TooManyCalls

    sys.setprofile(profile)
    try:
        result = fn()
    finally:
        sys.setprofile(None)
    return count, result


def _phases(path: Path, folder: Path, limits: dict[str, float] | None = None) -> dict[str, int]:
    """Calls of each phase of ``jixiao report`` + ``check-report`` after reading the workbook."""
    limits = limits or {}
    inputs, evaluation, errors = score_file(path)
    assert not errors and evaluation.total is not None
    docx_path = folder / f"{path.stem}.docx"
    counts: dict[str, int] = {}

    def phase(name: str, fn: Callable[[], Any]) -> Any:
        try:
            counts[name], result = _calls(fn, limits.get(name))
        except TooManyCalls:
            pytest.fail(f"{name}: more than {limits[name]:,.0f} calls for {LARGE} rows "
                        f"({MAX_GROWTH:g}× those for {SMALL}): not linear in the rows")
        return result

    report = phase("report model", lambda: report_for_inputs(inputs, evaluation, errors))
    document = phase("docx build", lambda: D.build_document(report))
    document.save(str(docx_path))
    paragraphs, tables = phase("docx read", lambda: D.read_docx(docx_path))
    result = phase("check", lambda: RC.check_text(report, paragraphs, tables))
    assert result.ok and not result.missing  # the report checks against its own workbook
    return counts


def test_report_and_check_are_linear_in_the_rows(workbooks: dict[int | str, Path], tmp_path: Path) -> None:
    small = _phases(workbooks[SMALL], tmp_path)
    large = _phases(workbooks[LARGE], tmp_path, {k: v * MAX_GROWTH for k, v in small.items()})
    for name, calls in large.items():
        assert calls < MAX_GROWTH * small[name], (name, small[name], calls)


# ============================================================================================
# Same output as python-docx's own route
# ============================================================================================
def _reference_document(report: Report) -> Any:
    """``build_document`` through python-docx's API only, call for call as the code before #13."""
    document = Document()
    D._setup(document)
    core = document.core_properties
    core.title = report.title
    core.subject = "项目支出绩效评价结果报告"
    core.author = "jixiao"

    def para(p: Any, style: str = "Normal") -> None:
        out = document.add_paragraph(style=style)
        if p.lead:
            out.add_run(p.lead).bold = True
        run = out.add_run(p.body)
        if p.origin == "placeholder":
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def section(s: Any) -> None:
        document.add_paragraph(s.title, style=f"Heading {min(s.level, 3)}")
        for p in s.paras:
            para(p)
        for child in s.children:
            section(child)

    title = document.add_paragraph(style="报告标题")
    for k, line in enumerate(report.title.split("\n")):
        if k:
            title.runs[-1].add_break()
        title.add_run(line)
    for p in report.intro:
        para(p)
    for s in report.sections:
        section(s)
    if report.appendix is not None:
        _reference_table(document, report.appendix)
    return document


def _reference_table(document: Any, table: ScoreTable) -> None:
    def cell_text(cell: Any, text: str, bold: bool = False, center: bool = False) -> None:
        p = cell.paragraphs[0]
        p.style = "表格文字"
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        p.add_run(text).bold = bold

    document.add_page_break()
    label = document.add_paragraph(D.APPENDIX_LABEL, style="Heading 1")
    label.paragraph_format.first_line_indent = Pt(0)
    heading = document.add_paragraph(table.title.split("：", 1)[-1], style="报告标题")
    heading.runs[0].font.size = Pt(18)
    t = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = {3, 4, 5, 6}
    for j, h in enumerate(table.header):
        cell_text(t.cell(0, j), h, bold=True, center=True)
    for i, (row, role) in enumerate(zip(table.rows, table.roles), start=1):
        for j, value in enumerate(row):
            text = str(value) if value is not None else ""
            if j < 2 and role != "total" and i > 1 and table.rows[i - 2][j] == value and table.roles[i - 2] != "total":
                text = ""
            cell_text(t.cell(i, j), text, bold=role == "total", center=j in numeric or role == "total")
    for col in (0, 1):
        start = 1
        for i in range(2, len(table.rows) + 2):
            same = (i <= len(table.rows) and table.roles[i - 1] != "total"
                    and table.rows[i - 1][col] == table.rows[start - 1][col]
                    and (col == 0 or table.rows[i - 1][0] == table.rows[start - 1][0]))
            if not same:
                if i - 1 > start:
                    D.drop_empty_paragraphs(t.cell(start, col).merge(t.cell(i - 1, col)))
                start = i
    for i, role in enumerate(table.roles, start=1):
        if role == "total":
            D.drop_empty_paragraphs(t.cell(i, 0).merge(t.cell(i, 4)))
    D.repeat_header_row(t.rows[0])
    for row in t.rows:
        for j, cell in enumerate(row.cells):
            cell.width = Mm(D.TABLE_WIDTHS_MM[j])
    for j, col in enumerate(t.columns):
        col.width = Mm(D.TABLE_WIDTHS_MM[j])


def _read_reference(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    document = Document(str(path))
    return ([p.text for p in document.paragraphs],
            [[[c.text for c in row.cells] for row in t.rows] for t in document.tables])


def _random_tables(seed: int, count: int) -> list[ScoreTable]:
    """Appendix tables of every shape: runs of equal names, 合计/总分 rows, blanks, tabs, line
    breaks, spaces at either end, XML specials."""
    rnd = random.Random(seed)
    words = ["决策", "产出", "", None, " 前后空格 ", "合计", "甲\t乙", "上\n下", "回车\r", "　全角", "a&b<c>", 4.5]
    header = ["一级指标", "二级指标", "三级指标", "目标值", "实际值", "分值", "得分"]
    tables = []
    for _ in range(count):
        rows, roles = [], []
        for _ in range(rnd.randint(0, 12)):
            rows.append([rnd.choice(words[:3]) if rnd.random() < 0.7 else rnd.choice(words) for _ in range(3)]
                        + [rnd.choice(words), rnd.choice(words), rnd.choice(["3", "", "0.5"]), rnd.choice(["2", "—", 1.25])])
            roles.append(rnd.choice(["level3", "detail", "level3", "detail", "total"]))
        if rnd.random() < 0.5:  # as built: 合计 (and 总分) last
            rows.append(["合计", "", "", "", "", "100", "98.4"])
            roles.append("total")
        tables.append(ScoreTable("附件：绩效评价评分表", header, rows, roles, score_col=6))
    return tables


def _table_document(write: Callable[[Any], None]) -> Any:
    document = Document()
    D._setup(document)
    write(document)
    return document


def _with_appendix(report: Report, table: ScoreTable) -> Report:
    out = copy.copy(report)
    out.appendix = table
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_documents_are_those_python_docx_writes(workbooks: dict[int | str, Path], layout: str, tmp_path: Path) -> None:
    for source in ("sample", MERGED):
        report = _scored(workbooks[source], layout)
        fast = D.build_document(report)
        assert fast.part.blob == _reference_document(report).part.blob, source
        fast.save(str(tmp_path / "fast.docx"))
        assert D.read_docx(tmp_path / "fast.docx") == _read_reference(tmp_path / "fast.docx"), source


def test_any_table_is_written_as_python_docx_writes_it(tmp_path: Path) -> None:
    refused = 0
    for k, table in enumerate(_random_tables(seed=13, count=40)):
        try:
            want = _table_document(lambda doc: _reference_table(doc, table))
        except Exception as exc:  # python-docx refuses the shape (a run of names starting at a 合计 row)
            refused += 1
            with pytest.raises(type(exc)):
                _table_document(lambda doc: D._table(doc, D._Body(doc), table))
            continue
        got = _table_document(lambda doc: D._table(doc, D._Body(doc), table))
        assert got.part.blob == want.part.blob, (table.rows, table.roles)
        if k % 8 == 0:
            got.save(str(tmp_path / "t.docx"))
            assert D.read_docx(tmp_path / "t.docx") == _read_reference(tmp_path / "t.docx")
    assert refused < 20


def test_any_merged_table_is_read_as_python_docx_reads_it(tmp_path: Path) -> None:
    """Merges made by python-docx at random (rectangles, a row starting late), hyperlinks, tabs,
    breaks: ``read_docx`` gives what ``row.cells`` / ``Paragraph.text`` give, errors included."""
    rnd = random.Random(7)
    extras = ['<w:hyperlink %s><w:r><w:t>链接</w:t></w:r><w:r><w:tab/></w:r></w:hyperlink>',
              '<w:r %s><w:noBreakHyphen/><w:br w:type="page"/><w:cr/><w:t></w:t><w:br/></w:r>']
    for trial in range(60):
        document = Document()
        rows, cols = rnd.randint(1, 6), rnd.randint(1, 5)
        t = document.add_table(rows=rows, cols=cols)
        for i in range(rows):
            for j in range(cols):
                t.cell(i, j).text = rnd.choice(["a", "b\tc", "d\ne", "", " f "])
        for _ in range(rnd.randint(0, 3)):
            try:
                t.cell(rnd.randrange(rows), rnd.randrange(cols)).merge(t.cell(rnd.randrange(rows), rnd.randrange(cols)))
            except Exception:
                pass
        if rnd.random() < 0.2:
            before = parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>')
            t._tbl.tr_lst[rnd.randrange(rows)].get_or_add_trPr().insert(0, before)
        if rnd.random() < 0.1:
            t._tbl.tr_lst[0].tc_lst[0].vMerge = "continue"
        for p in document.element.body.iter(qn("w:p")):
            if rnd.random() < 0.3:
                p.append(parse_xml(rnd.choice(extras) % nsdecls("w")))
        document.add_paragraph(rnd.choice(["x", "a\tb", "", "c\nd"]))
        path = tmp_path / f"m{trial}.docx"
        document.save(str(path))
        try:
            expected: Any = _read_reference(path)
        except Exception as exc:
            expected = (type(exc), str(exc))
        try:
            got: Any = D.read_docx(path)
        except Exception as exc:
            got = (type(exc), str(exc))
        assert got == expected, trial


# ============================================================================================
# The checker finds what the per-check scan found
# ============================================================================================
def _reference_check(report: Report, paragraphs: list[str], tables: list[list[list[str]]]) -> RC.CheckResult:
    """``check_text`` as it was: every paragraph searched for every pair, every table row for every score."""
    result = RC.CheckResult()
    for check in report.checks:
        if check.kind in ("number", "grade"):
            seen = RC._check_pattern(check, paragraphs, result)
        elif check.kind == "pair":
            seen = False
            for text in paragraphs:
                start = text.find(check.anchor)
                while start >= 0:
                    tail = text[start + len(check.anchor):]
                    segment = re.split(r"[；;。\n]", tail, maxsplit=1)[0]
                    for regex, fact in ((RC.PAIR_PLAN, check.expected), (RC.PAIR_ACTUAL, check.actual)):
                        match = regex.search(segment)
                        if match is None or fact is None:
                            continue
                        seen = True
                        written = f"{match.group('v')}{match.group('u')}"
                        if not RC._same(RC._pair_value(written), RC._pair_value(fact.value)):
                            what = "计划" if regex is RC.PAIR_PLAN else "实际"
                            result.differences.append(RC.Difference(
                                f"{check.label}（{what}）", fact.text, written, fact.source,
                                RC._excerpt(text, start, start + len(check.anchor) + len(segment))))
                    start = text.find(check.anchor, start + len(check.anchor))
        else:
            anchor = RC._clean(check.anchor)
            seen = False
            for table in tables:
                if not table:
                    continue
                header = [RC._clean(c) for c in table[0]]
                if "得分" not in header:
                    continue
                col = len(header) - 1 - header[::-1].index("得分")
                for row in table[1:]:
                    if anchor not in (RC._clean(c) for c in row[:col]) or col >= len(row):
                        continue
                    seen = True
                    found = RC._clean(row[col])
                    number = re.search(r"-?\d+(?:\.\d+)?", found)
                    if number is None or not RC._number_matches(check, number.group(0)):
                        result.differences.append(RC.Difference(check.label, check.expected.text, found,
                                                                check.expected.source,
                                                                " | ".join(c.strip() for c in row if c.strip())))
        if seen:
            result.checked += 1 + (check.kind == "pair")
        else:
            result.missing.append(check)
    return result


def _edit(rnd: random.Random, text: str) -> str:
    """What reviewers do to a sentence: another number, a cut, a new clause."""
    for _ in range(rnd.randint(1, 3)):
        numbers = list(re.finditer(r"\d+(?:\.\d+)?", text))
        r = rnd.random()
        if numbers and r < 0.5:
            m = rnd.choice(numbers)
            text = text[:m.start()] + str(rnd.choice([1, 2.5, 117, 90, 0, 98.4])) + text[m.end():]
        elif r < 0.7 and len(text) > 4:
            i = rnd.randrange(len(text))
            text = text[:i] + text[i + rnd.randint(1, 4):]
        else:
            i = rnd.randrange(len(text) + 1)
            text = text[:i] + rnd.choice(["；", "。", "计划3场", "实际", "\n", "　"]) + text[i:]
    return text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_edited_reports_get_the_same_findings(workbooks: dict[int | str, Path], layout: str, tmp_path: Path) -> None:
    rnd = random.Random(layout)
    for source, trials in (("sample", 40), (SMALL, 4)):
        report = _scored(workbooks[source], layout)
        D.build_document(report).save(str(tmp_path / "r.docx"))
        paragraphs, tables = D.read_docx(tmp_path / "r.docx")
        for _ in range(trials):
            paras = [_edit(rnd, p) if rnd.random() < 0.2 else p for p in paragraphs if rnd.random() > 0.05]
            tabs = [[[_edit(rnd, c) if c and rnd.random() < 0.1 else c for c in row] for row in t if rnd.random() > 0.05]
                    for t in tables]
            got, want = RC.check_text(report, paras, tabs), _reference_check(report, paras, tabs)
            assert (got.differences, got.missing, got.checked) == (want.differences, want.missing, want.checked)


def test_containing_finds_every_needle_in_every_text() -> None:
    rnd = random.Random(1)
    for _ in range(2000):
        alphabet = "ab计划c"[:rnd.randint(1, 6)]
        needles = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 5))) for _ in range(rnd.randint(0, 8))]
        texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(rnd.randint(0, 6))]
        assert RC._containing(needles, texts) == {n: [k for k, t in enumerate(texts) if n in t] for n in needles}
