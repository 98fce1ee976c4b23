"""Mastery's figures made on a connection of their own, and kept between visits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from quiz.config import Settings
from quiz.schedule.stages import Grade
from quiz.study import Study
from quiz.tui.mastery import (
    KEEP,
    figures,
    figures_of_file,
    index_file,
    index_state,
    keep_figures,
    kept_figures,
)

from .tui_snapshot_app import TODAY, copy_vault, fixed_clock, indexed_db

IAM = "AWS/IAM 정책.md"


def test_figures_of_the_file_are_those_of_the_app_connection(tmp_path: Path) -> None:
    db = indexed_db(tmp_path, copy_vault(tmp_path))
    study = Study(db, tmp_path / "vault", Settings(), TODAY, write=False, clock=fixed_clock)
    s = study.open(IAM)
    for _ in s.cards:
        s.grade(Grade.GOOD, duration_ms=9000)
    s.finish()
    path = index_file(db)
    assert path == tmp_path / "db.sqlite3"
    now = fixed_clock()
    own = figures_of_file(path, Settings(), TODAY, now)
    assert own == figures(db, Settings(), TODAY, now)
    assert own.habits.work.reviews == len(s.cards)
    assert sum(row.notes for row in own.rows) == 14


def test_the_index_state_changes_with_each_write(tmp_path: Path) -> None:
    db = indexed_db(tmp_path, copy_vault(tmp_path))
    before = index_state(db)
    assert index_state(db) == before
    db.execute("UPDATE notes SET title = title || '' WHERE path = ?", [IAM])
    db.conn.commit()
    assert index_state(db) != before


def test_kept_figures_are_for_the_same_key_and_a_few_minutes(tmp_path: Path) -> None:
    db = indexed_db(tmp_path, copy_vault(tmp_path))
    now = fixed_clock()
    made = figures(db, Settings(), TODAY, now)
    key = (tmp_path / "db.sqlite3", TODAY, 7, 1, 2)
    keep_figures(key, now, made)
    assert kept_figures(key, now + dt.timedelta(minutes=1)) is made
    assert kept_figures(key, now + KEEP) is None
    assert kept_figures(key, now - dt.timedelta(seconds=1)) is None  # the clock went back
    assert kept_figures((key[0], TODAY, 7, 1, 3), now) is None
    assert kept_figures((key[0], TODAY + dt.timedelta(days=1), 7, 1, 2), now) is None
