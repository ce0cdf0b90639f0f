"""The evaluation result report: asserted on the WRITTEN files (.docx re-read with python-docx, the
refreshed workbook re-read with openpyxl), not on the objects that produced them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from jixiao import cli
from jixiao.cli.report import default_report_path
from jixiao.workbook.sample import sample_data
from jixiao.workbook import layout as L
from jixiao.workbook.docx import FONT_BODY, FONT_H1, FONT_H2, fontconfig_xml
from jixiao.workbook.template import SAMPLE_WORKBOOK, build_demo

# the ten plan/actual pairs of the reference report's section 三 (7 output details + 3 效益 rows)
PAIRS = [
    ("培训场数", "90场", "117场"), ("发送政务短信数量", "380万条", "450万条"),
    ("来穗人员融合服务周开展活动次数", "1次", "1次"), ("积分制服务管理申报指南印刷数量", "6万份", "6.5万份"),
    ("门户网站发布信息量", "1500条", "1922条"), ("年度政务微信发布信息数量", "1500条", "1763条"),
    ("大型社会媒体报道次数", "6条", "6条"), ("积分制入户指标完成率", "100%", "100%"),
    ("融合大学堂和融合服务周项目验收通过率", "100%", "100%"), ("融合服务周及融合大学堂满意度", "80%", "95%"),
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-demo")
    files, result = build_demo(folder)
    assert result.ok
    return folder / SAMPLE_WORKBOOK


@pytest.fixture(scope="module")
def without_own_texts(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with the evaluators' 存在问题/相关建议 emptied: everything comes from the rules."""
    path = tmp_path_factory.mktemp("bare") / "bare.xlsx"
    wb = load_workbook(sample)
    ws = wb[L.SHEET_PROJECT]
    labels = {L.PROJECT_BY_ID["texts.problems"].label, L.PROJECT_BY_ID["texts.suggestions"].label}
    for row in ws.iter_rows():
        if row[L.PROJECT_LABEL_COL - 1].value in labels:
            row[L.PROJECT_VALUE_COL - 1].value = None
    wb.save(path)
    return path


def _report(workbook: Path, out: Path, *extra: str) -> Path:
    assert cli.main(["report", str(workbook), "-o", str(out), *extra]) == 0
    return out


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _section(paras: list[str], start: str, end: str | None) -> str:
    i = paras.index(start)
    j = paras.index(end) if end else len(paras)
    return "\n".join(paras[i + 1:j])


