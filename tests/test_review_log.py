"""The review log in the vault: the index is a cache that the logs rebuild.

Sessions here run on a copy of ``sample_notes`` (today is 2026-11-25 in its
stage states) with a clock the test moves, so two runs of the same sessions
give the same times, and so the same history.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quiz.cli import main
from quiz.config import Settings, SettingsError, settings_from_dict
from quiz.notes.model import Card
from quiz.schedule.stages import Grade
from quiz.session import Drill, NoteSession, Session
from quiz.store import log as review_log
from quiz.store import open_db
from quiz.store.index import scan
from quiz.vault import walk

from .conftest import ROOT

IAM = "AWS/IAM 정책.md"  # day 7 due on 2026-11-25, 5 cards
DEADLOCK = "운영체제/교착상태.md"  # day 4 overdue
VPC = "AWS/VPC 기초.md"  # a new note, 4 cards
PROCESS = "운영체제/프로세스와 스레드.md"  # 6 cards
TODAY = dt.date(2026, 11, 25)
START = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
#: The time of day ``quiz stats`` measures recall at, fixed so two runs agree.
STATS_NOW = dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC)


class Clock:
    """A clock that moves 7.25 s (an uneven step, so milliseconds show) per reading."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=7, microseconds=250_321)
        return self.now


def by_card(card: Card) -> Grade:
    """A grade that depends on the card only (not on the order cards come in)."""
    return Grade(sum(card.id.encode()) % 4 + 1)


def good(card: Card) -> Grade:
    return Grade.GOOD


def use_device(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(review_log, "device_name", lambda: name)


def study(
    vault: Path,
    db_path: Path,
    note: str | None,
    at: dt.datetime,
    grade: Callable[[Card], Grade] = by_card,
    *,
    write: bool = True,
    stop_after: int | None = None,
    undo_after: int | None = None,
    finish: bool = True,
) -> Session:
    """One session on ``note`` (``None``: the weakest-cards drill) from time ``at``."""
    db = open_db(db_path)
    try:
        settings = Settings()
        clock = Clock(at)
        if note is None:
            session = Drill.weakest(db, vault, settings, today=TODAY, clock=clock)
        else:
            session = NoteSession(db, vault, note, settings, today=TODAY, clock=clock, write=write)
        # Each card once (not the Agains back to relearn), or up to stop_after.
        while not session.complete and session.position != stop_after:
            # What a card gets (time, grade, typed answer) depends on the card
            # alone: the weakest-first order differs between two devices'
            # indexes, and the learner answers each card the same either way.
            card = session.current
            clock.now = at + dt.timedelta(seconds=20 * card.ordinal)
            typed = card.answer[:12] if card.ordinal % 3 == 0 else None
            session.grade(grade(card), typed=typed, duration_ms=1500 + card.ordinal)
            if session.position == undo_after:
                session.undo()
                undo_after = None
        clock.now = at + dt.timedelta(minutes=30)
        if finish:
            session.finish()
        assert session.log.problem is None
        return session
    finally:
        db.close()


def stats(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, vault: Path, db: Path
) -> tuple[dict[str, Any], str]:
    """``quiz stats --json`` (refresh included) and what it warned."""
    monkeypatch.setattr("quiz.clock.utc_now", lambda: STATS_NOW)
    capsys.readouterr()
    code = main(["stats", str(vault), "--today", TODAY.isoformat(), "--json", "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out), err


def history(db_path: Path, *, ids: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Reviews, sessions and FSRS memory, in a stable order (event ids optional)."""
    conn = sqlite3.connect(db_path)
    try:
        # A review's note is its card's.
        review_cols = (
            "card_id, (SELECT note_path FROM cards WHERE id = card_id), grade, typed, "
            "similarity, duration_ms, reviewed_at, day"
        )
        session_cols = (
            "note_path, day, started_at, finished_at, cards, graded, complete, passed, outcome, "
            "stage, rate_before, rate_after, first_studied, written, write_message"
        )
        if ids:
            review_cols += ", memory_before, event_id"
            session_cols += ", uid"
        return {
            "reviews": sorted(conn.execute(f"SELECT {review_cols} FROM reviews"), key=repr),
            "sessions": sorted(conn.execute(f"SELECT {session_cols} FROM sessions"), key=repr),
            "memory": sorted(
                conn.execute("SELECT card_id, state, due, last_review, reviews FROM memory")
            ),
        }
    finally:
        conn.close()


def indexed(vault: Path, db_path: Path) -> Path:
    """``db_path`` with the vault's notes scanned in (what every command does first)."""
    conn = open_db(db_path)
    try:
        scan(vault, conn, Settings())
    finally:
        conn.close()
    return db_path


def log_files(vault: Path, folder: str = ".quiz/log") -> list[Path]:
    return sorted((vault / folder).glob("*.jsonl"))


def events(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines() if line]


def a_day_of_sessions(vault: Path, db: Path) -> None:
    """Passed, failed, unwritten, undone, quit, crashed and drill sessions."""
    indexed(vault, db)
    study(vault, db, IAM, START, good)  # passes day 7, written back
    study(vault, db, DEADLOCK, START.replace(hour=9), lambda c: Grade.AGAIN)  # fails
    study(vault, db, VPC, START.replace(hour=10), write=False)  # first study, not written
    study(vault, db, PROCESS, START.replace(hour=11), undo_after=2)  # one grade taken back
    study(vault, db, IAM, START.replace(hour=12), stop_after=2)  # quit after two cards
    study(vault, db, DEADLOCK, START.replace(hour=13), stop_after=1, finish=False)  # "crash"
    study(vault, db, None, START.replace(hour=14))  # the weakest-cards drill


def test_deleting_the_index_loses_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    tmp_path: Path,
) -> None:
    first = tmp_path / "first.sqlite3"
    a_day_of_sessions(vault, first)
    before = history(first)
    live, err = stats(capsys, monkeypatch, vault, first)
    assert err == ""
    # The refresh read this device's own log and counted nothing twice.
    assert history(first) == before
    sessions = before["sessions"]
    assert len(sessions) == 7
    assert sum(s[5] for s in sessions) == len(before["reviews"]) > 20  # graded
    assert {s[8] for s in sessions} >= {"stage_passed", "failed", None}  # outcome
    assert [s[0] for s in sessions if s[12] and not s[13]] == [VPC]  # unwritten first study
    assert {s[3] for s in sessions} >= {None}  # the crashed one never finished
    assert live["reviews_per_day"][-1]["reviews"] == len(before["reviews"])

    for suffix in ("", "-wal", "-shm"):
        Path(f"{first}{suffix}").unlink(missing_ok=True)
    rebuilt, err = stats(capsys, monkeypatch, vault, first)
    assert err == ""
    assert rebuilt == live
    assert history(first) == before


def test_two_devices_merge_into_one_history(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    tmp_path: Path,
) -> None:
    # The same sessions at the same times: on one device, and split between
    # a laptop and a desktop that never saw each other's index.
    solo_vault = tmp_path / "solo"
    shutil.copytree(vault, solo_vault)
    solo = tmp_path / "solo.sqlite3"
    laptop, desktop = tmp_path / "laptop.sqlite3", tmp_path / "desktop.sqlite3"
    for db, where in ((solo, solo_vault), (laptop, vault), (desktop, vault)):
        indexed(where, db)
    plan = [
        ("laptop", IAM, START),
        ("desktop", IAM, START.replace(hour=9)),  # the same cards again
        ("laptop", PROCESS, START.replace(hour=10)),
        ("desktop", PROCESS, START.replace(hour=11)),
        ("laptop", IAM, START.replace(hour=12)),  # its memory of 9:00 is missing
    ]
    for device, note, at in plan:
        use_device(monkeypatch, "solo-1")
        study(solo_vault, solo, note, at)
        use_device(monkeypatch, f"{device}-2")
        study(vault, laptop if device == "laptop" else desktop, note, at)
    assert [p.name for p in log_files(vault)] == ["desktop-2.jsonl", "laptop-2.jsonl"]

    one, _ = stats(capsys, monkeypatch, solo_vault, solo)
    expected = history(solo, ids=False)
    assert len(expected["reviews"]) == 5 + 5 + 6 + 6 + 5
    merged = tmp_path / "merged.sqlite3"
    for db in (merged, laptop, desktop):  # a new index, and each device's own
        doc, err = stats(capsys, monkeypatch, vault, db)
        assert err == ""
        assert doc == one
        assert history(db, ids=False) == expected


def test_a_review_is_never_counted_twice(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    tmp_path: Path,
) -> None:
    db = indexed(vault, tmp_path / "db.sqlite3")
    study(vault, db, IAM, START)
    stats(capsys, monkeypatch, vault, db)
    before = history(db)
    # A sync tool's conflict copy holds the same events under another name.
    (log,) = log_files(vault)
    shutil.copyfile(log, log.with_name("laptop-2.sync-conflict-20261125.jsonl"))
    stats(capsys, monkeypatch, vault, db)
    assert history(db) == before
    fresh = tmp_path / "fresh.sqlite3"
    stats(capsys, monkeypatch, vault, fresh)
    assert history(fresh) == before


def test_a_torn_last_line_is_skipped_with_a_warning(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    tmp_path: Path,
) -> None:
    db = indexed(vault, tmp_path / "db.sqlite3")
    study(vault, db, PROCESS, START, stop_after=2, finish=False)
    (log,) = log_files(vault)
    whole = log.read_bytes()
    torn = b'{"v":1,"id":"0f3a","at":"2026-11-25T08:00:30.000+00:00","kind":"gra'
    log.write_bytes(whole + torn)

    fresh = tmp_path / "fresh.sqlite3"
    _, err = stats(capsys, monkeypatch, vault, fresh)
    assert f".quiz/log/{log.name}: the last line is incomplete" in err
    assert len(history(fresh)["reviews"]) == 2
    _, err = stats(capsys, monkeypatch, vault, fresh)
    assert err == ""  # reported once, not on every command

    # The next grade ends the torn line first, so both stay separate lines.
    study(vault, db, IAM, START.replace(hour=9), stop_after=1, finish=False)
    assert log.read_bytes().startswith(whole + torn + b"\n{")
    _, err = stats(capsys, monkeypatch, vault, fresh)
    assert f"{log.name}: the line at byte {len(whole)} is not a review log entry" in err
    assert [r[1] for r in history(fresh)["reviews"]].count(IAM) == 1
    assert len(history(fresh)["reviews"]) == 3


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_a_grade_never_corrupts_the_log(vault: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cmd = [
        sys.executable, "-m", "quiz", "study", str(vault), "--plain", "--note", IAM,
        "--today", TODAY.isoformat(), "--db", str(db_path),
    ]  # fmt: skip
    with subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    ) as proc:
        assert proc.stdin is not None
        try:
            # Four grades at once: the kill lands while the third or fourth is written.
            proc.stdin.write(b"\n3\n\n1\n\n3\n\n4\n")
            proc.stdin.flush()
            deadline = time.monotonic() + 30
            while not (files := log_files(vault)) or files[0].read_bytes().count(b"\n") < 2:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "no two grades logged in 30 s"
                time.sleep(0.001)
            os.kill(proc.pid, signal.SIGKILL)
            assert proc.wait(timeout=30) == -signal.SIGKILL
        finally:
            if proc.poll() is None:  # pragma: no cover - only when an assert failed above
                proc.kill()
                proc.wait()

    (log,) = log_files(vault)
    data = log.read_bytes()
    complete, _, tail = data.rpartition(b"\n")
    logged = [json.loads(line) for line in complete.splitlines()]  # every whole line parses
    assert [e["kind"] for e in logged] == ["grade"] * len(logged)
    assert [e["grade"] for e in logged] == [3, 1, 3, 4][: len(logged)]
    assert 2 <= len(logged) <= 4
    if tail:  # torn mid-line: only the grade being written is lost
        assert len(logged) < 4
    # The index never holds a grade the log lacks: the log is written first.
    conn = sqlite3.connect(db_path)
    try:
        indexed = [row[0] for row in conn.execute("SELECT event_id FROM reviews ORDER BY id")]
    finally:
        conn.close()
    assert set(indexed) <= {e["id"] for e in logged}
    assert len(indexed) >= len(logged) - 1
    # A new index rebuilt from the log holds every logged grade.
    rebuilt = tmp_path / "rebuilt.sqlite3"
    assert main(["scan", str(vault), "--db", str(rebuilt)]) == 0
    assert [r[-1] for r in sorted(history(rebuilt)["reviews"], key=lambda r: r[6])] == [
        e["id"] for e in logged
    ]


def test_log_folder_setting(vault: Path, tmp_path: Path) -> None:
    settings = settings_from_dict({"log": {"folder": "_quiz/log"}})
    assert settings.log_folder == "_quiz/log"
    assert Settings().log_folder == ".quiz/log"
    (vault / "quiz.toml").write_text('[log]\nfolder = "_quiz/log"\n', encoding="utf-8")
    db = tmp_path / "db.sqlite3"
    assert main(["scan", str(vault), "--db", str(db)]) == 0
    conn = open_db(db)
    try:
        session = NoteSession(conn, vault, IAM, settings, today=TODAY, clock=Clock(START))
        session.grade(Grade.GOOD)
    finally:
        conn.close()
    assert not (vault / ".quiz").exists()
    (log,) = log_files(vault, "_quiz/log")
    assert [e["card"] for e in events(log)] == [session.graded[0].card.id]
    # The walker takes neither folder's files for notes.
    (vault / ".quiz" / "log").mkdir(parents=True)
    (vault / ".quiz" / "log" / "other-1.jsonl").write_bytes(log.read_bytes())
    assert not [f.rel for f in walk(vault) if f.rel.startswith(("_quiz", ".quiz"))]
    assert main(["scan", str(vault), "--db", str(tmp_path / "fresh.sqlite3")]) == 0
    assert len(history(tmp_path / "fresh.sqlite3")["reviews"]) == 1  # read from _quiz/log


@pytest.mark.parametrize(
    "folder", ["/var/log/quiz", "../elsewhere", "_quiz/../../out", "C:\\quiz", "\\\\server\\x", ""]
)
def test_log_folder_outside_the_vault_is_refused(
    folder: str, capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    with pytest.raises(SettingsError, match=r"log\.folder"):
        settings_from_dict({"log": {"folder": folder}})
    (vault / "quiz.toml").write_text(f"[log]\nfolder = {json.dumps(folder)}\n", encoding="utf-8")
    assert main(["scan", str(vault), "--db", str(tmp_path / "db.sqlite3")]) == 2
    assert "log.folder" in capsys.readouterr().err


def test_log_folder_unknown_key_is_named() -> None:
    with pytest.raises(SettingsError, match=r"log\.path: unknown key"):
        settings_from_dict({"log": {"path": "_quiz/log"}})


def test_a_log_that_cannot_be_written_is_said_and_the_session_goes_on(
    vault: Path, tmp_path: Path
) -> None:
    (vault / ".quiz").mkdir()
    (vault / ".quiz" / "log").write_text("not a folder\n", encoding="utf-8")
    db = indexed(vault, tmp_path / "db.sqlite3")
    conn = open_db(db)
    try:
        session = NoteSession(conn, vault, IAM, Settings(), today=TODAY, clock=Clock(START))
        while session.current is not None:
            session.grade(Grade.GOOD)
        result = session.finish()
    finally:
        conn.close()
    assert result.written
    assert len(history(db)["reviews"]) == 5
    assert result.summary_lines()[-1].startswith(
        f".quiz/log/{session.log.path.name}: the review log could not be written"
    )


def test_replay_gives_the_states_of_review_after_review() -> None:
    from quiz.schedule import memory

    times = [START + dt.timedelta(minutes=m) for m in (0, 1, 11, 60 * 26, 60 * 24 * 9)]
    grades = [Grade.AGAIN, Grade.GOOD, Grade.GOOD, Grade.HARD, Grade.EASY]
    chained: list[str] = []
    for grade, when in zip(grades, times, strict=True):
        chained.append(memory.review(chained[-1] if chained else None, grade, when))
    assert memory.replay(zip(grades, times, strict=True)) == chained
    assert len(set(chained)) == len(chained)  # every review moved the state


def test_log_lines_from_elsewhere_are_checked_like_notes(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    tmp_path: Path,
) -> None:
    folder = vault / ".quiz" / "log"
    folder.mkdir(parents=True)
    base = {"v": 1, "kind": "grade", "session": "s1", "note": IAM, "day": "2026-11-25"}
    card = {"card": "293ebffca107c16f", "grade": 3}
    lines = [
        {**base, **card, "id": "ok-seoul", "at": "2026-11-25T17:00:00.000+09:00"},
        {**base, **card, "id": "naive", "at": "2026-11-25T08:00:00"},
        {**base, **card, "id": "list", "at": "2026-11-25T08:00:00Z", "typed": ["x"]},
        {**base, **card, "id": "object", "at": "2026-11-25T08:00:00Z", "cards": {"a": 1}},
        {**base, "card": "c", "grade": 7, "id": "grade7", "at": "2026-11-25T08:00:00Z"},
        {**base, **card, "id": "badday", "at": "2026-11-25T08:00:00Z", "day": "tomorrow"},
        {**base, **card, "id": "ok-utc", "at": "2026-11-25T07:30:00.000+00:00"},
        ["not", "an", "event"],
    ]
    (folder / "other-1.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines) + "\x00\xff\n",
        encoding="utf-8",
    )
    db = tmp_path / "db.sqlite3"
    _, err = stats(capsys, monkeypatch, vault, db)
    assert err.count("is not a review log entry; it is skipped") == 7
    reviews = history(db)["reviews"]
    # Times in one format (UTC), so they sort by time: Seoul's 17:00 is 08:00 UTC.
    assert [(r[6], r[-1]) for r in sorted(reviews, key=lambda r: r[6])] == [
        ("2026-11-25T07:30:00.000+00:00", "ok-utc"),
        ("2026-11-25T08:00:00.000+00:00", "ok-seoul"),
    ]


def test_history_from_before_the_log_is_written_into_it_once(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    tmp_path: Path,
) -> None:
    db = indexed(vault, tmp_path / "db.sqlite3")
    study(vault, db, IAM, START, good)
    study(vault, db, PROCESS, START.replace(hour=9), stop_after=3, finish=False)
    # As an index made before the log: no ids, and no log in the vault.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE reviews SET event_id = NULL")
        conn.execute("UPDATE sessions SET uid = NULL")
    conn.close()
    shutil.rmtree(vault / ".quiz")
    before = history(db, ids=False)
    assert len(before["reviews"]) == 8

    doc, err = stats(capsys, monkeypatch, vault, db)
    (log,) = log_files(vault)
    assert f"{log.name}: 8 reviews kept from before the review log were written to it" in err
    assert [e["kind"] for e in events(log)] == ["grade"] * 8 + ["session"]
    assert history(db, ids=False) == before
    again, err = stats(capsys, monkeypatch, vault, db)
    assert err == "" and again == doc
    assert len(events(log)) == 9  # written once

    fresh = tmp_path / "fresh.sqlite3"
    rebuilt, _ = stats(capsys, monkeypatch, vault, fresh)
    assert rebuilt == doc
    assert history(fresh, ids=False) == before


def test_the_summary_screen_says_when_the_log_could_not_be_written(tmp_path: Path) -> None:
    from quiz.tui.summary import SummaryScreen

    from .tui_snapshot_app import make_app, synchronous

    app = make_app(tmp_path)
    (app.study.vault / ".quiz").mkdir()
    (app.study.vault / ".quiz" / "log").write_text("not a folder\n", encoding="utf-8")

    @synchronous
    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            session = app.screen.session  # type: ignore[attr-defined]
            while session.position < len(session.cards) - 1:
                session.grade(Grade.GOOD)
            await pilot.press("space", "3")
            assert isinstance(app.screen, SummaryScreen)
            assert app.screen.lines["log"].startswith(".quiz/log/")
            assert "the review log could not be written" in app.screen.lines["log"]
            assert "the review log could not be written" in str(
                app.screen.query_one("#report").render()
            )

    run()


def test_appending_without_pread_still_ends_a_torn_line(
    monkeypatch: pytest.MonkeyPatch, vault: Path
) -> None:
    # Windows has no os.pread: the last byte is read after a seek instead.
    monkeypatch.delattr(os, "pread")
    log = review_log.ReviewLog(vault, Settings(), device="win-1")
    log.append("grade", START, session="s", card="c", grade=3, day="2026-11-25")
    with log.path.open("ab") as fh:
        fh.write(b'{"torn')
    log.append("grade", START, session="s", card="d", grade=1, day="2026-11-25")
    first, torn, last = log.path.read_bytes().split(b"\n")[:3]
    assert torn == b'{"torn'
    assert [json.loads(first)["card"], json.loads(last)["card"]] == ["c", "d"]
    assert log.problem is None


def test_an_import_beside_a_session_waits_for_its_grade(vault: Path, tmp_path: Path) -> None:
    # `quiz due` in a second terminal while the app grades: it reads the
    # grade's line while the session's transaction is still open.
    import threading

    db = indexed(vault, tmp_path / "db.sqlite3")
    conn = open_db(db)
    session = NoteSession(conn, vault, IAM, Settings(), today=TODAY, clock=Clock(START))
    append = session.log.append
    beside: list[BaseException | review_log.ImportReport] = []

    def other_quiz() -> None:
        other = open_db(db)
        try:
            beside.append(review_log.import_logs(other, vault, Settings()))
        except BaseException as exc:  # pragma: no cover - what the test guards against
            beside.append(exc)
        finally:
            other.close()

    def append_then_race(*args: Any, **kwargs: Any) -> str:
        event_id = append(*args, **kwargs)
        thread = threading.Thread(target=other_quiz)
        thread.start()
        thread.join(timeout=0.5)  # it waits for this transaction's write lock
        threads.append(thread)
        return event_id

    threads: list[threading.Thread] = []
    session.log.append = append_then_race  # type: ignore[method-assign]
    try:
        session.grade(Grade.GOOD)
    finally:
        for thread in threads:
            thread.join(timeout=30)
        conn.close()
    assert len(beside) == 1 and isinstance(beside[0], review_log.ImportReport), beside
    (review,) = history(db)["reviews"]
    assert review[-1] == session.log.path.read_bytes().split(b'"id":"')[1][:32].decode()


def test_an_index_of_schema_1_gains_the_log_ids(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from quiz.store import schema

    path = tmp_path / "v1.sqlite3"
    old = Database(path)
    schema._create_v1(old)
    old.table("meta").insert({"key": "schema_version", "value": "1"})
    old.table("sessions").insert({"note_path": IAM, "day": "2026-11-24", "started_at": "x"})
    old.table("reviews").insert(
        {"session_id": 1, "card_id": "c1", "note_path": IAM, "grade": 3, "day": "2026-11-24",
         "reviewed_at": "2026-11-24T09:00:00.000+00:00"}
    )  # fmt: skip
    old.close()

    db = open_db(path)
    try:
        # v2 the log ids, v3 has_cues, v4 answer sources, v5 mirrors, v6 the write-back
        # state, v7 no copies, v8 cards_live, v9 reviews_latest
        assert schema.schema_version(db) == 9
        assert {"writeback", "write_reason", "fields_digest"} <= set(db["sessions"].columns_dict)
        assert "cards_live" in {i.name for i in db.table("cards").indexes}
        assert "reviews_latest" in {i.name for i in db.table("reviews").indexes}
        assert "uid" in db.table("sessions").columns_dict
        assert "event_id" in db.table("reviews").columns_dict
        assert "note_path" not in db.table("reviews").columns_dict
        unread = {"encoding", "repaired", "frontmatter_ok", "warnings", "scanned_at"}
        unread |= {"learning_rate", "review_status"}  # a scan and a session wrote them
        assert unread.isdisjoint(db.table("notes").columns_dict)
        assert "first_seen" not in db.table("cards").columns_dict
        assert [(r["card_id"], r["grade"]) for r in db.table("reviews").rows] == [("c1", 3)]
        assert db.table("log_files").count == 0
        assert [r["uid"] for r in db.table("sessions").rows] == [None]
    finally:
        db.close()


def test_a_log_folder_symlinked_out_of_the_vault_is_not_written(
    vault: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (vault / "_quiz").symlink_to(outside, target_is_directory=True)
    log = review_log.ReviewLog(vault, settings_from_dict({"log": {"folder": "_quiz/log"}}))
    log.append("grade", START, session="s", card="c", grade=3, day="2026-11-25")
    assert log.problem is not None and "leads out of the vault" in log.problem
    assert list(outside.iterdir()) == []  # not even the folder was made
    (outside / "log").mkdir()
    (outside / "log" / "x-1.jsonl").write_bytes(
        review_log.event_line("e1", "grade", START, "x-1", session="s", card="c", grade=3,
                              day="2026-11-25")
    )  # fmt: skip
    db = open_db(None)
    try:
        report = review_log.import_logs(
            db, vault, settings_from_dict({"log": {"folder": "_quiz/log"}})
        )
        assert report.warnings == ["_quiz/log: leads out of the vault; its logs are not read"]
        assert db.table("reviews").count == 0
    finally:
        db.close()


def test_index_rows_that_make_no_valid_log_entry_stay_in_the_index(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    tmp_path: Path,
) -> None:
    db = indexed(vault, tmp_path / "db.sqlite3")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO sessions (id, note_path, day, started_at) VALUES (1, ?, ?, ?)",
                     [IAM, "2026-11-25", "x"])  # fmt: skip
        conn.executemany(
            "INSERT INTO reviews (session_id, card_id, grade, reviewed_at, day) "
            "VALUES (1, 'c', 3, ?, ?)",
            [("2026-11-25T10:05:00", "2026-11-25"), ("2026-11-25T10:05:00+00:00", "d"),
             ("yesterday", "2026-11-24")],
        )  # fmt: skip
    conn.close()
    _, err = stats(capsys, monkeypatch, vault, db)
    assert "3 reviews in the index have no valid time or day for the review log" in err
    assert not (vault / ".quiz").exists()
    _, err = stats(capsys, monkeypatch, vault, db)
    assert err == ""  # marked, not tried again
    assert len(history(db)["reviews"]) == 3


# -- this device's id ---------------------------------------------------------------


def _id_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("quiz")) / "device-id"


def test_a_torn_device_id_is_made_anew_and_kept() -> None:
    review_log.device_id.cache_clear()
    path = _id_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="ascii")  # a crash mid-write, before
    made = review_log.device_id()
    assert re.fullmatch(r"[0-9a-f]{12}", made)
    assert path.read_text(encoding="ascii") == made + "\n"
    review_log.device_id.cache_clear()
    assert review_log.device_id() == made  # the next run keeps it
    assert [p.name for p in path.parent.iterdir()] == ["device-id"]  # no temporary left
    review_log.device_id.cache_clear()


def test_two_commands_started_at_once_share_one_device_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    review_log.device_id.cache_clear()
    path = _id_file()
    first = "0123456789ab"
    real_new_id = review_log.new_id

    def raced() -> str:
        # The other command writes its id between our look and our write.
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(first + "\n", encoding="ascii")
        return real_new_id()

    monkeypatch.setattr(review_log, "new_id", raced)
    assert review_log.device_id() == first
    assert path.read_text(encoding="ascii") == first + "\n"
    review_log.device_id.cache_clear()
