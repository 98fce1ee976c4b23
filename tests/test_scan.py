"""``quiz scan``: incremental index, gone-not-dropped, moved notes keep history."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from quiz.config import Settings
from quiz.store import open_db
from quiz.store.index import scan

from .conftest import FIXTURES, NewDb

NOTE = "---\n❕과목: OS\n---\n### 단서 질문\n\n- {q}\n    {a}\n- 둘째?\n    둘.\n"


def write(path: Path, q: str = "첫째?", a: str = "하나.") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTE.format(q=q, a=a), encoding="utf-8")


def live_cards(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT id, note_path FROM cards WHERE gone_at IS NULL").fetchall())


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    write(root / "os" / "a.md")
    write(root / "os" / "b.md", q="셋째?")
    (root / ".obsidian").mkdir()
    write(root / ".obsidian" / "hidden.md")
    (root / "readme.txt").write_text("not a note")
    return root


def test_first_scan_indexes_notes_and_skips_dot_folders(vault: Path, new_db: NewDb) -> None:
    db = new_db()
    report = scan(vault, db, Settings())
    assert (report.notes, report.read, report.unchanged, report.cards) == (2, 2, 0, 4)
    paths = [r["path"] for r in db["notes"].rows]
    assert sorted(paths) == ["os/a.md", "os/b.md"]
    row = db["notes"].get("os/a.md")
    assert row["subject"] == "OS" and row["card_count"] == 2


def test_rescan_reads_only_changed_files(vault: Path, new_db: NewDb) -> None:
    db = new_db()
    scan(vault, db, Settings())
    again = scan(vault, db, Settings())
    assert (again.read, again.unchanged) == (0, 2)
    write(vault / "os" / "a.md", a="고친 답입니다.")
    third = scan(vault, db, Settings())
    assert (third.read, third.unchanged) == (1, 1)
    answers = [r["answer"] for r in db["cards"].rows_where("note_path = ?", ["os/a.md"])]
    assert "고친 답입니다." in answers


def test_deleted_note_is_marked_gone_not_dropped(vault: Path, new_db: NewDb) -> None:
    db = new_db()
    scan(vault, db, Settings())
    ids_b = {i for i, p in live_cards(db).items() if p == "os/b.md"}
    (vault / "os" / "b.md").unlink()
    report = scan(vault, db, Settings())
    assert report.gone == 1
    assert db["notes"].get("os/b.md")["gone_at"] is not None
    assert ids_b.isdisjoint(live_cards(db))
    assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == 4  # rows kept


def test_removed_card_is_marked_gone(vault: Path, new_db: NewDb) -> None:
    db = new_db()
    scan(vault, db, Settings())
    (vault / "os" / "a.md").write_text("### 단서 질문\n\n- 둘째?\n    둘.\n", encoding="utf-8")
    scan(vault, db, Settings())
    gone = [r["question"] for r in db["cards"].rows_where("gone_at IS NOT NULL")]
    assert gone == ["첫째?"]


def test_moved_note_keeps_card_ids(vault: Path, new_db: NewDb) -> None:
    db = new_db()
    scan(vault, db, Settings())
    before = {i for i, p in live_cards(db).items() if p == "os/a.md"}
    (vault / "archive").mkdir()
    shutil.move(vault / "os" / "a.md", vault / "archive" / "a.md")
    scan(vault, db, Settings())
    after = live_cards(db)
    assert all(after[i] == "archive/a.md" for i in before)
    assert db["notes"].get("os/a.md")["gone_at"] is not None


def test_returning_note_comes_back_to_life(vault: Path, new_db: NewDb) -> None:
    db = new_db()
    scan(vault, db, Settings())
    text = (vault / "os" / "b.md").read_bytes()
    (vault / "os" / "b.md").unlink()
    scan(vault, db, Settings())
    (vault / "os" / "b.md").write_bytes(text)
    report = scan(vault, db, Settings())
    assert report.cards == 4 and db["notes"].get("os/b.md")["gone_at"] is None


def test_same_name_same_question_in_two_folders_get_distinct_ids(
    vault: Path, new_db: NewDb
) -> None:
    write(vault / "other" / "a.md")
    db = new_db()
    report = scan(vault, db, Settings())
    assert report.cards == 6
    assert any("same file name" in w for w in report.warnings)


def test_a_same_named_notes_ids_survive_reordering_its_cards(vault: Path, new_db: NewDb) -> None:
    write(vault / "other" / "a.md")
    db = new_db()
    scan(vault, db, Settings())
    before = {i for i, p in live_cards(db).items() if p == "other/a.md"}
    (vault / "other" / "a.md").write_text(
        "---\n❕과목: OS\n---\n### 단서 질문\n\n- 둘째?\n    둘.\n- 첫째?\n    하나.\n",
        encoding="utf-8",
    )
    scan(vault, db, Settings())
    after = {i for i, p in live_cards(db).items() if p == "other/a.md"}
    assert len(before) == 2 and after == before


def test_bad_files_are_reported_and_the_rest_indexed(vault: Path, new_db: NewDb) -> None:
    shutil.copy(FIXTURES / "binary.md", vault / "binary.md")
    db = new_db()
    report = scan(vault, db, Settings())
    assert report.problems == ["binary.md: binary file (contains NUL bytes), not a Markdown note"]
    assert report.cards == 4


def test_reported_card_count_is_the_live_cards(vault: Path, new_db: NewDb) -> None:
    db = new_db()

    def check() -> None:
        report = scan(vault, db, Settings())
        assert report.cards == len(live_cards(db))

    check()
    write(vault / "os" / "a.md", a="고친 답.")  # an answer edited
    check()
    (vault / "os" / "a.md").write_text("### 단서 질문\n\n- 둘째?\n    둘.\n", encoding="utf-8")
    check()  # a card removed
    (vault / "archive").mkdir()
    shutil.move(vault / "os" / "b.md", vault / "archive" / "b.md")
    check()  # a note moved
    write(vault / "other" / "b.md", q="셋째?")
    check()  # a same-named note with the same question
    (vault / "archive" / "b.md").unlink()
    check()  # a note deleted
    shutil.copy(FIXTURES / "binary.md", vault / "os" / "a.md")
    check()  # a note that became unreadable keeps its cards


def test_parallel_read_matches_serial(
    vault: Path, monkeypatch: pytest.MonkeyPatch, new_db: NewDb
) -> None:
    for n in range(30):
        write(vault / "bulk" / f"n{n}.md", q=f"질문 {n}?")
    shutil.copy(FIXTURES / "binary.md", vault / "bulk" / "binary.md")
    serial = new_db()
    expected = scan(vault, serial, Settings())
    monkeypatch.setattr("quiz.store.index.PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = new_db()
    report = scan(vault, parallel, Settings())
    query = "SELECT id, note_path, question, answer FROM cards ORDER BY id"
    assert serial.execute(query).fetchall() == parallel.execute(query).fetchall()
    # A bad file read in a worker comes back as the same problem.
    assert (
        report.problems
        == expected.problems
        == ["bulk/binary.md: binary file (contains NUL bytes), not a Markdown note"]
    )


def test_a_scan_in_a_thread_starts_its_workers_from_a_fork_server(
    vault: Path, monkeypatch: pytest.MonkeyPatch, new_db: NewDb, tmp_path: Path
) -> None:
    """The app scans in a worker thread: forking there can hang a worker on a
    lock another thread held (Python 3.12+ warns); quiz scan alone forks."""
    import concurrent.futures
    import multiprocessing
    import threading

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform")
    for n in range(30):
        write(vault / "bulk" / f"n{n}.md", q=f"질문 {n}?")
    serial = new_db()
    scan(vault, serial, Settings())
    monkeypatch.setattr("quiz.store.index.PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    methods: list[str | None] = []
    real_pool = concurrent.futures.ProcessPoolExecutor

    def pool(*args: Any, mp_context: Any = None, **kwargs: Any) -> Any:
        methods.append(mp_context.get_start_method() if mp_context else None)
        return real_pool(*args, mp_context=mp_context, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    index = tmp_path / "threaded.db"
    done: list[object] = []

    def in_thread() -> None:
        db = open_db(index)  # a connection belongs to its thread
        try:
            done.append(scan(vault, db, Settings()))
        finally:
            db.close()

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join(120)
    assert done and methods == ["forkserver"]
    query = "SELECT id, note_path, question, answer FROM cards ORDER BY id"
    assert new_db(index).execute(query).fetchall() == serial.execute(query).fetchall()
