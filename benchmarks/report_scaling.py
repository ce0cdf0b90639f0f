"""Does ``jixiao report`` (and ``check-report``) grow linearly with the number of indicator rows?

    python benchmarks/report_scaling.py [--rows 200,2000,20000] [--keep DIR]

For each size: the built-in sample with its 明细 rows (under 实际完成率) repeated so that the
指标体系 has that many rows, with distinct names and 分值 that still add up to 100.  Each command runs
as a whole process (``python -m jixiao ...``), as a user runs it: ``refresh`` (the input → its
``_已评分`` copy), then ``report`` and ``check-report`` on the refreshed copy.  Prints the seconds and the
peak resident memory of each, and the ratio report/refresh.  The goal (issue #13): report time linear
in rows, and 20,000 rows in less time than ``refresh`` of the same file.

``big_sample_workbook(n)`` is the generator; ``tests/test_report_scaling.py`` uses it too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jixiao.scoring import Params
from jixiao.scoring import model as m
from jixiao.workbook import layout as L
from jixiao.workbook.sample import sample_indicators, sample_params, sample_project
from jixiao.workbook.template import SAMPLE_BANNER, new_workbook, save_workbook

SIZES = (200, 2000, 20000)
CENTS = 100  # 分值 are written to 2 decimals (the engine refuses finer ones)


def big_sample_rows(n: int) -> list[dict[str, Any]]:
    """The sample's indicator rows with its seven 明细 rows repeated until there are ``n`` rows.

    The 三级 indicators of the sample stay as they are; the details of 实际完成率 cycle through the
    sample's seven (target, actual) pairs under distinct names ("…-00012", fixed width, so that no
    name is the beginning of another) and share the parent's 分值 (17) exactly, in hundredths spread
    evenly, so the table still adds up to 100 and scores cleanly, like the sample.  Beyond 1,700
    details a hundredth cannot go round: the others get 分值 0 (scored, adding nothing).
    """
    frame = sample_indicators()
    records = frame.drop(columns=[m.ROW]).to_dict(orient="records")
    is_detail = [r.get(m.DETAIL) is not None for r in records]
    first = is_detail.index(True)
    details = [r for r, d in zip(records, is_detail) if d]
    head, tail = records[:first], records[first + len(details):]
    count = n - len(head) - len(tail)
    if count < 1:
        raise ValueError(f"at least {len(head) + len(tail) + 1} rows")
    cents = round(records[first - 1][m.WEIGHT] * CENTS)
    width = len(str(count))
    rows = []
    for i in range(count):
        row = dict(details[i % len(details)])
        row[m.DETAIL] = f"{row[m.DETAIL]}-{i + 1:0{width}d}"
        row[m.WEIGHT] = ((i + 1) * cents // count - i * cents // count) / CENTS
        rows.append(row)
    out = []
    for record in head + rows + tail:
        method = record.get(m.METHOD)
        if method in m.METHOD_LABELS:
            record = {**record, m.METHOD: m.METHOD_LABELS[method]}
        out.append(record)
    return out


def big_sample_workbook(n: int) -> Any:
    """The sample as an unscored openpyxl workbook with ``n`` indicator rows (see ``big_sample_rows``)."""
    project = sample_project()
    banner = SAMPLE_BANNER.format(name=project.get("name") or "")
    return new_workbook(str(project.get("kind") or L.KIND_DEPARTMENT), Params.from_mapping(sample_params()),
                        project, big_sample_rows(n), banner)


def write_big_sample(n: int, path: Path) -> Path:
    return save_workbook(big_sample_workbook(n), path)


def run_measured(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of ``python -m jixiao ARGS`` as its own process (``wait4``'s rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "jixiao", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"jixiao {' '.join(args)} failed ({proc.returncode}):\n{stderr.decode(errors='replace')}")
    per_mib = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return seconds, usage.ru_maxrss / per_mib


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=",".join(str(n) for n in SIZES), help="comma-separated sizes")
    parser.add_argument("--keep", type=Path, default=None, help="write the files here and keep them")
    args = parser.parse_args()
    sizes = [int(x) for x in args.rows.split(",") if x.strip()]

    folder = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    header = (f"{'rows':>7}  {'refresh s':>9} {'MiB':>6}  {'report s':>9} {'MiB':>6}  "
              f"{'check s':>9} {'MiB':>6}  {'report/refresh':>14}")
    print(header, flush=True)
    ratio = 0.0
    for n in sizes:
        source = write_big_sample(n, folder / f"sample-{n}.xlsx")
        scored = folder / f"sample-{n}_scored.xlsx"
        docx = folder / f"sample-{n}_report.docx"
        t_refresh, m_refresh = run_measured(["refresh", str(source), "-o", str(scored)])
        t_report, m_report = run_measured(["report", str(scored), "-o", str(docx)])
        t_check, m_check = run_measured(["check-report", str(scored), str(docx)])
        ratio = t_report / t_refresh
        print(f"{n:>7}  {t_refresh:>9.2f} {m_refresh:>6.0f}  {t_report:>9.2f} {m_report:>6.0f}  "
              f"{t_check:>9.2f} {m_check:>6.0f}  {ratio:>14.2f}", flush=True)
    met = bool(sizes) and ratio < 1
    print(f"goal: report faster than refresh at {sizes[-1] if sizes else 0:,} rows -> {'ok' if met else 'NOT MET'}")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
