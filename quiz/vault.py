"""Walk a vault: every Markdown note, dot-folders skipped."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class NoteFile:
    """A note file found in the vault, with the stat fields a re-scan compares."""

    rel: str
    path: Path
    size: int
    mtime_ns: int


def walk(root: Path) -> Iterator[NoteFile]:
    """Yield the vault's ``.md`` files in a stable order.

    Dot-folders (``.obsidian``, ``.trash``, ``.git``) and dot-files are not
    part of the vault. Symlinked folders are not followed, so a link cycle
    cannot hang a scan.
    """
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append((Path(entry.path), f"{prefix}{entry.name}/"))
                elif entry.name.lower().endswith(".md") and entry.is_file():
                    st = entry.stat()
                    yield NoteFile(
                        f"{prefix}{entry.name}", Path(entry.path), st.st_size, st.st_mtime_ns
                    )
            except OSError:
                continue
        stack.extend(reversed(subfolders))
