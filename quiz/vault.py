"""Walk a vault: every Markdown note, dot-folders skipped; and where a path given
on the command line lands in it."""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from quiz.fs import Unreadable as Unreadable  # the callers' name for it
from quiz.fs import inside as _inside
from quiz.fs import walk_files


@dataclass(frozen=True, slots=True)
class NoteFile:
    """A note file found in the vault, with the stat fields a re-scan compares."""

    rel: str
    abspath: str
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        """The file as a ``Path`` (made on demand: a warm scan of 10k notes
        spent half its walk building ``Path`` objects it never used)."""
        return Path(self.abspath)


def walk(root: Path, unreadable: Unreadable | None = None) -> Iterator[NoteFile]:
    """Yield the vault's ``.md`` files in a stable order.

    Dot-folders (``.obsidian``, ``.trash``, ``.git``) and dot-files are not
    part of the vault. Symlinked folders are not followed, so a link cycle
    cannot hang a scan; a symlinked note file counts only when it points at a
    file inside the vault (one pointing out is no more part of the vault than
    a symlinked folder). A folder that cannot be listed is passed to
    ``unreadable`` (its notes are then unknown, not gone).
    """
    real_root = os.path.realpath(root)
    for rel, entry in walk_files(root, unreadable):
        try:
            if entry.name.lower().endswith(".md") and entry.is_file():
                if entry.is_symlink() and not _inside(os.path.realpath(entry.path), real_root):
                    continue
                st = entry.stat()
                yield NoteFile(rel, entry.path, st.st_size, st.st_mtime_ns)
        except OSError:
            continue


def unreadable_folder(folder: str, exc: OSError) -> str:
    """The report line for a folder ``walk`` could not list."""
    name = folder.rstrip("/") or "."
    return f"folder {name}: cannot read: {exc.strerror or exc}; its notes are left as they were"


class NotePathError(ValueError):
    """A note path that does not name a note of the vault; the message says why."""


def note_key(vault: Path, value: str) -> str:
    """The vault-relative key (``/`` separators) of the note ``value`` names.

    ``value`` is a path relative to the vault or an absolute path inside it;
    ``./``, ``//`` and ``..`` inside it are normalised. Nothing is opened:
    only ``stat`` is used, so a FIFO or a device is refused without a read.

    Raises:
        NotePathError: ``value`` resolves outside the vault (also through a
            symlink), lies in a dot-folder or a symlinked folder (neither is
            part of the vault), is not a ``.md`` regular file, or does not
            exist (with close matches when there are some).
    """
    shown = repr(value)
    if not value.strip() or "\0" in value:
        raise NotePathError(f"{shown}: not a note path")
    vault_abs = os.path.abspath(vault)
    real_root = os.path.realpath(vault)
    given = value.replace("\\", "/") if os.sep == "\\" else value
    candidate = os.path.normpath(os.path.join(vault_abs, given))
    # An absolute path may name the vault by the path given, by its real path,
    # or through a symlink to it (then its folder resolves into the vault).
    real_parent = os.path.join(
        os.path.realpath(os.path.dirname(candidate)), os.path.basename(candidate)
    )
    for path, base in ((candidate, vault_abs), (candidate, real_root), (real_parent, real_root)):
        if _inside(path, base) and path != base:
            rel = os.path.relpath(path, base)
            break
    else:
        raise NotePathError(f"{shown}: outside the vault {vault}")
    parts = Path(rel).parts
    key = "/".join(parts)
    if any(p.startswith(".") for p in parts):
        raise NotePathError(
            f"{shown}: in a dot-folder or a dot-file, which is not part of the vault"
        )
    if not key.lower().endswith(".md"):
        raise NotePathError(f"{shown}: not a Markdown note (.md)")
    folder = real_root
    for part in parts[:-1]:
        folder = os.path.join(folder, part)
        if os.path.islink(folder):
            raise NotePathError(f"{shown}: in a symlinked folder, which is not part of the vault")
    file = os.path.join(real_root, *parts)
    if os.path.islink(file) and not _inside(os.path.realpath(file), real_root):
        raise NotePathError(f"{shown}: a symlink pointing outside the vault")
    try:
        info = os.stat(file)
    except FileNotFoundError:
        raise NotePathError(
            f"{shown}: no such note in {vault}{_did_you_mean(vault, key)}"
        ) from None
    except OSError as exc:
        raise NotePathError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise NotePathError(f"{shown}: not a regular file")
    return key


def _did_you_mean(vault: Path, key: str) -> str:
    notes = [f.rel for f in walk(vault)]
    close = difflib.get_close_matches(key, notes, n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
