"""How many lines a wrapped cell needs (row heights of files written without Excel).

The figures are what LibreOffice draws for the sample at 10.5 pt (see ``decorate._text_lines``):
a height too small hides text in LibreOffice and WPS, which do not auto-fit rows on opening.
"""

from __future__ import annotations

import pytest

from jixiao.workbook.decorate import _text_lines

BODY = 11 / 10.5  # column-width characters → units at the body font size


@pytest.mark.parametrize(("text", "width", "lines"), [
    # breaks only at the spaces: each band moves to the next line whole
    ("≤0%:100%; ≤5%:80%; ≤10%:60%; 其他:0", 18, 3),
    ("完成 117场/目标 90场，完成率130.0%，达到目标，得满分3分；超目标30.0%，需说明原因", 36, 2),
    ("完成 1922条/目标 1500条，完成率128.1%，达到目标，得满分3分；超目标28.1%，需说明原因", 36, 3),
    ("实际值超目标30.0%（≥20%），需说明原因，目标可能设置偏低（未填写原因）", 28, 3),
    ("年中调增预算6.81万元，年初预算不够精准", 20, 2),
    ("扣分制：分值3分，无扣分，得满分3分", 36, 1),
    ("", 10, 1),
])
def test_lines_as_libreoffice_draws_them(text: str, width: float, lines: int) -> None:
    assert _text_lines(text, width * BODY) == lines


def test_a_run_longer_than_the_line_breaks_inside_it() -> None:
    assert _text_lines("x" * 40, 10) == 4  # 40 units on lines of 11
    assert _text_lines("x" * 40 + " y", 10) == 4  # the short word joins the last part


def test_symbols_a_cjk_font_draws_wide_count_double() -> None:
    # the same number of characters; "≤" and "%" take two units each, so only the first wraps
    assert _text_lines("≤≤≤≤≤≤", 6) == 2
    assert _text_lines("<<<<<<", 6) == 1


def test_leading_spaces_do_not_open_a_line() -> None:
    assert _text_lines("   " + "中" * 5, 10) == _text_lines("中" * 5, 10) == 1
