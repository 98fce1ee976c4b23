"""``quiz scan``: bring the index of notes and cards in line with the vault.

Only files whose size or mtime changed are read again. Notes and cards that
disappeared are marked gone (``gone_at``), never deleted, so their review
history stays. A card whose note moved keeps its id and so its history.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from quiz.config import Settings
from quiz.notes.fields import Field
from quiz.vault import NoteFile, walk

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from quiz.notes.model import Note
    from quiz.notes.reader import NoteError

# The note reader (YAML, markdown-it, the mojibake models) and the process
# pool are imported where files are read: a warm scan reads none, and its
# start-up is most of its time.

#: Below this many files to read, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400

Progress = Callable[[int, int], None]


@dataclass
class ScanReport:
    """What a scan did.

    Attributes:
        notes: note files in the vault now.
        read: files read (new or changed).
        unchanged: files skipped because size and mtime matched.
        gone: notes newly marked gone.
        cards: live cards in the vault after the scan.
        problems: ``path: reason`` for files that could not be read.
        warnings: ``path: warning`` for notes read with a problem.
    """

    notes: int = 0
    read: int = 0
    unchanged: int = 0
    gone: int = 0
    cards: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


#: Rows are written in batches of this many notes, so memory stays flat.
BATCH = 500


def _read(job: tuple[NoteFile, Settings]) -> Note | NoteError:
    from quiz.notes.reader import NoteError, read_note

    file, settings = job
    try:
        return read_note(file.path, file.rel, settings)
    except NoteError as exc:
        return exc


def _read_lean(job: tuple[NoteFile, Settings]) -> Note | NoteError:
    # The index keeps no section text or raw frontmatter (a session reads
    # the file itself), so they are not sent back from the worker.
    from quiz.notes.reader import NoteError

    note = _read(job)
    return note if isinstance(note, NoteError) else replace(note, sections={}, frontmatter={})


def read_notes(
    files: list[NoteFile],
    settings: Settings,
    progress: Progress | None = None,
    *,
    lean: bool = False,
) -> Iterator[tuple[NoteFile, Note | NoteError]]:
    """Read notes, in worker processes when there are many; input order kept.

    ``lean`` drops section text and raw frontmatter, which the index does
    not keep, to save pickling and memory.
    """
    reader = _read_lean if lean else _read
    jobs = [(f, settings) for f in files]
    results: Iterable[Note | NoteError]
    pool: ProcessPoolExecutor | None = None
    if len(files) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8))
        results = pool.map(reader, jobs, chunksize=64)
    else:
        results = map(reader, jobs)
    try:
        for done, (file, result) in enumerate(zip(files, results, strict=True), 1):
            if progress is not None:
                progress(done, len(files))
            yield file, result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def scan(
    vault: Path, db: Database, settings: Settings, progress: Progress | None = None
) -> ScanReport:
    """Index ``vault`` into ``db``; see the module docstring."""
    report = ScanReport()
    files = list(walk(vault))
    report.notes = len(files)
    known = {
        row[0]: (row[1], row[2], row[3])
        for row in db.execute("SELECT path, size, mtime_ns, gone_at FROM notes")
    }
    changed = [f for f in files if known.get(f.rel) != (f.size, f.mtime_ns, None)]
    report.unchanged = report.notes - len(changed)
    present = {f.rel for f in files}
    vanished = [p for p, (_, _, gone) in known.items() if gone is None and p not in present]
    now = _now()

    if changed or vanished:
        with db.atomic():
            if changed:
                _store_changed(db, changed, present, settings, now, report, progress)
            if vanished:
                _mark_gone(db, vanished, now)
                report.gone = len(vanished)
    report.cards = db.execute("SELECT count(*) FROM cards WHERE gone_at IS NULL").fetchone()[0]
    return report


def _store_changed(
    db: Database,
    changed: list[NoteFile],
    present: set[str],
    settings: Settings,
    now: str,
    report: ScanReport,
    progress: Progress | None,
) -> None:
    from quiz.notes.reader import NoteError

    changed_paths = {f.rel for f in changed}
    # Ids held by notes that stay as they are: a re-read note that produces
    # one of them is a second note of the same name with the same question.
    claimed: dict[str, str] = {
        cid: path
        for cid, path in db.execute("SELECT id, note_path FROM cards WHERE gone_at IS NULL")
        if path in present and path not in changed_paths
    }
    note_rows: list[dict[str, object]] = []
    card_rows: list[dict[str, object]] = []
    live: set[str] = set()

    def flush() -> None:
        _upsert(db, "notes", "path", note_rows)
        # first_seen is left out of the rows so an upsert keeps the old one.
        _upsert(db, "cards", "id", card_rows)
        note_rows.clear()
        card_rows.clear()

    for file, result in read_notes(changed, settings, progress, lean=True):
        report.read += 1
        if isinstance(result, NoteError):
            report.problems.append(str(result))
            continue
        note = _unclash(result, claimed)
        report.warnings.extend(f"{note.path}: {w}" for w in note.warnings)
        note_rows.append(_note_row(note, file, now))
        for card in note.cards:
            claimed[card.id] = note.path
            live.add(card.id)
            card_rows.append(
                {
                    "id": card.id,
                    "note_path": note.path,
                    "ordinal": card.ordinal,
                    "question": card.question,
                    "answer": card.answer,
                    "line": card.line,
                    "gone_at": None,
                }
            )
        if len(note_rows) >= BATCH:
            flush()
    flush()
    db.execute("UPDATE cards SET first_seen = ? WHERE first_seen IS NULL", [now])
    # Cards that a re-read note no longer has (and no other note took over).
    stale = [
        cid
        for (cid, path) in db.execute("SELECT id, note_path FROM cards WHERE gone_at IS NULL")
        if path in changed_paths and cid not in live
    ]
    _set_gone(db, "cards", "id", stale, now)
    # A file that became unreadable keeps its row and cards as last read; its
    # size/mtime are not updated, so the next scan tries it again.


def _upsert(db: Database, table: str, pk: str, rows: list[dict[str, object]]) -> None:
    """Insert or update rows with one prepared statement.

    This is the hot path of a cold scan (10k notes, 90k cards): sqlite-utils'
    ``upsert_all`` inspects and converts every value in Python, which cost
    more than the parse itself; the rows here are plain scalars already.
    """
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk)
    db.conn.executemany(
        f"INSERT INTO [{table}] ({names}) VALUES ({marks}) "
        f"ON CONFLICT([{pk}]) DO UPDATE SET {updates}",
        [tuple(row[c] for c in columns) for row in rows],
    )


def _unclash(note: Note, claimed: dict[str, str]) -> Note:
    """Give a note's cards path-salted ids where another note holds the id."""
    if not any(claimed.get(c.id, note.path) != note.path for c in note.cards):
        return note
    from quiz.notes.cards import card_id, note_key

    cards = tuple(
        replace(c, id=card_id(note_key(note.title), c.question, c.ordinal, salt=note.path))
        if claimed.get(c.id, note.path) != note.path
        else c
        for c in note.cards
    )
    warning = (
        "another note has the same file name and the same questions; "
        "its cards here get ids tied to this path"
    )
    return replace(note, cards=cards, warnings=(*note.warnings, warning))


