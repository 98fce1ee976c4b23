"""The two kinds of session, where a session's cards come from, and the
learning rate Mastery shows.

- A drill is its own kind of session (``Drill``), not a note session built
  around a made-up note.
- A note session takes its cards, and so their ids, from the index; a note
  made or edited since the last scan is indexed first.
- Mastery's learning rate is the note's own formula (SPEC "Stages").
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.config import Settings
from quiz.schedule.stages import Grade
from quiz.session import DRILL_PATH, Drill, NoteSession, SessionError
from quiz.store import open_db
from quiz.store.index import scan
from quiz.store.queries import mastery
from quiz.study import Study

from .conftest import SAMPLE_NOTES

IAM = "AWS/IAM 정책.md"  # day 7 due on 2026-11-25, 5 cards
TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(SAMPLE_NOTES, target)
    return target


@pytest.fixture
def db(vault: Path, db_path: Path, settings: Settings) -> Iterator[Database]:
    database = open_db(db_path)
    scan(vault, database, settings)
    yield database
    database.close()


def study(db: Database, vault: Path, settings: Settings, *, write: bool = True) -> Study:
    return Study(db, vault, settings, TODAY, write=write, clock=lambda: NOW)


def grade_through(session: NoteSession | Drill, *grades: Grade) -> None:
    for g in grades or (Grade.GOOD,) * len(session.cards):
        session.grade(g)


def card_ids(db: Database, path: str) -> list[str]:
    rows = db.execute(
        "SELECT id FROM cards WHERE note_path = ? AND gone_at IS NULL ORDER BY ordinal", [path]
    )
    return [r[0] for r in rows]


NEW_NOTE = """\
---
과목: Biology
❤1일복습여부: false
🧡4일복습여부: false
💛7일복습여부: false
💚14일복습여부: false
🧠장기기억: false
---
## Cue Questions

- What does a ribosome make?
    - Proteins.
- Where is DNA kept?
    - In the nucleus.
