"""A study process killed mid-session: the note is untouched, every given grade is kept."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE_NOTES

IAM = "AWS/IAM 정책.md"  # 5 cards, day 7 due on 2026-11-25
TIMEOUT = 30.0


def _reviews(db_path: Path) -> int:
    """Committed reviews, or 0 while the child has not created the table yet."""
    if not db_path.exists():
        return 0
    conn = sqlite3.connect(db_path, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    except sqlite3.OperationalError:  # no such table yet
        return 0
    finally:
        conn.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_after_three_grades(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE_NOTES, vault)
    db_path = tmp_path / "db.sqlite3"
    note = vault / IAM
    original = note.read_bytes()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cmd = [
        sys.executable, "-m", "quiz", "study", str(vault), "--plain", "--note", IAM,
        "--today", "2026-11-25", "--db", str(db_path),
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
            # Three cards: a typed answer (or none) and a grade each; stdin stays open.
            proc.stdin.write("프로세스\n3\n\n1\nDeny\ngood\n".encode())
            proc.stdin.flush()
            deadline = time.monotonic() + TIMEOUT
            while (n := _reviews(db_path)) < 3:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, f"only {n} reviews after {TIMEOUT}s"
                time.sleep(0.02)
            os.kill(proc.pid, signal.SIGKILL)
            assert proc.wait(timeout=TIMEOUT) == -signal.SIGKILL
        finally:
            if proc.poll() is None:  # pragma: no cover - only when an assert failed above
                proc.kill()
                proc.wait()

    assert note.read_bytes() == original
    # No temporary write-back file either.
    assert sorted(p.name for p in note.parent.iterdir()) == sorted(
        p.name for p in (SAMPLE_NOTES / "AWS").iterdir()
    )

    conn = sqlite3.connect(db_path)
    try:
        reviews = conn.execute(
            "SELECT r.grade, r.typed, c.ordinal FROM reviews r JOIN cards c ON c.id = r.card_id "
            "ORDER BY r.id"
        ).fetchall()
        sessions = conn.execute("SELECT complete, graded, finished_at FROM sessions").fetchall()
        memory = conn.execute("SELECT count(*) FROM memory").fetchone()[0]
        stages = conn.execute("SELECT stages FROM notes WHERE path = ?", [IAM]).fetchone()[0]
    finally:
        conn.close()
    assert reviews == [(3, "프로세스", 0), (1, None, 1), (3, "Deny", 2)]
    assert sessions == [(0, 3, None)]
    assert memory == 3
    assert stages == "[true, true, false, false, false]"
