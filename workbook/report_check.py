"""Does a (possibly hand-edited) report still carry the workbook's numbers?  ``check_text`` / ``check_docx``.

Why: reviewers keep catching reports whose numbers do not match the scoring table, usually after
someone edited the Word file by hand.  The report model lists every number worth checking and how
its sentence reads (``report.Check``); here each one is searched for in the edited text — every
occurrence must agree with the workbook, within rounding as written (4.7% agrees with 4.729%) or the
rule pack's 复核容差 for scores.  A number whose sentence was rewritten beyond recognition is reported
as "not found" rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..scoring.report import Check, Report
from ..scoring.values import parse_value

PAIR_PLAN = re.compile(r"计划[^\d；;。]*?(?P<v>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<u>[^\s\d，,；;。、）)]*)")
PAIR_ACTUAL = re.compile(r"实际[^\d；;。]*?(?P<v>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<u>[^\s\d，,；;。、）)]*)")
CONTEXT = 18  # characters either side of a difference, to find it in Word


@dataclass
class Difference:
    label: str
    expected: str
    found: str
    source: str
    context: str


@dataclass
class CheckResult:
    differences: list[Difference] = field(default_factory=list)
    missing: list[Check] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.differences


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _half_unit(text: str) -> float:
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return 0.5 * 10 ** -decimals + 1e-9


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - CONTEXT): end + CONTEXT].replace("\n", " ")


def _number_matches(check: Check, found: str) -> bool:
    expected = check.expected.value
    if expected is None:
        return False
    value = _number(found)
    scale = 100.0 if check.key.startswith("rate.") else 1.0
    tolerance = check.tolerance if check.tolerance is not None else _half_unit(found)
    return abs(value - float(expected) * scale) <= tolerance + 1e-9


def _pair_value(raw: Any) -> float | None:
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    return parse_value(str(raw)).number


def _same(found: float | None, expected: float | None) -> bool:
    if found is None or expected is None:
        return found is None and expected is None
    return abs(found - expected) <= 1e-6 * max(1.0, abs(expected))


def _check_pattern(check: Check, paragraphs: list[str], result: CheckResult) -> bool:
    pattern = re.compile(check.pattern)
    seen = False
    for text in paragraphs:
        for match in pattern.finditer(text):
            seen = True
            found = match.group("v")
            ok = (found == check.expected.text) if check.kind == "grade" else _number_matches(check, found)
            if not ok:
                shown = found if check.kind == "grade" else match.group(0)[match.start("v") - match.start():].strip()
                result.differences.append(Difference(check.label, check.expected.text, shown, check.expected.source,
                                                     _excerpt(text, match.start(), match.end())))
    return seen


def _check_pair(check: Check, paragraphs: list[str], result: CheckResult) -> bool:
    seen = False
    for text in paragraphs:
        start = text.find(check.anchor)
        while start >= 0:
            tail = text[start + len(check.anchor):]
            segment = re.split(r"[；;。\n]", tail, maxsplit=1)[0]
            for regex, fact in ((PAIR_PLAN, check.expected), (PAIR_ACTUAL, check.actual)):
                match = regex.search(segment)
                if match is None or fact is None:
                    continue
                seen = True
                written = f"{match.group('v')}{match.group('u')}"
                if not _same(_pair_value(written), _pair_value(fact.value)):
                    what = "计划" if regex is PAIR_PLAN else "实际"
                    result.differences.append(Difference(f"{check.label}（{what}）", fact.text, written, fact.source,
                                                         _excerpt(text, start, start + len(check.anchor) + len(segment))))
            start = text.find(check.anchor, start + len(check.anchor))
    return seen


def _clean(cell: str) -> str:
    return re.sub(r"[\s　]+", "", cell)


def _check_table(check: Check, tables: list[list[list[str]]], result: CheckResult) -> bool:
    anchor = _clean(check.anchor)
    seen = False
    for table in tables:
        if not table:
            continue
        header = [_clean(c) for c in table[0]]
        if "得分" not in header:
            continue
        col = len(header) - 1 - header[::-1].index("得分")
        for row in table[1:]:
            if anchor not in (_clean(c) for c in row[:col]) or col >= len(row):
                continue
            seen = True
            found = _clean(row[col])
            number = re.search(r"-?\d+(?:\.\d+)?", found)
            ok = number is not None and _number_matches(check, number.group(0))
            if not ok:
                result.differences.append(Difference(check.label, check.expected.text, found, check.expected.source,
                                                     " | ".join(c.strip() for c in row if c.strip())))
    return seen


def check_text(report: Report, paragraphs: list[str], tables: list[list[list[str]]] | None = None) -> CheckResult:
    """Compare the report's checkable numbers with a text's paragraphs and tables."""
    result = CheckResult()
    for check in report.checks:
        if check.kind in ("number", "grade"):
            seen = _check_pattern(check, paragraphs, result)
        elif check.kind == "pair":
            seen = _check_pair(check, paragraphs, result)
        else:
            seen = _check_table(check, tables or [], result)
        if seen:
            result.checked += 1 + (check.kind == "pair")
        else:
            result.missing.append(check)
    return result


def check_docx(report: Report, path: str | Path) -> CheckResult:
    from .docx import read_docx

    paragraphs, tables = read_docx(path)
    return check_text(report, paragraphs, tables)
