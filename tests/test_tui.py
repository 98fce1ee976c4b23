"""The TUI driven as a learner drives it: keys in, screens, notes and the store out.

Every test runs ``QuizApp`` on a fresh copy of ``sample_notes/`` (see
``tui_snapshot_app.py``) on 2026-11-25 with a frozen clock, so what is due, the
order of the cards and every stamp in the database are the same on every run.
On that day six notes are due (most overdue first): 교착상태 (day 4, 7 days
late), 비즈니스 영어 표현 (long-term, 6 late), 가상 메모리 (day 14, 1 late),
프로세스와 스레드 (day 4, 1 late), IAM 정책 (day 7) and S3 스토리지 클래스 (day 1).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from sqlite_utils import Database
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from quiz.config import Settings
from quiz.schedule.stages import Grade
from quiz.store.queries import due_notes
from quiz.tui.answer import AnswerView
from quiz.tui.app import QuizApp
from quiz.tui.dialogs import HelpScreen, TextScreen
from quiz.tui.mastery import MasteryScreen, SubjectScreen
from quiz.tui.notetable import NoteTable
from quiz.tui.quiz import QuizScreen
from quiz.tui.summary import SummaryScreen
from quiz.tui.today import TodayScreen

from .tui_snapshot_app import (
    SAMPLE_NOTES,
    TODAY,
    make_app,
    mastery_filled,
    screen_text,
    study_highlighted,
    synchronous,
)

SIZE = (80, 24)
IAM = "AWS/IAM 정책.md"
#: Its cards as the quiz shows them, written out from the note by hand: all
#: new, so in the note's order; answers dedented, wikilinks made app links.
IAM_QUESTIONS = [
    "IAM 정책 문서(JSON)의 기본 구조는?",
    "명시적 Deny와 Allow가 충돌하면 어떻게 되는가?",
    "IAM User와 IAM Role의 차이는?",
    "최소 권한 원칙(Least Privilege)을 지키는 방법은?",
    "리소스 기반 정책(Resource-based policy)이란?",
]
IAM_ANSWERS = [
    """```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowReadReports",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": [
        "arn:aws:s3:::team-reports",
        "arn:aws:s3:::team-reports/*"
      ]
    }
  ]
}
```

`Version`과 `Statement`가 최상위 요소이고, 각 Statement는 **Effect / Action / Resource**로 \
이루어진다. 필요하면 `Principal`과 `Condition`을 더한다.""",
    "**명시적 Deny가 항상 이긴다.**\n\n"
    "평가 순서: 아무 정책도 없으면 암묵적 거부 → Allow가 있으면 허용 → "
    "어느 정책에든 명시적 Deny가 있으면 거부.",
    "User는 한 사람(또는 한 애플리케이션)에 묶인 **장기 자격 증명**(비밀번호, 액세스 키)을 "
    "가진다.\n\n"
    "Role은 누구든 신뢰 정책이 허용하면 **맡을(assume) 수 있는** 권한 묶음이고, STS가 "
    "발급하는 **임시 자격 증명**을 쓴다. EC2 인스턴스나 [AWS Lambda](wikilink:AWS%20Lambda) "
    "함수에 권한을 줄 때는 Role을 쓴다.",
    "1. 넓은 AWS 관리형 정책 대신 필요한 Action만 적은 **고객 관리형 정책**을 쓴다.\n"
    "2. **IAM Access Analyzer**로 CloudTrail 기록을 바탕으로 실제로 쓴 Action만 담은 정책을 "
    "만든다.\n"
    "3. **Access Advisor**(마지막 사용 시각)로 쓰지 않는 권한을 지운다.",
    "S3 버킷 정책, [SQS 큐](wikilink:SQS%EC%99%80%20SNS) 액세스 정책처럼 **리소스에 붙는 "
    "정책**이다. 누가 접근하는지 `Principal`로 적어야 하며, 다른 계정에 접근을 허용(교차 계정)할 "
    "때 Role을 맡지 않고도 쓸 수 있다.",
]
#: The due notes in the order `a` must walk them: most overdue first, then
#: by subject and path.
DUE_ORDER = [
    "운영체제/교착상태.md",
    "English/Vocabulary/비즈니스 영어 표현.md",
    "운영체제/가상 메모리.md",
    "운영체제/프로세스와 스레드.md",
    "AWS/IAM 정책.md",
    "AWS/S3 스토리지 클래스.md",
]


# -- helpers -------------------------------------------------------------


def text_of(widget: Widget) -> str:
    """The plain text a ``Static`` shows."""
    return str(widget.render())


def row_keys(table: DataTable[Any] | NoteTable) -> list[str]:
    """The keys of a table's rows, top to bottom."""
    if isinstance(table, NoteTable):
        return table.keys
    return [
        table.coordinate_to_cell_key((i, 0)).row_key.value or "" for i in range(table.row_count)
    ]


