"""Array helpers the engine's hot paths share: factorising object columns, first positions of
codes, DataFrames without block copies, and pausing the cycle collector.

A million-row indicator table is mostly text columns whose values repeat (openpyxl hands every
repeat of a shared string back as the same ``str`` object).  Hashing a million Python objects
costs 60–170 ms a column, mostly in cache misses on the objects themselves; grouping the
*addresses* first touches none of them, so only the distinct objects are hashed.
"""

from __future__ import annotations

import ctypes
import gc
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np
import pandas as pd


_PROBE = 20_000  # rows looked at to tell a column of repeats from a column of distinct objects


def object_addresses(values: np.ndarray) -> np.ndarray:
    """The object pointers of an object array, as integers (a view: keep ``values`` alive).

    Two elements with the same address are the same object, so they are equal; the converse is
    not assumed (equal strings read from different cells may be different objects).
    """
    if values.dtype != object or values.ndim != 1 or not values.flags.c_contiguous:
        raise ValueError("object_addresses needs a contiguous one-dimensional object array")
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    buffer = (ctypes.c_ssize_t * n).from_address(values.__array_interface__["data"][0])
    return np.frombuffer(buffer, dtype=np.intp)


def first_positions(codes: np.ndarray) -> np.ndarray:
    """Position of each code's first row, for codes numbered in order of first appearance.

    Such codes start a new group exactly where they exceed every earlier code.
    """
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.empty(n, dtype=bool)
    new[0] = codes[0] >= 0
    if n > 1:
        new[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
    return np.flatnonzero(new)


def factorize(values: Any, keep_bools: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=True)`` with int64 codes and object uniques.

    Same codes and uniques in the same (first-appearance) order; blanks (None/NaN) are -1.
    Object arrays are grouped by address first, then only the distinct objects by value.
    ``keep_bools``: Python holds True == 1 and False == 0; keep Excel's TRUE apart from the number 1.
    """
    arr = np.asarray(values)
    if arr.dtype != object:
        codes, uniques = pd.factorize(arr, use_na_sentinel=True)
        return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)
    arr = np.ascontiguousarray(arr)
    addresses = object_addresses(arr)
    if len(arr) > _PROBE and len(pd.unique(addresses[:_PROBE])) > _PROBE // 2:
        # mostly distinct objects (every 三级 name its own): grouping addresses would save nothing
        return _by_value(arr, keep_bools)
    by_address, _ = pd.factorize(addresses)
    codes, uniques = _by_value(arr[first_positions(by_address)], keep_bools)
    return codes[by_address], uniques


def _by_value(arr: np.ndarray, keep_bools: bool) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    # a TRUE may hide behind a 1 that came first (or the other way round): only then look closer
    if keep_bools and any(type(u) is bool or (type(u) in (int, float) and u in (0, 1)) for u in uniques):
        tagged = np.empty(len(arr), dtype=object)
        tagged[:] = [("bool", v) if type(v) is bool else v for v in arr]
        codes, keys = pd.factorize(tagged, use_na_sentinel=True)
        uniques = np.empty(len(keys), dtype=object)
        uniques[:] = [k[1] if type(k) is tuple else k for k in keys]
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def frame(columns: dict[str, Any], index: Any = None) -> pd.DataFrame:
    """A DataFrame over the given arrays without copying them into 2-D blocks.

    ``pd.DataFrame(dict)`` consolidates same-dtype columns, and for object columns that copy
    touches (increfs) every element: 60 ms per million-row text column.  Adding columns one by one
    keeps each array as its own block.  Object arrays stay object (no str-dtype inference, which
    costs as much again); scalars are broadcast.
    """
    if index is None:
        length = next((len(v) for v in columns.values() if isinstance(v, (np.ndarray, pd.Series, list))), 0)
        index = pd.RangeIndex(length)
    out = pd.DataFrame(index=index)
    for name, values in columns.items():
        if isinstance(values, np.ndarray):
            out[name] = pd.Series(values, index=index, dtype=values.dtype, copy=False)
        elif isinstance(values, list):
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
            out[name] = pd.Series(arr, index=index, dtype=object, copy=False)
        else:
            out[name] = values
    return out


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a large table is scored.

    Scoring a million rows allocates millions of short-lived objects (texts, tuples) and none of
    them in reference cycles; the collector's passes over them freed nothing and took 10–15% of
    ``evaluate``. Reference counting still frees everything as usual, and the collector's previous
    state is restored afterwards, also on errors.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
