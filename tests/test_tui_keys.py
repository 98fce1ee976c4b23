"""The quiz's grade keys with their intervals, and the typed answer's box and diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input

from quiz.schedule.memory import format_interval
from quiz.tui.dialogs import TextScreen
from quiz.tui.quiz import KEYS_HIDDEN, KEYS_TYPING

from .test_tui import IAM, SIZE, grade_all, quiz, summary, text_of, type_text
from .tui_snapshot_app import NOW, make_app, synchronous

#: A card never reviewed: FSRS's default learning steps (1 and 10 minutes;
#: Hard halfway between, 5.5 minutes) and Easy's first stability (8.3 days).
NEW_CARD_KEYS = "1 Again 1m · 2 Hard 6m · 3/space Good 10m · 4 Easy 8d · u undo"


@synchronous
async def test_grade_keys_say_when_the_card_comes_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = quiz(app)
        assert screen.session.note.path == IAM
        keys = screen.query_one("#keys-now")
        assert text_of(keys) == KEYS_HIDDEN.plain
        await pilot.press("space")
        assert text_of(keys) == NEW_CARD_KEYS
        await grade_all(pilot, ["3"] * len(screen.session.cards))
        summary(app)
        await pilot.press("escape")

        # The same note again: now each card has a memory state, and the
        # interval on the key is the one that grade gives.
        app.start_notes([IAM])
        await pilot.pause()
        screen = quiz(app)
        card = screen.session.current
        assert card is not None
        await pilot.press("space")
        shown = text_of(screen.query_one("#keys-now"))
        assert shown != NEW_CARD_KEYS
        await pilot.press("4")
        (due,) = app.study.db.execute("SELECT due FROM memory WHERE card_id = ?", [card.id])
        after = dt.datetime.fromisoformat(due[0]) - NOW
        assert f"4 Easy {format_interval(after)} · u undo" in shown


@synchronous
async def test_typed_answer_shows_a_word_diff_against_the_bold_part(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "t")
        screen = quiz(app)
        # Card 1's bold part is "Effect / Action / Resource" (after a JSON block).
        await type_text(pilot, "Version Effect Acton")
        await pilot.press("enter")
        hint = screen.query_one("#hint")
        # Effect (6 letters) right, Acton for Action (5 of 6), Resource (8) missing:
        # (6 + 5) / 20.
        assert text_of(hint) == (
            "Your answer is 55% like the answer's bold part\nVersion Effect Acton→Action Resource"
        )
        content = hint.visual
        styles = {content.plain[s.start : s.end]: str(s.style) for s in content.spans}
        assert styles["Version"] == "$foreground-muted strike"
        assert styles["Effect"] == "$success"
        assert styles["Acton"] == "$warning strike" and styles["Action"] == "$warning bold"
        assert styles["Resource"] == "$error underline"
        await pilot.press("3")
        (row,) = app.study.db["reviews"].rows
        assert row["similarity"] == 0.55


@synchronous
async def test_escape_leaves_the_answer_box_and_keys_work_again(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "t")
        screen = quiz(app)
        box = screen.query_one("#typed", Input)
        keys = screen.query_one("#keys-now")
        assert app.focused is box and text_of(keys) == KEYS_TYPING.plain
        await type_text(pilot, "cue")  # c and e are keys, but not in the box
        assert box.value == "cue" and app.screen is screen
        await pilot.press("escape")
        assert app.focused is not box and box.value == "cue"  # what was typed stays
        assert text_of(keys) == KEYS_HIDDEN.plain and not screen.revealed
        await pilot.press("c")  # a key again: the notes section
        assert isinstance(app.screen, TextScreen)
        await pilot.press("escape", "t")
        await type_text(pilot, "s")  # back in the box, typing goes on
        assert box.value == "cues"
        await pilot.press("space")
        assert box.value == "cues " and not screen.revealed
        await pilot.press("escape", "space")
        assert screen.revealed and "Your answer is" in text_of(screen.query_one("#hint"))


@synchronous
async def test_hangul_typed_on_the_question_starts_the_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "space", "3")  # on to card 2: 명시적 Deny가 항상 이긴다
        screen = quiz(app)
        box = screen.query_one("#typed", Input)
        assert app.focused is not box
        await pilot.press("명")
        assert app.focused is box and box.value == "명"
        await type_text(pilot, "시적 Deny가 이긴다")
        await pilot.press("enter")
        assert screen.revealed
        assert text_of(screen.query_one("#hint")).endswith("명시적 Deny가 항상 이긴다")
        # After the reveal Hangul is no key and types nothing.
        await pilot.press("한")
        assert box.value == "명시적 Deny가 이긴다" and app.focused is not box
