"""The one module that owns the database schema and its migrations.

Tables:
    meta      key/value, holds ``schema_version``.
    notes     one row per note file ever seen; ``gone_at`` set when it vanished;
              ``has_cues`` 0 for a note without any cue section (v3);
              ``mirrors`` its numeric mirror fields, JSON, ``null`` where absent (v5).
    cards     one row per card id ever seen; ``gone_at`` set when it vanished;
              ``answer_source`` / ``answer_from`` say where its answer came from (v4);
              index ``cards_live`` (id, gone_at, note_path) answers liveness (v8).
              A card's history (reviews, memory) hangs on its id, so rows are
              never deleted.
    sessions  one quiz session of one note: when, outcome, write-back result;
              ``writeback`` what became of its write-back (v6: ``written``,
              ``kept`` in the index for want of a field, ``pending``, then
              ``applied`` or ``dropped``), ``write_reason`` why it is pending
              and ``fields_digest`` the note's review fields when it was refused.
    reviews   one self-grade, written the moment it is given (a crash loses
              at most the card on screen); keeps the memory state before it
              so a grade can be undone exactly. It hangs on its card id only:
              its note is the card's (v7 dropped a copy of the note's path,
              which went stale when the note moved).
    memory    the FSRS state of each reviewed card.
    log_files how far each device's review log in the vault has been read
              (``quiz.store.log``); reviews and sessions carry the log's
              event and session ids, so an event is never applied twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.store.files import (
    SIDE_FILES,
    StoreError,
    check_place,
    describe,
    header_damage,
    is_damage,
    quarantine,
)

SCHEMA_VERSION = 9

#: Seconds a writer waits for another process's write to end (a cold scan of
#: a large vault holds the index for a few seconds) before giving up.
BUSY_TIMEOUT = 30.0

if TYPE_CHECKING:
    from sqlite_utils import Database


def _import_sqlite_utils() -> None:
    """Import sqlite-utils, hiding numpy and pandas while it loads.

    sqlite-utils imports numpy and pandas when they are installed, only to
    map their scalar types to column types; quiz never stores such values.
    numpy comes with the Korean extra (kiwipiepy) and would add 0.1-0.2 s
    to the start of every command, a third of a warm scan. The two are
    hidden while sqlite-utils loads; anyone may import them as usual after.

    sqlite-utils itself (with click, dateutil and pluggy, 0.10-0.15 s) is
    loaded only here, when an index is opened for writing: the first screen
    of ``quiz study`` reads through a plain connection (``open_reader``).
    """
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


@cache
def _index_class() -> type[Database]:
    """The ``Index`` class, made on first use (it needs sqlite-utils loaded)."""
    _import_sqlite_utils()
    from sqlite_utils import Database

    class Index(Database):
        """sqlite-utils' Database whose transactions take the write lock first.

        sqlite-utils opens every transaction with a deferred ``BEGIN``: it reads
        first and asks for the write lock at its first write. If another process
        committed in between, SQLite cannot upgrade that transaction and answers
        ``database is locked`` at once, without waiting the busy timeout. A
        transaction that begins ``IMMEDIATE`` waits its turn instead (up to
        ``BUSY_TIMEOUT``). Every write of sqlite-utils goes through ``atomic``.
        """

        @contextlib.contextmanager
        def atomic(self) -> Iterator[Database]:
            if self.conn.in_transaction:  # nested: sqlite-utils' savepoint
                with super().atomic():
                    yield self
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise

    return Index


def default_db_path(vault: Path) -> Path:
    """Per-vault database under the user's data directory (platformdirs)."""
    import platformdirs

    resolved = vault.expanduser().resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:12]
    name = re.sub(r"[^\w.-]+", "_", resolved.name or "vault")[:40]
    return Path(platformdirs.user_data_dir("quiz")) / "vaults" / f"{name}-{digest}.sqlite3"


