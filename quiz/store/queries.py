"""Read-only views over the index: what is due, and mastery per subject."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from quiz.config import Settings
from quiz.schedule import memory
from quiz.schedule.stages import Due, Kind, Mirrors, RateRule, Stage, StageState, due
from quiz.store.writebacks import PendingWrite, pending_writes

if TYPE_CHECKING:
    from sqlite_utils import Database

#: SQL for a card's latest grade, in a query over ``memory m``.
LAST_GRADE = (
    "(SELECT r.grade FROM reviews r WHERE r.card_id = m.card_id "
    "ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1)"
)

#: What a note without a subject or textbook is filed under.
NO_SUBJECT = "(no subject)"
NO_TEXTBOOK = "(no textbook)"


@dataclass(frozen=True, slots=True)
class NoteStatus:
    """A live note with cards, as the index knows it.

    ``state`` is what the note's own fields say (plus what the index keeps for
    fields it lacks); ``pending`` a pass not written into it yet, if any.
    """

    path: str
    title: str
    subject: str
    textbook: str
    cards: int
    state: StageState
    mirrors: Mirrors = (None, None, None, None, None)
    pending: PendingWrite | None = None

    def learning_rate(self, settings: Settings) -> float:
        """The note's learning rate by its own formula (SPEC "Stages")."""
        return RateRule.of(self.mirrors, settings.rate).rate(self.state.done)

    @property
    def shelf(self) -> tuple[str, str]:
        """The subject and textbook it is grouped under (named when blank)."""
        return (self.subject or NO_SUBJECT, self.textbook or NO_TEXTBOOK)


@dataclass(frozen=True, slots=True)
class DueNote:
    """A note with a due stage."""

    note: NoteStatus
    stage: Stage
    day: dt.date
    overdue: int

    def to_json(self) -> dict[str, object]:
        """The ``quiz due --json`` row."""
        return {
            "note": self.note.path,
            "title": self.note.title,
            "subject": self.note.subject,
            "stage": self.stage.label,
            "stage_index": int(self.stage),
            "due": self.day.isoformat(),
            "days_overdue": self.overdue,
            "cards": self.note.cards,
            "pending": self.note.pending.to_json() if self.note.pending else None,
        }


def unwritten_progress(
    db: Database, path: str | None = None
) -> dict[str, tuple[dt.date | None, set[int]]]:
    """Progress the index keeps because the note has no field to hold it.

    The note is the truth for its stage flags: a pass whose write-back was
    refused is a pending write-back (``quiz.store.writebacks``), not progress,
    and ``--no-write`` moves no stage. Only a session that had nothing to
    write (the note lacks the fields, e.g. no first-study field: SPEC "Stages")
    keeps its progress here. Rows from before schema v6 carry no write-back
    state: those that had nothing to write still count, as they did.
    """
    from quiz.store.writebacks import KEPT

    query = (
        "SELECT note_path, outcome, stage, first_studied FROM sessions "
        "WHERE complete = 1 AND written = 0 AND outcome IS NOT NULL "
        "AND (writeback = ? OR (writeback IS NULL AND write_message LIKE ?))"
    )
    params: list[str] = [KEPT, "%: nothing to write (no review field changes)."]
    if path is not None:
        query += " AND note_path = ?"
        params.append(path)
    found: dict[str, tuple[dt.date | None, set[int]]] = {}
    for note_path, outcome, stage, first in db.execute(query, params):
        day, stages = found.get(note_path, (None, set()))
        if first and day is None:
            day = dt.date.fromisoformat(first)
        if outcome == Kind.STAGE_PASSED.value and stage is not None:
            stages.add(int(stage))
        found[note_path] = (day, stages)
    return found


def stage_state(
    first: dt.date | None,
    done: Iterable[bool],
    unwritten: tuple[dt.date | None, set[int]] | None = None,
    passes: dict[int, dt.date] | None = None,
) -> StageState:
    """A note's stage state: what its fields say, plus the progress the index
    keeps for fields the note lacks (``unwritten_progress``: never a pass
    whose write was refused, which is pending), with the day each stage was
    passed.

    The one rule for it: a session, Today, Mastery and the exports all read
    a note's state through here (``note_state`` or ``live_notes``).
    """
    state = StageState.of(first, done)
    if unwritten:
        state = state.merged(*unwritten)
    return state.with_pass_days(passes) if passes else state


def note_state(db: Database, path: str, first: dt.date | None, done: Iterable[bool]) -> StageState:
    """``stage_state`` of one note, its fields as read now (a session's)."""
    unwritten = unwritten_progress(db, path).get(path)
    return stage_state(first, done, unwritten, stage_pass_days(db, path).get(path))


def vault_counts(db: Database) -> tuple[int, int, int]:
    """Live notes, those with a cue section, and live cards, as last scanned."""
    notes, with_cues, cards = db.execute(
        "SELECT count(*), coalesce(sum(has_cues), 0), coalesce(sum(card_count), 0) "
        "FROM notes WHERE gone_at IS NULL"
    ).fetchone()
    return int(notes), int(with_cues), int(cards)


