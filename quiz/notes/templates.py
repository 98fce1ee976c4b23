"""The learner's templates, and the placeholder cues that are never cards.

A vault's template notes (Obsidian's Templates core plugin, or a plain
``Templates/`` folder) hold the Cornell layout with placeholder cues such as
``질문1`` or ``Place question here``. Template notes give no cards, and a cue
identical (``question_key``) to a cue of a template is a placeholder that
the learner has not filled in yet. A short built-in list covers vaults
without templates (``BUILTIN_PLACEHOLDER``).

The template folder is the ``folder`` of ``.obsidian/templates.json`` (or
Templater's ``templates_folder``), else a ``Templates`` or ``Template``
folder at the vault root (any case). Finding it costs two small reads; the
template notes are read only when some note is (``Templates.placeholders``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from quiz.config import Settings
from quiz.notes.ids import question_key
from quiz.notes.model import Note
from quiz.vault import NoteFile, walk

#: Where Obsidian and the Templater plugin name the template folder.
_CONFIGS = (
    (".obsidian/templates.json", "folder"),
    (".obsidian/plugins/templater-obsidian/data.json", "templates_folder"),
)
#: Folder names taken for the template folder when no config names one.
_FOLDER_NAMES = frozenset({"templates", "template"})
#: A settings file larger than this is not a settings file.
_MAX_CONFIG_BYTES = 1 << 16
#: A template note larger than this, or past this many, is not read.
_MAX_TEMPLATE_BYTES = 1 << 20
_MAX_TEMPLATES = 200
#: Bump when what a note's cards are changes for unchanged files, so a scan
#: reads every note again (see ``Templates.fingerprint``).
READER_VERSION = 3  # 3: the Cornell layouts (#10)

#: Cues that are placeholders in any vault (matched on the cue's text
#: without decoration, case-folded, trailing ``?:.`` dropped).
BUILTIN_PLACEHOLDER = re.compile(
    r"(?:질문|단서|문제)[ \t.:#-]*\d+|(?:question|cue|item)[ \t.:#-]*\d*"
    r"|ㅇ+|…+|[-?？~]+"
    r"|(?:place|put|type|write|enter|add)( (?:your|a|the))? (?:cue|question)s?( here)?"
    r"|(?:your|a) (?:cue|question)s? here|(?:cue|question)s? here"
    r"|(?:여기에 )?(?:질문|단서)(?:을|를)? ?(?:입력|작성|적기)(?:하세요|하기|해 ?주세요)?",
)


#: Characters that may decorate a cue (only then is the decoration stripped).
_DECORATED = re.compile(r"[*_`\[\]<>!#=~]")
#: No placeholder is longer than this many characters, decorated.
_LONGEST = 60


def is_builtin_placeholder(question: str) -> bool:
    """``질문1``, ``Item``, ``Place question here``, ``ㅇㅇ``, an empty cue..."""
    if len(question) > _LONGEST:
        return False
    if _DECORATED.search(question):
        from quiz.notes.answering import plain_text

        text = plain_text(question)
    else:
        text = " ".join(question.split())
    text = text.casefold().rstrip("?？:：. \t")
    return not text or BUILTIN_PLACEHOLDER.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class Placeholders:
    """The cues that are not cards: the templates' cues and the built-in list."""

    keys: frozenset[str] = frozenset()

    def __contains__(self, question: object) -> bool:
        if not isinstance(question, str):
            return False
        return question_key(question) in self.keys or is_builtin_placeholder(question)


@dataclass(frozen=True, slots=True)
class Templates:
    """The vault's template folder and the note files in it.

    Attributes:
        folder: vault-relative, ``/``-separated; ``None`` when there is none.
        files: the template notes (their stat fields make the fingerprint).
    """

    folder: str | None = None
    files: tuple[NoteFile, ...] = ()

    def is_template(self, rel: str) -> bool:
        """Whether the note at ``rel`` is a template (it gives no cards)."""
        if self.folder is None:
            return False
        rel, folder = rel.casefold(), self.folder.casefold()
        return rel.startswith(folder + "/")

    def fingerprint(self) -> str:
        """Changes when the templates (or the reader) may give other cards."""
        material = json.dumps(
            [READER_VERSION, self.folder, [(f.rel, f.size, f.mtime_ns) for f in self.files]],
            ensure_ascii=False,
        )
        return hashlib.blake2b(material.encode("utf-8"), digest_size=8).hexdigest()

    def placeholders(self, settings: Settings) -> Placeholders:
        """Read the template notes' cues (a template that cannot be read adds none)."""
        keys: set[str] = set()
        for file in self.files[:_MAX_TEMPLATES]:
            if file.size <= _MAX_TEMPLATE_BYTES:
                keys.update(question_key(q) for q in template_cues(file.path, settings))
        keys.discard("")
        return Placeholders(frozenset(keys))


