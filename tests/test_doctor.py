"""``quiz doctor VAULT``: where the index is, how it is, the settings, notes with problems."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.config import Settings
from quiz.schedule.stages import Grade
from quiz.store import SCHEMA_VERSION, open_db
from quiz.store.index import scan
from quiz.study import Study

from .conftest import FIXTURES

NEWER = SCHEMA_VERSION + 5  # a version no quiz has made yet
NOTE = "---\n❕과목: 테스트\n---\n### 단서 질문\n\n- {q} 첫째?\n    하나.\n- {q} 둘째?\n    둘.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "a.md").write_text(NOTE.format(q="가"), encoding="utf-8")
    (root / "b.md").write_text(NOTE.format(q="나"), encoding="utf-8")
    return root


def test_a_healthy_index(vault: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_db(db_path) as db:
        scan(vault, db, Settings())
        session = Study(db, vault, Settings(), dt.date(2026, 11, 25), write=False).open("a.md")
        session.grade(Grade.GOOD)
        session.grade(Grade.AGAIN)
        session.finish()
    code, out, err = run(capsys, "doctor", str(vault), "--db", str(db_path))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"index     {db_path}"
    assert lines[1].startswith("size      ") and lines[1].endswith(" KB")
    assert lines[2:4] == [
        f"health    ok (quick_check), schema {SCHEMA_VERSION}",
        "holds     2 notes, 4 cards, 2 reviews in 1 sessions",
    ]
    # The session's two grades and its outcome went to this device's log file.
    [log] = [x for x in lines if x.startswith("log ")]
    assert log.startswith(f"log       {vault / '.quiz' / 'log'}: 1 file, ")
    assert "settings  the defaults (no quiz.toml)" in lines
    assert "          offsets = (1, 4, 7, 14, 30)" in lines
    assert f"notes     2 in {vault}: 0 unreadable, 0 warnings" in lines
    assert lines[-1] == "healthy"


def test_the_settings_file_in_force(
    vault: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "quiz.toml").write_text("[stages]\npass_ratio = 0.9\n", encoding="utf-8")
    code, out, _ = run(capsys, "doctor", str(vault), "--db", str(db_path))
    assert code == 0
    assert f"settings  {vault / 'quiz.toml'}" in out.splitlines()
    assert "          pass_ratio = 0.9" in out.splitlines()


def test_no_index_yet_is_not_a_problem_and_none_is_made(
    vault: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "doctor", str(vault), "--db", str(db_path))
    assert code == 0
    assert "note      no index yet: the next command builds it from the notes" in out.splitlines()
    assert not db_path.exists()


def test_a_damaged_index_is_reported_and_left_as_it_is(
    vault: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "scan", str(vault), "--db", str(db_path))[0] == 0
    data = db_path.read_bytes()
    broken = data[:4096] + b"\xff" * (len(data) - 4096)
    db_path.write_bytes(broken)
    capsys.readouterr()
    code, out, _ = run(capsys, "doctor", str(vault), "--db", str(db_path))
    assert code == 1
    lines = out.splitlines()
    assert "PROBLEM   damaged: database disk image is malformed" in lines
    assert "          any other command moves a damaged index aside and builds a new one" in lines
    assert lines[-1] == "1 problem found"
    assert db_path.read_bytes() == broken
    assert not [p for p in db_path.parent.iterdir() if ".corrupt-" in p.name]


def test_a_newer_index_and_an_unreadable_note(
    vault: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "scan", str(vault), "--db", str(db_path))[0] == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(NEWER)])
    conn.close()
    shutil.copy(FIXTURES / "binary.md", vault / "binary.md")
    capsys.readouterr()
    code, out, _ = run(capsys, "doctor", str(vault), "--db", str(db_path))
    assert code == 1
    lines = out.splitlines()
    assert (
        f"PROBLEM   made by a newer quiz (schema {NEWER}; this quiz knows {SCHEMA_VERSION}); "
        "upgrade quiz"
    ) in lines
    assert f"notes     3 in {vault}: 1 unreadable, 0 warnings" in lines
    assert "PROBLEM   binary.md: binary file (contains NUL bytes), not a Markdown note" in lines
    assert lines[-1] == "2 problems found"
