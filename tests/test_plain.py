"""``quiz study --plain``: the line protocol of SPEC, through ``main`` and as a process."""

from __future__ import annotations

import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.cli import main

from .conftest import FIXTURES, ROOT

#: The grade prompt for a card never reviewed: FSRS's default learning steps
#: (1 and 10 minutes; Hard halfway between) and Easy's first stability (8.3 days).
NEW_CARD_PROMPT = "grade [1 again 1m, 2 hard 6m, 3 good 10m, 4 easy 8d]> "

IAM = "AWS/IAM 정책.md"  # day 7 due on 2026-11-25, 5 cards
IAM_QUESTIONS = [
    "IAM 정책 문서(JSON)의 기본 구조는?",
    "명시적 Deny와 Allow가 충돌하면 어떻게 되는가?",
    "IAM User와 IAM Role의 차이는?",
    "최소 권한 원칙(Least Privilege)을 지키는 방법은?",
    "리소스 기반 정책(Resource-based policy)이란?",
]


def study(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
    lines: list[str],
    *extra: str,
    note: str | None = IAM,
    today: str = "2026-11-25",
    eof_newline: bool = True,
) -> tuple[int, str, str]:
    text = "\n".join(lines) + ("\n" if lines and eof_newline else "")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    args = ["study", str(vault), "--plain", "--today", today, "--db", str(db_path), *extra]
    if note is not None:
        args += ["--note", note]
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def count_reviews(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        n = int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    conn.close()
    return n


def test_a_full_session_prints_cards_similarity_and_summary(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    lines = [
        "Version과 Statement가 최상위, Effect Action Resource",
        "good",
        "",
        "3",
        "",
        "3",
        "고객 관리형 정책",
        "4",
        "",
        "2",
    ]
    code, out, err = study(monkeypatch, capsys, vault, db_path, lines)
    assert code == 0, err
    assert "== IAM 정책 (AWS) · 💛 day 7 review · 5 cards" in out
    for n, question in enumerate(IAM_QUESTIONS, 1):
        assert f"[{n}/5] Q: {question}" in out
    assert "A: **명시적 Deny가 항상 이긴다.**" in out
    assert "A: ```json" in out
    similarity = re.findall(r"^similarity: (\d+)%$", out, re.MULTILINE)
    assert len(similarity) == 2  # only where something was typed
    assert all(0 <= int(s) <= 100 for s in similarity)
    # Against the answers' bold parts: all three words of card 1's; of card 4's,
    # 고객 관리형 정책 (5+8+6 jamo) of 49 letters (IAM Access Analyzer Access Advisor: 30).
    assert similarity == ["100", "39"]
    diffs = re.findall(r"^diff \(bold\): (.*)$", out, re.MULTILINE)
    assert diffs == [
        "{+Version과+} {+Statement가+} {+최상위+} Effect Action Resource",
        "고객 관리형 정책 [-IAM-] [-Access-] [-Analyzer-] [-Access-] [-Advisor-]",
    ]
    assert out.count(NEW_CARD_PROMPT) == 5  # the IAM cards are new
    assert "-- summary" in out
    assert "Score: 5/5 (of 5 cards)" in out
    assert "learning rate 0.4 → 0.6" in out
    assert "\nnext: 💚 day 14 on 12-02 (14일 복습)\n" in out  # first studied 11-18
    assert "Progress: 🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%" in out
    assert f"{IAM}: review fields written back." in out
    assert "Missed:" not in out
    assert "💛7일복습여부: true\n" in (vault / IAM).read_text(encoding="utf-8")
    assert count_reviews(db_path) == 5


def test_no_similarity_line_when_nothing_typed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    code, out, _ = study(monkeypatch, capsys, vault, db_path, ["", "1", "  ", "1"] + ["", "3"] * 5)
    assert code == 0
    assert "similarity:" not in out
    assert "Score: 3/5 (of 5 cards)" in out
    assert "did not pass" in out
    assert "Missed:" in out
    assert f"  - {IAM_QUESTIONS[0]}" in out and f"  - {IAM_QUESTIONS[1]}" in out


def test_invalid_grade_reprompts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    lines = ["", "7", "meh", "", "GOOD"] + ["", "3"] * 4
    code, out, _ = study(monkeypatch, capsys, vault, db_path, lines)
    assert code == 0
    assert out.count("grade [1 again ") == 5 + 3
    assert "not a grade: '7'" in out and "not a grade: 'meh'" in out
    assert "not a grade: ''" in out
    assert "Score: 5/5" in out
    with sqlite3.connect(db_path) as conn:
        grades = [g for (g,) in conn.execute("SELECT grade FROM reviews ORDER BY id")]
    conn.close()
    assert grades == [3, 3, 3, 3, 3]


@pytest.mark.parametrize(
    ("lines", "graded", "eof_newline"),
    [
        (["", "3", "", "1", "typed but no grade"], 2, True),  # ends at the grade prompt
        (["", "3", "", "3"], 2, True),  # ends at the answer prompt
        (["", "3", "", "3", "", "3", "partial"], 3, False),  # last line without newline
        ([], 0, True),
    ],
)
def test_end_of_input_ends_cleanly_and_keeps_the_grades(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
    lines: list[str],
    graded: int,
    eof_newline: bool,
) -> None:
    original = (vault / IAM).read_bytes()
    code, out, err = study(monkeypatch, capsys, vault, db_path, lines, eof_newline=eof_newline)
    assert code == 0
    assert "Traceback" not in out + err
    assert count_reviews(db_path) == graded
    assert f"Score: {graded - ('1' in lines)}/{graded} (of 5 cards)" in out
    assert "Session not finished" in out
    assert (vault / IAM).read_bytes() == original
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT complete, graded FROM sessions").fetchall()
    conn.close()
    assert rows == [(0, graded)]


def test_escape_sequences_never_reach_stdout(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    db_path: Path,
) -> None:
    vault = tmp_path / "markup-vault"
    vault.mkdir()
    shutil.copyfile(FIXTURES / "markup.md", vault / "markup.md")
    assert b"\x1b" in (vault / "markup.md").read_bytes()
    code, out, err = study(
        monkeypatch, capsys, vault, db_path, ["\x1b[2Jtyped", "1"], note="markup.md"
    )
    assert code == 0
    assert "\x1b" not in out and "\x1b" not in err
    assert "\x07" not in out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    # The text around the sequences is still shown, and the missed card is listed.
    assert "Q: [bold]x[/bold] and [@click=app.quit]click[/]" in out
    assert "red" in out and "Missed:" in out
    assert count_reviews(db_path) == 1


def test_without_note_walks_the_due_notes_overdue_first(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    total = 5 + 6 + 7 + 6 + 5 + 6  # the cards of the six due notes
    code, out, _ = study(monkeypatch, capsys, vault, db_path, ["", "3"] * total, note=None)
    assert code == 0
    titles = re.findall(r"^== (.+?) \(", out, re.MULTILINE)
    assert titles == [
        "교착상태",  # day 4, 7 days overdue
        "비즈니스 영어 표현",  # long-term, 6 days overdue
        "가상 메모리",  # day 14, 1 day overdue (운영체제, path order)
        "프로세스와 스레드",  # day 4, 1 day overdue
        "IAM 정책",  # day 7, due today (AWS, path order)
        "S3 스토리지 클래스",  # day 1, due today
    ]
    heads = re.findall(r"^== .+$", out, re.MULTILINE)
    assert [h.rsplit(" · ", 1)[1] for h in heads] == [f"note {n} of 6" for n in range(1, 7)]
    assert heads[4] == "== IAM 정책 (AWS) · 💛 day 7 review · 5 cards · note 5 of 6"
    assert out.count("-- summary") == 6
    assert count_reviews(db_path) == total


def test_without_note_stops_the_walk_at_end_of_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    code, out, _ = study(monkeypatch, capsys, vault, db_path, ["", "3"] * 6, note=None)
    assert code == 0
    assert re.findall(r"^== (.+?) \(", out, re.MULTILINE) == ["교착상태", "비즈니스 영어 표현"]
    assert count_reviews(db_path) == 6


def test_nothing_due(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    code, out, _ = study(monkeypatch, capsys, vault, db_path, [], note=None, today="2026-11-01")
    assert code == 0
    assert "Nothing is due on 2026-11-01" in out
    assert "==" not in out
    assert count_reviews(db_path) == 0


def test_a_missing_note_is_a_usage_error_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    # A --note that names no note is the caller's mistake (SPEC "Paths and exit codes").
    code, out, err = study(monkeypatch, capsys, vault, db_path, [], note="AWS/없는 노트.md")
    assert code == 2
    assert "없는 노트.md" in err
    assert "-- summary" not in out


def test_end_to_end_in_a_process(vault: Path, db_path: Path) -> None:
    original = (vault / IAM).read_bytes()
    answers = "Version Statement Effect Action Resource\n3\n\n3\n\n3\n\n3\n\n3\n"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "quiz", "study", str(vault), "--plain", "--note", IAM,
         "--today", "2026-11-25", "--db", str(db_path)],
        input=answers,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"Q: {IAM_QUESTIONS[0]}" in out and f"Q: {IAM_QUESTIONS[-1]}" in out
    assert "A: **명시적 Deny가 항상 이긴다.**" in out
    assert len(re.findall(r"^similarity: \d+%$", out, re.MULTILINE)) == 1
    assert "learning rate 0.4 → 0.6" in out
    assert f"{IAM}: review fields written back." in out
    assert count_reviews(db_path) == 5
    changed = (vault / IAM).read_bytes()
    assert changed != original
    assert "💛7일복습여부: true\n".encode() in changed


def test_again_cards_come_back_marked_until_passed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    lines = ["", "1"] + ["", "3"] * 4 + ["", "again", "", "hard"]
    code, out, _ = study(monkeypatch, capsys, vault, db_path, lines)
    assert code == 0
    asked = re.findall(r"\[(\d+/\d+|again)\] Q: (.+)", out)
    assert asked == [
        *((f"{n}/5", q) for n, q in enumerate(IAM_QUESTIONS, 1)),
        ("again", IAM_QUESTIONS[0]),
        ("again", IAM_QUESTIONS[0]),
    ]
    # First grades decide: 4 of 5 passes.
    assert "Score: 4/5 (of 5 cards)" in out and "passed" in out
    assert f"  - {IAM_QUESTIONS[0]}" in out
    with sqlite3.connect(db_path) as conn:
        grades = [g for (g,) in conn.execute("SELECT grade FROM reviews ORDER BY id")]
    conn.close()
    assert grades == [1, 3, 3, 3, 3, 1, 2]


def test_a_note_left_unfinished_today_resumes_at_the_first_ungraded_card(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    code, out, _ = study(monkeypatch, capsys, vault, db_path, ["", "3", "", "1"])
    assert code == 0 and "Session not finished" in out
    code, out, _ = study(monkeypatch, capsys, vault, db_path, ["", "3"] * 4)
    assert code == 0
    head = out.splitlines()[0]
    assert head == (
        "Resuming IAM 정책, left unfinished today: the 2 cards graded then are kept; "
        "going on at card 3 of 5."
    )
    asked = re.findall(r"\[(\d+/\d+|again)\] Q: (.+)", out)
    assert asked == [
        ("3/5", IAM_QUESTIONS[2]),
        ("4/5", IAM_QUESTIONS[3]),
        ("5/5", IAM_QUESTIONS[4]),
        ("again", IAM_QUESTIONS[1]),
    ]
    assert "Score: 4/5 (of 5 cards)" in out
    with sqlite3.connect(db_path) as conn:
        sessions = conn.execute("SELECT complete, passed, graded FROM sessions").fetchall()
    conn.close()
    assert sessions == [(1, 1, 6)]
    # A third run: the session is finished, nothing to resume.
    code, out, _ = study(monkeypatch, capsys, vault, db_path, [])
    assert "Resuming" not in out and "[1/5] Q:" in out
