"""The fast path (nested runs collapsed before markdown-it) agrees with a full parse."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.notes import cards
from quiz.notes.cards import extract_cards

WORDS = st.sampled_from(
    ["질문", "answer", "**굵게**", "`code`", "[[링크]]", "x", "1.5", "#태그", "> q"]
)
INDENTS = st.sampled_from(
    ["", " ", "  ", "   ", "    ", "      ", "        ", "\t", "\t\t", "  \t"]
)
MARKERS = st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", "10. ", "-\t"])


@st.composite
def line(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["text", "item", "blank", "fence", "hr", "heading", "ws", "quote"]))
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
        return indent + "---"
    if kind == "heading":
        return indent + "## " + text
    if kind == "quote":
        return indent + "> " + text
    return indent + text


def full_parse(section: str) -> tuple[list[cards.RawCard], list[str]]:
    lines = section.split("\n")
    found = cards._cards_from(lines, lines, list(range(len(lines))), list(range(1, len(lines) + 1)))
    assert found is not None
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(line(), min_size=1, max_size=40))
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
