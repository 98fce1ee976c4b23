"""A folder that cannot be listed is reported, and its notes are not "gone".

Tests run as root here, where ``chmod 000`` does not stop a read, so the
folder is made unreadable by a stand-in ``os.scandir``; the real ``chmod``
variant runs where the tests do not run as root.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.cli import main
from quiz.config import Settings
from quiz.store import open_db
from quiz.store.index import scan

AWS_NOTES = {
    "AWS/CloudFormation.md",
    "AWS/EC2 인스턴스 유형.md",
    "AWS/IAM 정책.md",
    "AWS/S3 스토리지 클래스.md",
    "AWS/SQS와 SNS.md",
    "AWS/VPC 기초.md",
}
MESSAGE = "folder AWS: cannot read: Permission denied; its notes are left as they were"


def gone(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT path FROM notes WHERE gone_at IS NOT NULL")}


def live(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT path FROM notes WHERE gone_at IS NULL")}


@pytest.fixture
def deny(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """Folders (absolute paths) whose listing fails with ``EACCES``."""
    denied: set[str] = set()
    real = os.scandir

    def scandir(path: str = ".") -> object:
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield denied


def test_an_unreadable_folder_is_reported_and_its_notes_stay(
    vault: Path, db_path: Path, deny: set[str]
) -> None:
    db = open_db(db_path)
    first = scan(vault, db, Settings())
    assert live(db) >= AWS_NOTES and first.problems == []
    cards_before = db.execute("SELECT count(*) FROM cards WHERE gone_at IS NULL").fetchone()[0]

    deny.add(str(vault / "AWS"))
    report = scan(vault, db, Settings())
    assert report.problems == [MESSAGE]
    assert report.gone == 0 and gone(db) == set()
    assert live(db) >= AWS_NOTES
    assert db.execute("SELECT count(*) FROM cards WHERE gone_at IS NULL").fetchone()[0] == (
        cards_before
    )

    deny.clear()  # readable again: nothing to catch up, nothing lost
    again = scan(vault, db, Settings())
    assert again.problems == [] and again.gone == 0 and live(db) >= AWS_NOTES
    db.close()


def test_a_folder_really_removed_still_marks_its_notes_gone(vault: Path, db_path: Path) -> None:
    # The contrast: only an unreadable folder keeps its notes.
    db = open_db(db_path)
    scan(vault, db, Settings())
    for note in (vault / "AWS").iterdir():
        note.unlink()
    (vault / "AWS").rmdir()
    assert scan(vault, db, Settings()).gone == len(AWS_NOTES)
    assert gone(db) == AWS_NOTES
    db.close()


def test_an_unreadable_vault_root_marks_nothing_gone(
    vault: Path, db_path: Path, deny: set[str]
) -> None:
    db = open_db(db_path)
    scan(vault, db, Settings())
    deny.add(str(vault))
    report = scan(vault, db, Settings())
    assert report.problems == [
        "folder .: cannot read: Permission denied; its notes are left as they were"
    ]
    assert gone(db) == set()
    db.close()


def test_the_commands_print_the_report(
    vault: Path, db_path: Path, deny: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    deny.add(str(vault / "AWS"))
    assert main(["scan", str(vault), "--db", str(db_path)]) == 0
    assert MESSAGE in capsys.readouterr().err
    assert main(["cards", str(vault), "--json"]) == 0
    assert MESSAGE in capsys.readouterr().err


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a chmod 000 folder"
)
def test_a_chmod_000_folder_is_reported_and_its_notes_stay(vault: Path, db_path: Path) -> None:
    db = open_db(db_path)
    scan(vault, db, Settings())
    (vault / "AWS").chmod(0)
    try:
        report = scan(vault, db, Settings())
    finally:
        (vault / "AWS").chmod(0o755)
    assert report.problems == [MESSAGE] and gone(db) == set()
    db.close()
