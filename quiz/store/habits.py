"""The learner's habit: today's work, streaks, reviews per day, the days ahead.

Two halves. Pure functions over plain values (``streaks``, ``per_day``,
``forecast``, ``note_due_days``) hold the rules and are tested without a
database; the queries below them read the index (this module owns their
SQL) and hand the rows to those functions. ``habits`` gathers everything
Mastery and ``quiz stats`` show.

Days are the learner's days: a review counts on the day recorded with it
(``--today`` when it was given), and a card's FSRS due time counts on its
local calendar day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.schedule.stages import StageState, next_stage, stage_due_day

if TYPE_CHECKING:
    from sqlite_utils import Database

    from quiz.config import Settings
    from quiz.store.queries import CardFacts, NoteStatus

#: Days in the reviews-per-day chart: twelve weeks.
HISTORY_DAYS = 84
#: Days in the forecast, today included.
FORECAST_DAYS = 30


# -- pure rules ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TodayWork:
    """What the learner did on one day.

    Attributes:
        reviews: grades given that day.
        time_ms: time spent on those cards (``study_time``).
        sessions_started: sessions begun that day.
        sessions_finished: those of them that reached their end.
    """

    reviews: int = 0
    time_ms: int = 0
    sessions_started: int = 0
    sessions_finished: int = 0

    @property
    def minutes(self) -> int:
        """Whole minutes spent, rounded to the nearest."""
        return round(self.time_ms / 60000)


#: The most one card counts towards the time spent, as Anki caps an answer
#: at a minute: a learner who leaves the app on a card is not studying.
CARD_CAP_MS = 120_000


def study_time(
    started: Mapping[int, dt.datetime],
    reviews: Iterable[tuple[int, dt.datetime | None, int | None]],
    cap_ms: int = CARD_CAP_MS,
) -> int:
    """Milliseconds spent on the reviews ``(session, when, duration_ms)``.

    A review's own ``duration_ms`` counts where it was recorded; otherwise
    the time since the previous grade of its session, or since the session
    started (``started``) for its first card. Either is capped at
    ``cap_ms``, so a break in the middle of a session does not count. A
    review whose time is unknown (``None``, a damaged row) counts its
    duration or nothing.
    """
    rows = list(reviews)
    timed = sorted(((s, w, d) for s, w, d in rows if w is not None), key=lambda r: (r[0], r[1]))
    total = sum(max(0, min(cap_ms, d or 0)) for _, w, d in rows if w is None)
    last: dict[int, dt.datetime] = dict(started)
    for session, when, duration in timed:
        if duration is not None:
            spent = duration
        elif session in last:
            spent = int((when - last[session]).total_seconds() * 1000)
        else:
            spent = 0
        total += max(0, min(cap_ms, spent))
        last[session] = when
    return total


@dataclass(frozen=True, slots=True)
class Streaks:
    """Runs of consecutive days with at least one review.

    Attributes:
        current: the run that ends today, or yesterday while today has no
            review yet (the day is not over, so it does not break the run).
        longest: the longest run up to today, the current one included.
        studied_today: whether today already has a review.
    """

    current: int = 0
    longest: int = 0
    studied_today: bool = False


def streaks(days: Iterable[dt.date], today: dt.date) -> Streaks:
    """The current and longest streak of study days, counted back from ``today``.

    Days after ``today`` are ignored (a ``--today`` in the past sees the
    history as it was then). A day without a review breaks a run; today
    without a review only does once it is over, so until then the current
    streak is the run that ended yesterday.
    """
    studied = sorted({d for d in days if d <= today})
    longest = run = 0
    previous: dt.date | None = None
    for day in studied:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    studied_today = previous == today
    yesterday = today - dt.timedelta(days=1)
    current = run if previous in (today, yesterday) else 0
    return Streaks(current, longest, studied_today)


def per_day(
    counts: Mapping[dt.date, int], today: dt.date, days: int = HISTORY_DAYS
) -> list[tuple[dt.date, int]]:
    """``(day, count)`` for each of the ``days`` days ending today, oldest first."""
    start = today - dt.timedelta(days=days - 1)
    return [
        (day, int(counts.get(day, 0)))
        for day in (start + dt.timedelta(days=i) for i in range(days))
    ]


@dataclass(frozen=True, slots=True)
class ForecastDay:
    """How much falls due on one day: notes (their next stage) and cards (FSRS)."""

    day: dt.date
    notes: int
    cards: int

    def to_json(self) -> dict[str, object]:
        """The ``forecast`` item of ``quiz stats --json``."""
        return {"day": self.day.isoformat(), "notes": self.notes, "cards": self.cards}


def _fold(due: Mapping[dt.date, int], today: dt.date, days: int) -> list[int]:
    counts = [0] * days
    for day, n in due.items():
        offset = max(0, (day - today).days)  # overdue is due today
        if offset < days:
            counts[offset] += n
    return counts


def forecast(
    note_days: Mapping[dt.date, int],
    card_days: Mapping[dt.date, int],
    today: dt.date,
    days: int = FORECAST_DAYS,
) -> list[ForecastDay]:
    """Notes and cards due on each of the ``days`` days from today.

    Anything already overdue counts on today: it is what today's session
    has to catch up on. Nothing is assumed about reviews to come, so a note
    shows on the day of its next stage only, not on the stages after it.
    """
    notes, cards = _fold(note_days, today, days), _fold(card_days, today, days)
    return [ForecastDay(today + dt.timedelta(days=i), notes[i], cards[i]) for i in range(days)]


def note_due_days(states: Iterable[StageState], offsets: Sequence[int]) -> Counter[dt.date]:
    """How many notes have their next stage due on each day (catching up included).

    New notes (no first study day) and finished ones have no due day.
    """
    found: Counter[dt.date] = Counter()
    # A vault repeats a few hundred states across thousands of notes: each
    # is judged once, for all the notes in it.
    for state, notes in Counter(states).items():
        stage = next_stage(state)
        day = None if stage is None else stage_due_day(state, stage, offsets)
        if day is not None:
            found[day] += notes
    return found


@dataclass(frozen=True, slots=True)
class Habits:
    """Everything the habit charts show, for one day."""

    today: dt.date
    work: TodayWork
    streaks: Streaks
    per_day: list[tuple[dt.date, int]]
    forecast: list[ForecastDay]

    def to_json(self) -> dict[str, object]:
        """The habit keys of ``quiz stats --json`` (README, "quiz stats --json")."""
        return {
            "today_totals": {
                "reviews": self.work.reviews,
                "time_ms": self.work.time_ms,
                "sessions_started": self.work.sessions_started,
                "sessions_finished": self.work.sessions_finished,
            },
            "streak": {
                "current": self.streaks.current,
                "longest": self.streaks.longest,
                "studied_today": self.streaks.studied_today,
            },
            "reviews_per_day": [{"day": d.isoformat(), "reviews": n} for d, n in self.per_day],
            "forecast": [f.to_json() for f in self.forecast],
        }


# -- queries -----------------------------------------------------------------------


def _when(stamp: object) -> dt.datetime | None:
    """A stored time stamp; one without an offset (written by hand) is UTC,
    one that is not a time at all (a damaged row) ``None``."""
    try:
        when = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def today_work(db: Database, today: dt.date) -> TodayWork:
    """Reviews, time and sessions of the learner's day ``today``."""
    day = today.isoformat()
    reviews = [
        (int(session), _when(when), duration)
        for session, when, duration in db.execute(
            "SELECT session_id, reviewed_at, duration_ms FROM reviews WHERE day = ?", [day]
        )
    ]
    started: dict[int, dt.datetime] = {}
    count = finished = 0
    for session, stamp, done in db.execute(
        "SELECT id, started_at, finished_at IS NOT NULL FROM sessions WHERE day = ?", [day]
    ):
        count += 1
        finished += bool(done)
        when = _when(stamp)
        if when is not None:
            started[int(session)] = when
    return TodayWork(len(reviews), study_time(started, reviews), count, finished)


