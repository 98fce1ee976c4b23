"""Two notes with one file name: which keeps the plain card ids is settled once.

The ids expected here are hashes written out by hand from the rule in
``quiz.notes.ids`` (blake2b of key, question, occurrence, path), not taken
from the index under test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.cli import main
from quiz.config import Settings
from quiz.schedule.stages import Grade
from quiz.store.index import scan
from quiz.store.log import ReviewLog

from .conftest import NewDb

NOTE = "### 단서 질문\n\n- 교착 상태란?\n    서로 기다리며 멈춘 상태.\n"


def plain() -> str:
    return hashlib.blake2b("deadlock\x1f교착 상태란?".encode(), digest_size=8).hexdigest()


def tied(path: str) -> str:
    material = f"deadlock\x1f교착 상태란?\x1f0\x1f{path}".encode()
    return hashlib.blake2b(material, digest_size=8).hexdigest()


def write(vault: Path, rel: str, extra: str = "") -> None:
    path = vault / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTE + extra, encoding="utf-8")


def ids_by_note(db: Database) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for cid, path in db.execute("SELECT id, note_path FROM cards WHERE gone_at IS NULL"):
        found.setdefault(path, set()).add(cid)
    return found


def test_a_third_same_named_note_moves_no_id(tmp_path: Path, new_db: NewDb) -> None:
    vault = tmp_path / "v"
    write(vault, "os/deadlock.md")
    db = new_db()
    scan(vault, db, Settings())
    # Earlier by path than the note that has the plain id: it does not take it.
    write(vault, "a/deadlock.md")
    scan(vault, db, Settings())
    write(vault, "0/Deadlock.md")
    scan(vault, db, Settings())
    assert ids_by_note(db) == {
        "os/deadlock.md": {plain()},
        "a/deadlock.md": {tied("a/deadlock.md")},
        "0/Deadlock.md": {tied("0/Deadlock.md")},
    }


def test_two_new_same_named_notes_the_first_path_keeps_the_plain_id(
    tmp_path: Path, new_db: NewDb
) -> None:
    vault = tmp_path / "v"
    write(vault, "z/deadlock.md")
    write(vault, "b/deadlock.md")
    db = new_db()
    scan(vault, db, Settings())
    assert ids_by_note(db) == {
        "b/deadlock.md": {plain()},
        "z/deadlock.md": {tied("z/deadlock.md")},
    }


def test_a_new_index_gives_each_note_the_ids_its_grades_were_given_on(
    tmp_path: Path, new_db: NewDb
) -> None:
    vault = tmp_path / "v"
    write(vault, "os/deadlock.md")
    db = new_db()
    scan(vault, db, Settings())
    write(vault, "a/deadlock.md")
    scan(vault, db, Settings())
    incremental = ids_by_note(db)
    assert incremental["os/deadlock.md"] == {plain()}
    # Both notes graded; the log is what a rebuilt index has.
    log = ReviewLog(vault, Settings(), device="test-1")
    at = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    for path, card in (("os/deadlock.md", plain()), ("a/deadlock.md", tied("a/deadlock.md"))):
        log.append("grade", at, session="s1", note=path, day="2026-11-20", card=card, grade=3)
    rebuilt = new_db()
    scan(vault, rebuilt, Settings())
    assert ids_by_note(rebuilt) == incremental


def test_a_note_keeps_its_path_tied_ids_after_its_twin_is_gone(
    tmp_path: Path, new_db: NewDb
) -> None:
    vault = tmp_path / "v"
    write(vault, "os/deadlock.md")
    db = new_db()
    scan(vault, db, Settings())
    write(vault, "a/deadlock.md")
    scan(vault, db, Settings())
    (vault / "os" / "deadlock.md").unlink()
    write(vault, "a/deadlock.md", extra="- 기아 상태란?\n    끝없이 밀리는 상태.\n")
    scan(vault, db, Settings())
    assert tied("a/deadlock.md") in ids_by_note(db)["a/deadlock.md"]
    assert plain() not in ids_by_note(db)["a/deadlock.md"]


def study(db: Database, vault: Path, note: str, grade: Grade, hour: int) -> list[str]:
    """Grade every card of ``note`` once with ``grade``; the ids the session graded.

    Nothing is relearned (``relearn=()``): with the default, cards graded Again
    would come back for ever in this loop.
    """
    from quiz.session import NoteSession

    at = dt.datetime(2026, 11, 20, hour, tzinfo=dt.UTC)
    settings = Settings(relearn=())
    session = NoteSession(db, vault, note, settings, today=at.date(), clock=lambda: at, write=False)
    graded = []
    while session.current is not None:
        graded.append(session.current.id)
        session.grade(grade)
    session.finish()
    return graded


def reviews_by_note(db: Database) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for path, cid, grade in db.execute(
        "SELECT c.note_path, r.card_id, r.grade FROM reviews r JOIN cards c ON c.id = r.card_id "
        "ORDER BY r.id"
    ):
        found.setdefault(path, []).append((cid, grade))
    return found


OWN = "- 기아 상태란?\n    끝없이 밀리는 상태.\n"


def test_the_second_same_named_note_keeps_its_own_reviews(tmp_path: Path, new_db: NewDb) -> None:
    vault = tmp_path / "v"
    write(vault, "os/deadlock.md")
    write(vault, "b/deadlock.md", extra=OWN)
    db = new_db()
    scan(vault, db, Settings())
    first = study(db, vault, "b/deadlock.md", Grade.AGAIN, 9)
    second = study(db, vault, "os/deadlock.md", Grade.EASY, 10)
    assert second == [tied("os/deadlock.md")]
    assert plain() in first and tied("os/deadlock.md") not in first
    by_note = reviews_by_note(db)
    assert by_note["os/deadlock.md"] == [(tied("os/deadlock.md"), int(Grade.EASY))]
    assert sorted(by_note["b/deadlock.md"]) == sorted((c, int(Grade.AGAIN)) for c in first)
    memory = dict(db.execute("SELECT card_id, reviews FROM memory").fetchall())
    assert memory == {**dict.fromkeys(first, 1), tied("os/deadlock.md"): 1}


def test_a_same_named_note_made_after_the_scan_gets_its_own_ids(
    tmp_path: Path, new_db: NewDb
) -> None:
    vault = tmp_path / "v"
    write(vault, "os/deadlock.md")
    db = new_db()
    scan(vault, db, Settings())
    study(db, vault, "os/deadlock.md", Grade.GOOD, 9)
    write(vault, "a/deadlock.md")  # no scan between: the session indexes it
    assert study(db, vault, "a/deadlock.md", Grade.AGAIN, 10) == [tied("a/deadlock.md")]
    assert reviews_by_note(db) == {
        "os/deadlock.md": [(plain(), int(Grade.GOOD))],
        "a/deadlock.md": [(tied("a/deadlock.md"), int(Grade.AGAIN))],
    }


def test_quiz_cards_gives_the_ids_the_index_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``quiz cards --json`` must not show the plain id for both notes: the
    second note's reviews hang on its path-tied id, and a script (or Anki,
    whose GUIDs come from the ids) would see two cards as one."""
    vault = tmp_path / "v"
    write(vault, "a/deadlock.md")
    write(vault, "b/deadlock.md")
    assert main(["cards", str(vault), "--json"]) == 0
    shown = {(c["note"], c["id"]) for c in json.loads(capsys.readouterr().out)}
    assert shown == {("a/deadlock.md", plain()), ("b/deadlock.md", tied("b/deadlock.md"))}
