"""The fast paths agree with a full parse.

Nested runs are collapsed before markdown-it, and block rules that cannot fire
are switched off; the cards must be exactly those of a full parse with every
rule on.
"""

from __future__ import annotations

import re
import textwrap

from hypothesis import example, given, settings
from hypothesis import strategies as st

from quiz.notes import cards
from quiz.notes.cards import extract_cards

WORDS = st.sampled_from(
    ["질문", "answer", "**굵게**", "`code`", "[[링크]]", "x", "1.5", "#태그", "> q", "<b>", "a - b"]
)
INDENTS = st.sampled_from(
    ["", " ", "  ", "   ", "    ", "      ", "        ", "\t", "\t\t", "  \t"]
)
MARKERS = st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", "10. ", "-\t"])


@st.composite
def line(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                *("text", "item", "blank", "fence", "hr", "heading", "ws", "quote"),
                *("underline", "html", "reference"),
            ]
        )
    )
    indent = draw(INDENTS)
    text = " ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))
    if kind == "item":
        return indent + draw(MARKERS) + text
    if kind == "blank":
        return ""
    if kind == "ws":
        return indent
    if kind == "fence":
        return indent + draw(st.sampled_from(["```", "~~~", "```python"]))
    if kind == "hr":
        return indent + draw(st.sampled_from(["---", "***", "_ _ _", "- - -", "* * *  "]))
    if kind == "underline":
        return indent + draw(st.sampled_from(["===", "=", "--", "> ==="]))
    if kind == "html":
        return indent + draw(
            st.sampled_from(["<div>", "<!-- x -->", "</details>", "<!--", "-->", "<pre>", "</pre>"])
        )
    if kind == "reference":
        return indent + "[x]: /url"
    if kind == "heading":
        return indent + "## " + text
    if kind == "quote":
        return indent + "> " + text
    return indent + text


def full_parse(section: str) -> tuple[list[cards.RawCard], list[str]]:
    lines = section.split("\n")
    found = cards._cards_from(
        lines, lines, list(range(len(lines))), list(range(1, len(lines) + 1)), prune=False
    )
    assert found is not None
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(line(), min_size=1, max_size=40))
# A list 4 columns into the item continues the question, and the --- under
# it makes the item's first block a heading: that run must not be collapsed.
@example(["질문", "- 질문", "      - 질문", "    ---"])
# A nested list ends a two-line question: the question keeps its line break.
@example(["질문", "- 질문", "질문", "    - 질문", "    질문"])
# An HTML comment opened at the top level closes inside an indented run.
@example(["- q", "", "<!--", "", "    x", "    -->", "- r", "    a"])
def test_skeleton_parse_equals_full_parse(lines: list[str]) -> None:
    section = "\n".join(lines)
    assert extract_cards(section) == full_parse(section)


def test_seed_like_section_is_collapsed_and_equal() -> None:
    section = (
        "- 질문 하나\n    1. 첫째\n        - 더 깊이\n    2. 둘째\n- 질문 둘\n    \n    답 문단\n"
        "    \n    둘째 문단\n    \n- 질문 셋\n    ```\n    code\n    ```\n"
    )
    short, _, _ = cards._skeleton(section.split("\n"))
    assert len(short) < len(section.split("\n"))
    assert extract_cards(section) == full_parse(section)
    assert [c.question for c in extract_cards(section)[0]] == ["질문 하나", "질문 둘", "질문 셋"]


# One section per optional block rule where that rule decides the cards: the
# rule must stay on for it, and the result must match the full parse.
RULE_CASES = {
    "fence": "- q\n```\n- not an item\n```\n- r\n    a",
    "blockquote": "- q\n    a\n> - not an item\n- r\n    a",
    "hr": "- q\n    a\n* * *\n- r\n    a",
    "reference": "- [x]: /url\n    a\n- r\n    a",
    "html_block": "- <div>\n    a\n- r\n    a",
    "heading": "- # q\n    a\n- r\n    a",
    "lheading": "- q\n  ===\n    a\n- r\n    a",
}


def test_every_optional_rule_has_a_case() -> None:
    assert set(RULE_CASES) == {name for name, _ in cards._OPTIONAL_RULES}


def test_a_rule_that_can_fire_stays_on() -> None:
    for name, section in RULE_CASES.items():
        pattern = dict(cards._OPTIONAL_RULES)[name]
        assert pattern.search(section) is not None, name
        assert extract_cards(section) == full_parse(section), name


def test_a_rule_that_fires_changes_the_parse() -> None:
    # Proof that the cases exercise their rule: with only that rule off the
    # result would differ, so leaving it on is what keeps the cards right.
    for name, section in RULE_CASES.items():
        md = cards._markdown(frozenset({name}))
        pruned = md.parse(section)
        full = cards._markdown().parse(section)
        assert [(t.type, t.map) for t in pruned] != [(t.type, t.map) for t in full], name


def test_rules_are_pruned_on_a_plain_section() -> None:
    section = "- 질문 하나\n    \n    답 **굵게** 문단\n    \n- 질문 둘\n    1. 첫째\n"
    off = {name for name, p in cards._OPTIONAL_RULES if p.search(section) is None}
    assert off == {name for name, _ in cards._OPTIONAL_RULES}


def reference_dedent(lines: list[str]) -> str:
    """What answers were cut with before: tab expansion and ``textwrap.dedent``."""
    cleaned = [
        "" if not line.strip() else re.sub(r"^[ \t]+", lambda m: m.group().expandtabs(4), line)
        for line in lines
    ]
    while cleaned and not cleaned[0]:
        cleaned.pop(0)
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return textwrap.dedent("\n".join(cleaned))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(INDENTS, st.sampled_from(["", "a", " b", "\u00a0", "\u00a0c", "\t"]))))
def test_dedent_equals_textwrap(parts: list[tuple[str, str]]) -> None:
    lines = [indent + text for indent, text in parts]
    assert cards._dedent(lines) == reference_dedent(lines)
