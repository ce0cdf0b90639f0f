"""Worksheet functions ``JX_*`` over the scoring engine, for desktop Excel and xlwings Server.

Desktop Excel (Windows): xlwings add-in setting ``UDF Modules`` = ``jixiao.addin.udfs``, then
*Import Functions*.  xlwings Server / Office.js: serve this module as the custom-functions module.
The Python names are the Excel names (upper case), so both routes show ``JX_SCORE`` and not
``jx_score``; the docstrings and ``@xw.arg(doc=...)`` texts are what the function wizard shows
(desktop cuts each at 255 characters, so they are kept short).

Functions (optional arguments in brackets)
------------------------------------------
=============================================================  ==============================================
``JX_PARSE(value, [field], [with_reason])``                    读取目标值/实际值：数值、比较符、单位、类型…
``JX_RATE(actual, target, [with_reason])``                      完成率 = 实际/目标
``JX_DEVIATION(actual, target, [with_reason])``                 偏离度 = (实际 − 目标)/|目标|
``JX_SCORE(weight, target, actual, [method], [level],            一条指标的得分（引擎 ``score_indicators``）
  [judgement], [criteria], [pack], [with_reason])``
``JX_EXPLAIN(weight, target, actual, [method], [level],          同上参数，返回一句中文评分说明或错误原因
  [judgement], [criteria], [pack])``
``JX_GRADE(total, [bands])``                                    总分的等级 优/良/中/差
``JX_EXEC_RATE(executed, budget, [received], [basis],           预算执行率（自评口径 / 实际到位口径）
  [with_reason])``
``JX_ADJ_RATE(adjustment, initial, [with_reason])``             预算调整率 = 预算调整数/年初预算数
=============================================================  ==============================================

Whole columns
-------------
Every argument may be a single cell, a column or a row.  Arguments are broadcast the way Excel
does it (a single cell goes with any range; ranges must have the same number of rows/columns),
and the result spills with the broadcast shape: ``=JX_SCORE(F2:F500, D2:D500, E2:E500)`` returns
499 rows from ONE Python call that builds one DataFrame and runs the engine once.  Rows whose
inputs are all blank come back blank (for JX_SCORE: target, actual, level and judgement blank, and
the 分值 too when it is a range -- a 分值, method or 评分标准 given once for the whole column does
not count), so a range with trailing empty rows is fine.

How errors look in a cell (the decision)
----------------------------------------
* **One bad element** (a row of a column, or a single-cell call): the element is an Excel error
  code -- ``#VALUE!`` (the input cannot be used: unreadable text such as "约九十", unit
  mismatch, a qualitative score outside its band, unknown method), ``#N/A`` (a needed input is
  blank, or the value has no such figure, e.g. the 完成率 of a qualitative target) or
  ``#DIV/0!`` (a zero target/budget).  An input cell that itself holds an Excel error passes that
  error on, as Excel's own functions do.  xlwings turns these strings into real Excel errors on
  the Office.js route (``allowErrorForDataTypeAny``, CustomFunctionsRuntime ≥ 1.4; ``ISERROR``
  works).  Classic desktop xlwings has no error value for UDF results (its writer passes strings
  through), so there the cell shows the same text, e.g. ``#VALUE!`` as text -- not verified in a
  real Excel here (no Excel on the build machine).
  The Chinese reason is one call away: ``with_reason=TRUE`` adds a 说明 column next to the
  values (reason for errors, the engine's one-line explanation for scores), and
  ``JX_EXPLAIN`` returns just that column for a scored row.  A whole spilled column never turns
  into one error because of one bad row.
* **The call as a whole cannot run** (ranges of different heights, an unknown rule pack, an
  unknown 口径, a 2-D block where a single value is expected): on xlwings Server the function
  raises ``xw.XlwingsError`` with the Chinese reason -- the server answers 400 and Excel shows
  ``#VALUE!`` with the reason on the error flag.  On desktop Excel an exception would put
  pywin32's traceback into the cell, so the function returns one cell ``"#VALUE! <原因>"``.
* **Never a traceback**: an unexpected exception is logged and reported like a call-level error
  ("内部错误…"), never as the exception text of a stack.

Arguments use xlwings' documented ``raw`` converter (``@xw.arg(name, "raw")``): the values
exactly as Office.js or pywin32 deliver them -- a list/tuple of rows for a range, a scalar for one
cell, "" or None for an empty cell, an error cell as an Office.js error object or a pywin32 error
integer -- and ``_grid`` cleans each cell once (blank -> None, error -> its text "#N/A").  Why not
the default converter: on CPython, xlwings 0.37.8's officejs cleaning calls ``utils.is_jsnull``
for every cell, which retries a failing ``from pyodide.ffi import JsNull`` each time (~80 µs per
cell, measured), i.e. ~5 s of the ~5.2 s a 10,000-row, 6-column JX_SCORE call took; with ``raw``
the same call takes a fraction of a second.  (The default converter also reads an error cell as
blank unless ``err_to_str=True``.)  The UDF parameters carry no type annotations on purpose:
xlwings reads annotations as converters.  A flat list/tuple is a row (that is what a 1×n range
becomes on the way in); a 1-D numpy array or a pandas Series, from Python callers, is a column.

Dates: Office.js sends date cells as serial numbers, so a deadline target typed as an Excel
date (not as text "2021年12月31日前") reads as a number on that route.
"""

