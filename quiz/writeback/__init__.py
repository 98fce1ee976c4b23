"""The only code that writes to a learner's note.

The learner's notes are sacred (SPEC, "Write-back"): after a session only the
*values* of frontmatter fields that already exist change, and every other byte
of the file -- BOM, line endings, trailing spaces, quoting, comments, key order,
keys we do not understand -- stays exactly as it was.

So this module never re-serialises YAML. It locates each value's exact span in
the original text with PyYAML's event parser (whose marks are character
offsets), splices the new value's bytes into the original bytes, and then
proves the result: old and new frontmatter are parsed again and must agree on
every key except the updated ones, which must read back as the intended values.
Anything it cannot edit with certainty (block scalars, flow collections,
anchors, tags, a field given twice, a codec that cannot hold the new value) is
refused rather than guessed at.

:func:`update_frontmatter` is the pure edit; :func:`write_back` adds the disk:
a check that the file did not change since it was read, and an atomic replace.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from quiz.fs import FolderNotWritable, atomic_write
from quiz.notes.fields import Field
from quiz.writeback.edit import EditRefused, update_frontmatter

__all__ = ["EditRefused", "WriteRefused", "restore", "update_frontmatter", "write_back"]


class WriteRefused(Exception):
    """A note was not written; the file on disk is exactly as it was.

    ``str()`` gives ``"<path>: <reason>."``, for the caller to put after its
    own "Not written:".

    Attributes:
        path: The note that was not written.
        reason: Why, as a phrase such as ``"it changed on disk since it was read"``.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}.")
        self.path = path
        self.reason = reason


# --------------------------------------------------------------------------- the disk


def _unchanged_on_disk(path: Path, original: bytes) -> bool:
    """Whether ``path`` still holds exactly ``original`` (size, then bytes)."""
    if path.stat().st_size != len(original):
        return False
    return path.read_bytes() == original


def write_back(
    path: Path,
    original: bytes,
    encoding: str,
    updates: Mapping[Field, object],
    *,
    repaired: bool = False,
) -> bool:
    """Atomically write the updated note; return False when nothing changed.

    ``original`` is the exact content the note was read with and ``encoding``
    the codec it was decoded with. The new content is written to a temporary
    file in the note's folder, fsynced, given the note's permission bits, and
    renamed over the note, but only if the note still holds ``original``.

    Raises:
        WriteRefused: The note was mojibake-repaired, changed on disk or was
            deleted since it was read, its frontmatter could not be edited
            safely (see :func:`update_frontmatter`), it or its folder is not
            writable, or writing failed. The note is then byte-identical.
        TypeError: A value of an unsupported type was given.
    """
    if repaired:
        raise WriteRefused(
            path, "its text was repaired from a garbled export; it is only rewritten on request"
        )
    # Replace the file a symlink points at, not the link itself.
    target = Path(os.path.realpath(path))
    try:
        unchanged = _unchanged_on_disk(target, original)
    except FileNotFoundError:
        raise WriteRefused(path, "it was deleted since it was read") from None
    except OSError as exc:
        raise WriteRefused(path, f"it could not be read again ({exc.strerror})") from None
    if not unchanged:
        raise WriteRefused(path, "it changed on disk since it was read")
    try:
        new = update_frontmatter(original, encoding, updates)
    except EditRefused as exc:
        raise WriteRefused(path, exc.reason) from None
    if new == original:
        return False

    info = target.stat()
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(path, "it is not a regular file")
    # The owner's write bit, not os.access alone: as root os.access says yes to
    # a read-only file, and os.replace would overwrite it anyway.
    if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise WriteRefused(path, "it is read-only")
    _replace_atomically(path, target, original, new, info)
    return True


def restore(path: Path, written: bytes, original: bytes) -> None:
    """Put ``original`` back where ``write_back`` wrote ``written`` (undo).

    Only when the note still holds exactly ``written``: an edit made since
    (in Obsidian, by a sync tool) is the learner's and is never overwritten.
    Atomic as ``write_back``.

    Raises:
        WriteRefused: The note changed or went since it was written, or
            cannot be written now. The note is then byte-identical.
    """
    target = Path(os.path.realpath(path))
    try:
        unchanged = _unchanged_on_disk(target, written)
        info = target.stat()
    except FileNotFoundError:
        raise WriteRefused(path, "it was deleted since quiz wrote it") from None
    except OSError as exc:
        raise WriteRefused(path, f"it could not be read again ({exc.strerror})") from None
    if not unchanged:
        raise WriteRefused(path, "it changed on disk since quiz wrote it")
    if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise WriteRefused(path, "it is read-only")
    _replace_atomically(path, target, written, original, info)


def _replace_atomically(
    path: Path, target: Path, original: bytes, new: bytes, info: os.stat_result
) -> None:
    def last_look() -> None:
        # Just before the rename: an editor may have saved meanwhile.
        try:
            unchanged = _unchanged_on_disk(target, original)
        except FileNotFoundError:
            raise WriteRefused(path, "it was deleted since it was read") from None
        if not unchanged:
            raise WriteRefused(path, "it changed on disk since it was read")

    try:
        atomic_write(
            target,
            new,
            mode=info.st_mode,
            owner=(info.st_uid, info.st_gid),
            last_look=last_look,
        )
    except FolderNotWritable as exc:
        raise WriteRefused(path, f"its folder is not writable ({exc.strerror})") from None
    except OSError as exc:
        raise WriteRefused(path, f"writing failed ({exc.strerror or exc})") from None
