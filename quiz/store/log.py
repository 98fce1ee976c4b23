"""The review log: the history of grades and sessions, kept in the vault.

Every grade, undo and session outcome is appended, the moment it is given, to
one file per device inside the vault (``.quiz/log/<host>-<id>.jsonl`` by
default, ``[log] folder`` in settings). One JSON object per line (JSON Lines),
each line one ``write`` on a file opened for appending, then ``fsync``: a crash
leaves at most a torn last line, never a damaged earlier one. A device only
ever appends to its own file, so a sync tool (git, Syncthing, iCloud, Obsidian
Sync) never has to merge one file written on two machines.

The SQLite index is a cache of the notes and these logs: ``import_logs``
reads every device's file from where the last import stopped, merges the new
events by time, skips events the index already holds (a review is never
counted twice) and replays the FSRS memory of every card they touch in time
order. Deleting the index and running any command rebuilds the same history.

Event fields (``v`` 1):
    id        unique event id (128 random bits, hex).
    at        UTC time of the event, ISO 8601 with milliseconds.
    kind      ``grade``, ``undo`` or ``session``.
    device    the writing device's name (host and device id).
    session   the session's id (128 random bits, hex).
    note      the note's path in the vault when the event was written (a
              rebuilt index takes a review's note from its card; the path
              says which of two same-named notes a card was graded in);
              ``key``: its note key.
    day       the learner's day the session counts for (``--today``).
    grade:    ``card``, ``grade`` (1-4), ``typed``, ``similarity``,
              ``duration_ms``, ``cards`` (the session's size), ``started``.
    undo:     ``card`` and ``undoes`` (the id of the grade taken back).
    session:  the session's outcome, the columns of ``sessions``. A later
              session event of the same session updates it: a pending
              write-back applied or dropped by a later command says so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.config import Settings
from quiz.schedule import memory
from quiz.schedule.stages import Grade

if TYPE_CHECKING:
    from sqlite_utils import Database

VERSION = 1
SUFFIX = ".jsonl"
KINDS = frozenset({"grade", "undo", "session"})
#: The columns of ``sessions`` a session event carries (besides its id).
SESSION_FIELDS = (
    "note_path", "day", "started_at", "finished_at", "cards", "graded", "complete", "passed",
    "outcome", "stage", "rate_before", "rate_after", "first_studied", "written", "write_message",
    "writeback", "write_reason", "fields_digest",
)  # fmt: skip
#: A log line longer than this is not one of ours (bounds memory per line).
MAX_LINE = 64 * 1024


def new_id() -> str:
    """A unique id for an event or a session: 128 random bits, hex (as a UUID4).

    ``os.urandom`` rather than ``uuid``/``socket`` at import: every command
    imports this module to read the logs, and start-up time is the learner's.
    """
    return os.urandom(16).hex()


def stamp(when: dt.datetime) -> str:
    """The one time format of the log and the index: UTC, milliseconds."""
    return when.astimezone(dt.UTC).isoformat(timespec="milliseconds")


@cache
def device_id() -> str:
    """This device's id: random, made once, kept in the user's state directory."""
    import platformdirs

    path = Path(platformdirs.user_state_dir("quiz")) / "device-id"
    found = _read_device_id(path)
    if found is not None:
        return found
    made = new_id()[:12]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole beside it, then linked into place only if no other
        # process (two commands started at once) got there first: never a
        # torn id, never two ids, so never two log files for one device.
        temp = path.with_name(f".device-id-{made}.tmp")
        temp.write_text(made + "\n", encoding="ascii")
        try:
            os.link(temp, path)
        except FileExistsError:
            theirs = _read_device_id(path)
            if theirs is not None:
                made = theirs
            else:  # what is there is no id (torn by a crash): ours replaces it
                os.replace(temp, path)
        except OSError:
            os.replace(temp, path)  # a file system without hard links
        finally:
            temp.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: the id lasts this run, the log still works
    return made


def _read_device_id(path: Path) -> str | None:
    try:
        found = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return found if re.fullmatch(r"[0-9a-f]{8,32}", found) else None


@cache
def device_name() -> str:
    """``<host>-<id>``: readable in a file list, unique per device."""
    import socket

    host = re.sub(r"[^A-Za-z0-9_-]+", "-", socket.gethostname().split(".")[0]).strip("-_")
    return f"{host.lower()[:32] or 'device'}-{device_id()}"


def log_folder(vault: Path, settings: Settings) -> Path:
    """Where the logs of ``vault`` live (settings checked it stays inside)."""
    return vault.joinpath(*settings.log_folder.split("/"))


class ReviewLog:
    """This device's log file of one vault; appends only.

    A failed write never stops a session (the index still has the grade):
    ``problem`` then says why, for the learner.
    """

    def __init__(self, vault: Path, settings: Settings, device: str | None = None) -> None:
        self.vault = vault
        self.folder = log_folder(vault, settings)
        self.device = device or device_name()
        self.path = self.folder / f"{self.device}{SUFFIX}"
        self.problem: str | None = None
        self._checked = False  # the folder exists and stays inside the vault

    def append(self, kind: str, at: dt.datetime, event_id: str | None = None, **fields: Any) -> str:
        """Write one event (one line, flushed and synced); return its id."""
        event_id = event_id or new_id()
        try:
            self._write(event_line(event_id, kind, at, self.device, **fields))
        except OSError as exc:
            rel = self.path.relative_to(self.vault).as_posix()
            self.problem = (
                f"{rel}: the review log could not be written ({exc.strerror or exc}); "
                "this device's index still has the grades."
            )
        return event_id

    def write_lines(self, data: bytes) -> None:
        """Append whole lines made by ``event_line`` at once; raises ``OSError``."""
        self._write(data)

    def _write(self, data: bytes) -> None:
        if not self._checked:
            # Before creating anything: a symlinked folder may lead out of the vault.
            if not self.folder.resolve().is_relative_to(self.vault.resolve()):
                raise OSError(f"{self.folder} leads out of the vault")
            self._checked = True
        self.folder.mkdir(parents=True, exist_ok=True)  # a sync tool may have removed it
        # O_BINARY: no newline translation on Windows (0 elsewhere).
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(self.path, flags, 0o644)
        try:
            size = os.fstat(fd).st_size
            # A line torn by a crash gets its end here, so that it stays one
            # (skipped) line and does not swallow this one.
            if size and _byte_at(fd, size - 1) != b"\n":
                data = b"\n" + data
            view = memoryview(data)
            while view:  # one write for a line; a long backfill may take more
                view = view[os.write(fd, view) :]
            # The log is the truth the index is rebuilt from: a grade is kept
            # through a power cut too. 7-8 ms on a busy VM's disk, once per
            # grade given by hand (benchmarks/README.md).
            os.fsync(fd)
        finally:
            os.close(fd)


def _byte_at(fd: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, 1, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows; O_APPEND still writes at the end
    return os.read(fd, 1)


def event_line(event_id: str, kind: str, at: dt.datetime, device: str, **fields: Any) -> bytes:
    """One event as its log line (UTF-8 JSON, one line, ending in a newline)."""
    event = {"v": VERSION, "id": event_id, "at": stamp(at), "kind": kind, "device": device}
    event.update(fields)
    return (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass
class ImportReport:
    """What ``import_logs`` did: new events applied and problems found."""

    files: int = 0
    events: int = 0
    backfilled: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Event:
    at: str
    file: str
    offset: int
    data: dict[str, Any]


def _read_new(
    folder: Path, vault: Path, known: dict[str, tuple[int, int]], report: ImportReport
) -> tuple[list[_Event], dict[str, tuple[int, int]]]:
    """Complete lines past each file's imported offset; new offsets and torn marks."""
    events: list[_Event] = []
    done: dict[str, tuple[int, int]] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file())
    except OSError as exc:
        report.warnings.append(f"{folder}: the review logs cannot be read: {exc.strerror}")
        return events, done
    for path in files:
        report.files += 1
        rel = path.relative_to(vault).as_posix()
        offset, torn_at = known.get(path.name, (0, -1))
        try:
            size = path.stat().st_size
            if size < offset:
                offset = 0  # the file was replaced: read it again, ids dedupe
            if size == offset:
                continue
            with path.open("rb") as fh:
                fh.seek(offset)
                data = fh.read(size - offset)
        except OSError as exc:
            report.warnings.append(f"{rel}: cannot read: {exc.strerror or exc}")
            continue
        end = data.rfind(b"\n") + 1
        if end < len(data) and torn_at != offset + end:
            report.warnings.append(
                f"{rel}: the last line is incomplete (quiz stopped while writing it?); "
                "it is skipped"
            )
            torn_at = offset + end
        pos = offset
        for line in data[:end].splitlines(keepends=True):
            event = _parse(line)
            if event is None:
                if line.strip():
                    report.warnings.append(
                        f"{rel}: the line at byte {pos} is not a review log entry; it is skipped"
                    )
            else:
                events.append(_Event(str(event["at"]), path.name, pos, event))
            pos += len(line)
        done[path.name] = (offset + end, torn_at)
    return events, done


