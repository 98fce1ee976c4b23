"""Sessions write the learner's template fields as the template would (SPEC "Stages").

A fixture note with the seed's frontmatter shape (written for this test, not
copied): the expected files are the originals with exactly the changed value
substrings replaced, compared byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.config import Settings
from quiz.schedule.stages import Grade, Kind, Stage
from quiz.session import NoteSession
from quiz.store import open_db
from quiz.store.index import scan
from quiz.store.queries import due_notes

NOTE = "네트워크/TCP.md"
FIRST = dt.date(2026, 11, 1)  # day 1: 11-02, day 4: 11-05, day 7: 11-08, day 14: 11-15, long: 12-01

FRONT = """\
---
❕첫 학습날: 2026-11-01
❕과목: 네트워크
❕교재: 손으로 쓴 네트워크 노트
❕학습정도: 🤔중
❤1일복습여부: {d1}
🧡4일복습여부: {d4}
💛7일복습여부: {d7}
💚14일복습여부: {d14}
🧠장기기억: {lt}
복습: {status}
🛑오늘: "⏰오늘 : 2026/11/01"
{m1}
{m4}
{m7}
{mlt}
학습률: "{rate}"
진행바: {bar}
---
### 단서 질문

- TCP와 UDP의 차이는?
    TCP는 연결을 맺고 순서를 보장한다. UDP는 그렇지 않다.
- 3-way handshake의 순서는?
    SYN, SYN-ACK, ACK.

### 핵심 요약