def stage_pass_days(db: Database, path: str | None = None) -> dict[str, dict[int, dt.date]]:
    """The day each stage of each note was passed, from the review history.

    The note says only *that* a stage is done; the index's sessions say on
    which (learner's) day a session passed it. Catching up needs that day:
    the next stage is never due on it (SPEC "Stages").
    """
    query = (
        "SELECT note_path, stage, max(day) FROM sessions "
        "WHERE complete = 1 AND outcome = ? AND stage IS NOT NULL"
    )
    params: list[str] = [Kind.STAGE_PASSED.value]
    if path is not None:
        query += " AND note_path = ?"
        params.append(path)
    query += " GROUP BY note_path, stage"
    found: dict[str, dict[int, dt.date]] = defaultdict(dict)
    for note_path, stage, day in db.execute(query, params):
        found[note_path][int(stage)] = dt.date.fromisoformat(day)
    return dict(found)


def live_notes(db: Database) -> list[NoteStatus]:
    """Every note present in the vault that has at least one card."""
    rows = db.execute(
        "SELECT path, title, subject, textbook, card_count, first_studied, stages, mirrors "
        "FROM notes WHERE gone_at IS NULL AND card_count > 0 ORDER BY path"
    )
    kept = unwritten_progress(db)
    pending = pending_writes(db)
    passes = stage_pass_days(db)
    out = []
    # A vault repeats a few dozen stage lists and first-study days across
    # thousands of notes; each is decoded once (a third of the Today screen's
    # start on 10k notes went to decoding them again and again).
    # So is the state of a note the index keeps nothing more on (most notes):
    # one per first-study day and stage list, not one per note.
    flags: dict[str | None, tuple[bool, bool, bool, bool, bool]] = {}
    days: dict[str | None, dt.date | None] = {None: None, "": None}
    plain: dict[tuple[str | None, str | None], StageState] = {}
    rules: dict[str | None, Mirrors] = {None: (None, None, None, None, None)}
    for path, title, subject, textbook, cards, first, stages, mirrors in rows:
        done = flags.get(stages)
        if done is None:
            done = flags[stages] = StageState.of(None, json.loads(stages or "[]")).done
        if first not in days:
            days[first] = dt.date.fromisoformat(first)
        if path in kept or path in passes:
            state = stage_state(days[first], done, kept.get(path), passes.get(path))
        else:
            if (first, stages) not in plain:
                plain[(first, stages)] = stage_state(days[first], done)
            state = plain[(first, stages)]
        if mirrors not in rules:
            m = (json.loads(mirrors) + [None] * 5)[:5]
            rules[mirrors] = (m[0], m[1], m[2], m[3], m[4])
        out.append(
            NoteStatus(
                path,
                title,
                subject or "",
                textbook or "",
                cards,
                state,
                rules[mirrors],
                pending.get(path),
            )
        )
    return out


def due_notes(
    db: Database, settings: Settings, today: dt.date, notes: list[NoteStatus] | None = None
) -> list[DueNote]:
    """Notes with a due stage, most overdue first (``notes``: already loaded)."""
    found = []
    # The same few hundred states recur across a vault: each is judged once.
    judged: dict[StageState, Due | None] = {}
    for note in live_notes(db) if notes is None else notes:
        if note.state not in judged:
            judged[note.state] = due(note.state, today, settings.offsets)
        d = judged[note.state]
        if d is not None:
            found.append(DueNote(note, d.stage, d.day, d.overdue))
    found.sort(key=lambda d: (-d.overdue, d.note.subject, d.note.path))
    return found


@dataclass
class Mastery:
    """Mastery figures for one subject (or one textbook within it)."""

    name: str
    notes: int = 0
    cards: int = 0
    learning_rate: float | None = None
    long_term: int = 0
    due: int = 0
    accuracy_7d: float | None = None
    accuracy_30d: float | None = None
    retrievability: float | None = None
    reviews_7d: int = 0
    reviews_30d: int = 0
    textbooks: list[Mastery] = field(default_factory=list)


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return round(sum(items) / len(items), 3) if items else None


#: A reviewed live card as Mastery and the forecast see it: its note's path,
#: its FSRS stability and last review (ISO text), its latest grade, and the
#: local calendar day (ISO text) its FSRS review falls due, ``None`` when
#: that is unknown.
CardFacts = tuple[str, float | None, str | None, int | None, str | None]