#: What each kind of event must hold, and the types its values may have. A log
#: comes from other machines through a sync tool: it is checked like a note.
_TEXT, _NUMBER, _WHOLE = (str,), (int, float), (int,)
_NEEDS: dict[str, dict[str, tuple[type, ...]]] = {
    "grade": {"card": _TEXT, "day": _TEXT},
    "undo": {"undoes": _TEXT},
    "session": {"note_path": _TEXT, "day": _TEXT},
}
_MAY: dict[str, tuple[type, ...]] = {
    "note": _TEXT, "key": _TEXT, "typed": _TEXT, "similarity": _NUMBER, "duration_ms": _WHOLE,
    "cards": _WHOLE, "started": _TEXT, "started_at": _TEXT, "finished_at": _TEXT,
    "graded": _WHOLE, "complete": _WHOLE, "passed": _WHOLE, "outcome": _TEXT, "stage": _WHOLE,
    "rate_before": _NUMBER, "rate_after": _NUMBER, "first_studied": _TEXT, "written": _WHOLE,
    "write_message": _TEXT, "card": _TEXT, "note_path": _TEXT, "writeback": _TEXT,
    "write_reason": _TEXT, "fields_digest": _TEXT,
}  # fmt: skip
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse(line: bytes) -> dict[str, Any] | None:
    """A valid event of a known kind, its time in the one format; else ``None``."""
    if len(line) > MAX_LINE:
        return None
    try:
        event = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(event, dict) or event.get("kind") not in KINDS:
        return None
    if not all(isinstance(event.get(k), str) for k in ("id", "at", "session")):
        return None
    try:
        at = dt.datetime.fromisoformat(event["at"])
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    # Another device may write another offset: one format sorts by time.
    event["at"] = stamp(at)
    for name, types in _NEEDS[event["kind"]].items():
        if not isinstance(event.get(name), types):
            return None
    for name, types in _MAY.items():
        value = event.get(name)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            return None
    if event["kind"] == "grade" and (
        event.get("grade") not in (1, 2, 3, 4) or isinstance(event["grade"], bool)
    ):
        return None
    if not _DAY.fullmatch(event.get("day") or "0000-00-00"):
        return None
    return event