@pytest.fixture(scope="module")
def docx_path(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(sample, tmp_path_factory.mktemp("docx") / "报告.docx")


def test_sentences_in_the_right_sections(docx_path: Path) -> None:
    paras = _paragraphs(docx_path)
    funds = _section(paras, "1. 资金情况", "2. 项目执行情况")
    for text in ("年初预算144万元", "调增6.81万元", "预算调整率4.73%", "实际预算150.81万元", "预算执行率100%"):
        assert text in funds, text
    system = _section(paras, "（三）绩效评价指标体系及评分标准方法", "三、评价结论与绩效分析")
    assert "4个一级指标" in system and "19个三级指标" in system
    conclusion = _section(paras, "（一）总体结论", "（二）项目绩效分析")
    assert "评定等级为：优" in conclusion and "综合得分98.4分" in conclusion
    analysis = _section(paras, "（二）项目绩效分析", "四、项目主要绩效或成功经验")
    lines = analysis.splitlines()
    for name, plan, actual in PAIRS:
        line = next((x for x in lines if name in x), None)
        assert line is not None, name
        assert f"计划{plan}" in line or f"计划不低于{plan}" in line, line
        assert f"实际完成{actual}" in line, line
    # the one ≤ indicator: its actual is not "完成", and the sentence says which side of the cap it is on
    assert "（1）成本节约率：计划不超过150.81万元，实际150.81万元，未超过目标上限。" in lines
    assert paras[0].startswith("2021年度广州市来穗人员服务管理局")


def test_evaluators_texts_kept_and_not_duplicated(docx_path: Path) -> None:
    paras = _paragraphs(docx_path)
    problems = _section(paras, "五、存在问题与不足", "六、相关建议")
    assert problems.startswith("年初预算不够精准。因年度工作计划调整及疫情影响")
    assert problems.count("年初预算不够精准") == 1
    suggestions = _section(paras, "六、相关建议", "附件")
    assert suggestions.count("科学设置绩效指标") == 1 and suggestions.count("提高预算编制质量，减少预算调整") == 1


def test_problems_and_suggestions_come_from_the_rules(without_own_texts: Path, tmp_path: Path) -> None:
    paras = _paragraphs(_report(without_own_texts, tmp_path / "r.docx"))
    expected = sample_data()["expected"]["findings"]
    problems = _section(paras, "五、存在问题与不足", "六、相关建议")
    suggestions = _section(paras, "六、相关建议", "附件").splitlines()
    for title in expected["problems"]:
        assert title in problems
    assert "项目年初预算资金为144万元，年中调增6.81万元，预算调整率4.73%，预算不够精准" in problems
    assert [s.split("。", 1)[0] for s in suggestions] == [f"{i}. {t}" for i, t in enumerate(expected["suggestions"], 1)]
    assert "培训场数（融合大学堂及融合服务周）计划90场、实际完成117场" in suggestions[0]


def test_official_document_format(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # twips round-trip
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == FONT_BODY
    assert normal.paragraph_format.line_spacing == Pt(28)
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == FONT_H1
    assert doc.styles["Heading 2"].element.rPr.rFonts.get(qn("w:eastAsia")) == FONT_H2
    title = doc.paragraphs[0]
    assert title.style.font.size == Pt(22) and title.style.font.bold
    assert title.style.paragraph_format.alignment == 1  # centre
    assert "PAGE" in section.footer._element.xml
    assert [p.style.name for p in doc.paragraphs if p.text == "一、项目概况"] == ["Heading 1"]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["一级指标", "二级指标", "三级指标", "目标值", "实际值", "分值", "得分"]
    assert table.rows[-1].cells[0].text == "合计" and table.rows[-1].cells[-1].text == "98.4"


def test_national_outline(sample: Path, tmp_path: Path) -> None:
    paras = _paragraphs(_report(sample, tmp_path / "n.docx", "--layout", "财政部提纲"))
    heads = [p for p in paras if p[:2] in {f"{n}、" for n in "一二三四五六七"}]
    assert heads == ["一、基本情况", "二、绩效评价工作开展情况", "三、综合评价情况及评价结论", "四、绩效评价指标分析",
                     "五、主要经验及做法、存在的问题及原因分析", "六、有关建议", "七、其他需要说明的问题"]
    decision = _section(paras, "（一）项目决策情况", "（二）项目过程情况")
    assert "得分14分" in decision and "预算编制科学性扣1分" in decision


def test_default_output_name(sample: Path) -> None:
    assert default_report_path(sample).name == sample.stem + "_评价报告.docx"


# -------------------------------------------------------------------------------- check-report
def test_check_report_untouched(sample: Path, docx_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check-report", str(sample), str(docx_path)]) == 0
    out = capsys.readouterr().out
    assert "全部相符" in out and "不一致" not in out


def test_check_report_catches_hand_edits(sample: Path, docx_path: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    doc = Document(str(docx_path))
    edits = {"综合得分98.4分": "综合得分99.4分", "评定等级为：优": "评定等级为：良", "实际完成1922条": "实际完成1992条"}
    for p in doc.paragraphs:
        for run in p.runs:
            for old, new in edits.items():
                if old in run.text:
                    run.text = run.text.replace(old, new)
    edited = tmp_path / "改过的报告.docx"
    doc.save(str(edited))
    capsys.readouterr()
    assert cli.main(["check-report", str(sample), str(edited)]) == 2
    out = capsys.readouterr().out
    assert "3 处数字与工作簿不一致" in out
    assert "总分：报告为“99.4分”，工作簿为“98.4分”（汇总!B4）" in out
    assert "等级：报告为“良”，工作簿为“优”（汇总!D4）" in out
    assert "门户网站发布信息量（实际）：报告为“1992条”，工作簿为“1922条”（指标体系!H20）" in out


def test_check_report_table_and_bad_file(sample: Path, docx_path: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    doc = Document(str(docx_path))
    doc.tables[0].rows[-1].cells[-1].paragraphs[0].runs[0].text = "97.4"
    edited = tmp_path / "t.docx"
    doc.save(str(edited))
    assert cli.main(["check-report", str(sample), str(edited)]) == 2
    assert "附表·合计得分：报告为“97.4”" in capsys.readouterr().out
    not_docx = tmp_path / "x.docx"
    not_docx.write_text("不是文档", encoding="utf-8")
    assert cli.main(["check-report", str(sample), str(not_docx)]) == 2
    assert "不是 Word 文档" in capsys.readouterr().err


# -------------------------------------------------------------------------------- the sheet
def test_report_sheet_in_refreshed_sample(sample: Path) -> None:
    wb = load_workbook(sample)
    names = wb.sheetnames
    assert names.index(L.SHEET_REPORT) == names.index(L.SHEET_SUMMARY) + 1
    rows = [[c for c in r] for r in wb[L.SHEET_REPORT].iter_rows(values_only=True)]
    text = "\n".join(str(v) for r in rows for v in r if v is not None)
    expected = sample_data()["expected"]["findings"]
    for title in expected["problems"] + expected["suggestions"]:
        assert title in text
    assert "3项需说明原因的事项尚未填写原因" in text
    budget = next(r for r in rows if r[1] and str(r[1]).startswith("该项目2021年年初预算144万元"))
    assert "144万元←项目信息!C9" in budget[2] and "4.73%←项目信息!C10÷项目信息!C9" in budget[2]
    assert any(r[0] == "五、存在问题与不足" for r in rows)


# -------------------------------------------------------------------------------- LibreOffice
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice/poppler not installed; CI installs them via .ci/run")
def test_libreoffice_renders_the_report(docx_path: Path, tmp_path: Path) -> None:
    """One conversion; the PNGs are left in the temp dir for eyes (pytest --basetemp to keep them)."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(fontconfig_xml(), encoding="utf-8")
    env = {**__import__("os").environ, "FONTCONFIG_FILE": str(conf)}
    cmd = [SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / (docx_path.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert 5 <= pages <= 15
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # Chinese rendered with a CJK font, not boxes
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "评定等级为：优" in text.replace(" ", "")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages
