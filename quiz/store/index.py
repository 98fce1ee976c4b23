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
from typing import TYPE_CHECKING, TypeVar

from quiz.config import Settings
from quiz.notes import ids
from quiz.vault import NoteFile, Unreadable, unreadable_folder, walk

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

    from sqlite_utils import Database

    from quiz.notes.model import Note
    from quiz.notes.reader import NoteError
    from quiz.notes.templates import Placeholders, Templates

# The note reader (YAML, markdown-it, the mojibake models) and the process
# pool are imported where files are read: a warm scan reads none, and its
# start-up is most of its time.

#: Below this many files to read, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400

Progress = Callable[[int, int], None]
_Job = TypeVar("_Job")
_Result = TypeVar("_Result")


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
        no_cues: live notes without any cue section (not Cornell notes: tag
            pages, daily notes, indexes), read now or before; sorted.
        templates: template notes, which are not indexed (they give no cards).
    """

    notes: int = 0
    read: int = 0
    unchanged: int = 0
    gone: int = 0
    cards: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    no_cues: list[str] = field(default_factory=list)
    templates: int = 0


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


#: The ``meta`` key holding the fingerprint of the templates and the reader
#: the index was built with (``Templates.fingerprint``).
_READER_KEY = "cards_fingerprint"

#: Rows are written in batches of this many notes, so memory stays flat.
BATCH = 500


_ReadJob = tuple[NoteFile, Settings, "Placeholders"]


def _read(job: _ReadJob, *, cues_only: bool = False) -> Note | NoteError:
    from quiz.notes.reader import NoteError, read_note
    from quiz.notes.templates import drop_placeholders

    file, settings, placeholders = job
    try:
        note = read_note(file.path, file.rel, settings, cues_only=cues_only)
    except NoteError as exc:
        return exc
    return drop_placeholders(note, placeholders)


def vault_notes(
    vault: Path, unreadable: Unreadable | None = None
) -> tuple[list[NoteFile], Templates]:
    """The vault's note files without its template notes, and its templates.

    ``unreadable`` is told of each folder that could not be listed (see ``walk``).
    """
    from quiz.notes.templates import find_templates

    files = list(walk(vault, unreadable))
    templates = find_templates(vault, files)
    if templates.files:
        files = [f for f in files if not templates.is_template(f.rel)]
    return files, templates


def _read_lean(job: _ReadJob) -> Note | NoteError:
    # The index keeps no section text or raw frontmatter (a session reads
    # the file itself), so they are neither looked for nor sent back.
    from quiz.notes.reader import NoteError

    note = _read(job, cues_only=True)
    return note if isinstance(note, NoteError) else replace(note, frontmatter={})


def read_notes(
    files: list[NoteFile],
    settings: Settings,
    progress: Progress | None = None,
    placeholders: Placeholders | None = None,
) -> Iterator[tuple[NoteFile, Note | NoteError]]:
    """Read notes' cards, in worker processes when there are many; input order kept.

    The notes come without section text or raw frontmatter (see ``_read_lean``),
    and without the cards that are ``placeholders`` (the built-in ones when
    ``None``).
    """
    from quiz.notes.templates import Placeholders

    marks = placeholders if placeholders is not None else Placeholders()
    results = _parallel(_read_lean, [(f, settings, marks) for f in files], progress)
    yield from zip(files, results, strict=True)


def _pool_context() -> BaseContext | None:
    """How the scan's workers start: Python's default (``fork`` on Linux)
    from a process with one thread (``quiz scan``), a fork server from one
    with more (the app scans in a worker thread): a child forked from a
    threaded process can hang on a lock another thread held at the fork
    (Python 3.12 warns of it)."""
    import multiprocessing
    import threading

    if threading.active_count() > 1 and "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return None


def _start_resource_tracker(context: BaseContext | None) -> None:
    """Start multiprocessing's resource tracker where it would fail to start.

    Workers started other than by ``fork`` (a fork server: ours in a
    threaded process, Python 3.14's default) need the tracker, which passes
    ``sys.stderr``'s file descriptor to its process; inside the app that is
    Textual's capture, whose descriptor is -1, and the scan died with
    "bad value(s) in fds_to_keep". The tracker gets a null device instead
    (``sys.stderr`` is swapped for the moment it starts: what the UI thread
    writes there meanwhile is lost, and it writes nothing there).
    """
    import multiprocessing
    import sys

    method = (context or multiprocessing.get_context()).get_start_method()
    if method == "fork" or sys.platform == "win32":
        return
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, ValueError, OSError):
        usable = True  # no descriptor at all: the tracker does without one
    if usable:
        return
    from multiprocessing import resource_tracker

    with open(os.devnull, "w", encoding="utf-8") as sink:
        saved, sys.stderr = sys.stderr, sink
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


def _parallel(
    work: Callable[[_Job], _Result], jobs: list[_Job], progress: Progress | None
) -> Iterator[_Result]:
    """``map(work, jobs)``, in worker processes when there are many jobs."""
    results: Iterable[_Result]
    pool: ProcessPoolExecutor | None = None
    if len(jobs) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        from concurrent.futures import ProcessPoolExecutor

        context = _pool_context()
        _start_resource_tracker(context)
        pool = ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8), mp_context=context)
        results = pool.map(work, jobs, chunksize=64)
    else:
        results = map(work, jobs)
    try:
        for done, result in enumerate(results, 1):
            if progress is not None:
                progress(done, len(jobs))
            yield result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


#: Columns of the rows a scan writes, in the order the workers build them.
NOTE_COLUMNS = (
    "path", "title", "note_key", "subject", "textbook", "first_studied", "stages",
    "card_count", "size", "mtime_ns", "gone_at", "has_cues", "mirrors",
)  # fmt: skip
CARD_COLUMNS = (
    "id", "note_path", "ordinal", "question", "answer", "line", "gone_at", "answer_source",
    "answer_from",
)  # fmt: skip

Row = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class _Rows:
    """One note as index rows, built in the worker that read it."""

    note: Row
    cards: list[Row]
    warnings: tuple[str, ...]
    title: str


def _index_rows(job: _ReadJob) -> _Rows | NoteError:
    # Building the rows here, in the worker, keeps the main process (which
    # competes for the same cores) down to the database writes.
    from quiz.notes.model import Note

    file = job[0]
    note = _read(job, cues_only=True)
    if not isinstance(note, Note):
        return note
    return _Rows(_note_row(note, file), _card_rows(note), note.warnings, note.title)


def _card_rows(note: Note) -> list[Row]:
    """A note's card rows, in ``CARD_COLUMNS`` order."""
    return [
        (
            c.id,
            note.path,
            c.ordinal,
            c.question,
            c.answer,
            c.line,
            None,
            c.answer_source,
            c.answer_from,
        )
        for c in note.cards
    ]


def scan(
    vault: Path, db: Database, settings: Settings, progress: Progress | None = None
) -> ScanReport:
    """Index ``vault`` into ``db``; see the module docstring."""
    report = ScanReport()
    # Folders that could not be listed: their notes are unknown, not gone.
    unlisted: list[str] = []

    def unreadable(folder: str, exc: OSError) -> None:
        unlisted.append(folder)
        report.problems.append(unreadable_folder(folder, exc))

    files, templates = vault_notes(vault, unreadable)
    report.notes = len(files)
    report.templates = len(templates.files)
    known = {
        row[0]: (row[1], row[2], row[3])
        for row in db.execute("SELECT path, size, mtime_ns, gone_at FROM notes")
    }
    # Other templates (or another reader) may give unchanged files other
    # cards: then every note is read again.
    fingerprint = templates.fingerprint()
    stale = db.execute("SELECT value FROM meta WHERE key = ?", [_READER_KEY]).fetchone()
    if stale is None or stale[0] != fingerprint:
        known = {path: (-1, -1, gone) for path, (_, _, gone) in known.items()}
    changed = [f for f in files if known.get(f.rel) != (f.size, f.mtime_ns, None)]
    report.unchanged = report.notes - len(changed)
    present = {f.rel for f in files}
    vanished = [
        p
        for p, (_, _, gone) in known.items()
        if gone is None and p not in present and not p.startswith(tuple(unlisted))
    ]
    now = _now()

    if changed or vanished:
        live: set[str] = set()  # ids the notes read now hold
        placeholders = templates.placeholders(settings) if changed else None
        with db.atomic():
            # The live cards and their notes, read once (the table holds every
            # answer, so each pass over it costs tens of milliseconds at 10k
            # notes); inside the transaction, so another scan's changes are seen.
            before = dict(db.execute("SELECT id, note_path FROM cards WHERE gone_at IS NULL"))
            if changed:
                _store_changed(
                    db,
                    vault,
                    changed,
                    present,
                    settings,
                    now,
                    report,
                    progress,
                    before,
                    live,
                    placeholders,
                )
            if vanished:
                _mark_gone(db, vanished, now, before, live)
                report.gone = len(vanished)
    if stale is None or stale[0] != fingerprint:
        with db.atomic():
            db.table("meta").upsert({"key": _READER_KEY, "value": fingerprint}, pk="key")
    # From the notes, not a count over the cards table: that reads every
    # card's answer (tens of MB), a tenth of a warm scan.
    report.cards = db.execute(
        "SELECT coalesce(sum(card_count), 0) FROM notes WHERE gone_at IS NULL"
    ).fetchone()[0]
    # From the index, so a warm scan (which reads no file) counts them too.
    report.no_cues = [
        row[0]
        for row in db.execute(
            "SELECT path FROM notes WHERE gone_at IS NULL AND has_cues = 0 ORDER BY path"
        )
    ]
    return report


def _store_changed(
    db: Database,
    vault: Path,
    changed: list[NoteFile],
    present: set[str],
    settings: Settings,
    now: str,
    report: ScanReport,
    progress: Progress | None,
    before: dict[str, str],
    live: set[str],
    placeholders: Placeholders | None,
) -> None:
    """Read the changed notes and write their rows; ``live`` gets their card ids."""
    from quiz.notes.reader import NoteError
    from quiz.notes.templates import Placeholders

    changed_paths = {f.rel for f in changed}
    # Ids held by notes that stay as they are: a re-read note that produces
    # one of them is a second note of the same name with the same question.
    claimed: dict[str, str] = {
        cid: path for cid, path in before.items() if path in present and path not in changed_paths
    }
    history = _History(before, changed_paths, vault, settings, new_index=not before)
    shared = _shared_keys(present)
    # Notes whose ids may clash with a same-named note's, or that held ids
    # tied to their path: settled together at the end (``ids.plain_owner``),
    # whatever order the files were read in. Few in any vault.
    waiting: list[_Rows] = []
    note_rows: list[Row] = []
    card_rows: list[Row] = []

    def flush() -> None:
        _upsert(db, "notes", NOTE_COLUMNS, note_rows)
        _upsert(db, "cards", CARD_COLUMNS, card_rows)
        note_rows.clear()
        card_rows.clear()

    def add(rows: _Rows) -> None:
        path = str(rows.note[0])
        report.warnings.extend(f"{path}: {w}" for w in rows.warnings)
        note_rows.append(rows.note)
        for card in rows.cards:
            cid = str(card[0])
            claimed[cid] = path
            live.add(cid)
        card_rows.extend(rows.cards)
        if len(note_rows) >= BATCH:
            flush()

    marks = placeholders if placeholders is not None else Placeholders()
    jobs: list[_ReadJob] = [(f, settings, marks) for f in changed]
    for result in _parallel(_index_rows, jobs, progress):
        report.read += 1
        if isinstance(result, NoteError):
            report.problems.append(str(result))
            # Unreadable now: its row and cards stay as last read, and its
            # size/mtime are not updated, so the next scan tries it again.
            changed_paths.discard(result.path)
            continue
        if ids.note_key(result.title) in shared or history.had_tied_ids(result):
            waiting.append(result)
        else:
            add(result)
    for rows in _settle(waiting, claimed, history):
        add(rows)
    flush()
    # Cards that a re-read note no longer has (and no other note took over).
    stale = [cid for cid, path in before.items() if path in changed_paths and cid not in live]
    _set_gone(db, "cards", "id", stale, now)


def _shared_keys(paths: Iterable[str]) -> set[str]:
    """Note keys that two or more of ``paths`` have (same file name)."""
    seen: set[str] = set()
    twice: set[str] = set()
    for path in paths:
        key = ids.note_key(ids.title_of(path))
        (twice if key in seen else seen).add(key)
    return twice


class _History:
    """Which note a card id's history belongs to: the index, else the review logs.

    The index's live cards answer first; the logs (read whole, once) only
    for an id the index has no row of, which on a warm scan is rare: a new
    index, or two new same-named notes.
    """

    def __init__(
        self,
        before: dict[str, str],
        paths: set[str],
        vault: Path,
        settings: Settings,
        *,
        new_index: bool,
    ) -> None:
        self.before = before
        self.new_index = new_index
        self.vault = vault
        self.settings = settings
        self._logged: dict[str, str] | None = None
        # The ids each note read again (``paths``) held.
        self._held: dict[str, set[str]] = {}
        for cid, path in before.items():
            if path in paths:
                self._held.setdefault(path, set()).add(cid)

    def logged(self) -> dict[str, str]:
        if self._logged is None:
            from quiz.store.log import graded_in

            self._logged = graded_in(self.vault, self.settings)
            if self.new_index:  # the logs say which ids each note had
                for cid, path in self._logged.items():
                    self._held.setdefault(path, set()).add(cid)
        return self._logged

    def holder(self, cid: str) -> str | None:
        return self.before.get(cid) or self.logged().get(cid)

    def had_tied_ids(self, rows: _Rows) -> bool:
        """Whether the note held ids tied to its path (its twin may be gone now)."""
        path = str(rows.note[0])
        if self.new_index:
            self.logged()
        extra = self._held.get(path, set()).difference(str(c[0]) for c in rows.cards)
        if not extra:
            return False
        key = ids.note_key(rows.title)
        return not extra.isdisjoint(ids.card_ids(key, [str(c[3]) for c in rows.cards], path))


def _settle(waiting: list[_Rows], claimed: dict[str, str], history: _History) -> list[_Rows]:
    """The waiting notes' rows with their ids settled by ``ids.plain_owner``."""
    tied_ids: dict[str, list[str]] = {}
    claims: dict[str, dict[str, str]] = {}  # plain id: {path: the id tied to it}
    for rows in waiting:
        path = str(rows.note[0])
        tied = ids.card_ids(ids.note_key(rows.title), [str(c[3]) for c in rows.cards], path)
        tied_ids[path] = tied
        for card, other in zip(rows.cards, tied, strict=True):
            claims.setdefault(str(card[0]), {})[path] = other
    for plain, claimants in claims.items():
        holder = claimed.get(plain)
        if holder is not None and holder not in claimants:
            claimants[holder] = ""  # a note not read again keeps the plain id it holds
    settled = []
    for rows in waiting:
        path = str(rows.note[0])
        cards = [
            c
            if ids.plain_owner(str(c[0]), claims[str(c[0])], history.holder) == path
            else (other, *c[1:])
            for c, other in zip(rows.cards, tied_ids[path], strict=True)
        ]
        if cards == rows.cards:
            settled.append(rows)
            continue
        warnings = (
            *rows.warnings,
            "another note has the same file name and the same questions; "
            "its cards here get ids tied to this path",
        )
        settled.append(_Rows(rows.note, cards, warnings, rows.title))
    return settled


def _upsert(db: Database, table: str, columns: tuple[str, ...], rows: list[Row]) -> None:
    """Insert or update rows with one prepared statement.

    This is the hot path of a cold scan (10k notes, 90k cards): sqlite-utils'
    ``upsert_all`` inspects and converts every value in Python, which cost
    more than the parse itself; the rows here are plain scalars already.
    """
    if not rows:
        return
    pk = columns[0]
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns[1:])
    db.conn.executemany(
        f"INSERT INTO [{table}] ({names}) VALUES ({marks}) "
        f"ON CONFLICT([{pk}]) DO UPDATE SET {updates}",
        rows,
    )


