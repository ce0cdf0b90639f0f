"""LibreOffice (headless) opens our files, prints them, and its own saves refresh cleanly.

One private LibreOffice profile per test session (``-env:UserInstallation``) keeps runs independent
of the user's settings and of each other; conversions are batched to keep CI time modest.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.workbook import layout as L
from jixiao.workbook.refresh import refresh_file, score_file
from jixiao.workbook.template import SAMPLE_WORKBOOK, TEMPLATE_FILES, build_demo

from test_workbook_support import soffice_path

SOFFICE = soffice_path()
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs it via .ci/run")
CSV_SHEET3 = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,3"


@pytest.fixture(scope="module")
def lo(tmp_path_factory: pytest.TempPathFactory):
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(files: list[Path], target: str, outdir: Path) -> list[Path]:
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert "Error" not in proc.stderr, proc.stderr
        return sorted(outdir.iterdir())

    return convert


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lo-demo")
    files, result = build_demo(folder)
    assert result.ok
    return folder


def _pdfinfo(pdf: Path) -> dict[str, str]:
    tool = shutil.which("pdfinfo")
    if tool is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    out = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def test_sample_and_templates_convert_to_pdf(lo, demo_dir: Path, tmp_path: Path) -> None:
    files = [demo_dir / SAMPLE_WORKBOOK, *(demo_dir / n for n in TEMPLATE_FILES.values())]
    pdfs = lo(files, "pdf", tmp_path / "pdf")
    assert [p.suffix for p in pdfs] == [".pdf"] * 3
    for pdf in pdfs:
        info = _pdfinfo(pdf)
        assert int(info["Pages"]) >= 4, pdf.name  # 说明, 项目信息, 指标体系, 评分参数, 汇总
        assert "A4" in info["Page size"]


def test_summary_prints_on_one_a4_page(lo, demo_dir: Path, tmp_path: Path) -> None:
    """Only 汇总 kept: LibreOffice must print it on exactly one A4 page; the PNG is for eyes."""
    wb = load_workbook(demo_dir / SAMPLE_WORKBOOK)
    for name in list(wb.sheetnames):
        if name != L.SHEET_SUMMARY:
            wb.remove(wb[name])
    only = tmp_path / "汇总.xlsx"
    wb.save(only)
    (pdf,) = lo([only], "pdf", tmp_path / "pdf")
    info = _pdfinfo(pdf)
    assert info["Pages"] == "1"
    assert "A4" in info["Page size"] and float(info["Page size"].split()[0]) < float(info["Page size"].split()[2])
    tool = shutil.which("pdftoppm")
    if tool:
        subprocess.run([tool, "-png", "-r", "80", str(pdf), str(tmp_path / "汇总")], check=True)
        png = next(tmp_path.glob("汇总*.png"))
        assert png.stat().st_size > 20_000  # a rendered page, not a blank one


def test_libreoffice_saved_workbook_refreshes(lo, demo_dir: Path, tmp_path: Path) -> None:
    """What a WPS/LibreOffice user does: open, save, refresh again - same result, nothing refused."""
    (saved,) = lo([demo_dir / SAMPLE_WORKBOOK], "xlsx", tmp_path / "saved")
    _, evaluation, errors = score_file(saved)
    assert errors == [] and evaluation.total == pytest.approx(98.4) and evaluation.grade == "优"
    result = refresh_file(saved, in_place=True)
    assert result.ok
    wb = load_workbook(saved, data_only=True)
    assert wb[L.SHEET_SUMMARY]["B4"].value == pytest.approx(98.4)


def test_formula_like_text_in_libreoffice(lo, demo_dir: Path, tmp_path: Path) -> None:
    """LibreOffice shows the target "=100%" as text, not as the formula's value 1 / 100%."""
    (out,) = lo([demo_dir / SAMPLE_WORKBOOK], CSV_SHEET3, tmp_path / "csv")
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    target = [r[6] for r in rows if len(r) > 6 and r[2] in ("资金到位率", "预算执行率")]
    assert target == ["=100%", "=100%"]
    assert re.search(r"指标体系", out.name)
