"""How an index file is doing, found without changing it (``quiz doctor``).

The file is opened read-only: a damaged index is reported, not moved (the
next ordinary command does that), and an index from a newer quiz is not
migrated.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from quiz.store.files import SIDE_FILES, StoreError, check_place
from quiz.store.schema import SCHEMA_VERSION

#: At most this many lines of ``PRAGMA quick_check`` are kept.
_CHECK_LINES = 5


@dataclass
class IndexHealth:
    """What ``check_file`` found.

    Attributes:
        path: the index file.
        exists: whether it exists (a vault never indexed has none yet).
        size: bytes of the file, and of its write-ahead log.
        version: the schema version it records, ``None`` when unreadable.
        counts: live notes and cards, reviews and sessions.
        problems: one line each; none means healthy.
        notes: facts that are not problems (an older schema, no index yet).
    """

    path: Path
    exists: bool = False
    size: int = 0
    wal_size: int = 0
    version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_COUNTS = {
    "notes": "SELECT count(*) FROM notes WHERE gone_at IS NULL",
    "cards": "SELECT count(*) FROM cards WHERE gone_at IS NULL",
    "reviews": "SELECT count(*) FROM reviews",
    "sessions": "SELECT count(*) FROM sessions",
}


def check_file(path: Path) -> IndexHealth:
    """Inspect the index at ``path`` read-only: place, integrity, version, counts."""
    health = IndexHealth(path)
    try:
        check_place(path, create=False)
    except StoreError as exc:
        health.problems.append(str(exc))
    if not path.is_file():
        if not health.problems:
            health.notes.append("no index yet: the next command builds it from the notes")
        return health
    health.exists = True
    health.size = path.stat().st_size
    wal = path.with_name(path.name + SIDE_FILES[0])
    health.wal_size = wal.stat().st_size if wal.is_file() else 0
    if health.size == 0:
        health.problems.append("damaged: empty (0 bytes)")
        return health
    if not os.access(path, os.R_OK):
        return health  # check_place said why
    try:
        _inspect(path, health)
    except sqlite3.DatabaseError as exc:
        health.problems.append(f"damaged: {exc}")
    return health


def _inspect(path: Path, health: IndexHealth) -> None:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5.0)
    try:
        found = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchmany(_CHECK_LINES)]
        if found != ["ok"]:
            health.problems.append("damaged: " + "; ".join(found))
            return
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            health.problems.append("not a quiz index: it has no meta table")
            return
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        health.version = int(row[0]) if row else 0
        if health.version > SCHEMA_VERSION:
            health.problems.append(
                f"made by a newer quiz (schema {health.version}; this quiz knows "
                f"{SCHEMA_VERSION}); upgrade quiz"
            )
            return
        if health.version < SCHEMA_VERSION:
            health.notes.append(f"schema {health.version}: the next command upgrades it")
            return
        for name, query in _COUNTS.items():
            health.counts[name] = int(conn.execute(query).fetchone()[0])
    finally:
        conn.close()
