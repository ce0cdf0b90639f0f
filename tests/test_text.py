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
