"""Card ids survive answer edits, reordering and moving the note."""

from __future__ import annotations

from quiz.config import Settings
from quiz.notes.reader import parse_note

NOTE = """---
subject: OS
---
### 단서 질문

- 교착 상태의 네 가지 조건은?
    상호 배제, 점유 대기, 비선점, 순환 대기
- 세마포어란?
    공유 자원 접근을 세는 정수 변수.
"""


def ids(text: str, rel: str = "os/deadlock.md") -> dict[str, str]:
    note = parse_note(text.encode(), rel, Settings())
    return {c.question: c.id for c in note.cards}


def test_answer_edit_keeps_ids() -> None:
    assert ids(NOTE) == ids(NOTE.replace("공유 자원 접근을 세는 정수 변수.", "완전히 새 답."))


def test_reordering_keeps_ids() -> None:
    head, _, cards = NOTE.partition("### 단서 질문\n\n")
    first, second = cards.split("- 세마포어란?")
    reordered = f"{head}### 단서 질문\n\n- 세마포어란?{second}{first}"
    assert list(ids(reordered)) == ["세마포어란?", "교착 상태의 네 가지 조건은?"]
    assert ids(NOTE) == ids(reordered)


def test_moving_the_note_keeps_ids() -> None:
    assert ids(NOTE) == ids(NOTE, rel="archive/2026/deadlock.md")


def test_whitespace_in_question_does_not_matter() -> None:
    assert ids(NOTE) == {
        q.replace("  ", " "): i
        for q, i in ids(NOTE.replace("세마포어란?", "세마포어란?  ")).items()
    }


def test_other_note_or_other_question_gets_other_id() -> None:
    base = ids(NOTE)
    assert set(base.values()).isdisjoint(ids(NOTE, rel="os/other.md").values())
    changed = ids(NOTE.replace("세마포어란?", "뮤텍스란?"))
    assert changed["뮤텍스란?"] != base["세마포어란?"]


def test_repeated_question_in_one_note_gets_distinct_ids() -> None:
    text = NOTE + "- 세마포어란?\n    두 번째.\n"
    note = parse_note(text.encode(), "os/d.md", Settings())
    assert len({c.id for c in note.cards}) == 3
