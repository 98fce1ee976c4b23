"""``quiz study`` paints Today from the index as it is, then scans in a worker.

The app is built as ``quiz study`` builds it (``Opening``, a read-only
connection to the index, ``refresh_quietly`` in the worker); the worker is
held back by an event so the tests see the screen before and after the scan.
"""

from __future__ import annotations

import argparse
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static

from quiz.cli import main
from quiz.cli.common import refresh_quietly
from quiz.cli.store import close_stores
from quiz.config import Settings
from quiz.notes.reader import MAX_NOTE_BYTES
from quiz.store.schema import open_reader
from quiz.study import Study
from quiz.tui.app import Opening, QuizApp
from quiz.tui.notetable import NoteTable
from quiz.tui.quiz import QuizScreen
from quiz.tui.today import TodayScreen

from .tui_snapshot_app import TODAY, copy_vault, fixed_clock, synchronous

SIZE = (100, 30)
IAM = "AWS/IAM 정책.md"

NEW_NOTE = """\
---
복습: 1일 복습
---
# 새 노트

### 단서 질문
- 새로 만든 노트의 질문은?
    - 새로 만든 노트의 답.
"""


class Held:
    """``refresh_quietly`` in the worker, run only once the test lets it."""

    def __init__(self, args: argparse.Namespace, settings: Settings) -> None:
        self.go = threading.Event()
        self.args, self.settings = args, settings

    def __call__(self) -> Any:
        assert self.go.wait(10), "the test never let the scan run"
        return refresh_quietly(self.args, self.settings)


def too_big(path: Path) -> None:
    """A note the scan refuses (sparse: no bytes written)."""
    with path.open("wb") as fh:
        fh.truncate(MAX_NOTE_BYTES + 1)


def study_app(vault: Path, db: Path) -> tuple[QuizApp, Held, sqlite3.Connection]:
    """The app as ``quiz study`` makes it, its scan held back, and its first connection."""
    settings = Settings()
    args = argparse.Namespace(vault=vault, db=db)
    reader = open_reader(db)
    first = reader if reader is not None else sqlite3.connect(":memory:")
    held = Held(args, settings)
    study = Study(first, vault, settings, TODAY, clock=fixed_clock)  # type: ignore[arg-type]
    app = QuizApp(study, opening=Opening(held, has_index=reader is not None))
    return app, held, first


async def scanned(app: QuizApp, pilot: Any) -> None:
    for _ in range(500):
        if not app.scanning:
            break
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert not app.scanning


def rows(app: QuizApp, table: str = "#due") -> list[str]:
    grid = app.screen.query_one(table, NoteTable)
    return [grid.row(key)[1] for key in grid.keys]


