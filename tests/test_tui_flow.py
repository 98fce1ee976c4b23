"""The session's flow in the app: Space grades Good, relearning, a run of
notes, re-drilling the missed cards, resuming, undo on the Summary.

Same deterministic app as ``test_tui.py``: a copy of ``sample_notes`` on
2026-11-25 with a frozen clock; AWS/IAM 정책 (day 7 due, five new cards, so
in the note's order) is the highlighted note on Today.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from quiz.config import Settings
from quiz.store.queries import due_notes
from quiz.store.writebacks import pending_writes
from quiz.tui.dialogs import ResumeScreen

from .test_tui import IAM, IAM_QUESTIONS, quiz, reviews, summary, text_of
from .tui_snapshot_app import TODAY, make_app, synchronous

SIZE = (80, 24)


@synchronous
async def test_space_reveals_then_grades_good_and_the_keys_line_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = quiz(app)
        await pilot.press("space")
        assert screen.revealed and reviews(app.study.db) == []
        assert "3/space Good" in text_of(screen.query_one("#keys-now"))
        await pilot.press("space")
        (row,) = reviews(app.study.db)
        assert row["grade"] == 3
        # The next card, its answer hidden: one Space reveals, it does not grade.
        assert text_of(screen.query_one("#question")) == IAM_QUESTIONS[1]
        assert not screen.revealed
        await pilot.press("space")
        assert screen.revealed and len(reviews(app.study.db)) == 1


async def grade(pilot: Pilot[Any], *grades: str) -> list[str]:
    """Reveal and grade the current card once per grade; the questions seen."""
    seen = []
    for key in grades:
        card = quiz(pilot.app).session.current  # type: ignore[arg-type]
        assert card is not None
        seen.append(card.question)
        await pilot.press("space", key)
    return seen


def log_events(vault: Path) -> list[dict[str, Any]]:
    """Every event of the vault's review log, in the order written."""
    return [
        json.loads(line)
        for path in sorted((vault / ".quiz" / "log").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


# -- relearning ----------------------------------------------------------------


@synchronous
async def test_again_cards_come_back_until_passed_and_first_grades_decide(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = quiz(app)
        q = IAM_QUESTIONS
        assert await grade(pilot, "1", "3", "1", "3", "3") == q
        # Not the Summary: the two missed cards come back, in the order missed.
        assert text_of(screen.query_one("#quiz-count")) == "again · 2 left"
        assert await grade(pilot, "1") == [q[0]]
        assert text_of(screen.query_one("#quiz-count")) == "again · 2 left"
        assert await grade(pilot, "2", "3") == [q[2], q[0]]

        result = summary(app)
        # The note's pass/fail counts first grades: 3 of 5 is below 0.8.
        assert result.lines["score"] == "Score: 3/5 (of 5 cards)"
        assert result.mood == "failed"
        assert result.lines["missed"] == f"• {q[0]}\n• {q[2]}"
        # Every grade is a review: they all feed the memory model.
        rows = reviews(app.study.db)
        cards = {c.question: c.id for c in screen.session.cards}
        assert [(r["card_id"], r["grade"]) for r in rows] == [
            (cards[q[0]], 1),
            (cards[q[1]], 3),
            (cards[q[2]], 1),
            (cards[q[3]], 3),
            (cards[q[4]], 3),
            (cards[q[0]], 1),
            (cards[q[2]], 2),
            (cards[q[0]], 3),
        ]
        (session,) = app.study.db["sessions"].rows
        assert session["complete"] == 1 and session["passed"] == 0


@synchronous
async def test_undo_of_an_again_takes_its_card_out_of_the_relearning(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await grade(pilot, "3", "3", "3", "3", "1")
        screen = quiz(app)
        assert text_of(screen.query_one("#quiz-count")) == "again · 1 left"
        await pilot.press("u")
        assert text_of(screen.query_one("#quiz-count")) == "5/5"
        await grade(pilot, "3")
        assert summary(app).lines["score"] == "Score: 5/5 (of 5 cards)"


# -- re-drill --------------------------------------------------------------------


@synchronous
async def test_r_on_the_summary_redrills_the_missed_cards_as_practice(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    note_file = app.study.vault / IAM
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await grade(pilot, "2", "1", "3", "3", "1", "3", "3")
        done = summary(app)
        assert done.mood == "failed"
        after_session = note_file.read_bytes()
        stages = app.study.db["notes"].get(IAM)["stages"]

        await pilot.press("r")
        drill = quiz(app)
        assert [c.question for c in drill.session.cards] == [IAM_QUESTIONS[1], IAM_QUESTIONS[4]]
        assert drill.session.practice_only
        assert text_of(drill.query_one("#quiz-title")).endswith("· 2 cards · practice")
        assert await grade(pilot, "3", "1", "3") == [
            IAM_QUESTIONS[1],
            IAM_QUESTIONS[4],
            IAM_QUESTIONS[4],
        ]
        redone = summary(app)
        assert redone.lines["score"] == "Score: 1/2 (of 2 cards)"
        # Practice: the note and its stages are as the session left them.
        assert note_file.read_bytes() == after_session
        assert app.study.db["notes"].get(IAM)["stages"] == stages
        assert len(reviews(app.study.db)) == 7 + 3


@synchronous
async def test_nothing_to_redrill_when_nothing_was_missed(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await grade(pilot, "3", "3", "3", "3", "3")
        done = summary(app)
        await pilot.press("r")
        assert app.screen is done


# -- resume ------------------------------------------------------------------------

VM = "운영체제/가상 메모리.md"  # day 14 due, 7 cards


@synchronous
async def test_resume_after_quitting_at_card_3_of_7(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.start_notes([VM])
        await pilot.pause()
        first = quiz(app)
        order = [c.id for c in first.session.cards]
        assert len(order) == 7
        await grade(pilot, "3", "1")
        assert text_of(first.query_one("#quiz-count")) == "3/7"
        await pilot.press("q")
        assert summary(app).lines["score"] == "Score: 1/2 (of 7 cards)"
        await pilot.press("enter")

        app.start_notes([VM])
        await pilot.pause()
        offer = app.screen
        assert isinstance(offer, ResumeScreen)
        assert text_of(offer.query_one("#resume-text")) == (
            "You graded 2 of 7 cards earlier today. Resume at card 3? "
            "The grades you gave are kept either way."
        )
        await pilot.press("y")
        again = quiz(app)
        assert again.session.id == first.session.id  # the same session goes on
        assert again.session.current is not None and again.session.current.id == order[2]
        assert text_of(again.query_one("#quiz-count")) == "3/7"
        # The five left, then the card missed before quitting.
        await grade(pilot, "3", "3", "3", "3", "3")
        assert again.session.current is not None and again.session.current.id == order[1]
        await grade(pilot, "3")
        result = summary(app)
        assert result.lines["score"] == "Score: 6/7 (of 7 cards)"
        assert result.mood == "passed"
        (session,) = app.study.db["sessions"].rows
        assert session["complete"] == 1 and session["graded"] == 8
        assert [r["card_id"] for r in reviews(app.study.db)] == [*order, order[1]]


@synchronous
async def test_declining_to_resume_starts_over_and_keeps_the_old_grades(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.start_notes([VM])
        await pilot.pause()
        await grade(pilot, "3", "3")
        await pilot.press("q", "enter")
        app.start_notes([VM])
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("n")
        fresh = quiz(app)
        assert fresh.session.position == 0 and text_of(fresh.query_one("#quiz-count")) == "1/7"
        assert app.study.db["sessions"].count == 2
        assert len(reviews(app.study.db)) == 2


@synchronous
async def test_no_offer_to_resume_a_finished_note_or_another_days(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.start_notes([VM])
        await pilot.pause()
        await grade(pilot, *"3333333")
        await pilot.press("enter")
        app.start_notes([VM])
        await pilot.pause()
        assert quiz(app).session.position == 0


# -- undo on the Summary -------------------------------------------------------------


@synchronous
async def test_undo_on_the_summary_restores_the_notes_bytes_and_the_stage(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    note_file = app.study.vault / IAM
    before = note_file.read_bytes()
    row_before = app.study.db["notes"].get(IAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await grade(pilot, "3", "3", "3", "3", "4")
        passed = summary(app)
        assert passed.mood == "passed" and passed.result.written
        written = note_file.read_bytes()
        assert written != before

        await pilot.press("u")
        screen = quiz(app)
        assert screen.session.current is not None
        assert screen.session.current.question == IAM_QUESTIONS[4]
        assert text_of(screen.query_one("#quiz-count")) == "5/5"
        assert note_file.read_bytes() == before
        assert app.study.db["notes"].get(IAM) == row_before  # stages, rate, 복습, mtime
        assert len(reviews(app.study.db)) == 4
        (session,) = app.study.db["sessions"].rows
        assert session["complete"] == 0 and session["outcome"] is None
        assert session["finished_at"] is None
        events = log_events(app.study.vault)
        assert [e["kind"] for e in events[-3:]] == ["session", "undo", "session"]
        assert events[-2]["undoes"] == events[4]["id"] and events[4]["grade"] == 4
        assert events[-1]["complete"] == 0 and events[-1]["outcome"] is None

        # Graded again, the stage passes again and the note is written again.
        await grade(pilot, "3")
        assert summary(app).mood == "passed"
        assert note_file.read_bytes() == written
        assert [r["grade"] for r in reviews(app.study.db)] == [3, 3, 3, 3, 3]


@synchronous
async def test_undo_on_the_summary_refuses_over_an_edit_made_since(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    note_file = app.study.vault / IAM
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await grade(pilot, "3", "3", "3", "3", "3")
        passed = summary(app)
        edited = note_file.read_bytes() + "\n나중에 적은 메모\n".encode()
        note_file.write_bytes(edited)
        await pilot.press("u")
        assert app.screen is passed  # nothing undone
        assert note_file.read_bytes() == edited
        assert len(reviews(app.study.db)) == 5
        assert app.study.db["sessions"].get(passed.session.id)["complete"] == 1  # type: ignore[union-attr]
        (note,) = [n for n in app._notifications]
        assert note.title == "Not undone"
        assert note.message == (
            f"{IAM}: not undone: it changed on disk since quiz wrote it; "
            "the grade and the stage stay."
        )


@synchronous
async def test_undo_on_the_summary_drops_a_pending_write_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    note_file = app.study.vault / IAM
    before = note_file.read_bytes()
    note_file.chmod(0o444)  # the pass cannot be written: it waits, pending
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await grade(pilot, "3", "3", "3", "3", "3")
            done = summary(app)
            assert done.mood == "passed" and not done.result.written
            assert IAM in pending_writes(app.study.db)
            await pilot.press("u")
            quiz(app)
            assert pending_writes(app.study.db) == {}
            assert IAM in [d.note.path for d in due_notes(app.study.db, Settings(), TODAY)]
            assert note_file.read_bytes() == before
    finally:
        note_file.chmod(0o644)
