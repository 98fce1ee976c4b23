"""Property: a seed-style note written in any other layout gives the same cards.

The same questions and answers, written as a nested list (the seed note),
as questions under headings, as cue callouts, as margin cues and as a cue
table, must give the same questions, answers and ids. A bare cue (layout 2)
is checked with one question, whose answer is the whole notes section.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.config import Settings
from quiz.notes.reader import parse_note

# Words without Markdown syntax, numbering or colons: what a learner writes.
WORDS = st.sampled_from(
    [
        "프로세스", "스레드", "교착상태", "메모리", "가상", "페이지", "Cache", "Lambda",
        "Tautologie", "Aussage", "wahr", "memory", "page", "의", "는", "und", "the",
        "Größe", "été", "zwei", "세마포어", "뮤텍스", "S3", "IAM", "VPC",
    ]
)  # fmt: skip
QUESTION = st.lists(WORDS, min_size=1, max_size=6).map(lambda ws: " ".join(ws) + "?")
LINE = st.lists(WORDS, min_size=1, max_size=8).map(lambda ws: " ".join(ws) + ".")
ANSWER = st.lists(LINE, min_size=1, max_size=3).map(lambda ls: "\n".join(ls))
PAIRS = st.lists(st.tuples(QUESTION, ANSWER), min_size=1, max_size=6, unique_by=lambda p: p[0])

FRONT = "---\nsubject: Test\n---\n"
NOTES = "## 핵심 필기\n- 필기.\n"


def nested(pairs: list[tuple[str, str]]) -> str:
    items = "".join(
        f"- {q}\n" + "".join(f"    {line}\n" for line in a.split("\n")) for q, a in pairs
    )
    return f"{FRONT}## 단서 질문\n{items}---\n{NOTES}"


def headings(pairs: list[tuple[str, str]]) -> str:
    parts = "".join(f"### Q{n}: {q}\n{a}\n\n---\n\n" for n, (q, a) in enumerate(pairs, 1))
    return f"{FRONT}## 단서 질문\n{parts}{NOTES}"


def callouts(pairs: list[tuple[str, str]]) -> str:
    parts = "".join(f"> [!cue]\n> {q}\n\n{a}\n\n" for q, a in pairs)
    return f"{FRONT}# 노트\n{parts}"


def titled_callouts(pairs: list[tuple[str, str]]) -> str:
    parts = "".join(
        f"> [!question]- {q}\n" + "".join(f"> {line}\n" for line in a.split("\n")) + "\n"
        for q, a in pairs
    )
    return f"{FRONT}# 노트\n{parts}"


def asides(pairs: list[tuple[str, str]]) -> str:
    parts = "".join(f"<aside>{q}</aside>\n{a}\n\n" for q, a in pairs)
    return f"{FRONT}# 노트\n{parts}"


def table(pairs: list[tuple[str, str]]) -> str:
    rows = "".join(f"| {q} | {a.replace(chr(10), '<br>')} |\n" for q, a in pairs)
    return f"{FRONT}# 노트\n\n| 단서 | 필기 |\n|---|---|\n{rows}"


SHAPES: dict[str, Callable[[list[tuple[str, str]]], str]] = {
    "heading": headings,
    "callout": callouts,
    "titled callout": titled_callouts,
    "aside": asides,
    "table": table,
}


def cards(text: str) -> list[tuple[str, str, str]]:
    note = parse_note(text.encode(), "주제.md", Settings())
    assert note.warnings == ()
    return [(c.id, c.question, c.answer) for c in note.cards]


@settings(max_examples=60, deadline=None)
@given(PAIRS)
def test_every_layout_gives_the_seed_cards(pairs: list[tuple[str, str]]) -> None:
    seed = cards(nested(pairs))
    assert [(q, a) for _, q, a in seed] == pairs
    for name, shape in SHAPES.items():
        assert cards(shape(pairs)) == seed, name


@settings(max_examples=30, deadline=None)
@given(QUESTION, ANSWER)
def test_a_bare_cue_gives_the_seed_card(question: str, answer: str) -> None:
    seed = cards(nested([(question, answer)]))
    bare = cards(f"{FRONT}## 단서 질문\n- {question}\n---\n## 핵심 필기\n{answer}\n")
    assert bare == seed
