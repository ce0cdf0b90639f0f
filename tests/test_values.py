"""Reading targets and actuals as people type them (DOMAIN.md §8): one table of real spellings, then
properties — never raise, numbers round-trip, and the column parser agrees with the cell parser."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from jixiao.scoring import values as values_module
from jixiao.scoring.values import FIELDS, ParsedValue, parse_series, parse_value

D = dt.date

# ----------------------------------------------------------------------------------------------
# The table: text -> expected fields (only the fields named are checked; floats with approx)
# ----------------------------------------------------------------------------------------------
CASES: list[tuple[str, dict]] = [
    # comparators, symbols
    ("≥90%", dict(kind="percent", comparator=">=", number=0.9, unit="%")),
    (">=90%", dict(kind="percent", comparator=">=", number=0.9, unit="%")),
    ("＞=90%", dict(kind="percent", comparator=">=", number=0.9, unit="%")),
    ("≧90%", dict(kind="percent", comparator=">=", number=0.9, unit="%")),
    ("≥ 90 %", dict(kind="percent", comparator=">=", number=0.9, unit="%")),
    ("≤5%", dict(kind="percent", comparator="<=", number=0.05, unit="%")),
    ("<=5", dict(kind="number", comparator="<=", number=5, unit=None)),
    ("≦5%", dict(kind="percent", comparator="<=", number=0.05, unit="%")),
    (">5", dict(kind="number", comparator=">", number=5)),
    ("＞5", dict(kind="number", comparator=">", number=5)),
    ("<5", dict(kind="number", comparator="<", number=5)),
    ("＜5个", dict(kind="number", comparator="<", number=5, unit="个")),
    ("=100%", dict(kind="percent", comparator="=", number=1.0, unit="%")),
    ("＝100％", dict(kind="percent", comparator="=", number=1.0, unit="%")),
    # comparators, words
    ("不低于95%", dict(kind="percent", comparator=">=", number=0.95, unit="%")),
    ("不少于50个", dict(kind="number", comparator=">=", number=50, unit="个")),
    ("至少3场", dict(kind="number", comparator=">=", number=3, unit="场")),
    ("大于等于5", dict(kind="number", comparator=">=", number=5, unit=None)),
    ("达到95%", dict(kind="percent", comparator=">=", number=0.95)),
    ("不高于3%", dict(kind="percent", comparator="<=", number=0.03)),
    ("不超过10万元", dict(kind="number", comparator="<=", number=100000, unit="元")),
    ("不多于2次", dict(kind="number", comparator="<=", number=2, unit="次")),
    ("大于5", dict(comparator=">", number=5)),
    ("高于5%", dict(comparator=">", number=0.05)),
    ("多于5人", dict(comparator=">", number=5, unit="人")),
    ("超过5", dict(comparator=">", number=5)),
    ("小于5", dict(comparator="<", number=5)),
    ("低于5%", dict(comparator="<", number=0.05)),
    ("少于5天", dict(comparator="<", number=5, unit="天")),
    ("等于100%", dict(comparator="=", number=1.0)),
    # comparators, suffixes
    ("90%以上", dict(kind="percent", comparator=">=", number=0.9)),
    ("90%及以上", dict(kind="percent", comparator=">=", number=0.9)),
    ("50个以上", dict(comparator=">=", number=50, unit="个")),
    ("5%以内", dict(comparator="<=", number=0.05)),
    ("3天以下", dict(comparator="<=", number=3, unit="天")),
    ("10个工作日之内", dict(comparator="<=", number=10, unit="个工作日")),
    ("90%（含）以上", dict(comparator=">=", number=0.9)),
    ("5%以下（不含）", dict(comparator="<", number=0.05)),
    ("不低于90%以上", dict(comparator=">=", number=0.9)),
    # plain numbers
    ("95", dict(kind="number", comparator=None, number=95, unit=None)),
    ("0.95", dict(kind="number", number=0.95, unit=None)),
    ("１２３", dict(kind="number", number=123)),
    ("１２．５％", dict(kind="percent", number=0.125, unit="%")),
    ("＋5", dict(kind="number", number=5)),
    ("-3%", dict(kind="percent", number=-0.03)),
    ("－3％", dict(kind="percent", number=-0.03)),
    ("1,500", dict(kind="number", number=1500)),
    ("1，500", dict(kind="number", number=1500)),
    ("12,345,678.5", dict(kind="number", number=12345678.5)),
    ("1.5E+03", dict(kind="number", number=1500, unit=None)),
    ("2e-3", dict(kind="number", number=0.002)),
    ("117场。", dict(kind="number", number=117, unit="场")),
    ("  117场  ", dict(kind="number", number=117, unit="场")),
    ("约100人", dict(kind="number", comparator=None, number=100, unit="人", approx=True)),
    ("大约100人", dict(number=100, unit="人", approx=True)),
    ("100人左右", dict(number=100, unit="人", approx=True, comparator=None)),
    ("100人", dict(number=100, unit="人", approx=False)),
    ("实际完成117场", dict(kind="number", number=117, unit="场", comparator=None)),
    # units and multipliers
    ("117场", dict(kind="number", number=117, unit="场")),
    ("6.5万份", dict(kind="number", number=65000, unit="份")),
    ("450万条", dict(number=4_500_000, unit="条")),
    ("380万条", dict(number=3_800_000, unit="条")),
    ("6条", dict(number=6, unit="条")),
    ("1次", dict(number=1, unit="次")),
    ("150.81万元", dict(kind="number", number=1_508_100, unit="元")),
    ("10亿元", dict(number=1e9, unit="元")),
    ("5千元", dict(number=5000, unit="元")),
    ("3百万元", dict(number=3e6, unit="元")),
    ("2万人次", dict(number=20000, unit="人次")),
    ("6.5万", dict(kind="number", number=65000, unit=None)),
    ("5千米", dict(number=5, unit="千米")),
    ("3千克", dict(number=3, unit="千克")),
    ("10千瓦", dict(number=10, unit="千瓦")),
    ("10千瓦时", dict(number=10, unit="千瓦时")),
    ("2万元/人", dict(number=20000, unit="元/人")),
    ("20户", dict(number=20, unit="户")),
    ("3所", dict(number=3, unit="所")),
    ("12篇", dict(number=12, unit="篇")),
    ("2.5小时", dict(number=2.5, unit="小时")),
    ("30分钟", dict(number=30, unit="分钟")),
    ("3年", dict(number=3, unit="年")),
    ("6个月", dict(number=6, unit="个月")),
    ("12公里", dict(number=12, unit="公里")),
    ("500平方米", dict(number=500, unit="平方米")),
    ("8吨", dict(number=8, unit="吨")),
    ("100m2", dict(number=100, unit="m2")),
    ("5个百分点", dict(kind="number", number=5, unit="百分点")),
    ("5‰", dict(kind="percent", number=0.005, unit="%")),
    ("10分", dict(kind="number", number=10, unit="分")),
    # dates
    ("2021年12月31日前", dict(kind="date", comparator="<=", date=D(2021, 12, 31), month_day=None)),
    ("2021年12月底前完成", dict(kind="date", comparator="<=", date=D(2021, 12, 31))),
    ("12月底前完成", dict(kind="date", comparator="<=", date=None, month_day=(12, 31))),
    ("十二月底前", dict(kind="date", comparator="<=", month_day=(12, 31))),
    ("2021-06-30", dict(kind="date", comparator="=", date=D(2021, 6, 30))),
    ("2021/6/30", dict(kind="date", comparator="=", date=D(2021, 6, 30))),
    ("2021.6.30", dict(kind="date", comparator="=", date=D(2021, 6, 30))),
    ("2021-06-30 00:00:00", dict(kind="date", date=D(2021, 6, 30))),
    ("6月30日", dict(kind="date", comparator="=", date=None, month_day=(6, 30))),
    ("年底前", dict(kind="date", comparator="<=", month_day=(12, 31))),
    ("年内完成", dict(kind="date", comparator="<=", month_day=(12, 31))),
    ("2021年底", dict(kind="date", comparator="=", date=D(2021, 12, 31))),
    ("2021年内", dict(kind="date", comparator="<=", date=D(2021, 12, 31))),
    ("上半年", dict(kind="date", comparator="=", month_day=(6, 30))),
    ("下半年", dict(kind="date", month_day=(12, 31))),
    ("第三季度", dict(kind="date", comparator="=", month_day=(9, 30))),
    ("三季度末", dict(kind="date", month_day=(9, 30))),
    ("2021年第1季度", dict(kind="date", date=D(2021, 3, 31))),
    ("6月前", dict(kind="date", comparator="<=", month_day=(6, 30))),
    ("2月底前", dict(kind="date", month_day=(2, 28))),
    ("2024年2月底前", dict(kind="date", date=D(2024, 2, 29))),
    ("2021年12月31日以后", dict(kind="date", comparator=">=", date=D(2021, 12, 31))),
    ("2022年1月1日后", dict(kind="date", comparator=">=", date=D(2022, 1, 1))),
    ("截至2021年12月31日", dict(kind="date", comparator="<=", date=D(2021, 12, 31))),
    ("不早于2021年1月1日", dict(kind="date", comparator=">=", date=D(2021, 1, 1))),
    ("2021年6月", dict(kind="date", comparator="=", date=D(2021, 6, 30))),
    ("6月", dict(kind="number", number=6, unit="月")),  # alone, a duration
    # qualitative levels and yes/no
    ("达成年度指标", dict(kind="qualitative", level="达成", truth=None, number=None)),
    ("达成", dict(kind="qualitative", level="达成")),
    ("达到预期", dict(kind="qualitative", level="达成", comparator=None)),
    ("效果明显", dict(kind="qualitative", level="达成")),
    ("效果显著", dict(kind="qualitative", level="达成")),
    ("良好", dict(level="达成")),
    ("满意", dict(level="达成")),
    ("有效", dict(level="达成")),
    ("是", dict(kind="qualitative", level="达成", truth=True)),
    ("按时完成", dict(level="达成", truth=True)),
    ("已完成", dict(level="达成", truth=True)),
    ("完成", dict(level="达成", truth=True)),
    ("部分达成年度指标并具有一定效果", dict(kind="qualitative", level="部分达成")),
    ("部分达成", dict(level="部分达成")),
    ("基本达成", dict(level="部分达成")),
    ("基本完成", dict(level="部分达成", truth=None)),
    ("效果一般", dict(level="部分达成")),
    ("一定效果", dict(level="部分达成")),
    ("未达成年度指标且效果较差", dict(kind="qualitative", level="未达成")),
    ("未达成", dict(level="未达成")),
    ("未完成", dict(level="未达成", truth=False)),
    ("尚未完成", dict(level="未达成", truth=False)),
    ("效果较差", dict(level="未达成")),
    ("较差", dict(level="未达成")),
    ("差", dict(level="未达成")),
    ("不满意", dict(level="未达成")),
    ("否", dict(kind="qualitative", level="未达成", truth=False)),
    ("有", dict(kind="qualitative", level=None, truth=True)),
    ("通过", dict(level=None, truth=True)),
    ("没有", dict(level=None, truth=False)),
    ("未通过", dict(level=None, truth=False)),
    ("效果还行吧", dict(kind="qualitative", level=None, truth=None, message=None)),
    ("效果明显，满意度较差", dict(kind="qualitative", level=None)),  # contradictory: the evaluator decides
    ("满意度95%", dict(kind="qualitative", level=None)),  # a noun, not a judgement
    ("完成率较低", dict(kind="qualitative", level=None, truth=None)),
    ("是否", dict(kind="qualitative", level=None, truth=None)),
    # empty
    ("", dict(kind="empty", number=None, message=None)),
    ("   ", dict(kind="empty")),
    ("—", dict(kind="empty")),
    ("-", dict(kind="empty")),
    ("--", dict(kind="empty")),
    ("——", dict(kind="empty")),
    ("/", dict(kind="empty")),
    ("／", dict(kind="empty")),
    ("无", dict(kind="qualitative", truth=False)),  # the answer no (a target of 有), not a blank
    ("N/A", dict(kind="empty")),
    ("n/a", dict(kind="empty")),
    ("不适用", dict(kind="empty", message=None)),
    # unreadable
    ("约九十", dict(kind="invalid", number=None, message="“约九十”无法识别为数值")),
    ("百分之九十", dict(kind="invalid", message="“百分之九十”无法识别为数值")),
    ("十二场", dict(kind="invalid")),
    ("12..5%", dict(kind="invalid", number=None, message="“12..5%”无法识别为数值")),
    ("1，50", dict(kind="invalid", message="“1，50”无法识别为数值")),
    ("1,5000", dict(kind="invalid")),
    ("1 500", dict(kind="invalid")),
    ("90-95%", dict(kind="invalid")),
    ("≥9O%", dict(kind="invalid")),  # a letter O typed for zero
    ("≤5%以上", dict(kind="invalid")),  # contradictory directions
    ("1e400", dict(kind="invalid")),
    ("2021年2月30日", dict(kind="invalid", message="“2021年2月30日”不是有效日期")),
    ("13月1日", dict(kind="invalid")),
    ("#DIV/0!", dict(kind="invalid", message="单元格为错误值#DIV/0!")),
    ("#N/A", dict(kind="invalid", message="单元格为错误值#N/A")),
    ("#VALUE!", dict(kind="invalid", message="单元格为错误值#VALUE!")),
    ("#REF!", dict(kind="invalid", message="单元格为错误值#REF!")),
    ("#NAME?", dict(kind="invalid", message="单元格为错误值#NAME?")),
    ("#NUM!", dict(kind="invalid", message="单元格为错误值#NUM!")),
    ("#NULL!", dict(kind="invalid", message="单元格为错误值#NULL!")),
]


def check(parsed: ParsedValue, expected: dict) -> None:
    for field, want in expected.items():
        got = getattr(parsed, field)
        if isinstance(want, (int, float)) and not isinstance(want, bool) and want is not None:
            assert got == pytest.approx(want, rel=1e-12), (field, got, want)
        else:
            assert got == want, (field, got, want)
    if "unit" not in expected and parsed.kind in ("qualitative", "empty", "invalid", "date"):
        assert parsed.unit is None and parsed.number is None
    if parsed.kind == "invalid":
        assert parsed.message and parsed.number is None
    else:
        assert parsed.message is None


def test_table_is_large_enough():
    assert len(CASES) >= 80
    assert len({text for text, _ in CASES}) == len(CASES)


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] or "<blank>" for c in CASES])
def test_reads_what_people_type(text, expected):
    parsed = parse_value(text)
    assert parsed.raw == text
    check(parsed, expected)


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] or "<blank>" for c in CASES])
def test_column_reads_the_same(text, expected):
    frame = parse_series(pd.Series([text, None, text], index=[7, 8, 9]))
    assert list(frame.index) == [7, 8, 9]
    assert row(frame, 0) == row(frame, 2) == fields(parse_value(text))
    assert frame["kind"].iat[1] == "empty"


def test_exact_values_people_care_about():
    # correct rounding of the shifted decimal, so a typed target equals the Excel fraction
    assert parse_value("≥12.3%").number == 0.123
    assert parse_value("150.81万元").number == 1508100.0
    assert parse_value("95.5%").number == 0.955
    assert parse_value("4.73%").number == 0.0473


def test_message_names_the_text_as_typed():
    assert parse_value(" 约九十 ").message == "“约九十”无法识别为数值"
    assert parse_value("１２．．５％").message == "“１２．．５％”无法识别为数值"


def test_is_quantity():
    assert parse_value("≥90%").is_quantity
    assert parse_value("117场").is_quantity
    assert parse_value(3).is_quantity
    assert not parse_value("达成").is_quantity
    assert not parse_value("2021-06-30").is_quantity
    assert not parse_value("").is_quantity


# ----------------------------------------------------------------------------------------------
# Non-text cells
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value,expected", [
    (0.95, dict(kind="number", number=0.95, unit=None, comparator=None)),  # not guessed to be 95%
    (117, dict(kind="number", number=117.0, unit=None)),
    (np.int64(5), dict(kind="number", number=5.0)),
    (np.float32(0.5), dict(kind="number", number=0.5)),
    (Decimal("2.5"), dict(kind="number", number=2.5)),
    (True, dict(kind="qualitative", truth=True, level=None)),
    (False, dict(kind="qualitative", truth=False, level=None)),
    (np.bool_(True), dict(kind="qualitative", truth=True)),
    (None, dict(kind="empty")),
    (math.nan, dict(kind="empty")),
    (np.nan, dict(kind="empty")),
    (pd.NA, dict(kind="empty")),
    (pd.NaT, dict(kind="empty")),
    (np.datetime64("NaT"), dict(kind="empty")),
    (Decimal("NaN"), dict(kind="empty")),
    (dt.date(2021, 12, 31), dict(kind="date", date=D(2021, 12, 31), comparator=None, month_day=None)),
    (dt.datetime(2021, 12, 31, 15, 30), dict(kind="date", date=D(2021, 12, 31), comparator=None)),
    (pd.Timestamp("2021-06-30"), dict(kind="date", date=D(2021, 6, 30), comparator=None)),
    (np.datetime64("2021-06-30"), dict(kind="date", date=D(2021, 6, 30))),
    (math.inf, dict(kind="invalid")),
    (-math.inf, dict(kind="invalid")),
    (10**400, dict(kind="invalid")),
    (complex(1, 2), dict(kind="invalid")),
    (np.timedelta64(5, "D"), dict(kind="invalid")),
    (dt.timedelta(days=3), dict(kind="invalid")),
    ([1, 2], dict(kind="invalid")),
    ({"a": 1}, dict(kind="invalid")),
    (object(), dict(kind="invalid")),
    (b"90%", dict(kind="invalid")),
    (Decimal("sNaN"), dict(kind="invalid")),
])
def test_reads_excel_cells(value, expected):
    parsed = parse_value(value)
    assert parsed.raw is value
    check(parsed, expected)


def test_object_whose_str_fails_is_invalid():
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

        __repr__ = __str__

        def __eq__(self, other):
            raise RuntimeError("no")

        __hash__ = object.__hash__

    parsed = parse_value(Hostile())
    assert parsed.kind == "invalid" and "Hostile" in parsed.message
    assert parse_series([Hostile(), "1"])["kind"].tolist() == ["invalid", "number"]


def test_default_year_completes_month_day():
    p = parse_value("12月底前完成", default_year=2021)
    assert p.date == D(2021, 12, 31) and p.month_day == (12, 31) and p.comparator == "<="
    assert parse_value("12月底前完成").date is None
    assert parse_value("2022年6月30日前", default_year=2021).date == D(2022, 6, 30)  # a typed year wins
    assert parse_value("2月29日", default_year=2021).date is None  # that day does not exist in 2021
    assert parse_value("2月29日", default_year=2024).date == D(2024, 2, 29)
    assert parse_value("上半年", default_year="2021").date == D(2021, 6, 30)
    assert parse_value("上半年", default_year="明年").date is None
    frame = parse_series(["12月底前完成", "6月30日", 3], default_year=2021)
    assert frame["date"].tolist() == [D(2021, 12, 31), D(2021, 6, 30), None]


# ----------------------------------------------------------------------------------------------
# parse_series: shape and agreement with parse_value
# ----------------------------------------------------------------------------------------------
def fields(parsed: ParsedValue) -> tuple:
    out = []
    for f in FIELDS:
        v = getattr(parsed, f)
        out.append(("nan",) if f == "number" and v is None else v)
    return tuple(out)


def row(frame: pd.DataFrame, i: int) -> tuple:
    out = []
    for f in FIELDS:
        v = frame[f].iat[i]
        if f == "number":
            out.append(("nan",) if np.isnan(v) else float(v))
        elif f == "approx":
            out.append(bool(v))
        else:
            out.append(v)
    return tuple(out)


def assert_same_as_cells(values, frame: pd.DataFrame, default_year=None) -> None:
    cells = list(values)
    assert list(frame.columns) == list(FIELDS)
    assert len(frame) == len(cells)
    assert frame["number"].dtype == np.float64 and frame["approx"].dtype == bool
    for f in FIELDS:
        if f not in ("number", "approx"):
            assert frame[f].dtype == object
    for i, v in enumerate(cells):
        got, want = row(frame, i), fields(parse_value(v, default_year))
        for f, g, w in zip(FIELDS, got, want):
            assert g == w and type(g) is type(w), (v, f, g, w)


def test_series_columns_dtypes_and_index():
    s = pd.Series(["≥90%", None, 0.5, "达成", "12月底前"], index=list("abcde"))
    frame = parse_series(s)
    assert list(frame.index) == list("abcde")
    assert_same_as_cells(s, frame)
    assert frame["truth"].tolist() == [None] * 5
    assert frame["month_day"].iat[4] == (12, 31)


@pytest.mark.parametrize("series", [
    pd.Series([0.95, np.nan, 3.0, np.inf, -np.inf, -0.0]),
    pd.Series([1, 2, 3], dtype="int64", index=[10, 20, 30]),
    pd.Series([True, False]),
    pd.Series([1, None, 3], dtype="Int64"),
    pd.Series([True, None], dtype="boolean"),
    pd.Series(["≥90%", None, "达成"], dtype="str"),
    pd.Series(["≥90%", "达成", "≥90%"], dtype="category"),
    pd.Series(pd.to_datetime(["2021-06-30", None])),
    pd.Series([1, True, 1.0, 0, False, 0.0, np.bool_(True), np.int64(1), complex(1, 0), Decimal(1)], dtype=object),
    pd.Series([], dtype=object),
    pd.Series([], dtype=float),
], ids=["float", "int", "bool", "Int64", "boolean", "str", "category", "datetime", "true-is-one", "empty-obj",
        "empty-float"])
def test_series_of_every_dtype(series):
    frame = parse_series(series)
    assert frame.index.equals(series.index)
    assert_same_as_cells(series, frame)


def test_values_equal_across_types_are_read_by_type():
    # factorize merges True with 1 and 2+0j with 2.0; the column must still read each cell as itself
    values = [1, True, 2.0, complex(2, 0), 1e-05, np.float32(1e-05), False, 0, Decimal("Infinity"), math.inf]
    frame = parse_series(values)
    assert frame["kind"].tolist()[:4] == ["number", "qualitative", "number", "number"]
    assert_same_as_cells(values, frame)


def test_sequences_and_arrays():
    values = ["≥90%", (1, 2), [3], None, 5]
    assert_same_as_cells(values, parse_series(values))
    assert_same_as_cells(values, parse_series(tuple(values)))
    arr = np.array(["1", "2场", "x"], dtype=object)
    assert_same_as_cells(arr, parse_series(arr))
    assert_same_as_cells([1.5, 2.5], parse_series(np.array([1.5, 2.5])))


def test_unhashable_cells_are_read_one_by_one():
    values = pd.Series([[1], "≥90%", {"a": 1}, None], dtype=object)
    frame = parse_series(values)
    assert frame["kind"].tolist() == ["invalid", "percent", "invalid", "empty"]
    assert_same_as_cells(values, frame)


def test_result_columns_are_independent():
    frame = parse_series(pd.Series([1.0, 2.0]))
    frame.loc[0, "unit"] = "场"
    assert frame["comparator"].iat[0] is None and frame["level"].iat[0] is None


REAL = [text for text, _ in CASES] + [
    "≥1500条", "1922条", "90场", "≥90场", "≥98%", "98.5%", "100%", "≤150.81万元", "144万元", "4.73%",
    "达成年度指标", "部分达成年度指标并具有一定效果", "2021年12月20日", "2022年1月5日", "按时完成", "是", "否",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(REAL), max_size=60), st.randoms(use_true_random=False))
def test_series_matches_cells_on_real_looking_text(texts, rnd):
    index = rnd.sample(range(1000), len(texts))
    series = pd.Series(texts, index=index, dtype=object)
    assert_same_as_cells(series, parse_series(series))
    assert_same_as_cells(texts, parse_series(pd.Series(texts, dtype="str")))


ALPHABET = "0123456789０１２３４５６７８９%％‰万亿千元份场人≥≤><=＞＜＝约.．,，-—－+＋ 年月日底前后季度上半达成部分未完是否无效果明显"
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.floats(allow_nan=False, allow_infinity=False).map(np.float64),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.dates(),
    st.text(ALPHABET, max_size=12),
    st.text(max_size=8),
    st.sampled_from(REAL),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=True),
    st.just(pd.NA),
    st.just(pd.NaT),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=40))
def test_series_matches_cells_on_anything(values):
    assert_same_as_cells(values, parse_series(values))
    assert_same_as_cells(values, parse_series(pd.Series(values, dtype=object)), None)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(REAL), st.none(), st.floats(0, 1e6)), max_size=30),
       st.integers(1990, 2100))
def test_series_matches_cells_with_default_year(values, year):
    assert_same_as_cells(values, parse_series(values, default_year=year), default_year=year)


# ----------------------------------------------------------------------------------------------
# Properties of parse_value
# ----------------------------------------------------------------------------------------------
@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(ALPHABET, max_size=20)))
def test_never_raises_on_text(text):
    parsed = parse_value(text)
    assert parsed.kind in ("number", "percent", "date", "qualitative", "empty", "invalid")
    assert (parsed.kind == "invalid") == (parsed.message is not None)
    if parsed.number is not None:
        assert math.isfinite(parsed.number)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(), st.integers(), st.none(), st.booleans(), st.dates(), st.datetimes(),
                 st.decimals(), st.complex_numbers(), st.fractions(), st.binary(max_size=4),
                 st.lists(st.integers(), max_size=2), st.timedeltas()))
def test_never_raises_on_other_values(value):
    parsed = parse_value(value)
    assert parsed.kind in ("number", "percent", "date", "qualitative", "empty", "invalid")
    parse_value(value, default_year=2021)


@given(st.integers())
def test_integers_come_back_exactly(n):
    parsed = parse_value(n)
    if abs(n) < 2**1023:
        assert parsed.kind == "number" and parsed.number == float(n) and parsed.unit is None
        if abs(n) <= 2**53:
            assert parsed.number == n
        assert parse_value(str(n)).number == float(n)
    else:
        assert parsed.kind == "invalid"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_finite_floats_come_back_exactly(x):
    parsed = parse_value(x)
    assert parsed.kind == "number" and parsed.number == x and parsed.comparator is None
    assert parse_value(repr(x)).number == x  # Excel exports such as "1.5e-07" too


@given(st.decimals(min_value=-10**7, max_value=10**7, places=4, allow_nan=False, allow_infinity=False),
       st.sampled_from(["%", "％", " %"]))
def test_percent_text_is_a_fraction(d, sign):
    text = f"{d:f}{sign}"
    parsed = parse_value(text)
    assert parsed.kind == "percent" and parsed.unit == "%"
    assert parsed.number == float(Decimal(f"{d:f}") / 100)  # the nearest float, not x/100 in floats
    assert parsed.number == pytest.approx(float(d) / 100, rel=1e-12, abs=1e-300)


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["≥", "≤", "不低于", "不超过", ""]), st.sampled_from(["万元", "万份", "场", ""]))
def test_generated_quantities(d, cmp_, unit):
    text = f"{cmp_}{d:f}{unit}"
    parsed = parse_value(text)
    scale = 10_000 if unit.startswith("万") else 1
    assert parsed.kind == "number"
    assert parsed.number == float(Decimal(f"{d:f}") * scale)
    assert parsed.unit == ({"万元": "元", "万份": "份", "场": "场", "": None}[unit])
    assert parsed.comparator == {"≥": ">=", "≤": "<=", "不低于": ">=", "不超过": "<=", "": None}[cmp_]


@settings(max_examples=500, deadline=None)
@given(st.from_regex(values_module._SIMPLE, fullmatch=True))
def test_fast_path_agrees_with_the_full_parser(text):
    # the common-shape shortcut must read exactly what the full parser reads
    assert values_module._parse_text_uncached(text) == values_module._parse_general(text, text)
