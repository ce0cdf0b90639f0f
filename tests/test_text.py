"""cat_distinct joins each distinct combination once; it must say what cat says, row for row."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from jixiao.scoring.text import cat, cat_distinct, nums

PART = st.lists(st.one_of(st.none(), st.sampled_from(["甲", "乙", "丙丙"])), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(PART, st.lists(st.integers(0, 3), min_size=25, max_size=25), st.booleans())
def test_cat_distinct_matches_cat(words, numbers, two_parts):
    first = np.empty(len(words), dtype=object)
    first[:] = words
    arrays = [first]
    if two_parts:
        arrays.append(nums(np.array(numbers[: len(words)], dtype=float)))
    parts = ["得分", arrays[0], "低于", *arrays[1:], "，需说明"]
    assert cat_distinct(*parts).tolist() == cat(*parts).tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6, allow_nan=False),
                          st.integers(-10**6, 10**6).map(lambda i: i / 1000),
                          st.sampled_from([0.0, -0.0, 0.005, -0.005, 2.675, 1.005, 99.995, -1e-9])),
                min_size=1, max_size=50),
       st.integers(0, 4))
def test_numpy_formatting_matches_the_per_value_texts(values, decimals):
    from jixiao.scoring.text import _num_texts, _pct_texts, num_text, pct_text

    arr = np.array(values, dtype=float)
    assert _num_texts(arr, decimals).tolist() == [num_text(v, decimals) for v in values]
    assert _pct_texts(arr, decimals).tolist() == [pct_text(v, decimals) for v in values]


def test_many_distinct_values_format_like_few():
    rng = np.random.default_rng(11)
    values = np.concatenate([rng.uniform(-50, 50, 6000), [np.nan, np.inf, 3e13]])
    many = nums(values)
    few = np.array([nums(values[i:i + 1])[0] for i in range(len(values))], dtype=object)
    assert many.tolist() == few.tolist()
