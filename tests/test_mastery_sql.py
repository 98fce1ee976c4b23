"""Mastery's and the forecast's figures, summed by SQLite, against a plain reckoning.

``mastery`` and ``habits`` read the index in a few aggregate queries (and one
pass over the reviewed cards) for speed on large vaults. Here a small index
with a history is reckoned again the slow, obvious way: every table read
whole, every note's state through ``note_state`` (the one-note path),
every card's recall from its whole FSRS state and its reviews sorted in
Python, the learning rate from the mirror fields by hand. The history: a
practice ten days ago, a day-7 pass today (then the note is moved to another
folder), a pass whose write-back is refused (a read-only note: pending), a
failed session with Agains, and a finished note alone in its textbook.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from quiz.config import Settings
from quiz.schedule import memory
from quiz.schedule.stages import Grade, due
from quiz.session import NoteSession
from quiz.store import open_db
from quiz.store.habits import FORECAST_DAYS, habits
from quiz.store.index import scan
from quiz.store.queries import (
    LAST_GRADE,
    Mastery,
    live_notes,
    mastery,
    note_state,
    reviewed_live_cards,
)
from quiz.store.schema import SCHEMA_VERSION

from .tui_snapshot_app import copy_vault

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
IAM = "AWS/IAM 정책.md"  # day 7 due today, 5 cards
MOVED = "AWS/보안/IAM 정책.md"
S3 = "AWS/S3 스토리지 클래스.md"  # day 1 due today, 6 cards
SQS = "AWS/SQS와 SNS.md"  # all five stages done, mirrors 1,1,1,-,1
THREADS = "운영체제/프로세스와 스레드.md"  # day 4 due, 6 cards
DEADLOCK = "운영체제/교착상태.md"  # day 4 due on 11-18, 6 cards
BOOK = "❕교재: Ultimate AWS Certified Solutions Architect Associate SAA-C03\n"


def run(
    db: Database,
    vault: Path,
    note: str,
    grades: Iterable[int],
    day: dt.date,
    settings: Settings | None = None,
) -> None:
    """A whole session over ``note`` on ``day`` with these first grades (a
    card graded Again comes back once more, then Good), finished."""
    when = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    settings = settings or Settings()
    session = NoteSession(db, vault, note, settings, today=day, clock=lambda: when)
    for grade in grades:
        session.grade(Grade(grade), duration_ms=5000)
    while session.current is not None:
        session.grade(Grade.GOOD, duration_ms=5000)
    session.finish()


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, Database]:
    vault = copy_vault(tmp_path)
    sqs = vault / SQS
    text = sqs.read_text(encoding="utf-8")
    assert text.count(BOOK) == 1
    sqs.write_text(text.replace(BOOK, "❕교재: 끝난 책\n"), encoding="utf-8")
    db = open_db(tmp_path / "db.sqlite3")
    scan(vault, db, Settings())
    run(db, vault, DEADLOCK, [1, 2, 3, 3, 3, 3], TODAY - dt.timedelta(days=10))
    run(db, vault, IAM, [3, 3, 1, 3, 3], TODAY)
    # Its Agains do not come back: they stay the cards' latest grades.
    run(db, vault, S3, [1, 1, 3, 1, 3, 3], TODAY, Settings(relearn=()))
    os.chmod(vault / THREADS, 0o444)
    try:
        run(db, vault, THREADS, [3, 2, 3, 3, 2, 3], TODAY)
    finally:
        os.chmod(vault / THREADS, 0o644)
    (vault / MOVED).parent.mkdir()
    (vault / IAM).rename(vault / MOVED)
    scan(vault, db, Settings())
    yield vault, db
    db.close()


def _rate(done: tuple[bool, ...], mirrors: list[float | None]) -> float:
    """The note's own formula, by hand: its mirrors (a done stage counts 1) / 5;
    without mirror fields, its done stages / 5."""
    if all(m is None for m in mirrors):
        return round(sum(done) / 5, 1)
    return round(
        sum(1.0 if d else m for d, m in zip(done, mirrors, strict=True) if m is not None) / 5, 1
    )


def reckoned(db: Database, settings: Settings) -> dict[tuple[str, ...], dict[str, Any]]:
    """Mastery's rows reckoned the slow way, by (subject,) and (subject, textbook)."""
    shelf_of: dict[str, tuple[str, str]] = {}
    notes: dict[tuple[str, ...], list[tuple[int, float, bool, bool]]] = defaultdict(list)
    for path, subject, textbook, cards, first, stages, mirrors in db.execute(
        "SELECT path, subject, textbook, card_count, first_studied, stages, mirrors FROM notes "
        "WHERE gone_at IS NULL AND card_count > 0"
    ).fetchall():
        shelf = (subject or "(no subject)", textbook or "(no textbook)")
        shelf_of[path] = shelf
        day = dt.date.fromisoformat(first) if first else None
        state = note_state(db, path, day, json.loads(stages or "[]"))
        marks = (json.loads(mirrors) if mirrors else []) + [None] * 5
        facts = (
            cards,
            _rate(state.done, marks[:5]),
            state.done[4],
            bool(due(state, TODAY, settings.offsets)),
        )
        notes[shelf].append(facts)
        notes[shelf[:1]].append(facts)
    note_of = dict(db.execute("SELECT id, note_path FROM cards").fetchall())
    week, month = TODAY - dt.timedelta(days=6), TODAY - dt.timedelta(days=29)
    graded: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    history: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for review_id, card, day, at, grade in db.execute(
        "SELECT id, card_id, day, reviewed_at, grade FROM reviews"
    ).fetchall():
        history[card].append((at, review_id, grade))
        shelf = shelf_of.get(note_of[card])
        if shelf is not None and month <= dt.date.fromisoformat(day) <= TODAY:
            graded[shelf].append((day, grade))
            graded[shelf[:1]].append((day, grade))
    live = {c for (c,) in db.execute("SELECT id FROM cards WHERE gone_at IS NULL").fetchall()}
    recall: dict[tuple[str, ...], list[float]] = defaultdict(list)
    for card, state in db.execute("SELECT card_id, state FROM memory").fetchall():
        shelf = shelf_of.get(note_of.get(card, ""))
        if card not in live or shelf is None:
            continue
        last = max(history[card])[2] if history[card] else None
        r = memory.recall(state, Grade(last) if last else None, NOW)
        if r is not None:
            recall[shelf].append(r)
            recall[shelf[:1]].append(r)

    def share(grades: list[int]) -> float | None:
        return round(sum(g >= 2 for g in grades) / len(grades), 3) if grades else None

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 3) if values else None

    out = {}
    for key, facts in notes.items():
        in_week = [g for d, g in graded[key] if dt.date.fromisoformat(d) >= week]
        out[key] = {
            "notes": len(facts),
            "cards": sum(f[0] for f in facts),
            "learning_rate": mean([f[1] for f in facts]),
            "long_term": sum(f[2] for f in facts),
            "due": sum(f[3] for f in facts),
            "accuracy_30d": share([g for _, g in graded[key]]),
            "accuracy_7d": share(in_week),
            "reviews_30d": len(graded[key]),
            "reviews_7d": len(in_week),
            "retrievability": mean(recall[key]),
        }
    return out


