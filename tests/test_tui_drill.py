"""The weakest-cards drill (`w`), the Today row cap, and inline question text."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.schedule.stages import Grade
from quiz.tui import quiz as quiz_module
from quiz.tui import today as today_module
from quiz.tui.inline import inline_text
from quiz.tui.notetable import NoteTable
from quiz.tui.quiz import QuizScreen
from quiz.tui.summary import SummaryScreen
from quiz.tui.today import TodayScreen

from .tui_snapshot_app import make_app, synchronous

IAM = "AWS/IAM 정책.md"


@synchronous
async def test_w_without_history_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, TodayScreen)
        assert any("needs some history" in str(n.message) for n in app._notifications)


@synchronous
async def test_w_drills_the_weakest_cards_without_touching_notes(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    vault = app.study.vault
    # History first: one card Again, the rest Good, in a practice session.
    session = replace(app.study, write=False).open(IAM)
    weakest = session.current
    assert weakest is not None
    session.grade(Grade.AGAIN)
    while session.current is not None:
        session.grade(Grade.GOOD)
    session.finish()
    before = (vault / IAM).read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert screen.session.practice_only
        assert screen.session.cards[0].id == weakest.id  # lowest recall first
        assert len(screen.session.cards) == 5
        for _ in range(5):
            await pilot.press("space", "3")
        assert isinstance(app.screen, SummaryScreen)
    assert (vault / IAM).read_bytes() == before
    drill = app.study.db.execute(
        "SELECT note_path, complete FROM sessions ORDER BY id DESC"
    ).fetchone()
    assert drill == ("*weakest*", 1)


@synchronous
async def test_today_shows_at_most_max_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(today_module, "MAX_ROWS", 2)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        due = app.screen.query_one("#due", NoteTable)
        assert due.row_count == 2
        title = str(app.screen.query_one("#today-title").render())
        assert title.startswith("Due today: 6 notes, 36 cards")
        assert "the 2 most overdue below" in title


def test_inline_question_text_is_styled_not_parsed_as_markup() -> None:
    text = inline_text("**굵게** and `code` [bold]x[/bold] [@click=app.quit]y[/] \x1b]52;c;x\x07z")
    assert text.plain == "굵게 and code [bold]x[/bold] [@click=app.quit]y[/] ]52;c;xz"
    assert [(s.start, s.end, str(s.style)) for s in text.spans][:2] == [
        (0, 2, "bold"),
        (7, 11, "reverse"),
    ]


@synchronous
async def test_edit_opens_the_cards_own_note_in_a_drill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    session = replace(app.study, write=False).open(IAM)
    while session.current is not None:
        session.grade(Grade.GOOD)
    session.finish()
    commands: list[list[str]] = []
    monkeypatch.setenv("EDITOR", "myeditor --wait")
    monkeypatch.setattr(quiz_module.subprocess, "run", lambda cmd, **_: commands.append(cmd))
    async with app.run_test(size=(80, 24)) as pilot:
        app.suspend = contextlib.nullcontext  # type: ignore[method-assign,assignment]
        await pilot.press("w")
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.session.practice_only
        card = screen.session.current
        assert card is not None
        await pilot.press("e")
    # A drill mixes notes: the editor opens the card's note, not the vault.
    assert commands == [["myeditor", "--wait", f"+{card.line}", str(app.study.vault / card.note)]]
