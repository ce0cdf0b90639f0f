"""JX_SCORE over a column: one vectorised call vs one call per cell, through xlwings' conversion layer.

Both sides go through ``xlwings.server.custom_functions_call`` -- the xlwings Server / Office.js
route, with Excel-shaped 2-D arguments, the real ``@xw.func``/``@xw.arg`` metadata and the
officejs read/write conversion -- so the comparison is what a workbook pays per recalculation
(minus the HTTP round trip, which makes the per-cell case much worse in practice):

* vectorised: ``=JX_SCORE(F2:F10001, D2:D10001, E2:E10001, ...)`` -- one call, a 10,000×1 spill;
* per cell:   ``=JX_SCORE(F2, D2, E2, ...)`` filled down -- 10,000 calls with 1×1 arguments.

The rows mix what people type: counts with units, ≥/≤ percentages, 万 multipliers, qualitative
levels with an evaluator's score, blank rows and a few bad values ("约九十", unit mismatches).
The two runs must give the same cells; the script checks that before printing.

    python benchmarks/udf.py [--rows 10000] [--single-rows N]
"""

from __future__ import annotations

import os

# xlwings reads this at import time; only then do @xw.func/@xw.arg record their metadata.
os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import argparse  # noqa: E402
import asyncio  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import xlwings as xw  # noqa: E402
from xlwings import server  # noqa: E402

from jixiao.addin import udfs  # noqa: E402
from jixiao.scoring import model as m  # noqa: E402

UNITS = ["场", "人次", "份", "条", "个", "户"]
LEVELS = list(m.LEVEL_LABELS.values())


def synthetic(n: int, seed: int = 7) -> list[list]:
    """Six 2-D columns (weight, target, actual, method, level, judgement) as Office.js sends them."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(7, size=n, p=[0.35, 0.2, 0.1, 0.1, 0.15, 0.05, 0.05])
    weight, target, actual, method, level, judgement = ([""] * n for _ in range(6))
    for i in range(n):
        k = kind[i]
        w = float(rng.integers(1, 11))
        weight[i] = w
        if k == 0:  # counts with units
            u = UNITS[rng.integers(0, len(UNITS))]
            base = int(rng.integers(10, 3000))
            target[i] = f"≥{base}{u}"
            actual[i] = f"{int(base * rng.uniform(0.6, 1.4))}{u}"
        elif k == 1:  # ≥ percentages; the actual typed as a percentage or as an Excel fraction
            target[i] = f"≥{int(rng.integers(50, 101))}%"
            a = round(float(rng.uniform(0.4, 1.1)), 3)
            actual[i] = a if rng.random() < 0.5 else f"{a * 100:.1f}%"
        elif k == 2:  # ≤ percentages (reverse)
            target[i] = f"≤{int(rng.integers(1, 20))}%"
            actual[i] = f"{rng.uniform(0, 40):.1f}%"
        elif k == 3:  # 万 multipliers
            t = round(float(rng.uniform(1, 50)), 1)
            target[i] = f"{t}万份"
            actual[i] = f"{t * rng.uniform(0.7, 1.3):.1f}万份"
        elif k == 4:  # qualitative: a level and a score inside (mostly) its band
            lv = int(rng.integers(0, 3))
            target[i] = LEVELS[0]
            method[i] = "定性分档"
            level[i] = LEVELS[lv]
            lo, hi = [(0.8, 1.0), (0.6, 0.8), (0.0, 0.6)][lv]
            judgement[i] = round(w * float(rng.uniform(lo, hi)) - (0.5 if rng.random() < 0.05 else 0), 1)
        elif k == 5:  # a blank row inside the range
            weight[i] = ""
        else:  # something that must come back as an error
            target[i] = "≥90场"
            actual[i] = "约九十" if rng.random() < 0.5 else "100人"
    return [[[v] for v in column] for column in (weight, target, actual, method, level, judgement)]


def body(args: list) -> dict:
    return {"func_name": "JX_SCORE", "args": args, "version": xw.__version__, "client": "Office.js",
            "runtime": "1.4"}


async def vectorised(columns: list) -> list:
    return await server.custom_functions_call(body(columns), udfs)


async def per_cell(columns: list, rows: int) -> list:
    out = []
    for i in range(rows):
        cell = await server.custom_functions_call(body([[column[i]] for column in columns]), udfs)
        out.append(cell[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--single-rows", type=int, default=None,
                        help="number of per-cell calls (default: --rows)")
    opts = parser.parse_args()
    single_rows = opts.single_rows or opts.rows
    columns = synthetic(opts.rows)

    asyncio.run(vectorised([c[:50] for c in columns]))  # warm-up: imports, caches, rule tables

    t0 = time.perf_counter()
    spilled = asyncio.run(vectorised(columns))
    t_vec = time.perf_counter() - t0

    t0 = time.perf_counter()
    singles = asyncio.run(per_cell(columns, single_rows))
    t_one = time.perf_counter() - t0

    assert len(spilled) == opts.rows and all(len(row) == 1 for row in spilled)
    mismatched = sum(1 for a, b in zip(spilled, singles) if a != b)
    errors = sum(1 for row in spilled if isinstance(row[0], dict))
    blanks = sum(1 for row in spilled if row[0] == "")

    per_call = t_one / single_rows
    est_all = per_call * opts.rows
    print(f"JX_SCORE through xlwings.server.custom_functions_call (xlwings {xw.__version__})")
    print(f"rows: {opts.rows:,} (errors {errors:,}, blank {blanks:,}); per-cell results differing "
          f"from the spill: {mismatched}")
    print(f"one vectorised call, {opts.rows:,} rows:   {t_vec * 1000:10.1f} ms "
          f"({t_vec / opts.rows * 1e6:.1f} µs/row)")
    print(f"{single_rows:,} single-cell calls:          {t_one * 1000:10.1f} ms "
          f"({per_call * 1000:.2f} ms/call)")
    if single_rows != opts.rows:
        print(f"  (extrapolated to {opts.rows:,} calls: {est_all:.1f} s)")
    print(f"ratio per-cell / vectorised: {est_all / t_vec:,.0f}×")
    if mismatched:
        raise SystemExit("per-cell and vectorised results differ")


if __name__ == "__main__":
    main()