def open_db(path: Path | None, *, notice: Callable[[str], None] | None = None) -> Database:
    """Open (creating if needed) and migrate a database; ``None`` = in memory.

    A damaged index file is moved aside (see ``files.quarantine``) and a new
    one created; ``notice`` gets one line saying so, naming both paths. An
    index that cannot be used as it is (a folder, read-only, from a newer
    quiz, ...) raises ``StoreError`` and is left untouched.

    sqlite-utils plugins are not run: they could change how our connection
    behaves, and finding them reads every installed package's entry points,
    30-50 ms at the start of every command.
    """
    if path is None:
        memory = _index_class()(memory=True, execute_plugins=False)
        memory.execute("PRAGMA foreign_keys = ON")
        migrate(memory)
        return memory
    check_place(path)
    # quiz never leaves an empty index (see _create): an empty one lost its bytes.
    damage = header_damage(path) if path.exists() else None
    if damage is None:
        if not path.exists():
            _create(path)
        try:
            return _open(path)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise StoreError(describe(exc, path)) from None
            damage = str(exc)
    aside = quarantine(path)
    _create(path)
    try:
        db = _open(path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(describe(exc, path)) from None
    if notice is not None:
        notice(
            f"the index {path} was damaged ({damage}): moved it to {aside} "
            "and built a new one from the notes and the review log"
        )
    return db


def open_reader(path: Path) -> sqlite3.Connection | None:
    """A plain, read-only connection to the index as it is, or ``None``.

    For the first screen of ``quiz study``, painted before sqlite-utils is
    loaded and before the incremental scan (which ``open_db`` and a worker
    do next). ``None`` when there is nothing usable to read yet: no index,
    a damaged header, another schema version (``open_db`` migrates, moves
    aside or refuses it), or SQLite refusing the file.
    """
    if not path.is_file() or header_damage(path) is not None:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and int(row[0]) == SCHEMA_VERSION:
            return conn
    except (sqlite3.Error, ValueError):
        pass
    conn.close()
    return None


def _open(path: Path) -> Database:
    """Connect to an existing index file, check its version, migrate it."""
    # Not bound to one thread: ``quiz study`` opens and scans the index in a
    # worker thread, then its sessions use it on the UI thread (never both
    # at once).
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)
    try:
        # A write outside ``atomic`` (the driver's implicit transaction)
        # also takes the write lock first.
        conn.isolation_level = "IMMEDIATE"
        db = _index_class()(conn, execute_plugins=False)
        version = schema_version(db)  # the first read: a damaged file fails here
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the index {path} was made by a newer quiz (schema {version}; this quiz knows "
                f"{SCHEMA_VERSION}); upgrade quiz, or pass --db PATH to use another index"
            )
        # WAL lets a reader (stats, the TUI) and a writer (scan) overlap and
        # makes each committed review durable without a full fsync of the DB.
        db.enable_wal()
        # In WAL mode NORMAL still never corrupts the database; a power cut
        # may lose the last commit, but not a crash of quiz itself (SIGKILL
        # test). FULL would fsync every single review.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except BaseException:
        conn.close()
        raise
    return db


def _create(path: Path) -> None:
    """Make a new, migrated index at ``path`` unless another process just did.

    Built under a temporary name and linked into place complete, so an index
    file is never seen empty or half made: an empty one is a damaged one.
    """
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        _open(tmp).close()  # closing the last connection folds the WAL into the file
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another quiz made it first: use theirs
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
    except sqlite3.Error as exc:
        raise StoreError(describe(exc, path)) from None
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in SIDE_FILES)):
            leftover.unlink(missing_ok=True)


