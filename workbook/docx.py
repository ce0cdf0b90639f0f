"""The report as a .docx in 公文 style (GB/T 9704 look), and reading a .docx back as text.

Format: A4, margins 37/35/28/26 mm; title 方正小标宋 22pt bold centred; body 仿宋_GB2312 16pt with a
2-character first-line indent and a fixed 28pt line pitch; 一级标题 黑体, 二级 楷体, 三级 仿宋 bold;
page numbers "— 1 —" at the foot; the scoring table as an appendix on its own page.

python-docx is used wherever it has an API.  Two things it lacks, done with small XML helpers:
the East-Asian font (``w:eastAsia`` on ``w:rFonts``: ``Font.name`` only sets the Latin slots, and
Word then shows Chinese in the theme font) and the PAGE field of the footer.

Fonts: government PCs have 仿宋_GB2312/楷体_GB2312/方正小标宋简体; others have 仿宋/楷体/宋体.  The
font table names the fallback (``w:altName``) so Word substitutes sensibly, and ``FONTCONFIG_PREFER``
says which installed families a Linux renderer (LibreOffice) should use instead — one mapping, so
the document and a render agree.
"""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any, Iterable, Iterator
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.exceptions import InvalidSpanError
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.oxml.simpletypes import ST_Merge
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from ..scoring.findings import Fact
from ..scoring.report import Para, Report, ScoreTable, Section
from .books import atomic_save

# ------------------------------------------------------------------ the look
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE = "宋体"
FONT_LATIN = "Times New Roman"
SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_TABLE = Pt(12)  # 小四
SIZE_PAGE = Pt(14)  # 四号
LINE_BODY = Pt(28)
LINE_TITLE = Pt(36)
LINE_TABLE = Pt(18)
INDENT = Pt(32)  # two characters of 16pt
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TABLE_WIDTHS_MM = (16, 20, 42, 24, 24, 14, 16)  # sum = 156 = 210 − 28 − 26
TOTAL_SPAN = 5  # 合计/总分: the label across 一级指标 … 实际值
APPENDIX_LABEL = "附件"
_W_R, _W_T, _XML_SPACE = qn("w:r"), qn("w:t"), qn("xml:space")

# Fallbacks: Word's font table (w:altName) and the families a Linux renderer should use instead.
ALT_NAMES = {FONT_TITLE: "宋体", FONT_BODY: "仿宋", FONT_H2: "楷体", FONT_H1: "SimHei"}
FONTCONFIG_PREFER: dict[str, tuple[str, ...]] = {
    FONT_TITLE: ("Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei"),
    "宋体": ("Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei"),
    FONT_BODY: ("Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei"),
    "仿宋": ("Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei"),
    FONT_H2: ("AR PL UKai CN", "Noto Serif CJK SC", "WenQuanYi Zen Hei"),
    "楷体": ("AR PL UKai CN", "Noto Serif CJK SC", "WenQuanYi Zen Hei"),
    FONT_H1: ("Noto Sans CJK SC", "WenQuanYi Zen Hei"),
}


def fontconfig_xml(include_system: str = "/etc/fonts/fonts.conf") -> str:
    """A fonts.conf that maps the 公文 fonts to installed ones (set FONTCONFIG_FILE to use it)."""
    aliases = "".join(
        f"<alias binding=\"same\"><family>{escape(name)}</family><prefer>"
        + "".join(f"<family>{escape(f)}</family>" for f in prefer) + "</prefer></alias>"
        for name, prefer in FONTCONFIG_PREFER.items())
    return (f"<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>"
            f"<include ignore_missing=\"yes\">{escape(include_system)}</include>{aliases}</fontconfig>")


# ------------------------------------------------------------------ XML helpers (no API in python-docx)
def set_fonts(element: Any, east_asian: str, latin: str = FONT_LATIN) -> None:
    """Set Latin and East-Asian fonts on a style or run element.

    python-docx 1.2 has no API for ``w:eastAsia``; without it Word renders Chinese in the theme's
    East-Asian font.  Theme attributes are removed because they override explicit names.
    """
    rfonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)