def _note_row(note: Note, file: NoteFile, now: str) -> dict[str, object]:
    first = note.first_studied
    rate = note.fields.get(Field.LEARNING_RATE)
    try:
        learning_rate = float(str(rate)) if rate not in (None, "") else None
    except ValueError:
        learning_rate = None
    status = note.fields.get(Field.REVIEW_STATUS)
    return {
        "path": note.path,
        "title": note.title,
        "note_key": note.title.casefold(),
        "subject": note.subject,
        "textbook": note.textbook,
        "first_studied": first.isoformat() if first else None,
        "stages": json.dumps(list(note.stages_done)),
        "learning_rate": learning_rate,
        "review_status": "" if status is None else str(status),
        "encoding": note.encoding,
        "repaired": int(note.repaired),
        "frontmatter_ok": int(note.frontmatter_ok),
        "warnings": json.dumps(list(note.warnings), ensure_ascii=False),
        "card_count": len(note.cards),
        "size": file.size,
        "mtime_ns": file.mtime_ns,
        "scanned_at": now,
        "gone_at": None,
    }


def _mark_gone(db: Database, paths: list[str], now: str) -> None:
    _set_gone(db, "notes", "path", paths, now)
    # A moved note's cards were already re-pointed at the new path above.
    gone = set(paths)
    cards = [
        cid
        for (cid, path) in db.execute("SELECT id, note_path FROM cards WHERE gone_at IS NULL")
        if path in gone
    ]
    _set_gone(db, "cards", "id", cards, now)


def _set_gone(db: Database, table: str, pk: str, keys: list[str], now: str) -> None:
    db.conn.executemany(
        f"UPDATE [{table}] SET gone_at = ? WHERE [{pk}] = ?", [(now, k) for k in keys]
    )
