"""``quiz due`` and ``quiz stats`` as JSON, and the typed-answer similarity hint."""

from __future__ import annotations

import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from quiz.cli import main
from quiz.grading import similarity

TODAY = "2026-11-25"
IAM = "AWS/IAM 정책.md"
BUSINESS = "English/Vocabulary/비즈니스 영어 표현.md"  # long-term due, 6 days overdue
DUE_ON_TODAY = [
    # Six cards: its bare cue is answered from the notes section.
    ("운영체제/교착상태.md", "운영체제", "day 4", "2026-11-18", 7, 6),
    (BUSINESS, "English", "long-term", "2026-11-19", 6, 6),
    ("운영체제/가상 메모리.md", "운영체제", "day 14", "2026-11-24", 1, 7),
    ("운영체제/프로세스와 스레드.md", "운영체제", "day 4", "2026-11-24", 1, 6),
    (IAM, "AWS", "day 7", "2026-11-25", 0, 5),
    ("AWS/S3 스토리지 클래스.md", "AWS", "day 1", "2026-11-25", 0, 6),
]
_FLAG_KEY = re.compile(r"\W*(?:\d+일복습여부|장기기억|review_\d+d|long_term)")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code = main(list(args))
    out, _ = capsys.readouterr()
    assert code == 0
    return json.loads(out)


