"""Weights given per block: "产出指标(50分)" in a 一级/二级 name, or a block row, over unweighted rows.

Published tables often print the weight only on the block ("产出指标（50分）", "数量指标 20分" in a row of
its own) and leave the 三级 rows beneath without 分值.  Scoring them needs a weight per row; the rule
here is the one a reader applies, written down so that it is the same everywhere:

* A 一级 or 二级 name ending in "(50分)"/"（50分）" gives that block its weight; the name is read
  without it, and a notice says so.
* A block row — 一级 (and maybe 二级) named, no 三级, no 明细, a 分值 and nothing else — gives the
  block named in it its weight; the row itself is not an indicator.
* A block's weight goes to the 三级 indicators in it that have no 分值, in equal parts after the
  weights that are given (and, for a 一级 block, after its weighted 二级 blocks), rounded to the pack's decimals (0.01)
  with the remainder on the last of them, so the parts add up exactly.  Each such row's 评分说明 says how
  its 分值 was found.  When every indicator of a block has its own 分值, they must add up to the
  block's weight: otherwise it is an error, never a silent choice between the two.

Nothing here runs unless a table has block weights, so ordinary tables pay one scan of their
distinct 一级/二级 names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import model as m
from .model import InputError
from .text import num_text

_SUFFIX = re.compile(r"\s*[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[）)]\s*$")
_INPUTS = (m.TARGET, m.ACTUAL, m.METHOD, m.SOURCE, m.CRITERIA, m.LEVEL, m.JUDGEMENT)


@dataclass
class Blocks:
    """The table with names cleaned and weights allocated, and what to tell the user about it."""

    indicators: pd.DataFrame
    notices: list[str] = field(default_factory=list)  # one line each, for the evaluation's flags
    notes: dict[int, str] = field(default_factory=dict)  # row position → 评分说明 suffix
    errors: list[InputError] = field(default_factory=list)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def _name(v: Any) -> str | None:
    return None if _blank(v) else str(v).strip()


def _number(v: Any) -> float | None:
    if _blank(v) or isinstance(v, bool):
        return None
    try:
        return float(str(v).strip().removesuffix("分"))
    except ValueError:
        return None


def _has_suffix(values: Any) -> bool:
    uniques = pd.unique(np.asarray(values, dtype=object))  # a column of 一级 names holds a handful
    return any(isinstance(u, str) and _SUFFIX.search(u) for u in uniques)


def find(indicators: pd.DataFrame) -> bool:
    """Whether the table has block weights at all (cheap: distinct names and one mask)."""
    cols = indicators.columns
    if any(c in cols and _has_suffix(indicators[c].to_numpy(dtype=object)) for c in (m.LEVEL1, m.LEVEL2)):
        return True
    if m.LEVEL3 not in cols or m.WEIGHT not in cols:
        return False

    def blank(column: str) -> np.ndarray:  # vectorised: a million rows take a few milliseconds
        series = indicators[column]
        if series.dtype.kind in "biuf":
            return series.isna().to_numpy()
        values = series.to_numpy(dtype=object)
        return pd.isna(values) | (values == "")

    weighted = ~blank(m.WEIGHT)
    if not weighted.any():
        return False

    candidate = weighted & blank(m.LEVEL3)
    if m.DETAIL in cols:
        candidate &= blank(m.DETAIL)
    return bool(candidate.any())


def allocate(indicators: pd.DataFrame, decimals: int = 2) -> Blocks:
    """Clean block names, read block rows and give unweighted 三级 rows their share (module doc)."""
    frame = indicators.copy()
    n = len(frame)
    get = lambda c: frame[c].to_numpy(dtype=object) if c in frame.columns else np.full(n, None, dtype=object)  # noqa: E731
    raw1, raw2, raw3, detail, weight = get(m.LEVEL1), get(m.LEVEL2), get(m.LEVEL3), get(m.DETAIL), get(m.WEIGHT)
    row_ids = get(m.ROW) if m.ROW in frame.columns else np.arange(n)
    out = Blocks(frame)
    blocks: dict[tuple[str, ...], tuple[float, str]] = {}  # (一级,) or (一级, 二级) → (weight, how it was given)

    def give(key: tuple[str, ...], value: float, how: str, row: Any) -> None:
        known = blocks.get(key)
        if known and abs(known[0] - value) > 0.005:
            out.errors.append(InputError(f"“{key[-1]}”的分值既写作{num_text(known[0])}分又写作{num_text(value)}分，请只保留一个",
                                         row=row, field=m.WEIGHT))
            return
        blocks[key] = (value, how)

    # names ending in "(50分)", one distinct name at a time
    clean1, clean2 = raw1.copy(), raw2.copy()
    for column, raw, clean in ((m.LEVEL1, raw1, clean1), (m.LEVEL2, raw2, clean2)):
        for name in pd.unique(pd.Series(raw, dtype=object).dropna()):
            if not isinstance(name, str) or not (hit := _SUFFIX.search(name)):
                continue
            base = name[: hit.start()].strip()
            clean[raw == name] = base
            out.notices.append(f"{'一级' if column == m.LEVEL1 else '二级'}指标“{name.strip()}”读作“{base}”，"
                               f"分值{num_text(float(hit.group(1)))}分")

    # names as the engine will see them: blank 一级/二级 carried down from the row above
    def none(values: Any) -> np.ndarray:  # pandas turns None into NaN on the way: back to None
        arr = np.asarray(values, dtype=object)
        return np.where(pd.isna(arr), None, arr)

    l1 = none(pd.Series(clean1, dtype=object).map(_name).ffill())
    l2_raw = none(pd.Series(clean2, dtype=object).map(_name))
    l2 = none(pd.Series(l2_raw, dtype=object).ffill())
    for column, raw in ((m.LEVEL1, raw1), (m.LEVEL2, raw2)):
        for i, name in enumerate(raw):
            if isinstance(name, str) and (hit := _SUFFIX.search(name)):
                key = (l1[i],) if column == m.LEVEL1 else (l1[i], l2[i])
                give(key, float(hit.group(1)), f"“{name.strip()}”", row_ids[i])

    # block rows: a name and a 分值, nothing else
    inputs_blank = np.ones(n, dtype=bool)
    for c in _INPUTS:
        if c in frame.columns:
            inputs_blank &= frame[c].map(_blank).to_numpy(dtype=bool)
    block_row = np.array([_blank(raw3[i]) and _blank(detail[i]) and _number(weight[i]) is not None
                          for i in range(n)]) & inputs_blank & pd.notna(l1)
    for i in np.flatnonzero(block_row):
        key = (l1[i], l2_raw[i]) if l2_raw[i] is not None else (l1[i],)
        give(key, float(_number(weight[i])), f"“{key[-1]}”所在行的{num_text(float(_number(weight[i])))}分", row_ids[i])
    weight = weight.copy()
    weight[block_row] = None  # the block row is no indicator: with its 分值 gone it reads as a placeholder
    # after a 一级 block row the next row's blank 二级 must not inherit a 二级 from the block before
    l2 = np.where(block_row, None, l2)

    # the 三级 nodes: named, not 明细 rows; a parent (with 明细 below) is left to its details
    is_detail = np.array([not _blank(d) for d in detail])
    l3 = none(pd.Series(raw3, dtype=object).map(_name))
    node = ~is_detail & pd.notna(l3) & ~block_row
    parents = set()
    for i in np.flatnonzero(is_detail):
        # a 明细 row belongs to the nearest 三级 row above it
        j = i - 1
        while j >= 0 and not node[j]:
            j -= 1
        if j >= 0:
            parents.add(int(j))
    w = np.array([_number(v) if node[i] else None for i, v in enumerate(weight)], dtype=object)
    # a parent's 分值 is its details' sum (when they all have one): it counts as given
    detail_sum: dict[int, float | None] = {}
    for i in np.flatnonzero(is_detail):
        j = i - 1
        while j >= 0 and not node[j]:
            j -= 1
        if j >= 0:
            value, before = _number(weight[i]), detail_sum.get(j, 0.0)
            detail_sum[j] = None if value is None or before is None else before + value
    for j, total in detail_sum.items():
        if w[j] is None and total is not None:
            w[j] = total

    def share(key: tuple[str, ...], members: np.ndarray, taken: float) -> None:
        total, how = blocks[key]
        open_ = [i for i in np.flatnonzero(members) if w[i] is None and i not in parents]
        given = taken + sum(float(w[i]) for i in np.flatnonzero(members) if w[i] is not None)
        if not open_:
            if abs(given - total) > 0.005 and not any(i in parents for i in np.flatnonzero(members)):
                out.errors.append(InputError(f"“{key[-1]}”的分值{num_text(total)}分与其下各指标分值合计"
                                             f"{num_text(given)}分不一致", row=None, field=m.WEIGHT))
            return
        rest = total - given
        if rest < -0.005:
            out.errors.append(InputError(f"“{key[-1]}”的分值{num_text(total)}分小于其下已填分值合计{num_text(given)}分",
                                         row=None, field=m.WEIGHT))
            return
        part = round(rest / len(open_), decimals)  # at the precision scores are kept to
        for k, i in enumerate(open_):
            value = part if k < len(open_) - 1 else round(rest - part * (len(open_) - 1), decimals)
            w[i] = value
            weight[i] = value
            out.notes[int(i)] = (f"；分值由{how}在{len(open_)}项未填分值的指标间平均分配，"
                                 f"本项{num_text(value)}分" + ("（尾差计入本项）" if abs(value - part) > 1e-9 else ""))

    # 二级 blocks first; a 一级 block then shares what its weighted 二级 blocks leave
    for key in [k for k in blocks if len(k) == 2]:
        share(key, node & (l1 == key[0]) & (l2 == key[1]), 0.0)
    for key in [k for k in blocks if len(k) == 1]:
        inner = [k for k in blocks if len(k) == 2 and k[0] == key[0]]
        in_inner = np.zeros(n, dtype=bool)
        for k in inner:
            in_inner |= (l1 == k[0]) & (l2 == k[1])
        share(key, node & (l1 == key[0]) & ~in_inner, sum(blocks[k][0] for k in inner))

    frame[m.LEVEL1] = clean1
    frame[m.LEVEL2] = clean2
    frame[m.WEIGHT] = pd.Series(weight, index=frame.index, dtype=object)
    out.indicators = frame
    return out
