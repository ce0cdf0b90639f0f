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

from pathlib import Path
from typing import Any, Iterable
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

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
APPENDIX_LABEL = "附件"

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
    from lxml import etree

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
def _para(document: Any, para: Para, style: str = "Normal") -> None:
    p = document.add_paragraph(style=style)
    if para.lead:
        p.add_run(para.lead).bold = True
    run = p.add_run(para.body)
    if para.origin == "placeholder":
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _section(document: Any, section: Section) -> None:
    document.add_paragraph(section.title, style=f"Heading {min(section.level, 3)}")
    for para in section.paras:
        _para(document, para)
    for child in section.children:
        _section(document, child)


def _cell_text(cell: Any, text: str, bold: bool = False, center: bool = False) -> None:
    p = cell.paragraphs[0]
    p.style = "表格文字"
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    run = p.add_run(text)
    run.bold = bold


def _table(document: Any, table: ScoreTable) -> None:
    document.add_page_break()
    label = document.add_paragraph(APPENDIX_LABEL, style="Heading 1")
    label.paragraph_format.first_line_indent = Pt(0)
    heading = document.add_paragraph(table.title.split("：", 1)[-1], style="报告标题")
    heading.runs[0].font.size = Pt(18)
    t = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = {3, 4, 5, 6}
    for j, h in enumerate(table.header):
        _cell_text(t.cell(0, j), h, bold=True, center=True)
    for i, (row, role) in enumerate(zip(table.rows, table.roles), start=1):
        for j, value in enumerate(row):
            text = str(value) if value is not None else ""
            # 一级/二级 repeat down the column in the model; printed once and merged below
            if j < 2 and role != "total" and i > 1 and table.rows[i - 2][j] == value and table.roles[i - 2] != "total":
                text = ""
            _cell_text(t.cell(i, j), text, bold=role == "total", center=j in numeric or role == "total")
    for col in (0, 1):  # merge runs of equal 一级/二级 names (python-docx's cell.merge)
        start = 1
        for i in range(2, len(table.rows) + 2):
            same = (i <= len(table.rows) and table.roles[i - 1] != "total"
                    and table.rows[i - 1][col] == table.rows[start - 1][col]
                    and (col == 0 or table.rows[i - 1][0] == table.rows[start - 1][0]))
            if not same:
                if i - 1 > start:
                    drop_empty_paragraphs(t.cell(start, col).merge(t.cell(i - 1, col)))
                start = i
    for i, role in enumerate(table.roles, start=1):  # 合计 (and 总分 when 折算/封顶): label across five columns
        if role == "total":
            drop_empty_paragraphs(t.cell(i, 0).merge(t.cell(i, 4)))
    repeat_header_row(t.rows[0])
    for row in t.rows:
        for j, cell in enumerate(row.cells):
            cell.width = Mm(TABLE_WIDTHS_MM[j])
    for j, col in enumerate(t.columns):
        col.width = Mm(TABLE_WIDTHS_MM[j])


def build_document(report: Report) -> Any:
    document = Document()
    _setup(document)
    core = document.core_properties
    core.title = report.title
    core.subject = "项目支出绩效评价结果报告"
    core.author = "jixiao"
    title = document.add_paragraph(style="报告标题")
    for k, line in enumerate(report.title.split("\n")):
        if k:
            title.runs[-1].add_break()
        title.add_run(line)
    for para in report.intro:
        _para(document, para)
    for section in report.sections:
        _section(document, section)
    if report.appendix is not None:
        _table(document, report.appendix)
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
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def facts_in(report: Report) -> Iterable[Fact]:
    for section in report.walk():
        for para in section.paras:
            yield from para.facts