def graded_in(vault: Path, settings: Settings) -> dict[str, str]:
    """For each card graded in any device's log, the note it was last graded in.

    What a rebuilt index needs to give each of two same-named notes back
    the cards its grades were given on (``quiz.notes.ids.plain_owner``).
    Reads every log whole, so the index asks only when its own rows cannot
    say (a new index, or a clash no note holds yet).
    """
    folder = log_folder(vault, settings)
    if not folder.is_dir() or not folder.resolve().is_relative_to(vault.resolve()):
        return {}
    # A lean pass (import_logs checks every line; here a line that is not a
    # grade is skipped before it is parsed): a new index reads the logs twice.
    latest: dict[str, tuple[dt.datetime, str]] = {}
    try:
        files = [p for p in folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file()]
    except OSError:
        return {}
    for path in sorted(files):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for line in data.splitlines():
            if b'"grade"' not in line or len(line) > MAX_LINE:
                continue
            try:
                event = json.loads(line)
                at = dt.datetime.fromisoformat(event["at"])
            except (ValueError, TypeError, KeyError):
                continue  # a torn or foreign line: import_logs reports it
            card, note = event.get("card"), event.get("note")
            if event.get("kind") != "grade" or not isinstance(card, str):
                continue
            if not isinstance(note, str) or at.tzinfo is None:
                continue
            seen = latest.get(card)
            if seen is None or seen[0] <= at:
                latest[card] = (at, note)
    return {card: note for card, (_, note) in latest.items()}


def import_logs(db: Database, vault: Path, settings: Settings) -> ImportReport:
    """Bring the index up to date with every device's log; see the module doc."""
    report = ImportReport()
    _backfill(db, vault, settings, report)
    folder = log_folder(vault, settings)
    if not folder.is_dir():
        return report
    if not folder.resolve().is_relative_to(vault.resolve()):
        report.warnings.append(
            f"{settings.log_folder}: leads out of the vault; its logs are not read"
        )
        return report
    known = {
        name: (int(offset), int(torn))
        for name, offset, torn in db.execute("SELECT name, offset, torn_at FROM log_files")
    }
    events, done = _read_new(folder, vault, known, report)
    if not done:
        return report  # nothing new: no write transaction either
    # Merged by time; a device's own order breaks ties (its file is in order).
    events.sort(key=lambda e: (e.at, e.file, e.offset))
    # IMMEDIATE: the write lock before reading which events the index holds,
    # so a session committing a grade meanwhile is waited for, not raced.
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        report.events = _apply(db, [e.data for e in events])
        db.conn.executemany(
            "INSERT INTO log_files (name, offset, torn_at) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET offset = excluded.offset, torn_at = excluded.torn_at",
            [(name, offset, torn) for name, (offset, torn) in done.items()],
        )
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
    return report