def find_templates(vault: Path, files: Iterable[NoteFile] | None = None) -> Templates:
    """The template folder of ``vault`` and its notes.

    ``files`` is the vault's walk when the caller has it already (the
    template notes are picked from it instead of walking the folder again).
    """
    folder = template_folder(vault)
    if folder is None:
        return Templates()
    prefix = folder.casefold() + "/"
    if files is None:
        found = tuple(
            NoteFile(f"{folder}/{f.rel}", f.abspath, f.size, f.mtime_ns)
            for f in walk(vault / folder)
        )
    else:
        found = tuple(f for f in files if f.rel.casefold().startswith(prefix))
    return Templates(folder, found)


def template_folder(vault: Path) -> str | None:
    """The vault-relative template folder, or ``None``.

    A config that is missing, not JSON, names no folder, names one outside
    the vault or one that does not exist is passed over.
    """
    for config, key in _CONFIGS:
        try:
            with (vault / config).open("rb") as fh:
                data = json.loads(fh.read(_MAX_CONFIG_BYTES + 1)[:_MAX_CONFIG_BYTES])
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            continue
        value = data.get(key) if isinstance(data, dict) else None
        folder = _inside(value) if isinstance(value, str) else None
        if folder is not None and _is_folder_inside(vault, folder):
            return folder
    try:
        with os.scandir(vault) as entries:
            names = sorted(
                e.name
                for e in entries
                if e.name.casefold() in _FOLDER_NAMES and e.is_dir(follow_symlinks=False)
            )
    except OSError:
        return None
    return names[0] if names else None


def _is_folder_inside(vault: Path, folder: str) -> bool:
    """``folder`` is a folder of the vault, not a link out of it."""
    try:
        path = (vault / folder).resolve()
        return path.is_dir() and path.is_relative_to(vault.resolve())
    except (OSError, RuntimeError):
        return False


def _inside(value: str) -> str | None:
    """``value`` as a vault-relative folder, or ``None`` if it leaves the vault."""
    parts = PurePosixPath(value.replace("\\", "/").strip().strip("/")).parts
    if not parts or any(p in ("..", ".") for p in parts) or ":" in parts[0]:
        return None
    return "/".join(parts)


_LIST_ITEM = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+(?:\[.\][ \t]+)?(.*)")


def template_cues(file: Path, settings: Settings) -> list[str]:
    """The cue questions a template note holds: its cards, and every list
    item of its cue section (a template's cues have no answers yet)."""
    from quiz.notes import cards as cardlib
    from quiz.notes import frontmatter
    from quiz.notes.reader import NoteError, parse_note

    try:
        raw = file.read_bytes()
        note = parse_note(raw, file.name, settings)
    except (OSError, NoteError):
        return []
    cues = [c.question for c in note.cards]
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    body = frontmatter.split(text).body
    section = cardlib.find_sections(body, {"cues": settings.sections["cues"]}).get("cues")
    if section is not None:
        for line in section.text.split("\n"):
            item = _LIST_ITEM.fullmatch(line)
            if item is not None and item.group(1).strip():
                cues.append(item.group(1).strip())
    return cues


def drop_placeholders(
    note: Note, placeholders: Placeholders, templates: Templates | None = None
) -> Note:
    """``note`` without its placeholder cards; a template note keeps none."""
    if templates is not None and templates.is_template(note.path):
        return replace(note, cards=()) if note.cards else note
    kept = tuple(c for c in note.cards if c.question not in placeholders)
    return note if len(kept) == len(note.cards) else replace(note, cards=kept)
