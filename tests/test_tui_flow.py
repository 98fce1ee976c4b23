"""The session's flow in the app: Space grades Good, relearning, a run of
notes, re-drilling the missed cards, resuming, undo on the Summary.

Same deterministic app as ``test_tui.py``: a copy of ``sample_notes`` on
2026-11-25 with a frozen clock; AWS/IAM 정책 (day 7 due, five new cards, so
in the note's order) is the highlighted note on Today.
"""

from __future__ import annotations

from pathlib import Path

from .test_tui import IAM, IAM_QUESTIONS, quiz, reviews, text_of
from .tui_snapshot_app import make_app, synchronous

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
        assert row["grade"] == 3 and row["note_path"] == IAM
        # The next card, its answer hidden: one Space reveals, it does not grade.
        assert text_of(screen.query_one("#question")) == IAM_QUESTIONS[1]
        assert not screen.revealed
        await pilot.press("space")
        assert screen.revealed and len(reviews(app.study.db)) == 1
