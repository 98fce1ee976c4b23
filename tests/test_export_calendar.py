"""``quiz calendar``: the .ics is parsed back with icalendar and checked."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from quiz.cli import main
from quiz.export.calendar import review_events, summary
from quiz.schedule.stages import Stage, StageState
from quiz.store.queries import NoteStatus

from .conftest import SAMPLE_NOTES

TODAY = "2026-11-25"
Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the sample vault for the module: later scans are no-ops."""
    return tmp_path_factory.mktemp("calendar") / "index.db"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], sample_db: Path) -> Runner:
    """``quiz calendar SAMPLE_NOTES OUT --today 2026-11-25 ...``."""

    def run(out: Path, *extra: str) -> tuple[int, str, str]:
        return export(capsys, SAMPLE_NOTES, out, *extra, db=sample_db)

    return run


def export(
    capsys: pytest.CaptureFixture[str], vault: Path, out: Path, *extra: str, db: Path
) -> tuple[int, str, str]:
    code = main(["calendar", str(vault), str(out), "--today", TODAY, "--db", str(db), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def events(path: Path) -> list[Event]:
    cal = Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def by_summary(path: Path) -> dict[str, Event]:
    found = {str(e["SUMMARY"]): e for e in events(path)}
    assert len(found) == len(events(path)), "two events with one title"
    return found


def test_calendar_events_dates_alarms_and_header(run: Runner, tmp_path: Path) -> None:
    out = tmp_path / "reviews.ics"
    code, stdout, _ = run(out)
    assert code == 0 and "written to" in stdout
    cal = Calendar.from_ical(out.read_bytes())
    assert str(cal["VERSION"]) == "2.0"
    assert "quiz" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "Reviews · sample_notes"

    found = by_summary(out)
    # IAM 정책: first studied 11-18, day 1 and day 4 done.
    day7 = found["💛 7일 복습 · IAM 정책"]
    assert day7.decoded("DTSTART") == dt.date(2026, 11, 25)
    assert day7["DTSTART"].params["VALUE"] == "DATE"
    assert day7.decoded("DTEND") == dt.date(2026, 11, 26)
    assert found["💚 14일 복습 · IAM 정책"].decoded("DTSTART") == dt.date(2026, 12, 2)
    assert found["🧠 장기기억 · IAM 정책"].decoded("DTSTART") == dt.date(2026, 12, 18)
    assert "❤ 1일 복습 · IAM 정책" not in found and "🧡 4일 복습 · IAM 정책" not in found
    assert "DTSTAMP" in day7

    (alarm,) = day7.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == dt.timedelta(hours=9)
    assert alarm["TRIGGER"].params.get("RELATED", "START") == "START"

    description = str(day7["DESCRIPTION"])
    assert "5 cards" in description and "AWS/IAM 정책.md" in description


def test_overdue_stages_show_on_today_and_done_or_new_notes_not_at_all(
    run: Runner, tmp_path: Path
) -> None:
    out = tmp_path / "reviews.ics"
    assert run(out)[0] == 0
    found = by_summary(out)
    today = dt.date(2026, 11, 25)
    # 교착상태: first studied 11-14, only day 1 done: day 4 (11-18) and day 7
    # (11-21) are overdue and both belong on today.
    for title in ("🧡 4일 복습 · 교착상태", "💛 7일 복습 · 교착상태"):
        assert found[title].decoded("DTSTART") == today
    assert "overdue" in str(found["🧡 4일 복습 · 교착상태"]["DESCRIPTION"])
    assert found["💚 14일 복습 · 교착상태"].decoded("DTSTART") == dt.date(2026, 11, 28)
    titles = " ".join(found)
    assert "SQS와 SNS" not in titles  # every stage done
    assert "VPC 기초" not in titles  # never studied: no schedule yet
    assert all(e.decoded("DTSTART") >= today for e in events(out))
    uids = [str(e["UID"]) for e in events(out)]
    assert len(set(uids)) == len(uids) and all(u.endswith("@quiz") for u in uids)


def test_window_is_today_up_to_but_not_including_today_plus_days(
    run: Runner, tmp_path: Path
) -> None:
    out = tmp_path / "reviews.ics"
    assert run(out, "--days", "7")[0] == 0
    days = {e.decoded("DTSTART") for e in events(out)}
    assert min(days) == dt.date(2026, 11, 25) and max(days) <= dt.date(2026, 12, 1)
    # 14일 복습 of IAM 정책 is on 12-02 = today + 7: just outside.
    assert "💚 14일 복습 · IAM 정책" not in by_summary(out)
    assert run(out, "--days", "8")[0] == 0
    assert "💚 14일 복습 · IAM 정책" in by_summary(out)


def test_reexport_and_moving_a_note_keep_the_uids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vault, db = tmp_path / "vault", tmp_path / "index.db"
    shutil.copytree(SAMPLE_NOTES, vault)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert export(capsys, vault, first, db=db)[0] == 0
    assert export(capsys, vault, second, db=db)[0] == 0
    uid_of = {str(e["SUMMARY"]): str(e["UID"]) for e in events(first)}
    assert uid_of == {str(e["SUMMARY"]): str(e["UID"]) for e in events(second)}

    (vault / "Archive").mkdir()
    shutil.move(vault / "AWS" / "IAM 정책.md", vault / "Archive" / "IAM 정책.md")
    assert export(capsys, vault, second, db=db)[0] == 0
    moved = {str(e["SUMMARY"]): e for e in events(second)}
    assert str(moved["💛 7일 복습 · IAM 정책"]["UID"]) == uid_of["💛 7일 복습 · IAM 정책"]
    assert "Archive/IAM 정책.md" in str(moved["💛 7일 복습 · IAM 정책"]["DESCRIPTION"])


def test_an_overdue_event_moves_to_the_new_today_under_the_same_uid(
    run: Runner, sample_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reviews.ics"
    assert run(out)[0] == 0
    before = by_summary(out)["🧡 4일 복습 · 교착상태"]
    args = [
        "calendar",
        str(SAMPLE_NOTES),
        str(out),
        "--today",
        "2026-11-26",
        "--db",
        str(sample_db),
    ]
    assert main(args) == 0
    after = by_summary(out)["🧡 4일 복습 · 교착상태"]
    assert after.decoded("DTSTART") == dt.date(2026, 11, 26)
    assert str(after["UID"]) == str(before["UID"])


def test_missing_output_folder_is_a_clear_error(run: Runner, tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "no" / "such" / "reviews.ics")
    assert code == 1
    assert "cannot write" in err and "does not exist" in err


def test_write_is_atomic_and_leaves_no_temporary_file(run: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "reviews.ics"
    out.write_text("old calendar")
    assert run(out)[0] == 0
    assert [p.name for p in folder.iterdir()] == ["reviews.ics"]
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_no_alarm_option(run: Runner, tmp_path: Path) -> None:
    out = tmp_path / "reviews.ics"
    assert run(out, "--no-alarm")[0] == 0
    assert not any(list(e.walk("VALARM")) for e in events(out))
    assert run(out, "--alarm", "07:30")[0] == 0
    (alarm,) = events(out)[0].walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(hours=7, minutes=30)


def _note(path: str, title: str, first: dt.date) -> NoteStatus:
    return NoteStatus(path, title, "S", "", 3, StageState(first))


def test_same_title_in_two_folders_gets_distinct_uids_and_offsets_are_used() -> None:
    today = dt.date(2026, 1, 1)
    notes = [_note("a/Same.md", "Same", today), _note("b/same.md", "same", today)]
    found = review_events(notes, today, 60, (1, 2, 3, 4, 5))
    assert len(found) == 10 and len({e.uid for e in found}) == 10
    assert {e.day for e in found if e.stage is Stage.LONG_TERM} == {dt.date(2026, 1, 6)}
    # The first note by path keeps the path-independent uid.
    alone = review_events([notes[0]], today, 60, (1, 2, 3, 4, 5))
    assert {e.uid for e in alone} <= {e.uid for e in found}


def test_note_text_in_titles_loses_control_characters() -> None:
    today = dt.date(2026, 1, 1)
    evil = _note("evil.md", "evil\x1b]52;c;aGk=\x07 note\nline", today)
    (event, *_) = review_events([evil], today, 60, (1, 4, 7, 14, 30))
    title = summary(event)
    assert "\x1b" not in title and "\x07" not in title and "\n" not in title
    assert title == "❤ 1일 복습 · evil]52;c;aGk= note line"
