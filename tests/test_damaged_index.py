"""A damaged or unusable index is one line, never a traceback.

Damaged (its bytes are not a sound database): moved aside as
``<name>.corrupt-<time>`` with its bytes intact, a new index is built from the
notes, and the learner is told both paths. Unusable as it is (a folder, a
device, read-only, a newer schema, an unwritable data folder): one line
naming the path, exit 1, and the index is left as it was.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.cli.store import open_store, run_command
from quiz.config import Settings
from quiz.store import SCHEMA_VERSION, open_db

NOTE = "---\n❕과목: 테스트\n---\n### 단서 질문\n\n- {q} 첫째?\n    하나.\n- {q} 둘째?\n    둘.\n"
#: The notes the vault fixture writes.
SAMPLE_NOTE_COUNT = 2
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    (target / "os").mkdir(parents=True)
    (target / "a.md").write_text(NOTE.format(q="가"), encoding="utf-8")
    (target / "os" / "b.md").write_text(NOTE.format(q="나"), encoding="utf-8")
    return target


@pytest.fixture
def indexed(vault: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """``db_path`` holding a scanned vault and one finished session."""
    code, _, _ = run(capsys, "scan", str(vault), "--db", str(db_path))
    assert code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO sessions (note_path, day, started_at) VALUES ('x', 'd', 't')")
    conn.close()
    return db_path


def quiz_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("quiz:")]


def notes_in(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        count = int(conn.execute("SELECT count(*) FROM notes").fetchone()[0])
    conn.close()
    return count


def moved_aside(db_path: Path) -> list[Path]:
    pattern = re.compile(re.escape(db_path.name) + r"\.corrupt-\d{8}T\d{6}$")
    return [p for p in db_path.parent.iterdir() if pattern.fullmatch(p.name)]


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_truncated, "truncated: {half} of {whole} bytes"),
        (lambda data: bytes(range(256)) * (len(data) // 256), "not a database file"),
        (lambda data: b"", "empty: 0 bytes"),
        # A sound first page, garbage after it: SQLite finds this one.
        (
            lambda data: data[:4096] + b"\xff" * (len(data) - 4096),
            "database disk image is malformed",
        ),
    ],
    ids=["truncated", "random-bytes", "zero-bytes", "garbage-pages"],
)
def test_a_damaged_index_is_moved_aside_and_rebuilt(
    damage: object,
    reason: str,
    vault: Path,
    indexed: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    whole = indexed.read_bytes()
    reason = reason.format(half=len(whole) // 2, whole=len(whole))
    broken = damage(whole)  # type: ignore[operator]
    indexed.write_bytes(broken)
    code, out, err = run(capsys, "scan", str(vault), "--db", str(indexed))
    assert code == 0
    [aside] = moved_aside(indexed)
    assert aside.read_bytes() == broken  # the damaged copy is kept as it was
    [line] = quiz_lines(err)
    assert line == (
        f"quiz: the index {indexed} was damaged ({reason}): moved it to {aside} and built a "
        "new one from the notes and the review log"
    )
    assert f"{SAMPLE_NOTE_COUNT} notes: {SAMPLE_NOTE_COUNT} read" in out
    assert notes_in(indexed) == SAMPLE_NOTE_COUNT
    # The next command finds a sound index: nothing more is moved or said.
    code, _, err = run(capsys, "scan", str(vault), "--db", str(indexed))
    assert (code, quiz_lines(err), moved_aside(indexed)) == (0, [], [aside])


def test_a_damaged_index_takes_its_write_ahead_log_along(
    vault: Path, indexed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wal = indexed.with_name(indexed.name + "-wal")
    wal.write_bytes(b"left by the damaged index")
    indexed.write_bytes(b"\x00" * 8192)
    code, _, _ = run(capsys, "scan", str(vault), "--db", str(indexed))
    assert code == 0
    [aside] = moved_aside(indexed)
    assert Path(f"{aside}-wal").read_bytes() == b"left by the damaged index"
    assert notes_in(indexed) == SAMPLE_NOTE_COUNT


def test_an_index_from_a_newer_quiz_is_left_alone(
    vault: Path, indexed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(indexed) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION + 5])
    conn.close()
    before = indexed.read_bytes()
    code, out, err = run(capsys, "study", str(vault), "--plain", "--db", str(indexed))
    assert (code, out) == (1, "")
    assert err == (
        f"quiz: the index {indexed} was made by a newer quiz (schema {SCHEMA_VERSION + 5}; "
        f"this quiz knows {SCHEMA_VERSION}); "
        "upgrade quiz, or pass --db PATH to use another index\n"
    )
    assert indexed.read_bytes() == before and moved_aside(indexed) == []


def test_a_folder_where_the_index_should_be(
    vault: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path.mkdir()
    (db_path / "mine.txt").write_text("keep me")
    code, out, err = run(capsys, "due", str(vault), "--db", str(db_path))
    assert (code, out) == (1, "")
    assert err == (
        f"quiz: the index {db_path} is a folder, not a file; move it away or pass --db PATH\n"
    )
    assert [p.name for p in db_path.iterdir()] == ["mine.txt"]


def test_a_device_as_the_index(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not Path(os.devnull).exists() or os.devnull != "/dev/null":
        pytest.skip("needs /dev/null")
    code, out, err = run(capsys, "scan", str(vault), "--db", os.devnull)
    assert (code, out) == (1, "")
    assert err == (
        "quiz: the index /dev/null is not a regular file (a device or a pipe); pass --db PATH\n"
    )


def test_a_data_folder_that_cannot_be_made(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file where the data folder should be: mkdir fails even for root.
    blocker = tmp_path / "data-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    code, out, err = run(capsys, "scan", str(vault))
    assert (code, out) == (1, "")
    [line] = err.splitlines()
    assert line.startswith(f"quiz: cannot create the index folder {blocker}/quiz/vaults: ")
    assert line.endswith("; make it writable or pass --db PATH")
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(AS_ROOT, reason="root writes read-only files and folders anyway")
def test_a_read_only_index(vault: Path, indexed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = indexed.read_bytes()
    indexed.chmod(0o444)
    try:
        code, out, err = run(capsys, "scan", str(vault), "--db", str(indexed))
    finally:
        indexed.chmod(0o644)
    assert (code, out) == (1, "")
    assert err == (
        f"quiz: the index {indexed} is read-only (no permission to write it); "
        "make it writable (chmod u+rw) or pass --db PATH\n"
    )
    assert indexed.read_bytes() == before


@pytest.mark.skipif(AS_ROOT, reason="root writes read-only files and folders anyway")
def test_an_unwritable_data_folder(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, out, err = run(capsys, "scan", str(vault), "--db", str(folder / "db.sqlite3"))
    finally:
        folder.chmod(0o755)
    assert (code, out) == (1, "")
    assert err == (
        f"quiz: cannot write in the index folder {folder} (permission denied); "
        "make it writable or pass --db PATH\n"
    )


def _args(vault: Path, db_path: Path) -> argparse.Namespace:
    return argparse.Namespace(vault=vault, db=db_path)


def test_an_index_damaged_mid_command_is_moved_aside(
    vault: Path, indexed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def damaging(args: argparse.Namespace, settings: Settings) -> int:
        open_store(args)
        indexed.write_bytes(b"\xff" * 8192)
        conn = sqlite3.connect(indexed)
        try:
            conn.execute("SELECT * FROM notes").fetchall()  # raises: not a database
        finally:
            conn.close()
        return 0

    code = run_command(damaging, _args(vault, indexed), Settings())
    _, err = capsys.readouterr()
    assert code == 1
    [aside] = moved_aside(indexed)
    assert err == (
        f"quiz: the index {indexed} is damaged (file is not a database): moved it to {aside}; "
        "the next command builds a new one from the notes and the review log\n"
    )
    assert not indexed.exists()


def test_an_error_from_another_database_does_not_move_a_sound_index(
    vault: Path, indexed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.db"
    other.write_bytes(b"\xff" * 8192)

    def failing(args: argparse.Namespace, settings: Settings) -> int:
        open_store(args)
        conn = sqlite3.connect(other)
        try:
            conn.execute("SELECT 1 FROM sqlite_master").fetchall()
        finally:
            conn.close()
        return 0

    code = run_command(failing, _args(vault, indexed), Settings())
    _, err = capsys.readouterr()
    assert code == 1
    assert (
        err == f"quiz: a database failed: file is not a database (the index {indexed} is sound)\n"
    )
    assert moved_aside(indexed) == [] and notes_in(indexed) == SAMPLE_NOTE_COUNT


def test_a_new_index_is_never_seen_empty(tmp_path: Path) -> None:
    # Made under a temporary name and linked into place whole: an empty
    # index file always means a damaged one.
    path = tmp_path / "new.sqlite3"
    with open_db(path) as db:
        assert path.stat().st_size > 0
        assert db.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION),)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite3"]


def _short_by_a_page(path: Path) -> None:
    """Cut the last page of a database file, leaving its header's page count."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(b"x" * 3000,) for _ in range(20)])
    conn.commit()
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[:-4096])


def test_a_file_short_of_its_page_count_is_damage_only_without_a_log(tmp_path: Path) -> None:
    # A checkpoint writes page 1 (the new page count) before the pages that
    # grow the file, so a sound index looks short while one runs: seen as
    # 11,272 false "truncated" of 344,011 checks against a live writer, and
    # the concurrency test lost its index to a quarantine. A checkpoint only
    # runs while the -wal file holds pages.
    from quiz.store.files import header_damage

    index = tmp_path / "index.sqlite3"
    _short_by_a_page(index)
    assert header_damage(index) == f"truncated: {index.stat().st_size} of " + (
        f"{index.stat().st_size + 4096} bytes"
    )
    (tmp_path / "index.sqlite3-wal").write_bytes(b"\0" * 32)
    assert header_damage(index) is None
