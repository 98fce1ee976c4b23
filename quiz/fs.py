"""The file system, in one place: walking a vault and writing a file atomically.

Walking: dot-folders (``.obsidian``, ``.trash``, ``.git``) and dot-files are
not part of the vault, and symlinked folders are never followed, so a link
cycle cannot hang a walk and a link cannot lead out of the vault. What a
caller keeps of the files (notes, media, one name) is its own business.

Writing: a temporary file lives beside its target (so the final rename stays
on one file system) under a short dot name, ``.quiz-XXXXXXXX.tmp``: a name
built from the target's (``.<name>.XXXXXXXX.tmp``) was over the 255-byte limit
for a note named with 80 Hangul syllables (240 bytes), so such a note could
never be written. It is fsynced, renamed over the target, and the folder is
fsynced. A process killed between creating the file and the rename leaves it
behind; the next write to that folder removes those older than
``STALE_AFTER``, in the new pattern and the old ones.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# --------------------------------------------------------------------------- walking

#: Called with a folder's root-relative path (``""`` for the root, else
#: ending in ``/``) and the error that kept it from being listed.
Unreadable = Callable[[str, OSError], None]


def walk_files(
    root: Path, unreadable: Unreadable | None = None
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Yield ``(relative path, entry)`` for every non-folder entry under ``root``.

    The order is stable: a folder's entries by name, then its subfolders, each
    the same way. Names starting with a dot are skipped, folders and files
    alike; a symlinked folder is yielded as an entry, never entered (the
    caller decides what a symlink is worth). A folder that cannot be listed
    is passed to ``unreadable`` and the walk goes on.
    """
    stack = [(os.fspath(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            if unreadable is not None:
                unreadable(prefix, exc)
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append((entry.path, f"{prefix}{entry.name}/"))
                    continue
            except OSError:
                continue
            yield f"{prefix}{entry.name}", entry
        stack.extend(reversed(subfolders))


def inside(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or below it (both absolute, normalised)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


# --------------------------------------------------------------------------- temporary files

PREFIX = ".quiz-"
SUFFIX = ".tmp"
#: A leftover younger than this may belong to a write under way in another process.
STALE_AFTER = 10 * 60

_OURS = re.compile(r"\.quiz-[A-Za-z0-9_]{8}\.tmp")
# Names of earlier versions: mkstemp's 8 characters after the note's name, or
# the exporters' 12 hex digits after the export's name.
_OLD = re.compile(r"\..+\.[A-Za-z0-9]+\.(?:[a-z0-9_]{8}|[0-9a-f]{12})\.tmp")


def is_leftover_name(name: str) -> bool:
    """Whether ``name`` is one a temporary file of ours has (now or before)."""
    return bool(_OURS.fullmatch(name) or _OLD.fullmatch(name))


def clean_leftovers(folder: Path, *, now: float | None = None) -> list[str]:
    """Remove stale temporary files of ours from ``folder``; return their names.

    Only regular files (never a symlink) older than ``STALE_AFTER`` go. Every
    error is ignored: cleaning is a courtesy, never a reason a write fails.
    """
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        with os.scandir(folder) as entries:
            candidates = [e for e in entries if e.name.startswith(".") and is_leftover_name(e.name)]
    except OSError:
        return removed
    for entry in candidates:
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER:
                os.unlink(entry.path)
                removed.append(entry.name)
    return removed


def temp_name(token: str) -> str:
    """The short name of a temporary file (``token``: 8 random characters)."""
    return f"{PREFIX}{token}{SUFFIX}"


# --------------------------------------------------------------------------- atomic writes


class FolderNotWritable(OSError):
    """The temporary file of an atomic write could not be made in the folder."""


def fsync_dir(folder: Path) -> None:
    """Make a rename durable; best effort where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_target(
    target: Path,
    *,
    mode: int | None = None,
    owner: tuple[int, int] | None = None,
    last_look: Callable[[], None] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    Readers see the old file or the new one, never half of one. After the
    body has written the temporary file, it is fsynced, given ``mode`` (or,
    without one, the mode of an existing ``target``; a new file gets the
    umask's, like any file the learner saves), ``owner`` (uid, gid) where
    allowed, ``last_look`` is called (it raises to stop the write, e.g. when
    the target changed meanwhile), and it is renamed over ``target``; then the
    folder is fsynced. On any error the temporary file is removed.

    Raises:
        FolderNotWritable: the temporary file could not be created.
        OSError: writing, syncing or renaming failed.
    """
    folder = target.parent
    clean_leftovers(folder)
    temp = folder / temp_name(secrets.token_hex(4))
    try:
        # 0o600 while a private mode is still to be given; else 0o666 minus
        # the umask (not mkstemp's 0o600): an export served by a web server
        # must stay readable.
        first_mode = 0o600 if mode is not None else 0o666
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, first_mode))
    except OSError as exc:
        raise FolderNotWritable(exc.errno, exc.strerror, os.fspath(folder)) from None
    try:
        if mode is None and target.exists():
            mode = target.stat().st_mode
        yield temp
        with temp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(temp, stat.S_IMODE(mode))
        if owner is not None and hasattr(os, "chown"):
            # Keep owner and group when we may (root, or a group we belong to).
            with contextlib.suppress(OSError):
                os.chown(temp, *owner)
        if last_look is not None:
            last_look()
        os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    fsync_dir(folder)


def atomic_write(
    target: Path,
    data: bytes,
    *,
    mode: int | None = None,
    owner: tuple[int, int] | None = None,
    last_look: Callable[[], None] | None = None,
) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_target`)."""
    with atomic_target(target, mode=mode, owner=owner, last_look=last_look) as temp:
        temp.write_bytes(data)
