"""Engine throughput: ``evaluate`` on synthetic rows vs a plain per-row Python loop.

Prints rows/second for both in the same run, taking turns ``--repeat`` times: ``evaluate`` with
the parse cache cleared (a table never seen: every distinct value is parsed afresh), the loop, and
``evaluate`` again with the cache as the loop found it; then the speed-up per turn, rules against
rules (same cache) and conservatively (cold ``evaluate`` against the warm loop). The rows mix the methods and the text values people type ("≥90%", "117场", "6.5万份",
qualitative levels, deductions, stepped bands); values repeat the way they do across a
province's tables (a few thousand distinct numbers per unit).

The loop baseline is ``scoring.reference.evaluate_one`` over the rows: the same rules, one row at
a time, with the same per-row outputs (score, 完成率, 偏离度, explanation; a differential test
checks they agree). ``evaluate`` also builds the flags, the warnings column and the tree. Runs on a
shared 2-core machine vary by ±25%, hence the turns and medians.

    python benchmarks/engine.py [--rows 1000000] [--loop-rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from jixiao.scoring import Params, evaluate, model as m, rules, values
from jixiao.scoring.reference import evaluate_one

UNITS = ["场", "人次", "份", "条", "个", "户", "篇", "次"]
LEVELS = list(m.LEVEL_LABELS.values())
BANDS = "≤0%:100%; ≤5%:80%; ≤10%:60%; 其他:0"
VOCABULARY = ["培训场数", "发放数量", "覆盖率", "完成率", "满意度", "达标率", "验收通过率", "及时率", "成本控制",
              "受益人数", "服务人次", "信息发布量", "印刷数量", "活动次数", "报道次数"] * 20


def synthetic(n: int, seed: int = 7, scenario: str = "province") -> pd.DataFrame:
    """Synthetic indicator rows.

    "province": a province's tables stacked into one tree — projects of 50 rows, indicator names
    from a vocabulary, actuals mostly near target (about a quarter below it), as in published
    self-evaluation tables.  "adversarial": every 三级 name distinct and actuals spread ±40%
    around target, so half the rows score partially and raise flags.
    """
    rng = np.random.default_rng(seed)
    kind = rng.choice(8, size=n, p=[0.30, 0.15, 0.10, 0.05, 0.15, 0.12, 0.08, 0.05])
    unit = np.array(UNITS, dtype=object)[rng.integers(0, len(UNITS), n)]
    base = rng.integers(1, 3000, n)
    spread = (0.85, 1.25) if scenario == "province" else (0.6, 1.4)
    got = np.maximum(0, (base * rng.uniform(*spread, n)).round()).astype(int)
    pct_t = rng.integers(50, 101, n)
    pct_a = np.round(pct_t * rng.uniform(*spread, n), 1) if scenario == "province" else np.round(rng.uniform(40, 110, n), 1)
    low_t = rng.integers(1, 20, n)
    low_a = np.round(rng.uniform(0, 40, n), 1)
    wan = np.round(rng.uniform(1, 50, n), 1)
    wan_a = np.round(wan * rng.uniform(*spread, n), 1)
    weight = rng.integers(1, 11, n).astype(float)

    target = np.full(n, None, dtype=object)
    actual = np.full(n, None, dtype=object)
    method = np.full(n, "自动识别", dtype=object)
    level = np.full(n, None, dtype=object)
    judgement = np.full(n, None, dtype=object)
    criteria = np.full(n, None, dtype=object)

    def put(mask, t, a):
        target[mask] = t[mask] if isinstance(t, np.ndarray) else t
        actual[mask] = a[mask] if isinstance(a, np.ndarray) else a

    k = kind == 0  # counts with units
    put(k, base.astype(str).astype(object) + unit, got.astype(str).astype(object) + unit)
    k = kind == 1  # ≥ percentages
    put(k, "≥" + pct_t.astype(str).astype(object) + "%", pct_a.astype(str).astype(object) + "%")
    k = kind == 2  # ≤ percentages (reverse)
    put(k, "≤" + low_t.astype(str).astype(object) + "%", low_a.astype(str).astype(object) + "%")
    k = kind == 3  # 万 multipliers
    put(k, wan.astype(str).astype(object) + "万份", wan_a.astype(str).astype(object) + "万份")
    k = kind == 4  # qualitative
    lv = rng.integers(0, 3, n)
    level[k] = np.array(LEVELS, dtype=object)[lv[k]]
    lo = np.array([0.8, 0.6, 0.0])[lv]
    hi = np.array([1.0, 0.78, 0.58])[lv]
    judgement[k] = (np.floor(weight * rng.uniform(lo, hi) * 10) / 10)[k]
    method[k] = "定性分档"
    k = kind == 5  # checklist
    judgement[k] = rng.choice([0, 0, 0, 0.5, 1, 2], size=n)[k]
    method[k] = "扣分制"
    k = kind == 6  # stepped
    criteria[k] = BANDS
    actual[k] = (np.round(rng.uniform(0, 15, n), 2).astype(str).astype(object) + "%")[k]
    method[k] = "分段计分"
    k = kind == 7  # manual
    judgement[k] = np.round(weight * rng.uniform(0, 1, n), 1)[k]
    method[k] = "直接打分"

    l1 = np.array(["决策", "过程", "产出", "效益"], dtype=object)[rng.integers(0, 4, n)]
    l2 = l1 + np.array(["甲", "乙", "丙"], dtype=object)[rng.integers(0, 3, n)]
    if scenario == "province":
        project = (np.arange(n) // 50).astype(str).astype(object)
        l1 = "项目" + project + "·" + l1
        l3 = np.array([f"{w}指标{i}" for i, w in enumerate(VOCABULARY)], dtype=object)[np.arange(n) % 50 + 50 * rng.integers(0, 6, n)]
    else:
        l3 = np.char.add("指标", np.arange(n).astype(str)).astype(object)
    frame = pd.DataFrame({
        m.ROW: np.arange(2, n + 2), m.LEVEL1: l1, m.LEVEL2: l2,
        m.LEVEL3: l3,
        m.WEIGHT: weight, m.METHOD: method, m.TARGET: target, m.ACTUAL: actual,
        m.LEVEL: level, m.JUDGEMENT: judgement, m.CRITERIA: criteria,
    })
    # A workbook read by openpyxl hands repeated text back as one shared str object (sharedStrings);
    # do the same here, so hashing costs what it costs on real input.
    for column in frame.columns:
        if frame[column].dtype.kind not in "biuf":
            codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object), use_na_sentinel=False)
            frame[column] = pd.Series(np.asarray(uniques, dtype=object)[codes], index=frame.index, dtype=object)
    return frame


def loop(frame: pd.DataFrame, params: Params) -> list:
    """The plain per-row loop: each row's score, 完成率, 偏离度 and explanation, one at a time."""
    records = frame[[m.METHOD, m.WEIGHT, m.TARGET, m.ACTUAL, m.LEVEL, m.JUDGEMENT, m.CRITERIA]].itertuples(index=False)
    return [evaluate_one(*r, params=params) for r in records]