def due_json(
    capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> list[dict[str, Any]]:
    rows = run_json(capsys, "due", str(vault), "--today", TODAY, "--json", "--db", str(db_path))
    assert isinstance(rows, list)
    return rows


def stats_json(capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path) -> dict[str, Any]:
    doc = run_json(capsys, "stats", str(vault), "--today", TODAY, "--json", "--db", str(db_path))
    assert isinstance(doc, dict)
    return doc


def study(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
    note: str,
    grades: list[str],
) -> str:
    text = "".join(f"\n{g}\n" for g in grades)  # empty typed answer, then the grade
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = main(
        ["study", str(vault), "--plain", "--note", note, "--today", TODAY, "--db", str(db_path)]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    return out


def by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in rows}


# -- quiz due ----------------------------------------------------------------------


def test_due_json_shape_and_order(
    capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    rows = due_json(capsys, vault, db_path)
    for row in rows:
        assert {"note", "subject", "stage", "due", "days_overdue", "cards"} <= set(row)
        assert isinstance(row["days_overdue"], int) and isinstance(row["cards"], int)
    got = [
        (r["note"], r["subject"], r["stage"], r["due"], r["days_overdue"], r["cards"]) for r in rows
    ]
    assert got == DUE_ON_TODAY
    overdue = [r["days_overdue"] for r in rows]
    assert overdue == sorted(overdue, reverse=True)
    listed = {r["note"] for r in rows}
    assert "AWS/SQS와 SNS.md" not in listed  # long-term done
    assert "AWS/VPC 기초.md" not in listed  # new: no first study day
    assert "English/Vocabulary/Word Power - Lesson 3.md" not in listed  # day 4 on 11-27


def test_due_drops_a_note_once_its_long_term_stage_is_done(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
) -> None:
    assert BUSINESS in {r["note"] for r in due_json(capsys, vault, db_path)}
    out = study(monkeypatch, capsys, vault, db_path, BUSINESS, ["3"] * 6)
    assert "long-term review passed" in out
    assert "🧠장기기억: true\n" in (vault / BUSINESS).read_text(encoding="utf-8")
    rows = due_json(capsys, vault, db_path)
    assert [r["note"] for r in rows] == [n for n, *_ in DUE_ON_TODAY if n != BUSINESS]


def test_due_on_a_quiet_day(capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path) -> None:
    rows = run_json(
        capsys, "due", str(vault), "--today", "2026-11-01", "--json", "--db", str(db_path)
    )
    assert rows == []
    assert main(["due", str(vault), "--today", "2026-11-01", "--db", str(db_path)]) == 0
    assert "Nothing is due on 2026-11-01" in capsys.readouterr().out


# -- quiz stats --------------------------------------------------------------------


def test_stats_counts_match_cards_json(
    capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    cards = run_json(capsys, "cards", str(vault), "--json")
    notes: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for card in cards:
        notes[card["subject"]].add(card["note"])
        counts[card["subject"]] += 1
    subjects = by_name(stats_json(capsys, vault, db_path)["subjects"])
    assert set(subjects) == set(counts) == {"AWS", "English", "운영체제"}
    for name, row in subjects.items():
        assert row["notes"] == len(notes[name]), name
        assert row["cards"] == counts[name], name


#: The template's numeric mirrors of the stage flags: ``"1일차복습여부1,0": "1"``.
_MIRROR_KEY = re.compile(r"\d+일차복습여부1,0|장기기억저장여부1,0")


def _rate_by_the_note(path: Path) -> float:
    """The note's learning rate as its own template computes it (SPEC "Stages"):
    the sum of its numeric mirrors / 5, or its passed stages / 5 without any."""
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    flags = [v for k, v in front.items() if _FLAG_KEY.fullmatch(k)]
    assert len(flags) == 5, path
    mirrors = [float(v) for k, v in front.items() if _MIRROR_KEY.fullmatch(str(k))]
    return sum(mirrors) / 5 if mirrors else sum(bool(v) for v in flags) / 5


def test_stats_learning_rate_is_the_mean_of_the_notes_own_formula(
    capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    rates: dict[str, list[float]] = defaultdict(list)
    for path in vault.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "Templates" or not text.startswith("---\n"):
            continue  # the template and the index page are not studied notes
        subject = yaml.safe_load(text.split("---\n")[1])
        name = next(v for k, v in subject.items() if re.fullmatch(r"\W*(과목|subject)", k))
        rates[name].append(_rate_by_the_note(path))
    doc = stats_json(capsys, vault, db_path)
    assert doc["today"] == TODAY
    subjects = by_name(doc["subjects"])
    for name, values in rates.items():
        assert subjects[name]["learning_rate"] == pytest.approx(sum(values) / len(values), abs=1e-3)
    # Written out: AWS (0.4 + 0 + 0.8 + 0 + 0.4 + 0.6) / 6 (SQS와 SNS is finished, and the
    # template has no day-14 mirror: 0.8, not 1.0), English (0.2 + 0.6 + 0.2) / 3 (비즈니스
    # 영어 표현 has days 1-14 done: its mirrors read 0.6), OS (0.6 + 0.2 + 0.2 + 0.2 + 0.4) / 5.
    assert subjects["AWS"]["learning_rate"] == pytest.approx(0.367, abs=1e-3)
    assert subjects["English"]["learning_rate"] == pytest.approx(0.333, abs=1e-3)
    assert subjects["운영체제"]["learning_rate"] == pytest.approx(0.32, abs=1e-3)
    assert subjects["AWS"]["long_term"] == 1
    assert (subjects["AWS"]["due"], subjects["English"]["due"], subjects["운영체제"]["due"]) == (
        2,
        1,
        3,
    )


def test_stats_before_and_after_a_session(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
) -> None:
    before = stats_json(capsys, vault, db_path)
    for subject in before["subjects"]:
        for row in [subject, *subject["textbooks"]]:
            assert row["retrievability"] is None
            assert row["accuracy_7d"] is None and row["accuracy_30d"] is None
            assert row["reviews_7d"] == 0
    assert all(d["reviews"] == 0 for d in before["reviews_per_day"])

    out = study(monkeypatch, capsys, vault, db_path, IAM, ["3", "3", "1", "3", "3"])
    assert "Score: 4/5" in out

    after = by_name(stats_json(capsys, vault, db_path)["subjects"])
    aws = after["AWS"]
    assert aws["accuracy_7d"] == 0.8 and aws["accuracy_30d"] == 0.8
    assert aws["reviews_7d"] == 5
    r = aws["retrievability"]
    assert isinstance(r, float) and 0 < r <= 1
    (book,) = aws["textbooks"]
    assert book["accuracy_7d"] == 0.8 and isinstance(book["retrievability"], float)
    # The passed day-7 stage shows in the learning rate: (0.6 + 0 + 0.8 + 0 + 0.4 + 0.6) / 6.
    assert aws["learning_rate"] == pytest.approx(0.4, abs=1e-3)
    for other in ("English", "운영체제"):
        assert after[other]["accuracy_7d"] is None
        assert after[other]["retrievability"] is None


def test_moving_a_note_keeps_its_accuracy(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
) -> None:
    study(monkeypatch, capsys, vault, db_path, IAM, ["3", "3", "1", "3", "3"])
    (vault / "AWS" / "보안").mkdir()
    (vault / IAM).rename(vault / "AWS" / "보안" / "IAM 정책.md")
    aws = by_name(stats_json(capsys, vault, db_path)["subjects"])["AWS"]
    # A review hangs on its card, and the card moved with its note.
    assert (aws["accuracy_7d"], aws["accuracy_30d"], aws["reviews_7d"]) == (0.8, 0.8, 5)
    assert isinstance(aws["retrievability"], float)


def test_stats_nests_textbooks_under_subjects(
    capsys: pytest.CaptureFixture[str], vault: Path, db_path: Path
) -> None:
    subjects = by_name(stats_json(capsys, vault, db_path)["subjects"])
    english = subjects["English"]
    books = by_name(english["textbooks"])
    assert list(books) == ["Word Power Made Easy", "회사에서 바로 쓰는 비즈니스 영어"]
    assert (books["Word Power Made Easy"]["notes"], books["Word Power Made Easy"]["cards"]) == (
        2,
        13,
    )
    assert books["Word Power Made Easy"]["learning_rate"] == 0.2
    # Days 1-14 done and the template has no day-14 mirror: its formula reads 0.6
    # (SPEC "Stages"), whatever rate an older quiz wrote into the note.
    assert books["회사에서 바로 쓰는 비즈니스 영어"]["learning_rate"] == 0.6
    for subject in subjects.values():
        assert subject["textbooks"], subject["name"]
        assert sum(b["notes"] for b in subject["textbooks"]) == subject["notes"]
        assert sum(b["cards"] for b in subject["textbooks"]) == subject["cards"]
        assert all(b["textbooks"] == [] for b in subject["textbooks"])
    assert [b["name"] for b in subjects["운영체제"]["textbooks"]] == [
        "Operating System Concepts 10판"
    ]


# -- similarity ----------------------------------------------------------------------


def test_similarity_identical_is_one() -> None:
    assert similarity("프로세스", "프로세스") == 1.0
    assert similarity("Explicit Deny wins", "explicit deny  wins") == 1.0
    assert similarity("명시적 Deny가 항상 이긴다", "**명시적 Deny가 항상 이긴다.**") >= 0.95


def test_similarity_one_wrong_vowel_is_a_small_edit() -> None:
    # 수 vs 스 differ in one jamo of three; a syllable-level ratio would give 0.75.
    score = similarity("프로세수", "프로세스")
    assert score > 0.8
    assert score < 1.0


def test_similarity_unrelated_text_is_low() -> None:
    assert similarity("banana bread recipe", "명시적 Deny가 항상 이긴다.") < 0.5
    assert similarity("고양이", "명시적 Deny가 항상 이긴다.") < 0.5
    assert similarity("xyz", "Standard-IA는 자주 읽지 않는 데이터") < 0.5


@pytest.mark.parametrize("typed", ["", "   ", "\n\t", "**"])
def test_similarity_of_nothing_typed_is_zero(typed: str) -> None:
    assert similarity(typed, "프로세스와 스레드") == 0.0


def test_similarity_is_in_range() -> None:
    for typed, answer in [("a", "abc"), ("프로", "프로세스"), ("x" * 200, "y")]:
        assert 0.0 <= similarity(typed, answer) <= 1.0


# -- quiz stats: the habit series -------------------------------------------------------


def test_stats_json_carries_the_habit_series(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
) -> None:
    before = stats_json(capsys, vault, db_path)
    assert before["today_totals"] == {
        "reviews": 0, "time_ms": 0, "sessions_started": 0, "sessions_finished": 0
    }  # fmt: skip
    assert before["streak"] == {"current": 0, "longest": 0, "studied_today": False}
    days = before["reviews_per_day"]
    assert len(days) == 84
    assert days[0] == {"day": "2026-09-03", "reviews": 0}
    assert days[-1] == {"day": TODAY, "reviews": 0}
    ahead = before["forecast"]
    assert len(ahead) == 30
    assert [d["day"] for d in ahead[:2]] == [TODAY, "2026-11-26"]
    assert ahead[-1]["day"] == "2026-12-24"
    # Today holds the six notes due (overdue ones included, see DUE_ON_TODAY);
    # Word Power - Lesson 3's day 4 comes on 11-27. No card was reviewed yet.
    assert ahead[0] == {"day": TODAY, "notes": len(DUE_ON_TODAY), "cards": 0}
    assert ahead[2]["day"] == "2026-11-27" and ahead[2]["notes"] >= 1
    assert all(d["cards"] == 0 for d in ahead)

    study(monkeypatch, capsys, vault, db_path, IAM, ["3", "3", "1", "3", "3"])
    after = stats_json(capsys, vault, db_path)
    totals = after["today_totals"]
    assert totals["reviews"] == 5
    assert totals["sessions_started"] == totals["sessions_finished"] == 1
    assert isinstance(totals["time_ms"], int) and totals["time_ms"] >= 0
    assert after["streak"] == {"current": 1, "longest": 1, "studied_today": True}
    assert after["reviews_per_day"][-1] == {"day": TODAY, "reviews": 5}
    # IAM's day 7 passed: it leaves today and comes back for day 14 on 12-02
    # (first studied 11-25 - 7 days = 11-18, + 14 days), the 8th day ahead.
    ahead = after["forecast"]
    assert ahead[0]["notes"] == len(DUE_ON_TODAY) - 1
    assert ahead[7]["day"] == "2026-12-02"
    assert ahead[7]["notes"] == before["forecast"][7]["notes"] + 1
    assert sum(d["cards"] for d in ahead) == 5  # every graded card comes back within 30 days


def test_stats_json_sees_the_streak_as_it_stood_on_another_day(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
) -> None:
    study(monkeypatch, capsys, vault, db_path, IAM, ["3"] * 5)
    # The next day, before any review: the streak holds.
    doc = run_json(
        capsys, "stats", str(vault), "--today", "2026-11-26", "--json", "--db", str(db_path)
    )
    assert doc["streak"] == {"current": 1, "longest": 1, "studied_today": False}
    assert doc["today_totals"]["reviews"] == 0
    assert doc["reviews_per_day"][-2] == {"day": TODAY, "reviews": 5}
    # Two days on, it is broken; the day before, nothing had happened yet.
    doc = run_json(
        capsys, "stats", str(vault), "--today", "2026-11-27", "--json", "--db", str(db_path)
    )
    assert doc["streak"] == {"current": 0, "longest": 1, "studied_today": False}
    doc = run_json(
        capsys, "stats", str(vault), "--today", "2026-11-24", "--json", "--db", str(db_path)
    )
    assert doc["streak"]["longest"] == 0


def test_stats_text_shows_the_habit_charts(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    db_path: Path,
) -> None:
    study(monkeypatch, capsys, vault, db_path, IAM, ["3"] * 5)
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["stats", str(vault), "--today", TODAY, "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Today: 5 reviews, 0 min, 1 of 1 session finished · Streak: 1 day (longest 1)" in out
    assert "Reviews per day  09-03 – 11-25" in out
    assert "Due in 30 days  " in out and " · 5 cards" in out
    assert "\x1b" not in out  # not a terminal: no colour codes