def row_texts(table: DataTable[Any] | NoteTable, key: str) -> list[str]:
    """The cells of one row as plain text."""
    if isinstance(table, NoteTable):
        return list(table.row(key))
    return [str(value) for value in table.get_row(key)]


def mastery_row(table: DataTable[Any], subject: str) -> list[str]:
    """The cells of a subject's own row in the mastery table."""
    for key in row_keys(table):
        row = row_texts(table, key)
        if row[0] == subject:
            return row
    raise AssertionError(f"no mastery row for {subject!r}")


def frontmatter(path: Path) -> dict[str, Any]:
    """The note's YAML frontmatter, parsed independently of the app's reader."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    data = yaml.safe_load(text[4 : text.index("\n---\n", 4)])
    assert isinstance(data, dict)
    return data


def reviews(db: Database, note: str | None = None) -> list[dict[str, Any]]:
    """The reviews in the store, oldest first."""
    where, args = (
        ("card_id IN (SELECT id FROM cards WHERE note_path = ?)", [note]) if note else (None, None)
    )
    return list(db["reviews"].rows_where(where, args, order_by="id"))


def quiz(app: QuizApp) -> QuizScreen:
    assert isinstance(app.screen, QuizScreen), app.screen
    return app.screen


def today(app: QuizApp) -> TodayScreen:
    assert isinstance(app.screen, TodayScreen), app.screen
    return app.screen


def summary(app: QuizApp) -> SummaryScreen:
    assert isinstance(app.screen, SummaryScreen), app.screen
    return app.screen


async def grade_all(pilot: Pilot[Any], grades: list[str]) -> list[str]:
    """Reveal and grade one card per grade; return the questions seen."""
    seen = []
    for grade in grades:
        screen = quiz(pilot.app)  # type: ignore[arg-type]
        card = screen.session.current
        assert card is not None
        seen.append(card.question)
        await pilot.press("space")
        await pilot.press(grade)
    return seen


async def finish_note(pilot: Pilot[Any], screen: QuizScreen) -> None:
    """Grade every card Good: all but the last in the core, the last by key.

    For tests where the order of notes, not the grading, is the point: each
    key costs the app a re-render, and a note has up to nine cards.
    """
    session = screen.session
    while session.position < len(session.cards) - 1:
        session.grade(Grade.GOOD)
    await pilot.press("space", "3")


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


# -- a full session ----------------------------------------------------------


@synchronous
async def test_full_session_from_today_to_summary_writes_flags_and_reviews(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    note_file = app.study.vault / IAM
    before = note_file.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        screen = today(app)
        due = screen.query_one("#due", NoteTable)
        assert app.focused is due
        assert text_of(screen.query_one("#today-title")) == (
            "Due today: 6 notes, 36 cards · Enter starts one, a all"
        )
        # Grouped by subject (AWS first), so the highlighted row is IAM 정책.
        assert due.cursor_row == 0 and row_keys(due)[0] == IAM
        assert row_texts(due, IAM) == ["AWS", "IAM 정책", "💛 day 7", "today", "5"]
        assert app.sub_title == "2026-11-25 · vault"

        await pilot.press("enter")
        screen_q = quiz(app)
        assert screen_q.session.note.path == IAM
        assert text_of(screen_q.query_one("#quiz-title")) == "IAM 정책 · AWS · 💛 day 7 review"
        answer = screen_q.query_one("#answer", AnswerView)
        cards = screen_q.session.cards
        grades = ["3", "4", "2", "3", "1"]
        for i, grade in enumerate(grades):
            assert text_of(screen_q.query_one("#quiz-count")) == f"{i + 1}/5"
            assert text_of(screen_q.query_one("#question")) == IAM_QUESTIONS[i]
            assert not answer.display
            await pilot.press(grade)  # grading before the answer is shown does nothing
            assert len(reviews(app.study.db)) == i
            await pilot.press("space")
            assert answer.display and answer.source == IAM_ANSWERS[i]
            await pilot.press(grade)
        # The card graded Again comes back before the Summary; passed now.
        assert text_of(screen_q.query_one("#quiz-count")) == "again · 1 left"
        assert text_of(screen_q.query_one("#question")) == IAM_QUESTIONS[4]
        await pilot.press("space", "space")

        result = summary(app)
        texts = result.lines
        assert texts["title"] == "IAM 정책 · AWS"
        assert texts["score"] == "Score: 4/5 (of 5 cards)"
        assert texts["outcome"] == "💛 day 7 review passed (7일 복습); learning rate 0.4 → 0.6"
        assert texts["next"] == "next: 💚 day 14 on 12-02 (14일 복습)"
        assert texts["bar"] == "🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%"
        assert texts["write"] == f"{IAM}: review fields written back."
        assert texts["missed"] == "• 리소스 기반 정책(Resource-based policy)이란?"
        assert result.mood == "passed"
        shown = text_of(result.query_one("#report"))
        assert all(line in shown for line in texts.values())
        assert (
            "명시적 Deny > Allow > 암묵적 Deny"
            in result.query_one("#note-summary", Static).content.markup  # type: ignore[union-attr]
        )

        # The note on disk: the day-7 flag, its mirror, rate and bar; nothing else.
        fm = frontmatter(note_file)
        assert fm["💛7일복습여부"] is True and fm["💚14일복습여부"] is False
        assert fm["7일차복습여부1,0"] == "1"
        assert fm["학습률"] == "0.6"
        assert fm["진행바"] == "🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%"
        changed = [
            (old, new)
            for old, new in zip(
                before.decode().splitlines(), note_file.read_text().splitlines(), strict=True
            )
            if old != new
        ]
        assert changed == [
            ("💛7일복습여부: false", "💛7일복습여부: true"),
            ("복습:", "복습: 14일 복습"),
            ('"7일차복습여부1,0": "0"', '"7일차복습여부1,0": "1"'),
            ('학습률: "0.4"', '학습률: "0.6"'),
            ("진행바: 🟩🟩🟩🟩⬜⬜⬜⬜⬜⬜ 40%", "진행바: 🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%"),
        ]

        # The store: one review per grade, in order, stamped with the app's clock.
        rows = reviews(app.study.db)
        assert [r["card_id"] for r in rows] == [c.id for c in cards] + [cards[4].id]
        assert [r["grade"] for r in rows] == [3, 4, 2, 3, 1, 3]
        assert {c.note for c in cards} == {IAM}
        assert {r["day"] for r in rows} == {"2026-11-25"}
        assert {r["reviewed_at"] for r in rows} == {"2026-11-25T09:30:00.000+00:00"}
        (session,) = app.study.db["sessions"].rows
        assert session["complete"] == 1 and session["passed"] == 1 and session["written"] == 1
        assert session["outcome"] == "stage_passed" and session["graded"] == 6
        assert json.loads(app.study.db["notes"].get(IAM)["stages"]) == [
            True,
            True,
            True,
            False,
            False,
        ]

        # Enter goes back to Today, where the note is no longer due.
        await pilot.press("enter")
        screen = today(app)
        due = screen.query_one("#due", NoteTable)
        assert IAM not in row_keys(due)
        assert text_of(screen.query_one("#today-title")).startswith(
            "Due today: 5 notes, 31 cards ·"
        )
        assert app.is_running


# -- undo, typed answers, quitting early ------------------------------------


@synchronous
async def test_undo_removes_the_last_review_and_shows_that_card_again(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")  # nothing graded yet: nothing happens
        await pilot.press("enter")
        screen = quiz(app)
        await pilot.press("u")
        assert screen.session.position == 0 and reviews(app.study.db) == []
        first, second = screen.session.cards[:2]
        await grade_all(pilot, ["3", "4"])
        assert [r["card_id"] for r in reviews(app.study.db)] == [first.id, second.id]
        assert app.study.db["memory"].count == 2

        await pilot.press("u")
        assert [r["card_id"] for r in reviews(app.study.db)] == [first.id]
        assert [r["card_id"] for r in app.study.db["memory"].rows] == [first.id]
        assert screen.session.current == second
        assert text_of(screen.query_one("#quiz-count")) == "2/5"
        assert text_of(screen.query_one("#question")) == IAM_QUESTIONS[1]
        assert not screen.revealed and not screen.query_one("#answer").display
        assert app.study.db["sessions"].get(screen.session.id)["graded"] == 1

        # Graded again, the card has exactly one review, with the new grade.
        await grade_all(pilot, ["2"])
        rows = reviews(app.study.db)
        assert [(r["card_id"], r["grade"]) for r in rows] == [(first.id, 3), (second.id, 2)]


@synchronous
async def test_typed_answer_reveals_and_shows_the_similarity_hint(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "t")
        screen = quiz(app)
        box = screen.query_one("#typed", Input)
        assert app.focused is box
        typed = "Version Statement Effect Action Resource"
        await type_text(pilot, typed)
        assert box.value == typed and not screen.revealed  # the space typed, not revealed
        await pilot.press("enter")
        assert screen.revealed and screen.query_one("#answer").display
        assert box.disabled
        # Against the answer's bold part (Effect / Action / Resource), not the
        # JSON block before it: every word of it typed, two more besides.
        assert text_of(screen.query_one("#hint")) == (
            "Your answer is 100% like the answer's bold part\n"
            "Version Statement Effect Action Resource"
        )
        await pilot.press("3")
        (row,) = reviews(app.study.db)
        assert row["typed"] == typed and row["similarity"] == 1.0
        # The next card starts with an empty, enabled box and no hint.
        assert box.value == "" and not box.disabled
        assert text_of(screen.query_one("#hint")) == ""


@synchronous
async def test_a_long_answer_scrolls_with_the_keyboard_at_80x24(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "space")
        body = quiz(app).query_one("#quiz-body", VerticalScroll)
        assert body.max_scroll_y > 0  # the JSON policy of card 1 does not fit
        await pilot.press("pagedown")
        assert body.scroll_y > 0
        await pilot.press("3")  # the grade keys still work; the next card starts at the top
        assert quiz(app).session.position == 1 and body.scroll_y == 0


@synchronous
async def test_quit_mid_session_shows_an_unfinished_summary_and_keeps_reviews(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    before = (app.study.vault / IAM).read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await grade_all(pilot, ["3", "1"])
        await pilot.press("space", "q")  # quitting with the answer shown grades nothing
        result = summary(app)
        assert result.lines["score"] == "Score: 1/2 (of 5 cards)"
        assert result.lines["outcome"] == (
            "Not finished: the graded cards are kept; no stage changed."
        )
        assert result.lines["write"] == "Nothing to write: the session was not finished."
        assert "bar" not in result.lines and result.mood is None
        assert len(reviews(app.study.db)) == 2
        (session,) = app.study.db["sessions"].rows
        assert session["complete"] == 0 and session["graded"] == 2 and session["outcome"] is None
        assert (app.study.vault / IAM).read_bytes() == before

        await pilot.press("enter")
        assert IAM in row_keys(today(app).query_one("#due", NoteTable))


# -- Today: all due, filter, empty day ---------------------------------------


@synchronous
async def test_all_due_walks_every_due_note_most_overdue_first(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        walked = []
        while isinstance(app.screen, QuizScreen):
            screen = quiz(app)
            walked.append(screen.session.note.path)
            n = len(screen.session.cards)
            assert text_of(screen.query_one("#quiz-count")) == f"note {len(walked)} of 6 · 1/{n}"
            await finish_note(pilot, screen)
            result = summary(app)
            assert result.more == (len(walked) < len(DUE_ORDER))
            await pilot.press("enter")
        assert walked == DUE_ORDER
        # Every note passed one stage; catching up, none is due again today
        # (some are a stage behind: they come back tomorrow).
        assert [s["passed"] for s in app.study.db["sessions"].rows] == [1] * 6
        assert due_notes(app.study.db, Settings(), TODAY) == []
        tomorrow = TODAY + dt.timedelta(days=1)
        assert due_notes(app.study.db, Settings(), tomorrow) != []
        assert str(today(app).query_one("#today-title").render()).startswith("Nothing is due")
        assert len(reviews(app.study.db)) == 36  # 교착상태's bare cue is a card now


@synchronous
async def test_escape_on_a_summary_drops_the_rest_of_the_queue(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await finish_note(pilot, quiz(app))
        assert summary(app).more
        await pilot.press("escape")
        today(app)
        assert app.queue == []


@synchronous
async def test_filter_narrows_the_today_tables(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = today(app)
        due, new = screen.query_one("#due", NoteTable), screen.query_one("#new", NoteTable)
        # No box until the learner asks for one (Today paints without it).
        assert not screen.query("#filter")
        assert due.row_count == 6 and row_keys(new) == ["AWS/VPC 기초.md"]
        await pilot.press("slash")
        box = screen.query_one("#filter", Input)
        assert box.display and app.focused is box
        await type_text(pilot, "iam")
        assert row_keys(due) == [IAM]
        assert text_of(screen.query_one("#today-title")).startswith("Due today: 1 note, 5 cards ·")
        assert not new.display  # VPC 기초 does not match
        await pilot.press("enter")
        assert app.focused is due
        await pilot.press("escape")
        assert not box.display and box.value == "" and due.row_count == 6

        # Subjects match too.
        await pilot.press("slash")
        await type_text(pilot, "english")
        assert row_keys(due) == ["English/Vocabulary/비즈니스 영어 표현.md"]
        # Enter on the filtered table starts that note.
        await pilot.press("enter", "enter")
        assert quiz(app).session.note.path == "English/Vocabulary/비즈니스 영어 표현.md"


@synchronous
async def test_today_columns_fit_the_rows_shown_now(tmp_path: Path) -> None:
    """A column as wide as a row that is gone (filtered out, or a pending
    write-back's long mark once written) pushed the next columns away."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        due = today(app).query_one("#due", NoteTable)

        def widths() -> tuple[int, int]:
            note, stage = due.column_widths[1:3]
            return note, stage

        # 비즈니스 영어 표현: 8 syllables of 2 cells and 2 spaces; 🧠 long-term: 2 + 10.
        assert widths() == (18, 12)
        await pilot.press("slash")
        await type_text(pilot, "iam")
        # IAM 정책: 3 + 1 + 2 syllables of 2 cells; 💛 day 7: 2 + 6 cells.
        assert widths() == (8, 8)


@synchronous
async def test_an_empty_day_says_so_and_offers_practice(tmp_path: Path) -> None:
    source = tmp_path / "source"
    for rel in (
        "AWS/SQS와 SNS.md",
        "AWS/VPC 기초.md",
        "English/Vocabulary/Word Power - Lesson 3.md",
    ):
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE_NOTES / rel, source / rel)
    app = make_app(tmp_path, source=source)
    practice_note = app.study.vault / "AWS/SQS와 SNS.md"
    before = practice_note.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        screen = today(app)
        assert text_of(screen.query_one("#today-title")) == (
            "Nothing is due on 2026-11-25. Practise any note below."
        )
        due = screen.query_one("#due", NoteTable)
        assert row_keys(due) == ["AWS/SQS와 SNS.md", "English/Vocabulary/Word Power - Lesson 3.md"]
        assert [row_texts(due, k)[2] for k in row_keys(due)] == ["practice", "practice"]
        assert text_of(screen.query_one("#new-title")) == "New notes: 1"
        assert row_keys(screen.query_one("#new", NoteTable)) == ["AWS/VPC 기초.md"]
        assert "Nothing is due on 2026-11-25" in screen_text(app)

        await pilot.press("a")  # nothing due: a message, no quiz
        today(app)

        await pilot.press("enter")
        screen_q = quiz(app)
        assert screen_q.session.note.path == "AWS/SQS와 SNS.md"
        assert text_of(screen_q.query_one("#quiz-title")).endswith("· practice")
        await finish_note(pilot, screen_q)
        assert summary(app).lines["outcome"].startswith("Practice: no stage was due")
        assert practice_note.read_bytes() == before
        assert len(reviews(app.study.db)) == 7