def clear_caches() -> None:
    """Forget every parsed value, so a repeat costs what a new table costs (the engine caches the
    readings of distinct texts; on the same rows a second run would parse nothing)."""
    values._parse_text.cache_clear()
    rules._sum_text.cache_clear()
    rules.parse_bands.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--loop-rows", type=int, default=100_000,
                    help="rows for the per-row loop (its rate is per row, so a sample is enough)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of evaluate and the loop per scenario")
    args = ap.parse_args()

    for scenario in ("province", "adversarial"):
        frame = synthetic(args.rows, scenario=scenario)
        print(f"[{scenario}] rows: {len(frame):,}  distinct targets: {frame[m.TARGET].nunique():,}  "
              f"distinct actuals: {frame[m.ACTUAL].nunique():,}  distinct 三级 names: {frame[m.LEVEL3].nunique():,}")
        evaluate({}, frame.iloc[:2000])  # warm-up: imports and compiled templates, not part of the figure
        params = {"expected_total_weight": float(frame[m.WEIGHT].sum())}
        sample = frame.iloc[: args.loop_rows]
        # Each repeat: evaluate with the parse cache cleared (a table never seen before), then the loop,
        # then evaluate again. The loop and the second evaluate find the same warm cache (the readings
        # of every distinct value), so their ratio compares the rules only; the first evaluate against
        # the same loop is the conservative ratio. Taking turns keeps both on the same state of a
        # shared machine.
        cold, warm, loop_times = [], [], []
        for _ in range(args.repeat):
            clear_caches()
            cold.append(timed(lambda: evaluate({}, frame, params)))
            loop_times.append(timed(lambda: loop(sample, Params())))
            warm.append(timed(lambda: evaluate({}, frame, params)))
        n, k = len(frame), len(sample)
        med = statistics.median
        print(f"  evaluate, parse cache cleared ({args.repeat} runs): {' '.join(f'{t:.2f}' for t in cold)} s → "
              f"median {n / med(cold):,.0f} rows/s (first run {n / cold[0]:,.0f})")
        print(f"  evaluate, parse cache warm:                {' '.join(f'{t:.2f}' for t in warm)} s → "
              f"median {n / med(warm):,.0f} rows/s")
        print(f"  per-row loop (score, 完成率, 偏离度, explanation; {k:,} rows, cache warm): "
              f"{' '.join(f'{t:.2f}' for t in loop_times)} s → median {k / med(loop_times):,.0f} rows/s")
        same = [(n / w) / (k / lt) for w, lt in zip(warm, loop_times)]
        conservative = [(n / c) / (k / lt) for c, lt in zip(cold, loop_times)]
        print(f"  speed-up, same cache state: {' '.join(f'{x:.1f}×' for x in same)} (median {med(same):.1f}×)")
        print(f"  speed-up, evaluate cold vs loop warm: {' '.join(f'{x:.1f}×' for x in conservative)} "
              f"(median {med(conservative):.1f}×)")


def timed(run) -> float:
    t0 = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - t0
    del result
    return elapsed


if __name__ == "__main__":
    main()
