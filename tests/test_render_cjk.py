"""CJK-friendly emphasis: where Obsidian and CommonMark differ, and where not.

Expected HTML is written by hand from Obsidian's rendering of each line; the
CommonMark column is what plain markdown-it makes of the same line, so each
case shows the rule is ours and not markdown-it's default.
"""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from quiz.render.cjk import is_cjk
from quiz.render.obsidian import parser


def html(text: str) -> str:
    return parser().renderInline(text)


def commonmark(text: str) -> str:
    return MarkdownIt("commonmark").renderInline(text)


DIFFERENT = [
    # A closing run after punctuation, before a Hangul particle.
    (
        "**99.999999999%(11 9's)**로",
        "<strong>99.999999999%(11 9's)</strong>로",
    ),
    ("**용어(영어)**는", "<strong>용어(영어)</strong>는"),
    ("*강조(italic)*를 쓴다", "<em>강조(italic)</em>를 쓴다"),
    # An opening run after a Hangul letter, before punctuation.
    ("이것은**(영어)용어**다", "이것은<strong>(영어)용어</strong>다"),
    ("**「인용」**은", "<strong>「인용」</strong>은"),
    ("데이터는**“따옴표”**로", "데이터는<strong>“따옴표”</strong>로"),
    # Japanese and Chinese too.
    ("**［注］**この", "<strong>［注］</strong>この"),
]


@pytest.mark.parametrize(("source", "expected"), DIFFERENT)
def test_cjk_next_to_punctuation_makes_the_run_flanking(source: str, expected: str) -> None:
    assert html(source) == expected
    assert commonmark(source) != expected  # plain CommonMark leaves it literal


SAME = [
    # Spacing rules kept: a run with whitespace inside never opens or closes.
    ("2*3*4", "2<em>3</em>4"),
    ("a * b * c", "a * b * c"),
    ("** 용어**는", "** 용어**는"),
    ("**용어 **는", "**용어 **는"),
    # English as CommonMark says: intraword ``*`` works, intraword ``_`` not.
    ("**foo**bar", "<strong>foo</strong>bar"),
    ("foo__bar__", "foo__bar__"),
    ('a**"foo"**b', "a**&quot;foo&quot;**b"),
    # Korean without punctuation at the run already worked.
    ("**용어**는", "<strong>용어</strong>는"),
    ("한국어 **굵게** 쓰기", "한국어 <strong>굵게</strong> 쓰기"),
    # Only CJK letters count: a Latin letter next to the run does not.
    ('é**"x"**é', "é**&quot;x&quot;**é"),
    # Underscores still never open or close inside a word.
    ("__용어(영어)__는", "__용어(영어)__는"),
]


@pytest.mark.parametrize(("source", "expected"), SAME)
def test_commonmark_cases_stay_as_they_were(source: str, expected: str) -> None:
    assert html(source) == expected
    assert commonmark(source) == expected


def test_cjk_letters() -> None:
    assert all(is_cjk(ch) for ch in "한글漢字かなカナ「」각")
    assert not any(is_cjk(ch) for ch in "aZ1(.)é😀 ")


def test_variation_selector_after_a_cjk_letter_is_looked_through() -> None:
    # 葛 + VS17 (an ideographic variation selector), then ``**(x)**``.
    assert html("葛\U000e0100**(x)**は") == "葛\U000e0100<strong>(x)</strong>は"
