"""Where an ``![[file]]`` embed points: a file inside the vault, or nothing.

Obsidian resolves an embed by path from the vault's root, or, for a bare
name, finds the file of that name anywhere in the vault. The target is
note text: a path that leaves the vault (``..``, an absolute path, a
symbolic link pointing out) is refused, and the search is bounded.
"""

from __future__ import annotations

from pathlib import Path

from quiz.fs import walk_files

#: At most this many files are looked at to find a bare name.
SEARCH_LIMIT = 200_000


def resolve_embed(vault: Path, target: str, near: Path | None = None) -> Path | None:
    """The file ``target`` names in ``vault`` (``near``'s folder first), if inside it."""
    root = vault.resolve()
    target = target.strip().replace("\\", "/")
    if not target or "\x00" in target:
        return None
    candidates = []
    if near is not None:
        candidates.append(near.parent / target)
    candidates.append(root / target)
    for candidate in candidates:
        found = _inside(root, candidate)
        if found is not None:
            return found
    if "/" in target:
        return None
    for seen, (_rel, entry) in enumerate(walk_files(root)):
        if entry.name == target:
            return _inside(root, Path(entry.path))
        if seen >= SEARCH_LIMIT:
            break
    return None


def _inside(root: Path, candidate: Path) -> Path | None:
    try:
        path = candidate.resolve()
    except (OSError, RuntimeError):
        return None
    if path.is_relative_to(root) and path.is_file():
        return path
    return None
