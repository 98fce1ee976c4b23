"""One quiz session over one note: grades in the DB at once, stages, write-back.

Every test works on a copy of ``sample_notes`` (today is 2026-11-25 in its
stage states) and compares whole files byte for byte: the expected file is the
original with exactly the changed value substrings replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.config import Settings
from quiz.notes import decode as decode_module
from quiz.schedule.stages import Grade, Kind, Stage
from quiz.session import NoteSession, Session, SessionError
from quiz.store import open_db
from quiz.store.index import scan

from .conftest import FIXTURES, ROOT, SAMPLE_NOTES, SEED_NOTES

IAM = "AWS/IAM 정책.md"  # day 7 due on 2026-11-25, 5 cards, `복습:` empty
DEADLOCK = "운영체제/교착상태.md"  # day 4 overdue, `복습: 추가 복습` already
VPC = "AWS/VPC 기초.md"  # new note: `❕첫 학습날:` empty, 4 cards
BROKEN = "깨진 노트.md"  # copy of fixtures/broken_yaml.md: its frontmatter does not parse
TODAY = dt.date(2026, 11, 25)
G, A = Grade.GOOD, Grade.AGAIN


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def replace_once(data: bytes, old: str, new: str) -> bytes:
    """``data`` with the only occurrence of ``old`` replaced (fails unless exactly one)."""
    old_b = old.encode("utf-8")
    assert data.count(old_b) == 1, old
    return data.replace(old_b, new.encode("utf-8"))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(SAMPLE_NOTES, target)
    shutil.copyfile(FIXTURES / "broken_yaml.md", target / BROKEN)
    return target


@pytest.fixture
def db(vault: Path, db_path: Path, settings: Settings) -> Iterator[Database]:
    database = open_db(db_path)
    scan(vault, database, settings)
    yield database
    database.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC))


def start(
    db: Database,
    vault: Path,
    settings: Settings,
    clock: Clock,
    note: str = IAM,
    today: dt.date = TODAY,
    **kwargs: bool,
) -> NoteSession:
    return NoteSession(db, vault, note, settings, today=today, clock=clock, **kwargs)


def grade_all(session: Session, grades: list[Grade] | Grade, clock: Clock) -> None:
    todo = grades if isinstance(grades, list) else [grades] * len(session.cards)
    assert len(todo) == len(session.cards)
    for g in todo:
        session.grade(g)
        clock.tick(seconds=20)


def session_row(db_path: Path, session_id: int) -> dict[str, object]:
    """The ``sessions`` row, read through a separate connection (so: committed)."""
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM sessions WHERE id = ?", [session_id]).fetchone()
    conn.close()
    assert row is not None
    return dict(row)


def review_rows(db_path: Path, session_id: int | None = None) -> list[dict[str, object]]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        if session_id is None:
            rows = conn.execute("SELECT * FROM reviews ORDER BY id").fetchall()
        else:
            rows = conn.execute(
                "SELECT * FROM reviews WHERE session_id = ? ORDER BY id", [session_id]
            ).fetchall()
    conn.close()
    return [dict(r) for r in rows]


def memory_row(db_path: Path, card_id: str) -> dict[str, object] | None:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM memory WHERE card_id = ?", [card_id]).fetchone()
    conn.close()
    return dict(row) if row is not None else None


# -- stages and write-back -------------------------------------------------------


def test_day7_all_good_flips_exactly_the_day7_fields(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    file = vault / IAM
    original = file.read_bytes()
    expected = replace_once(original, "💛7일복습여부: false\n", "💛7일복습여부: true\n")
    # `복습` names the next review: day 14.
    expected = replace_once(expected, "\n복습:\n", "\n복습: 14일 복습\n")
    expected = replace_once(expected, '"7일차복습여부1,0": "0"', '"7일차복습여부1,0": "1"')
    expected = replace_once(expected, '학습률: "0.4"', '학습률: "0.6"')
    expected = replace_once(
        expected, "진행바: 🟩🟩🟩🟩⬜⬜⬜⬜⬜⬜ 40%", "진행바: 🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%"
    )

    session = start(db, vault, settings, clock)
    assert session.stage_due is not None and session.stage_due.stage is Stage.DAY_7
    assert len(session.cards) == 5
    grade_all(session, G, clock)
    result = session.finish()

    assert file.read_bytes() == expected
    assert result.complete and result.passed and result.written
    assert result.outcome is not None and result.outcome.kind is Kind.STAGE_PASSED
    assert result.outcome.stage is Stage.DAY_7
    assert result.correct == 5 and result.missed == ()
    assert "learning rate 0.4 → 0.6" in "\n".join(result.summary_lines())
    row = session_row(db_path, session.id)
    assert row["complete"] == 1 and row["passed"] == 1 and row["written"] == 1
    assert row["outcome"] == "stage_passed" and row["stage"] == int(Stage.DAY_7)
    assert (row["rate_before"], row["rate_after"]) == (0.4, 0.6)
    assert row["graded"] == 5 and row["cards"] == 5
    note = db["notes"].get(IAM)
    assert json.loads(note["stages"]) == [True, True, True, False, False]


def test_a_day_early_is_practice_and_the_file_is_untouched(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    file = vault / IAM
    original = file.read_bytes()
    session = start(db, vault, settings, clock, today=dt.date(2026, 11, 24))
    assert session.stage_due is None
    grade_all(session, G, clock)
    result = session.finish()

    assert file.read_bytes() == original
    assert result.complete and result.passed and not result.written
    assert result.outcome is not None and result.outcome.kind is Kind.PRACTICE
    row = session_row(db_path, session.id)
    assert row["outcome"] == "practice"
    assert row["complete"] == 1 and row["written"] == 0 and row["stage"] is None
    assert row["day"] == "2026-11-24"
    # Practice still feeds the memory model.
    assert len(review_rows(db_path, session.id)) == 5
    assert all(memory_row(db_path, c.id) is not None for c in session.cards)
    assert json.loads(db["notes"].get(IAM)["stages"]) == [True, True, False, False, False]


def test_all_again_leaves_the_note_as_it_is_and_moves_no_stage(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    # A failed session: the same review is still next, so `복습` stays empty.
    file = vault / IAM
    original = file.read_bytes()
    session = start(db, vault, settings, clock)
    grade_all(session, A, clock)
    result = session.finish()

    assert file.read_bytes() == original
    assert result.complete and not result.passed and not result.written
    assert result.outcome is not None and result.outcome.kind is Kind.FAILED
    assert result.outcome.stage is Stage.DAY_7
    assert result.outcome.after == result.outcome.before
    assert len(result.missed) == 5
    row = session_row(db_path, session.id)
    assert row["outcome"] == "failed" and row["passed"] == 0
    assert row["rate_before"] == row["rate_after"] == 0.4


def test_all_again_on_a_note_already_marked_leaves_it_identical(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    file = vault / DEADLOCK
    original = file.read_bytes()
    session = start(db, vault, settings, clock, note=DEADLOCK)
    assert session.stage_due is not None and session.stage_due.stage is Stage.DAY_4
    grade_all(session, A, clock)
    result = session.finish()
    assert file.read_bytes() == original
    assert result.outcome is not None and result.outcome.kind is Kind.FAILED
    assert not result.written
    assert "nothing to write" in result.write_message


def test_one_again_in_five_still_passes(
    vault: Path, db: Database, settings: Settings, clock: Clock
) -> None:
    session = start(db, vault, settings, clock)
    grade_all(session, [G, A, Grade.HARD, G, Grade.EASY], clock)
    result = session.finish()
    assert result.passed and result.outcome is not None
    assert result.outcome.kind is Kind.STAGE_PASSED
    assert "💛7일복습여부: true\n".encode() in (vault / IAM).read_bytes()


def test_failed_session_leaves_the_next_review_in_the_db(
    vault: Path, db: Database, settings: Settings, clock: Clock
) -> None:
    from quiz.store.queries import due_notes

    def due_stage() -> list[Stage]:
        return [d.stage for d in due_notes(db, settings, TODAY) if d.note.path == IAM]

    assert due_stage() == [Stage.DAY_7]
    session = start(db, vault, settings, clock, write=False)
    grade_all(session, A, clock)
    session.finish()
    assert due_stage() == [Stage.DAY_7]


def test_new_note_gets_its_first_study_day(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    file = vault / VPC
    original = file.read_bytes()
    expected = replace_once(original, "❕첫 학습날:\n", "❕첫 학습날: 2026-11-25\n")
    expected = replace_once(expected, "\n복습:\n", "\n복습: 1일 복습\n")  # the next review

    # An unfinished session does not start the schedule.
    early = start(db, vault, settings, clock, note=VPC)
    assert early.stage_due is None
    early.grade(G)
    assert early.finish().outcome is None
    assert file.read_bytes() == original

    session = start(db, vault, settings, clock, note=VPC)
    grade_all(session, G, clock)
    result = session.finish()
    assert file.read_bytes() == expected
    assert result.outcome is not None and result.outcome.kind is Kind.FIRST_STUDY
    assert result.written
    assert session_row(db_path, session.id)["outcome"] == "first_study"
    assert db["notes"].get(VPC)["first_studied"] == "2026-11-25"


def test_write_false_leaves_the_file_and_its_stages_but_keeps_the_grades(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    from quiz.store.queries import due_notes

    file = vault / IAM
    original = file.read_bytes()
    session = start(db, vault, settings, clock, write=False)
    grade_all(session, G, clock)
    result = session.finish()

    assert file.read_bytes() == original
    assert not result.written and "--no-write" in result.write_message
    assert result.outcome is not None and result.outcome.kind is Kind.STAGE_PASSED
    row = session_row(db_path, session.id)
    assert row["outcome"] == "stage_passed" and row["written"] == 0
    assert row["write_message"] == result.write_message
    assert len(review_rows(db_path, session.id)) == 5
    # The note is the truth for its flags: day 7 is not done, and --no-write
    # leaves nothing pending to be written later either.
    assert json.loads(db["notes"].get(IAM)["stages"]) == [True, True, False, False, False]
    assert row["writeback"] is None
    (due,) = [d for d in due_notes(db, settings, TODAY) if d.note.path == IAM]
    assert due.stage is Stage.DAY_7 and due.note.pending is None
    # And the summary does not say otherwise: day 7 stays due, 40% as before.
    lines = result.summary_lines()
    assert "next: 💛 day 7 stays due until this pass is written" in lines
    assert "Progress: 🟩🟩🟩🟩⬜⬜⬜⬜⬜⬜ 40%" in lines


# -- the store, grade by grade ---------------------------------------------------


def test_each_grade_is_committed_before_the_next(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    session = start(db, vault, settings, clock)
    assert review_rows(db_path) == []
    grades = [G, A, Grade.HARD, Grade.EASY, G]
    for n, g in enumerate(grades, 1):
        card = session.current
        assert card is not None
        typed = "명시적 Deny" if n == 2 else None
        session.grade(g, typed, duration_ms=1234)
        rows = review_rows(db_path, session.id)
        assert len(rows) == n
        last = rows[-1]
        assert last["card_id"] == card.id and last["grade"] == int(g)
        assert last["day"] == "2026-11-25"
        assert last["typed"] == typed and last["duration_ms"] == 1234
        assert (last["similarity"] is None) == (typed is None)
        assert last["reviewed_at"] == clock.now.isoformat(timespec="milliseconds")
        assert session_row(db_path, session.id)["graded"] == n
        assert memory_row(db_path, card.id) is not None
        clock.tick(seconds=30)
    session.grade(G)  # the card graded Again, back to relearn
    with pytest.raises(IndexError):
        session.grade(G)


def test_undo_takes_back_a_first_review(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    session = start(db, vault, settings, clock)
    first = session.current
    assert first is not None
    session.grade(G)
    clock.tick(seconds=10)
    second = session.current
    assert second is not None
    session.grade(A)
    assert session.undo() == second
    assert session.current == second and session.position == 1
    assert [r["card_id"] for r in review_rows(db_path)] == [first.id]
    assert memory_row(db_path, second.id) is None
    assert memory_row(db_path, first.id) is not None
    assert session_row(db_path, session.id)["graded"] == 1


def _review_card_earlier(
    db: Database, vault: Path, settings: Settings, clock: Clock
) -> tuple[str, Session]:
    """Review the first card of IAM five days ago; return its id and a new session today."""
    clock.now = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    old = start(db, vault, settings, clock, today=dt.date(2026, 11, 20))
    card = old.current
    assert card is not None
    old.grade(G)
    old.finish()
    clock.now = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    return card.id, start(db, vault, settings, clock)


def test_undo_restores_the_memory_state(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    card_id, session = _review_card_earlier(db, vault, settings, clock)
    before = memory_row(db_path, card_id)
    assert before is not None
    while session.current is not None and session.current.id != card_id:
        session.grade(G)
        clock.tick(seconds=15)
    reviews_before = len(review_rows(db_path))
    session.grade(A)
    changed = memory_row(db_path, card_id)
    assert changed is not None and changed["state"] != before["state"]
    assert changed["reviews"] == 2

    assert session.undo() is not None
    after = memory_row(db_path, card_id)
    assert after is not None
    assert json.loads(str(after["state"])) == json.loads(str(before["state"]))
    assert after["state"] == before["state"]
    assert after["due"] == before["due"] and after["reviews"] == before["reviews"] == 1
    assert len(review_rows(db_path)) == reviews_before
    # Once the session is over, undo (on the Summary) reopens it.
    graded = session.position
    session.finish()
    assert session.undo() is not None
    assert session.result is None and session.position == graded - 1


def test_undo_restores_the_whole_memory_row(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    card_id, session = _review_card_earlier(db, vault, settings, clock)
    before = memory_row(db_path, card_id)
    while session.current is not None and session.current.id != card_id:
        session.grade(G)
    session.grade(A)
    session.undo()
    assert memory_row(db_path, card_id) == before


def test_incomplete_session_changes_no_file(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    file = vault / IAM
    original = file.read_bytes()
    session = start(db, vault, settings, clock)
    session.grade(G)
    session.grade(G)
    result = session.finish()

    assert file.read_bytes() == original
    assert not result.complete and not result.passed and not result.written
    assert result.outcome is None and result.total == 5 and len(result.graded) == 2
    assert "not finished" in "\n".join(result.summary_lines())
    row = session_row(db_path, session.id)
    assert row["complete"] == 0 and row["graded"] == 2 and row["outcome"] is None
    assert row["written"] == 0 and row["finished_at"] is not None
    assert len(review_rows(db_path, session.id)) == 2
    assert json.loads(db["notes"].get(IAM)["stages"]) == [True, True, False, False, False]
    assert session.finish() is result  # idempotent


def test_cards_come_weakest_first(
    vault: Path, db: Database, settings: Settings, clock: Clock
) -> None:
    first = start(db, vault, settings, clock)
    assert [c.ordinal for c in first.cards] == [0, 1, 2, 3, 4]  # nothing known: note order
    first.grade(G)  # card 0
    first.grade(A)  # card 1
    first.grade(G)  # card 2
    first.finish()

    clock.tick(days=1)
    later = start(db, vault, settings, clock)
    # The card last graded Again first, then the never reviewed (note order),
    # then by recall (equal here: note order).
    assert [c.ordinal for c in later.cards] == [1, 3, 4, 0, 2]


def test_a_note_without_cards_or_file_cannot_start(
    vault: Path, db: Database, settings: Settings, clock: Clock
) -> None:
    (vault / "empty.md").write_text("---\n과목: x\n---\n# 단서 질문\n\n", encoding="utf-8")
    with pytest.raises(SessionError, match="no cards"):
        start(db, vault, settings, clock, note="empty.md")
    with pytest.raises(SessionError, match=r"missing\.md"):
        start(db, vault, settings, clock, note="missing.md")


# -- write-back refused: file byte-identical, reviews kept -------------------------


def _finish_refused(db_path: Path, session: Session, cards: int) -> tuple[str, dict[str, object]]:
    result = session.finish()
    assert result.complete
    assert not result.written
    assert len(review_rows(db_path, session.id)) == cards
    row = session_row(db_path, session.id)
    assert row["written"] == 0 and row["complete"] == 1
    assert row["write_message"] == result.write_message
    return result.write_message, row


def test_refused_when_the_file_changed_during_the_session(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    file = vault / IAM
    session = start(db, vault, settings, clock)
    grade_all(session, G, clock)
    edited = file.read_bytes() + "- 편집기에서 한 줄 더\n".encode()  # saved by an editor meanwhile
    file.write_bytes(edited)
    message, row = _finish_refused(db_path, session, 5)
    assert file.read_bytes() == edited
    assert "changed on disk" in message
    assert row["outcome"] == "stage_passed"


def test_refused_for_broken_yaml_keeps_file_and_reviews(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    file = vault / BROKEN
    original = file.read_bytes()
    session = start(db, vault, settings, clock, note=BROKEN)
    assert not session.note.frontmatter_ok
    grade_all(session, G, clock)
    _finish_refused(db_path, session, 1)
    assert file.read_bytes() == original


def test_broken_yaml_message_says_why(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    session = start(db, vault, settings, clock, note=BROKEN)
    grade_all(session, G, clock)
    message, _ = _finish_refused(db_path, session, 1)
    assert message == (
        "깨진 노트.md: not written: its frontmatter could not be parsed, so its stages are "
        "unknown; the session counts as practice (reviews are kept)."
    )


def test_refused_for_a_mojibake_repaired_note(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = vault / IAM
    original = file.read_bytes()
    mojibake = decode_module.mojibake
    monkeypatch.setattr(mojibake, "may_be_mojibake", lambda raw: True, raising=False)
    monkeypatch.setattr(mojibake, "looks_like_mojibake", lambda text: True, raising=False)
    monkeypatch.setattr(
        mojibake,
        "repair",
        lambda text: types.SimpleNamespace(text=text, filled=0, unresolved=0, model="test"),
        raising=False,
    )
    session = start(db, vault, settings, clock)
    assert session.note.repaired
    grade_all(session, G, clock)
    message, row = _finish_refused(db_path, session, 5)
    assert file.read_bytes() == original
    assert "repaired" in message
    assert row["outcome"] == "stage_passed"


@pytest.mark.skipif(
    not (ROOT / "quiz" / "notes" / "mojibake" / "repair.py").exists(),
    reason="quiz/notes/mojibake/repair.py is not written yet",
)
def test_refused_for_the_real_mojibake_export(
    tmp_path: Path, db_path: Path, settings: Settings, clock: Clock
) -> None:
    vault = tmp_path / "seed"
    vault.mkdir()
    shutil.copyfile(SEED_NOTES / "aws-lambda.mojibake.md", vault / "aws-lambda.mojibake.md")
    file = vault / "aws-lambda.mojibake.md"
    original = file.read_bytes()
    database = open_db(db_path)
    try:
        scan(vault, database, settings)
        session = start(database, vault, settings, clock, note="aws-lambda.mojibake.md")
        assert session.note.repaired
        grade_all(session, G, clock)  # long-term is due: there is something to write
        message, _ = _finish_refused(db_path, session, len(session.cards))
    finally:
        database.close()
    assert file.read_bytes() == original
    assert "repaired" in message


def test_refused_for_a_read_only_file(
    vault: Path, db: Database, db_path: Path, settings: Settings, clock: Clock
) -> None:
    file = vault / IAM
    original = file.read_bytes()
    os.chmod(file, 0o444)
    try:
        session = start(db, vault, settings, clock)
        grade_all(session, G, clock)
        message, _ = _finish_refused(db_path, session, 5)
        assert file.read_bytes() == original
        assert stat.S_IMODE(file.stat().st_mode) == 0o444
        assert "read-only" in message
        # No temporary file left behind in the note's folder.
        assert sorted(p.name for p in file.parent.iterdir()) == sorted(
            p.name for p in (SAMPLE_NOTES / "AWS").iterdir()
        )
    finally:
        os.chmod(file, 0o644)