def schema_version(db: Database) -> int:
    """The version recorded in ``meta``, 0 for a new database."""
    if "meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db: Database) -> None:
    """Bring the schema up to ``SCHEMA_VERSION``."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(f"this index was made by a newer quiz (schema {version}); upgrade quiz")
    if version == SCHEMA_VERSION:
        return
    with db.atomic():
        # Another process may have migrated it since the check above.
        version = schema_version(db)
        for made, step in _MIGRATIONS:
            if version < made:
                step(db)
        db.table("meta").upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


def _add_live_cards_index(db: Database) -> None:
    """v8: which cards are live, and their note, without reading the card rows.

    ``gone_at`` comes after a card's question and answer, so reading it for
    every reviewed card walked each row's overflow pages: Mastery's recall
    and the forecast of cards due spent 300 ms on it on a 10k-note vault.
    This covering index answers ``JOIN cards c ON c.id = ... WHERE c.gone_at
    IS NULL`` (and the card's note) by itself.
    """
    db.execute("CREATE INDEX IF NOT EXISTS cards_live ON cards (id, gone_at, note_path)")


def _add_latest_grade_index(db: Database) -> None:
    """v9: each card's latest grade from one index entry.

    Recall (Mastery, the weakest-cards drill) counts a card last graded
    Again as not recalled; ``LAST_GRADE`` finds that grade by the card's
    latest review (ties by id). With only ``(card_id)`` indexed SQLite read
    and sorted every review of each card; this index has them in that
    order, with the grade, so it reads one entry per card however long the
    history grows.
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS reviews_latest ON reviews (card_id, reviewed_at, id, grade)"
    )


def _add_answer_source(db: Database) -> None:
    """v4: where each card's answer came from (issue #10's layouts).

    Notes indexed before are read again by the next scan (their mtime no
    longer matches): the new layouts may find cards in them.
    """
    cards = db.table("cards")
    columns = {c.name for c in cards.columns}
    if "answer_source" not in columns:
        cards.add_column("answer_source", str)
    if "answer_from" not in columns:
        cards.add_column("answer_from", str)
    db.execute("UPDATE notes SET mtime_ns = -1")


def _drop_copies(db: Database) -> None:
    """v7: drop columns that copied what another table owns (issue #11).

    ``reviews.note_path``: a review's note is its card's note; the copy kept
    the path the note had when graded, so a moved note lost its accuracy.

    Columns no code reads (the scan wrote them, nothing took them back out):
    ``notes.encoding``, ``repaired``, ``frontmatter_ok`` (a session reads the
    note itself), ``notes.warnings`` (a scan reports them as it reads),
    ``notes.scanned_at`` and ``cards.first_seen``. And columns a second
    writer kept: ``notes.learning_rate`` and ``review_status`` were read from
    the note by a scan and written again by a session, and read by no one
    (Mastery's rate comes from the stage flags and ``mirrors``, the next
    review's name from the note when a session plans its write-back).
    """
    drops = {
        "reviews": {"note_path"},
        "notes": {
            "encoding",
            "repaired",
            "frontmatter_ok",
            "warnings",
            "scanned_at",
            "learning_rate",
            "review_status",
        },
        "cards": {"first_seen"},
    }
    for name, columns in drops.items():
        table = db.table(name)
        present = columns & {c.name for c in table.columns}
        if not present:
            continue
        if sqlite3.sqlite_version_info >= (3, 35):
            for column in sorted(present):
                db.execute(f"ALTER TABLE [{name}] DROP COLUMN [{column}]")
        else:  # pragma: no cover - older SQLite builds
            table.transform(drop=present)


def _add_mirrors(db: Database) -> None:
    """v5: each note's numeric mirror fields, its learning-rate formula, so
    Mastery reads the rate the note itself would (a finished note of the
    template reads 0.8, not 1.0). Every note is read again by the next scan."""
    if "mirrors" not in {c.name for c in db.table("notes").columns}:
        db.table("notes").add_column("mirrors", str)
    db.execute("UPDATE notes SET mtime_ns = -1")


def _add_writeback_state(db: Database) -> None:
    """v6: what became of each session's write-back (pending write-backs, #11).

    Checked column by column, so it runs in any order with other migrations.
    Rows from before keep NULL: a pass an earlier quiz kept unwritten is not
    pending (nothing says what the note's fields were), the note counts.
    """
    sessions = db.table("sessions")
    columns = {c.name for c in sessions.columns}
    for name in ("writeback", "write_reason", "fields_digest"):
        if name not in columns:
            sessions.add_column(name, str)
    # Every command asks whether a write-back is pending.
    db.execute("CREATE INDEX IF NOT EXISTS sessions_writeback ON sessions (writeback)")