def _apply(db: Database, events: list[dict[str, Any]]) -> int:
    """Apply events in order; return how many were new to the index."""
    if not events:
        return 0
    conn = db.conn
    grade_ids = [e["id"] for e in events if e["kind"] == "grade"]
    have = _existing(db, "reviews", "event_id", grade_ids)
    sessions: dict[str, int] = dict(
        conn.execute("SELECT uid, id FROM sessions WHERE uid IS NOT NULL")
    )
    touched_cards: set[str] = set()
    touched_sessions: set[int] = set()
    applied = 0

    def session_id(event: dict[str, Any]) -> int:
        uid = event["session"]
        if uid not in sessions:
            started = event.get("started") or event.get("started_at") or event["at"]
            note = event.get("note_path") or event.get("note") or ""
            day = event.get("day") or event["at"][:10]
            cur = conn.execute(
                "INSERT INTO sessions (uid, note_path, day, started_at, cards, graded, complete) "
                "VALUES (?, ?, ?, ?, ?, 0, 0)",
                [uid, note, day, started, event.get("cards")],
            )
            sessions[uid] = int(cur.lastrowid or 0)
        return sessions[uid]

    for event in events:
        kind = event["kind"]
        if kind == "grade":
            if event["id"] in have:
                continue
            sid = session_id(event)
            conn.execute(
                "INSERT INTO reviews (session_id, card_id, grade, typed, similarity, "
                "duration_ms, reviewed_at, day, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(event_id) DO NOTHING",
                [sid, event["card"], event["grade"], event.get("typed"),
                 event.get("similarity"), event.get("duration_ms"), event["at"], event["day"],
                 event["id"]],
            )  # fmt: skip
            have.add(event["id"])
            touched_cards.add(event["card"])
            touched_sessions.add(sid)
            applied += 1
        elif kind == "undo":
            row = conn.execute(
                "SELECT card_id, session_id FROM reviews WHERE event_id = ?", [event["undoes"]]
            ).fetchone()
            if row is not None:
                conn.execute("DELETE FROM reviews WHERE event_id = ?", [event["undoes"]])
                touched_cards.add(row[0])
                touched_sessions.add(row[1])
                applied += 1
        else:
            sid = session_id(event)
            values = {k: event.get(k) for k in SESSION_FIELDS if k in event}
            current = conn.execute(
                "SELECT finished_at FROM sessions WHERE id = ?", [sid]
            ).fetchone()
            if current[0] != values.get("finished_at"):
                applied += 1
            sets = ", ".join(f"[{k}] = ?" for k in values)
            conn.execute(f"UPDATE sessions SET {sets} WHERE id = ?", [*values.values(), sid])
    # A session never finished (quit by a crash) counts the grades it kept.
    conn.executemany(
        "UPDATE sessions SET graded = (SELECT count(*) FROM reviews WHERE session_id = ?) "
        "WHERE id = ? AND finished_at IS NULL",
        [(sid, sid) for sid in touched_sessions],
    )
    replay_memory(db, touched_cards)
    return applied


def _existing(db: Database, table: str, column: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in db.execute(
                f"SELECT [{column}] FROM [{table}] WHERE [{column}] IN ({marks})", chunk
            )
        )
    return found


def replay_memory(db: Database, cards: Iterable[str]) -> None:
    """Recompute the FSRS memory of ``cards`` from their reviews, in time order.

    The same reviews give the same state whatever order they arrived in, so
    two devices' logs give the history one device would have.
    """
    conn = db.conn
    ids = sorted(set(cards))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT id, card_id, grade, reviewed_at FROM reviews WHERE card_id IN ({marks}) "
            "ORDER BY card_id, reviewed_at, id",
            chunk,
        )
        history: dict[str, list[tuple[int, Grade, dt.datetime]]] = {}
        for review_id, card_id, grade, at in rows:
            history.setdefault(card_id, []).append(
                (review_id, Grade(grade), dt.datetime.fromisoformat(at))
            )
        states: dict[str, tuple[str, int]] = {}
        befores: list[tuple[str | None, int]] = []
        for card_id, reviews in history.items():
            after = memory.replay((grade, at) for _, grade, at in reviews)
            befores.extend(zip([None, *after], [r[0] for r in reviews], strict=False))
            states[card_id] = (after[-1], len(after))
        conn.executemany("UPDATE reviews SET memory_before = ? WHERE id = ?", befores)
        conn.execute(f"DELETE FROM memory WHERE card_id IN ({marks})", chunk)
        conn.executemany(
            "INSERT INTO memory (card_id, state, due, last_review, reviews) VALUES (?, ?, ?, ?, ?)",
            [
                (cid, state, parsed.get("due"), parsed.get("last_review"), count)
                for cid, (state, count) in states.items()
                for parsed in [json.loads(state)]
            ],
        )