def _note_row(note: Note, file: NoteFile) -> Row:
    first = note.first_studied
    # In NOTE_COLUMNS order.
    return (
        note.path,
        note.title,
        ids.note_key(note.title),
        note.subject,
        note.textbook,
        first.isoformat() if first else None,
        json.dumps(list(note.stages_done)),
        len(note.cards),
        file.size,
        file.mtime_ns,
        None,
        int(note.has_cues),
        json.dumps(list(note.mirrors)),
    )


def _mark_gone(
    db: Database, paths: list[str], now: str, before: dict[str, str], live: set[str]
) -> None:
    _set_gone(db, "notes", "path", paths, now)
    # A moved note's cards were re-pointed at its new path above (they are live).
    gone = set(paths)
    cards = [cid for cid, path in before.items() if path in gone and cid not in live]
    _set_gone(db, "cards", "id", cards, now)


def _set_gone(db: Database, table: str, pk: str, keys: list[str], now: str) -> None:
    db.conn.executemany(
        f"UPDATE [{table}] SET gone_at = ? WHERE [{pk}] = ?", [(now, k) for k in keys]
    )


def index_note(
    vault: Path, db: Database, settings: Settings, note: Note, size: int, mtime_ns: int
) -> None:
    """Bring one note's rows in line with ``note``, read by the caller just now.

    For a session over a note created or edited since the last scan: the
    same rows a scan would write (placeholders dropped, ids unclashed against
    the other notes still in the vault), so its cards have the index's ids.
    """
    from quiz.notes.templates import drop_placeholders, find_templates

    templates = find_templates(vault)
    if templates.is_template(note.path):
        return  # template notes are not indexed (they give no cards)
    note = drop_placeholders(note, templates.placeholders(settings), templates)
    now = _now()
    file = NoteFile(note.path, str(vault / note.path), size, mtime_ns)
    rows = _Rows(_note_row(note, file), _card_rows(note), note.warnings, note.title)
    with db.atomic():
        # The live cards of this note and of the notes of its name: all that
        # its ids can clash with, and its own history.
        key = ids.note_key(note.title)
        before: dict[str, str] = dict(
            db.execute(
                "SELECT c.id, c.note_path FROM cards c JOIN notes n ON n.path = c.note_path "
                "WHERE c.gone_at IS NULL AND (n.note_key = ? OR n.path = ?)",
                [key, note.path],
            ).fetchall()
        )
        # Held by a note still in the vault: a same-named note; a note that
        # moved here leaves its old path, whose cards come along.
        claimed = {
            cid: path
            for cid, path in before.items()
            if path != note.path and (vault / path).is_file()
        }
        history = _History(before, {note.path}, vault, settings, new_index=False)
        if set(claimed.values()) or history.had_tied_ids(rows):
            (rows,) = _settle([rows], claimed, history)
        _upsert(db, "notes", NOTE_COLUMNS, [rows.note])
        _upsert(db, "cards", CARD_COLUMNS, rows.cards)
        live = {str(c[0]) for c in rows.cards}
        held = [cid for cid, path in before.items() if path == note.path and cid not in live]
        _set_gone(db, "cards", "id", held, now)