def _create_v1(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("notes").create(
        {
            "path": str,
            "title": str,
            "note_key": str,
            "subject": str,
            "textbook": str,
            "first_studied": str,
            "stages": str,  # JSON list of five booleans: day 1, 4, 7, 14, long-term
            "learning_rate": float,
            "review_status": str,
            "encoding": str,
            "repaired": int,
            "frontmatter_ok": int,
            "warnings": str,  # JSON list
            "card_count": int,
            "size": int,
            "mtime_ns": int,
            "scanned_at": str,
            "gone_at": str,
        },
        pk="path",
        not_null={"title", "note_key", "size", "mtime_ns"},
        if_not_exists=True,
    )
    db.table("cards").create(
        {
            "id": str,
            "note_path": str,
            "ordinal": int,
            "question": str,
            "answer": str,
            "line": int,
            "first_seen": str,
            "gone_at": str,
        },
        pk="id",
        not_null={"note_path", "question", "answer"},
        if_not_exists=True,
    )
    db.table("cards").create_index(["note_path"], if_not_exists=True)
    db.table("sessions").create(
        {
            "id": int,
            "note_path": str,
            "day": str,  # the learner's day the session counts for (--today)
            "started_at": str,
            "finished_at": str,
            "cards": int,
            "graded": int,
            "complete": int,
            "passed": int,
            "outcome": str,  # stages.Kind value
            "stage": int,
            "rate_before": float,
            "rate_after": float,
            "first_studied": str,  # set when this session started the schedule
            "written": int,
            "write_message": str,
        },
        pk="id",
        not_null={"note_path", "day", "started_at"},
        if_not_exists=True,
    )
    db.table("reviews").create(
        {
            "id": int,
            "session_id": int,
            "card_id": str,
            "note_path": str,
            "grade": int,
            "typed": str,
            "similarity": float,
            "duration_ms": int,
            "reviewed_at": str,
            "day": str,
            "memory_before": str,
        },
        pk="id",
        not_null={"session_id", "card_id", "grade", "reviewed_at", "day"},
        foreign_keys=[("session_id", "sessions", "id")],
        if_not_exists=True,
    )
    db.table("reviews").create_index(["card_id"], if_not_exists=True)
    db.table("reviews").create_index(["day"], if_not_exists=True)
    db.table("memory").create(
        {"card_id": str, "state": str, "due": str, "last_review": str, "reviews": int},
        pk="card_id",
        not_null={"state"},
        if_not_exists=True,
    )


def _migrate_v2(db: Database) -> None:
    # The review log in the vault is the history; these tie rows to its ids.
    # Rows from before the log keep NULL ids (UNIQUE allows many NULLs).
    db.execute("ALTER TABLE sessions ADD COLUMN uid TEXT")
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS sessions_uid ON sessions (uid)")
    db.execute("ALTER TABLE reviews ADD COLUMN event_id TEXT")
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS reviews_event_id ON reviews (event_id)")
    db.table("log_files").create(
        {"name": str, "offset": int, "torn_at": int},
        pk="name",
        not_null={"offset", "torn_at"},
        if_not_exists=True,
    )


def _add_has_cues(db: Database) -> None:
    """v3: whether a note has a cue section, so a warm scan can count the
    notes without one (they are not re-read). Before v3 the reader warned
    about such a note instead; the stored warning tells them apart exactly."""
    db.execute("ALTER TABLE notes ADD COLUMN has_cues INTEGER NOT NULL DEFAULT 1")
    db.execute("UPDATE notes SET has_cues = 0 WHERE warnings LIKE ?", ["%no cue-question section%"])


#: Each schema version and the step that makes it from the one before, in order.
_MIGRATIONS: tuple[tuple[int, Callable[[Database], None]], ...] = (
    (1, _create_v1),
    (2, _migrate_v2),
    (3, _add_has_cues),
    (4, _add_answer_source),
    (5, _add_mirrors),
    (6, _add_writeback_state),
    (7, _drop_copies),
    (8, _add_live_cards_index),
    (9, _add_latest_grade_index),
)
assert _MIGRATIONS[-1][0] == SCHEMA_VERSION, "a new schema version needs its migration step"