"""


# -- the drill is its own kind ----------------------------------------------------


def test_the_drill_is_its_own_kind_of_session(
    db: Database, vault: Path, settings: Settings
) -> None:
    s = study(db, vault, settings, write=False)
    note = s.open(IAM)
    grade_through(note, Grade.AGAIN, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.GOOD)
    note.finish()

    drill = s.weakest()
    assert isinstance(drill, Drill) and not isinstance(drill, NoteSession)
    assert not hasattr(drill, "note")  # no made-up note stands in for the vault
    assert drill.title == "Weakest cards"
    assert drill.sections == {}
    assert drill.stage_due is None
    assert drill.reload() is None
    assert {c.note for c in drill.cards} == {IAM}
    assert drill.file_of(drill.cards[0]) == vault / IAM
    grade_through(drill)
    result = drill.finish()
    assert result.note is None and result.drill and result.title == "Weakest cards"
    assert result.complete and result.outcome is None and not result.written
    row = db.execute("SELECT note_path, complete FROM sessions ORDER BY id DESC").fetchone()
    assert row == (DRILL_PATH, 1)


def test_a_note_session_is_not_a_drill(db: Database, vault: Path, settings: Settings) -> None:
    session = study(db, vault, settings).open(IAM)
    assert isinstance(session, NoteSession) and not session.practice_only
    grade_through(session)
    result = session.finish()
    assert result.note is not None and result.note.path == IAM
    assert not result.drill and result.title == "IAM 정책"


def test_a_drill_without_history_cannot_start(
    db: Database, vault: Path, settings: Settings
) -> None:
    with pytest.raises(SessionError, match="needs some history"):
        Drill.weakest(db, vault, settings, today=TODAY, clock=lambda: NOW)


def test_a_drill_over_given_cards_keeps_their_order_and_changes_no_note(
    db: Database, vault: Path, settings: Settings
) -> None:
    # E.g. the cards a note session missed, drilled again after its Summary.
    note = study(db, vault, settings).open(IAM)
    picked = tuple(sorted(note.cards, key=lambda c: -c.ordinal)[:2])
    before = (vault / IAM).read_bytes()
    drill = Drill(db, vault, settings, picked, today=TODAY, clock=lambda: NOW, title="Missed cards")
    assert drill.cards == picked and drill.title == "Missed cards"
    grade_through(drill, Grade.AGAIN, Grade.GOOD)
    result = drill.finish()
    assert result.write_message == "Drill of the missed cards: practice only, no note is changed."
    assert (vault / IAM).read_bytes() == before
    graded = [r[0] for r in db.execute("SELECT card_id FROM reviews ORDER BY id")]
    assert graded == [c.id for c in picked]
    with pytest.raises(SessionError, match="needs cards"):
        Drill(db, vault, settings, (), today=TODAY, clock=lambda: NOW)


# -- cards come from the index ------------------------------------------------------


def test_a_session_takes_its_cards_from_the_index(
    db: Database, vault: Path, settings: Settings
) -> None:
    # The index's text, not a second parse of the file: an unchanged file is
    # not read for cards, so a row changed in the index shows.
    first = card_ids(db, IAM)[0]
    db.execute("UPDATE cards SET question = 'as the index has it' WHERE id = ?", [first])
    db.conn.commit()
    session = study(db, vault, settings).open(IAM)
    assert [c.id for c in sorted(session.cards, key=lambda c: c.ordinal)] == card_ids(db, IAM)
    assert "as the index has it" in {c.question for c in session.cards}


def test_the_second_of_two_same_named_notes_grades_its_own_cards(
    db: Database, vault: Path, settings: Settings
) -> None:
    twin = "Archive/IAM 정책.md"
    (vault / "Archive").mkdir()
    shutil.copyfile(vault / IAM, vault / twin)
    scan(vault, db, settings)
    theirs, ours = card_ids(db, IAM), card_ids(db, twin)
    assert len(ours) == len(theirs) == 5 and not set(ours) & set(theirs)

    session = study(db, vault, settings, write=False).open(twin)
    grade_through(session)
    graded = {r[0] for r in db.execute("SELECT card_id FROM reviews")}
    assert graded == set(ours)


def test_a_note_made_after_the_last_scan_is_indexed_first(
    db: Database, vault: Path, settings: Settings
) -> None:
    new = "Biology/Cells.md"
    (vault / "Biology").mkdir()
    (vault / new).write_text(NEW_NOTE, encoding="utf-8")
    assert card_ids(db, new) == []

    session = study(db, vault, settings, write=False).open(new)
    assert sorted(c.question for c in session.cards) == [
        "What does a ribosome make?",
        "Where is DNA kept?",
    ]
    assert sorted(c.id for c in session.cards) == sorted(card_ids(db, new))
    row = db.execute("SELECT card_count, subject FROM notes WHERE path = ?", [new]).fetchone()
    assert row == (2, "Biology")
    ids = card_ids(db, new)
    grade_through(session)
    assert session.finish().complete
    # The next scan finds the rows as it would have written them: the same
    # ids, so the grades stay on the note's cards.
    report = scan(vault, db, settings)
    assert report.problems == []
    assert card_ids(db, new) == ids
    graded = {r[0] for r in db.execute("SELECT card_id FROM reviews")}
    assert graded == set(ids)


def test_reload_after_an_edit_takes_the_new_cards_from_the_index(
    db: Database, vault: Path, settings: Settings
) -> None:
    session = study(db, vault, settings, write=False).open(IAM)
    session.grade(Grade.GOOD)
    path = vault / IAM
    text = path.read_text(encoding="utf-8")
    first = "- IAM 정책 문서(JSON)의 기본 구조는?"
    assert text.count(first) == 1
    added = "- 새로 추가한 질문은?\n    - 새 답.\n"
    path.write_text(text.replace(first, added + first), encoding="utf-8")

    assert session.reload() is None
    assert len(session.cards) == 6
    assert "새로 추가한 질문은?" in {c.question for c in session.cards}
    assert {c.id for c in session.cards} == set(card_ids(db, IAM))
    assert session.cards[0] == session.graded[0].card  # graded cards stay graded


# -- the learning rate ----------------------------------------------------------------


FINISHED = """\
---
과목: {subject}
❕첫 학습날: 2026-09-01
❤1일복습여부: true
🧡4일복습여부: true
💛7일복습여부: true
💚14일복습여부: true
🧠장기기억: true
{mirrors}---
## Cue Questions

- What is a {subject} card?
    - One question and its answer.
"""

#: The learner's template: numeric mirrors of every stage but day 14.
TEMPLATE_MIRRORS = (
    '"1일차복습여부1,0": "1"\n"4일차복습여부1,0": "1"\n'
    '"7일차복습여부1,0": "1"\n"장기기억저장여부1,0": "1"\n'
)


@pytest.mark.parametrize(
    ("mirrors", "rate"),
    [
        # The template has no day-14 mirror: its formula reads (1+1+1+1)/5.
        (TEMPLATE_MIRRORS, 0.8),
        # Without mirror fields: the passed stages / 5.
        ("", 1.0),
    ],
)
def test_mastery_reads_a_finished_note_by_its_own_formula(
    tmp_path: Path, db_path: Path, settings: Settings, mirrors: str, rate: float
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "done.md").write_text(
        FINISHED.format(subject="Finished", mirrors=mirrors), encoding="utf-8"
    )
    db = open_db(db_path)
    try:
        scan(vault, db, settings)
        (row,) = mastery(db, settings, TODAY, NOW)
    finally:
        db.close()
    assert row.name == "Finished" and row.notes == 1
    assert row.learning_rate == rate
    assert row.textbooks[0].learning_rate == rate


def test_rate_all_counts_every_stage_in_mastery_too(tmp_path: Path, db_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "done.md").write_text(
        FINISHED.format(subject="Finished", mirrors=TEMPLATE_MIRRORS), encoding="utf-8"
    )
    settings = Settings(rate="all")
    db = open_db(db_path)
    try:
        scan(vault, db, settings)
        (row,) = mastery(db, settings, TODAY, NOW)
    finally:
        db.close()
    assert row.learning_rate == 1.0
