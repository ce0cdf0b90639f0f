"""Published 项目支出绩效自评表 against the audit (issue #12, point 5).

Every ``tests/corpus/*.yaml`` is one table transcribed from a published page (the source address
is in the file), values as printed.  Each table is written as a real .xlsx in the national layout
(``selfeval.samples.write_table``; the 指标性质 | 指标值 | 度量单位 variant where the table was printed
that way, its 实际完成值 cells patched back to the printed text), read back and audited through
``audit_file``.  Then, per row, by its ``expect`` label:

* ``reproduce``       the rule score equals the published score (to 0.01), no scoring flag;
* ``flag: …``         the published table contradicts itself or the rules: the row carries the
                      listed flag kinds (and, when given, the rule score ``rule_score``);
* ``variant: …``      the published score follows a practice jixiao does not express yet:
                      xfail(strict) on "reproduces", so the test fails the day the variant exists;
* ``defect: …``       jixiao reads or scores the row wrongly: xfail(strict) on what it should do
                      (``should``), so the test fails the day the engine is fixed;
* ``breakdown: …``    a "其中…" row itemising the indicator above: neither scored nor flagged.

The 预算执行率 row (``budget``: ``expect_rate``/``expect_score``) and the total (``total_expect``:
``reproduce`` = the rule total equals the published total; ``sum`` = the published total is the sum
of the published scores, no total_mismatch; ``flag: …`` = the listed table flags) are checked the
same way.  A row may also say how its target/actual must be read (``read``: the texts the audit
should report, e.g. a comparator printed as "≧" in 指标性质), xfail(strict) when ``read`` names a
defect.  Listed ``flags`` (e.g. partial_without_reason next to a variant score) are asserted apart
from the score class.

Transcription: only what the stored page text shows (the search returns a page's first ~2,000
characters), with ``complete: false`` when the table is cut; rows whose 分值 or 得分 is not
visible are left out; ``source.title`` is the heading the page text shows; ``source.notes`` say
what was cut, interleaved or assigned by column order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from jixiao.scoring import Params
from jixiao.workbook.selfeval import audit_file
from jixiao.workbook.selfeval.samples import Indicator, TableSpec, write_table

CORPUS = Path(__file__).parent / "corpus"
EXPECT_CLASSES = ("reproduce", "flag", "variant", "defect", "breakdown")
# flags that say a row's number is wrong or could not be checked (a reproduced row carries none);
# partial_without_reason / reason_missing / cost_with_ge / percent_over_100 are about explanations
# and wording, and are asserted only where a case lists them.
SCORING_FLAGS = {"score_above_weight", "score_mismatch", "full_score_missed_target", "qualitative_band",
                 "qualitative_unchecked", "unreadable_value", "missing_value", "placeholder"}
TOL = 0.01 + 1e-9


def load_cases() -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.yaml"))}


CASES = load_cases()


def expect_class(label: str) -> str:
    kind = str(label).split(":", 1)[0].strip()
    assert kind in EXPECT_CLASSES, f"unknown expect label {label!r}"
    return kind


# ------------------------------------------------------------------ writing the table
def _text(value: Any) -> Any:
    return "" if value is None else value


def spec_of(case: dict[str, Any]) -> TableSpec:
    p, b = case["project"], case.get("budget") or {}
    nu = case.get("layout") == "nature_unit"
    indicators = []
    for r in case["rows"]:
        common = dict(level1=_text(r.get("level1")), level2=_text(r.get("level2")), level3=r["level3"],
                      actual=r.get("actual"), weight=r.get("weight"), score=r.get("score"),
                      reason=r.get("reason") or "")
        if nu:
            # the writer derives an empty 指标性质 from the target: write a stand-in, blanked by write_case
            indicators.append(Indicator(target="", nature=r.get("nature") or "-", value=r.get("target"),
                                        unit=r.get("unit") or "", **common))
        else:
            indicators.append(Indicator(target=r.get("target"), **common))
    sub_rows = tuple(tuple(s) for s in b.get("sub_rows", ()))
    total = case.get("published_total")
    return TableSpec(
        name=p.get("name") or "", department=p.get("department") or "", unit=p.get("unit") or "",
        year=p["year"], initial=b.get("initial"), adjusted=b.get("adjusted"), executed=b.get("executed"),
        sub_rows=sub_rows, budget_weight=b.get("weight"), rate=b.get("rate"), budget_score=b.get("score"),
        budget_reason=b.get("reason") or "", expected=case.get("goal_expected", ""),
        achieved=case.get("goal_achieved", ""), indicators=indicators,
        total="" if total is None else total, total_weight=case.get("published_total_weight"))


def write_case(case: dict[str, Any], path: Path) -> Path:
    """The table as a real .xlsx; printed texts the writer would reshape are put back as printed."""
    nu = case.get("layout") == "nature_unit"
    write_table(spec_of(case), path, variant="nature_unit" if nu else "standard")
    wb = load_workbook(path)
    ws = wb.active
    label = (case.get("budget") or {}).get("funds_label")
    if label:  # e.g. amounts printed in 元, not 万元
        next(c for row in ws.iter_rows() for c in row if c.value == "项目资金（万元）").value = label
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "三级指标")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value}
    for k, r in enumerate(case["rows"]):
        row = header + 1 + k
        assert ws.cell(row, cols["三级指标"]).value == r["level3"]
        if nu:
            ws.cell(row, cols["实际完成值"]).value = r.get("actual")  # the writer strips the unit
            if not r.get("nature"):
                ws.cell(row, cols["指标性质"]).value = None
            if not r.get("unit"):
                ws.cell(row, cols["度量单位"]).value = None
        for head, field in (("年度指标值", "target"), ("指标值", "target"), ("实际完成值", "actual")):
            value = r.get(field)
            if head in cols and isinstance(value, str) and value.startswith("="):
                cell = ws.cell(row, cols[head])  # "=8个" is text in the table, not a formula
                cell.value = value
                cell.data_type = "s"
        for field in ("weight", "score"):  # blank 分值/得分 (detail rows) stay blank
            if r.get(field) is None:
                ws.cell(row, cols["分值" if field == "weight" else "得分"]).value = None
    wb.save(path)
    return path


@dataclass
class Audited:
    case: dict[str, Any]
    audit: Any
    data: dict[str, Any]


@pytest.fixture(scope="session")
def audited(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("corpus")
    done: dict[str, Audited] = {}

    def get(slug: str) -> Audited:
        if slug not in done:
            case = CASES[slug]
            [audit] = audit_file(write_case(case, folder / f"{slug}.xlsx"), Params.from_mapping(case.get("params")))
            done[slug] = Audited(case, audit, audit.to_dict())
        return done[slug]

    return get


# ------------------------------------------------------------------ the corpus itself
def test_corpus_is_sourced() -> None:
    assert len(CASES) >= 8
    for slug, case in CASES.items():
        src = case["source"]
        assert src["url"].startswith("http") and src["title"], slug
        assert src["retrieved_via"] == "search pages corpus", slug
        assert isinstance(case["complete"], bool), slug
        assert case["rows"], slug
        for r in case["rows"]:
            expect_class(r["expect"])
            if expect_class(r["expect"]) == "flag":
                assert r.get("flags"), (slug, r["level3"])
            if expect_class(r["expect"]) == "defect":
                assert "should" in r, (slug, r["level3"])


def test_tables_read_back_as_written(audited) -> None:
    for slug, case in CASES.items():
        a = audited(slug)
        rows = a.data["rows"]
        assert [r["level3"] for r in rows] == [r["level3"] for r in case["rows"]], slug
        assert a.data["project"]["year"] == case["project"]["year"], slug
        for got, want in zip(rows, case["rows"]):
            assert got["weight"] == want.get("weight") and got["reported_score"] == want.get("score"), (slug, got)


# ------------------------------------------------------------------ per row
def _row_params() -> list[Any]:
    out = []
    for slug, case in CASES.items():
        for i, r in enumerate(case["rows"]):
            kind = expect_class(r["expect"])
            marks = []
            if kind in ("variant", "defect"):
                why = r["expect"].split(":", 1)[1].strip()
                marks.append(pytest.mark.xfail(strict=True, reason=("jixiao defect: " if kind == "defect"
                                                                    else "variant not built: ") + why))
            out.append(pytest.param(slug, i, id=f"{slug}:r{i + 1:02d}:{kind}", marks=marks))
    return out


def _kinds(row: dict[str, Any]) -> set[str]:
    return {f["kind"] for f in row["flags"]}


def _assert_reproduces(row: dict[str, Any], published: float | None) -> None:
    assert published is not None and row["rule_score"] is not None, row
    assert abs(row["rule_score"] - published) <= TOL, (row["rule_score"], published, row["explanation"])
    assert not (_kinds(row) & SCORING_FLAGS), row["flags"]


def _read_params() -> list[Any]:
    """Rows whose case says how the target/actual must be read (e.g. a comparator in 指标性质)."""
    out = []
    for slug, case in CASES.items():
        for i, r in enumerate(case["rows"]):
            read = r.get("read")
            if not read:
                continue
            marks = [pytest.mark.xfail(strict=True, reason="jixiao defect: " + read["defect"])] if "defect" in read else []
            out.append(pytest.param(slug, i, id=f"{slug}:r{i + 1:02d}:read" + (":defect" if marks else ""),
                                    marks=marks))
    return out


@pytest.mark.parametrize("slug,index", _read_params())
def test_row_reading(audited, slug: str, index: int) -> None:
    a = audited(slug)
    read = a.case["rows"][index]["read"]
    got = a.data["rows"][index]
    if read.get("or_flag") in _kinds(got):
        return  # the audit declined to read it and said so: also acceptable
    for field in ("target", "actual"):
        if field in read:
            assert got[field] == read[field], (field, got[field], read[field])


@pytest.mark.parametrize("slug,index", _row_params())
def test_row(audited, slug: str, index: int) -> None:
    a = audited(slug)
    want = a.case["rows"][index]
    got = a.data["rows"][index]
    kind = expect_class(want["expect"])
    if kind == "reproduce":
        _assert_reproduces(got, want["score"])
    elif kind == "flag":
        assert set(want["flags"]) <= _kinds(got), (want["flags"], got["flags"])
    elif kind == "variant":
        _assert_reproduces(got, want["score"])  # fails until the variant is expressed
    elif kind == "breakdown":  # a 其中… row under an indicator: listed, neither scored nor flagged
        assert got["method"] == "breakdown" and got["rule_score"] is None and not got["flags"], got
    else:  # defect: what the audit should do
        should = want["should"]
        if should == "reproduce":
            _assert_reproduces(got, want["score"])
        else:
            if "rule_score" in should:
                assert got["rule_score"] is not None and abs(got["rule_score"] - should["rule_score"]) <= TOL, got
            assert set(should.get("flags", ())) <= _kinds(got), got["flags"]
            assert not (set(should.get("no_flags", ())) & _kinds(got)), got["flags"]
    if kind in ("flag", "variant") and "rule_score" in want:
        assert got["rule_score"] is not None and abs(got["rule_score"] - want["rule_score"]) <= TOL, got


def _flag_params() -> list[Any]:
    """Rows whose case lists flag kinds apart from the score class (e.g. a reason missing)."""
    return [pytest.param(slug, i, id=f"{slug}:r{i + 1:02d}")
            for slug, case in CASES.items() for i, r in enumerate(case["rows"])
            if r.get("flags") and expect_class(r["expect"]) in ("reproduce", "variant")]


@pytest.mark.parametrize("slug,index", _flag_params())
def test_row_lists_flags(audited, slug: str, index: int) -> None:
    a = audited(slug)
    want = a.case["rows"][index]
    assert set(want["flags"]) <= _kinds(a.data["rows"][index]), a.data["rows"][index]["flags"]


# ------------------------------------------------------------------ 预算执行率 row
def _budget_params(part: str) -> list[Any]:
    out = []
    for slug, case in CASES.items():
        b = case.get("budget") or {}
        label = b.get(f"expect_{part}")
        if not label:
            continue
        kind = expect_class(label)
        marks = []
        if kind in ("variant", "defect"):
            why = label.split(":", 1)[1].strip()
            marks.append(pytest.mark.xfail(strict=True, reason=("jixiao defect: " if kind == "defect"
                                                                else "variant not built: ") + why))
        out.append(pytest.param(slug, id=f"{slug}:budget-{part}:{kind}", marks=marks))
    return out


@pytest.mark.parametrize("slug", _budget_params("rate"))
def test_budget_rate(audited, slug: str) -> None:
    a = audited(slug)
    b = a.case["budget"]
    got = a.data["budget"]
    kind = expect_class(b["expect_rate"])
    kinds = {f["kind"] for f in got["flags"]}
    if kind == "flag":
        assert set(b["rate_flags"]) <= kinds, got["flags"]
    else:  # reproduce, or what a fixed engine should do
        assert got["rule_rate"] is not None, got
        assert "budget_rate_mismatch" not in kinds, got["flags"]


@pytest.mark.parametrize("slug", _budget_params("score"))
def test_budget_score(audited, slug: str) -> None:
    a = audited(slug)
    b = a.case["budget"]
    got = a.data["budget"]
    kind = expect_class(b["expect_score"])
    kinds = {f["kind"] for f in got["flags"]}
    if kind == "flag":
        assert set(b["score_flags"]) <= kinds, got["flags"]
        if "rule_score" in b:
            assert got["rule_score"] is not None and abs(got["rule_score"] - b["rule_score"]) <= TOL, got
    elif kind == "defect" and b["should"] != "reproduce":
        if b["should"].get("any_flag"):
            assert kinds, got  # the row cannot be scored: the audit must say so
        if "rule_score" in b["should"]:
            assert got["rule_score"] is not None and abs(got["rule_score"] - b["should"]["rule_score"]) <= TOL, got
    else:
        assert got["rule_score"] is not None and abs(got["rule_score"] - b["score"]) <= TOL, got
        assert not kinds & {"budget_score_mismatch", "score_above_weight", "missing_value"}, got["flags"]


@pytest.mark.parametrize("slug", [pytest.param(slug, id=f"{slug}:budget-flags") for slug, case in CASES.items()
                                  if (case.get("budget") or {}).get("flags")])
def test_budget_lists_flags(audited, slug: str) -> None:
    """Flags of the 预算执行率 row listed apart from its score class (e.g. reason_missing below 90%)."""
    a = audited(slug)
    kinds = {f["kind"] for f in a.data["budget"]["flags"]}
    assert set(a.case["budget"]["flags"]) <= kinds, a.data["budget"]["flags"]


# ------------------------------------------------------------------ 总分
def _total_params() -> list[Any]:
    out = []
    for slug, case in CASES.items():
        label = case.get("total_expect")
        if not label:
            continue
        kind = label.split(":", 1)[0].strip()
        out.append(pytest.param(slug, id=f"{slug}:total:{kind}"))
    return out


@pytest.mark.parametrize("slug", _total_params())
def test_total(audited, slug: str) -> None:
    a = audited(slug)
    label = a.case["total_expect"]
    kind = label.split(":", 1)[0].strip()
    table_kinds = {f.kind for f in a.audit.table_flags}
    published = a.case["published_total"]
    if kind == "reproduce":
        assert a.data["reported_total"] == pytest.approx(published, abs=TOL)
        assert a.data["rule_total"] is not None and abs(a.data["rule_total"] - published) <= TOL, a.data["rule_total"]
        assert "total_mismatch" not in table_kinds
        if a.case.get("published_grade"):
            assert a.data["grade"] == a.case["published_grade"]
    elif kind == "sum":
        assert a.data["reported_total"] == pytest.approx(published, abs=TOL)
        assert "total_mismatch" not in table_kinds, a.audit.table_flags
        if "rule_total" in a.case:
            assert a.data["rule_total"] == pytest.approx(a.case["rule_total"], abs=TOL)
    else:
        assert kind == "flag", label
        assert set(a.case["table_flags"]) <= table_kinds, a.audit.table_flags
