"""Pending write-backs: the note is the truth for its stage flags (issue #11 item 2).

A pass whose write-back is refused leaves the note as it is: the note stays
due on Today and in ``quiz due`` with a mark saying why, Mastery shows the
note's own flags, and the next command that can write it writes it, once,
and says so. A learner who changed the review fields by hand meanwhile (a
reset) keeps their note: the pending write-back is dropped. Every test works
on a copy of ``sample_notes`` on 2026-11-25 (IAM 정책's day 7 is due) and
checks the note's bytes against the original with the expected values put
in by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from quiz.cli import main
from quiz.config import Settings
from quiz.schedule.stages import Grade, Stage, progress_bar
from quiz.session import NoteSession
from quiz.store import open_db
from quiz.store.index import scan
from quiz.store.queries import due_notes, live_notes
from quiz.tui.notetable import NoteTable

from .tui_snapshot_app import make_app, synchronous

IAM = "AWS/IAM 정책.md"  # day 7 due on 2026-11-25, 5 cards
VPC = "AWS/VPC 기초.md"  # new note: `❕첫 학습날:` empty, 4 cards
TODAY = dt.date(2026, 11, 25)
DAY = TODAY.isoformat()
NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
APPLIED = f"{IAM}: the day 7 pass of {DAY}, not written then (read-only file), is written now."


def replace_once(data: bytes, old: str, new: str) -> bytes:
    """``data`` with the only occurrence of ``old`` replaced (fails unless exactly one)."""
    old_b = old.encode("utf-8")
    assert data.count(old_b) == 1, old
    return data.replace(old_b, new.encode("utf-8"))


def day7_passed(original: bytes) -> bytes:
    """IAM 정책 with its day-7 pass written, value by value (as a written pass is)."""
    expected = replace_once(original, "💛7일복습여부: false\n", "💛7일복습여부: true\n")
    expected = replace_once(expected, "\n복습:\n", "\n복습: 14일 복습\n")
    expected = replace_once(expected, '"7일차복습여부1,0": "0"', '"7일차복습여부1,0": "1"')
    expected = replace_once(expected, '학습률: "0.4"', '학습률: "0.6"')
    return replace_once(
        expected, "진행바: 🟩🟩🟩🟩⬜⬜⬜⬜⬜⬜ 40%", "진행바: 🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%"
    )


@pytest.fixture
def db(vault: Path, db_path: Path, settings: Settings) -> Iterator[Database]:
    database = open_db(db_path)
    scan(vault, database, settings)
    yield database
    database.close()


def study(db: Database, vault: Path, settings: Settings, note: str = IAM) -> NoteSession:
    """A complete all-Good session over ``note``, finished."""
    session = NoteSession(db, vault, note, settings, today=TODAY, clock=lambda: NOW)
    while session.current is not None:
        session.grade(Grade.GOOD)
    session.finish()
    return session


def refused_read_only(db: Database, vault: Path, settings: Settings) -> NoteSession:
    """IAM's day-7 pass refused because the note is read-only; the note made writable again."""
    file = vault / IAM
    os.chmod(file, 0o444)
    try:
        session = study(db, vault, settings)
    finally:
        os.chmod(file, 0o644)
    return session


