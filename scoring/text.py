"""Vectorised number formatting and string assembly for explanations.

Explanations are built for every row, so formatting is done once per distinct value (factorize,
format the uniques, take) and strings are joined as numpy object arrays; a Python loop per row
would dominate the engine's run time on large batches.
"""

from __future__ import annotations

import math
import string
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .arrays import factorize, first_positions


def round_half_up(x: Any, decimals: int = 2) -> Any:
    """Round the way people do on paper (2.345 → 2.35), not banker's rounding."""
    factor = 10.0**decimals
    if not isinstance(x, np.ndarray):
        v = float(x)
        if v != v or v in (math.inf, -math.inf):
            return v
        return math.copysign(math.floor(abs(v) * factor + 0.5 + 1e-9) / factor, v)
    arr = np.asarray(x, dtype=float)
    out = np.abs(arr)  # in place from here: this runs on million-element columns
    out *= factor
    out += 0.5
    out += 1e-9  # two steps, as (|x| × factor + 0.5) + 1e-9 is evaluated in the scalar branch
    np.floor(out, out=out)
    out *= np.sign(arr)  # sign(-0.0) is 0.0: a negative zero comes out as 0, never "-0.0%"
    out /= factor
    return out


def excerpt(value: Any, limit: int = 40) -> str:
    """A user's value as a message quotes it: at most ``limit`` characters, "…" marking the cut (a
    40,000-character cell is not echoed whole)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hidden_note(value: Any) -> str:
    """"（含不可见字符 U+200B）" when a text holds characters nobody can see, else "": a message saying
    “目标​值” differs from 目标值 must show why the two look the same."""
    import unicodedata

    text = str(value)
    hidden = sorted({ch for ch in text if (unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cn") and ch not in "\n\t")
                     or (ch.isspace() and ch not in " \n\t\r")})
    if not hidden:
        return ""
    return "（含不可见字符 " + "、".join(f"U+{ord(ch):04X}" for ch in hidden[:3]) + ("等" if len(hidden) > 3 else "") + "）"


def truncate(x: Any, decimals: int = 0) -> Any:
    """Cut toward zero at ``decimals`` (截尾: 9.78 → 9 at 0, 1.946 → 1.9 at 1), as some published
    tables score; 1e-9 absorbs binary noise so that 10 × 0.98 = 9.8 stays 9.8 at 1 decimal."""
    factor = 10.0**decimals
    if not isinstance(x, np.ndarray):
        v = float(x)
        if v != v or v in (math.inf, -math.inf):
            return v
        return math.copysign(math.floor(abs(v) * factor + 1e-9) / factor, v)
    arr = np.asarray(x, dtype=float)
    out = np.floor(np.abs(arr) * factor + 1e-9)
    out *= np.sign(arr)
    out /= factor
    return out


def round_score(x: Any, decimals: int = 2, mode: str = "half_up") -> Any:
    """A row's score at the rule pack's precision: 四舍五入 (half up) or 截尾 (truncate)."""
    return truncate(x, decimals) if mode == "truncate" else round_half_up(x, decimals)


def num_text(value: float, decimals: int = 2) -> str:
    """117.0 → "117", 2.4 → "2.4", 2.456 → "2.46"."""
    if value is None or value != value:
        return "—"
    if abs(value) >= 1e15:  # a message quoting 1e300 should not print 301 digits
        return f"{value:.6g}"
    text = f"{round_half_up(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def pct_text(value: float, decimals: int = 1) -> str:
    """0.8888 → "88.9%", keeping the fixed decimals people expect in a rate column."""
    if value is None or value != value:
        return "—"
    return f"{round_half_up(value * 100, decimals):.{decimals}f}%"


def date_text(value: Any, year: int | None = None) -> str:
    """A date as people write it in a 绩效 table: "12月20日", or "2023年12月20日" when its year is not
    the project's (``year``) or no year is known.  Excel hands a typed 12月20日 back as a datetime at
    midnight; printing "2023-12-20 00:00:00" in a report is machine text, not what was typed."""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if not hasattr(day, "month"):
        return str(value)
    if year is not None and getattr(day, "year", None) == year:
        return f"{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


_MANY = 2000  # distinct values beyond which formatting goes through numpy's string functions
_SAFE = 1e12  # below this, the digits of a rounded value fit an int64 exactly


def _digits(values: np.ndarray, decimals: int, strip: bool) -> np.ndarray:
    """Sign, integer part and ``decimals`` fraction digits of round_half_up(values), as numpy str.

    The same integer the scalar formatting rounds to (``floor(|v|·10^d + 0.5 + 1e-9)``), printed
    with numpy's C string functions: per-value f-strings cost a microsecond each, and partial
    scores or rates can have a hundred thousand distinct values.
    """
    factor = 10 ** decimals
    scaled = np.floor(np.abs(values) * float(factor) + 0.5 + 1e-9).astype(np.int64)
    text = (scaled // factor).astype(str)
    if decimals:
        fraction = np.char.zfill((scaled % factor).astype(str), decimals)
        if strip:
            fraction = np.char.rstrip(fraction, "0")
            text = np.where(fraction == "", text, np.char.add(np.char.add(text, "."), fraction))
        else:
            text = np.char.add(np.char.add(text, "."), fraction)
    return text


def _map_unique(values: np.ndarray, func, vectorised, *args) -> np.ndarray:
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    uniques = np.asarray(uniques, dtype=float)
    if len(uniques) > _MANY:
        formatted = np.empty(len(uniques), dtype=object)
        easy = np.isfinite(uniques) & (np.abs(uniques) < _SAFE)
        formatted[easy] = vectorised(uniques[easy], *args).astype(object)
        formatted[~easy] = [func(u, *args) for u in uniques[~easy]]
    else:
        formatted = np.array([func(u, *args) for u in uniques], dtype=object)
    return formatted[codes] if len(formatted) else np.array([], dtype=object)


def _num_texts(values: np.ndarray, decimals: int) -> np.ndarray:
    """num_text for many finite values: trailing zeros dropped, no sign on a zero."""
    text = _digits(values, decimals, strip=True)
    negative = (values < 0) & (text != "0")
    return np.where(negative, np.char.add("-", text), text)


def _pct_texts(values: np.ndarray, decimals: int) -> np.ndarray:
    """pct_text for many finite values: fixed decimals; the sign of the value, as f"{x:.1f}" shows it."""
    scaled = values * 100
    text = np.char.add(_digits(scaled, decimals, strip=False), "%")
    return np.where(np.signbit(scaled), np.char.add("-", text), text)


def nums(values: np.ndarray, decimals: int = 2) -> np.ndarray:
    # rounding first keeps the distinct values (and so the formatting work) small
    rounded = round_half_up(np.asarray(values, dtype=float), decimals)
    return _map_unique(rounded, num_text, _num_texts, decimals)


def pcts(values: np.ndarray, decimals: int = 1) -> np.ndarray:
    rounded = round_half_up(np.asarray(values, dtype=float) * 100, decimals) / 100
    return _map_unique(rounded, pct_text, _pct_texts, decimals)


def cat(*parts: Any) -> np.ndarray:
    """Join scalars and equally long arrays element-wise into an object array of str.

    One compiled f-string per shape of call: CPython builds each row's string in one step,
    about three times faster than adding object arrays part by part.
    """
    arrays = [np.asarray(p, dtype=object) for p in parts if isinstance(p, np.ndarray)]
    if not arrays:
        return "".join(str(p) for p in parts)  # type: ignore[return-value]
    consts = tuple(None if isinstance(p, np.ndarray) else str(p) for p in parts)
    joined = _joiner(consts)(*[c for c in consts if c is not None], *arrays)
    out = np.empty(len(arrays[0]), dtype=object)
    out[:] = joined
    return out


@lru_cache(maxsize=512)
def _joiner(consts: tuple[str | None, ...]):
    """A function (c0, c1, …, a0, a1, …) → [f"{c0}{a0}{c1}…" for each row]."""
    pieces, cnames, anames = [], [], []
    for c in consts:
        if c is None:
            anames.append(f"a{len(anames)}")
            pieces.append("{x%d}" % (len(anames) - 1))
        else:
            cnames.append(f"c{len(cnames)}")
            pieces.append("{%s}" % cnames[-1])
    xs = ", ".join(f"x{i}" for i in range(len(anames)))
    src = (f"def _join({', '.join(cnames + anames)}):\n"
           f"    return [f\"{''.join(pieces)}\" for {xs}{',' if len(anames) == 1 else ''} in zip({', '.join(anames)})]\n")
    namespace: dict[str, Any] = {}
    exec(compile(src, "<jixiao.text.cat>", "exec"), namespace)  # noqa: S102 - names only, no user text
    return namespace["_join"]


def cat_distinct(*parts: Any) -> np.ndarray:
    """``cat`` for texts that repeat (flag messages): each distinct combination is joined once.

    The parts are factorised and their codes combined, so "得分2.4低于分值3" is built once and
    shared by every row that says it.
    """
    arrays = [i for i, p in enumerate(parts) if isinstance(p, np.ndarray)]
    if not arrays:
        return cat(*parts)
    key: np.ndarray | None = None
    uniques: dict[int, np.ndarray] = {}
    codes_of: dict[int, np.ndarray] = {}
    for i in arrays:
        codes, uniq = factorize(np.asarray(parts[i], dtype=object))
        if (codes < 0).any():
            codes = np.where(codes < 0, len(uniq), codes)
            uniq = np.append(uniq, None)  # cat shows a blank part as "None"
            key = codes if key is None else key * (len(uniq) + 1) + codes  # stays small: no overflow
            key = pd.factorize(key)[0].astype(np.int64)  # the blank's code broke first-appearance order
        else:
            key = codes if key is None else pd.factorize(key * (len(uniq) + 1) + codes)[0].astype(np.int64)
        codes_of[i], uniques[i] = codes, uniq
    combo_codes = key  # numbered in order of first appearance, as first_positions needs
    first = first_positions(combo_codes)
    distinct = cat(*[uniques[i][codes_of[i][first]] if i in uniques else p for i, p in enumerate(parts)])
    return np.asarray(distinct, dtype=object)[combo_codes]


@lru_cache(maxsize=256)
def _template(template: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((literal, field) for literal, field, _spec, _conv in string.Formatter().parse(template))


def fill(template: str, **fields: Any) -> Any:
    """``template.format(**fields)`` for whole columns: fields are equally long arrays or scalars.

    The templates live in ``wording``; the per-row reference fills the same ones with ``str.format``.
    """
    parts: list[Any] = []
    for literal, field in _template(template):
        if literal:
            parts.append(literal)
        if field is not None:
            parts.append(fields[field])
    return cat(*parts)
