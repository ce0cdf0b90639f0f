"""Wall time of a headless refresh, in-process, against what a Linux user without jixiao would do
(LibreOffice recalculating the same file with ``soffice --headless --convert-to xlsx``).

    python benchmarks/refresh.py [--rows 2000] [--repeat 3] [--keep DIR]

Prints one table; the floor the project holds itself to is: sample refresh < 0.5 s in-process.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jixiao.scoring import model as m
from jixiao.workbook.refresh import refresh_file
from jixiao.workbook.template import new_workbook, sample_workbook, save_workbook

FLOOR_SAMPLE_SECONDS = 0.5


def generated_rows(n: int) -> list[dict]:
    """``n`` indicators across 4 一级 / 20 二级, every scoring method, weights adding up to 100."""
    # weights in whole cents (scores are kept to 0.01; finer 分值 are refused), adding up to exactly 100
    base, extra = divmod(10_000, n)
    cents = [base + (1 if i < extra else 0) for i in range(n)]
    methods = [
        ({m.METHOD: m.METHOD_LABELS["higher"]}, lambda i: {m.TARGET: f"{80 + i % 20}场", m.ACTUAL: f"{75 + i % 30}场"}),
        ({m.METHOD: m.METHOD_LABELS["lower"]}, lambda i: {m.TARGET: "≤5%", m.ACTUAL: f"{(i % 9) / 100:.2%}"}),
        ({m.METHOD: m.METHOD_LABELS["checklist"]}, lambda i: {m.JUDGEMENT: (i % 3) * 0.01}),
        ({m.METHOD: m.METHOD_LABELS["qualitative"]}, lambda i: {m.LEVEL: m.LEVEL_LABELS[m.LEVEL_MET],
                                                                  m.JUDGEMENT: cents[i] / 100}),
        ({}, lambda i: {m.TARGET: "≥90%", m.ACTUAL: f"{85 + i % 15}%"}),
        ({m.METHOD: m.METHOD_LABELS["stepped"]}, lambda i: {m.CRITERIA: "≤0%:100%; ≤5%:80%; 其他:0", m.ACTUAL: f"{i % 7}%"}),
    ]
    rows = []
    for i in range(n):
        fixed, varying = methods[i % len(methods)]
        rows.append({m.LEVEL1: ("决策", "过程", "产出", "效益")[i * 4 // n], m.LEVEL2: f"二级{i * 20 // n + 1}",
                     m.LEVEL3: f"三级指标{i + 1}", m.WEIGHT: cents[i] / 100, **fixed, **varying(i),
                     m.REASON: "说明" if i % 5 == 0 else None})
    return rows


def large_workbook(n: int):
    project = {"name": f"基准测试项目（{n}项指标）", "year": 2021, "kind": "部门评价",
               "budget": {"initial": 1000, "adjustment": 50, "received": 1050, "executed": 980}}
    return new_workbook("部门评价", None, project, generated_rows(n), banner="基准测试")


def time_refresh(path: Path, repeat: int) -> tuple[float, float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = refresh_file(path, output=path.with_name(path.stem + "_out" + path.suffix))
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def time_soffice(soffice: str, profile: Path, path: Path, outdir: Path) -> float:
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx", "--outdir", str(outdir), str(path)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, timeout=900)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="write the benchmark files here and keep them")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sample = save_workbook(sample_workbook(), folder / "sample.xlsx")
    large = save_workbook(large_workbook(args.rows), folder / f"large-{args.rows}.xlsx")

    lines = [f"{'file':<28}{'indicators':>11}{'jixiao median':>15}{'min':>9}{'soffice':>10}"]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = folder / "lo-profile"
    if soffice:  # first start creates the profile; not part of the measurement
        time_soffice(soffice, profile, sample, folder / "warmup")
    failed = False
    for path, n in ((sample, 26), (large, args.rows)):
        median, best, result = time_refresh(path, args.repeat)
        lo = f"{time_soffice(soffice, profile, path, folder / 'lo'):.2f}s" if soffice else "n/a"
        lines.append(f"{path.name:<28}{n:>11}{median:>14.3f}s{best:>8.3f}s{lo:>10}")
        if path is sample and median >= FLOOR_SAMPLE_SECONDS:
            failed = True
        assert result is not None
    print("\n".join(lines))
    print(f"floor: sample refresh < {FLOOR_SAMPLE_SECONDS}s in-process -> {'FAILED' if failed else 'ok'}")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
