"""Benchmark ``jixiao batch`` on generated 自评表 files against a plain pandas/openpyxl read.

    python benchmarks/batch.py [--files 1000] [--dir FOLDER] [--keep]

Generates FILES realistic national-layout tables (both column variants, a third with numbers stored
as text, about one in four with reviewer-visible problems), then prints in one run:

* baseline: ``pandas.read_excel(path, engine="openpyxl", header=None)`` per file, nothing else;
* ``jixiao batch DIR -o 汇总.xlsx --jobs 1`` and ``--jobs 2``, run as the command a user types
  (a fresh interpreter: start-up, reading, auditing and writing the portfolio all counted);
* files/second for each, the ratio to the baseline, and the peak memory (max RSS of the process
  and of its worker processes).

Floors from issue #6: ``--jobs 2`` ≥ 3× the baseline's files/second, and the 1,000 files in < 60 s.
Each measurement runs in its own child process so peak memory figures do not mix.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

FLOOR_RATIO = 3.0
FLOOR_SECONDS = 60.0


def _write(args: tuple[int, str]) -> None:
    from jixiao.workbook.selfeval.samples import random_spec, write_table

    i, folder = args
    rng = random.Random(i)
    variant = ("standard", "nature_unit")[i % 2]
    write_table(random_spec(rng, i), Path(folder) / f"单位{i // 100:02d}" / f"自评表{i:04d}.xlsx", variant=variant,
                text_numbers=i % 3 == 0, extra_title_row=i % 5 == 0)


def generate(folder: Path, n: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(_write, [(i, str(folder)) for i in range(n)], chunksize=25))
    return time.perf_counter() - start


# ------------------------------------------------------------------ child-process measurements
def _child(kind: str, folder: str, jobs: int, output: str) -> None:
    start = time.perf_counter()
    if kind == "baseline":
        import pandas as pd

        files = sorted(p for p in Path(folder).rglob("*.xlsx"))
        for p in files:
            pd.read_excel(p, engine="openpyxl", header=None)
        code = 0
    else:
        from jixiao.cli import main

        code = main(["batch", folder, "-o", output, "--jobs", str(jobs), "--quiet"])
    seconds = time.perf_counter() - start
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"code": code, "seconds": seconds, "rss_self_kb": me, "rss_children_kb": kids}))


def measure(kind: str, folder: Path, jobs: int, output: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, str(folder), str(jobs), str(output)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{kind} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    return data


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--dir", default=None, help="folder for the generated files (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="jixiao-batch-bench-"))
    tables = folder / "tables"
    try:
        existing = len(list(tables.rglob("*.xlsx"))) if tables.exists() else 0
        if existing != args.files:
            shutil.rmtree(tables, ignore_errors=True)
            gen = generate(tables, args.files)
            print(f"generated {args.files} 自评表 files in {gen:.1f} s  ({tables})")
        n = args.files
        results = {
            "baseline (pandas.read_excel, openpyxl)": measure("baseline", tables, 1, folder / "unused.xlsx"),
            "jixiao batch --jobs 1": measure("batch", tables, 1, folder / "汇总-1.xlsx"),
            "jixiao batch --jobs 2": measure("batch", tables, 2, folder / "汇总-2.xlsx"),
        }
        base_rate = n / results["baseline (pandas.read_excel, openpyxl)"]["wall"]
        print(f"\n{'':40s} {'seconds':>8s} {'files/s':>8s} {'× base':>7s} {'peak MB':>8s} {'workers MB':>10s}")
        for name, r in results.items():
            rate = n / r["wall"]
            print(f"{name:40s} {r['wall']:8.2f} {rate:8.1f} {rate / base_rate:7.2f} {r['rss_self_kb'] / 1024:8.1f} "
                  f"{r['rss_children_kb'] / 1024:10.1f}")
        two = results["jixiao batch --jobs 2"]
        ratio = (n / two["wall"]) / base_rate
        ok_ratio, ok_time = ratio >= FLOOR_RATIO, two["wall"] < FLOOR_SECONDS * n / 1000
        print(f"\nfloor: --jobs 2 ≥ {FLOOR_RATIO:g}× baseline: {ratio:.2f}× {'OK' if ok_ratio else 'FAIL'}; "
              f"{n} files in {two['wall']:.1f} s (< {FLOOR_SECONDS * n / 1000:g} s): {'OK' if ok_time else 'FAIL'}")
        print(f"cores: {os.cpu_count()}; peak memory = max RSS of the batch process / of one worker process")
        return 0 if ok_ratio and ok_time else 1
    finally:
        if not args.dir and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
