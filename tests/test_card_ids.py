"""Card ids survive answer edits, reordering and moving the note."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from quiz.config import Settings
from quiz.notes.ids import note_key
from quiz.notes.reader import parse_note
from quiz.store.index import scan

from .conftest import NewDb

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


def test_a_question_repeated_in_nfc_and_nfd_gets_distinct_ids() -> None:
    # The same question twice, once composed (NFC) and once decomposed (NFD,
    # as text pasted from macOS file names often is): two cards, two ids.
    nfc = "세마포어란?"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    text = f"### 단서 질문\n\n- {nfc}\n    하나.\n- {nfd}\n    둘.\n"
    note = parse_note(text.encode(), "os/sem.md", Settings())
    assert len(note.cards) == 2
    assert note.cards[0].id != note.cards[1].id


def test_the_index_keys_a_note_by_its_nfc_name(tmp_path: Path, new_db: NewDb) -> None:
    nfd = unicodedata.normalize("NFD", "세마포어")
    (tmp_path / f"{nfd}.md").write_text("### 단서 질문\n\n- q?\n    a.\n", encoding="utf-8")
    db = new_db()
    scan(tmp_path, db, Settings())
    keys = [k for (k,) in db.execute("SELECT note_key FROM notes")]
    assert keys == [note_key("세마포어")] == ["세마포어"]