def reviewed_live_cards(db: Database) -> list[CardFacts]:
    """``CardFacts`` of every live card with a memory state, in one pass.

    Only the fields Mastery's recall and the forecast of cards due need,
    read by SQLite: decoding each card's whole FSRS state was most of
    Mastery's time on a 10k-note vault. Rows come in the memory table's
    order (recall is averaged in it).
    """
    return db.execute(
        "SELECT c.note_path, json_extract(m.state, '$.stability'), "
        f"json_extract(m.state, '$.last_review'), {LAST_GRADE}, date(m.due, 'localtime') "
        # CROSS JOIN keeps SQLite on the reviewed cards, looking each up in
        # the index cards_live, rather than going over every card ever seen.
        "FROM memory m CROSS JOIN cards c ON c.id = m.card_id WHERE c.gone_at IS NULL"
    ).fetchall()


def mastery(
    db: Database,
    settings: Settings,
    today: dt.date,
    now: dt.datetime,
    notes: list[NoteStatus] | None = None,
    cards: list[CardFacts] | None = None,
) -> list[Mastery]:
    """One row per subject, each with one row per textbook.

    ``notes`` (``live_notes``) and ``cards`` (``reviewed_live_cards``):
    already loaded, e.g. for the habit charts too.
    """
    if notes is None:
        notes = live_notes(db)
    if cards is None:
        cards = reviewed_live_cards(db)
    subject_of = {n.path: n.shelf for n in notes}
    week, month = (
        (today - dt.timedelta(days=6)).isoformat(),
        (today - dt.timedelta(days=29)).isoformat(),
    )
    # Accuracy: share of grades Hard or better, by the learner's day. A
    # review's note is its card's (through the card id, as recall below),
    # so a moved note keeps its accuracy. SQLite counts them per note (the
    # card's note from the covering index cards_live, not the card rows).
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for path, month_all, month_ok, week_all, week_ok in db.execute(
        "SELECT c.note_path, count(*), sum(r.grade >= 2), sum(r.day >= ?), "
        "sum(r.day >= ? AND r.grade >= 2) "
        "FROM reviews r CROSS JOIN cards c INDEXED BY cards_live ON c.id = r.card_id "
        "WHERE r.day >= ? AND r.day <= ? GROUP BY c.note_path",
        [week, week, month, today.isoformat()],
    ):
        key = subject_of.get(path)
        if key is None:
            continue
        bucket = acc[key]
        bucket[0] += month_all
        bucket[1] += month_ok
        bucket[2] += week_all
        bucket[3] += week_ok
    recall: dict[tuple[str, str], list[float]] = defaultdict(list)
    recall_now = memory.recall_at(now)
    for path, stability, last_review, last, _due in cards:
        key = subject_of.get(path)
        if key is None:
            continue
        r = recall_now(stability, last_review, last)
        if r is not None:
            recall[key].append(r)

    # Each note's figures once: cards, learning rate (by its own formula),
    # long-term, due. Rate and due are judged once per distinct state and
    # mirrors (a vault repeats a few hundred); every note counts in two rows.
    # Per shelf: notes, cards, long-term and due counted, the rates listed in
    # note order (their mean is summed in it).
    judged: dict[tuple[StageState, Mirrors], tuple[float, bool, bool]] = {}
    Tally = tuple[list[int], list[float]]
    groups: dict[str, dict[str, Tally]] = defaultdict(dict)
    for n in notes:
        j = judged.get((n.state, n.mirrors))
        if j is None:
            is_due = due(n.state, today, settings.offsets) is not None
            long_term = n.state.done[Stage.LONG_TERM]
            j = judged[(n.state, n.mirrors)] = (n.learning_rate(settings), is_due, long_term)
        s, t = subject_of[n.path]
        books = groups[s]
        tally = books.get(t)
        if tally is None:
            tally = books[t] = ([0, 0, 0, 0], [])
        counts = tally[0]
        counts[0] += 1
        counts[1] += n.cards
        counts[2] += j[2]
        counts[3] += j[1]
        tally[1].append(j[0])

    def figures(name: str, tallies: list[Tally], keys: list[tuple[str, str]]) -> Mastery:
        total = [sum(acc[k][i] for k in keys if k in acc) for i in range(4)]
        return Mastery(
            name=name,
            notes=sum(c[0] for c, _ in tallies),
            cards=sum(c[1] for c, _ in tallies),
            learning_rate=_mean(r for _, rates in tallies for r in rates),
            long_term=sum(c[2] for c, _ in tallies),
            due=sum(c[3] for c, _ in tallies),
            accuracy_30d=round(total[1] / total[0], 3) if total[0] else None,
            accuracy_7d=round(total[3] / total[2], 3) if total[2] else None,
            reviews_30d=total[0],
            reviews_7d=total[2],
            retrievability=_mean(r for k in keys for r in recall.get(k, [])),
        )

    out = []
    for subject in sorted(groups):
        books = groups[subject]
        row = figures(subject, list(books.values()), [(subject, t) for t in books])
        row.textbooks = [figures(t, [books[t]], [(subject, t)]) for t in sorted(books)]
        out.append(row)
    return out


def mastery_json(rows: list[Mastery]) -> list[dict[str, object]]:
    """Mastery rows as plain dicts for ``--json``."""
    return [asdict(r) for r in rows]