# -- dialogs -----------------------------------------------------------------


@synchronous
async def test_notes_dialog_shows_the_notes_section(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "c")
        assert isinstance(app.screen, TextScreen)
        assert "IAM 정책 · notes" in screen_text(app)
        body = app.screen.query_one("#note-text", AnswerView).source
        assert "**Root 계정**은 계정을 만들 때만 쓰고" in body
        # At 80x24 the notes overflow the dialog; the last line must be reachable.
        assert "권한 점검" not in screen_text(app)
        await pilot.press("end")
        assert "권한 점검" in screen_text(app)
        await pilot.press("escape")
        assert quiz(app).session.position == 0


@synchronous
async def test_help_lists_the_keys_of_the_screen_underneath(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = text_of(app.screen.query_one("#help-keys"))
        for line in (
            "Start note",
            "All due",
            "Mastery",
            "/  Filter",
            "Quit",
            "ctrl+p  Command palette",
        ):
            assert line in keys
        await pilot.press("escape")
        await pilot.press("enter", "question_mark")
        keys = text_of(app.screen.query_one("#help-keys"))
        assert "space  Show/Good" in keys and "t  Type" in keys and "Notes" in keys
        # Each grade key by its own name: the footer's "1-4 Grade" is "1 Again" here.
        for line in ("1  Again", "2  Hard", "3  Good", "4  Easy"):
            assert line in keys
        assert "1-4" not in keys
        await pilot.press("escape")
        # The line under the question says which keys apply right now.
        assert text_of(app.screen.query_one("#keys-now")).startswith("space reveal")
        await pilot.press("space")
        assert text_of(app.screen.query_one("#keys-now")).startswith("1 Again 1m · 2 Hard 6m")
        await pilot.press("escape")
        quiz(app)


# -- mastery ---------------------------------------------------------------


@synchronous
async def test_mastery_figures_match_the_store_and_drill_into_a_subject(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        # IAM 정책 (AWS): 4 of 5, and the card missed passed when it came back.
        await study_highlighted(pilot, "34231")
        await pilot.press("m")
        await mastery_filled(pilot)
        assert isinstance(app.screen, MasteryScreen)
        table = app.screen.query_one("#mastery-table", DataTable)

        per_subject = app.study.db.execute(
            "SELECT subject, count(*), sum(card_count) FROM notes "
            "WHERE gone_at IS NULL AND card_count > 0 GROUP BY subject"
        ).fetchall()
        assert per_subject == [("AWS", 6, 30), ("English", 3, 19), ("운영체제", 5, 25)]
        accuracy = dict(
            app.study.db.execute(
                "SELECT n.subject, avg(r.grade >= 2) FROM reviews r "
                "JOIN cards c ON c.id = r.card_id JOIN notes n ON n.path = c.note_path "
                "WHERE r.day BETWEEN ? AND ? "
                "GROUP BY n.subject",
                [(TODAY - dt.timedelta(days=6)).isoformat(), TODAY.isoformat()],
            ).fetchall()
        )
        assert accuracy == {"AWS": 5 / 6}  # every review counts, the relearned one too
        for subject, notes, cards in per_subject:
            row = mastery_row(table, subject)
            assert row[0] == subject
            assert row[1:3] == [str(notes), str(cards)]
            week = accuracy.get(subject)
            assert row[6] == ("–" if week is None else f"{round(week * 100)}%")
        # Learning rate of AWS: 0.6 (IAM, just passed) + 0 + 0.8 (SQS와 SNS, finished:
        # the template has no day-14 mirror) + 0 + 0.4 + 0.6, over 6 notes.
        assert mastery_row(table, "AWS")[3] == "■■□□□ 40%"
        # The habit line: the six grades given (the missed card passed when it
        # came back; timed by the clock, under half a minute), the one
        # session, a first day of study.
        line = text_of(app.screen.query_one("#habit-line"))
        assert line == (
            "Today: 6 reviews, 0 min, 1 of 1 session finished · Streak: 1 day (longest 1)"
        )
        heat = text_of(app.screen.query_one("#heatmap")).split("\n")
        assert heat[0] == "Reviews per day  09-03 – 11-25"
        assert heat[4].startswith("Wed") and heat[4].endswith("· █")  # 11-25, a Wednesday
        ahead = text_of(app.screen.query_one("#forecast")).split("\n")
        # The notes due (today holds the overdue) and the 5 graded cards.
        assert ahead[0].startswith("Due in 30 days  ")
        assert ahead[0].endswith(" · 5 cards")

        # Enter on the highlighted (first) row opens AWS's notes with their flags.
        assert table.cursor_row == 0
        await pilot.press("enter")
        assert isinstance(app.screen, SubjectScreen)
        assert app.screen.sub_title == "AWS"
        notes = app.screen.query_one("#subject-notes", DataTable)
        aws = [
            p
            for (p,) in app.study.db.execute(
                "SELECT path FROM notes WHERE subject = 'AWS' ORDER BY path"
            )
        ]
        assert row_keys(notes) == aws
        # Next: the stage after the one just passed, and its day (first study 11-18).
        assert row_texts(notes, IAM) == ["IAM 정책", "✔", "✔", "✔", "·", "·", "💚 day 14 · 12-02"]
        assert row_texts(notes, "AWS/VPC 기초.md")[-1] == "new"

        # A textbook row drills into that textbook only.
        await pilot.press("escape")
        assert isinstance(app.screen, MasteryScreen)
        await mastery_filled(pilot)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, SubjectScreen)
        assert app.screen.textbook == "Ultimate AWS Certified Solutions Architect Associate SAA-C03"
        await pilot.press("escape", "escape")
        summary(app)


@synchronous
async def test_subject_and_mastery_show_a_session_started_from_them(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await mastery_filled(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, SubjectScreen) and app.screen.sub_title == "AWS"
        notes = app.screen.query_one("#subject-notes", DataTable)
        vpc = "AWS/VPC 기초.md"
        assert row_texts(notes, vpc)[-1] == "new"
        notes.move_cursor(row=notes.get_row_index(vpc))
        await pilot.press("enter")
        assert quiz(app).session.note.path == vpc
        await grade_all(pilot, ["3"] * len(quiz(app).session.cards))
        summary(app)
        await pilot.press("escape")
        # Back on the subject's notes: the note is studied now, and the
        # cursor is still on it.
        assert isinstance(app.screen, SubjectScreen)
        assert row_texts(notes, vpc)[-1] == "❤ day 1 · 11-26"
        assert notes.cursor_row == notes.get_row_index(vpc)
        await pilot.press("escape")
        assert isinstance(app.screen, MasteryScreen)
        await mastery_filled(pilot)
        line = text_of(app.screen.query_one("#habit-line"))
        assert line.startswith("Today: ") and "Today: 0 reviews" not in line


@synchronous
async def test_a_textbook_named_like_its_subject_drills_into_the_textbook(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name, book in (("one", "Python"), ("two", "Fluent Python")):
        (source / f"{name}.md").write_text(
            f"---\nsubject: Python\ntextbook: {book}\n---\n# Cues\n\n- q {name}?\n    a\n",
            encoding="utf-8",
        )
    app = make_app(tmp_path, source=source)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await mastery_filled(pilot)
        table = app.screen.query_one("#mastery-table", DataTable)
        assert [row_texts(table, k)[0] for k in row_keys(table)] == [
            "Python",
            "  Fluent Python",
            "  Python",
        ]
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, SubjectScreen)
        assert app.screen.textbook == "Python"
        assert row_keys(app.screen.query_one("#subject-notes", DataTable)) == ["one.md"]


@synchronous
async def test_mastery_paints_first_then_fills_and_keeps_its_figures(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await mastery_filled(pilot)
        first = app.screen
        assert isinstance(first, MasteryScreen)
        line = text_of(first.query_one("#habit-line"))
        assert line.startswith("Today: 0 reviews")
        await pilot.press("escape", "m")
        # Nothing was written since: the figures are there at once, no worker.
        again = app.screen
        assert isinstance(again, MasteryScreen) and again is not first
        assert again.filled
        assert text_of(again.query_one("#habit-line")) == line
        assert not [w for w in app.workers if w.group == "mastery-figures"]
        # A session writes to the index: the next visit makes them again.
        await pilot.press("escape")
        await study_highlighted(pilot, "33333")
        summary(app)
        await pilot.press("escape", "m")
        assert isinstance(app.screen, MasteryScreen)
        await mastery_filled(pilot)
        assert text_of(app.screen.query_one("#habit-line")).startswith("Today: 5 reviews")


@synchronous
async def test_mastery_from_today_before_any_review(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await mastery_filled(pilot)
        assert isinstance(app.screen, MasteryScreen)
        table = app.screen.query_one("#mastery-table", DataTable)
        # A subject row, then its textbooks, indented (and cut to keep 80 columns).
        labels = [row_texts(table, k)[0] for k in row_keys(table)]
        assert labels == [
            "AWS",
            "  Ultimate AWS Cert…",
            "English",
            "  Word Power Made E…",
            "  회사에서 바로 쓰…",  # a cut wide letter leaves no blank
            "운영체제",
            "  Operating System…",
        ]
        assert all(row_texts(table, k)[6] == "–" for k in row_keys(table))
        await pilot.press("escape")
        today(app)


@synchronous
async def test_answer_code_blocks_follow_the_theme(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-dark"
        await pilot.press("enter", "space")
        answer = app.screen.query_one("#answer", AnswerView)
        assert "```" in answer.source  # the sample's first card is a JSON policy
        dark = answer.document.markdown.code_theme
        app.theme = "textual-light"
        await pilot.pause()
        assert answer.document.markdown.code_theme != dark
        assert "```" in answer.source