def figures_of(rows: list[Mastery]) -> dict[tuple[str, ...], dict[str, Any]]:
    out = {}
    for row in rows:
        for key, m in [((row.name,), row)] + [((row.name, b.name), b) for b in row.textbooks]:
            out[key] = {name: getattr(m, name) for name in (
                "notes", "cards", "learning_rate", "long_term", "due", "accuracy_30d",
                "accuracy_7d", "reviews_30d", "reviews_7d", "retrievability",
            )}  # fmt: skip
    return out


def test_mastery_agrees_with_the_figures_reckoned_by_hand(
    history: tuple[Path, Database],
) -> None:
    _, db = history
    settings = Settings()
    got = figures_of(mastery(db, settings, TODAY, NOW))
    assert got == reckoned(db, settings)
    # Read by eye: the finished note alone in its textbook reads 0.8 (its
    # template has no day-14 mirror), not 1.0.
    assert got[("AWS", "끝난 책")]["learning_rate"] == 0.8
    assert got[("AWS", "끝난 책")]["long_term"] == 1
    # The refused day-4 pass is pending, not progress: the note still reads
    # its own 0.2 and is still due. 운영체제: (0.2 + 0.6 + 0.2 + 0.4 + 0.2) / 5.
    os_row = got[("운영체제",)]
    assert os_row["learning_rate"] == 0.32 and os_row["due"] == 3
    # The moved note keeps its reviews. Today IAM 5 of 6 Hard or better (its
    # Again came back once, Good) and S3 3 of 6: 8 of 12.
    aws = got[("AWS",)]
    assert (aws["accuracy_7d"], aws["reviews_7d"]) == (0.667, 12)
    # 교착상태's practice ten days ago (6 of 7) counts in the 30 days only.
    assert (os_row["reviews_7d"], os_row["reviews_30d"]) == (6, 13)
    assert (os_row["accuracy_7d"], os_row["accuracy_30d"]) == (1.0, 0.923)
    # Cards last graded Again are not recalled: S3's three of the eleven
    # cards graded today, the others just reviewed.
    assert aws["retrievability"] is not None and 0.65 < aws["retrievability"] < 8 / 11