def _day(text: object) -> dt.date | None:
    """A stored day, or ``None`` for one that is not a date (a damaged row,
    which ``quiz doctor`` and the review log report; the charts skip it)."""
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return None


def review_days(db: Database) -> list[dt.date]:
    """Every day with at least one review, oldest first."""
    days = (_day(day) for (day,) in db.execute("SELECT DISTINCT day FROM reviews ORDER BY day"))
    return [d for d in days if d is not None]


def review_counts(db: Database, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """Reviews on each day from ``start`` to ``end`` (days without any left out)."""
    counts: dict[dt.date, int] = {}
    for text, n in db.execute(
        "SELECT day, count(*) FROM reviews WHERE day >= ? AND day <= ? GROUP BY day",
        [start.isoformat(), end.isoformat()],
    ):
        day = _day(text)
        if day is not None:
            counts[day] = counts.get(day, 0) + int(n)
    return counts


def card_due_days(db: Database) -> dict[dt.date, int]:
    """Live cards whose FSRS review falls due on each local calendar day.

    SQLite turns each UTC due time into the local day (``'localtime'``) and
    counts them, so a vault of 100,000 reviewed cards sends a few hundred
    rows to Python, not one per card.
    """
    # date() gives NULL for a time it cannot read: such rows are left out.
    return {
        dt.date.fromisoformat(day): int(n)
        for day, n in db.execute(
            # CROSS JOIN: from the reviewed cards, each looked up in cards_live.
            "SELECT date(m.due, 'localtime') AS day, count(*) FROM memory m "
            "CROSS JOIN cards c ON c.id = m.card_id "
            "WHERE c.gone_at IS NULL AND m.due IS NOT NULL "
            "GROUP BY day HAVING day IS NOT NULL"
        )
    }


def due_days_of(cards: Iterable[CardFacts]) -> dict[dt.date, int]:
    """``card_due_days`` from cards already read (``reviewed_live_cards``)."""
    counts = Counter(card[4] for card in cards if card[4] is not None)
    return {dt.date.fromisoformat(day): n for day, n in counts.items()}


def habits(
    db: Database,
    settings: Settings,
    today: dt.date,
    notes: Iterable[NoteStatus] | None = None,
    cards: Iterable[CardFacts] | None = None,
) -> Habits:
    """Today's work, streaks, 84 days of reviews and the 30-day forecast.

    ``notes`` (the live notes) and ``cards`` (``reviewed_live_cards``): when
    the caller has them already (Mastery loads them for its table); read
    from the index otherwise.
    """
    if notes is None:
        from quiz.store.queries import live_notes

        notes = live_notes(db)
    start = today - dt.timedelta(days=HISTORY_DAYS - 1)
    return Habits(
        today=today,
        work=today_work(db, today),
        streaks=streaks(review_days(db), today),
        per_day=per_day(review_counts(db, start, today), today),
        forecast=forecast(
            note_due_days((n.state for n in notes), settings.offsets),
            card_due_days(db) if cards is None else due_days_of(cards),
            today,
        ),
    )
