"""How the screens look, at 80x24 and 120x40 (pytest-textual-snapshot).

The app comes from ``tui_snapshot_app.make_app``: fixed day and clock, a fresh
database, the vault always in a folder named ``vault``; nothing on these
screens has a blinking cursor. Regenerate after a deliberate change with
``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from .tui_snapshot_app import make_app, mastery_filled, study_highlighted

SnapCompare = Callable[..., bool]

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

#: Enter starts IAM 정책 (the highlighted due note, 5 cards).
START = ("enter",)
REVEAL = (*START, "space")


async def session(pilot: Pilot[Any]) -> None:
    """IAM 정책: Good, Easy, Hard, Good, Again: 4 of 5, the day-7 stage passes."""
    await study_highlighted(pilot, "34231")


@pytest.mark.parametrize("size", SIZES)
def test_today(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_question(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), press=START, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_revealed(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), press=REVEAL, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), run_before=session, terminal_size=size)


async def session_then_mastery(pilot: Pilot[Any]) -> None:
    """The session above, then Mastery with its figures."""
    await session(pilot)
    await pilot.press("m")
    await mastery_filled(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_mastery(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    # After the session, so the 7d/30d accuracy and recall columns have figures.
    assert snap_compare(make_app(tmp_path), run_before=session_then_mastery, terminal_size=size)


#: Card 2 (명시적 Deny가 항상 이긴다.), answered with a word left out, one vowel
#: off and a word more: typing in Hangul starts the answer.
TYPED = (*START, "space", "3", *("space" if c == " " else c for c in "명시적 Deny가 이겼다 정말"))


@pytest.mark.parametrize("size", SIZES)
def test_quiz_typed_answer_diff(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(tmp_path), press=(*TYPED, "enter"), terminal_size=size)


def test_quiz_typing(snap_compare: SnapCompare, tmp_path: Path) -> None:
    # The answer box has the focus: the keys line says Enter and Esc.
    assert snap_compare(make_app(tmp_path), press=TYPED, terminal_size=(80, 24))


def test_subject_notes_next_column(snap_compare: SnapCompare, tmp_path: Path) -> None:
    # AWS's notes after the session: IAM's next stage and day, the others'.
    app = make_app(tmp_path)
    assert snap_compare(app, run_before=session, press=["m", "enter"], terminal_size=(80, 24))


#: A note due on the snapshot day whose one cue is bare: its answer comes
#: from the notes section, and the quiz says so under the answer.
BARE_CUE_NOTE = """\
---
first_studied: 2026-11-24
subject: 운영체제
review_1d: false
---
# 단서 질문
- **[bold]Check Mode[/bold]를 쓰는 이유는?**
---
# 핵심 필기
## Check Mode [not markup]
- `--check`는 변경 없이 결과를 **미리** 본다.
"""


def test_quiz_revealed_answer_from_the_notes(snap_compare: SnapCompare, tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "점검.md").write_text(BARE_CUE_NOTE, encoding="utf-8")
    app = make_app(tmp_path / "app", source=source)
    assert snap_compare(app, press=REVEAL, terminal_size=(80, 24))


#: A note written as Obsidian users write: Korean bold next to brackets,
#: highlights, math, callouts (one of an unknown type with markup-like text
#: in its title), task boxes and an embedded image.
RENDER_VAULT = Path(__file__).parent / "fixtures" / "render_vault"


async def obsidian_answer(pilot: Pilot[Any]) -> None:
    """The S3 note's answer, revealed."""
    pilot.app.start_notes(["S3 내구성.md"])  # type: ignore[attr-defined]
    await pilot.pause()
    await pilot.press("space")


@pytest.mark.parametrize("size", SIZES)
def test_answer_as_obsidian_shows_it(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, source=RENDER_VAULT)
    assert snap_compare(app, run_before=obsidian_answer, terminal_size=size)


#: Practice before the snapshot day: (days back, note), a second card
#: graded Again each time. 11-19 is missed, so the longest run (11-10 to
#: 11-18, 9 days) is behind and the current one (11-20 to today, 6 days)
#: ends with today's session: "Streak: 6 days (longest 9)".
HISTORY = [
    (15, "AWS/SQS와 SNS.md"),
    *[(back, "운영체제/CPU 스케줄링.md") for back in (14, 12, 10, 8)],
    *[(back, "AWS/CloudFormation.md") for back in (13, 11, 9, 7)],
    *[(back, "운영체제/동기화.md") for back in (5, 4, 3, 2, 1)],
]


async def a_habit(pilot: Pilot[Any]) -> None:
    """The history above (write-back off, so the notes stay as they are),
    today's IAM session, then Mastery."""
    import datetime as dt

    from quiz.schedule.stages import Grade
    from quiz.study import Study

    study = pilot.app.study  # type: ignore[attr-defined]
    for back, path in HISTORY:
        day = study.today - dt.timedelta(days=back)
        at = dt.datetime.combine(day, dt.time(20, 15), tzinfo=dt.UTC)
        past = Study(
            study.db, study.vault, study.settings, day, write=False, clock=lambda at=at: at
        )
        s = past.open(path)
        for k in range(len(s.cards)):
            s.grade(Grade.AGAIN if k == 1 else Grade.GOOD, duration_ms=12_000)
        s.finish()
    await session(pilot)
    await pilot.press("m")
    await mastery_filled(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_mastery_with_a_habit(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(tmp_path), run_before=a_habit, terminal_size=size)
