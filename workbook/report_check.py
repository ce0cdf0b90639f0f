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
from collections import deque
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


_END = re.compile(r"[；;。\n]")  # where the sentence after an anchor ends (a pair is read up to there)
_PAIR_WORDS = ("计划", "实际")  # a paragraph without either cannot hold a pair


def _containing(needles: list[str], texts: list[str]) -> dict[str, list[int]]:
    """For each needle, the indices (ascending) of the texts it occurs in: ``[k for k, t in
    enumerate(texts) if needle in t]`` for all needles in one pass over the texts (Aho–Corasick),
    instead of every text searched once per needle — a report has one pair per indicator."""
    goto: list[dict[str, int]] = [{}]
    out: list[list[str]] = [[]]
    for needle in dict.fromkeys(needles):
        node = 0
        for ch in needle:
            nxt = goto[node].get(ch)
            if nxt is None:
                nxt = len(goto)
                goto.append({})
                out.append([])
                goto[node][ch] = nxt
            node = nxt
        out[node].append(needle)
    fail = [0] * len(goto)
    link = [0] * len(goto)  # the nearest proper suffix that ends a needle (0: none)
    queue = deque(goto[0].values())
    while queue:
        node = queue.popleft()
        for ch, nxt in goto[node].items():
            if node:
                f = fail[node]
                while f and ch not in goto[f]:
                    f = fail[f]
                fail[nxt] = goto[f].get(ch, 0)
            link[nxt] = fail[nxt] if out[fail[nxt]] else link[fail[nxt]]
            queue.append(nxt)
    found: dict[str, list[int]] = {needle: [] for needle in needles}
    seen = [-1] * len(goto)  # the text in which a node's needles (and its suffixes') were last recorded
    for k, text in enumerate(texts):
        node = 0
        for ch in text:
            while node and ch not in goto[node]:
                node = fail[node]
            node = goto[node].get(ch, 0)
            hit = node if out[node] else link[node]
            while hit and seen[hit] != k:  # a node recorded in this text had its suffixes recorded too
                seen[hit] = k
                for needle in out[hit]:
                    found[needle].append(k)
                hit = link[hit]
    if "" in found:  # the empty string is in every text
        found[""] = list(range(len(texts)))
    return found


class _Paragraphs:
    """The paragraphs, and which of those that can hold a pair mention each pair anchor (found once)."""

    def __init__(self, paragraphs: list[str], anchors: list[str]) -> None:
        self.texts = paragraphs
        candidates = [k for k, t in enumerate(paragraphs) if any(w in t for w in _PAIR_WORDS)]
        found = _containing(anchors, [paragraphs[k] for k in candidates])
        self.with_anchor = {a: [candidates[i] for i in found[a]] for a in found}


def _check_pair(check: Check, paragraphs: _Paragraphs, result: CheckResult) -> bool:
    seen = False
    for k in paragraphs.with_anchor[check.anchor]:
        text = paragraphs.texts[k]
        start = text.find(check.anchor)
        while start >= 0:
            begin = start + len(check.anchor)
            end = _END.search(text, begin)
            segment = text[begin:end.start()] if end else text[begin:]
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


class _Tables:
    """The tables with a 得分 column, each row indexed by its cleaned cells left of 得分 (once)."""

    def __init__(self, tables: list[list[list[str]]]) -> None:
        self.tables: list[tuple[list[list[str]], int, dict[str, list[int]]]] = []
        for table in tables:
            if not table:
                continue
            header = [_clean(c) for c in table[0]]
            if "得分" not in header:
                continue
            col = len(header) - 1 - header[::-1].index("得分")
            rows: dict[str, list[int]] = {}
            for r, row in enumerate(table):
                if r == 0 or col >= len(row):
                    continue
                for cell in dict.fromkeys(_clean(c) for c in row[:col]):
                    rows.setdefault(cell, []).append(r)
            self.tables.append((table, col, rows))


def _check_table(check: Check, tables: _Tables, result: CheckResult) -> bool:
    anchor = _clean(check.anchor)
    seen = False
    for table, col, rows in tables.tables:
        for r in rows.get(anchor, ()):
            row = table[r]
            seen = True
            found = _clean(row[col])
            number = re.search(r"-?\d+(?:\.\d+)?", found)
            ok = number is not None and _number_matches(check, number.group(0))
            if not ok:
                result.differences.append(Difference(check.label, check.expected.text, found, check.expected.source,
                                                     " | ".join(c.strip() for c in row if c.strip())))
    return seen


def check_text(report: Report, paragraphs: list[str], tables: list[list[list[str]]] | None = None) -> CheckResult:
    """Compare the report's checkable numbers with a text's paragraphs and tables.

    Linear in the size of the report: the paragraphs that mention each pair's indicator and the
    table rows that name it are found once for all checks, then each check reads only those."""
    result = CheckResult()
    paras = _Paragraphs(paragraphs, [c.anchor for c in report.checks if c.kind == "pair"])
    indexed = _Tables(tables or [])
    for check in report.checks:
        if check.kind in ("number", "grade"):
            seen = _check_pattern(check, paragraphs, result)
        elif check.kind == "pair":
            seen = _check_pair(check, paras, result)
        else:
            seen = _check_table(check, indexed, result)
        if seen:
            result.checked += 1 + (check.kind == "pair")
        else:
            result.missing.append(check)
    return result


def check_docx(report: Report, path: str | Path) -> CheckResult:
    from .docx import read_docx

    paragraphs, tables = read_docx(path)
    return check_text(report, paragraphs, tables)