def quiz(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    """Run a command; its stdout and stderr."""
    assert main(list(args)) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def due_json(
    capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> tuple[dict[str, Any], str]:
    """``quiz due --json`` by note, and what it said on stderr."""
    out, err = quiz(capsys, "due", str(vault), "--today", DAY, "--json", "--db", str(db_path))
    return {row["note"]: row for row in json.loads(out)}, err


# -- a refused pass is pending, and the note stays due -----------------------------


def test_a_refused_pass_leaves_the_note_due_with_a_mark(
    vault: Path, db: Database, settings: Settings
) -> None:
    original = (vault / IAM).read_bytes()
    os.chmod(vault / IAM, 0o444)
    try:
        session = study(db, vault, settings)
        assert session.result is not None and not session.result.written
        assert "pending write-back" in session.result.write_message
        scan(vault, db, settings)
        (due,) = [d for d in due_notes(db, settings, TODAY) if d.note.path == IAM]
    finally:
        os.chmod(vault / IAM, 0o644)
    assert (vault / IAM).read_bytes() == original
    assert due.stage is Stage.DAY_7
    assert due.note.pending is not None and due.note.pending.reason == "read-only file"
    # Mastery and the index show the note's own flags, not the unwritten pass.
    (note,) = [n for n in live_notes(db) if n.path == IAM]
    assert note.state.done == (True, True, False, False, False)
    assert json.loads(db["notes"].get(IAM)["stages"]) == [True, True, False, False, False]


def test_due_json_and_text_show_the_pending_write_back(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    os.chmod(vault / IAM, 0o444)
    try:
        study(db, vault, settings)
        rows, err = due_json(capsys, vault, db_path)
        out, _ = quiz(capsys, "due", str(vault), "--today", DAY, "--db", str(db_path))
        stats, _ = quiz(capsys, "stats", str(vault), "--today", DAY, "--json", "--db", str(db_path))
    finally:
        os.chmod(vault / IAM, 0o644)
    assert err == ""  # still read-only: nothing written, nothing to say
    pending = {
        "note": IAM,
        "session_day": DAY,
        "kind": "stage_passed",
        "stage": "day 7",
        "first_studied": None,
        "reason": "read-only file",
    }
    assert rows[IAM]["stage"] == "day 7" and rows[IAM]["pending"] == pending
    assert rows["AWS/S3 스토리지 클래스.md"]["pending"] is None
    (line,) = [line for line in out.splitlines() if IAM in line]
    assert line.startswith("💛 day 7") and line.endswith(f"{IAM}  ⏳ not written: read-only file")
    assert json.loads(stats)["pending_writebacks"] == [pending]


# -- the next command that can write applies it, once --------------------------------


def test_the_next_command_writes_it_once_and_says_so(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    original = (vault / IAM).read_bytes()
    refused_read_only(db, vault, settings)
    assert (vault / IAM).read_bytes() == original

    rows, err = due_json(capsys, vault, db_path)
    assert err == APPLIED + "\n"
    assert (vault / IAM).read_bytes() == day7_passed(original)
    assert IAM not in rows  # day 7 done, in the note now

    # Once: the next commands find nothing pending and write nothing.
    written = (vault / IAM).read_bytes()
    rows, err = due_json(capsys, vault, db_path)
    _, err_stats = quiz(capsys, "stats", str(vault), "--today", DAY, "--db", str(db_path))
    assert err == err_stats == ""
    assert (vault / IAM).read_bytes() == written
    row = db.execute(
        "SELECT writeback, written FROM sessions WHERE note_path = ? AND complete = 1", [IAM]
    ).fetchall()
    assert row == [("applied", 1)]


def test_a_pass_refused_by_a_change_underneath_is_written_into_the_changed_note(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = vault / IAM
    session = NoteSession(db, vault, IAM, settings, today=TODAY, clock=lambda: NOW)
    while session.current is not None:
        session.grade(Grade.GOOD)
    edited = file.read_bytes() + "- 편집기에서 한 줄 더\n".encode()  # saved by an editor meanwhile
    file.write_bytes(edited)
    result = session.finish()
    assert not result.written and "changed on disk" in result.write_message

    rows, err = due_json(capsys, vault, db_path)
    assert (
        err == f"{IAM}: the day 7 pass of {DAY}, not written then (file changed), is written now.\n"
    )
    assert file.read_bytes() == day7_passed(edited)  # the learner's line kept
    assert IAM not in rows


def test_a_flag_ticked_by_hand_during_the_session_leaves_nothing_pending(
    vault: Path, db: Database, settings: Settings
) -> None:
    file = vault / IAM
    session = NoteSession(db, vault, IAM, settings, today=TODAY, clock=lambda: NOW)
    while session.current is not None:
        session.grade(Grade.GOOD)
    ticked = replace_once(file.read_bytes(), "💛7일복습여부: false\n", "💛7일복습여부: true\n")
    file.write_bytes(ticked)
    result = session.finish()
    assert not result.written and "the note's own flags count" in result.write_message
    scan(vault, db, settings)
    (note,) = [n for n in live_notes(db) if n.path == IAM]
    assert note.pending is None and note.state.done[Stage.DAY_7]
    assert file.read_bytes() == ticked


# -- a learner's reset by hand wins ------------------------------------------------


def test_a_reset_by_hand_drops_the_pending_write_back_and_the_note_is_due_again(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    refused_read_only(db, vault, settings)
    file = vault / IAM
    # The learner starts the note over: every flag back to false.
    reset = replace_once(file.read_bytes(), "❤1일복습여부: true\n", "❤1일복습여부: false\n")
    reset = replace_once(reset, "🧡4일복습여부: true\n", "🧡4일복습여부: false\n")
    file.write_bytes(reset)

    rows, err = due_json(capsys, vault, db_path)
    assert err == (
        f"{IAM}: the day 7 pass of {DAY} was not written (read-only file) and is dropped: "
        "its review fields were changed since; the note's own flags count.\n"
    )
    assert file.read_bytes() == reset  # never written over the reset
    assert rows[IAM]["stage"] == "day 1" and rows[IAM]["pending"] is None
    # Dropped for good: a later command does not bring it back.
    rows, err = due_json(capsys, vault, db_path)
    assert err == "" and rows[IAM]["stage"] == "day 1"
    assert file.read_bytes() == reset


def test_a_written_pass_reset_by_hand_is_due_again(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = vault / IAM
    original = file.read_bytes()
    study(db, vault, settings)
    assert file.read_bytes() == day7_passed(original)
    rows, _ = due_json(capsys, vault, db_path)
    assert IAM not in rows
    file.write_bytes(original)  # `git checkout`: the flags back as they were
    rows, err = due_json(capsys, vault, db_path)
    assert err == "" and rows[IAM]["stage"] == "day 7" and rows[IAM]["pending"] is None
    assert file.read_bytes() == original


# -- the review log carries it: a rebuilt index agrees --------------------------------


def test_a_rebuilt_index_keeps_the_pending_write_back_and_never_applies_it_twice(
    vault: Path,
    db: Database,
    tmp_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = vault / IAM
    original = file.read_bytes()
    os.chmod(file, 0o444)
    try:
        study(db, vault, settings)
        # A new index built from the notes and the review log: still pending.
        rows, err = due_json(capsys, vault, tmp_path / "rebuilt-1.sqlite3")
    finally:
        os.chmod(file, 0o644)
    assert err == "" and rows[IAM]["pending"]["reason"] == "read-only file"

    rows, err = due_json(capsys, vault, tmp_path / "rebuilt-2.sqlite3")
    assert err == APPLIED + "\n" and IAM not in rows
    assert file.read_bytes() == day7_passed(original)

    # The learner then puts the note back exactly as it was when the write was
    # refused: an index rebuilt from the log knows the pass was written once
    # already, and does not write it again over the learner's reset.
    file.write_bytes(original)
    for name in ("rebuilt-3.sqlite3", "db.sqlite3"):
        rows, err = due_json(capsys, vault, tmp_path / name)
        assert err == "" and rows[IAM]["stage"] == "day 7" and rows[IAM]["pending"] is None
    assert file.read_bytes() == original


def test_no_write_neither_applies_nor_leaves_anything_pending(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    original = (vault / IAM).read_bytes()
    refused_read_only(db, vault, settings)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # ends before the first card
    args = ["study", str(vault), "--plain", "--no-write", "--today", DAY, "--db", str(db_path)]
    _, err = quiz(capsys, *args)
    assert APPLIED not in err
    assert (vault / IAM).read_bytes() == original  # --no-write: still pending
    _, err = due_json(capsys, vault, db_path)
    assert err == APPLIED + "\n"


def test_a_pending_path_from_a_log_never_leads_out_of_the_vault(
    vault: Path, tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.notes.reader import read_note
    from quiz.store.log import event_line, new_id
    from quiz.writeback.pending import fields_digest

    # A note beside the vault, and a log line (another device's, say) naming it.
    outside = tmp_path / "outside.md"
    outside.write_bytes((vault / IAM).read_bytes())
    before = outside.read_bytes()
    digest = fields_digest(read_note(outside, "outside.md", settings))
    line = event_line(
        new_id(), "session", NOW, "elsewhere-1", session=new_id(), note="../outside.md",
        note_path="../outside.md", day=DAY, started_at=NOW.isoformat(), finished_at=NOW.isoformat(),
        cards=5, graded=5, complete=1, passed=1, outcome="stage_passed", stage=2, written=0,
        writeback="pending", write_reason="read-only file", fields_digest=digest,
    )  # fmt: skip
    logs = vault / ".quiz" / "log"
    logs.mkdir(parents=True)
    (logs / "elsewhere-1.jsonl").write_bytes(line)

    _, err = due_json(capsys, vault, tmp_path / "db.sqlite3")
    assert "../outside.md" in err and "dropped: the note is gone" in err
    assert outside.read_bytes() == before


# -- the app -------------------------------------------------------------------------


@synchronous
async def test_today_marks_a_pass_that_could_not_be_written(tmp_path: Path) -> None:
    from quiz.tui.notetable import NoteTable
    from quiz.tui.summary import SummaryScreen
    from quiz.tui.today import TodayScreen

    app = make_app(tmp_path)
    file = app.study.vault / IAM
    os.chmod(file, 0o444)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            table = app.screen.query_one("#due", NoteTable)
            assert table.row(IAM)[2] == "💛 day 7"
            table.move_cursor(table.index_of(IAM))
            await pilot.press("enter")
            session = app.screen.session  # type: ignore[attr-defined]
            while session.position < len(session.cards) - 1:
                session.grade(Grade.GOOD)
            await pilot.press("space", "3")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            # The Summary does not promise what the note does not hold.
            outcome = app.screen.result.outcome
            assert outcome is not None and outcome.rate_after != outcome.rate_before
            assert app.screen.lines["next"] == "next: 💛 day 7 stays due until this pass is written"
            assert app.screen.lines["bar"] == progress_bar(outcome.rate_before)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            table = app.screen.query_one("#due", NoteTable)
            # Still due, and it says why.
            assert table.row(IAM)[2] == "💛 day 7 · ⏳ not written: read-only file"
    finally:
        os.chmod(file, 0o644)


@synchronous
async def test_the_app_says_a_pending_write_back_was_written(tmp_path: Path) -> None:
    from quiz.catchup import write_pending
    from quiz.tui.app import QuizApp

    app = make_app(tmp_path)
    study_ = app.study
    refused_read_only(study_.db, study_.vault, study_.settings)
    notices = write_pending(study_.db, study_.vault, study_.settings)
    assert notices == [APPLIED]
    app = QuizApp(study_, notices=notices)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications] == [APPLIED]
        assert IAM not in app.screen.query_one("#due", NoteTable).keys


def test_progress_a_note_has_no_field_for_is_kept_in_the_index(
    vault: Path, db: Database, settings: Settings
) -> None:
    # A note with cues but none of the review fields: nothing to write, so
    # the index keeps its first study day (SPEC "Stages"); nothing is pending.
    note = vault / "plain.md"
    note.write_text(
        "---\n과목: 메모\n---\n### 단서 질문\n\n- 질문 하나?\n\n    답 하나.\n", encoding="utf-8"
    )
    scan(vault, db, settings)
    original = note.read_bytes()
    session = study(db, vault, settings, note="plain.md")
    assert session.result is not None and "nothing to write" in session.result.write_message
    scan(vault, db, settings)
    (status,) = [n for n in live_notes(db) if n.path == "plain.md"]
    assert status.state.first_studied == TODAY and status.pending is None
    assert [d.stage for d in due_notes(db, settings, TODAY + dt.timedelta(days=1))
            if d.note.path == "plain.md"] == [Stage.DAY_1]  # fmt: skip
    assert note.read_bytes() == original


def test_a_new_notes_first_study_waits_and_is_written_later(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = vault / VPC
    original = file.read_bytes()
    os.chmod(file, 0o444)
    try:
        study(db, vault, settings, note=VPC)
        stats, err = quiz(
            capsys, "stats", str(vault), "--today", DAY, "--json", "--db", str(db_path)
        )
    finally:
        os.chmod(file, 0o644)
    assert err == "" and file.read_bytes() == original
    assert json.loads(stats)["pending_writebacks"] == [
        {
            "note": VPC,
            "session_day": DAY,
            "kind": "first_study",
            "stage": None,
            "first_studied": DAY,
            "reason": "read-only file",
        }
    ]
    (note,) = [n for n in live_notes(db) if n.path == VPC]
    assert note.state.first_studied is None  # still new, as the note says

    _, err = due_json(capsys, vault, db_path)
    assert (
        err
        == f"{VPC}: the first study of {DAY}, not written then (read-only file), is written now.\n"
    )
    expected = replace_once(original, "❕첫 학습날:\n", f"❕첫 학습날: {DAY}\n")
    assert file.read_bytes() == replace_once(expected, "\n복습:\n", "\n복습: 1일 복습\n")


def test_a_later_written_pass_makes_an_earlier_pending_one_moot(
    vault: Path,
    db: Database,
    db_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    original = (vault / IAM).read_bytes()
    refused_read_only(db, vault, settings)
    later = study(db, vault, settings)  # still due, studied again: written this time
    assert later.result is not None and later.result.written
    _, err = due_json(capsys, vault, db_path)
    assert err == ""  # nothing dropped to tell: the note has the pass
    assert (vault / IAM).read_bytes() == day7_passed(original)
    states = db.execute(
        "SELECT writeback FROM sessions WHERE note_path = ? AND complete = 1 ORDER BY id", [IAM]
    ).fetchall()
    assert states == [("dropped",), ("written",)]


@synchronous
async def test_today_marks_a_first_study_that_could_not_be_written(tmp_path: Path) -> None:
    from quiz.tui.notetable import NoteTable

    app = make_app(tmp_path)
    study_ = app.study
    file = study_.vault / VPC
    os.chmod(file, 0o444)
    try:
        study(study_.db, study_.vault, study_.settings, note=VPC)
        async with app.run_test(size=(120, 30)):
            new = app.screen.query_one("#new", NoteTable)
            assert list(new.row(VPC))[1:] == [
                "VPC 기초 · ⏳ not written: read-only file",
                "4",
            ]
    finally:
        os.chmod(file, 0o644)
