"""Shared builders for the self-evaluation tests: tables as units make them, written to disk."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from jixiao.workbook.selfeval.samples import Indicator, TableSpec, clean_indicators, clean_spec, write_table


def faulty_spec() -> TableSpec:
    """One table that trips every audit check (comments: the flag each row is there for)."""
    inds = [
        Indicator("产出指标", "数量指标", "培训场数", "≥100场", "80场", 8, 7, "场地受限"),  # score_mismatch (rule 6.4)
        Indicator("产出指标", "数量指标", "发放手册", "≥50本", "45本", 5, 4.5),  # partial_without_reason
        Indicator("产出指标", "数量指标", "服务人数", "≥100人", "150人", 5, 5),  # reason_missing (超目标50%)
        Indicator("产出指标", "数量指标", "建设站点", "≥10个", "10个", 5, 6, "超额"),  # score_above_weight
        Indicator("产出指标", "质量指标", "验收合格率", "≥95%", "90%", 5, 5),  # full_score_missed_target
        Indicator("产出指标", "质量指标", "资料归档率", "*", "**", 5, 5),  # placeholder
        Indicator("产出指标", "时效指标", "完成时限", "12月底前", None, 4, 4),  # missing_value (实际完成值)
        Indicator("产出指标", "成本指标", "人均培训成本", "≥800元", "750元", 5, 5),  # cost_with_ge
        Indicator("产出指标", "数量指标", "印发材料", "≥100份", "95人", 4, 4),  # unreadable_value (单位不一致)
        Indicator("效益指标", "社会效益指标", "群众获得感", "有效提升", "部分达成", 10, 10),  # qualitative_band
        Indicator("效益指标", "可持续影响指标", "长效机制", "逐步完善", "有所提升", 10, 9, "尚在完善"),  # qualitative_unchecked
        Indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "105%", 10, 10),  # percent_over_100
    ]
    # weights: 76 + budget 10 = 86 → weights_total; 执行率 83.33% reported 85% → budget_rate_mismatch,
    # reported score 10 → budget_score_mismatch, no reason → reason_missing; 总分 99 → total_mismatch
    return TableSpec(name="2021年农村实用技术培训项目", department="某县农业农村局", unit="某县农技推广中心",
                     initial=480.0, adjusted=480.0, executed=400.0,
                     sub_rows=(("其中：当年财政拨款", 480.0, 480.0, 400.0), ("上年结转资金", 0.0, 0.0, 0.0)),
                     rate="85.00%", budget_score=10.0, indicators=inds, total=99.0)


def write_clean(path: Path, variant: str = "standard", text_numbers: bool = False) -> Path:
    return write_table(clean_spec(), path, variant=variant, text_numbers=text_numbers,
                       extra_title_row=variant != "standard")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_xls(src: Path, outdir: Path, profile: Path) -> Path:
    """Save a copy as old-format .xls with LibreOffice (what an office suite writes, not a library)."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xls:MS Excel 97", "--outdir", str(outdir), str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = outdir / (src.stem + ".xls")
    assert out.is_file(), proc.stdout + proc.stderr
    return out


__all__ = ["clean_indicators", "clean_spec", "faulty_spec", "replace", "soffice", "to_xls", "write_clean", "write_table"]