def test_mastery_with_the_notes_and_cards_read_once_is_the_same(
    history: tuple[Path, Database],
) -> None:
    _, db = history
    settings = Settings()
    notes, cards = live_notes(db), reviewed_live_cards(db)
    assert mastery(db, settings, TODAY, NOW, notes, cards) == mastery(db, settings, TODAY, NOW)
    assert habits(db, settings, TODAY, notes, cards) == habits(db, settings, TODAY)


def test_the_forecast_of_cards_agrees_with_their_due_times_by_hand(
    history: tuple[Path, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, db = history
    monkeypatch.setenv("TZ", "Asia/Seoul")  # a day boundary away from UTC's
    import time

    time.tzset()
    try:
        live = {c for (c,) in db.execute("SELECT id FROM cards WHERE gone_at IS NULL").fetchall()}
        counts = [0] * FORECAST_DAYS
        for card, state in db.execute("SELECT card_id, state FROM memory").fetchall():
            if card not in live:
                continue
            when = dt.datetime.fromisoformat(json.loads(state)["due"])
            offset = (when.astimezone(ZoneInfo("Asia/Seoul")).date() - TODAY).days
            if offset < FORECAST_DAYS:
                counts[max(0, offset)] += 1
        notes, cards = live_notes(db), reviewed_live_cards(db)
        forecast = habits(db, Settings(), TODAY, notes, cards).forecast
    finally:
        monkeypatch.undo()
        time.tzset()
    assert [f.cards for f in forecast] == counts
    assert sum(counts) == 6 + 5 + 6 + 6  # every card graded (IAM moved with its cards)


def test_recall_at_a_time_is_recall_from_the_whole_state() -> None:
    start = dt.datetime(2026, 11, 20, 8, 15, 30, 250000, tzinfo=dt.UTC)
    state = None
    at = memory.recall_at(NOW)
    for grade in (Grade.GOOD, Grade.AGAIN, Grade.HARD, Grade.EASY):
        state = memory.review(state, grade, start)
        fields = json.loads(state)
        assert at(fields["stability"], fields["last_review"], int(grade)) == memory.recall(
            state, grade, NOW
        )
        start += dt.timedelta(hours=20)
    assert at(None, None, None) is None
    assert at(2.0, "2026-11-24T09:00:00+00:00", 1) == 0.0


def test_an_index_of_schema_8_gains_the_latest_grade_index(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    open_db(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX reviews_latest")
        conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    conn.close()
    db = open_db(path)
    try:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),
        )
        assert "reviews_latest" in {i.name for i in db.table("reviews").indexes}
        # Each card's latest grade is one look-up in it, however long its history.
        plan = " ".join(
            str(row[-1])
            for row in db.execute(f"EXPLAIN QUERY PLAN SELECT {LAST_GRADE} FROM memory m")
        )
        assert "COVERING INDEX reviews_latest" in plan
    finally:
        db.close()
