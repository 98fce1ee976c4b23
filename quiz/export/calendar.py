"""``quiz calendar``: the review schedule as an iCalendar feed.

One all-day event per note and stage not yet done, on the stage's due day
(or on today when that day has passed), for the days ``[today, today + N)``.
A phone calendar that subscribes to the file shows what to review each day.

Each event's UID comes from the note's title and the stage, not from its
folder or its date: exporting again after a review, after moving the note or
after a day has passed *updates* the same event instead of adding another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from quiz.export import write_atomic
from quiz.notes.ids import distinct_note_keys
from quiz.schedule.stages import Stage, due_day, stage_due_day
from quiz.store.queries import NoteStatus
from quiz.text import one_line
from quiz.wording import overdue, plural, stage_korean

PRODID = "-//quiz//Cornell review calendar//EN"
DEFAULT_DAYS = 60
#: When the reminder fires, counted from the start (local midnight) of the day.
DEFAULT_ALARM = dt.timedelta(hours=9)


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One stage of one note on the calendar.

    Attributes:
        note: the note, as indexed.
        stage: the stage to review.
        due: the day the stage falls due.
        day: the day the event is shown: ``due``, or today when overdue.
        uid: the stable iCalendar UID.
    """

    note: NoteStatus
    stage: Stage
    due: dt.date
    day: dt.date
    uid: str

    @property
    def overdue(self) -> int:
        """Days between the due day and the day shown (0 when on time)."""
        return (self.day - self.due).days


def event_uid(key: str, stage: Stage) -> str:
    """A stable UID from a note's identity and a stage.

    ``stage.name`` (``DAY_7``) rather than its day count, so changing the
    offsets in ``quiz.toml`` moves events instead of duplicating them.
    """
    digest = hashlib.blake2b(f"{key}\x1f{stage.name}".encode(), digest_size=12).hexdigest()
    return f"{digest}@quiz"


def review_events(
    notes: Iterable[NoteStatus], today: dt.date, days: int, offsets: Sequence[int]
) -> list[ReviewEvent]:
    """Events for every undone stage falling in ``[today, today + days)``.

    A stage whose day has passed is shown on today: it is still to be done,
    and a calendar event in the past would go unseen. Notes never studied
    have no schedule yet and get no event.
    """
    notes = list(notes)
    # Two notes with one file name are told apart as their cards are.
    keys = distinct_note_keys(note.path for note in notes)
    end = today + dt.timedelta(days=days)
    events = []
    for note in notes:
        first = note.state.first_studied
        if first is None:
            continue
        for stage in Stage:
            if note.state.done[stage]:
                continue
            # Catching up: a stage waits for the day after the previous pass.
            due = stage_due_day(note.state, stage, offsets) or due_day(first, stage, offsets)
            day = max(due, today)
            if day < end:
                events.append(ReviewEvent(note, stage, due, day, event_uid(keys[note.path], stage)))
    events.sort(key=lambda e: (e.day, e.due, e.note.path, e.stage))
    return events


def summary(event: ReviewEvent) -> str:
    """The event title, e.g. ``💛 7일 복습 · AWS Lambda``."""
    return one_line(f"{stage_korean(event.stage)} · {event.note.title}")


def description(event: ReviewEvent) -> str:
    """Cards, note path and, when overdue, the day it was due."""
    cards = plural(event.note.cards, "card")
    lines = [
        f"{event.stage.label} review ({event.stage.korean}) of {event.note.title}",
        f"{cards} · {event.note.path}",
    ]
    if event.overdue:
        lines.append(f"due {event.due.isoformat()} ({overdue(event.overdue)})")
    if event.note.subject:
        lines.append(f"subject: {event.note.subject}")
    return "\n".join(one_line(line) for line in lines)  # one line each, names included


def build_calendar(
    events: Sequence[ReviewEvent],
    name: str,
    now: dt.datetime,
    alarm: dt.timedelta | None = DEFAULT_ALARM,
) -> bytes:
    """The iCalendar document (RFC 5545) for ``events``.

    Events are all-day (``DTSTART;VALUE=DATE``, ``DTEND`` the next day): a
    review belongs to a day, not an hour, and a date has no time zone, so the
    phone shows it on the right day wherever the learner is.

    The alarm is a ``DISPLAY`` alarm with a ``TRIGGER`` relative to the start
    of the event (``PT9H``). An all-day event starts at local midnight in the
    phone's own zone, so +9 hours rings at 09:00 local time, with no time
    zone to get wrong; an absolute trigger would need one.
    """
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", one_line(name))
    cal.add("x-wr-caldesc", "Review days of your Cornell notes, from quiz")
    # Hints for subscribing clients: the schedule changes after each review.
    cal.add("x-published-ttl", "PT6H")
    cal.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    for ev in events:
        event = Event()
        event.add("uid", ev.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", ev.day)
        event.add("dtend", ev.day + dt.timedelta(days=1))
        event.add("summary", summary(ev))
        event.add("description", description(ev))
        if ev.note.subject:
            event.add("categories", [one_line(ev.note.subject)])
        # A reminder, not a meeting: the day stays free in busy/free views.
        event.add("transp", "TRANSPARENT")
        if alarm is not None:
            reminder = Alarm()
            reminder.add("action", "DISPLAY")
            reminder.add("description", summary(ev))
            reminder.add("trigger", alarm, parameters={"RELATED": "START"})
            event.add_component(reminder)
        cal.add_component(event)
    return bytes(cal.to_ical())


def write_calendar(
    path: Path,
    notes: Iterable[NoteStatus],
    today: dt.date,
    days: int,
    offsets: Sequence[int],
    *,
    name: str,
    now: dt.datetime,
    alarm: dt.timedelta | None = DEFAULT_ALARM,
) -> list[ReviewEvent]:
    """Compute the events, write the calendar atomically, return the events."""
    events = review_events(notes, today, days, offsets)
    write_atomic(path, build_calendar(events, name, now, alarm))
    return events
