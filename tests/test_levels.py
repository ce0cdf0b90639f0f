"""Subtotals per level: sums and order checked against a plain nested-dict reading of the tree."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from jixiao.scoring import evaluate, model as m

ROW = st.tuples(st.sampled_from("甲乙丙"), st.sampled_from("xy"), st.sampled_from("pqr"),
                st.integers(0, 5), st.integers(0, 5))


def _reference(rows):
    tree: dict = {}
    for l1, l2, l3, w, s in rows:
        node = tree.setdefault(l1, {}).setdefault(l2, {}).setdefault(l3, [0, 0])
        node[0] += w
        node[1] += min(s, w)
    out = []
    for l1, sub1 in tree.items():
        out.append((1, l1, None, None, sum(v[0] for s2 in sub1.values() for v in s2.values()),
                    sum(v[1] for s2 in sub1.values() for v in s2.values())))
        for l2, sub2 in sub1.items():
            out.append((2, l1, l2, None, sum(v[0] for v in sub2.values()), sum(v[1] for v in sub2.values())))
            out.extend((3, l1, l2, l3, v[0], v[1]) for l3, v in sub2.items())
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=30))
def test_levels_match_nested_reference(rows):
    frame = pd.DataFrame({
        m.ROW: np.arange(2, len(rows) + 2),
        m.LEVEL1: [r[0] for r in rows], m.LEVEL2: [r[1] for r in rows], m.LEVEL3: [r[2] for r in rows],
        m.WEIGHT: [float(r[3]) for r in rows], m.METHOD: "直接打分",
        m.JUDGEMENT: [float(min(r[4], r[3])) for r in rows],
    })
    levels = evaluate({}, frame).levels
    got = [(int(d), a, b, c, w, s) for d, a, b, c, w, s in
           levels[["depth", "level1", "level2", "level3", "weight", "score"]].itertuples(index=False)]
    got = [(d, a, None if b is None or b != b else b, None if c is None or c != c else c, w, s)
           for d, a, b, c, w, s in got]
    assert got == _reference(rows)
