"""Several quiz processes on one index: nobody dies of "database is locked".

A scan loop that rewrites a note every round (so each scan writes) runs
against two study loops (each: refresh the index as ``quiz study`` does, open
a session, grade every card, finish) in separate processes, all on one vault
and one index file. Before writers took the index with ``BEGIN IMMEDIATE``,
a deferred transaction that had read first could not upgrade to a writer and
failed at once with ``SQLITE_BUSY``, without waiting.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import traceback
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

from quiz.config import Settings
from quiz.schedule.stages import Grade
from quiz.store import open_db
from quiz.store.index import scan
from quiz.study import Study

ROUNDS = 200
NOTE = "---\n❕과목: 테스트\n---\n### 단서 질문\n\n- {q}첫째?\n    하나.\n- {q}둘째?\n    둘.\n"
TODAY = dt.date(2026, 11, 25)


def _write(path: Path, q: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTE.format(q=q), encoding="utf-8")


def _scan_loop(vault: Path, db_path: Path, start: Event, out: Queue[list[str]]) -> None:
    failures: list[str] = []
    start.wait()
    for n in range(ROUNDS):
        _write(vault / "churn.md", f"{n}번 ")
        try:
            with open_db(db_path) as db:
                scan(vault, db, Settings())
        except Exception:
            failures.append(traceback.format_exc(limit=3))
    out.put(failures)


def _study_loop(vault: Path, db_path: Path, note: str, start: Event, out: Queue[list[str]]) -> None:
    failures: list[str] = []
    start.wait()
    for _ in range(ROUNDS):
        try:
            with open_db(db_path) as db:
                scan(vault, db, Settings())
                session = Study(db, vault, Settings(), TODAY, write=False).open(note)
                while not session.finished:
                    session.grade(Grade.GOOD)
                session.finish()
        except Exception:
            failures.append(traceback.format_exc(limit=3))
    out.put(failures)


def test_sessions_and_scans_at_once_never_fail(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    _write(vault / "a.md", "가 ")
    _write(vault / "b.md", "나 ")
    _write(vault / "churn.md", "")
    db_path = tmp_path / "db.sqlite3"
    with open_db(db_path) as db:
        scan(vault, db, Settings())
    # spawn: a fork of the pytest process could inherit its threads' locks.
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=_scan_loop, args=(vault, db_path, start, out)),
        ctx.Process(target=_study_loop, args=(vault, db_path, "a.md", start, out)),
        ctx.Process(target=_study_loop, args=(vault, db_path, "b.md", start, out)),
    ]
    for w in workers:
        w.start()
    start.set()  # the three loops overlap from their first round
    try:
        failures = [f for _ in workers for f in out.get(timeout=300)]
    finally:
        for w in workers:
            w.join(timeout=30)
        out.close()
    assert failures == [], f"{len(failures)} failed rounds; the first:\n{failures[0]}"
    with open_db(db_path) as db:
        sessions = db.execute("SELECT count(*) FROM sessions WHERE complete = 1").fetchone()[0]
        reviews = db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert (sessions, reviews) == (2 * ROUNDS, 2 * ROUNDS * 2)
