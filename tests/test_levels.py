"""Subtotals per level: sums and order checked against a plain nested-dict reading of the tree."""

from __future__ import annotations

import numpy as np
import pytest
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
    # one 三级 name twice under one 二级 is an error (test_rules: duplicate siblings): number repeats
    seen: dict = {}
    unique_rows = []
    for l1, l2, l3, w, s in rows:
        k = seen[(l1, l2, l3)] = seen.get((l1, l2, l3), 0) + 1
        unique_rows.append((l1, l2, l3 if k == 1 else f"{l3}{k}", w, s))
    rows = unique_rows
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


def _general_name_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What the names come to without the all-different shortcut: strip, blanks -1, first appearance."""
    cleaned = [None if v is None or (isinstance(v, float) and v != v) else (str(v).strip() or None) for v in values]
    codes, uniques = pd.factorize(pd.Series(cleaned, dtype=object), use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


@pytest.mark.parametrize("change", [
    None,  # every name different: the shortcut's case
    ("repeat", 24_000), ("repeat", 5), ("space", 23_999), ("empty", 24_500), ("blank", 22_222),
    ("number", 20_001), ("nan", 24_999),
])
def test_all_different_names_shortcut_agrees_with_factorising(change) -> None:
    """A batch with every 三级 name different skips the hash table; any name that is repeated,
    padded, empty, blank or not text — late in the column too, past the first chunk — must give
    exactly what factorising the cleaned names gives."""
    from jixiao.scoring.engine import _distinct_clean_names, _name_codes

    n = 25_000
    values = np.array([f"指标{i}" for i in range(n)], dtype=object)
    if change is not None:
        kind, at = change
        values[at] = {"repeat": f"指标{at // 2}", "space": f"指标{at} ", "empty": "", "blank": None,
                      "number": 3.0, "nan": float("nan")}[kind]
    assert _distinct_clean_names(values) is (change is None)
    codes, names = _name_codes(values)
    want_codes, want_names = _general_name_codes(values)
    np.testing.assert_array_equal(codes, want_codes)
    assert list(names) == list(want_names)
