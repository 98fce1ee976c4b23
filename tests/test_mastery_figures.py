"""Mastery's figures made on a connection of their own, kept between visits, and
made ahead once the start-up scan is done."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from quiz.config import Settings
from quiz.schedule.stages import Grade
from quiz.session import NoteSession
from quiz.store.queries import live_notes
from quiz.study import Study
from quiz.tui import mastery as mastery_screen
from quiz.tui.app import Opening, QuizApp
from quiz.tui.mastery import (
    COMPUTING,
    KEEP,
    Figures,
    MasteryScreen,
    figures,
    figures_of_file,
    index_file,
    index_state,
    keep_figures,
    kept_figures,
)
from quiz.tui.today import TodayScreen

from .tui_snapshot_app import TODAY, copy_vault, fixed_clock, indexed_db, synchronous

real_figures_of_file = figures_of_file

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


# -- made ahead: after the start-up scan ---------------------------------------------


class Counted:
    """``figures_of_file`` counting its calls, held back until ``go`` is set."""

    def __init__(self, held: bool = False) -> None:
        self.calls = 0
        self.args: tuple[Any, ...] = ()
        self.go = threading.Event()
        if not held:
            self.go.set()

    def __call__(self, *args: Any) -> Figures:
        self.calls += 1
        self.args = args
        assert self.go.wait(10), "the test never let the figures be made"
        return real_figures_of_file(*args)


def scanning_app(tmp_path: Path) -> QuizApp:
    """The app as ``quiz study`` starts it: its scan (here a no-op: the
    index is up to date) in a worker after Today's first paint."""
    vault = copy_vault(tmp_path)
    db = indexed_db(tmp_path, vault)
    study = Study(db, vault, Settings(), TODAY, write=False, clock=fixed_clock)
    return QuizApp(study, opening=Opening(lambda: (db, [], []), has_index=True))


async def until(pilot: Any, condition: Any) -> None:
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("never came to pass")


async def made_ahead(pilot: Any, app: QuizApp, counted: Counted, calls: int) -> None:
    """Until the scan is done and the figures have been made ``calls`` times."""
    await until(pilot, lambda: not app.scanning)
    await until(pilot, lambda: counted.calls == calls and not mastery_screen._making)


def studied(app: QuizApp) -> NoteSession:
    """IAM studied through the session core, every card Good: a write."""
    s = app.study.open(IAM)
    for _ in s.cards:
        s.grade(Grade.GOOD, duration_ms=9000)
    s.finish()
    return s


def habit_line(app: QuizApp) -> str:
    return str(app.screen.query_one("#habit-line", Static).render())


@synchronous
async def test_the_first_visit_finds_the_figures_made_after_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted()
    monkeypatch.setattr(mastery_screen, "figures_of_file", counted)
    app = scanning_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await made_ahead(pilot, app, counted, 1)
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MasteryScreen) and screen.filled
        assert not [w for w in app.workers if w.group == "mastery-figures"]
        assert habit_line(app).startswith("Today: 0 reviews")
        assert counted.calls == 1


@synchronous
async def test_a_review_after_the_figures_were_made_ahead_is_in_the_first_visit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted()
    monkeypatch.setattr(mastery_screen, "figures_of_file", counted)
    app = scanning_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await made_ahead(pilot, app, counted, 1)
        s = studied(app)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MasteryScreen) and app.screen.filled)
        # Made again for the index as it is now, not the figures made ahead.
        assert counted.calls == 2
        assert habit_line(app).startswith(f"Today: {len(s.cards)} reviews")


@synchronous
async def test_a_visit_while_the_figures_are_made_waits_for_them_and_paints_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(held=True)
    monkeypatch.setattr(mastery_screen, "figures_of_file", counted)
    app = scanning_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: not app.scanning and mastery_screen._making)
        await pilot.press("m")
        # Not made within WAIT: the screen paints without them first.
        screen = app.screen
        assert isinstance(screen, MasteryScreen) and not screen.filled
        assert habit_line(app) == COMPUTING
        assert screen.query_one("#mastery-table", DataTable).row_count == 0
        counted.go.set()
        await until(pilot, lambda: screen.filled)
        assert habit_line(app).startswith("Today: 0 reviews")
        assert screen.query_one("#mastery-table", DataTable).row_count > 0
        # The visit waited for the figures being made: they were made once.
        assert counted.calls == 1


@synchronous
async def test_figures_are_made_ahead_again_when_today_comes_back_after_a_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted()
    monkeypatch.setattr(mastery_screen, "figures_of_file", counted)
    app = scanning_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await made_ahead(pilot, app, counted, 1)
        s = studied(app)
        app.refresh_today()  # what the app does when a session ends
        await made_ahead(pilot, app, counted, 2)
        # Made from the notes Today has just read, not read a second time.
        today = app.screen
        assert isinstance(today, TodayScreen) and today.notes
        assert counted.args[4] is today.notes
        await pilot.press("m")
        screen = app.screen
        # Filled at once, from the figures made while Today was shown.
        assert isinstance(screen, MasteryScreen) and screen.filled
        assert habit_line(app).startswith(f"Today: {len(s.cards)} reviews")
        assert counted.calls == 2
        # Once those have expired (five minutes), a visit makes them again,
        # still from the notes Today read: the index has not changed.
        await pilot.press("escape")
        mastery_screen._made.clear()
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MasteryScreen) and app.screen.filled)
        assert counted.calls == 3 and counted.args[4] is today.notes


def test_figures_from_the_notes_read_already_are_those_read_anew(tmp_path: Path) -> None:
    db = indexed_db(tmp_path, copy_vault(tmp_path))
    path = index_file(db)
    assert path is not None
    now = fixed_clock()
    anew = figures_of_file(path, Settings(), TODAY, now)
    given = figures_of_file(path, Settings(), TODAY, now, live_notes(db))
    assert given == anew and anew.rows