- 연결 지향과 비연결.
"""


def note_text(
    done: tuple[bool, ...],
    status: str,
    rate: str,
    bar: str,
    mirror: str = '"{key}": "{v}"',
) -> str:
    flags = {
        k: "true" if d else "false"
        for k, d in zip(("d1", "d4", "d7", "d14", "lt"), done, strict=True)
    }
    mirrors = {
        name: mirror.format(key=key, v=int(done[i]))
        for name, key, i in (
            ("m1", "1일차복습여부1,0", 0),
            ("m4", "4일차복습여부1,0", 1),
            ("m7", "7일차복습여부1,0", 2),
            ("mlt", "장기기억저장여부1,0", 4),
        )
    }
    return FRONT.format(status=status, rate=rate, bar=bar, **flags, **mirrors)


def replace_once(data: bytes, old: str, new: str) -> bytes:
    old_b = old.encode("utf-8")
    assert data.count(old_b) == 1, old
    return data.replace(old_b, new.encode("utf-8"))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / "네트워크").mkdir(parents=True)
    return root


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_db(db_path)
    yield database
    database.close()


def write_note(vault: Path, text: str) -> Path:
    file = vault / NOTE
    file.write_bytes(text.encode("utf-8"))
    return file


def run(
    db: Database,
    vault: Path,
    settings: Settings,
    today: dt.date,
    grade: Grade = Grade.GOOD,
) -> NoteSession:
    scan(vault, db, settings)
    clock = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
    session = NoteSession(db, vault, NOTE, settings, today=today, clock=lambda: clock)
    for _ in session.cards:  # each card once: Agains would come back to relearn
        session.grade(grade)
    session.finish()
    return session


T, F = True, False
BAR_60 = "🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%"
BAR_80 = "🟩🟩🟩🟩🟩🟩🟩🟩⬜⬜ 80%"


def test_day14_pass_names_the_extra_review_and_keeps_the_templates_rate(
    vault: Path, db: Database, settings: Settings
) -> None:
    file = write_note(vault, note_text((T, T, T, F, F), "14일 복습", "0.6", BAR_60))
    original = file.read_bytes()
    session = run(db, vault, settings, dt.date(2026, 11, 15))
    assert session.result is not None and session.result.outcome is not None
    assert session.result.outcome.stage is Stage.DAY_14
    expected = replace_once(original, "💚14일복습여부: false\n", "💚14일복습여부: true\n")
    expected = replace_once(expected, "복습: 14일 복습\n", "복습: 추가 복습\n")
    # No day-14 mirror in the template: the rate and bar stay 0.6 / 60%.
    assert file.read_bytes() == expected


def test_long_term_pass_reads_0_8_as_the_learners_finished_notes_do(
    vault: Path, db: Database, settings: Settings
) -> None:
    file = write_note(vault, note_text((T, T, T, T, F), "추가 복습", "0.6", BAR_60))
    original = file.read_bytes()
    session = run(db, vault, settings, dt.date(2026, 12, 1))
    assert session.result is not None and session.result.written
    expected = replace_once(original, "🧠장기기억: false\n", "🧠장기기억: true\n")
    expected = replace_once(expected, "복습: 추가 복습\n", "복습: 장기기억\n")
    expected = replace_once(expected, '"장기기억저장여부1,0": "0"', '"장기기억저장여부1,0": "1"')
    expected = replace_once(expected, '학습률: "0.6"', '학습률: "0.8"')
    expected = replace_once(expected, f"진행바: {BAR_60}", f"진행바: {BAR_80}")
    assert file.read_bytes() == expected


def test_rate_all_counts_all_five_stages(vault: Path, db: Database) -> None:
    settings = Settings(rate="all")
    file = write_note(vault, note_text((T, T, T, T, F), "추가 복습", "0.6", BAR_60))
    original = file.read_bytes()
    run(db, vault, settings, dt.date(2026, 12, 1))
    expected = replace_once(original, "🧠장기기억: false\n", "🧠장기기억: true\n")
    expected = replace_once(expected, "복습: 추가 복습\n", "복습: 장기기억\n")
    expected = replace_once(expected, '"장기기억저장여부1,0": "0"', '"장기기억저장여부1,0": "1"')
    expected = replace_once(expected, '학습률: "0.6"', '학습률: "1.0"')
    expected = replace_once(expected, f"진행바: {BAR_60}", "진행바: 🟩🟩🟩🟩🟩🟩🟩🟩🟩🟩 100%")
    assert file.read_bytes() == expected


def test_mirrors_keep_their_quoting_and_the_status_its_spacing(
    vault: Path, db: Database, settings: Settings
) -> None:
    # Single-quoted mirrors and `복습` written without the space.
    text = note_text(
        (T, F, F, F, F), "4일복습", "0.2", "🟩🟩⬜⬜⬜⬜⬜⬜⬜⬜ 20%", "'{key}': '{v}'"
    )
    file = write_note(vault, text)
    original = file.read_bytes()
    run(db, vault, settings, dt.date(2026, 11, 5))
    expected = replace_once(original, "🧡4일복습여부: false\n", "🧡4일복습여부: true\n")
    expected = replace_once(expected, "복습: 4일복습\n", "복습: 7일복습\n")
    expected = replace_once(expected, "'4일차복습여부1,0': '0'", "'4일차복습여부1,0': '1'")
    expected = replace_once(expected, '학습률: "0.2"', '학습률: "0.4"')
    expected = replace_once(
        expected, "진행바: 🟩🟩⬜⬜⬜⬜⬜⬜⬜⬜ 20%", "진행바: 🟩🟩🟩🟩⬜⬜⬜⬜⬜⬜ 40%"
    )
    assert file.read_bytes() == expected


def test_numeric_mirrors_stay_numbers(vault: Path, db: Database, settings: Settings) -> None:
    text = note_text((T, F, F, F, F), "4일 복습", "0.2", "🟩🟩⬜⬜⬜⬜⬜⬜⬜⬜ 20%", '"{key}": {v}')
    file = write_note(vault, text)
    original = file.read_bytes()
    run(db, vault, settings, dt.date(2026, 11, 5))
    expected = replace_once(original, "🧡4일복습여부: false\n", "🧡4일복습여부: true\n")
    expected = replace_once(expected, "복습: 4일 복습\n", "복습: 7일 복습\n")
    expected = replace_once(expected, '"4일차복습여부1,0": 0\n', '"4일차복습여부1,0": 1\n')
    expected = replace_once(expected, '학습률: "0.2"', '학습률: "0.4"')
    expected = replace_once(
        expected, "진행바: 🟩🟩⬜⬜⬜⬜⬜⬜⬜⬜ 20%", "진행바: 🟩🟩🟩🟩⬜⬜⬜⬜⬜⬜ 40%"
    )
    assert file.read_bytes() == expected


def test_a_failed_session_leaves_the_note_byte_identical(
    vault: Path, db: Database, settings: Settings
) -> None:
    file = write_note(vault, note_text((T, T, T, F, F), "14일 복습", "0.6", BAR_60))
    original = file.read_bytes()
    session = run(db, vault, settings, dt.date(2026, 11, 15), Grade.AGAIN)
    assert session.result is not None and session.result.outcome is not None
    assert session.result.outcome.kind is Kind.FAILED
    assert file.read_bytes() == original


def test_a_late_day4_pass_does_not_make_day7_due_the_same_day(
    vault: Path, db: Database, settings: Settings
) -> None:
    # Day 4 (due 11-05) is passed late on 11-08, which is day 7's own day.
    write_note(vault, note_text((T, F, F, F, F), "4일 복습", "0.2", "🟩🟩⬜⬜⬜⬜⬜⬜⬜⬜ 20%"))
    day = dt.date(2026, 11, 8)
    run(db, vault, settings, day)
    assert "🧡4일복습여부: true" in (vault / NOTE).read_text(encoding="utf-8")
    scan(vault, db, settings)
    assert [d.note.path for d in due_notes(db, settings, day)] == []
    again = NoteSession(db, vault, NOTE, settings, today=day)
    assert again.stage_due is None  # a second session that day is practice
    later = {
        d.note.path: (d.stage, d.day, d.overdue)
        for d in due_notes(db, settings, day + dt.timedelta(days=1))
    }
    assert later == {NOTE: (Stage.DAY_7, dt.date(2026, 11, 9), 0)}
    # The calendar export agrees: day 7 on 11-09, not on its own day 11-08.
    from quiz.export.calendar import review_events
    from quiz.store.queries import live_notes

    events = review_events(live_notes(db), day, 7, settings.offsets)
    assert [(e.stage, e.due) for e in events] == [(Stage.DAY_7, dt.date(2026, 11, 9))]


def test_english_key_gets_english_names(vault: Path, db: Database, settings: Settings) -> None:
    text = (
        "---\nfirst_studied: 2026-11-01\nreview_1d: true\nreview_4d: false\n"
        'review_status: ""\nlearning_rate: "0.2"\n---\n## Cue Questions\n\n'
        "- What is TCP?\n    A reliable stream protocol.\n"
    )
    file = write_note(vault, text)
    run(db, vault, settings, dt.date(2026, 11, 5))
    assert file.read_bytes() == (
        text.replace("review_4d: false", "review_4d: true")
        .replace('review_status: ""', 'review_status: "day 7 review"')
        .replace('learning_rate: "0.2"', 'learning_rate: "0.4"')
        .encode()
    )


def test_stages_rate_setting(tmp_path: Path) -> None:
    from quiz.config import SettingsError, load_settings

    assert load_settings(tmp_path).rate == "note"
    (tmp_path / "quiz.toml").write_text('[stages]\nrate = "all"\n', encoding="utf-8")
    assert load_settings(tmp_path).rate == "all"
    (tmp_path / "quiz.toml").write_text('[stages]\nrate = "everything"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"quiz\.toml: stages\.rate: must be \"note\""):
        load_settings(tmp_path)


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("1", 1.0),
        ("0", 0.0),
        (1, 1.0),
        (0, 0.0),
        (True, 1.0),
        ("", 0.0),
        (None, 0.0),
        ("2", 1.0),
        ("nan", 0.0),
        ("inf", 0.0),
        ("-1", 0.0),
        ("true", 1.0),
        ("x", 1.0),
        ("no", 0.0),
    ],
)
def test_mirror_values_read_as_0_to_1(value: object, read: float) -> None:
    from quiz.notes.model import mirror_value as _mirror_value

    assert _mirror_value(value) == read


def test_delimiters_with_trailing_blanks_are_written_back(
    vault: Path, db: Database, settings: Settings
) -> None:
    # An editor saved the opening line as "--- " and the closing one as "---\t ":
    # the reader finds the frontmatter there, so write-back must edit it too.
    text = note_text((T, T, T, F, F), "14일 복습", "0.6", BAR_60)
    text = text.replace("---\n", "--- \n", 1).replace("\n---\n", "\n---\t \n", 1)
    file = write_note(vault, text)
    original = file.read_bytes()
    assert original.startswith(b"--- \n") and b"\n---\t \n### " in original
    session = run(db, vault, settings, dt.date(2026, 11, 15))
    assert session.result is not None and session.result.written
    expected = replace_once(original, "💚14일복습여부: false\n", "💚14일복습여부: true\n")
    expected = replace_once(expected, "복습: 14일 복습\n", "복습: 추가 복습\n")
    assert file.read_bytes() == expected