def _backfill(db: Database, vault: Path, settings: Settings, report: ImportReport) -> None:
    """Write the history an index kept from before the log into this device's log.

    An index made by an earlier quiz holds reviews without event ids: they
    are appended (one write, one fsync) and get their ids in the same
    transaction, so they are written once, and deleting the index after that
    loses nothing. A row that would not make a valid log entry (quiz always
    wrote aware times and ISO days; these came from elsewhere) stays in this
    index only, marked so it is not tried again. A log that cannot be written
    is reported; the next command tries again.
    """
    if db.execute("SELECT 1 FROM reviews WHERE event_id IS NULL LIMIT 1").fetchone() is None:
        return
    log = ReviewLog(vault, settings)  # the device's name is looked up only now
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        uids: dict[int, str] = {}
        for sid, uid in conn.execute("SELECT id, uid FROM sessions").fetchall():
            uids[sid] = uid or new_id()
            if uid is None:
                conn.execute("UPDATE sessions SET uid = ? WHERE id = ?", [uids[sid], sid])
        lines: list[bytes] = []
        ids: list[tuple[str, int]] = []
        unlogged: list[tuple[str, int]] = []
        sessions: set[int] = set()
        rows = conn.execute(
            "SELECT r.id, r.session_id, r.card_id, c.note_path, r.grade, r.typed, r.similarity, "
            "r.duration_ms, r.reviewed_at, r.day, s.note_path, s.cards, s.started_at "
            "FROM reviews r JOIN sessions s ON s.id = r.session_id "
            "LEFT JOIN cards c ON c.id = r.card_id "
            "WHERE r.event_id IS NULL ORDER BY r.reviewed_at, r.id"
        ).fetchall()
        for rid, sid, card, note, grade, typed, score, ms, at, day, where, cards, started in rows:
            event_id = new_id()
            line = _valid_line(
                event_id, "grade", at, log.device, session=uids[sid], note=note, note_path=where,
                day=day, card=card, grade=grade, typed=typed, similarity=score, duration_ms=ms,
                cards=cards, started=started,
            )  # fmt: skip
            if line is None:
                unlogged.append((f"unlogged-{rid}", rid))
                continue
            lines.append(line)
            ids.append((event_id, rid))
            sessions.add(sid)
        for sid in sorted(sessions):
            row = conn.execute(
                f"SELECT {', '.join(SESSION_FIELDS)} FROM sessions WHERE id = ?", [sid]
            ).fetchone()
            values = dict(zip(SESSION_FIELDS, row, strict=True))
            if values["finished_at"]:
                line = _valid_line(
                    new_id(), "session", values["finished_at"], log.device,
                    session=uids[sid], **values,
                )  # fmt: skip
                if line is not None:
                    lines.append(line)
        if lines:
            log.write_lines(b"".join(lines))
        conn.executemany("UPDATE reviews SET event_id = ? WHERE id = ?", [*ids, *unlogged])
    except OSError as exc:
        conn.execute("ROLLBACK")
        rel = log.path.relative_to(log.vault).as_posix()
        report.warnings.append(
            f"{rel}: the reviews kept from before the review log could not be written to it "
            f"({exc.strerror or exc}); they stay in this index only"
        )
        return
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    report.backfilled = len(ids)
    rel = log.path.relative_to(log.vault).as_posix()
    if ids:
        report.warnings.append(
            f"{rel}: {len(ids)} reviews kept from before the review log were written to it"
        )
    if unlogged:
        report.warnings.append(
            f"{len(unlogged)} reviews in the index have no valid time or day for the review "
            "log; they stay in this index only"
        )


def _valid_line(event_id: str, kind: str, at: object, device: str, **fields: Any) -> bytes | None:
    """The log line of an event made from index rows, or ``None`` if not a valid one."""
    try:
        when = dt.datetime.fromisoformat(str(at))
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    line = event_line(event_id, kind, when, device, **fields)
    return line if _parse(line) is not None else None