from __future__ import annotations

import functools
import logging
import math
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
import xlwings as xw

from jixiao.scoring import model as m
from jixiao.scoring import rates as r
from jixiao.scoring.engine import score_indicators
from jixiao.scoring.params import Params, ParamsError, available_packs, load_pack
from jixiao.scoring.values import parse_series

logger = logging.getLogger(__name__)

__all__ = [
    "JX_PARSE", "JX_RATE", "JX_DEVIATION", "JX_SCORE", "JX_EXPLAIN", "JX_GRADE", "JX_EXEC_RATE",
    "JX_ADJ_RATE", "CallError", "ERR_VALUE", "ERR_NA", "ERR_DIV0", "UDF_NAMES",
]

UDF_NAMES = ("JX_PARSE", "JX_RATE", "JX_DEVIATION", "JX_SCORE", "JX_EXPLAIN", "JX_GRADE",
             "JX_EXEC_RATE", "JX_ADJ_RATE")

ERR_VALUE = "#VALUE!"  # the input cannot be used
ERR_NA = "#N/A"  # a needed input is blank / the figure does not exist for this value
ERR_DIV0 = "#DIV/0!"  # zero denominator
# The texts of Excel's error values, as ``_cell`` turns error cells into text.
EXCEL_ERROR_TEXTS = frozenset({
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!",
    "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})

CATEGORY = "绩效评价"

#: xlwings' documented "raw" converter: values as the engine delivers them, no per-cell cleaning.
#: The cleaning is done here, once per cell, in ``_grid`` (see the module docstring).
RAW = "raw"
# Desktop (pywin32) delivers an error cell as one of these integers; xlwings' own table.
COM_ERRORS = {
    -2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
    -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!",
}

#: ``None`` = decide from ``xw.on_server`` at call time: raise ``xw.XlwingsError`` on xlwings
#: Server, return ``"#VALUE! <原因>"`` elsewhere.  Tests may set True/False.
RAISE_CALL_ERRORS: bool | None = None


class CallError(Exception):
    """The arguments as a whole cannot be used; the message is Chinese and names the argument."""


def _raise_call_errors() -> bool:
    if RAISE_CALL_ERRORS is not None:
        return RAISE_CALL_ERRORS
    return bool(getattr(xw, "on_server", False))


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Call-level errors as a Chinese ``XlwingsError`` (server) or one ``#VALUE!`` cell; no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CallError as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001 - a worksheet cell must never get a traceback
            logger.exception("%s failed", func.__name__)
            message = (f"{func.__name__}内部错误（{type(exc).__name__}：{_short(str(exc), 80)}），"
                       "请把本单元格的参数反馈给维护人员")
        if _raise_call_errors():
            raise xw.XlwingsError(message) from None
        return [[f"{ERR_VALUE} {message}"]]

    return wrapper


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ============================================================================================
# Arguments: Excel-shaped 2-D lists (or scalars) -> flat object arrays of one broadcast shape
# ============================================================================================
def _cell(v: Any) -> Any:
    """One cell as the engine wants it: blank -> None, an error cell -> its text ("#N/A")."""
    t = type(v)
    if t is str:
        return v if v and not v.isspace() else None
    if t is float:
        return None if v != v else v
    if v is None or t is bool:
        return v
    if isinstance(v, str):
        return v if v.strip() else None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return COM_ERRORS.get(int(v), v)  # pywin32: error cells are ints, numbers are floats
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, dict):  # Office.js: {"type": "Error", "basicValue": "#N/A", ...} or a data type
        basic = v.get("basicValue")
        if v.get("type") == "Error":
            return basic if isinstance(basic, str) and basic.startswith("#") else ERR_VALUE
        return _cell(basic)
    if t.__name__ in ("JsNull", "JsNullType"):  # Pyodide >= 0.28 (xlwings Lite)
        return None
    return v


def _grid(value: Any, label: str) -> np.ndarray:
    """Any argument as a cleaned 2-D object array: a scalar is 1×1, a flat list/tuple a row.

    With the ``raw`` converter a range arrives as a list (Office.js) or tuple (pywin32) of rows,
    a single cell as a scalar.  A 1-D numpy array or a pandas Series is a column.
    """
    if isinstance(value, pd.DataFrame):
        value = value.to_numpy(dtype=object)
    elif isinstance(value, pd.Series):
        value = value.to_numpy(dtype=object)
    if isinstance(value, np.ndarray):
        arr = value.astype(object)
        if arr.ndim == 0:
            arr = arr.reshape(1, 1)
        elif arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        elif arr.ndim > 2:
            raise CallError(f"“{label}”应为单元格区域（二维），而不是{arr.ndim}维数组")
    elif isinstance(value, (list, tuple)):
        if len(value) == 0:
            raise CallError(f"“{label}”为空区域")
        if isinstance(value[0], (list, tuple)):
            width = len(value[0])
            if width == 0 or any(len(row) != width for row in value):
                raise CallError(f"“{label}”的各行长度不一致")
            cells = [_cell(v) for row in value for v in row]
            arr = np.empty(len(cells), dtype=object)
            arr[:] = cells
            return arr.reshape(len(value), width)
        # a flat sequence is a row, as in xlwings' Ensure2DStage: Office.js arguments pass through
        # ``to_scalar``, which unwraps a 1×n matrix to a flat list, and pywin32 makes a flat tuple
        # of a 1-D array constant such as {1,2,3}
        arr = np.empty((1, len(value)), dtype=object)
        arr[0, :] = list(value)
    else:
        arr = np.empty((1, 1), dtype=object)
        arr[0, 0] = value
    cells = [_cell(v) for v in arr.ravel()]
    flat = np.empty(len(cells), dtype=object)
    flat[:] = cells
    return flat.reshape(arr.shape)


def _shape_text(shape: tuple[int, int]) -> str:
    return f"{shape[0]}行×{shape[1]}列"


def _broadcast(named: Sequence[tuple[str, Any]]) -> tuple[tuple[int, int], list[np.ndarray]]:
    """Excel's rule: a single cell goes with anything; ranges must agree in rows and in columns.

    Returns the shape and one flat array per argument (``_broadcast_with_shapes`` also gives each
    argument's own shape).
    """
    shape, flats, _ = _broadcast_with_shapes(named)
    return shape, flats


def _broadcast_with_shapes(named: Sequence[tuple[str, Any]]
                           ) -> tuple[tuple[int, int], list[np.ndarray], list[tuple[int, int]]]:
    grids = [(label, _grid(value, label)) for label, value in named]
    rows = {g.shape[0] for _, g in grids if g.shape[0] != 1}
    cols = {g.shape[1] for _, g in grids if g.shape[1] != 1}
    if len(rows) > 1 or len(cols) > 1:
        parts = "，".join(f"{label}为{_shape_text(g.shape)}" for label, g in grids if g.shape != (1, 1))
        raise CallError(f"参数区域大小不一致：{parts}（单个单元格可与任何区域搭配，区域之间须同样大小）")
    shape = (rows.pop() if rows else 1, cols.pop() if cols else 1)
    flats = [np.broadcast_to(g, shape).ravel().copy() for _, g in grids]
    return shape, flats, [g.shape for _, g in grids]


def _scalar(value: Any, label: str) -> Any:
    g = _grid(value, label)
    if g.shape != (1, 1):
        raise CallError(f"“{label}”应为单个值，而不是{_shape_text(g.shape)}的区域")
    return g[0, 0]


def _flag(value: Any, label: str) -> bool:
    v = _scalar(value, label)
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    text = str(v).strip().lower()
    if text in ("true", "是", "1", "yes", "y", "说明", "显示说明"):
        return True
    if text in ("false", "否", "0", "no", "n"):
        return False
    raise CallError(f"“{label}”应为 TRUE 或 FALSE，而不是“{_short(str(v))}”")


def _blank(flat: np.ndarray) -> np.ndarray:
    return pd.isna(pd.Series(flat, dtype=object)).to_numpy(bool)


def _input_errors(named_flats: Sequence[tuple[str, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows where an input cell holds an Excel error: that error is passed on (first argument wins)."""
    code = np.full(n, None, dtype=object)
    reason = np.full(n, None, dtype=object)
    for label, flat in named_flats:
        s = pd.Series(flat, dtype=object)
        hit = s.isin(EXCEL_ERROR_TEXTS).to_numpy(bool) & pd.isna(code)
        if hit.any():
            code[hit] = flat[hit]
            reason[hit] = [f"{label}单元格为错误值{e}" for e in flat[hit]]
    return code, reason


# ============================================================================================
# Results: flat values (+ reasons) -> 2-D list in the broadcast shape
# ============================================================================================
def _emit(values: np.ndarray, shape: tuple[int, int], reasons: np.ndarray | None = None,
          with_reason: bool = False) -> list[list[Any]]:
    out = np.asarray(values, dtype=object).copy()
    for i, v in enumerate(out):  # NaN would become #NUM! (Office.js) or blank (desktop): never leak it
        if isinstance(v, float) and math.isnan(v):
            out[i] = ERR_NA
        elif isinstance(v, np.generic):
            out[i] = v.item()
    grid = out.reshape(shape)
    if with_reason:
        rs = np.full(out.shape, "", dtype=object) if reasons is None else np.asarray(reasons, dtype=object).copy()
        rs[pd.isna(pd.Series(rs, dtype=object)).to_numpy(bool)] = ""
        rs = rs.reshape(shape)
        if shape[1] == 1:
            grid = np.concatenate([grid, rs], axis=1)
        elif shape[0] == 1:
            grid = np.concatenate([grid, rs], axis=0)
        else:
            raise CallError("“with_reason”（显示说明）只适用于单列或单行的输入，二维区域请分列调用")
    return grid.tolist()


def _set(code: np.ndarray, reason: np.ndarray, mask: np.ndarray, err: str, why: Any) -> None:
    """Mark rows not marked yet."""
    mask = mask & pd.isna(code)
    if not mask.any():
        return
    code[mask] = err
    if isinstance(why, np.ndarray):
        reason[mask] = why[mask]
    else:
        reason[mask] = why


def _finish(number: np.ndarray, code: np.ndarray, blank: np.ndarray) -> np.ndarray:
    out = np.asarray(number, dtype=float).astype(object)
    has_code = ~pd.isna(code)
    out[has_code] = code[has_code]
    out[blank & ~has_code] = None
    return out


# ============================================================================================
# Rule packs
# ============================================================================================
@functools.lru_cache(maxsize=32)
def _pack(name: str) -> Params:
    return load_pack(name)


@functools.lru_cache(maxsize=1)
def _pack_names() -> dict[str, str]:
    """Pack file ids and their display names -> file id."""
    names: dict[str, str] = {}
    for pid in available_packs():
        names[pid] = pid
        try:
            names[_pack(pid).name] = pid
        except ParamsError:
            pass
    return names


def _params(value: Any, label: str = "规则包", allow_bands: bool = False) -> Params:
    v = _scalar(value, label)
    if v is None:
        return Params()
    text = str(v).strip()
    pid = _pack_names().get(text)
    if pid is not None:
        return _pack(pid)
    if allow_bands and (":" in text or "：" in text):
        try:
            return Params.from_mapping({"grade_bands": text})
        except ParamsError as exc:
            raise CallError(f"等级划分“{_short(text)}”无法识别：{exc}（应写作“优:90; 良:80; 中:60”）") from None
    choices = "、".join(available_packs())
    extra = "，或等级划分如“优:90; 良:80; 中:60”" if allow_bands else ""
    raise CallError(f"没有名为“{_short(text)}”的{label}，可选：{choices}{extra}")


# ============================================================================================
# JX_PARSE
# ============================================================================================
_KIND_TEXT = {"number": "数值", "percent": "百分比", "date": "日期", "qualitative": "定性",
              "empty": "空", "invalid": "无法识别"}
_CMP_TEXT = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
_FIELDS = {
    "数值": "number", "number": "number", "数字": "number",
    "比较符": "comparator", "comparator": "comparator", "方向": "comparator",
    "单位": "unit", "unit": "unit",
    "类型": "kind", "kind": "kind",
    "档次": "level", "level": "level", "定性档次": "level",
    "是否": "truth", "truth": "truth",
    "日期": "date", "date": "date",
    "说明": "message", "message": "message",
    "全部": "all", "all": "all",
}
_ALL_FIELDS = ("kind", "comparator", "number", "unit", "level", "truth", "date", "message")


def _parse_fields(flat: np.ndarray, describe: bool) -> dict[str, np.ndarray]:
    """Every field of ``parse_series`` as cell values; error codes where a field does not exist."""
    p = parse_series(pd.Series(flat, dtype=object))
    n = len(flat)
    kind = p["kind"].to_numpy(object)
    cmp_ = p["comparator"].to_numpy(object)
    number = p["number"].to_numpy(float)
    unit = p["unit"].to_numpy(object)
    level = p["level"].to_numpy(object)
    truth = p["truth"].to_numpy(object)
    date = p["date"].to_numpy(object)
    month_day = p["month_day"].to_numpy(object)
    message = p["message"].to_numpy(object)
    empty = kind == "empty"
    invalid = kind == "invalid"
    normal = ~empty & ~invalid

    def cells(values: np.ndarray) -> np.ndarray:
        values = values.astype(object)
        values[invalid] = ERR_VALUE
        values[empty] = None
        return values

    out: dict[str, np.ndarray] = {}
    out["kind"] = cells(np.array([_KIND_TEXT.get(k, k) for k in kind], dtype=object))
    out["comparator"] = cells(np.array([_CMP_TEXT.get(x, "") if isinstance(x, str) else "" for x in cmp_],
                                       dtype=object))
    num = number.astype(object)
    num[np.isnan(number)] = ERR_NA
    out["number"] = cells(num)
    out["unit"] = cells(np.array([x if isinstance(x, str) else "" for x in unit], dtype=object))
    out["level"] = cells(np.array([m.LEVEL_LABELS.get(x, "") if isinstance(x, str) else "" for x in level],
                                  dtype=object))
    out["truth"] = cells(np.array(["是" if x is True else "否" if x is False else "" for x in truth], dtype=object))
    has_date = np.array([x is not None and x == x for x in date], dtype=bool)
    d = np.full(n, ERR_NA, dtype=object)
    d[has_date] = date[has_date]
    out["date"] = cells(d)

    invalid_reason = np.where(invalid, message, None).astype(object)
    out["_reason"] = invalid_reason
    num_reason = invalid_reason.copy()
    no_num = np.isnan(number) & normal
    num_reason[no_num] = [f"“{_short(str(v))}”是{_KIND_TEXT.get(k, k)}，没有数值" for v, k in zip(flat[no_num], kind[no_num])]
    out["_number_reason"] = num_reason
    date_reason = invalid_reason.copy()
    date_reason[normal & (kind != "date")] = "不是日期"
    date_reason[normal & (kind == "date") & ~has_date] = "日期未写年份，无法给出具体日期"
    out["_date_reason"] = date_reason

    if describe:
        desc = invalid_reason.copy()
        for i in np.flatnonzero(normal):
            parts = []
            if out["comparator"][i]:
                parts.append(out["comparator"][i])
            if not np.isnan(number[i]):
                parts.append(f"{number[i] * 100:.10g}%" if kind[i] == "percent" else f"{number[i]:.10g}")
                if isinstance(unit[i], str) and kind[i] != "percent":
                    parts.append(unit[i])
            for extra in (out["level"][i], out["truth"][i]):
                if extra:
                    parts.append(extra)
            if has_date[i]:
                parts.append(str(date[i]))
            elif isinstance(month_day[i], tuple):
                parts.append(f"{month_day[i][0]}月{month_day[i][1]}日（未写年份）")
            if p["approx"].iat[i]:
                parts.append("（约数）")
            desc[i] = _KIND_TEXT.get(kind[i], kind[i]) + ("：" + " ".join(parts) if parts else "")
        out["message"] = desc
    return out


@xw.func(category=CATEGORY)
@xw.arg("value", RAW, doc="目标值或实际值，可为单元格或整列，如“≥90%”“6.5万份”“12月底前”“达成年度指标”")
@xw.arg("field", RAW, doc="返回哪一项：数值（默认，百分比为小数）、比较符、单位、类型、档次、是否、日期、说明；“全部”返回8列")
@xw.arg("with_reason", RAW, doc="TRUE 时右侧多返回一列中文说明（出错原因）")
@_guard
def JX_PARSE(value, field=None, with_reason=False):  # noqa: N802 - Excel name
    """读取按人工习惯填写的目标值/实际值（≥90%、6.5万份、12月底前、达成年度指标等）。默认返回数值（万/亿已换算，百分比为小数）；无法识别返回#VALUE!，没有数值返回#N/A。可整列计算。"""
    f = _scalar(field, "field（返回项）")
    key = "number" if f is None else _FIELDS.get(str(f).strip().lower())
    if key is None:
        raise CallError(f"返回项“{_short(str(f))}”无效，可选：数值、比较符、单位、类型、档次、是否、日期、说明、全部")
    reason_wanted = _flag(with_reason, "with_reason（显示说明）")
    shape, (flat,) = _broadcast([("值", value)])
    code, why = _input_errors([("该", flat)], len(flat))
    fields = _parse_fields(flat, describe=key in ("message", "all"))
    if key == "all":
        if shape[1] != 1:
            raise CallError("返回项“全部”只适用于单个单元格或单列（每个值返回一行8列）")
        cols = [fields[k] for k in _ALL_FIELDS]
        grid = np.column_stack(cols)
        bad = ~pd.isna(code)
        grid[bad, :] = code[bad][:, None]
        return _emit(grid.ravel(), (shape[0], len(_ALL_FIELDS)))
    values = fields[key].copy()
    if key == "number":
        reasons = fields["_number_reason"]
    elif key == "date":
        reasons = fields["_date_reason"]
    else:
        reasons = fields["_reason"]
    bad = ~pd.isna(code)
    values[bad] = code[bad]
    reasons = reasons.copy()
    reasons[bad] = why[bad]
    return _emit(values, shape, reasons, reason_wanted)


# ============================================================================================
# JX_RATE / JX_DEVIATION (through the engine, so units and percentages read exactly as in scoring)
# ============================================================================================
_QUANTITY = ("higher", "lower", "lower_inverse", "equal")


def _rates(actual: Any, target: Any, what: str) -> tuple[tuple[int, int], np.ndarray, np.ndarray, np.ndarray]:
    shape, (a, t) = _broadcast([("实际值", actual), ("目标值", target)])
    n = len(a)
    code, reason = _input_errors([("实际值", a), ("目标值", t)], n)
    a_blank, t_blank = _blank(a), _blank(t)
    both = a_blank & t_blank
    _set(code, reason, t_blank & ~a_blank, ERR_NA, "目标值未填写")
    _set(code, reason, a_blank & ~t_blank, ERR_NA, "实际值未填写")
    value = np.full(n, np.nan)
    todo = pd.isna(code) & ~both
    if todo.any():
        df = pd.DataFrame({m.WEIGHT: np.ones(int(todo.sum())), m.TARGET: t[todo], m.ACTUAL: a[todo]})
        res = score_indicators(df)
        err = res["error"].to_numpy(object)
        method = res["method_used"].to_numpy(object)
        column = "completion_rate" if what == "rate" else "deviation"
        v = res[column].to_numpy(float)
        tnum = parse_series(pd.Series(t[todo], dtype=object))["number"].to_numpy(float)
        sub_code = np.full(len(df), None, dtype=object)
        sub_reason = np.full(len(df), None, dtype=object)
        _set(sub_code, sub_reason, ~pd.isna(err), ERR_VALUE, err)
        label = "完成率" if what == "rate" else "偏离度"
        not_qty = ~np.isin(method, _QUANTITY)
        texts = np.array([f"目标值“{_short(str(x))}”或实际值“{_short(str(y))}”不是数值，没有{label}"
                          for x, y in zip(t[todo], a[todo])], dtype=object) if not_qty.any() else None
        _set(sub_code, sub_reason, not_qty, ERR_NA, texts)
        _set(sub_code, sub_reason, tnum == 0, ERR_DIV0, f"目标值为0，无法计算{label}")
        _set(sub_code, sub_reason, np.isnan(v), ERR_NA, f"无法计算{label}")
        pos = np.flatnonzero(todo)
        value[pos] = v
        code[pos] = np.where(pd.isna(code[pos]), sub_code, code[pos])
        reason[pos] = np.where(pd.isna(reason[pos]), sub_reason, reason[pos])
    return shape, _finish(value, code, both), reason, both


@xw.func(category=CATEGORY)
@xw.arg("actual", RAW, doc="实际完成值（单元格或整列），如“117场”“95%”")
@xw.arg("target", RAW, doc="年度指标值/目标值（单元格或整列），如“≥90场”“≥90%”")
@xw.arg("with_reason", RAW, doc="TRUE 时右侧多返回一列中文说明（出错原因）")
@_guard
def JX_RATE(actual, target, with_reason=False):  # noqa: N802 - Excel name
    """完成率 = 实际值/目标值（小数，设为百分比格式显示）。单位须一致（万/亿自动换算）；无法识别或单位不一致返回#VALUE!，缺值或非数值返回#N/A，目标为0返回#DIV/0!。可整列计算。"""
    reason_wanted = _flag(with_reason, "with_reason（显示说明）")
    shape, values, reasons, _ = _rates(actual, target, "rate")
    return _emit(values, shape, reasons, reason_wanted)


@xw.func(category=CATEGORY)
@xw.arg("actual", RAW, doc="实际完成值（单元格或整列）")
@xw.arg("target", RAW, doc="年度指标值/目标值（单元格或整列）")
@xw.arg("with_reason", RAW, doc="TRUE 时右侧多返回一列中文说明（出错原因）")
@_guard
def JX_DEVIATION(actual, target, with_reason=False):  # noqa: N802 - Excel name
    """偏离度 = (实际值 − 目标值)/|目标值|（小数，正数表示超目标）。错误值规则同 JX_RATE。可整列计算。"""
    reason_wanted = _flag(with_reason, "with_reason（显示说明）")
    shape, values, reasons, _ = _rates(actual, target, "deviation")
    return _emit(values, shape, reasons, reason_wanted)


# ============================================================================================
# JX_SCORE / JX_EXPLAIN
# ============================================================================================
_SCORE_ARGS = (("分值", m.WEIGHT), ("目标值", m.TARGET), ("实际值", m.ACTUAL), ("评分方法", m.METHOD),
               ("定性档次", m.LEVEL), ("评价人打分/扣分", m.JUDGEMENT), ("评分标准", m.CRITERIA))


def _score(weight: Any, target: Any, actual: Any, method: Any, level: Any, judgement: Any,
           criteria: Any, pack: Any) -> tuple[tuple[int, int], np.ndarray, np.ndarray, np.ndarray]:
    """One engine call for all rows: (shape, values, reasons/explanations, explanations)."""
    params = _params(pack)
    raw = (weight, target, actual, method, level, judgement, criteria)
    shape, flats, own = _broadcast_with_shapes([(label, v) for (label, _), v in zip(_SCORE_ARGS, raw)])
    n = len(flats[0])
    named = [(label, f) for (label, _), f in zip(_SCORE_ARGS, flats)]
    code, reason = _input_errors(named, n)
    # An empty row comes back empty.  A row is empty when its target, actual, level and judgement
    # are blank, and its 分值 too unless one 分值 was given for the whole column: a method, 评分标准
    # or 分值 typed once for a column must not turn the trailing empty rows of a range into errors.
    weight_varies = own[0] != (1, 1)
    row_data = [f for (_, col), f in zip(_SCORE_ARGS, flats)
                if col in (m.TARGET, m.ACTUAL, m.LEVEL, m.JUDGEMENT) or (col == m.WEIGHT and weight_varies)]
    all_blank = np.logical_and.reduce([_blank(f) for f in row_data])
    score = np.full(n, np.nan)
    explanation = np.full(n, None, dtype=object)
    todo = pd.isna(code) & ~all_blank
    if todo.any():
        df = pd.DataFrame({col: f[todo] for (_, col), f in zip(_SCORE_ARGS, flats)})
        res = score_indicators(df, params)
        err = res["error"].to_numpy(object)
        s = res["score"].to_numpy(float)
        expl = res["explanation"].to_numpy(object)
        errf = res["error_field"].to_numpy(object)
        sub_code = np.full(len(df), None, dtype=object)
        sub_reason = np.full(len(df), None, dtype=object)
        has_err = ~pd.isna(err)
        missing_weight = has_err & (errf == m.WEIGHT) & (err == "分值为空")
        _set(sub_code, sub_reason, missing_weight, ERR_NA, err)
        _set(sub_code, sub_reason, has_err, ERR_VALUE, err)
        _set(sub_code, sub_reason, np.isnan(s), ERR_NA, "无法计分：" + np.where(expl == "", "输入不足", expl).astype(object))
        pos = np.flatnonzero(todo)
        score[pos] = s
        explanation[pos] = expl
        code[pos] = sub_code
        reason[pos] = sub_reason
    values = _finish(score, code, all_blank)
    has_code = ~pd.isna(code)
    text = explanation.copy()
    text[has_code] = "错误：" + reason[has_code].astype(str)
    return shape, values, text, all_blank


_SCORE_DOCS = {
    "weight": "分值（单元格或整列）",
    "target": "年度指标值/目标值，如“≥90%”“≥50个”“12月底前”“达成年度指标”",
    "actual": "实际完成值，如“117场”“95%”“按时完成”",
    "method": "评分方法，可空（自动识别）：正向指标、反向指标、等于目标、定性分档、是否判断、扣分制、分段计分、直接打分、预算执行率计分、按期完成",
    "level": "定性档次：达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差",
    "judgement": "评价人打分（定性、直接打分）或扣分合计（扣分制，可写“1+0.5”）",
    "criteria": "分段计分的评分标准，如“≤0%:100%; ≤5%:80%; 其他:0”",
    "pack": "规则包，可空（全国默认），可选：" + "、".join(available_packs()),
}


@xw.func(category=CATEGORY)
@xw.arg("weight", RAW, doc=_SCORE_DOCS["weight"])
@xw.arg("target", RAW, doc=_SCORE_DOCS["target"])
@xw.arg("actual", RAW, doc=_SCORE_DOCS["actual"])
@xw.arg("method", RAW, doc=_SCORE_DOCS["method"])
@xw.arg("level", RAW, doc=_SCORE_DOCS["level"])
@xw.arg("judgement", RAW, doc=_SCORE_DOCS["judgement"])
@xw.arg("criteria", RAW, doc=_SCORE_DOCS["criteria"])
@xw.arg("pack", RAW, doc=_SCORE_DOCS["pack"])
@xw.arg("with_reason", RAW, doc="TRUE 时右侧多返回一列中文评分说明（出错时为原因）")
@_guard
def JX_SCORE(weight, target, actual, method=None, level=None, judgement=None, criteria=None,  # noqa: N802
             pack=None, with_reason=False):
    """按评分规则计算一条（或整列）绩效指标的得分，保留2位小数。输入无法使用（无法识别、单位不一致、定性打分超出档次区间等）返回#VALUE!，分值为空返回#N/A；原因见 JX_EXPLAIN 或 with_reason=TRUE。"""
    reason_wanted = _flag(with_reason, "with_reason（显示说明）")
    shape, values, text, _ = _score(weight, target, actual, method, level, judgement, criteria, pack)
    return _emit(values, shape, text, reason_wanted)


@xw.func(category=CATEGORY)
@xw.arg("weight", RAW, doc=_SCORE_DOCS["weight"])
@xw.arg("target", RAW, doc=_SCORE_DOCS["target"])
@xw.arg("actual", RAW, doc=_SCORE_DOCS["actual"])
@xw.arg("method", RAW, doc=_SCORE_DOCS["method"])
@xw.arg("level", RAW, doc=_SCORE_DOCS["level"])
@xw.arg("judgement", RAW, doc=_SCORE_DOCS["judgement"])
@xw.arg("criteria", RAW, doc=_SCORE_DOCS["criteria"])
@xw.arg("pack", RAW, doc=_SCORE_DOCS["pack"])
@_guard
def JX_EXPLAIN(weight, target, actual, method=None, level=None, judgement=None, criteria=None,  # noqa: N802
               pack=None):
    """与 JX_SCORE 参数相同，返回一句中文评分说明（如“完成 117场/目标 ≥90场，完成率130.0%，达到目标，得满分10分”）；出错时返回“错误：原因”。可整列计算。"""
    shape, _, text, blank = _score(weight, target, actual, method, level, judgement, criteria, pack)
    text = text.copy()
    text[blank] = None
    return _emit(text, shape)


# ============================================================================================
# JX_GRADE
# ============================================================================================
def _plain_numbers(flat: np.ndarray, label: str, unit_ok: Callable[[np.ndarray], np.ndarray], what: str,
                   scale_yuan: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bare numbers (no comparator) whose unit passes ``unit_ok``; (number, code, reason).

    ``scale_yuan`` turns 元 into 万元, as ``Budget.read`` does for the project's amounts.
    """
    n = len(flat)
    p = parse_series(pd.Series(flat, dtype=object))
    kind = p["kind"].to_numpy(object)
    unit = p["unit"].to_numpy(object)
    cmp_ = p["comparator"].to_numpy(object)
    number = p["number"].to_numpy(float).copy()
    code, reason = _input_errors([(label, flat)], n)
    ok = (kind == "number") & unit_ok(unit) & pd.isna(pd.Series(cmp_, dtype=object)).to_numpy(bool)
    if scale_yuan:
        yuan = ok & (unit == "元")
        number[yuan] = number[yuan] / 10000
    bad = ~ok & (kind != "empty")
    texts = np.array([f"{label}“{_short(str(v))}”{what}" for v in flat], dtype=object) if bad.any() else None
    _set(code, reason, bad, ERR_VALUE, texts)
    number[~ok] = np.nan
    return number, code, reason


def _no_unit(unit: np.ndarray) -> np.ndarray:
    return pd.isna(pd.Series(unit, dtype=object)).to_numpy(bool)


def _totals(flat: np.ndarray, label: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Totals: numbers, a unit 分 is fine."""
    return _plain_numbers(flat, label, lambda u: _no_unit(u) | (u == "分"), "不是数字")


@xw.func(category=CATEGORY)
@xw.arg("total", RAW, doc="总分（单元格或整列），满分100")
@xw.arg("bands", RAW, doc="等级划分，可空（优≥90、良≥80、中≥60、差<60，下限含）；可写规则包名或“优:90; 良:80; 中:60”")
@_guard
def JX_GRADE(total, bands=None):  # noqa: N802 - Excel name
    """总分对应的评价等级：优（≥90）、良（80–<90）、中（60–<80）、差（<60），下限含，89.99为良。总分不是数字或超出0–满分返回#VALUE!。可整列计算。"""
    params = _params(bands, "等级划分", allow_bands=True)
    shape, (flat,) = _broadcast([("总分", total)])
    number, code, reason = _totals(flat, "总分")
    top = params.expected_total_weight
    out_of_range = ~np.isnan(number) & ((number < -1e-9) | (number > top + 1e-9))
    texts = np.array([f"总分{x:g}超出0–{top:g}分" for x in np.nan_to_num(number)], dtype=object) \
        if out_of_range.any() else None
    _set(code, reason, out_of_range, ERR_VALUE, texts)
    grade = np.full(len(flat), None, dtype=object)
    ok = ~np.isnan(number) & pd.isna(code)
    if ok.any():
        codes, uniques = pd.factorize(number[ok])
        labels = np.array([params.grade(float(u)) for u in uniques], dtype=object)
        grade[ok] = labels[codes]
    has_code = ~pd.isna(code)
    grade[has_code] = code[has_code]
    return _emit(grade, shape)


# ============================================================================================
# JX_EXEC_RATE / JX_ADJ_RATE
# ============================================================================================
def _amounts(flat: np.ndarray, label: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Amounts in 万元 as ``Budget.read`` reads them: numbers, numeric text, "144万元"/"1440000元"."""
    return _plain_numbers(flat, label, lambda u: _no_unit(u) | (u == "元"), "不是金额（请填写以万元为单位的数字）",
                          scale_yuan=True)


def _ratio(num_arg: tuple[str, Any], den_arg: tuple[str, Any], func: Callable[[Any, Any], Any],
           what: str) -> tuple[tuple[int, int], np.ndarray, np.ndarray]:
    (nl, nv), (dl, dv) = num_arg, den_arg
    shape, (nf, df_) = _broadcast([(nl, nv), (dl, dv)])
    num, ncode, nreason = _amounts(nf, nl)
    den, dcode, dreason = _amounts(df_, dl)
    code = np.where(pd.isna(ncode), dcode, ncode).astype(object)
    reason = np.where(pd.isna(ncode), dreason, nreason).astype(object)
    nb, db = _blank(nf), _blank(df_)
    both = nb & db
    _set(code, reason, nb & ~db, ERR_NA, f"{nl}未填写")
    _set(code, reason, db & ~nb, ERR_NA, f"{dl}未填写")
    _set(code, reason, ~both & (den == 0), ERR_DIV0, f"{dl}为0，无法计算{what}")
    value = np.asarray(func(num, den), dtype=float)
    _set(code, reason, ~both & np.isnan(value), ERR_NA, f"无法计算{what}")
    return shape, _finish(value, code, both), reason


_BASIS = {
    "": "self", "自评": "self", "自评口径": "self", "self": "self", "全年预算": "self", "全年预算数": "self",
    "单位自评": "self",
    "到位": "framework", "实际到位": "framework", "实际到位口径": "framework", "到位口径": "framework",
    "framework": "framework", "框架": "framework", "评价框架": "framework", "部门评价": "framework",
    "财政评价": "framework",
}


@xw.func(category=CATEGORY)
@xw.arg("executed", RAW, doc="全年执行数/实际支出资金（万元，单元格或整列）")
@xw.arg("budget", RAW, doc="全年预算数（调整后，万元）——自评口径的分母")
@xw.arg("received", RAW, doc="实际到位资金（万元）——实际到位口径的分母，自评口径可空")
@xw.arg("basis", RAW, doc="口径：自评（默认，全年执行数/全年预算数）或 实际到位（实际支出/实际到位资金，部门/财政评价）")
@xw.arg("with_reason", RAW, doc="TRUE 时右侧多返回一列中文说明（出错原因）")
@_guard
def JX_EXEC_RATE(executed, budget, received=None, basis=None, with_reason=False):  # noqa: N802
    """预算执行率（小数）。自评口径 = 全年执行数/全年预算数；实际到位口径 = 实际支出/实际到位资金。金额可写数字或“144万元”；分母为0返回#DIV/0!，缺值返回#N/A。可整列计算。"""
    reason_wanted = _flag(with_reason, "with_reason（显示说明）")
    b = _scalar(basis, "basis（口径）")
    key = _BASIS.get("" if b is None else str(b).strip().lower().replace(" ", ""))
    if key is None:
        raise CallError(f"口径“{_short(str(b))}”无效，可选：自评（全年执行数/全年预算数）、实际到位（实际支出/实际到位资金）")
    if key == "self":
        shape, values, reasons = _ratio(("全年执行数", executed), ("全年预算数", budget),
                                        r.execution_rate_self, "预算执行率")
    else:
        if received is None:
            raise CallError("实际到位口径须提供第3个参数“实际到位资金”")
        shape, values, reasons = _ratio(("实际支出", executed), ("实际到位资金", received),
                                        r.execution_rate_framework, "预算执行率")
    return _emit(values, shape, reasons, reason_wanted)


@xw.func(category=CATEGORY)
@xw.arg("adjustment", RAW, doc="预算调整数（万元，调减为负数；单元格或整列），= 全年预算数 − 年初预算数")
@xw.arg("initial", RAW, doc="年初预算数（万元）")
@xw.arg("with_reason", RAW, doc="TRUE 时右侧多返回一列中文说明（出错原因）")
@_guard
def JX_ADJ_RATE(adjustment, initial, with_reason=False):  # noqa: N802 - Excel name
    """预算调整率 = 预算调整数/年初预算数（小数，如 6.81/144 = 4.73%）。年初预算为0返回#DIV/0!，缺值返回#N/A。可整列计算。"""
    reason_wanted = _flag(with_reason, "with_reason（显示说明）")
    shape, values, reasons = _ratio(("预算调整数", adjustment), ("年初预算数", initial),
                                    r.adjustment_rate, "预算调整率")
    return _emit(values, shape, reasons, reason_wanted)
