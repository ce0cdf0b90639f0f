"""The engine's address-first factorisation must group exactly as pandas does."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from jixiao.scoring.arrays import factorize, first_positions

CELL = st.one_of(
    st.none(), st.just(math.nan), st.booleans(), st.integers(-3, 3), st.floats(-3, 3, allow_nan=False),
    st.sampled_from(["≥90%", "达成", "", " 场", "1"]), st.text(max_size=3),
)


def _fresh(v):
    """An equal value as a different object, as a file reader may hand back."""
    if isinstance(v, str):
        return "".join(list(v))  # a new str object for non-interned text
    if isinstance(v, float):
        return float(repr(v)) if v == v else float("nan")
    return v


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL, max_size=40), st.lists(st.integers(0, 39), max_size=40))
def test_factorize_matches_pandas(values, repeats):
    cells = list(values) + [_fresh(values[i % len(values)]) for i in repeats] if values else []
    arr = np.empty(len(cells), dtype=object)
    arr[:] = cells
    codes, uniques = factorize(arr)
    want_codes, want_uniques = pd.factorize(arr, use_na_sentinel=True)
    assert codes.tolist() == want_codes.tolist()
    assert [repr(u) for u in uniques] == [repr(u) for u in want_uniques]


def test_factorize_keeps_bools_apart_from_numbers_when_asked():
    arr = np.array([1, True, 1.0, False, 0, None, True], dtype=object)
    codes, uniques = factorize(arr, keep_bools=True)
    assert codes.tolist() == [0, 1, 0, 2, 3, -1, 1]
    assert [type(u).__name__ for u in uniques] == ["int", "bool", "bool", "int"]
    assert factorize(arr)[0].tolist() == pd.factorize(arr)[0].tolist()  # without the option: as pandas


def test_factorize_numeric_and_strided_input():
    floats = np.array([2.0, np.nan, 2.0, 3.5])
    assert factorize(floats)[0].tolist() == [0, -1, 0, 1]
    frame = pd.DataFrame({"a": ["x", "y", "x"], "b": ["y", "y", "z"]}, dtype=object)
    strided = frame.to_numpy()[:, 1]  # a non-contiguous column of a 2-D block
    assert factorize(strided)[0].tolist() == [0, 0, 1]


def test_first_positions():
    assert first_positions(np.array([0, 0, 1, 0, 2, 1, 3])).tolist() == [0, 2, 4, 6]
    assert first_positions(np.array([], dtype=np.int64)).tolist() == []


def test_factorize_long_columns_of_distinct_and_repeated_objects():
    rng = np.random.default_rng(3)
    distinct = np.array([f"指标{i}" for i in range(30_000)] + ["指标7", None, True, 1], dtype=object)
    shared = np.array(["≥90%", "达成", None, "117场"], dtype=object)[rng.integers(0, 4, 30_000)]
    fresh = np.array(["".join(list(v)) if isinstance(v, str) else v for v in shared], dtype=object)
    for arr in (distinct, np.concatenate([shared, fresh])):
        codes, uniques = factorize(arr)
        want_codes, want_uniques = pd.factorize(arr, use_na_sentinel=True)
        assert codes.tolist() == want_codes.tolist()
        assert list(uniques) == list(want_uniques)
    codes, uniques = factorize(distinct, keep_bools=True)
    assert [type(u) for u in uniques[-2:]] == [bool, int] and codes[-2] != codes[-1]



def test_cycle_collector_paused_while_scoring_and_restored_after_errors():
    import gc

    import pytest

    from jixiao.scoring.arrays import cyclic_gc_paused

    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), cyclic_gc_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own choice is left as it was
    finally:
        gc.enable()


def test_object_addresses_refuse_strided_arrays():
    import pytest

    from jixiao.scoring.arrays import object_addresses

    shared = "达成"
    arr = np.array([shared, shared, None, "x"], dtype=object)
    got = object_addresses(arr)
    assert got[0] == got[1] == id(shared) and got[2] == id(None)
    with pytest.raises(ValueError):
        object_addresses(arr[::2])