def set_chinese_language(element: Any) -> None:
    """Tag runs as zh-CN (no python-docx API): renderers then pick Simplified Chinese glyph forms
    from multi-language fonts such as Noto CJK instead of the Japanese ones."""
    rpr = element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")  # digits and Latin text: zh-CN here lets renderers break inside numbers
    lang.set(qn("w:eastAsia"), "zh-CN")


def repeat_header_row(row: Any) -> None:
    """Repeat a table's header row on every page (``w:tblHeader``; no python-docx API)."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def drop_empty_paragraphs(cell: Any) -> None:
    """``cell.merge`` keeps every merged cell's (empty) paragraph; they would make the row tall."""
    paragraphs = cell.paragraphs
    for p in paragraphs[1:]:
        if not p.text.strip():
            p._p.getparent().remove(p._p)


def add_page_field(paragraph: Any) -> None:
    """Append a PAGE field (python-docx has no field API): begin, instruction, separate, result, end."""
    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(char("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(char("end"))


def add_font_alternates(document: Any) -> None:
    """Name a fallback for each 公文 font in the font table (Word uses ``w:altName`` when missing)."""
    part = document.part
    font_part = next((rel.target_part for rel in part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if font_part is None:
        return
    from docx.oxml import parse_xml

    root = parse_xml(font_part.blob)
    for name, alt in ALT_NAMES.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_el = OxmlElement("w:altName")
        alt_el.set(qn("w:val"), alt)
        font.append(alt_el)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        root.append(font)

    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ------------------------------------------------------------------ styles
def _style(document: Any, name: str, east_asian: str, size: Pt, bold: bool = False, indent: bool = True,
           line: Pt = LINE_BODY, base: str | None = None) -> Any:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    font = style.font
    font.size = size
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element, east_asian)
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.first_line_indent = INDENT if indent else Pt(0)
    pf.widow_control = True
    return style


def _setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(25)
    normal = _style(document, "Normal", FONT_BODY, SIZE_BODY)
    set_chinese_language(normal.element)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = _style(document, "报告标题", FONT_TITLE, SIZE_TITLE, bold=True, indent=False, line=LINE_TITLE, base="Normal")
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = LINE_BODY
    for name, font, bold in (("Heading 1", FONT_H1, False), ("Heading 2", FONT_H2, False), ("Heading 3", FONT_BODY, True)):
        h = _style(document, name, font, SIZE_BODY, bold=bold)
        h.paragraph_format.keep_with_next = True
        h.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _style(document, "表格文字", FONT_BODY, SIZE_TABLE, indent=False, line=LINE_TABLE, base="Normal")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.add_run("— ")
    add_page_field(footer)
    footer.add_run(" —")
    for r in footer.runs:
        r.font.size = SIZE_PAGE
        set_fonts(r._r, FONT_PAGE, FONT_PAGE)
    add_font_alternates(document)


# ------------------------------------------------------------------ content
# Everything below runs once per paragraph or table cell: a report of 20,000 indicators has 20,000
# paragraphs and 140,000 cells.  python-docx's conveniences for them cost time proportional to the
# document on *every* call, which made the report quadratic in the rows; the same XML is written
# without them (tests/test_report_scaling.py compares it with python-docx's own route):
#   - a style given by name is looked up among all ~270 styles of the template on every assignment:
#     its id is looked up once per name (``_Body.style_id``);
#   - ``add_paragraph`` searches the body from its first child for the closing ``w:sectPr``: it is
#     found once (``_Body.paragraph``);
#   - ``table.cell(i, j)`` lists all cells of the table, ``cell.merge`` finds each merged row by its
#     index among all rows (recursing once per row) and ``row.cells`` walks up a vertical merge one
#     row at a time: the table is written row by row with its merges and widths as python-docx
#     leaves them (``_table``), and read back in one pass (``row_cells``).
class _Body:
    """Appends paragraphs to the end of the document body in constant time each."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.container = document._body
        self._ids: dict[str, str | None] = {}
        self._sect: Any = None

    def style_id(self, name: str) -> str | None:
        """What ``paragraph.style = name`` writes (None for the default style), looked up once."""
        if name not in self._ids:
            self._ids[name] = self.document.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return self._ids[name]

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """``document.add_paragraph(text, style)``: the same ``w:p``, before the closing ``w:sectPr``."""
        body = self.container._element
        if self._sect is None or self._sect.getparent() is not body:
            self._sect = body.sectPr  # the last child; python-docx looks for it on every paragraph
        p = OxmlElement("w:p")
        if self._sect is not None:
            self._sect.addprevious(p)
        else:
            body.append(p)
        paragraph = Paragraph(p, self.container)
        if text:
            paragraph.add_run(text)
        if style is not None:
            p.style = self.style_id(style)
        return paragraph


def _para(body: _Body, para: Para, style: str = "Normal") -> None:
    p = body.paragraph(style=style)
    if para.lead:
        p.add_run(para.lead).bold = True
    run = p.add_run(para.body)
    if para.origin == "placeholder":
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _section(body: _Body, section: Section) -> None:
    body.paragraph(section.title, style=f"Heading {min(section.level, 3)}")
    for para in section.paras:
        _para(body, para)
    for child in section.children:
        _section(body, child)


def _cell_text(cell: Any, text: str, style_id: str | None, bold: bool = False, center: bool = False) -> None:
    p = cell.paragraphs[0]
    p._p.style = style_id  # what ``p.style = "表格文字"`` writes, the name looked up once per document
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    run = p.add_run(text)
    run.bold = bold


class _TableCells:
    """New ``w:tc`` elements for the scoring table, exactly as python-docx leaves them.

    Each kind of cell is built once with python-docx's own calls (a cell of the table python-docx
    created, its width, ``w:vMerge`` or ``w:gridSpan`` set as its ``merge`` and ``width`` set them;
    a paragraph written by ``_cell_text``) and then copied, the text put into the copy's ``w:t`` as
    python-docx's ``add_t`` does.  Text that python-docx turns into several elements (tabs, line
    breaks) is written by ``_cell_text`` itself."""

    def __init__(self, blank_tr: Any, style_id: str | None) -> None:
        self.blank = list(blank_tr.tc_lst)  # a row of python-docx's ``add_table``, before anything is set
        self.style_id = style_id
        self._paragraphs: dict[tuple[bool, bool, bool], Any] = {}
        self._cells: dict[tuple[int, str | None], Any] = {}

    def cell(self, j: int, kind: str | None) -> Any:
        """Column ``j``: kind None (a cell of its own), "restart"/"continue" (the first/a further cell
        of a vertical merge) or "span" (the first of TOTAL_SPAN cells merged across)."""
        key = (j, kind)
        if key not in self._cells:
            tc = deepcopy(self.blank[j])
            if kind == "continue":  # python-docx's width pass reaches the first cell instead: width as created
                tc.vMerge = ST_Merge.CONTINUE
            else:
                if kind == "restart":
                    tc.vMerge = ST_Merge.RESTART
                if kind == "span":
                    tc.grid_span = TOTAL_SPAN
                # ``row.cells`` gives a spanning cell once per grid column: the last width set wins
                tc.width = Mm(TABLE_WIDTHS_MM[j + (TOTAL_SPAN - 1 if kind == "span" else 0)])
            self._cells[key] = tc
        return deepcopy(self._cells[key])

    def paragraph(self, text: str, bold: bool, center: bool) -> Any:
        """The ``w:p`` that ``_cell_text`` writes into a new cell."""
        if any(c in text for c in "\t\r\n"):
            cell = _Cell(deepcopy(self.blank[0]), None)  # type: ignore[arg-type]
            _cell_text(cell, text, self.style_id, bold=bold, center=center)
            return cell._tc.p_lst[0]
        key = (bold, center, bool(text))
        if key not in self._paragraphs:
            cell = _Cell(deepcopy(self.blank[0]), None)  # type: ignore[arg-type]
            _cell_text(cell, "x" if text else "", self.style_id, bold=bold, center=center)
            self._paragraphs[key] = cell._tc.p_lst[0]
        p = deepcopy(self._paragraphs[key])
        if text:
            t = p.find(f"{_W_R}/{_W_T}")
            t.text = text
            if len(text.strip()) < len(text):
                t.set(_XML_SPACE, "preserve")
        return p


def _merges(table: ScoreTable) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], list[tuple[int, int]]]]:
    """What python-docx's ``merge`` makes of the table (rows counted with the header as row 0):
    runs of equal 一级 (and, within them, 二级) names merged down, each 合计/总分 row's label merged
    across TOTAL_SPAN columns.  Returns the kind of each merged cell ("restart", "continue",
    "span", "gone" for a cell swallowed by a span) and, per first cell, the cells whose paragraphs
    python-docx moves into it, in order."""
    rows, roles = table.rows, table.roles
    kinds: dict[tuple[int, int], str] = {}
    moved: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for col in (0, 1):
        start = 1
        for i in range(2, len(rows) + 2):
            same = (i <= len(rows) and roles[i - 1] != "total"
                    and rows[i - 1][col] == rows[start - 1][col]
                    and (col == 0 or rows[i - 1][0] == rows[start - 1][0]))
            if not same:
                if i - 1 > start:
                    if roles[start - 1] == "total":  # python-docx then refuses the 合计 row's span across
                        raise InvalidSpanError("requested span not rectangular")
                    kinds[(start, col)] = "restart"
                    moved[(start, col)] = [(k, col) for k in range(start + 1, i)]
                    kinds.update({(k, col): "continue" for k in range(start + 1, i)})
                start = i
    for i, role in enumerate(roles, start=1):
        if role == "total":
            kinds[(i, 0)] = "span"
            moved[(i, 0)] = [(i, j) for j in range(1, TOTAL_SPAN)]
            kinds.update({(i, j): "gone" for j in range(1, TOTAL_SPAN)})
    return kinds, moved


def row_cells(tbl: Any) -> Iterator[list[Any]]:
    """Per row, the ``w:tc`` elements python-docx's ``row.cells`` stands for, in one pass.

    A cell spanning columns comes once per grid column; a ``w:vMerge`` continuation stands for the
    cells of the ``w:tc`` above it at its grid offset (python-docx walks up to the first cell of
    the merge one row per level, and finds each cell's row and offset by XPath).  Raises
    ValueError where python-docx does: a continuation in the first row, or none above it.
    """
    above: list[tuple[Any, int, list[Any]]] = []  # the row above: (tc, grid span, the cells it stands for)
    above_tr = None
    for tr in tbl.tr_lst:
        mine: list[tuple[Any, int, list[Any]]] = []
        cells: list[Any] = []
        before = 0  # the spans of the cells before this one in the row
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == ST_Merge.CONTINUE:
                if above_tr is None:
                    raise ValueError("no tr above topmost tr in w:tbl")
                got = _at_grid_offset(above_tr, above, tr.grid_before + before)  # CT_Tc.grid_offset
            else:
                got = [tc] * span
            mine.append((tc, span, got))
            cells.extend(got)
            before += span
        yield cells
        above_tr, above = tr, mine


def _at_grid_offset(tr: Any, tcs: list[tuple[Any, int, list[Any]]], grid_offset: int) -> list[Any]:
    """``tr.tc_at_grid_offset(grid_offset)`` over the row's cells as already read."""
    remaining = grid_offset - tr.grid_before
    for _, span, got in tcs:
        if remaining < 0:
            break
        if remaining == 0:
            return got
        remaining -= span
    raise ValueError(f"no `tc` element at grid_offset={grid_offset}")


def _table(document: Any, body: _Body, table: ScoreTable) -> None:
    """The scoring table, written row by row as python-docx leaves it after writing every cell
    (``_cell_text``), merging (``cell.merge``, ``drop_empty_paragraphs``), marking the header row
    and setting every cell's width (``for row in t.rows: for j, cell in enumerate(row.cells)``);
    ``tests/test_report_scaling.py`` holds the two equal.  That route costs time proportional to
    the table for each cell (``table.cell``), each merged row (``merge``) and each row
    (``row.cells`` across a merge)."""
    document.add_page_break()
    label = document.add_paragraph(APPENDIX_LABEL, style="Heading 1")
    label.paragraph_format.first_line_indent = Pt(0)
    heading = document.add_paragraph(table.title.split("：", 1)[-1], style="报告标题")
    heading.runs[0].font.size = Pt(18)
    t = document.add_table(rows=1, cols=len(table.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    blank = t._tbl.tr_lst[0]
    t._tbl.remove(blank)
    cells = _TableCells(blank, body.style_id("表格文字"))
    numeric = {3, 4, 5, 6}
    texts: list[list[str]] = [list(table.header)]
    looks: list[tuple[bool, list[bool]]] = [(True, [True] * len(table.header))]  # bold; centred per column
    for i, (row, role) in enumerate(zip(table.rows, table.roles), start=1):
        line = []
        for j, value in enumerate(row):
            text = str(value) if value is not None else ""
            # 一级/二级 repeat down the column in the model; printed once and merged below
            if j < 2 and role != "total" and i > 1 and table.rows[i - 2][j] == value and table.roles[i - 2] != "total":
                text = ""
            line.append(text)
        texts.append(line)
        looks.append((role == "total", [j in numeric or role == "total" for j in range(len(row))]))
    kinds, moved = _merges(table)
    for i, line in enumerate(texts):
        tr = OxmlElement("w:tr")
        bold, centred = looks[i]
        for j in range(len(table.header)):
            kind = kinds.get((i, j))
            if kind == "gone":
                continue
            tc = cells.cell(j, kind)
            if kind != "continue" and j < len(line):  # a continuation is left an empty paragraph
                tc.replace(tc.p_lst[0], cells.paragraph(line[j], bold, centred[j]))
                for k, c in moved.get((i, j), ()):  # the merged cells' paragraphs, those without text dropped
                    if texts[k][c].strip():
                        tc.append(cells.paragraph(texts[k][c], looks[k][0], looks[k][1][c]))
            tr.append(tc)
        t._tbl.append(tr)
    repeat_header_row(t.rows[0])
    for j, col in enumerate(t.columns):
        col.width = Mm(TABLE_WIDTHS_MM[j])


def build_document(report: Report) -> Any:
    document = Document()
    _setup(document)
    core = document.core_properties
    core.title = report.title
    core.subject = "项目支出绩效评价结果报告"
    core.author = "jixiao"
    body = _Body(document)
    title = body.paragraph(style="报告标题")
    for k, line in enumerate(report.title.split("\n")):
        if k:
            title.runs[-1].add_break()
        title.add_run(line)
    for para in report.intro:
        _para(body, para)
    for section in report.sections:
        _section(body, section)
    if report.appendix is not None:
        _table(document, body, report.appendix)
    return document


def write_docx(report: Report, path: str | Path) -> Path:
    """Write atomically: a half-written report never replaces a good one."""
    target = Path(path)
    document = build_document(report)
    atomic_save(lambda tmp: document.save(str(tmp)), target)
    return target


# ------------------------------------------------------------------ reading back
def read_docx(path: str | Path) -> tuple[list[str], list[list[list[str]]]]:
    """(body paragraphs, tables as rows of cell texts) of a .docx, as a reviewer's copy has them."""
    document = Document(str(path))
    paragraphs = [_paragraph_text(p) for p in document.element.body.p_lst]  # [p.text for p in document.paragraphs]
    tables = [_table_texts(t) for t in document.tables]
    return paragraphs, tables


# python-docx's ``Paragraph.text`` / ``_Cell.text``, with its XPath expressions compiled once (it compiles
# them anew for every paragraph and run: most of the time of reading a long report back)
_XPATH_P = etree.XPath("w:r | w:hyperlink", namespaces=nsmap)  # CT_P.text
_XPATH_R = etree.XPath("w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab", namespaces=nsmap)  # CT_R.text
_XPATH_H = etree.XPath("w:r", namespaces=nsmap)  # CT_Hyperlink.text


def _run_text(r: Any) -> str:
    return "".join(str(e) for e in _XPATH_R(r))


def _paragraph_text(p: Any) -> str:
    return "".join(_run_text(e) if e.tag == _W_R else "".join(_run_text(r) for r in _XPATH_H(e))
                   for e in _XPATH_P(p))


def _table_texts(table: Any) -> list[list[str]]:
    """``[[c.text for c in row.cells] for row in table.rows]`` in one pass (see ``row_cells``)."""
    texts: dict[Any, str] = {}

    def text(tc: Any) -> str:
        if tc not in texts:
            texts[tc] = "\n".join(_paragraph_text(p) for p in tc.p_lst)  # _Cell.text
        return texts[tc]

    return [[text(tc) for tc in cells] for cells in row_cells(table._tbl)]


def facts_in(report: Report) -> Iterable[Fact]:
    for section in report.walk():
        for para in section.paras:
            yield from para.facts
