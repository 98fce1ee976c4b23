"""Relearning, resume and undo on the Summary, in the session core and in
the review log: an index rebuilt from the log holds the same history."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.config import Settings
from quiz.schedule.stages import Grade
from quiz.session import NoteSession
from quiz.store import open_db
from quiz.study import Study

from .test_review_log import IAM, START, TODAY, Clock, history, indexed, stats

A, G = Grade.AGAIN, Grade.GOOD


def test_resumed_relearned_and_undone_sessions_rebuild_from_the_log(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    tmp_path: Path,
) -> None:
    db_path = indexed(vault, tmp_path / "db.sqlite3")
    note = vault / IAM
    original = note.read_bytes()
    db = open_db(db_path)
    try:
        clock = Clock(START)
        study = Study(db, vault, Settings(), TODAY, clock=clock)
        assert study.unfinished(IAM) is None
        left = study.open(IAM)
        left.grade(A)
        left.grade(G)
        assert not left.finish().complete

        found = study.unfinished(IAM)
        assert found is not None and (found.graded, found.total) == (2, 5)
        resumed = study.open(IAM, resume=True)
        assert isinstance(resumed, NoteSession)
        assert resumed.id == left.id and resumed.uid == left.uid and resumed.position == 2
        first = left.cards[0]
        for _ in range(3):
            resumed.grade(G)
        assert resumed.current == first  # missed before quitting, back now
        resumed.grade(G)
        result = resumed.finish()
        assert result.complete and result.passed and result.written
        assert (result.correct, len(result.first), len(result.graded)) == (4, 5, 6)
        assert study.unfinished(IAM) is None
        written = note.read_bytes()

        # Undo on the Summary: the note as it was, the session open again.
        assert resumed.undo() == first
        assert note.read_bytes() == original and resumed.result is None
        resumed.grade(G)
        assert resumed.finish().written and note.read_bytes() == written
    finally:
        db.close()

    before = history(db_path)
    ((*_, graded, complete, passed, outcome), *_) = [s[:9] for s in before["sessions"]]
    assert (graded, complete, passed, outcome) == (6, 1, 1, "stage_passed")
    live, _ = stats(capsys, monkeypatch, vault, db_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    rebuilt, err = stats(capsys, monkeypatch, vault, db_path)
    assert err == "" and rebuilt == live
    assert history(db_path) == before


def test_undo_after_the_summary_is_refused_over_a_later_edit(vault: Path, tmp_path: Path) -> None:
    from quiz.session import UndoRefused

    db_path = indexed(vault, tmp_path / "db.sqlite3")
    note = vault / IAM
    db = open_db(db_path)
    try:
        session = Study(db, vault, Settings(), TODAY, clock=Clock(START)).open(IAM)
        for _ in session.cards:
            session.grade(G)
        assert session.finish().written
        edited = note.read_bytes().replace(b"\n", b"\r\n")
        note.write_bytes(edited)
        with pytest.raises(UndoRefused, match="changed on disk since quiz wrote it"):
            session.undo()
        # Nothing undone: the grade, the outcome, the file.
        assert note.read_bytes() == edited
        assert session.result is not None and session.position == 5
        assert db["sessions"].get(session.id)["complete"] == 1
        assert db["reviews"].count == 5
    finally:
        db.close()