def title(app: QuizApp) -> str:
    return str(app.screen.query_one("#today-title", Static).render())


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the sample vault and its index, as a earlier run left them."""
    vault = copy_vault(tmp_path)
    db = tmp_path / "db.sqlite3"
    assert main(["scan", str(vault), "--db", str(db)]) == 0
    return vault, db


@pytest.fixture(autouse=True)
def _close_indexes() -> Any:
    yield
    close_stores()  # what the command does when the app ends


@synchronous
async def test_today_is_painted_from_the_index_before_the_scan_then_refreshed(
    indexed: tuple[Path, Path],
) -> None:
    vault, db = indexed
    (vault / "새 노트.md").write_text(NEW_NOTE, encoding="utf-8")  # after the last scan
    app, held, first = study_app(vault, db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert app.scanning and "scanning…" in app.sub_title
        before = rows(app, "#new")
        assert before and "새 노트" not in before  # the index as it was
        held.go.set()
        await scanned(app, pilot)
        assert "scanning" not in app.sub_title
        assert "새 노트" in rows(app, "#new")
        assert app.study.db is not first  # sessions now write through the store
    first.close()


@synchronous
async def test_a_first_run_says_it_is_scanning_then_fills_today(tmp_path: Path) -> None:
    vault = copy_vault(tmp_path)
    db = tmp_path / "db.sqlite3"
    app, held, first = study_app(vault, db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert title(app) == f"Scanning the notes of {vault}…"
        assert rows(app) == [] and rows(app, "#new") == []
        held.go.set()
        await scanned(app, pilot)
        assert title(app).startswith("Due today:")
        assert rows(app)
    first.close()
    assert db.exists()


@synchronous
async def test_a_note_chosen_while_scanning_opens_when_the_scan_is_done(
    indexed: tuple[Path, Path],
) -> None:
    vault, db = indexed
    app, held, first = study_app(vault, db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.start_notes([IAM])
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)  # no session on the read-only index
        assert any("when the scan is done" in str(n.message) for n in app._notifications)
        held.go.set()
        await scanned(app, pilot)
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.session.note.path == IAM
    first.close()


@synchronous
async def test_what_the_scan_finds_wrong_is_shown_and_kept_for_stderr(
    indexed: tuple[Path, Path],
) -> None:
    vault, db = indexed
    too_big(vault / "큰 노트.md")
    app, held, first = study_app(vault, db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        held.go.set()
        await scanned(app, pilot)
        assert any("큰 노트.md" in line for line in app.scan_problems), app.scan_problems
        shown = [str(n.message) for n in app._notifications]
        assert any("큰 노트.md" in m for m in shown), shown
    first.close()


def test_quiz_study_prints_the_scan_problems_after_the_app(
    indexed: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault, db = indexed
    too_big(vault / "큰 노트.md")

    async def scan_then_quit(app: QuizApp) -> None:
        async with app.run_test(size=SIZE) as pilot:
            await scanned(app, pilot)
            await pilot.press("q")

    def headless(self: QuizApp) -> None:
        import asyncio

        asyncio.run(scan_then_quit(self))

    monkeypatch.setattr(QuizApp, "run", headless)
    assert main(["study", str(vault), "--db", str(db), "--today", "2026-11-25"]) == 0
    err = capsys.readouterr().err
    assert "큰 노트.md" in err


def test_an_index_that_cannot_be_used_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = copy_vault(tmp_path)
    db = tmp_path / "a folder"
    db.mkdir()  # where the index file should be

    def headless(self: QuizApp) -> object:
        return App.run(self, headless=True, size=SIZE)

    monkeypatch.setattr(QuizApp, "run", headless)
    code = main(["study", str(vault), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"quiz: the index {db} is a folder, not a file; move it away or pass --db PATH\n"


def test_the_reader_refuses_what_open_db_must_handle_first(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    assert open_reader(db) is None  # none yet
    db.write_bytes(b"not a database at all, just some bytes" * 200)
    assert open_reader(db) is None  # damaged: open_db moves it aside
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()
    assert open_reader(db) is None  # an old schema: open_db migrates it first


def test_the_reader_cannot_write(indexed: tuple[Path, Path]) -> None:
    _, db = indexed
    reader = open_reader(db)
    assert reader is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("DELETE FROM notes")
    reader.close()


@synchronous
async def test_pending_write_backs_are_written_by_the_worker_and_said(
    indexed: tuple[Path, Path],
) -> None:
    from quiz.store import open_db

    from .test_pending_writeback import APPLIED, refused_read_only

    vault, db = indexed
    store = open_db(db)
    refused_read_only(store, vault, Settings())  # a day-7 pass waits to be written
    store.close()
    app, held, first = study_app(vault, db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert not [n for n in app._notifications if n.title == "Pending write-back"]
        held.go.set()
        await scanned(app, pilot)
        shown = [str(n.message) for n in app._notifications if n.title == "Pending write-back"]
        assert shown == [APPLIED]
    first.close()
    assert "💛7일복습여부: true" in (vault / IAM).read_text(encoding="utf-8")
